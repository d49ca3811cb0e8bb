//! Errors of the file system, named and worded as Python's (`OSError` and its family,
//! `ValueError`, `io.UnsupportedOperation`, `UnicodeDecodeError`, `TypeError`,
//! `AttributeError`).

use crate::pyrepr::str_repr;

/// The Python exception class an [`IoError`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// `FileNotFoundError` (errno 2).
    FileNotFound,
    /// `FileExistsError` (errno 17).
    FileExists,
    /// `IsADirectoryError` (errno 21).
    IsADirectory,
    /// `NotADirectoryError` (errno 20).
    NotADirectory,
    /// `PermissionError` (errno 13).
    Permission,
    /// A plain `OSError`: invalid argument (22), no space left (28), directory not empty (39).
    Os,
    /// `ValueError`: a bad argument, or an operation on a closed or detached file.
    Value,
    /// `io.UnsupportedOperation`: reading a write-only file and the reverse.
    UnsupportedOperation,
    /// `UnicodeDecodeError`: bytes that are not UTF-8 met in text mode.
    UnicodeDecode,
    /// `TypeError`: text given to a binary file, or bytes to a text file.
    Type,
    /// `OverflowError`: a number that does not fit the C type Python converts it to
    /// (`buffering` is a C `int`).
    Overflow,
    /// `AttributeError`: a method the file's class does not have (`FileIO.detach`).
    Attribute,
}

impl ErrorKind {
    /// The Python class name shown in front of the message.
    pub fn python_name(self) -> &'static str {
        match self {
            ErrorKind::FileNotFound => "FileNotFoundError",
            ErrorKind::FileExists => "FileExistsError",
            ErrorKind::IsADirectory => "IsADirectoryError",
            ErrorKind::NotADirectory => "NotADirectoryError",
            ErrorKind::Permission => "PermissionError",
            ErrorKind::Os => "OSError",
            ErrorKind::Value => "ValueError",
            ErrorKind::UnsupportedOperation => "UnsupportedOperation",
            ErrorKind::UnicodeDecode => "UnicodeDecodeError",
            ErrorKind::Type => "TypeError",
            ErrorKind::Overflow => "OverflowError",
            ErrorKind::Attribute => "AttributeError",
        }
    }
}

/// A file-system error: its kind and the text Python's `str(error)` would give. It
/// displays as that text alone; the class name is [`ErrorKind::python_name`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct IoError {
    kind: ErrorKind,
    message: String,
}

impl IoError {
    /// An error of `kind` with a ready-made message.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        IoError { kind, message: message.into() }
    }

    fn errno_text(kind: ErrorKind) -> (i32, &'static str) {
        match kind {
            ErrorKind::FileNotFound => (2, "No such file or directory"),
            ErrorKind::Permission => (13, "Permission denied"),
            ErrorKind::FileExists => (17, "File exists"),
            ErrorKind::NotADirectory => (20, "Not a directory"),
            ErrorKind::IsADirectory => (21, "Is a directory"),
            _ => (22, "Invalid argument"),
        }
    }

    /// An `OSError` subclass with Python's `[Errno N] text: 'path'` message.
    #[cold]
    pub fn os(kind: ErrorKind, path: &str) -> Self {
        let (errno, text) = Self::errno_text(kind);
        IoError::new(kind, format!("[Errno {errno}] {text}: {}", str_repr(path)))
    }

    /// The two-path form of [`IoError::os`], as `os.rename` reports: `'a' -> 'b'`.
    #[cold]
    pub fn os2(kind: ErrorKind, from: &str, to: &str) -> Self {
        let (errno, text) = Self::errno_text(kind);
        IoError::new(kind, format!("[Errno {errno}] {text}: {} -> {}", str_repr(from), str_repr(to)))
    }

    /// `OSError: [Errno 22] Invalid argument` (a negative seek or truncate).
    #[cold]
    pub fn invalid_argument() -> Self {
        IoError::new(ErrorKind::Os, "[Errno 22] Invalid argument")
    }

    /// `OSError: [Errno 28] No space left on device` (the quota is reached).
    #[cold]
    pub fn no_space() -> Self {
        IoError::new(ErrorKind::Os, "[Errno 28] No space left on device")
    }

    /// `OSError: [Errno 36] File name too long: 'path'`.
    #[cold]
    pub fn name_too_long(path: &str) -> Self {
        IoError::new(ErrorKind::Os, format!("[Errno 36] File name too long: {}", str_repr(path)))
    }

    /// `OSError: [Errno 39] Directory not empty: 'path'`.
    #[cold]
    pub fn not_empty(path: &str) -> Self {
        IoError::new(ErrorKind::Os, format!("[Errno 39] Directory not empty: {}", str_repr(path)))
    }

    /// `OSError: [Errno 16] Device or resource busy: 'a' -> '/'` (a directory renamed onto
    /// the root, which is always in use).
    #[cold]
    pub fn busy2(from: &str, to: &str) -> Self {
        IoError::new(
            ErrorKind::Os,
            format!("[Errno 16] Device or resource busy: {} -> {}", str_repr(from), str_repr(to)),
        )
    }

    /// `OSError: [Errno 39] Directory not empty: 'a' -> 'b'` (renaming onto a full directory).
    #[cold]
    pub fn not_empty2(from: &str, to: &str) -> Self {
        IoError::new(
            ErrorKind::Os,
            format!("[Errno 39] Directory not empty: {} -> {}", str_repr(from), str_repr(to)),
        )
    }

    /// `ValueError` for an operation on a closed file, with Python's exact wording
    /// (`I/O operation on closed file.`, `read of closed file`, ...).
    #[cold]
    pub fn closed(message: &str) -> Self {
        IoError::new(ErrorKind::Value, message)
    }

    /// `io.UnsupportedOperation` with `message`.
    #[cold]
    pub fn unsupported(message: &str) -> Self {
        IoError::new(ErrorKind::UnsupportedOperation, message)
    }

    /// Which Python exception this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message alone, as Python's `str(error)`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Results of file-system operations.
pub type IoResult<T> = Result<T, IoError>;

/// Python's text-layer message for closed files.
pub(crate) const CLOSED: &str = "I/O operation on closed file.";
/// The raw layer's message for closed files (no full stop, as CPython's `FileIO`).
pub(crate) const RAW_CLOSED: &str = "I/O operation on closed file";

//! Errors of the file system, named and worded as Python's `OSError` family.

use std::fmt;

/// The Python exception class an [`IoError`] stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// `ValueError`: a bad argument, or an operation on a closed file.
    Value,
    /// `io.UnsupportedOperation`: reading a write-only file and the reverse.
    UnsupportedOperation,
    /// `UnicodeDecodeError`: bytes that are not UTF-8 met in text mode.
    UnicodeDecode,
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
            ErrorKind::Value => "ValueError",
            ErrorKind::UnsupportedOperation => "UnsupportedOperation",
            ErrorKind::UnicodeDecode => "UnicodeDecodeError",
        }
    }
}

/// A file-system error: its kind and the text Python's `str(error)` would give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IoError {
    kind: ErrorKind,
    message: String,
}

impl IoError {
    /// An error of `kind` with a ready-made message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        IoError { kind, message: message.into() }
    }

    /// An `OSError` subclass with Python's `[Errno N] text: 'path'` message.
    pub fn os(kind: ErrorKind, path: &str) -> Self {
        let (errno, text) = match kind {
            ErrorKind::FileNotFound => (2, "No such file or directory"),
            ErrorKind::Permission => (13, "Permission denied"),
            ErrorKind::FileExists => (17, "File exists"),
            ErrorKind::NotADirectory => (20, "Not a directory"),
            ErrorKind::IsADirectory => (21, "Is a directory"),
            other => return IoError::new(other, crate::pyrepr::str_repr(path)),
        };
        IoError::new(kind, format!("[Errno {errno}] {text}: {}", crate::pyrepr::str_repr(path)))
    }

    /// `ValueError: I/O operation on closed file.`
    pub fn closed() -> Self {
        IoError::new(ErrorKind::Value, "I/O operation on closed file.")
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

/// Formats as Python's `str(error)`; the class name is [`ErrorKind::python_name`].
impl fmt::Display for IoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IoError {}

/// Results of file-system operations.
pub type IoResult<T> = Result<T, IoError>;

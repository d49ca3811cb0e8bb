//! The file handler: records appended to a file of the virtual file system.

use super::super::errors::LogError;
use super::super::handler::{typed_handler, Emit, Handler};
use super::super::record::Record;
use crate::pyrepr::str_repr;
use crate::vfs::{File, FileSystem};

/// Python's `FileHandler`: opens `path` in text mode `a` or `w` (at once, or at the first
/// record with `delay`), writes each record and `\n`, and flushes after each record.
#[derive(Debug, Clone)]
pub struct FileHandler {
    handler: Handler,
    path: String,
}

impl FileHandler {
    /// A handler on `path` (relative to the current directory now, as Python's
    /// `os.path.abspath`); `mode` is `"a"` or `"w"`. Opening errors are returned unless
    /// `delay`, when they are reported at the first record instead.
    pub fn new(fs: FileSystem, path: &str, mode: &str, delay: bool) -> Result<FileHandler, LogError> {
        let target = FileTarget::new(fs, path, mode, delay)?;
        let path = target.path.clone();
        Ok(FileHandler { handler: Handler::new("FileHandler", FileEmit(target)), path })
    }

    /// The absolute path written to (Python's `baseFilename`).
    pub fn base_filename(&self) -> &str {
        &self.path
    }
}

typed_handler!(FileHandler);

struct FileEmit(FileTarget);

impl Emit for FileEmit {
    fn emit(&mut self, _record: &Record, line: &str) -> Result<(), LogError> {
        self.0.emit(line)
    }

    fn flush(&mut self) -> Result<(), LogError> {
        self.0.flush()
    }

    fn close(&mut self) -> Result<(), LogError> {
        self.0.close()
    }
}

/// An open (or not yet opened) log file, shared by the plain and the rotating handler.
pub(crate) struct FileTarget {
    pub(crate) fs: FileSystem,
    /// Absolute path.
    pub(crate) path: String,
    mode: &'static str,
    pub(crate) delay: bool,
    pub(crate) file: Option<File>,
    /// Whether `close` was called (Python's `_closed`).
    closed: bool,
    buffer: String,
}

impl FileTarget {
    pub(crate) fn new(fs: FileSystem, path: &str, mode: &str, delay: bool) -> Result<FileTarget, LogError> {
        let mode = match mode {
            "a" => "a",
            "w" => "w",
            other => {
                return Err(LogError::value(format!(
                    "a log file's mode is 'a' or 'w', not {}",
                    str_repr(other)
                )))
            }
        };
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            let cwd = fs.getcwd();
            format!("{}/{path}", cwd.trim_end_matches('/'))
        };
        let mut target =
            FileTarget { fs, path, mode, delay, file: None, closed: false, buffer: String::new() };
        if !delay {
            target.open()?;
        }
        Ok(target)
    }

    /// Opens the file (Python's `_open`).
    pub(crate) fn open(&mut self) -> Result<(), LogError> {
        self.file = Some(self.fs.open(&self.path, self.mode)?);
        Ok(())
    }

    /// Python's `FileHandler.emit`: opens the file if needed (not after closing a `w`
    /// handler), then writes the line and a newline in one write, and flushes.
    pub(crate) fn emit(&mut self, line: &str) -> Result<(), LogError> {
        if self.file.is_none() && (self.mode != "w" || !self.closed) {
            self.open()?;
        }
        if let Some(file) = self.file.as_mut() {
            self.buffer.clear();
            self.buffer.push_str(line);
            self.buffer.push('\n');
            file.write(&self.buffer)?;
            file.flush()?;
        }
        Ok(())
    }

    pub(crate) fn flush(&mut self) -> Result<(), LogError> {
        if let Some(file) = self.file.as_mut() {
            file.flush()?;
        }
        Ok(())
    }

    /// Closes the file (Python's `FileHandler.close`).
    pub(crate) fn close(&mut self) -> Result<(), LogError> {
        self.closed = true;
        if let Some(mut file) = self.file.take() {
            file.close()?;
        }
        Ok(())
    }
}

//! The logging package's one error type: the Python exception class it stands for and
//! the text Python's `str(error)` would give, as [`crate::vfs::IoError`] does.

use crate::vfs::IoError;

/// A configuration or emission error, named after Python's exception class. It shows as
/// its message alone, as Python's `str(error)` does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LogError {
    kind: &'static str,
    message: String,
}

/// What configuring a logger, handler or formatter fails with (the same type).
pub type ConfigError = LogError;

impl LogError {
    /// An error of the Python class `kind` (e.g. `"ValueError"`) with `message`.
    pub fn new(kind: &'static str, message: impl Into<String>) -> LogError {
        LogError { kind, message: message.into() }
    }

    /// A `ValueError`.
    pub fn value(message: impl Into<String>) -> LogError {
        LogError::new("ValueError", message)
    }

    /// The Python class name, e.g. `ValueError`.
    pub fn python_name(&self) -> &'static str {
        self.kind
    }

    /// The message alone (Python's `str(error)`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<IoError> for LogError {
    fn from(error: IoError) -> LogError {
        LogError::new(error.kind().python_name(), error.to_string())
    }
}

//! The one error type of the parallel layer: a Python exception's class name and message,
//! serializable so that a task's error crosses from a worker to the kernel unchanged.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::vfs::IoError;

/// An error from a task, a worker, or an IPC object, named like Python's exception.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    /// The exception class, e.g. `ValueError`.
    pub kind: String,
    /// Its message.
    pub message: String,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Error {
        Error { kind: kind.into(), message: message.into() }
    }

    /// `ValueError`: a bad argument (a pool of zero workers, a closed pool).
    pub fn value(message: impl Into<String>) -> Error {
        Error::new("ValueError", message)
    }

    /// `TypeError`: a value that does not serialize or deserialize as the task expects.
    pub fn type_error(message: impl Into<String>) -> Error {
        Error::new("TypeError", message)
    }

    /// `ProcessError`: a worker died, was terminated, or could not be started.
    pub fn process(message: impl Into<String>) -> Error {
        Error::new("ProcessError", message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for Error {}

impl From<IoError> for Error {
    fn from(error: IoError) -> Error {
        Error::new(error.kind().python_name(), error.message())
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Error {
        Error::type_error(error.to_string())
    }
}

/// What the parallel layer returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

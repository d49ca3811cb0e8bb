//! The one error type of the parallel layer: a Python exception's class name and message,
//! serializable so that a task's error crosses from a worker to the kernel unchanged.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::exception_name::ExceptionName;
use crate::vfs::IoError;

/// An error from a task, a worker, or an IPC object, named like Python's exception. One
/// that arrives from a worker is checked as [`Error::new`] checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Unchecked")]
pub struct Error {
    /// The exception class, e.g. `ValueError`.
    pub kind: ExceptionName,
    /// Its message.
    pub message: String,
}

/// An error as a worker's message holds it, before its class name is checked.
#[derive(Deserialize)]
struct Unchecked {
    kind: String,
    message: String,
}

impl From<Unchecked> for Error {
    fn from(error: Unchecked) -> Error {
        Error::new(error.kind, error.message)
    }
}

impl Error {
    /// An error of class `kind` with `message`. A `kind` that is no class name becomes an
    /// `Exception` whose message starts with that text (see [`ExceptionName::of_error`]).
    pub fn new(kind: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Error {
        let (kind, message) = ExceptionName::of_error(kind.into(), message.into());
        Error { kind, message }
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

impl From<crate::json::Error> for Error {
    fn from(error: crate::json::Error) -> Error {
        Error::type_error(error.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Error {
        Error::type_error(error.to_string())
    }
}

/// What the parallel layer returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::Error;

    #[test]
    fn a_workers_error_keeps_its_wire_form_and_a_bad_class_name_is_caught() {
        let error = Error::new("ValueError", "bad value");
        let json = serde_json::to_string(&error).unwrap();
        assert_eq!(json, r#"{"kind":"ValueError","message":"bad value"}"#);
        assert_eq!(serde_json::from_str::<Error>(&json).unwrap(), error);
        let odd: Error = serde_json::from_str(r#"{"kind":"<b>","message":"m"}"#).unwrap();
        assert_eq!((odd.kind.as_str(), odd.message.as_str()), ("Exception", "\"<b>\": m"));
    }
}

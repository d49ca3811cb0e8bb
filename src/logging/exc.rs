//! The error text `exception` appends to a record: an error and its causes, printed as
//! Python prints a chain of exceptions that carry no traceback frames.

use std::error::Error;

use super::errors::LogError;
use crate::vfs::IoError;

/// An error chain, outermost first, each link a Python class name and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcInfo {
    chain: Vec<(String, String)>,
}

impl ExcInfo {
    /// An error of class `kind` (`ZeroDivisionError`) with `message`.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> ExcInfo {
        ExcInfo { chain: vec![(kind.into(), message.into())] }
    }

    /// Adds the cause of the innermost error so far (Python's `raise ... from cause`).
    pub fn caused_by(mut self, kind: impl Into<String>, message: impl Into<String>) -> ExcInfo {
        self.chain.push((kind.into(), message.into()));
        self
    }

    /// The chain of a Rust error, walking `source()`. File-system and logging errors are
    /// named by their Python class; another error by its Rust type's name when it is the
    /// outermost (its type is known here), else `Error`.
    pub fn from_error<E: Error + 'static>(error: &E) -> ExcInfo {
        let type_name = short_type_name(std::any::type_name::<E>());
        let mut chain = vec![(python_name(error).unwrap_or(type_name).to_string(), error.to_string())];
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push((python_name(cause).unwrap_or("Error").to_string(), cause.to_string()));
            source = cause.source();
        }
        ExcInfo { chain }
    }

    /// The chain of a type-erased error (`&*boxed`): as [`ExcInfo::from_error`], with
    /// `Error` for every link that is not a file-system or logging error.
    pub fn from_dyn(error: &(dyn Error + 'static)) -> ExcInfo {
        let mut chain = Vec::new();
        let mut link = Some(error);
        while let Some(e) = link {
            chain.push((python_name(e).unwrap_or("Error").to_string(), e.to_string()));
            link = e.source();
        }
        ExcInfo { chain }
    }

    /// The links, outermost first: `(class, message)`.
    pub fn chain(&self) -> &[(String, String)] {
        &self.chain
    }

    /// The text, innermost cause first, as Python prints it:
    ///
    /// ```text
    /// ValueError: inner
    ///
    /// The above exception was the direct cause of the following exception:
    ///
    /// RuntimeError: outer
    /// ```
    pub fn format(&self) -> String {
        let mut out = String::new();
        for (i, (kind, message)) in self.chain.iter().rev().enumerate() {
            if i > 0 {
                out.push_str("\n\nThe above exception was the direct cause of the following exception:\n\n");
            }
            out.push_str(kind);
            if !message.is_empty() {
                out.push_str(": ");
                out.push_str(message);
            }
        }
        out
    }
}

fn python_name(error: &(dyn Error + 'static)) -> Option<&'static str> {
    if let Some(e) = error.downcast_ref::<IoError>() {
        return Some(e.kind().python_name());
    }
    error.downcast_ref::<LogError>().map(LogError::python_name)
}

/// `notebook::vfs::IoError` to `IoError`, `Box<dyn Error>` to `Error`.
fn short_type_name(name: &'static str) -> &'static str {
    let base = name.split('<').next().unwrap_or(name);
    let last = base.rsplit("::").next().unwrap_or(base).trim();
    let last = last.trim_start_matches("dyn ").trim_start_matches('&');
    if last.is_empty() {
        "Error"
    } else {
        last
    }
}

//! The class name of a Python exception, as the errors a cell raises or a worker's task
//! sends carry it (`ename` in Jupyter's `error` message): a checked value, so that no
//! error holds an empty or malformed class name.

use std::borrow::Cow;
use std::fmt;

use serde::{Serialize, Serializer};

/// A Python exception class name: a non-empty identifier (letters of any script, digits
/// and underscores, not starting with a digit), such as the built-in `ValueError` or a
/// cell's own `AgeError`. Built names are kept as `&'static str`, without a copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionName(Cow<'static, str>);

impl ExceptionName {
    /// Python's base class `Exception`.
    pub const EXCEPTION: ExceptionName = ExceptionName(Cow::Borrowed("Exception"));

    /// `name` as a class name, or `name` back if it is not an identifier.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Result<ExceptionName, Cow<'static, str>> {
        ExceptionName::checked(name.into())
    }

    /// The class and message of an error said to be of class `kind`. A `kind` that is no
    /// class name (empty, with a space...) cannot be sent as one: the error becomes an
    /// `Exception` whose message starts with the text given as the kind, so nothing is
    /// lost and nothing panics.
    #[inline(never)] // one copy, not one per error type and argument types
    pub fn of_error(kind: Cow<'static, str>, message: String) -> (ExceptionName, String) {
        match ExceptionName::checked(kind) {
            Ok(kind) => (kind, message),
            Err(text) => (ExceptionName::EXCEPTION, format!("{text:?}: {message}")),
        }
    }

    /// The body of [`ExceptionName::new`], compiled once.
    fn checked(name: Cow<'static, str>) -> Result<ExceptionName, Cow<'static, str>> {
        let mut chars = name.chars();
        let first = chars.next().is_some_and(|c| c == '_' || c.is_alphabetic());
        if first && chars.all(|c| c == '_' || c.is_alphanumeric()) {
            Ok(ExceptionName(name))
        } else {
            Err(name)
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExceptionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ExceptionName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl From<ExceptionName> for Cow<'static, str> {
    fn from(name: ExceptionName) -> Cow<'static, str> {
        name.0
    }
}

impl PartialEq<str> for ExceptionName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for ExceptionName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

#[cfg(test)]
mod tests {
    use super::ExceptionName;

    #[test]
    fn only_identifiers_are_class_names() {
        for name in ["ValueError", "AgeError", "_Private", "Érreur2", "E"] {
            assert_eq!(ExceptionName::new(name).map(|n| n.to_string()), Ok(name.to_string()));
        }
        for name in ["", "Value Error", "2Fast", "a.b", "Err!", "tab\t"] {
            assert_eq!(ExceptionName::new(name), Err(name.into()), "{name:?}");
        }
        assert_eq!(ExceptionName::EXCEPTION, "Exception");
    }

    #[test]
    fn an_error_of_no_class_name_is_an_exception_that_keeps_the_text() {
        let (kind, message) = ExceptionName::of_error("Value Error".into(), "bad".into());
        assert_eq!((kind.as_str(), message.as_str()), ("Exception", "\"Value Error\": bad"));
        let (kind, message) = ExceptionName::of_error("AgeError".into(), "too old".into());
        assert_eq!((kind.as_str(), message.as_str()), ("AgeError", "too old"));
    }
}

//! The `mode` argument of `open`, accepted and rejected exactly as CPython's `io.open` does.

use super::error::{ErrorKind, IoError, IoResult};

/// What a file is opened for: one of create, read, write or append.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `r`: the file must exist; start at 0.
    Read,
    /// `w`: create or truncate.
    Write,
    /// `a`: create if missing; every write goes to the end.
    Append,
    /// `x`: create; an existing file is `FileExistsError`.
    Create,
}

/// A parsed mode string such as `"r"`, `"a+"` or `"wb"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// The one primary access.
    pub access: Access,
    /// `+`: both reading and writing.
    pub update: bool,
    /// `b`: bytes instead of text.
    pub binary: bool,
}

impl Mode {
    /// Parses `mode` with CPython's rules and messages.
    pub fn parse(mode: &str) -> IoResult<Mode> {
        let invalid = || IoError::new(ErrorKind::Value, format!("invalid mode: '{mode}'"));
        let (mut create, mut read, mut write, mut append) = (false, false, false, false);
        let (mut update, mut text, mut binary) = (false, false, false);
        for (i, c) in mode.char_indices() {
            let flag = match c {
                'x' => &mut create,
                'r' => &mut read,
                'w' => &mut write,
                'a' => &mut append,
                '+' => &mut update,
                't' => &mut text,
                'b' => &mut binary,
                _ => return Err(invalid()),
            };
            *flag = true;
            if mode[i + c.len_utf8()..].contains(c) {
                return Err(invalid());
            }
        }
        if text && binary {
            return Err(IoError::new(ErrorKind::Value, "can't have text and binary mode at once"));
        }
        let access = match (create, read, write, append) {
            (true, false, false, false) => Access::Create,
            (false, true, false, false) => Access::Read,
            (false, false, true, false) => Access::Write,
            (false, false, false, true) => Access::Append,
            (false, false, false, false) => {
                return Err(IoError::new(
                    ErrorKind::Value,
                    "Must have exactly one of create/read/write/append mode and at most one plus",
                ))
            }
            _ => {
                return Err(IoError::new(
                    ErrorKind::Value,
                    "must have exactly one of create/read/write/append mode",
                ))
            }
        };
        Ok(Mode { access, update, binary })
    }

    /// Whether reads are allowed.
    pub fn readable(self) -> bool {
        self.access == Access::Read || self.update
    }

    /// Whether writes are allowed.
    pub fn writable(self) -> bool {
        self.access != Access::Read || self.update
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(mode: &str) -> String {
        Mode::parse(mode).unwrap_err().to_string()
    }

    #[test]
    fn accepts_what_python_accepts() {
        for mode in ["r", "rb", "rt", "r+", "r+b", "br+", "w", "wb", "a", "a+", "x", "xb+"] {
            assert!(Mode::parse(mode).is_ok(), "{mode}");
        }
        let m = Mode::parse("a+").unwrap();
        assert_eq!(m.access, Access::Append);
        assert!(m.readable() && m.writable() && !m.binary);
        assert!(!Mode::parse("r").unwrap().writable());
        assert!(!Mode::parse("w").unwrap().readable());
    }

    #[test]
    fn rejects_with_python_messages() {
        // Messages checked against CPython 3.11's io.open.
        assert_eq!(err("rr"), "invalid mode: 'rr'");
        assert_eq!(err("q"), "invalid mode: 'q'");
        assert_eq!(err("rU"), "invalid mode: 'rU'");
        assert_eq!(err("rw"), "must have exactly one of create/read/write/append mode");
        assert_eq!(err("rbt"), "can't have text and binary mode at once");
        assert_eq!(err(""), "Must have exactly one of create/read/write/append mode and at most one plus");
        assert_eq!(Mode::parse("b").unwrap_err().kind(), ErrorKind::Value);
    }
}

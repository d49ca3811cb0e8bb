//! An open file: the object `open` returns, with Python's file-object methods.

use std::cell::RefCell;
use std::rc::Rc;

use super::error::{ErrorKind, IoError, IoResult};
use super::mode::{Access, Mode};
use super::tree::Inode;

/// An open file. Closing happens on [`File::close`] or when the value is dropped, as a
/// `with` block closes a Python file.
#[derive(Debug)]
pub struct File {
    name: String,
    mode: Mode,
    /// `None` once closed.
    inode: Option<Rc<RefCell<Inode>>>,
    /// The byte offset of the next read or write.
    pos: usize,
}

impl File {
    pub(super) fn new(name: &str, mode: Mode, inode: Rc<RefCell<Inode>>) -> File {
        File { name: name.to_string(), mode, inode: Some(inode), pos: 0 }
    }

    /// The path the file was opened with (Python's `f.name`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether `close` has run (Python's `f.closed`).
    pub fn closed(&self) -> bool {
        self.inode.is_none()
    }

    /// Closes the file; closing twice is fine.
    pub fn close(&mut self) {
        self.inode = None;
    }

    /// The file's inode (a cheap `Rc` clone), or the closed-file error.
    fn open_inode(&self) -> IoResult<Rc<RefCell<Inode>>> {
        self.inode.clone().ok_or_else(IoError::closed)
    }

    fn readable_inode(&self) -> IoResult<Rc<RefCell<Inode>>> {
        let inode = self.open_inode()?;
        if !self.mode.readable() {
            return Err(IoError::new(ErrorKind::UnsupportedOperation, "not readable"));
        }
        Ok(inode)
    }

    fn text_only(&self, what: &str) -> IoResult<()> {
        if self.mode.binary {
            return Err(IoError::new(
                ErrorKind::Value,
                format!("{what} needs a file opened in text mode; use the _bytes form in binary mode"),
            ));
        }
        Ok(())
    }

    /// Reads the rest of a text file, with `\r\n` and `\r` read as `\n`.
    pub fn read(&mut self) -> IoResult<String> {
        self.text_only("read")?;
        let inode = self.readable_inode()?;
        let data = inode.borrow();
        let start = self.pos.min(data.data.len());
        let text = decode(&data.data[start..], start)?;
        self.pos = data.data.len();
        Ok(universal_newlines(&text))
    }

    /// Reads one line of a text file, keeping its `\n`; `""` at the end of the file.
    pub fn readline(&mut self) -> IoResult<String> {
        self.text_only("readline")?;
        let inode = self.readable_inode()?;
        let data = inode.borrow();
        let start = self.pos.min(data.data.len());
        let rest = &data.data[start..];
        let end = match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(i) if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') => i + 2,
            Some(i) => i + 1,
            None => rest.len(),
        };
        let line = decode(&rest[..end], start)?;
        self.pos = start + end;
        Ok(universal_newlines(&line))
    }

    /// Reads up to `n` bytes of a binary file (all of the rest when `n` is `None`).
    pub fn read_bytes(&mut self, n: Option<usize>) -> IoResult<Vec<u8>> {
        let inode = self.readable_inode()?;
        let data = inode.borrow();
        let start = self.pos.min(data.data.len());
        let end = n.map_or(data.data.len(), |n| (start + n).min(data.data.len()));
        self.pos = end;
        Ok(data.data[start..end].to_vec())
    }

    /// Writes text; returns the number of characters written, as Python does.
    pub fn write(&mut self, text: &str) -> IoResult<usize> {
        self.text_only("write")?;
        self.write_bytes(text.as_bytes())?;
        Ok(text.chars().count())
    }

    /// Writes bytes; returns how many were written.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> IoResult<usize> {
        let inode = self.open_inode()?;
        if !self.mode.writable() {
            return Err(IoError::new(ErrorKind::UnsupportedOperation, "not writable"));
        }
        let mut inode = inode.borrow_mut();
        if self.mode.access == Access::Append {
            self.pos = inode.data.len();
        }
        let end = self.pos + bytes.len();
        if inode.data.len() < end {
            inode.data.resize(end, 0);
        }
        inode.data[self.pos..end].copy_from_slice(bytes);
        self.pos = end;
        Ok(bytes.len())
    }
}

/// Decodes UTF-8, or fails as Python's codec does; `offset` is where `bytes` starts in the file.
fn decode(bytes: &[u8], offset: usize) -> IoResult<String> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let at = e.valid_up_to();
        let reason = if e.error_len().is_none() { "unexpected end of data" } else { "invalid start byte" };
        IoError::new(
            ErrorKind::UnicodeDecode,
            format!(
                "'utf-8' codec can't decode byte 0x{:02x} in position {}: {reason}",
                bytes[at],
                offset + at
            ),
        )
    })
}

/// Python's universal newlines on read: `\r\n` and lone `\r` become `\n`.
fn universal_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::vfs::{ErrorKind, FileSystem};

    #[test]
    fn reads_lines_and_translates_newlines() {
        let fs = FileSystem::new();
        fs.open("t.txt", "wb").unwrap().write_bytes(b"a\r\nb\rc\nd").unwrap();
        let mut f = fs.open("t.txt", "r").unwrap();
        let lines: Vec<String> = (0..5).map(|_| f.readline().unwrap()).collect();
        assert_eq!(lines, ["a\n", "b\n", "c\n", "d", ""]);
        assert_eq!(fs.open("t.txt", "r").unwrap().read().unwrap(), "a\nb\nc\nd");
        assert_eq!(fs.open("t.txt", "rb").unwrap().read_bytes(Some(3)).unwrap(), b"a\r\n");
    }

    #[test]
    fn closed_and_wrong_direction_fail_like_python() {
        let fs = FileSystem::new();
        let mut f = fs.open("sample.txt", "r").unwrap();
        let err = f.write("x").unwrap_err();
        assert_eq!((err.kind(), err.to_string()), (ErrorKind::UnsupportedOperation, "not writable".into()));
        f.close();
        f.close();
        assert!(f.closed());
        assert_eq!(f.read().unwrap_err().to_string(), "I/O operation on closed file.");
        let mut w = fs.open("w.txt", "w").unwrap();
        assert_eq!(w.read().unwrap_err().to_string(), "not readable");
    }

    #[test]
    fn invalid_utf8_names_the_position() {
        let fs = FileSystem::new();
        fs.open("bad.txt", "wb").unwrap().write_bytes(b"ok\xff").unwrap();
        let err = fs.open("bad.txt", "r").unwrap().read().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnicodeDecode);
        assert_eq!(err.to_string(), "'utf-8' codec can't decode byte 0xff in position 2: invalid start byte");
    }

    #[test]
    fn append_writes_at_the_end_and_counts_characters() {
        let fs = FileSystem::new();
        let mut f = fs.open("a.txt", "a+").unwrap();
        assert_eq!(f.write("héllo\n").unwrap(), 6);
        f.write("again\n").unwrap();
        drop(f);
        assert_eq!(fs.open("a.txt", "r").unwrap().read().unwrap(), "héllo\nagain\n");
    }
}

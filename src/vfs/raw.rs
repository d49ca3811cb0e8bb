//! The raw layer (Python's `FileIO`): owns a descriptor; every `read` and `write` is one
//! counted raw call, the model of a system call. No buffering happens here.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::counters::{Counters, IoCounts};
use super::error::{ErrorKind, IoError, IoResult, RAW_CLOSED};
use super::mode::{Access, Mode};
use super::tree::{InodeRef, Tree};

/// An open raw file.
pub struct RawFile {
    tree: Rc<RefCell<Tree>>,
    inode: InodeRef,
    fd: i32,
    name: String,
    mode: Mode,
    pos: u64,
    closed: bool,
    /// What `seekable()` answers: unknown until the first system seek, which decides it
    /// by succeeding or failing (CPython's `FileIO` caches the result of its first
    /// `lseek`, so a file whose first seek was invalid calls itself unseekable).
    seekable: Cell<Option<bool>>,
    counters: Counters,
}

impl RawFile {
    pub(crate) fn new(
        tree: Rc<RefCell<Tree>>,
        inode: InodeRef,
        name: &str,
        abs: &str,
        mode: Mode,
        mode_text: &str,
    ) -> RawFile {
        let (fd, total) = {
            let mut t = tree.borrow_mut();
            (t.open_handle(&inode, abs, mode_text), t.totals())
        };
        // Append mode seeks to the end at once, which also settles `seekable`.
        let append = mode.access == Access::Append;
        let pos = if append { inode.borrow().size() as u64 } else { 0 };
        RawFile {
            tree,
            inode,
            fd,
            name: name.to_string(),
            mode,
            pos,
            closed: false,
            seekable: Cell::new(append.then_some(true)),
            counters: Counters::new(total),
        }
    }

    fn check_open(&self) -> IoResult<()> {
        if self.closed {
            return Err(IoError::closed(RAW_CLOSED));
        }
        Ok(())
    }

    fn check_readable(&self) -> IoResult<()> {
        self.check_open()?;
        if !self.mode.readable() {
            return Err(IoError::unsupported("File not open for reading"));
        }
        Ok(())
    }

    fn check_writable(&self) -> IoResult<()> {
        self.check_open()?;
        if !self.mode.writable() {
            return Err(IoError::unsupported("File not open for writing"));
        }
        Ok(())
    }

    /// One raw read of at most `n` bytes from the current position.
    pub fn read(&mut self, n: usize) -> IoResult<Vec<u8>> {
        self.check_readable()?;
        let inode = self.inode.borrow();
        let data = inode.data();
        let len = data.len() as u64;
        // Positions past the end and any `n` (even `usize::MAX`) read what is there.
        let start = self.pos.min(len);
        let end = start.saturating_add(n as u64).min(len);
        let out = data[start as usize..end as usize].to_vec();
        self.pos += out.len() as u64;
        self.counters.read(out.len());
        Ok(out)
    }

    /// Reads everything from the position to the end in one raw call.
    pub fn readall(&mut self) -> IoResult<Vec<u8>> {
        self.read(usize::MAX / 2)
    }

    /// One raw write of all of `data` (at the end in append mode); fails with `ENOSPC`,
    /// writing nothing, if the quota would be passed.
    pub fn write(&mut self, data: &[u8]) -> IoResult<usize> {
        self.check_writable()?;
        if data.is_empty() {
            // Linux returns before anything else, so even in append mode an empty write
            // leaves the position where it was.
            self.counters.write(0);
            return Ok(0);
        }
        // Append mode writes at the end; the position moves there only if the write
        // succeeds (Linux updates the offset after the write, not before).
        let at = (self.mode.access != Access::Append).then_some(self.pos);
        self.pos = self.tree.borrow_mut().write_at(&self.inode, at, data)?;
        self.counters.write(data.len());
        Ok(data.len())
    }

    /// Moves the position: `whence` 0 from the start, 1 from here, 2 from the end. Any
    /// other `whence` is the system's `EINVAL`, as `FileIO` passes it to `lseek` unchecked
    /// (Linux's 3 and 4, `SEEK_DATA` and `SEEK_HOLE`, are not modelled).
    pub fn seek(&mut self, offset: i64, whence: i32) -> IoResult<u64> {
        self.check_open()?;
        let base = match whence {
            0 => 0,
            1 => self.pos as i64,
            2 => self.inode.borrow().size() as i64,
            _ => return self.lseek_result(Err(IoError::invalid_argument())),
        };
        let target = base.checked_add(offset).filter(|t| *t >= 0).ok_or_else(IoError::invalid_argument);
        let target = self.lseek_result(target)?;
        self.pos = target;
        Ok(self.pos)
    }

    /// Notes the outcome of a system seek: the first one settles `seekable`.
    fn lseek_result(&self, result: IoResult<i64>) -> IoResult<u64> {
        if self.seekable.get().is_none() {
            self.seekable.set(Some(result.is_ok()));
        }
        result.map(|n| n as u64)
    }

    /// The current position (a system seek by 0 from here, as `FileIO.tell` makes).
    pub fn tell(&self) -> IoResult<u64> {
        self.check_open()?;
        self.lseek_result(Ok(self.pos as i64))
    }

    /// Cuts or extends (with zeros) the file to `size` bytes (the position by default);
    /// the position does not move.
    pub fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.check_writable()?;
        let size = match size {
            Some(size) => size,
            None => self.tell()? as i64,
        };
        if size < 0 {
            return Err(IoError::invalid_argument());
        }
        let Ok(len) = usize::try_from(size) else { return Err(IoError::no_space()) };
        self.tree.borrow_mut().resize(&self.inode, len)?;
        Ok(size as u64)
    }

    /// Releases the descriptor (and the file's bytes, if it was removed while open);
    /// closing twice is fine.
    pub fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            self.tree.borrow_mut().close_handle(self.fd, &self.inode);
        }
    }

    /// Whether [`RawFile::close`] has run.
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// The descriptor number.
    pub fn fileno(&self) -> IoResult<i32> {
        self.check_open()?;
        Ok(self.fd)
    }

    /// Whether reads are allowed.
    pub fn readable(&self) -> IoResult<bool> {
        self.check_open()?;
        Ok(self.mode.readable())
    }

    /// Whether writes are allowed.
    pub fn writable(&self) -> IoResult<bool> {
        self.check_open()?;
        Ok(self.mode.writable())
    }

    /// Whether seeks work: every file here can seek, but as in CPython the answer is
    /// whether the first system seek succeeded (made now if none was).
    pub fn seekable(&self) -> IoResult<bool> {
        self.check_open()?;
        if self.seekable.get().is_none() {
            let _ = self.tell();
        }
        Ok(self.seekable.get() == Some(true))
    }

    /// The path it was opened with.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The mode as `FileIO` reports it (`rb`, `wb`, `ab`, `xb`, `rb+`, `ab+`, ...).
    pub fn mode(&self) -> String {
        let base = match (self.mode.access, self.mode.update) {
            (Access::Read, _) | (Access::Write, true) => "rb",
            (Access::Write, false) => "wb",
            (Access::Append, _) => "ab",
            (Access::Create, _) => "xb",
        };
        if self.mode.update {
            format!("{base}+")
        } else {
            base.to_string()
        }
    }

    /// This handle's raw calls and bytes.
    pub fn counts(&self) -> IoCounts {
        self.counters.get()
    }

    /// The parsed mode.
    pub(crate) fn parsed_mode(&self) -> Mode {
        self.mode
    }
}

impl Drop for RawFile {
    fn drop(&mut self) {
        self.close();
    }
}

/// The text layer's message for a `whence` other than 0, 1 and 2.
pub(crate) fn invalid_whence(whence: i32) -> IoError {
    IoError::new(ErrorKind::Value, format!("invalid whence ({whence}, should be 0, 1 or 2)"))
}

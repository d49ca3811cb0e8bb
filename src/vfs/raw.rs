//! The raw layer (Python's `FileIO`): owns a descriptor; every `read` and `write` is one
//! counted raw call, the model of a system call. No buffering happens here, and nothing
//! is passed on: it answers every [`Layer`] question itself.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::bytes::Bytes;
use super::counters::{Counters, IoCounts};
use super::error::{ErrorKind, IoError, IoResult, CLOSED, RAW_CLOSED};
use super::layer::{FileKind, Layer};
use super::mode::{Access, Mode};
use super::tree::{InodeRef, Tree};

/// An open raw file.
pub struct RawFile {
    tree: Rc<RefCell<Tree>>,
    /// The file's inode while open; closing lets go of it, so that a closed file object
    /// does not keep a removed file's bytes alive (the system frees them at the last close).
    inode: Option<InodeRef>,
    fd: i32,
    name: String,
    mode: Mode,
    pos: u64,
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
            inode: Some(inode),
            fd,
            name: name.to_string(),
            mode,
            pos,
            seekable: Cell::new(append.then_some(true)),
            counters: Counters::new(total),
        }
    }

    fn check_open(&self) -> IoResult<()> {
        self.open_inode().map(drop)
    }

    fn open_inode(&self) -> IoResult<&InodeRef> {
        self.inode.as_ref().ok_or_else(|| IoError::closed(RAW_CLOSED))
    }

    fn check_readable(&self) -> IoResult<()> {
        self.check_open()?;
        if !self.mode.readable() {
            return Err(IoError::unsupported("File not open for reading"));
        }
        Ok(())
    }

    #[inline]
    fn check_writable(&self) -> IoResult<()> {
        self.check_open()?;
        if !self.mode.writable() {
            return Err(IoError::unsupported("File not open for writing"));
        }
        Ok(())
    }

    /// One raw read of at most `max` bytes from the current position, counted once; the
    /// bytes go to `take`, which copies them where the caller wants them.
    fn read_with<T>(&mut self, max: usize, take: impl FnOnce(&[u8]) -> T) -> IoResult<T> {
        self.check_readable()?;
        let Some(inode) = &self.inode else { return Err(IoError::closed(RAW_CLOSED)) };
        let inode = inode.borrow();
        let data = inode.data();
        let len = data.len() as u64;
        // Positions past the end and any `max` (even `usize::MAX`) read what is there.
        let start = self.pos.min(len);
        let end = start.saturating_add(max as u64).min(len);
        let chunk = &data[start as usize..end as usize];
        self.pos += chunk.len() as u64;
        self.counters.read(chunk.len());
        Ok(take(chunk))
    }

    /// One raw read of at most `max` bytes into `buffer` at `at` (grown as needed): the
    /// buffered layer's refill, with no copy in between.
    pub(crate) fn read_into_buffer(
        &mut self,
        buffer: &mut Vec<u8>,
        at: usize,
        max: usize,
    ) -> IoResult<usize> {
        self.read_with(max, |chunk| {
            let end = at + chunk.len();
            if buffer.len() < end {
                buffer.resize(end, 0);
            }
            buffer[at..end].copy_from_slice(chunk);
            chunk.len()
        })
    }

    /// Notes the outcome of a system seek: the first one settles `seekable`.
    fn lseek_result(&self, result: IoResult<i64>) -> IoResult<u64> {
        if self.seekable.get().is_none() {
            self.seekable.set(Some(result.is_ok()));
        }
        result.map(|n| n as u64)
    }

    /// The current position (a system seek by 0 from here, as `FileIO.tell` makes).
    fn position(&self) -> IoResult<u64> {
        self.check_open()?;
        self.lseek_result(Ok(self.pos as i64))
    }

    /// Releases the descriptor (and the file's bytes, if it was removed while open).
    fn release(&mut self) {
        if let Some(inode) = self.inode.take() {
            self.tree.borrow_mut().close_handle(self.fd, &inode);
        }
    }

    /// Whether it is closed (the layers above ask without a `Result`).
    pub(crate) fn is_closed(&self) -> bool {
        self.inode.is_none()
    }

    /// The parsed mode.
    pub(crate) fn parsed_mode(&self) -> Mode {
        self.mode
    }
}

impl Layer for RawFile {
    fn kind(&self) -> FileKind {
        FileKind::Raw
    }

    fn class_name(&self) -> &'static str {
        "FileIO"
    }

    /// The mode as `FileIO` reports it (`rb`, `wb`, `ab`, `xb`, `rb+`, `ab+`, ...).
    fn mode(&self) -> &str {
        match (self.mode.access, self.mode.update) {
            (Access::Read, false) => "rb",
            (Access::Read | Access::Write, true) => "rb+",
            (Access::Write, false) => "wb",
            (Access::Append, false) => "ab",
            (Access::Append, true) => "ab+",
            (Access::Create, false) => "xb",
            (Access::Create, true) => "xb+",
        }
    }

    /// Raw reads `n` bytes, or everything from the position to the end in one call.
    fn read_bytes(&mut self, n: Option<usize>) -> IoResult<Bytes> {
        self.read_with(n.unwrap_or(usize::MAX / 2), Bytes::copy_from)
    }

    /// One raw read into `out` (Python's `FileIO.readinto`).
    fn read_into(&mut self, out: &mut [u8]) -> IoResult<usize> {
        self.read_with(out.len(), |chunk| {
            out[..chunk.len()].copy_from_slice(chunk);
            chunk.len()
        })
    }

    /// One raw read per byte, through the next `\n` (as `IOBase.readline` over `FileIO`).
    fn readline_bytes(&mut self) -> IoResult<Bytes> {
        let mut line = Vec::new();
        let mut byte = [0];
        loop {
            if self.read_into(&mut byte)? == 0 {
                return Ok(line.into());
            }
            line.push(byte[0]);
            if byte[0] == b'\n' {
                return Ok(line.into());
            }
        }
    }

    /// One raw write of all of `data` (at the end in append mode); fails with `ENOSPC`,
    /// writing nothing, if the quota would be passed.
    fn write_bytes(&mut self, data: &[u8]) -> IoResult<usize> {
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
        let Some(inode) = &self.inode else { return Err(IoError::closed(RAW_CLOSED)) };
        self.pos = self.tree.borrow_mut().write_at(inode, at, data)?;
        self.counters.write(data.len());
        Ok(data.len())
    }

    /// Any `whence` but 0, 1 and 2 is the system's `EINVAL`, as `FileIO` passes it to
    /// `lseek` unchecked (Linux's 3 and 4, `SEEK_DATA` and `SEEK_HOLE`, are not modelled).
    fn seek(&mut self, offset: i64, whence: i32) -> IoResult<u64> {
        self.check_open()?;
        let base = match whence {
            0 => 0,
            1 => self.pos as i64,
            2 => self.open_inode()?.borrow().size() as i64,
            _ => return self.lseek_result(Err(IoError::invalid_argument())),
        };
        let target = base.checked_add(offset).filter(|t| *t >= 0).ok_or_else(IoError::invalid_argument);
        let target = self.lseek_result(target)?;
        self.pos = target;
        Ok(self.pos)
    }

    fn tell(&mut self) -> IoResult<u64> {
        self.position()
    }

    /// Extends with zeros; the position does not move.
    fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.check_writable()?;
        let size = match size {
            Some(size) => size,
            None => self.position()? as i64,
        };
        if size < 0 {
            return Err(IoError::invalid_argument());
        }
        let Ok(len) = usize::try_from(size) else { return Err(IoError::no_space()) };
        self.tree.borrow_mut().resize(self.open_inode()?, len)?;
        Ok(size as u64)
    }

    /// Nothing is buffered: only checks that the file is open (`IOBase.flush`).
    fn flush(&mut self) -> IoResult<()> {
        if self.is_closed() {
            return Err(IoError::closed(CLOSED));
        }
        Ok(())
    }

    /// Releases the descriptor (and the file's bytes, if it was removed while open).
    fn close(&mut self) -> IoResult<()> {
        self.release();
        Ok(())
    }

    fn name(&self) -> IoResult<&str> {
        Ok(&self.name)
    }

    fn closed(&self) -> IoResult<bool> {
        Ok(self.is_closed())
    }

    fn fileno(&self) -> IoResult<i32> {
        self.check_open()?;
        Ok(self.fd)
    }

    fn readable(&self) -> IoResult<bool> {
        self.check_open()?;
        Ok(self.mode.readable())
    }

    fn writable(&self) -> IoResult<bool> {
        self.check_open()?;
        Ok(self.mode.writable())
    }

    /// Every file here can seek, but as in CPython the answer is whether the first
    /// system seek succeeded (made now if none was).
    fn seekable(&self) -> IoResult<bool> {
        self.check_open()?;
        if self.seekable.get().is_none() {
            let _ = self.position();
        }
        Ok(self.seekable.get() == Some(true))
    }

    fn counts(&self) -> IoCounts {
        self.counters.get()
    }
}

impl Drop for RawFile {
    fn drop(&mut self) {
        self.release();
    }
}

/// The text layer's message for a `whence` other than 0, 1 and 2.
pub(crate) fn invalid_whence(whence: i32) -> IoError {
    IoError::new(ErrorKind::Value, format!("invalid whence ({whence}, should be 0, 1 or 2)"))
}

//! The file object `open` returns: one of the three layers (text over buffered over raw,
//! buffered over raw, or raw alone) behind Python's file-object methods: a buffered
//! file's binary reads and writes run its hot paths inline, everything else is a call
//! through `dyn Layer` (see `any_layer`; `layer` says what a layer without a method
//! answers).
//! Dropping it closes it, as leaving a `with` block does.

use std::cell::RefCell;
use std::rc::Rc;

use super::any_layer::AnyLayer;
use super::bytes::Bytes;
use super::counters::IoCounts;
use super::error::{IoError, IoResult, CLOSED};
use super::layer::{Detached, FileKind, Layer};
use super::tree::Tree;
use crate::pyrepr::str_repr;

/// An open file.
pub struct File {
    layer: AnyLayer,
    tree: Rc<RefCell<Tree>>,
}

/// The methods that ask the layer through [`AnyLayer::as_dyn`] are kept out of line
/// (`#[inline(never)]`): inlined, every call site in the notebook carried the choice between
/// the two kinds of layer, 0.6 KB of the first load. `read_bytes`, `readinto` and
/// `write_bytes` are the hot ones, left to the compiler.
impl File {
    pub(super) fn new(layer: AnyLayer, tree: Rc<RefCell<Tree>>) -> File {
        File { layer, tree }
    }

    /// The layer: text, buffered or raw (a detached file keeps the kind it had).
    #[inline(never)]
    pub fn kind(&self) -> FileKind {
        self.layer.as_dyn().kind()
    }

    /// The Python class this file object would be (a detached object keeps its class).
    #[inline(never)]
    pub fn class_name(&self) -> &'static str {
        self.layer.as_dyn().class_name()
    }

    /// The mode: as given for text files, as `FileIO` spells it for binary ones.
    /// A detached text file keeps its mode (its own attribute); a detached buffered one
    /// asks the raw stream it no longer has, and says so.
    #[inline(never)]
    pub fn mode(&self) -> IoResult<&str> {
        if self.kind() != FileKind::Text {
            self.layer.as_dyn().check_attached()?;
        }
        Ok(self.layer.as_dyn().mode())
    }

    /// The path the file was opened with.
    #[inline(never)]
    pub fn name(&self) -> IoResult<String> {
        self.layer.as_dyn().name().map(str::to_string)
    }

    /// Reads the rest of a text file.
    #[inline(never)]
    pub fn read(&mut self) -> IoResult<String> {
        self.layer.as_dyn_mut().read_text(None)
    }

    /// Reads up to `n` characters of a text file.
    #[inline(never)]
    pub fn read_n(&mut self, n: usize) -> IoResult<String> {
        self.layer.as_dyn_mut().read_text(Some(n))
    }

    /// Reads up to `n` bytes of a binary file, or all the rest with `None`.
    #[inline]
    pub fn read_bytes(&mut self, n: Option<usize>) -> IoResult<Bytes> {
        match &mut self.layer {
            AnyLayer::Buffered(buffered) => buffered.read_fast(n),
            layer => layer.as_dyn_mut().read_bytes(n),
        }
    }

    /// Reads into `buf` from a binary file (Python's `readinto`): at most `buf.len()`
    /// bytes, fewer at the end; returns how many. No `Vec` is made: the bytes are copied
    /// once, from the buffer (or the raw file) into `buf`.
    #[inline]
    pub fn readinto(&mut self, buf: &mut [u8]) -> IoResult<usize> {
        match &mut self.layer {
            AnyLayer::Buffered(buffered) => buffered.read_into_fast(buf),
            layer => layer.as_dyn_mut().read_into(buf),
        }
    }

    /// Reads one line of a text file, keeping its `\n`; `""` at the end.
    #[inline(never)]
    pub fn readline(&mut self) -> IoResult<String> {
        self.layer.as_dyn_mut().readline()
    }

    /// Reads one line of a binary file, keeping its `\n`.
    #[inline(never)]
    pub fn readline_bytes(&mut self) -> IoResult<Bytes> {
        self.layer.as_dyn_mut().readline_bytes()
    }

    /// Reads all remaining lines of a text file.
    /// As Python's, by iterating: the file is checked first (closed, or detached), and a
    /// text file's `tell` stays off if a line fails (see [`File::lines`]).
    pub fn readlines(&mut self) -> IoResult<Vec<String>> {
        self.collect_lines(|layer| layer.next_line())
    }

    /// The remaining lines of a binary file, as [`File::readlines`] reads them.
    pub fn readlines_bytes(&mut self) -> IoResult<Vec<Bytes>> {
        self.collect_lines(|layer| layer.readline_bytes())
    }

    /// Lines from `next` until an empty one, after `IOBase`'s check.
    fn collect_lines<T: AsRef<[u8]>>(
        &mut self,
        mut next: impl FnMut(&mut dyn Layer) -> IoResult<T>,
    ) -> IoResult<Vec<T>> {
        self.check_iterable()?;
        let mut lines = Vec::new();
        loop {
            let line = next(self.layer.as_dyn_mut())?;
            if line.as_ref().is_empty() {
                return Ok(lines);
            }
            lines.push(line);
        }
    }

    /// The next line of a `for line in f` loop over a text file (Python's `__next__`):
    /// `tell` is off from the first until the loop reaches the end, a `flush` or a
    /// `seek` ("telling position disabled by next() call").
    #[inline(never)]
    pub fn next_line(&mut self) -> IoResult<String> {
        self.layer.as_dyn_mut().next_line()
    }

    /// `IOBase.__iter__`'s check: a closed file cannot be iterated (a detached one says
    /// it is detached).
    fn check_iterable(&self) -> IoResult<()> {
        if self.closed()? {
            return Err(IoError::closed(CLOSED));
        }
        Ok(())
    }

    /// The remaining lines of a text file, one at a time (Python's `for line in f`, with
    /// its effect on `tell`: see [`File::next_line`]).
    pub fn lines(&mut self) -> Lines<'_> {
        Lines { file: self }
    }

    /// Writes text to a text file; returns the number of characters.
    #[inline(never)]
    pub fn write(&mut self, text: &str) -> IoResult<usize> {
        self.layer.as_dyn_mut().write(text)
    }

    /// Writes bytes to a binary file; returns how many were written.
    #[inline]
    pub fn write_bytes(&mut self, data: &[u8]) -> IoResult<usize> {
        match &mut self.layer {
            AnyLayer::Buffered(buffered) => buffered.write_fast(data),
            layer => layer.as_dyn_mut().write_bytes(data),
        }
    }

    /// Writes each piece of text in turn (no newlines are added).
    pub fn writelines<S: AsRef<str>>(&mut self, lines: impl IntoIterator<Item = S>) -> IoResult<()> {
        for line in lines {
            self.write(line.as_ref())?;
        }
        Ok(())
    }

    /// Moves the position; returns the new one. `whence`: 0 start, 1 current, 2 end.
    #[inline(never)]
    pub fn seek(&mut self, offset: i64, whence: i32) -> IoResult<u64> {
        self.layer.as_dyn_mut().seek(offset, whence)
    }

    /// The current position.
    #[inline(never)]
    pub fn tell(&mut self) -> IoResult<u64> {
        self.layer.as_dyn_mut().tell()
    }

    /// Cuts or extends the file to `size` bytes (the position by default).
    #[inline(never)]
    pub fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.layer.as_dyn_mut().truncate(size)
    }

    /// Writes buffered data to the file.
    #[inline(never)]
    pub fn flush(&mut self) -> IoResult<()> {
        self.layer.as_dyn_mut().flush()
    }

    /// Flushes and closes; closing twice is fine. The file is closed even when the flush
    /// fails (that error is returned).
    #[inline(never)]
    pub fn close(&mut self) -> IoResult<()> {
        self.layer.as_dyn_mut().close()
    }

    /// Whether the file is closed.
    #[inline(never)]
    pub fn closed(&self) -> IoResult<bool> {
        self.layer.as_dyn().closed()
    }

    /// The descriptor number in the open-file table.
    #[inline(never)]
    pub fn fileno(&self) -> IoResult<i32> {
        self.layer.as_dyn().fileno()
    }

    /// Whether reads are allowed.
    #[inline(never)]
    pub fn readable(&self) -> IoResult<bool> {
        self.layer.as_dyn().readable()
    }

    /// Whether writes are allowed.
    #[inline(never)]
    pub fn writable(&self) -> IoResult<bool> {
        self.layer.as_dyn().writable()
    }

    /// Whether seeks are allowed.
    #[inline(never)]
    pub fn seekable(&self) -> IoResult<bool> {
        self.layer.as_dyn().seekable()
    }

    /// The buffer size, or `None` for a raw file.
    #[inline(never)]
    pub fn buffer_size(&self) -> Option<usize> {
        self.layer.as_dyn().buffer_size()
    }

    /// Whether a text file flushes at each line end.
    #[inline(never)]
    pub fn line_buffering(&self) -> bool {
        self.layer.as_dyn().line_buffering()
    }

    /// Raw calls and bytes this file has made so far.
    #[inline(never)]
    pub fn counts(&self) -> IoCounts {
        self.layer.as_dyn().counts()
    }

    /// Separates the layer below and returns it (text → buffered, buffered → raw); this
    /// object then fails every call with Python's "detached" message. When the flush
    /// first fails (or the layer cannot detach) nothing changes.
    #[inline(never)]
    pub fn detach(&mut self) -> IoResult<File> {
        let detached = AnyLayer::boxed(Detached::of(self.layer.as_dyn()));
        match std::mem::replace(&mut self.layer, detached).detach() {
            Ok(below) => Ok(File::new(below, Rc::clone(&self.tree))),
            Err((layer, e)) => {
                self.layer = layer;
                Err(e)
            }
        }
    }
}

/// Closing on drop: an error then (a flush that fails) is recorded, never a panic.
impl Drop for File {
    fn drop(&mut self) {
        if let Err(e) = self.close() {
            if self.layer.as_dyn().check_attached().is_ok() {
                let name = self.name().unwrap_or_default();
                let (name, class) = (str_repr(&name), e.kind().python_name());
                let note = format!("Exception ignored while closing {name}: {class}: {e}");
                self.tree.borrow_mut().note_unraisable(note);
            }
        }
    }
}

/// The lines of a text file, as `for line in f` gives them.
pub struct Lines<'a> {
    file: &'a mut File,
}

impl Iterator for Lines<'_> {
    type Item = IoResult<String>;

    fn next(&mut self) -> Option<IoResult<String>> {
        if let Err(e) = self.file.check_iterable() {
            return Some(Err(e));
        }
        match self.file.next_line() {
            Ok(line) if line.is_empty() => None,
            other => Some(other),
        }
    }
}

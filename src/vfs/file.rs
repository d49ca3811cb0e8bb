//! The file object `open` returns: one of the three layers (text over buffered over raw,
//! buffered over raw, or raw alone) behind Python's file-object methods. Dropping it
//! closes it, as leaving a `with` block does.

use std::cell::RefCell;
use std::rc::Rc;

use super::buffered::Buffered;
use super::counters::IoCounts;
use super::error::{ErrorKind, IoError, IoResult};
use super::raw::RawFile;
use super::text::TextFile;
use super::tree::Tree;

enum Layer {
    Text(Box<TextFile>),
    Buffered(Box<Buffered>),
    Raw(Box<RawFile>),
    /// After `detach`: every call fails with this message.
    Detached(&'static str),
}

/// Which layer a [`File`] is, as Python's class names say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `TextIOWrapper`.
    Text,
    /// `BufferedReader`, `BufferedWriter` or `BufferedRandom`.
    Buffered,
    /// `FileIO`.
    Raw,
}

/// An open file.
pub struct File {
    layer: Layer,
    mode: String,
    /// The Python class, fixed at creation (a detached object keeps its class).
    class: &'static str,
    tree: Rc<RefCell<Tree>>,
}

const TEXT_DETACHED: &str = "underlying buffer has been detached";
const BUFFER_DETACHED: &str = "raw stream has been detached";

impl File {
    pub(super) fn text(text: TextFile, mode: &str, tree: Rc<RefCell<Tree>>) -> File {
        File { layer: Layer::Text(Box::new(text)), mode: mode.to_string(), class: "TextIOWrapper", tree }
    }

    pub(super) fn buffered(buffered: Buffered, tree: Rc<RefCell<Tree>>) -> File {
        let mode = buffered.mode();
        let class = match (buffered.readable(), buffered.writable()) {
            (Ok(true), Ok(true)) => "BufferedRandom",
            (Ok(true), _) => "BufferedReader",
            _ => "BufferedWriter",
        };
        File { layer: Layer::Buffered(Box::new(buffered)), mode, class, tree }
    }

    pub(super) fn raw(raw: RawFile, tree: Rc<RefCell<Tree>>) -> File {
        let mode = raw.mode();
        File { layer: Layer::Raw(Box::new(raw)), mode, class: "FileIO", tree }
    }

    fn detached(message: &'static str) -> IoError {
        IoError::new(ErrorKind::Value, message)
    }

    fn wrong_type(&self, what: &str) -> IoError {
        IoError::new(ErrorKind::Type, format!("{what} (this file is open in mode {:?})", self.mode))
    }

    /// The layer: text, buffered or raw (a detached file keeps the kind it had).
    pub fn kind(&self) -> FileKind {
        match &self.layer {
            Layer::Text(_) | Layer::Detached(TEXT_DETACHED) => FileKind::Text,
            Layer::Buffered(_) | Layer::Detached(_) => FileKind::Buffered,
            Layer::Raw(_) => FileKind::Raw,
        }
    }

    /// The Python class this file object would be.
    pub fn class_name(&self) -> &'static str {
        self.class
    }

    /// The mode: as given for text files, as `FileIO` spells it for binary ones.
    pub fn mode(&self) -> &str {
        &self.mode
    }

    /// The path the file was opened with.
    pub fn name(&self) -> IoResult<String> {
        match &self.layer {
            Layer::Text(t) => Ok(t.name().to_string()),
            Layer::Buffered(b) => Ok(b.name().to_string()),
            Layer::Raw(r) => Ok(r.name().to_string()),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Reads the rest of a text file.
    pub fn read(&mut self) -> IoResult<String> {
        self.read_text(None)
    }

    /// Reads up to `n` characters of a text file.
    pub fn read_n(&mut self, n: usize) -> IoResult<String> {
        self.read_text(Some(n))
    }

    fn read_text(&mut self, n: Option<usize>) -> IoResult<String> {
        match &mut self.layer {
            Layer::Text(t) => t.read(n),
            Layer::Detached(m) => Err(Self::detached(m)),
            _ => Err(self.wrong_type("read() returns text from text files; use read_bytes() in binary mode")),
        }
    }

    /// Reads up to `n` bytes of a binary file, or all the rest with `None`.
    pub fn read_bytes(&mut self, n: Option<usize>) -> IoResult<Vec<u8>> {
        match &mut self.layer {
            Layer::Buffered(b) => b.read(n),
            Layer::Raw(r) => match n {
                Some(n) => r.read(n),
                None => r.readall(),
            },
            Layer::Detached(m) => Err(Self::detached(m)),
            Layer::Text(_) => {
                Err(self.wrong_type("read_bytes() needs a binary file; use read() in text mode"))
            }
        }
    }

    /// Reads one line of a text file, keeping its `\n`; `""` at the end.
    pub fn readline(&mut self) -> IoResult<String> {
        match &mut self.layer {
            Layer::Text(t) => t.readline(),
            Layer::Detached(m) => Err(Self::detached(m)),
            _ => Err(self.wrong_type("readline() returns text; use readline_bytes() in binary mode")),
        }
    }

    /// Reads one line of a binary file, keeping its `\n`.
    pub fn readline_bytes(&mut self) -> IoResult<Vec<u8>> {
        match &mut self.layer {
            Layer::Buffered(b) => b.readline(),
            Layer::Raw(r) => {
                let mut line = Vec::new();
                loop {
                    let byte = r.read(1)?;
                    let end = byte.is_empty() || byte[0] == b'\n';
                    line.extend(byte);
                    if end {
                        return Ok(line);
                    }
                }
            }
            Layer::Detached(m) => Err(Self::detached(m)),
            Layer::Text(_) => Err(self.wrong_type("readline_bytes() needs a binary file")),
        }
    }

    /// Reads all remaining lines of a text file.
    pub fn readlines(&mut self) -> IoResult<Vec<String>> {
        let mut lines = Vec::new();
        loop {
            let line = self.readline()?;
            if line.is_empty() {
                return Ok(lines);
            }
            lines.push(line);
        }
    }

    /// The remaining lines of a text file, one at a time (Python's `for line in f`).
    pub fn lines(&mut self) -> Lines<'_> {
        Lines { file: self }
    }

    /// Writes text to a text file; returns the number of characters.
    pub fn write(&mut self, text: &str) -> IoResult<usize> {
        match &mut self.layer {
            Layer::Text(t) => t.write(text),
            Layer::Detached(m) => Err(Self::detached(m)),
            _ => Err(IoError::new(ErrorKind::Type, "a bytes-like object is required, not 'str'")),
        }
    }

    /// Writes bytes to a binary file; returns how many were written.
    pub fn write_bytes(&mut self, data: &[u8]) -> IoResult<usize> {
        match &mut self.layer {
            Layer::Buffered(b) => b.write(data),
            Layer::Raw(r) => r.write(data),
            Layer::Detached(m) => Err(Self::detached(m)),
            Layer::Text(_) => Err(IoError::new(ErrorKind::Type, "write() argument must be str, not bytes")),
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
    pub fn seek(&mut self, offset: i64, whence: i32) -> IoResult<u64> {
        match &mut self.layer {
            Layer::Text(t) => t.seek(offset, whence),
            Layer::Buffered(b) => b.seek(offset, whence),
            Layer::Raw(r) => r.seek(offset, whence),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// The current position.
    pub fn tell(&mut self) -> IoResult<u64> {
        match &mut self.layer {
            Layer::Text(t) => t.tell(),
            Layer::Buffered(b) => b.tell(),
            Layer::Raw(r) => r.tell(),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Cuts or extends the file to `size` bytes (the position by default).
    pub fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        match &mut self.layer {
            Layer::Text(t) => t.truncate(size),
            Layer::Buffered(b) => b.truncate(size),
            Layer::Raw(r) => r.truncate(size),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Writes buffered data to the file.
    pub fn flush(&mut self) -> IoResult<()> {
        match &mut self.layer {
            Layer::Text(t) => t.flush(),
            Layer::Buffered(b) => b.flush(),
            Layer::Raw(r) => {
                if r.closed() {
                    Err(IoError::closed(super::error::CLOSED))
                } else {
                    Ok(())
                }
            }
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Flushes and closes; closing twice is fine. The file is closed even when the flush
    /// fails (that error is returned).
    pub fn close(&mut self) -> IoResult<()> {
        match &mut self.layer {
            Layer::Text(t) => t.close(),
            Layer::Buffered(b) => b.close(),
            Layer::Raw(r) => {
                r.close();
                Ok(())
            }
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Whether the file is closed.
    pub fn closed(&self) -> IoResult<bool> {
        match &self.layer {
            Layer::Text(t) => Ok(t.closed()),
            Layer::Buffered(b) => Ok(b.closed()),
            Layer::Raw(r) => Ok(r.closed()),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// The descriptor number in the open-file table.
    pub fn fileno(&self) -> IoResult<i32> {
        match &self.layer {
            Layer::Text(t) => t.fileno(),
            Layer::Buffered(b) => b.fileno(),
            Layer::Raw(r) => r.fileno(),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Whether reads are allowed.
    pub fn readable(&self) -> IoResult<bool> {
        match &self.layer {
            Layer::Text(t) => t.readable(),
            Layer::Buffered(b) => b.readable(),
            Layer::Raw(r) => r.readable(),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Whether writes are allowed.
    pub fn writable(&self) -> IoResult<bool> {
        match &self.layer {
            Layer::Text(t) => t.writable(),
            Layer::Buffered(b) => b.writable(),
            Layer::Raw(r) => r.writable(),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// Whether seeks are allowed.
    pub fn seekable(&self) -> IoResult<bool> {
        match &self.layer {
            Layer::Text(t) => t.seekable(),
            Layer::Buffered(b) => b.seekable(),
            Layer::Raw(r) => r.seekable(),
            Layer::Detached(m) => Err(Self::detached(m)),
        }
    }

    /// The buffer size, or `None` for a raw file.
    pub fn buffer_size(&self) -> Option<usize> {
        match &self.layer {
            Layer::Text(t) => Some(t.buffer_size()),
            Layer::Buffered(b) => Some(b.buffer_size()),
            _ => None,
        }
    }

    /// Whether a text file flushes at each line end.
    pub fn line_buffering(&self) -> bool {
        matches!(&self.layer, Layer::Text(t) if t.line_buffering())
    }

    /// Raw calls and bytes this file has made so far.
    pub fn counts(&self) -> IoCounts {
        match &self.layer {
            Layer::Text(t) => t.counts(),
            Layer::Buffered(b) => b.counts(),
            Layer::Raw(r) => r.counts(),
            Layer::Detached(_) => IoCounts::default(),
        }
    }

    /// Separates the layer below and returns it (text → buffered, buffered → raw); this
    /// object then fails every call with Python's "detached" message.
    pub fn detach(&mut self) -> IoResult<File> {
        let tree = Rc::clone(&self.tree);
        match std::mem::replace(&mut self.layer, Layer::Detached(TEXT_DETACHED)) {
            Layer::Text(t) => match t.detach() {
                Ok(buffered) => Ok(File::buffered(buffered, tree)),
                Err((t, e)) => {
                    self.layer = Layer::Text(t);
                    Err(e)
                }
            },
            Layer::Buffered(b) => match b.detach() {
                Ok(raw) => {
                    self.layer = Layer::Detached(BUFFER_DETACHED);
                    Ok(File::raw(raw, tree))
                }
                Err((b, e)) => {
                    self.layer = Layer::Buffered(b);
                    Err(e)
                }
            },
            Layer::Raw(r) => {
                self.layer = Layer::Raw(r);
                Err(IoError::unsupported("detach"))
            }
            Layer::Detached(m) => {
                self.layer = Layer::Detached(m);
                Err(Self::detached(m))
            }
        }
    }
}

/// Closing on drop: an error then (a flush that fails) is recorded, never a panic.
impl Drop for File {
    fn drop(&mut self) {
        if let Err(e) = self.close() {
            if !matches!(self.layer, Layer::Detached(_)) {
                let name = self.name().unwrap_or_default();
                let note =
                    format!("Exception ignored while closing {name:?}: {}: {e}", e.kind().python_name());
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
        match self.file.readline() {
            Ok(line) if line.is_empty() => None,
            other => Some(other),
        }
    }
}

//! What every layer of a file answers, after CPython's `Lib/_pyio.py`: the [`File`]
//! façade calls its layer (held as an `AnyLayer`), and each layer implements only what it has.
//!
//! The default methods say what a layer without the method says, as `_pyio` does:
//!
//! - a text call on a binary layer, or the reverse, is the façade's `TypeError`;
//! - a call only some layers make is `IOBase._unsupported`'s `UnsupportedOperation`;
//! - the questions a wrapper does not answer itself (name, descriptor, closed, ...) pass
//!   to the layer below, as `_BufferedIOMixin` passes them to `self.raw`.
//!
//! Every default asks [`Layer::check_attached`] first (`_checkClosed`'s part), so the
//! [`Detached`] layer `detach` leaves behind answers Python's "detached" `ValueError` to
//! everything by overriding that one method. It keeps its former kind, class and mode.
//!
//! [`File`]: super::File

use super::any_layer::{AnyLayer, Detach};
use super::bytes::Bytes;
use super::counters::IoCounts;
use super::error::{ErrorKind, IoError, IoResult};
use crate::pyrepr::str_repr;

/// Which layer a [`File`](super::File) is, as Python's class names say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `TextIOWrapper`.
    Text,
    /// `BufferedReader`, `BufferedWriter` or `BufferedRandom`.
    Buffered,
    /// `FileIO`.
    Raw,
}

/// A boxed layer as a `Box<dyn Layer>`, which a default method cannot make by itself
/// (its `Self` may be unsized).
pub(super) trait IntoLayer {
    fn into_layer(self: Box<Self>) -> Box<dyn Layer>;
}

impl<L: Layer + 'static> IntoLayer for L {
    fn into_layer(self: Box<Self>) -> Box<dyn Layer> {
        self
    }
}

/// One layer of an open file: text, buffered, raw, or what `detach` left.
pub(super) trait Layer: IntoLayer {
    // --- What it is (kept by a detached layer) ---------------------------------------

    /// Which layer it is.
    fn kind(&self) -> FileKind;

    /// The Python class it would be.
    fn class_name(&self) -> &'static str;

    /// The mode: as given for text, as `FileIO` spells it for binary.
    fn mode(&self) -> &str;

    /// The layer it wraps, which answers what it passes on.
    fn below(&self) -> Option<&dyn Layer> {
        None
    }

    /// Fails with Python's "detached" `ValueError` if this is what `detach` left.
    fn check_attached(&self) -> IoResult<()> {
        Ok(())
    }

    // --- Text or binary --------------------------------------------------------------

    /// Reads up to `n` characters, or all the rest with `None`.
    fn read_text(&mut self, _n: Option<usize>) -> IoResult<String> {
        Err(self.wrong_type("read() returns text from text files; use read_bytes() in binary mode"))
    }

    /// Reads one line of text, keeping its `\n`.
    fn readline(&mut self) -> IoResult<String> {
        Err(self.wrong_type("readline() returns text; use readline_bytes() in binary mode"))
    }

    /// The next line of a `for line in f` loop (Python's `__next__`): a text layer turns
    /// its `tell` off until the loop ends.
    fn next_line(&mut self) -> IoResult<String> {
        self.readline()
    }

    /// Writes text; returns the number of characters.
    fn write(&mut self, _text: &str) -> IoResult<usize> {
        Err(self.type_error("a bytes-like object is required, not 'str'"))
    }

    /// Reads up to `n` bytes, or all the rest with `None`.
    fn read_bytes(&mut self, _n: Option<usize>) -> IoResult<Bytes> {
        Err(self.wrong_type("read_bytes() needs a binary file; use read() in text mode"))
    }

    /// Reads into `buf` (Python's `readinto`): at most `buf.len()` bytes, how many came.
    /// A text file has no `readinto` at all: CPython's `TextIOWrapper` raises
    /// `AttributeError`, detached or not.
    fn read_into(&mut self, _buf: &mut [u8]) -> IoResult<usize> {
        Err(no_attribute(self.class_name(), "readinto"))
    }

    /// Reads one line of bytes, keeping its `\n`.
    fn readline_bytes(&mut self) -> IoResult<Bytes> {
        Err(self.wrong_type("readline_bytes() needs a binary file"))
    }

    /// Writes bytes; returns how many.
    fn write_bytes(&mut self, _data: &[u8]) -> IoResult<usize> {
        Err(self.type_error("write() argument must be str, not bytes"))
    }

    // --- Each layer's own ------------------------------------------------------------

    /// Moves the position: `whence` 0 from the start, 1 from here, 2 from the end.
    fn seek(&mut self, _offset: i64, _whence: i32) -> IoResult<u64> {
        Err(self.unsupported("seek"))
    }

    /// The current position.
    fn tell(&mut self) -> IoResult<u64> {
        Err(self.unsupported("tell"))
    }

    /// Cuts or extends the file to `size` bytes (the position by default).
    fn truncate(&mut self, _size: Option<i64>) -> IoResult<u64> {
        Err(self.unsupported("truncate"))
    }

    /// Writes what is buffered to the file.
    fn flush(&mut self) -> IoResult<()> {
        Err(self.unsupported("flush"))
    }

    /// Flushes and closes; closing twice is fine.
    fn close(&mut self) -> IoResult<()> {
        Err(self.unsupported("close"))
    }

    /// Flushes and hands over the layer below. A raw file has no `detach` at all: CPython's
    /// `FileIO` raises `AttributeError`, not `UnsupportedOperation`.
    fn detach(self: Box<Self>) -> Detach {
        let e = self.check_attached().err().unwrap_or_else(|| no_attribute(self.class_name(), "detach"));
        Err((AnyLayer::Other(self.into_layer()), e))
    }

    /// Whether a text layer flushes at each line end.
    fn line_buffering(&self) -> bool {
        false
    }

    // --- Passed on to the layer below ------------------------------------------------

    /// The path the file was opened with.
    fn name(&self) -> IoResult<&str> {
        self.pass_on("name")?.name()
    }

    /// Whether the file is closed.
    fn closed(&self) -> IoResult<bool> {
        self.pass_on("closed")?.closed()
    }

    /// The descriptor number.
    fn fileno(&self) -> IoResult<i32> {
        self.pass_on("fileno")?.fileno()
    }

    /// Whether reads are allowed.
    fn readable(&self) -> IoResult<bool> {
        self.pass_on("readable")?.readable()
    }

    /// Whether writes are allowed.
    fn writable(&self) -> IoResult<bool> {
        self.pass_on("writable")?.writable()
    }

    /// Whether seeks are allowed.
    fn seekable(&self) -> IoResult<bool> {
        self.pass_on("seekable")?.seekable()
    }

    /// The buffer size, or `None` with no buffer.
    fn buffer_size(&self) -> Option<usize> {
        self.below().and_then(Layer::buffer_size)
    }

    /// Raw calls and bytes made so far (none once detached).
    fn counts(&self) -> IoCounts {
        self.below().map(Layer::counts).unwrap_or_default()
    }

    // --- The defaults' answers -------------------------------------------------------

    /// The layer below, or this layer's answer for `method` when there is none.
    fn pass_on(&self, method: &str) -> IoResult<&dyn Layer> {
        self.below().ok_or_else(|| self.unsupported(method))
    }

    /// `io.UnsupportedOperation: method` (or "detached").
    #[cold]
    fn unsupported(&self, method: &str) -> IoError {
        self.check_attached().err().unwrap_or_else(|| IoError::unsupported(method))
    }

    /// The façade's `TypeError` for a call of the other kind of file (or "detached").
    #[cold]
    fn type_error(&self, message: &str) -> IoError {
        self.check_attached().err().unwrap_or_else(|| IoError::new(ErrorKind::Type, message))
    }

    /// [`Layer::type_error`], naming the mode the file is open in.
    #[cold]
    fn wrong_type(&self, what: &str) -> IoError {
        self.type_error(&format!("{what} (this file is open in mode {})", str_repr(self.mode())))
    }
}

/// Python's `AttributeError` for a method the class does not have.
#[cold]
fn no_attribute(class: &str, method: &str) -> IoError {
    IoError::new(ErrorKind::Attribute, format!("'_io.{class}' object has no attribute '{method}'"))
}

/// Python's messages for a detached text and buffered object.
const TEXT_DETACHED: &str = "underlying buffer has been detached";
const BUFFER_DETACHED: &str = "raw stream has been detached";

/// What `detach` leaves behind: every call fails with Python's "detached" message; what
/// the layer was (kind, class, mode) stays.
pub(super) struct Detached {
    kind: FileKind,
    class: &'static str,
    mode: String,
}

impl Detached {
    /// What `layer` leaves once detached.
    pub(super) fn of(layer: &dyn Layer) -> Detached {
        Detached { kind: layer.kind(), class: layer.class_name(), mode: layer.mode().to_string() }
    }
}

impl Detached {
    /// Python's answer for a method a detached writer (or reader) never had: the one
    /// `BufferedIOBase` gives, before any check of the raw stream.
    fn inherited(&self, class: &str, method: &str) -> IoResult<()> {
        if self.class == class {
            return Err(IoError::unsupported(method));
        }
        self.check_attached()
    }
}

/// What `detach` leaves answers like Python's detached object: everything is "detached",
/// except what the class inherits from `IOBase` without looking at its raw stream (a
/// `BufferedWriter`'s `read` and `readable`, a `BufferedReader`'s `write` and `writable`).
impl Layer for Detached {
    fn kind(&self) -> FileKind {
        self.kind
    }

    fn read_bytes(&mut self, _n: Option<usize>) -> IoResult<Bytes> {
        self.inherited("BufferedWriter", "read").map(|()| Bytes::new())
    }

    fn readline_bytes(&mut self) -> IoResult<Bytes> {
        self.inherited("BufferedWriter", "read").map(|()| Bytes::new())
    }

    /// A detached writer's `readinto` is `BufferedIOBase`'s, which calls `read`.
    fn read_into(&mut self, _buf: &mut [u8]) -> IoResult<usize> {
        if self.kind == FileKind::Text {
            return Err(no_attribute(self.class, "readinto"));
        }
        self.inherited("BufferedWriter", "read").map(|()| 0)
    }

    fn write_bytes(&mut self, _data: &[u8]) -> IoResult<usize> {
        self.inherited("BufferedReader", "write").map(|()| 0)
    }

    fn readable(&self) -> IoResult<bool> {
        if self.class == "BufferedWriter" {
            return Ok(false);
        }
        self.check_attached().map(|()| false)
    }

    fn writable(&self) -> IoResult<bool> {
        if self.class == "BufferedReader" {
            return Ok(false);
        }
        self.check_attached().map(|()| false)
    }

    fn class_name(&self) -> &'static str {
        self.class
    }

    fn mode(&self) -> &str {
        &self.mode
    }

    fn check_attached(&self) -> IoResult<()> {
        let message = if self.kind == FileKind::Text { TEXT_DETACHED } else { BUFFER_DETACHED };
        Err(IoError::new(ErrorKind::Value, message))
    }
}

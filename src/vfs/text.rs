//! The text layer (Python's `TextIOWrapper`): UTF-8 on top of a buffered file, with
//! universal newlines on read (`\r\n` and `\r` read as `\n`), line buffering on request,
//! and Python's chunked read-ahead (8192 bytes at a time), whose effects a person can
//! see: after a read, `tell` is exact but the buffer's own position has moved ahead.

use super::buffered::Buffered;
use super::counters::IoCounts;
use super::error::{ErrorKind, IoError, IoResult, CLOSED};
use super::raw::invalid_whence;

/// How many bytes the text layer reads or gathers before passing them on.
pub const CHUNK_SIZE: usize = 8192;

/// A text file over a buffered one.
pub struct TextFile {
    buffer: Buffered,
    line_buffering: bool,
    /// Encoded text waiting to be handed to the buffer.
    pending: Vec<u8>,
    /// The decoded chunk being consumed, and how much of it (in bytes of the string).
    decoded: String,
    used: usize,
    /// Where the decoded chunk's bytes start in the file, and those bytes.
    snapshot: Option<(u64, Vec<u8>)>,
    /// Decoder state: bytes of an incomplete character, and a `\r` held back to see if
    /// `\n` follows.
    carry: Vec<u8>,
    pending_cr: bool,
}

impl TextFile {
    /// A text layer over `buffer`, flushing after each line when `line_buffering`.
    pub fn new(buffer: Buffered, line_buffering: bool) -> TextFile {
        TextFile {
            buffer,
            line_buffering,
            pending: Vec::new(),
            decoded: String::new(),
            used: 0,
            snapshot: None,
            carry: Vec::new(),
            pending_cr: false,
        }
    }

    /// Whether writes flush at each line end.
    pub fn line_buffering(&self) -> bool {
        self.line_buffering
    }

    fn check_closed(&self) -> IoResult<()> {
        if self.buffer.closed() {
            return Err(IoError::closed(CLOSED));
        }
        Ok(())
    }

    fn check_readable(&self) -> IoResult<()> {
        self.check_closed()?;
        if !self.buffer.readable()? {
            return Err(IoError::unsupported("not readable"));
        }
        Ok(())
    }

    fn write_pending(&mut self) -> IoResult<()> {
        if !self.pending.is_empty() {
            let data = std::mem::take(&mut self.pending);
            self.buffer.write(&data)?;
        }
        Ok(())
    }

    fn reset_decoder(&mut self) {
        self.decoded.clear();
        self.used = 0;
        self.snapshot = None;
        self.carry.clear();
        self.pending_cr = false;
    }

    /// Decodes `bytes` after the carried state; `last` ends the stream.
    fn decode(&mut self, mut bytes: Vec<u8>, last: bool) -> IoResult<String> {
        let mut input = std::mem::take(&mut self.carry);
        input.append(&mut bytes);
        let text = match std::str::from_utf8(&input) {
            Ok(text) => text.to_string(),
            Err(e) if e.error_len().is_none() && !last => {
                let valid = e.valid_up_to();
                self.carry = input[valid..].to_vec();
                String::from_utf8_lossy(&input[..valid]).into_owned()
            }
            Err(e) => return Err(decode_error(&input, e)),
        };
        let mut text = if std::mem::take(&mut self.pending_cr) { format!("\r{text}") } else { text };
        if !last && text.ends_with('\r') {
            text.pop();
            self.pending_cr = true;
        }
        Ok(if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
    }

    /// Reads the next chunk into `decoded`; `false` at the end of the file.
    fn read_chunk(&mut self, size_hint: usize) -> IoResult<bool> {
        let start = self.buffer.tell()? - self.carry.len() as u64;
        let carried = self.carry.clone();
        let chunk = self.buffer.read1(Some(CHUNK_SIZE.max(size_hint)))?;
        let eof = chunk.is_empty();
        let mut bytes = carried;
        bytes.extend_from_slice(&chunk);
        self.decoded = self.decode(chunk, eof)?;
        self.used = 0;
        self.snapshot = Some((start, bytes));
        Ok(!eof)
    }

    fn rest(&self) -> &str {
        &self.decoded[self.used..]
    }

    /// Reads `n` characters (fewer at the end), or all the rest with `None`.
    pub fn read(&mut self, n: Option<usize>) -> IoResult<String> {
        self.check_readable()?;
        self.write_pending()?;
        let Some(n) = n else {
            let bytes = self.buffer.read(None)?;
            let mut out = self.rest().to_string();
            out.push_str(&self.decode(bytes, true)?);
            self.reset_decoder();
            return Ok(out);
        };
        let mut out = String::new();
        let mut wanted = n;
        loop {
            let rest = self.rest();
            let take: usize = rest.chars().take(wanted).map(char::len_utf8).sum();
            let taken = rest[..take].chars().count();
            out.push_str(&rest[..take]);
            self.used += take;
            wanted -= taken;
            if wanted == 0 || !self.read_chunk(wanted)? {
                break;
            }
        }
        Ok(out)
    }

    /// Reads one line, keeping its `\n`; `""` at the end of the file.
    pub fn readline(&mut self) -> IoResult<String> {
        self.check_readable()?;
        self.write_pending()?;
        let mut line = String::new();
        loop {
            if let Some(i) = self.rest().find('\n') {
                line.push_str(&self.rest()[..=i]);
                self.used += i + 1;
                return Ok(line);
            }
            line.push_str(self.rest());
            self.used = self.decoded.len();
            if !self.read_chunk(0)? {
                if self.decoded.is_empty() {
                    self.snapshot = None;
                }
                line.push_str(self.rest());
                self.used = self.decoded.len();
                return Ok(line);
            }
        }
    }

    /// Writes text; returns the number of characters. With line buffering, a line end
    /// in `text` flushes everything to the file.
    pub fn write(&mut self, text: &str) -> IoResult<usize> {
        self.check_closed()?;
        if !self.buffer.writable()? {
            return Err(IoError::unsupported("not writable"));
        }
        let needs_flush = self.line_buffering && (text.contains('\n') || text.contains('\r'));
        if self.pending.len() + text.len() > CHUNK_SIZE {
            self.write_pending()?;
        }
        self.pending.extend_from_slice(text.as_bytes());
        if self.pending.len() >= CHUNK_SIZE || needs_flush {
            self.write_pending()?;
        }
        if needs_flush {
            self.buffer.flush()?;
        }
        self.reset_decoder();
        Ok(text.chars().count())
    }

    /// Hands pending text to the buffer and flushes it to the file.
    pub fn flush(&mut self) -> IoResult<()> {
        self.check_closed()?;
        self.write_pending()?;
        self.buffer.flush()
    }

    /// The position as a byte offset (Python's opaque cookie, which for UTF-8 text read
    /// at character boundaries is this offset).
    pub fn tell(&mut self) -> IoResult<u64> {
        self.check_closed()?;
        self.write_pending()?;
        self.buffer.flush()?;
        let position = self.buffer.tell()?;
        let Some((start, bytes)) = &self.snapshot else { return Ok(position) };
        if self.used == 0 {
            return Ok(*start);
        }
        Ok(start + consumed_bytes(bytes, &self.decoded[..self.used]) as u64)
    }

    /// Python's text seek: to a position from `tell` (`whence` 0), or `seek(0, 1)` and
    /// `seek(0, 2)`; other relative moves are `UnsupportedOperation`.
    pub fn seek(&mut self, cookie: i64, whence: i32) -> IoResult<u64> {
        self.check_closed()?;
        let cookie = match whence {
            1 if cookie != 0 => return Err(IoError::unsupported("can't do nonzero cur-relative seeks")),
            1 => self.tell()? as i64,
            2 if cookie != 0 => return Err(IoError::unsupported("can't do nonzero end-relative seeks")),
            2 => {
                self.flush()?;
                self.reset_decoder();
                return self.buffer.seek(0, 2);
            }
            0 => cookie,
            other => return Err(invalid_whence(other)),
        };
        if cookie < 0 {
            return Err(IoError::new(ErrorKind::Value, format!("negative seek position {cookie}")));
        }
        self.flush()?;
        self.reset_decoder();
        self.buffer.seek(cookie, 0)?;
        Ok(cookie as u64)
    }

    /// Flushes, then truncates at `size` (by default the buffer's position, which after
    /// reading is past the read-ahead, as in Python).
    pub fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.flush()?;
        self.buffer.truncate(size)
    }

    /// Flushes and closes; closing twice is fine. The file closes even if the flush fails.
    pub fn close(&mut self) -> IoResult<()> {
        if self.buffer.closed() {
            return Ok(());
        }
        let flushed = self.write_pending();
        let closed = self.buffer.close();
        flushed.and(closed)
    }

    /// Whether the file is closed.
    pub fn closed(&self) -> bool {
        self.buffer.closed()
    }

    /// Flushes and hands back the buffered file.
    pub fn detach(mut self) -> Result<Buffered, (TextFile, IoError)> {
        match self.flush() {
            Ok(()) => Ok(self.buffer),
            Err(e) => Err((self, e)),
        }
    }

    /// The descriptor.
    pub fn fileno(&self) -> IoResult<i32> {
        self.buffer.fileno()
    }

    /// Whether reads are allowed.
    pub fn readable(&self) -> IoResult<bool> {
        self.buffer.readable()
    }

    /// Whether writes are allowed.
    pub fn writable(&self) -> IoResult<bool> {
        self.buffer.writable()
    }

    /// Whether seeks are allowed.
    pub fn seekable(&self) -> IoResult<bool> {
        self.buffer.seekable()
    }

    /// The name it was opened with.
    pub fn name(&self) -> &str {
        self.buffer.name()
    }

    /// The buffer size of the layer below.
    pub fn buffer_size(&self) -> usize {
        self.buffer.buffer_size()
    }

    /// Raw calls and bytes of the file below.
    pub fn counts(&self) -> IoCounts {
        self.buffer.counts()
    }
}

/// How many bytes of `bytes` decode (with newline translation) to `text`.
fn consumed_bytes(bytes: &[u8], text: &str) -> usize {
    let mut chars = text.chars().count();
    let mut i = 0;
    while chars > 0 && i < bytes.len() {
        let width = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
            b if b < 0x80 => 1,
            b if b >= 0xF0 => 4,
            b if b >= 0xE0 => 3,
            _ => 2,
        };
        i += width;
        chars -= 1;
    }
    i.min(bytes.len())
}

/// Python's `UnicodeDecodeError` message for `input`.
fn decode_error(input: &[u8], e: std::str::Utf8Error) -> IoError {
    let at = e.valid_up_to();
    let byte = input[at];
    let reason = match e.error_len() {
        None => "unexpected end of data",
        Some(_) if (0xC2..=0xF4).contains(&byte) => "invalid continuation byte",
        Some(_) => "invalid start byte",
    };
    IoError::new(
        ErrorKind::UnicodeDecode,
        format!("'utf-8' codec can't decode byte 0x{byte:02x} in position {at}: {reason}"),
    )
}

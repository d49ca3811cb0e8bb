//! The text layer (Python's `TextIOWrapper` with `encoding="utf-8"`): UTF-8 on top of a
//! buffered file, newlines as its `newline` argument says ([`Newline`]: by default
//! universal newlines on read, `\r\n` and `\r` read as `\n`), line buffering on request,
//! and Python's chunked read-ahead (8192 bytes at a time), whose effects a person can see:
//! after a read, `tell` is exact but the buffer's own position has moved ahead.
//!
//! This is a port of CPython's `Modules/_io/textio.c`: written text waits in a list of
//! pending bytes until 8192 of them gather, a line ends (with line buffering), or any
//! read, seek or tell needs the buffer; reads decode one chunk at a time and keep a
//! *snapshot* (the decoder's state and the bytes fed to it since) from which `tell`
//! rebuilds the position by decoding again.

use super::any_layer::{AnyLayer, Detach};
use super::buffered::Buffered;
use super::error::{ErrorKind, IoError, IoResult, CLOSED};
use super::layer::{FileKind, Layer};
use super::raw::invalid_whence;

/// How many bytes the text layer reads or gathers before passing them on.
pub const CHUNK_SIZE: usize = 8192;

/// Python's `newline` argument of a text file: which line ends `readline` stops at, what
/// reading makes of them, and what `\n` is written as (on Linux, where `os.linesep` is
/// `\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Newline {
    /// `None`: `\n`, `\r\n` and `\r` all end a line and read as `\n`.
    #[default]
    Universal,
    /// `''`: all three end a line, and read as they are.
    Untranslated,
    /// `'\n'`, `'\r'` or `'\r\n'`: only this ends a line; `\n` is written as this.
    Only(&'static str),
}

impl Newline {
    /// The argument as Python checks it (`ValueError: illegal newline value: x`).
    pub fn parse(value: Option<&str>) -> IoResult<Newline> {
        Ok(match value {
            None => Newline::Universal,
            Some("") => Newline::Untranslated,
            Some("\n") => Newline::Only("\n"),
            Some("\r") => Newline::Only("\r"),
            Some("\r\n") => Newline::Only("\r\n"),
            Some(other) => {
                return Err(IoError::new(ErrorKind::Value, format!("illegal newline value: {other}")))
            }
        })
    }

    /// What a written `\n` becomes, when it is not itself.
    fn written(self) -> Option<&'static str> {
        match self {
            Newline::Only(end) if end != "\n" => Some(end),
            _ => None,
        }
    }

    /// Where the first line of `chars` ends (just past its end), if it ends there. Read
    /// with universal newlines, a `\r` last in `chars` is the end of the file (the decoder
    /// holds one back otherwise, so `\r\n` never splits).
    fn line_end(self, chars: &[char]) -> Option<usize> {
        match self {
            Newline::Universal => chars.iter().position(|&c| c == '\n').map(|i| i + 1),
            Newline::Untranslated => {
                let i = chars.iter().position(|&c| c == '\n' || c == '\r')?;
                Some(if chars[i] == '\r' && chars.get(i + 1) == Some(&'\n') { i + 2 } else { i + 1 })
            }
            Newline::Only("\r\n") => chars.windows(2).position(|w| w == ['\r', '\n']).map(|i| i + 2),
            Newline::Only(end) => {
                let end = if end == "\r" { '\r' } else { '\n' };
                chars.iter().position(|&c| c == end).map(|i| i + 1)
            }
        }
    }
}

/// Python's incremental UTF-8 decoder, inside an `IncrementalNewlineDecoder` (which holds
/// back a final `\r`, and translates newlines when asked) for universal newlines.
#[derive(Debug, Clone, Default)]
struct Decoder {
    /// Bytes of an incomplete character, waiting for the rest.
    pending: Vec<u8>,
    /// A `\r` held back to see whether `\n` follows.
    pending_cr: bool,
    newline: Newline,
}

impl Decoder {
    fn new(newline: Newline) -> Decoder {
        Decoder { newline, ..Decoder::default() }
    }

    /// Decodes `input` after what is held; `last` ends the stream. On an error nothing
    /// changes (Python's decoder keeps its state, and the input is lost to the caller).
    fn decode(&mut self, input: &[u8], last: bool) -> IoResult<String> {
        let mut data = self.pending.clone();
        data.extend_from_slice(input);
        let (text, rest) = match std::str::from_utf8(&data) {
            Ok(text) => (text.to_string(), Vec::new()),
            Err(e) if e.error_len().is_none() && !last => {
                let valid = e.valid_up_to();
                (String::from_utf8_lossy(&data[..valid]).into_owned(), data[valid..].to_vec())
            }
            Err(e) => return Err(decode_error(&data, e)),
        };
        self.pending = rest;
        let mut text = text;
        if matches!(self.newline, Newline::Only(_)) {
            return Ok(text);
        }
        if self.pending_cr && (last || !text.is_empty()) {
            text.insert(0, '\r');
            self.pending_cr = false;
        }
        if !last && text.ends_with('\r') {
            text.pop();
            self.pending_cr = true;
        }
        let translate = self.newline == Newline::Universal && text.contains('\r');
        Ok(if translate { text.replace("\r\n", "\n").replace('\r', "\n") } else { text })
    }

    /// `getstate()`: the held bytes and the flags (`1` for a held-back `\r`).
    fn state(&self) -> (Vec<u8>, i64) {
        (self.pending.clone(), i64::from(self.pending_cr))
    }

    /// `setstate((b"", flags))`, or `reset()` at the start of the file, as `seek` does.
    fn restart(&mut self, flags: i64) {
        self.pending.clear();
        self.pending_cr = flags & 1 == 1;
    }
}

/// The fields of Python's opaque text position.
#[derive(Debug, Default)]
struct Cookie {
    start_pos: i64,
    dec_flags: i64,
    bytes_to_feed: i64,
    chars_to_skip: i64,
    need_eof: bool,
}

/// A text file over a buffered one.
pub struct TextFile {
    buffer: Buffered,
    /// The mode as given to `open` (`r`, `w+`, `at`, ...).
    mode: String,
    line_buffering: bool,
    newline: Newline,
    /// `None` when the file is not readable (Python has no decoder then).
    decoder: Option<Decoder>,
    writable: bool,
    /// Encoded text not yet handed to the buffer.
    pending: Vec<u8>,
    /// The decoded chunk being consumed, and how many of its characters are used.
    decoded: Option<Vec<char>>,
    used: usize,
    /// The decoder's flags before the chunk, and the bytes fed to it since.
    snapshot: Option<(i64, Vec<u8>)>,
    /// Bytes per character of the last chunk (a hint for `tell` and for read sizes).
    b2cratio: f64,
    /// Whether `tell` works: off from a line loop's first line until it ends, a flush or
    /// a seek (CPython's `telling`; the files here are always seekable).
    telling: bool,
}

impl TextFile {
    /// A text layer over `buffer`, opened with `mode`, flushing after each line when
    /// `line_buffering`, its line ends as `newline` says.
    pub fn new(buffer: Buffered, mode: &str, line_buffering: bool, newline: Newline) -> TextFile {
        let decoder = matches!(buffer.readable(), Ok(true)).then(|| Decoder::new(newline));
        let writable = matches!(buffer.writable(), Ok(true));
        TextFile {
            buffer,
            mode: mode.to_string(),
            line_buffering,
            newline,
            decoder,
            writable,
            pending: Vec::new(),
            decoded: None,
            used: 0,
            snapshot: None,
            b2cratio: 0.0,
            telling: true,
        }
    }

    fn check_closed(&self) -> IoResult<()> {
        if self.buffer.is_closed() {
            return Err(IoError::closed(CLOSED));
        }
        Ok(())
    }

    fn not_readable() -> IoError {
        IoError::unsupported("not readable")
    }

    /// `_textiowrapper_writeflush`: hands the pending bytes to the buffer. They are taken
    /// first, so a failing write loses them, as in CPython.
    fn write_pending(&mut self) -> IoResult<()> {
        if !self.pending.is_empty() {
            let data = std::mem::take(&mut self.pending);
            self.buffer.write_bytes(&data)?;
        }
        Ok(())
    }

    fn set_decoded(&mut self, chars: Option<Vec<char>>) {
        self.decoded = chars;
        self.used = 0;
    }

    /// Takes up to `n` characters (all with `None`) of the decoded chunk.
    fn take_decoded(&mut self, n: Option<usize>) -> String {
        let Some(decoded) = &self.decoded else { return String::new() };
        let avail = decoded.len() - self.used;
        let n = n.map_or(avail, |n| n.min(avail));
        let out = decoded[self.used..self.used + n].iter().collect();
        self.used += n;
        out
    }

    /// `textiowrapper_read_chunk`: reads (with `read1`) and decodes the next chunk, noting
    /// a snapshot for `tell`; `false` at the end of the file.
    fn read_chunk(&mut self, size_hint: usize) -> IoResult<bool> {
        let (dec_buffer, dec_flags) = match &self.decoder {
            Some(decoder) => decoder.state(),
            None => return Err(Self::not_readable()),
        };
        let size_hint =
            if size_hint > 0 { (self.b2cratio.max(1.0) * size_hint as f64) as usize } else { size_hint };
        let input = self.buffer.read1(Some(CHUNK_SIZE.max(size_hint)))?;
        let eof = input.is_empty();
        let Some(decoder) = self.decoder.as_mut() else { return Err(Self::not_readable()) };
        let chars: Vec<char> = decoder.decode(&input, eof)?.chars().collect();
        let nchars = chars.len();
        self.set_decoded(Some(chars));
        self.b2cratio = if nchars > 0 { input.len() as f64 / nchars as f64 } else { 0.0 };
        // CPython notes where `tell` starts only while `tell` works: a line loop leaves the
        // snapshot it found (which a flush makes `tell` use again).
        if self.telling {
            let mut next_input = dec_buffer;
            next_input.extend_from_slice(&input);
            self.snapshot = Some((dec_flags, next_input));
        }
        Ok(nchars > 0 || !eof)
    }
}

impl Layer for TextFile {
    fn kind(&self) -> FileKind {
        FileKind::Text
    }

    fn class_name(&self) -> &'static str {
        "TextIOWrapper"
    }

    /// The mode as given to `open`.
    fn mode(&self) -> &str {
        &self.mode
    }

    /// The buffered file answers the rest (name, descriptor, closed, buffer size, ...).
    fn below(&self) -> Option<&dyn Layer> {
        Some(&self.buffer)
    }

    /// Reads `n` characters (fewer at the end), or all the rest with `None`.
    fn read_text(&mut self, n: Option<usize>) -> IoResult<String> {
        self.check_closed()?;
        if self.decoder.is_none() {
            return Err(Self::not_readable());
        }
        self.write_pending()?;
        let Some(n) = n else {
            let bytes = self.buffer.read_bytes(None)?;
            let Some(decoder) = self.decoder.as_mut() else { return Err(Self::not_readable()) };
            let decoded = decoder.decode(&bytes, true)?;
            let mut out = self.take_decoded(None);
            out.push_str(&decoded);
            self.snapshot = None;
            return Ok(out);
        };
        let mut out = self.take_decoded(Some(n));
        let mut remaining = n - out.chars().count();
        while remaining > 0 {
            if !self.read_chunk(remaining)? {
                break;
            }
            let more = self.take_decoded(Some(remaining));
            remaining -= more.chars().count();
            out.push_str(&more);
        }
        Ok(out)
    }

    /// Reads one line, keeping its `\n`; `""` at the end of the file.
    fn readline(&mut self) -> IoResult<String> {
        self.check_closed()?;
        self.write_pending()?;
        let mut line = String::new();
        loop {
            // A chunk is read only when there is none, or it is empty (not merely used up).
            if self.decoded.as_ref().is_none_or(Vec::is_empty) {
                let mut more = true;
                while more && self.decoded.as_ref().is_none_or(Vec::is_empty) {
                    more = self.read_chunk(0)?;
                }
                if !more {
                    self.set_decoded(None);
                    self.snapshot = None;
                    return Ok(line);
                }
            }
            let Some(decoded) = self.decoded.as_ref() else { return Ok(line) };
            // A `\r\n` line end split between two chunks (no decoder holds its `\r` back).
            let split = self.newline == Newline::Only("\r\n") && line.ends_with('\r');
            let end = match self.newline.line_end(&decoded[self.used..]) {
                _ if split && decoded.get(self.used) == Some(&'\n') => Some(1),
                end => end,
            };
            if let Some(end) = end {
                line.extend(&decoded[self.used..self.used + end]);
                self.used += end;
                return Ok(line);
            }
            line.extend(&decoded[self.used..]);
            self.set_decoded(None);
        }
    }

    /// `__next__`: `tell` is off while a loop runs; the end of the file turns it back on,
    /// a failed line does not.
    fn next_line(&mut self) -> IoResult<String> {
        self.telling = false;
        let line = self.readline()?;
        if line.is_empty() {
            self.snapshot = None;
            self.telling = true;
        }
        Ok(line)
    }

    /// Writes text; returns the number of characters. With line buffering, a line end
    /// in `text` flushes everything to the file.
    fn write(&mut self, text: &str) -> IoResult<usize> {
        self.check_closed()?;
        if !self.writable {
            return Err(IoError::unsupported("not writable"));
        }
        let count = text.chars().count();
        let needflush = self.line_buffering && (text.contains('\n') || text.contains('\r'));
        let translated = self.newline.written().map(|end| text.replace('\n', end));
        let bytes = translated.as_deref().unwrap_or(text).as_bytes();
        if self.pending.len() + bytes.len() > CHUNK_SIZE {
            self.write_pending()?;
        }
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= CHUNK_SIZE || needflush {
            self.write_pending()?;
        }
        if needflush {
            self.buffer.flush()?;
        }
        self.set_decoded(None);
        self.snapshot = None;
        if let Some(decoder) = &mut self.decoder {
            decoder.restart(0);
        }
        Ok(count)
    }

    /// Hands pending text to the buffer and flushes it to the file (and turns `tell` back
    /// on, as CPython's does).
    fn flush(&mut self) -> IoResult<()> {
        self.check_closed()?;
        self.telling = true;
        self.write_pending()?;
        self.buffer.flush()
    }

    /// The position, Python's opaque cookie: rebuilt from the snapshot by decoding again
    /// up to the characters used. For UTF-8 text with no `\r` held back this is the byte
    /// offset; a cookie that also needs decoder flags or characters to skip does not fit
    /// in a `u64`, so its byte offset alone is returned.
    fn tell(&mut self) -> IoResult<u64> {
        self.check_closed()?;
        if !self.telling {
            return Err(IoError::new(ErrorKind::Os, "telling position disabled by next() call"));
        }
        self.write_pending()?;
        self.flush()?;
        let position = self.buffer.tell()? as i64;
        let (Some(decoder), Some((dec_flags, next_input))) = (&self.decoder, &self.snapshot) else {
            return Ok(position as u64);
        };
        let mut cookie = Cookie {
            start_pos: position - next_input.len() as i64,
            dec_flags: *dec_flags,
            ..Cookie::default()
        };
        if self.used == 0 {
            return Ok(cookie_value(&cookie));
        }
        // CPython works on its decoder and restores its state at the end; a copy does both.
        let mut d = decoder.clone();
        let decoded_len =
            |d: &mut Decoder, input: &[u8]| d.decode(input, false).map(|s| s.chars().count() as i64);
        let restart = |d: &mut Decoder, cookie: &Cookie| d.restart(cookie.dec_flags);
        let mut chars_to_skip = self.used as i64;
        // A quick search for a start point close to the position...
        // (Never past the snapshot: after a line loop read a chunk of its own, the snapshot
        // is the one from before the loop, as in CPython, whose C code then reads past it.)
        let mut skip_bytes = ((self.b2cratio * chars_to_skip as f64) as i64).min(next_input.len() as i64);
        let mut skip_back = 1;
        while skip_bytes > 0 {
            restart(&mut d, &cookie);
            let chars = decoded_len(&mut d, &next_input[..skip_bytes as usize])?;
            if chars <= chars_to_skip {
                let (held, flags) = d.state();
                if held.is_empty() {
                    cookie.dec_flags = flags;
                    chars_to_skip -= chars;
                    break;
                }
                skip_bytes -= held.len() as i64;
                skip_back = 1;
            } else {
                skip_bytes -= skip_back;
                skip_back *= 2;
            }
        }
        if skip_bytes <= 0 {
            skip_bytes = 0;
            restart(&mut d, &cookie);
        }
        cookie.start_pos += skip_bytes;
        // ...then one byte at a time, noting the last point where the decoder held nothing.
        if chars_to_skip != 0 {
            let mut chars_decoded = 0;
            let mut i = skip_bytes as usize;
            while i < next_input.len() {
                chars_decoded += decoded_len(&mut d, &next_input[i..=i])?;
                cookie.bytes_to_feed += 1;
                let (held, flags) = d.state();
                if held.is_empty() && chars_decoded <= chars_to_skip {
                    cookie.start_pos += cookie.bytes_to_feed;
                    chars_to_skip -= chars_decoded;
                    cookie.dec_flags = flags;
                    cookie.bytes_to_feed = 0;
                    chars_decoded = 0;
                }
                if chars_decoded >= chars_to_skip {
                    break;
                }
                i += 1;
            }
            if i == next_input.len() {
                chars_decoded += d.decode(b"", true)?.chars().count() as i64;
                cookie.need_eof = true;
                if chars_decoded < chars_to_skip {
                    return Err(IoError::new(ErrorKind::Os, "can't reconstruct logical file position"));
                }
            }
        }
        cookie.chars_to_skip = chars_to_skip;
        Ok(cookie_value(&cookie))
    }

    /// Python's text seek: to a position from `tell` (`whence` 0), or `seek(0, 1)` and
    /// `seek(0, 2)`; other relative moves are `UnsupportedOperation`.
    fn seek(&mut self, cookie: i64, whence: i32) -> IoResult<u64> {
        self.check_closed()?;
        let start_pos = match whence {
            1 if cookie != 0 => return Err(IoError::unsupported("can't do nonzero cur-relative seeks")),
            // `tell`'s cookie holds the byte offset in its low 64 bits, read back signed:
            // an offset `tell` found negative passes Python's sign check as a huge cookie
            // and fails at the system seek.
            1 => self.tell()? as i64,
            2 if cookie != 0 => return Err(IoError::unsupported("can't do nonzero end-relative seeks")),
            2 => {
                self.flush()?;
                self.set_decoded(None);
                self.snapshot = None;
                if let Some(decoder) = &mut self.decoder {
                    decoder.restart(0);
                }
                return self.buffer.seek(0, 2);
            }
            0 if cookie < 0 => {
                return Err(IoError::new(ErrorKind::Value, format!("negative seek position {cookie}")))
            }
            0 => cookie,
            other => return Err(invalid_whence(other)),
        };
        self.flush()?;
        // A cookie from this model is a byte offset with no decoder flags.
        self.buffer.seek(start_pos, 0)?;
        self.set_decoded(None);
        if let Some(decoder) = &mut self.decoder {
            decoder.restart(0);
        }
        self.snapshot = Some((0, Vec::new()));
        Ok(start_pos as u64)
    }

    /// Flushes, then truncates at `size` (by default the buffer's position, which after
    /// reading is past the read-ahead, as in Python). Decoded text already read ahead
    /// stays, as in CPython.
    fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.flush()?;
        self.buffer.truncate(size)
    }

    /// Flushes and closes; closing twice is fine. The file closes even if the flush fails.
    fn close(&mut self) -> IoResult<()> {
        if self.buffer.is_closed() {
            return Ok(());
        }
        let flushed = self.flush();
        let closed = self.buffer.close();
        flushed.and(closed)
    }

    /// Flushes and hands back the buffered file.
    fn detach(mut self: Box<Self>) -> Detach {
        match self.flush() {
            Ok(()) => Ok(AnyLayer::buffered(self.buffer)),
            Err(e) => Err((AnyLayer::Other(self), e)),
        }
    }

    /// Whether writes flush at each line end.
    fn line_buffering(&self) -> bool {
        self.line_buffering
    }
}

/// The cookie as a number: its byte offset when that is all it holds, as for UTF-8 text
/// with no `\r` held back. Python packs the other fields above bit 64, and the offset's
/// 64 bits as unsigned, so an offset that came out negative is a huge number.
fn cookie_value(cookie: &Cookie) -> u64 {
    cookie.start_pos as u64
}

/// Python's `UnicodeDecodeError` message for the bytes `input`.
fn decode_error(input: &[u8], e: std::str::Utf8Error) -> IoError {
    let start = e.valid_up_to();
    let (len, reason) = match e.error_len() {
        None => (input.len() - start, "unexpected end of data"),
        Some(len) if matches!(input[start], 0x80..=0xC1 | 0xF5..=0xFF) => (len, "invalid start byte"),
        Some(len) => (len, "invalid continuation byte"),
    };
    let message = if len == 1 {
        format!("'utf-8' codec can't decode byte 0x{:02x} in position {start}: {reason}", input[start])
    } else {
        format!("'utf-8' codec can't decode bytes in position {start}-{}: {reason}", start + len - 1)
    };
    IoError::new(ErrorKind::UnicodeDecode, message)
}

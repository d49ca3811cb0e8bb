//! The buffered layer (Python's `BufferedReader`, `BufferedWriter` and `BufferedRandom`,
//! in one type as CPython's `Modules/_io/bufferedio.c` has): a buffer of a chosen size
//! between the caller and the raw file, so many small reads and writes cost few raw calls.
//!
//! This is a port of the C implementation, field for field, because its quirks are
//! visible from Python and the notebook shows them as they are:
//!
//! - One buffer serves reads and writes. Writing after a read overwrites the read-ahead in
//!   place, and later reads of those bytes see the new data before it reaches the file.
//! - A write that fits in the rest of the buffer stays there; one that does not first
//!   flushes, and data larger than the buffer goes straight to the raw file.
//! - `read` takes what the buffer holds, reads whole buffer-sized blocks directly, and
//!   refills the buffer for the rest. `read1` (what the text layer uses) makes one raw
//!   read at the raw file's position *without flushing pending writes first*.
//! - The raw position is cached (`abs_pos`) and only refreshed by raw seeks and tells,
//!   as CPython does; `read()` to the end does not advance the cache.

use super::any_layer::{AnyLayer, Detach};
use super::bytes::Bytes;
use super::copy::copy_bytes;
use super::error::{ErrorKind, IoError, IoResult, CLOSED};
use super::layer::{FileKind, Layer};
use super::raw::RawFile;

/// The cached position `pos` moved on by `n` bytes, or `-1` ("unknown": the next tell
/// asks the raw file) where that passes `i64::MAX`. An append-mode write lands at the end
/// whatever was seeked before, so a cached position of `2**63 - 1` can meet a write that
/// succeeds (found by the `ops` fuzz target: it overflowed).
fn advance(pos: i64, n: usize) -> i64 {
    i64::try_from(n).ok().and_then(|n| pos.checked_add(n)).unwrap_or(-1)
}

/// A raw file with a buffer. Positions are `i64` as C's `Py_off_t`; `-1` marks "unknown"
/// or "not valid" exactly where CPython uses it.
pub struct Buffered {
    raw: RawFile,
    readable: bool,
    writable: bool,
    /// The buffer: `size` bytes in CPython, here grown only as far as bytes are placed in
    /// it, so a huge `buffering` costs no memory until used.
    buffer: Vec<u8>,
    size: usize,
    /// The raw file's absolute position, cached (`-1` if unknown).
    abs_pos: i64,
    /// The logical position inside the buffer.
    pos: i64,
    /// Where the raw file's position is, inside the buffer (`-1` if unknown).
    raw_pos: i64,
    /// Just after the last buffered byte that can be read, or `-1` if the buffer holds
    /// nothing to read.
    read_end: i64,
    /// The first byte waiting to be written.
    write_pos: i64,
    /// Just after the last byte waiting to be written, or `-1` if nothing is waiting.
    write_end: i64,
}

impl Buffered {
    /// Buffers `raw` with `size` bytes (at least 1).
    pub fn new(raw: RawFile, size: usize) -> Buffered {
        let mode = raw.parsed_mode();
        let size = size.max(1);
        let mut buffered = Buffered {
            raw,
            readable: mode.readable(),
            writable: mode.writable(),
            buffer: Vec::new(),
            size,
            abs_pos: -1,
            pos: 0,
            raw_pos: 0,
            read_end: -1,
            write_pos: 0,
            write_end: -1,
        };
        let _ = buffered.raw_tell();
        buffered
    }

    // --- CPython's macros -------------------------------------------------------------

    #[inline]
    fn valid_read_buffer(&self) -> bool {
        self.readable && self.read_end != -1
    }

    fn valid_write_buffer(&self) -> bool {
        self.writable && self.write_end != -1
    }

    /// Bytes read ahead and not yet returned.
    #[inline]
    fn readahead(&self) -> i64 {
        if self.valid_read_buffer() {
            self.read_end - self.pos
        } else {
            0
        }
    }

    /// How far the raw position is ahead of the logical one.
    fn raw_offset(&self) -> i64 {
        if (self.valid_read_buffer() || self.valid_write_buffer()) && self.raw_pos >= 0 {
            self.raw_pos - self.pos
        } else {
            0
        }
    }

    fn adjust_position(&mut self, new_pos: i64) {
        self.pos = new_pos;
        if self.valid_read_buffer() && self.read_end < self.pos {
            self.read_end = self.pos;
        }
    }

    /// `CHECK_CLOSED`: closed, and nothing left to read from the buffer.
    fn check_closed(&self, message: &str) -> IoResult<()> {
        if self.raw.is_closed() && self.readahead() == 0 {
            return Err(IoError::closed(message));
        }
        Ok(())
    }

    fn reset_read_buffer(&mut self) {
        self.read_end = -1;
    }

    fn reset_write_buffer(&mut self) {
        self.write_pos = 0;
        self.write_end = -1;
    }

    // --- Raw calls, keeping the cached position ------------------------------------------

    /// The raw position, from the cache when known (`RAW_TELL`).
    fn raw_tell_cached(&mut self) -> IoResult<i64> {
        if self.abs_pos != -1 {
            Ok(self.abs_pos)
        } else {
            self.raw_tell()
        }
    }

    fn raw_tell(&mut self) -> IoResult<i64> {
        let n = self.raw.tell()? as i64;
        self.abs_pos = n;
        Ok(n)
    }

    fn raw_seek(&mut self, target: i64, whence: i32) -> IoResult<i64> {
        let n = self.raw.seek(target, whence)? as i64;
        self.abs_pos = n;
        Ok(n)
    }

    /// One raw read of at most `len` bytes onto the end of `out`; returns how many came.
    fn raw_read_onto(&mut self, out: &mut Vec<u8>, len: usize) -> IoResult<usize> {
        let n = self.raw.read_into_buffer(out, out.len(), len)?;
        self.raw_moved(n);
        Ok(n)
    }

    fn raw_write(&mut self, data: &[u8]) -> IoResult<usize> {
        let n = self.raw.write_bytes(data)?;
        self.raw_moved(n);
        Ok(n)
    }

    /// One raw read into `out`, keeping the cached position.
    fn raw_read_into(&mut self, out: &mut [u8]) -> IoResult<usize> {
        let n = self.raw.read_into(out)?;
        self.raw_moved(n);
        Ok(n)
    }

    /// A raw read or write moved the raw position on by `n` bytes: so does the cache.
    fn raw_moved(&mut self, n: usize) {
        if n > 0 && self.abs_pos != -1 {
            self.abs_pos = advance(self.abs_pos, n);
        }
    }

    /// Reads into the buffer after what it holds, straight from the raw file; returns
    /// how many bytes came.
    fn fill_buffer(&mut self) -> IoResult<usize> {
        let start = if self.valid_read_buffer() { self.read_end as usize } else { 0 };
        let n = self.raw.read_into_buffer(&mut self.buffer, start, self.size - start)?;
        self.raw_moved(n);
        if n > 0 {
            self.read_end = (start + n) as i64;
            self.raw_pos = (start + n) as i64;
        }
        Ok(n)
    }

    /// `_bufferedwriter_flush_unlocked`: writes out the bytes waiting, first moving the
    /// raw position back to where they belong.
    fn flush_unlocked(&mut self) -> IoResult<()> {
        if self.valid_write_buffer() && self.write_pos != self.write_end {
            let rewind = self.raw_offset() + (self.pos - self.write_pos);
            if rewind != 0 {
                self.raw_seek(-rewind, 1)?;
                self.raw_pos -= rewind;
            }
            while self.write_pos < self.write_end {
                let data = self.buffer[self.write_pos as usize..self.write_end as usize].to_vec();
                let n = self.raw_write(&data)?;
                self.write_pos += n as i64;
                self.raw_pos = self.write_pos;
            }
        }
        self.reset_write_buffer();
        Ok(())
    }

    /// Flushes, then (if readable) moves the raw position back to the logical one and
    /// drops the read-ahead. The raw seek happens even when there is nothing to move,
    /// which refreshes the cached position.
    fn flush_and_rewind(&mut self) -> IoResult<()> {
        self.flush_unlocked()?;
        if self.readable {
            let moved = self.raw_seek(-self.raw_offset(), 1);
            self.reset_read_buffer();
            moved?;
        }
        Ok(())
    }

    /// Copies `data` into the buffer at `at` (never past `size`).
    fn place(&mut self, at: usize, data: &[u8]) {
        let end = at + data.len();
        debug_assert!(end <= self.size);
        if self.buffer.len() < end {
            self.buffer.resize(end, 0);
        }
        self.buffer[at..end].copy_from_slice(data);
    }

    /// Copies the bytes `[pos, pos + out.len())` of the buffer into `out`, consumed.
    fn take_into(&mut self, out: &mut [u8]) {
        out.copy_from_slice(self.take_slice(out.len()));
    }

    /// The bytes `[pos, pos + n)` of the buffer, consumed, where they are.
    #[inline]
    fn take_slice(&mut self, n: usize) -> &[u8] {
        let start = self.pos as usize;
        self.pos += n as i64;
        &self.buffer[start..start + n]
    }

    // --- Reading ----------------------------------------------------------------------

    fn check_readable(&self, method: &str) -> IoResult<()> {
        // A writer has no read methods: `BufferedIOBase`'s answer comes before any check.
        if !self.readable {
            return Err(IoError::unsupported(method));
        }
        Ok(())
    }

    /// `_bufferedreader_read_all`: the buffered bytes, then one `readall` of the raw
    /// file (which leaves the cached raw position where it was, as in CPython).
    fn read_all(&mut self) -> IoResult<Vec<u8>> {
        let have = self.readahead() as usize;
        let mut out = self.take_slice(have).to_vec();
        if self.writable {
            self.flush_and_rewind()?;
        }
        self.reset_read_buffer();
        out.extend_from_slice(&self.raw.read_bytes(None)?);
        Ok(out)
    }

    /// `_bufferedreader_read_generic`: the buffered bytes, whole blocks straight from the
    /// raw file, then the rest through a refilled buffer.
    fn read_generic(&mut self, n: usize) -> IoResult<Vec<u8>> {
        let have = self.readahead() as usize;
        let mut out = self.take_slice(have).to_vec();
        let mut remaining = n - have;
        if self.writable {
            self.flush_and_rewind()?;
        }
        self.reset_read_buffer();
        while remaining > 0 {
            let block = self.size * (remaining / self.size);
            if block == 0 {
                break;
            }
            let got = self.raw_read_onto(&mut out, block)?;
            if got == 0 {
                return Ok(out);
            }
            remaining -= got;
        }
        self.pos = 0;
        self.raw_pos = 0;
        self.read_end = 0;
        while remaining > 0 && self.read_end < self.size as i64 {
            let got = self.fill_buffer()?;
            if got == 0 {
                return Ok(out);
            }
            let take = remaining.min(got);
            out.extend_from_slice(self.take_slice(take));
            remaining -= take;
        }
        Ok(out)
    }

    /// Python's `read1`: buffered bytes if there are any (at most `n`), else one raw read
    /// of `n` bytes (the buffer size with `None`). Pending writes are *not* flushed first,
    /// so the raw read happens wherever the raw file's position is (CPython's behaviour).
    pub fn read1(&mut self, n: Option<usize>) -> IoResult<Vec<u8>> {
        self.check_readable("read1")?;
        let n = n.unwrap_or(self.size);
        self.check_closed("read of closed file")?;
        if n == 0 {
            return Ok(Vec::new());
        }
        let have = self.readahead();
        if have > 0 {
            return Ok(self.take_slice(n.min(have as usize)).to_vec());
        }
        self.reset_read_buffer();
        let mut out = Vec::new();
        self.raw_read_onto(&mut out, n)?;
        Ok(out)
    }

    // --- The façade's hot paths ---------------------------------------------------------

    /// `read(n)` as the file object calls it: when all `n` bytes are read ahead (which
    /// also means readable and open), they are taken here, inlined into the caller; every
    /// other case is [`Layer::read_bytes`]'s.
    #[inline(always)]
    pub(super) fn read_fast(&mut self, n: Option<usize>) -> IoResult<Bytes> {
        if let Some(n) = n.filter(|&n| n > 0 && n <= self.readahead().max(0) as usize) {
            let start = self.pos as usize;
            self.pos += n as i64;
            return Ok(Bytes::copy_at(&self.buffer, start, n));
        }
        Layer::read_bytes(self, n)
    }

    /// `readinto` as the file object calls it: all of `out` read ahead is copied here,
    /// the rest is [`Layer::read_into`]'s.
    #[inline(always)]
    pub(super) fn read_into_fast(&mut self, out: &mut [u8]) -> IoResult<usize> {
        let have = self.readahead() as usize;
        if have > 0 && have >= out.len() {
            // `take_into`'s copy, as words (`copy_bytes` is inlined only on hot paths).
            copy_bytes(out, self.take_slice(out.len()));
            return Ok(out.len());
        }
        Layer::read_into(self, out)
    }

    /// `write` as the file object calls it: a writer (no read-ahead to keep in step) with
    /// bytes waiting and room for these after them, in the part of the buffer already
    /// grown, copies them here; the rest is [`Layer::write_bytes`]'s. Closing empties the
    /// buffer, so a closed file never gets here with bytes to write.
    #[inline(always)]
    pub(super) fn write_fast(&mut self, data: &[u8]) -> IoResult<usize> {
        if self.write_end != -1 && !self.readable && !data.is_empty() {
            let at = self.pos as usize;
            if let Some(room) = at.checked_add(data.len()).and_then(|end| self.buffer.get_mut(at..end)) {
                copy_bytes(room, data);
                self.write_pos = self.write_pos.min(self.pos);
                self.pos += data.len() as i64;
                self.write_end = self.write_end.max(self.pos);
                return Ok(data.len());
            }
        }
        Layer::write_bytes(self, data)
    }

    /// Whether the raw file is closed (the text layer asks without a `Result`).
    pub(crate) fn is_closed(&self) -> bool {
        self.raw.is_closed()
    }
}

impl Layer for Buffered {
    fn kind(&self) -> FileKind {
        FileKind::Buffered
    }

    /// Fixed by the mode at creation (a detached object keeps its class).
    fn class_name(&self) -> &'static str {
        match (self.readable, self.writable) {
            (true, true) => "BufferedRandom",
            (true, false) => "BufferedReader",
            _ => "BufferedWriter",
        }
    }

    /// The raw file's mode.
    fn mode(&self) -> &str {
        self.raw.mode()
    }

    /// The raw file answers the rest (name, descriptor, closed, seekable, counts: the
    /// buffer makes no calls of its own).
    fn below(&self) -> Option<&dyn Layer> {
        Some(&self.raw)
    }

    /// Reads `n` bytes (fewer at the end of the file), or all the rest with `None`.
    fn read_bytes(&mut self, n: Option<usize>) -> IoResult<Bytes> {
        self.check_readable("read")?;
        self.check_closed("read of closed file")?;
        let Some(n) = n else { return self.read_all().map(Bytes::from) };
        // Any `n` reads what is there (CPython allocates `n` bytes first and fails with
        // `MemoryError` for a huge one); capped so it stays a positive `i64`.
        let n = n.min(i64::MAX as usize);
        if n as i64 <= self.readahead() {
            return Ok(Bytes::copy_from(self.take_slice(n)));
        }
        self.read_generic(n).map(Bytes::from)
    }

    /// `_buffered_readinto_generic`: what is read ahead; then, after a flush, blocks
    /// larger than the buffer straight into `out`, the rest through refills.
    fn read_into(&mut self, out: &mut [u8]) -> IoResult<usize> {
        let have = self.readahead() as usize;
        if have > 0 && have >= out.len() {
            self.take_into(out);
            return Ok(out.len());
        }
        // A writer's `readinto` is `BufferedIOBase`'s, which fails in its call to `read`.
        self.check_readable("read")?;
        self.check_closed("readinto of closed file")?;
        self.take_into(&mut out[..have]);
        let mut written = have;
        if self.writable {
            self.flush_and_rewind()?;
        }
        self.reset_read_buffer();
        self.pos = 0;
        while written < out.len() {
            let remaining = out.len() - written;
            let n = if remaining > self.size {
                self.raw_read_into(&mut out[written..])?
            } else {
                let got = self.fill_buffer()?.min(remaining);
                self.take_into(&mut out[written..written + got]);
                got
            };
            if n == 0 {
                break;
            }
            written += n;
        }
        Ok(written)
    }

    /// Reads through the next `\n` (kept), or to the end of the file.
    fn readline_bytes(&mut self) -> IoResult<Bytes> {
        // A writer's `readline` is `IOBase.readline`, which fails in its call to `read`.
        self.check_readable("read")?;
        self.check_closed("readline of closed file")?;
        let have = self.readahead() as usize;
        let start = self.pos as usize;
        if let Some(i) = self.buffer[start..start + have].iter().position(|&b| b == b'\n') {
            return Ok(Bytes::copy_from(self.take_slice(i + 1)));
        }
        let mut line = self.take_slice(have).to_vec();
        if self.writable {
            self.flush_and_rewind()?;
        }
        loop {
            self.reset_read_buffer();
            let n = self.fill_buffer()?;
            if n == 0 {
                return Ok(line.into());
            }
            if let Some(i) = self.buffer[..n].iter().position(|&b| b == b'\n') {
                line.extend_from_slice(&self.buffer[..=i]);
                self.pos = (i + 1) as i64;
                return Ok(line.into());
            }
            line.extend_from_slice(&self.buffer[..n]);
        }
    }

    /// Writes `data` through the buffer; returns its length.
    fn write_bytes(&mut self, data: &[u8]) -> IoResult<usize> {
        if !self.writable {
            return Err(IoError::unsupported("write"));
        }
        if self.raw.is_closed() {
            return Err(IoError::closed("write to closed file"));
        }
        if !self.valid_read_buffer() && !self.valid_write_buffer() {
            self.pos = 0;
            self.raw_pos = 0;
        }
        let len = data.len() as i64;
        // Fast path: it fits in the buffer after the logical position (over any
        // read-ahead there).
        if len <= self.size as i64 - self.pos {
            let start = self.pos as usize;
            self.place(start, data);
            if !self.valid_write_buffer() || self.write_pos > self.pos {
                self.write_pos = self.pos;
            }
            self.adjust_position(self.pos + len);
            if self.pos > self.write_end {
                self.write_end = self.pos;
            }
            return Ok(data.len());
        }
        self.flush_unlocked()?;
        // The read-ahead was not modified, so the flush did not move the raw position
        // back to the logical one (CPython issue #6629); do it now.
        let offset = self.raw_offset();
        if offset != 0 {
            self.raw_seek(-offset, 1)?;
            self.raw_pos -= offset;
        }
        let mut written = 0;
        while data.len() - written > self.size {
            written += self.raw_write(&data[written..])?;
        }
        if self.readable {
            self.reset_read_buffer();
        }
        let remaining = data.len() - written;
        self.place(0, &data[written..]);
        self.write_pos = 0;
        self.write_end = remaining as i64;
        self.adjust_position(remaining as i64);
        self.raw_pos = 0;
        Ok(data.len())
    }

    /// Python's `flush`: a writer writes its buffer out (and a random-access file then
    /// drops its read-ahead); a reader only checks that the file is open.
    fn flush(&mut self) -> IoResult<()> {
        if !self.writable {
            // `BufferedReader.flush` is the raw file's (`IOBase.flush`).
            if self.raw.is_closed() {
                return Err(IoError::closed(CLOSED));
            }
            return Ok(());
        }
        self.check_closed("flush of closed file")?;
        self.flush_and_rewind()
    }

    /// Moves the position (`whence` 0, 1 or 2); a move within the read-ahead costs no
    /// raw call.
    fn seek(&mut self, target: i64, whence: i32) -> IoResult<u64> {
        // 3 and 4 (SEEK_DATA, SEEK_HOLE) pass through to the raw file, as on Linux.
        if !(0..=4).contains(&whence) {
            return Err(IoError::new(ErrorKind::Value, format!("whence value {whence} unsupported")));
        }
        self.check_closed("seek of closed file")?;
        if (whence == 0 || whence == 1) && self.readable {
            let current = self.raw_tell_cached()?;
            let avail = self.readahead();
            if avail > 0 {
                // Checked: a target near `i64::MIN` is no move within the read-ahead.
                let offset = if whence == 0 {
                    target.checked_sub(current.wrapping_sub(self.raw_offset()))
                } else {
                    Some(target)
                };
                if let Some(offset) = offset.filter(|o| *o >= -self.pos && *o <= avail) {
                    self.pos += offset;
                    // Negative (wrapped, as `u64`) if the read-ahead is stale; see `tell`.
                    return Ok(current.wrapping_sub(avail).wrapping_add(offset) as u64);
                }
            }
        }
        if self.writable {
            self.flush_unlocked()?;
        }
        // A relative move past `i64::MIN` (found by the `ops` fuzz target: it overflowed)
        // can only land before the start: the system's EINVAL.
        let target = if whence == 1 {
            target.checked_sub(self.raw_offset()).ok_or_else(IoError::invalid_argument)?
        } else {
            target
        };
        let n = self.raw_seek(target, whence)?;
        self.raw_pos = -1;
        if self.readable {
            self.reset_read_buffer();
        }
        Ok(n as u64)
    }

    /// The logical position: the raw position less the raw offset.
    fn tell(&mut self) -> IoResult<u64> {
        // CPython does not check the result ("TODO: sanity check"); like `seek`'s, it can
        // come out negative when a failed seek left the read-ahead out of step with the
        // raw position. Positions are `u64` here, so such a value wraps.
        // Wrapping, as CPython's unchecked C arithmetic (found by the `ops` fuzz target: an
        // append after the largest seek put the raw position at `2**63 - 1`).
        Ok(self.raw_tell()?.wrapping_sub(self.raw_offset()) as u64)
    }

    /// Flushes, then cuts or extends the file to `size` (the position by default).
    fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.check_closed("truncate of closed file")?;
        if !self.writable {
            return Err(IoError::unsupported("truncate"));
        }
        self.flush_and_rewind()?;
        let n = self.raw.truncate(size)?;
        let _ = self.raw_tell();
        Ok(n)
    }

    /// Flushes and closes the raw file; the raw file closes even if the flush fails.
    fn close(&mut self) -> IoResult<()> {
        if self.raw.is_closed() {
            return Ok(());
        }
        let flushed = self.flush();
        let closed = self.raw.close();
        self.buffer = Vec::new();
        self.read_end = 0;
        self.pos = 0;
        flushed.and(closed)
    }

    /// Flushes and hands back the raw file (a reader's read-ahead is simply lost, so the
    /// raw position stays after it, as in CPython).
    fn detach(mut self: Box<Self>) -> Detach {
        match self.flush() {
            Ok(()) => Ok(AnyLayer::boxed(self.raw)),
            Err(e) => Err((AnyLayer::Buffered(self), e)),
        }
    }

    /// Whether reads are allowed (`false` for a writer, even closed, as in CPython).
    fn readable(&self) -> IoResult<bool> {
        if !self.readable {
            return Ok(false);
        }
        self.raw.readable()
    }

    /// Whether writes are allowed.
    fn writable(&self) -> IoResult<bool> {
        if !self.writable {
            return Ok(false);
        }
        self.raw.writable()
    }

    fn buffer_size(&self) -> Option<usize> {
        Some(self.size)
    }
}

//! The buffered layer (Python's `BufferedReader`, `BufferedWriter` and `BufferedRandom`,
//! in one type as CPython's `buffered.c` has): a buffer of a chosen size between the
//! caller and the raw file, so many small reads and writes cost few raw calls.
//!
//! The rules follow CPython's C implementation (and Rust's `BufReader`/`BufWriter`):
//! a write that fits in the buffer stays there; one that does not first flushes the
//! buffer, and data larger than the buffer goes straight to the raw file. A read takes
//! what the buffer holds, reads whole buffer-sized blocks directly, and refills the buffer
//! for the rest. Data in the write buffer is not in the file until a flush.

use super::counters::IoCounts;
use super::error::{IoError, IoResult, CLOSED};
use super::raw::{invalid_whence, RawFile};

/// A raw file with a buffer.
pub struct Buffered {
    raw: RawFile,
    size: usize,
    readable: bool,
    writable: bool,
    /// Read-ahead: `rbuf[rpos..]` is not yet returned; `rbuf` starts at the raw position
    /// minus `rbuf.len()`.
    rbuf: Vec<u8>,
    rpos: usize,
    /// Written data not yet in the file; it belongs at the raw position.
    wbuf: Vec<u8>,
}

impl Buffered {
    /// Buffers `raw` with `size` bytes (at least 1).
    pub fn new(raw: RawFile, size: usize) -> Buffered {
        let mode = raw.parsed_mode();
        Buffered {
            raw,
            size: size.max(1),
            readable: mode.readable(),
            writable: mode.writable(),
            rbuf: Vec::new(),
            rpos: 0,
            wbuf: Vec::new(),
        }
    }

    /// The buffer size.
    pub fn buffer_size(&self) -> usize {
        self.size
    }

    fn check_closed(&self, message: &str) -> IoResult<()> {
        if self.raw.closed() {
            return Err(IoError::closed(message));
        }
        Ok(())
    }

    fn check_read(&self, op: &str) -> IoResult<()> {
        if !self.readable {
            return Err(IoError::unsupported("read"));
        }
        self.check_closed(&format!("{op} of closed file"))
    }

    fn unread(&self) -> usize {
        self.rbuf.len() - self.rpos
    }

    fn drop_read_buffer(&mut self) {
        self.rbuf.clear();
        self.rpos = 0;
    }

    /// Writes out the write buffer (one raw call if it holds anything).
    fn flush_writes(&mut self) -> IoResult<()> {
        if !self.wbuf.is_empty() {
            self.raw.write(&self.wbuf)?;
            self.wbuf.clear();
        }
        Ok(())
    }

    /// Before writing: moves the raw position back over read-ahead not yet returned.
    fn rewind_read_ahead(&mut self) -> IoResult<()> {
        let unread = self.unread();
        if unread > 0 {
            self.raw.seek(-(unread as i64), 1)?;
        }
        self.drop_read_buffer();
        Ok(())
    }

    /// Reads `n` bytes (fewer at the end of the file), or all the rest with `None`.
    pub fn read(&mut self, n: Option<usize>) -> IoResult<Vec<u8>> {
        self.check_read("read")?;
        self.flush_writes()?;
        let Some(n) = n else {
            let mut out = self.rbuf.split_off(self.rpos);
            self.drop_read_buffer();
            out.extend(self.raw.readall()?);
            return Ok(out);
        };
        if n <= self.unread() {
            let out = self.rbuf[self.rpos..self.rpos + n].to_vec();
            self.rpos += n;
            return Ok(out);
        }
        let mut out = self.rbuf.split_off(self.rpos);
        self.drop_read_buffer();
        let mut remaining = n - out.len();
        // Whole blocks go straight from the raw file into the result.
        loop {
            let block = remaining - remaining % self.size;
            if block == 0 {
                break;
            }
            let chunk = self.raw.read(block)?;
            if chunk.is_empty() {
                return Ok(out);
            }
            remaining -= chunk.len();
            out.extend(chunk);
        }
        // The rest comes through the buffer, which keeps what is left over.
        while remaining > 0 && self.rbuf.len() < self.size {
            let chunk = self.raw.read(self.size - self.rbuf.len())?;
            if chunk.is_empty() {
                break;
            }
            self.rbuf.extend(chunk);
            let take = remaining.min(self.unread());
            out.extend_from_slice(&self.rbuf[self.rpos..self.rpos + take]);
            self.rpos += take;
            remaining -= take;
        }
        Ok(out)
    }

    /// Returns buffered bytes if there are any (at most `n`), else makes one raw read of
    /// `n` bytes (the buffer size with `None`): Python's `read1`.
    pub fn read1(&mut self, n: Option<usize>) -> IoResult<Vec<u8>> {
        self.check_read("read")?;
        let n = n.unwrap_or(self.size);
        if self.unread() > 0 {
            let take = n.min(self.unread());
            let out = self.rbuf[self.rpos..self.rpos + take].to_vec();
            self.rpos += take;
            return Ok(out);
        }
        self.flush_writes()?;
        self.drop_read_buffer();
        self.raw.read(n)
    }

    /// Reads through the next `\n` (kept), or to the end of the file.
    pub fn readline(&mut self) -> IoResult<Vec<u8>> {
        self.check_read("readline")?;
        if let Some(i) = self.rbuf[self.rpos..].iter().position(|&b| b == b'\n') {
            let out = self.rbuf[self.rpos..self.rpos + i + 1].to_vec();
            self.rpos += i + 1;
            return Ok(out);
        }
        let mut out = self.rbuf.split_off(self.rpos);
        self.drop_read_buffer();
        self.flush_writes()?;
        loop {
            let chunk = self.raw.read(self.size)?;
            if chunk.is_empty() {
                return Ok(out);
            }
            if let Some(i) = chunk.iter().position(|&b| b == b'\n') {
                out.extend_from_slice(&chunk[..=i]);
                self.rbuf = chunk;
                self.rpos = i + 1;
                return Ok(out);
            }
            out.extend(chunk);
        }
    }

    /// Writes `data` through the buffer; returns its length.
    pub fn write(&mut self, data: &[u8]) -> IoResult<usize> {
        if !self.writable {
            return Err(IoError::unsupported("write"));
        }
        self.check_closed("write to closed file")?;
        if !self.rbuf.is_empty() {
            self.rewind_read_ahead()?;
        }
        if data.len() <= self.size - self.wbuf.len().min(self.size) {
            self.wbuf.extend_from_slice(data);
            return Ok(data.len());
        }
        self.flush_writes()?;
        if data.len() > self.size {
            self.raw.write(data)?;
        } else {
            self.wbuf.extend_from_slice(data);
        }
        Ok(data.len())
    }

    /// Writes the buffer out to the file.
    pub fn flush(&mut self) -> IoResult<()> {
        let message = if self.writable { "flush of closed file" } else { CLOSED };
        self.check_closed(message)?;
        self.flush_writes()
    }

    /// Moves the position (`whence` 0, 1 or 2); a move within the read buffer costs no
    /// raw call.
    pub fn seek(&mut self, offset: i64, whence: i32) -> IoResult<u64> {
        if !(0..=2).contains(&whence) {
            return Err(invalid_whence(whence));
        }
        self.check_closed("seek of closed file")?;
        if whence != 2 && self.readable && self.unread() > 0 {
            let logical = self.tell()? as i64;
            let delta = if whence == 0 { offset - logical } else { offset };
            if delta >= -(self.rpos as i64) && delta <= self.unread() as i64 {
                self.rpos = (self.rpos as i64 + delta) as usize;
                return Ok((logical + delta) as u64);
            }
        }
        self.flush_writes()?;
        let offset = if whence == 1 { offset - self.unread() as i64 } else { offset };
        self.drop_read_buffer();
        self.raw.seek(offset, whence)
    }

    /// The logical position: the raw position less unread read-ahead plus unwritten data.
    pub fn tell(&self) -> IoResult<u64> {
        let raw = self.raw.tell()?;
        Ok(raw - self.unread() as u64 + self.wbuf.len() as u64)
    }

    /// Flushes, then cuts or extends the file to `size` (the position by default).
    pub fn truncate(&mut self, size: Option<i64>) -> IoResult<u64> {
        self.check_closed("truncate of closed file")?;
        if !self.writable {
            return Err(IoError::unsupported("truncate"));
        }
        self.flush_writes()?;
        self.rewind_read_ahead()?;
        self.raw.truncate(size)
    }

    /// Flushes and closes the raw file; the raw file closes even if the flush fails.
    pub fn close(&mut self) -> IoResult<()> {
        if self.raw.closed() {
            return Ok(());
        }
        let flushed = self.flush_writes();
        self.raw.close();
        flushed
    }

    /// Whether the raw file is closed.
    pub fn closed(&self) -> bool {
        self.raw.closed()
    }

    /// Flushes and hands back the raw file.
    pub fn detach(mut self) -> Result<RawFile, (Buffered, IoError)> {
        let flushed = if self.raw.closed() {
            let message = if self.writable { "flush of closed file" } else { CLOSED };
            Err(IoError::closed(message))
        } else {
            self.flush_writes()
        };
        match flushed {
            Ok(()) => {
                if let Err(e) = self.rewind_read_ahead() {
                    return Err((self, e));
                }
                Ok(self.raw)
            }
            Err(e) => Err((self, e)),
        }
    }

    /// The raw file's descriptor.
    pub fn fileno(&self) -> IoResult<i32> {
        self.raw.fileno()
    }

    /// Whether reads are allowed (`false` for a writer, even closed, as in CPython).
    pub fn readable(&self) -> IoResult<bool> {
        if !self.readable {
            return Ok(false);
        }
        self.raw.readable()
    }

    /// Whether writes are allowed.
    pub fn writable(&self) -> IoResult<bool> {
        if !self.writable {
            return Ok(false);
        }
        self.raw.writable()
    }

    /// Whether seeks are allowed.
    pub fn seekable(&self) -> IoResult<bool> {
        self.raw.seekable()
    }

    /// The raw file's name.
    pub fn name(&self) -> &str {
        self.raw.name()
    }

    /// The raw file's mode.
    pub fn mode(&self) -> String {
        self.raw.mode()
    }

    /// The raw file's counts (the buffer makes no calls of its own).
    pub fn counts(&self) -> IoCounts {
        self.raw.counts()
    }
}

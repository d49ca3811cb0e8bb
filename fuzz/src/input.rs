//! Reading structured choices out of a fuzzer's bytes: each call takes what it needs and
//! gives a default once the bytes run out, so every input decodes to something.

/// A cursor over the input.
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    /// A cursor at the start of `data`.
    pub fn new(data: &'a [u8]) -> Input<'a> {
        Input { data }
    }

    /// Whether every byte has been used.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next byte, or 0.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    /// One of `choices`, by the next byte.
    pub fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[usize::from(self.byte()) % choices.len()]
    }

    /// Up to `n` bytes.
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    /// A short run of bytes (a length byte, then that many, at most 63).
    pub fn bytes(&mut self) -> Vec<u8> {
        let n = usize::from(self.byte() % 64);
        self.take(n).to_vec()
    }

    /// A short string (the bytes, invalid UTF-8 replaced).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(&self.bytes()).into_owned()
    }

    /// A number: mostly small, sometimes one of the edges, sometimes any 64-bit value.
    pub fn int(&mut self) -> i64 {
        match self.byte() % 8 {
            0 => self.pick(&[-1, 0, 1, i64::MIN, i64::MAX, 1 << 31, 1 << 40, 8192]),
            1 => {
                let mut raw = [0u8; 8];
                let bytes = self.take(8);
                raw[..bytes.len()].copy_from_slice(bytes);
                i64::from_le_bytes(raw)
            }
            _ => i64::from(self.byte() as i8),
        }
    }
}

//! The bytes a binary read returns (Python's `bytes`): up to [`INLINE`] of them held in
//! the value itself, more in a `Vec` on the heap.
//!
//! Why: a buffered `read(16)` that returned a `Vec` spent more time allocating and
//! freeing it than reading (in Chromium, 19 ns a call against 7 for `readinto`, which
//! fills the caller's bytes). CPython spares its small objects the system allocator too
//! (pymalloc), and keeps every one-byte `bytes` ready-made. A short read or line now
//! allocates nothing; a long one is the `Vec` it was read into, handed over uncopied.
//! Everything else about it is a byte slice's (it dereferences to `[u8]`).
//!
//! The inline value is aligned 8-byte words (its length plus one, its 16 bytes), each
//! written whole, and its bytes are best filled as whole words ([`Bytes::copy_at`]): a
//! word read back soon after it was stored piecemeal (a tag byte, a length byte, bytes
//! at odd places) waits for those stores to finish (a failed store-to-load forwarding,
//! some 4 ns each), and a value returned is read back at once, when the caller moves it.

use std::fmt;
use std::num::NonZeroU64;
use std::ops::Deref;

use super::copy::copy_bytes;

/// The most bytes kept without allocating.
pub const INLINE: usize = 16;

/// An immutable run of bytes, as a read returns it.
#[derive(Clone)]
pub struct Bytes(Repr);

/// Invariant: an `Inline` length is at most [`INLINE`]; its bytes past the length are
/// never shown.
#[derive(Clone)]
enum Repr {
    /// `len_1` is the length plus one: never zero, so the compiler marks the other
    /// variant with a zero there, and no tag byte of its own is stored.
    Inline {
        len_1: NonZeroU64,
        data: Words,
    },
    Heap(Vec<u8>),
}

/// `Inline`'s `len_1` for a length `n` (at most [`INLINE`]).
#[inline(always)]
const fn len_1(n: usize) -> NonZeroU64 {
    NonZeroU64::MIN.saturating_add(n as u64)
}

/// [`INLINE`] bytes, aligned as words.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
struct Words([u8; INLINE]);

impl Bytes {
    /// No bytes.
    pub const fn new() -> Bytes {
        Bytes(Repr::Inline { len_1: len_1(0), data: Words([0; INLINE]) })
    }

    /// A copy of `src` (made without allocating when it is short).
    #[inline]
    pub fn copy_from(src: &[u8]) -> Bytes {
        if src.len() > INLINE {
            return Bytes::copy_long(src);
        }
        let mut data = [0; INLINE];
        copy_bytes(&mut data[..src.len()], src);
        Bytes(Repr::Inline { len_1: len_1(src.len()), data: Words(data) })
    }

    /// A copy of the `n` bytes at `at` in `src`. When `src` goes on for [`INLINE`] bytes
    /// from `at`, a short run is copied as that many whole words, whatever `n` is.
    #[inline(always)]
    pub(super) fn copy_at(src: &[u8], at: usize, n: usize) -> Bytes {
        if n <= INLINE {
            if let Some(window) = src.get(at..).and_then(<[u8]>::first_chunk::<INLINE>) {
                return Bytes(Repr::Inline { len_1: len_1(n), data: Words(*window) });
            }
        }
        Bytes::copy_from(&src[at..at + n])
    }

    /// A copy of `src`, on the heap (kept out of line, so that the short path of
    /// [`Bytes::copy_from`] and [`Bytes::copy_at`] stays small where it is inlined).
    #[inline(never)]
    fn copy_long(src: &[u8]) -> Bytes {
        Bytes(Repr::Heap(src.to_vec()))
    }

    /// The bytes as a slice.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len_1, data } => &data.0[..(len_1.get() - 1).min(INLINE as u64) as usize],
            Repr::Heap(vec) => vec,
        }
    }

    /// The bytes as a `Vec` (a long run's own, uncopied).
    pub fn into_vec(self) -> Vec<u8> {
        match self.0 {
            Repr::Heap(vec) => vec,
            Repr::Inline { .. } => self.as_slice().to_vec(),
        }
    }
}

impl Default for Bytes {
    fn default() -> Bytes {
        Bytes::new()
    }
}

impl Deref for Bytes {
    type Target = [u8];

    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl std::borrow::Borrow<[u8]> for Bytes {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl From<Vec<u8>> for Bytes {
    /// The `Vec` itself, without a copy.
    fn from(vec: Vec<u8>) -> Bytes {
        Bytes(Repr::Heap(vec))
    }
}

impl From<&[u8]> for Bytes {
    fn from(src: &[u8]) -> Bytes {
        Bytes::copy_from(src)
    }
}

impl<const N: usize> From<&[u8; N]> for Bytes {
    fn from(src: &[u8; N]) -> Bytes {
        Bytes::copy_from(src)
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Vec<u8> {
        bytes.into_vec()
    }
}

impl fmt::Debug for Bytes {
    /// As the byte slice (so a failed comparison shows the bytes).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_slice().fmt(f)
    }
}

impl std::hash::Hash for Bytes {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl PartialEq for Bytes {
    fn eq(&self, other: &Bytes) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Bytes {}

/// Comparisons with the other ways bytes are written, both ways round.
macro_rules! equal_to {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for Bytes {
            fn eq(&self, other: &$other) -> bool {
                self.as_slice() == &other[..]
            }
        }
        impl PartialEq<Bytes> for $other {
            fn eq(&self, other: &Bytes) -> bool {
                &self[..] == other.as_slice()
            }
        }
    )*};
}
equal_to!([u8], &[u8], Vec<u8>);

impl<const N: usize> PartialEq<[u8; N]> for Bytes {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.as_slice() == other
    }
}

impl<const N: usize> PartialEq<&[u8; N]> for Bytes {
    fn eq(&self, other: &&[u8; N]) -> bool {
        self.as_slice() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::{Bytes, INLINE};

    #[test]
    fn every_length_reads_back_whether_inline_or_not() {
        let src: Vec<u8> = (0..=60).collect();
        for n in 0..=60 {
            let copied = Bytes::copy_from(&src[..n]);
            assert_eq!(copied.len(), n);
            assert_eq!(copied, &src[..n]);
            assert_eq!(copied, Bytes::from(src[..n].to_vec()), "inline or not, equal by their bytes");
            assert_eq!(copied.clone().into_vec(), src[..n].to_vec());
        }
    }

    #[test]
    fn short_copies_allocate_nothing_and_long_vecs_are_not_copied() {
        let before = crate::memory::snapshot().allocations;
        let short = Bytes::copy_from(&[7; INLINE]);
        assert_eq!(crate::memory::snapshot().allocations, before, "{short:?}");
        let long = vec![1u8; 100];
        let at = long.as_ptr();
        let back = Bytes::from(long).into_vec();
        assert_eq!(back.as_ptr(), at);
    }

    #[test]
    fn a_run_copied_at_a_place_is_the_run_whether_or_not_a_whole_window_follows() {
        let src: Vec<u8> = (0..=60).collect();
        for at in [0, 7, 40, 44, 50, 60] {
            for n in 0..=(61 - at).min(30) {
                assert_eq!(Bytes::copy_at(&src, at, n), &src[at..at + n], "at {at}, {n} bytes");
            }
        }
    }

    #[test]
    fn compares_with_slices_arrays_and_vecs() {
        let b = Bytes::copy_from(b"abc");
        let slice: &[u8] = b"abc";
        assert!(b == *b"abc" && b == b"abc" && b == *slice && b == slice);
        assert!(b == b"abc".to_vec() && b"abc".to_vec() == b && b != b"abd");
        assert_eq!(format!("{b:?}"), "[97, 98, 99]");
        assert_eq!(Bytes::default(), Bytes::new());
    }
}

//! Copies of a few bytes, made without `memory.copy`.
//!
//! Why: in wasm, `copy_from_slice` (or `extend_from_slice`) of a length known only at run
//! time is one `memory.copy` instruction, which V8 runs as a call out of the compiled
//! code: about 3 ns whatever the length, as much as all the rest of a buffered 16-byte
//! `read` or `write`. From 8 to 16 bytes are instead moved as two 8-byte words that may
//! overlap (the first and the last 8 bytes), as `memcpy` itself moves small sizes; other
//! lengths are `copy_from_slice`'s (the hot paths this serves move 16-byte pieces, and
//! every case more is code in each of them).

use std::mem::MaybeUninit;

/// Copies `src` into `dst`, which has the same length (else this panics, as
/// `copy_from_slice` does).
// Always inlined: a call would cost as much as the `memory.copy` it avoids.
#[inline(always)]
pub(super) fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    match src.len() {
        8..=16 => copy_ends::<8>(dst, src),
        _ => dst.copy_from_slice(src),
    }
}

/// Appends `src` to `out`, as `extend_from_slice` does, moving 8 to 16 bytes as two words.
#[inline]
pub(super) fn append_bytes(out: &mut Vec<u8>, src: &[u8]) {
    let n = src.len();
    let (Some(&head), Some(&tail), 8..=16) = (src.first_chunk::<8>(), src.last_chunk::<8>(), n) else {
        return out.extend_from_slice(src);
    };
    out.reserve(n);
    let room = &mut out.spare_capacity_mut()[..n];
    if let Some(start) = room.first_chunk_mut::<8>() {
        *start = head.map(MaybeUninit::new);
    }
    if let Some(end) = room.last_chunk_mut::<8>() {
        *end = tail.map(MaybeUninit::new);
    }
    // SAFETY: `reserve` made room for `n` more bytes, and the first and the last 8 of
    // them, which together cover all `n` (8 <= n <= 16), were just written.
    unsafe { out.set_len(out.len() + n) };
}

/// Copies `src` (`W` to `2 * W` bytes long) into `dst` as its first and its last `W` bytes.
#[inline(always)]
fn copy_ends<const W: usize>(dst: &mut [u8], src: &[u8]) {
    match (src.first_chunk::<W>(), src.last_chunk::<W>()) {
        (Some(&head), Some(&tail)) if dst.len() == src.len() => {
            if let Some(start) = dst.first_chunk_mut::<W>() {
                *start = head;
            }
            if let Some(end) = dst.last_chunk_mut::<W>() {
                *end = tail;
            }
        }
        _ => dst.copy_from_slice(src),
    }
}

#[cfg(test)]
mod tests {
    use super::{append_bytes, copy_bytes};

    #[test]
    fn every_length_is_copied_whole_and_nothing_past_it() {
        let src: Vec<u8> = (1..=40).collect();
        for n in 0..=40 {
            let mut dst = [0xAAu8; 48];
            copy_bytes(&mut dst[3..3 + n], &src[..n]);
            assert_eq!(&dst[3..3 + n], &src[..n], "length {n}");
            assert!(dst[..3].iter().chain(&dst[3 + n..]).all(|&b| b == 0xAA), "length {n} wrote outside");
        }
    }

    #[test]
    fn appending_keeps_what_was_there_and_adds_exactly_the_source() {
        let src: Vec<u8> = (1..=40).collect();
        for n in 0..=40 {
            let mut out = vec![9u8; 5];
            append_bytes(&mut out, &src[..n]);
            assert_eq!(out.len(), 5 + n);
            assert_eq!(&out[..5], &[9; 5]);
            assert_eq!(&out[5..], &src[..n]);
        }
    }

    #[test]
    #[should_panic]
    fn different_lengths_panic_as_copy_from_slice_does() {
        copy_bytes(&mut [0u8; 9], &[1u8; 10]);
    }
}

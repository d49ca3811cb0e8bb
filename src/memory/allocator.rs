//! The program's global allocator: the system's, with every call counted, and natively
//! with small freed blocks kept for reuse.
//!
//! Why the cache: a program that makes and drops small values at a high rate would spend
//! much of its time in the system allocator (natively, it halved the throughput of a loop
//! of 16-byte reads when each returned a `Vec`; a short read allocates nothing now, see
//! `vfs::Bytes`). CPython keeps freed small objects in pools for the same reason
//! (pymalloc), as glibc keeps them per thread (tcache). Blocks of up to 64 bytes, aligned
//! to at most 8, are rounded up to a class of 8, 16, ... 64 bytes; a freed one goes on its
//! class's list (up to [`KEPT`] of them) and the next allocation of that class takes it
//! back. The counts stay the program's: a block on a list counts as freed. They are kept
//! per thread (in the browser a worker is one thread; natively, the kernel's thread is
//! what a cell's figures are about), and so are the lists.
//!
//! The lists are kept natively only: in wasm they measured no faster (see [`class`]).
//! A block freed on another thread than the one that made it joins
//! that thread's list: every block of a class comes from the system with the class's
//! layout, so any thread can reuse it or give it back. What a native thread still keeps
//! when it ends (at most `KEPT` blocks of each class, 9 KB) is not given back.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::UnsafeCell;
use std::ptr;

use super::counter::Counter;

thread_local! {
    /// The counter every allocation of this thread goes through (constant and without
    /// `Drop`, as the lists below).
    pub(super) static COUNTER: Counter = const { Counter::new() };
}

/// The classes step by this many bytes (and blocks are aligned to it).
const GRAIN: usize = 8;
/// Classes of 8, 16, ..., 64 bytes.
const CLASSES: usize = 8;
/// The most freed blocks a class keeps.
const KEPT: u16 = 32;

/// One thread's lists of freed blocks: each block's first word points to the next.
struct Lists {
    heads: [*mut u8; CLASSES],
    lengths: [u16; CLASSES],
}

thread_local! {
    // Constant and without `Drop`: reaching it never allocates, and never fails.
    static LISTS: UnsafeCell<Lists> =
        const { UnsafeCell::new(Lists { heads: [ptr::null_mut(); CLASSES], lengths: [0; CLASSES] }) };
}

/// The class of `layout`, if its blocks are kept: never in wasm, where the lists bought
/// nothing (an allocation and its free cost some 6 ns in Chromium with or without them,
/// most of it the calls themselves) and their code would be first-load size.
#[inline]
fn class(layout: Layout) -> Option<usize> {
    if cfg!(target_arch = "wasm32") {
        return None;
    }
    let size = layout.size();
    (size > 0 && size <= GRAIN * CLASSES && layout.align() <= GRAIN).then(|| (size - 1) / GRAIN)
}

/// The layout every block of `class` is made with.
fn class_layout(class: usize) -> Layout {
    // SAFETY: the size is at most 64 and the alignment a power of two.
    unsafe { Layout::from_size_align_unchecked((class + 1) * GRAIN, GRAIN) }
}

/// A kept block of `class`, if there is one.
fn take(class: usize) -> Option<*mut u8> {
    LISTS.with(|lists| {
        // SAFETY: the lists are this thread's, and nothing else holds a reference to them
        // while this runs (no allocation happens inside).
        let lists = unsafe { &mut *lists.get() };
        let block = lists.heads[class];
        if block.is_null() {
            return None;
        }
        // SAFETY: a kept block is at least a word long, aligned to `GRAIN`, and its first
        // word was written by `keep`.
        lists.heads[class] = unsafe { block.cast::<*mut u8>().read() };
        lists.lengths[class] -= 1;
        Some(block)
    })
}

/// Keeps `block` of `class` for reuse; `false` if the class keeps enough already.
fn keep(class: usize, block: *mut u8) -> bool {
    LISTS.with(|lists| {
        // SAFETY: as in `take`.
        let lists = unsafe { &mut *lists.get() };
        if lists.lengths[class] >= KEPT {
            return false;
        }
        // SAFETY: the block is the caller's to give up, made with the class's layout
        // (at least a word, aligned to `GRAIN`).
        unsafe { block.cast::<*mut u8>().write(lists.heads[class]) };
        lists.heads[class] = block;
        lists.lengths[class] += 1;
        true
    })
}

/// A block for `layout`, uncounted: a kept one, or the system's.
unsafe fn obtain(layout: Layout) -> *mut u8 {
    match class(layout) {
        Some(class) => match take(class) {
            Some(block) => block,
            // SAFETY: the class's layout has a non-zero size.
            None => unsafe { System.alloc(class_layout(class)) },
        },
        // SAFETY: the caller's layout, as it came.
        None => unsafe { System.alloc(layout) },
    }
}

/// Gives back `block`, made by [`obtain`] for `layout`, uncounted.
unsafe fn give_back(block: *mut u8, layout: Layout) {
    match class(layout) {
        Some(class) => {
            if !keep(class, block) {
                // SAFETY: blocks of a class come from the system with the class's layout.
                unsafe { System.dealloc(block, class_layout(class)) }
            }
        }
        // SAFETY: a block of no class came from the system with `layout`.
        None => unsafe { System.dealloc(block, layout) },
    }
}

/// `System` with counting and kept small blocks.
struct CountingAllocator;

// SAFETY: blocks of no class are the system's, allocated, resized and freed with the
// caller's layouts; blocks of a class are the system's with the class's layout, which is
// at least as large and as aligned as any layout of that class, and each is handed to one
// owner at a time (it is on a list only between a free and the next allocation). Counting
// touches only this thread's cells and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: `layout` has a non-zero size, as `GlobalAlloc::alloc` requires.
        let block = unsafe { obtain(layout) };
        if !block.is_null() {
            COUNTER.with(|c| c.allocated(layout.size()));
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let block = match class(layout) {
            Some(_) => {
                // SAFETY: as for `alloc`; a kept block holds old bytes, so it is cleared.
                let block = unsafe { obtain(layout) };
                if !block.is_null() {
                    unsafe { ptr::write_bytes(block, 0, layout.size()) };
                }
                block
            }
            // SAFETY: the caller's layout, as it came.
            None => unsafe { System.alloc_zeroed(layout) },
        };
        if !block.is_null() {
            COUNTER.with(|c| c.allocated(layout.size()));
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` came from this allocator with `layout`.
        unsafe { give_back(block, layout) };
        COUNTER.with(|c| c.freed(layout.size()));
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller checked that `new_size`, rounded to the alignment, fits.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let moved = match (class(layout), class(new_layout)) {
            // SAFETY: a block of no class is the system's, with `layout`.
            (None, None) => unsafe { System.realloc(block, layout, new_size) },
            // The class's block has room for any size of its class.
            (Some(old), Some(new)) if old == new => block,
            _ => {
                // SAFETY: a fresh block for the new layout; the old one's bytes (as many as
                // both hold) are copied over before it is given back.
                unsafe {
                    let moved = obtain(new_layout);
                    if !moved.is_null() {
                        ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                        give_back(block, layout);
                    }
                    moved
                }
            }
        };
        if !moved.is_null() {
            COUNTER.with(|c| c.resized(layout.size(), new_size));
        }
        moved
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

#[cfg(test)]
mod tests {
    use super::{class, class_layout};
    use std::alloc::Layout;

    #[test]
    fn small_layouts_fall_in_classes_of_eight_bytes() {
        let of = |size, align| class(Layout::from_size_align(size, align).unwrap());
        assert_eq!(
            [of(1, 1), of(8, 8), of(9, 1), of(16, 4), of(64, 8)],
            [Some(0), Some(0), Some(1), Some(1), Some(7)]
        );
        assert_eq!([of(0, 1), of(65, 1), of(16, 16)], [None, None, None], "empty, large, over-aligned");
        assert_eq!(class_layout(1), Layout::from_size_align(16, 8).unwrap());
    }

    #[test]
    fn kept_blocks_come_back_and_keep_their_contents_apart() {
        // Vectors of every small size, made, dropped and made again, each with its own
        // bytes; resizing across classes and out of them keeps what they held.
        for round in 0..3u8 {
            let mut vecs: Vec<Vec<u8>> = (1..=70).map(|n| vec![round.wrapping_add(n as u8); n]).collect();
            for (i, v) in vecs.iter().enumerate() {
                assert!(v.iter().all(|&b| b == round.wrapping_add(i as u8 + 1)));
            }
            for v in vecs.iter_mut().step_by(3) {
                let first = v[0];
                v.extend_from_slice(&[first; 40]);
                assert!(v.iter().all(|&b| b == first));
                v.truncate(1);
                v.shrink_to_fit();
                assert_eq!(v.as_slice(), [first]);
            }
            let zeroed: Vec<Box<[u64]>> = (1..=8).map(|n| vec![0u64; n].into_boxed_slice()).collect();
            assert!(zeroed.iter().all(|b| b.iter().all(|&x| x == 0)));
        }
        // Across threads: blocks made on one thread and freed on another.
        let made: Vec<Vec<u8>> = (1..=64).map(|n| vec![7; n]).collect();
        std::thread::spawn(move || drop(made)).join().unwrap();
        let again: Vec<Vec<u8>> = (1..=64).map(|n| vec![9; n]).collect();
        assert!(again.iter().all(|v| v.iter().all(|&b| b == 9)));
    }
}

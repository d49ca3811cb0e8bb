//! The allocation counter: bytes held now, the most held since the last mark and how many
//! allocations were made. It never allocates, so the global allocator can call it; each
//! thread has its own (plain cells: an atomic add on every allocation cost more than the
//! allocation), and tests use instances of their own.

use std::cell::Cell;

/// Counts what an allocator hands out and takes back.
#[derive(Debug)]
pub struct Counter {
    /// Wrapping: a thread that frees what another made goes below zero.
    current: Cell<usize>,
    peak: Cell<usize>,
    allocations: Cell<u64>,
}

/// The counter's figures at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snapshot {
    /// Bytes held now.
    pub current: usize,
    /// The most bytes held since the last mark.
    pub peak: usize,
    /// Allocations made since the program started (growing a block counts as one).
    pub allocations: u64,
}

/// Where a measurement started (see [`Counter::start`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    current: usize,
    allocations: u64,
    outer_peak: usize,
}

impl Default for Counter {
    fn default() -> Self {
        Counter::new()
    }
}

impl Counter {
    /// A counter at zero.
    pub const fn new() -> Counter {
        Counter { current: Cell::new(0), peak: Cell::new(0), allocations: Cell::new(0) }
    }

    /// A block of `size` bytes was handed out.
    pub fn allocated(&self, size: usize) {
        self.allocations.set(self.allocations.get() + 1);
        self.grow(size);
    }

    /// A block of `size` bytes was taken back.
    pub fn freed(&self, size: usize) {
        self.current.set(self.current.get().wrapping_sub(size));
    }

    /// A block of `old` bytes became one of `new` bytes (one allocation).
    pub fn resized(&self, old: usize, new: usize) {
        self.allocations.set(self.allocations.get() + 1);
        if new >= old {
            self.grow(new - old);
        } else {
            self.freed(old - new);
        }
    }

    fn grow(&self, size: usize) {
        let now = self.current.get().wrapping_add(size);
        self.current.set(now);
        if now > self.peak.get() {
            self.peak.set(now);
        }
    }

    /// The figures now.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot { current: self.current.get(), peak: self.peak.get(), allocations: self.allocations.get() }
    }

    /// Starts a measurement: remembers what is held and lowers the peak to it, keeping
    /// the peak so far for [`Counter::finish`] to put back.
    pub fn start(&self) -> Mark {
        let current = self.current.get();
        let outer_peak = self.peak.replace(current);
        Mark { current, allocations: self.allocations.get(), outer_peak }
    }

    /// The figures since `mark`, which goes on counting.
    pub fn since(&self, mark: &Mark) -> super::MemoryFigures {
        let now = self.snapshot();
        super::MemoryFigures {
            held_bytes: now.current.wrapping_sub(mark.current) as isize as i64,
            peak_bytes: now.peak.saturating_sub(mark.current) as u64,
            allocations: now.allocations - mark.allocations,
        }
    }

    /// Ends a measurement nested in another: its figures, and the enclosing peak restored
    /// to the larger of the two.
    pub fn finish(&self, mark: Mark) -> super::MemoryFigures {
        let figures = self.since(&mark);
        self.peak.set(self.peak.get().max(mark.outer_peak));
        figures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_bytes_peak_and_allocations() {
        let c = Counter::new();
        c.allocated(100);
        c.allocated(50);
        c.freed(100);
        assert_eq!(c.snapshot(), Snapshot { current: 50, peak: 150, allocations: 2 });
        c.resized(50, 80);
        c.resized(80, 10);
        assert_eq!(c.snapshot(), Snapshot { current: 10, peak: 150, allocations: 4 });
    }

    #[test]
    fn a_mark_measures_from_where_it_starts() {
        let c = Counter::new();
        c.allocated(1000);
        let mark = c.start();
        assert_eq!(c.snapshot().peak, 1000, "the peak starts again at what is held");
        c.allocated(300);
        c.allocated(200);
        c.freed(300);
        c.freed(1000); // freeing what was held before the mark
        let f = c.since(&mark);
        assert_eq!((f.held_bytes, f.peak_bytes, f.allocations), (-800, 500, 2));
    }

    #[test]
    fn nested_measurements_keep_the_outer_peak() {
        let c = Counter::new();
        let outer = c.start();
        c.allocated(400);
        c.freed(400);
        let inner = c.start();
        c.allocated(100);
        let f = c.finish(inner);
        assert_eq!((f.held_bytes, f.peak_bytes, f.allocations), (100, 100, 1));
        let f = c.since(&outer);
        assert_eq!((f.held_bytes, f.peak_bytes, f.allocations), (100, 400, 2), "the outer peak survives");
    }
}

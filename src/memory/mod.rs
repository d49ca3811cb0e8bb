//! Memory figures, as `memory_profiler` gives them in Python: every allocation of the
//! program goes through a counting allocator (`allocator`) that keeps, for each thread, the
//! bytes held now, the most ever held and how many allocations were made (`counter`); a
//! cell run, or any stretch of code, is measured from a mark (`figures`) on the thread
//! that runs it.

mod allocator;
mod counter;
mod figures;

pub use counter::{Counter, Mark, Snapshot};
pub use figures::{format_bytes, format_count, scaled_bytes, MemoryFigures};

/// Calls `f` with this thread's allocation counter.
fn with_counter<R>(f: impl FnOnce(&Counter) -> R) -> R {
    allocator::COUNTER.with(f)
}

/// What this thread's allocations hold now, their peak and their count.
pub fn snapshot() -> Snapshot {
    with_counter(Counter::snapshot)
}

/// A measurement of everything allocated from now on, until the next [`Measure::start`]
/// at the same level (the kernel starts one per cell run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    mark: Mark,
}

impl Measure {
    /// Starts measuring: the peak is lowered to what is held now.
    pub fn start() -> Measure {
        Measure { mark: with_counter(Counter::start) }
    }

    /// The figures since the start: held bytes relative to it, peak above it, allocations.
    pub fn figures(&self) -> MemoryFigures {
        with_counter(|c| c.since(&self.mark))
    }
}

/// Runs `work` and returns its result with what it allocated: the peak above the bytes
/// held when it started, the bytes still held when it returned (its result included) and
/// how many allocations it made. Measurements nest: an enclosing one keeps its own peak.
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, MemoryFigures) {
    let mark = with_counter(Counter::start);
    let value = work();
    (value, with_counter(|c| c.finish(mark)))
}

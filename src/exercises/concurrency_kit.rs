//! What the threads (F) and processes (G) cells share: reading their forms (durations,
//! counts, a number of workers) with clear errors, and the CPU-bound job of the GIL
//! experiment (counting primes) done three ways: alone, on threads, on processes.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use crate::notebook::{CellContext, CellError, InputNumber};
use crate::parallel::tasks::{count_primes, PRIME_LIMIT};
use crate::parallel::threads::yield_now;
use crate::parallel::Pool;
use crate::pyrepr::float_repr;

/// The longest pause a form may ask for.
const MAX_SECONDS: f64 = 60.0;

/// The most workers a form may ask for.
pub(super) const MAX_WORKERS: usize = 16;

/// How many numbers a thread checks before it lets the others take a turn.
const SLICE: u64 = 20_000;

/// The form's input `name` as a pause in seconds (`1.5`), from 0 to a minute.
pub(super) fn seconds(cx: &CellContext, name: &str) -> Result<Duration, CellError> {
    let value: f64 = cx.param_as(name)?;
    if !(0.0..=MAX_SECONDS).contains(&value) {
        return Err(CellError::new(
            "ValueError",
            format!("input '{name}' must be from 0 to {MAX_SECONDS} seconds, not {}", float_repr(value)),
        ));
    }
    Ok(Duration::from_secs_f64(value))
}

/// The form's input `name` as a whole number from `min` to `max`.
pub(super) fn bounded<T>(cx: &CellContext, name: &str, min: T, max: T) -> Result<T, CellError>
where
    T: InputNumber + PartialOrd + std::fmt::Display + Copy,
{
    let value: T = cx.param_as(name)?;
    if value < min || value > max {
        return Err(CellError::new(
            "ValueError",
            format!("input '{name}' must be from {min} to {max}, not {value}"),
        ));
    }
    Ok(value)
}

/// What the host says of its processors, as a sentence without its full stop: the count
/// the browser reports, or this machine's count where the processes are simulated.
pub(super) fn processors_reported(cx: &CellContext) -> String {
    let processors = crate::words::count(cx.cpu_count(), "processor", "processors");
    if cx.processes_side_by_side() {
        format!("The browser reports {processors} (navigator.hardwareConcurrency)")
    } else {
        format!("This machine has {processors}, but these processes are simulated, taking turns on the kernel's thread")
    }
}

/// The form's input `name` as a number of workers: `auto` is the processors the browser
/// reports (`os.cpu_count()`), else a number from 1 to [`MAX_WORKERS`].
pub(super) fn workers(cx: &CellContext, name: &str) -> Result<usize, CellError> {
    if cx.param(name).trim().eq_ignore_ascii_case("auto") {
        return Ok(cx.cpu_count().clamp(1, MAX_WORKERS));
    }
    bounded(cx, name, 1, MAX_WORKERS)
}

/// The form's input `name` as the upper bound of a prime count, from 1000 to `max`.
pub(super) fn prime_limit(cx: &CellContext, name: &str, max: u64) -> Result<u64, CellError> {
    bounded(cx, name, 1000, max.min(PRIME_LIMIT))
}

/// `[0, limit)` cut into `pieces` ranges of about equal length.
pub(super) fn ranges(limit: u64, pieces: usize) -> Vec<(u64, u64)> {
    let pieces = pieces.max(1) as u64;
    (0..pieces).map(|k| (limit * k / pieces, limit * (k + 1) / pieces)).filter(|(lo, hi)| lo < hi).collect()
}

/// The primes in every range, counted by the calling thread alone.
pub(super) fn primes_alone(chunks: &[(u64, u64)]) -> u64 {
    chunks.iter().map(|&(lo, hi)| count_primes(lo, hi)).sum()
}

/// The primes in every range, counted by `threads` threads that take the ranges from one
/// shared list. Each counts in slices and lets the others take a turn between slices, as
/// Python's threads take turns holding the GIL: they interleave, but only one computes
/// at any moment.
pub(super) async fn primes_on_threads(
    cx: &CellContext,
    chunks: &[(u64, u64)],
    threads: usize,
) -> Result<u64, CellError> {
    let todo = Rc::new(RefCell::new(chunks.iter().copied().collect::<VecDeque<_>>()));
    let handles: Vec<_> = (1..=threads)
        .map(|k| {
            let todo = Rc::clone(&todo);
            cx.spawn_thread(&format!("counter-{k}"), async move {
                let mut found = 0;
                loop {
                    let next = todo.borrow_mut().pop_front(); // shared memory: no message needed
                    let Some((lo, hi)) = next else { break };
                    let mut start = lo;
                    while start < hi {
                        let end = (start + SLICE).min(hi);
                        found += count_primes(start, end);
                        start = end;
                        yield_now().await; // hand the "GIL" to the next thread
                    }
                }
                Ok(found)
            })
        })
        .collect();
    let mut total = 0;
    for handle in handles {
        total += handle.join().await?;
    }
    Ok(total)
}

/// The primes in every range, counted by the pool's processes, one range per job.
pub(super) async fn primes_on_processes(pool: &Pool, chunks: &[(u64, u64)]) -> Result<u64, CellError> {
    let counts: Vec<u64> = pool.map_chunked("count_primes", chunks.to_vec(), 1).await?;
    Ok(counts.iter().sum())
}

/// Starts every worker of `pool` and waits until each has answered once, so the time of
/// what follows does not include starting them.
pub(super) async fn warm_up(pool: &Pool) -> Result<(), CellError> {
    let _: Vec<i64> = pool.map_chunked("square", 0..pool.size() as i64, 1).await?;
    Ok(())
}

/// How far the warm-up counts, in the kernel and in each worker.
const WARM_UP_LIMIT: u64 = 200_000;

/// Starts every worker of `pool` and runs the counting code a few times in each worker and
/// in the kernel before any clock starts: a browser first runs WebAssembly from a quick
/// compile and replaces the code that runs often with an optimized one a moment later, so
/// cold code would make whoever counts first look slow.
pub(super) async fn warm_up_counting(pool: &Pool) -> Result<(), CellError> {
    let pieces = ranges(WARM_UP_LIMIT, pool.size() * 2);
    for piece in &pieces {
        primes_alone(&[*piece]); // the kernel first: its optimizing compile runs meanwhile
    }
    let _: Vec<u64> = pool.map_chunked("count_primes", pieces, 1).await?;
    Ok(())
}

/// `ms` as text with one decimal under 10 ms, whole milliseconds above.
pub(super) fn ms(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

/// How many times faster `new_ms` is than `old_ms`, as `2.0x`.
pub(super) fn speedup(old_ms: f64, new_ms: f64) -> String {
    format!("{:.2}x", old_ms / new_ms.max(0.001))
}

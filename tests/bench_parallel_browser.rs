//! The parallelism benchmark in headless Chromium, inside a dedicated worker (where the
//! kernel lives), with real nested workers: counting the primes below 20 million in 40
//! chunks on 1, 2 and 4 processes, on 4 threads, and in the kernel itself; then the
//! dispatch cost per task of 10,000 tiny tasks, one per job and chunked. It prints a
//! table, then its figures as `FIGURE parallel_…` lines for `scripts/bench.sh`, and
//! asserts only that every configuration counts the same primes. Not part of
//! `scripts/test.sh` (figures are not tests); run it with `scripts/bench-parallel.sh`, or:
//!
//! ```sh
//! CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 cargo test --release \
//!     --target wasm32-unknown-unknown --test bench_parallel_browser -- --nocapture
//! ```
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use notebook::browser::BrowserPlatform;
use notebook::notebook::CellError;
use notebook::parallel::{tasks::count_primes, Processes, Run};
use notebook::platform::Platform;
use notebook::vfs::FileSystem;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

const LIMIT: u64 = 20_000_000;
const CHUNKS: u64 = 40;
const TINY_TASKS: i64 = 10_000;

fn chunks() -> Vec<(u64, u64)> {
    let step = LIMIT / CHUNKS;
    (0..CHUNKS).map(|i| (i * step, if i + 1 == CHUNKS { LIMIT } else { (i + 1) * step })).collect()
}

fn now() -> f64 {
    BrowserPlatform.now_ms()
}

/// Counts the primes on a pool of `workers` (started and warmed up beforehand); answers
/// (primes, milliseconds, start-up milliseconds).
async fn on_processes(run: &Run, workers: usize) -> (u64, f64, f64) {
    let start = now();
    let pool = run.pool(workers).expect("a pool starts");
    let _: Vec<i64> = pool.map_chunked("square", 0..workers as i64, 1).await.expect("the workers answer");
    let booted = now() - start;
    let start = now();
    let counts: Vec<u64> =
        pool.map_chunked("count_primes", chunks(), 1).await.expect("the primes are counted");
    let elapsed = now() - start;
    pool.terminate();
    (counts.iter().sum(), elapsed, booted)
}

/// Counts the primes on `threads` threads of the kernel's loop, each taking chunks in turn
/// and yielding between them (where Python's GIL would switch threads).
async fn on_threads(run: &Run, threads: usize) -> (u64, f64) {
    let start = now();
    let total = Rc::new(RefCell::new(0u64));
    let mut handles = Vec::new();
    for t in 0..threads {
        let (run2, total) = (run.clone(), Rc::clone(&total));
        let mine: Vec<(u64, u64)> = chunks().into_iter().skip(t).step_by(threads).collect();
        handles.push(run.spawn_thread(&format!("counter-{t}"), async move {
            for (lo, hi) in mine {
                *total.borrow_mut() += count_primes(lo, hi);
                run2.sleep(Duration::ZERO).await;
            }
            Ok::<(), CellError>(())
        }));
    }
    for handle in handles {
        handle.join().await.expect("a thread ends");
    }
    let total = *total.borrow();
    (total, now() - start)
}

/// Microseconds per task for `TINY_TASKS` squares on 4 workers with `chunksize`.
async fn dispatch(run: &Run, chunksize: usize) -> f64 {
    let pool = run.pool(4).expect("a pool starts");
    let _: Vec<i64> = pool.map_chunked("square", 0..4, 1).await.expect("the workers answer");
    let start = now();
    let squares: Vec<i64> = pool.map_chunked("square", 0..TINY_TASKS, chunksize).await.expect("squares");
    let elapsed = now() - start;
    assert_eq!(squares.len(), TINY_TASKS as usize);
    pool.terminate();
    elapsed * 1000.0 / TINY_TASKS as f64
}

fn cores() -> String {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into());
    let cores = navigator.and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()));
    cores.ok().and_then(|c| c.as_f64()).map_or("?".into(), |c| c.to_string())
}

#[wasm_bindgen_test]
async fn primes_on_processes_and_threads_and_the_cost_of_dispatch() {
    let processes = Processes::new(
        Some(Rc::new(notebook::browser::BrowserHost::default())),
        Rc::new(BrowserPlatform),
        FileSystem::new(),
    );
    let run = processes.begin_run("bench", Rc::new(|_, _| {}));
    let outcome = run
        .drive(async {
            let mut rows = Vec::new();
            let mut figures = Vec::new();
            let start = now();
            let in_kernel: u64 = chunks().into_iter().map(|(lo, hi)| count_primes(lo, hi)).sum();
            let kernel_ms = now() - start;
            rows.push(("in the kernel, no worker".to_string(), in_kernel, kernel_ms, None));
            figures.push(("parallel_kernel_ms".to_string(), kernel_ms));
            let mut one = None;
            for workers in [1, 2, 4] {
                let (primes, ms, booted) = on_processes(&run, workers).await;
                let base = *one.get_or_insert(ms);
                let label = format!(
                    "{workers} process{} (start-up {booted:.0} ms)",
                    if workers > 1 { "es" } else { "" }
                );
                rows.push((label, primes, ms, Some(base / ms)));
                figures.push((format!("parallel_pool{workers}_ms"), ms));
                figures.push((format!("parallel_pool{workers}_startup_ms"), booted));
            }
            let (primes, ms) = on_threads(&run, 4).await;
            rows.push(("4 threads".to_string(), primes, ms, one.map(|base| base / ms)));
            figures.push(("parallel_threads4_ms".to_string(), ms));
            let one_per_job = dispatch(&run, 1).await;
            let python_default = TINY_TASKS as usize / (4 * 4);
            let chunked = dispatch(&run, python_default).await;
            figures.push(("parallel_dispatch_one_per_job_us".to_string(), one_per_job));
            figures.push(("parallel_dispatch_chunked_us".to_string(), chunked));
            (rows, figures, one_per_job, python_default, chunked)
        })
        .await;
    run.end();
    let (rows, figures, one_per_job, python_default, chunked) = outcome;

    let profile = if cfg!(debug_assertions) { "DEBUG build: figures meaningless" } else { "release profile" };
    let mut table = format!(
        "Primes below {LIMIT} in {CHUNKS} chunks, wasm32 in a dedicated worker, {} logical cores, {profile}\n",
        cores()
    );
    table.push_str(&format!("{:<40} {:>10} {:>10} {:>9}\n", "where", "primes", "ms", "speed-up"));
    for (label, primes, ms, speedup) in &rows {
        let speedup = speedup.map_or("-".to_string(), |s| format!("{s:.2}x"));
        table.push_str(&format!("{label:<40} {primes:>10} {ms:>10.0} {speedup:>9}\n"));
    }
    table.push_str(&format!(
        "Dispatch of {TINY_TASKS} tiny tasks on 4 processes: {one_per_job:.1} µs/task one per job, \
         {chunked:.2} µs/task in chunks of {python_default}\n"
    ));
    table.push('\n');
    for (name, value) in &figures {
        table.push_str(&format!("FIGURE {name} {value:.2}\n"));
    }
    console_log!("{table}");
    let expected = rows[0].1;
    for (label, primes, _, _) in &rows {
        assert_eq!(*primes, expected, "{label} counts the same primes");
    }
}

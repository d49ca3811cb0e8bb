//! The tasks the course's worker processes run (sections F and G), registered by name
//! beside the library's general ones ([`crate::parallel::tasks::general`]). Each prints
//! through its [`TaskContext`], so its lines appear in the cell that started it.
//!
//! [`registry`] is the one list of tasks of the site: the kernel checks names against it
//! (through its `BrowserHost`) and every worker process serves it (`process_main`), so a
//! name cannot be known on one side and missing on the other.

use std::time::Duration;

use crate::case::Case;
use crate::parallel::tasks::{count_primes, general, Registry, PRIME_LIMIT};
use crate::parallel::{Connection, Error, Queue, TaskContext};
use crate::pyrepr::str_repr;

/// The longest a course task sleeps (a typo in a form should not hold a worker for hours).
const MAX_SLEEP_MS: u64 = 60_000;

/// The most copies `repeat_text` makes.
const MAX_REPEAT: i64 = 10_000;

/// Every task the site's worker processes know: the library's general ones and the
/// course's.
pub fn registry() -> Registry {
    let mut r = general();
    add_course_tasks(&mut r);
    r
}

fn add_course_tasks(r: &mut Registry) {
    r.add("start_sleep_complete", |cx: TaskContext, (label, ms): (String, u64)| async move {
        if ms > MAX_SLEEP_MS {
            return Err(Error::value(format!("a process sleeps at most {MAX_SLEEP_MS} ms, not {ms}")));
        }
        cx.println(format!("Process {label} started"));
        cx.sleep(Duration::from_millis(ms)).await;
        cx.println(format!("Process {label} completed"));
        Ok(())
    })
    .add("hello_from_child", |cx: TaskContext, _: serde_json::Value| async move {
        cx.println(format!("Hello from child process {} (pid {})", cx.name(), cx.pid()));
        Ok(())
    })
    .add("repeat_text", |_, (times, text): (i64, String)| async move {
        if !(0..=MAX_REPEAT).contains(&times) {
            return Err(Error::value(format!("can repeat a text 0 to {MAX_REPEAT} times, not {times}")));
        }
        Ok(text.repeat(times as usize))
    })
    .add("print_number", |cx: TaskContext, n: i64| async move {
        cx.println(format!("Process {n}: Printing number {n}"));
        Ok(n)
    })
    .add("introduce", |cx: TaskContext, (lo, hi): (u64, u64)| async move {
        if hi > PRIME_LIMIT {
            return Err(Error::value(format!("introduce counts below {PRIME_LIMIT} at most")));
        }
        let started = cx.now_ms();
        let count = count_primes(lo, hi);
        let ms = cx.now_ms() - started;
        cx.println(format!(
            "{} (pid {}): {} in [{lo}, {hi}), counted in {ms:.0} ms",
            cx.name(),
            cx.pid(),
            crate::words::count(count, "prime", "primes")
        ));
        Ok(count)
    })
    .add("produce_items", |cx: TaskContext, (queue, n): (Queue<String>, u32)| async move {
        for i in 1..=n {
            queue.put(format!("item {i} from {}", cx.name())).await?;
        }
        Ok(n)
    })
    .add("shout_back", |cx: TaskContext, (end, n): (Connection<String>, u32)| async move {
        for _ in 0..n {
            let heard = end.recv().await?;
            let answer = str_repr(&heard.upper());
            end.send(format!("{} heard {} and answers {answer}", cx.name(), str_repr(&heard))).await?;
        }
        Ok(n)
    })
    .add("increment_copy", |cx: TaskContext, counter: i64| async move {
        let counter =
            counter.checked_add(1).ok_or_else(|| Error::new("OverflowError", "the counter overflowed"))?;
        cx.println(format!("in {}: my copy of the counter is now {counter}", cx.name()));
        Ok(counter)
    });
}

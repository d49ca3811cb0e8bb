//! The work a process can run: Rust functions registered by name, as Python's spawn start
//! method finds a function by its qualified name in a fresh interpreter. The kernel and
//! every worker build the same [`Registry`] from code, so a name means the same function
//! on both sides: the [`super::WorkerHost`] names the registry its workers serve, and the
//! kernel checks names against it. Arguments and results travel as JSON (serde).
//!
//! The library's own tasks are [`general`]; an application adds its tasks with
//! [`Registry::add`] (the course's are in `crate::exercises::tasks`). A handle (a queue, a
//! pipe end, a shared value) can be part of the arguments: it reaches the kernel's object
//! from the worker.

use litemap::LiteMap;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::ipc::{Array, Connection, Dict, List, Queue, Value};
use super::link::decode_with;
use super::task_context::TaskContext;

/// A registered task: takes its context and its argument as JSON, answers JSON.
pub type TaskFn = Rc<dyn Fn(TaskContext, Json) -> LocalBoxFuture<'static, Result<Json>>>;

/// Tasks by name.
#[derive(Clone, Default)]
pub struct Registry {
    tasks: LiteMap<&'static str, TaskFn>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.tasks.keys()).finish()
    }
}

/// The error of a task given arguments it cannot decode (one copy, not one per task).
fn bad_arguments(name: &str, error: Error) -> Error {
    Error::type_error(format!("task '{name}' cannot take these arguments: {}", error.message))
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// Registers `task` as `name`. Its argument is decoded from JSON (a tuple from a JSON
    /// array, so `starmap` items are tuples) and its result encoded back.
    pub fn add<A, R, F, Fut>(&mut self, name: &'static str, task: F) -> &mut Registry
    where
        A: DeserializeOwned + 'static,
        R: Serialize + 'static,
        F: Fn(TaskContext, A) -> Fut + 'static,
        Fut: Future<Output = Result<R>> + 'static,
    {
        let task = Rc::new(task);
        let wrapped: TaskFn = Rc::new(move |cx: TaskContext, args: Json| {
            let task = Rc::clone(&task);
            Box::pin(async move {
                let args: A = decode_with(cx.link(), args).map_err(|e| bad_arguments(name, e))?;
                let result = task(cx, args).await?;
                serde_json::to_value(result).map_err(Error::from)
            })
        });
        self.tasks.insert(name, wrapped);
        self
    }

    /// The task called `name`.
    pub fn get(&self, name: &str) -> Result<TaskFn> {
        self.tasks.get(name).cloned().ok_or_else(|| self.unknown(name))
    }

    /// Fails as [`Registry::get`] would, without taking the task.
    pub fn check(&self, name: &str) -> Result<()> {
        if self.tasks.contains_key(name) {
            Ok(())
        } else {
            Err(self.unknown(name))
        }
    }

    /// The registered names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        self.tasks.keys().copied().collect()
    }

    fn unknown(&self, name: &str) -> Error {
        Error::new(
            "AttributeError",
            format!("no task named '{name}' is registered (known: {})", self.names().join(", ")),
        )
    }
}

/// The library's general tasks (arithmetic, primes, sleeps, files, logging, IPC round
/// trips, and failing or panicking on purpose), which its tests and demos use.
pub fn general() -> Registry {
    let mut r = Registry::new();
    r.add("square", |_, x: i64| async move { checked(x.checked_mul(x)) })
        .add("multiply", |_, (a, b): (i64, i64)| async move { checked(a.checked_mul(b)) })
        .add("count_primes", |_, (lo, hi): (u64, u64)| async move {
            if hi > PRIME_LIMIT {
                return Err(Error::value(format!("count_primes counts below {PRIME_LIMIT} at most")));
            }
            Ok(count_primes(lo, hi))
        })
        .add("sleep_then_echo", |cx: TaskContext, (ms, value): (u64, Json)| async move {
            cx.sleep(Duration::from_millis(ms)).await;
            Ok(value)
        })
        .add("fail_with", |_, message: String| async move { Err::<(), _>(Error::value(message)) })
        .add("panic_now", |_, _: Json| async move { panic_now() })
        .add("append_line", |cx: TaskContext, (path, text): (String, String)| async move {
            cx.append_text(&path, &format!("{text}\n")).await
        })
        .add("print_lines", |cx: TaskContext, n: u64| async move {
            for i in 1..=n {
                cx.println(format!("{} prints line {i} of {n}", cx.name()));
                cx.sleep(Duration::from_millis(1)).await;
            }
            Ok(n)
        })
        .add("log_message", |_, (level, logger, text): (i32, String, String)| async move {
            crate::logging::get_logger(&logger).log(level, &text);
            Ok(())
        })
        .add("read_text", |cx: TaskContext, path: String| async move { cx.read_text(&path).await })
        .add("whoami", |cx: TaskContext, _: Json| async move { Ok((cx.name().to_string(), cx.pid())) })
        .add("relay", |_, (from, to, n): (Queue<Json>, Queue<Json>, usize)| async move {
            for _ in 0..n {
                to.put(from.get().await?).await?;
            }
            Ok(n)
        })
        .add("echo_pipe", |cx: TaskContext, (end, n): (Connection<Json>, usize)| async move {
            for _ in 0..n {
                let message = end.recv().await?;
                end.send(serde_json::json!({ "echo": message, "from": cx.name() })).await?;
            }
            Ok(n)
        })
        .add("add_to_value", |_, (value, times): (Value<i64>, u32)| async move {
            for _ in 0..times {
                value.add(1).await?;
            }
            Ok(())
        })
        .add("add_to_float_array", |_, (array, times): (Array<f64>, u32)| async move {
            for i in 0..times {
                array.add(i64::from(i) % 2, 0.5).await?;
            }
            Ok(())
        })
        .add("in_shared_memory", |_, (value, array): (Value<i64>, Array<f64>)| async move {
            Ok((value.in_shared_memory(), array.in_shared_memory()))
        })
        .add("square_into_array", |_, (array, index): (Array<i64>, i64)| async move {
            let x = array.get(index).await?;
            array.set(index, checked(x.checked_mul(x))?).await
        })
        .add(
            "record_in_manager",
            |cx: TaskContext, (dict, list, key): (Dict<u32>, List<String>, String)| async move {
                dict.set(&key, cx.pid()).await?;
                list.append(key).await
            },
        );
    r
}

fn checked(value: Option<i64>) -> Result<i64> {
    value.ok_or_else(|| Error::new("OverflowError", "the result does not fit in 64 bits"))
}

/// Panics on purpose: the process dies, and only the task it ran fails.
///
/// Reachable only inside a process worker: the kernel uses the registry to check task
/// names, and only `worker_side` (the worker's own loop) looks a task up and runs it. The
/// panic ends that worker; the kernel hears of its death and fails the task it ran (the
/// reliability tests kill workers this way), so the notebook's state is never at stake.
/// Natively the simulated host runs a worker as a task of the kernel's thread, and catches
/// its unwinding the same way (`parallel::simulated`).
#[allow(clippy::panic)]
fn panic_now() -> Result<()> {
    panic!("panic_now was asked to panic")
}

/// The largest `hi` the `count_primes` task takes (its table of small primes stays small).
pub const PRIME_LIMIT: u64 = 1_000_000_000_000;

/// How many primes `n` satisfy `lo <= n < hi`, by trial division by the primes up to
/// √hi: honest CPU-bound work whose cost grows with `hi` (at most [`PRIME_LIMIT`]).
pub fn count_primes(lo: u64, hi: u64) -> u64 {
    let hi = hi.min(PRIME_LIMIT);
    if hi <= 2 || lo >= hi {
        return 0;
    }
    let base = small_primes(isqrt(hi - 1));
    (lo.max(2)..hi).filter(|&n| base.iter().take_while(|&&p| p * p <= n).all(|&p| n % p != 0)).count() as u64
}

/// The primes up to `limit`, by the sieve of Eratosthenes.
fn small_primes(limit: u64) -> Vec<u64> {
    let limit = limit as usize;
    let mut composite = vec![false; limit + 1];
    let mut primes = Vec::new();
    for n in 2..=limit {
        if !composite[n] {
            primes.push(n as u64);
            let mut m = n * n;
            while m <= limit {
                composite[m] = true;
                m += n;
            }
        }
    }
    primes
}

fn isqrt(n: u64) -> u64 {
    let mut r = (n as f64).sqrt() as u64;
    while r * r > n {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= n {
        r += 1;
    }
    r
}

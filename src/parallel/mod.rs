//! Parallelism after Python's `multiprocessing` and `threading`, on the browser's model:
//!
//! - a **process** is a web worker running this same wasm module, with its own memory:
//!   truly parallel, isolated, talking by messages. It runs a task registered by name
//!   ([`tasks`]), its arguments and result as JSON. [`Process`], [`Pool`], and the IPC
//!   objects [`Queue`], [`Connection`] (a pipe end), [`Value`], [`Array`], [`Dict`],
//!   [`List`], all owned by the kernel.
//! - a **thread** is a task on the kernel's single event loop: concurrent, interleaving
//!   at its waits, sharing memory, never in parallel, which is Python's GIL made visible
//!   ([`threads`], [`Lock`], [`Event`]).
//!
//! The kernel owns a [`Processes`] table; each cell run is a [`Run`] that drives the
//! cell's code with its threads and ends its workers when it stops. Workers start through
//! a [`WorkerHost`]: web workers in the browser, the [`SimulatedHost`] natively.
//!
//! In a cell (`cx` is its `CellContext`; every error converts to the cell's with `?`):
//!
//! ```ignore
//! let pool = cx.pool(cx.cpu_count())?;
//! let squares: Vec<i64> = pool.map("square", 1..=5).await?; // [1, 4, 9, 16, 25]
//! let mut done = pool.imap_unordered::<_, u64>("count_primes", [(0, 1_000_000), (1_000_000, 2_000_000)], 1)?;
//! while let Some(count) = done.next().await {
//!     cx.println(count?);
//! }
//! let (inbox, outbox) = (cx.queue::<serde_json::Value>()?, cx.queue::<serde_json::Value>()?);
//! let relay = cx.process("relay", (inbox.clone(), outbox.clone(), 1))?;
//! relay.start()?;
//! inbox.put(serde_json::json!("hello")).await?;
//! cx.println(outbox.get().await?);
//! relay.join().await?;
//! let worker = cx.clone();
//! let thread = cx.spawn_thread("counter", async move {
//!     worker.sleep(std::time::Duration::from_secs(1)).await;
//!     Ok(42)
//! });
//! cx.println(thread.join().await?);
//! ```
//!
//! Files: `tasks` (a `Registry` of tasks by name; the library's `general` ones), `processes`
//! (the kernel's table: live workers, reported after every change, and the spans of every
//! job), `pool`, `process`, `results`, `store` and `ipc` (IPC objects the kernel keeps),
//! `shared_memory` (numbers in shared memory with atomics where the host has some),
//! `worker_side` (a worker's loop), `host` and `simulated` (web workers in the browser, tasks
//! natively), `run`, `group`, `threads`, `timeline`, `sync` (a cell run's task group and
//! threads), `message`, `message_json` (its JSON, by hand) and `link` (what travels),
//! `error`.

mod error;
mod group;
mod host;
mod ipc;
mod link;
mod message;
mod message_json;
mod overlap;
mod pool;
mod process;
mod processes;
mod results;
mod run;
mod shared_memory;
mod simulated;
mod store;
mod sync;
mod task_context;
pub mod tasks;
pub mod threads;
mod timeline;
mod worker_side;

pub use error::{Error, Result};
pub use group::{Drive, Group, Spawner};
pub use host::{WorkerEvent, WorkerHandle, WorkerHost};
pub use ipc::{Array, Connection, Dict, List, Queue, Value};
pub use link::{decode_with, with_link, Link};
pub use message::{FromWorker, Outcome, Packet, Request, ToWorker};
pub use overlap::most_at_once;
pub use pool::Pool;
pub use process::{Process, TERMINATED};
pub use processes::{JobSpan, Printer, Processes, WorkerInfo, WorkerState};
pub use results::{AsyncResult, Results};
pub use run::{Manager, Run};
pub use shared_memory::{receive_memory, Cells, Kind, Layout, SharedMemory};
pub use simulated::SimulatedHost;
pub use sync::{Event, Lock, LockGuard};
pub use task_context::TaskContext;
pub use threads::{ThreadError, ThreadHandle, ThreadInfo, ThreadSpan, Turn};
pub use timeline::SLACK_MS;
pub use worker_side::{serve, serve_with};

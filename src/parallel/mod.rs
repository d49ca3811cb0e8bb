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
//! ```ignore
//! let pool = cx.pool(4)?;
//! let squares: Vec<i64> = pool.map("square", 1..=5).await?;        // [1, 4, 9, 16, 25]
//! let q = cx.queue::<String>();
//! let p = cx.process("echo_to_queue", (q.clone(), "hi"))?;
//! p.start()?;
//! let t = cx.spawn_thread("numbers", async move { Ok(42) });
//! let answer = t.join().await?;
//! ```

mod error;
mod group;
mod host;
mod ipc;
mod link;
mod message;
mod pool;
mod process;
mod processes;
mod results;
mod run;
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
pub use message::{FromWorker, Outcome, Request, ToWorker};
pub use pool::Pool;
pub use process::{Process, TERMINATED};
pub use processes::{Printer, Processes, WorkerInfo, WorkerState};
pub use results::{AsyncResult, Results};
pub use run::{Manager, Run};
pub use simulated::SimulatedHost;
pub use sync::{Event, Lock, LockGuard};
pub use task_context::TaskContext;
pub use threads::{ThreadHandle, ThreadInfo};
pub use timeline::SLACK_MS;
pub use worker_side::serve;

//! Script cells: JavaScript a person writes, run by the script engine (Boa, in
//! `crates/script_engine`) against this crate as its standard library.
//!
//! - `engines.rs`: the kernel's engine, made by a loader on the first script run (in the
//!   browser a second wasm module; natively the engine crate itself), and what outlives a
//!   run (the script's open files);
//! - `run.rs`: a run: the engine stepped in time slices, Stop, the host's waits settled;
//! - `host.rs`: the engine's calls into the notebook, answered (printing, waiting, tables,
//!   memory, threads and their timeline);
//! - `files.rs`: `open`, the file methods and `os`, over the kernel's file system;
//! - `logs.rs`: `logging`: the kernel's loggers by name, and the handlers scripts make;
//! - `waits.rs`: the calls answered later (a sleep, a prompt, a queue's `get`), by id;
//! - `ipc.rs`: `Queue`, `Pipe` and `Value`, the kernel's IPC objects by their handles;
//! - `pools.rs`: `Pool`, the kernel's worker processes running script functions;
//! - `process_task.rs`: the task `script.call`, a worker's side: its own engine runs the
//!   function's source on the arguments.
//!
//! Architecture invariant: everything crosses between kernel and engine as
//! `script_wire::Value` bytes, natively too, so the native tests test what the browser runs.

mod engines;
mod files;
mod host;
mod ipc;
mod logs;
mod pools;
mod process_task;
mod run;
mod waits;

pub use engines::{EngineLoader, ScriptEngines};
pub use pools::SCRIPT_TASK;
pub use process_task::add_script_task;
pub use run::run;

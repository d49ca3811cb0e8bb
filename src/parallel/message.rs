//! The messages between the kernel and a worker process, as JSON text (what `postMessage`
//! carries in the browser and what the simulated host passes natively, so both exercise
//! the same encoding), with a file's bytes beside the text, never inside it ([`Packet`]).

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::error::{Error, Result};

/// What one item of a job gave: its result as JSON, or the task's error.
pub type Outcome = std::result::Result<Json, Error>;

/// One message as it travels: the JSON text of a [`ToWorker`] or [`FromWorker`], and the
/// bytes that go beside it: a file's contents, for a [`Request::WriteFile`] and the reply
/// to a [`Request::ReadFile`] (in the browser a transferred `ArrayBuffer`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Packet {
    /// The JSON text.
    pub text: String,
    /// A file's bytes, if the message carries one.
    pub bytes: Option<Vec<u8>>,
}

impl From<String> for Packet {
    fn from(text: String) -> Packet {
        Packet { text, bytes: None }
    }
}

/// From the kernel to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ToWorker {
    /// Who the worker is (the first message it gets).
    Init {
        /// Its name, e.g. `SpawnPoolWorker-2`.
        name: String,
        /// Its process id.
        pid: u32,
    },
    /// Run task `task` once per item, in order, and answer with one `Done`.
    Run {
        /// The job's number, echoed in `Done`.
        job: u64,
        /// The registered task's name.
        task: String,
        /// One argument (as JSON) per call.
        items: Vec<Json>,
    },
    /// The answer to the worker's request `id`.
    Reply {
        /// The request's number.
        id: u64,
        /// Its result.
        result: Outcome,
    },
}

/// From a worker to the kernel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker listens: messages sent before this are held by the kernel.
    Ready,
    /// Text the task printed, for the output of the cell that started the work.
    Print {
        /// The text, newline included if any.
        text: String,
        /// Whether it goes to the error stream.
        stderr: bool,
    },
    /// A request the kernel answers with `Reply` (files, queues, shared values).
    Request {
        /// A number the worker chose, echoed in the reply.
        id: u64,
        /// What is asked.
        request: Request,
    },
    /// A job is over: one outcome per item.
    Done {
        /// The job's number.
        job: u64,
        /// The outcomes, in item order.
        results: Vec<Outcome>,
        /// When the worker began the job, on the shared clock
        /// ([`crate::platform::Platform::shared_clock_ms`]).
        began_ms: f64,
        /// When it ended it, on the same clock: from `began_ms`, its time at work, without
        /// the messages' travel.
        ended_ms: f64,
    },
    /// A log record made in the worker, for the kernel's loggers and handlers (Python's
    /// `QueueHandler` in the worker and `QueueListener` in the main process).
    Log {
        /// The record, with the worker's process name and pid.
        record: Box<crate::logging::Record>,
    },
    /// The task panicked; the worker is dying (its memory may be inconsistent).
    Panicked {
        /// The panic's message.
        message: String,
    },
}

/// A request to the kernel, from a worker or from the kernel's own cell code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// A file's whole contents, answered as the reply's bytes.
    ReadFile {
        /// Its path (relative to the kernel's working directory).
        path: String,
    },
    /// Creates or replaces a file with the request's bytes.
    WriteFile {
        /// Its path.
        path: String,
    },
    /// Appends text at the end of a file, creating it if needed.
    AppendText {
        /// Its path.
        path: String,
        /// The text.
        text: String,
    },
    /// Puts an item at the back of a queue.
    QueuePut {
        /// The queue.
        id: u64,
        /// The item.
        item: Json,
    },
    /// Takes the item at the front of a queue, waiting for one if it is empty.
    QueueGet {
        /// The queue.
        id: u64,
        /// How long to wait at most (milliseconds), then fail with `Empty`.
        timeout_ms: Option<f64>,
    },
    /// How many items a queue holds.
    QueueSize {
        /// The queue.
        id: u64,
    },
    /// A shared object's whole value (a value, an array, a list, a dict).
    Load {
        /// The object.
        id: u64,
    },
    /// Replaces a shared object's value (a value) or one element of it (`key` given).
    Store {
        /// The object.
        id: u64,
        /// The array index or dict key, if one element is meant.
        key: Option<Json>,
        /// The new value.
        value: Json,
    },
    /// Adds a number to a shared number (or to one element) and answers the new value.
    Add {
        /// The object.
        id: u64,
        /// The array index, if one element is meant.
        key: Option<Json>,
        /// The number to add.
        delta: Json,
    },
    /// One element of a shared array, list or dict.
    Item {
        /// The object.
        id: u64,
        /// The index or key.
        key: Json,
    },
    /// Appends to a shared list.
    Append {
        /// The list.
        id: u64,
        /// The item.
        value: Json,
    },
}

impl Request {
    /// Whether it reads or writes a whole file, with the bytes beside the message.
    pub fn is_file(&self) -> bool {
        matches!(self, Request::ReadFile { .. } | Request::WriteFile { .. })
    }
}

/// Encodes a message as JSON text (by hand: see `message_json.rs`).
pub fn encode<T: crate::json::ToJson>(message: &T) -> Result<String> {
    Ok(crate::json::to_string(message))
}

/// Decodes a message from JSON text (by hand: see `message_json.rs`).
pub fn decode<T: crate::json::FromJson>(text: &str) -> Result<T> {
    Ok(crate::json::read(text)?)
}

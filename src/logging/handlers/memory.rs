//! The memory handler: every record kept as a structured entry for the page's log viewer.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::super::errors::LogError;
use super::super::handler::{typed_handler, Emit, Handler};
use super::super::record::Record;

/// How many entries a memory handler keeps unless told otherwise.
pub const DEFAULT_CAPACITY: usize = 10_000;

/// One record as the log viewer shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Numbers entries from 1, in order, across `clear`.
    pub seq: u64,
    /// Milliseconds since 1970.
    pub created_ms: f64,
    /// The level's number.
    pub level: i32,
    /// The level's name.
    pub level_name: String,
    /// The logger's name.
    pub logger: String,
    /// The message.
    pub message: String,
    /// The record as the handler's formatter formats it (error chain included).
    pub line: String,
    /// The process that logged it.
    pub process_name: String,
}

/// Keeps the newest `capacity` records as [`LogEntry`]s and counts those it dropped.
/// (Not Python's `logging.handlers.MemoryHandler`, which buffers for another handler.)
#[derive(Debug, Clone)]
pub struct MemoryHandler {
    handler: Handler,
    store: Rc<RefCell<Store>>,
}

#[derive(Debug)]
struct Store {
    entries: VecDeque<LogEntry>,
    capacity: usize,
    last_seq: u64,
    dropped: u64,
}

struct MemoryEmit(Rc<RefCell<Store>>);

impl Emit for MemoryEmit {
    fn emit(&mut self, record: &Record, line: &str) -> Result<(), LogError> {
        let Ok(mut store) = self.0.try_borrow_mut() else { return Ok(()) };
        store.last_seq += 1;
        let entry = LogEntry {
            seq: store.last_seq,
            created_ms: record.created_ms(),
            level: record.levelno.0,
            level_name: record.levelname.clone(),
            logger: record.name.clone(),
            message: record.message.clone(),
            line: line.to_string(),
            process_name: record.process_name.clone(),
        };
        if store.entries.len() >= store.capacity {
            store.entries.pop_front();
            store.dropped += 1;
        }
        store.entries.push_back(entry);
        Ok(())
    }
}

impl MemoryHandler {
    /// A handler keeping at most `capacity` entries (at least 1).
    pub fn new(capacity: usize) -> MemoryHandler {
        let store = Rc::new(RefCell::new(Store {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            last_seq: 0,
            dropped: 0,
        }));
        MemoryHandler { handler: Handler::new("MemoryHandler", MemoryEmit(store.clone())), store }
    }

    /// The entries numbered after `seq` (all of them for 0), oldest first.
    pub fn entries_since(&self, seq: u64) -> Vec<LogEntry> {
        self.store
            .try_borrow()
            .map(|s| {
                let start = s.entries.partition_point(|e| e.seq <= seq);
                s.entries.range(start..).cloned().collect()
            })
            .unwrap_or_default()
    }

    /// Every entry kept, oldest first.
    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries_since(0)
    }

    /// The number of the newest entry (0 before any).
    pub fn last_seq(&self) -> u64 {
        self.store.try_borrow().map(|s| s.last_seq).unwrap_or(0)
    }

    /// How many entries were dropped to stay within the capacity (since the last `clear`).
    pub fn dropped(&self) -> u64 {
        self.store.try_borrow().map(|s| s.dropped).unwrap_or(0)
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.store.try_borrow().map(|s| s.entries.len()).unwrap_or(0)
    }

    /// Whether no entry is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every entry and the dropped count; numbering goes on.
    pub fn clear(&self) {
        if let Ok(mut s) = self.store.try_borrow_mut() {
            s.entries.clear();
            s.dropped = 0;
        }
    }
}

impl Default for MemoryHandler {
    fn default() -> Self {
        MemoryHandler::new(DEFAULT_CAPACITY)
    }
}

typed_handler!(MemoryHandler);

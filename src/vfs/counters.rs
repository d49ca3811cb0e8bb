//! Counts of raw calls (the model's system calls) and bytes, per open file and in total.

use std::cell::Cell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

/// Raw reads and writes and the bytes they moved.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IoCounts {
    /// Raw read calls.
    pub raw_reads: u64,
    /// Raw write calls.
    pub raw_writes: u64,
    /// Bytes returned by raw reads.
    pub bytes_read: u64,
    /// Bytes stored by raw writes.
    pub bytes_written: u64,
}

impl IoCounts {
    fn add_read(&mut self, bytes: usize) {
        self.raw_reads += 1;
        self.bytes_read += bytes as u64;
    }

    fn add_write(&mut self, bytes: usize) {
        self.raw_writes += 1;
        self.bytes_written += bytes as u64;
    }
}

/// One open file's counts, and the file system's totals it also adds to.
#[derive(Debug, Clone)]
pub(crate) struct Counters {
    own: Rc<Cell<IoCounts>>,
    total: Rc<Cell<IoCounts>>,
}

impl Counters {
    pub(crate) fn new(total: Rc<Cell<IoCounts>>) -> Counters {
        Counters { own: Rc::default(), total }
    }

    pub(crate) fn read(&self, bytes: usize) {
        for cell in [&self.own, &self.total] {
            let mut c = cell.get();
            c.add_read(bytes);
            cell.set(c);
        }
    }

    pub(crate) fn write(&self, bytes: usize) {
        for cell in [&self.own, &self.total] {
            let mut c = cell.get();
            c.add_write(bytes);
            cell.set(c);
        }
    }

    pub(crate) fn get(&self) -> IoCounts {
        self.own.get()
    }
}

//! Joins the logging package to the kernel: what stream handlers (and Python's "last
//! resort") write goes to the running cell's output, and every record a logger accepts
//! goes to the page's log viewer as a `log_record` message.

use std::cell::Cell;
use std::rc::Rc;

use super::outbox::Outbox;
use super::protocol::{Header, LogEntry, Stream, StreamName, ToPage};
use crate::logging::{self, OutputStream, Record};

/// Sends every accepted record to the page (numbered from 1).
pub fn feed_log_viewer(outbox: Rc<Outbox>) {
    let seq = Cell::new(0u64);
    logging::set_record_tap(Some(Rc::new(move |record: &Record| {
        seq.set(seq.get() + 1);
        let message = match &record.exc_text {
            Some(exc) => format!("{}\n{exc}", record.message),
            None => record.message.clone(),
        };
        let entry = LogEntry {
            seq: seq.get(),
            created_ms: record.created * 1000.0,
            level: u32::try_from(record.levelno.0).unwrap_or(0),
            level_name: record.levelname.clone(),
            logger: record.name.clone(),
            message,
            process_name: record.process_name.clone(),
        };
        outbox.send(None, ToPage::LogRecord(entry));
    })));
}

/// While alive, logging output goes to the cell answering `request`.
pub struct CellLogOutput;

impl CellLogOutput {
    /// Routes stream handlers' text to the cell of `request`.
    pub fn route(outbox: &Rc<Outbox>, request: &Header) -> CellLogOutput {
        let (outbox, request) = (Rc::clone(outbox), request.clone());
        logging::set_output_sink(Some(Rc::new(move |stream: OutputStream, text: &str| {
            let name = match stream {
                OutputStream::Stdout => StreamName::Stdout,
                OutputStream::Stderr => StreamName::Stderr,
            };
            outbox.send(Some(&request), ToPage::Stream(Stream { name, text: text.to_string() }));
        })));
        CellLogOutput
    }
}

impl Drop for CellLogOutput {
    fn drop(&mut self) {
        logging::set_output_sink(None);
    }
}

//! The stream handler: each record to the running cell's stdout or stderr, and Python's
//! "last resort" for records no handler took.

use super::super::errors::LogError;
use super::super::format::Formatter;
use super::super::handler::{typed_handler, Emit, Handler};
use super::super::hooks::OutputStream;
use super::super::level::WARNING;
use super::super::record::Record;
use super::sink::write_output;

/// Python's `StreamHandler`: writes the formatted record and `\n` to a cell's output
/// stream through the output hook (`set_output_sink`).
#[derive(Debug, Clone)]
pub struct StreamHandler {
    handler: Handler,
}

struct StreamEmit {
    stream: OutputStream,
}

impl Emit for StreamEmit {
    fn emit(&mut self, _record: &Record, line: &str) -> Result<(), LogError> {
        let mut text = String::with_capacity(line.len() + 1);
        text.push_str(line);
        text.push('\n');
        write_output(self.stream, &text);
        Ok(())
    }
}

impl StreamHandler {
    /// A handler writing to `stream`.
    pub fn new(stream: OutputStream) -> StreamHandler {
        StreamHandler { handler: Handler::new("StreamHandler", StreamEmit { stream }) }
    }
}

impl Default for StreamHandler {
    /// To stderr, as Python's `StreamHandler()`.
    fn default() -> Self {
        StreamHandler::new(OutputStream::Stderr)
    }
}

typed_handler!(StreamHandler);

/// Python's `lastResort`: with no handler anywhere on a record's way, a record of WARNING
/// or above still reaches stderr, as its bare message.
pub(crate) fn last_resort(record: &Record) {
    if record.levelno >= WARNING {
        let mut text = Formatter::default().format(record);
        text.push('\n');
        write_output(OutputStream::Stderr, &text);
    }
}

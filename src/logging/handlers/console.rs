//! The console handler: each record to the browser's console, by level.

use super::super::errors::LogError;
use super::super::handler::{typed_handler, Emit, Handler};
use super::super::record::Record;
use super::sink::write_console;

/// Hands each formatted record and its level to the console hook (`set_console_sink`);
/// the browser glue maps levels to `console.debug/info/warn/error`.
#[derive(Debug, Clone)]
pub struct ConsoleHandler {
    handler: Handler,
}

struct ConsoleEmit;

impl Emit for ConsoleEmit {
    fn emit(&mut self, record: &Record, line: &str) -> Result<(), LogError> {
        write_console(record.levelno, line);
        Ok(())
    }
}

impl ConsoleHandler {
    /// A console handler.
    pub fn new() -> ConsoleHandler {
        ConsoleHandler { handler: Handler::new("ConsoleHandler", ConsoleEmit) }
    }
}

impl Default for ConsoleHandler {
    fn default() -> Self {
        ConsoleHandler::new()
    }
}

typed_handler!(ConsoleHandler);

//! The hooks a host installs for the text that leaves the logging package (the running
//! cell's output, the browser console) and for every record (the log viewer). The
//! thread's state holds them; `handlers::sink` installs and calls them.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::level::Level;
use super::record::Record;

/// The two output streams of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OutputStream {
    /// `sys.stdout`.
    Stdout,
    /// `sys.stderr` (where Python's `StreamHandler` writes by default).
    Stderr,
}

/// Receives text for a cell's output: the stream and the text, newline included.
pub type OutputSink = Rc<dyn Fn(OutputStream, &str)>;

/// Receives a console line: the record's level (to pick console.debug/info/warn/error)
/// and the formatted line.
pub type ConsoleSink = Rc<dyn Fn(Level, &str)>;

/// Sees every record a logger accepts, before its handlers (the kernel feeds the page's
/// log viewer with it). Unlike a handler on the root it changes nothing Python code can
/// observe: `basic_config` still finds the root without handlers.
pub type RecordTap = Rc<dyn Fn(&Record)>;

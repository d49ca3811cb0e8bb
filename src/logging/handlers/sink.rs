//! Where text leaves the logging package: installing and calling the hooks the kernel
//! gives (`logging::hooks`: the running cell's output, the browser console, the record
//! tap), and the report of a handler's failure.

use super::super::errors::LogError;
use super::super::hooks::{ConsoleSink, OutputSink, OutputStream, RecordTap};
use super::super::level::{Level, ERROR};
use super::super::record::Record;
use super::super::state::{with_state, MAX_UNREPORTED};
use crate::pyrepr::str_repr;

/// Installs (or with `None` removes) this thread's record tap.
pub fn set_record_tap(tap: Option<RecordTap>) {
    with_state(|s| s.record_tap = tap);
}

/// Shows `record` to the tap, if one is installed.
pub(crate) fn tap_record(record: &Record) {
    if let Some(tap) = with_state(|s| s.record_tap.clone()).flatten() {
        tap(record);
    }
}

/// Installs (or with `None` removes) this thread's output hook. Without one, what stream
/// handlers write is kept nowhere (no cell is running to show it).
pub fn set_output_sink(sink: Option<OutputSink>) {
    with_state(|s| s.output_sink = sink);
}

/// Installs (or with `None` removes) this thread's console hook.
pub fn set_console_sink(sink: Option<ConsoleSink>) {
    with_state(|s| s.console_sink = sink);
}

/// Writes `text` to the output hook; false if there is none.
pub(crate) fn write_output(stream: OutputStream, text: &str) -> bool {
    match with_state(|s| s.output_sink.clone()).flatten() {
        Some(sink) => {
            sink(stream, text);
            true
        }
        None => false,
    }
}

/// Writes `line` to the console hook; false if there is none.
pub(crate) fn write_console(level: Level, line: &str) -> bool {
    match with_state(|s| s.console_sink.clone()).flatten() {
        Some(sink) => {
            sink(level, line);
            true
        }
        None => false,
    }
}

/// Reports a handler's failure as Python's `Handler.handleError` prints it on stderr:
///
/// ```text
/// --- Logging error ---
/// OSError: [Errno 28] No space left on device
/// Call stack:
///   File "src/cells.rs", line 12, in (unknown function)
/// Message: 'hello'
/// Arguments: ()
/// ```
///
/// It goes to the stderr output hook, else to the console hook at ERROR, else it is kept
/// (the newest 100) for [`take_unreported_errors`]: never lost silently.
pub(crate) fn report_error(record: &Record, error: &LogError) {
    let text = format!(
        "--- Logging error ---\n{}: {}\nCall stack:\n  File {}, line {}, in {}\nMessage: {}\nArguments: ()\n",
        error.python_name(),
        error.message(),
        py_quote(&record.pathname),
        record.lineno,
        record.func_name,
        str_repr(&record.message),
    );
    if write_output(OutputStream::Stderr, &text) || write_console(ERROR, text.trim_end()) {
        return;
    }
    with_state(|s| {
        if s.unreported.len() >= MAX_UNREPORTED {
            s.unreported.pop_front();
        }
        s.unreported.push_back(text);
    });
}

/// A path in double quotes, as tracebacks show files.
fn py_quote(path: &str) -> String {
    format!("\"{path}\"")
}

/// The error reports no hook took (oldest first), emptying the list.
pub fn take_unreported_errors() -> Vec<String> {
    with_state(|s| s.unreported.drain(..).collect()).unwrap_or_default()
}

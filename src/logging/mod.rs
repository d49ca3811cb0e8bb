//! Leveled logging after Python's `logging` package: named loggers in a tree, handlers
//! with their own level, formatter and filters, `%`-style formatters, `basic_config`, and
//! a bridge from the `log` crate. Python's behaviour is the reference; where this module
//! differs on purpose, the item's documentation says so.
//!
//! ```no_run
//! use notebook::logging::{self, BasicConfig, DEBUG};
//! use notebook::vfs::FileSystem;
//!
//! let fs = FileSystem::new();
//! logging::basic_config(BasicConfig {
//!     filename: Some("app.log".into()),
//!     level: Some(DEBUG),
//!     format: Some("%(asctime)s - %(levelname)s - %(message)s".into()),
//!     fs: Some(fs),
//!     ..Default::default()
//! })?;
//! let log = logging::get_logger("app");
//! log.info("started");
//! log.debug_with(|| format!("an expensive {}", "message"));
//! # Ok::<(), notebook::logging::LogError>(())
//! ```
//!
//! State is per thread, as Python's is per process: the kernel is one thread, each native
//! test another. [`reset`] starts a thread's state afresh (a kernel restart, a test).
//! Text leaves through hooks the kernel installs ([`set_output_sink`],
//! [`set_console_sink`]); files go to the virtual file system. Nothing here panics: a
//! failing handler is reported as Python's `handleError` reports it.
//!
//! Files: `level` and `record` are plain values; `names` and `factory` read the thread's
//! `state` to name levels and stamp records; `logger` and its `tree`; `handler` and
//! `handlers/` (stream, console, file, rotating, memory; `sink` installs and calls the
//! `hooks` the kernel gives); `format` and `percent` (`%(...)s` parsing); `strftime` and
//! `time` (`datefmt`, calendar); `config` (`basic_config`); `facade` (the `log` crate
//! bridge); `exc` (cause chains); `errors`.

mod config;
mod errors;
mod exc;
mod facade;
mod factory;
mod format;
mod handler;
mod handlers;
mod hooks;
mod level;
mod logger;
mod macros;
mod names;
mod percent;
mod record;
mod state;
mod strftime;
mod time;
mod tree;

use std::error::Error;
use std::fmt::Display;

pub use config::{basic_config, BasicConfig, BASIC_FORMAT};
pub use errors::{ConfigError, LogError};
pub use exc::ExcInfo;
pub use facade::install_log_facade;
pub use factory::{make_record, process_info, set_process_info, set_record_factory};
pub use format::{Formatter, DEFAULT_FORMAT};
pub use handler::{Emit, Filter, Handler};
pub use handlers::console::ConsoleHandler;
pub use handlers::file::FileHandler;
pub use handlers::memory::{LogEntry, MemoryHandler, DEFAULT_CAPACITY};
pub use handlers::rotating::{rollover, RolloverFs, RotatingFileHandler};
pub use handlers::sink::{set_console_sink, set_output_sink, set_record_tap, take_unreported_errors};
pub use handlers::stream::StreamHandler;
pub use hooks::{ConsoleSink, OutputSink, OutputStream, RecordTap};
pub use level::{Level, CRITICAL, DEBUG, ERROR, INFO, NOTSET, TRACE, WARNING};
pub use logger::{disable, get_logger, handle_record, reset, root, shutdown, Logger};
#[doc(hidden)]
pub use macros::function_name;
pub use names::{add_level_name, get_level_name, level_from_name, level_names_mapping};
pub use record::{CallSite, ProcessInfo, Record, RecordFactory, Stamp, UNKNOWN_FILE, UNKNOWN_FUNCTION};
pub use tree::ROOT_NAME;

/// Python's module-level functions (`logging.info(...)`) give the root logger a stderr
/// handler first if it has none, as they call `basicConfig()`.
fn root_configured() -> Logger {
    let root = root();
    if root.handlers().is_empty() {
        // The default configuration has no file and a valid format: it cannot fail.
        let _ = basic_config(BasicConfig::default());
    }
    root
}

/// Logs on the root logger at DEBUG (`logging.debug`), configuring it first if needed.
#[track_caller]
pub fn debug(message: impl Display) {
    root_configured().log_at(DEBUG, CallSite::caller(), message);
}

/// Logs on the root logger at INFO (`logging.info`), configuring it first if needed.
#[track_caller]
pub fn info(message: impl Display) {
    root_configured().log_at(INFO, CallSite::caller(), message);
}

/// Logs on the root logger at WARNING (`logging.warning`), configuring it first if needed.
#[track_caller]
pub fn warning(message: impl Display) {
    root_configured().log_at(WARNING, CallSite::caller(), message);
}

/// Logs on the root logger at ERROR (`logging.error`), configuring it first if needed.
#[track_caller]
pub fn error(message: impl Display) {
    root_configured().log_at(ERROR, CallSite::caller(), message);
}

/// Logs on the root logger at CRITICAL (`logging.critical`), configuring it first if needed.
#[track_caller]
pub fn critical(message: impl Display) {
    root_configured().log_at(CRITICAL, CallSite::caller(), message);
}

/// Logs on the root logger at `level` (`logging.log`), configuring it first if needed.
#[track_caller]
pub fn log(level: impl Into<Level>, message: impl Display) {
    root_configured().log_at(level.into(), CallSite::caller(), message);
}

/// Logs on the root logger at ERROR with `error`'s cause chain (`logging.exception`),
/// configuring it first if needed.
#[track_caller]
pub fn exception<E: Error + 'static>(message: impl Display, error: &E) {
    root_configured().exception(message, error);
}

//! The bridge from the `log` crate: once [`install_log_facade`] has run, `log::info!` and
//! friends from any crate reach this thread's loggers. The record's target is the logger's
//! name with `::` turned into `.` (`notebook::vfs` logs to `notebook.vfs`).
//!
//! `log`'s levels map to Python's numbers: Error 40, Warn 30, Info 20, Debug 10 and
//! Trace 5, named `TRACE`. `log::max_level` is kept at the most verbose level some logger
//! of the thread enables, so a disabled `log::debug!` costs one comparison. It is one value
//! for the whole process: with several threads logging (native tests), the last change wins.

use std::borrow::Cow;

use super::errors::LogError;
use super::level::{Level, DEBUG, ERROR, INFO, TRACE, WARNING};
use super::logger::{flush_all, get_logger, sync_max_level};
use super::record::{CallSite, UNKNOWN_FILE};
use super::state::{facade_installed, set_facade_installed, with_state};

struct Facade;

static FACADE: Facade = Facade;

fn level_of(level: log::Level) -> Level {
    match level {
        log::Level::Error => ERROR,
        log::Level::Warn => WARNING,
        log::Level::Info => INFO,
        log::Level::Debug => DEBUG,
        log::Level::Trace => TRACE,
    }
}

fn logger_name(target: &str) -> Cow<'_, str> {
    if target.contains("::") {
        Cow::Owned(target.replace("::", "."))
    } else {
        Cow::Borrowed(target)
    }
}

impl log::Log for Facade {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        get_logger(&logger_name(metadata.target())).is_enabled_for(level_of(metadata.level()))
    }

    fn log(&self, record: &log::Record<'_>) {
        let logger = get_logger(&logger_name(record.target()));
        let level = level_of(record.level());
        if !logger.is_enabled_for(level) {
            return;
        }
        let file = match (record.file_static(), record.file()) {
            (Some(f), _) => Cow::Borrowed(f),
            (None, Some(f)) => Cow::Owned(f.to_string()),
            (None, None) => Cow::Borrowed(UNKNOWN_FILE),
        };
        let site = CallSite { file, line: record.line().unwrap_or(0), func: None };
        logger.log_at(level, site, record.args());
    }

    fn flush(&self) {
        flush_all();
    }
}

/// Makes the `log` crate write through this package (once per process; again is fine).
/// Fails only if another logger was installed for `log` first.
pub fn install_log_facade() -> Result<(), LogError> {
    if !facade_installed() {
        let ours = log::set_logger(&FACADE).is_ok()
            || std::ptr::eq(
                log::logger() as *const dyn log::Log as *const (),
                &FACADE as *const Facade as *const (),
            );
        if !ours {
            return Err(LogError::new(
                "RuntimeError",
                "another logger is already installed for the log crate",
            ));
        }
        set_facade_installed();
    }
    with_state(|s| {
        if s.level_names.level("TRACE").is_none() {
            s.level_names.add(TRACE, "TRACE");
        }
    });
    sync_max_level();
    Ok(())
}

//! The bridge from the `log` crate: once [`install_log_facade`] has run, `log::info!` and
//! friends from any crate reach this thread's loggers. The record's target is the logger's
//! name with `::` turned into `.` (`notebook::vfs` logs to `notebook.vfs`).
//!
//! `log`'s levels map to Python's numbers: Error 40, Warn 30, Info 20, Debug 10 and
//! Trace 5, named `TRACE`. `log::max_level` is kept at the most verbose level some logger
//! of the thread enables, so a disabled `log::debug!` costs one comparison. It is one value
//! for the whole process: with several threads logging (native tests), the last change wins.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

use super::errors::LogError;
use super::level::{Level, DEBUG, ERROR, INFO, WARNING};
use super::logger::get_logger;
use super::record::CallSite;
use super::state::with_state;

/// `log::Level::Trace` as a number (below DEBUG).
pub const TRACE: Level = Level(5);

static INSTALLED: AtomicBool = AtomicBool::new(false);

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
            (None, None) => Cow::Borrowed(super::record::UNKNOWN_FILE),
        };
        let site = CallSite { file, line: record.line().unwrap_or(0), func: None };
        logger.log_at(level, site, record.args());
    }

    fn flush(&self) {
        super::logger::flush_all();
    }
}

/// Makes the `log` crate write through this package (once per process; again is fine).
/// Fails only if another logger was installed for `log` first.
pub fn install_log_facade() -> Result<(), LogError> {
    if !INSTALLED.load(Ordering::Acquire) {
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
        INSTALLED.store(true, Ordering::Release);
    }
    with_state(|s| {
        if s.level_names.level("TRACE").is_none() {
            s.level_names.add(TRACE, "TRACE");
        }
    });
    sync_max_level();
    Ok(())
}

/// Whether the facade is installed.
pub(crate) fn installed() -> bool {
    INSTALLED.load(Ordering::Acquire)
}

/// Sets `log::max_level` to the most verbose level this thread's loggers enable.
pub(crate) fn sync_max_level() {
    if !installed() {
        return;
    }
    let Some(level) = with_state(|s| s.tree.most_verbose(s.disable)) else { return };
    let filter = match level.map_or(i32::MAX, |l| l.0) {
        l if l <= TRACE.0 => log::LevelFilter::Trace,
        l if l <= DEBUG.0 => log::LevelFilter::Debug,
        l if l <= INFO.0 => log::LevelFilter::Info,
        l if l <= WARNING.0 => log::LevelFilter::Warn,
        l if l <= ERROR.0 => log::LevelFilter::Error,
        _ => log::LevelFilter::Off,
    };
    log::set_max_level(filter);
}

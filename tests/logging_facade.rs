//! The `log` crate facade. One test in its own binary: `log`'s logger and maximum level
//! are process-wide, so no other test may change them meanwhile.
#![cfg(not(target_arch = "wasm32"))]

use notebook::logging::{self, get_logger, root, Formatter, MemoryHandler, DEBUG, ERROR};

#[test]
fn log_macros_reach_the_loggers() {
    logging::reset();
    logging::install_log_facade().unwrap();
    logging::install_log_facade().unwrap(); // again: fine
    let memory = MemoryHandler::new(100).with_formatter(
        Formatter::new("%(name)s|%(levelname)s|%(levelno)d|%(filename)s|%(message)s", None).unwrap(),
    );
    root().add_handler(&memory);

    // The root is at WARNING: log's maximum follows.
    assert_eq!(log::max_level(), log::LevelFilter::Warn);
    log::warn!(target: "notebook::vfs::fs", "quota at {}%", 90);
    log::info!(target: "notebook::vfs::fs", "not enabled");

    // A more verbose logger raises the maximum; its records pass, others stay filtered.
    get_logger("notebook.vfs").set_level(DEBUG);
    assert_eq!(log::max_level(), log::LevelFilter::Debug);
    log::debug!(target: "notebook::vfs::fs", "opened {}", "a.txt");
    log::debug!(target: "elsewhere", "dropped");
    log::trace!(target: "notebook::vfs", "below DEBUG");
    get_logger("tracing").set_level(logging::TRACE);
    assert_eq!(log::max_level(), log::LevelFilter::Trace);
    log::trace!(target: "tracing", "traced");
    log::error!("from this crate's module path");
    assert!(log::log_enabled!(target: "tracing", log::Level::Trace));
    assert!(!log::log_enabled!(target: "elsewhere", log::Level::Info));

    let lines: Vec<String> = memory.entries().into_iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        vec![
            "notebook.vfs.fs|WARNING|30|logging_facade.rs|quota at 90%",
            "notebook.vfs.fs|DEBUG|10|logging_facade.rs|opened a.txt",
            "tracing|TRACE|5|logging_facade.rs|traced",
            "logging_facade|ERROR|40|logging_facade.rs|from this crate's module path",
        ]
    );

    // Everything back at ERROR and above: the maximum drops again.
    get_logger("notebook.vfs").set_level(ERROR);
    get_logger("tracing").set_disabled(true);
    root().set_level(ERROR);
    assert_eq!(log::max_level(), log::LevelFilter::Error);
    logging::disable(logging::CRITICAL);
    assert_eq!(log::max_level(), log::LevelFilter::Off);
    logging::reset();
    assert_eq!(log::max_level(), log::LevelFilter::Warn);
    assert_eq!(get_logger("x").effective_level(), logging::WARNING);
}

//! `basic_config` and the last resort.

use notebook::logging::{
    self, basic_config, get_logger, root, BasicConfig, FileHandler, Formatter, MemoryHandler, OutputStream,
    StreamHandler, DEBUG, ERROR, INFO, WARNING,
};
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};

use super::{fresh, read};

#[test]
fn defaults_a_stderr_handler_with_pythons_format() {
    let out = fresh();
    basic_config(BasicConfig::default()).unwrap();
    let handlers = root().handlers();
    assert_eq!(handlers.len(), 1);
    assert_eq!(handlers[0].class_name(), "StreamHandler");
    assert_eq!(handlers[0].formatter().unwrap().fmt(), "%(levelname)s:%(name)s:%(message)s");
    assert_eq!(root().level(), WARNING);
    get_logger("app").warning("careful");
    get_logger("app").info("not shown");
    assert_eq!(out.stderr(), "WARNING:app:careful\n");
}

#[test]
fn a_second_call_does_nothing_unless_forced() {
    let out = fresh();
    basic_config(BasicConfig { level: Some(INFO), ..Default::default() }).unwrap();
    basic_config(BasicConfig {
        level: Some(ERROR),
        format: Some("second %(message)s".into()),
        stream: Some(OutputStream::Stdout),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(root().level(), INFO);
    assert_eq!(root().handlers().len(), 1);
    // Not even its argument errors are looked at (Python returns before checking them).
    basic_config(BasicConfig { filename: Some("x".into()), handlers: Some(vec![]), ..Default::default() })
        .unwrap();
    root().info("first config");
    assert_eq!(out.stderr(), "INFO:root:first config\n");

    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let old = root().handlers();
    basic_config(BasicConfig {
        filename: Some("app.log".into()),
        filemode: Some("w".into()),
        level: Some(DEBUG),
        format: Some("%(asctime)s - %(levelname)s - %(message)s".into()),
        force: true,
        fs: Some(fs.clone()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(root().level(), DEBUG);
    let now = root().handlers();
    assert_eq!(now.len(), 1);
    assert!(!now[0].ptr_eq(&old[0]));
    root().debug("to the file");
    let text = read(&fs, "app.log");
    // 2026-11-22 10:15:03,123 - DEBUG - to the file
    assert_eq!(text.len(), 23 + " - DEBUG - to the file\n".len(), "{text}");
    assert!(text.ends_with(" - DEBUG - to the file\n"));
    assert_eq!(&text[4..5], "-");
    assert_eq!(&text[19..20], ",");
    assert_eq!(out.stderr(), "INFO:root:first config\n");
}

#[test]
fn force_closes_the_old_handlers() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    basic_config(BasicConfig { filename: Some("a.log".into()), fs: Some(fs.clone()), ..Default::default() })
        .unwrap();
    assert_eq!(fs.open_files().len(), 1);
    basic_config(BasicConfig { force: true, ..Default::default() }).unwrap();
    assert!(fs.open_files().is_empty());
}

#[test]
fn argument_errors_as_in_python() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let err = basic_config(BasicConfig {
        filename: Some("app.log".into()),
        handlers: Some(vec![StreamHandler::default().handler()]),
        fs: Some(fs.clone()),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(
        (err.python_name(), err.message()),
        ("ValueError", "'stream' or 'filename' should not be specified together with 'handlers'")
    );
    let err = basic_config(BasicConfig {
        filename: Some("app.log".into()),
        stream: Some(OutputStream::Stdout),
        fs: Some(fs.clone()),
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(err.message(), "'stream' and 'filename' should not be specified together");
    let err =
        basic_config(BasicConfig { filename: Some("app.log".into()), ..Default::default() }).unwrap_err();
    assert_eq!(err.message(), "basic_config: 'filename' needs the file system it is on ('fs')");
    let err =
        basic_config(BasicConfig { format: Some("%(nope)s".into()), ..Default::default() }).unwrap_err();
    assert!(err.message().starts_with("Invalid format '%(nope)s'"));
    // Nothing was configured by the failed calls.
    assert!(root().handlers().is_empty());
    assert!(!fs.exists("app.log"));
}

#[test]
fn given_handlers_keep_their_formatter() {
    let out = fresh();
    let own = StreamHandler::new(OutputStream::Stdout)
        .with_formatter(Formatter::new("own %(message)s", None).unwrap());
    let plain = StreamHandler::new(OutputStream::Stdout);
    basic_config(BasicConfig {
        handlers: Some(vec![own.handler(), plain.handler()]),
        format: Some("given %(message)s".into()),
        ..Default::default()
    })
    .unwrap();
    root().warning("x");
    assert_eq!(out.stdout(), "own x\ngiven x\n");
}

#[test]
fn the_file_handler_appends_by_default() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("app.log", b"before\n").unwrap();
    basic_config(BasicConfig {
        filename: Some("app.log".into()),
        fs: Some(fs.clone()),
        ..Default::default()
    })
    .unwrap();
    logging::error("boom");
    assert_eq!(read(&fs, "app.log"), "before\nERROR:root:boom\n");
    assert!(root().handlers()[0].class_name() == "FileHandler");
    let _ = FileHandler::new(fs, "other.log", "a", true).unwrap();
}

#[test]
fn last_resort_without_any_handler() {
    let out = fresh();
    let log = get_logger("nohandlers");
    log.info("too low");
    log.warning("shown bare");
    log.error("also");
    assert_eq!(out.stderr(), "shown bare\nalso\n");
    // A handler anywhere on the way, even one whose level drops the record, means no last resort.
    out.clear();
    let memory = MemoryHandler::new(10).with_level(ERROR);
    root().add_handler(&memory);
    log.warning("dropped by the handler's level");
    assert_eq!(out.stderr(), "");
    // Propagation off: the root's handlers are not on the way.
    log.set_propagate(false);
    log.warning("last resort again");
    assert_eq!(out.stderr(), "last resort again\n");
}

#[test]
fn module_functions_configure_the_root_first() {
    let out = fresh();
    logging::info("not shown: the root is at WARNING");
    assert_eq!(root().handlers().len(), 1);
    logging::warning("shown");
    logging::log(45, "custom");
    assert_eq!(out.stderr(), "WARNING:root:shown\nLevel 45:root:custom\n");
}

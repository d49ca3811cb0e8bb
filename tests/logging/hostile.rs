//! Bad input to logging that the other files do not cover (see RELIABILITY.md): handlers
//! whose file cannot be written, made so before or after they open it, and a rollover that
//! cannot rename. Each is reported as Python's `Handler.handleError` reports it, and the
//! logger goes on.

use notebook::logging::{get_logger, FileHandler, Formatter, RotatingFileHandler};
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};

use super::{fresh, read};

#[test]
fn a_handler_whose_file_cannot_be_written() {
    let out = fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("locked.log", b"old\n").unwrap();
    fs.set_read_only("locked.log", true).unwrap();
    let err = FileHandler::new(fs.clone(), "locked.log", "a", false).unwrap_err();
    assert_eq!(
        (err.python_name(), err.message()),
        ("PermissionError", "[Errno 13] Permission denied: '/home/user/locked.log'"),
        "the absolute path, as Python's FileHandler opens os.path.abspath(filename)"
    );
    fs.mkdir("logs").unwrap();
    let err = FileHandler::new(fs.clone(), "logs", "a", false).unwrap_err();
    assert_eq!(
        (err.python_name(), err.message()),
        ("IsADirectoryError", "[Errno 21] Is a directory: '/home/user/logs'")
    );
    let err = FileHandler::new(fs.clone(), "locked.log/x.log", "a", false).unwrap_err();
    assert_eq!(err.python_name(), "NotADirectoryError");

    // Opened late (delay): the refusal comes with the first record, reported, not raised.
    let log = get_logger("late");
    log.add_handler(FileHandler::new(fs.clone(), "locked.log", "a", true).unwrap());
    log.error("first record");
    let report = out.stderr();
    assert!(report.starts_with(
        "--- Logging error ---\nPermissionError: [Errno 13] Permission denied: '/home/user/locked.log'\n"
    ));
    assert!(report.contains("Message: 'first record'"), "{report}");
    assert_eq!(read(&fs, "locked.log"), "old\n", "the file is as it was");
    out.clear();
    log.error("second record");
    assert!(out.stderr().contains("Message: 'second record'"), "each record is reported: {}", out.stderr());
}

#[test]
fn a_log_file_removed_or_replaced_while_open_keeps_the_logger_working() {
    let out = fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("moved");
    log.add_handler(FileHandler::new(fs.clone(), "app.log", "a", false).unwrap());
    log.warning("before");
    fs.remove("app.log").unwrap();
    log.warning("after the file was removed");
    assert!(!fs.exists("app.log"), "as on POSIX the handler writes to the removed file");
    assert_eq!(out.stderr(), "", "no error: the open file is still there for the handler");
}

#[test]
fn a_rollover_that_cannot_clear_the_backup_is_reported_and_tried_again() {
    let out = fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    // A full directory where the one backup goes: os.remove('app.log.1') fails.
    fs.makedirs("app.log.1/inside", false).unwrap();
    let log = get_logger("rolling");
    let handler = RotatingFileHandler::new(fs.clone(), "app.log", "a", 30, 1, false).unwrap();
    handler.handler().set_formatter(Formatter::new("%(message)s", None).unwrap());
    log.add_handler(&handler);
    log.warning("a first record of twenty");
    log.warning("a second that needs a rollover");
    let report = out.stderr();
    assert!(
        report.starts_with(
            "--- Logging error ---\nIsADirectoryError: [Errno 21] Is a directory: '/home/user/app.log.1'\n"
        ),
        "{report}"
    );
    assert!(report.contains("Message: 'a second that needs a rollover'"), "{report}");
    assert_eq!(read(&fs, "app.log"), "a first record of twenty\n", "kept; the failed record is not written");
    // Once the way is clear, the next record rolls over as it should.
    fs.rmdir("app.log.1/inside").unwrap();
    fs.rmdir("app.log.1").unwrap();
    out.clear();
    log.warning("a third, after the directory went");
    assert_eq!(out.stderr(), "");
    assert_eq!(read(&fs, "app.log.1"), "a first record of twenty\n");
    assert_eq!(read(&fs, "app.log"), "a third, after the directory went\n");
}

#[test]
fn a_record_larger_than_the_quota_is_reported_and_written_once_there_is_room() {
    let out = fresh();
    let fs = FileSystem::empty(200);
    let log = get_logger("huge");
    log.add_handler(FileHandler::new(fs.clone(), "app.log", "a", false).unwrap());
    log.error("x".repeat(1000));
    assert!(out.stderr().starts_with("--- Logging error ---\nOSError: [Errno 28] No space left on device\n"));
    // As in CPython, the record waits in the file's buffer, so the next flush fails too...
    out.clear();
    log.error("small");
    assert!(out.stderr().contains("Message: 'small'"), "{}", out.stderr());
    // ...and once there is room both are written, in order, and nothing is lost.
    fs.set_quota(DEFAULT_QUOTA);
    out.clear();
    log.error("third");
    assert_eq!(out.stderr(), "");
    assert_eq!(read(&fs, "app.log"), format!("{}\nsmall\nthird\n", "x".repeat(1000)));
}

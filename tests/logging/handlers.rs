//! Each handler: stream, console, file, rotating file, memory; and error reports.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use notebook::logging::{
    self, get_logger, root, ConsoleHandler, FileHandler, Formatter, Level, MemoryHandler, OutputStream,
    RolloverFs, RotatingFileHandler, StreamHandler, DEBUG, INFO, WARNING,
};
use notebook::vfs::{ErrorKind, FileSystem, IoError, IoResult, DEFAULT_QUOTA};

use super::{fresh, read};

fn fmt(f: &str) -> Formatter {
    Formatter::new(f, None).unwrap()
}

#[test]
fn stream_handler_writes_lines_to_the_chosen_stream() {
    let out = fresh();
    let log = get_logger("s");
    log.add_handler(StreamHandler::default());
    log.add_handler(StreamHandler::new(OutputStream::Stdout).with_formatter(fmt("out: %(message)s")));
    log.warning("hello");
    assert_eq!(out.stderr(), "hello\n");
    assert_eq!(out.stdout(), "out: hello\n");
    // Without a hook the lines go nowhere, quietly.
    logging::set_output_sink(None);
    log.error("lost");
    assert_eq!(out.stderr(), "hello\n");
}

#[test]
fn console_handler_passes_the_level() {
    fresh();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    logging::set_console_sink(Some(Rc::new(move |level: Level, line: &str| {
        g.borrow_mut().push((level, line.to_string()))
    })));
    let log = get_logger("c");
    log.set_level(DEBUG);
    log.add_handler(ConsoleHandler::new().with_formatter(fmt("%(levelname)s %(message)s")));
    log.debug("d");
    log.warning("w");
    assert_eq!(*got.borrow(), vec![(DEBUG, "DEBUG d".to_string()), (WARNING, "WARNING w".to_string())]);
}

#[test]
fn file_handler_appends_or_truncates_and_flushes_each_record() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("app.log", b"old\n").unwrap();
    let log = get_logger("f");
    let h = FileHandler::new(fs.clone(), "app.log", "a", false).unwrap();
    assert_eq!(h.base_filename(), "/home/user/app.log");
    log.add_handler(&h);
    log.warning("one");
    assert_eq!(read(&fs, "app.log"), "old\none\n"); // on the file at once
    log.remove_handler(&h);
    h.close().unwrap();
    let w = FileHandler::new(fs.clone(), "app.log", "w", false).unwrap();
    log.add_handler(&w);
    log.warning("two");
    assert_eq!(read(&fs, "app.log"), "two\n");
    // Python's rule: a closed 'w' handler does not open (and truncate) the file again ...
    w.close().unwrap();
    log.warning("three");
    assert_eq!(read(&fs, "app.log"), "two\n");
    // ... an 'a' handler does.
    log.remove_handler(&w);
    log.add_handler(&h);
    log.warning("four");
    assert_eq!(read(&fs, "app.log"), "two\nfour\n");
    assert!(fs.open_files().len() == 1);
    logging::shutdown();
    assert!(fs.open_files().is_empty());
}

#[test]
fn file_handler_with_delay_opens_at_the_first_record() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let h = FileHandler::new(fs.clone(), "late.log", "w", true).unwrap();
    assert!(!fs.exists("late.log"));
    root().add_handler(&h);
    root().error("first");
    assert_eq!(read(&fs, "late.log"), "first\n");
}

#[test]
fn file_handler_rejects_bad_modes_and_missing_directories() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let err = FileHandler::new(fs.clone(), "x.log", "r", false).unwrap_err();
    assert_eq!(
        (err.python_name(), err.message()),
        ("ValueError", "a log file's mode is 'a' or 'w', not 'r'")
    );
    let err = FileHandler::new(fs.clone(), "/nowhere/x.log", "a", false).unwrap_err();
    assert_eq!(err.python_name(), "FileNotFoundError");
    assert_eq!(err.message(), "[Errno 2] No such file or directory: '/nowhere/x.log'");
}

#[test]
fn emission_errors_are_reported_as_python_reports_them() {
    let out = fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("full");
    log.add_handler(FileHandler::new(fs.clone(), "app.log", "a", false).unwrap());
    fs.set_quota(fs.usage().0 + 10);
    let line = line!() + 1;
    log.error("this record is longer than ten bytes");
    assert_eq!(
        out.stderr(),
        format!(
            "--- Logging error ---\nOSError: [Errno 28] No space left on device\nCall stack:\n  File \
             \"tests/logging/handlers.rs\", line {line}, in (unknown function)\nMessage: 'this record is longer \
             than ten bytes'\nArguments: ()\n"
        )
    );
    // With no hook at all the report is kept for the kernel to collect.
    logging::set_output_sink(None);
    log.error("again, too long for the quota");
    let kept = logging::take_unreported_errors();
    assert_eq!(kept.len(), 1);
    assert!(kept[0].starts_with("--- Logging error ---\nOSError: [Errno 28]"), "{}", kept[0]);
    assert!(logging::take_unreported_errors().is_empty());
    // A delayed open that fails is reported at the record.
    let out = fresh();
    let h = FileHandler::new(fs.clone(), "/missing/dir.log", "a", true).unwrap();
    root().add_handler(&h);
    root().error("x");
    assert!(out
        .stderr()
        .contains("FileNotFoundError: [Errno 2] No such file or directory: '/missing/dir.log'"));
}

/// The file names and contents of every `app.log*` file.
fn log_files(fs: &FileSystem) -> Vec<(String, String)> {
    let mut names: Vec<String> =
        fs.listdir("/home/user").unwrap().into_iter().filter(|n| n.starts_with("app.log")).collect();
    names.sort();
    names.into_iter().map(|n| (n.clone(), read(fs, &format!("/home/user/{n}")))).collect()
}

fn rotating(fs: &FileSystem, max_bytes: u64, backups: u32) -> RotatingFileHandler {
    RotatingFileHandler::new(fs.clone(), "app.log", "a", max_bytes, backups, false).unwrap()
}

#[test]
fn rotation_keeps_every_file_under_the_limit_and_the_newest_records() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("rot");
    log.add_handler(rotating(&fs, 50, 3));
    for i in 0..40 {
        log.warning(format!("record {i:02}")); // 10 bytes a line: 4 lines per file
    }
    let files = log_files(&fs);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["app.log", "app.log.1", "app.log.2", "app.log.3"]);
    for (name, text) in &files {
        assert!(text.len() < 50, "{name} has {} bytes", text.len());
    }
    // Oldest backup first, then the current file: the newest records, in order.
    let joined: String =
        ["app.log.3", "app.log.2", "app.log.1", "app.log"].iter().map(|n| read(&fs, n)).collect();
    let expected: String = (24..40).map(|i| format!("record {i:02}\n")).collect();
    assert_eq!(joined, expected);
    // The rule is "size + len(line) >= max_bytes": 4 lines of 10 bytes, then the fifth would make 50.
    assert_eq!(read(&fs, "app.log.1"), "record 32\nrecord 33\nrecord 34\nrecord 35\n");
}

/// A file system that records the rollover's operations in order.
struct Recorder {
    files: RefCell<BTreeSet<String>>,
    ops: RefCell<Vec<String>>,
}

impl RolloverFs for Recorder {
    fn exists(&self, path: &str) -> bool {
        self.files.borrow().contains(path)
    }
    fn remove(&self, path: &str) -> IoResult<()> {
        self.ops.borrow_mut().push(format!("remove {path}"));
        self.files.borrow_mut().remove(path);
        Ok(())
    }
    fn rename(&self, from: &str, to: &str) -> IoResult<()> {
        self.ops.borrow_mut().push(format!("rename {from} -> {to}"));
        if !self.files.borrow_mut().remove(from) {
            return Err(IoError::os2(ErrorKind::FileNotFound, from, to));
        }
        self.files.borrow_mut().insert(to.to_string());
        Ok(())
    }
}

#[test]
fn rollover_renames_from_the_top_down_removing_the_last() {
    let files = ["app.log", "app.log.1", "app.log.2", "app.log.3"];
    let fs = Recorder {
        files: RefCell::new(files.iter().map(|s| s.to_string()).collect()),
        ops: RefCell::default(),
    };
    logging::rollover(&fs, "app.log", 3).unwrap();
    assert_eq!(
        *fs.ops.borrow(),
        [
            "remove app.log.3",
            "rename app.log.2 -> app.log.3",
            "rename app.log.1 -> app.log.2",
            "rename app.log -> app.log.1"
        ]
    );
    assert_eq!(
        fs.files.borrow().iter().cloned().collect::<Vec<_>>(),
        ["app.log.1", "app.log.2", "app.log.3"]
    );
    // With gaps: only what exists moves.
    let fs = Recorder {
        files: RefCell::new(["app.log", "app.log.2"].iter().map(|s| s.to_string()).collect()),
        ops: RefCell::default(),
    };
    logging::rollover(&fs, "app.log", 3).unwrap();
    assert_eq!(*fs.ops.borrow(), ["rename app.log.2 -> app.log.3", "rename app.log -> app.log.1"]);
    // No backups: nothing at all.
    let fs = Recorder { files: RefCell::new(["app.log".to_string()].into()), ops: RefCell::default() };
    logging::rollover(&fs, "app.log", 0).unwrap();
    assert!(fs.ops.borrow().is_empty());
}

#[test]
fn backup_count_reached_drops_the_oldest() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("rot");
    log.add_handler(rotating(&fs, 12, 2)); // one 10-byte line per file
    for i in 0..6 {
        log.warning(format!("record {i:02}"));
    }
    assert_eq!(
        log_files(&fs),
        [
            ("app.log".to_string(), "record 05\n".to_string()),
            ("app.log.1".to_string(), "record 04\n".to_string()),
            ("app.log.2".to_string(), "record 03\n".to_string()),
        ]
    );
}

#[test]
fn a_record_larger_than_max_bytes() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("big");
    log.add_handler(rotating(&fs, 20, 3));
    let big = "x".repeat(30);
    // Into an empty file: written whole, no empty backup made (an empty file never rolls over).
    log.warning(&big);
    assert_eq!(log_files(&fs), [("app.log".to_string(), format!("{big}\n"))]);
    // The next record rolls the big one over; a big one after a small one does too.
    log.warning("small");
    log.warning(&big);
    log.warning("small again");
    assert_eq!(
        log_files(&fs),
        [
            ("app.log".to_string(), "small again\n".to_string()),
            ("app.log.1".to_string(), format!("{big}\n")),
            ("app.log.2".to_string(), "small\n".to_string()),
            ("app.log.3".to_string(), format!("{big}\n")),
        ]
    );
}

#[test]
fn zero_limits_never_roll_over() {
    for (max_bytes, backups) in [(0, 3), (10, 0)] {
        fresh();
        let fs = FileSystem::empty(DEFAULT_QUOTA);
        let log = get_logger("never");
        log.add_handler(rotating(&fs, max_bytes, backups));
        for i in 0..20 {
            log.warning(format!("record {i:02}"));
        }
        let files = log_files(&fs);
        assert_eq!(files.len(), 1, "max_bytes {max_bytes}, backups {backups}");
        assert_eq!(files[0].1.len(), 200);
    }
}

#[test]
fn rotation_counts_characters_and_the_limit_is_inclusive() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("edge");
    log.add_handler(rotating(&fs, 20, 1));
    log.warning("123456789"); // 10 bytes
    log.warning("12345678"); // 10 + 9 = 19 < 20: same file
    log.warning("1"); // 19 + 2 = 21 >= 20: rolls over
    assert_eq!(read(&fs, "app.log.1"), "123456789\n12345678\n");
    assert_eq!(read(&fs, "app.log"), "1\n");
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("edge");
    log.add_handler(rotating(&fs, 20, 1));
    log.warning("123456789");
    log.warning("123456789"); // 10 + 10 = 20 >= 20: rolls over
    assert_eq!(read(&fs, "app.log.1"), "123456789\n");
    // Python compares the record's length in characters with the file's size in bytes.
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("edge");
    log.add_handler(rotating(&fs, 20, 1));
    log.warning("ééééé"); // 11 bytes on the file
    log.warning("éééé"); // 11 + 5 characters = 16 < 20, though 11 + 9 bytes would be 20
    assert!(!fs.exists("app.log.1"));
    assert_eq!(fs.getsize("app.log").unwrap(), 20);
}

#[test]
fn rotating_handler_forces_append_and_can_delay() {
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("app.log", b"kept\n").unwrap();
    let h = RotatingFileHandler::new(fs.clone(), "app.log", "w", 1000, 2, true).unwrap();
    root().add_handler(&h);
    root().warning("added");
    assert_eq!(read(&fs, "app.log"), "kept\nadded\n");
    fresh();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let h = RotatingFileHandler::new(fs.clone(), "app.log", "a", 1000, 2, true).unwrap();
    assert!(!fs.exists("app.log"));
    root().add_handler(&h);
    root().warning("first");
    assert_eq!(read(&fs, "app.log"), "first\n");
}

#[test]
fn memory_handler_keeps_entries_in_order_and_bounded() {
    fresh();
    let memory = MemoryHandler::new(3).with_formatter(fmt("[%(levelname)s] %(name)s: %(message)s"));
    let log = get_logger("mem");
    log.set_level(INFO);
    log.add_handler(&memory);
    assert!(memory.is_empty());
    log.info("a");
    log.error("b");
    let first = memory.entries();
    assert_eq!(first[0].seq, 1);
    assert_eq!(first[1].line, "[ERROR] mem: b");
    assert_eq!(
        (first[1].level, first[1].level_name.as_str(), first[1].logger.as_str()),
        (40, "ERROR", "mem")
    );
    assert!(first[0].created_ms > 1.0e12);
    assert_eq!(memory.entries_since(1).len(), 1);
    for m in ["c", "d", "e"] {
        log.warning(m);
    }
    assert_eq!(memory.len(), 3);
    assert_eq!(memory.dropped(), 2);
    assert_eq!(memory.last_seq(), 5);
    assert_eq!(memory.entries_since(3).iter().map(|e| e.message.as_str()).collect::<Vec<_>>(), ["d", "e"]);
    assert_eq!(memory.entries_since(0).len(), 3);
    assert!(memory.entries_since(5).is_empty());
    memory.clear();
    assert_eq!((memory.len(), memory.dropped()), (0, 0));
    log.info("f");
    assert_eq!(memory.entries()[0].seq, 6);
    // Entries serialise for the page.
    let json = serde_json::to_value(&memory.entries()[0]).unwrap();
    assert_eq!(json["message"], "f");
    assert_eq!(json["level_name"], "INFO");
}

#[test]
fn handlers_shared_between_loggers_and_levels_by_handler() {
    let out = fresh();
    let shared =
        StreamHandler::new(OutputStream::Stdout).with_level(INFO).with_formatter(fmt("%(name)s %(message)s"));
    let a = get_logger("a");
    let b = get_logger("b");
    a.add_handler(&shared);
    b.add_handler(&shared);
    a.set_level(DEBUG);
    a.warning("from a");
    b.warning("from b");
    b.error("error from b");
    assert_eq!(out.stdout(), "a from a\nb from b\nb error from b\n");
    assert_eq!(format!("{:?}", shared.handler()), "<StreamHandler (INFO)>");
    assert_eq!(shared.level(), INFO);
}

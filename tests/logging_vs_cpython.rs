//! The logging package against CPython's `logging`: the same scenarios run in `python3`
//! (`tests/logging_cpython/scenarios.py`, in a fresh temporary directory) and here on a
//! virtual file system, and every file produced must match byte for byte, names included.
//! Times are masked in the files (the two runs happen at different moments); the
//! `formats` scenario formats records with fixed times, so nothing is masked there.
//! Python runs with `TZ=UTC`, the zone native builds format in.
#![cfg(not(target_arch = "wasm32"))]

use std::borrow::Cow;
use std::path::PathBuf;
use std::process::Command;

use notebook::logging::{
    self, add_level_name, basic_config, get_level_name, get_logger, BasicConfig, FileHandler, Formatter,
    Level, Record, RotatingFileHandler, CRITICAL, DEBUG, ERROR, INFO, WARNING,
};
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/logging_cpython/scenarios.py");
const FORMATS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/logging_cpython/formats.txt");
const B1: &str = "%(asctime)s - %(levelname)s - %(message)s";
const LEVELS: [Level; 5] = [DEBUG, INFO, WARNING, ERROR, CRITICAL];

fn python_available() -> bool {
    Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Runs a scenario in CPython; the files it left, by name, sorted.
fn run_python(scenario: &str) -> Vec<(String, Vec<u8>)> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("logging_vs_cpython_{}_{scenario}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let output = Command::new("python3")
        .arg(SCRIPT)
        .arg(scenario)
        .arg(FORMATS)
        .current_dir(&dir)
        .env("TZ", "UTC")
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "python3 failed: {}", String::from_utf8_lossy(&output.stderr));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("the directory")
        .map(|e| {
            let e = e.expect("an entry");
            (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).expect("a file"))
        })
        .collect();
    files.sort();
    let _ = std::fs::remove_dir_all(&dir);
    files
}

/// The files left in the virtual file system's current directory, by name, sorted.
fn vfs_files(fs: &FileSystem) -> Vec<(String, Vec<u8>)> {
    let mut names = fs.listdir(".").expect("the current directory");
    names.sort();
    names.into_iter().map(|n| (n.clone(), fs.read_file(&n).expect("a file"))).collect()
}

/// Replaces each time written in one of `templates` (`d` a digit) with `<time>`.
fn mask(text: &str) -> String {
    const TEMPLATES: [&str; 2] = ["dddd-dd-dd dd:dd:dd,ddd", "dd/dd/dddd dd:dd:dd"];
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    'outer: while i < bytes.len() {
        for t in TEMPLATES {
            let t = t.as_bytes();
            if i + t.len() <= bytes.len()
                && t.iter()
                    .zip(&bytes[i..])
                    .all(|(p, b)| if *p == b'd' { b.is_ascii_digit() } else { p == b })
            {
                out.push_str("<time>");
                i += t.len();
                continue 'outer;
            }
        }
        let len = text[i..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&text[i..i + len]);
        i += len;
    }
    out
}

fn compare(scenario: &str, ours: Vec<(String, Vec<u8>)>, masked: bool) {
    let theirs = run_python(scenario);
    let names = |files: &[(String, Vec<u8>)]| files.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ours), names(&theirs), "{scenario}: the files produced");
    for ((name, ours), (_, theirs)) in ours.iter().zip(&theirs) {
        let (ours, theirs) = (String::from_utf8_lossy(ours), String::from_utf8_lossy(theirs));
        let (ours, theirs) = if masked { (mask(&ours), mask(&theirs)) } else { (ours.into(), theirs.into()) };
        if ours != theirs {
            for (n, (a, b)) in ours.lines().zip(theirs.lines()).enumerate() {
                assert_eq!(a, b, "{scenario}: {name} line {}", n + 1);
            }
            assert_eq!(ours, theirs, "{scenario}: {name}");
        }
    }
    if masked {
        // The masks hid real times, not nothing.
        assert!(
            theirs.iter().any(|(_, t)| mask(&String::from_utf8_lossy(t)).contains("<time>"))
                || scenario.starts_with("rotation_delay")
        );
    }
}

fn skip() -> bool {
    if python_available() {
        return false;
    }
    eprintln!("SKIPPED: logging_vs_cpython needs `python3` on PATH to compare with CPython's logging");
    true
}

fn fresh_fs() -> FileSystem {
    logging::reset();
    logging::set_output_sink(None);
    FileSystem::empty(DEFAULT_QUOTA)
}

#[test]
fn basic_configuration() {
    if skip() {
        return;
    }
    let fs = fresh_fs();
    let config = |filename: &str, level, format: &str| BasicConfig {
        filename: Some(filename.into()),
        level: Some(level),
        format: Some(format.into()),
        fs: Some(fs.clone()),
        ..Default::default()
    };
    basic_config(config("app.log", DEBUG, B1)).unwrap();
    logging::debug("This is a debug message");
    logging::info(format!("Informational: {} items", 3));
    logging::warning("A warning");
    basic_config(config("other.log", ERROR, "%(message)s")).unwrap();
    logging::error("An error");
    logging::critical("A critical message");
    get_logger("app.module").info("From a named logger");
    logging::log(25, "A level without a name");
    logging::shutdown();
    compare("basic", vfs_files(&fs), true);
}

#[test]
fn levels_with_two_handlers() {
    if skip() {
        return;
    }
    let fs = fresh_fs();
    let log = get_logger("levels");
    log.set_level(DEBUG);
    let everything = FileHandler::new(fs.clone(), "all.log", "w", false)
        .unwrap()
        .with_level(DEBUG)
        .with_formatter(Formatter::new("%(levelname)-8s %(name)s: %(message)s", None).unwrap());
    let errors =
        FileHandler::new(fs.clone(), "errors.log", "w", false).unwrap().with_level(ERROR).with_formatter(
            Formatter::new("%(asctime)s [%(levelno)2d] %(message)s", Some("%d/%m/%Y %H:%M:%S")).unwrap(),
        );
    log.add_handler(&everything);
    log.add_handler(&errors);
    let child = get_logger("levels.child");
    for logger_level in [DEBUG, WARNING, CRITICAL] {
        log.set_level(logger_level);
        for level in LEVELS {
            let name = get_level_name(level);
            log.log(level, format!("{name} at logger level {}", get_level_name(logger_level)));
            child.log(level, format!("child {name}"));
        }
    }
    child.set_level(INFO);
    add_level_name(25, "NOTICE");
    child.log(25, "a custom level");
    child.debug("below the child's level");
    child.set_propagate(false);
    child.error("not propagated: goes to the last resort");
    get_logger("levels.other").error("still propagated");
    logging::shutdown();
    compare("levels", vfs_files(&fs), true);
}

#[test]
fn rotation_with_small_limits() {
    if skip() {
        return;
    }
    let fs = fresh_fs();
    let log = get_logger("rot");
    log.set_level(INFO);
    let handler = RotatingFileHandler::new(fs.clone(), "app.log", "a", 200, 3, false)
        .unwrap()
        .with_formatter(Formatter::new(B1, None).unwrap());
    log.add_handler(&handler);
    for i in 0..100 {
        log.info(format!("record {i} {}", "x".repeat(i % 17)));
    }
    logging::shutdown();
    compare("rotation", vfs_files(&fs), true);
}

#[test]
fn rotation_delayed_with_multibyte_text() {
    if skip() {
        return;
    }
    let fs = fresh_fs();
    let log = get_logger("rot2");
    let handler = RotatingFileHandler::new(fs.clone(), "app.log", "a", 120, 2, true)
        .unwrap()
        .with_formatter(Formatter::new("%(levelname)s %(message)s", None).unwrap());
    log.add_handler(&handler);
    for i in 0..40 {
        log.warning(format!("é{i} {}", "ü".repeat(i % 9)));
    }
    logging::shutdown();
    compare("rotation_delay_utf8", vfs_files(&fs), false);
}

#[test]
fn formats_of_fixed_records() {
    if skip() {
        return;
    }
    let fs = fresh_fs();
    let lines: Vec<(String, Option<String>)> = std::fs::read_to_string(FORMATS)
        .expect("the formats")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_once('\t') {
            Some((f, d)) => (f.to_string(), Some(d.to_string())),
            None => (l.to_string(), None),
        })
        .collect();
    let times = [
        0.0,
        951_782_400.25,
        1_700_000_000.5,
        1_704_067_199.999,
        1_735_603_200.0,
        1_609_459_200.125,
        4_107_542_400.0,
    ];
    let mut out = String::new();
    for created in times {
        let record = Record {
            name: "app.db".into(),
            levelno: WARNING,
            levelname: "WARNING".into(),
            pathname: Cow::Borrowed("src/app/db.rs"),
            filename: Cow::Borrowed("db.rs"),
            module: Cow::Borrowed("db"),
            lineno: 42,
            func_name: Cow::Borrowed("connect"),
            created,
            msecs: (created % 1.0 * 1000.0).round(),
            relative_created: 1234.5678,
            thread: 140_001,
            thread_name: "MainThread".into(),
            process: 4242,
            process_name: "MainProcess".into(),
            message: "connection lost: 'db1' é".into(),
            exc_text: None,
        };
        for (fmt, datefmt) in &lines {
            let formatter = Formatter::new(fmt, datefmt.as_deref()).unwrap_or_else(|e| panic!("{fmt}: {e}"));
            out.push_str(&formatter.format(&record));
            out.push('\n');
        }
    }
    fs.write_file("formats.out", out.as_bytes()).unwrap();
    compare("formats", vfs_files(&fs), false);
}

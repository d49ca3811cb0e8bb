//! The logging half of the long run: records through a rotating file handler on the
//! virtual file system, then an exact account of every record: each one is either in a
//! kept file, in order and whole, or was dropped by rotation (the oldest backup removed
//! at a rollover), and the number of each is what the handler's rule predicts.

use std::collections::VecDeque;
use std::time::Instant;

use notebook::logging::{self, get_logger, Formatter, RotatingFileHandler, ERROR, INFO, WARNING};
use notebook::memory::{Measure, MemoryFigures};
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};

/// Where the log goes, its size limit and how many backups it keeps.
const BASE: &str = "/tmp/app.log";
const MAX_BYTES: u64 = 256 * 1024;
const BACKUPS: u32 = 4;

/// What the logging run did.
pub struct LogReport {
    pub records: u64,
    pub seconds: f64,
    pub memory: MemoryFigures,
    pub rollovers: u64,
    /// Each kept file (newest first) with its record count and size.
    pub files: Vec<(String, u64, u64)>,
    pub dropped: u64,
}

fn level_of(i: u64) -> (notebook::logging::Level, &'static str) {
    match i % 7 {
        0 => (WARNING, "WARNING"),
        1 => (ERROR, "ERROR"),
        _ => (INFO, "INFO"),
    }
}

fn message(i: u64) -> String {
    format!("record {i} of the long run")
}

/// The handler's rule replayed on line lengths alone: the record count of each file,
/// newest first, and how many records rotation dropped, and how many rollovers.
fn predict(records: u64) -> (Vec<u64>, u64, u64) {
    let mut files: VecDeque<u64> = VecDeque::from([0]);
    let (mut size, mut dropped, mut rollovers) = (0u64, 0u64, 0u64);
    for i in 0..records {
        // `%(levelname)s %(message)s` and the newline; all ASCII, so bytes are characters.
        let len = (level_of(i).1.len() + 1 + message(i).len() + 1) as u64;
        if size > 0 && size + len >= MAX_BYTES {
            rollovers += 1;
            files.push_front(0);
            if files.len() > BACKUPS as usize + 1 {
                dropped += files.pop_back().unwrap_or(0);
            }
            size = 0;
        }
        size += len;
        if let Some(current) = files.front_mut() {
            *current += 1;
        }
    }
    (files.into(), dropped, rollovers)
}

/// Logs `records` records, then checks the files against [`predict`].
pub fn run(records: u64) -> Result<LogReport, String> {
    logging::reset();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let log = get_logger("long_run");
    log.set_level(INFO);
    log.set_propagate(false);
    let formatter = Formatter::new("%(levelname)s %(message)s", None).map_err(|e| e.to_string())?;
    let handler = RotatingFileHandler::new(fs.clone(), BASE, "a", MAX_BYTES, BACKUPS, false)
        .map_err(|e| e.to_string())?
        .with_formatter(formatter);
    log.add_handler(&handler);

    let measure = Measure::start();
    let start = Instant::now();
    for i in 0..records {
        log.log(level_of(i).0, message(i));
    }
    handler.close().map_err(|e| e.to_string())?;
    let seconds = start.elapsed().as_secs_f64();
    let memory = measure.figures();
    let unreported = logging::take_unreported_errors();
    if !unreported.is_empty() {
        return Err(format!("the handler failed while logging: {unreported:?}"));
    }

    let (predicted, dropped, rollovers) = predict(records);
    let mut next = dropped; // the oldest kept record
    let mut files = Vec::new();
    for (k, expected) in predicted.iter().enumerate().rev() {
        let name = if k == 0 { BASE.to_string() } else { format!("{BASE}.{k}") };
        let data = fs.read_file(&name).map_err(|e| format!("{name}: {e}"))?;
        let text = String::from_utf8(data).map_err(|e| format!("{name}: {e}"))?;
        let mut count = 0;
        for line in text.lines() {
            let want = format!("{} {}", level_of(next).1, message(next));
            if line != want {
                return Err(format!("{name}: expected {want:?}, found {line:?}"));
            }
            next += 1;
            count += 1;
        }
        if count != *expected {
            return Err(format!("{name} holds {count} records, the rotation rule says {expected}"));
        }
        files.push((name, count, text.len() as u64));
    }
    if next != records {
        return Err(format!("the kept files end at record {next}, not {records}"));
    }
    let extra = format!("{BASE}.{}", BACKUPS + 1);
    if fs.exists(&extra) {
        return Err(format!("{extra} exists: more backups than {BACKUPS}"));
    }
    files.reverse();
    Ok(LogReport { records, seconds, memory, rollovers, files, dropped })
}

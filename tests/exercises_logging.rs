//! Section B's cells run through the kernel, each checked on what it prints and on the
//! log files it leaves (times masked), each run twice: logging state is the kernel's, so a
//! second run must neither double lines nor leave handlers or files open behind it.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::exercises::catalog;
use notebook::logging;
use notebook::notebook::protocol::{LogEntry, ReplyStatus, ToPage};
use notebook::notebook::CellSpec;
use notebook::vfs::STARTING_FILES;

/// A fresh kernel over the notebook's catalogue, whose messages are collected.
struct Session(kernel_session::Session);

impl std::ops::Deref for Session {
    type Target = kernel_session::Session;
    fn deref(&self) -> &kernel_session::Session {
        &self.0
    }
}

impl Session {
    fn new() -> Session {
        // Each test is a thread with its own logging state; start it as a new kernel would.
        logging::reset();
        Session(kernel_session::Session::new(catalog()))
    }

    /// Runs a cell that must succeed and leave nothing behind: no open file, no handler on
    /// the root logger. Returns what it printed, times masked.
    fn run(&self, cell_id: &str, inputs: &[(&str, &str)]) -> String {
        let (text, status) = self.run_status(cell_id, inputs);
        assert_eq!(status, ReplyStatus::Ok, "{cell_id} failed:\n{text}");
        assert!(self.kernel.fs().open_files().is_empty(), "{cell_id} left files open");
        assert!(logging::root().handlers().is_empty(), "{cell_id} left handlers on the root");
        mask_times(&text)
    }

    /// The records the last run sent to the log viewer: `(level, logger, message)`.
    fn viewer(&self) -> Vec<(String, String, String)> {
        self.sent
            .borrow()
            .iter()
            .filter_map(|m| match &m.body {
                ToPage::LogRecord(LogEntry { level_name, logger, message, .. }) => {
                    Some((level_name.clone(), logger.clone(), message.clone()))
                }
                _ => None,
            })
            .collect()
    }

    /// A file's text, times masked.
    fn file(&self, path: &str) -> String {
        mask_times(&String::from_utf8(self.kernel.fs().read_file(path).unwrap()).unwrap())
    }

    fn size(&self, path: &str) -> u64 {
        self.kernel.fs().getsize(path).unwrap()
    }

    fn exists(&self, path: &str) -> bool {
        self.kernel.fs().exists(path)
    }
}

/// `text` with every `asctime` of Python's default form (`2026-11-22 10:15:03,123`) and
/// every `09:41:07`-like clock replaced by `<time>`; no regex needed.
fn mask_times(text: &str) -> String {
    const ASCTIME: &str = "dddd-dd-dd dd:dd:dd,ddd";
    let fits = |s: &[u8]| {
        s.len() >= ASCTIME.len()
            && ASCTIME.bytes().zip(s).all(|(p, &c)| if p == b'd' { c.is_ascii_digit() } else { p == c })
    };
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if fits(&bytes[i..]) {
            out.extend_from_slice(b"<time>");
            i += ASCTIME.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The row whose first cell is `first` of the plain-text table whose header starts with
/// `header` (log lines above the table may start with the same word), split into cells.
fn row<'a>(text: &'a str, header: &str, first: &str) -> Vec<&'a str> {
    let line = text
        .lines()
        .skip_while(|l| !l.starts_with(header))
        .find(|l| l.split("  ").next() == Some(first))
        .unwrap_or_else(|| panic!("no row {first} in a table {header}:\n{text}"));
    line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()
}

fn section_b_ids() -> Vec<&'static str> {
    let cat = catalog();
    let section = cat.sections.iter().find(|s| s.id == "B").unwrap();
    section
        .cells
        .iter()
        .filter_map(|c| match c {
            CellSpec::Code(code) => Some(code.id),
            _ => None,
        })
        .collect()
}

const LINE_FORMAT_NOTE: &str = "every line of a log file is `<time> - LEVEL - message`";

#[test]
fn mask_times_masks_asctime_only() {
    assert_eq!(
        mask_times("2026-11-22 10:15:03,123 - INFO - at 2026-11-22 10:15\n"),
        "<time> - INFO - at 2026-11-22 10:15\n"
    );
}

#[test]
fn section_b_follows_section_a_with_every_row_of_the_catalogue() {
    let cat = catalog();
    let ids: Vec<&str> = cat.sections.iter().map(|s| s.id).collect();
    let a = ids.iter().position(|&id| id == "A").unwrap();
    assert_eq!(ids.get(a + 1), Some(&"B"));
    let b = cat.sections.iter().find(|s| s.id == "B").unwrap();
    assert_eq!(b.title, "B. Logging");
    assert!(matches!(b.cells.first(), Some(CellSpec::Markdown(_))), "the section opens with an introduction");
    assert_eq!(section_b_ids(), ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"]);
    let text = include_str!("../src/exercises/logging.rs");
    for id in section_b_ids() {
        let cell = cat.find(id).unwrap();
        assert!(cell.in_run_all, "{id} runs in Run all");
        assert!(cell.source.starts_with("pub async fn ") && cell.source.ends_with('}'), "{id}");
        assert!(text.contains(cell.source), "{id} shows its own text");
        assert!(!cell.source.contains(".unwrap()") && !cell.source.contains(".expect("), "{id} never panics");
    }
}

#[test]
fn every_cell_works_alone_on_a_fresh_kernel_and_twice() {
    for id in section_b_ids() {
        let s = Session::new();
        let first = s.run(id, &[]);
        let second = s.run(id, &[]);
        if id != "B6" {
            // B6 prints how long it took, which varies.
            assert_eq!(first, second, "{id} prints the same the second time");
        }
    }
}

#[test]
fn run_all_forwards_then_backwards_on_one_kernel() {
    let s = Session::new();
    let mut ids = section_b_ids();
    for id in &ids {
        s.run(id, &[]);
    }
    ids.reverse();
    for id in &ids {
        s.run(id, &[]);
    }
    assert_eq!(s.file("sample.txt"), STARTING_FILES[0].1);
    // B6 ran last but one and starts afresh: app.log holds its 10,000 records only.
    assert_eq!(s.file("app.log").lines().count(), 10_000 + 2 + 1, "B6's, then B5's two and B1's one");
}

#[test]
fn b1_writes_one_formatted_record_per_run() {
    let s = Session::new();
    let expected = "Log message has been written to app.log\n\
                    This run added to app.log:\n\
                    <time> - INFO - The notebook wrote its first record.\n";
    assert_eq!(s.run("B1", &[]), expected);
    assert_eq!(s.file("app.log"), "<time> - INFO - The notebook wrote its first record.\n");
    assert_eq!(s.run("B1", &[]), expected, "{LINE_FORMAT_NOTE}; the second run adds one line");
    assert_eq!(s.file("app.log").lines().count(), 2, "appended, not doubled");

    let out = s.run("B1", &[("level", "WARNING"), ("message", "hidden")]);
    assert_eq!(
        out,
        "Nothing written: an INFO record is below the root's level, WARNING.\nNothing was added to app.log.\n"
    );
    let out = s.run("B1", &[("file", "mine.log"), ("format", "%(levelname)s|%(name)s|%(message)s")]);
    assert!(out.ends_with("INFO|root|The notebook wrote its first record.\n"), "{out}");

    let (out, status) = s.run_status("B1", &[("format", "%(levelname")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(out.contains("ValueError: Invalid format '%(levelname' for '%' style"), "{out}");
    let (out, status) = s.run_status("B1", &[("level", "info")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(out.contains("ValueError: Unknown level: 'info'"), "{out}");
    // A failed run leaves no handler behind either: the next one works as the first did.
    assert_eq!(s.run("B1", &[]), expected);
}

#[test]
fn b2_the_loggers_level_decides_what_passes_and_what_is_built() {
    let s = Session::new();
    let out = s.run("B2", &[]);
    assert!(
        out.starts_with(
            "Logger 'levels' at WARNING; what passes:\n\
             WARNING  disk 91% full\n\
             ERROR    could not save report.pdf\n\
             CRITICAL database unreachable: shutting down\n"
        ),
        "{out}"
    );
    assert_eq!(row(&out, "record", "DEBUG"), ["DEBUG", "10", "dropped"]);
    assert_eq!(row(&out, "record", "WARNING"), ["WARNING", "30", "passes"]);
    assert!(out.ends_with("Messages built: 3 of 5. A dropped record costs only the level check.\n"), "{out}");
    assert_eq!(s.viewer().len(), 3);

    let out = s.run("B2", &[("level", "DEBUG")]);
    let printed = out.split("record level").next().unwrap();
    assert_eq!(printed.lines().count(), 1 + 5, "the heading and all five records");
    assert!(out.contains("Messages built: 5 of 5."), "{out}");
    let out = s.run("B2", &[("level", "CRITICAL")]);
    assert!(out.contains("Messages built: 1 of 5."), "{out}");
    assert_eq!(row(&out, "record", "ERROR"), ["ERROR", "40", "dropped"]);
    assert_eq!(
        s.viewer(),
        [("CRITICAL".into(), "levels".into(), "database unreachable: shutting down".into())]
    );
}

#[test]
fn b3_logs_the_zero_division_and_tells_the_person() {
    let s = Session::new();
    let expected = "Error: Division by zero is not allowed.\n\
                    This run added to error_log.txt:\n\
                    <time> - ERROR - Error occurred while dividing 10 by 0: division by zero\n";
    assert_eq!(s.run("B3", &[]), expected);
    assert_eq!(s.run("B3", &[]), expected);
    assert_eq!(
        s.file("error_log.txt"),
        "<time> - ERROR - Error occurred while dividing 10 by 0: division by zero\n".repeat(2)
    );
    assert_eq!(s.run("B3", &[("denominator", "4")]), "10 / 4 = 2.5\nNothing was added to error_log.txt.\n");
    assert_eq!(s.run("B3", &[("denominator", "2")]), "10 / 2 = 5.0\nNothing was added to error_log.txt.\n");
    assert_eq!(s.file("error_log.txt").lines().count(), 2);
    let (out, status) = s.run_status("B3", &[("denominator", "zero")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(out.contains("ValueError: input 'denominator' must be a whole number"), "{out}");
}

#[test]
fn b3_without_force_a_second_basic_config_does_nothing_and_the_record_goes_to_the_screen() {
    let s = Session::new();
    assert_eq!(
        s.run("B3", &[("force", "no"), ("file", "quiet.log")]),
        "An earlier basicConfig sent records to the screen; this one has no force:\n\
         ERROR:root:Error occurred while dividing 10 by 0: division by zero\n\
         Error: Division by zero is not allowed.\n\
         Nothing was added to quiet.log: the second basicConfig did nothing.\n"
    );
    assert!(!s.kernel.fs().exists("quiet.log"), "no file was made");
    assert!(logging_root_is_bare(), "the cell takes its handlers off again");
    // With force (the default), the same cell writes its file.
    assert!(s.run("B3", &[("file", "quiet.log")]).contains("This run added to quiet.log:"));
}

fn logging_root_is_bare() -> bool {
    notebook::logging::root().handlers().is_empty()
}

#[test]
fn b4_each_handler_takes_the_levels_at_or_above_its_own() {
    let s = Session::new();
    let file = "<time> - DEBUG - parsing settings.toml: 4 keys found\n\
                <time> - INFO - settings loaded\n\
                <time> - WARNING - no 'timeout' setting: using 30 s\n\
                <time> - ERROR - cannot reach the update server\n\
                <time> - CRITICAL - settings file is corrupt: stopping\n";
    for _ in 0..2 {
        let out = s.run("B4", &[]);
        assert!(
            out.starts_with(&format!(
                "On screen (handler level ERROR):\n\
                 ERROR:root:cannot reach the update server\n\
                 CRITICAL:root:settings file is corrupt: stopping\n\
                 In levels.log (handler level DEBUG):\n{file}"
            )),
            "{out}"
        );
        assert_eq!(row(&out, "record", "DEBUG"), ["DEBUG", "yes", "-"]);
        assert_eq!(row(&out, "record", "ERROR"), ["ERROR", "yes", "yes"]);
        assert_eq!(s.file("levels.log"), file, "mode w: this run alone");
        assert_eq!(s.viewer().len(), 5);
    }
    let out = s.run("B4", &[("file_level", "WARNING"), ("screen_level", "INFO")]);
    assert_eq!(s.file("levels.log").lines().count(), 3);
    assert_eq!(out.lines().filter(|l| l.contains(":root:")).count(), 4);
    assert_eq!(row(&out, "record", "INFO"), ["INFO", "-", "yes"]);
}

#[test]
fn b5_logs_an_info_and_an_error_record() {
    let s = Session::new();
    let expected = "Program completed. Check 'app.log' for log messages.\n\
                    This run added to app.log:\n\
                    <time> - INFO - Division successful: 10 / 2 = 5.0\n\
                    <time> - ERROR - Error occurred: Cannot divide 5 by zero.\n";
    assert_eq!(s.run("B5", &[]), expected);
    assert_eq!(s.run("B5", &[]), expected);
    assert_eq!(s.file("app.log").lines().count(), 4);
    let out = s.run("B5", &[("level", "ERROR")]);
    assert!(out.ends_with("app.log:\n<time> - ERROR - Error occurred: Cannot divide 5 by zero.\n"), "{out}");
    let out = s.run("B5", &[("level", "CRITICAL")]);
    assert!(out.ends_with("Nothing was added to app.log.\n"), "{out}");
}

#[test]
fn b5_without_force_the_info_record_is_dropped_and_the_error_goes_to_the_screen() {
    let s = Session::new();
    // The no-op basicConfig sets no level either: the root keeps WARNING, so INFO is dropped.
    assert_eq!(
        s.run("B5", &[("force", "no"), ("file", "quiet.log")]),
        "An earlier basicConfig sent records to the screen; this one has no force:\n\
         ERROR:root:Error occurred: Cannot divide 5 by zero.\n\
         Program completed. Check 'quiet.log' for log messages.\n\
         Nothing was added to quiet.log: the second basicConfig did nothing.\n"
    );
    assert!(!s.kernel.fs().exists("quiet.log"), "no file was made");
    assert!(logging_root_is_bare(), "the cell takes its handlers off again");
}

#[test]
fn b6_rotates_by_size_and_keeps_the_backups_asked_for() {
    let s = Session::new();
    // The seed's numbers: 10,000 records of 58 to 62 bytes stay under 1,000,000 bytes.
    let out = s.run("B6", &[]);
    assert!(out.starts_with("10000 records in "), "{out}");
    assert_eq!(
        row(&out, "file", "app.log"),
        ["app.log", &s.size("app.log").to_string(), "10000", "0 to 9999"]
    );
    assert!(!s.exists("app.log.1"));
    assert!(out.contains("The largest file has"), "{out}");

    // Small numbers: rotation, three backups, every file under the limit, the newest kept.
    let small = [("max_bytes", "2000"), ("backups", "3"), ("records", "200")];
    for _ in 0..2 {
        let out = s.run("B6", &small);
        let files = ["app.log", "app.log.1", "app.log.2", "app.log.3"];
        let mut kept = 0;
        for name in files {
            let size = s.size(name);
            assert!(size <= 2000, "{name} has {size} bytes");
            let cells = row(&out, "file", name);
            assert_eq!(cells[1], size.to_string());
            kept += cells[2].parse::<usize>().unwrap();
            assert!(s.file(name).lines().all(|l| l.starts_with("<time> - INFO - This is log entry number ")));
        }
        assert!(!s.exists("app.log.4"));
        assert!(s.file("app.log").ends_with("This is log entry number 199\n"));
        let first_kept = 200 - kept;
        assert!(row(&out, "file", "app.log.3")[3].starts_with(&format!("{first_kept} to ")), "{out}");
        assert!(out.contains("none is over the limit"), "{out}");
        assert!(out.contains(&format!("The oldest {first_kept} records were deleted")), "{out}");
    }
    // Fewer backups than the last run: the old app.log.3 is gone too.
    s.run("B6", &[("max_bytes", "2000"), ("backups", "1"), ("records", "200")]);
    assert!(s.exists("app.log.1") && !s.exists("app.log.2") && !s.exists("app.log.3"));
    // No rotation at 0.
    let out = s.run("B6", &[("max_bytes", "0"), ("records", "50")]);
    assert!(out.contains("never rotates"), "{out}");
    assert!(!s.exists("app.log.1"));
    assert_eq!(s.file("app.log").lines().count(), 50);
    // A record longer than the limit is written whole.
    let out = s.run("B6", &[("max_bytes", "10"), ("records", "3")]);
    assert!(out.contains("written whole"), "{out}");
    assert_eq!(s.viewer().len(), 3);
    let (out, status) = s.run_status("B6", &[("records", "60000")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(out.contains("ValueError: at most 50000 records"), "{out}");
}

#[test]
fn b7_logs_the_missing_file() {
    let s = Session::new();
    let expected = "FileNotFoundError: The file 'missing_file.txt' was not found.\n\
                    This run added to file_errors.log:\n\
                    <time> - ERROR - FileNotFoundError: The file 'missing_file.txt' was not found.\n";
    assert_eq!(s.run("B7", &[]), expected);
    assert_eq!(s.run("B7", &[]), expected);
    assert_eq!(s.file("file_errors.log").lines().count(), 2);

    let out = s.run("B7", &[("file", "sample.txt")]);
    assert_eq!(out, format!("File content:\n{}Nothing was added to file_errors.log.\n", STARTING_FILES[0].1));
    s.kernel.fs().mkdir("folder").unwrap();
    let out = s.run("B7", &[("file", "folder")]);
    assert!(out.starts_with("IsADirectoryError while reading 'folder': "), "{out}");
    assert_eq!(s.file("file_errors.log").lines().count(), 3);
}

#[test]
fn b7_without_force_the_error_record_goes_to_the_screen_and_not_the_log() {
    let s = Session::new();
    s.run("B7", &[]);
    let before = s.file("file_errors.log");
    assert_eq!(
        s.run("B7", &[("force", "no")]),
        "An earlier basicConfig sent records to the screen; this one has no force:\n\
         FileNotFoundError: The file 'missing_file.txt' was not found.\n\
         ERROR:root:FileNotFoundError: The file 'missing_file.txt' was not found.\n\
         Nothing was added to file_errors.log: the second basicConfig did nothing.\n"
    );
    assert_eq!(s.file("file_errors.log"), before, "the log file is as it was");
    assert!(logging_root_is_bare(), "the cell takes its handlers off again");
}

#[test]
fn b8_prints_from_the_chosen_level_and_sends_every_record_to_the_viewer() {
    let s = Session::new();
    for _ in 0..2 {
        let out = s.run("B8", &[]);
        assert!(out.starts_with("INFO     shop          shop opened\n"), "{out}");
        assert!(out.contains("ERROR    shop.payment  card 1881: declined by the bank\n"), "{out}");
        assert!(!out.contains("DEBUG"), "{out}");
        assert!(
            out.contains(
                "12 records made; 9 printed here (level INFO and up); all 12 sent to the log viewer."
            ),
            "{out}"
        );
        let viewer = s.viewer();
        assert_eq!(viewer.len(), 12);
        let loggers: std::collections::BTreeSet<&str> = viewer.iter().map(|(_, l, _)| l.as_str()).collect();
        assert_eq!(loggers, ["shop", "shop.cart", "shop.payment", "shop.stock"].into());
        let levels: std::collections::BTreeSet<&str> = viewer.iter().map(|(l, _, _)| l.as_str()).collect();
        assert_eq!(levels.len(), 5, "every level");
    }
    let out = s.run("B8", &[("level", "ERROR")]);
    assert_eq!(out.lines().filter(|l| l.starts_with("ERROR") || l.starts_with("CRITICAL")).count(), 4);
    assert!(out.contains("4 printed here"), "{out}");
}

//! Section B of the catalogue: logging. A record to a file through the one-call setup;
//! levels on loggers and on handlers; errors that are caught, told to the person and kept
//! in a log; a file that rotates by size; and the log viewer fed from several loggers.
//!
//! Logging state belongs to the kernel, as Python's belongs to the process, so every cell
//! starts from a clean configuration for the loggers it uses and takes its handlers off
//! again before it ends (closing their files): each cell works alone, twice, in any order.

use std::borrow::Cow;

use super::{code_cell, course_script};
use crate::logging::{
    self, BasicConfig, FileHandler, Formatter, Level, OutputStream, RotatingFileHandler, StreamHandler,
    CRITICAL, DEBUG, ERROR, INFO, WARNING,
};
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::pyrepr::str_repr;
use crate::vfs::ErrorKind;
use crate::words::count;

const INTRO: &str = "\
A log is the notes a program keeps about itself while it runs. Each note, a *record*, \
carries a time, a severity (its *level*), the name of the part of the program that wrote \
it and a message. Python's `logging` module, and `notebook::logging`, the Rust copy these \
cells use, divide the work between three kinds of object:

- **loggers**, which your code calls (`log.info(...)`, `log.error(...)`); each has a name \
and a level, and drops records below that level on the spot;
- **handlers**, which take the records that pass to a destination: a file, the cell's \
output, the browser's console; each has a level of its own;
- **formatters**, which turn a record into a line of text such as \
`2026-11-22 10:15:03,123 - INFO - started`.

How logging is set up belongs to the kernel, not to one cell, just as in Python it belongs \
to the whole process: a handler added by one cell would still be there for the next. So \
these cells keep two habits. Those that configure the root logger call `basic_config` \
with `force: true`, which first removes whatever an earlier run left behind (without it, a \
second call does nothing at all: that is Python's rule). And every cell closes its \
handlers and takes them off before it ends, which Python does for you when a script \
exits. Log files are written to the notebook's disk: look for them in the file browser.

Every record a logger accepts also reaches the *log viewer*: the **Logs** button at the \
top of the page opens it.";

const TO_A_FILE: &str = "\
**A record in a file.** `basic_config` is the one-call setup: a file name, a level and a \
format, and the root logger writes there. The format's `%(...)s` fields are filled from \
each record: `asctime` is its time, `levelname` its level, `message` what the code said. \
The file is opened in append mode, as Python's default is, so each run adds a line; the \
cell prints the lines this run added. Set the level to `WARNING` and the INFO record no \
longer gets through; break the format (`%(levelname`) and the mistake is reported when the \
logger is configured, not later.";

/// B1: the one-call setup, then one INFO record written to a file.
pub async fn b1_log_to_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let level = logging::level_from_name(cx.param("level").trim())?;
    logging::basic_config(BasicConfig {
        filename: Some(path.clone()),
        level: Some(level),
        format: Some(cx.param("format")),
        force: true, // replace what an earlier run set up, instead of doing nothing
        fs: Some(cx.fs()),
        ..Default::default()
    })?;
    let size_before = cx.fs().getsize(&path)?;

    logging::info(cx.param("message"));
    if logging::root().is_enabled_for(INFO) {
        cx.println(format!("Log message has been written to {path}"));
    } else {
        cx.println(format!("Nothing written: an INFO record is below the root's level, {level}."));
    }

    // The kernel outlives this cell: close the file and take the handler off the root,
    // as Python does when a script ends, so the next cell starts from nothing.
    let root = logging::root();
    for handler in root.handlers() {
        root.remove_handler(&handler);
        handler.close()?;
    }
    let mut file = cx.fs().open(&path, "r")?;
    file.seek(size_before as i64, 0)?; // skip what earlier runs wrote
    match file.read()? {
        added if added.is_empty() => cx.println(format!("Nothing was added to {path}.")),
        added => {
            cx.println(format!("This run added to {path}:"));
            cx.print(added);
        }
    }
    Ok(())
}

const LEVELS: &str = "\
**Why levels matter.** Every record says how serious it is, on a scale of five names \
that stand for numbers:

| level | number | for |
|---|---|---|
| `DEBUG` | 10 | details that help only while you hunt a bug |
| `INFO` | 20 | the normal progress of the program |
| `WARNING` | 30 | something unexpected that the program got past |
| `ERROR` | 40 | an operation that failed |
| `CRITICAL` | 50 | a failure the program may not survive |

A logger lets through the records at or above its level and drops the rest at the call. \
That one setting is the point: the same code can be talkative while you develop it and \
quiet in production, and you change a level, not every call. Dropping is also cheap. A \
record that does not pass is never formatted or written, and with the `_with` calls \
(`log.debug_with(|| ...)`) even its message is never built, so a program can keep \
plenty of DEBUG calls at almost no cost once DEBUG is off. Handlers have levels of their \
own, so one destination can take everything while another takes only what needs \
attention (B4). And fewer records mean smaller files to store, rotate and search.

Run the cell with the level at `DEBUG`, then `WARNING`, then `CRITICAL`, and compare what \
gets through and how many messages were built.";

/// B2: one logger, a record at each level, and the logger's level deciding which pass.
pub async fn b2_level_filter(cx: CellContext) -> CellResult {
    let level = logging::level_from_name(cx.param("level").trim())?;
    let log = logging::get_logger("levels");
    log.set_level(level);
    log.set_propagate(false); // these records go to the handler below and nowhere else
    let screen = StreamHandler::new(OutputStream::Stdout)
        .with_formatter(Formatter::new("%(levelname)-8s %(message)s", None)?);
    log.add_handler(&screen);

    // Each message is built by a closure, which the logger calls only if the level passes.
    let built = std::cell::Cell::new(0);
    let message = |text: &str| {
        built.set(built.get() + 1);
        text.to_string()
    };
    cx.println(format!("Logger 'levels' at {level}; what passes:"));
    log.debug_with(|| message("cache lookup for 'prices' took 3 ms"));
    log.info_with(|| message("user alice signed in"));
    log.warning_with(|| message("disk 91% full"));
    log.error_with(|| message("could not save report.pdf"));
    log.critical_with(|| message("database unreachable: shutting down"));
    log.remove_handler(&screen);

    let rows: Vec<Vec<String>> = [DEBUG, INFO, WARNING, ERROR, CRITICAL]
        .into_iter()
        .map(|record_level| {
            let verdict = if log.is_enabled_for(record_level) { "passes" } else { "dropped" };
            vec![record_level.to_string(), record_level.number().to_string(), verdict.to_string()]
        })
        .collect();
    cx.table(&["record level", "number", "at this logger"], &rows);
    cx.println(format!("Messages built: {} of 5. A dropped record costs only the level check.", built.get()));
    Ok(())
}

const CAUGHT: &str = "\
**Logging the errors you handle.** Once code catches an error and carries on, nothing \
else remembers that it happened. The usual answer is to do two things in the `except` \
arm: tell the person in plain words, and write the technical details, with a time \
stamp, to a log file someone can read later. B3, B5 and B7 all follow that pattern, and \
call `basicConfig` with `force=True`: without it, a second call does nothing once the root \
logger has a handler, which is why the course's records came out on the screen as \
`ERROR:root:...`. Set force to no in B3, B5 or B7 to see that happen. In \
Python, dividing by zero raises `ZeroDivisionError`; Rust's integer division would stop \
the program with a panic instead, so these cells check the divisor first and return the \
same error as a value.";

/// B3: a division by zero, caught: a plain message on screen and the details in a log file.
/// With `force` set to no, an earlier cell's `basicConfig` (to the screen) is there first,
/// and this one silently does nothing, as in the course: the record goes to the screen.
pub async fn b3_log_zero_division(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let a: i64 = cx.param_as("numerator")?;
    let b: i64 = cx.param_as("denominator")?;
    let force = forced(&cx)?;
    logging::basic_config(BasicConfig {
        filename: Some(path.clone()),
        level: Some(ERROR),
        format: Some("%(asctime)s - %(levelname)s - %(message)s".into()),
        force,
        fs: Some(cx.fs()),
        ..Default::default()
    })?;
    let size_before = size_of(&cx, &path)?;

    // Python's `a / b`: a float, or ZeroDivisionError when b is 0 (checked, never a panic).
    let divide = |a: i64, b: i64| -> Result<f64, CellError> {
        if b == 0 {
            return Err(CellError::new("ZeroDivisionError", "division by zero"));
        }
        Ok(a as f64 / b as f64)
    };
    match divide(a, b) {
        Ok(result) => cx.println(format!("{a} / {b} = {result:?}")), // {:?} shows 5.0 as Python does
        Err(error) => {
            logging::error(format!("Error occurred while dividing {a} by {b}: {}", error.message));
            cx.println("Error: Division by zero is not allowed.");
        }
    }

    tidy_up_and_show_added(&cx, &path, size_before, force)
}

/// The `force` input of B3, B5 and B7. Without force, the cell first does what an earlier
/// cell would have left: a `basicConfig` to the screen (Python's default format), so the
/// cell's own `basicConfig` finds a handler on the root and silently does nothing.
fn forced(cx: &CellContext) -> Result<bool, CellError> {
    let force = !cx.param("force").trim().eq_ignore_ascii_case("no");
    if !force {
        logging::basic_config(BasicConfig {
            stream: Some(OutputStream::Stdout),
            force: true,
            ..Default::default()
        })?;
        cx.println("An earlier basicConfig sent records to the screen; this one has no force:");
    }
    Ok(force)
}

/// The log file's size before this run: 0 when there is no file yet.
fn size_of(cx: &CellContext, path: &str) -> Result<u64, CellError> {
    Ok(if cx.fs().exists(path) { cx.fs().getsize(path)? } else { 0 })
}

/// Tidy up as B1 does (close the log file, take the handler off the root), then show what
/// this run added to the log file, or say why nothing was.
fn tidy_up_and_show_added(cx: &CellContext, path: &str, size_before: u64, force: bool) -> CellResult {
    let root = logging::root();
    for handler in root.handlers() {
        root.remove_handler(&handler);
        handler.close()?;
    }
    let added = if cx.fs().exists(path) {
        let mut file = cx.fs().open(path, "r")?;
        file.seek(size_before as i64, 0)?;
        file.read()?
    } else {
        String::new() // a no-op `basicConfig` made no file
    };
    match added {
        added if added.is_empty() && !force => {
            cx.println(format!("Nothing was added to {path}: the second basicConfig did nothing."))
        }
        added if added.is_empty() => cx.println(format!("Nothing was added to {path}.")),
        added => {
            cx.println(format!("This run added to {path}:"));
            cx.print(added);
        }
    }
    Ok(())
}

const PER_HANDLER: &str = "\
**A level for each handler.** A record first has to pass its logger's level; then every \
handler it reaches applies its own. B4 gives the root logger two handlers: a file that \
keeps everything from DEBUG up, and the screen (the cell's error stream, where Python's \
`StreamHandler` writes), which shows only ERROR and above. The details are kept without \
flooding the output. The file is opened with mode `w`, so it holds this run alone. Try \
other levels for either handler.";

/// B4: a record at each level through two handlers with different levels.
pub async fn b4_levels_by_handler(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let file_level = logging::level_from_name(cx.param("file_level").trim())?;
    let screen_level = logging::level_from_name(cx.param("screen_level").trim())?;
    let to_file = FileHandler::new(cx.fs(), &path, "w", false)?.with_level(file_level);
    let to_screen = StreamHandler::default() // stderr, like Python's StreamHandler()
        .with_level(screen_level)
        .with_formatter(Formatter::new(logging::BASIC_FORMAT, None)?);
    logging::basic_config(BasicConfig {
        handlers: Some(vec![to_file.handler(), to_screen.handler()]),
        level: Some(DEBUG), // the root lets everything through: the handlers choose
        format: Some("%(asctime)s - %(levelname)s - %(message)s".into()), // for the file
        force: true,
        ..Default::default()
    })?;

    cx.println(format!("On screen (handler level {screen_level}):"));
    logging::debug("parsing settings.toml: 4 keys found");
    logging::info("settings loaded");
    logging::warning("no 'timeout' setting: using 30 s");
    logging::error("cannot reach the update server");
    logging::critical("settings file is corrupt: stopping");

    // Tidy up as B1 does: close the log file and take both handlers off the root.
    let root = logging::root();
    for handler in root.handlers() {
        root.remove_handler(&handler);
        handler.close()?;
    }
    cx.println(format!("In {path} (handler level {file_level}):"));
    cx.print(cx.fs().open(&path, "r")?.read()?);
    let rows: Vec<Vec<String>> = [DEBUG, INFO, WARNING, ERROR, CRITICAL]
        .into_iter()
        .map(|level| {
            let mark = |handler_level: Level| if level >= handler_level { "yes" } else { "-" }.to_string();
            vec![level.to_string(), mark(file_level), mark(screen_level)]
        })
        .collect();
    cx.table(&["record", &format!("in {path}"), "on screen"], &rows);
    Ok(())
}

/// B5: a divide function that logs an INFO record when it works and an ERROR when it cannot.
pub async fn b5_info_and_error(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let level = logging::level_from_name(cx.param("level").trim())?;
    let force = forced(&cx)?;
    logging::basic_config(BasicConfig {
        filename: Some(path.clone()),
        level: Some(level),
        format: Some("%(asctime)s - %(levelname)s - %(message)s".into()),
        force,
        fs: Some(cx.fs()),
        ..Default::default()
    })?;
    let size_before = size_of(&cx, &path)?;

    let divide = |a: i64, b: i64| -> Option<f64> {
        if b == 0 {
            // Where Python raises ZeroDivisionError: report it and give no result.
            logging::error(format!("Error occurred: Cannot divide {a} by zero."));
            return None;
        }
        let result = a as f64 / b as f64;
        logging::info(format!("Division successful: {a} / {b} = {result:?}"));
        Some(result)
    };
    divide(10, 2);
    divide(5, 0);
    cx.println(format!("Program completed. Check '{path}' for log messages."));
    tidy_up_and_show_added(&cx, &path, size_before, force)
}

const ROTATION: &str = "\
**Rotating log files.** A log that only ever grows will fill the disk one day. A \
rotating handler puts a ceiling on it: before it writes a record that would take the \
file to `max_bytes`, it closes the file and shifts the names along (`app.log.2` becomes \
`app.log.3`, `app.log.1` becomes `app.log.2`, `app.log` becomes `app.log.1`), deletes the \
oldest file past `backup_count`, and starts an empty `app.log`. The newest records are \
always in `app.log`, and the disk never holds much more than `max_bytes` × \
(`backup_count` + 1). With either value at 0 it never rotates.

The cell first deletes the files of earlier runs so the table shows this run alone. With \
the defaults (1,000,000 bytes, 3 backups) 10,000 records of about 63 bytes, some \
630 KB, fit in one file. Set the maximum to `50000` to watch it rotate: the table then \
shows which entries each file kept, and how many were lost with the files dropped past \
the last backup.";

/// B6: many records through a rotating file handler; the files it leaves and their sizes.
pub async fn b6_rotating_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let max_bytes: u64 = cx.param_as("max_bytes")?;
    let backups: u32 = cx.param_as("backups")?;
    let records: usize = cx.param_as("records")?;
    if records > 50_000 || backups > 50 {
        // Each record also travels to the log viewer: keep the page responsive.
        return Err(CellError::new("ValueError", "at most 50000 records and 50 backups, please"));
    }
    // Start with no log files, so the table shows this run alone.
    let fs = cx.fs();
    let backup = |i: u32| format!("{path}.{i}");
    if fs.exists(&path) {
        fs.remove(&path)?;
    }
    let mut i = 1;
    while fs.exists(&backup(i)) {
        fs.remove(&backup(i))?;
        i += 1;
    }

    let handler =
        RotatingFileHandler::new(fs.clone(), &path, "a", max_bytes, backups, false)?.with_level(INFO);
    logging::basic_config(BasicConfig {
        handlers: Some(vec![handler.handler()]),
        level: Some(INFO),
        format: Some("%(asctime)s - %(levelname)s - %(message)s".into()),
        force: true,
        ..Default::default()
    })?;
    let log = logging::root();
    let start = cx.now_ms();
    for i in 0..records {
        log.info(format!("This is log entry number {i}"));
    }
    let elapsed = cx.now_ms() - start;
    log.remove_handler(&handler);
    handler.close()?;

    // Every file the handler left, newest first: its size and which entries it holds.
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    let mut kept = 0;
    for name in std::iter::once(path.clone()).chain((1..=backups).map(backup)) {
        if !fs.exists(&name) {
            continue;
        }
        let size = fs.getsize(&name)?;
        let text = fs.open(&name, "r")?.read()?;
        let lines: Vec<&str> = text.lines().collect();
        let entry = |line: Option<&&str>| line.and_then(|l| l.rsplit(' ').next()).unwrap_or("-").to_string();
        kept += lines.len();
        rows.push(vec![
            name.clone(),
            size.to_string(),
            lines.len().to_string(),
            format!("{} to {}", entry(lines.first()), entry(lines.last())),
        ]);
        bars.push((name, size as f64));
    }
    cx.println(format!(
        "{} in {elapsed:.0} ms; max_bytes {max_bytes}, backup_count {backups}:",
        count(records, "record", "records")
    ));
    cx.table(&["file", "bytes", "records", "entries"], &rows);
    cx.bar_chart(&format!("File sizes (limit {max_bytes} bytes)"), &bars, "bytes");
    let largest = bars.iter().map(|(_, size)| *size as u64).max().unwrap_or(0);
    if max_bytes == 0 || backups == 0 {
        cx.println("With max_bytes or backup_count at 0 the handler never rotates: one file grows.");
    } else if largest <= max_bytes {
        cx.println(format!("The largest file has {largest} bytes: none is over the limit."));
    } else {
        cx.println("A record longer than max_bytes is written whole to a fresh file, which is then over.");
    }
    if kept < records {
        let gone = match records - kept {
            1 => "The oldest record was".to_string(),
            n => format!("The oldest {n} records were"),
        };
        cx.println(format!("{gone} deleted with the files past the last backup."));
    }
    Ok(())
}

/// B7: a file that cannot be read: the error on screen and in the error log.
pub async fn b7_log_file_errors(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let log_path = cx.param("log");
    let force = forced(&cx)?;
    logging::basic_config(BasicConfig {
        filename: Some(log_path.clone()),
        level: Some(ERROR),
        format: Some("%(asctime)s - %(levelname)s - %(message)s".into()),
        force,
        fs: Some(cx.fs()),
        ..Default::default()
    })?;
    let size_before = size_of(&cx, &log_path)?;

    match cx.fs().open(&path, "r").and_then(|mut file| file.read()) {
        Ok(content) => {
            cx.println("File content:");
            cx.print(content);
        }
        Err(error) => {
            let message = if error.kind() == ErrorKind::FileNotFound {
                format!("FileNotFoundError: The file {} was not found.", str_repr(&path))
            } else {
                format!("{} while reading {}: {error}", error.kind().python_name(), str_repr(&path))
            };
            cx.println(&message);
            logging::error(message);
        }
    }
    tidy_up_and_show_added(&cx, &log_path, size_before, force)
}

const WHAT_FOR: &str = "\
**What logging is for.** Logging is a program keeping a diary as it runs: what it did, \
what it noticed, what went wrong, every entry stamped with a time, a level and the part \
of the program that wrote it. `print` can write notes too, but logging does more with \
them:

- notes are switched on and off by level, for the whole program or for one part of it, \
without touching the calls that write them;
- one note can go to several places at once: a file kept for later, the screen, the \
browser console, a monitoring service;
- every note has the same shape (time, level, source, message), so notes can be \
searched, filtered, counted and read by tools as well as by people;
- a log file outlives the program, so you can find out what happened after a crash, or \
on a machine nobody was watching.

**The levels**, least to most severe, are DEBUG, INFO, WARNING, ERROR and CRITICAL \
(B2's table says what each is for). **The module** gives you loggers named by dotted \
paths (`shop.payment` is a child of `shop` and passes its records up to it), handlers \
for destinations, formatters for the text, filters for finer choices, and \
`basicConfig` for the common case.

The cell below plays a small shop: four loggers write records at all five levels. The \
cell prints those at or above the level you choose, but every record reaches the log \
viewer. Open it with the **Logs** button and filter by level, by logger (`shop.payment` \
shows that logger and its children; `shop` shows all four) or by text (try `card`).";

/// B8: four loggers of a small shop log at every level, to try the log viewer's filters.
pub async fn b8_feed_the_viewer(cx: CellContext) -> CellResult {
    let shown = logging::level_from_name(cx.param("level").trim())?;
    let shop = logging::get_logger("shop");
    shop.set_level(DEBUG); // every record is made, so the log viewer receives them all
    shop.set_propagate(false); // and goes to this handler only
    let screen = StreamHandler::new(OutputStream::Stdout)
        .with_level(shown)
        .with_formatter(Formatter::new("%(levelname)-8s %(name)-13s %(message)s", None)?);
    shop.add_handler(&screen);

    // The children pass their records up to "shop", whose handler prints them.
    let (cart, payment, stock) = (shop.get_child("cart"), shop.get_child("payment"), shop.get_child("stock"));
    let events = [
        (&shop, INFO, "shop opened"),
        (&stock, DEBUG, "loaded 42 products from stock.csv"),
        (&cart, DEBUG, "cart 17: added 2 x green tea"),
        (&cart, INFO, "cart 17: checkout started"),
        (&payment, DEBUG, "card 4242: sending 12.80 EUR to the bank"),
        (&payment, WARNING, "card 4242: the bank took 4.2 s to answer"),
        (&stock, WARNING, "green tea: 3 left"),
        (&payment, ERROR, "card 1881: declined by the bank"),
        (&cart, ERROR, "cart 18: unknown product id 999"),
        (&stock, CRITICAL, "stock.csv is unreadable: sales stopped"),
        (&shop, CRITICAL, "shop closed early"),
        (&shop, INFO, "daily report written"),
    ];
    for (logger, level, message) in events {
        logger.log(level, message);
    }
    shop.remove_handler(&screen);

    let printed = events.iter().filter(|(_, level, _)| *level >= shown).count();
    cx.println(format!(
        "{} records made; {printed} printed here (level {shown} and up); all {} sent to the log viewer.",
        events.len(),
        events.len()
    ));
    cx.println("Open it with the Logs button and try the filters.");
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "B",
        title: "B. Logging",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Markdown(md::TO_A_FILE),
                    CellSpec::Code(code_cell!("B1", "A record in a file", b1_log_to_file).inputs(
                        const {
                            &[
                                field("file", "log file", "app.log"),
                                field("level", "level (DEBUG, INFO, WARNING, ERROR, CRITICAL)", "DEBUG"),
                                field("format", "format", "%(asctime)s - %(levelname)s - %(message)s"),
                                field("message", "message", "The notebook wrote its first record."),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::LEVELS),
                    CellSpec::Code(code_cell!("B2", "One logger, five levels", b2_level_filter).inputs(
                        const {
                            &[field(
                                "level",
                                "logger level (DEBUG, INFO, WARNING, ERROR, CRITICAL)",
                                "WARNING",
                            )]
                        },
                    )),
                    CellSpec::Markdown(md::CAUGHT),
                    CellSpec::Code(code_cell!("B3", "Log a division by zero", b3_log_zero_division).inputs(
                        const {
                            &[
                                field("file", "log file", "error_log.txt"),
                                field("numerator", "numerator", "10"),
                                field("denominator", "denominator", "0"),
                                field("force", "force (no: a second basicConfig does nothing)", "yes"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::PER_HANDLER),
                    CellSpec::Code(
                        code_cell!("B4", "Every level, two handlers", b4_levels_by_handler).inputs(
                            const {
                                &[
                                    field("file", "log file", "levels.log"),
                                    field("file_level", "file handler level", "DEBUG"),
                                    field("screen_level", "screen handler level", "ERROR"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Code(code_cell!("B5", "Information and errors", b5_info_and_error).inputs(
                        const {
                            &[
                                field("file", "log file", "app.log"),
                                field("level", "level (try ERROR)", "INFO"),
                                field("force", "force (no: a second basicConfig does nothing)", "yes"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::ROTATION),
                    CellSpec::Code(code_cell!("B6", "A rotating log file", b6_rotating_file).inputs(
                        const {
                            &[
                                field("file", "log file", "app.log"),
                                field("max_bytes", "max bytes per file (try 50000)", "1000000"),
                                field("backups", "backups kept", "3"),
                                field("records", "records to log", "10000"),
                            ]
                        },
                    )),
                    course_script!("B6-js", "A rotating log file, in JavaScript", "b6_rotating"),
                    CellSpec::Code(code_cell!("B7", "Log a file error", b7_log_file_errors).inputs(
                        const {
                            &[
                                field("file", "file to read (try sample.txt)", "missing_file.txt"),
                                field("log", "log file", "file_errors.log"),
                                field("force", "force (no: a second basicConfig does nothing)", "yes"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::WHAT_FOR),
                    CellSpec::Code(
                        code_cell!("B8", "Loggers for the log viewer", b8_feed_the_viewer)
                            .inputs(const { &[field("level", "printed from level", "INFO")] }),
                    ),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_logging.rs"));

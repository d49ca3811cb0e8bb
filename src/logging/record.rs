//! The record: everything known about one logging call, with Python's `LogRecord` fields
//! (snake_case here), and what fills them: the call site and a [`Stamp`] (the time, the
//! process, the level's name). A record is a plain value, as the `log` crate's is: what
//! Python's `LogRecord` reads from globals is passed in (`super::factory` reads the
//! thread's state to make one).

use std::borrow::Cow;
use std::panic::Location;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::level::Level;

/// One logging event. Records are plain data (serde), so a worker process can send them to
/// the kernel, which runs them through its own loggers with [`super::handle_record`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The logger's name (`name`), `root` for the root logger.
    pub name: String,
    /// The level's number (`levelno`).
    pub levelno: Level,
    /// The level's name when the record was made (`levelname`).
    pub levelname: String,
    /// The source file of the call (`pathname`), `(unknown file)` when not known.
    pub pathname: Cow<'static, str>,
    /// The last part of `pathname` (`filename`).
    pub filename: Cow<'static, str>,
    /// `filename` without its extension (`module`).
    pub module: Cow<'static, str>,
    /// The source line of the call (`lineno`), 0 when not known.
    pub lineno: u32,
    /// The calling function (`funcName`), `(unknown function)` when not known.
    pub func_name: Cow<'static, str>,
    /// Seconds since 1970 (`created`).
    pub created: f64,
    /// The millisecond part of `created` (`msecs`, a float as in Python).
    pub msecs: f64,
    /// Milliseconds since the logging state started (`relativeCreated`).
    pub relative_created: f64,
    /// The thread's ident (`thread`).
    pub thread: u64,
    /// The thread's name (`threadName`).
    pub thread_name: String,
    /// The process id (`process`).
    pub process: u32,
    /// The process name (`processName`).
    pub process_name: String,
    /// The message, already formatted (`message`, also `msg`: there are no `args`).
    pub message: String,
    /// The formatted error chain that `exception` attaches (`exc_text`).
    pub exc_text: Option<String>,
}

/// Where a logging call was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSite {
    /// The source file.
    pub file: Cow<'static, str>,
    /// The line.
    pub line: u32,
    /// The function, when known.
    pub func: Option<Cow<'static, str>>,
}

impl CallSite {
    /// The caller's file and line (the function is not known without a macro).
    #[track_caller]
    pub fn caller() -> CallSite {
        let here = Location::caller();
        CallSite { file: Cow::Borrowed(here.file()), line: here.line(), func: None }
    }

    /// Python's values when nothing is known: `(unknown file)`, line 0.
    pub fn unknown() -> CallSite {
        CallSite { file: Cow::Borrowed(UNKNOWN_FILE), line: 0, func: None }
    }
}

/// Python's `pathname` when the caller is not known.
pub const UNKNOWN_FILE: &str = "(unknown file)";
/// Python's `funcName` when the function is not known.
pub const UNKNOWN_FUNCTION: &str = "(unknown function)";

/// The process and thread fields every new record gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessInfo {
    /// `process` (1 for the kernel unless set).
    pub pid: u32,
    /// `processName` (`MainProcess`).
    pub name: String,
    /// `thread` (1 unless set).
    pub thread_id: u64,
    /// `threadName` (`MainThread`).
    pub thread_name: String,
}

impl Default for ProcessInfo {
    fn default() -> Self {
        ProcessInfo { pid: 1, name: "MainProcess".into(), thread_id: 1, thread_name: "MainThread".into() }
    }
}

/// A hook run on every new record after its fields are filled (Python's
/// `setLogRecordFactory` wrapping the default factory).
pub type RecordFactory = Rc<dyn Fn(&mut Record)>;

/// What a record is stamped with where it is made, which Python's `LogRecord` reads from
/// the clock, the module and the process.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stamp {
    /// The level's name (`levelname`).
    pub levelname: String,
    /// When the record is made, in milliseconds since 1970.
    pub now_ms: f64,
    /// When logging started, for `relativeCreated` (same clock).
    pub start_ms: f64,
    /// The process and thread fields.
    pub process: ProcessInfo,
}

/// `(filename, module)` of a path, as Python's `os.path.basename` and `splitext`; slices
/// of it when it is static.
type Names = (Cow<'static, str>, Cow<'static, str>);

fn file_and_module(path: Cow<'static, str>) -> (Cow<'static, str>, Names) {
    fn split(path: &str) -> (&str, &str) {
        let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let module = match file.rfind('.') {
            Some(dot) if file[..dot].chars().any(|c| c != '.') => &file[..dot],
            _ => file,
        };
        (file, module)
    }
    let names = match &path {
        Cow::Borrowed(p) => {
            let (f, m) = split(p);
            (Cow::Borrowed(f), Cow::Borrowed(m))
        }
        Cow::Owned(p) => {
            let (f, m) = split(p);
            (Cow::Owned(f.to_string()), Cow::Owned(m.to_string()))
        }
    };
    (path, names)
}

impl Record {
    /// The record of a call at `site` to logger `name`, filled as Python's `LogRecord`
    /// fills itself, from `stamp` where Python reads globals.
    pub fn new(name: &str, level: Level, message: String, site: CallSite, stamp: Stamp) -> Record {
        let Stamp { levelname, now_ms, start_ms, process } = stamp;
        let (pathname, (filename, module)) = file_and_module(site.file);
        Record {
            name: name.to_string(),
            levelno: level,
            levelname,
            pathname,
            filename,
            module,
            lineno: site.line,
            func_name: site.func.unwrap_or(Cow::Borrowed(UNKNOWN_FUNCTION)),
            created: now_ms / 1000.0,
            msecs: (now_ms.rem_euclid(1000.0)).floor(),
            relative_created: now_ms - start_ms,
            thread: process.thread_id,
            thread_name: process.thread_name,
            process: process.pid,
            process_name: process.name,
            message,
            exc_text: None,
        }
    }

    /// The message (Python's `getMessage`).
    pub fn get_message(&self) -> &str {
        &self.message
    }

    /// `created` in milliseconds since 1970.
    pub fn created_ms(&self) -> f64 {
        self.created * 1000.0
    }
}

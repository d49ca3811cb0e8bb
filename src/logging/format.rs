//! The formatter: Python's `logging.Formatter` with `%`-style fields and `datefmt`.

use std::fmt;
use std::fmt::Write as _;
use std::rc::Rc;

use super::errors::LogError;
use super::percent::{self, Field, Piece, Value};
use super::record::Record;
use super::strftime::DateFormat;
use super::time::local_time;

/// Python's default format for a formatter made without one.
pub const DEFAULT_FORMAT: &str = "%(message)s";

/// Turns a record into text. Cheap to clone (shared).
///
/// Made with [`Formatter::new`], which checks the whole format and `datefmt` at once: an
/// unclosed `%(levelname`, an unknown field `%(nope)s`, a conversion a field cannot take
/// (`%(levelname)d`) or an unknown `datefmt` directive (`%f`) is an error there, never when
/// a record is emitted. Python is looser on purpose of its own: it checks only that the
/// format holds at least one field, and an unknown field is a `KeyError` (a "Logging
/// error" on stderr) at each record; this formatter is stricter on purpose.
#[derive(Clone)]
pub struct Formatter(Rc<Inner>);

struct Inner {
    fmt: String,
    datefmt: Option<String>,
    pieces: Vec<Piece>,
    date: Option<DateFormat>,
    uses_time: bool,
}

impl Formatter {
    /// A formatter for `fmt` (`%(asctime)s - %(levelname)s - %(message)s`) with times by
    /// `datefmt` (`time.strftime` directives), or Python's `2026-11-22 10:15:03,123` form.
    pub fn new(fmt: &str, datefmt: Option<&str>) -> Result<Formatter, LogError> {
        let pieces = percent::parse(fmt)
            .map_err(|detail| LogError::value(format!("Invalid format '{fmt}' for '%' style: {detail}")))?;
        let date = match datefmt {
            Some(d) => Some(DateFormat::parse(d).map_err(LogError::value)?),
            None => None,
        };
        let uses_time = pieces.iter().any(|p| matches!(p, Piece::Field(s) if s.field == Field::Asctime));
        Ok(Formatter(Rc::new(Inner {
            fmt: fmt.to_string(),
            datefmt: datefmt.map(str::to_string),
            pieces,
            date,
            uses_time,
        })))
    }

    /// The format string.
    pub fn fmt(&self) -> &str {
        &self.0.fmt
    }

    /// The date format, if one was given.
    pub fn datefmt(&self) -> Option<&str> {
        self.0.datefmt.as_deref()
    }

    /// Whether the format shows `asctime` (Python's `usesTime`).
    pub fn uses_time(&self) -> bool {
        self.0.uses_time
    }

    /// The record as text: the fields, then the error chain on its own lines if the
    /// record carries one (Python's `Formatter.format`).
    pub fn format(&self, record: &Record) -> String {
        let mut out = String::with_capacity(64 + record.message.len());
        let asctime = if self.0.uses_time { self.format_time(record) } else { String::new() };
        for piece in &self.0.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(spec) => {
                    let value = match spec.field {
                        Field::Name => Value::Str(&record.name),
                        Field::Levelno => Value::Int(i64::from(record.levelno.0)),
                        Field::Levelname => Value::Str(&record.levelname),
                        Field::Pathname => Value::Str(&record.pathname),
                        Field::Filename => Value::Str(&record.filename),
                        Field::Module => Value::Str(&record.module),
                        Field::Lineno => Value::Int(i64::from(record.lineno)),
                        Field::FuncName => Value::Str(&record.func_name),
                        Field::Created => Value::Float(record.created),
                        Field::Msecs => Value::Float(record.msecs),
                        Field::RelativeCreated => Value::Float(record.relative_created),
                        Field::Asctime => Value::Str(&asctime),
                        Field::Thread => Value::Int(record.thread as i64),
                        Field::ThreadName => Value::Str(&record.thread_name),
                        Field::Process => Value::Int(i64::from(record.process)),
                        Field::ProcessName => Value::Str(&record.process_name),
                        Field::Message => Value::Str(&record.message),
                    };
                    percent::render(spec, value, &mut out);
                }
            }
        }
        if let Some(exc) = &record.exc_text {
            if !exc.is_empty() {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str(exc);
            }
        }
        out
    }

    /// The record's time as `asctime` shows it (Python's `formatTime`): by `datefmt`, or
    /// `%Y-%m-%d %H:%M:%S` and `,` and the milliseconds.
    pub fn format_time(&self, record: &Record) -> String {
        let tm = local_time(record.created.floor() as i64);
        let mut out = String::with_capacity(24);
        match &self.0.date {
            Some(date) => date.write(&tm, &mut out),
            None => {
                let _ = write!(
                    out,
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
                    tm.year, tm.month, tm.day, tm.hour, tm.minute, tm.second, record.msecs as i64
                );
            }
        }
        out
    }
}

impl Default for Formatter {
    /// Python's `Formatter()`: `%(message)s`.
    fn default() -> Self {
        thread_local! {
            static DEFAULT: Option<Formatter> = Formatter::new(DEFAULT_FORMAT, None).ok();
        }
        DEFAULT.try_with(Clone::clone).ok().flatten().unwrap_or_else(|| {
            Formatter(Rc::new(Inner {
                fmt: DEFAULT_FORMAT.to_string(),
                datefmt: None,
                pieces: Vec::new(),
                date: None,
                uses_time: false,
            }))
        })
    }
}

impl fmt::Debug for Formatter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Formatter").field("fmt", &self.0.fmt).field("datefmt", &self.0.datefmt).finish()
    }
}

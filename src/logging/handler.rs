//! Handlers and filters: the common part every handler has (level, formatter, filters),
//! and the [`Emit`] trait each kind of handler implements to write a formatted record.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use super::errors::LogError;
use super::format::Formatter;
use super::handlers::sink::report_error;
use super::level::{Level, NOTSET};
use super::names::get_level_name;
use super::record::Record;

/// What a kind of handler does with a record that passed its level and filters.
pub trait Emit {
    /// Writes one record; `line` is the record formatted by the handler's formatter.
    /// An error is reported as Python's `handleError` does (a "Logging error" block).
    fn emit(&mut self, record: &Record, line: &str) -> Result<(), LogError>;

    /// Flushes what is buffered.
    fn flush(&mut self) -> Result<(), LogError> {
        Ok(())
    }

    /// Releases what the handler holds (an open file).
    fn close(&mut self) -> Result<(), LogError> {
        Ok(())
    }
}

/// A filter, as Python's: a logger-name prefix (`logging.Filter("a.b")` passes `a.b` and
/// `a.b.c`, not `a.bc`), or a function of the record. Cheap to clone.
#[derive(Clone)]
pub struct Filter(Rc<FilterKind>);

enum FilterKind {
    Name(String),
    Func(Box<dyn Fn(&Record) -> bool>),
}

impl Filter {
    /// Passes records of the logger `name` and its descendants (all records if empty).
    pub fn by_name(name: &str) -> Filter {
        Filter(Rc::new(FilterKind::Name(name.to_string())))
    }

    /// Passes the records for which `f` is true.
    pub fn func(f: impl Fn(&Record) -> bool + 'static) -> Filter {
        Filter(Rc::new(FilterKind::Func(Box::new(f))))
    }

    /// Whether `record` passes.
    pub fn filter(&self, record: &Record) -> bool {
        match &*self.0 {
            FilterKind::Name(name) => {
                name.is_empty()
                    || record.name == *name
                    || (record.name.starts_with(name.as_str())
                        && record.name.as_bytes().get(name.len()) == Some(&b'.'))
            }
            FilterKind::Func(f) => f(record),
        }
    }

    /// Whether both are the same filter.
    pub fn ptr_eq(&self, other: &Filter) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            FilterKind::Name(name) => write!(f, "Filter({name:?})"),
            FilterKind::Func(_) => f.write_str("Filter(<function>)"),
        }
    }
}

/// Runs `filters` in order; the first that says no stops the record (Python's `Filterer`).
pub(crate) fn passes(filters: &[Filter], record: &Record) -> bool {
    filters.iter().all(|f| f.filter(record))
}

/// A handler: its level, formatter and filters, and what it does ([`Emit`]). Cheap to
/// clone; clones are the same handler (add it to several loggers, remove it by identity).
#[derive(Clone)]
pub struct Handler(Rc<Inner>);

struct Inner {
    class: &'static str,
    level: Cell<Level>,
    formatter: RefCell<Option<Formatter>>,
    filters: RefCell<Vec<Filter>>,
    name: RefCell<Option<String>>,
    emitter: RefCell<Box<dyn Emit>>,
}

impl Handler {
    /// A handler doing `emitter`'s job; `class` names it in `Debug` (`StreamHandler`).
    pub fn new(class: &'static str, emitter: impl Emit + 'static) -> Handler {
        Handler(Rc::new(Inner {
            class,
            level: Cell::new(NOTSET),
            formatter: RefCell::new(None),
            filters: RefCell::new(Vec::new()),
            name: RefCell::new(None),
            emitter: RefCell::new(Box::new(emitter)),
        }))
    }

    /// The handler's level: records below it are not handled (NOTSET passes all).
    pub fn level(&self) -> Level {
        self.0.level.get()
    }

    /// Sets the level.
    pub fn set_level(&self, level: impl Into<Level>) {
        self.0.level.set(level.into());
    }

    /// The formatter set, if any (without one the handler uses `%(message)s`).
    pub fn formatter(&self) -> Option<Formatter> {
        self.0.formatter.try_borrow().ok().and_then(|f| f.clone())
    }

    /// Sets the formatter.
    pub fn set_formatter(&self, formatter: Formatter) {
        if let Ok(mut f) = self.0.formatter.try_borrow_mut() {
            *f = Some(formatter);
        }
    }

    /// Adds a filter.
    pub fn add_filter(&self, filter: Filter) {
        if let Ok(mut filters) = self.0.filters.try_borrow_mut() {
            if !filters.iter().any(|f| f.ptr_eq(&filter)) {
                filters.push(filter);
            }
        }
    }

    /// Removes a filter (by identity).
    pub fn remove_filter(&self, filter: &Filter) {
        if let Ok(mut filters) = self.0.filters.try_borrow_mut() {
            filters.retain(|f| !f.ptr_eq(filter));
        }
    }

    /// Whether `record` passes every filter.
    pub fn filter(&self, record: &Record) -> bool {
        let filters = match self.0.filters.try_borrow() {
            Ok(f) if f.is_empty() => return true,
            Ok(f) => f.clone(),
            Err(_) => return true,
        };
        passes(&filters, record)
    }

    /// The handler's name (`handler.name`).
    pub fn name(&self) -> Option<String> {
        self.0.name.try_borrow().ok().and_then(|n| n.clone())
    }

    /// Names the handler.
    pub fn set_name(&self, name: &str) {
        if let Ok(mut n) = self.0.name.try_borrow_mut() {
            *n = Some(name.to_string());
        }
    }

    /// The record formatted by this handler's formatter (or the default).
    pub fn format(&self, record: &Record) -> String {
        self.formatter().unwrap_or_default().format(record)
    }

    /// Filters, formats and emits `record` (the level is the caller's check, as in
    /// Python's `callHandlers`); returns whether the filters passed it. A failure is
    /// reported, never returned. A handler that is already emitting (a sink that logs to
    /// it) skips the record instead of recursing.
    pub fn handle(&self, record: &Record) -> bool {
        if !self.filter(record) {
            return false;
        }
        let line = self.format(record);
        let result = match self.0.emitter.try_borrow_mut() {
            Ok(mut emitter) => emitter.emit(record, &line),
            Err(_) => Ok(()),
        };
        if let Err(error) = result {
            report_error(record, &error);
        }
        true
    }

    /// Flushes the handler's output.
    pub fn flush(&self) -> Result<(), LogError> {
        match self.0.emitter.try_borrow_mut() {
            Ok(mut emitter) => emitter.flush(),
            Err(_) => Ok(()),
        }
    }

    /// Closes the handler (a file handler closes its file; a later record opens it again,
    /// as in Python, except after closing a `w` handler).
    pub fn close(&self) -> Result<(), LogError> {
        match self.0.emitter.try_borrow_mut() {
            Ok(mut emitter) => emitter.close(),
            Err(_) => Ok(()),
        }
    }

    /// Whether both are the same handler.
    pub fn ptr_eq(&self, other: &Handler) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// The kind of handler (`FileHandler`, ...).
    pub fn class_name(&self) -> &'static str {
        self.0.class
    }
}

impl fmt::Debug for Handler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} ({})>", self.0.class, get_level_name(self.level()))
    }
}

impl AsRef<Handler> for Handler {
    fn as_ref(&self) -> &Handler {
        self
    }
}

/// Gives a typed handler (a newtype over [`Handler`]) the common plumbing: `Deref` to
/// `Handler`, conversion into it, and the builder methods `with_level`, `with_formatter`
/// and `with_filter`.
macro_rules! typed_handler {
    ($t:ident) => {
        impl std::ops::Deref for $t {
            type Target = $crate::logging::Handler;
            fn deref(&self) -> &$crate::logging::Handler {
                &self.handler
            }
        }

        impl AsRef<$crate::logging::Handler> for $t {
            fn as_ref(&self) -> &$crate::logging::Handler {
                &self.handler
            }
        }

        impl From<$t> for $crate::logging::Handler {
            fn from(h: $t) -> $crate::logging::Handler {
                h.handler
            }
        }

        impl From<&$t> for $crate::logging::Handler {
            fn from(h: &$t) -> $crate::logging::Handler {
                h.handler.clone()
            }
        }

        impl $t {
            /// Sets the level and returns the handler.
            pub fn with_level(self, level: impl Into<$crate::logging::Level>) -> Self {
                self.handler.set_level(level);
                self
            }

            /// Sets the formatter and returns the handler.
            pub fn with_formatter(self, formatter: $crate::logging::Formatter) -> Self {
                self.handler.set_formatter(formatter);
                self
            }

            /// Adds a filter and returns the handler.
            pub fn with_filter(self, filter: $crate::logging::Filter) -> Self {
                self.handler.add_filter(filter);
                self
            }

            /// The plain handler (a clone of the same handler).
            pub fn handler(&self) -> $crate::logging::Handler {
                self.handler.clone()
            }
        }
    };
}
pub(crate) use typed_handler;

impl Handler {
    /// Sets the level and returns the handler.
    pub fn with_level(self, level: impl Into<Level>) -> Self {
        self.set_level(level);
        self
    }

    /// Sets the formatter and returns the handler.
    pub fn with_formatter(self, formatter: Formatter) -> Self {
        self.set_formatter(formatter);
        self
    }

    /// Adds a filter and returns the handler.
    pub fn with_filter(self, filter: Filter) -> Self {
        self.add_filter(filter);
        self
    }
}

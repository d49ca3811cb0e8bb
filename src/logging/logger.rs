//! Loggers: this thread's tree of named loggers (Python's `manager`, with `disable`) and
//! the handle cells use. A record goes to the handlers of its logger and of each ancestor
//! until one has `propagate` off, as in Python's `callHandlers`.

use std::cell::RefCell;
use std::error::Error;
use std::fmt::{self, Display};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::exc::ExcInfo;
use super::factory::make_record;
use super::handler::{passes, Filter, Handler};
use super::handlers::sink::{report_error, tap_record};
use super::handlers::stream::last_resort;
use super::level::{Level, CRITICAL, DEBUG, ERROR, INFO, NOTSET, TRACE, WARNING};
use super::names::get_level_name;
use super::record::{CallSite, Record};
use super::state::{facade_installed, with_state};
use super::tree::{Node, Tree, ROOT_NAME};

static EPOCHS: AtomicU64 = AtomicU64::new(1);

/// The thread's loggers.
struct Loggers {
    /// Changes at every reset, so that old `Logger` handles look themselves up again.
    epoch: u64,
    tree: Tree,
    /// Python's `logging.disable` level (`manager.disable`).
    disable: i32,
}

impl Loggers {
    fn new() -> Loggers {
        Loggers { epoch: EPOCHS.fetch_add(1, Ordering::Relaxed), tree: Tree::new(), disable: 0 }
    }
}

thread_local! {
    static LOGGERS: RefCell<Loggers> = RefCell::new(Loggers::new());
}

/// Runs `f` on this thread's loggers; `None` only if they are in use further up the stack
/// (a bug in this module) or the thread is ending.
fn with_loggers<R>(f: impl FnOnce(&mut Loggers) -> R) -> Option<R> {
    LOGGERS.try_with(|l| l.try_borrow_mut().ok().map(|mut l| f(&mut l))).ok().flatten()
}

/// A logger: a cheap handle on the thread's logger of that name (Python's `Logger`).
/// After [`reset`], an old handle finds (or makes) the new logger of its name.
#[derive(Clone)]
pub struct Logger {
    name: Rc<str>,
    id: usize,
    epoch: u64,
}

/// The logger called `name` (dotted: `app.db`); `""` or `"root"` is the root logger. The
/// same name gives the same logger.
pub fn get_logger(name: &str) -> Logger {
    let found = with_loggers(|s| (s.tree.id(name), s.epoch));
    let name: Rc<str> =
        if name.is_empty() || name == ROOT_NAME { Rc::from(ROOT_NAME) } else { Rc::from(name) };
    match found {
        Some((id, epoch)) => Logger { name, id, epoch },
        None => Logger { name, id: usize::MAX, epoch: 0 },
    }
}

/// The root logger.
pub fn root() -> Logger {
    get_logger("")
}

impl Logger {
    /// Runs `f` on the state and this logger's id (looked up again after a reset).
    fn with<R>(&self, f: impl FnOnce(&mut Loggers, usize) -> R) -> Option<R> {
        with_loggers(|s| {
            let id = if s.epoch == self.epoch { self.id } else { s.tree.id(&self.name) };
            f(s, id)
        })
    }

    fn with_node<R>(&self, f: impl FnOnce(&mut Node) -> R) -> Option<R> {
        self.with(|s, id| s.tree.node_mut(id).map(f)).flatten()
    }

    /// The logger's name (`root` for the root).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The level set on this logger (NOTSET: ask the parent).
    pub fn level(&self) -> Level {
        self.with_node(|n| n.level).unwrap_or(NOTSET)
    }

    /// Sets the level (Python's `setLevel`; `Level::from_name("INFO")?` for a name).
    pub fn set_level(&self, level: impl Into<Level>) {
        let level = level.into();
        self.with_node(|n| n.level = level);
        sync_max_level();
    }

    /// The level that decides: this logger's, else the nearest ancestor's that is set.
    pub fn effective_level(&self) -> Level {
        self.with(|s, id| s.tree.effective_level(id)).unwrap_or(WARNING)
    }

    /// Whether a record of `level` would be made (Python's `isEnabledFor`: not disabled,
    /// above `disable`, at or above the effective level).
    pub fn is_enabled_for(&self, level: impl Into<Level>) -> bool {
        let level = level.into();
        self.with(|s, id| {
            s.tree.node(id).is_some_and(|n| !n.disabled)
                && s.disable < level.0
                && level >= s.tree.effective_level(id)
        })
        .unwrap_or(false)
    }

    /// Whether records go on to the parent's handlers.
    pub fn propagate(&self) -> bool {
        self.with_node(|n| n.propagate).unwrap_or(true)
    }

    /// Turns propagation to the parent's handlers on or off.
    pub fn set_propagate(&self, propagate: bool) {
        self.with_node(|n| n.propagate = propagate);
    }

    /// Whether the logger drops every record.
    pub fn disabled(&self) -> bool {
        self.with_node(|n| n.disabled).unwrap_or(false)
    }

    /// Disables (or enables) the logger.
    pub fn set_disabled(&self, disabled: bool) {
        self.with_node(|n| n.disabled = disabled);
        sync_max_level();
    }

    /// Adds a handler (once: adding the same handler again does nothing).
    pub fn add_handler(&self, handler: impl AsRef<Handler>) {
        let handler = handler.as_ref();
        self.with_node(|n| {
            if !n.handlers.iter().any(|h| h.ptr_eq(handler)) {
                n.handlers.push(handler.clone());
            }
        });
    }

    /// Removes a handler (by identity); it is not closed.
    pub fn remove_handler(&self, handler: impl AsRef<Handler>) {
        let handler = handler.as_ref();
        self.with_node(|n| n.handlers.retain(|h| !h.ptr_eq(handler)));
    }

    /// This logger's own handlers.
    pub fn handlers(&self) -> Vec<Handler> {
        self.with_node(|n| n.handlers.clone()).unwrap_or_default()
    }

    /// Whether this logger or an ancestor it propagates to has a handler (`hasHandlers`).
    pub fn has_handlers(&self) -> bool {
        self.with(|s, id| s.tree.handlers_for(id, Level(i32::MAX)).1 > 0).unwrap_or(false)
    }

    /// Adds a filter, applied to records made by this logger (not to propagated ones).
    pub fn add_filter(&self, filter: Filter) {
        self.with_node(|n| {
            if !n.filters.iter().any(|f| f.ptr_eq(&filter)) {
                n.filters.push(filter);
            }
        });
    }

    /// Removes a filter (by identity).
    pub fn remove_filter(&self, filter: &Filter) {
        self.with_node(|n| n.filters.retain(|f| !f.ptr_eq(filter)));
    }

    /// The parent logger (`None` for the root).
    pub fn parent(&self) -> Option<Logger> {
        let (parent, epoch) = self.with(|s, id| (s.tree.node(id).and_then(|n| n.parent), s.epoch))?;
        let parent = parent?;
        let name = self.with(|s, _| s.tree.node(parent).map(|n| n.name.clone())).flatten()?;
        Some(Logger { name, id: parent, epoch })
    }

    /// The logger `name.suffix` (Python's `getChild`).
    pub fn get_child(&self, suffix: &str) -> Logger {
        if &*self.name == ROOT_NAME {
            get_logger(suffix)
        } else {
            get_logger(&format!("{}.{suffix}", self.name))
        }
    }

    /// Logs `message` at DEBUG.
    #[track_caller]
    pub fn debug(&self, message: impl Display) {
        self.log_at(DEBUG, CallSite::caller(), message);
    }

    /// Logs `message` at INFO.
    #[track_caller]
    pub fn info(&self, message: impl Display) {
        self.log_at(INFO, CallSite::caller(), message);
    }

    /// Logs `message` at WARNING.
    #[track_caller]
    pub fn warning(&self, message: impl Display) {
        self.log_at(WARNING, CallSite::caller(), message);
    }

    /// Logs `message` at ERROR.
    #[track_caller]
    pub fn error(&self, message: impl Display) {
        self.log_at(ERROR, CallSite::caller(), message);
    }

    /// Logs `message` at CRITICAL.
    #[track_caller]
    pub fn critical(&self, message: impl Display) {
        self.log_at(CRITICAL, CallSite::caller(), message);
    }

    /// Logs `message` at `level` (any number: `logger.log(25, ...)`).
    #[track_caller]
    pub fn log(&self, level: impl Into<Level>, message: impl Display) {
        self.log_at(level.into(), CallSite::caller(), message);
    }

    /// Logs at DEBUG the message `f` makes, calling `f` only if DEBUG is enabled.
    #[track_caller]
    pub fn debug_with<M: Display>(&self, f: impl FnOnce() -> M) {
        self.log_with(DEBUG, f);
    }

    /// Logs at INFO the message `f` makes, calling `f` only if INFO is enabled.
    #[track_caller]
    pub fn info_with<M: Display>(&self, f: impl FnOnce() -> M) {
        self.log_with(INFO, f);
    }

    /// Logs at WARNING the message `f` makes, calling `f` only if WARNING is enabled.
    #[track_caller]
    pub fn warning_with<M: Display>(&self, f: impl FnOnce() -> M) {
        self.log_with(WARNING, f);
    }

    /// Logs at ERROR the message `f` makes, calling `f` only if ERROR is enabled.
    #[track_caller]
    pub fn error_with<M: Display>(&self, f: impl FnOnce() -> M) {
        self.log_with(ERROR, f);
    }

    /// Logs at CRITICAL the message `f` makes, calling `f` only if CRITICAL is enabled.
    #[track_caller]
    pub fn critical_with<M: Display>(&self, f: impl FnOnce() -> M) {
        self.log_with(CRITICAL, f);
    }

    /// Logs at `level` the message `f` makes, calling `f` only if `level` is enabled.
    #[track_caller]
    pub fn log_with<M: Display>(&self, level: impl Into<Level>, f: impl FnOnce() -> M) {
        let level = level.into();
        if self.is_enabled_for(level) {
            let site = CallSite::caller();
            self.make_and_handle(level, site, f().to_string(), None);
        }
    }

    /// Logs `message` at ERROR with `error`'s cause chain appended (Python's
    /// `logger.exception` inside an `except` block).
    #[track_caller]
    pub fn exception<E: Error + 'static>(&self, message: impl Display, error: &E) {
        if self.is_enabled_for(ERROR) {
            let site = CallSite::caller();
            let exc = ExcInfo::from_error(error).format();
            self.make_and_handle(ERROR, site, message.to_string(), Some(exc));
        }
    }

    /// Logs `message` at `level` with a ready-made error chain (Python's `exc_info=`).
    #[track_caller]
    pub fn log_exc_info(&self, level: impl Into<Level>, message: impl Display, exc: &ExcInfo) {
        let level = level.into();
        if self.is_enabled_for(level) {
            let site = CallSite::caller();
            self.make_and_handle(level, site, message.to_string(), Some(exc.format()));
        }
    }

    /// Logs `message` at `level` as made at `site` (for macros and bridges that know it).
    pub fn log_at(&self, level: Level, site: CallSite, message: impl Display) {
        if self.is_enabled_for(level) {
            self.make_and_handle(level, site, message.to_string(), None);
        }
    }

    fn make_and_handle(&self, level: Level, site: CallSite, message: String, exc_text: Option<String>) {
        let mut record = make_record(&self.name, level, message, site);
        record.exc_text = exc_text;
        self.handle(&record);
    }

    /// Runs a ready-made record through this logger (Python's `Logger.handle`): unless the
    /// logger is disabled or a filter of its drops it, to every handler on its way whose
    /// level it meets; with no handler anywhere on the way, to the last resort. The
    /// logger's level is not checked here.
    pub fn handle(&self, record: &Record) {
        let Some((disabled, filters)) = self
            .with(|s, id| {
                s.tree
                    .node(id)
                    .map(|n| (n.disabled, if n.filters.is_empty() { Vec::new() } else { n.filters.clone() }))
            })
            .flatten()
        else {
            return;
        };
        if disabled || !passes(&filters, record) {
            return;
        }
        tap_record(record);
        let Some((handlers, found)) = self.with(|s, id| s.tree.handlers_for(id, record.levelno)) else {
            return;
        };
        for handler in &handlers {
            handler.handle(record);
        }
        if found == 0 {
            last_resort(record);
        }
    }
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = get_level_name(self.effective_level());
        if &*self.name == ROOT_NAME {
            write!(f, "<RootLogger root ({level})>")
        } else {
            write!(f, "<Logger {} ({level})>", self.name)
        }
    }
}

impl PartialEq for Logger {
    fn eq(&self, other: &Logger) -> bool {
        self.name == other.name
    }
}

impl Eq for Logger {}

/// Runs a record made elsewhere (a worker process) through the logger of its name, as
/// Python's `QueueListener` cookbook does (`getLogger(record.name).handle(record)`).
pub fn handle_record(record: &Record) {
    get_logger(&record.name).handle(record);
}

/// Drops every record at or below `level` in every logger (Python's `logging.disable`;
/// `disable(NOTSET)` undoes it).
pub fn disable(level: impl Into<Level>) {
    let level = level.into();
    with_loggers(|s| s.disable = level.0);
    sync_max_level();
}

/// Flushes and closes every handler attached to a logger (Python's `shutdown`). Errors are
/// reported as emission errors are; the handlers stay attached.
pub fn shutdown() {
    let handlers = with_loggers(|s| s.tree.all_handlers()).unwrap_or_default();
    close_all(&handlers);
}

/// Flushes every handler attached to a logger.
pub(crate) fn flush_all() {
    for h in with_loggers(|s| s.tree.all_handlers()).unwrap_or_default() {
        if let Err(error) = h.flush() {
            let record = make_record(ROOT_NAME, ERROR, format!("flushing {h:?}"), CallSite::unknown());
            report_error(&record, &error);
        }
    }
}

fn close_all(handlers: &[Handler]) {
    for h in handlers {
        let result = h.flush().and_then(|()| h.close());
        if let Err(error) = result {
            let record = make_record(ROOT_NAME, ERROR, format!("closing {h:?}"), CallSite::unknown());
            report_error(&record, &error);
        }
    }
}

/// A fresh logging state for this thread, as at the start of a process: every handler is
/// flushed and closed, every logger forgotten, the root back at WARNING with no handler,
/// level names and `disable` back to Python's defaults. The output hooks and the process
/// fields stay.
pub fn reset() {
    let handlers = with_loggers(|s| s.tree.all_handlers()).unwrap_or_default();
    close_all(&handlers);
    with_loggers(|s| *s = Loggers::new());
    with_state(|s| *s = s.fresh());
    sync_max_level();
}

/// Every handler of the root logger, removed (for `basic_config(force)`).
pub(crate) fn take_root_handlers() -> Vec<Handler> {
    with_loggers(|s| s.tree.node_mut(0).map(|n| std::mem::take(&mut n.handlers)))
        .flatten()
        .unwrap_or_default()
}

/// Sets `log::max_level` to the most verbose level this thread's loggers enable, once the
/// `log` facade is installed (see `super::facade`).
pub(crate) fn sync_max_level() {
    if !facade_installed() {
        return;
    }
    let Some(level) = with_loggers(|s| s.tree.most_verbose(s.disable)) else { return };
    let filter = match level.map_or(i32::MAX, |l| l.0) {
        l if l <= TRACE.0 => log::LevelFilter::Trace,
        l if l <= DEBUG.0 => log::LevelFilter::Debug,
        l if l <= INFO.0 => log::LevelFilter::Info,
        l if l <= WARNING.0 => log::LevelFilter::Warn,
        l if l <= ERROR.0 => log::LevelFilter::Error,
        _ => log::LevelFilter::Off,
    };
    log::set_max_level(filter);
}

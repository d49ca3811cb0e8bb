//! Levels, the logger tree, propagation, filters, lazy messages, exceptions, records.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use notebook::logging::{
    self, add_level_name, get_level_name, get_logger, root, CallSite, ExcInfo, Filter, Formatter, Level,
    Logger, MemoryHandler, ProcessInfo, Record, Stamp, StreamHandler, CRITICAL, DEBUG, ERROR, INFO, NOTSET,
    WARNING,
};
use notebook::{log_debug, log_info};

use super::fresh;

fn memory_on(logger: &Logger) -> MemoryHandler {
    let memory = MemoryHandler::new(100);
    logger.add_handler(&memory);
    memory
}

fn messages(memory: &MemoryHandler) -> Vec<String> {
    memory.entries().into_iter().map(|e| e.message).collect()
}

#[test]
fn level_numbers_and_names() {
    fresh();
    assert_eq!((NOTSET.0, DEBUG.0, INFO.0, WARNING.0, ERROR.0, CRITICAL.0), (0, 10, 20, 30, 40, 50));
    assert_eq!(get_level_name(WARNING), "WARNING");
    assert_eq!(get_level_name(25), "Level 25");
    assert_eq!(Level(25).to_string(), "Level 25");
    assert_eq!(logging::level_from_name("INFO"), Ok(INFO));
    assert_eq!(logging::level_from_name("WARN"), Ok(WARNING));
    assert_eq!(logging::level_from_name("FATAL"), Ok(CRITICAL));
    let err = logging::level_from_name("info").unwrap_err();
    assert_eq!((err.python_name(), err.message()), ("ValueError", "Unknown level: 'info'"));
    assert_eq!(logging::level_from_name("25").unwrap_err().message(), "Unknown level: '25'");
}

#[test]
fn custom_levels_by_number_and_name() {
    fresh();
    add_level_name(25, "NOTICE");
    assert_eq!(get_level_name(25), "NOTICE");
    assert_eq!(logging::level_from_name("NOTICE"), Ok(Level(25)));
    let log = get_logger("custom");
    log.set_level(25);
    let memory = memory_on(&log);
    log.info("below");
    log.log(25, "notice");
    log.log(Level(35), "unnamed");
    let entries = memory.entries();
    let got: Vec<(i32, &str, &str)> =
        entries.iter().map(|e| (e.level, e.level_name.as_str(), e.message.as_str())).collect();
    assert_eq!(got, vec![(25, "NOTICE", "notice"), (35, "Level 35", "unnamed")]);
    assert!(logging::level_names_mapping().contains_key("NOTICE"));
}

#[test]
fn same_name_same_logger_and_the_root() {
    fresh();
    let a = get_logger("a.b");
    a.set_level(INFO);
    assert_eq!(get_logger("a.b").level(), INFO);
    assert_eq!(get_logger("a.b"), a);
    assert_eq!(root().name(), "root");
    assert_eq!(get_logger("").name(), "root");
    get_logger("root").set_level(ERROR);
    assert_eq!(root().level(), ERROR);
    assert_eq!(format!("{:?}", root()), "<RootLogger root (ERROR)>");
    assert_eq!(format!("{a:?}"), "<Logger a.b (INFO)>");
}

#[test]
fn parents_are_fixed_up_as_loggers_appear() {
    fresh();
    let abc = get_logger("a.b.c");
    assert_eq!(abc.parent().map(|p| p.name().to_string()), Some("root".into()));
    let a = get_logger("a");
    assert_eq!(abc.parent().map(|p| p.name().to_string()), Some("a".into()));
    let ab = get_logger("a.b");
    assert_eq!(abc.parent().map(|p| p.name().to_string()), Some("a.b".into()));
    assert_eq!(ab.parent().map(|p| p.name().to_string()), Some("a".into()));
    assert_eq!(a.parent().map(|p| p.name().to_string()), Some("root".into()));
    assert!(root().parent().is_none());
    assert_eq!(a.get_child("b"), ab);
    assert_eq!(root().get_child("a"), a);
}

#[test]
fn effective_level_comes_from_the_nearest_ancestor() {
    fresh();
    let leaf = get_logger("app.db.pool");
    assert_eq!(leaf.level(), NOTSET);
    assert_eq!(leaf.effective_level(), WARNING);
    assert!(!leaf.is_enabled_for(INFO));
    assert!(leaf.is_enabled_for(WARNING));
    get_logger("app").set_level(DEBUG);
    assert_eq!(leaf.effective_level(), DEBUG);
    get_logger("app.db").set_level(ERROR);
    assert_eq!(leaf.effective_level(), ERROR);
    assert!(!leaf.is_enabled_for(WARNING));
    root().set_level(NOTSET);
    assert_eq!(get_logger("other").effective_level(), NOTSET);
    assert!(get_logger("other").is_enabled_for(1));
}

#[test]
fn level_filtering_through_the_hierarchy() {
    fresh();
    let memory = memory_on(&root());
    root().set_level(DEBUG);
    get_logger("quiet").set_level(ERROR);
    let child = get_logger("quiet.child");
    for (level, text) in [(DEBUG, "d"), (INFO, "i"), (WARNING, "w"), (ERROR, "e"), (CRITICAL, "c")] {
        child.log(level, text);
        get_logger("loud").log(level, text.to_ascii_uppercase());
    }
    assert_eq!(messages(&memory), vec!["D", "I", "W", "e", "E", "c", "C"]);
}

#[test]
fn records_propagate_unless_turned_off() {
    fresh();
    let at_root = memory_on(&root());
    let app = get_logger("app");
    let at_app = memory_on(&app);
    let worker = get_logger("app.worker");
    worker.warning("one");
    assert_eq!(messages(&at_root), vec!["one"]);
    assert_eq!(messages(&at_app), vec!["one"]);
    assert_eq!(at_root.entries()[0].logger, "app.worker");
    app.set_propagate(false);
    assert!(!app.propagate());
    worker.warning("two");
    assert_eq!(messages(&at_root), vec!["one"]);
    assert_eq!(messages(&at_app), vec!["one", "two"]);
    // The child's own propagate flag is on: only the flag where the walk is matters.
    worker.set_propagate(false);
    worker.warning("three");
    assert_eq!(messages(&at_app), vec!["one", "two"]);
}

#[test]
fn handler_levels_filter_per_handler() {
    fresh();
    let log = get_logger("h");
    log.set_level(DEBUG);
    let all = MemoryHandler::new(10).with_level(DEBUG);
    let errors = MemoryHandler::new(10).with_level(ERROR);
    log.add_handler(&all);
    log.add_handler(&errors);
    log.add_handler(&all); // twice: once
    assert_eq!(log.handlers().len(), 2);
    log.debug("d");
    log.error("e");
    assert_eq!(messages(&all), vec!["d", "e"]);
    assert_eq!(messages(&errors), vec!["e"]);
    log.remove_handler(&errors);
    log.critical("c");
    assert_eq!(messages(&errors), vec!["e"]);
}

#[test]
fn disabled_loggers_and_disable() {
    fresh();
    let memory = memory_on(&root());
    let log = get_logger("off");
    log.set_disabled(true);
    assert!(log.disabled());
    assert!(!log.is_enabled_for(CRITICAL));
    log.critical("dropped");
    get_logger("off.child").critical("a child is not disabled");
    log.set_disabled(false);
    logging::disable(WARNING);
    log.warning("at the disable level: dropped");
    log.error("above it");
    logging::disable(NOTSET);
    log.warning("back");
    assert_eq!(messages(&memory), vec!["a child is not disabled", "above it", "back"]);
}

#[test]
fn name_filters_and_function_filters() {
    fresh();
    let memory = MemoryHandler::new(10).with_filter(Filter::by_name("a.b"));
    root().add_handler(&memory);
    for name in ["a.b", "a.b.c", "a.bc", "a", "x"] {
        get_logger(name).warning(name);
    }
    assert_eq!(messages(&memory), vec!["a.b", "a.b.c"]);

    fresh();
    let memory = memory_on(&root());
    let log = get_logger("f");
    let odd = Filter::func(|r: &Record| r.message.len() % 2 == 1);
    log.add_filter(odd.clone());
    log.warning("one");
    log.warning("four");
    // A logger's filters see only its own records, not those propagated from children.
    get_logger("f.child").warning("even");
    log.remove_filter(&odd);
    log.warning("back");
    assert_eq!(messages(&memory), vec!["one", "even", "back"]);
    assert!(Filter::by_name("").filter(&logging::make_record(
        "any",
        INFO,
        String::new(),
        CallSite::unknown()
    )));
}

struct Expensive<'a>(&'a Cell<u32>);

impl fmt::Display for Expensive<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.set(self.0.get() + 1);
        f.write_str("expensive")
    }
}

#[test]
fn a_disabled_level_does_not_build_the_message() {
    fresh();
    let memory = memory_on(&root());
    let log = get_logger("lazy");
    let calls = Cell::new(0);
    log.debug_with(|| {
        calls.set(calls.get() + 1);
        "never"
    });
    log.debug(Expensive(&calls));
    log_debug!(log, "{}", Expensive(&calls));
    assert_eq!(calls.get(), 0);
    log.warning_with(|| {
        calls.set(calls.get() + 1);
        format!("built {}", 1)
    });
    log.warning(Expensive(&calls));
    assert_eq!(calls.get(), 2);
    assert_eq!(messages(&memory), vec!["built 1", "expensive"]);
    log.info_with(|| "x");
    log.error_with(|| "e");
    log.critical_with(|| "c");
    log.log_with(45, || "l");
    assert_eq!(messages(&memory)[2..], ["e", "c", "l"]);
}

#[derive(Debug)]
struct Outer(Inner);
#[derive(Debug)]
struct Inner;

impl fmt::Display for Outer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("could not load the settings")
    }
}
impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bad number")
    }
}
impl std::error::Error for Outer {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}
impl std::error::Error for Inner {}

#[test]
fn exception_appends_the_cause_chain() {
    let out = fresh();
    let log = get_logger("exc");
    let h = StreamHandler::default()
        .with_formatter(Formatter::new("%(levelname)s:%(name)s:%(message)s", None).unwrap());
    log.add_handler(&h);
    log.exception("loading failed", &Outer(Inner));
    assert_eq!(
        out.stderr(),
        "ERROR:exc:loading failed\nError: bad number\n\nThe above exception was the direct cause of the \
         following exception:\n\nOuter: could not load the settings\n"
    );
    out.clear();
    let fs = notebook::vfs::FileSystem::new();
    let Err(missing) = fs.open("missing.txt", "r") else { panic!("the file exists") };
    log.exception("no file", &missing);
    assert_eq!(
        out.stderr(),
        "ERROR:exc:no file\nFileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'\n"
    );
    out.clear();
    let exc = ExcInfo::new("ZeroDivisionError", "division by zero");
    log.log_exc_info(ERROR, "divide failed", &exc);
    assert_eq!(out.stderr(), "ERROR:exc:divide failed\nZeroDivisionError: division by zero\n");
    assert_eq!(
        ExcInfo::new("RuntimeError", "outer").caused_by("KeyError", "'k'").format(),
        "KeyError: 'k'\n\nThe above exception was the direct cause of the following exception:\n\nRuntimeError: outer"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(Outer(Inner));
    assert_eq!(
        ExcInfo::from_dyn(&*boxed).chain()[0],
        ("Error".to_string(), "could not load the settings".to_string())
    );
}

#[test]
fn records_know_their_call_site() {
    fresh();
    let memory = MemoryHandler::new(10).with_formatter(
        Formatter::new("%(pathname)s|%(filename)s|%(module)s|%(lineno)d|%(funcName)s", None).unwrap(),
    );
    let log = get_logger("site");
    log.add_handler(&memory);
    let line = line!() + 1;
    log.warning("direct");
    log_info!(log, "not enabled");
    log.set_level(INFO);
    let macro_line = line!() + 1;
    log_info!(log, "by macro {}", 1);
    let lines: Vec<String> = memory.entries().into_iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        vec![
            format!("tests/logging/levels.rs|levels.rs|levels|{line}|(unknown function)"),
            format!("tests/logging/levels.rs|levels.rs|levels|{macro_line}|records_know_their_call_site"),
        ]
    );
}

#[test]
fn process_fields_and_the_record_factory() {
    fresh();
    let memory = MemoryHandler::new(10).with_formatter(
        Formatter::new("%(process)d %(processName)s %(thread)d %(threadName)s %(message)s", None).unwrap(),
    );
    root().add_handler(&memory);
    root().warning("default");
    logging::set_process_info(ProcessInfo {
        pid: 7,
        name: "Worker-2".into(),
        thread_id: 99,
        thread_name: "Thread-1".into(),
    });
    root().warning("set");
    logging::set_record_factory(Some(Rc::new(|r: &mut Record| r.message.push_str(" (stamped)"))));
    root().warning("hooked");
    logging::set_record_factory(None);
    let lines: Vec<String> = memory.entries().into_iter().map(|e| e.line).collect();
    assert_eq!(
        lines,
        vec![
            "1 MainProcess 1 MainThread default",
            "7 Worker-2 99 Thread-1 set",
            "7 Worker-2 99 Thread-1 hooked (stamped)"
        ]
    );
    assert_eq!(logging::process_info().name, "Worker-2");
}

#[test]
fn handle_record_reemits_a_record_from_elsewhere() {
    fresh();
    let memory = MemoryHandler::new(10)
        .with_formatter(Formatter::new("%(processName)s %(name)s %(levelname)s %(message)s", None).unwrap());
    root().add_handler(&memory);
    // A plain value, stamped with what the worker's state gave: its level name, its process
    // and a time serde_json reads back exactly (without its float_roundtrip feature it may
    // be one unit in the last place off for some values).
    let process = ProcessInfo { name: "Worker-1".into(), ..ProcessInfo::default() };
    let stamp = Stamp { levelname: "INFO".into(), now_ms: 1_700_000_000_250.0, start_ms: 0.0, process };
    let record = Record::new("jobs.fetch", INFO, "page 3 done".into(), CallSite::unknown(), stamp);
    assert_eq!(
        (record.created, record.msecs, record.process_name.as_str()),
        (1_700_000_000.25, 250.0, "Worker-1")
    );
    // Through serde, as it would come from a worker.
    let json = serde_json::to_string(&record).unwrap();
    let back: Record = serde_json::from_str(&json).unwrap();
    assert_eq!(back, record);
    // The level is not checked again (root is at WARNING); the logger's handlers are used.
    logging::handle_record(&back);
    get_logger("jobs").set_disabled(true);
    logging::handle_record(&Record { name: "jobs".into(), ..back.clone() });
    assert_eq!(
        memory.entries().iter().map(|e| e.line.clone()).collect::<Vec<_>>(),
        ["Worker-1 jobs.fetch INFO page 3 done"]
    );
    assert_eq!(memory.entries()[0].process_name, "Worker-1");
}

#[test]
fn reset_starts_afresh_and_old_handles_follow() {
    let out = fresh();
    let log = get_logger("kept");
    log.set_level(DEBUG);
    log.add_handler(StreamHandler::default());
    add_level_name(25, "NOTICE");
    root().set_level(CRITICAL);
    logging::reset();
    assert_eq!(root().level(), WARNING);
    assert!(root().handlers().is_empty());
    assert_eq!(log.level(), NOTSET);
    assert!(log.handlers().is_empty());
    assert_eq!(get_level_name(25), "Level 25");
    // The output hook stays: the last resort still reaches it.
    log.warning("after reset");
    assert_eq!(out.stderr(), "after reset\n");
}

#[test]
fn a_sink_that_logs_does_not_recurse() {
    logging::reset();
    let log = get_logger("loop");
    log.add_handler(StreamHandler::default());
    let depth = Rc::new(Cell::new(0));
    let d = depth.clone();
    logging::set_output_sink(Some(Rc::new(move |_, _: &str| {
        d.set(d.get() + 1);
        get_logger("loop").warning("from the sink");
    })));
    log.warning("start");
    // The handler is busy while its sink runs, so the nested record is skipped there.
    assert_eq!(depth.get(), 1);
}

#[test]
fn a_line_of_log_output_names_its_level_as_a_whole_word() {
    use notebook::notebook::logview::level_in_line;
    assert_eq!(level_in_line("2026-11-22 10:00:00,000 - ERROR - disk full\n"), Some("ERROR"));
    assert_eq!(level_in_line("WARNING:root:careful"), Some("WARNING"));
    assert_eq!(level_in_line("[CRITICAL] shop.payment: gone"), Some("CRITICAL"));
    assert_eq!(level_in_line("KeyError: 'country'"), None, "part of a word is not a level");
    assert_eq!(level_in_line("INFORMATION is not INFO_X"), None);
    assert_eq!(level_in_line("plain text"), None);
}

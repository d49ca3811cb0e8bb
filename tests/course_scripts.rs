#![cfg(not(target_arch = "wasm32"))]
//! The course's script cells (`src/exercises/scripts/*.js`), each run through the kernel as
//! the page runs it: every section has one, right after the Rust cell it redoes, and each
//! does what its text says.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use kernel_session::{outputs, reply_status, Session};
use notebook::notebook::protocol::{ExecuteRequest, ReplyStatus, ToKernel};
use notebook::notebook::CellSpec;

fn session() -> Session {
    Session::with_script_engine()
}

/// Runs course script `id` with its course code; its output text.
fn run_course(s: &Session, id: &str) -> String {
    let catalog = notebook::exercises::catalog();
    let script = catalog.course_scripts().find(|c| c.id == id).unwrap_or_else(|| panic!("no {id}"));
    s.sent.borrow_mut().clear();
    let request = ExecuteRequest { cell_id: id.into(), code: Some(script.code.into()), ..Default::default() };
    let header = s.send(ToKernel::ExecuteRequest(request));
    let status = s.run_until_reply(&header, |_| kernel_session::Reply::Nothing);
    let messages = s.sent.borrow().clone();
    let text = outputs(&messages).plain_text();
    assert_eq!(reply_status(&messages), status);
    assert_eq!(status, ReplyStatus::Ok, "{id} failed:\n{text}");
    text
}

#[test]
fn every_section_of_the_course_has_a_script_cell_right_after_the_rust_cell_it_redoes() {
    let catalog = notebook::exercises::catalog();
    for section in ["A", "B", "C", "D", "E", "F", "G"] {
        let cells = &catalog.sections.iter().find(|s| s.id == section).unwrap().cells;
        let at = cells.iter().position(|c| matches!(c, CellSpec::Script(_)));
        let Some(at) = at else { panic!("section {section} has no course script cell") };
        let (CellSpec::Script(script), CellSpec::Code(rust)) = (&cells[at], &cells[at - 1]) else {
            panic!("section {section}: the script cell does not follow a Rust cell");
        };
        assert_eq!(script.id, format!("{}-js", rust.id), "named after the cell it redoes");
        assert!(script.code.starts_with(&format!("// {} in JavaScript", rust.id)), "{}", script.code);
    }
    // Every script file is a cell, and the ids are the anchors a person's cells can follow.
    let files = std::fs::read_dir("src/exercises/scripts").unwrap().count();
    assert_eq!(catalog.course_scripts().count(), files);
    assert!(catalog.anchors().any(|a| a == "G7-js"));
}

#[test]
fn a13_seeks_back_and_counts_raw_writes_buffered_and_not() {
    let text = run_course(&session(), "A13-js");
    assert!(text.contains("line 1: \"first line\\n\" now at 11\n"), "{text}");
    assert!(text.contains("again:  \"first line\\n\"\n"), "{text}");
    assert!(text.contains("the end is at 34 bytes; read there: \"\"\n"), "{text}");
    assert!(text.contains("default (8 KB buffer)  1\n"), "one raw write for 1000 bytes: {text}");
    assert!(text.contains("0 (no buffer)          100\n"), "{text}");
}

#[test]
fn b6_rotates_its_log_into_two_older_files() {
    let s = session();
    let text = run_course(&s, "B6-js");
    for name in ["app_js.log ", "app_js.log.1 ", "app_js.log.2 "] {
        assert!(text.contains(name), "{name} in {text}");
    }
    assert!(!text.contains("app_js.log.3"), "{text}");
    assert!(
        text.contains("app_js.log    22     INFO order 16 shipped"),
        "the newest is in app_js.log: {text}"
    );
    assert!(text.contains("app_js.log.2  106    INFO order 6 shipped"), "1 to 5 were dropped: {text}");
    // Run again: the same three files, not more (the cell clears its old logs first).
    let again = run_course(&s, "B6-js");
    assert_eq!(again.matches("app_js.log").count(), text.matches("app_js.log").count(), "{again}");
}

#[test]
fn c3_traces_each_call_in_and_out_indented_by_depth() {
    let text = run_course(&session(), "C3-js");
    assert!(text.starts_with("-> factorial(5)\n  -> factorial(4)\n"), "{text}");
    assert!(text.contains("        -> factorial(1)\n        <- factorial(1) = 1\n"), "{text}");
    assert!(text.contains("<- factorial(5) = 120\n120"), "and the value is shown: {text}");
}

#[test]
fn d9_raises_a_custom_error_with_and_without_a_message_and_catches_a_file_error() {
    let text = run_course(&session(), "D9-js");
    assert!(text.contains("withdraw 30: the balance is now 70\n"), "{text}");
    assert!(text.contains("withdraw 500: InsufficientFundsError: cannot take 500 from 100\n"), "{text}");
    assert!(
        text.contains("withdraw -5: InsufficientFundsError: the balance is too low for this withdrawal\n"),
        "the default message: {text}"
    );
    assert!(
        text.contains("FileNotFoundError (errno 2): [Errno 2] No such file or directory: 'no_such_file.txt'"),
        "{text}"
    );
}

#[test]
fn e3_shows_the_kernel_holding_a_file_until_it_is_removed() {
    let text = run_course(&session(), "E3-js");
    assert!(text.contains("100,000 squares written"), "{text}");
    let held: f64 = text
        .split("the file held about ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    // The file is about 880 KB of digits; the kernel held at least that much for it.
    assert!(held > 800.0, "{held} KB in {text}");
}

#[test]
fn f4_threads_take_turns_at_their_sleeps() {
    let text = run_course(&session(), "F4-js");
    let order: Vec<&str> =
        text.lines().filter(|l| l.starts_with("number ") || l.starts_with("letter ")).collect();
    // numbers wake at 20, 40, 60, 80 ms; letters at 30, 60, 90, 120 ms.
    assert_eq!(order[..4], ["number 1", "letter a", "number 2", "letter b"], "{text}");
    assert_eq!(order.len(), 10, "{text}");
    assert!(text.contains("numbers and letters"), "the timeline is drawn: {text}");
}

#[test]
fn g7_maps_a_script_function_over_a_pool_of_worker_processes() {
    let text = run_course(&session(), "G7-js");
    assert!(text.contains("squares: [1,4,9,16,25,36,49,64]\n"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with(['1', '2', '3', '4'])).collect();
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows.iter().all(|r| !r.contains("MainProcess")), "each item ran in a worker: {text}");
}

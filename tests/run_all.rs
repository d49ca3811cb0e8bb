//! Run all as the page drives it, natively: the page's `Scheduler` feeding a real kernel.
//! Cells whose point is an error print it and end well, so Run all goes through the whole
//! notebook; a cell that fails unexpectedly stops it, and the cells queued after it never run.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use futures::future::LocalBoxFuture;
use kernel_session::{outputs, Session};
use notebook::exercises::catalog;
use notebook::notebook::protocol::ReplyStatus;
use notebook::notebook::{CellContext, CellError, CellResult, CodeCell, Output, Scheduler};

/// Runs the queue to its end as the controller does; returns (cell, status, text) in run
/// order and the cells the scheduler dropped.
fn drive(session: &Session, scheduler: &mut Scheduler) -> (Vec<(String, ReplyStatus, String)>, Vec<String>) {
    let (mut ran, mut dropped) = (Vec::new(), Vec::new());
    while let Some(id) = scheduler.start_next() {
        let messages = session.execute(&id, &[]);
        let out = outputs(&messages);
        let status = messages
            .iter()
            .find_map(|m| match &m.body {
                notebook::notebook::protocol::ToPage::ExecuteReply(reply) => Some(reply.status),
                _ => None,
            })
            .expect("every run ends with an execute_reply");
        if status == ReplyStatus::Ok {
            assert!(
                !out.items().iter().any(|o| matches!(o, Output::Error(_))),
                "{id} ended well, so it shows no error output"
            );
        }
        dropped.extend(scheduler.finish(status));
        ran.push((id, status, out.plain_text()));
    }
    (ran, dropped)
}

#[test]
fn run_all_goes_through_the_whole_notebook_expected_errors_included() {
    let cat = catalog();
    let order: Vec<&str> = cat.code_cells().filter(|c| c.in_run_all).map(|c| c.id).collect();
    let session = Session::new(catalog());
    let mut scheduler = Scheduler::new();
    scheduler.run_all(order.iter().copied());
    let (ran, dropped) = drive(&session, &mut scheduler);
    assert!(dropped.is_empty(), "nothing was dropped: {dropped:?}");
    assert_eq!(ran.iter().map(|(id, ..)| id.as_str()).collect::<Vec<_>>(), order);
    for (id, status, text) in &ran {
        assert_eq!(*status, ReplyStatus::Ok, "{id} failed:\n{text}");
    }
    let text = |id: &str| ran.iter().find(|(c, ..)| c == id).map(|(.., t)| t.clone()).unwrap_or_default();
    assert!(text("A18").contains("FileNotFoundError"), "A18 prints its error: {}", text("A18"));
    assert!(text("B7").contains("FileNotFoundError"), "B7 prints its error: {}", text("B7"));
}

fn prints(cx: CellContext) -> LocalBoxFuture<'static, CellResult> {
    Box::pin(async move {
        cx.println("ran");
        Ok(())
    })
}

fn fails(_cx: CellContext) -> LocalBoxFuture<'static, CellResult> {
    Box::pin(async move { Err(CellError::new("ZeroDivisionError", "division by zero")) })
}

#[test]
fn an_unexpected_error_stops_run_all_and_the_rest_never_runs() {
    let session = Session::with_cells(vec![
        CodeCell::new("T1", "prints", "", prints),
        CodeCell::new("T2", "fails", "", fails),
        CodeCell::new("T3", "prints", "", prints),
        CodeCell::new("T4", "prints", "", prints),
    ]);
    let mut scheduler = Scheduler::new();
    scheduler.run_all(["T1", "T2", "T3", "T4"]);
    let (ran, dropped) = drive(&session, &mut scheduler);
    let ran: Vec<_> = ran.iter().map(|(id, status, _)| (id.as_str(), *status)).collect();
    assert_eq!(ran, vec![("T1", ReplyStatus::Ok), ("T2", ReplyStatus::Error)]);
    assert_eq!(dropped, vec!["T3", "T4"]);

    // The kernel never saw T3: the next run it gets is count 3.
    let messages = session.execute("T3", &[]);
    let count = messages.iter().find_map(|m| match &m.body {
        notebook::notebook::protocol::ToPage::ExecuteInput(input) => Some(input.execution_count),
        _ => None,
    });
    assert_eq!(count, Some(3));
}

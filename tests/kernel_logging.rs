//! Logging inside the kernel: stream handlers and the last resort print into the running
//! cell, and every accepted record reaches the log viewer as a `log_record` message.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::logging::{self, BasicConfig, StreamHandler, DEBUG};
use notebook::notebook::protocol::{LogEntry, ToPage};
use notebook::notebook::{CellContext, CellResult, CodeCell, Outputs};

async fn logs_at_every_level(_cx: CellContext) -> CellResult {
    let log = logging::get_logger("app.db");
    log.debug("hidden: the root is at WARNING");
    log.warning("no handler anywhere: the last resort prints this");
    logging::basic_config(BasicConfig {
        level: Some(DEBUG),
        format: Some("%(levelname)s:%(name)s:%(message)s".into()),
        ..Default::default()
    })
    .map_err(|e| notebook::notebook::CellError::new(e.python_name(), e.to_string()))?;
    log.debug("now shown");
    log.error("an error");
    Ok(())
}

async fn adds_a_stdout_handler(_cx: CellContext) -> CellResult {
    let log = logging::get_logger("out");
    log.add_handler(StreamHandler::new(logging::OutputStream::Stdout).with_level(logging::INFO));
    log.info("to stdout");
    Ok(())
}

fn session() -> kernel_session::Session {
    kernel_session::Session::with_cells(vec![
        CodeCell::new("L1", "levels", "", |cx| Box::pin(logs_at_every_level(cx))),
        CodeCell::new("L2", "stdout", "", |cx| Box::pin(adds_a_stdout_handler(cx))),
    ])
}

/// Runs a cell; returns its outputs and the log records it sent to the viewer.
fn run(session: &kernel_session::Session, id: &str) -> (Outputs, Vec<LogEntry>) {
    let messages = session.execute(id, &[]);
    let mut records = Vec::new();
    for m in &messages {
        if let ToPage::LogRecord(entry) = &m.body {
            assert!(m.parent_header.is_none(), "log records belong to the session, not a cell");
            records.push(entry.clone());
        }
    }
    (kernel_session::outputs(&messages), records)
}

#[test]
fn logging_prints_into_the_running_cell_and_feeds_the_viewer() {
    let session = session();
    let (outputs, records) = run(&session, "L1");
    assert_eq!(
        outputs.plain_text(),
        "no handler anywhere: the last resort prints this\nDEBUG:app.db:now shown\nERROR:app.db:an error\n"
    );
    let seen: Vec<_> = records.iter().map(|r| (r.seq, r.level_name.as_str(), r.logger.as_str())).collect();
    assert_eq!(seen, vec![(1, "WARNING", "app.db"), (2, "DEBUG", "app.db"), (3, "ERROR", "app.db")]);
    assert!(records[0].created_ms > 1.6e12);
    assert_eq!(records[0].process_name, "MainProcess");

    let (outputs, records) = run(&session, "L2");
    assert_eq!(outputs.plain_text(), "to stdout\nINFO:out:to stdout\n", "its own handler, then the root's");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].seq, 4, "numbered across the session");
}

#[test]
fn nothing_is_printed_outside_a_cell() {
    let session = session();
    let sent = &session.sent;
    logging::get_logger("idle").warning("between cells");
    let streams = sent.borrow().iter().filter(|m| matches!(m.body, ToPage::Stream(_))).count();
    assert_eq!(streams, 0);
    assert_eq!(sent.borrow().iter().filter(|m| matches!(m.body, ToPage::LogRecord(_))).count(), 1);
}

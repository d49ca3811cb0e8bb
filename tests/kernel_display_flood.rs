//! A flood of display updates through the kernel, natively: a progress bar moved at every
//! step reaches the page at most 30 times a second, whether the cell waits or not; the
//! last state the cell set is always what the page ends on (sent by the throttle's timer
//! while the cell waits, when the bar is dropped, when the cell fails right after an update,
//! when it is stopped, and when the bar outlives the run); and Stop ends a cell in the
//! middle of a flood at once.

use std::cell::Cell;
use std::time::{Duration, Instant};

use notebook::notebook::protocol::{Empty, Message, ReplyStatus, ToKernel, ToPage};
use notebook::notebook::throttle::MAX_PER_SECOND;
use notebook::notebook::{CellContext, CellError, CellResult, CodeCell, Output};

#[path = "common/kernel_session.rs"]
mod kernel_session;
use kernel_session::{outputs, Reply, Session};

/// How many steps the flooding cells take.
const STEPS: u64 = 10_000;

/// How long the tight loop takes, in ms.
const LOOP_MS: f64 = 300.0;

thread_local! {
    /// The last step the stopped cell set, for the test to compare with what was sent.
    static LAST_SET: Cell<u64> = const { Cell::new(0) };
}

/// 10,000 updates spread over [`LOOP_MS`] without ever waiting: no timer can fire meanwhile.
async fn tight_loop(cx: CellContext) -> CellResult {
    let bar = cx.progress("steps", STEPS);
    let start = cx.now_ms();
    for step in 1..=STEPS {
        while cx.now_ms() < start + LOOP_MS * step as f64 / STEPS as f64 {}
        bar.update(step);
    }
    Ok(())
}

/// One update right after the bar is shown (so it is held), then a long wait.
async fn update_then_wait(cx: CellContext) -> CellResult {
    let bar = cx.progress("waiting", 2);
    bar.update(1);
    cx.sleep(Duration::from_millis(300)).await;
    cx.println("after the wait");
    drop(bar);
    Ok(())
}

/// Updates, then fails at once.
async fn update_then_fail(cx: CellContext) -> CellResult {
    let bar = cx.progress("doomed", 5);
    for step in 1..=5 {
        bar.update(step);
    }
    Err(CellError::new("ValueError", "failed right after the last update"))
}

/// Updates, then keeps the bar past the run (it is never dropped).
async fn update_and_keep(cx: CellContext) -> CellResult {
    let bar = cx.progress("kept", 3);
    bar.update(3);
    std::mem::forget(bar);
    Ok(())
}

/// Updates at every step and waits a millisecond between steps, until stopped.
async fn flood_until_stopped(cx: CellContext) -> CellResult {
    let bar = cx.progress("until stopped", STEPS * 100);
    for step in 1..=STEPS * 100 {
        bar.update(step);
        LAST_SET.with(|last| last.set(step));
        cx.sleep(Duration::from_millis(1)).await;
    }
    Ok(())
}

fn session() -> Session {
    Session::with_cells(vec![
        CodeCell::new("T1", "tight loop", "", |cx| Box::pin(tight_loop(cx))),
        CodeCell::new("T2", "update then wait", "", |cx| Box::pin(update_then_wait(cx))),
        CodeCell::new("T3", "update then fail", "", |cx| Box::pin(update_then_fail(cx))),
        CodeCell::new("T4", "update and keep", "", |cx| Box::pin(update_and_keep(cx))),
        CodeCell::new("T5", "flood until stopped", "", |cx| Box::pin(flood_until_stopped(cx))),
    ])
}

/// The `text/plain` of every progress message, in order (the first is the bar shown).
fn progress_texts(messages: &[Message<ToPage>]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| match &m.body {
            ToPage::DisplayData(d) | ToPage::UpdateDisplayData(d) => d.data.get("text/plain").cloned(),
            _ => None,
        })
        .collect()
}

/// The one display the outputs end with, as text.
fn shown_bar(messages: &[Message<ToPage>]) -> String {
    let shown: Vec<_> = outputs(messages)
        .items()
        .iter()
        .filter_map(|o| match o {
            Output::DisplayData(d) => d.get("text/plain").cloned(),
            _ => None,
        })
        .collect();
    assert_eq!(shown.len(), 1, "one bar, updated in place: {shown:?}");
    shown[0].clone()
}

/// Where the `execute_reply` is among `messages`.
fn reply_index(messages: &[Message<ToPage>]) -> usize {
    messages.iter().position(|m| matches!(m.body, ToPage::ExecuteReply(_))).expect("a reply")
}

#[test]
fn ten_thousand_updates_in_a_loop_that_never_waits_send_at_most_thirty_a_second() {
    let k = session();
    let started = Instant::now();
    let messages = k.execute("T1", &[]);
    let elapsed_s = started.elapsed().as_secs_f64();
    let sent = progress_texts(&messages);
    // The shown bar, then one update an interval apart at most, then the last (flushed).
    let most = 2 + (elapsed_s * MAX_PER_SECOND).floor() as usize;
    assert!(sent.len() <= most, "{} messages in {elapsed_s:.3} s (at most {most})", sent.len());
    assert!(sent.len() >= 4, "updates went out along the way, not only at the end: {sent:?}");
    assert_eq!(sent.last().map(String::as_str), Some("steps: 10000/10000 (100%)"));
    assert_eq!(shown_bar(&messages), "steps: 10000/10000 (100%)");
}

#[test]
fn a_held_update_goes_out_by_timer_while_the_cell_waits() {
    let k = session();
    let messages = k.execute("T2", &[]);
    let update = messages.iter().position(|m| matches!(m.body, ToPage::UpdateDisplayData(_)));
    let printed = messages.iter().position(|m| matches!(m.body, ToPage::Stream(_)));
    let (Some(update), Some(printed)) = (update, printed) else { panic!("{messages:?}") };
    assert!(update < printed, "the update did not wait for the cell to go on");
    assert_eq!(progress_texts(&messages), ["waiting: 0/2 (0%)", "waiting: 1/2 (50%)"], "sent once");
}

#[test]
fn a_cell_that_fails_right_after_an_update_ends_on_that_update() {
    let k = session();
    let messages = k.execute("T3", &[]);
    let last_update = messages.iter().rposition(|m| matches!(m.body, ToPage::UpdateDisplayData(_)));
    let error = messages.iter().position(|m| matches!(m.body, ToPage::Error(_)));
    assert!(last_update < error && error.is_some(), "the bar's last state comes before the error");
    assert_eq!(shown_bar(&messages), "doomed: 5/5 (100%)");
    assert_eq!(progress_texts(&messages).len(), 2, "the shown bar and the last state, nothing between");
}

#[test]
fn a_bar_kept_past_its_run_is_flushed_before_the_reply() {
    let k = session();
    let messages = k.execute("T4", &[]);
    let last_update = messages.iter().rposition(|m| matches!(m.body, ToPage::UpdateDisplayData(_)));
    assert!(last_update.is_some_and(|i| i < reply_index(&messages)), "{messages:?}");
    assert_eq!(shown_bar(&messages), "kept: 3/3 (100%)");
}

#[test]
fn stop_in_the_middle_of_a_flood_ends_the_cell_at_once_on_its_last_state() {
    let k = session();
    let request = k.start("T5", &[]);
    let mut updates = 0;
    let mut stopped_at = None;
    let status = k.run_until_reply(&request, |message| {
        if matches!(message.body, ToPage::UpdateDisplayData(_)) {
            updates += 1;
            if updates == 5 {
                stopped_at = Some(Instant::now());
                return Reply::Send(ToKernel::InterruptRequest(Empty {}));
            }
        }
        Reply::Nothing
    });
    let stop_took = stopped_at.expect("Stop was pressed").elapsed();
    assert_eq!(status, ReplyStatus::Aborted);
    assert!(stop_took < Duration::from_secs(1), "Stop took {stop_took:?}");
    let messages = k.sent.borrow().clone();
    let last = LAST_SET.with(Cell::get);
    assert!(last > 5 && last < STEPS * 100, "the cell was stopped in the middle, at step {last}");
    assert_eq!(shown_bar(&messages), format!("until stopped: {last}/{} (0%)", STEPS * 100));
    let last_update = messages.iter().rposition(|m| matches!(m.body, ToPage::UpdateDisplayData(_)));
    assert!(last_update.is_some_and(|i| i < reply_index(&messages)), "the last state precedes the reply");
}

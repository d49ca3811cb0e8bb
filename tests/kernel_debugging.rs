//! Breakpoints and memory figures through the kernel, with cells made for the test: what
//! the page is sent at a stop, in which order, and what the reply to a run carries.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use kernel_session::{Answer, Session};
use notebook::locals;
use notebook::notebook::protocol::{BreakpointAction, BreakpointReply, ReplyStatus, ToKernel, ToPage};
use notebook::notebook::{CellContext, CellResult, CodeCell};

async fn two_stops(cx: CellContext) -> CellResult {
    let word = String::from("tea");
    cx.println("before");
    cx.breakpoint("first", locals![word, length = word.len()]).await?;
    cx.println("between");
    cx.breakpoint("second", []).await?;
    cx.println("after");
    Ok(())
}

async fn holds_a_megabyte(cx: CellContext) -> CellResult {
    let block = vec![7_u8; 1_000_000];
    cx.println(format!("{} bytes, figures so far: {}", block.len(), cx.memory().summary()));
    Ok(())
}

fn session() -> Session {
    Session::with_cells(vec![
        CodeCell::new("T1", "two stops", "", |cx| Box::pin(two_stops(cx))),
        CodeCell::new("T2", "a megabyte", "", |cx| Box::pin(holds_a_megabyte(cx))),
    ])
}

/// The run's messages as short tags: `stream:...`, `stop:name#hit`, `record:title`, ...
fn tags(
    messages: &[notebook::notebook::protocol::Message<notebook::notebook::protocol::ToPage>],
) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| match &m.body {
            ToPage::Stream(s) => Some(format!("stream:{}", s.text.trim_end())),
            ToPage::BreakpointRequest(r) => Some(format!("stop:{}#{}", r.name, r.hit)),
            ToPage::DisplayData(d) => {
                Some(format!("record:{}", d.data["text/plain"].lines().next().unwrap_or("")))
            }
            ToPage::ExecuteReply(r) => Some(format!("reply:{:?}", r.status)),
            ToPage::Error(e) => Some(format!("error:{}", e.ename)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_stop_asks_the_page_then_records_how_it_ended() {
    let session = session();
    let unasked = ToKernel::BreakpointReply(BreakpointReply { action: BreakpointAction::Continue });
    assert!(session.is_ignored(unasked), "nothing waits yet");
    let mut seen = Vec::new();
    let messages = session.execute_debugging("T1", &[], |stop| {
        seen.push(stop.clone());
        Answer::Continue
    });
    assert_eq!(
        tags(&messages),
        [
            "stream:before",
            "stop:first#1",
            "record:paused at first (hit 1), continued",
            "stream:between",
            "stop:second#1",
            "record:paused at second (hit 1), continued",
            "stream:after",
            "reply:Ok",
        ]
    );
    let locals: Vec<_> = seen[0].locals.iter().map(|l| (&*l.name, &*l.type_name, &*l.value)).collect();
    assert_eq!(locals, [("word", "String", "\"tea\""), ("length", "usize", "3")]);
    assert!(seen[1].locals.is_empty());
    let run = messages[0].parent_header.clone();
    assert!(run.is_some() && messages.iter().all(|m| m.parent_header == run), "all answer the run");
}

#[test]
fn continue_to_the_end_and_stop() {
    let messages = session().execute_debugging("T1", &[], |_| Answer::ContinueToEnd);
    assert_eq!(
        tags(&messages),
        [
            "stream:before",
            "stop:first#1",
            "record:paused at first (hit 1), continued to the end",
            "stream:between",
            "stream:after",
            "reply:Ok"
        ]
    );
    let messages = session().execute_debugging("T1", &[], |_| Answer::Stop);
    assert_eq!(
        tags(&messages),
        [
            "stream:before",
            "stop:first#1",
            "record:paused at first (hit 1), stopped here",
            "error:KeyboardInterrupt",
            "reply:Aborted"
        ]
    );
}

#[test]
fn every_reply_carries_the_memory_the_run_used() {
    let session = session();
    let messages = session.execute("T2", &[]);
    let memory = messages.iter().find_map(|m| match &m.body {
        ToPage::ExecuteReply(r) => Some((r.status, r.memory)),
        _ => None,
    });
    let Some((ReplyStatus::Ok, Some(figures))) = memory else { panic!("no figures: {memory:?}") };
    // Other tests allocate on other threads meanwhile, so only bounds are certain.
    assert!(figures.peak_bytes >= 900_000, "{figures:?}");
    assert!(figures.allocations >= 2, "{figures:?}");
    let text = kernel_session::outputs(&messages).plain_text();
    assert!(text.starts_with("1000000 bytes, figures so far: peak "), "{text}");
}

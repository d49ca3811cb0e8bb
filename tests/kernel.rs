//! The kernel natively: running the A1–A3 cells, errors, unknown cells and Stop.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use futures::executor::{block_on, LocalPool};
use futures::future::{AbortHandle, LocalBoxFuture};
use futures::task::LocalSpawnExt;
use notebook::exercises::catalog;
use notebook::notebook::protocol::{
    Body, ExecuteRequest, ExecutionState, FileReply, FileRequest, Header, Message, ReplyStatus,
};
use notebook::notebook::{Kernel, Outbox, Outputs};
use notebook::parallel::SimulatedHost;
use notebook::platform::{NativePlatform, Platform};

/// A kernel whose messages are collected in a list.
fn kernel_with(platform: Rc<dyn Platform>) -> (Rc<Kernel>, Rc<RefCell<Vec<Message>>>) {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    (Rc::new(Kernel::new(catalog(), outbox, platform, Some(Rc::new(SimulatedHost::default())))), sent)
}

fn request(cell_id: &str, inputs: &[(&str, &str)]) -> ExecuteRequest {
    ExecuteRequest {
        cell_id: cell_id.into(),
        inputs: inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
    }
}

/// Runs one cell to its end; returns its printed text and how it ended.
fn run(kernel: &Kernel, sent: &RefCell<Vec<Message>>, req: ExecuteRequest) -> (String, ReplyStatus, u32) {
    sent.borrow_mut().clear();
    let header = Header { msg_id: "page-1".into() };
    let (_handle, registration) = AbortHandle::new_pair();
    block_on(kernel.execute(&header, req, registration));
    let messages = sent.borrow();
    let mut outputs = Outputs::default();
    for m in messages.iter() {
        assert_eq!(m.parent_header.as_ref(), Some(&header), "every message answers the request");
        outputs.push(&m.body);
    }
    let Some(Body::ExecuteReply(reply)) = messages.iter().rev().nth(1).map(|m| &m.body) else {
        panic!("execute_reply comes just before the final status: {messages:?}")
    };
    assert!(matches!(
        messages.last().map(|m| &m.body),
        Some(Body::Status(s)) if s.execution_state == ExecutionState::Idle
    ));
    (outputs.plain_text(), reply.status, reply.execution_count)
}

#[test]
fn a1_reads_the_sample_file_or_reports_the_missing_one() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    let (text, status, count) = run(&kernel, &sent, request("A1", &[]));
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(count, 1);
    assert!(text.starts_with("File content:\nEvery file starts as bytes on a disk.\n"), "{text}");

    let (text, status, count) = run(&kernel, &sent, request("A1", &[("file", "missing.txt")]));
    assert_eq!(status, ReplyStatus::Ok, "a missing file is the cell's expected outcome");
    assert_eq!(count, 2);
    assert_eq!(text, "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'\n");
}

#[test]
fn a2_writes_three_lines_and_a1_reads_them_back() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    for _ in 0..2 {
        let (text, status, _) = run(&kernel, &sent, request("A2", &[]));
        assert_eq!(status, ReplyStatus::Ok);
        assert!(text.starts_with("Wrote 3 lines to 'output.txt'. It now reads:\n"), "{text}");
    }
    let content = kernel.fs().open("output.txt", "r").unwrap().read().unwrap();
    assert_eq!(content.lines().count(), 3, "mode 'w' replaces, so two runs still leave 3 lines");
    let (text, _, _) = run(&kernel, &sent, request("A1", &[("file", "output.txt")]));
    assert_eq!(text, format!("File content:\n{content}"));
}

#[test]
fn a3_appends_one_line_per_run() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    let (text, _, _) = run(&kernel, &sent, request("A3", &[]));
    assert!(text.starts_with("Appended to 'my_notes.txt', which now has 1 line(s):\n"), "{text}");
    let (text, status, _) = run(&kernel, &sent, request("A3", &[("note", "second")]));
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(
        text,
        "Appended to 'my_notes.txt', which now has 2 line(s):\nA line appended by A3.\nsecond\n"
    );
}

#[test]
fn an_unexpected_error_ends_the_cell_with_a_traceback() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    let (text, status, _) = run(&kernel, &sent, request("A2", &[("file", "no/such/dir.txt")]));
    assert_eq!(status, ReplyStatus::Error);
    assert_eq!(
        text,
        "Traceback (cell A2):\nFileNotFoundError: [Errno 2] No such file or directory: 'no/such/dir.txt'\n"
    );
    let (text, status, _) = run(&kernel, &sent, request("Z9", &[]));
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("KeyError: no cell with id 'Z9'"), "{text}");
}

/// Starts a cell on a local executor and runs it until it waits; the handle stops it.
fn start_cell(kernel: &Rc<Kernel>, cell_id: &str) -> (LocalPool, AbortHandle) {
    let mut pool = LocalPool::new();
    let (handle, registration) = AbortHandle::new_pair();
    let (k, req) = (Rc::clone(kernel), request(cell_id, &[]));
    pool.spawner()
        .spawn_local(async move { k.execute(&Header { msg_id: "page-1".into() }, req, registration).await })
        .unwrap();
    pool.run_until_stalled();
    (pool, handle)
}

/// Sleeps that never end by themselves, so a test decides when a cell is stopped.
struct FrozenClock;

impl Platform for FrozenClock {
    fn sleep(&self, _: Duration) -> LocalBoxFuture<'static, ()> {
        Box::pin(futures::future::pending())
    }
    fn now_ms(&self) -> f64 {
        0.0
    }
    fn spawn(&self, _: LocalBoxFuture<'static, ()>) {
        unreachable!("these tests spawn nothing")
    }
}

#[test]
fn stop_cancels_a_waiting_cell_at_its_wait_and_the_kernel_goes_on() {
    let (kernel, sent) = kernel_with(Rc::new(FrozenClock));
    let (mut pool, handle) = start_cell(&kernel, "U1");
    let mut outputs = Outputs::default();
    sent.borrow().iter().for_each(|m| {
        outputs.push(&m.body);
    });
    assert_eq!(outputs.plain_text(), "waited 0 s\n", "the cell is waiting in its first sleep");

    handle.abort();
    pool.run_until_stalled();
    let messages = sent.borrow();
    let reply = messages.iter().find_map(|m| match &m.body {
        Body::ExecuteReply(r) => Some(r.status),
        _ => None,
    });
    assert_eq!(reply, Some(ReplyStatus::Aborted));
    assert!(messages.iter().any(|m| matches!(&m.body, Body::Error(e) if e.ename == "KeyboardInterrupt")));
    drop(messages);

    let (text, status, count) = run(&kernel, &sent, request("A3", &[]));
    assert_eq!((status, count), (ReplyStatus::Ok, 2), "the same kernel runs the next cell: {text}");
}

#[test]
fn a_prompt_waits_for_the_answer_then_echoes_it() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    assert!(!kernel.reply_input("nobody asked".into()), "no prompt is pending");
    let (mut pool, _handle) = start_cell(&kernel, "U3");
    let prompt = sent.borrow().iter().find_map(|m| match &m.body {
        Body::InputRequest(r) => Some(r.prompt.clone()),
        _ => None,
    });
    assert_eq!(prompt.as_deref(), Some("What is your name? "));
    assert!(!sent.borrow().iter().any(|m| matches!(m.body, Body::ExecuteReply(_))), "the cell waits");

    assert!(kernel.reply_input("Ada".into()));
    pool.run_until_stalled();
    let mut outputs = Outputs::default();
    sent.borrow().iter().for_each(|m| {
        outputs.push(&m.body);
    });
    assert_eq!(
        outputs.plain_text(),
        "What is your name? Ada\nHello, Ada! This answer went from the page to the kernel and back.\n"
    );
    assert!(!kernel.reply_input("late".into()), "the prompt was answered once");
}

#[test]
fn stop_at_a_prompt_ends_the_cell_and_drops_the_prompt() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    let (mut pool, handle) = start_cell(&kernel, "U3");
    handle.abort();
    pool.run_until_stalled();
    let aborted = sent
        .borrow()
        .iter()
        .any(|m| matches!(&m.body, Body::ExecuteReply(r) if r.status == ReplyStatus::Aborted));
    assert!(aborted);
    assert!(!kernel.reply_input("too late".into()), "no prompt outlives its cell");
}

/// Sends one file request and returns the reply.
fn file_request(kernel: &Kernel, sent: &RefCell<Vec<Message>>, req: FileRequest) -> FileReply {
    sent.borrow_mut().clear();
    kernel.file_request(&Header { msg_id: "page-9".into() }, req);
    let messages = sent.borrow();
    match messages.as_slice() {
        [Message { body: Body::FileReply(reply), parent_header: Some(p), .. }] if p.msg_id == "page-9" => {
            reply.clone()
        }
        other => panic!("one file_reply expected: {other:?}"),
    }
}

#[test]
fn the_page_can_list_upload_download_and_reset_files() {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    let upload =
        FileRequest::Write { path: "/tmp/up.bin".into(), data_base64: b64.encode([0u8, 159, 146, 150]) };
    assert_eq!(file_request(&kernel, &sent, upload), FileReply::Done);
    let FileReply::Listing { entries } = file_request(&kernel, &sent, FileRequest::List) else { panic!() };
    let paths: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.is_dir, e.size)).collect();
    let sample = notebook::vfs::STARTING_FILES[0].1.len() as u64;
    assert!(paths.contains(&("/home/user/sample.txt", false, sample)), "{paths:?}");
    assert!(paths.contains(&("/tmp/up.bin", false, 4)));
    assert!(paths.contains(&("/home", true, 0)));
    let FileReply::Contents { data_base64, .. } =
        file_request(&kernel, &sent, FileRequest::Read { path: "/tmp/up.bin".into() })
    else {
        panic!()
    };
    assert_eq!(b64.decode(data_base64).unwrap(), [0u8, 159, 146, 150]);
    assert_eq!(
        file_request(&kernel, &sent, FileRequest::Read { path: "nope".into() }),
        FileReply::Failed { error: "FileNotFoundError: [Errno 2] No such file or directory: 'nope'".into() }
    );
    let bad = FileRequest::Write { path: "x".into(), data_base64: "***".into() };
    assert!(
        matches!(file_request(&kernel, &sent, bad), FileReply::Failed { error } if error.starts_with("ValueError"))
    );
    assert_eq!(file_request(&kernel, &sent, FileRequest::Reset), FileReply::Done);
    assert!(!kernel.fs().exists("/tmp/up.bin"));
}

#[test]
fn a_file_left_open_by_a_cell_is_listed_with_the_cell_as_owner() {
    let (kernel, _sent) = kernel_with(Rc::new(NativePlatform::default()));
    kernel.fs().set_owner("A5");
    let leaked = kernel.fs().open("leak.txt", "w").unwrap();
    let table = kernel.fs().open_files();
    assert_eq!(table.len(), 1);
    assert_eq!((table[0].fd, table[0].entry.owner.as_str()), (3, "A5"));
    drop(leaked);
    assert!(kernel.fs().open_files().is_empty());
}

#[test]
fn an_input_that_is_not_a_number_is_a_clear_value_error() {
    let (kernel, sent) = kernel_with(Rc::new(NativePlatform::default()));
    let (text, status, _) = run(&kernel, &sent, request("A4", &[("count", "ten")]));
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: input 'count' must be a whole number from 0, not \"ten\""), "{text}");
    let (text, status, _) = run(&kernel, &sent, request("A13", &[("offset", "-3.5")]));
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("input 'offset' must be a whole number, not \"-3.5\""), "{text}");
}

//! The kernel natively, through `Kernel::handle` as the kernel worker drives it: running
//! the A1–A3 cells, errors, unknown cells, Stop, prompts, file requests (also while a cell
//! runs), a second cell sent while one runs, and the files-changed notices.

use notebook::exercises::catalog;
use notebook::notebook::protocol::{
    Empty, ExecutionState, FileReply, FileRequest, InputReply, Message, ReplyStatus, ToKernel, ToPage,
};

#[path = "common/kernel_session.rs"]
mod kernel_session;
use kernel_session::{outputs, request, Reply, Session};
use notebook::notebook::{CellContext, CellResult, CodeCell};

fn session() -> Session {
    Session::new(catalog())
}

/// Runs one cell to its end; returns its printed text, how it ended and its count.
fn run(session: &Session, cell_id: &str, inputs: &[(&str, &str)]) -> (String, ReplyStatus, u32) {
    let messages = session.execute(cell_id, inputs);
    let parent = messages[0].parent_header.clone();
    assert!(parent.is_some());
    for m in &messages {
        assert_eq!(m.parent_header, parent, "every message answers the request: {m:?}");
    }
    let Some(ToPage::ExecuteReply(reply)) = messages.iter().rev().nth(1).map(|m| &m.body) else {
        panic!("execute_reply comes just before the final status: {messages:?}")
    };
    assert!(matches!(
        messages.last().map(|m| &m.body),
        Some(ToPage::Status(s)) if s.execution_state == ExecutionState::Idle
    ));
    (outputs(&messages).plain_text(), reply.status, reply.execution_count)
}

#[test]
fn a1_reads_the_sample_file_or_reports_the_missing_one() {
    let k = session();
    let (text, status, count) = run(&k, "A1", &[]);
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(count, 1);
    assert!(text.starts_with("File content:\nEvery file starts as bytes on a disk.\n"), "{text}");
    // Then its `then` file, missing by default: the first run shows both paths.
    let missing = "FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'\n";
    assert!(text.ends_with(&format!("\n{missing}")), "{text}");

    let (text, status, count) = run(&k, "A1", &[("file", "nope.txt")]);
    assert_eq!(status, ReplyStatus::Ok, "a missing file is the cell's expected outcome");
    assert_eq!(count, 2);
    assert_eq!(
        text,
        format!("FileNotFoundError: [Errno 2] No such file or directory: 'nope.txt'\n{missing}")
    );
}

#[test]
fn a2_writes_three_lines_and_a1_reads_them_back() {
    let k = session();
    for _ in 0..2 {
        let (text, status, _) = run(&k, "A2", &[]);
        assert_eq!(status, ReplyStatus::Ok);
        assert!(text.starts_with("Wrote 3 lines to 'output.txt'. It now reads:\n"), "{text}");
    }
    let content = k.kernel.fs().open("output.txt", "r").unwrap().read().unwrap();
    assert_eq!(content.lines().count(), 3, "mode 'w' replaces, so two runs still leave 3 lines");
    let (text, _, _) = run(&k, "A1", &[("file", "output.txt"), ("then", "output.txt")]);
    assert_eq!(text, format!("File content:\n{content}").repeat(2));
}

#[test]
fn a3_appends_one_line_per_run() {
    let k = session();
    let (text, _, _) = run(&k, "A3", &[]);
    assert!(text.starts_with("Appended to 'my_notes.txt', which now has 1 line:\n"), "{text}");
    let (text, status, _) = run(&k, "A3", &[("note", "second")]);
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(text, "Appended to 'my_notes.txt', which now has 2 lines:\nA line appended by A3.\nsecond\n");
}

#[test]
fn an_unexpected_error_ends_the_cell_with_a_traceback() {
    let k = session();
    let (text, status, _) = run(&k, "A2", &[("file", "no/such/dir.txt")]);
    assert_eq!(status, ReplyStatus::Error);
    assert_eq!(
        text,
        "Traceback (cell A2):\nFileNotFoundError: [Errno 2] No such file or directory: 'no/such/dir.txt'\n"
    );
    let (text, status, _) = run(&k, "Z9", &[]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("KeyError: no cell with id 'Z9'"), "{text}");
}

/// What the page sends when Enter is pressed in a prompt holding `text`.
fn answer(text: &str) -> ToKernel {
    ToKernel::InputReply(InputReply { value: text.into() })
}

fn aborted(messages: &[Message<ToPage>]) -> bool {
    messages.iter().any(|m| matches!(&m.body, ToPage::ExecuteReply(r) if r.status == ReplyStatus::Aborted))
}

#[test]
fn an_interrupt_stops_a_waiting_cell_at_its_wait_and_the_kernel_goes_on() {
    let k = session();
    let started = k.start("U1", &[]);
    assert_eq!(outputs(&k.sent.borrow()).plain_text(), "waited 0 s\n", "the cell waits in its first sleep");

    let interrupt = k.send(ToKernel::InterruptRequest(Empty {}));
    let replied =
        k.sent.borrow().iter().any(|m| {
            matches!(m.body, ToPage::InterruptReply(_)) && m.parent_header.as_ref() == Some(&interrupt)
        });
    assert!(replied, "the interrupt is answered at once");
    assert_eq!(k.run_until_reply(&started, |_| Reply::Nothing), ReplyStatus::Aborted);
    let sent = k.sent.borrow().clone();
    assert!(sent.iter().any(|m| matches!(&m.body, ToPage::Error(e) if e.ename == "KeyboardInterrupt")));

    let (text, status, count) = run(&k, "A3", &[]);
    assert_eq!((status, count), (ReplyStatus::Ok, 2), "the same kernel runs the next cell: {text}");
    k.send(ToKernel::InterruptRequest(Empty {}));
    assert!(
        matches!(k.sent.borrow().last().map(|m| &m.body), Some(ToPage::InterruptReply(_))),
        "an interrupt with nothing running is answered and changes nothing"
    );
}

#[test]
fn a_prompt_waits_for_the_answer_then_echoes_it() {
    let k = session();
    assert!(k.is_ignored(answer("nobody asked")), "an answer nobody waits for is dropped");
    let started = k.start("U3", &[]);
    let prompt = k.sent.borrow().iter().find_map(|m| match &m.body {
        ToPage::InputRequest(r) => Some(r.prompt.clone()),
        _ => None,
    });
    assert_eq!(prompt.as_deref(), Some("What is your name? "));
    assert!(!k.sent.borrow().iter().any(|m| matches!(m.body, ToPage::ExecuteReply(_))), "the cell waits");

    k.send(answer("Ada"));
    assert_eq!(k.run_until_reply(&started, |_| Reply::Nothing), ReplyStatus::Ok);
    assert_eq!(
        outputs(&k.sent.borrow()).plain_text(),
        "What is your name? Ada\nHello, Ada! This answer went from the page to the kernel and back.\n"
    );
    assert!(k.is_ignored(answer("late")), "the prompt was answered once");
}

#[test]
fn the_session_answers_prompts_as_a_person_types() {
    let k = session();
    let messages = k.execute_answering("U3", &[], |prompt| {
        assert_eq!(prompt, "What is your name? ");
        "Grace".into()
    });
    assert!(outputs(&messages).plain_text().contains("Hello, Grace!"));
}

#[test]
fn an_interrupt_at_a_prompt_ends_the_cell_and_drops_the_prompt() {
    let k = session();
    let started = k.start("U3", &[]);
    k.send(ToKernel::InterruptRequest(Empty {}));
    assert_eq!(k.run_until_reply(&started, |_| Reply::Nothing), ReplyStatus::Aborted);
    assert!(aborted(&k.sent.borrow()));
    assert!(k.is_ignored(answer("too late")), "no prompt outlives its cell");
}

#[test]
fn file_requests_are_answered_while_a_cell_runs() {
    let k = session();
    let started = k.start("U3", &[]);
    let uploaded = FileReply::Uploaded { path: "/tmp/during.txt".into(), size: 2 };
    assert_eq!(k.upload("/tmp", "during.txt", b"hi"), uploaded);
    let FileReply::Listing { entries } = k.file_request(FileRequest::List) else { panic!("a listing") };
    assert!(entries.iter().any(|e| e.path == "/tmp/during.txt" && e.size == 2));
    k.send(answer("Ada"));
    assert_eq!(k.run_until_reply(&started, |_| Reply::Nothing), ReplyStatus::Ok, "the cell went on unharmed");
}

#[test]
fn a_cell_sent_while_another_runs_is_refused_and_the_first_goes_on() {
    let k = session();
    let first = k.start("U3", &[]);
    let second = k.send(ToKernel::ExecuteRequest(request("A3", &[])));
    let refusal: Vec<_> =
        k.sent.borrow().iter().filter(|m| m.parent_header.as_ref() == Some(&second)).cloned().collect();
    let text = outputs(&refusal).plain_text();
    assert!(text.contains("RuntimeError: the kernel is still running cell U3"), "{text}");
    assert!(
        matches!(refusal.last().map(|m| &m.body), Some(ToPage::ExecuteReply(r)) if r.status == ReplyStatus::Error)
    );
    assert!(!k.kernel.fs().exists("my_notes.txt"), "the refused cell did not run");

    k.send(answer("Ada"));
    assert_eq!(k.run_until_reply(&first, |_| Reply::Nothing), ReplyStatus::Ok);
    let (_, status, count) = run(&k, "A3", &[]);
    assert_eq!((status, count), (ReplyStatus::Ok, 2), "the refused request took no count");
}

#[test]
fn the_page_can_list_upload_download_and_reset_files() {
    let k = session();
    let uploaded = FileReply::Uploaded { path: "/tmp/up.bin".into(), size: 4 };
    assert_eq!(k.upload("/tmp", "up.bin", &[0u8, 159, 146, 150]), uploaded);
    let FileReply::Listing { entries } = k.file_request(FileRequest::List) else { panic!() };
    let paths: Vec<_> = entries.iter().map(|e| (e.path.as_str(), e.is_dir, e.size)).collect();
    let sample = notebook::vfs::STARTING_FILES[0].1.len() as u64;
    assert!(paths.contains(&("/home/user/sample.txt", false, sample)), "{paths:?}");
    assert!(paths.contains(&("/tmp/up.bin", false, 4)));
    assert!(paths.contains(&("/home", true, 0)));
    let (contents, buffers) = k.file_request_with(FileRequest::Read { path: "/tmp/up.bin".into() }, vec![]);
    assert_eq!(contents, FileReply::Contents { path: "/tmp/up.bin".into() });
    assert_eq!(buffers, [vec![0u8, 159, 146, 150]], "the bytes travel beside the reply, as they are");
    assert_eq!(
        k.file_request(FileRequest::Read { path: "nope".into() }),
        FileReply::Failed { error: "FileNotFoundError: [Errno 2] No such file or directory: 'nope'".into() }
    );
    let without_bytes = FileRequest::Upload { dir: "/tmp".into(), name: "x".into() };
    assert!(
        matches!(k.file_request(without_bytes), FileReply::Failed { error } if error.starts_with("ValueError"))
    );
    assert_eq!(k.file_request(FileRequest::Reset), FileReply::Done);
    assert!(!k.kernel.fs().exists("/tmp/up.bin"));
}

/// The next `files_changed` the kernel sends.
fn next_change(k: &Session) -> notebook::notebook::protocol::FilesChanged {
    k.wait_for(|m| match &m.body {
        ToPage::FilesChanged(change) => Some(change.clone()),
        _ => None,
    })
    .expect("a files_changed notice")
}

#[test]
fn the_page_hears_what_changed_in_the_files_whoever_changed_them() {
    let k = session();
    assert_eq!(k.file_request(FileRequest::Mkdir { path: "/tmp/d".into() }), FileReply::Done);
    assert!(matches!(k.upload("/tmp/d", "a.txt", b"hi"), FileReply::Uploaded { .. }));
    let change = next_change(&k);
    let paths: Vec<_> = change.entries.iter().map(|e| (e.path.as_str(), e.size)).collect();
    assert!(paths.contains(&("/tmp/d", 0)) && paths.contains(&("/tmp/d/a.txt", 2)), "one notice: {paths:?}");
    assert!(change.removed.is_empty());

    let started = k.start("A3", &[]);
    assert_eq!(k.run_until_reply(&started, |_| Reply::Nothing), ReplyStatus::Ok);
    let change = next_change(&k);
    assert!(change.entries.iter().any(|e| e.path == "/home/user/my_notes.txt"), "{change:?}");

    assert_eq!(
        k.file_request(FileRequest::Delete { path: "/tmp/d".into(), recursive: true }),
        FileReply::Done
    );
    let change = next_change(&k);
    assert_eq!(change.removed, ["/tmp/d", "/tmp/d/a.txt"]);
    assert!(change.entries.iter().all(|e| !e.path.starts_with("/tmp/d")), "{change:?}");
}

#[test]
fn notices_count_from_the_last_listing_the_page_asked_for() {
    let k = session();
    k.kernel.fs().write_file("/tmp/old.txt", b"x").unwrap();
    let FileReply::Listing { entries } = k.file_request(FileRequest::List) else { panic!("a listing") };
    assert!(entries.iter().any(|e| e.path == "/tmp/old.txt"), "the listing has it before any notice");
    let rename = FileRequest::Rename { from: "/tmp/old.txt".into(), to: "/tmp/new.txt".into() };
    assert_eq!(k.file_request(rename), FileReply::Done);
    let change = next_change(&k);
    assert_eq!(change.removed, ["/tmp/old.txt"], "the page listed it, so its going is told");
    assert_eq!(change.entries.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["/tmp/new.txt"]);
}

#[test]
fn a_file_left_open_by_a_cell_is_listed_with_the_cell_as_owner() {
    let k = session();
    k.kernel.fs().set_owner("A5");
    let leaked = k.kernel.fs().open("leak.txt", "w").unwrap();
    let table = k.kernel.fs().open_files();
    assert_eq!(table.len(), 1);
    assert_eq!((table[0].fd, table[0].entry.owner.as_str()), (3, "A5"));
    drop(leaked);
    assert!(k.kernel.fs().open_files().is_empty());
}

#[test]
fn an_input_that_is_not_a_number_is_a_clear_value_error() {
    let k = session();
    let (text, status, _) = run(&k, "A4", &[("count", "ten")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: input 'count' must be a whole number from 0, not 'ten'"), "{text}");
    let (text, status, _) = run(&k, "A13", &[("offset", "-3.5")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("input 'offset' must be a whole number, not '-3.5'"), "{text}");
}

async fn writes_then_asks(cx: CellContext) -> CellResult {
    cx.fs().write_file("long.txt", b"written before the prompt")?;
    cx.input("go on? ").await?;
    cx.fs().remove("long.txt")?;
    Ok(())
}

#[test]
fn a_long_cell_s_changes_are_told_while_it_runs() {
    let k = Session::with_cells(vec![CodeCell::new("W", "writes then asks", "", |cx| {
        Box::pin(writes_then_asks(cx))
    })]);
    let started = k.start("W", &[]);
    let change = next_change(&k);
    assert_eq!(change.entries.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["/home/user/long.txt"]);
    assert!(
        !k.sent.borrow().iter().any(|m| matches!(m.body, ToPage::ExecuteReply(_))),
        "the cell still waits"
    );
    k.send(answer(""));
    assert_eq!(k.run_until_reply(&started, |_| Reply::Nothing), ReplyStatus::Ok);
    assert_eq!(next_change(&k).removed, ["/home/user/long.txt"]);
}

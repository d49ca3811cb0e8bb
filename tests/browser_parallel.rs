//! In headless Chromium, inside a dedicated web worker (where the kernel lives): processes
//! are real nested web workers running this module's `process_main`, threads are tasks on
//! the worker's event loop with real timers.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use notebook::browser::{cross_origin_isolated, BrowserHost, BrowserPlatform};
use notebook::notebook::protocol::{Header, Message, Stream, StreamName, ToPage};
use notebook::notebook::{CellContext, CellResult, Outbox, Outputs};
use notebook::parallel::{Processes, Run, WorkerState};
use notebook::platform::Platform;
use notebook::vfs::FileSystem;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

struct Session {
    fs: FileSystem,
    processes: Processes,
    sent: Rc<RefCell<Vec<Message<ToPage>>>>,
}

impl Session {
    fn new() -> Session {
        let fs = FileSystem::new();
        let processes =
            Processes::new(Some(Rc::new(BrowserHost::default())), Rc::new(BrowserPlatform), fs.clone());
        Session { fs, processes, sent: Rc::default() }
    }

    /// A session whose host puts shared values in a `SharedArrayBuffer` although the test
    /// runner's page is not cross-origin isolated (webdriver.json starts Chromium with
    /// `--enable-features=SharedArrayBuffer`, so one can be made and posted).
    fn with_shared_memory() -> Session {
        Session::with_host(BrowserHost::with_shared_memory())
    }

    fn with_host(host: BrowserHost) -> Session {
        let fs = FileSystem::new();
        let host = Rc::new(host);
        let processes = Processes::new(Some(host), Rc::new(BrowserPlatform), fs.clone());
        Session { fs, processes, sent: Rc::default() }
    }

    fn begin(&self) -> (Run, CellContext) {
        let sink = Rc::clone(&self.sent);
        let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
        let header = Header { msg_id: "page-1".into() };
        let printer = {
            let (outbox, header) = (Rc::clone(&outbox), header.clone());
            Rc::new(move |text: String, stderr: bool| {
                let name = if stderr { StreamName::Stderr } else { StreamName::Stdout };
                outbox.send(Some(&header), ToPage::Stream(Stream { name, text }));
            })
        };
        let run = self.processes.begin_run("T1", printer);
        let cx = CellContext::new(
            Default::default(),
            self.fs.clone(),
            outbox,
            header,
            Rc::new(BrowserPlatform),
            Default::default(),
        )
        .with_run(run.clone());
        (run, cx)
    }

    /// Runs a cell body with its threads and processes to the end, then ends the run.
    async fn cell<Fut: Future<Output = CellResult>>(
        &self,
        body: impl FnOnce(CellContext) -> Fut,
    ) -> CellResult {
        self.sent.borrow_mut().clear();
        let (run, cx) = self.begin();
        let result = run.drive(body(cx)).await;
        run.end();
        assert!(self.processes.list().is_empty(), "no worker outlives its run");
        result
    }

    fn text(&self) -> String {
        let mut outputs = Outputs::default();
        self.sent.borrow().iter().for_each(|m| {
            outputs.push(&m.body);
        });
        outputs.plain_text()
    }
}

#[wasm_bindgen_test]
async fn map_runs_on_real_workers_in_item_order() {
    let s = Session::new();
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let squares: Vec<i64> = pool.map_chunked("square", 1..=10, 1).await?;
        assert_eq!(squares, [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
        let products: Vec<i64> = pool.starmap("multiply", [(2, 3), (4, 5)]).await?;
        assert_eq!(products, [6, 20]);
        let names: Vec<(String, u32)> = pool.map_chunked("whoami", [(), ()], 1).await?;
        assert!(names.iter().all(|(name, _)| name.starts_with("SpawnPoolWorker-")), "{names:?}");
        let workers = processes.list();
        assert_eq!(workers.len(), 2);
        assert!(workers.iter().all(|w| w.state == WorkerState::Idle));
        assert!(cx.cpu_count() >= 1);
        Ok(())
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn real_workers_know_every_task_the_kernels_host_names() {
    use notebook::parallel::WorkerHost;
    let s = Session::new();
    let names = BrowserHost::default().tasks().names();
    assert!(names.contains(&"introduce") && names.contains(&"square"), "the course's and the general tasks");
    s.cell(|cx| async move {
        let pool = cx.pool(1)?;
        // Arguments no task takes (or takes harmlessly): any error but "no task named".
        for name in names.into_iter().filter(|&name| name != "panic_now") {
            if let Err(e) = pool.apply::<_, serde_json::Value>(name, "?").await {
                assert_ne!(e.kind, "AttributeError", "{name}: {}", e.message);
            }
        }
        Ok(())
    })
    .await
    .unwrap();
}

/// Counts the uncaught errors that reach this worker's global scope (the kernel's, in the
/// notebook: one there would make the page restart the kernel).
fn count_uncaught_errors() -> Rc<RefCell<u32>> {
    use wasm_bindgen::JsCast;
    let count = Rc::new(RefCell::new(0));
    let seen = Rc::clone(&count);
    let listener =
        wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_| *seen.borrow_mut() += 1);
    let scope: web_sys::EventTarget = js_sys::global().unchecked_into();
    scope.add_event_listener_with_callback("error", listener.as_ref().unchecked_ref()).unwrap();
    listener.forget();
    count
}

#[wasm_bindgen_test]
async fn a_panicking_task_kills_only_its_worker_and_the_pool_recovers() {
    let s = Session::new();
    let uncaught = count_uncaught_errors();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let before = pool.pids();
        let error = pool.apply::<_, ()>("panic_now", ()).await.unwrap_err();
        assert_eq!(error.kind, "ProcessError");
        assert!(error.message.contains("panic_now was asked to panic"), "{error}");
        let after = pool.pids();
        assert_eq!(after.len(), 2);
        assert_eq!(after.iter().filter(|p| before.contains(p)).count(), 1, "{before:?} then {after:?}");
        let squares: Vec<i64> = pool.map_chunked("square", 1..=4, 1).await?;
        assert_eq!(squares, [1, 4, 9, 16], "the pool keeps working");
        let failed = pool.apply::<_, ()>("fail_with", "an ordinary error").await.unwrap_err();
        assert_eq!((failed.kind.as_str(), failed.message.as_str()), ("ValueError", "an ordinary error"));
        Ok(())
    })
    .await
    .unwrap();
    BrowserPlatform.sleep(Duration::from_millis(100)).await;
    assert_eq!(*uncaught.borrow(), 0, "the dead worker's error stays with the process table");
}

/// Text of every character up to U+07FF, forty times (one and two bytes of UTF-8).
fn every_char() -> String {
    (0..40).flat_map(|_| (0..0x800u32).filter_map(char::from_u32)).collect()
}

#[wasm_bindgen_test]
async fn a_worker_writes_and_reads_the_kernels_files_and_prints_to_the_cell() {
    let s = Session::new();
    s.fs.write_file("/tmp/every.txt", every_char().as_bytes()).unwrap();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let lines: Vec<(String, String)> =
            (1..=4).map(|i| ("/tmp/workers.log".into(), format!("line {i}"))).collect();
        let _: Vec<()> = pool.map_chunked("append_line", lines, 1).await?;
        let text: String = pool.apply("read_text", "/tmp/workers.log").await?;
        assert_eq!(text.lines().count(), 4);
        let printed: u64 = pool.apply("print_lines", 2).await?;
        assert_eq!(printed, 2);
        // Bytes of every value reach a real worker beside the reply, as a transferred buffer.
        let every: String = pool.apply("read_text", "/tmp/every.txt").await?;
        assert_eq!(every.as_bytes(), every_char().as_bytes());
        Ok(())
    })
    .await
    .unwrap();

    let mut lines: Vec<String> =
        s.fs.open("/tmp/workers.log", "r").unwrap().read().unwrap().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(lines, ["line 1", "line 2", "line 3", "line 4"]);
    let text = s.text();
    assert!(text.contains(" prints line 1 of 2\n") && text.contains(" prints line 2 of 2\n"), "{text}");
}

#[wasm_bindgen_test]
async fn terminate_ends_real_workers_at_once() {
    let s = Session::new();
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let pending = pool.apply_async::<_, i64>("sleep_then_echo", (60_000, 1))?;
        BrowserPlatform.sleep(Duration::from_millis(200)).await;
        assert_eq!(processes.list().iter().filter(|w| w.state == WorkerState::Busy).count(), 1);
        pool.terminate();
        assert!(processes.list().is_empty());
        assert_eq!(pending.get().await.unwrap_err().kind, "ProcessError");

        let long = cx.process("sleep_then_echo", (60_000, 0))?;
        long.start()?;
        long.terminate();
        long.join().await?;
        assert_eq!(long.exitcode(), Some(notebook::parallel::TERMINATED));
        Ok(())
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn queues_and_pipes_carry_values_between_the_kernel_and_workers() {
    let s = Session::new();
    s.cell(|cx| async move {
        let (inbox, outbox) = (cx.queue::<serde_json::Value>()?, cx.queue::<serde_json::Value>()?);
        let relay = cx.process("relay", (inbox.clone(), outbox.clone(), 2))?;
        relay.start()?;
        inbox.put(serde_json::json!("one")).await?;
        inbox.put(serde_json::json!(2)).await?;
        assert_eq!(
            [outbox.get().await?, outbox.get().await?],
            [serde_json::json!("one"), serde_json::json!(2)]
        );
        relay.join().await?;
        assert_eq!(relay.exitcode(), Some(0));

        let (here, there) = cx.pipe::<serde_json::Value>()?;
        let echo = cx.process("echo_pipe", (there, 1))?;
        echo.start()?;
        here.send(serde_json::json!("ping")).await?;
        let answer = here.recv().await?;
        assert_eq!(answer["echo"], "ping");
        echo.join().await?;

        let counter = cx.shared_value(0i64)?;
        let pool = cx.pool(2)?;
        let _: Vec<()> =
            pool.map_chunked("add_to_value", [(counter.clone(), 10), (counter.clone(), 10)], 1).await?;
        assert_eq!(counter.get().await?, 20);
        Ok(())
    })
    .await
    .unwrap();
}

/// The seed's numbers-and-letters threads (1 s and 1.5 s), each second made 100 ms.
#[wasm_bindgen_test]
async fn numbers_and_letters_threads_interleave_in_the_seeds_order() {
    let s = Session::new();
    s.cell(|cx| async move {
        let second = Duration::from_millis(100);
        let (c1, c2) = (cx.clone(), cx.clone());
        let numbers = cx.spawn_thread("numbers", async move {
            for i in 0..5 {
                c1.println(format!("Number: {i}"));
                c1.sleep(second).await;
            }
            Ok(())
        });
        let letters = cx.spawn_thread("letters", async move {
            for letter in ['A', 'B', 'C', 'D', 'E'] {
                c2.println(format!("Letter: {letter}"));
                c2.sleep(second * 3 / 2).await;
            }
            Ok(())
        });
        numbers.join().await?;
        letters.join().await?;
        cx.println("Both threads have finished execution.");
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(
        s.text(),
        "Number: 0\nLetter: A\nNumber: 1\nLetter: B\nNumber: 2\nNumber: 3\nLetter: C\n\
         Number: 4\nLetter: D\nLetter: E\nBoth threads have finished execution.\n"
    );
}

/// A cell that keeps two workers busy for a minute.
async fn busy_pool(cx: CellContext) -> CellResult {
    let pool = cx.pool(2)?;
    let _: Vec<i64> = pool.map_chunked("sleep_then_echo", [(60_000, 1), (60_000, 2)], 1).await?;
    Ok(())
}

#[wasm_bindgen_test]
async fn stop_in_the_kernel_terminates_the_cells_workers() {
    use notebook::notebook::protocol::{Empty, ExecuteRequest, IdSource, ReplyStatus, ToKernel};
    use notebook::notebook::{Catalog, CellSpec, CodeCell, Kernel, Section};

    let cell = CodeCell::new("P1", "busy pool", "", |cx| Box::pin(busy_pool(cx)));
    let catalog = Catalog {
        title: "test",
        sections: vec![Section { id: "p", title: "P", cells: vec![CellSpec::Code(cell)].into() }],
    };
    let sent = Rc::new(RefCell::new(Vec::<Message<ToPage>>::new()));
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    let kernel =
        Kernel::new(catalog, outbox, Rc::new(BrowserPlatform), Some(Rc::new(BrowserHost::default())));
    let ids = IdSource::new("page");
    let request = ExecuteRequest { cell_id: "P1".into(), ..Default::default() };
    kernel.handle(ids.message(None, ToKernel::ExecuteRequest(request)));
    BrowserPlatform.sleep(Duration::from_millis(300)).await;
    let workers = kernel.processes().list();
    assert_eq!(workers.len(), 2, "{workers:?}");
    assert!(workers.iter().all(|w| w.cell == "P1" && w.state == WorkerState::Busy), "{workers:?}");
    kernel.handle(ids.message(None, ToKernel::InterruptRequest(Empty {})));
    BrowserPlatform.sleep(Duration::from_millis(50)).await;
    assert!(kernel.processes().list().is_empty(), "Stop leaves no worker behind");
    let status = sent.borrow().iter().find_map(|m| match &m.body {
        ToPage::ExecuteReply(reply) => Some(reply.status),
        _ => None,
    });
    assert_eq!(status, Some(ReplyStatus::Aborted));
}

#[wasm_bindgen_test]
async fn a_workers_log_records_reach_the_kernels_handlers_with_its_name() {
    use notebook::logging::{self, MemoryHandler, INFO, WARNING};
    let memory = MemoryHandler::new(100);
    let log = logging::get_logger("jobs");
    log.set_level(INFO);
    log.add_handler(&memory);
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(1)?;
        let _: () = pool.apply("log_message", (WARNING.0, "jobs.worker", "from a worker")).await?;
        let _: () = pool.apply("log_message", (10, "jobs.worker", "debug: below the kernel's level")).await?;
        Ok(())
    })
    .await
    .unwrap();
    log.remove_handler(&memory);
    let entries = memory.entries();
    let seen: Vec<_> = entries.iter().map(|e| (e.logger.as_str(), e.message.as_str())).collect();
    assert_eq!(
        seen,
        vec![("jobs.worker", "from a worker")],
        "the kernel's INFO level drops the debug record"
    );
    assert!(entries[0].process_name.starts_with("SpawnPoolWorker-"), "{}", entries[0].process_name);
}

#[wasm_bindgen_test]
async fn shared_values_in_a_shared_array_buffer_are_changed_atomically_by_parallel_workers() {
    let s = Session::with_shared_memory();
    s.cell(|cx| async move {
        let counter = cx.shared_value(0i64)?;
        let halves = cx.shared_array(vec![0.0f64, 0.25])?;
        assert!(counter.in_shared_memory() && halves.in_shared_memory());
        let pool = cx.pool(4)?;
        let seen: Vec<(bool, bool)> = pool
            .map_chunked("in_shared_memory", (0..4).map(|_| (counter.clone(), halves.clone())), 1)
            .await?;
        assert_eq!(seen, [(true, true); 4], "every worker got the buffer with its job");
        // Four workers add at once, each without waiting for any message: no add is lost.
        let _: Vec<()> = pool.map_chunked("add_to_value", (0..4).map(|_| (counter.clone(), 5000)), 1).await?;
        assert_eq!(counter.get().await?, 20_000);
        let _: Vec<()> =
            pool.map_chunked("add_to_float_array", (0..4).map(|_| (halves.clone(), 1000)), 1).await?;
        assert_eq!(halves.to_vec().await?, [1000.0, 1000.25]);
        let array = cx.shared_array(vec![1i64, 2, 3])?;
        let _: Vec<()> = pool.map_chunked("square_into_array", (0..3).map(|i| (array.clone(), i)), 1).await?;
        assert_eq!(array.to_vec().await?, [1, 4, 9]);
        Ok(())
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn a_host_without_shared_memory_serves_shared_values_by_messages() {
    // webdriver.json's `--enable-features=SharedArrayBuffer` makes this worker isolated:
    // the platform's own host then puts shared numbers in a SharedArrayBuffer.
    Session::new()
        .cell(|cx| async move {
            assert_eq!(cx.shared_value(0i64)?.in_shared_memory(), cross_origin_isolated());
            assert!(!cx.shared_value("text")?.in_shared_memory(), "not numbers: by messages");
            Ok(())
        })
        .await
        .unwrap();
    let s = Session::with_host(BrowserHost::with_messages_only());
    s.cell(|cx| async move {
        let counter = cx.shared_value(0i64)?;
        assert!(!counter.in_shared_memory());
        let pool = cx.pool(2)?;
        let _: Vec<()> = pool.map_chunked("add_to_value", (0..2).map(|_| (counter.clone(), 50)), 1).await?;
        assert_eq!(counter.get().await?, 100);
        Ok(())
    })
    .await
    .unwrap();
}

#[wasm_bindgen_test]
async fn apply_async_and_imap_unordered_on_real_workers() {
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let slow = pool.apply_async::<_, String>("sleep_then_echo", (300, "slow"))?;
        assert!(!slow.ready(), "not done at once");
        let fast: String = pool.apply("sleep_then_echo", (0, "fast")).await?;
        assert_eq!(fast, "fast");
        assert_eq!(slow.get().await?, "slow");
        assert!(slow.ready());
        // The later items sleep less: unordered results come back as they finish.
        let items = [(400u64, 1i64), (200, 2), (0, 3)];
        let mut unordered = pool.imap_unordered::<_, i64>("sleep_then_echo", items, 1)?;
        let mut seen = Vec::new();
        while let Some(value) = unordered.next().await {
            seen.push(value?);
        }
        assert_eq!(seen.len(), 3);
        assert_eq!(seen.last(), Some(&1), "the slowest item comes last: {seen:?}");
        let mut ordered = pool.imap::<_, i64>("sleep_then_echo", items, 1)?;
        let mut in_order = Vec::new();
        while let Some(value) = ordered.next().await {
            in_order.push(value?);
        }
        assert_eq!(in_order, [1, 2, 3], "imap keeps item order");
        Ok(())
    })
    .await
    .unwrap();
}

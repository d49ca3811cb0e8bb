//! Processes, pools, IPC and threads natively: worker processes run on the simulated host
//! (the real worker-side loop on this thread, through the same JSON messages), threads on
//! the run's own loop, timers on the native clock.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::executor::{block_on, LocalPool};
use futures::future::{AbortHandle, Abortable};
use futures::task::LocalSpawnExt;
use notebook::notebook::protocol::{Header, Message, ToPage};
use notebook::notebook::{CellContext, CellError, CellResult, Outbox, Outputs};
use notebook::parallel::{Error, Event, Lock, Processes, Run, SimulatedHost, WorkerState, TERMINATED};
use notebook::platform::{NativePlatform, Platform};
use notebook::vfs::FileSystem;

/// A kernel's worth of state without the kernel: files, a process table, an outbox.
struct Session {
    fs: FileSystem,
    platform: Rc<dyn Platform>,
    processes: Processes,
    sent: Rc<RefCell<Vec<Message<ToPage>>>>,
}

impl Session {
    fn new() -> Session {
        Session::serving(notebook::parallel::tasks::general())
    }

    /// A session whose workers serve `tasks`.
    fn serving(tasks: notebook::parallel::tasks::Registry) -> Session {
        let fs = FileSystem::new();
        let platform: Rc<dyn Platform> = Rc::new(NativePlatform::default());
        let host = SimulatedHost::new(Rc::clone(&platform), 4).with_tasks(tasks);
        let processes = Processes::new(Some(Rc::new(host)), Rc::clone(&platform), fs.clone());
        Session { fs, platform, processes, sent: Rc::default() }
    }

    /// A session whose host has shared memory, as a cross-origin isolated page has.
    fn with_shared_memory() -> Session {
        let fs = FileSystem::new();
        let platform: Rc<dyn Platform> = Rc::new(NativePlatform::default());
        let host = SimulatedHost::new(Rc::clone(&platform), 4).with_shared_memory();
        let processes = Processes::new(Some(Rc::new(host)), Rc::clone(&platform), fs.clone());
        Session { fs, platform, processes, sent: Rc::default() }
    }

    /// A run and the context its cell gets, as `Kernel::execute` makes them.
    fn begin(&self) -> (Run, CellContext) {
        let sink = Rc::clone(&self.sent);
        let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
        let header = Header { msg_id: "page-1".into() };
        let printer = {
            let (outbox, header) = (Rc::clone(&outbox), header.clone());
            Rc::new(move |text: String, stderr: bool| {
                use notebook::notebook::protocol::{Stream, StreamName};
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
            Rc::clone(&self.platform),
            Default::default(),
        )
        .with_run(run.clone());
        (run, cx)
    }

    /// Runs a cell body to its end (and its threads and processes), then ends the run.
    fn cell<Fut: Future<Output = CellResult>>(&self, body: impl FnOnce(CellContext) -> Fut) -> CellResult {
        self.sent.borrow_mut().clear();
        let (run, cx) = self.begin();
        let result = block_on(run.drive(body(cx)));
        run.end();
        assert!(self.processes.list().is_empty(), "no worker outlives its run");
        assert_eq!(self.processes.object_count(), 0, "no IPC object outlives its run");
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

fn expect_err<T: std::fmt::Debug>(result: Result<T, Error>, kind: &str) -> Error {
    match result {
        Err(e) if e.kind == kind => e,
        other => panic!("expected {kind}, got {other:?}"),
    }
}

#[test]
fn map_gives_results_in_item_order_and_reuses_its_workers() {
    let s = Session::new();
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(3)?;
        let squares: Vec<i64> = pool.map("square", 1..=10).await?;
        assert_eq!(squares, [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
        let pids = pool.pids();
        let chunked: Vec<i64> = pool.map_chunked("square", [7, 8, 9, 10, 11], 2).await?;
        assert_eq!(chunked, [49, 64, 81, 100, 121]);
        assert_eq!(pool.pids(), pids, "the same three workers served both maps");
        let workers = processes.list();
        assert_eq!(workers.len(), 3);
        assert!(workers.iter().all(|w| w.state == WorkerState::Idle && w.cell == "T1" && w.task.is_none()));
        assert!(workers.iter().all(|w| w.name.starts_with("SpawnPoolWorker-")), "{workers:?}");
        let empty: Vec<i64> = pool.map("square", Vec::<i64>::new()).await?;
        assert!(empty.is_empty());
        Ok(())
    })
    .unwrap();
}

#[test]
fn starmap_takes_tuples_and_apply_async_gives_a_handle() {
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let products: Vec<i64> = pool.starmap("multiply", [(1, 2), (3, 4), (5, 6)]).await?;
        assert_eq!(products, [2, 12, 30]);

        let late = pool.apply_async::<_, String>("sleep_then_echo", (60, "late"))?;
        let soon = pool.apply_async::<_, i64>("square", 7)?;
        assert!(!late.ready(), "a 60 ms task is not done at once");
        assert_eq!(late.successful(), None);
        assert_eq!(soon.get().await?, 49);
        assert_eq!(late.get().await?, "late");
        assert!(late.ready());
        assert_eq!(late.successful(), Some(true));
        assert_eq!(late.get().await?, "late", "get can be asked again");
        assert_eq!(pool.apply::<_, i64>("multiply", (6, 7)).await?, 42);
        Ok(())
    })
    .unwrap();
}

#[test]
fn imap_unordered_gives_results_as_they_finish_and_imap_in_order() {
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(3)?;
        let jobs = [(150, "slow"), (10, "fast"), (80, "middle")];
        let mut finished = Vec::new();
        let mut results = pool.imap_unordered::<_, String>("sleep_then_echo", jobs, 1)?;
        while let Some(r) = results.next().await {
            finished.push(r?);
        }
        assert_eq!(finished, ["fast", "middle", "slow"]);

        let mut ordered = Vec::new();
        let mut results = pool.imap::<_, String>("sleep_then_echo", jobs, 1)?;
        assert_eq!(results.remaining(), 3);
        while let Some(r) = results.next().await {
            ordered.push(r?);
        }
        assert_eq!(ordered, ["slow", "fast", "middle"]);
        Ok(())
    })
    .unwrap();
}

#[test]
fn an_error_in_a_task_reaches_the_caller_with_its_message() {
    let s = Session::new();
    let result = s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let e = expect_err(pool.map::<_, ()>("fail_with", ["boom", "bang"]).await, "ValueError");
        assert_eq!(e.message, "boom", "the first error in item order");
        let fine: Vec<i64> = pool.map("square", [2]).await?;
        assert_eq!(fine, [4], "an error leaves the worker alive");
        pool.apply::<_, ()>("fail_with", "raised in a worker").await?;
        Ok(())
    });
    assert_eq!(
        result,
        Err(CellError::new("ValueError", "raised in a worker")),
        "`?` turns it into the cell's error"
    );
}

#[test]
fn a_panicking_task_kills_only_its_worker_and_the_pool_replaces_it() {
    let s = Session::new();
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let before = pool.pids();
        let e = expect_err(pool.apply::<_, ()>("panic_now", ()).await, "ProcessError");
        assert!(e.message.contains("panic_now was asked to panic"), "{e}");
        assert!(e.message.contains("SpawnPoolWorker-"), "{e}");
        let after = pool.pids();
        assert_eq!(after.len(), 2, "the pool is back to two workers");
        assert_eq!(after.iter().filter(|p| before.contains(p)).count(), 1, "one worker was replaced");
        assert_eq!(processes.list().len(), 2);

        let squares: Vec<i64> = pool.map_chunked("square", 1..=6, 1).await?;
        assert_eq!(squares, [1, 4, 9, 16, 25, 36], "the pool keeps working");

        // In a map, only the chunk of the panicking item fails.
        let mixed = pool.map_chunked::<_, serde_json::Value>("panic_now", [1], 1).await;
        expect_err(mixed, "ProcessError");
        assert_eq!(pool.pids().len(), 2);
        Ok(())
    })
    .unwrap();
}

#[test]
fn terminate_ends_the_workers_and_fails_unfinished_work() {
    let s = Session::new();
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let pending = pool.apply_async::<_, i64>("sleep_then_echo", (10_000, 1))?;
        let queued = pool.map_chunked::<_, i64>("square", 1..=3, 1);
        futures::pin_mut!(queued);
        assert!(futures::poll!(queued.as_mut()).is_pending());
        assert_eq!(processes.list().len(), 2);
        pool.terminate();
        assert!(processes.list().is_empty(), "terminate ends the workers at once");
        expect_err(pending.get().await, "ProcessError");
        expect_err(queued.await, "ProcessError");
        expect_err(pool.map::<_, i64>("square", [1]).await, "ValueError");
        Ok(())
    })
    .unwrap();
}

#[test]
fn close_and_join_finish_the_work_then_end_the_workers() {
    let s = Session::new();
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let results = pool.apply_async::<_, i64>("sleep_then_echo", (30, 5))?;
        expect_err(pool.join().await, "ValueError");
        pool.close();
        expect_err(pool.apply_async::<_, i64>("square", 1).map(drop), "ValueError");
        pool.join().await?;
        assert_eq!(results.get().await?, 5);
        assert!(processes.list().is_empty());
        Ok(())
    })
    .unwrap();
}

#[test]
fn zero_workers_unknown_tasks_and_bad_arguments_are_clear_errors() {
    let s = Session::new();
    s.cell(|cx| async move {
        let e = expect_err(cx.pool(0).map(drop), "ValueError");
        assert_eq!(e.message, "Number of processes must be at least 1");
        let pool = cx.pool(1)?;
        let e = expect_err(pool.map::<_, i64>("no_such_task", [1]).await, "AttributeError");
        assert!(e.message.contains("no task named 'no_such_task'") && e.message.contains("square"), "{e}");
        expect_err(cx.process("no_such_task", ()).map(drop), "AttributeError");
        let e = expect_err(pool.map::<_, i64>("square", ["seven"]).await, "TypeError");
        assert!(e.message.starts_with("task 'square' cannot take these arguments: invalid type"), "{e}");
        expect_err(pool.map::<_, i64>("multiply", [(1, 2, 3)]).await, "TypeError");
        expect_err(pool.apply::<_, String>("square", 3).await, "TypeError");
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_process_starts_joins_and_reports_its_exit_code() {
    let s = Session::new();
    s.cell(|cx| async move {
        let ok = cx.process("print_lines", 2)?;
        assert_eq!((ok.pid(), ok.exitcode(), ok.is_alive()), (None, None, false));
        expect_err(ok.join().await, "AssertionError");
        ok.start()?;
        assert!(ok.is_alive());
        expect_err(ok.start(), "AssertionError");
        ok.join().await?;
        assert_eq!((ok.exitcode(), ok.is_alive(), ok.error()), (Some(0), false, None));

        let failing = cx.process("fail_with", "bad input")?.named("checker");
        failing.start()?;
        failing.join().await?;
        assert_eq!(failing.exitcode(), Some(1));
        assert_eq!(failing.error(), Some(Error::value("bad input")));

        let dying = cx.process("panic_now", ())?;
        dying.start()?;
        dying.join().await?;
        assert_eq!(dying.exitcode(), Some(1));
        assert!(dying.error().is_some_and(|e| e.message.contains("panic_now was asked to panic")));

        let long = cx.process("sleep_then_echo", (10_000, 0))?;
        long.start()?;
        long.terminate();
        long.join().await?;
        assert_eq!(long.exitcode(), Some(TERMINATED));

        let pids = [ok.pid(), failing.pid(), dying.pid(), long.pid()];
        assert!(pids.iter().all(Option::is_some));
        let mut unique = pids.to_vec();
        unique.dedup();
        assert_eq!(unique.len(), 4, "every process has its own pid: {pids:?}");
        assert_eq!(ok.name(), "Process-1");
        Ok(())
    })
    .unwrap();
    let text = s.text();
    assert!(text.contains("Process-1 prints line 1 of 2\nProcess-1 prints line 2 of 2\n"), "{text}");
    assert!(text.contains("Process checker:\nValueError: bad input\n"), "{text}");
}

#[test]
fn the_run_waits_for_a_process_that_is_not_joined() {
    let s = Session::new();
    s.cell(|cx| async move {
        cx.process("print_lines", 3)?.start()?;
        cx.println("the cell's code is done");
        Ok(())
    })
    .unwrap();
    let text = s.text();
    assert!(text.starts_with("the cell's code is done\n"), "{text}");
    assert!(text.ends_with("line 3 of 3\n"), "{text}");
}

#[test]
fn a_worker_reads_and_writes_the_kernels_files() {
    // A task that moves a file's bytes both ways: a read's come back, a write's go out.
    let mut tasks = notebook::parallel::tasks::general();
    tasks.add("copy_file", |cx: notebook::parallel::TaskContext, (from, to): (String, String)| async move {
        let bytes = cx.read_file(&from).await?;
        cx.write_file(&to, &bytes).await?;
        Ok(bytes.len())
    });
    let s = Session::serving(tasks);
    let every: Vec<u8> = (0..=255u8).cycle().take(256 * 40).collect();
    s.fs.write_file("/tmp/every.bin", &every).unwrap();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let lines: Vec<(String, String)> =
            (1..=5).map(|i| ("/tmp/shared.log".into(), format!("line {i}"))).collect();
        let _: Vec<()> = pool.map_chunked("append_line", lines, 1).await?;
        let text: String = pool.apply("read_text", "/tmp/shared.log").await?;
        assert_eq!(text.lines().count(), 5);
        let e = expect_err(pool.apply::<_, String>("read_text", "missing.txt").await, "FileNotFoundError");
        assert_eq!(e.message, "[Errno 2] No such file or directory: 'missing.txt'");
        let sample: String = pool.apply("read_text", "sample.txt").await?;
        assert!(sample.starts_with("Every file starts as bytes on a disk."), "{sample}");
        // Bytes of every value, read and written by a worker, beside the messages' text.
        let copied: usize = pool.apply("copy_file", ("/tmp/every.bin", "/tmp/copy.bin")).await?;
        assert_eq!(copied, 256 * 40);
        let e = expect_err(
            pool.apply::<_, usize>("copy_file", ("/tmp/every.bin", "/nowhere/x")).await,
            "FileNotFoundError",
        );
        assert_eq!(e.message, "[Errno 2] No such file or directory: '/nowhere/x'");
        Ok(())
    })
    .unwrap();
    assert_eq!(s.fs.read_file("/tmp/copy.bin").unwrap(), s.fs.read_file("/tmp/every.bin").unwrap());
    let mut lines: Vec<String> =
        s.fs.open("/tmp/shared.log", "r").unwrap().read().unwrap().lines().map(String::from).collect();
    lines.sort();
    assert_eq!(lines, ["line 1", "line 2", "line 3", "line 4", "line 5"]);
}

#[test]
fn what_a_worker_prints_appears_in_the_cell() {
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(1)?;
        let n: u64 = pool.apply("print_lines", 3).await?;
        assert_eq!(n, 3);
        Ok(())
    })
    .unwrap();
    let text = s.text();
    let name = text.split(' ').next().unwrap_or_default().to_string();
    assert!(name.starts_with("SpawnPoolWorker-"), "{text}");
    assert_eq!(
        text,
        format!("{name} prints line 1 of 3\n{name} prints line 2 of 3\n{name} prints line 3 of 3\n")
    );
}

#[test]
fn a_queue_carries_items_between_the_cell_and_processes() {
    let s = Session::new();
    s.cell(|cx| async move {
        let (inbox, outbox) = (cx.queue::<serde_json::Value>()?, cx.queue::<serde_json::Value>()?);
        let relay = cx.process("relay", (inbox.clone(), outbox.clone(), 3))?;
        relay.start()?;
        for item in [serde_json::json!(1), serde_json::json!("two"), serde_json::json!([3])] {
            inbox.put(item).await?;
        }
        let got = [outbox.get().await?, outbox.get().await?, outbox.get().await?];
        assert_eq!(got, [serde_json::json!(1), serde_json::json!("two"), serde_json::json!([3])]);
        relay.join().await?;
        assert_eq!(relay.exitcode(), Some(0));

        let numbers = cx.queue::<i64>()?;
        numbers.put(5).await?;
        assert_eq!(numbers.qsize().await?, 1);
        assert_eq!(numbers.get().await?, 5);
        let e = expect_err(numbers.get_timeout(Duration::from_millis(20)).await, "Empty");
        assert!(e.message.contains("empty"));
        // A get that timed out does not swallow the next item.
        numbers.put(6).await?;
        assert_eq!(numbers.get().await?, 6);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_pipe_is_duplex_between_the_cell_and_a_process() {
    let s = Session::new();
    s.cell(|cx| async move {
        let (here, there) = cx.pipe::<serde_json::Value>()?;
        let echo = cx.process("echo_pipe", (there, 2))?;
        echo.start()?;
        here.send(serde_json::json!("ping")).await?;
        let first = here.recv().await?;
        here.send(serde_json::json!(2)).await?;
        let second = here.recv().await?;
        assert_eq!(first["echo"], "ping");
        assert_eq!(second["echo"], 2);
        assert_eq!(first["from"], serde_json::json!(echo.name()));
        echo.join().await?;
        expect_err(here.recv_timeout(Duration::from_millis(10)).await, "Empty");
        Ok(())
    })
    .unwrap();
}

#[test]
fn shared_values_arrays_and_a_manager_see_every_process_change() {
    let s = Session::new();
    s.cell(|cx| async move {
        let counter = cx.shared_value(0i64)?;
        let pool = cx.pool(4)?;
        let _: Vec<()> = pool.map_chunked("add_to_value", (0..4).map(|_| (counter.clone(), 25)), 1).await?;
        assert_eq!(counter.get().await?, 100, "each add is one step: none is lost");
        counter.set(7).await?;
        assert_eq!(counter.add(3).await?, 10);

        let array = cx.shared_array(vec![1i64, 2, 3])?;
        let _: Vec<()> = pool.map_chunked("square_into_array", (0..3).map(|i| (array.clone(), i)), 1).await?;
        assert_eq!(array.to_vec().await?, [1, 4, 9]);
        assert_eq!(array.get(-1).await?, 9);
        expect_err(array.get(3).await, "IndexError");

        let manager = cx.manager()?;
        let (dict, list) = (manager.dict::<u32>(), manager.list::<String>());
        let keys = ["a", "b", "c"];
        let _: Vec<()> = pool
            .map_chunked("record_in_manager", keys.map(|k| (dict.clone(), list.clone(), k.to_string())), 1)
            .await?;
        let items = dict.items().await?;
        assert_eq!(items.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), keys);
        let mut listed = list.to_vec().await?;
        listed.sort();
        assert_eq!(listed, keys);
        expect_err(dict.get("z").await, "KeyError");
        Ok(())
    })
    .unwrap();
}

#[test]
fn shared_values_and_arrays_of_numbers_live_in_shared_memory_where_the_host_has_some() {
    let s = Session::with_shared_memory();
    s.cell(|cx| async move {
        let counter = cx.shared_value(0i64)?;
        let halves = cx.shared_array(vec![0.0f64, 0.25])?;
        assert!(counter.in_shared_memory() && halves.in_shared_memory());
        let pool = cx.pool(4)?;
        let seen: Vec<(bool, bool)> = pool
            .map_chunked("in_shared_memory", (0..4).map(|_| (counter.clone(), halves.clone())), 1)
            .await?;
        assert_eq!(seen, [(true, true); 4], "every worker's handle finds the memory");
        let _: Vec<()> = pool.map_chunked("add_to_value", (0..4).map(|_| (counter.clone(), 25)), 1).await?;
        assert_eq!(counter.get().await?, 100);
        counter.set(i64::MAX).await?;
        expect_err(counter.add(1).await, "OverflowError");
        let _: Vec<()> =
            pool.map_chunked("add_to_float_array", (0..4).map(|_| (halves.clone(), 10)), 1).await?;
        assert_eq!(halves.to_vec().await?, [10.0, 10.25]);
        assert_eq!(halves.get(-1).await?, 10.25);
        expect_err(halves.get(2).await, "IndexError");

        // Squares through the same memory; what is not numbers stays on messages.
        let array = cx.shared_array(vec![1i64, 2, 3])?;
        let _: Vec<()> = pool.map_chunked("square_into_array", (0..3).map(|i| (array.clone(), i)), 1).await?;
        assert_eq!(array.to_vec().await?, [1, 4, 9]);
        assert!(array.in_shared_memory());
        assert!(!cx.shared_value("text")?.in_shared_memory());
        assert!(!cx.shared_array(Vec::<i64>::new())?.in_shared_memory());
        Ok(())
    })
    .unwrap();
}

#[test]
fn shared_values_are_served_by_messages_without_shared_memory() {
    let s = Session::new();
    s.cell(|cx| async move {
        let counter = cx.shared_value(0i64)?;
        let halves = cx.shared_array(vec![0.0f64, 0.25])?;
        assert!(!counter.in_shared_memory());
        let pool = cx.pool(2)?;
        let seen: Vec<(bool, bool)> = pool
            .map_chunked("in_shared_memory", (0..2).map(|_| (counter.clone(), halves.clone())), 1)
            .await?;
        assert_eq!(seen, [(false, false); 2]);
        let _: Vec<()> =
            pool.map_chunked("add_to_float_array", (0..2).map(|_| (halves.clone(), 10)), 1).await?;
        assert_eq!(halves.to_vec().await?, [5.0, 5.25]);
        Ok(())
    })
    .unwrap();
}

/// The seed's numbers-and-letters threads (1 s and 1.5 s), with each second made 100 ms.
async fn numbers_and_letters(cx: CellContext) -> CellResult {
    let second = Duration::from_millis(100);
    let numbers = {
        let cx = cx.clone();
        async move {
            for i in 0..5 {
                cx.println(format!("Number: {i}"));
                cx.sleep(second).await;
            }
            Ok(())
        }
    };
    let letters = {
        let cx = cx.clone();
        async move {
            for letter in ['A', 'B', 'C', 'D', 'E'] {
                cx.println(format!("Letter: {letter}"));
                cx.sleep(second * 3 / 2).await;
            }
            Ok(())
        }
    };
    let number_thread = cx.spawn_thread("numbers", numbers);
    let letter_thread = cx.spawn_thread("letters", letters);
    number_thread.join().await?;
    letter_thread.join().await?;
    cx.println("Both threads have finished execution.");
    Ok(())
}

/// The order the seed printed (at 3 s both threads are due: the numbers thread, started
/// first, goes first).
const SEED_ORDER: &str = "Number: 0\nLetter: A\nNumber: 1\nLetter: B\nNumber: 2\nNumber: 3\nLetter: C\n\
Number: 4\nLetter: D\nLetter: E\nBoth threads have finished execution.\n";

#[test]
fn numbers_and_letters_threads_interleave_in_the_seeds_order() {
    let s = Session::new();
    let start = std::time::Instant::now();
    s.cell(numbers_and_letters).unwrap();
    assert_eq!(s.text(), SEED_ORDER);
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(750) && elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn threads_have_names_and_idents_share_memory_and_run_one_at_a_time() {
    let s = Session::new();
    s.cell(|cx| async move {
        assert_eq!(cx.current_thread().name, "MainThread");
        let shared = Rc::new(RefCell::new(Vec::new()));
        let lock = Lock::new();
        let ready = Event::new();
        let mut handles = Vec::new();
        for name in ["t-1", "t-2", "t-3"] {
            let (cx2, shared, lock, ready) = (cx.clone(), Rc::clone(&shared), lock.clone(), ready.clone());
            handles.push(cx.spawn_thread(name, async move {
                ready.wait().await;
                let me = cx2.current_thread();
                let _guard = lock.acquire().await;
                // Holding the lock across a wait: no other thread enters meanwhile.
                shared.borrow_mut().push(format!("{} in", me.name));
                cx2.sleep(Duration::from_millis(5)).await;
                shared.borrow_mut().push(format!("{} out", me.name));
                Ok(me.ident)
            }));
        }
        assert!(handles.iter().all(|h| h.is_alive()));
        assert!(!ready.is_set());
        ready.set();
        let mut idents = Vec::new();
        for handle in handles {
            assert!(handle.name().starts_with("t-"));
            let ident = handle.ident();
            assert_eq!(handle.join().await?, ident);
            idents.push(ident);
        }
        assert_eq!(idents, [2, 3, 4], "the main thread is 1");
        assert_eq!(*shared.borrow(), ["t-1 in", "t-1 out", "t-2 in", "t-2 out", "t-3 in", "t-3 out"]);
        assert!(!lock.locked());
        assert!(lock.try_acquire().is_some());
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_cell_waits_for_its_threads_and_an_unjoined_error_is_printed() {
    let s = Session::new();
    s.cell(|cx| async move {
        let cx2 = cx.clone();
        drop(cx.spawn_thread("late", async move {
            cx2.sleep(Duration::from_millis(20)).await;
            cx2.println("the thread ends after the cell's code");
            Ok(())
        }));
        drop(cx.spawn_thread("broken", async {
            Err::<(), _>(CellError::new("ZeroDivisionError", "division by zero"))
        }));
        cx.println("cell code done");
        Ok(())
    })
    .unwrap();
    assert_eq!(
        s.text(),
        "cell code done\nException in thread broken:\nZeroDivisionError: division by zero\n\
         the thread ends after the cell's code\n"
    );
}

#[test]
fn stopping_a_run_terminates_its_workers_and_cancels_its_threads() {
    let s = Session::new();
    let (run, cx) = s.begin();
    let ticks = Rc::new(RefCell::new(0));
    let body = {
        let ticks = Rc::clone(&ticks);
        async move {
            let pool = cx.pool(2)?;
            let cx2 = cx.clone();
            let _ticker = cx.spawn_thread("ticker", async move {
                loop {
                    *ticks.borrow_mut() += 1;
                    cx2.sleep(Duration::from_millis(5)).await;
                }
                #[allow(unreachable_code)]
                Ok(())
            });
            let _: Vec<i64> = pool.map("sleep_then_echo", [(60_000, 1), (60_000, 2)]).await?;
            Ok::<(), CellError>(())
        }
    };
    let mut executor = LocalPool::new();
    let (stop, registration) = AbortHandle::new_pair();
    let outcome = Rc::new(RefCell::new(None));
    let drive = run.drive(body);
    let result = Rc::clone(&outcome);
    executor
        .spawner()
        .spawn_local(async move {
            *result.borrow_mut() = Some(Abortable::new(drive, registration).await.is_err());
        })
        .unwrap();
    executor.run_until_stalled();
    std::thread::sleep(Duration::from_millis(30));
    executor.run_until_stalled();
    let busy = s.processes.list();
    assert_eq!(busy.len(), 2, "{busy:?}");
    assert!(busy
        .iter()
        .all(|w| w.state == WorkerState::Busy && w.task.as_deref() == Some("sleep_then_echo")));
    assert!(*ticks.borrow() > 1, "the thread ticks");

    stop.abort(); // what Stop does to the running cell's future
    executor.run_until_stalled();
    assert_eq!(*outcome.borrow(), Some(true), "the run was aborted");
    run.end(); // what Kernel::execute does after any run
    assert!(s.processes.list().is_empty(), "no worker is left behind");
    let frozen = *ticks.borrow();
    std::thread::sleep(Duration::from_millis(30));
    executor.run_until_stalled();
    assert_eq!(*ticks.borrow(), frozen, "the thread was cancelled");
}

#[test]
fn the_process_table_reports_changes_and_busy_workers() {
    let s = Session::new();
    let changes = Rc::new(RefCell::new(0));
    let counter = Rc::clone(&changes);
    s.processes.set_listener(move || *counter.borrow_mut() += 1);
    let processes = s.processes.clone();
    s.cell(|cx| async move {
        let pool = cx.pool(1)?;
        let pending = pool.apply_async::<_, i64>("sleep_then_echo", (50, 3))?;
        futures::future::poll_fn(|_| std::task::Poll::Ready(())).await;
        let listed = processes.list();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].task.as_deref(), Some("sleep_then_echo"));
        assert_eq!(pending.get().await?, 3);
        assert_eq!(processes.list()[0].state, WorkerState::Idle);
        Ok(())
    })
    .unwrap();
    assert!(*changes.borrow() >= 4, "start, ready, busy, idle, end: {}", changes.borrow());
    assert_eq!(s.processes.cpu_count(), 4, "the simulated host reports four processors");
}

#[test]
fn the_modules_example_runs_as_a_cell() {
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(cx.cpu_count())?;
        let squares: Vec<i64> = pool.map("square", 1..=5).await?; // [1, 4, 9, 16, 25]
        cx.println(format!("{squares:?}"));
        let mut done =
            pool.imap_unordered::<_, u64>("count_primes", [(0, 1_000_000), (1_000_000, 2_000_000)], 1)?;
        while let Some(count) = done.next().await {
            cx.println(count?);
        }
        let (inbox, outbox) = (cx.queue::<serde_json::Value>()?, cx.queue::<serde_json::Value>()?);
        let relay = cx.process("relay", (inbox.clone(), outbox.clone(), 1))?;
        relay.start()?;
        inbox.put(serde_json::json!("hello")).await?;
        cx.println(outbox.get().await?);
        relay.join().await?;
        let worker = cx.clone();
        let thread = cx.spawn_thread("counter", async move {
            worker.sleep(Duration::from_millis(10)).await;
            Ok(42)
        });
        cx.println(thread.join().await?);
        let e = expect_err(pool.apply::<_, u64>("count_primes", (0, u64::MAX)).await, "ValueError");
        assert!(e.message.contains("at most"), "{e}");
        Ok(())
    })
    .unwrap();
    let text = s.text();
    assert!(text.starts_with("[1, 4, 9, 16, 25]\n"), "{text}");
    assert!(text.contains("78498\n") && text.contains("70435\n"), "{text}");
    assert!(text.ends_with("\"hello\"\n42\n"), "{text}");
}

#[test]
fn each_job_span_holds_the_workers_own_time_at_work_and_thread_turns_never_overlap() {
    let s = Session::new();
    let (run, cx) = s.begin();
    let body = async {
        let since = cx.now_ms();
        let pool = cx.pool(2)?;
        let counts: Vec<u64> =
            pool.map_chunked("count_primes", vec![(0u64, 30_000u64), (30_000, 60_000)], 1).await?;
        assert_eq!(counts.iter().sum::<u64>(), 6057, "the primes below 60000");
        let spans = s.processes.spans_of_run(run.id());
        assert_eq!(spans.len(), 2, "{spans:?}");
        for span in &spans {
            let (began, ended) = span.worked_ms.expect("a finished job has its time at work");
            let answered = span.end_ms.unwrap();
            // The worker worked after the job was sent and before its answer came back.
            assert!(span.start_ms <= began && began <= ended && ended <= answered, "{span:?}");
        }
        assert_eq!(cx.most_processes_at_once(since), 1, "simulated workers take turns");

        let threads: Vec<_> = (0..3)
            .map(|k| {
                cx.spawn_thread(&format!("t{k}"), async move {
                    for _ in 0..5 {
                        notebook::parallel::threads::yield_now().await;
                    }
                    Ok(k)
                })
            })
            .collect();
        for thread in threads {
            thread.join().await?;
        }
        let turns = run.thread_turns();
        assert!(turns.len() >= 3 * 6, "every thread ran six turns at least: {}", turns.len());
        assert!(turns.windows(2).all(|w| w[0].end_ms <= w[1].start_ms), "one after the other");
        assert_eq!(cx.most_threads_at_once(since), 1);
        Ok::<_, CellError>(())
    };
    block_on(run.drive(body)).unwrap();
    run.end();
}

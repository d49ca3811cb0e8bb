//! Bad input and bad luck for processes, natively on the simulated host (see
//! RELIABILITY.md; zero workers, unknown tasks, bad arguments, a panicking task,
//! terminate and a queue's timeout are in `tests/parallel.rs`): arguments and results
//! larger than a megabyte, and a worker killed in the middle of a task, after which the
//! pool reports it, replaces the worker, and every other task gives its result once.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use futures::executor::block_on;
use notebook::notebook::protocol::{Header, Message, ToPage};
use notebook::notebook::{CellContext, CellError, CellResult, Outbox};
use notebook::parallel::tasks::Registry;
use notebook::parallel::{
    Error, Processes, Result, SimulatedHost, Spawner, WorkerEvent, WorkerHandle, WorkerHost, WorkerState,
};
use notebook::platform::{NativePlatform, Platform};
use notebook::vfs::FileSystem;

/// The simulated host, plus a way to kill a worker from outside, as a browser does when
/// a worker crashes or runs out of memory: the worker stops at once and its `error`
/// event reaches the kernel.
struct KillableHost {
    inner: SimulatedHost,
    started: RefCell<BTreeMap<String, StartedWorker>>,
}

/// What the host keeps of a started worker: where its events go, and its handle.
type StartedWorker = (Rc<dyn Fn(WorkerEvent)>, Rc<dyn WorkerHandle>);

impl KillableHost {
    fn kill(&self, name: &str, why: &str) {
        let started = self.started.borrow_mut().remove(name);
        let (events, handle) = started.expect("a worker of that name");
        handle.terminate();
        events(WorkerEvent::Died(why.to_string()));
    }
}

impl WorkerHost for KillableHost {
    fn start(
        &self,
        name: &str,
        events: Rc<dyn Fn(WorkerEvent)>,
        spawner: &Spawner,
    ) -> Result<Rc<dyn WorkerHandle>> {
        let handle = self.inner.start(name, Rc::clone(&events), spawner)?;
        self.started.borrow_mut().insert(name.to_string(), (events, Rc::clone(&handle)));
        Ok(handle)
    }

    fn tasks(&self) -> &Registry {
        self.inner.tasks()
    }

    fn cpu_count(&self) -> usize {
        self.inner.cpu_count()
    }
}

struct Session {
    fs: FileSystem,
    platform: Rc<dyn Platform>,
    processes: Processes,
    host: Rc<KillableHost>,
    sent: Rc<RefCell<Vec<Message<ToPage>>>>,
}

impl Session {
    fn new() -> Session {
        let fs = FileSystem::new();
        let platform: Rc<dyn Platform> = Rc::new(NativePlatform::default());
        let host = Rc::new(KillableHost {
            inner: SimulatedHost::new(Rc::clone(&platform), 4),
            started: RefCell::default(),
        });
        let as_host: Rc<dyn WorkerHost> = Rc::clone(&host) as Rc<dyn WorkerHost>;
        let processes = Processes::new(Some(as_host), Rc::clone(&platform), fs.clone());
        Session { fs, platform, processes, host, sent: Rc::default() }
    }

    /// Runs a cell body to its end (and its processes), then ends the run.
    fn cell<Fut: Future<Output = CellResult>>(&self, body: impl FnOnce(CellContext) -> Fut) -> CellResult {
        let sink = Rc::clone(&self.sent);
        let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
        let run = self.processes.begin_run("T1", Rc::new(|_: String, _: bool| {}));
        let header = Header { msg_id: "page-1".into() };
        let cx = CellContext::new(
            Default::default(),
            self.fs.clone(),
            outbox,
            header,
            Rc::clone(&self.platform),
            Default::default(),
        )
        .with_run(run.clone());
        let result = block_on(run.drive(body(cx)));
        run.end();
        assert!(self.processes.list().is_empty(), "no worker outlives its run");
        result
    }
}

#[test]
fn arguments_and_results_larger_than_a_megabyte_arrive_whole() {
    let s = Session::new();
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let big: Vec<String> = (0..3).map(|i| format!("{i}").repeat(2 * 1024 * 1024)).collect();
        let items: Vec<(u64, String)> = big.iter().map(|text| (1, text.clone())).collect();
        let back: Vec<String> = pool.map_chunked("sleep_then_echo", items, 1).await?;
        assert_eq!(back, big, "three results of 2 MiB each, in order");
        // Bytes with every value, through a JSON array of 1.5 M numbers and back.
        let bytes: Vec<u8> = (0..1_500_000).map(|i| (i % 256) as u8).collect();
        let echoed: Vec<u8> = pool.apply("sleep_then_echo", (0, bytes.clone())).await?;
        assert_eq!(echoed, bytes);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_worker_killed_mid_task_is_reported_and_no_other_result_is_lost_or_doubled() {
    let s = Session::new();
    let (host, processes) = (Rc::clone(&s.host), s.processes.clone());
    s.cell(|cx| async move {
        let pool = cx.pool(2)?;
        let jobs: Vec<_> = (0..6)
            .map(|i| pool.apply_async::<_, i64>("sleep_then_echo", (40, i)))
            .collect::<std::result::Result<_, _>>()?;
        cx.sleep(Duration::from_millis(15)).await;
        let busy: Vec<_> = processes.list().into_iter().filter(|w| w.state == WorkerState::Busy).collect();
        assert_eq!(busy.len(), 2, "both workers are in the middle of a task: {busy:?}");
        let victim = busy[0].clone();
        host.kill(&victim.name, "killed from outside (out of memory)");

        let mut outcomes = Vec::new();
        for job in jobs {
            outcomes.push(job.get().await);
        }
        let failed: Vec<&Error> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
        assert_eq!(failed.len(), 1, "only the task the killed worker ran is lost: {outcomes:?}");
        assert_eq!(failed[0].kind, "ProcessError");
        assert_eq!(
            failed[0].message,
            format!("process {} (pid {}) died: killed from outside (out of memory)", victim.name, victim.pid)
        );
        let mut values: Vec<i64> = outcomes.iter().filter_map(|o| o.as_ref().ok().copied()).collect();
        values.sort();
        assert_eq!(values.len(), 5, "every other task gave exactly one result");
        let lost = (0..6).find(|i| !values.contains(i)).expect("one value is missing");
        assert_eq!(values, (0..6).filter(|&i| i != lost).collect::<Vec<_>>(), "none twice");

        // The pool replaced the worker and goes on.
        let pids = pool.pids();
        assert_eq!(pids.len(), 2);
        assert!(!pids.contains(&victim.pid));
        let squares: Vec<i64> = pool.map_chunked("square", 1..=8, 1).await?;
        assert_eq!(squares, [1, 4, 9, 16, 25, 36, 49, 64]);
        Ok::<(), CellError>(())
    })
    .unwrap();
}

#[test]
fn a_process_killed_mid_task_reports_its_death_to_join() {
    let s = Session::new();
    let host = Rc::clone(&s.host);
    s.cell(|cx| async move {
        let process = cx.process("sleep_then_echo", (10_000, 1))?;
        process.start()?;
        cx.sleep(Duration::from_millis(10)).await;
        host.kill(&process.name(), "killed from outside");
        process.join().await?;
        assert!(!process.is_alive());
        assert!(process.exitcode().is_some_and(|code| code != 0), "{:?}", process.exitcode());
        let error = process.error().expect("the cause is kept");
        assert!(error.message.ends_with("died: killed from outside"), "{error}");
        Ok(())
    })
    .unwrap();
}

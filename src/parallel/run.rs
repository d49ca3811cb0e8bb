//! One cell run's share of the parallel machinery: its task group and threads, and the
//! workers and IPC objects it starts, all ended together by [`Run::end`]. A cell reaches
//! it through its `CellContext`; this is also the API for code outside a cell (tests,
//! benchmarks).

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::{Error, Result};
use super::group::{Drive, Group};
use super::ipc::{Array, Connection, Dict, Handle, List, Queue, Value};
use super::link::Link;
use super::pool::Pool;
use super::process::Process;
use super::processes::{Printer, Processes, RunTag};
use super::threads::{AsThread, ThreadError, ThreadHandle, ThreadInfo, Threads};

/// A cell run (cheap to clone).
#[derive(Clone)]
pub struct Run {
    inner: Rc<Inner>,
}

struct Inner {
    processes: Processes,
    tag: RunTag,
    group: Rc<Group>,
    threads: Rc<Threads>,
    link: Rc<dyn Link>,
    ended: Cell<bool>,
}

impl Processes {
    /// Begins a run of cell `cell`; what its workers and threads print goes to `printer`.
    /// Drive the cell's future with [`Run::drive`] and call [`Run::end`] afterwards.
    pub fn begin_run(&self, cell: &str, printer: Printer) -> Run {
        let shared = &self.shared;
        let id = shared.next_run.get() + 1;
        shared.next_run.set(id);
        let group = Group::new();
        let tag =
            RunTag { id, cell: cell.to_string(), printer: Rc::clone(&printer), spawner: group.spawner() };
        let threads = Threads::new(Rc::clone(&shared.platform), group.spawner(), printer);
        let link = self.local_link();
        Run {
            inner: Rc::new(Inner {
                processes: self.clone(),
                tag,
                group,
                threads,
                link,
                ended: Cell::new(false),
            }),
        }
    }
}

impl Run {
    /// The run's number.
    pub fn id(&self) -> u64 {
        self.inner.tag.id
    }

    /// The threads this run started, with their start and end times.
    pub fn thread_spans(&self) -> Vec<super::threads::ThreadSpan> {
        self.inner.threads.spans()
    }

    /// The latest turns of its started threads, oldest first.
    pub fn thread_turns(&self) -> Vec<super::threads::Turn> {
        self.inner.threads.turns()
    }

    /// The process table it belongs to.
    pub fn processes(&self) -> &Processes {
        &self.inner.processes
    }

    /// Runs `main` (the cell's code, as the main thread) together with the run's threads
    /// and tasks; ends when `main` and every thread and non-daemon process have ended.
    pub fn drive<F: Future>(&self, main: F) -> Drive<AsThread<F>> {
        self.inner.group.drive(self.inner.threads.as_current(main))
    }

    /// Ends the run: terminates its workers, cancels its threads and waiting requests,
    /// forgets its IPC objects. Safe to call more than once.
    pub fn end(&self) {
        if self.inner.ended.replace(true) {
            return;
        }
        self.inner.processes.stop_run(self.id());
        self.inner.group.clear();
    }

    /// A pool of `size` worker processes (`Pool(size)`; zero is a `ValueError`).
    pub fn pool(&self, size: usize) -> Result<Pool> {
        Pool::start(
            Rc::clone(&self.inner.processes.shared),
            self.inner.tag.clone(),
            Rc::clone(&self.inner.link),
            size,
        )
    }

    /// A process that will run `task(args)` once started.
    pub fn process<A: Serialize>(&self, task: &str, args: A) -> Result<Process> {
        let args = serde_json::to_value(args).map_err(Error::from)?;
        Process::new(Rc::clone(&self.inner.processes.shared), self.inner.tag.clone(), task, args)
    }

    /// The way to the kernel's IPC objects (for handles decoded by hand).
    pub fn link(&self) -> Rc<dyn Link> {
        Rc::clone(&self.inner.link)
    }

    /// How many workers a default pool has (`os.cpu_count()`).
    pub fn cpu_count(&self) -> usize {
        self.inner.processes.cpu_count()
    }

    /// Whether its worker processes run side by side (see [`Processes::side_by_side`]).
    pub fn processes_side_by_side(&self) -> bool {
        self.inner.processes.side_by_side()
    }

    fn handle(&self, id: u64) -> Handle {
        Handle::new(id, Rc::clone(&self.inner.link))
    }

    /// A new empty queue.
    pub fn queue<T>(&self) -> Queue<T> {
        Queue::new(self.handle(self.inner.processes.shared.store.new_queue(self.id())))
    }

    /// A new duplex pipe: what one end sends, the other receives.
    pub fn pipe<T: Serialize + DeserializeOwned>(&self) -> (Connection<T>, Connection<T>) {
        Connection::pair(self.queue(), self.queue())
    }

    fn shared_json<T: Serialize>(&self, initial: &T) -> Result<Handle> {
        let json = serde_json::to_value(initial).map_err(Error::from)?;
        let shared = &self.inner.processes.shared;
        let allocate = |len| shared.host.as_ref().and_then(|host| host.shared_memory(len));
        Ok(self.handle(shared.store.new_shared_in(self.id(), json, allocate)))
    }

    /// A new shared value.
    pub fn value<T: Serialize>(&self, initial: T) -> Result<Value<T>> {
        self.shared_json(&initial).map(Value::new)
    }

    /// A new shared array.
    pub fn array<T: Serialize>(&self, initial: Vec<T>) -> Result<Array<T>> {
        self.shared_json(&initial).map(Array::new)
    }

    /// A new shared dict (`Manager().dict()`).
    pub fn dict<T>(&self) -> Dict<T> {
        Dict::new(self.handle(self.inner.processes.shared.store.new_shared(self.id(), serde_json::json!({}))))
    }

    /// A new shared list (`Manager().list()`).
    pub fn list<T>(&self) -> List<T> {
        List::new(self.handle(self.inner.processes.shared.store.new_shared(self.id(), serde_json::json!([]))))
    }

    /// Starts a thread called `name` running `future`, which ends with the caller's own
    /// error type `E` (see [`ThreadError`]).
    pub fn spawn_thread<T, E, F>(&self, name: &str, future: F) -> ThreadHandle<T, E>
    where
        T: 'static,
        E: ThreadError,
        F: Future<Output = std::result::Result<T, E>> + 'static,
    {
        self.inner.threads.spawn(name, future)
    }

    /// The thread running now.
    pub fn current_thread(&self) -> ThreadInfo {
        self.inner.threads.current()
    }

    /// Sleeps the current thread (threads due together wake in the order they started).
    pub async fn sleep(&self, duration: Duration) {
        self.inner.threads.sleep(duration).await
    }
}

/// `multiprocessing.Manager()`: makes a dict and a list shared with processes.
#[derive(Clone)]
pub struct Manager {
    run: Run,
}

impl Manager {
    /// A manager making objects for `run`.
    pub fn new(run: Run) -> Manager {
        Manager { run }
    }

    /// A new shared dict.
    pub fn dict<T>(&self) -> Dict<T> {
        self.run.dict()
    }

    /// A new shared list.
    pub fn list<T>(&self) -> List<T> {
        self.run.list()
    }
}

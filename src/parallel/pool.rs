//! `multiprocessing.Pool`: a fixed number of worker processes that take jobs from one
//! queue. A map is cut into chunks (one job each); a worker runs a chunk's items in order
//! and is reused for the next. A worker that dies (a panic) fails only its chunk and is
//! replaced, and the pool goes on.

use std::cell::RefCell;
use std::collections::VecDeque;

use litemap::LiteMap;
use std::rc::{Rc, Weak};

use futures::channel::{mpsc, oneshot};
use serde::Serialize;
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::message::Outcome;
use super::processes::{Note, RunTag, Shared};
use super::results::{AsyncResult, Results};
use super::Link;

/// Where a job's outcomes go: (item index, outcome).
type Sink = mpsc::UnboundedSender<(usize, Outcome)>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Running,
    Closed,
    Terminated,
}

struct Job {
    id: u64,
    task: String,
    items: Vec<Json>,
    first: usize,
    sink: Sink,
}

struct Running {
    job: u64,
    first: usize,
    count: usize,
    sink: Sink,
}

struct State {
    status: Status,
    idle: VecDeque<u32>,
    busy: LiteMap<u32, Running>,
    queue: VecDeque<Job>,
    next_job: u64,
    drained: Vec<oneshot::Sender<()>>,
}

pub(crate) struct PoolInner {
    shared: Rc<Shared>,
    run: RunTag,
    link: Rc<dyn Link>,
    size: usize,
    me: Weak<PoolInner>,
    state: RefCell<State>,
}

/// A pool of worker processes (cheap to clone; the workers end when the last clone and
/// every pending result are dropped, or with the cell run).
#[derive(Clone)]
pub struct Pool {
    inner: Rc<PoolInner>,
}

impl Pool {
    /// Starts `size` workers for `run`.
    pub(crate) fn start(shared: Rc<Shared>, run: RunTag, link: Rc<dyn Link>, size: usize) -> Result<Pool> {
        if size == 0 {
            return Err(Error::value("Number of processes must be at least 1"));
        }
        let inner = Rc::new_cyclic(|me| PoolInner {
            shared,
            run,
            link,
            size,
            me: me.clone(),
            state: RefCell::new(State {
                status: Status::Running,
                idle: VecDeque::new(),
                busy: LiteMap::new(),
                queue: VecDeque::new(),
                next_job: 0,
                drained: Vec::new(),
            }),
        });
        for _ in 0..size {
            let pid = inner.start_worker()?;
            inner.state.borrow_mut().idle.push_back(pid);
        }
        Ok(Pool { inner })
    }

    /// How many workers it keeps.
    pub fn size(&self) -> usize {
        self.inner.size
    }

    /// The pids of its live workers.
    pub fn pids(&self) -> Vec<u32> {
        let state = self.inner.state.borrow();
        let mut pids: Vec<u32> = state.idle.iter().copied().chain(state.busy.keys().copied()).collect();
        pids.sort_unstable();
        pids
    }

    /// `task` on every item, results in item order; the first error (in item order) if
    /// any item failed. Chunks as Python does: about four per worker.
    pub async fn map<A: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        task: &str,
        items: impl IntoIterator<Item = A>,
    ) -> Result<Vec<R>> {
        let items = encode_all(items)?;
        let chunksize = default_chunksize(items.len(), self.inner.size);
        self.map_encoded(task, items, chunksize).await
    }

    /// [`Pool::map`] with `chunksize` items per job.
    pub async fn map_chunked<A: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        task: &str,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<Vec<R>> {
        self.map_encoded(task, encode_all(items)?, chunksize).await
    }

    /// The end of [`Pool::map`] and [`Pool::map_chunked`]: `items` are JSON already, so
    /// each is encoded once, and this part is compiled once per result type only.
    async fn map_encoded<R: serde::de::DeserializeOwned>(
        &self,
        task: &str,
        items: Vec<Json>,
        chunksize: usize,
    ) -> Result<Vec<R>> {
        let count = items.len();
        let receiver = self.inner.submit(task, items, chunksize)?;
        Results::new(receiver, count, true, Rc::clone(&self.inner.link), Rc::clone(&self.inner))
            .collect()
            .await
    }

    /// `task` on every tuple of arguments (Python unpacks each tuple into the arguments;
    /// a task here takes the tuple itself, so this is [`Pool::map`] over tuples).
    pub async fn starmap<A: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        task: &str,
        items: impl IntoIterator<Item = A>,
    ) -> Result<Vec<R>> {
        self.map(task, items).await
    }

    /// Results one by one in item order, each as soon as it and those before it are done.
    pub fn imap<A: Serialize, R>(
        &self,
        task: &str,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<Results<R>> {
        self.results(task, items, chunksize, true)
    }

    /// Results one by one in the order they finish.
    pub fn imap_unordered<A: Serialize, R>(
        &self,
        task: &str,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
    ) -> Result<Results<R>> {
        self.results(task, items, chunksize, false)
    }

    fn results<A: Serialize, R>(
        &self,
        task: &str,
        items: impl IntoIterator<Item = A>,
        chunksize: usize,
        ordered: bool,
    ) -> Result<Results<R>> {
        let items = encode_all(items)?;
        let count = items.len();
        let receiver = self.inner.submit(task, items, chunksize)?;
        Ok(Results::new(receiver, count, ordered, Rc::clone(&self.inner.link), Rc::clone(&self.inner)))
    }

    /// Runs `task(args)` on some worker; the handle gives the result when it is ready.
    pub fn apply_async<A: Serialize, R>(&self, task: &str, args: A) -> Result<AsyncResult<R>> {
        let receiver = self.inner.submit(task, encode_all([args])?, 1)?;
        Ok(AsyncResult::new(receiver, Rc::clone(&self.inner.link), Rc::clone(&self.inner)))
    }

    /// Runs `task(args)` on some worker and waits for its result.
    pub async fn apply<A: Serialize, R: serde::de::DeserializeOwned>(
        &self,
        task: &str,
        args: A,
    ) -> Result<R> {
        self.apply_async(task, args)?.get().await
    }

    /// Accepts no more work; what was submitted still runs.
    pub fn close(&self) {
        let mut state = self.inner.state.borrow_mut();
        if state.status == Status::Running {
            state.status = Status::Closed;
        }
    }

    /// Waits until all submitted work is done, then ends the workers. The pool must be
    /// closed (or terminated) first, as in Python.
    pub async fn join(&self) -> Result<()> {
        let waiting = {
            let mut state = self.inner.state.borrow_mut();
            if state.status == Status::Running {
                return Err(Error::value("Pool is still running: close() or terminate() it before join()"));
            }
            if state.queue.is_empty() && state.busy.is_empty() {
                None
            } else {
                let (sender, receiver) = oneshot::channel();
                state.drained.push(sender);
                Some(receiver)
            }
        };
        if let Some(receiver) = waiting {
            let _ = receiver.await;
        }
        self.inner.stop_workers();
        Ok(())
    }

    /// Ends the workers now; unfinished work fails.
    pub fn terminate(&self) {
        self.inner.state.borrow_mut().status = Status::Terminated;
        self.inner.stop_workers();
    }
}

fn encode_all<A: Serialize>(items: impl IntoIterator<Item = A>) -> Result<Vec<Json>> {
    items.into_iter().map(|item| serde_json::to_value(item).map_err(Error::from)).collect()
}

/// Python's default for `map`: the items over four chunks per worker, rounded up.
fn default_chunksize(items: usize, workers: usize) -> usize {
    items.div_ceil(workers * 4).max(1)
}

impl PoolInner {
    fn start_worker(&self) -> Result<u32> {
        let me = self.me.clone();
        let owner = Rc::new(move |pid, note| {
            if let Some(pool) = me.upgrade() {
                pool.on_note(pid, note);
            }
        });
        let name = self.shared.next_name("SpawnPoolWorker");
        self.shared.start(&self.run, name, owner)
    }

    /// Queues `task` on `items` in chunks; the receiver gets every item's outcome.
    fn submit(
        &self,
        task: &str,
        items: Vec<Json>,
        chunksize: usize,
    ) -> Result<mpsc::UnboundedReceiver<(usize, Outcome)>> {
        self.shared.check_task(task)?;
        if chunksize == 0 {
            return Err(Error::value("chunksize must be at least 1"));
        }
        let (sink, receiver) = mpsc::unbounded();
        {
            let mut state = self.state.borrow_mut();
            if state.status != Status::Running {
                return Err(Error::value("Pool not running"));
            }
            let mut items = items.into_iter();
            let mut first = 0;
            loop {
                let chunk: Vec<Json> = items.by_ref().take(chunksize).collect();
                if chunk.is_empty() {
                    break;
                }
                state.next_job += 1;
                let count = chunk.len();
                let job = Job {
                    id: state.next_job,
                    task: task.to_string(),
                    items: chunk,
                    first,
                    sink: sink.clone(),
                };
                state.queue.push_back(job);
                first += count;
            }
        }
        self.pump();
        Ok(receiver)
    }

    /// Gives queued jobs to idle workers.
    fn pump(&self) {
        loop {
            let (pid, job) = {
                let mut state = self.state.borrow_mut();
                if state.status == Status::Terminated || state.queue.is_empty() || state.idle.is_empty() {
                    break;
                }
                let (Some(pid), Some(job)) = (state.idle.pop_front(), state.queue.pop_front()) else { break };
                let running =
                    Running { job: job.id, first: job.first, count: job.items.len(), sink: job.sink.clone() };
                state.busy.insert(pid, running);
                (pid, job)
            };
            if let Err(e) = self.shared.run_job(pid, job.id, &job.task, job.items) {
                let running = self.state.borrow_mut().busy.remove(&pid);
                if let Some(running) = running {
                    fail(&running, &e);
                }
            }
        }
        let drained = {
            let mut state = self.state.borrow_mut();
            if state.queue.is_empty() && state.busy.is_empty() {
                std::mem::take(&mut state.drained)
            } else {
                Vec::new()
            }
        };
        drained.into_iter().for_each(|d| {
            let _ = d.send(());
        });
    }

    fn on_note(&self, pid: u32, note: Note) {
        match note {
            Note::Done { job, results } => {
                let running = {
                    let mut state = self.state.borrow_mut();
                    let running = state.busy.remove(&pid);
                    state.idle.push_back(pid);
                    running
                };
                if let Some(running) = running.filter(|r| r.job == job) {
                    let count = results.len();
                    for (i, outcome) in results.into_iter().enumerate() {
                        let _ = running.sink.unbounded_send((running.first + i, outcome));
                    }
                    if count < running.count {
                        let lost = Error::process("the worker answered fewer results than items");
                        for i in count..running.count {
                            let _ = running.sink.unbounded_send((running.first + i, Err(lost.clone())));
                        }
                    }
                }
            }
            Note::Died { message } => {
                let (running, replace) = {
                    let mut state = self.state.borrow_mut();
                    state.idle.retain(|&p| p != pid);
                    (state.busy.remove(&pid), state.status != Status::Terminated)
                };
                if let Some(running) = running {
                    fail(&running, &Error::process(message));
                }
                if replace {
                    match self.start_worker() {
                        Ok(new_pid) => self.state.borrow_mut().idle.push_back(new_pid),
                        Err(e) => {
                            let text = format!("the pool could not replace a dead worker: {e}\n");
                            (self.run.printer)(text, true);
                        }
                    }
                }
            }
        }
        self.pump();
    }

    fn stop_workers(&self) {
        let (pids, queue, busy) = {
            let mut state = self.state.borrow_mut();
            let mut pids: Vec<u32> = state.idle.drain(..).collect();
            pids.extend(state.busy.keys().copied());
            (pids, std::mem::take(&mut state.queue), std::mem::take(&mut state.busy))
        };
        for pid in pids {
            self.shared.terminate(pid);
        }
        // Dropping the jobs' sinks ends their results: what did not finish fails.
        drop((queue, busy));
        let drained = std::mem::take(&mut self.state.borrow_mut().drained);
        drained.into_iter().for_each(|d| {
            let _ = d.send(());
        });
    }
}

fn fail(running: &Running, error: &Error) {
    for i in 0..running.count {
        let _ = running.sink.unbounded_send((running.first + i, Err(error.clone())));
    }
}

impl Drop for PoolInner {
    fn drop(&mut self) {
        self.state.get_mut().status = Status::Terminated;
        self.stop_workers();
    }
}

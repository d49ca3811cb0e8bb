//! The native host: each "worker" is the real worker-side loop ([`super::worker_side`])
//! running as a task on the kernel's own thread, talking through the same JSON messages.
//! Nothing runs in parallel, but pools, errors, panics, queues and pipes behave as with
//! web workers, so their logic is tested by `cargo test`.

use std::any::Any;
use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::atomic::{AtomicI64, Ordering};

use futures::channel::mpsc;
use futures::future::{AbortHandle, Abortable};
use futures::FutureExt;

use super::error::{Error, Result};
use super::group::Spawner;
use super::host::{WorkerEvent, WorkerHandle, WorkerHost};
use super::message::Packet;
use super::shared_memory::{receive_memory, Cells, SharedMemory};
use super::tasks::{general, Registry};
use super::worker_side::{panic_message, serve};
use crate::platform::{NativePlatform, Platform};

/// Runs workers as tasks of the run that starts them.
pub struct SimulatedHost {
    platform: Rc<dyn Platform>,
    cpus: usize,
    shared_memory: bool,
    tasks: Registry,
}

impl SimulatedHost {
    /// A host whose workers sleep with `platform`'s timers, whose pools default to `cpus`
    /// workers, and which serve the library's [`general`] tasks.
    pub fn new(platform: Rc<dyn Platform>, cpus: usize) -> SimulatedHost {
        SimulatedHost { platform, cpus, shared_memory: false, tasks: general() }
    }

    /// The same host serving `tasks` instead (an application's registry). The kernel
    /// checks names against the very registry the workers serve.
    pub fn with_tasks(mut self, tasks: Registry) -> SimulatedHost {
        self.tasks = tasks;
        self
    }

    /// The same host with shared memory (atomic cells), as a cross-origin isolated page
    /// has: shared values and arrays of numbers then live there, and their memory travels
    /// with the messages to the workers, as a `SharedArrayBuffer` does in the browser.
    pub fn with_shared_memory(mut self) -> SimulatedHost {
        self.shared_memory = true;
        self
    }
}

/// Cells in this process's memory, changed with atomic operations.
struct AtomicCells(Vec<AtomicI64>);

impl Cells for AtomicCells {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn load(&self, index: usize) -> i64 {
        self.0[index].load(Ordering::SeqCst)
    }

    fn store(&self, index: usize, bits: i64) {
        self.0[index].store(bits, Ordering::SeqCst)
    }

    fn compare_exchange(&self, index: usize, expected: i64, new: i64) -> i64 {
        match self.0[index].compare_exchange(expected, new, Ordering::SeqCst, Ordering::SeqCst) {
            Ok(seen) | Err(seen) => seen,
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl Default for SimulatedHost {
    /// Native timers, and as many workers by default as this machine has processors (what
    /// `os.cpu_count()` would say here), though they take turns.
    fn default() -> SimulatedHost {
        let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        SimulatedHost::new(Rc::new(NativePlatform::default()), cpus)
    }
}

struct SimulatedWorker {
    inbox: mpsc::UnboundedSender<Packet>,
    abort: AbortHandle,
    dead: Rc<Cell<bool>>,
}

impl WorkerHandle for SimulatedWorker {
    fn send(&self, packet: Packet) {
        let _ = self.inbox.unbounded_send(packet);
    }

    fn send_with_memory(&self, packet: Packet, memory: &[SharedMemory]) {
        // The worker runs on this thread: what it receives is the kernel's memory itself.
        for memory in memory {
            receive_memory(memory.clone());
        }
        self.send(packet);
    }

    fn terminate(&self) {
        self.dead.set(true);
        self.inbox.close_channel();
        self.abort.abort();
    }
}

impl WorkerHost for SimulatedHost {
    fn start(
        &self,
        _name: &str,
        events: Rc<dyn Fn(WorkerEvent)>,
        spawner: &Spawner,
    ) -> Result<Rc<dyn WorkerHandle>> {
        let (inbox, receiver) = mpsc::unbounded();
        let dead = Rc::new(Cell::new(false));
        let out: Rc<dyn Fn(Packet)> = {
            let (events, dead) = (Rc::clone(&events), Rc::clone(&dead));
            Rc::new(move |packet| {
                if !dead.get() {
                    events(WorkerEvent::Message(packet))
                }
            })
        };
        let (abort, registration) = AbortHandle::new_pair();
        let body =
            Abortable::new(serve(self.tasks.clone(), receiver, out, Rc::clone(&self.platform)), registration);
        let task = {
            let dead = Rc::clone(&dead);
            async move {
                // A panic outside a task (a bug in the loop itself) kills the worker too.
                if let Err(payload) = AssertUnwindSafe(body).catch_unwind().await {
                    if !dead.replace(true) {
                        events(WorkerEvent::Died(panic_message(payload.as_ref())));
                    }
                }
            }
        };
        if !spawner.spawn(Box::pin(task)) {
            return Err(Error::process("the cell run that starts this worker has ended"));
        }
        Ok(Rc::new(SimulatedWorker { inbox, abort, dead }))
    }

    fn tasks(&self) -> &Registry {
        &self.tasks
    }

    fn cpu_count(&self) -> usize {
        self.cpus
    }

    fn side_by_side(&self) -> bool {
        false // every worker is a task on the kernel's own thread
    }

    fn shared_memory(&self, len: usize) -> Option<Rc<dyn Cells>> {
        self.shared_memory.then(|| Rc::new(AtomicCells((0..len).map(|_| AtomicI64::new(0)).collect())) as _)
    }
}

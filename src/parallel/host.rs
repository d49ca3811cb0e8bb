//! What starts worker processes: real web workers in the browser
//! (`browser::BrowserHost`), or [`super::simulated::SimulatedHost`] natively, so the
//! scheduling above them is the same code and testable with `cargo test`.

use std::rc::Rc;

use super::error::Result;
use super::group::Spawner;
use super::message::Packet;
use super::shared_memory::{Cells, SharedMemory};
use super::tasks::Registry;

/// What a worker reports to the kernel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerEvent {
    /// A message (JSON text of a `FromWorker`, and a file's bytes beside it).
    Message(Packet),
    /// The worker died (an uncaught error, a failed boot); the text says why.
    Died(String),
}

/// A started worker.
pub trait WorkerHandle {
    /// Posts a message (JSON text of a `ToWorker`, and a file's bytes beside it).
    fn send(&self, packet: Packet);
    /// Posts a message together with shared objects the worker has not been given yet
    /// (their memory travels with it; a host without shared memory never gets any).
    fn send_with_memory(&self, packet: Packet, memory: &[SharedMemory]) {
        let _ = memory;
        self.send(packet);
    }
    /// Stops the worker at once; no event is reported after this.
    fn terminate(&self);
}

/// Starts workers, and says what they can run.
pub trait WorkerHost {
    /// The tasks its workers serve, by name: the kernel refuses a job for any other name
    /// before it starts a worker. A host whose workers build their registry themselves (a
    /// web worker's entry) returns one built by the same function.
    fn tasks(&self) -> &Registry;

    /// Starts a worker called `name` whose events go to `events`. A host that runs
    /// workers on the kernel's own loop (the simulated one) spawns them with `spawner`.
    fn start(
        &self,
        name: &str,
        events: Rc<dyn Fn(WorkerEvent)>,
        spawner: &Spawner,
    ) -> Result<Rc<dyn WorkerHandle>>;

    /// How many workers a pool gets by default (the browser's hardware concurrency).
    fn cpu_count(&self) -> usize;

    /// Whether its workers run at the same time as the kernel and as each other (web
    /// workers do, on as many cores as there are); the simulated host's take turns.
    fn side_by_side(&self) -> bool {
        true
    }

    /// `len` zeroed 64-bit cells of memory shared with the workers, or `None` where there
    /// is none (natively; a page that is not cross-origin isolated): shared values and
    /// arrays are then served by messages.
    fn shared_memory(&self, len: usize) -> Option<Rc<dyn Cells>> {
        let _ = len;
        None
    }
}

//! The kernel's side of the IPC objects: queues and shared values (a value, an array, a
//! manager's dict and list), all owned by the kernel and changed only by requests, one at
//! a time, so every process sees each change whole (what Python's locks around
//! `multiprocessing.Value` and a manager's server give).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use litemap::LiteMap;
use std::rc::Rc;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{self, Either, LocalBoxFuture};
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::message::Request;
use super::shared_memory::SharedMemory;
use crate::platform::Platform;

/// An answer now, or a wait for one (a `get` on an empty queue).
pub enum Served {
    /// The answer.
    Now(Result<Json>),
    /// The answer, once it comes.
    Later(LocalBoxFuture<'static, Result<Json>>),
}

#[derive(Default)]
struct QueueState {
    items: VecDeque<Json>,
    waiters: VecDeque<oneshot::Sender<Json>>,
}

enum Object {
    Queue(QueueState),
    Shared(Json),
    /// A value or array of numbers in memory shared with the workers.
    Memory(SharedMemory),
}

/// The objects, by id, each tagged with the run that made it.
#[derive(Default)]
pub struct Store {
    objects: RefCell<LiteMap<u64, (u64, Object)>>,
    next_id: Cell<u64>,
}

impl Store {
    fn insert(&self, run: u64, object: Object) -> u64 {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        self.objects.borrow_mut().insert(id, (run, object));
        id
    }

    /// A new empty queue made by `run`.
    pub fn new_queue(&self, run: u64) -> u64 {
        self.insert(run, Object::Queue(QueueState::default()))
    }

    /// A new shared value (a number, an array, a dict…) made by `run`.
    pub fn new_shared(&self, run: u64, initial: Json) -> u64 {
        self.insert(run, Object::Shared(initial))
    }

    /// A new shared value or array made by `run` in shared memory, if `allocate` gives
    /// cells for it (see [`super::shared_memory::Layout::of`]); else served by messages.
    pub fn new_shared_in(
        &self,
        run: u64,
        initial: Json,
        allocate: impl FnOnce(usize) -> Option<Rc<dyn super::shared_memory::Cells>>,
    ) -> u64 {
        let id = self.next_id.get() + 1;
        if let Some((layout, len)) = super::shared_memory::Layout::of(id, &initial) {
            if let Some(cells) = allocate(len).filter(|cells| cells.len() == len) {
                let memory = SharedMemory::new(layout, cells);
                if memory.fill(&initial).is_ok() {
                    return self.insert(run, Object::Memory(memory));
                }
            }
        }
        self.new_shared(run, initial)
    }

    /// Object `id`'s shared memory, if it lives in some.
    pub fn memory(&self, id: u64) -> Option<SharedMemory> {
        match self.objects.borrow().get(&id) {
            Some((_, Object::Memory(memory))) => Some(memory.clone()),
            _ => None,
        }
    }

    /// The objects in shared memory whose id is above `after`, oldest first.
    pub fn memory_after(&self, after: u64) -> Vec<SharedMemory> {
        self.objects
            .borrow()
            .iter()
            .filter(|(id, _)| **id > after)
            .filter_map(|(_, (_, object))| match object {
                Object::Memory(memory) => Some(memory.clone()),
                _ => None,
            })
            .collect()
    }

    /// Forgets the objects `run` made (its waiters see the queue closed).
    pub fn drop_run(&self, run: u64) {
        let gone: Vec<_> = {
            let mut objects = self.objects.borrow_mut();
            let ids: Vec<u64> = objects.iter().filter(|(_, (r, _))| *r == run).map(|(id, _)| *id).collect();
            ids.into_iter().filter_map(|id| objects.remove(&id)).collect()
        };
        drop(gone);
    }

    /// How many objects exist (for tests of cleanup).
    pub fn count(&self) -> usize {
        self.objects.borrow().len()
    }

    /// Serves an IPC request (not a file request).
    pub fn serve(self: &Rc<Self>, request: Request, platform: &Rc<dyn Platform>) -> Served {
        if let Some(memory) = request_id(&request).and_then(|id| self.memory(id)) {
            if let Some(served) = memory.serve(&request) {
                return Served::Now(served);
            }
        }
        match request {
            Request::QueuePut { id, item } => Served::Now(self.put(id, item)),
            Request::QueueGet { id, timeout_ms } => self.get(id, timeout_ms, platform),
            Request::QueueSize { id } => Served::Now(self.with_queue(id, |q| Ok(Json::from(q.items.len())))),
            Request::Load { id } => Served::Now(self.with_shared(id, |v| Ok(v.clone()))),
            Request::Store { id, key, value } => Served::Now(self.with_shared(id, |v| {
                match (v, key) {
                    (v, None) => *v = value,
                    (Json::Object(map), Some(Json::String(k))) => {
                        map.insert(k, value);
                    }
                    (v, Some(key)) => *element(v, &key)? = value,
                }
                Ok(Json::Null)
            })),
            Request::Add { id, key, delta } => Served::Now(self.with_shared(id, |v| {
                let target = match &key {
                    None => v,
                    Some(key) => element(v, key)?,
                };
                *target = add(target, &delta)?;
                Ok(target.clone())
            })),
            Request::Item { id, key } => {
                Served::Now(self.with_shared(id, |v| element(v, &key).map(|e| e.clone())))
            }
            Request::Append { id, value } => Served::Now(self.with_shared(id, |v| match v {
                Json::Array(items) => {
                    items.push(value);
                    Ok(Json::Null)
                }
                _ => Err(Error::type_error("only a list can be appended to")),
            })),
            Request::ReadFile { .. } | Request::WriteFile { .. } | Request::AppendText { .. } => {
                Served::Now(Err(Error::value("a file request reached the object store")))
            }
        }
    }

    fn with_queue(&self, id: u64, f: impl FnOnce(&mut QueueState) -> Result<Json>) -> Result<Json> {
        match self.objects.borrow_mut().get_mut(&id) {
            Some((_, Object::Queue(queue))) => f(queue),
            _ => Err(Error::value(format!("queue {id} does not exist (its cell run has ended)"))),
        }
    }

    fn with_shared(&self, id: u64, f: impl FnOnce(&mut Json) -> Result<Json>) -> Result<Json> {
        match self.objects.borrow_mut().get_mut(&id) {
            Some((_, Object::Shared(value))) => f(value),
            _ => Err(Error::value(format!("shared object {id} does not exist (its cell run has ended)"))),
        }
    }

    fn put(&self, id: u64, item: Json) -> Result<Json> {
        self.with_queue(id, |queue| {
            let mut item = item;
            // A waiter whose get timed out (or was cancelled) has dropped its receiver.
            while let Some(waiter) = queue.waiters.pop_front() {
                match waiter.send(item) {
                    Ok(()) => return Ok(Json::Null),
                    Err(back) => item = back,
                }
            }
            queue.items.push_back(item);
            Ok(Json::Null)
        })
    }

    fn get(&self, id: u64, timeout_ms: Option<f64>, platform: &Rc<dyn Platform>) -> Served {
        let receiver = {
            let mut objects = self.objects.borrow_mut();
            let Some((_, Object::Queue(queue))) = objects.get_mut(&id) else {
                return Served::Now(Err(Error::value(format!(
                    "queue {id} does not exist (its cell run has ended)"
                ))));
            };
            if let Some(item) = queue.items.pop_front() {
                return Served::Now(Ok(item));
            }
            if timeout_ms.is_some_and(|t| t <= 0.0) {
                return Served::Now(Err(empty()));
            }
            let (sender, receiver) = oneshot::channel();
            queue.waiters.push_back(sender);
            receiver
        };
        let closed = move || Error::value(format!("queue {id} was closed while a get waited"));
        match timeout_ms {
            None => Served::Later(Box::pin(async move { receiver.await.map_err(|_| closed()) })),
            Some(ms) => {
                let timer = platform.sleep(Duration::from_secs_f64(ms / 1000.0));
                Served::Later(Box::pin(async move {
                    match future::select(receiver, timer).await {
                        Either::Left((item, _)) => item.map_err(|_| closed()),
                        Either::Right(_) => Err(empty()),
                    }
                }))
            }
        }
    }
}

/// The object a shared-object request is about.
fn request_id(request: &Request) -> Option<u64> {
    match request {
        Request::Load { id }
        | Request::Store { id, .. }
        | Request::Add { id, .. }
        | Request::Item { id, .. }
        | Request::Append { id, .. } => Some(*id),
        _ => None,
    }
}

/// Python's `queue.Empty`.
fn empty() -> Error {
    Error::new("Empty", "the queue stayed empty until the timeout")
}

/// One element of an array (by index, negative from the end) or a dict (by key).
fn element<'a>(value: &'a mut Json, key: &Json) -> Result<&'a mut Json> {
    match (value, key) {
        (Json::Array(items), Json::Number(n)) => {
            let len = items.len() as i64;
            let index = n.as_i64().ok_or_else(|| Error::type_error("list indices must be integers"))?;
            let index = if index < 0 { index + len } else { index };
            usize::try_from(index)
                .ok()
                .and_then(|i| items.get_mut(i))
                .ok_or_else(|| Error::new("IndexError", "list index out of range"))
        }
        (Json::Object(map), Json::String(k)) => {
            map.get_mut(k).ok_or_else(|| Error::new("KeyError", format!("'{k}'")))
        }
        (Json::Array(_), _) => Err(Error::type_error("list indices must be integers")),
        (Json::Object(_), _) => Err(Error::type_error("dict keys must be strings")),
        _ => Err(Error::type_error("this shared value has no elements")),
    }
}

/// `a + b` for two JSON numbers: integer if both are, else floating point.
fn add(a: &Json, b: &Json) -> Result<Json> {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x
            .checked_add(y)
            .map(Json::from)
            .ok_or_else(|| Error::new("OverflowError", "the sum does not fit in 64 bits")),
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => Ok(Json::from(x + y)),
            _ => Err(Error::type_error("only numbers can be added")),
        },
    }
}

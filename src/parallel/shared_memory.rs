//! Shared values and arrays of numbers in real shared memory, where the host has some (a
//! `SharedArrayBuffer` when the page is cross-origin isolated): every process that holds
//! the handle reads and changes the same 64-bit cells with atomic operations, with no
//! message to the kernel. Elsewhere the same API is served by messages ([`super::store`]).
//!
//! Only numbers fit: a value or a non-empty array whose elements are all integers (`i64`)
//! or all floating point (`f64`, kept as its bits). `add` is a compare-and-swap loop, so an
//! integer sum that overflows fails with `OverflowError` as the message path does.
//! `to_vec` reads the elements one by one (each atomically, not the array as a whole).

use litemap::LiteMap;
use std::any::Any;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::message::Request;

/// 64-bit cells in memory shared with other processes, each changed atomically.
pub trait Cells {
    /// How many cells.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Cell `index`'s bits.
    fn load(&self, index: usize) -> i64;
    /// Sets cell `index`'s bits.
    fn store(&self, index: usize, bits: i64);
    /// Sets cell `index` to `new` if it holds `expected`; answers what it held.
    fn compare_exchange(&self, index: usize, expected: i64, new: i64) -> i64;
    /// The concrete type (a browser host finds its buffer there, to post it to a worker).
    fn as_any(&self) -> &dyn Any;
}

/// What the cells hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `i64` numbers.
    Int,
    /// `f64` numbers, as their bits.
    Float,
}

/// How a shared object lies in its cells: which object, what numbers, a value or an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// The object's id in the kernel's store.
    pub id: u64,
    /// What the cells hold.
    pub kind: Kind,
    /// A single value (`Value`) rather than an array.
    pub scalar: bool,
}

impl Layout {
    /// The layout a shared value or array with `initial` gets and how many cells, or `None`
    /// when it does not fit in shared memory (not numbers, mixed, empty, too large).
    pub fn of(id: u64, initial: &Json) -> Option<(Layout, usize)> {
        let kind_of = |n: &Json| match n {
            Json::Number(n) if n.is_i64() => Some(Kind::Int),
            Json::Number(n) if n.is_f64() => Some(Kind::Float),
            _ => None,
        };
        match initial {
            Json::Array(items) => {
                let kind = kind_of(items.first()?)?;
                items
                    .iter()
                    .all(|item| kind_of(item) == Some(kind))
                    .then_some((Layout { id, kind, scalar: false }, items.len()))
            }
            number => Some((Layout { id, kind: kind_of(number)?, scalar: true }, 1)),
        }
    }
}

/// A shared value or array in shared memory (cheap to clone).
#[derive(Clone)]
pub struct SharedMemory {
    layout: Layout,
    cells: Rc<dyn Cells>,
}

impl fmt::Debug for SharedMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedMemory({:?}, {} cells)", self.layout, self.cells.len())
    }
}

impl SharedMemory {
    /// The object `layout` describes, in `cells`.
    pub fn new(layout: Layout, cells: Rc<dyn Cells>) -> SharedMemory {
        SharedMemory { layout, cells }
    }

    /// Its layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Its cells.
    pub fn cells(&self) -> &Rc<dyn Cells> {
        &self.cells
    }

    /// Fills the cells with `initial` (a number, or an array of them, as [`Layout::of`]).
    pub(crate) fn fill(&self, initial: &Json) -> Result<()> {
        match initial {
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.cells.store(i, self.bits(item)?);
                }
                Ok(())
            }
            number => {
                self.cells.store(0, self.bits(number)?);
                Ok(())
            }
        }
    }

    fn bits(&self, value: &Json) -> Result<i64> {
        match self.layout.kind {
            Kind::Int => value.as_i64().ok_or_else(|| Error::type_error("this shared object holds integers")),
            Kind::Float => value
                .as_f64()
                .map(|x| x.to_bits() as i64)
                .ok_or_else(|| Error::type_error("this shared object holds numbers")),
        }
    }

    fn number(&self, bits: i64) -> Json {
        match self.layout.kind {
            Kind::Int => Json::from(bits),
            Kind::Float => Json::from(f64::from_bits(bits as u64)),
        }
    }

    /// The cell `key` means: none for a value, an index (negative from the end) for an array.
    fn index(&self, key: Option<&Json>) -> Result<usize> {
        match (self.layout.scalar, key) {
            (true, None) => Ok(0),
            (true, Some(_)) => Err(Error::type_error("this shared value has no elements")),
            (false, None) => Err(Error::type_error("an array is changed one element at a time")),
            (false, Some(Json::Number(n))) => {
                let len = self.cells.len() as i64;
                let index = n.as_i64().ok_or_else(|| Error::type_error("list indices must be integers"))?;
                let index = if index < 0 { index + len } else { index };
                usize::try_from(index)
                    .ok()
                    .filter(|&i| i < self.cells.len())
                    .ok_or_else(|| Error::new("IndexError", "list index out of range"))
            }
            (false, Some(_)) => Err(Error::type_error("list indices must be integers")),
        }
    }

    /// Adds `delta` to cell `index` atomically; answers the new bits.
    fn add(&self, index: usize, delta: &Json) -> Result<i64> {
        let mut current = self.cells.load(index);
        loop {
            let new = match self.layout.kind {
                Kind::Int => {
                    let delta =
                        delta.as_i64().ok_or_else(|| Error::type_error("only integers can be added"))?;
                    current
                        .checked_add(delta)
                        .ok_or_else(|| Error::new("OverflowError", "the sum does not fit in 64 bits"))?
                }
                Kind::Float => {
                    let delta =
                        delta.as_f64().ok_or_else(|| Error::type_error("only numbers can be added"))?;
                    (f64::from_bits(current as u64) + delta).to_bits() as i64
                }
            };
            let seen = self.cells.compare_exchange(index, current, new);
            if seen == current {
                return Ok(new);
            }
            current = seen;
        }
    }

    /// Serves a shared-object request on the memory itself, or `None` if it is not one
    /// (the caller sends it to the kernel).
    pub fn serve(&self, request: &Request) -> Option<Result<Json>> {
        Some(match request {
            Request::Load { .. } if self.layout.scalar => Ok(self.number(self.cells.load(0))),
            Request::Load { .. } => {
                Ok(Json::Array((0..self.cells.len()).map(|i| self.number(self.cells.load(i))).collect()))
            }
            Request::Item { key, .. } => self.index(Some(key)).map(|i| self.number(self.cells.load(i))),
            Request::Store { key, value, .. } => self.index(key.as_ref()).and_then(|i| {
                self.cells.store(i, self.bits(value)?);
                Ok(Json::Null)
            }),
            Request::Add { key, delta, .. } => {
                self.index(key.as_ref()).and_then(|i| self.add(i, delta)).map(|bits| self.number(bits))
            }
            Request::Append { .. } => Err(Error::type_error("only a list can be appended to")),
            _ => return None,
        })
    }
}

thread_local! {
    /// The shared objects this worker process was given with the kernel's messages.
    static RECEIVED: RefCell<LiteMap<u64, SharedMemory>> = const { RefCell::new(LiteMap::new()) };
}

/// Keeps `memory`, received from the kernel, for the handles this process decodes (a
/// worker's glue calls it before it hands on the message that came with the memory).
pub fn receive_memory(memory: SharedMemory) {
    RECEIVED.with(|r| r.borrow_mut().insert(memory.layout.id, memory));
}

/// The shared memory this process received for object `id`, if any.
pub(crate) fn received(id: u64) -> Option<SharedMemory> {
    RECEIVED.with(|r| r.borrow().get(&id).cloned())
}

//! Inter-process communication, Python's `Queue`, `Pipe`, `Value`, `Array` and a manager's
//! `dict` and `list`. Every object lives in the kernel ([`super::store`]); a handle is its
//! id plus a way to the kernel, so the same handle works in a cell (a direct call) and,
//! passed as a task's argument, in a worker (a request and its reply). Values travel as
//! JSON, so any serde type fits.
//!
//! A shared value or array of numbers made where the host has shared memory (a page that
//! is cross-origin isolated) lives in that memory instead ([`super::shared_memory`]): its
//! handle carries the memory and serves `get`, `set` and `add` with atomic operations, in
//! the kernel and in every worker it reaches, with no message.

use std::fmt;
use std::marker::PhantomData;
use std::rc::Rc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::link::{call, current_link, Link};
use super::message::Request;
use super::shared_memory::SharedMemory;

/// An object's id and the way to the kernel (and its shared memory, if it lives in some);
/// serialized as the id alone.
#[derive(Clone)]
pub(crate) struct Handle {
    id: u64,
    link: Option<Rc<dyn Link>>,
    memory: Option<SharedMemory>,
}

impl Handle {
    pub(crate) fn new(id: u64, link: Rc<dyn Link>) -> Handle {
        Handle { id, memory: link.memory(id), link: Some(link) }
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.id)
    }
}

impl Serialize for Handle {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        self.id.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Handle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Handle, D::Error> {
        let id = u64::deserialize(deserializer)?;
        let link = current_link();
        let memory = link.as_ref().and_then(|link| link.memory(id));
        Ok(Handle { id, link, memory })
    }
}

fn encode<T: Serialize>(value: &T) -> Result<Json> {
    serde_json::to_value(value).map_err(Error::from)
}

fn decode<T: DeserializeOwned>(value: Json) -> Result<T> {
    serde_json::from_value(value).map_err(Error::from)
}

/// Declares a typed handle over [`Handle`]: serialized as `{"<tag>": id}`.
macro_rules! handle_type {
    ($(#[$doc:meta])* $name:ident, $tag:literal) => {
        $(#[$doc])*
        #[derive(Serialize, Deserialize)]
        #[serde(bound = "")]
        pub struct $name<T> {
            #[serde(rename = $tag)]
            handle: Handle,
            #[serde(skip)]
            kind: PhantomData<fn() -> T>,
        }

        impl<T> $name<T> {
            pub(crate) fn new(handle: Handle) -> Self {
                $name { handle, kind: PhantomData }
            }

            /// The kernel's id of the object (what the handle is serialized as).
            pub fn id(&self) -> u64 {
                self.handle.id
            }

            async fn call(&self, request: Request) -> Result<Json> {
                if let Some(served) = self.handle.memory.as_ref().and_then(|m| m.serve(&request)) {
                    return served;
                }
                call(&self.handle.link, $tag, request).await
            }
        }

        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                $name::new(self.handle.clone())
            }
        }

        impl<T> fmt::Debug for $name<T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($tag, "{:?}"), self.handle)
            }
        }
    };
}

handle_type!(
    /// A FIFO queue of `T` shared by the kernel and its processes (`multiprocessing.Queue`).
    Queue,
    "queue"
);
handle_type!(
    /// A shared value (`multiprocessing.Value`), changed whole, one request at a time.
    Value,
    "value"
);
handle_type!(
    /// A shared fixed-length array (`multiprocessing.Array`).
    Array,
    "array"
);
handle_type!(
    /// A shared dict with string keys (`Manager().dict()`).
    Dict,
    "dict"
);
handle_type!(
    /// A shared list (`Manager().list()`).
    List,
    "list"
);

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// Puts `item` at the back.
    pub async fn put(&self, item: T) -> Result<()> {
        let id = self.handle.id;
        self.call(Request::QueuePut { id, item: encode(&item)? }).await.map(drop)
    }

    /// Takes the item at the front, waiting as long as the queue is empty.
    pub async fn get(&self) -> Result<T> {
        decode(self.call(Request::QueueGet { id: self.handle.id, timeout_ms: None }).await?)
    }

    /// Takes the item at the front, or fails with `Empty` after `timeout`.
    pub async fn get_timeout(&self, timeout: Duration) -> Result<T> {
        let timeout_ms = Some(timeout.as_secs_f64() * 1000.0);
        decode(self.call(Request::QueueGet { id: self.handle.id, timeout_ms }).await?)
    }

    /// How many items wait in the queue.
    pub async fn qsize(&self) -> Result<usize> {
        decode(self.call(Request::QueueSize { id: self.handle.id }).await?)
    }
}

impl<T> Value<T> {
    /// Whether it lives in shared memory (changed with atomics) rather than in the
    /// kernel's store (changed by messages).
    pub fn in_shared_memory(&self) -> bool {
        self.handle.memory.is_some()
    }
}

impl<T> Array<T> {
    /// Whether it lives in shared memory (changed with atomics) rather than in the
    /// kernel's store (changed by messages).
    pub fn in_shared_memory(&self) -> bool {
        self.handle.memory.is_some()
    }
}

impl<T: Serialize + DeserializeOwned> Value<T> {
    /// The current value.
    pub async fn get(&self) -> Result<T> {
        decode(self.call(Request::Load { id: self.handle.id }).await?)
    }

    /// Replaces the value.
    pub async fn set(&self, value: T) -> Result<()> {
        let id = self.handle.id;
        self.call(Request::Store { id, key: None, value: encode(&value)? }).await.map(drop)
    }

    /// Adds `delta` (a number) in one step, as `with v.get_lock(): v.value += delta` does,
    /// and answers the new value.
    pub async fn add(&self, delta: T) -> Result<T> {
        let id = self.handle.id;
        decode(self.call(Request::Add { id, key: None, delta: encode(&delta)? }).await?)
    }
}

impl<T: Serialize + DeserializeOwned> Array<T> {
    /// Element `index` (negative counts from the end).
    pub async fn get(&self, index: i64) -> Result<T> {
        decode(self.call(Request::Item { id: self.handle.id, key: Json::from(index) }).await?)
    }

    /// Replaces element `index`.
    pub async fn set(&self, index: i64, value: T) -> Result<()> {
        let (id, key) = (self.handle.id, Some(Json::from(index)));
        self.call(Request::Store { id, key, value: encode(&value)? }).await.map(drop)
    }

    /// Adds `delta` to element `index` in one step; answers its new value.
    pub async fn add(&self, index: i64, delta: T) -> Result<T> {
        let (id, key) = (self.handle.id, Some(Json::from(index)));
        decode(self.call(Request::Add { id, key, delta: encode(&delta)? }).await?)
    }

    /// All elements (`arr[:]`).
    pub async fn to_vec(&self) -> Result<Vec<T>> {
        decode(self.call(Request::Load { id: self.handle.id }).await?)
    }
}

impl<T: Serialize + DeserializeOwned> Dict<T> {
    /// The value at `key` (`KeyError` if none).
    pub async fn get(&self, key: &str) -> Result<T> {
        decode(self.call(Request::Item { id: self.handle.id, key: Json::from(key) }).await?)
    }

    /// Sets `key` to `value`.
    pub async fn set(&self, key: &str, value: T) -> Result<()> {
        let (id, key) = (self.handle.id, Some(Json::from(key)));
        self.call(Request::Store { id, key, value: encode(&value)? }).await.map(drop)
    }

    /// Every key and value, keys sorted.
    pub async fn items(&self) -> Result<Vec<(String, T)>> {
        // Decoded through the JSON object (its map keeps keys sorted), so no map type per `T`.
        match decode(self.call(Request::Load { id: self.handle.id }).await?)? {
            Json::Object(all) => {
                all.into_iter().map(|(key, value)| Ok((key, serde_json::from_value(value)?))).collect()
            }
            other => Err(Error::new("TypeError", format!("a dict was expected, not {other}"))),
        }
    }
}

impl<T: Serialize + DeserializeOwned> List<T> {
    /// Appends `value`.
    pub async fn append(&self, value: T) -> Result<()> {
        self.call(Request::Append { id: self.handle.id, value: encode(&value)? }).await.map(drop)
    }

    /// Element `index` (negative counts from the end).
    pub async fn get(&self, index: i64) -> Result<T> {
        decode(self.call(Request::Item { id: self.handle.id, key: Json::from(index) }).await?)
    }

    /// All elements.
    pub async fn to_vec(&self) -> Result<Vec<T>> {
        decode(self.call(Request::Load { id: self.handle.id }).await?)
    }
}

/// One end of a duplex pipe (`multiprocessing.Pipe()`): what one end sends, the other
/// receives, in order.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Connection<T> {
    send: Queue<T>,
    recv: Queue<T>,
}

impl<T> Clone for Connection<T> {
    fn clone(&self) -> Self {
        Connection { send: self.send.clone(), recv: self.recv.clone() }
    }
}

impl<T> fmt::Debug for Connection<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "connection(send {:?}, recv {:?})", self.send, self.recv)
    }
}

impl<T: Serialize + DeserializeOwned> Connection<T> {
    /// The two ends over two queues.
    pub(crate) fn pair(a: Queue<T>, b: Queue<T>) -> (Connection<T>, Connection<T>) {
        (Connection { send: a.clone(), recv: b.clone() }, Connection { send: b, recv: a })
    }

    /// Sends `value` to the other end.
    pub async fn send(&self, value: T) -> Result<()> {
        self.send.put(value).await
    }

    /// Receives the next value from the other end, waiting for one.
    pub async fn recv(&self) -> Result<T> {
        self.recv.get().await
    }

    /// Receives the next value, or fails with `Empty` after `timeout`.
    pub async fn recv_timeout(&self, timeout: Duration) -> Result<T> {
        self.recv.get_timeout(timeout).await
    }
}

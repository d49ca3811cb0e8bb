//! Shared values and arrays in a `SharedArrayBuffer` (the page is cross-origin isolated):
//! the cells are a `BigInt64Array` over it, changed with `Atomics`. The buffer reaches a
//! worker process alongside the kernel's JSON text: such a message is posted as
//! `{text, memory: [{layout, buffer}]}` (the layout as JSON text), one with a file's bytes
//! as `{text, bytes}` (an `ArrayBuffer`, transferred), any other as the text alone, so the
//! JSON protocol is unchanged.

use std::any::Any;
use std::rc::Rc;

use js_sys::{Array, BigInt64Array, Object, Reflect, SharedArrayBuffer};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::global_value;
use crate::notebook::StopFlag;
use crate::parallel::{receive_memory, Cells, Layout, Packet, SharedMemory};

/// Whether this page or worker is cross-origin isolated (a `SharedArrayBuffer` can be
/// made and posted to workers).
pub fn cross_origin_isolated() -> bool {
    global_value("crossOriginIsolated").is_truthy()
}

/// Whether `SharedArrayBuffer` exists here at all.
fn shared_array_buffer_exists() -> bool {
    global_value("SharedArrayBuffer").is_function()
}

/// Cells in a `SharedArrayBuffer`.
pub struct BufferCells {
    buffer: SharedArrayBuffer,
    array: BigInt64Array,
}

impl BufferCells {
    /// `len` zeroed cells in a new buffer, or `None` if one cannot be made here.
    pub fn new(len: usize) -> Option<BufferCells> {
        if !shared_array_buffer_exists() {
            return None;
        }
        let bytes = u32::try_from(len.checked_mul(8)?).ok()?;
        Some(BufferCells::over(SharedArrayBuffer::new(bytes)))
    }

    pub fn over(buffer: SharedArrayBuffer) -> BufferCells {
        let array = BigInt64Array::new(&buffer);
        BufferCells { buffer, array }
    }
}

// `Atomics` on a BigInt64Array, bound here with a number index (js-sys 0.3.107's
// `load_bigint` passes its index as a BigInt, which `Atomics.load` rejects). At an index
// below the array's length they do not throw.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Atomics, js_name = load)]
    fn atomics_load(array: &BigInt64Array, index: u32) -> i64;
    #[wasm_bindgen(js_namespace = Atomics, js_name = store)]
    fn atomics_store(array: &BigInt64Array, index: u32, value: i64) -> i64;
    #[wasm_bindgen(js_namespace = Atomics, js_name = compareExchange)]
    fn atomics_compare_exchange(array: &BigInt64Array, index: u32, expected: i64, new: i64) -> i64;
}

impl Cells for BufferCells {
    fn len(&self) -> usize {
        self.array.length() as usize
    }

    fn load(&self, index: usize) -> i64 {
        atomics_load(&self.array, index as u32)
    }

    fn store(&self, index: usize, bits: i64) {
        atomics_store(&self.array, index as u32, bits);
    }

    fn compare_exchange(&self, index: usize, expected: i64, new: i64) -> i64 {
        atomics_compare_exchange(&self.array, index as u32, expected, new)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Cell 0 as the flag the page raises on Stop (see `notebook::StopFlag`): the page and
/// the kernel's worker each hold an array over the same buffer.
impl StopFlag for BufferCells {
    fn is_raised(&self) -> bool {
        self.load(0) != 0
    }

    fn lower(&self) {
        self.store(0, 0);
    }
}

impl BufferCells {
    /// The buffer under the cells, to post to a worker.
    pub fn buffer(&self) -> &SharedArrayBuffer {
        &self.buffer
    }
}

/// The message to post, and its transfer list: the text alone, or the text with the
/// buffers of `memory` and the packet's bytes (copied out of the module, transferred).
pub fn outgoing(packet: Packet, memory: &[SharedMemory]) -> (JsValue, Array) {
    let Packet { text, bytes } = packet;
    let transfer = Array::new();
    let parts: Vec<(String, &BufferCells)> = memory
        .iter()
        .filter_map(|m| {
            let cells = m.cells().as_any().downcast_ref::<BufferCells>()?;
            Some((crate::json::to_string(&m.layout()), cells))
        })
        .collect();
    if parts.is_empty() && bytes.is_none() {
        return (JsValue::from_str(&text), transfer);
    }
    let message = Object::new();
    let _ = Reflect::set(&message, &"text".into(), &text.into());
    if !parts.is_empty() {
        let list = Array::new();
        for (layout, cells) in parts {
            let entry = Object::new();
            let _ = Reflect::set(&entry, &"layout".into(), &layout.into());
            let _ = Reflect::set(&entry, &"buffer".into(), &cells.buffer);
            list.push(&entry);
        }
        let _ = Reflect::set(&message, &"memory".into(), &list);
    }
    if let Some(bytes) = bytes {
        let buffer = super::wire::to_buffer(&bytes);
        let _ = Reflect::set(&message, &"bytes".into(), &buffer);
        transfer.push(&buffer);
    }
    (message.into(), transfer)
}

/// The text and bytes of a message from the other side, keeping the shared memory that
/// came with it first (so the handles the text carries find it).
pub fn incoming(data: &JsValue) -> Option<Packet> {
    if let Some(text) = data.as_string() {
        return Some(text.into());
    }
    let memory = Reflect::get(data, &"memory".into()).ok().filter(|m| m.is_object());
    for entry in memory.map(|m| Array::from(&m).to_vec()).unwrap_or_default() {
        let layout = Reflect::get(&entry, &"layout".into()).ok().and_then(|l| l.as_string());
        let layout = layout.and_then(|l| crate::json::read::<Layout>(&l).ok());
        let buffer = Reflect::get(&entry, &"buffer".into()).ok().and_then(|b| b.dyn_into().ok());
        if let (Some(layout), Some(buffer)) = (layout, buffer) {
            receive_memory(SharedMemory::new(layout, Rc::new(BufferCells::over(buffer))));
        }
    }
    let text = Reflect::get(data, &"text".into()).ok().and_then(|t| t.as_string())?;
    let bytes =
        Reflect::get(data, &"bytes".into()).ok().and_then(|b| b.dyn_into::<js_sys::ArrayBuffer>().ok());
    Some(Packet { text, bytes: bytes.map(|b| super::wire::to_bytes(&b)) })
}

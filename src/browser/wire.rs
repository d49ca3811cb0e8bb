//! A protocol message as `postMessage` carries it between the page and the kernel: its JSON
//! text alone, or, when binary parts go with it, an array of the text and its
//! `ArrayBuffer`s, which are transferred (moved to the other side, not copied). A file of
//! 50 MiB thus crosses as 50 MiB, not as 67 MiB of base64 text copied at every step.

use js_sys::{Array, ArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use crate::notebook::protocol::Buffer;

/// What to post for `json` with `buffers`, and the transfer list that moves the buffers.
pub fn outgoing(json: &str, buffers: &[ArrayBuffer]) -> (JsValue, Array) {
    let transfer = Array::new();
    if buffers.is_empty() {
        return (JsValue::from_str(json), transfer);
    }
    let parts = Array::of1(&JsValue::from_str(json));
    for buffer in buffers {
        parts.push(buffer);
        transfer.push(buffer);
    }
    (parts.into(), transfer)
}

/// The JSON text and the buffers of a posted message; `None` when it has neither shape.
pub fn incoming(data: &JsValue) -> Option<(String, Vec<ArrayBuffer>)> {
    if let Some(text) = data.as_string() {
        return Some((text, Vec::new()));
    }
    let parts: &Array = data.dyn_ref()?;
    let text = parts.get(0).as_string()?;
    let buffers = parts.iter().skip(1).map(|part| part.dyn_into::<ArrayBuffer>().ok());
    Some((text, buffers.collect::<Option<Vec<_>>>()?))
}

/// A copy of `bytes` outside this module's memory, to transfer.
pub fn to_buffer(bytes: &[u8]) -> ArrayBuffer {
    Uint8Array::from(bytes).buffer()
}

/// A copy of `buffer` in this module's memory.
pub fn to_bytes(buffer: &ArrayBuffer) -> Vec<u8> {
    Uint8Array::new(buffer).to_vec()
}

/// The kernel copies an upload from the buffer it arrived in, a piece at a time.
impl Buffer for ArrayBuffer {
    fn byte_len(&self) -> usize {
        self.byte_length() as usize
    }

    fn copy_out(&self, at: usize, out: &mut [u8]) {
        Uint8Array::new_with_byte_offset_and_length(self, at as u32, out.len() as u32).copy_to(out);
    }
}

//! JSON with less code in the module. The messages between the page, the kernel and the
//! worker processes are read and written by hand ([`Reader`], [`Writer`], and the
//! [`ToJson`] and [`FromJson`] each message type has from [`json_struct!`],
//! [`json_enum!`] or [`json_names!`]): serde's derives compile every type with its own visitors and
//! serializer states, once per serde_json reader and writer, which cost the page's module
//! over 100 KB, and serde_json's own reader of JSON text as well. The JSON is the same as
//! serde's derives read and write (the types keep their derives, and tests compare the
//! two), except that a struct is read from a JSON object only, never from an array.
//!
//! - `read.rs`: [`Reader`], a pull reader of JSON text.
//! - `write.rs`: [`Writer`], JSON text written as serde_json writes it.
//! - `codec.rs`: [`ToJson`], [`FromJson`], their implementations for std types, the macros.

mod codec;
mod read;
mod write;

pub use crate::{json_enum, json_names, json_struct};
pub use codec::{from_str as read, read_field, take_field, to_string, FromJson, ToJson};
pub use read::{unknown_variant, Error, Number, Reader, Result};
pub use write::Writer;

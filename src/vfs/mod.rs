//! The virtual file system: an in-memory tree of directories and files, opened with
//! Python's `open` modes and buffering, in Python's three layers (raw, buffered, text),
//! raising errors named after Python's. CPython's `io` module is the reference.
//!
//! - `path`, `mode`: parsing paths and `open` modes.
//! - `tree`: directories, inodes, the open-file table, the quota and the dirty flags. Only
//!   the tree changes them, through operations that keep `used`, the flags and the change
//!   notice together (`tree/contents.rs`: bytes and handles; `tree/saving.rs`).
//! - `changes`: the hub whose subscribers (storage, the kernel's file watch) hear of changes,
//!   once per burst.
//! - `raw` (FileIO, counted raw calls), `buffered` (BufferedReader/Writer/Random), `text`
//!   (TextIOWrapper), all behind the `layer` trait, whose default methods are the
//!   "unsupported" and "detached" answers; `file`, the façade `open` returns, calls it once
//!   (`any_layer`: a buffered layer known as one, for its inlined hot paths).
//! - `bytes`: what a binary read returns, short runs held without allocating; `copy`:
//!   copies of a few bytes as words.
//! - `fs`: `open` and the `os` operations; `error`: Python-named errors; `counters`:
//!   raw-call counts.
//! - `persist`: what the shared store holds (a record per path, contents beside it) and a
//!   tree rebuilt from it; `replica`: one tab's agreement with that store, path by path
//!   (what to save, what to take from another tab, which files changed under this one).

mod any_layer;
mod buffered;
mod bytes;
mod changes;
mod copy;
mod counters;
mod error;
mod file;
mod fs;
mod layer;
mod mode;
mod path;
mod persist;
mod raw;
mod replica;
mod text;
mod tree;

pub use bytes::Bytes;
pub use changes::Subscription;
pub use counters::IoCounts;
pub use error::{ErrorKind, IoError, IoResult};
pub use file::{File, Lines};
pub use fs::{FileSystem, OpenFile, Stat, DEFAULT_BUFFER_SIZE};
pub use layer::FileKind;
pub use mode::{Access, Mode};
pub use path::{absolute, names_directory, parent, NAME_MAX, PATH_MAX};
pub use persist::{NodeKind, StoredEntry, StoredNode};
pub use replica::{Outgoing, Put, Replica, Wanted};
pub use text::{Newline, CHUNK_SIZE};
pub use tree::{OpenEntry, DEFAULT_QUOTA, HOME, STARTING_FILES};

//! What persistence stores: one record per path (metadata) and one blob per file's
//! contents, keyed by inode. A save writes the whole list of records, the changed blobs,
//! and removes blobs no record names, in one storage transaction, so a reload sees either
//! the state before a save or the state after it, never a mix.

use serde::{Deserialize, Serialize};

/// Whether a record is a directory or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A directory.
    Dir,
    /// A regular file.
    File,
}

/// One path of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeRecord {
    /// Absolute path.
    pub path: String,
    /// Directory or file.
    pub kind: NodeKind,
    /// For files: the key of the contents blob.
    pub inode: Option<u64>,
    /// For files: the read-only flag.
    #[serde(default)]
    pub read_only: bool,
    /// Last modification, ms since 1970.
    pub mtime_ms: f64,
}

/// Everything one save writes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SaveSet {
    /// Every path, in order.
    pub records: Vec<NodeRecord>,
    /// Contents that changed since the last save, by inode.
    pub blobs: litemap::LiteMap<u64, Vec<u8>>,
    /// Every inode the records name (blobs outside this set are stale).
    pub live: litemap::LiteMap<u64, ()>,
}

//! What the shared store holds: one record per path (its kind, flags, time and the number
//! of the save that wrote it) and, beside each file's record, its contents. Records are
//! keyed by path, not by inode, so tabs that share the store (each with a tree of its own)
//! write only the paths they changed and never each other's.
//!
//! A tree is rebuilt from the store here ([`restore`]); what to save and what to take from
//! another tab is `replica`'s business, and the store itself is the browser's
//! (`browser::storage`).

use super::path::absolute;
use super::tree::{Restored, Tree};

/// Whether a record is a directory or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A directory.
    Dir,
    /// A regular file.
    File,
}

/// One path as the store keeps it (the path is the key; a file's contents sit beside it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredNode {
    /// Directory or file.
    pub kind: NodeKind,
    /// For files: the read-only flag.
    pub read_only: bool,
    /// Last modification, ms since 1970.
    pub mtime_ms: f64,
    /// The number of the save that wrote it: saves are numbered in the order the store
    /// committed them, so a higher number is a later write.
    pub seq: u64,
}

/// One path read from the store: its record and, for a file, its contents (`None` when
/// they are missing, which only a damaged store can hold).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEntry {
    /// Absolute path.
    pub path: String,
    /// Its record.
    pub node: StoredNode,
    /// A file's contents.
    pub data: Option<Vec<u8>>,
}

/// A tree rebuilt from stored entries: a file whose contents are missing, or a path that
/// is not absolute and normalised, is left out rather than failing the whole restore; a
/// missing parent directory is made (another tab may have removed it while this one
/// wrote inside: the file is kept).
pub(super) fn restore(entries: Vec<StoredEntry>, quota: u64) -> Tree {
    let nodes = entries.into_iter().filter_map(|entry| {
        if absolute("/", &entry.path).ok()? != entry.path {
            return None;
        }
        let node = match entry.node.kind {
            NodeKind::Dir => Restored::Dir { mtime_ms: entry.node.mtime_ms },
            NodeKind::File => Restored::File {
                data: entry.data?,
                read_only: entry.node.read_only,
                mtime_ms: entry.node.mtime_ms,
            },
        };
        Some((entry.path, node))
    });
    Tree::restored(quota, nodes)
}

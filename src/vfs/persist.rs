//! What persistence stores: one record per path (metadata) and one blob per file's
//! contents, keyed by inode. A save writes the whole list of records, the changed blobs,
//! and removes blobs no record names, in one storage transaction, so a reload sees either
//! the state before a save or the state after it, never a mix.
//!
//! Here a save is built from the tree's change flags ([`take_changes`]) and a tree is
//! rebuilt from one ([`restore`]); the storage itself is the browser's
//! (`browser::storage`).

use serde::{Deserialize, Serialize};

use super::path::absolute;
use super::tree::{Node, Restored, Tree};

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

/// What changed in `tree` since the last call, for a save: every record, and the
/// contents of the files that changed; `None` when nothing did.
pub(super) fn take_changes(tree: &mut Tree) -> Option<SaveSet> {
    let mut set = SaveSet::default();
    let any = tree.take_changes(|path, node, changed| {
        let record = match node {
            Node::Dir { mtime_ms } => NodeRecord {
                path: path.to_string(),
                kind: NodeKind::Dir,
                inode: None,
                read_only: false,
                mtime_ms: *mtime_ms,
            },
            Node::File(inode) => {
                let inode = inode.borrow();
                set.live.insert(inode.id(), ());
                if changed {
                    set.blobs.insert(inode.id(), inode.data().to_vec());
                }
                NodeRecord {
                    path: path.to_string(),
                    kind: NodeKind::File,
                    inode: Some(inode.id()),
                    read_only: inode.read_only(),
                    mtime_ms: inode.mtime_ms(),
                }
            }
        };
        set.records.push(record);
    });
    any.then_some(set)
}

/// A tree rebuilt from saved records and blobs; records with no blob, or whose parent is
/// missing, are left out rather than failing the whole restore.
pub(super) fn restore(records: &[NodeRecord], blobs: &litemap::LiteMap<u64, Vec<u8>>, quota: u64) -> Tree {
    let mut sorted: Vec<&NodeRecord> = records.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let nodes = sorted.into_iter().filter_map(|record| {
        let abs = absolute("/", &record.path).ok()?;
        let node = match record.kind {
            NodeKind::Dir => Restored::Dir { mtime_ms: record.mtime_ms },
            NodeKind::File => {
                let id = record.inode?;
                let data = blobs.get(&id)?.clone();
                Restored::File { id, data, read_only: record.read_only, mtime_ms: record.mtime_ms }
            }
        };
        Some((abs, node))
    });
    Tree::restored(quota, nodes)
}

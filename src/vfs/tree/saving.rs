//! What persistence reads from the tree and how a save is put back: the change flags
//! are taken (and cleared) here, in one place, and a restored tree is built node by
//! node, keeping the tree's invariants however damaged the save is. What a save holds
//! is `persist`'s business.

use super::{Node, Tree, HOME};
use crate::vfs::path::parent;

impl Tree {
    /// Calls `each` with every path in order, its node and whether that node's contents
    /// changed since the last call (always `false` for a directory), and clears the
    /// change flags; returns whether anything changed at all.
    pub fn take_changes(&mut self, mut each: impl FnMut(&str, &Node, bool)) -> bool {
        let mut any = std::mem::take(&mut self.structure_dirty);
        for (path, node) in &self.nodes {
            let changed = match node {
                Node::Dir { .. } => false,
                Node::File(inode) => std::mem::take(&mut inode.borrow_mut().dirty),
            };
            any |= changed;
            each(path, node, changed);
        }
        any
    }

    /// Marks every path and file changed, so the next [`Tree::take_changes`] carries them
    /// all (after a save failed, or to fill a new store). Nothing changed for the
    /// subscribers: the files are the same.
    pub fn mark_all_changed(&mut self) {
        self.structure_dirty = true;
        for node in self.nodes.values() {
            if let Node::File(inode) = node {
                inode.borrow_mut().dirty = true;
            }
        }
    }

    /// A tree rebuilt from a save's nodes, given in path order with absolute, normalised
    /// paths; nothing it holds counts as changed. A node whose parent is not a directory
    /// is left out (so is one replacing a directory that holds anything), and a path named
    /// twice keeps its last node. It starts in [`HOME`] if the save has it, else at `/`.
    pub fn restored(quota: u64, nodes: impl IntoIterator<Item = (String, Restored)>) -> Tree {
        let mut tree = Tree::root_only(quota);
        for (abs, node) in nodes {
            if abs == "/" || !tree.is_dir(parent(&abs)) || tree.has_children(&abs) {
                continue;
            }
            let node = match node {
                Restored::Dir { mtime_ms } => Node::Dir { mtime_ms },
                Restored::File { id, data, read_only, mtime_ms } => {
                    let inode = tree.new_inode_with_id(id, data);
                    {
                        let mut inode = inode.borrow_mut();
                        inode.read_only = read_only;
                        inode.mtime_ms = mtime_ms;
                        inode.dirty = false;
                    }
                    Node::File(inode)
                }
            };
            if let Some(Node::File(replaced)) = tree.nodes.insert(abs, node) {
                tree.unlink(&replaced);
            }
        }
        if tree.is_dir(HOME) {
            tree.cwd = HOME.to_string();
        }
        tree.structure_dirty = false;
        tree
    }
}

/// One node of a save, to restore.
pub enum Restored {
    /// A directory.
    Dir {
        /// Its time, in ms since 1970.
        mtime_ms: f64,
    },
    /// A file: its inode number and contents as saved.
    File {
        /// The inode number (later files get higher ones).
        id: u64,
        /// The contents.
        data: Vec<u8>,
        /// Whether writes are refused.
        read_only: bool,
        /// Last modification, in ms since 1970.
        mtime_ms: f64,
    },
}

//! What persistence reads from the tree and how saved nodes are put back: the change
//! flags are taken (and cleared) here, in one place; a restored tree is built node by
//! node, and another tab's changes are put in place, keeping the tree's invariants
//! however damaged the store is. What the store holds is `persist`'s business, what to
//! save or take `replica`'s.

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

    /// A tree rebuilt from a save's nodes, with absolute, normalised paths, in any order;
    /// nothing it holds counts as changed. A missing parent directory is made; a node
    /// under a file, or replacing a directory that holds anything, is left out, and a path
    /// named twice keeps its last node. It starts in [`HOME`] if the save has it,
    /// else at `/`.
    pub fn restored(quota: u64, nodes: impl IntoIterator<Item = (String, Restored)>) -> Tree {
        let mut tree = Tree::root_only(quota);
        for (abs, node) in nodes {
            tree.place(&abs, node);
        }
        if tree.is_dir(HOME) {
            tree.cwd = HOME.to_string();
        }
        tree.structure_dirty = false;
        tree
    }

    /// Puts a node another tab saved at `abs`, as it was saved, replacing what is there;
    /// nothing it does counts as this tab's change (it is in the store already), but the
    /// subscribers hear of it. Answers `None`, changing nothing, where it cannot go (under
    /// a file, or over a directory that holds anything), else whether it replaced a file
    /// whose contents were different.
    pub fn put_synced(&mut self, abs: &str, node: Restored) -> Option<bool> {
        let replaced = self.place(abs, node)?;
        self.changes.notify();
        Some(replaced)
    }

    /// Removes the file or empty directory `abs` because another tab removed it; as with
    /// [`Tree::put_synced`], it is no change of this tab's. Answers `None`, changing
    /// nothing, for `/` or a directory that holds anything, else whether a file went.
    pub fn remove_synced(&mut self, abs: &str) -> Option<bool> {
        if abs == "/" || self.has_children(abs) {
            return None;
        }
        let was_file = match self.nodes.remove(abs) {
            Some(Node::File(inode)) => {
                self.unlink(&inode);
                true
            }
            Some(Node::Dir { .. }) => {
                self.cwd_removed |= self.cwd == abs;
                false
            }
            None => return Some(false),
        };
        self.changes.notify();
        Some(was_file)
    }

    /// Puts `node` at `abs` (see [`Tree::put_synced`]), making missing parents, without
    /// marking anything changed or telling anyone.
    fn place(&mut self, abs: &str, node: Restored) -> Option<bool> {
        if abs == "/" || abs.is_empty() || !abs.starts_with('/') {
            return None;
        }
        let mut missing = Vec::new();
        let mut up = parent(abs);
        loop {
            match self.nodes.get(up) {
                Some(Node::Dir { .. }) => break,
                Some(Node::File(_)) => return None,
                None => {
                    missing.push(up.to_string());
                    up = parent(up);
                }
            }
        }
        if matches!(node, Restored::File { .. }) && self.is_dir(abs) && self.has_children(abs) {
            return None;
        }
        let mtime_ms = match &node {
            Restored::Dir { mtime_ms } | Restored::File { mtime_ms, .. } => *mtime_ms,
        };
        for dir in missing.into_iter().rev() {
            self.nodes.insert(dir, Node::Dir { mtime_ms });
        }
        let node = match node {
            Restored::Dir { mtime_ms } => Node::Dir { mtime_ms },
            Restored::File { data, read_only, mtime_ms } => {
                let inode = self.new_inode(data);
                {
                    let mut inode = inode.borrow_mut();
                    inode.read_only = read_only;
                    inode.mtime_ms = mtime_ms;
                    inode.dirty = false;
                }
                Node::File(inode)
            }
        };
        let differed = match (self.nodes.get(abs), &node) {
            (Some(Node::File(old)), Node::File(new)) => old.borrow().data != new.borrow().data,
            (Some(Node::File(_)), Node::Dir { .. }) => true,
            _ => false,
        };
        if let Some(Node::File(replaced)) = self.nodes.insert(abs.to_string(), node) {
            self.unlink(&replaced);
        }
        Some(differed)
    }
}

/// One node of a save, to restore.
pub enum Restored {
    /// A directory.
    Dir {
        /// Its time, in ms since 1970.
        mtime_ms: f64,
    },
    /// A file: its contents as saved.
    File {
        /// The contents.
        data: Vec<u8>,
        /// Whether writes are refused.
        read_only: bool,
        /// Last modification, in ms since 1970.
        mtime_ms: f64,
    },
}

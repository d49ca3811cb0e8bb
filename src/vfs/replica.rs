//! One tab's tree as a replica of the shared store: what it last agreed with the store on,
//! path by path, so that it saves only the paths it changed and takes in only the paths
//! another tab changed. Two tabs writing different files thus both keep theirs; two tabs
//! writing the same file end with the last complete write (the store numbers its saves),
//! and the tab whose write lost is told which files changed under it.
//!
//! The rules, for every path:
//! - a path is *pending* when this tab changed it (made, wrote, renamed, removed, flagged)
//!   since it last saved it or took it from the store; pending paths go into the next
//!   save, whole (a file with its contents), in one transaction;
//! - another tab's version of a path is taken only when this tab has no pending change
//!   of it: a pending change is saved later, so it is the last write and wins there too;
//! - nothing taken from the store counts as this tab's change, so nothing echoes back.
//!
//! The browser glue (`browser::storage`) does the reading and writing; everything here
//! is plain data and is tested natively, with two replicas of one modelled store.

use litemap::LiteMap;

use super::fs::FileSystem;
use super::persist::{restore, NodeKind, StoredEntry, StoredNode};
use super::tree::{Node, Restored};

/// What a path looked like when this tab last agreed on it with the store: a changed
/// look (another inode, flag or time) means this tab changed it since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Dir { mtime: u64 },
    File { inode: u64, read_only: bool, mtime: u64 },
}

impl Look {
    fn of(node: &Node) -> Look {
        match node {
            Node::Dir { mtime_ms } => Look::Dir { mtime: mtime_ms.to_bits() },
            Node::File(inode) => {
                let inode = inode.borrow();
                Look::File {
                    inode: inode.id(),
                    read_only: inode.read_only(),
                    mtime: inode.mtime_ms().to_bits(),
                }
            }
        }
    }
}

/// A path this tab and the store agree on: the save that wrote it, and how it looked
/// here then (`None`: the store's version could not be put here, so this tab's own
/// version, or its absence, is to be saved over it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    seq: u64,
    look: Option<Look>,
}

/// One path a save writes, as it is now in this tab.
#[derive(Debug, Clone, PartialEq)]
pub struct Put {
    /// Absolute path.
    pub path: String,
    /// Its record (`seq` is left 0: the store numbers the save).
    pub node: StoredNode,
    /// A file's contents.
    pub data: Option<Vec<u8>>,
    look: Look,
}

/// What one save writes: every pending path, whole, or its removal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outgoing {
    /// Paths to write, in order.
    pub puts: Vec<Put>,
    /// Paths to remove, in order.
    pub removals: Vec<String>,
}

impl Outgoing {
    /// The entries a store holds for this save's puts once it commits it as number `seq`
    /// (a store in memory, or a test's).
    pub fn into_entries(self, seq: u64) -> Vec<StoredEntry> {
        let entry =
            |put: Put| StoredEntry { path: put.path, node: StoredNode { seq, ..put.node }, data: put.data };
        self.puts.into_iter().map(entry).collect()
    }
}

/// What to take from the store after another tab saved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wanted {
    /// Paths another tab wrote since this one last agreed on them: read their entries.
    pub fetch: Vec<String>,
    /// Paths another tab removed.
    pub gone: Vec<String>,
}

/// A tab's agreement with the shared store (see the module's rules).
#[derive(Debug, Default)]
pub struct Replica {
    known: LiteMap<String, Known>,
    pending: LiteMap<String, ()>,
}

impl Replica {
    /// A replica that agrees with no store yet: every path of its tree is to be saved.
    pub fn new() -> Replica {
        Replica::default()
    }

    /// A file system rebuilt from everything the store holds, and the replica that agrees
    /// with it. An entry that could not be put back (a file whose contents are missing)
    /// is removed from the store by the next save.
    pub fn restore(entries: Vec<StoredEntry>, quota: u64) -> (FileSystem, Replica) {
        let mut known = LiteMap::with_capacity(entries.len());
        for entry in &entries {
            append(&mut known, entry.path.clone(), Known { seq: entry.node.seq, look: None });
        }
        let fs = FileSystem::from_tree(restore(entries, quota));
        {
            let tree = fs.tree().borrow();
            for (path, known) in known.iter_mut() {
                known.look = tree.get(path).map(Look::of);
            }
        }
        let mut replica = Replica { known, pending: LiteMap::new() };
        replica.collect(&fs); // parents a restore had to make are this tab's to save
        (fs, replica)
    }

    /// Notes every path this tab changed since the last call as pending (and clears the
    /// tree's change flags).
    pub fn collect(&mut self, fs: &FileSystem) {
        let mut changed: Vec<String> = Vec::new();
        let known = &self.known;
        let mut next = 0; // the first known path not yet met in the tree
        fs.tree().borrow_mut().take_changes(|path, node, contents_changed| {
            while let Some((gone, _)) = known.get_indexed(next).filter(|(k, _)| k.as_str() < path) {
                changed.push(gone.clone()); // removed here
                next += 1;
            }
            let agreed = match known.get_indexed(next) {
                Some((k, was)) if k == path => {
                    next += 1;
                    was.look == Some(Look::of(node))
                }
                _ => false,
            };
            if !agreed || contents_changed {
                changed.push(path.to_string());
            }
        });
        changed.extend(known.keys().skip(next).cloned());
        for path in changed {
            if let Some((path, ())) = self.pending.try_append(path, ()) {
                self.pending.insert(path, ());
            }
        }
    }

    /// Collects, then takes every pending path as it is now, for one save; `None` when
    /// nothing is pending. Hand it back to [`Replica::saved`] or [`Replica::failed`].
    pub fn outgoing(&mut self, fs: &FileSystem) -> Option<Outgoing> {
        self.collect(fs);
        if self.pending.is_empty() {
            return None;
        }
        let pending = std::mem::take(&mut self.pending);
        let tree = fs.tree().borrow();
        let mut out = Outgoing::default();
        for (path, ()) in pending.into_tuple_vec() {
            let Some(node) = tree.get(&path) else {
                out.removals.push(path);
                continue;
            };
            let look = Look::of(node);
            let (node, data) = match node {
                Node::Dir { mtime_ms } => {
                    (StoredNode { kind: NodeKind::Dir, read_only: false, mtime_ms: *mtime_ms, seq: 0 }, None)
                }
                Node::File(inode) => {
                    let inode = inode.borrow();
                    let record = StoredNode {
                        kind: NodeKind::File,
                        read_only: inode.read_only(),
                        mtime_ms: inode.mtime_ms(),
                        seq: 0,
                    };
                    (record, Some(inode.data().to_vec()))
                }
            };
            out.puts.push(Put { path, node, data, look });
        }
        Some(out)
    }

    /// The store committed `out` as save number `seq`: this tab agrees with it on those
    /// paths now (one that changed again since is found changed by the next collect).
    pub fn saved(&mut self, out: Outgoing, seq: u64) {
        let mut updates = LiteMap::with_capacity(out.puts.len() + out.removals.len());
        for put in out.puts {
            append(&mut updates, put.path, Some(Known { seq, look: Some(put.look) }));
        }
        for path in out.removals {
            append(&mut updates, path, None);
        }
        self.known = merged(std::mem::take(&mut self.known), updates);
    }

    /// The save of `out` failed: its paths are pending again, for the next save.
    pub fn failed(&mut self, out: Outgoing) {
        for path in out.puts.into_iter().map(|put| put.path).chain(out.removals) {
            self.pending.insert(path, ());
        }
    }

    /// What to take from the store, given its index (every path with the number of the
    /// save that wrote it): the paths written since this tab agreed on them, and those
    /// removed, leaving out this tab's pending ones (they win: they are saved later).
    pub fn wanted(&self, index: Vec<(String, u64)>) -> Wanted {
        let mut stored = LiteMap::with_capacity(index.len());
        for (path, seq) in index {
            append(&mut stored, path, seq);
        }
        let mut wanted = Wanted::default();
        for (path, seq) in stored.iter() {
            let newer = self.known.get(path).is_none_or(|known| known.seq < *seq);
            if newer && !self.pending.contains_key(path) {
                wanted.fetch.push(path.clone());
            }
        }
        for path in self.known.keys() {
            if !stored.contains_key(path) && !self.pending.contains_key(path) {
                wanted.gone.push(path.clone());
            }
        }
        wanted
    }

    /// Puts another tab's changes in this tab's tree: the `fetched` entries and the
    /// removal of the `gone` paths, except where this tab changed the path since (it
    /// collects first, so a change made while the entries were read counts). `gone` is in
    /// path order, as [`Replica::wanted`] gives it. Answers the paths of this tab's files
    /// whose contents were replaced or removed, in order.
    pub fn apply(&mut self, fs: &FileSystem, fetched: Vec<StoredEntry>, gone: Vec<String>) -> Vec<String> {
        self.collect(fs);
        let mut replaced: LiteMap<String, ()> = LiteMap::new();
        let mut updates = LiteMap::with_capacity(fetched.len() + gone.len());
        {
            let mut tree = fs.tree().borrow_mut();
            for entry in fetched {
                if self.pending.contains_key(&entry.path) {
                    continue;
                }
                let node = match (entry.node.kind, entry.data) {
                    (NodeKind::Dir, _) => Some(Restored::Dir { mtime_ms: entry.node.mtime_ms }),
                    (NodeKind::File, Some(data)) => Some(Restored::File {
                        data,
                        read_only: entry.node.read_only,
                        mtime_ms: entry.node.mtime_ms,
                    }),
                    (NodeKind::File, None) => None, // damaged: this tab's version is saved over it
                };
                let placed = node.and_then(|node| tree.put_synced(&entry.path, node));
                if placed == Some(true) {
                    replaced.insert(entry.path.clone(), ());
                }
                let look = placed.and_then(|_| tree.get(&entry.path).map(Look::of));
                append(&mut updates, entry.path, Some(Known { seq: entry.node.seq, look }));
            }
            // Deepest first, so a folder is empty by the time its own removal comes.
            for path in gone.into_iter().rev() {
                if self.pending.contains_key(&path) {
                    continue;
                }
                match tree.remove_synced(&path) {
                    Some(was_file) => {
                        if was_file {
                            replaced.insert(path.clone(), ());
                        }
                        append(&mut updates, path, None);
                    }
                    // It holds this tab's new files: it stays, and is saved again.
                    None => append(&mut updates, path, Some(Known { seq: 0, look: None })),
                }
            }
        }
        self.known = merged(std::mem::take(&mut self.known), updates);
        replaced.into_tuple_vec().into_iter().map(|(path, ())| path).collect()
    }
}

/// Appends in order, or inserts when `path` does not sort last: tables filled from a
/// store or a tree come in order, and a sort would add its code for each element type.
fn append<V>(map: &mut LiteMap<String, V>, path: String, value: V) {
    if let Some((path, value)) = map.try_append(path, value) {
        map.insert(path, value);
    }
}

/// `known` with `updates` (`None` removes) merged in, in one pass: updating thousands of
/// paths one `insert` at a time would shift the table thousands of times.
fn merged(known: LiteMap<String, Known>, updates: LiteMap<String, Option<Known>>) -> LiteMap<String, Known> {
    let mut out = LiteMap::with_capacity(known.len() + updates.len());
    let mut old = known.into_tuple_vec().into_iter().peekable();
    for (path, update) in updates.into_tuple_vec() {
        while let Some((kept, known)) = old.next_if(|(p, _)| *p < path) {
            append(&mut out, kept, known);
        }
        old.next_if(|(p, _)| *p == path);
        if let Some(known) = update {
            append(&mut out, path, known);
        }
    }
    for (kept, known) in old {
        append(&mut out, kept, known);
    }
    out
}

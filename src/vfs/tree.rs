//! The tree of directories and files, the open-file table, the quota and the change
//! flags persistence reads. One `Tree` sits behind every clone of a `FileSystem`.
//!
//! Only this module (with its children `contents` and `saving`) changes the tree: the
//! fields of `Tree` and `Inode` are private, and each operation keeps these invariants
//! together, as `std`'s `BufReader` buffer keeps its positions inside one small type:
//!
//! - `used` is the size of every counted file (one a path names or a handle holds open,
//!   as on a POSIX disk), and growth past `quota` fails changing nothing;
//! - a change marks what the next save must carry (`structure_dirty`, an inode's
//!   `dirty`) and tells the change hub;
//! - `/` is a directory, every other node's parent is one, and `cwd` names a directory
//!   unless `cwd_removed`.
//!
//! The callers (`fs`, `raw`) check what Python checks, in its order and with its
//! words; the operations here take those checks as done (a path is free, a directory
//! empty) and only keep the books.

mod contents;
mod saving;

pub use saving::Restored;

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use super::changes::{Changes, Subscription};
use super::counters::IoCounts;
use super::path::{parent, PATH_MAX};

/// A file's contents, shared by the tree and every open handle (an inode): a handle keeps
/// reading and writing its file even after the name is removed, as on a POSIX disk.
#[derive(Debug)]
pub struct Inode {
    /// Stable number, the key of its contents in storage.
    id: u64,
    /// The bytes of the file.
    data: Vec<u8>,
    /// Writes are refused with `PermissionError` when set.
    read_only: bool,
    /// Last modification, in ms since 1970.
    mtime_ms: f64,
    /// Whether a path names it.
    linked: bool,
    /// How many raw handles have it open: a file removed while open counts against the
    /// quota until its last handle closes.
    open_handles: u32,
    /// Changed since the last save.
    dirty: bool,
}

/// An inode as the tree and the handles share it.
pub type InodeRef = Rc<RefCell<Inode>>;

impl Inode {
    /// Its number, the key of its contents in storage.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The bytes of the file.
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// Its size in bytes.
    pub fn size(&self) -> usize {
        self.data.len()
    }

    /// Whether writes are refused.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// Last modification, in ms since 1970. Looking makes the next write read the clock
    /// afresh (see [`crate::clock::stamp_ms`]).
    pub fn mtime_ms(&self) -> f64 {
        crate::clock::stamp_seen();
        self.mtime_ms
    }
}

/// One entry of the tree.
#[derive(Debug, Clone)]
pub enum Node {
    /// A directory; its children are the paths below it in the map.
    Dir {
        /// Creation time, in ms since 1970.
        mtime_ms: f64,
    },
    /// A regular file.
    File(InodeRef),
}

/// An entry of the open-file table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEntry {
    /// The absolute path opened.
    pub path: String,
    /// The mode it was opened with.
    pub mode: String,
    /// Who opened it (the cell that was running).
    pub owner: String,
}

/// The home directory a notebook starts in.
pub const HOME: &str = "/home/user";

/// The default size limit of all files together: 64 MiB.
pub const DEFAULT_QUOTA: u64 = 64 * 1024 * 1024;

/// Files present when the notebook starts, relative to [`HOME`].
pub const STARTING_FILES: &[(&str, &str)] = &[(
    "sample.txt",
    "Every file starts as bytes on a disk.\nThis notebook keeps its disk in memory.\nOpen, read, write and close it like Python would.\n",
)];

/// Every node by absolute, normalised path (`/` is always a directory).
pub struct Tree {
    /// The nodes, sorted by path so a directory's children are a contiguous range.
    nodes: BTreeMap<String, Node>,
    /// The current directory, absolute.
    cwd: String,
    /// The current directory was removed: as on POSIX the process stays in it, and every
    /// relative path fails with `FileNotFoundError` until the next `chdir`.
    cwd_removed: bool,
    /// The most bytes all counted files (named, or open) may hold together.
    quota: u64,
    /// The bytes they hold now.
    used: u64,
    /// Open descriptors.
    fds: litemap::LiteMap<i32, OpenEntry>,
    /// Raw calls of every handle together.
    totals: Rc<Cell<IoCounts>>,
    /// Who is opening files now.
    owner: String,
    /// Paths or metadata changed since the last save.
    structure_dirty: bool,
    /// Who hears of changes.
    changes: Changes,
    /// Errors met while closing files that were dropped open (Python prints these as
    /// "Exception ignored"); the kernel shows them on the cell's error stream.
    unraisable: Vec<String>,
    next_inode: u64,
}

impl Tree {
    /// A tree holding only `/`, with `/` as current directory; everything is to save.
    fn root_only(quota: u64) -> Tree {
        let mut nodes = BTreeMap::new();
        nodes.insert("/".to_string(), Node::Dir { mtime_ms: crate::clock::now_ms() });
        Tree {
            nodes,
            cwd: "/".to_string(),
            cwd_removed: false,
            quota,
            used: 0,
            fds: litemap::LiteMap::new(),
            totals: Rc::default(),
            owner: "kernel".to_string(),
            structure_dirty: true,
            changes: Changes::default(),
            unraisable: Vec::new(),
            next_inode: 1,
        }
    }

    /// A tree holding only `/`, `/home`, [`HOME`] and `/tmp`, with [`HOME`] as current directory.
    pub fn empty(quota: u64) -> Tree {
        let mut tree = Tree::root_only(quota);
        let now = crate::clock::now_ms();
        for dir in ["/home", HOME, "/tmp"] {
            tree.nodes.insert(dir.to_string(), Node::Dir { mtime_ms: now });
        }
        tree.cwd = HOME.to_string();
        tree
    }

    /// [`Tree::empty`] plus the starting files.
    pub fn with_starting_files(quota: u64) -> Tree {
        let mut tree = Tree::empty(quota);
        for (name, text) in STARTING_FILES {
            let inode = tree.new_inode(text.as_bytes().to_vec());
            tree.nodes.insert(format!("{HOME}/{name}"), Node::File(inode));
        }
        tree
    }

    // --- Reading ---------------------------------------------------------------------

    /// The node at the absolute path `abs`.
    pub fn get(&self, abs: &str) -> Option<&Node> {
        self.nodes.get(abs)
    }

    /// How many paths there are, `/` included.
    pub fn path_count(&self) -> usize {
        self.nodes.len()
    }

    /// The current directory, absolute (its last name, if it was removed since).
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// Whether the current directory was removed (see `cwd_removed`).
    pub fn cwd_removed(&self) -> bool {
        self.cwd_removed
    }

    /// Bytes used and the quota.
    pub fn usage(&self) -> (u64, u64) {
        (self.used, self.quota)
    }

    /// The open-file table, by descriptor.
    pub fn open_files(&self) -> impl Iterator<Item = (i32, &OpenEntry)> {
        self.fds.iter().map(|(fd, entry)| (*fd, entry))
    }

    /// Raw calls and bytes of every handle together.
    pub fn counts(&self) -> IoCounts {
        self.totals.get()
    }

    /// The names directly inside the directory `abs`, sorted. A child's subtree is skipped
    /// in one step when met (its paths all sort in `[name/, name0)`, as `0` follows `/`),
    /// so a deep tree costs a few lookups per child, not one per descendant.
    pub fn children(&self, abs: &str) -> Vec<String> {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let prefix = if abs == "/" { "/".to_string() } else { format!("{abs}/") };
        let mut names: Vec<String> = Vec::new();
        let mut from = Included(prefix.clone());
        while let Some((path, _)) = self.nodes.range::<String, _>((from.clone(), Unbounded)).next() {
            let Some(rest) = path.strip_prefix(&prefix) else { break };
            match rest.split_once('/') {
                None => {
                    if !rest.is_empty() {
                        names.push(rest.to_string()); // (empty: the root itself)
                    }
                    from = Excluded(path.clone());
                }
                Some((child, _)) => {
                    // Its own entry came first (names sort as their paths do), unless a
                    // damaged tree lacks it.
                    if let Err(at) = names.binary_search_by(|n| n.as_str().cmp(child)) {
                        names.insert(at, child.to_string());
                    }
                    from = Included(format!("{prefix}{child}0"));
                }
            }
        }
        names
    }

    /// Whether the directory `abs` holds anything.
    pub fn has_children(&self, abs: &str) -> bool {
        let prefix = if abs == "/" { "/".to_string() } else { format!("{abs}/") };
        self.nodes
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(path, _)| path.starts_with(&prefix) && path != &prefix)
    }

    /// Every path at or below `abs` (a directory and its whole subtree).
    fn subtree(&self, abs: &str) -> Vec<String> {
        let prefix = if abs == "/" { "/".to_string() } else { format!("{abs}/") };
        let mut paths = vec![abs.to_string()];
        paths.extend(
            self.nodes
                .range(prefix.clone()..)
                .take_while(|(p, _)| p.starts_with(&prefix))
                .map(|(p, _)| p.clone()),
        );
        paths
    }

    fn is_dir(&self, abs: &str) -> bool {
        matches!(self.nodes.get(abs), Some(Node::Dir { .. }))
    }

    // --- Changing the paths ----------------------------------------------------------

    /// Makes the directory `abs` current (nothing happens unless it is a directory).
    pub fn chdir(&mut self, abs: String) {
        if self.is_dir(&abs) {
            self.cwd = abs;
            self.cwd_removed = false;
        }
    }

    /// Makes the directory `abs`; the caller checked that the path is free and its
    /// parent a directory.
    pub fn mkdir(&mut self, abs: String) {
        debug_assert!(self.is_dir(parent(&abs)) && !self.nodes.contains_key(&abs));
        self.nodes.insert(abs, Node::Dir { mtime_ms: crate::clock::now_ms() });
        self.structure_changed();
    }

    /// Makes an empty file at `abs` and returns it; the caller checked that the path is
    /// free and its parent a directory (and the quota: an empty file costs nothing).
    pub fn create_file(&mut self, abs: String) -> InodeRef {
        debug_assert!(self.is_dir(parent(&abs)) && !self.nodes.contains_key(&abs));
        let inode = self.new_inode(Vec::new());
        self.nodes.insert(abs, Node::File(Rc::clone(&inode)));
        self.structure_changed();
        inode
    }

    /// Removes the file or empty directory `abs` (never `/`, nor a directory that holds
    /// anything). A file's bytes stop counting once no handle has it open; a removed
    /// current directory stays current, and relative paths fail until the next `chdir`.
    pub fn remove(&mut self, abs: &str) {
        if abs == "/" || self.has_children(abs) {
            return;
        }
        match self.nodes.remove(abs) {
            Some(Node::File(inode)) => self.unlink(&inode),
            Some(Node::Dir { .. }) => self.cwd_removed |= self.cwd == abs,
            None => return,
        }
        self.structure_changed();
    }

    /// Moves `src` and everything below it to `dst`, replacing a file there; the current
    /// directory moves with a tree holding it, as a process's does on POSIX. The caller
    /// checked everything else Python checks (kinds, emptiness, not into itself). Returns
    /// `false`, changing nothing, when a moved path would reach `PATH_MAX`.
    pub fn rename(&mut self, src: &str, dst: &str) -> bool {
        let moved = self.subtree(src);
        // Every moved path keeps an absolute form shorter than PATH_MAX (see `absolute`).
        let deepest = moved.iter().map(|p| p.len() - src.len()).max().unwrap_or(0);
        if dst.len() + deepest >= PATH_MAX {
            return false;
        }
        if let Some(Node::File(replaced)) = self.nodes.remove(dst) {
            self.unlink(&replaced);
        }
        for old_path in moved {
            if let Some(node) = self.nodes.remove(&old_path) {
                self.nodes.insert(format!("{dst}{}", &old_path[src.len()..]), node);
            }
        }
        if self.cwd == src || self.cwd.starts_with(&format!("{src}/")) {
            self.cwd = format!("{dst}{}", &self.cwd[src.len()..]);
        }
        self.structure_changed();
        true
    }

    /// Marks a file read-only (or writable again).
    pub fn set_read_only(&mut self, inode: &InodeRef, read_only: bool) {
        inode.borrow_mut().read_only = read_only;
        self.structure_changed();
    }

    /// Puts back the starting files and nothing else; files still open keep their data,
    /// and keep counting until closed, as removed files do.
    pub fn reset(&mut self) {
        let fresh = Tree::with_starting_files(self.quota);
        let (mut named, mut still_open) = (0, 0);
        for node in self.nodes.values() {
            if let Node::File(inode) = node {
                let mut inode = inode.borrow_mut();
                inode.linked = false;
                named += inode.data.len() as u64;
                if inode.open_handles > 0 {
                    still_open += inode.data.len() as u64;
                }
            }
        }
        // Files removed earlier but still open.
        let orphans = self.used.saturating_sub(named);
        self.nodes = fresh.nodes;
        self.used = fresh.used + orphans + still_open;
        self.cwd = fresh.cwd;
        self.cwd_removed = false;
        self.structure_changed();
    }

    // --- Who, how much, and who hears ------------------------------------------------

    /// Records who opens files from now on (the kernel names the running cell).
    pub fn set_owner(&mut self, owner: &str) {
        owner.clone_into(&mut self.owner);
    }

    /// Changes the quota (files already larger stay; further growth fails).
    pub fn set_quota(&mut self, quota: u64) {
        self.quota = quota;
    }

    /// Keeps an error met while closing a file that was dropped open.
    pub fn note_unraisable(&mut self, note: String) {
        self.unraisable.push(note);
    }

    /// Takes the errors met while closing files that were dropped open.
    pub fn take_unraisable(&mut self) -> Vec<String> {
        std::mem::take(&mut self.unraisable)
    }

    /// Tells `wake` of changes (see `FileSystem::subscribe`).
    pub fn subscribe(&mut self, wake: impl Fn() + 'static) -> Subscription {
        self.changes.subscribe(wake)
    }

    /// Paths or metadata changed: the next save carries them, and subscribers hear.
    fn structure_changed(&mut self) {
        self.structure_dirty = true;
        self.changes.notify();
    }
}

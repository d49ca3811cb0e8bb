//! The tree of directories and files, the open-file table, the quota and the change
//! flags persistence reads. One `Tree` sits behind every clone of a `FileSystem`.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use super::changes::Changes;
use super::counters::IoCounts;
use super::error::{IoError, IoResult};

/// A file's contents, shared by the tree and every open handle (an inode): a handle keeps
/// reading and writing its file even after the name is removed, as on a POSIX disk.
#[derive(Debug)]
pub struct Inode {
    /// Stable number, the key of its contents in storage.
    pub id: u64,
    /// The bytes of the file.
    pub data: Vec<u8>,
    /// Writes are refused with `PermissionError` when set.
    pub read_only: bool,
    /// Last modification, in ms since 1970.
    pub mtime_ms: f64,
    /// Whether a path names it.
    pub linked: bool,
    /// How many raw handles have it open. As on a POSIX disk, a file counts against the
    /// quota while a path names it or a handle has it open: removing an open file frees
    /// its bytes only when its last handle closes.
    pub open_handles: u32,
    /// Changed since the last save.
    pub dirty: bool,
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
    File(Rc<RefCell<Inode>>),
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
    pub nodes: BTreeMap<String, Node>,
    /// The current directory, absolute.
    pub cwd: String,
    /// The current directory was removed: as on POSIX the process stays in it, and every
    /// relative path fails with `FileNotFoundError` until the next `chdir`.
    pub cwd_removed: bool,
    /// The most bytes all counted files (named, or open) may hold together.
    pub quota: u64,
    /// The bytes they hold now.
    pub used: u64,
    /// Open descriptors.
    pub fds: litemap::LiteMap<i32, OpenEntry>,
    /// Raw calls of every handle together.
    pub totals: Rc<Cell<IoCounts>>,
    /// Who is opening files now.
    pub owner: String,
    /// Paths or metadata changed since the last save.
    pub structure_dirty: bool,
    /// Who hears of changes.
    pub changes: Changes,
    /// Errors met while closing files that were dropped open (Python prints these as
    /// "Exception ignored"); the kernel shows them on the cell's error stream.
    pub unraisable: Vec<String>,
    next_inode: u64,
}

impl Tree {
    /// A tree holding only `/`, `/home`, [`HOME`] and `/tmp`, with [`HOME`] as current directory.
    pub fn empty(quota: u64) -> Tree {
        let mut tree = Tree {
            nodes: BTreeMap::new(),
            cwd: HOME.to_string(),
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
        };
        let now = crate::clock::now_ms();
        for dir in ["/", "/home", HOME, "/tmp"] {
            tree.nodes.insert(dir.to_string(), Node::Dir { mtime_ms: now });
        }
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

    /// A new linked inode holding `data` (the caller checked the quota or restores a save).
    pub fn new_inode(&mut self, data: Vec<u8>) -> Rc<RefCell<Inode>> {
        self.new_inode_with_id(self.next_inode, data)
    }

    /// A new linked inode with a given id (restoring a save).
    pub fn new_inode_with_id(&mut self, id: u64, data: Vec<u8>) -> Rc<RefCell<Inode>> {
        self.next_inode = self.next_inode.max(id + 1);
        self.used += data.len() as u64;
        let inode = Inode {
            id,
            data,
            read_only: false,
            mtime_ms: crate::clock::now_ms(),
            linked: true,
            open_handles: 0,
            dirty: true,
        };
        Rc::new(RefCell::new(inode))
    }

    /// Stops counting a file that no path names and no handle holds open any more.
    pub fn release_if_unused(&mut self, inode: &Inode) {
        if !inode.linked && inode.open_handles == 0 {
            self.used = self.used.saturating_sub(inode.data.len() as u64);
        }
    }

    /// Accounts for a counted file growing or shrinking from `old` to `new` bytes; fails
    /// with `ENOSPC`, changing nothing, when growth would pass the quota.
    pub fn charge(&mut self, old: usize, new: usize) -> IoResult<()> {
        let (old, new) = (old as u64, new as u64);
        if new > old && self.used.saturating_add(new - old) > self.quota {
            return Err(IoError::no_space());
        }
        self.used = self.used + new - old;
        Ok(())
    }

    /// The lowest free descriptor from 3 up, recorded as open on `path`.
    pub fn allocate_fd(&mut self, path: &str, mode: &str) -> i32 {
        let fd = (3..).find(|fd| !self.fds.contains_key(fd)).unwrap_or(3);
        let entry = OpenEntry { path: path.to_string(), mode: mode.to_string(), owner: self.owner.clone() };
        self.fds.insert(fd, entry);
        fd
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
    pub fn subtree(&self, abs: &str) -> Vec<String> {
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
}

//! The file system handle cells use: `open`, and the `os` / `os.path` style operations.

use std::cell::RefCell;
use std::rc::Rc;

use super::buffered::Buffered;
use super::changes::Subscription;
use super::counters::IoCounts;
use super::error::{ErrorKind, IoError, IoResult};
use super::file::File;
use super::mode::{Access, Mode};
use super::path::{absolute, names_directory, parent};
use super::persist::{NodeKind, NodeRecord, SaveSet};
use super::raw::{notify, RawFile};
use super::text::TextFile;
use super::tree::{Node, OpenEntry, Tree, DEFAULT_QUOTA};

/// The default buffer size, as Python's `io.DEFAULT_BUFFER_SIZE`.
pub const DEFAULT_BUFFER_SIZE: usize = 8192;

/// What `stat` reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    /// Size in bytes (0 for a directory).
    pub size: u64,
    /// Whether it is a directory.
    pub is_dir: bool,
    /// Last modification, ms since 1970.
    pub modified_ms: f64,
    /// Whether writes are refused.
    pub read_only: bool,
}

/// One open descriptor, as the open-file table lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFile {
    /// The descriptor.
    pub fd: i32,
    /// What is open, and by whom.
    pub entry: OpenEntry,
}

/// A shared handle on one in-memory file system; clones see the same files.
#[derive(Clone)]
pub struct FileSystem {
    tree: Rc<RefCell<Tree>>,
}

impl Default for FileSystem {
    fn default() -> Self {
        FileSystem::new()
    }
}

impl std::fmt::Debug for FileSystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tree = self.tree.borrow();
        f.debug_struct("FileSystem").field("paths", &tree.nodes.len()).field("used", &tree.used).finish()
    }
}

impl FileSystem {
    /// A fresh file system holding the starting files, with `/home/user` as current
    /// directory and the default 64 MiB quota.
    pub fn new() -> FileSystem {
        FileSystem::from_tree(Tree::with_starting_files(DEFAULT_QUOTA))
    }

    /// A file system with only its directories (no starting files) and a quota.
    pub fn empty(quota: u64) -> FileSystem {
        FileSystem::from_tree(Tree::empty(quota))
    }

    fn from_tree(tree: Tree) -> FileSystem {
        FileSystem { tree: Rc::new(RefCell::new(tree)) }
    }

    fn changed(&self) {
        self.tree.borrow_mut().structure_dirty = true;
        notify(&self.tree);
    }

    fn absolute(&self, path: &str) -> IoResult<String> {
        let tree = self.tree.borrow();
        if tree.cwd_removed && !path.starts_with('/') {
            return Err(IoError::os(ErrorKind::FileNotFound, path));
        }
        absolute(&tree.cwd, path)
    }

    /// Checks that every directory above `abs` exists and is a directory.
    fn check_parents(&self, abs: &str, path: &str) -> IoResult<()> {
        let tree = self.tree.borrow();
        match tree.nodes.get(parent(abs)) {
            // Every directory's parents exist (nothing is made in a missing directory, nor
            // is a full one removed), so one lookup settles it, at any depth.
            Some(Node::Dir { .. }) => Ok(()),
            Some(Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
            None => {
                // A file higher up makes the whole path "not a directory".
                let mut up = parent(parent(abs));
                while up != "/" {
                    if let Some(Node::File(_)) = tree.nodes.get(up) {
                        return Err(IoError::os(ErrorKind::NotADirectory, path));
                    }
                    up = parent(up);
                }
                Err(IoError::os(ErrorKind::FileNotFound, path))
            }
        }
    }

    /// The current directory (its last name, if it was removed since: Python's
    /// `os.getcwd` would raise `FileNotFoundError` there).
    pub fn getcwd(&self) -> String {
        self.tree.borrow().cwd.clone()
    }

    /// Changes the current directory.
    pub fn chdir(&self, path: &str) -> IoResult<()> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let mut tree = self.tree.borrow_mut();
        match tree.nodes.get(&abs) {
            Some(Node::Dir { .. }) => {
                tree.cwd = abs;
                tree.cwd_removed = false;
                Ok(())
            }
            Some(Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }

    /// Records who opens files from now on (the kernel names the running cell).
    pub fn set_owner(&self, owner: &str) {
        self.tree.borrow_mut().owner = owner.to_string();
    }

    /// Opens `path` as Python's `open(path, mode)` does, with the default buffering.
    pub fn open(&self, path: &str, mode: &str) -> IoResult<File> {
        self.open_with(path, mode, -1)
    }

    /// Python's `open(path, mode, buffering)`: `0` unbuffered (binary only), `1` line
    /// buffering (text), `n > 1` a buffer of `n` bytes, negative the default (8192).
    pub fn open_with(&self, path: &str, mode_text: &str, buffering: i64) -> IoResult<File> {
        if i32::try_from(buffering).is_err() {
            // Python's argument parsing refuses it first: `buffering` is a C `int`.
            return Err(IoError::new(ErrorKind::Overflow, "Python int too large to convert to C int"));
        }
        let mode = Mode::parse(mode_text)?;
        let raw = self.open_raw(path, mode, mode_text)?;
        let line_buffering = buffering == 1 && !mode.binary;
        // Up to `i32::MAX`: the buffer grows only as far as it is used.
        let size = if buffering < 0 || buffering == 1 { DEFAULT_BUFFER_SIZE } else { buffering as usize };
        if buffering == 0 {
            if mode.binary {
                return Ok(File::raw(raw, Rc::clone(&self.tree)));
            }
            return Err(IoError::new(ErrorKind::Value, "can't have unbuffered text I/O"));
        }
        let buffered = Buffered::new(raw, size);
        if mode.binary {
            return Ok(File::buffered(buffered, Rc::clone(&self.tree)));
        }
        Ok(File::text(TextFile::new(buffered, line_buffering), mode_text, Rc::clone(&self.tree)))
    }

    fn open_raw(&self, path: &str, mode: Mode, mode_text: &str) -> IoResult<RawFile> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let existing = self.tree.borrow().nodes.get(&abs).cloned();
        if names_directory(path) {
            // `'f.txt/'` or `'f.txt/.'`: never a file, with Linux's errors for each case.
            let dot = path.ends_with("/.");
            let kind = match (&existing, mode.access) {
                (Some(Node::Dir { .. }), Access::Create) if dot => ErrorKind::FileExists,
                (Some(Node::Dir { .. }), _) => ErrorKind::IsADirectory,
                (Some(Node::File(_)), Access::Read) => ErrorKind::NotADirectory,
                (Some(Node::File(_)), _) if dot => ErrorKind::NotADirectory,
                (None, Access::Read) => ErrorKind::FileNotFound,
                (None, _) if dot => ErrorKind::FileNotFound,
                _ => ErrorKind::IsADirectory,
            };
            return Err(IoError::os(kind, path));
        }
        let inode = match existing {
            // `O_CREAT | O_EXCL` meets the directory before anything else.
            Some(Node::Dir { .. }) if mode.access == Access::Create => {
                return Err(IoError::os(ErrorKind::FileExists, path))
            }
            Some(Node::Dir { .. }) => return Err(IoError::os(ErrorKind::IsADirectory, path)),
            Some(Node::File(inode)) => {
                if mode.access == Access::Create {
                    return Err(IoError::os(ErrorKind::FileExists, path));
                }
                if mode.writable() && inode.borrow().read_only {
                    return Err(IoError::os(ErrorKind::Permission, path));
                }
                if mode.access == Access::Write {
                    let old = inode.borrow().data.len();
                    self.tree.borrow_mut().charge(old, 0)?;
                    let mut node = inode.borrow_mut();
                    node.data.clear();
                    node.mtime_ms = crate::clock::now_ms();
                    node.dirty = true;
                }
                inode
            }
            None => {
                if mode.access == Access::Read {
                    return Err(IoError::os(ErrorKind::FileNotFound, path));
                }
                let inode = self.tree.borrow_mut().new_inode(Vec::new());
                self.tree.borrow_mut().nodes.insert(abs.clone(), Node::File(Rc::clone(&inode)));
                inode
            }
        };
        let raw = RawFile::new(Rc::clone(&self.tree), inode, path, &abs, mode, mode_text);
        if mode.access != Access::Read {
            self.changed();
        }
        Ok(raw)
    }

    fn node(&self, path: &str) -> IoResult<(String, Node)> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let node = self.tree.borrow().nodes.get(&abs).cloned();
        match node {
            Some(Node::File(_)) if names_directory(path) => Err(IoError::os(ErrorKind::NotADirectory, path)),
            Some(node) => Ok((abs, node)),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.path.exists`.
    pub fn exists(&self, path: &str) -> bool {
        self.node(path).is_ok()
    }

    /// `os.path.isfile`.
    pub fn is_file(&self, path: &str) -> bool {
        matches!(self.node(path), Ok((_, Node::File(_))))
    }

    /// `os.path.isdir`.
    pub fn is_dir(&self, path: &str) -> bool {
        matches!(self.node(path), Ok((_, Node::Dir { .. })))
    }

    /// `os.path.getsize`: a file's size in bytes.
    pub fn getsize(&self, path: &str) -> IoResult<u64> {
        Ok(self.stat(path)?.size)
    }

    /// `os.stat`: size, kind, modification time and the read-only flag.
    pub fn stat(&self, path: &str) -> IoResult<Stat> {
        Ok(match self.node(path)?.1 {
            Node::Dir { mtime_ms } => Stat { size: 0, is_dir: true, modified_ms: mtime_ms, read_only: false },
            Node::File(inode) => {
                let inode = inode.borrow();
                Stat {
                    size: inode.data.len() as u64,
                    is_dir: false,
                    modified_ms: inode.mtime_ms,
                    read_only: inode.read_only,
                }
            }
        })
    }

    /// `os.listdir`: the names in a directory, sorted.
    pub fn listdir(&self, path: &str) -> IoResult<Vec<String>> {
        match self.node(path)? {
            (abs, Node::Dir { .. }) => Ok(self.tree.borrow().children(&abs)),
            (_, Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
        }
    }

    /// `os.mkdir`.
    pub fn mkdir(&self, path: &str) -> IoResult<()> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let existing = self.tree.borrow().nodes.get(&abs).cloned();
        match existing {
            // `f/.` walks through `f`, so `f` must already be a directory (Linux's answers).
            Some(Node::File(_)) if path.ends_with("/.") => {
                return Err(IoError::os(ErrorKind::NotADirectory, path))
            }
            Some(_) => return Err(IoError::os(ErrorKind::FileExists, path)),
            None if path.ends_with("/.") => return Err(IoError::os(ErrorKind::FileNotFound, path)),
            None => {}
        }
        self.tree.borrow_mut().nodes.insert(abs, Node::Dir { mtime_ms: crate::clock::now_ms() });
        self.changed();
        Ok(())
    }

    /// `os.makedirs(path, exist_ok)`: creates every missing directory on the way.
    pub fn makedirs(&self, path: &str, exist_ok: bool) -> IoResult<()> {
        let abs = self.absolute(path)?;
        let mut created = false;
        let mut prefix = String::new();
        for part in abs.split('/').filter(|p| !p.is_empty()) {
            prefix = format!("{prefix}/{part}");
            let node = self.tree.borrow().nodes.get(&prefix).cloned();
            match node {
                Some(Node::Dir { .. }) => {}
                Some(Node::File(_)) => {
                    let last = prefix == abs && !path.ends_with("/.");
                    let kind = if last { ErrorKind::FileExists } else { ErrorKind::NotADirectory };
                    return Err(IoError::os(kind, path));
                }
                None => {
                    self.tree
                        .borrow_mut()
                        .nodes
                        .insert(prefix.clone(), Node::Dir { mtime_ms: crate::clock::now_ms() });
                    created = true;
                }
            }
        }
        if created {
            self.changed();
        } else if !exist_ok {
            return Err(IoError::os(ErrorKind::FileExists, path));
        }
        Ok(())
    }

    /// `os.remove`: deletes a file (open handles keep their data until closed).
    pub fn remove(&self, path: &str) -> IoResult<()> {
        match self.node(path)? {
            (abs, Node::File(inode)) => {
                self.unlink(&abs, &inode);
                self.changed();
                Ok(())
            }
            (_, Node::Dir { .. }) => Err(IoError::os(ErrorKind::IsADirectory, path)),
        }
    }

    fn unlink(&self, abs: &str, inode: &Rc<RefCell<super::tree::Inode>>) {
        let mut tree = self.tree.borrow_mut();
        tree.nodes.remove(abs);
        let mut node = inode.borrow_mut();
        if node.linked {
            node.linked = false;
            tree.release_if_unused(&node);
        }
    }

    /// `os.rmdir`: removes an empty directory (the current one too: relative paths then
    /// fail until the next `chdir`, as on POSIX).
    pub fn rmdir(&self, path: &str) -> IoResult<()> {
        match self.node(path)? {
            (abs, Node::Dir { .. }) => {
                if abs == "/" || self.tree.borrow().has_children(&abs) {
                    return Err(IoError::not_empty(path));
                }
                let mut tree = self.tree.borrow_mut();
                tree.nodes.remove(&abs);
                if tree.cwd == abs {
                    tree.cwd_removed = true;
                }
                drop(tree);
                self.changed();
                Ok(())
            }
            (_, Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
        }
    }

    /// `os.rename`: moves a file or directory; an existing file at the target is replaced
    /// whole, as on POSIX, and the current directory moves with a directory holding it.
    pub fn rename(&self, from: &str, to: &str) -> IoResult<()> {
        let os2 = |kind| IoError::os2(kind, from, to);
        // Every error names both paths, as `os.rename`'s do (a NUL byte is a ValueError).
        let both =
            |e: IoError| if e.kind() == ErrorKind::Value { e } else { IoError::os2(e.kind(), from, to) };
        let src_abs = self.absolute(from).map_err(both)?;
        let dst_abs = self.absolute(to).map_err(both)?;
        let src = self.node(from).map_err(both)?.1;
        self.check_parents(&dst_abs, to).map_err(both)?;
        let dst = self.tree.borrow().nodes.get(&dst_abs).cloned();
        // The root is always in use: never replaced, even when it is empty.
        if dst_abs == "/" && src_abs != "/" {
            return Err(IoError::busy2(from, to));
        }
        // A target `d/.` is the directory `d` itself, which is in use: never replaced.
        if to.ends_with("/.") {
            return Err(match dst {
                None => os2(ErrorKind::FileNotFound),
                Some(Node::File(_)) => os2(ErrorKind::NotADirectory),
                Some(Node::Dir { .. }) => IoError::busy2(from, to),
            });
        }
        // A trailing `/` names a directory: a file never moves there, as on Linux.
        if matches!(src, Node::File(_)) && names_directory(to) {
            return Err(os2(ErrorKind::NotADirectory));
        }
        if src_abs == dst_abs {
            return Ok(());
        }
        match (&src, &dst) {
            (Node::File(_), Some(Node::Dir { .. })) => return Err(os2(ErrorKind::IsADirectory)),
            (Node::Dir { .. }, Some(Node::File(_))) => return Err(os2(ErrorKind::NotADirectory)),
            (Node::Dir { .. }, Some(Node::Dir { .. })) if self.tree.borrow().has_children(&dst_abs) => {
                return Err(IoError::not_empty2(from, to));
            }
            // Into itself: below it, or anywhere at all when it is the root.
            (Node::Dir { .. }, _) if src_abs == "/" || dst_abs.starts_with(&format!("{src_abs}/")) => {
                return Err(os2(ErrorKind::Os));
            }
            (_, Some(Node::File(old))) => self.unlink(&dst_abs, old),
            _ => {}
        }
        let mut tree = self.tree.borrow_mut();
        let moved = tree.subtree(&src_abs);
        // Every moved path keeps an absolute form shorter than PATH_MAX (see `absolute`).
        let deepest = moved.iter().map(|p| p.len() - src_abs.len()).max().unwrap_or(0);
        if dst_abs.len() + deepest >= super::path::PATH_MAX {
            return Err(IoError::name_too_long(to));
        }
        for old_path in moved {
            if let Some(node) = tree.nodes.remove(&old_path) {
                let new_path = format!("{dst_abs}{}", &old_path[src_abs.len()..]);
                tree.nodes.insert(new_path, node);
            }
        }
        // The current directory moves with its tree, as a process's does on POSIX.
        if tree.cwd == src_abs || tree.cwd.starts_with(&format!("{src_abs}/")) {
            tree.cwd = format!("{dst_abs}{}", &tree.cwd[src_abs.len()..]);
        }
        drop(tree);
        self.changed();
        Ok(())
    }

    /// Marks a file read-only (or writable again), to meet `PermissionError` on purpose.
    pub fn set_read_only(&self, path: &str, read_only: bool) -> IoResult<()> {
        match self.node(path)? {
            (_, Node::File(inode)) => {
                inode.borrow_mut().read_only = read_only;
                self.changed();
                Ok(())
            }
            (_, Node::Dir { .. }) => Err(IoError::os(ErrorKind::IsADirectory, path)),
        }
    }

    /// The whole contents of a file (for export and the file browser), without opening it.
    pub fn read_file(&self, path: &str) -> IoResult<Vec<u8>> {
        match self.node(path)? {
            (_, Node::File(inode)) => Ok(inode.borrow().data.clone()),
            (_, Node::Dir { .. }) => Err(IoError::os(ErrorKind::IsADirectory, path)),
        }
    }

    /// Creates or replaces a file with `data` in one step (for import from the computer).
    pub fn write_file(&self, path: &str, data: &[u8]) -> IoResult<()> {
        let mut file = self.open_with(path, "wb", 0)?;
        file.write_bytes(data)?;
        file.close()
    }

    /// The open-file table, by descriptor.
    pub fn open_files(&self) -> Vec<OpenFile> {
        let tree = self.tree.borrow();
        tree.fds.iter().map(|(fd, entry)| OpenFile { fd: *fd, entry: entry.clone() }).collect()
    }

    /// Raw calls and bytes of every file so far.
    pub fn counts(&self) -> IoCounts {
        self.tree.borrow().totals.get()
    }

    /// Bytes used and the quota.
    pub fn usage(&self) -> (u64, u64) {
        let tree = self.tree.borrow();
        (tree.used, tree.quota)
    }

    /// Changes the quota (files already larger stay; further growth fails).
    pub fn set_quota(&self, quota: u64) {
        self.tree.borrow_mut().quota = quota;
    }

    /// Takes the errors met while closing files that were dropped open.
    pub fn take_unraisable(&self) -> Vec<String> {
        std::mem::take(&mut self.tree.borrow_mut().unraisable)
    }

    /// Tells `wake` of changes: it is called at the first change after subscribing or
    /// after the last [`Subscription::take_changed`]; later changes only set the
    /// subscription's flag. Dropping the [`Subscription`] unsubscribes.
    ///
    /// `wake` may be called in the middle of a file-system operation, so it must only
    /// schedule work (spawn a task, start a timer) and never touch the file system itself.
    pub fn subscribe(&self, wake: impl Fn() + 'static) -> Subscription {
        self.tree.borrow_mut().changes.subscribe(wake)
    }

    /// Puts back the starting files and nothing else (open handles keep their data).
    pub fn reset(&self) {
        let fresh = Tree::with_starting_files(self.tree.borrow().quota);
        {
            let mut tree = self.tree.borrow_mut();
            // Files still open keep counting until closed, as removed files do.
            let (mut named, mut still_open) = (0, 0);
            for node in tree.nodes.values() {
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
            let orphans = tree.used.saturating_sub(named);
            tree.nodes = fresh.nodes;
            tree.used = fresh.used + orphans + still_open;
            tree.cwd = fresh.cwd;
            tree.cwd_removed = false;
        }
        self.changed();
    }

    /// What changed since the last call, for a save; `None` when nothing did.
    pub fn take_changes(&self) -> Option<SaveSet> {
        let mut tree = self.tree.borrow_mut();
        let mut set = SaveSet::default();
        let mut any = std::mem::take(&mut tree.structure_dirty);
        for (path, node) in &tree.nodes {
            let record = match node {
                Node::Dir { mtime_ms } => NodeRecord {
                    path: path.clone(),
                    kind: NodeKind::Dir,
                    inode: None,
                    read_only: false,
                    mtime_ms: *mtime_ms,
                },
                Node::File(inode) => {
                    let mut inode = inode.borrow_mut();
                    set.live.insert(inode.id, ());
                    if std::mem::take(&mut inode.dirty) {
                        any = true;
                        set.blobs.insert(inode.id, inode.data.clone());
                    }
                    NodeRecord {
                        path: path.clone(),
                        kind: NodeKind::File,
                        inode: Some(inode.id),
                        read_only: inode.read_only,
                        mtime_ms: inode.mtime_ms,
                    }
                }
            };
            set.records.push(record);
        }
        any.then_some(set)
    }

    /// Marks every file changed, so the next [`FileSystem::take_changes`] carries all of
    /// them (after a save failed, or to fill a new store).
    pub fn mark_all_dirty(&self) {
        let mut tree = self.tree.borrow_mut();
        tree.structure_dirty = true;
        for node in tree.nodes.values() {
            if let Node::File(inode) = node {
                inode.borrow_mut().dirty = true;
            }
        }
    }

    /// A file system rebuilt from saved records and blobs; records with no blob, or whose
    /// parent is missing, are left out rather than failing the whole restore.
    pub fn restore(records: &[NodeRecord], blobs: &litemap::LiteMap<u64, Vec<u8>>, quota: u64) -> FileSystem {
        let mut tree = Tree::empty(quota);
        tree.nodes.clear();
        tree.nodes.insert("/".to_string(), Node::Dir { mtime_ms: crate::clock::now_ms() });
        let mut sorted: Vec<&NodeRecord> = records.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        for record in sorted {
            let Ok(abs) = absolute("/", &record.path) else { continue };
            if abs == "/" || !matches!(tree.nodes.get(parent(&abs)), Some(Node::Dir { .. })) {
                continue;
            }
            let node = match (record.kind, record.inode.and_then(|id| blobs.get(&id).map(|b| (id, b)))) {
                (NodeKind::Dir, _) => Node::Dir { mtime_ms: record.mtime_ms },
                (NodeKind::File, Some((id, data))) => {
                    let inode = tree.new_inode_with_id(id, data.clone());
                    {
                        let mut i = inode.borrow_mut();
                        i.read_only = record.read_only;
                        i.mtime_ms = record.mtime_ms;
                        i.dirty = false;
                    }
                    Node::File(inode)
                }
                (NodeKind::File, None) => continue,
            };
            tree.nodes.insert(abs, node);
        }
        tree.cwd = if matches!(tree.nodes.get(super::tree::HOME), Some(Node::Dir { .. })) {
            super::tree::HOME.to_string()
        } else {
            "/".to_string()
        };
        tree.structure_dirty = false;
        FileSystem::from_tree(tree)
    }
}

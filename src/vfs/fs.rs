//! The file system handle cells use: `open`, and the `os` / `os.path` style operations.
//! Here each call checks what Python checks and words its errors; the change itself is
//! one of the tree's operations, which keep the quota, the save flags and the change
//! hub right.

use std::cell::RefCell;
use std::rc::Rc;

use super::any_layer::AnyLayer;
use super::buffered::Buffered;
use super::changes::Subscription;
use super::counters::IoCounts;
use super::error::{ErrorKind, IoError, IoResult};
use super::file::File;
use super::mode::{Access, Mode};
use super::path::{absolute, dirs_left_by_dot_dot, dot_container, names_directory, parent};
use super::raw::RawFile;
use super::text::{Newline, TextFile};
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
        f.debug_struct("FileSystem")
            .field("paths", &tree.path_count())
            .field("used", &tree.usage().0)
            .finish()
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

    pub(super) fn from_tree(tree: Tree) -> FileSystem {
        FileSystem { tree: Rc::new(RefCell::new(tree)) }
    }

    /// The tree, for the file system's own modules (the replica reads and syncs it).
    pub(super) fn tree(&self) -> &RefCell<Tree> {
        &self.tree
    }

    fn absolute(&self, path: &str) -> IoResult<String> {
        let tree = self.tree.borrow();
        if tree.cwd_removed() && !path.starts_with('/') {
            return Err(IoError::os(ErrorKind::FileNotFound, path));
        }
        let abs = absolute(tree.cwd(), path)?;
        // `..` steps out of a directory that must be there, as Linux resolves a path one
        // name at a time: `a/../c` with no `a` is FileNotFoundError, and a file before
        // `..` NotADirectoryError (the normalised form alone would say nothing).
        for dir in dirs_left_by_dot_dot(tree.cwd(), path) {
            match tree.get(&dir) {
                Some(Node::Dir { .. }) => {}
                Some(Node::File(_)) => return Err(IoError::os(ErrorKind::NotADirectory, path)),
                None => return Err(IoError::os(ErrorKind::FileNotFound, path)),
            }
        }
        Ok(abs)
    }

    /// Checks that every directory above `abs` exists and is a directory.
    fn check_parents(&self, abs: &str, path: &str) -> IoResult<()> {
        let tree = self.tree.borrow();
        match tree.get(parent(abs)) {
            // Every directory's parents exist (nothing is made in a missing directory, nor
            // is a full one removed), so one lookup settles it, at any depth.
            Some(Node::Dir { .. }) => Ok(()),
            Some(Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
            None => {
                // A file higher up makes the whole path "not a directory".
                let mut up = parent(parent(abs));
                while up != "/" {
                    if let Some(Node::File(_)) = tree.get(up) {
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
        self.tree.borrow().cwd().to_string()
    }

    /// Changes the current directory.
    pub fn chdir(&self, path: &str) -> IoResult<()> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let mut tree = self.tree.borrow_mut();
        match tree.get(&abs) {
            Some(Node::Dir { .. }) => {
                tree.chdir(abs);
                Ok(())
            }
            Some(Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }

    /// Records who opens files from now on (the kernel names the running cell).
    pub fn set_owner(&self, owner: &str) {
        self.tree.borrow_mut().set_owner(owner);
    }

    /// Opens `path` as Python's `open(path, mode)` does, with the default buffering.
    pub fn open(&self, path: &str, mode: &str) -> IoResult<File> {
        self.open_with(path, mode, -1)
    }

    /// Python's `open(path, mode, buffering)`: `0` unbuffered (binary only), `1` line
    /// buffering (text), `n > 1` a buffer of `n` bytes, negative the default (8192).
    pub fn open_with(&self, path: &str, mode_text: &str, buffering: i64) -> IoResult<File> {
        self.open_with_newline(path, mode_text, buffering, None)
    }

    /// Python's `open(path, mode, buffering, newline=newline)` (see [`Newline`]). As in
    /// CPython, a binary mode refuses any `newline` before the file is opened, and an
    /// illegal one is refused after (a file opened to write is then made).
    pub fn open_with_newline(
        &self,
        path: &str,
        mode_text: &str,
        buffering: i64,
        newline: Option<&str>,
    ) -> IoResult<File> {
        if i32::try_from(buffering).is_err() {
            // Python's argument parsing refuses it first: `buffering` is a C `int`.
            return Err(IoError::new(ErrorKind::Overflow, "Python int too large to convert to C int"));
        }
        let mode = Mode::parse(mode_text)?;
        if mode.binary && newline.is_some() {
            return Err(IoError::new(ErrorKind::Value, "binary mode doesn't take a newline argument"));
        }
        let raw = self.open_raw(path, mode, mode_text)?;
        let line_buffering = buffering == 1 && !mode.binary;
        // Up to `i32::MAX`: the buffer grows only as far as it is used.
        let size = if buffering < 0 || buffering == 1 { DEFAULT_BUFFER_SIZE } else { buffering as usize };
        if buffering == 0 {
            if mode.binary {
                return Ok(File::new(AnyLayer::boxed(raw), Rc::clone(&self.tree)));
            }
            return Err(IoError::new(ErrorKind::Value, "can't have unbuffered text I/O"));
        }
        let buffered = Buffered::new(raw, size);
        if mode.binary {
            return Ok(File::new(AnyLayer::buffered(buffered), Rc::clone(&self.tree)));
        }
        let text = TextFile::new(buffered, mode_text, line_buffering, Newline::parse(newline)?);
        Ok(File::new(AnyLayer::boxed(text), Rc::clone(&self.tree)))
    }

    fn open_raw(&self, path: &str, mode: Mode, mode_text: &str) -> IoResult<RawFile> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let existing = self.tree.borrow().get(&abs).cloned();
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
                if mode.writable() && inode.borrow().read_only() {
                    return Err(IoError::os(ErrorKind::Permission, path));
                }
                if mode.access == Access::Write {
                    self.tree.borrow_mut().resize(&inode, 0)?;
                }
                inode
            }
            None => {
                if mode.access == Access::Read {
                    return Err(IoError::os(ErrorKind::FileNotFound, path));
                }
                self.tree.borrow_mut().create_file(abs.clone())
            }
        };
        Ok(RawFile::new(Rc::clone(&self.tree), inode, path, &abs, mode, mode_text))
    }

    fn node(&self, path: &str) -> IoResult<(String, Node)> {
        let abs = self.absolute(path)?;
        self.check_parents(&abs, path)?;
        let node = self.tree.borrow().get(&abs).cloned();
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
                    size: inode.size() as u64,
                    is_dir: false,
                    modified_ms: inode.mtime_ms(),
                    read_only: inode.read_only(),
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
        let existing = self.tree.borrow().get(&abs).cloned();
        match existing {
            // `f/.` walks through `f`, so `f` must already be a directory (Linux's answers).
            Some(Node::File(_)) if path.ends_with("/.") => {
                return Err(IoError::os(ErrorKind::NotADirectory, path))
            }
            Some(_) => return Err(IoError::os(ErrorKind::FileExists, path)),
            None if path.ends_with("/.") => return Err(IoError::os(ErrorKind::FileNotFound, path)),
            None => {}
        }
        self.tree.borrow_mut().mkdir(abs);
        Ok(())
    }

    /// `os.makedirs(path, exist_ok)`: creates every missing directory on the way.
    pub fn makedirs(&self, path: &str, exist_ok: bool) -> IoResult<()> {
        let abs = self.absolute(path)?;
        let mut created = false;
        let mut prefix = String::new();
        for part in abs.split('/').filter(|p| !p.is_empty()) {
            prefix = format!("{prefix}/{part}");
            let node = self.tree.borrow().get(&prefix).cloned();
            match node {
                Some(Node::Dir { .. }) => {}
                Some(Node::File(_)) => {
                    let last = prefix == abs && !path.ends_with("/.");
                    let kind = if last { ErrorKind::FileExists } else { ErrorKind::NotADirectory };
                    return Err(IoError::os(kind, path));
                }
                None => {
                    self.tree.borrow_mut().mkdir(prefix.clone());
                    created = true;
                }
            }
        }
        if !created && !exist_ok {
            return Err(IoError::os(ErrorKind::FileExists, path));
        }
        Ok(())
    }

    /// `os.remove`: deletes a file (open handles keep their data until closed).
    pub fn remove(&self, path: &str) -> IoResult<()> {
        match self.node(path)? {
            (abs, Node::File(_)) => {
                self.tree.borrow_mut().remove(&abs);
                Ok(())
            }
            (_, Node::Dir { .. }) => Err(IoError::os(ErrorKind::IsADirectory, path)),
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
                self.tree.borrow_mut().remove(&abs);
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
        // Linux finds both paths' directories first, then refuses a last name of `.` or
        // `..` (or the root) as a directory in use, before it looks at the source itself.
        let (src_dots, dst_dots) = (dot_container(from), dot_container(to));
        if src_dots.is_some() || dst_dots.is_some() {
            for (path, abs, dots) in [(from, &src_abs, src_dots), (to, &dst_abs, dst_dots)] {
                match dots {
                    Some(dir) => match self.node(if dir.is_empty() { "." } else { dir }).map_err(both)?.1 {
                        Node::Dir { .. } => {}
                        Node::File(_) => return Err(os2(ErrorKind::NotADirectory)),
                    },
                    None => self.check_parents(abs, path).map_err(both)?,
                }
            }
            return Err(IoError::busy2(from, to));
        }
        let src = self.node(from).map_err(both)?.1;
        self.check_parents(&dst_abs, to).map_err(both)?;
        let dst = self.tree.borrow().get(&dst_abs).cloned();
        // A trailing `/` names a directory: a file never moves there, as on Linux.
        if matches!(src, Node::File(_)) && names_directory(to) {
            return Err(os2(ErrorKind::NotADirectory));
        }
        // Linux checks where the two are before what they are (`do_renameat2`, against
        // `lock_rename`'s common ancestor): a source above its target (or the root, above
        // everything) is EINVAL, a target above its source ENOTEMPTY.
        if src_abs != dst_abs && (src_abs == "/" || dst_abs.starts_with(&format!("{src_abs}/"))) {
            return Err(os2(ErrorKind::Os));
        }
        if src_abs.starts_with(&format!("{dst_abs}/")) {
            return Err(IoError::not_empty2(from, to));
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
            _ => {}
        }
        if !self.tree.borrow_mut().rename(&src_abs, &dst_abs) {
            return Err(IoError::name_too_long(to));
        }
        Ok(())
    }

    /// Marks a file read-only (or writable again), to meet `PermissionError` on purpose.
    pub fn set_read_only(&self, path: &str, read_only: bool) -> IoResult<()> {
        match self.node(path)? {
            (_, Node::File(inode)) => {
                self.tree.borrow_mut().set_read_only(&inode, read_only);
                Ok(())
            }
            (_, Node::Dir { .. }) => Err(IoError::os(ErrorKind::IsADirectory, path)),
        }
    }

    /// The whole contents of a file (for export and the file browser), without opening it.
    pub fn read_file(&self, path: &str) -> IoResult<Vec<u8>> {
        self.with_file_bytes(path, <[u8]>::to_vec)
    }

    /// Hands `read` a file's bytes where they lie, without opening the file or copying
    /// them (the file browser sends a download or a preview from there). `read` must not
    /// write to the file, which is borrowed meanwhile.
    pub fn with_file_bytes<R>(&self, path: &str, read: impl FnOnce(&[u8]) -> R) -> IoResult<R> {
        match self.node(path)? {
            (_, Node::File(inode)) => Ok(read(inode.borrow().data())),
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
        tree.open_files().map(|(fd, entry)| OpenFile { fd, entry: entry.clone() }).collect()
    }

    /// Raw calls and bytes of every file so far.
    pub fn counts(&self) -> IoCounts {
        self.tree.borrow().counts()
    }

    /// Bytes used and the quota.
    pub fn usage(&self) -> (u64, u64) {
        self.tree.borrow().usage()
    }

    /// Changes the quota (files already larger stay; further growth fails).
    pub fn set_quota(&self, quota: u64) {
        self.tree.borrow_mut().set_quota(quota);
    }

    /// Takes the errors met while closing files that were dropped open.
    pub fn take_unraisable(&self) -> Vec<String> {
        self.tree.borrow_mut().take_unraisable()
    }

    /// Tells `wake` of changes: it is called at the first change after subscribing or
    /// after the last [`Subscription::take_changed`]; later changes only set the
    /// subscription's flag. Dropping the [`Subscription`] unsubscribes.
    ///
    /// `wake` may be called in the middle of a file-system operation, so it must only
    /// schedule work (spawn a task, start a timer) and never touch the file system itself.
    pub fn subscribe(&self, wake: impl Fn() + 'static) -> Subscription {
        self.tree.borrow_mut().subscribe(wake)
    }

    /// Puts back the starting files and nothing else (open handles keep their data).
    pub fn reset(&self) {
        self.tree.borrow_mut().reset();
    }
}

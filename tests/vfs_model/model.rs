//! The reference model of the file system that `tests/vfs_model.rs` checks the real one
//! against: a map of absolute path to "directory" or "file", files pointing at contents
//! (inodes, so an open handle keeps its file after a rename or a remove, as on POSIX),
//! the current directory, the quota and the open handles. It is written for clarity, not
//! speed, and shares no code with `src/vfs/`: every rule below is POSIX's (as Linux and
//! CPython show it), or the virtual file system's documented choice where it has one
//! (paths are normalised lexically, so `a/../b` is `b` even when `a` is missing).

use std::collections::BTreeMap;

use notebook::vfs::ErrorKind;

/// What the model refuses with: the Python class, and the exact message where the model
/// knows it (the `[Errno N] text: 'path'` family and "No space left on device").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub kind: ErrorKind,
    pub message: Option<String>,
}

pub type MResult<T> = Result<T, Refusal>;

fn errno(kind: ErrorKind) -> (i32, &'static str) {
    match kind {
        ErrorKind::FileNotFound => (2, "No such file or directory"),
        ErrorKind::Permission => (13, "Permission denied"),
        ErrorKind::FileExists => (17, "File exists"),
        ErrorKind::NotADirectory => (20, "Not a directory"),
        ErrorKind::IsADirectory => (21, "Is a directory"),
        _ => (22, "Invalid argument"),
    }
}

/// `[Errno N] text: 'path'`.
pub fn os(kind: ErrorKind, path: &str) -> Refusal {
    let (n, text) = errno(kind);
    Refusal { kind, message: Some(format!("[Errno {n}] {text}: '{path}'")) }
}

/// `[Errno N] text: 'from' -> 'to'`.
pub fn os2(kind: ErrorKind, from: &str, to: &str) -> Refusal {
    let (n, text) = errno(kind);
    Refusal { kind, message: Some(format!("[Errno {n}] {text}: '{from}' -> '{to}'")) }
}

fn no_space() -> Refusal {
    Refusal { kind: ErrorKind::Os, message: Some("[Errno 28] No space left on device".into()) }
}

/// A plain `OSError` whose message the model does not pin (not empty, invalid argument).
/// Whether `path` ends in a way that names a directory (`/` or `/.`), as Linux reads it.
fn names_directory(path: &str) -> bool {
    path.ends_with('/') || path.ends_with("/.")
}

/// Whether the last name of `path` is `.` or `..`, or `path` is the root.
fn ends_in_dots(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or("");
    (trimmed.is_empty() && path.starts_with('/')) || last == "." || last == ".."
}

/// The directory a path ending in dots is named from (`a/..`: `a`; `.`: the current one).
fn named_from(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some(("", _)) | None if path.starts_with('/') => "/".into(),
        Some((head, _)) => head.into(),
        None => ".".into(),
    }
}

fn other_os() -> Refusal {
    Refusal { kind: ErrorKind::Os, message: None }
}

fn unsupported() -> Refusal {
    Refusal { kind: ErrorKind::UnsupportedOperation, message: None }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    Dir,
    File(usize),
}

#[derive(Debug, Clone, Default)]
struct Inode {
    data: Vec<u8>,
    linked: bool,
    read_only: bool,
}

/// An open unbuffered binary handle.
#[derive(Debug, Clone)]
struct Handle {
    inode: usize,
    pos: usize,
    readable: bool,
    writable: bool,
    append: bool,
}

/// How `open` treats the file: Python's primary mode letter and `+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenMode {
    pub letter: char,
    pub plus: bool,
}

impl OpenMode {
    fn readable(self) -> bool {
        self.letter == 'r' || self.plus
    }

    fn writable(self) -> bool {
        self.letter != 'r' || self.plus
    }
}

/// The model's whole state.
#[derive(Debug, Clone)]
pub struct Model {
    nodes: BTreeMap<String, Node>,
    inodes: Vec<Inode>,
    cwd: String,
    /// The current directory was removed (POSIX keeps the process in it; relative paths
    /// then fail, even if a directory of the same name is made again).
    cwd_removed: bool,
    quota: u64,
    handles: Vec<Option<Handle>>,
}

/// Lexical normalisation: join to `cwd`, drop `.` and empty parts, `..` pops (not past `/`).
fn normalise(cwd: &str, path: &str) -> String {
    let full = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in full.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Every proper ancestor of `abs`, from the root down (without `/` itself).
fn ancestors(abs: &str) -> Vec<String> {
    let parts: Vec<&str> = abs.split('/').filter(|p| !p.is_empty()).collect();
    (1..parts.len()).map(|n| format!("/{}", parts[..n].join("/"))).collect()
}

fn is_below(path: &str, dir: &str) -> bool {
    dir == "/" || path.starts_with(&format!("{dir}/"))
}

impl Model {
    /// A file system holding `/`, `/home`, `/home/user` and `/tmp`, in `/home/user`.
    pub fn new(quota: u64, slots: usize) -> Model {
        let nodes = ["/", "/home", "/home/user", "/tmp"].iter().map(|d| (d.to_string(), Node::Dir)).collect();
        Model {
            nodes,
            inodes: Vec::new(),
            cwd: "/home/user".into(),
            cwd_removed: false,
            quota,
            handles: vec![None; slots],
        }
    }

    /// Whether inode `i` counts against the quota: a path names it or a handle holds it
    /// open (POSIX frees a removed file's blocks at its last close).
    fn counted(&self, i: usize) -> bool {
        self.inodes[i].linked || self.handles.iter().flatten().any(|h| h.inode == i)
    }

    /// The bytes all counted files hold.
    pub fn used(&self) -> u64 {
        (0..self.inodes.len()).filter(|i| self.counted(*i)).map(|i| self.inodes[i].data.len() as u64).sum()
    }

    /// The current directory.
    pub fn cwd(&self) -> &str {
        &self.cwd
    }

    /// How many handles are open.
    pub fn open_handles(&self) -> usize {
        self.handles.iter().flatten().count()
    }

    /// Every path with `None` for a directory and the contents for a file.
    pub fn snapshot(&self) -> BTreeMap<String, Option<Vec<u8>>> {
        self.nodes
            .iter()
            .map(|(path, node)| {
                let value = match node {
                    Node::Dir => None,
                    Node::File(i) => Some(self.inodes[*i].data.clone()),
                };
                (path.clone(), value)
            })
            .collect()
    }

    fn absolute(&self, path: &str) -> MResult<String> {
        if path.is_empty() || (self.cwd_removed && !path.starts_with('/')) {
            return Err(os(ErrorKind::FileNotFound, path));
        }
        // Resolved one name at a time: each `..` leaves a directory that must be there.
        let full = if path.starts_with('/') { path.to_string() } else { format!("{}/{path}", self.cwd) };
        let mut parts: Vec<&str> = Vec::new();
        for part in full.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    match self.nodes.get(&format!("/{}", parts.join("/"))) {
                        Some(Node::Dir) => {}
                        Some(Node::File(_)) => return Err(os(ErrorKind::NotADirectory, path)),
                        None => return Err(os(ErrorKind::FileNotFound, path)),
                    }
                    parts.pop();
                }
                name => parts.push(name),
            }
        }
        Ok(normalise(&self.cwd, path))
    }

    /// The path's absolute form and node, after checking every directory above it: the
    /// first ancestor that is missing (`FileNotFoundError`) or a file
    /// (`NotADirectoryError`) refuses.
    fn lookup(&self, path: &str) -> MResult<(String, Option<Node>)> {
        let abs = self.absolute(path)?;
        for dir in ancestors(&abs) {
            match self.nodes.get(&dir) {
                Some(Node::Dir) => {}
                Some(Node::File(_)) => return Err(os(ErrorKind::NotADirectory, path)),
                None => return Err(os(ErrorKind::FileNotFound, path)),
            }
        }
        let node = self.nodes.get(&abs).copied();
        // `f/.` or `f/` can only name a directory.
        if matches!(node, Some(Node::File(_))) && names_directory(path) {
            return Err(os(ErrorKind::NotADirectory, path));
        }
        Ok((abs, node))
    }

    fn children(&self, abs: &str) -> Vec<String> {
        self.nodes
            .keys()
            .filter(|p| *p != abs && is_below(p, abs))
            .map(|p| p[if abs == "/" { 1 } else { abs.len() + 1 }..].to_string())
            .filter(|rest| !rest.contains('/'))
            .collect()
    }

    /// Grows (or shrinks) a file's charge, refusing growth past the quota (the file is
    /// open, so it counts, named or not).
    fn charge(&self, inode: usize, new_len: usize) -> MResult<()> {
        let node = &self.inodes[inode];
        if new_len > node.data.len() {
            let growth = (new_len - node.data.len()) as u64;
            if self.used() + growth > self.quota {
                return Err(no_space());
            }
        }
        Ok(())
    }

    /// `open(path, mode)`: the inode it opens (created or truncated as the mode says).
    fn open(&mut self, path: &str, mode: OpenMode) -> MResult<usize> {
        let (abs, node) = self.lookup(path)?;
        match node {
            // `x` asks for a new name first: any existing one is refused as existing.
            Some(_) if mode.letter == 'x' => Err(os(ErrorKind::FileExists, path)),
            Some(Node::Dir) => Err(os(ErrorKind::IsADirectory, path)),
            Some(Node::File(i)) => {
                if mode.letter == 'x' {
                    return Err(os(ErrorKind::FileExists, path));
                }
                if mode.writable() && self.inodes[i].read_only {
                    return Err(os(ErrorKind::Permission, path));
                }
                if mode.letter == 'w' {
                    self.inodes[i].data.clear();
                }
                Ok(i)
            }
            // `new/.` cannot be made: `new` would have to exist first.
            None if mode.letter == 'r' || names_directory(path) => Err(os(ErrorKind::FileNotFound, path)),
            None => {
                self.inodes.push(Inode { linked: true, ..Inode::default() });
                let i = self.inodes.len() - 1;
                self.nodes.insert(abs, Node::File(i));
                Ok(i)
            }
        }
    }

    /// Writes `data` at `pos` of inode `i` (zeros fill a gap); returns the end.
    fn write_at(&mut self, i: usize, pos: usize, data: &[u8]) -> MResult<usize> {
        let end = pos + data.len();
        self.charge(i, end.max(self.inodes[i].data.len()))?;
        let file = &mut self.inodes[i].data;
        if file.len() < end {
            file.resize(end, 0);
        }
        file[pos..end].copy_from_slice(data);
        Ok(end)
    }

    /// Opens with `mode`, writes `data` at the start (at the end for `a`) and closes.
    pub fn write_file(&mut self, path: &str, mode: OpenMode, data: &[u8]) -> MResult<()> {
        let i = self.open(path, mode)?;
        if !data.is_empty() {
            let pos = if mode.letter == 'a' { self.inodes[i].data.len() } else { 0 };
            self.write_at(i, pos, data)?;
        }
        Ok(())
    }

    /// Opens `r+` and truncates to `size` (cutting, or extending with zeros).
    pub fn truncate(&mut self, path: &str, size: usize) -> MResult<()> {
        let i = self.open(path, OpenMode { letter: 'r', plus: true })?;
        self.charge(i, size)?;
        self.inodes[i].data.resize(size, 0);
        Ok(())
    }

    /// Opens `r` and reads everything.
    pub fn read_file(&mut self, path: &str) -> MResult<Vec<u8>> {
        let i = self.open(path, OpenMode { letter: 'r', plus: false })?;
        Ok(self.inodes[i].data.clone())
    }

    fn unlink(&mut self, abs: &str) {
        if let Some(Node::File(i)) = self.nodes.remove(abs) {
            self.inodes[i].linked = false;
        }
    }

    /// `os.rename`.
    pub fn rename(&mut self, from: &str, to: &str) -> MResult<()> {
        // Errors name both paths, as `os.rename`'s do.
        let both = |r: Refusal| if r.message.is_some() { os2(r.kind, from, to) } else { r };
        let src_abs = self.absolute(from).map_err(both)?;
        let dst_abs = self.absolute(to).map_err(both)?;
        // A last name of `.` or `..`, or the root, is a directory in use (EBUSY), once the
        // directory it is named from is found: Linux looks no further.
        if ends_in_dots(from) || ends_in_dots(to) {
            for path in [from, to] {
                if !ends_in_dots(path) {
                    // Only the directories above a name are looked up.
                    let abs = self.absolute(path).map_err(both)?;
                    for dir in ancestors(&abs) {
                        match self.nodes.get(&dir) {
                            Some(Node::Dir) => {}
                            Some(Node::File(_)) => return Err(os2(ErrorKind::NotADirectory, from, to)),
                            None => return Err(os2(ErrorKind::FileNotFound, from, to)),
                        }
                    }
                    continue;
                }
                match self.lookup(&named_from(path)).map_err(both)? {
                    (_, Some(Node::Dir)) => {}
                    (_, Some(Node::File(_))) => return Err(os2(ErrorKind::NotADirectory, from, to)),
                    (_, None) => return Err(os2(ErrorKind::FileNotFound, from, to)),
                }
            }
            let message = format!("[Errno 16] Device or resource busy: '{from}' -> '{to}'");
            return Err(Refusal { kind: ErrorKind::Os, message: Some(message) });
        }
        let src = match self.lookup(from).map_err(both)? {
            (_, Some(node)) => node,
            (_, None) => return Err(os2(ErrorKind::FileNotFound, from, to)),
        };
        let (_, dst) = self.lookup(to).map_err(both)?;
        if dst_abs == "/" && src_abs != "/" {
            return Err(other_os());
        }
        if to.ends_with("/.") {
            return Err(match dst {
                None => os2(ErrorKind::FileNotFound, from, to),
                Some(Node::File(_)) => os2(ErrorKind::NotADirectory, from, to),
                Some(Node::Dir) => other_os(),
            });
        }
        if matches!(src, Node::File(_)) && names_directory(to) {
            return Err(os2(ErrorKind::NotADirectory, from, to));
        }
        // Where the two are comes before what they are, as in Linux: a source above its
        // target (or the root) is EINVAL, a target above its source ENOTEMPTY.
        let above = src_abs != dst_abs && (src_abs == "/" || is_below(&dst_abs, &src_abs));
        if above || is_below(&src_abs, &dst_abs) {
            return Err(other_os());
        }
        if src_abs == dst_abs {
            return Ok(());
        }
        match (src, dst) {
            (Node::File(_), Some(Node::Dir)) => return Err(os2(ErrorKind::IsADirectory, from, to)),
            (Node::Dir, Some(Node::File(_))) => return Err(os2(ErrorKind::NotADirectory, from, to)),
            (Node::Dir, Some(Node::Dir)) if !self.children(&dst_abs).is_empty() => return Err(other_os()),
            (_, Some(Node::File(_))) => self.unlink(&dst_abs),
            _ => {}
        }
        let moved: Vec<String> =
            self.nodes.keys().filter(|p| **p == src_abs || is_below(p, &src_abs)).cloned().collect();
        for old in moved {
            if let Some(node) = self.nodes.remove(&old) {
                self.nodes.insert(format!("{dst_abs}{}", &old[src_abs.len()..]), node);
            }
        }
        // The process stays in its directory wherever it moves.
        if self.cwd == src_abs || is_below(&self.cwd, &src_abs) {
            self.cwd = format!("{dst_abs}{}", &self.cwd[src_abs.len()..]);
        }
        Ok(())
    }

    /// `os.remove`.
    pub fn remove(&mut self, path: &str) -> MResult<()> {
        match self.lookup(path)? {
            (abs, Some(Node::File(_))) => {
                self.unlink(&abs);
                Ok(())
            }
            (_, Some(Node::Dir)) => Err(os(ErrorKind::IsADirectory, path)),
            (_, None) => Err(os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.mkdir`.
    pub fn mkdir(&mut self, path: &str) -> MResult<()> {
        match self.lookup(path)? {
            (_, Some(_)) => Err(os(ErrorKind::FileExists, path)),
            (_, None) if path.ends_with("/.") => Err(os(ErrorKind::FileNotFound, path)),
            (abs, None) => {
                self.nodes.insert(abs, Node::Dir);
                Ok(())
            }
        }
    }

    /// `os.makedirs(path, exist_ok)`.
    pub fn makedirs(&mut self, path: &str, exist_ok: bool) -> MResult<()> {
        let abs = self.absolute(path)?;
        let mut made = false;
        let mut chain = ancestors(&abs);
        if abs != "/" {
            chain.push(abs.clone());
        }
        for dir in chain {
            match self.nodes.get(&dir) {
                Some(Node::Dir) => {}
                Some(Node::File(_)) if dir == abs && !path.ends_with("/.") => {
                    return Err(os(ErrorKind::FileExists, path))
                }
                Some(Node::File(_)) => return Err(os(ErrorKind::NotADirectory, path)),
                None => {
                    self.nodes.insert(dir, Node::Dir);
                    made = true;
                }
            }
        }
        if made || exist_ok {
            Ok(())
        } else {
            Err(os(ErrorKind::FileExists, path))
        }
    }

    /// `os.rmdir`.
    pub fn rmdir(&mut self, path: &str) -> MResult<()> {
        match self.lookup(path)? {
            (abs, Some(Node::Dir)) => {
                if abs == "/" || !self.children(&abs).is_empty() {
                    return Err(other_os());
                }
                self.nodes.remove(&abs);
                if self.cwd == abs {
                    self.cwd_removed = true;
                }
                Ok(())
            }
            (_, Some(Node::File(_))) => Err(os(ErrorKind::NotADirectory, path)),
            (_, None) => Err(os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.listdir`, sorted.
    pub fn listdir(&self, path: &str) -> MResult<Vec<String>> {
        match self.lookup(path)? {
            (abs, Some(Node::Dir)) => Ok(self.children(&abs)),
            (_, Some(Node::File(_))) => Err(os(ErrorKind::NotADirectory, path)),
            (_, None) => Err(os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.stat`: size and whether it is a directory.
    pub fn stat(&self, path: &str) -> MResult<(u64, bool)> {
        match self.lookup(path)? {
            (_, Some(Node::Dir)) => Ok((0, true)),
            (_, Some(Node::File(i))) => Ok((self.inodes[i].data.len() as u64, false)),
            (_, None) => Err(os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.chdir`.
    pub fn chdir(&mut self, path: &str) -> MResult<()> {
        match self.lookup(path)? {
            (abs, Some(Node::Dir)) => {
                self.cwd = abs;
                self.cwd_removed = false;
                Ok(())
            }
            (_, Some(Node::File(_))) => Err(os(ErrorKind::NotADirectory, path)),
            (_, None) => Err(os(ErrorKind::FileNotFound, path)),
        }
    }

    /// Marks a file read-only or writable.
    pub fn set_read_only(&mut self, path: &str, read_only: bool) -> MResult<()> {
        match self.lookup(path)? {
            (_, Some(Node::File(i))) => {
                self.inodes[i].read_only = read_only;
                Ok(())
            }
            (_, Some(Node::Dir)) => Err(os(ErrorKind::IsADirectory, path)),
            (_, None) => Err(os(ErrorKind::FileNotFound, path)),
        }
    }

    /// Opens an unbuffered binary handle in `slot` (closing what was there).
    pub fn hold(&mut self, slot: usize, path: &str, mode: OpenMode) -> MResult<()> {
        self.handles[slot] = None;
        let inode = self.open(path, mode)?;
        let pos = if mode.letter == 'a' { self.inodes[inode].data.len() } else { 0 };
        let handle = Handle {
            inode,
            pos,
            readable: mode.readable(),
            writable: mode.writable(),
            append: mode.letter == 'a',
        };
        self.handles[slot] = Some(handle);
        Ok(())
    }

    /// One write through the handle in `slot`; `None` when the slot is empty.
    pub fn held_write(&mut self, slot: usize, data: &[u8]) -> Option<MResult<usize>> {
        let handle = self.handles[slot].clone()?;
        if !handle.writable {
            return Some(Err(unsupported()));
        }
        if data.is_empty() {
            return Some(Ok(0));
        }
        let pos = if handle.append { self.inodes[handle.inode].data.len() } else { handle.pos };
        Some(self.write_at(handle.inode, pos, data).map(|end| {
            if let Some(h) = self.handles[slot].as_mut() {
                h.pos = end;
            }
            data.len()
        }))
    }

    /// One read of at most `n` bytes through the handle in `slot`.
    pub fn held_read(&mut self, slot: usize, n: usize) -> Option<MResult<Vec<u8>>> {
        let handle = self.handles[slot].as_mut()?;
        if !handle.readable {
            return Some(Err(unsupported()));
        }
        let data = &self.inodes[handle.inode].data;
        let start = handle.pos.min(data.len());
        let end = (start + n).min(data.len());
        handle.pos += end - start;
        Some(Ok(data[start..end].to_vec()))
    }

    /// Seeks the handle in `slot` to `pos` from the start.
    pub fn held_seek(&mut self, slot: usize, pos: usize) -> Option<u64> {
        let handle = self.handles[slot].as_mut()?;
        handle.pos = pos;
        Some(pos as u64)
    }

    /// Closes the handle in `slot`.
    pub fn held_close(&mut self, slot: usize) {
        self.handles[slot] = None;
    }
}

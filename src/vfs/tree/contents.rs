//! The tree's operations on a file's bytes and handles: every growth is charged to the
//! quota before it happens, every write marks the file changed and tells the hub, and
//! a file's bytes stop counting when no path names it and no handle holds it open.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::{Inode, InodeRef, OpenEntry, Tree};
use crate::vfs::copy::append_bytes;
use crate::vfs::counters::IoCounts;
use crate::vfs::error::{IoError, IoResult};

impl Tree {
    /// A new linked inode holding `data`, counted against the quota (the caller checked
    /// it, or restores a save).
    pub(super) fn new_inode(&mut self, data: Vec<u8>) -> InodeRef {
        self.new_inode_with_id(self.next_inode, data)
    }

    /// [`Tree::new_inode`] with a given id (restoring a save); later ids come after it.
    pub(super) fn new_inode_with_id(&mut self, id: u64, data: Vec<u8>) -> InodeRef {
        self.next_inode = self.next_inode.max(id.saturating_add(1));
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

    /// Writes `data` at byte `at` (`None`: at the end, as append mode does), zero-filling
    /// any gap; returns where the write ended. Fails with `ENOSPC`, writing nothing, when
    /// the growth would pass the quota or what this machine can address (a seek far
    /// beyond the end on a 32-bit wasm host can only mean a file larger than any quota).
    pub fn write_at(&mut self, inode: &InodeRef, at: Option<u64>, data: &[u8]) -> IoResult<u64> {
        let mut node = inode.borrow_mut();
        let at = at.unwrap_or(node.data.len() as u64);
        let end = usize::try_from(at).ok().and_then(|start| start.checked_add(data.len()));
        let Some(end) = end else { return Err(IoError::no_space()) };
        let start = end - data.len();
        let old_len = node.data.len();
        self.charge(old_len, old_len.max(end))?;
        if start == old_len {
            // Appending (the common case): copy once, no zero-fill first.
            append_bytes(&mut node.data, data);
        } else {
            if end > old_len {
                node.data.resize(end, 0);
            }
            node.data[start..end].copy_from_slice(data);
        }
        Self::contents_changed(&mut node);
        drop(node);
        self.changes.notify();
        Ok(end as u64)
    }

    /// Cuts or extends (with zeros) a file to `len` bytes; fails with `ENOSPC`, changing
    /// nothing, when the growth would pass the quota.
    pub fn resize(&mut self, inode: &InodeRef, len: usize) -> IoResult<()> {
        let mut node = inode.borrow_mut();
        self.charge(node.data.len(), len)?;
        node.data.resize(len, 0);
        Self::contents_changed(&mut node);
        drop(node);
        self.changes.notify();
        Ok(())
    }

    fn contents_changed(inode: &mut Inode) {
        inode.mtime_ms = crate::clock::stamp_ms();
        inode.dirty = true;
    }

    /// Accounts for a counted file growing or shrinking from `old` to `new` bytes (named
    /// or not, a file being written is open, so it counts); fails with `ENOSPC`,
    /// changing nothing, when growth would pass the quota.
    #[inline]
    fn charge(&mut self, old: usize, new: usize) -> IoResult<()> {
        let (old, new) = (old as u64, new as u64);
        if new > old && self.used.saturating_add(new - old) > self.quota {
            return Err(IoError::no_space());
        }
        self.used = self.used + new - old;
        Ok(())
    }

    /// Opens a handle on `inode`, at `abs` with `mode`: the lowest free descriptor from 3
    /// up, recorded in the open-file table under the current owner.
    pub fn open_handle(&mut self, inode: &InodeRef, abs: &str, mode: &str) -> i32 {
        inode.borrow_mut().open_handles += 1;
        let fd = (3..).find(|fd| !self.fds.contains_key(fd)).unwrap_or(3);
        let entry = OpenEntry { path: abs.to_string(), mode: mode.to_string(), owner: self.owner.clone() };
        self.fds.insert(fd, entry);
        fd
    }

    /// The totals every handle's counters add to.
    pub fn totals(&self) -> Rc<Cell<IoCounts>> {
        Rc::clone(&self.totals)
    }

    /// Closes the handle `fd` on `inode`: frees the descriptor, and the file's bytes if
    /// it was removed while open and this was its last handle.
    pub fn close_handle(&mut self, fd: i32, inode: &InodeRef) {
        self.fds.remove(&fd);
        let mut node = inode.borrow_mut();
        node.open_handles = node.open_handles.saturating_sub(1);
        self.release_if_unused(&node);
    }

    /// No path names `inode` any more.
    pub(super) fn unlink(&mut self, inode: &InodeRef) {
        let mut node = inode.borrow_mut();
        if node.linked {
            node.linked = false;
            self.release_if_unused(&node);
        }
    }

    /// Stops counting a file that no path names and no handle holds open any more.
    fn release_if_unused(&mut self, inode: &Inode) {
        if !inode.linked && inode.open_handles == 0 {
            self.used = self.used.saturating_sub(inode.data.len() as u64);
        }
    }
}

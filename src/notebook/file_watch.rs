//! The kernel's watch on its files: told by the file system's change hub that something
//! changed, it waits a moment (a burst of writes is one change), lists the files, and
//! sends the page what differs from what it last sent (`files_changed`). So the file
//! browser follows every change, a long cell's and a worker's included, without asking.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use super::file_changes::{diff, is_empty, Snapshot};
use super::file_ops::snapshot;
use super::outbox::Outbox;
use super::protocol::{FileEntry, ToPage};
use crate::platform::Platform;
use crate::vfs::{FileSystem, IoResult, Subscription};

/// How long a burst of changes may go on before the page hears of it: a few times a
/// second keeps the file browser current without redrawing it for every write.
const SETTLE: Duration = Duration::from_millis(250);

/// Watches one file system for as long as it is kept (dropping it unsubscribes).
pub struct FileWatch {
    fs: FileSystem,
    platform: Rc<dyn Platform>,
    outbox: Rc<Outbox>,
    /// What the page was last told (or the files when the watch began).
    told: RefCell<Vec<Snapshot>>,
    /// The hub wakes the watch once per burst: at the first change after `tell` re-arms
    /// it, so a telling is scheduled at most once at a time.
    subscription: Subscription,
}

impl FileWatch {
    /// Starts watching `fs`; the page is told of changes made from now on.
    pub fn start(fs: &FileSystem, platform: Rc<dyn Platform>, outbox: Rc<Outbox>) -> Rc<FileWatch> {
        Rc::new_cyclic(|watch: &Weak<FileWatch>| {
            let watch = watch.clone();
            FileWatch {
                fs: fs.clone(),
                platform,
                outbox,
                told: RefCell::new(snapshot(fs).unwrap_or_default()),
                subscription: fs.subscribe(move || FileWatch::wake(&watch)),
            }
        })
    }

    /// Every file and directory now, as the page asks for them: the page then knows them
    /// all, so later notices count from this listing.
    pub fn listing(&self) -> IoResult<Vec<FileEntry>> {
        let now = snapshot(&self.fs)?;
        let entries = now.iter().map(|s| s.entry.clone()).collect();
        *self.told.borrow_mut() = now;
        Ok(entries)
    }

    /// Called by the hub inside a file operation: only schedules the telling.
    fn wake(watch: &Weak<FileWatch>) {
        let Some(this) = watch.upgrade() else { return };
        let (sleep, watch) = (this.platform.sleep(SETTLE), watch.clone());
        this.platform.spawn(Box::pin(async move {
            sleep.await;
            if let Some(watch) = watch.upgrade() {
                watch.tell();
            }
        }));
    }

    /// Sends the page what changed since it was last told, and re-arms the hub.
    fn tell(&self) {
        self.subscription.take_changed();
        let Ok(now) = snapshot(&self.fs) else { return };
        let change = diff(&self.told.borrow(), &now);
        *self.told.borrow_mut() = now;
        if !is_empty(&change) {
            self.outbox.send(None, ToPage::FilesChanged(change));
        }
    }
}

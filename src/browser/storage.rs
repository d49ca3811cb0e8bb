//! Keeps the kernel's files in IndexedDB (through the `idb` crate), shared by every tab of
//! the notebook, so they survive a reload, a kernel restart, a crash and another tab.
//!
//! The database holds one record per path (`paths`: kind, flags, time and the number of
//! the save that wrote it) and each file's contents beside it (`contents`, by path). A
//! save writes only the paths this tab changed, each whole, and numbers itself after the
//! last save (`meta`), all in one transaction: IndexedDB commits it whole or not at all
//! and runs overlapping ones one after the other, so every file is whole after a kill and
//! a higher number is always a later write. After a save a tab tells the others on a
//! `BroadcastChannel`; they read the paths written since they last agreed on them and
//! take them in, except the ones they changed themselves meanwhile (theirs are saved
//! later, and win). What to save and what to take is `vfs::Replica`'s business; this
//! module only reads and writes.
//!
//! Version 1 of the database kept the whole list of paths in one record and contents by
//! inode number; its files are moved into the version 2 layout at the first open.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use futures::future::{select, Either};
use idb::{Database, DatabaseEvent, Factory, ObjectStore, ObjectStoreParams, TransactionMode};
use serde::Deserialize;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::notebook::protocol::StorageStatus;
use crate::vfs::{FileSystem, NodeKind, Outgoing, Replica, StoredEntry, StoredNode, Subscription};

/// The version of the database's layout.
const VERSION: u32 = 2;
/// The number of the last save (`SEQ_KEY`); in version 1, the list of paths.
const META: &str = "meta";
/// Path → its record, as JSON.
const PATHS: &str = "paths";
/// Path → a file's contents.
const CONTENTS: &str = "contents";
const SEQ_KEY: &str = "seq";
/// Version 1: the list of every path (`meta`), contents by inode (`blobs`), and the
/// stamp of the last writer (`meta`).
const V1_TREE_KEY: &str = "tree";
const V1_WRITER_KEY: &str = "writer";
const V1_BLOBS: &str = "blobs";

/// An open files database.
pub struct Storage {
    db: Database,
    /// Set when a newer version of the notebook, in another tab, asked to upgrade the
    /// database: this connection is closed then, so as not to hold the other tab up.
    superseded: Rc<Cell<bool>>,
}

/// Why the files could not be loaded or saved, in words the storage notice shows.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The browser's IndexedDB refused (private browsing, quota, storage cleared, ...).
    #[error("{0}")]
    Browser(#[from] idb::Error),
    /// A saved record is not what a save writes.
    #[error("a saved record is damaged: {0}")]
    Damaged(#[from] serde_json::Error),
    /// A saved record is not text at all.
    #[error("a saved record is not text")]
    NotText,
    /// The browser aborted the save's transaction.
    #[error("the save was aborted")]
    Aborted,
    /// Another tab runs an older version of the notebook and holds the database open.
    #[error(
        "another tab runs an older version of this notebook and holds the saved files; close or \
         reload that tab, then reload this one"
    )]
    OlderTab,
    /// Another tab opened a newer version of the notebook, which changes the database.
    #[error("a newer version of this notebook was opened in another tab; reload this tab to keep saving its files")]
    Superseded,
}

impl StorageError {
    /// Whether the message says all there is (the tab itself is the cause, not a save).
    fn is_about_tabs(&self) -> bool {
        matches!(self, StorageError::OlderTab | StorageError::Superseded)
    }
}

impl Storage {
    /// Opens (creating or upgrading if needed) the database `name`. Fails with
    /// [`StorageError::OlderTab`] at once, rather than waiting, when a tab of an older
    /// version holds it open.
    pub async fn open(name: &str) -> Result<Storage, StorageError> {
        let factory = Factory::new()?;
        let mut request = factory.open(name, Some(VERSION))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            for store in [META, PATHS, CONTENTS] {
                if !db.store_names().iter().any(|s| s == store) {
                    let _ = db.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        let (blocked, unblocked) = futures::channel::oneshot::channel::<()>();
        request.on_blocked(move |_| {
            let _ = blocked.send(());
        });
        let opening = std::future::IntoFuture::into_future(request);
        let mut db = match select(opening, unblocked).await {
            Either::Left((db, _)) => db?,
            Either::Right((_, opening)) => {
                // The upgrade still runs when the older tab lets go; this tab does not use it.
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(db) = opening.await {
                        db.close();
                    }
                });
                return Err(StorageError::OlderTab);
            }
        };
        let superseded = Rc::new(Cell::new(false));
        let flag = Rc::clone(&superseded);
        db.on_version_change(move |event| {
            flag.set(true);
            if let Some(db) = event.target().and_then(|t| t.dyn_into::<web_sys::IdbDatabase>().ok()) {
                db.close();
            }
        });
        let storage = Storage { db, superseded };
        storage.move_version_1_files().await?;
        Ok(storage)
    }

    fn check_open(&self) -> Result<(), StorageError> {
        if self.superseded.get() {
            return Err(StorageError::Superseded);
        }
        Ok(())
    }

    /// Every saved path with its contents (nothing for a new database).
    pub async fn load(&self) -> Result<Vec<StoredEntry>, StorageError> {
        self.check_open()?;
        let tx = self.db.transaction(&[PATHS, CONTENTS], TransactionMode::ReadOnly)?;
        let (paths, contents) = (tx.object_store(PATHS)?, tx.object_store(CONTENTS)?);
        let records = read_records(&paths).await?;
        // One file at a time: a file's bytes are in JavaScript's memory only while copied.
        let mut entries = Vec::with_capacity(records.len());
        for (path, node) in records {
            let data = match node.kind {
                NodeKind::Dir => None,
                NodeKind::File => read_contents(&contents, &path).await?,
            };
            entries.push(StoredEntry { path, node, data });
        }
        Ok(entries)
    }

    /// Every saved path with the number of the save that wrote it.
    pub async fn index(&self) -> Result<Vec<(String, u64)>, StorageError> {
        self.check_open()?;
        let tx = self.db.transaction(&[PATHS], TransactionMode::ReadOnly)?;
        let records = read_records(&tx.object_store(PATHS)?).await?;
        Ok(records.into_iter().map(|(path, node)| (path, node.seq)).collect())
    }

    /// The saved entries of `paths` (those still there).
    pub async fn read(&self, paths: &[String]) -> Result<Vec<StoredEntry>, StorageError> {
        self.check_open()?;
        let tx = self.db.transaction(&[PATHS, CONTENTS], TransactionMode::ReadOnly)?;
        let (records, contents) = (tx.object_store(PATHS)?, tx.object_store(CONTENTS)?);
        let mut entries = Vec::with_capacity(paths.len());
        for path in paths {
            let key = JsValue::from_str(path);
            let Some(record) = records.get(key.clone())?.await? else { continue };
            let node = parse_record(record)?;
            let data = match node.kind {
                NodeKind::Dir => None,
                NodeKind::File => read_contents(&contents, path).await?,
            };
            entries.push(StoredEntry { path: path.clone(), node, data });
        }
        Ok(entries)
    }

    /// Writes one save in a single transaction, numbered after the last one, and answers
    /// its number.
    pub async fn save(&self, out: &Outgoing) -> Result<u64, StorageError> {
        self.check_open()?;
        let tx = self.db.transaction(&[META, PATHS, CONTENTS], TransactionMode::ReadWrite)?;
        let (meta, paths, contents) =
            (tx.object_store(META)?, tx.object_store(PATHS)?, tx.object_store(CONTENTS)?);
        let last = meta.get(JsValue::from_str(SEQ_KEY))?.await?.and_then(|v| v.as_f64()).unwrap_or(0.0);
        let seq = last as u64 + 1;
        for put in &out.puts {
            let key = JsValue::from_str(&put.path);
            let record = serde_json::to_string(&StoredNode { seq, ..put.node })?;
            paths.put(&JsValue::from_str(&record), Some(&key))?;
            match &put.data {
                Some(data) => {
                    contents.put(&js_sys::Uint8Array::from(data.as_slice()), Some(&key)).map(drop)?
                }
                None => contents.delete(key).map(drop)?,
            }
        }
        for path in &out.removals {
            paths.delete(JsValue::from_str(path))?;
            contents.delete(JsValue::from_str(path))?;
        }
        meta.put(&JsValue::from_f64(seq as f64), Some(&JsValue::from_str(SEQ_KEY)))?;
        if !tx.commit()?.await?.is_committed() {
            return Err(StorageError::Aborted);
        }
        Ok(seq)
    }

    /// Moves version 1's files (one list of paths, contents by inode) into the records of
    /// version 2, in one transaction; a database another tab moved already, or a new one,
    /// is left as it is.
    async fn move_version_1_files(&self) -> Result<(), StorageError> {
        if !self.db.store_names().iter().any(|s| s == V1_BLOBS) {
            return Ok(());
        }
        let tx = self.db.transaction(&[META, PATHS, CONTENTS, V1_BLOBS], TransactionMode::ReadWrite)?;
        let (meta, paths, contents, blobs) = (
            tx.object_store(META)?,
            tx.object_store(PATHS)?,
            tx.object_store(CONTENTS)?,
            tx.object_store(V1_BLOBS)?,
        );
        let Some(list) = meta.get(JsValue::from_str(V1_TREE_KEY))?.await? else {
            let _ = tx.abort()?.await; // nothing to move
            return Ok(());
        };
        if paths.count(None)?.await? == 0 {
            let list = list.as_string().ok_or(StorageError::NotText)?;
            let records: Vec<V1Record> = crate::json::from_str(&list)?;
            for record in records {
                let key = JsValue::from_str(&record.path);
                if let (NodeKind::File, Some(inode)) = (record.kind, record.inode) {
                    let Some(data) = blobs.get(JsValue::from_f64(inode as f64))?.await? else { continue };
                    contents.put(&data, Some(&key))?;
                }
                let node = StoredNode {
                    kind: record.kind,
                    read_only: record.read_only,
                    mtime_ms: record.mtime_ms,
                    seq: 1,
                };
                paths.put(&JsValue::from_str(&serde_json::to_string(&node)?), Some(&key))?;
            }
            meta.put(&JsValue::from_f64(1.0), Some(&JsValue::from_str(SEQ_KEY)))?;
        }
        meta.delete(JsValue::from_str(V1_TREE_KEY))?;
        meta.delete(JsValue::from_str(V1_WRITER_KEY))?;
        blobs.clear()?;
        if !tx.commit()?.await?.is_committed() {
            return Err(StorageError::Aborted);
        }
        Ok(())
    }
}

/// One path as version 1 listed it.
#[derive(Deserialize)]
struct V1Record {
    path: String,
    kind: NodeKind,
    inode: Option<u64>,
    #[serde(default)]
    read_only: bool,
    mtime_ms: f64,
}

/// Every record of the `paths` store, by path.
async fn read_records(paths: &ObjectStore) -> Result<Vec<(String, StoredNode)>, StorageError> {
    let keys = paths.get_all_keys(None, None)?.await?;
    let values = paths.get_all(None, None)?.await?;
    let mut records = Vec::with_capacity(keys.len());
    for (key, value) in keys.into_iter().zip(values) {
        let Some(path) = key.as_string() else { continue };
        records.push((path, parse_record(value)?));
    }
    Ok(records)
}

/// A file's contents, if the store has them.
async fn read_contents(contents: &ObjectStore, path: &str) -> Result<Option<Vec<u8>>, StorageError> {
    let value = contents.get(JsValue::from_str(path))?.await?;
    Ok(value.and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok()).map(|bytes| bytes.to_vec()))
}

fn parse_record(value: JsValue) -> Result<StoredNode, StorageError> {
    let json = value.as_string().ok_or(StorageError::NotText)?;
    Ok(crate::json::from_str(&json)?)
}

/// What saving has to tell the page.
pub enum SyncNews {
    /// Whether the files are being saved (said when that changes).
    Status(StorageStatus),
    /// Files of this tab another tab changed, its write being the later.
    Replaced(Vec<String>),
}

/// The channel's listener, kept as long as the loop's state.
type OnMessage = Closure<dyn Fn(web_sys::MessageEvent)>;

/// The saving loop's state, shared by its wake-ups.
struct Sync {
    fs: FileSystem,
    replica: RefCell<Replica>,
    storage: Rc<Storage>,
    /// Tells the other tabs of each save, and hears of theirs.
    channel: Option<web_sys::BroadcastChannel>,
    on_message: RefCell<Option<OnMessage>>,
    report: Box<dyn Fn(SyncNews)>,
    /// A loop is running: wake-ups only set the flags it reads.
    running: Cell<bool>,
    /// Another tab saved since this one last read the store.
    pull: Cell<bool>,
    /// The last save failed (said once, until one works again).
    failing: Cell<bool>,
}

/// Saves this tab's changes to `fs` after every burst, one save at a time (changes made
/// during a save go into the next one), and takes in the other tabs' saves as they are
/// announced. `report` hears when saving starts failing and works again, and which files
/// another tab replaced. It lasts as long as the returned subscription.
#[must_use = "saving stops when the subscription is dropped"]
pub fn keep_synced(
    fs: &FileSystem,
    replica: Replica,
    storage: Rc<Storage>,
    channel_name: &str,
    report: impl Fn(SyncNews) + 'static,
) -> Rc<Subscription> {
    let channel = web_sys::BroadcastChannel::new(channel_name)
        .inspect_err(|e| web_sys::console::warn_2(&"other tabs' saves will not be heard:".into(), e))
        .ok();
    let sync = Rc::new(Sync {
        fs: fs.clone(),
        replica: RefCell::new(replica),
        storage,
        channel,
        on_message: RefCell::new(None),
        report: Box::new(report),
        running: Cell::new(false),
        pull: Cell::new(true), // another tab may have saved since this one loaded
        failing: Cell::new(false),
    });
    Rc::new_cyclic(|me: &Weak<Subscription>| {
        if let Some(channel) = &sync.channel {
            let (weak, me) = (Rc::downgrade(&sync), me.clone());
            let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_| {
                if let Some(sync) = weak.upgrade() {
                    sync.pull.set(true);
                    start(sync, me.clone());
                }
            });
            channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            *sync.on_message.borrow_mut() = Some(on_message);
        }
        // The subscription's wake-up holds the loop's state: both go together.
        let (held, me_held) = (Rc::clone(&sync), me.clone());
        let subscription = fs.subscribe(move || start(Rc::clone(&held), me_held.clone()));
        start(sync, me.clone()); // the first pull, and the first save of a new database's files
        subscription
    })
}

impl Drop for Sync {
    fn drop(&mut self) {
        if let Some(channel) = &self.channel {
            channel.set_onmessage(None);
            channel.close();
        }
    }
}

/// Starts the saving loop unless it runs.
fn start(sync: Rc<Sync>, me: Weak<Subscription>) {
    if sync.running.replace(true) {
        return; // the running loop takes these changes too
    }
    wasm_bindgen_futures::spawn_local(async move {
        // Whether still subscribed; re-arms the wake-up for the changes from now on.
        let rearm = || me.upgrade().map(|subscription| subscription.take_changed()).is_some();
        loop {
            // Let the running burst of writes finish first (a zero-delay timer).
            gloo_timers::future::TimeoutFuture::new(0).await;
            if !rearm() {
                break;
            }
            let mut worked = false;
            if sync.pull.replace(false) {
                worked = true;
                if let Err(e) = pull(&sync).await {
                    web_sys::console::warn_1(&format!("other tabs' files could not be read: {e}").into());
                }
            }
            let out = sync.replica.borrow_mut().outgoing(&sync.fs);
            let Some(out) = out else {
                if worked {
                    continue; // the pull's await may have let changes in
                }
                break;
            };
            match sync.storage.save(&out).await {
                Ok(seq) => {
                    sync.replica.borrow_mut().saved(out, seq);
                    if let Some(channel) = &sync.channel {
                        let _ = channel.post_message(&JsValue::from_f64(seq as f64));
                    }
                    if sync.failing.replace(false) {
                        (sync.report)(SyncNews::Status(StorageStatus { persistent: true, reason: None }));
                    }
                }
                Err(e) => {
                    web_sys::console::warn_1(&format!("files could not be saved: {e}").into());
                    sync.replica.borrow_mut().failed(out); // saved with the next change
                    rearm(); // which wakes a new loop
                    if !sync.failing.replace(true) {
                        let reason = if e.is_about_tabs() {
                            e.to_string()
                        } else {
                            format!("saving them failed: {e}")
                        };
                        (sync.report)(SyncNews::Status(StorageStatus {
                            persistent: false,
                            reason: Some(reason),
                        }));
                    }
                    break;
                }
            }
        }
        sync.running.set(false);
    });
}

/// Takes in what other tabs saved since this one last read the store.
async fn pull(sync: &Sync) -> Result<(), StorageError> {
    let index = sync.storage.index().await?;
    let wanted = sync.replica.borrow().wanted(index);
    if wanted.fetch.is_empty() && wanted.gone.is_empty() {
        return Ok(());
    }
    let fetched = sync.storage.read(&wanted.fetch).await?;
    let replaced = sync.replica.borrow_mut().apply(&sync.fs, fetched, wanted.gone);
    if !replaced.is_empty() {
        (sync.report)(SyncNews::Replaced(replaced));
    }
    Ok(())
}

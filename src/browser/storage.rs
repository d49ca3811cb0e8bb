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
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbTransaction, IdbTransactionMode};

use super::idb::{blocked, committed, done, error_text};
use crate::notebook::protocol::StorageStatus;
use crate::vfs::{FileSystem, NodeKind, Outgoing, Replica, StoredEntry, StoredNode, Subscription};

/// The version of the database's layout.
const VERSION: u32 = 2;
/// The number of the last save (`SEQ_KEY`); in version 1, the list of paths.
const META: &str = "meta";
/// Path → its record, a `{kind, read_only, mtime_ms, seq}` object.
const PATHS: &str = "paths";
/// Path → a file's contents.
const CONTENTS: &str = "contents";
const SEQ_KEY: &str = "seq";
/// Version 1: the list of every path (`meta`, as JSON text), contents by inode
/// (`blobs`), and the stamp of the last writer (`meta`).
const V1_TREE_KEY: &str = "tree";
const V1_WRITER_KEY: &str = "writer";
const V1_BLOBS: &str = "blobs";

/// An open files database.
pub struct Storage {
    db: IdbDatabase,
    /// Set when a newer version of the notebook, in another tab, asked to upgrade the
    /// database: this connection is closed then, so as not to hold the other tab up.
    superseded: Rc<Cell<bool>>,
    _on_version_change: Closure<dyn FnMut()>,
    /// The browser's words when it found the database damaged at this open and deleted
    /// it (Chromium does so after a crash that broke its files): what was saved is gone.
    lost: Option<String>,
}

/// Why the files could not be loaded or saved, in words the storage notice shows.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The browser's IndexedDB refused (private browsing, quota, storage cleared, ...),
    /// in its words.
    #[error("{0}")]
    Browser(String),
    /// A saved record is not what a save writes.
    #[error("a saved record is damaged")]
    Damaged,
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

impl From<JsValue> for StorageError {
    fn from(error: JsValue) -> StorageError {
        StorageError::Browser(error_text(&error))
    }
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
        let factory: web_sys::IdbFactory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())?
            .dyn_into()
            .map_err(|_| StorageError::Browser("this browser has no IndexedDB".into()))?;
        let request: IdbOpenDbRequest = factory.open_with_u32(name, VERSION)?;
        let lost = Rc::new(RefCell::new(None));
        let upgrade = {
            let (request, lost) = (request.clone(), Rc::clone(&lost));
            Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                // Chromium's `dataLoss` ("none" or "total") on the upgrade event.
                if field(&event, "dataLoss").as_string().as_deref() == Some("total") {
                    let message = field(&event, "dataLossMessage").as_string().unwrap_or_default();
                    *lost.borrow_mut() = Some(message);
                }
                let Ok(db) = request.result() else { return };
                let db: IdbDatabase = db.unchecked_into();
                for store in [META, PATHS, CONTENTS] {
                    if !db.object_store_names().contains(store) {
                        let _ = db.create_object_store(store);
                    }
                }
            })
        };
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let opening = {
            let request = request.clone();
            Box::pin(async move { done(&request).await })
        };
        let held_up = {
            let request = request.clone();
            Box::pin(async move { blocked(&request).await })
        };
        let db: IdbDatabase = match select(opening, held_up).await {
            Either::Left((db, _)) => db?.unchecked_into(),
            Either::Right(_) => {
                // The upgrade still runs when the older tab lets go; this tab does not use it.
                wasm_bindgen_futures::spawn_local(async move {
                    let _upgrade = upgrade;
                    if let Ok(db) = done(&request).await {
                        db.unchecked_into::<IdbDatabase>().close();
                    }
                });
                return Err(StorageError::OlderTab);
            }
        };
        request.set_onupgradeneeded(None);
        let superseded = Rc::new(Cell::new(false));
        let on_version_change = {
            let (flag, db) = (Rc::clone(&superseded), db.clone());
            Closure::<dyn FnMut()>::new(move || {
                flag.set(true);
                db.close();
            })
        };
        db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        let lost = lost.borrow_mut().take();
        let storage = Storage { db, superseded, _on_version_change: on_version_change, lost };
        storage.move_version_1_files().await?;
        Ok(storage)
    }

    /// Whether the browser deleted the database as damaged when it opened it, and in what
    /// words: the files saved before are gone, not merely unread.
    pub fn lost_on_open(&self) -> Option<&str> {
        self.lost.as_deref()
    }

    /// A transaction over `stores`, unless another version took the database over.
    fn transaction(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StorageError> {
        if self.superseded.get() {
            return Err(StorageError::Superseded);
        }
        let names: js_sys::Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
        Ok(self.db.transaction_with_str_sequence_and_mode(&names, mode)?)
    }

    /// Every saved path with its contents (nothing for a new database).
    pub async fn load(&self) -> Result<Vec<StoredEntry>, StorageError> {
        let tx = self.transaction(&[PATHS, CONTENTS], IdbTransactionMode::Readonly)?;
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
        let tx = self.transaction(&[PATHS], IdbTransactionMode::Readonly)?;
        let records = read_records(&tx.object_store(PATHS)?).await?;
        Ok(records.into_iter().map(|(path, node)| (path, node.seq)).collect())
    }

    /// The saved entries of `paths` (those still there).
    pub async fn read(&self, paths: &[String]) -> Result<Vec<StoredEntry>, StorageError> {
        let tx = self.transaction(&[PATHS, CONTENTS], IdbTransactionMode::Readonly)?;
        let (records, contents) = (tx.object_store(PATHS)?, tx.object_store(CONTENTS)?);
        let mut entries = Vec::with_capacity(paths.len());
        for path in paths {
            let record = done(&records.get(&JsValue::from_str(path))?).await?;
            let Some(node) = parse_record(&record) else { continue }; // gone since
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
        let tx = self.transaction(&[META, PATHS, CONTENTS], IdbTransactionMode::Readwrite)?;
        let (meta, paths, contents) =
            (tx.object_store(META)?, tx.object_store(PATHS)?, tx.object_store(CONTENTS)?);
        let last = done(&meta.get(&JsValue::from_str(SEQ_KEY))?).await?.as_f64().unwrap_or(0.0);
        let seq = last as u64 + 1;
        for put in &out.puts {
            let key = JsValue::from_str(&put.path);
            paths.put_with_key(&record_object(&StoredNode { seq, ..put.node }), &key)?;
            match &put.data {
                Some(data) => {
                    contents.put_with_key(&js_sys::Uint8Array::from(data.as_slice()), &key).map(drop)?
                }
                None => contents.delete(&key).map(drop)?,
            }
        }
        for path in &out.removals {
            let key = JsValue::from_str(path);
            paths.delete(&key)?;
            contents.delete(&key)?;
        }
        meta.put_with_key(&JsValue::from_f64(seq as f64), &JsValue::from_str(SEQ_KEY))?;
        commit(&tx).await?;
        Ok(seq)
    }

    /// Moves version 1's files (one list of paths, contents by inode) into the records of
    /// version 2, in one transaction; a database another tab moved already, or a new one,
    /// is left as it is.
    async fn move_version_1_files(&self) -> Result<(), StorageError> {
        if !self.db.object_store_names().contains(V1_BLOBS) {
            return Ok(());
        }
        let tx = self.transaction(&[META, PATHS, CONTENTS, V1_BLOBS], IdbTransactionMode::Readwrite)?;
        let (meta, paths, contents, blobs) = (
            tx.object_store(META)?,
            tx.object_store(PATHS)?,
            tx.object_store(CONTENTS)?,
            tx.object_store(V1_BLOBS)?,
        );
        let list = done(&meta.get(&JsValue::from_str(V1_TREE_KEY))?).await?;
        let Some(list) = list.as_string() else {
            return Ok(()); // nothing to move: the transaction ends by itself
        };
        if done(&paths.count()?).await?.as_f64() == Some(0.0) {
            // The browser's own JSON reader: no serde code for a layout read once.
            let records: js_sys::Array =
                js_sys::JSON::parse(&list)?.dyn_into().map_err(|_| StorageError::Damaged)?;
            for record in records.iter() {
                let (Some(path), Some(node)) = (field(&record, "path").as_string(), parse_record(&record))
                else {
                    return Err(StorageError::Damaged);
                };
                let key = JsValue::from_str(&path);
                if let (NodeKind::File, Some(inode)) = (node.kind, field(&record, "inode").as_f64()) {
                    let data = done(&blobs.get(&JsValue::from_f64(inode))?).await?;
                    if data.is_undefined() {
                        continue;
                    }
                    contents.put_with_key(&data, &key)?;
                }
                paths.put_with_key(&record_object(&StoredNode { seq: 1, ..node }), &key)?;
            }
            meta.put_with_key(&JsValue::from_f64(1.0), &JsValue::from_str(SEQ_KEY))?;
        }
        meta.delete(&JsValue::from_str(V1_TREE_KEY))?;
        meta.delete(&JsValue::from_str(V1_WRITER_KEY))?;
        blobs.clear()?;
        commit(&tx).await
    }
}

/// Waits until `tx`, whose every request is made, commits (IndexedDB commits a
/// transaction by itself once nothing is left to do in it).
async fn commit(tx: &IdbTransaction) -> Result<(), StorageError> {
    committed(tx).await.map_err(|_| StorageError::Aborted)?;
    Ok(())
}

/// `record[name]`, or `undefined`.
fn field(record: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(record, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A record as the store keeps it: a plain object (the browser clones it in and out, and
/// no JSON code is needed for it).
fn record_object(node: &StoredNode) -> JsValue {
    let record = js_sys::Object::new();
    let kind = match node.kind {
        NodeKind::Dir => "dir",
        NodeKind::File => "file",
    };
    for (name, value) in [
        ("kind", JsValue::from_str(kind)),
        ("read_only", JsValue::from_bool(node.read_only)),
        ("mtime_ms", JsValue::from_f64(node.mtime_ms)),
        ("seq", JsValue::from_f64(node.seq as f64)),
    ] {
        let _ = js_sys::Reflect::set(&record, &JsValue::from_str(name), &value);
    }
    record.into()
}

/// A record read back; `None` when it is not one (missing, or damaged).
fn parse_record(record: &JsValue) -> Option<StoredNode> {
    let kind = match field(record, "kind").as_string()?.as_str() {
        "dir" => NodeKind::Dir,
        "file" => NodeKind::File,
        _ => return None,
    };
    Some(StoredNode {
        kind,
        read_only: field(record, "read_only").as_bool().unwrap_or(false),
        mtime_ms: field(record, "mtime_ms").as_f64()?,
        seq: field(record, "seq").as_f64().unwrap_or(0.0) as u64,
    })
}

/// Every record of the `paths` store, by path (a damaged one is left out: the next save
/// of that path writes it whole again).
async fn read_records(paths: &IdbObjectStore) -> Result<Vec<(String, StoredNode)>, StorageError> {
    let keys: js_sys::Array = done(&paths.get_all_keys()?).await?.unchecked_into();
    let values: js_sys::Array = done(&paths.get_all()?).await?.unchecked_into();
    let mut records = Vec::with_capacity(keys.length() as usize);
    for (key, value) in keys.iter().zip(values.iter()) {
        if let (Some(path), Some(node)) = (key.as_string(), parse_record(&value)) {
            records.push((path, node));
        }
    }
    Ok(records)
}

/// A file's contents, if the store has them.
async fn read_contents(contents: &IdbObjectStore, path: &str) -> Result<Option<Vec<u8>>, StorageError> {
    let value = done(&contents.get(&JsValue::from_str(path))?).await?;
    Ok(value.dyn_into::<js_sys::Uint8Array>().ok().map(|bytes| bytes.to_vec()))
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

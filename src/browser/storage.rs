//! Keeps the kernel's files in IndexedDB (through the `idb` crate), so they survive a
//! reload, a kernel restart and a crash. A save writes the list of paths, the changed
//! contents and the removal of every content no path names, in one transaction: IndexedDB
//! commits it whole or not at all, so a reload always finds the last complete save.
//!
//! Saving only the changed contents is right only while the database holds what this
//! kernel last loaded or saved. Each save therefore also writes a *writer stamp*; a kernel
//! that finds another stamp than its own (another tab saved, or an older kernel of this
//! one) writes nothing, and saves every file instead: the last save wins, whole.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use idb::{Database, DatabaseEvent, Factory, ObjectStore, ObjectStoreParams, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};

use crate::notebook::protocol::StorageStatus;
use crate::vfs::{FileSystem, NodeRecord, SaveSet, Subscription};

const META: &str = "meta";
const BLOBS: &str = "blobs";
const TREE_KEY: &str = "tree";
const WRITER_KEY: &str = "writer";

/// An open files database.
pub struct Storage {
    db: Database,
    /// This kernel's name in writer stamps.
    session: String,
    /// Saves this kernel wrote.
    saves: Cell<u64>,
    /// The writer stamp of the save this kernel last loaded or wrote (`None`: none yet).
    stamp: RefCell<Option<String>>,
}

/// How a save ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    /// It is in the database.
    Written,
    /// Someone else saved since this kernel last did, so the changes alone would mix two
    /// disks: nothing was written. Save every file (mark them all changed) instead.
    Overtaken,
}

/// What a load found: every path, and the contents by inode.
pub type Saved = (Vec<NodeRecord>, litemap::LiteMap<u64, Vec<u8>>);

/// Why the files could not be loaded or saved, in words the storage notice shows.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The browser's IndexedDB refused (private browsing, quota, storage cleared, ...).
    #[error("{0}")]
    Browser(#[from] idb::Error),
    /// The saved list of paths is not what a save writes.
    #[error("the saved list of files is damaged: {0}")]
    Damaged(#[from] serde_json::Error),
    /// The saved list of paths is not text at all.
    #[error("the saved list of files is not text")]
    NotText,
    /// The browser aborted the save's transaction.
    #[error("the save was aborted")]
    Aborted,
}

impl Storage {
    /// Opens (creating if needed) the database `name`.
    pub async fn open(name: &str) -> Result<Storage, StorageError> {
        let factory = Factory::new()?;
        let mut request = factory.open(name, Some(1))?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            for store in [META, BLOBS] {
                if !db.store_names().iter().any(|s| s == store) {
                    let _ = db.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        let db = request.await?;
        let session =
            format!("{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64);
        Ok(Storage { db, session, saves: Cell::new(0), stamp: RefCell::default() })
    }

    /// Reads the last save, or `None` when there is none yet.
    pub async fn load(&self) -> Result<Option<Saved>, StorageError> {
        let tx = self.db.transaction(&[META, BLOBS], TransactionMode::ReadOnly)?;
        let meta = tx.object_store(META)?;
        let blobs = tx.object_store(BLOBS)?;
        *self.stamp.borrow_mut() = read_stamp(&meta).await?;
        let Some(json) = meta.get(JsValue::from_str(TREE_KEY))?.await? else {
            return Ok(None);
        };
        let json = json.as_string().ok_or(StorageError::NotText)?;
        let records: Vec<NodeRecord> = crate::json::from_str(&json)?;
        let mut contents = litemap::LiteMap::new();
        for id in records.iter().filter_map(|r| r.inode) {
            let value = blobs.get(JsValue::from_f64(id as f64))?.await?;
            if let Some(bytes) = value.and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok()) {
                contents.insert(id, bytes.to_vec());
            }
        }
        Ok(Some((records, contents)))
    }

    /// Writes one save in a single transaction: the records, the changed contents, and
    /// the removal of every stored content the records do not name. Writes nothing and
    /// answers [`SaveOutcome::Overtaken`] when `set` holds only changes and someone else
    /// has saved since this kernel last loaded or saved.
    pub async fn save(&self, set: &SaveSet) -> Result<SaveOutcome, StorageError> {
        let json = serde_json::to_string(&set.records)?;
        let tx = self.db.transaction(&[META, BLOBS], TransactionMode::ReadWrite)?;
        let meta = tx.object_store(META)?;
        let blobs = tx.object_store(BLOBS)?;
        let every_file = set.live.keys().all(|id| set.blobs.contains_key(id));
        if !every_file && read_stamp(&meta).await? != *self.stamp.borrow() {
            let _ = tx.abort()?.await; // it ends aborted, as asked
            return Ok(SaveOutcome::Overtaken);
        }
        let stored = blobs.get_all_keys(None, None)?.await?;
        let stamp = format!("{}-{}", self.session, self.saves.get() + 1);
        meta.put(&JsValue::from_str(&json), Some(&JsValue::from_str(TREE_KEY)))?;
        meta.put(&JsValue::from_str(&stamp), Some(&JsValue::from_str(WRITER_KEY)))?;
        for (id, data) in &set.blobs {
            let bytes = js_sys::Uint8Array::from(data.as_slice());
            blobs.put(&bytes, Some(&JsValue::from_f64(*id as f64)))?;
        }
        for key in stored {
            let named = key.as_f64().is_some_and(|id| set.live.contains_key(&(id as u64)));
            if !named {
                blobs.delete(key)?;
            }
        }
        let result = tx.commit()?.await?;
        if !result.is_committed() {
            return Err(StorageError::Aborted);
        }
        self.saves.set(self.saves.get() + 1);
        *self.stamp.borrow_mut() = Some(stamp);
        Ok(SaveOutcome::Written)
    }
}

/// The writer stamp of the last save in the database, if any.
async fn read_stamp(meta: &ObjectStore) -> Result<Option<String>, StorageError> {
    let value = meta.get(JsValue::from_str(WRITER_KEY))?.await?;
    Ok(value.and_then(|v| v.as_string()))
}

/// Saves `fs` to `storage` after every burst of changes, one save at a time: changes made
/// while a save is under way go into the next one. `report` hears when saving starts
/// failing (quota exceeded, storage cleared) and when it works again; a failed save is
/// retried whole with the next change. Saving lasts as long as the returned subscription.
#[must_use = "saving stops when the subscription is dropped"]
pub fn keep_saved(
    fs: &FileSystem,
    storage: Rc<Storage>,
    report: impl Fn(StorageStatus) + 'static,
) -> Rc<Subscription> {
    let saving = Rc::new(Cell::new(false));
    let failing = Rc::new(Cell::new(false));
    let report: Rc<dyn Fn(StorageStatus)> = Rc::new(report);
    let target = fs.clone();
    // The saving loop re-arms the subscription it was woken by, so `wake` holds it weakly.
    Rc::new_cyclic(|me: &Weak<Subscription>| {
        let me = me.clone();
        fs.subscribe(move || {
            if saving.replace(true) {
                return; // the running loop takes these changes too
            }
            let (fs, storage, saving, me) =
                (target.clone(), Rc::clone(&storage), Rc::clone(&saving), me.clone());
            let (failing, report) = (Rc::clone(&failing), Rc::clone(&report));
            // Whether still subscribed; re-arms `wake` for the changes from now on.
            let rearm = move || me.upgrade().map(|subscription| subscription.take_changed()).is_some();
            wasm_bindgen_futures::spawn_local(async move {
                loop {
                    // Let the running burst of writes finish before saving (a zero-delay timer).
                    gloo_timers::future::TimeoutFuture::new(0).await;
                    if !rearm() {
                        break;
                    }
                    let Some(set) = fs.take_changes() else { break };
                    match storage.save(&set).await {
                        Ok(SaveOutcome::Written) => {
                            if failing.replace(false) {
                                report(StorageStatus { persistent: true, reason: None });
                            }
                        }
                        Ok(SaveOutcome::Overtaken) => fs.mark_all_dirty(), // and save them all at once
                        Err(e) => {
                            web_sys::console::warn_1(&format!("files could not be saved: {e}").into());
                            fs.mark_all_dirty(); // saved with the next change, which wakes a new loop
                            rearm();
                            if !failing.replace(true) {
                                let reason = format!("saving them failed: {e}");
                                report(StorageStatus { persistent: false, reason: Some(reason) });
                            }
                            break;
                        }
                    }
                }
                saving.set(false);
            });
        })
    })
}

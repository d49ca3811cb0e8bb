//! Keeps the kernel's files in IndexedDB (through the `idb` crate), so they survive a
//! reload and a kernel restart. A save writes the list of paths, the changed contents and
//! the removal of stale contents in one transaction: IndexedDB commits it whole or not at
//! all, so a reload always finds the last complete save.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::{JsCast, JsValue};

use crate::notebook::protocol::StorageStatus;
use crate::vfs::{FileSystem, NodeRecord, SaveSet};

const META: &str = "meta";
const BLOBS: &str = "blobs";
const TREE_KEY: &str = "tree";

/// An open files database.
pub struct Storage {
    db: Database,
    /// Contents keys present in the database after the last save.
    stored: RefCell<BTreeSet<u64>>,
}

/// What a load found: every path, and the contents by inode.
pub type Saved = (Vec<NodeRecord>, BTreeMap<u64, Vec<u8>>);

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

impl Storage {
    /// Opens (creating if needed) the database `name`.
    pub async fn open(name: &str) -> Result<Storage, String> {
        let factory = Factory::new().map_err(text)?;
        let mut request = factory.open(name, Some(1)).map_err(text)?;
        request.on_upgrade_needed(|event| {
            let Ok(db) = event.database() else { return };
            for store in [META, BLOBS] {
                if !db.store_names().iter().any(|s| s == store) {
                    let _ = db.create_object_store(store, ObjectStoreParams::new());
                }
            }
        });
        let db = request.await.map_err(text)?;
        Ok(Storage { db, stored: RefCell::default() })
    }

    /// Reads the last save, or `None` when there is none yet.
    pub async fn load(&self) -> Result<Option<Saved>, String> {
        let tx = self.db.transaction(&[META, BLOBS], TransactionMode::ReadOnly).map_err(text)?;
        let meta = tx.object_store(META).map_err(text)?;
        let blobs = tx.object_store(BLOBS).map_err(text)?;
        let Some(json) = meta.get(JsValue::from_str(TREE_KEY)).map_err(text)?.await.map_err(text)? else {
            return Ok(None);
        };
        let json = json.as_string().ok_or("the saved tree is not text")?;
        let records: Vec<NodeRecord> = serde_json::from_str(&json).map_err(text)?;
        let mut contents = BTreeMap::new();
        for id in records.iter().filter_map(|r| r.inode) {
            let value = blobs.get(JsValue::from_f64(id as f64)).map_err(text)?.await.map_err(text)?;
            if let Some(bytes) = value.and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok()) {
                contents.insert(id, bytes.to_vec());
            }
        }
        *self.stored.borrow_mut() = contents.keys().copied().collect();
        Ok(Some((records, contents)))
    }

    /// Writes one save in a single transaction.
    pub async fn save(&self, set: &SaveSet) -> Result<(), String> {
        let json = serde_json::to_string(&set.records).map_err(text)?;
        let tx = self.db.transaction(&[META, BLOBS], TransactionMode::ReadWrite).map_err(text)?;
        let meta = tx.object_store(META).map_err(text)?;
        let blobs = tx.object_store(BLOBS).map_err(text)?;
        meta.put(&JsValue::from_str(&json), Some(&JsValue::from_str(TREE_KEY))).map_err(text)?;
        for (id, data) in &set.blobs {
            let bytes = js_sys::Uint8Array::from(data.as_slice());
            blobs.put(&bytes, Some(&JsValue::from_f64(*id as f64))).map_err(text)?;
        }
        for stale in self.stored.borrow().difference(&set.live) {
            blobs.delete(JsValue::from_f64(*stale as f64)).map_err(text)?;
        }
        let result = tx.commit().map_err(text)?.await.map_err(text)?;
        if !result.is_committed() {
            return Err("the save was aborted".into());
        }
        *self.stored.borrow_mut() = set.live.clone();
        Ok(())
    }
}

/// Saves `fs` to `storage` after every burst of changes, one save at a time. `report`
/// hears when saving starts failing (quota exceeded, storage cleared) and when it works
/// again; a failed save is retried whole with the next change.
pub fn keep_saved(fs: &FileSystem, storage: Rc<Storage>, report: impl Fn(StorageStatus) + 'static) {
    let scheduled = Rc::new(Cell::new(false));
    let failing = Rc::new(Cell::new(false));
    let report: Rc<dyn Fn(StorageStatus)> = Rc::new(report);
    let target = fs.clone();
    fs.set_change_listener(move || {
        if scheduled.replace(true) {
            return;
        }
        let (fs, storage, scheduled) = (target.clone(), Rc::clone(&storage), Rc::clone(&scheduled));
        let (failing, report) = (Rc::clone(&failing), Rc::clone(&report));
        wasm_bindgen_futures::spawn_local(async move {
            // Let the running burst of writes finish before saving (a zero-delay timer).
            gloo_timers::future::TimeoutFuture::new(0).await;
            scheduled.set(false);
            let Some(set) = fs.take_changes() else { return };
            match storage.save(&set).await {
                Ok(()) if failing.replace(false) => report(StorageStatus { persistent: true, reason: None }),
                Ok(()) => {}
                Err(e) => {
                    web_sys::console::warn_1(&format!("files could not be saved: {e}").into());
                    fs.mark_all_dirty();
                    if !failing.replace(true) {
                        let reason = format!("saving them failed: {e}");
                        report(StorageStatus { persistent: false, reason: Some(reason) });
                    }
                }
            }
        });
    });
}

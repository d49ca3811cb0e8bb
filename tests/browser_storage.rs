//! In headless Chromium, inside a dedicated worker (where the kernel keeps its files):
//! files saved to IndexedDB come back whole in a fresh load, removals are saved too,
//! changes are saved by themselves shortly after they happen, a refused save is said and
//! retried, two tabs on one database keep and see each other's files, version 1's files
//! are moved into the new layout, and a tab of another version is said, never waited on.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use notebook::browser::storage::{keep_synced, Storage, StorageError, SyncNews};
use notebook::notebook::protocol::StorageStatus;
use notebook::vfs::{FileSystem, Replica, DEFAULT_QUOTA};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn fresh_name(tag: &str) -> String {
    format!("test-{tag}-{}", js_sys::Math::random())
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// What a new tab finds in the database `name`.
async fn reload(name: &str) -> FileSystem {
    let storage = Storage::open(name).await.expect("the database opens");
    let entries = storage.load().await.expect("it loads");
    assert!(!entries.is_empty(), "something was saved");
    Replica::restore(entries, DEFAULT_QUOTA).0
}

/// Saves what `fs` changed since `replica` last agreed with the store.
async fn save(storage: &Storage, fs: &FileSystem, replica: &mut Replica) {
    let out = replica.outgoing(fs).expect("something to save");
    let seq = storage.save(&out).await.unwrap();
    replica.saved(out, seq);
}

#[wasm_bindgen_test]
async fn a_save_comes_back_whole_in_a_new_load() {
    let name = fresh_name("roundtrip");
    let storage = Storage::open(&name).await.unwrap();
    assert!(storage.load().await.unwrap().is_empty(), "a new database holds nothing");
    let (fs, mut replica) = (FileSystem::new(), Replica::new());
    fs.makedirs("notes/2026", false).unwrap();
    fs.write_file("notes/2026/a.txt", "über 🦀\n".as_bytes()).unwrap();
    fs.write_file("/tmp/zeros.bin", &vec![0u8; 100_000]).unwrap();
    fs.set_read_only("sample.txt", true).unwrap();
    save(&storage, &fs, &mut replica).await;

    let back = reload(&name).await;
    assert_eq!(back.read_file("notes/2026/a.txt").unwrap(), "über 🦀\n".as_bytes());
    assert_eq!(back.read_file("/tmp/zeros.bin").unwrap().len(), 100_000);
    assert!(back.stat("sample.txt").unwrap().read_only);

    fs.remove("/tmp/zeros.bin").unwrap();
    fs.rename("notes", "old-notes").unwrap();
    save(&storage, &fs, &mut replica).await;
    let back = reload(&name).await;
    assert!(!back.exists("/tmp/zeros.bin"));
    assert!(!back.exists("notes"));
    assert_eq!(back.read_file("old-notes/2026/a.txt").unwrap(), "über 🦀\n".as_bytes());
    assert_eq!(stored_contents(&name).await, 2, "sample.txt and a.txt: no contents left behind");
}

/// One tab: its files, kept in sync with the database `name`; what it was told.
async fn tab(name: &str) -> (FileSystem, Rc<RefCell<Vec<SyncNews>>>, Rc<notebook::vfs::Subscription>) {
    let storage = Rc::new(Storage::open(name).await.unwrap());
    let entries = storage.load().await.unwrap();
    let (fs, replica) = if entries.is_empty() {
        (FileSystem::new(), Replica::new())
    } else {
        Replica::restore(entries, DEFAULT_QUOTA)
    };
    let heard = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&heard);
    let syncing = keep_synced(&fs, replica, storage, name, move |news| sink.borrow_mut().push(news));
    (fs, heard, syncing)
}

#[wasm_bindgen_test]
async fn changes_are_saved_by_themselves() {
    let name = fresh_name("auto");
    let (fs, _, _syncing) = tab(&name).await;
    {
        let mut f = fs.open("diary.txt", "w").unwrap();
        f.write("written, not yet flushed").unwrap();
        sleep(100).await;
        let saved = reload(&name).await;
        assert_eq!(saved.read_file("diary.txt").unwrap(), b"", "the buffer is not on disk yet");
    } // closing flushes
    sleep(100).await;
    let saved = reload(&name).await;
    assert_eq!(saved.read_file("diary.txt").unwrap(), b"written, not yet flushed");
}

/// Makes every IndexedDB `put` throw as a full quota does (or puts the real one back).
fn refuse_puts(refuse: bool) {
    let proto = js_sys::Reflect::get(&js_sys::global(), &"IDBObjectStore".into())
        .and_then(|class| js_sys::Reflect::get(&class, &"prototype".into()))
        .unwrap();
    let saved_key: JsValue = "__realPut".into();
    if refuse {
        let real = js_sys::Reflect::get(&proto, &"put".into()).unwrap();
        js_sys::Reflect::set(&proto, &saved_key, &real).unwrap();
        let throwing = js_sys::Function::new_no_args(
            "throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')",
        );
        js_sys::Reflect::set(&proto, &"put".into(), &throwing).unwrap();
    } else {
        let real = js_sys::Reflect::get(&proto, &saved_key).unwrap();
        js_sys::Reflect::set(&proto, &"put".into(), &real).unwrap();
    }
}

fn statuses(heard: &RefCell<Vec<SyncNews>>) -> Vec<StorageStatus> {
    let heard = heard.borrow();
    heard
        .iter()
        .filter_map(|news| if let SyncNews::Status(s) = news { Some(s.clone()) } else { None })
        .collect()
}

#[wasm_bindgen_test]
async fn a_refused_save_is_reported_retried_and_reported_again_when_it_works() {
    let name = fresh_name("refused");
    let (fs, heard, _syncing) = tab(&name).await;
    sleep(100).await; // the starting files are saved
    refuse_puts(true);
    fs.write_file("kept.txt", b"in memory").unwrap();
    sleep(100).await;
    fs.write_file("more.txt", b"still in memory").unwrap();
    sleep(100).await;
    refuse_puts(false);
    {
        let heard = statuses(&heard);
        assert_eq!(heard.len(), 1, "said once, not at every failed save: {heard:?}");
        assert!(!heard[0].persistent);
        let notice = heard[0].notice().unwrap();
        assert!(notice.starts_with("Files are kept in memory only (saving them failed: "), "{notice}");
        assert!(notice.contains("quota has been exceeded"), "{notice}");
    }
    assert_eq!(fs.read_file("kept.txt").unwrap(), b"in memory", "the notebook goes on in memory");
    fs.write_file("third.txt", b"saved").unwrap();
    sleep(100).await;
    assert_eq!(statuses(&heard).last(), Some(&StorageStatus { persistent: true, reason: None }));
    let saved = reload(&name).await;
    assert_eq!(saved.read_file("kept.txt").unwrap(), b"in memory", "the retry saved everything");
    assert_eq!(saved.read_file("more.txt").unwrap(), b"still in memory");
}

/// How many contents the database `name` holds.
async fn stored_contents(name: &str) -> u32 {
    let db = idb::Factory::new().unwrap().open(name, None).unwrap().await.unwrap();
    let tx = db.transaction(&["contents"], idb::TransactionMode::ReadOnly).unwrap();
    let count = tx.object_store("contents").unwrap().count(None).unwrap().await.unwrap();
    db.close();
    count
}

/// Waits (up to 2 s) until `done` holds.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep(10).await;
    }
    panic!("not within 2 s: {what}");
}

#[wasm_bindgen_test]
async fn two_tabs_keep_and_see_each_others_files() {
    let name = fresh_name("tabs");
    let (a, heard_a, _syncing_a) = tab(&name).await;
    sleep(100).await;
    let (b, heard_b, _syncing_b) = tab(&name).await;
    b.write_file("thesis.txt", b"uploaded in B").unwrap();
    a.makedirs("results", true).unwrap();
    a.write_file("results/run.txt", b"written in A").unwrap();
    until("A sees B's file", || a.exists("thesis.txt")).await;
    until("B sees A's file", || b.exists("results/run.txt")).await;
    assert_eq!(a.read_file("thesis.txt").unwrap(), b"uploaded in B");
    assert!(heard_a.borrow().is_empty() && heard_b.borrow().is_empty(), "new files replace nothing");
    let back = reload(&name).await;
    assert_eq!(back.read_file("thesis.txt").unwrap(), b"uploaded in B");
    assert_eq!(back.read_file("results/run.txt").unwrap(), b"written in A");

    // The same file: the later write wins in both, and the tab whose write lost hears.
    a.write_file("thesis.txt", b"edited in A").unwrap();
    until("B takes A's edit", || b.read_file("thesis.txt").unwrap() == b"edited in A").await;
    let replaced = |heard: &RefCell<Vec<SyncNews>>| {
        heard
            .borrow()
            .iter()
            .any(|news| matches!(news, SyncNews::Replaced(p) if p == &["/home/user/thesis.txt"]))
    };
    until("B is told", || replaced(&heard_b)).await;
    assert!(!replaced(&heard_a), "A's write won: nothing changed under A");
    b.remove("results/run.txt").unwrap();
    until("A sees the removal", || !a.exists("results/run.txt")).await;
    assert_eq!(reload(&name).await.read_file("thesis.txt").unwrap(), b"edited in A");
}

/// Makes a database as version 1 of the notebook left it: one list of paths, contents
/// by inode number.
async fn version_1_database(name: &str) -> idb::Database {
    let mut request = idb::Factory::new().unwrap().open(name, Some(1)).unwrap();
    request.on_upgrade_needed(|event| {
        use idb::DatabaseEvent;
        let db = event.database().unwrap();
        for store in ["meta", "blobs"] {
            db.create_object_store(store, idb::ObjectStoreParams::new()).unwrap();
        }
    });
    let db = request.await.unwrap();
    let tx = db.transaction(&["meta", "blobs"], idb::TransactionMode::ReadWrite).unwrap();
    let list = r#"[{"path":"/","kind":"dir","inode":null,"mtime_ms":1},
        {"path":"/home","kind":"dir","inode":null,"mtime_ms":1},
        {"path":"/home/user","kind":"dir","inode":null,"mtime_ms":1},
        {"path":"/home/user/old.txt","kind":"file","inode":4,"read_only":true,"mtime_ms":2}]"#;
    let meta = tx.object_store("meta").unwrap();
    meta.put(&JsValue::from_str(list), Some(&JsValue::from_str("tree"))).unwrap();
    meta.put(&JsValue::from_str("someone-1"), Some(&JsValue::from_str("writer"))).unwrap();
    let bytes = js_sys::Uint8Array::from(&b"kept across versions"[..]);
    tx.object_store("blobs").unwrap().put(&bytes, Some(&JsValue::from_f64(4.0))).unwrap();
    tx.commit().unwrap().await.unwrap();
    db
}

#[wasm_bindgen_test]
async fn version_1_files_are_moved_into_the_new_layout() {
    let name = fresh_name("v1");
    version_1_database(&name).await.close();
    let back = reload(&name).await;
    assert_eq!(back.read_file("/home/user/old.txt").unwrap(), b"kept across versions");
    assert!(back.stat("/home/user/old.txt").unwrap().read_only);
    assert_eq!(back.getcwd(), "/home/user");
    let again = reload(&name).await; // moved once; the second open finds the new layout
    assert_eq!(again.read_file("/home/user/old.txt").unwrap(), b"kept across versions");
}

#[wasm_bindgen_test]
async fn a_tab_of_an_older_version_is_said_not_waited_for() {
    let name = fresh_name("older");
    let older = version_1_database(&name).await; // and keeps it open, as an old tab does
    let refused = Storage::open(&name).await;
    assert!(matches!(refused, Err(StorageError::OlderTab)), "{:?}", refused.err());
    let said = StorageError::OlderTab.to_string();
    assert!(said.contains("another tab runs an older version of this notebook"), "{said}");
    older.close();
    sleep(100).await;
    let back = reload(&name).await; // the upgrade went on once the old tab let go
    assert_eq!(back.read_file("/home/user/old.txt").unwrap(), b"kept across versions");
}

#[wasm_bindgen_test]
async fn a_newer_version_in_another_tab_is_let_in_and_said() {
    let name = fresh_name("newer");
    let storage = Storage::open(&name).await.unwrap();
    let (fs, mut replica) = (FileSystem::new(), Replica::new());
    save(&storage, &fs, &mut replica).await;
    let newer = idb::Factory::new().unwrap().open(&name, Some(3)).unwrap().await;
    assert!(newer.is_ok(), "this tab let the newer version upgrade");
    newer.unwrap().close();
    fs.write_file("late.txt", b"x").unwrap();
    let out = replica.outgoing(&fs).unwrap();
    let refused = storage.save(&out).await;
    assert!(matches!(refused, Err(StorageError::Superseded)), "{:?}", refused.err());
    assert!(StorageError::Superseded.to_string().contains("reload this tab"));
}

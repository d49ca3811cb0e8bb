//! In headless Chromium, inside a dedicated worker (where the kernel keeps its files):
//! files saved to IndexedDB come back whole in a fresh load, removals are saved too, and
//! changes are saved by themselves shortly after they happen, saves that overlap leave no
//! contents behind, and two tabs saving to one database never mix their files.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use notebook::browser::storage::{keep_saved, SaveOutcome, Storage};
use notebook::notebook::protocol::StorageStatus;
use notebook::vfs::{FileSystem, DEFAULT_QUOTA};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn fresh_name(tag: &str) -> String {
    format!("test-{tag}-{}", js_sys::Math::random())
}

async fn reload(name: &str) -> FileSystem {
    let storage = Storage::open(name).await.expect("the database opens");
    let (records, blobs) = storage.load().await.expect("it loads").expect("something was saved");
    FileSystem::restore(&records, &blobs, DEFAULT_QUOTA)
}

#[wasm_bindgen_test]
async fn a_save_comes_back_whole_in_a_new_load() {
    let name = fresh_name("roundtrip");
    let storage = Storage::open(&name).await.unwrap();
    assert!(storage.load().await.unwrap().is_none(), "a new database holds nothing");
    let fs = FileSystem::new();
    fs.makedirs("notes/2026", false).unwrap();
    fs.write_file("notes/2026/a.txt", "über 🦀\n".as_bytes()).unwrap();
    fs.write_file("/tmp/zeros.bin", &vec![0u8; 100_000]).unwrap();
    fs.set_read_only("sample.txt", true).unwrap();
    storage.save(&fs.take_changes().unwrap()).await.unwrap();

    let back = reload(&name).await;
    assert_eq!(back.read_file("notes/2026/a.txt").unwrap(), "über 🦀\n".as_bytes());
    assert_eq!(back.read_file("/tmp/zeros.bin").unwrap().len(), 100_000);
    assert!(back.stat("sample.txt").unwrap().read_only);

    fs.remove("/tmp/zeros.bin").unwrap();
    fs.rename("notes", "old-notes").unwrap();
    storage.save(&fs.take_changes().unwrap()).await.unwrap();
    let back = reload(&name).await;
    assert!(!back.exists("/tmp/zeros.bin"));
    assert!(!back.exists("notes"));
    assert_eq!(back.read_file("old-notes/2026/a.txt").unwrap(), "über 🦀\n".as_bytes());
}

#[wasm_bindgen_test]
async fn changes_are_saved_by_themselves() {
    let name = fresh_name("auto");
    let storage = Rc::new(Storage::open(&name).await.unwrap());
    let fs = FileSystem::new();
    let _saving = keep_saved(&fs, storage, |_| {});
    {
        let mut f = fs.open("diary.txt", "w").unwrap();
        f.write("written, not yet flushed").unwrap();
        gloo_timers::future::TimeoutFuture::new(100).await;
        let saved = reload(&name).await;
        assert_eq!(saved.read_file("diary.txt").unwrap(), b"", "the buffer is not on disk yet");
    } // closing flushes
    gloo_timers::future::TimeoutFuture::new(100).await;
    let saved = reload(&name).await;
    assert_eq!(saved.read_file("diary.txt").unwrap(), b"written, not yet flushed");
}

/// Makes every IndexedDB `put` throw as a full quota does (or puts the real one back).
fn refuse_puts(refuse: bool) {
    let proto = js_sys::Reflect::get(&js_sys::global(), &"IDBObjectStore".into())
        .and_then(|class| js_sys::Reflect::get(&class, &"prototype".into()))
        .unwrap();
    let saved_key: wasm_bindgen::JsValue = "__realPut".into();
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

#[wasm_bindgen_test]
async fn a_refused_save_is_reported_retried_and_reported_again_when_it_works() {
    let name = fresh_name("refused");
    let storage = Rc::new(Storage::open(&name).await.unwrap());
    let heard = Rc::new(RefCell::new(Vec::<StorageStatus>::new()));
    let fs = FileSystem::new();
    let sink = Rc::clone(&heard);
    let _saving = keep_saved(&fs, storage, move |status| sink.borrow_mut().push(status));
    refuse_puts(true);
    fs.write_file("kept.txt", b"in memory").unwrap();
    gloo_timers::future::TimeoutFuture::new(100).await;
    fs.write_file("more.txt", b"still in memory").unwrap();
    gloo_timers::future::TimeoutFuture::new(100).await;
    refuse_puts(false);
    {
        let heard = heard.borrow();
        assert_eq!(heard.len(), 1, "said once, not at every failed save: {heard:?}");
        assert!(!heard[0].persistent);
        let notice = heard[0].notice().unwrap();
        assert!(notice.starts_with("Files are kept in memory only (saving them failed: "), "{notice}");
        assert!(notice.contains("quota has been exceeded"), "{notice}");
    }
    assert_eq!(fs.read_file("kept.txt").unwrap(), b"in memory", "the notebook goes on in memory");
    fs.write_file("third.txt", b"saved").unwrap();
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert_eq!(heard.borrow().last(), Some(&StorageStatus { persistent: true, reason: None }));
    let saved = reload(&name).await;
    assert_eq!(saved.read_file("kept.txt").unwrap(), b"in memory", "the retry saved everything");
    assert_eq!(saved.read_file("more.txt").unwrap(), b"still in memory");
}

/// How many contents the database `name` holds, named by a record or not.
async fn stored_contents(name: &str) -> u32 {
    let db = idb::Factory::new().unwrap().open(name, None).unwrap().await.unwrap();
    let tx = db.transaction(&["blobs"], idb::TransactionMode::ReadOnly).unwrap();
    let count = tx.object_store("blobs").unwrap().count(None).unwrap().await.unwrap();
    db.close();
    count
}

/// Saves `fs`'s changes as the kernel does: all of its files when the save is overtaken.
async fn save_as_the_kernel_does(storage: &Storage, fs: &FileSystem) -> SaveOutcome {
    let outcome = storage.save(&fs.take_changes().unwrap()).await.unwrap();
    if outcome == SaveOutcome::Overtaken {
        fs.mark_all_dirty();
        assert_eq!(storage.save(&fs.take_changes().unwrap()).await.unwrap(), SaveOutcome::Written);
    }
    outcome
}

#[wasm_bindgen_test]
async fn saves_that_overlap_leave_no_contents_behind() {
    let name = fresh_name("overlap");
    let storage = Storage::open(&name).await.unwrap();
    let fs = FileSystem::new();
    storage.save(&fs.take_changes().unwrap()).await.unwrap();
    // Each version goes to a temporary file renamed over the old one: a new inode each
    // time, and the old one's contents become garbage for the next save to remove.
    let mut sets = Vec::new();
    for version in 0..5 {
        fs.write_file("v.tmp", format!("version {version}").as_bytes()).unwrap();
        fs.rename("v.tmp", "v.txt").unwrap();
        sets.push(fs.take_changes().unwrap());
    }
    let outcomes = futures::future::join_all(sets.iter().map(|set| storage.save(set))).await;
    if outcomes.iter().any(|o| !matches!(o, Ok(SaveOutcome::Written))) {
        fs.mark_all_dirty();
        storage.save(&fs.take_changes().unwrap()).await.unwrap();
    }
    assert_eq!(reload(&name).await.read_file("v.txt").unwrap(), b"version 4");
    assert_eq!(stored_contents(&name).await, 2, "sample.txt and v.txt, nothing else");
}

#[wasm_bindgen_test]
async fn two_tabs_on_one_database_never_mix_their_files() {
    let name = fresh_name("tabs");
    let fs = FileSystem::new();
    fs.write_file("shared.txt", b"before both").unwrap();
    Storage::open(&name).await.unwrap().save(&fs.take_changes().unwrap()).await.unwrap();

    // Two tabs load the same save, then each makes a file: the same inode number in both.
    let (a, b) = (Storage::open(&name).await.unwrap(), Storage::open(&name).await.unwrap());
    let (records, blobs) = a.load().await.unwrap().unwrap();
    let tab_a = FileSystem::restore(&records, &blobs, DEFAULT_QUOTA);
    let (records, blobs) = b.load().await.unwrap().unwrap();
    let tab_b = FileSystem::restore(&records, &blobs, DEFAULT_QUOTA);
    tab_a.write_file("a.txt", b"from tab A").unwrap();
    tab_b.write_file("b.txt", b"from tab B").unwrap();
    let (set_a, set_b) = (tab_a.take_changes().unwrap(), tab_b.take_changes().unwrap());
    let inode = |set: &notebook::vfs::SaveSet, path: &str| {
        set.records.iter().find(|r| r.path.ends_with(path)).and_then(|r| r.inode)
    };
    assert_eq!(inode(&set_a, "a.txt"), inode(&set_b, "b.txt"), "the two tabs number files alike");

    assert_eq!(a.save(&set_a).await.unwrap(), SaveOutcome::Written);
    assert_eq!(b.save(&set_b).await.unwrap(), SaveOutcome::Overtaken, "A saved since B loaded");
    assert!(!reload(&name).await.exists("b.txt"), "an overtaken save writes nothing");
    tab_b.mark_all_dirty();
    assert_eq!(b.save(&tab_b.take_changes().unwrap()).await.unwrap(), SaveOutcome::Written);
    let back = reload(&name).await;
    assert_eq!(back.read_file("b.txt").unwrap(), b"from tab B");
    assert!(!back.exists("a.txt"), "the last save wins, whole");
    assert_eq!(back.read_file("shared.txt").unwrap(), b"before both");

    tab_a.write_file("shared.txt", b"changed in tab A").unwrap();
    assert_eq!(save_as_the_kernel_does(&a, &tab_a).await, SaveOutcome::Overtaken);
    let back = reload(&name).await;
    assert_eq!(back.read_file("a.txt").unwrap(), b"from tab A", "not tab B's file of the same number");
    assert!(!back.exists("b.txt"));
    assert_eq!(back.read_file("shared.txt").unwrap(), b"changed in tab A");
    assert_eq!(stored_contents(&name).await, 3, "sample.txt, shared.txt and a.txt");

    // With nobody else saving, the next save holds only the change.
    tab_a.write_file("a.txt", b"again").unwrap();
    assert_eq!(save_as_the_kernel_does(&a, &tab_a).await, SaveOutcome::Written);
    assert_eq!(reload(&name).await.read_file("a.txt").unwrap(), b"again");
}

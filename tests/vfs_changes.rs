//! The change hub: every subscriber is woken once per batch of changes, until it takes
//! them; a dropped subscription is never called; every kind of change counts, and reads
//! do not.

use std::cell::Cell;
use std::rc::Rc;

use notebook::vfs::{FileSystem, Replica, Subscription, DEFAULT_QUOTA};

/// A `wake` that counts its calls, and the count.
fn counter() -> (Rc<Cell<u32>>, impl Fn() + 'static) {
    let calls = Rc::new(Cell::new(0));
    let seen = Rc::clone(&calls);
    (calls, move || seen.set(seen.get() + 1))
}

#[test]
fn every_subscriber_is_woken_once_per_batch_until_it_takes_the_changes() {
    let fs = FileSystem::new();
    let (a_calls, a) = counter();
    let (b_calls, b) = counter();
    let a = fs.subscribe(a);
    let b = fs.subscribe(b);
    assert!(!a.take_changed() && !b.take_changed(), "nothing changed yet");
    let mut f = fs.open_with("burst.bin", "wb", 0).unwrap();
    for _ in 0..100 {
        f.write_bytes(b"x").unwrap();
    }
    assert_eq!((a_calls.get(), b_calls.get()), (1, 1), "one wake for the whole burst");
    assert!(a.take_changed());
    assert!(!a.take_changed(), "taken");
    f.write_bytes(b"y").unwrap();
    f.write_bytes(b"z").unwrap();
    assert_eq!((a_calls.get(), b_calls.get()), (2, 1), "re-armed by take_changed, and only a");
    assert!(b.take_changed() && a.take_changed());
    f.write_bytes(b"!").unwrap();
    assert_eq!((a_calls.get(), b_calls.get()), (3, 2));
}

#[test]
fn a_dropped_subscription_is_never_called_and_frees_its_wake() {
    let fs = FileSystem::new();
    let (calls, wake) = counter();
    let (kept_calls, kept_wake) = counter();
    let dropped = fs.subscribe(wake);
    let kept = fs.subscribe(kept_wake);
    drop(dropped);
    assert_eq!(Rc::strong_count(&calls), 1, "the wake closure went with its subscription");
    fs.write_file("a.txt", b"a").unwrap();
    assert_eq!(calls.get(), 0);
    assert_eq!(kept_calls.get(), 1, "the others still hear");
    // Subscribing again after a drop works as the first time.
    let (again_calls, again) = counter();
    let again = fs.subscribe(again);
    assert!(kept.take_changed());
    fs.mkdir("d").unwrap();
    assert_eq!((again_calls.get(), kept_calls.get()), (1, 2));
    assert!(again.take_changed());
}

/// Runs `op` and checks whether `changes` heard of a change.
fn check(changes: &Subscription, what: &str, expected: bool, op: impl FnOnce()) {
    changes.take_changed();
    op();
    assert_eq!(changes.take_changed(), expected, "{what}");
}

#[test]
fn every_kind_of_change_counts_and_reads_do_not() {
    let fs = FileSystem::new();
    let (_, wake) = counter();
    let changes = fs.subscribe(wake);
    check(&changes, "create by open", true, || drop(fs.open("new.txt", "w").unwrap()));
    check(&changes, "write", true, || fs.write_file("new.txt", b"some text").unwrap());
    check(&changes, "truncate", true, || {
        let mut f = fs.open_with("new.txt", "rb+", 0).unwrap();
        f.truncate(Some(4)).unwrap();
    });
    check(&changes, "mkdir", true, || fs.mkdir("d").unwrap());
    check(&changes, "makedirs", true, || fs.makedirs("d/e/f", false).unwrap());
    check(&changes, "rename", true, || fs.rename("new.txt", "d/moved.txt").unwrap());
    check(&changes, "read-only", true, || fs.set_read_only("d/moved.txt", true).unwrap());
    check(&changes, "writable again", true, || fs.set_read_only("d/moved.txt", false).unwrap());
    check(&changes, "remove", true, || fs.remove("d/moved.txt").unwrap());
    check(&changes, "rmdir", true, || fs.rmdir("d/e/f").unwrap());
    check(&changes, "reset", true, || fs.reset());
    check(&changes, "reads", false, || {
        assert!(!fs.read_file("sample.txt").unwrap().is_empty());
        let mut f = fs.open("sample.txt", "r").unwrap();
        f.read().unwrap();
        f.close().unwrap();
        fs.listdir(".").unwrap();
        fs.stat("sample.txt").unwrap();
        fs.chdir("/tmp").unwrap();
        assert!(fs.exists("/home/user/sample.txt"));
    });
    let mut f = fs.open_with("/home/user/sample.txt", "ab", 0).unwrap();
    check(&changes, "a write that would pass the quota", false, || {
        fs.set_quota(0);
        assert!(f.write_bytes(b"too much").is_err());
        fs.set_quota(DEFAULT_QUOTA);
    });
}

#[test]
fn buffered_writes_count_when_they_reach_the_file() {
    let fs = FileSystem::new();
    let (calls, wake) = counter();
    let changes = fs.subscribe(wake);
    let mut f = fs.open("log.txt", "w").unwrap();
    assert!(changes.take_changed(), "created");
    f.write("held in the buffer").unwrap();
    assert!(!changes.take_changed());
    f.flush().unwrap();
    assert!(changes.take_changed());
    assert_eq!(calls.get(), 2);
}

#[test]
fn a_restored_file_system_starts_unchanged_and_tells_its_subscribers() {
    let fs = FileSystem::new();
    fs.write_file("kept.txt", b"kept").unwrap();
    let saved = Replica::new().outgoing(&fs).unwrap();
    let (restored, mut replica) = Replica::restore(saved.into_entries(1), DEFAULT_QUOTA);
    let (calls, wake) = counter();
    let changes = restored.subscribe(wake);
    assert!(replica.outgoing(&restored).is_none(), "a restore leaves nothing to save");
    assert!(!changes.take_changed());
    restored.write_file("kept.txt", b"changed").unwrap();
    assert!(changes.take_changed());
    assert_eq!(calls.get(), 1);
}

//! Tabs sharing one store: each tab's tree is a `Replica` of a modelled store (the
//! browser's is IndexedDB, whose transactions commit whole and in order, as `Store`'s
//! saves do here). Files written in one tab are never lost because another is open;
//! the last complete write of a file wins everywhere; a tab hears which of its files
//! changed under it; nothing a tab takes from the store echoes back into it.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use notebook::vfs::{FileSystem, NodeKind, Outgoing, Replica, StoredEntry, StoredNode, DEFAULT_QUOTA};
use proptest::prelude::*;

/// The shared store: every path's record and contents, and the number of the last save.
#[derive(Default)]
struct Store {
    seq: u64,
    entries: BTreeMap<String, (StoredNode, Option<Vec<u8>>)>,
}

impl Store {
    /// Commits one save whole, numbered after every earlier one.
    fn commit(&mut self, out: &Outgoing) -> u64 {
        self.seq += 1;
        for put in &out.puts {
            let node = StoredNode { seq: self.seq, ..put.node };
            self.entries.insert(put.path.clone(), (node, put.data.clone()));
        }
        for path in &out.removals {
            self.entries.remove(path);
        }
        self.seq
    }

    fn index(&self) -> Vec<(String, u64)> {
        self.entries.iter().map(|(path, (node, _))| (path.clone(), node.seq)).collect()
    }

    fn read(&self, paths: &[String]) -> Vec<StoredEntry> {
        paths
            .iter()
            .filter_map(|path| {
                let (node, data) = self.entries.get(path)?;
                Some(StoredEntry { path: path.clone(), node: *node, data: data.clone() })
            })
            .collect()
    }

    fn everything(&self) -> Vec<StoredEntry> {
        self.read(&self.entries.keys().cloned().collect::<Vec<_>>())
    }

    /// The files as `path: contents`.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        self.entries
            .iter()
            .filter(|(_, (node, _))| node.kind == NodeKind::File)
            .map(|(path, (_, data))| (path.clone(), data.clone().unwrap_or_default()))
            .collect()
    }
}

/// One tab: its own tree, and its agreement with the store.
struct Tab {
    fs: FileSystem,
    replica: Replica,
}

impl Tab {
    /// A tab opened on what the store holds (a new tab, or a reload).
    fn open(store: &Store) -> Tab {
        if store.entries.is_empty() {
            return Tab { fs: FileSystem::new(), replica: Replica::new() };
        }
        let (fs, replica) = Replica::restore(store.everything(), DEFAULT_QUOTA);
        Tab { fs, replica }
    }

    /// Saves what this tab changed; whether there was anything.
    fn save(&mut self, store: &mut Store) -> bool {
        let Some(out) = self.replica.outgoing(&self.fs) else { return false };
        let seq = store.commit(&out);
        self.replica.saved(out, seq);
        true
    }

    /// Takes in what other tabs saved; the files that changed under this tab.
    fn pull(&mut self, store: &Store) -> Vec<String> {
        let wanted = self.replica.wanted(store.index());
        self.replica.apply(&self.fs, store.read(&wanted.fetch), wanted.gone)
    }

    /// Every file below `/`, as `path: contents`.
    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut dirs = vec!["/".to_string()];
        while let Some(dir) = dirs.pop() {
            for name in self.fs.listdir(&dir).unwrap() {
                let path = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
                if self.fs.is_dir(&path) {
                    dirs.push(path);
                } else {
                    files.insert(path.clone(), self.fs.read_file(&path).unwrap());
                }
            }
        }
        files
    }
}

fn two_tabs() -> (Store, Tab, Tab) {
    let mut store = Store::default();
    let mut first = Tab::open(&store);
    assert!(first.save(&mut store), "a new store gets the starting files");
    let second = Tab::open(&store);
    (store, first, second)
}

#[test]
fn files_written_in_two_tabs_are_all_kept_and_seen_by_both() {
    let (mut store, mut a, mut b) = two_tabs();
    b.fs.write_file("thesis.txt", b"uploaded in B").unwrap();
    assert!(b.save(&mut store));
    a.fs.makedirs("results", true).unwrap();
    a.fs.write_file("results/run1.txt", b"written by a cell in A").unwrap();
    assert!(a.save(&mut store));
    assert_eq!(a.pull(&store), Vec::<String>::new(), "new files replace nothing of A's");
    assert!(b.pull(&store).is_empty());
    for tab in [&a, &b, &Tab::open(&store)] {
        assert_eq!(tab.fs.read_file("/home/user/thesis.txt").unwrap(), b"uploaded in B");
        assert_eq!(tab.fs.read_file("/home/user/results/run1.txt").unwrap(), b"written by a cell in A");
    }
    assert_eq!(a.files(), b.files());
    assert_eq!(a.files(), store.files());
}

#[test]
fn nothing_taken_from_another_tab_is_saved_back() {
    let (mut store, mut a, mut b) = two_tabs();
    b.fs.write_file("b.txt", b"from B").unwrap();
    b.save(&mut store);
    a.pull(&store);
    assert!(!a.save(&mut store), "A changed nothing itself");
    assert_eq!(store.seq, 2);
    assert!(a.pull(&store).is_empty() && b.pull(&store).is_empty());
}

#[test]
fn the_last_complete_write_of_one_file_wins_and_the_other_tab_is_told() {
    let (mut store, mut a, mut b) = two_tabs();
    a.fs.write_file("same.txt", b"A's version").unwrap();
    b.fs.write_file("same.txt", b"B's version").unwrap();
    a.save(&mut store);
    // B has not saved its own write yet: it keeps it (it is the later one) ...
    assert!(b.pull(&store).is_empty());
    assert_eq!(b.fs.read_file("same.txt").unwrap(), b"B's version");
    b.save(&mut store);
    // ... and A, whose write lost, takes B's and hears of it.
    assert_eq!(a.pull(&store), vec!["/home/user/same.txt".to_string()]);
    assert_eq!(a.fs.read_file("same.txt").unwrap(), b"B's version");
    assert_eq!(Tab::open(&store).fs.read_file("same.txt").unwrap(), b"B's version");
}

#[test]
fn a_change_made_while_the_store_was_read_is_not_overwritten() {
    let (mut store, mut a, mut b) = two_tabs();
    b.fs.write_file("note.txt", b"B").unwrap();
    b.save(&mut store);
    let wanted = a.replica.wanted(store.index());
    assert_eq!(wanted.fetch, vec!["/home/user/note.txt".to_string()]);
    let fetched = store.read(&wanted.fetch);
    a.fs.write_file("note.txt", b"A, meanwhile").unwrap(); // while the read was under way
    assert!(a.replica.apply(&a.fs, fetched, wanted.gone).is_empty());
    assert_eq!(a.fs.read_file("note.txt").unwrap(), b"A, meanwhile");
    a.save(&mut store);
    assert_eq!(b.pull(&store), vec!["/home/user/note.txt".to_string()]);
    assert_eq!(b.fs.read_file("note.txt").unwrap(), b"A, meanwhile");
}

#[test]
fn removals_and_renames_reach_the_other_tab() {
    let (mut store, mut a, mut b) = two_tabs();
    a.fs.makedirs("old/deep", true).unwrap();
    a.fs.write_file("old/deep/x.txt", b"x").unwrap();
    a.save(&mut store);
    b.pull(&store);
    assert!(b.fs.exists("old/deep/x.txt"));
    a.fs.rename("old", "new").unwrap();
    a.fs.remove("sample.txt").unwrap();
    a.save(&mut store);
    let told = b.pull(&store);
    assert_eq!(told, vec!["/home/user/old/deep/x.txt".to_string(), "/home/user/sample.txt".to_string()]);
    assert!(!b.fs.exists("old") && !b.fs.exists("sample.txt"));
    assert_eq!(b.fs.read_file("new/deep/x.txt").unwrap(), b"x");
    assert_eq!(a.files(), b.files());
}

#[test]
fn a_file_written_in_a_folder_another_tab_removed_is_kept() {
    let (mut store, mut a, mut b) = two_tabs();
    a.fs.makedirs("shared", true).unwrap();
    a.save(&mut store);
    b.pull(&store);
    b.fs.write_file("shared/kept.txt", b"B writes inside").unwrap();
    a.fs.rmdir("shared").unwrap();
    a.save(&mut store); // A's removal reaches the store first
    assert!(b.pull(&store).is_empty(), "B's folder holds B's new file: it stays");
    b.save(&mut store);
    a.pull(&store);
    for tab in [&a, &b, &Tab::open(&store)] {
        assert_eq!(tab.fs.read_file("/home/user/shared/kept.txt").unwrap(), b"B writes inside");
    }
}

#[test]
fn a_failed_save_is_saved_whole_by_the_next() {
    let (mut store, mut a, _) = two_tabs();
    a.fs.write_file("one.txt", b"1").unwrap();
    let out = a.replica.outgoing(&a.fs).unwrap();
    a.replica.failed(out);
    a.fs.write_file("two.txt", b"2").unwrap();
    assert!(a.save(&mut store));
    let back = Tab::open(&store);
    assert_eq!(back.fs.read_file("one.txt").unwrap(), b"1");
    assert_eq!(back.fs.read_file("two.txt").unwrap(), b"2");
}

#[test]
fn a_damaged_entry_is_left_out_and_removed_by_the_next_save() {
    let (mut store, _, _) = two_tabs();
    let node = StoredNode { kind: NodeKind::File, read_only: false, mtime_ms: 0.0, seq: 7 };
    store.entries.insert("/home/user/lost.txt".into(), (node, None));
    store.entries.insert("/nowhere/../x".into(), (node, Some(b"x".to_vec())));
    let mut tab = Tab::open(&store);
    assert!(!tab.fs.exists("/home/user/lost.txt"));
    assert!(tab.save(&mut store));
    assert!(
        !store.entries.contains_key("/home/user/lost.txt") && !store.entries.contains_key("/nowhere/../x")
    );
}

#[test]
fn a_restore_makes_missing_folders_and_saves_them() {
    let mut store = Store::default();
    let node = StoredNode { kind: NodeKind::File, read_only: true, mtime_ms: 5.0, seq: 3 };
    store.entries.insert("/home/user/a/b/c.txt".into(), (node, Some(b"c".to_vec())));
    let mut tab = Tab::open(&store);
    assert_eq!(tab.fs.read_file("/home/user/a/b/c.txt").unwrap(), b"c");
    assert!(tab.fs.stat("/home/user/a/b/c.txt").is_ok());
    assert!(tab.save(&mut store));
    assert!(store.entries.contains_key("/home/user/a/b") && store.entries.contains_key("/home"));
    assert_eq!(store.entries["/home/user/a/b/c.txt"].0.seq, 3, "the file itself was not saved again");
}

/// What one tab does in a random run.
#[derive(Debug, Clone)]
enum Step {
    /// Writes its own file `n` (only this tab writes or removes it).
    WriteOwn(u8, u8),
    /// Removes its own file `n`.
    RemoveOwn(u8),
    /// Writes the shared file `n` (both tabs may).
    WriteShared(u8, u8),
    Save,
    Pull,
    /// Reloads: whatever it had not saved is gone with the page.
    Reload,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..6u8, any::<u8>()).prop_map(|(n, v)| Step::WriteOwn(n, v)),
        (0..6u8).prop_map(Step::RemoveOwn),
        (0..3u8, any::<u8>()).prop_map(|(n, v)| Step::WriteShared(n, v)),
        Just(Step::Save),
        Just(Step::Save),
        Just(Step::Pull),
        Just(Step::Pull),
        Just(Step::Reload),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever the two tabs do in whatever order, once both have saved and pulled they
    /// hold the same files as the store, and every tab's own file is there as its owner
    /// last saved it.
    #[test]
    fn two_tabs_converge_and_lose_no_saved_file(steps in prop::collection::vec((any::<bool>(), step()), 1..60)) {
        let (mut store, a, b) = two_tabs();
        let mut tabs = [a, b];
        // Each tab's own files as it last saved them.
        let mut saved_own: [BTreeMap<String, Vec<u8>>; 2] = Default::default();
        let mut own: [BTreeMap<String, Vec<u8>>; 2] = Default::default();
        for (which, step) in steps {
            let i = usize::from(which);
            let tab = &mut tabs[i];
            match step {
                Step::WriteOwn(n, v) => {
                    let path = format!("/home/user/tab{i}-{n}.txt");
                    tab.fs.write_file(&path, &[v; 3]).unwrap();
                    own[i].insert(path, vec![v; 3]);
                }
                Step::RemoveOwn(n) => {
                    let path = format!("/home/user/tab{i}-{n}.txt");
                    if tab.fs.remove(&path).is_ok() {
                        own[i].remove(&path);
                    }
                }
                Step::WriteShared(n, v) => tab.fs.write_file(&format!("/home/user/shared-{n}.txt"), &[v]).unwrap(),
                Step::Save => {
                    tab.save(&mut store);
                    saved_own[i] = own[i].clone();
                }
                Step::Pull => {
                    tab.pull(&store);
                }
                Step::Reload => {
                    *tab = Tab::open(&store);
                    own[i] = saved_own[i].clone();
                }
            }
        }
        for tab in &mut tabs {
            tab.save(&mut store);
        }
        for tab in &mut tabs {
            tab.pull(&store);
        }
        for tab in &mut tabs {
            prop_assert!(!tab.save(&mut store), "a pull left something to save");
        }
        let files = store.files();
        prop_assert_eq!(&tabs[0].files(), &files);
        prop_assert_eq!(&tabs[1].files(), &files);
        prop_assert_eq!(&Tab::open(&store).files(), &files);
        for (i, own) in own.iter().enumerate() {
            let prefix = format!("/home/user/tab{i}-");
            let kept: BTreeMap<String, Vec<u8>> =
                files.iter().filter(|(p, _)| p.starts_with(&prefix)).map(|(p, d)| (p.clone(), d.clone())).collect();
            prop_assert_eq!(&kept, own, "tab {}'s own files", i);
        }
    }
}

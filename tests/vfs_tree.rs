//! Directories, paths and the `os`-style operations; persistence records.

use std::collections::BTreeMap;

use notebook::vfs::{ErrorKind, FileSystem, NodeKind, NodeRecord, DEFAULT_QUOTA};

fn err<T>(result: notebook::vfs::IoResult<T>) -> (ErrorKind, String) {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.kind(), e.message().to_string()),
    }
}

#[test]
fn starts_in_home_with_the_sample_file() {
    let fs = FileSystem::new();
    assert_eq!(fs.getcwd(), "/home/user");
    assert!(fs.is_file("sample.txt") && fs.is_file("/home/user/sample.txt"));
    assert!(fs.is_dir("/tmp") && fs.is_dir(".") && fs.is_dir(".."));
    assert_eq!(fs.listdir("/").unwrap(), vec!["home", "tmp"]);
}

#[test]
fn directories_are_made_listed_and_removed() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.mkdir("data").unwrap();
    assert_eq!(err(fs.mkdir("data")), (ErrorKind::FileExists, "[Errno 17] File exists: 'data'".into()));
    assert_eq!(err(fs.mkdir("no/such")).0, ErrorKind::FileNotFound);
    fs.makedirs("deep/er/est", false).unwrap();
    assert_eq!(err(fs.makedirs("deep/er", false)).0, ErrorKind::FileExists);
    fs.makedirs("deep/er", true).unwrap();
    fs.write_file("deep/er/f.txt", b"hi").unwrap();
    assert_eq!(fs.listdir("deep/er").unwrap(), vec!["est", "f.txt"]);
    assert_eq!(err(fs.rmdir("deep/er")), (ErrorKind::Os, "[Errno 39] Directory not empty: 'deep/er'".into()));
    assert_eq!(err(fs.remove("deep")), (ErrorKind::IsADirectory, "[Errno 21] Is a directory: 'deep'".into()));
    assert_eq!(err(fs.rmdir("deep/er/f.txt")).0, ErrorKind::NotADirectory);
    assert_eq!(err(fs.listdir("deep/er/f.txt")).0, ErrorKind::NotADirectory);
    fs.remove("deep/er/f.txt").unwrap();
    fs.rmdir("deep/er/est").unwrap();
    fs.rmdir("deep/er").unwrap();
    assert_eq!(
        err(fs.rmdir("zz")),
        (ErrorKind::FileNotFound, "[Errno 2] No such file or directory: 'zz'".into())
    );
}

#[test]
fn stat_and_getsize() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("s.bin", &[0; 42]).unwrap();
    let stat = fs.stat("s.bin").unwrap();
    assert_eq!((stat.size, stat.is_dir, stat.read_only), (42, false, false));
    assert!(stat.modified_ms > 1.6e12, "a real time");
    assert_eq!(fs.getsize("s.bin").unwrap(), 42);
    assert!(fs.stat("/home").unwrap().is_dir);
    assert_eq!(err(fs.getsize("zz")).1, "[Errno 2] No such file or directory: 'zz'");
}

#[test]
fn rename_moves_and_replaces_the_target_whole() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("a.txt", b"new").unwrap();
    fs.write_file("b.txt", b"old and longer").unwrap();
    let mut reader = fs.open("b.txt", "r").unwrap();
    fs.rename("a.txt", "b.txt").unwrap();
    assert!(!fs.exists("a.txt"));
    assert_eq!(fs.read_file("b.txt").unwrap(), b"new");
    assert_eq!(reader.read().unwrap(), "old and longer", "an open handle keeps the replaced file");
    fs.makedirs("d/sub", false).unwrap();
    fs.write_file("d/sub/x", b"x").unwrap();
    fs.rename("d", "e").unwrap();
    assert_eq!(fs.read_file("e/sub/x").unwrap(), b"x");
    assert_eq!(
        err(fs.rename("b.txt", "e")),
        (ErrorKind::IsADirectory, "[Errno 21] Is a directory: 'b.txt' -> 'e'".into())
    );
    assert_eq!(err(fs.rename("zz", "yy")).1, "[Errno 2] No such file or directory: 'zz' -> 'yy'");
    assert_eq!(err(fs.rename("e", "e/sub/inside")).0, ErrorKind::Os);
    assert_eq!(fs.usage().0, 4, "the replaced file no longer counts");
}

#[test]
fn paths_never_escape_the_root() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("../../../../top.txt", b"t").unwrap();
    assert!(fs.exists("/top.txt"));
    fs.chdir("/tmp").unwrap();
    assert_eq!(fs.getcwd(), "/tmp");
    // `.` and `..` are resolved in the text of the path (no directory `x` is needed).
    fs.write_file("./x/../y.txt", b"y").unwrap();
    assert!(fs.exists("/tmp/y.txt"));
    assert_eq!(err(fs.open("", "r")).1, "[Errno 2] No such file or directory: ''");
    assert_eq!(err(fs.open("a\0b", "w")), (ErrorKind::Value, "embedded null byte".into()));
    assert_eq!(err(fs.chdir("/tmp/y.txt")).0, ErrorKind::NotADirectory);
}

#[test]
fn changes_round_trip_through_save_records() {
    let fs = FileSystem::new();
    assert!(fs.take_changes().is_some(), "a new tree has everything to save");
    assert!(fs.take_changes().is_none(), "nothing changed since");
    fs.makedirs("notes", false).unwrap();
    fs.write_file("notes/a.txt", b"alpha").unwrap();
    fs.set_read_only("sample.txt", true).unwrap();
    let set = fs.take_changes().unwrap();
    assert_eq!(set.blobs.len(), 1, "only the changed contents are carried: {:?}", set.blobs.keys());
    fs.mark_all_dirty();
    let full = fs.take_changes().unwrap();
    let restored = FileSystem::restore(&full.records, &full.blobs, DEFAULT_QUOTA);
    assert_eq!(restored.read_file("notes/a.txt").unwrap(), b"alpha");
    assert!(restored.stat("sample.txt").unwrap().read_only);
    assert_eq!(restored.listdir("/home/user").unwrap(), vec!["notes", "sample.txt"]);
    assert_eq!(restored.usage().0, fs.usage().0);
    // New files get fresh inode numbers, never reusing a saved one.
    restored.write_file("b.txt", b"b").unwrap();
    let ids: Vec<_> = restored.take_changes().unwrap().records.iter().filter_map(|r| r.inode).collect();
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
}

#[test]
fn a_damaged_save_restores_what_it_can() {
    let records = vec![
        NodeRecord {
            path: "/home".into(),
            kind: NodeKind::Dir,
            inode: None,
            read_only: false,
            mtime_ms: 0.0,
        },
        NodeRecord {
            path: "/home/ok.txt".into(),
            kind: NodeKind::File,
            inode: Some(1),
            read_only: false,
            mtime_ms: 0.0,
        },
        NodeRecord {
            path: "/home/lost.txt".into(),
            kind: NodeKind::File,
            inode: Some(9),
            read_only: false,
            mtime_ms: 0.0,
        },
        NodeRecord {
            path: "/orphan/x".into(),
            kind: NodeKind::File,
            inode: Some(1),
            read_only: false,
            mtime_ms: 0.0,
        },
    ];
    let blobs = BTreeMap::from([(1, b"ok".to_vec())]);
    let fs = FileSystem::restore(&records, &blobs, DEFAULT_QUOTA);
    assert_eq!(fs.read_file("/home/ok.txt").unwrap(), b"ok");
    assert!(!fs.exists("/home/lost.txt") && !fs.exists("/orphan/x"));
    assert_eq!(fs.getcwd(), "/", "no /home/user in this save");
}

#[test]
fn reset_puts_back_the_starting_files() {
    let fs = FileSystem::new();
    fs.write_file("extra.txt", b"x").unwrap();
    fs.remove("sample.txt").unwrap();
    fs.reset();
    assert_eq!(fs.listdir(".").unwrap(), vec!["sample.txt"]);
}

#[test]
fn listing_keeps_names_that_extend_a_directory_s_name() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.makedirs("a/deep/er", false).unwrap();
    for name in ["a.txt", "a-b", "a b", "a0", "b", "a/x"] {
        fs.write_file(name, b"").unwrap();
    }
    assert_eq!(fs.listdir(".").unwrap(), vec!["a", "a b", "a-b", "a.txt", "a0", "b"]);
    assert_eq!(fs.listdir("a").unwrap(), vec!["deep", "x"]);
    assert_eq!(fs.listdir("/").unwrap(), vec!["home", "tmp"], "the root lists its children only");
    assert_eq!(err(fs.rmdir("a")).0, ErrorKind::Os, "not empty");
}

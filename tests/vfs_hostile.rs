//! Bad input to the file system: each case ends in Python's error or Python's answer,
//! never a panic. The cases CPython can be asked about are also in the differential
//! test's `hostile_sequences`; these are the rest (sizes no real `open` survives, the
//! wasm32 edge cases, many handles, many files). See RELIABILITY.md.

use notebook::exercises::catalog;
use notebook::notebook::protocol::{FileReply, FileRequest};
#[path = "common/kernel_session.rs"]
mod kernel_session;
use kernel_session::Session;
use notebook::vfs::{ErrorKind, FileSystem, Replica, DEFAULT_QUOTA, NAME_MAX, PATH_MAX};

fn fs() -> FileSystem {
    FileSystem::empty(DEFAULT_QUOTA)
}

fn err<T>(result: notebook::vfs::IoResult<T>) -> (ErrorKind, String) {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.kind(), e.message().to_string()),
    }
}

/// A kernel, for its file requests as the file browser sends them.
fn kernel() -> Session {
    Session::new(catalog())
}

fn no_space() -> (ErrorKind, String) {
    (ErrorKind::Os, "[Errno 28] No space left on device".to_string())
}

fn invalid() -> (ErrorKind, String) {
    (ErrorKind::Os, "[Errno 22] Invalid argument".to_string())
}

#[test]
fn reads_of_any_size_and_past_the_end_return_what_is_there() {
    let fs = fs();
    fs.write_file("five.bin", b"hello").unwrap();
    // CPython allocates `n` bytes first and raises MemoryError for a huge `n`; here the
    // read returns the bytes there are, in every layer.
    for buffering in [0, 2, -1] {
        let mut f = fs.open_with("five.bin", "rb", buffering).unwrap();
        assert_eq!(f.read_bytes(Some(2)).unwrap(), b"he");
        assert_eq!(f.read_bytes(Some(usize::MAX)).unwrap(), b"llo", "buffering={buffering}");
        assert_eq!(f.read_bytes(Some(usize::MAX)).unwrap(), b"");
        f.seek(1 << 40, 0).unwrap();
        assert_eq!(f.read_bytes(Some(10)).unwrap(), b"", "past the end");
        assert_eq!(f.read_bytes(None).unwrap(), b"");
    }
    let mut text = fs.open("five.bin", "r").unwrap();
    assert_eq!(text.read_n(1).unwrap(), "h");
    assert_eq!(text.read_n(usize::MAX).unwrap(), "ello");
    assert_eq!(text.read_n(usize::MAX).unwrap(), "");
    assert_eq!(text.readline().unwrap(), "");
}

#[test]
fn huge_and_negative_seeks_and_truncates_fail_cleanly_and_change_nothing() {
    let fs = fs();
    fs.write_file("f.bin", b"hello").unwrap();
    for (mode, buffering) in [("r+b", 0), ("r+b", 16), ("r+b", -1), ("r+", -1)] {
        let open = || fs.open_with("f.bin", mode, buffering).unwrap();
        let binary = mode.contains('b');
        let write = |f: &mut notebook::vfs::File, text: &str| {
            // Unbuffered, a write fails at once; buffered, at the flush (and a handle whose
            // flush failed keeps its data and fails again, as Python's does).
            let wrote = if binary { f.write_bytes(text.as_bytes()) } else { f.write(text) };
            wrote.and_then(|_| f.flush())
        };
        // Far past the end: the seek works, the write cannot fit the quota.
        let mut f = open();
        assert_eq!(f.seek(i64::MAX, 0).unwrap(), i64::MAX as u64);
        if buffering != 0 && binary {
            let _ = if binary { f.write_bytes(b"x") } else { f.write("x") };
            assert_eq!(f.tell().unwrap(), 1 << 63, "a byte buffered at i64::MAX is at 2^63");
        }
        assert_eq!(err(write(&mut f, "x")), no_space(), "{mode} {buffering}");
        // 2^33 is cut to 0 if a position passes through a 32-bit `usize` (wasm32).
        let mut f = open();
        f.seek(1 << 33, 0).unwrap();
        assert_eq!(err(write(&mut f, "!")), no_space(), "{mode} {buffering}");
        let mut f = open();
        assert_eq!(err(f.truncate(Some(i64::MAX))), no_space());
        assert_eq!(err(f.truncate(Some(1 << 32))), no_space());
        assert_eq!(err(f.truncate(Some(-1))), invalid());
        if binary {
            assert_eq!(err(f.seek(-1, 0)), invalid());
            assert_eq!(err(f.seek(i64::MIN, 1)), invalid());
            assert_eq!(err(f.seek(i64::MIN, 2)), invalid());
            // FileIO passes `whence` to the system (EINVAL); the buffered layer checks it.
            let bad_whence = if buffering == 0 { ErrorKind::Os } else { ErrorKind::Value };
            assert_eq!(err(f.seek(0, 7)).0, bad_whence);
            // After a read the buffer holds read-ahead: a relative seek to i64::MIN.
            let mut f = open();
            f.read_bytes(Some(1)).unwrap();
            assert_eq!(err(f.seek(i64::MIN, 1)), invalid());
            assert_eq!(f.read_bytes(None).unwrap(), b"ello", "the position did not move");
        } else {
            assert_eq!(err(f.seek(-1, 0)), (ErrorKind::Value, "negative seek position -1".into()));
            assert_eq!(err(f.seek(5, 2)).0, ErrorKind::UnsupportedOperation);
        }
        let _ = fs.take_unraisable();
        assert_eq!(fs.read_file("f.bin").unwrap(), b"hello", "{mode} {buffering}: nothing changed");
        assert_eq!(fs.usage().0, 5);
    }
}

#[test]
fn buffering_values_follow_python() {
    let fs = fs();
    for buffering in [-1, -5, i32::MIN as i64] {
        assert_eq!(fs.open_with("b.bin", "wb", buffering).unwrap().buffer_size(), Some(8192), "{buffering}");
    }
    // A huge buffer costs nothing until used (CPython allocates it at once).
    let mut big = fs.open_with("b.bin", "wb", i32::MAX as i64).unwrap();
    assert_eq!(big.buffer_size(), Some(i32::MAX as usize));
    big.write_bytes(b"kept in the buffer").unwrap();
    assert_eq!(fs.read_file("b.bin").unwrap(), b"");
    big.close().unwrap();
    assert_eq!(fs.read_file("b.bin").unwrap(), b"kept in the buffer");
    for buffering in [i32::MAX as i64 + 1, i64::MAX, i64::MIN] {
        assert_eq!(
            err(fs.open_with("b.bin", "wb", buffering)),
            (ErrorKind::Overflow, "Python int too large to convert to C int".into())
        );
    }
    assert_eq!(
        err(fs.open_with("t.txt", "w", 0)),
        (ErrorKind::Value, "can't have unbuffered text I/O".into())
    );
    assert_eq!(err(fs.open("t.txt", "wr")).1, "must have exactly one of create/read/write/append mode");
    assert_eq!(err(fs.open("t.txt", "z")).1, "invalid mode: 'z'");
}

#[test]
fn empty_absolute_relative_and_dotdot_paths_name_the_same_files() {
    let fs = fs();
    fs.makedirs("a/b", false).unwrap();
    fs.write_file("a/b/f.txt", b"x").unwrap();
    for spelling in [
        "a/b/f.txt",
        "/home/user/a/b/f.txt",
        "./a/./b/f.txt",
        "a/b/../b/f.txt",
        "../../../../home/user/a//b/f.txt",
    ] {
        assert_eq!(fs.read_file(spelling).unwrap(), b"x", "{spelling}");
    }
    fs.chdir("a/b").unwrap();
    assert_eq!(fs.read_file("f.txt").unwrap(), b"x");
    assert_eq!(fs.read_file("../../a/b/f.txt").unwrap(), b"x");
    assert_eq!(
        err(fs.open("", "r")),
        (ErrorKind::FileNotFound, "[Errno 2] No such file or directory: ''".into())
    );
    assert_eq!(err(fs.write_file("", b"x")).0, ErrorKind::FileNotFound);
    assert_eq!(err(fs.open("a\0b", "w")), (ErrorKind::Value, "embedded null byte".into()));
    assert_eq!(err(fs.mkdir("x\0")).1, "embedded null byte");
}

#[test]
fn very_long_names_and_paths_are_refused_as_linux_does() {
    let fs = fs();
    let longest = "n".repeat(NAME_MAX);
    fs.write_file(&longest, b"ok").unwrap();
    let too_long = "n".repeat(NAME_MAX + 1);
    assert_eq!(
        err(fs.open(&too_long, "w")),
        (ErrorKind::Os, format!("[Errno 36] File name too long: '{too_long}'"))
    );
    assert_eq!(err(fs.mkdir(&too_long)).1, format!("[Errno 36] File name too long: '{too_long}'"));
    assert!(!fs.exists(&too_long));
    // A path of 4096 bytes or more, even of short names.
    let deep = "d/".repeat(PATH_MAX / 2);
    assert!(err(fs.makedirs(&deep, true)).1.starts_with("[Errno 36] File name too long: 'd/d/d/"));
    assert_eq!(err(fs.open(&"x".repeat(100_000), "w")).0, ErrorKind::Os, "no time or memory wasted");
    let tree = fs.listdir(".").unwrap();
    assert_eq!(tree, vec![longest], "nothing was made by the failures");
}

#[test]
fn names_with_control_characters_are_allowed_and_escaped_in_messages() {
    let fs = fs();
    let name = "line\nbreak\t\x1b[31mred\x07";
    fs.write_file(name, b"x").unwrap();
    assert_eq!(fs.listdir(".").unwrap(), vec![name.to_string()]);
    assert_eq!(fs.read_file(name).unwrap(), b"x");
    assert_eq!(
        err(fs.open("missing\n\x01", "r")).1,
        "[Errno 2] No such file or directory: 'missing\\n\\x01'",
        "shown as Python's repr shows it"
    );
}

#[test]
fn a_directory_where_a_file_is_expected_and_the_reverse() {
    let fs = fs();
    fs.mkdir("dir").unwrap();
    fs.write_file("file.txt", b"x").unwrap();
    let os = |kind, path: &str| (kind, notebook::vfs::IoError::os(kind, path).message().to_string());
    assert_eq!(err(fs.open("dir", "r")), os(ErrorKind::IsADirectory, "dir"));
    assert_eq!(err(fs.open("dir", "w")), os(ErrorKind::IsADirectory, "dir"));
    assert_eq!(err(fs.open("dir", "x")), os(ErrorKind::FileExists, "dir"));
    assert_eq!(err(fs.remove("dir")), os(ErrorKind::IsADirectory, "dir"));
    assert_eq!(err(fs.read_file("dir")), os(ErrorKind::IsADirectory, "dir"));
    assert_eq!(err(fs.listdir("file.txt")), os(ErrorKind::NotADirectory, "file.txt"));
    assert_eq!(err(fs.chdir("file.txt")), os(ErrorKind::NotADirectory, "file.txt"));
    assert_eq!(err(fs.rmdir("file.txt")), os(ErrorKind::NotADirectory, "file.txt"));
    assert_eq!(err(fs.mkdir("file.txt/sub")), os(ErrorKind::NotADirectory, "file.txt/sub"));
    // A trailing `/` or `/.` names a directory: never the file, as on Linux.
    assert_eq!(err(fs.open("file.txt/", "r")), os(ErrorKind::NotADirectory, "file.txt/"));
    assert_eq!(err(fs.open("file.txt/", "w")), os(ErrorKind::IsADirectory, "file.txt/"));
    assert_eq!(err(fs.open("new.txt/", "w")), os(ErrorKind::IsADirectory, "new.txt/"));
    assert_eq!(err(fs.open("file.txt/.", "a")), os(ErrorKind::NotADirectory, "file.txt/."));
    assert_eq!(err(fs.stat("file.txt/")), os(ErrorKind::NotADirectory, "file.txt/"));
    assert_eq!(err(fs.remove("file.txt/")), os(ErrorKind::NotADirectory, "file.txt/"));
    assert!(!fs.exists("file.txt/") && !fs.is_file("file.txt/") && fs.is_dir("dir/"));
    assert_eq!(err(fs.rename("file.txt", "moved/")).1, "[Errno 20] Not a directory: 'file.txt' -> 'moved/'");
    assert_eq!(fs.read_file("file.txt").unwrap(), b"x", "still there, unchanged");
    assert!(!fs.exists("new.txt"));
}

#[test]
fn one_file_open_many_times_for_reading_and_writing_at_once() {
    let fs = fs();
    fs.write_file("shared.txt", b"").unwrap();
    let mut writers: Vec<_> = (0..100).map(|_| fs.open("shared.txt", "a").unwrap()).collect();
    let mut readers: Vec<_> = (0..100).map(|_| fs.open("shared.txt", "r").unwrap()).collect();
    let mut updater = fs.open("shared.txt", "r+").unwrap();
    assert_eq!(fs.open_files().len(), 201);
    let fds: Vec<i32> = fs.open_files().iter().map(|f| f.fd).collect();
    assert_eq!(fds, (3..204).collect::<Vec<_>>(), "one descriptor each, lowest first");
    for (i, w) in writers.iter_mut().enumerate() {
        w.write(&format!("{i:03}\n")).unwrap();
    }
    assert_eq!(readers[0].read().unwrap(), "", "all still in the writers' buffers");
    for w in writers.iter_mut().rev() {
        w.flush().unwrap();
    }
    // Append mode: every flush lands at the end of the file, so the newest flush is last.
    let expected: String = (0..100).rev().map(|i| format!("{i:03}\n")).collect();
    for r in readers.iter_mut() {
        assert_eq!(r.read().unwrap(), expected);
    }
    updater.write("XXX").unwrap();
    updater.close().unwrap();
    assert_eq!(readers[7].read().unwrap(), "", "a reader at the end stays there");
    readers[7].seek(0, 0).unwrap();
    assert_eq!(readers[7].readline().unwrap(), "XXX\n", "and sees the overwrite after a seek");
    drop(writers);
    drop(readers);
    assert!(fs.open_files().is_empty());
    assert_eq!(fs.getsize("shared.txt").unwrap(), 400);
}

#[test]
fn thousands_of_files_and_a_deep_tree() {
    let k = kernel();
    let fs = k.kernel.fs().clone();
    fs.remove("sample.txt").unwrap();
    for d in 0..20 {
        fs.mkdir(&format!("d{d:02}")).unwrap();
        for f in 0..250 {
            fs.write_file(&format!("d{d:02}/f{f:03}.txt"), format!("{d}/{f}").as_bytes()).unwrap();
        }
    }
    assert_eq!(fs.listdir("d07").unwrap().len(), 250);
    assert_eq!(fs.read_file("d19/f249.txt").unwrap(), b"19/249");
    // A tree 2,000 directories deep, as deep as an absolute path of PATH_MAX allows.
    for _ in 0..20 {
        let piece = "d/".repeat(100);
        fs.makedirs(&piece, false).unwrap();
        fs.chdir(&piece).unwrap();
    }
    fs.write_file("bottom.txt", b"deep").unwrap();
    let bottom = fs.getcwd();
    assert_eq!(bottom.matches('/').count(), 2002);
    assert!(err(fs.mkdir(&"n".repeat(90))).1.starts_with("[Errno 36] File name too long"));
    fs.chdir("/home/user").unwrap();
    let longer = "l".repeat(90);
    fs.mkdir(&longer).unwrap();
    assert_eq!(
        err(fs.rename("d", &format!("{longer}/d"))).1,
        format!("[Errno 36] File name too long: '{longer}/d'"),
        "moving the tree deeper would pass the limit"
    );
    // The file browser lists and deletes all of it.
    let FileReply::Listing { entries } = k.file_request(FileRequest::List) else {
        panic!("no listing: {:?}", k.file_request(FileRequest::List))
    };
    assert!(entries.len() > 6000, "{}", entries.len());
    assert!(entries.iter().any(|e| e.path == format!("{bottom}/bottom.txt")));
    let request = FileRequest::Delete { path: "d".into(), recursive: true };
    assert_eq!(k.file_request(request), FileReply::Done);
    let request = FileRequest::Delete { path: "d00".into(), recursive: true };
    assert_eq!(k.file_request(request), FileReply::Done);
    assert_eq!(fs.listdir(".").unwrap().len(), 20, "d01 to d19 and the long name");
    // All of it saves and restores.
    let saved = Replica::new().outgoing(&fs).unwrap();
    let (restored, _) = Replica::restore(saved.into_entries(1), DEFAULT_QUOTA);
    assert_eq!(restored.read_file("d19/f249.txt").unwrap(), b"19/249");
    assert_eq!(restored.usage(), fs.usage());
}

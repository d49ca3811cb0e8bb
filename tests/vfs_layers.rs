//! The file system's Python-io semantics, one test per rule (see issue: "Semantics that
//! must hold"). Messages are CPython 3.11's.

use notebook::vfs::{ErrorKind, FileKind, FileSystem, DEFAULT_QUOTA};

fn fs() -> FileSystem {
    FileSystem::empty(DEFAULT_QUOTA)
}

fn err<T>(result: notebook::vfs::IoResult<T>) -> (ErrorKind, String) {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => (e.kind(), e.message().to_string()),
    }
}

fn disk(fs: &FileSystem, path: &str) -> Vec<u8> {
    fs.read_file(path).unwrap()
}

#[test]
fn buffered_data_is_not_in_the_file_until_flush_or_close() {
    let fs = fs();
    let mut f = fs.open("log.txt", "w").unwrap();
    f.write("first line\n").unwrap();
    let mut other = fs.open("log.txt", "r").unwrap();
    assert_eq!(other.read().unwrap(), "", "another handle sees nothing yet");
    f.flush().unwrap();
    assert_eq!(other.read().unwrap(), "first line\n");
    f.write("second\n").unwrap();
    assert_eq!(disk(&fs, "log.txt"), b"first line\n");
    f.close().unwrap();
    assert_eq!(disk(&fs, "log.txt"), b"first line\nsecond\n");
}

#[test]
fn dropping_a_file_closes_it_and_a_failing_close_is_reported_not_a_panic() {
    let fs = fs();
    {
        let mut f = fs.open("drop.txt", "w").unwrap();
        f.write("kept").unwrap();
    }
    assert_eq!(disk(&fs, "drop.txt"), b"kept");
    assert!(fs.open_files().is_empty(), "the descriptor was released");

    let mut f = fs.open("full.bin", "wb").unwrap();
    f.write_bytes(&[7; 100]).unwrap();
    fs.set_quota(10);
    drop(f);
    let notes = fs.take_unraisable();
    assert_eq!(notes.len(), 1);
    assert!(notes[0].contains("OSError: [Errno 28] No space left on device"), "{notes:?}");
    assert!(fs.open_files().is_empty(), "closed even though the flush failed");
}

#[test]
fn append_mode_always_writes_at_the_end() {
    let fs = fs();
    fs.write_file("a.txt", b"abc").unwrap();
    let mut f = fs.open("a.txt", "a+").unwrap();
    f.seek(0, 0).unwrap();
    assert_eq!(f.read().unwrap(), "abc");
    f.seek(1, 0).unwrap();
    f.write("Z").unwrap();
    f.close().unwrap();
    assert_eq!(disk(&fs, "a.txt"), b"abcZ");
    let mut raw = fs.open_with("a.txt", "ab", 0).unwrap();
    raw.seek(0, 0).unwrap();
    raw.write_bytes(b"!").unwrap();
    assert_eq!(disk(&fs, "a.txt"), b"abcZ!");
}

#[test]
fn opening_errors_read_as_python_s() {
    let fs = fs();
    fs.write_file("here.txt", b"x").unwrap();
    fs.mkdir("dir").unwrap();
    assert_eq!(
        err(fs.open("missing.txt", "r")),
        (ErrorKind::FileNotFound, "[Errno 2] No such file or directory: 'missing.txt'".into())
    );
    assert_eq!(
        err(fs.open("here.txt", "x")),
        (ErrorKind::FileExists, "[Errno 17] File exists: 'here.txt'".into())
    );
    assert_eq!(
        err(fs.open("dir", "r")),
        (ErrorKind::IsADirectory, "[Errno 21] Is a directory: 'dir'".into())
    );
    assert_eq!(
        err(fs.open("here.txt/x", "w")),
        (ErrorKind::NotADirectory, "[Errno 20] Not a directory: 'here.txt/x'".into())
    );
    fs.set_read_only("here.txt", true).unwrap();
    assert_eq!(
        err(fs.open("here.txt", "a")),
        (ErrorKind::Permission, "[Errno 13] Permission denied: 'here.txt'".into())
    );
    assert!(fs.open("here.txt", "r").is_ok(), "reading a read-only file is fine");
    assert_eq!(err(fs.open("here.txt", "rw")).1, "must have exactly one of create/read/write/append mode");
    assert_eq!(err(fs.open("here.txt", "rr")).1, "invalid mode: 'rr'");
}

#[test]
fn every_operation_after_close_is_a_value_error_and_closing_twice_is_fine() {
    let fs = fs();
    let mut f = fs.open("c.txt", "w+").unwrap();
    f.close().unwrap();
    f.close().unwrap();
    assert!(f.closed().unwrap());
    let closed = (ErrorKind::Value, "I/O operation on closed file.".to_string());
    assert_eq!(err(f.read()), closed);
    assert_eq!(err(f.write("x")), closed);
    assert_eq!(err(f.tell()), closed);
    assert_eq!(err(f.seek(0, 0)), closed);
    assert_eq!(err(f.flush()), closed);
    assert_eq!(err(f.readline()), closed);
    assert_eq!(err(f.fileno()).0, ErrorKind::Value);
}

#[test]
fn detach_hands_over_the_layer_below_and_the_detached_object_fails() {
    let fs = fs();
    let mut text = fs.open("d.txt", "w").unwrap();
    text.write("text ").unwrap();
    let mut buffered = text.detach().unwrap();
    assert_eq!(buffered.kind(), FileKind::Buffered);
    assert_eq!(err(text.write("more")), (ErrorKind::Value, "underlying buffer has been detached".into()));
    assert_eq!(err(text.tell()).1, "underlying buffer has been detached");
    buffered.write_bytes(b"bytes ").unwrap();
    let mut raw = buffered.detach().unwrap();
    assert_eq!(raw.kind(), FileKind::Raw);
    assert_eq!(err(buffered.write_bytes(b"x")), (ErrorKind::Value, "raw stream has been detached".into()));
    assert_eq!(
        (text.class_name(), buffered.class_name(), raw.class_name()),
        ("TextIOWrapper", "BufferedWriter", "FileIO"),
        "a detached object keeps its class"
    );
    raw.write_bytes(b"raw").unwrap();
    // `FileIO` has no `detach` (CPython: AttributeError, open or closed); a detached
    // buffered object says it is detached.
    let no_detach = (ErrorKind::Attribute, "'_io.FileIO' object has no attribute 'detach'".to_string());
    assert_eq!(err(raw.detach()), no_detach);
    assert_eq!(err(fs.open_with("e.bin", "wb", 0).unwrap().detach()), no_detach);
    assert_eq!(err(buffered.detach()), (ErrorKind::Value, "raw stream has been detached".into()));
    assert_eq!(disk(&fs, "d.txt"), b"text bytes raw", "each layer flushed as it was detached");
    drop(text);
    drop(buffered);
    assert_eq!(fs.open_files().len(), 1, "the raw file still holds its descriptor");
}

#[test]
fn reading_a_write_only_file_and_the_reverse_are_unsupported() {
    let fs = fs();
    let mut w = fs.open("w.txt", "w").unwrap();
    assert_eq!(err(w.read()), (ErrorKind::UnsupportedOperation, "not readable".into()));
    let mut r = fs.open("w.txt", "r").unwrap();
    assert_eq!(err(r.write("x")), (ErrorKind::UnsupportedOperation, "not writable".into()));
    let mut wb = fs.open("w.txt", "wb").unwrap();
    assert_eq!(err(wb.read_bytes(None)), (ErrorKind::UnsupportedOperation, "read".into()));
    let mut raw = fs.open_with("w.txt", "rb", 0).unwrap();
    assert_eq!(
        err(raw.write_bytes(b"x")),
        (ErrorKind::UnsupportedOperation, "File not open for writing".into())
    );
    assert_eq!(err(r.write_bytes(b"x")).0, ErrorKind::Type);
}

#[test]
fn invalid_utf8_in_text_mode_names_the_position() {
    let fs = fs();
    fs.write_file("bad.txt", b"caf\xc3\xa9 ok \xff!").unwrap();
    let (kind, message) = err(fs.open("bad.txt", "r").unwrap().read());
    assert_eq!(kind, ErrorKind::UnicodeDecode);
    assert_eq!(message, "'utf-8' codec can't decode byte 0xff in position 9: invalid start byte");
    fs.write_file("cut.txt", b"ab\xc3").unwrap();
    assert_eq!(
        err(fs.open("cut.txt", "r").unwrap().read()).1,
        "'utf-8' codec can't decode byte 0xc3 in position 2: unexpected end of data"
    );
}

#[test]
fn descriptors_are_the_lowest_free_from_three_and_listed_with_their_owner() {
    let fs = fs();
    fs.set_owner("A14");
    let a = fs.open("a", "w").unwrap();
    let b = fs.open("b", "w").unwrap();
    let c = fs.open("c", "w").unwrap();
    assert_eq!((a.fileno().unwrap(), b.fileno().unwrap(), c.fileno().unwrap()), (3, 4, 5));
    drop(b);
    let d = fs.open("d", "w").unwrap();
    assert_eq!(d.fileno().unwrap(), 4, "4 was free again");
    let table = fs.open_files();
    let listed: Vec<_> =
        table.iter().map(|o| (o.fd, o.entry.path.as_str(), o.entry.owner.as_str())).collect();
    assert_eq!(
        listed,
        vec![(3, "/home/user/a", "A14"), (4, "/home/user/d", "A14"), (5, "/home/user/c", "A14")]
    );
}

#[test]
fn raw_calls_are_counted_per_handle_and_in_total() {
    let fs = fs();
    let mut buffered = fs.open_with("n.bin", "wb", 64).unwrap();
    for _ in 0..100 {
        buffered.write_bytes(&[1; 16]).unwrap();
    }
    buffered.close().unwrap();
    let counts = buffered.counts();
    assert_eq!(counts.raw_writes, 25, "1600 bytes through a 64-byte buffer: 25 full buffers");
    assert_eq!(counts.bytes_written, 1600);

    let mut raw = fs.open_with("m.bin", "wb", 0).unwrap();
    for _ in 0..10 {
        raw.write_bytes(&[2; 16]).unwrap();
    }
    assert_eq!(raw.counts().raw_writes, 10, "unbuffered: one raw call per write");
    let mut reader = fs.open_with("n.bin", "rb", 64).unwrap();
    for _ in 0..100 {
        assert_eq!(reader.read_bytes(Some(16)).unwrap().len(), 16);
    }
    assert_eq!(reader.counts().raw_reads, 25);
    let total = fs.counts();
    assert_eq!((total.raw_writes, total.raw_reads), (35, 25));
}

#[test]
fn buffering_choices_follow_python() {
    let fs = fs();
    assert_eq!(
        err(fs.open_with("t.txt", "w", 0)),
        (ErrorKind::Value, "can't have unbuffered text I/O".into())
    );
    let mut line = fs.open_with("t.txt", "w", 1).unwrap();
    assert!(line.line_buffering());
    line.write("no newline yet").unwrap();
    assert_eq!(disk(&fs, "t.txt"), b"");
    line.write(", now\n").unwrap();
    assert_eq!(disk(&fs, "t.txt"), b"no newline yet, now\n", "a line end flushes");
    assert_eq!(line.counts().raw_writes, 1);
    let binary_one = fs.open_with("t.bin", "wb", 1).unwrap();
    assert_eq!(binary_one.buffer_size(), Some(8192), "binary buffering=1 means the default");
    assert_eq!(fs.open("t.bin", "rb").unwrap().buffer_size(), Some(8192));
    assert_eq!(fs.open_with("t.bin", "rb", 0).unwrap().buffer_size(), None);
    assert_eq!(fs.open_with("t.bin", "rb", 16).unwrap().buffer_size(), Some(16));
}

#[test]
fn a_write_over_the_quota_fails_and_leaves_every_file_as_it_was() {
    let fs = FileSystem::empty(100);
    fs.write_file("keep.txt", &[b'k'; 60]).unwrap();
    let mut f = fs.open_with("big.bin", "wb", 0).unwrap();
    f.write_bytes(&[1; 30]).unwrap();
    assert_eq!(err(f.write_bytes(&[2; 20])), (ErrorKind::Os, "[Errno 28] No space left on device".into()));
    assert_eq!(disk(&fs, "big.bin"), vec![1; 30]);
    assert_eq!(disk(&fs, "keep.txt"), vec![b'k'; 60]);
    fs.remove("keep.txt").unwrap();
    f.write_bytes(&[2; 20]).unwrap();
    assert_eq!(fs.usage(), (50, 100));
}

#[test]
fn seek_and_tell_in_text_mode_follow_python() {
    let fs = fs();
    fs.write_file("s.txt", b"This is the first line.\nSecond line\n").unwrap();
    let mut f = fs.open("s.txt", "r").unwrap();
    assert_eq!(f.read_n(10).unwrap(), "This is th");
    assert_eq!(f.tell().unwrap(), 10);
    f.seek(10, 0).unwrap();
    assert_eq!(f.readline().unwrap(), "e first line.\n");
    assert_eq!(
        err(f.seek(1, 1)),
        (ErrorKind::UnsupportedOperation, "can't do nonzero cur-relative seeks".into())
    );
    assert_eq!(err(f.seek(-1, 2)).1, "can't do nonzero end-relative seeks");
    assert_eq!(err(f.seek(-1, 0)), (ErrorKind::Value, "negative seek position -1".into()));
    assert_eq!(err(f.seek(0, 3)).1, "invalid whence (3, should be 0, 1 or 2)");
    assert_eq!(f.seek(0, 2).unwrap(), 36);
    let mut b = fs.open("s.txt", "rb").unwrap();
    assert_eq!(err(b.seek(-1, 0)), (ErrorKind::Os, "[Errno 22] Invalid argument".into()));
}

#[test]
fn reading_text_after_writing_in_r_plus_shows_python_s_read_ahead() {
    // Python reads text in 8192-byte chunks: after read(3) the buffer is at the end of a
    // short file, so a write lands there, not at position 3.
    let fs = fs();
    fs.write_file("q.txt", "abcdefghij\n".repeat(3).as_bytes()).unwrap();
    let mut f = fs.open("q.txt", "r+").unwrap();
    assert_eq!(f.read_n(3).unwrap(), "abc");
    f.write("XY").unwrap();
    f.flush().unwrap();
    assert_eq!(disk(&fs, "q.txt"), format!("{}XY", "abcdefghij\n".repeat(3)).as_bytes());
    assert_eq!(f.tell().unwrap(), 35);
}

#[test]
fn lines_readlines_and_writelines() {
    let fs = fs();
    let mut f = fs.open("l.txt", "w").unwrap();
    f.writelines(["one\n", "two\r\n", "three"]).unwrap();
    f.close().unwrap();
    let mut r = fs.open("l.txt", "r").unwrap();
    assert_eq!(r.readlines().unwrap(), vec!["one\n", "two\n", "three"]);
    let mut r = fs.open("l.txt", "r").unwrap();
    let lines: Vec<String> = r.lines().map(Result::unwrap).collect();
    assert_eq!(lines, vec!["one\n", "two\n", "three"]);
    let mut b = fs.open("l.txt", "rb").unwrap();
    assert_eq!(b.readline_bytes().unwrap(), b"one\n");
    assert_eq!(b.readline_bytes().unwrap(), b"two\r\n");
}

#[test]
fn truncate_cuts_and_extends() {
    let fs = fs();
    fs.write_file("t.bin", b"0123456789").unwrap();
    let mut f = fs.open("t.bin", "r+b").unwrap();
    f.seek(4, 0).unwrap();
    assert_eq!(f.truncate(None).unwrap(), 4);
    assert_eq!(disk(&fs, "t.bin"), b"0123");
    assert_eq!(f.truncate(Some(6)).unwrap(), 6);
    assert_eq!(disk(&fs, "t.bin"), b"0123\0\0");
    assert_eq!(err(f.truncate(Some(-1))).1, "[Errno 22] Invalid argument");
    let mut r = fs.open("t.bin", "rb").unwrap();
    assert_eq!(err(r.truncate(None)), (ErrorKind::UnsupportedOperation, "truncate".into()));
}

#[test]
fn names_modes_and_classes() {
    let fs = fs();
    let cases = [
        ("x.txt", "w+", -1, "w+", "TextIOWrapper"),
        ("x.txt", "r+b", -1, "rb+", "BufferedRandom"),
        ("x.txt", "rb", -1, "rb", "BufferedReader"),
        ("x.txt", "ab", -1, "ab", "BufferedWriter"),
        ("x.txt", "w+b", 0, "rb+", "FileIO"),
        ("x.txt", "a+b", 0, "ab+", "FileIO"),
    ];
    for (path, mode, buffering, shown, class) in cases {
        let f = fs.open_with(path, mode, buffering).unwrap();
        assert_eq!((f.mode().unwrap(), f.class_name()), (shown, class), "{mode}");
        assert_eq!(f.name().unwrap(), "x.txt");
    }
}

/// Found by the `ops` fuzz target: in append mode a write lands at the end whatever was
/// seeked, so the buffer's cached position (the seek's `2**63 - 1`) overflowed when the
/// write's length was added. It is now "unknown" and asked of the raw file again.
#[test]
fn an_append_after_the_largest_seek_lands_at_the_end() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let mut file = fs.open("log.bin", "ab").unwrap();
    assert_eq!(file.seek(i64::MAX, 0).unwrap(), i64::MAX as u64);
    file.write_bytes(b"xy").unwrap();
    file.flush().unwrap();
    assert_eq!(file.tell().unwrap(), 2);
    file.close().unwrap();
    assert_eq!(fs.read_file("log.bin").unwrap(), b"xy");
}

/// Found by the `ops` fuzz target: a relative seek by `i64::MIN` while bytes wait in the
/// buffer overflowed; it is the system's EINVAL, as any seek before the start.
#[test]
fn a_relative_seek_past_the_smallest_offset_is_invalid() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let mut file = fs.open("data.bin", "wb+").unwrap();
    file.write_bytes(b"abc").unwrap();
    file.seek(0, 0).unwrap();
    file.read_bytes(Some(1)).unwrap();
    assert_eq!(file.seek(i64::MIN, 1).unwrap_err().message(), "[Errno 22] Invalid argument");
    assert_eq!(file.seek(i64::MIN, 0).unwrap_err().kind(), ErrorKind::Os);
    assert_eq!(file.read_bytes(None).unwrap(), b"bc");
}

/// Found by the `ops` fuzz target: after an append following the largest seek, `tell`
/// subtracted a buffer offset from a raw position of `2**63 - 1` and overflowed. It wraps
/// now, as CPython's unchecked arithmetic does; the data still lands at the end.
#[test]
fn tell_after_an_append_beyond_every_offset_does_not_panic() {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let mut file = fs.open("log.bin", "ab+").unwrap();
    file.seek(i64::MAX, 0).unwrap();
    file.write_bytes(b"xy").unwrap();
    assert!(file.tell().is_ok());
    file.seek(i64::MAX, 0).unwrap();
    assert!(file.read_bytes(Some(1)).is_ok());
    assert!(file.tell().is_ok());
    file.close().unwrap();
    assert_eq!(fs.read_file("log.bin").unwrap(), b"xy");
}

/// Found by the model test: an append refused for lack of space left the position at the
/// end of the file, where Linux leaves it where it was (the offset moves only on success).
#[test]
fn a_refused_append_leaves_the_position_where_it_was() {
    let fs = FileSystem::empty(33);
    let mut f = fs.open_with("a", "a+b", 0).unwrap();
    fs.write_file("a", &[0; 16]).unwrap();
    assert_eq!(f.write_bytes(&[b'x'; 18]).unwrap_err().message(), "[Errno 28] No space left on device");
    assert_eq!(f.tell().unwrap(), 0);
    assert_eq!(f.read_bytes(Some(1)).unwrap(), [0]);
    f.write_bytes(b"yz").unwrap();
    assert_eq!(f.tell().unwrap(), 18, "a write that succeeds moves it to the end");
}

/// `newline`, as CPython 3.11 on Linux gives each answer: which line ends `readline` stops
/// at, what reading makes of them, and what a written `\n` becomes.
#[test]
fn newline_chooses_line_ends_on_read_and_write() {
    let fs = fs();
    fs.write_file("m.txt", b"one\r\ntwo\rthree\nfour\r").unwrap();
    let cases: [(Option<&str>, &[&str], &str); 5] = [
        (None, &["one\n", "two\n", "three\n", "four\n"], "one\ntwo\nthree\nfour\n"),
        (Some(""), &["one\r\n", "two\r", "three\n", "four\r"], "one\r\ntwo\rthree\nfour\r"),
        (Some("\n"), &["one\r\n", "two\rthree\n", "four\r"], "one\r\ntwo\rthree\nfour\r"),
        (Some("\r"), &["one\r", "\ntwo\r", "three\nfour\r"], "one\r\ntwo\rthree\nfour\r"),
        (Some("\r\n"), &["one\r\n", "two\rthree\nfour\r"], "one\r\ntwo\rthree\nfour\r"),
    ];
    for (newline, lines, text) in cases {
        let mut f = fs.open_with_newline("m.txt", "r", -1, newline).unwrap();
        assert_eq!(f.readlines().unwrap(), lines, "{newline:?}");
        f.seek(0, 0).unwrap();
        assert_eq!(f.read().unwrap(), text, "{newline:?}");
        assert_eq!(f.tell().unwrap(), 20, "{newline:?}");
    }
    let mut f = fs.open_with_newline("w.txt", "w", -1, Some("\r\n")).unwrap();
    assert_eq!(f.write("a\nb\n").unwrap(), 4, "the characters given, not written");
    f.close().unwrap();
    assert_eq!(disk(&fs, "w.txt"), b"a\r\nb\r\n");
    let mut f = fs.open_with_newline("w.txt", "w", -1, Some("\r")).unwrap();
    f.write("a\nb\r\nc").unwrap();
    f.close().unwrap();
    assert_eq!(disk(&fs, "w.txt"), b"a\rb\r\rc");
    for newline in [None, Some(""), Some("\n")] {
        let mut f = fs.open_with_newline("w.txt", "w", -1, newline).unwrap();
        f.write("a\nb\r\n").unwrap();
        f.close().unwrap();
        assert_eq!(disk(&fs, "w.txt"), b"a\nb\r\n", "{newline:?} writes what it is given");
    }
}

#[test]
fn a_crlf_line_end_split_between_two_chunks_still_ends_the_line() {
    let fs = fs();
    let mut data = vec![b'a'; notebook::vfs::CHUNK_SIZE - 1];
    data.extend_from_slice(b"\r\nb\r\nc");
    fs.write_file("long.txt", &data).unwrap();
    for newline in [Some("\r\n"), Some(""), None] {
        let mut f = fs.open_with_newline("long.txt", "r", -1, newline).unwrap();
        let first = f.readline().unwrap();
        assert_eq!(first.len(), notebook::vfs::CHUNK_SIZE + usize::from(newline.is_some()), "{newline:?}");
        let rest = f.readlines().unwrap();
        let end = if newline.is_some() { "\r\n" } else { "\n" };
        assert_eq!(rest, [format!("b{end}"), "c".to_string()], "{newline:?}");
    }
}

#[test]
fn newline_is_checked_as_python_checks_it() {
    let fs = fs();
    assert_eq!(
        err(fs.open_with_newline("bad.txt", "w", -1, Some("x"))),
        (ErrorKind::Value, "illegal newline value: x".into())
    );
    assert!(fs.exists("bad.txt"), "CPython opens the file before it checks the newline");
    assert_eq!(
        err(fs.open_with_newline("bin.txt", "wb", -1, Some(""))),
        (ErrorKind::Value, "binary mode doesn't take a newline argument".into())
    );
    assert!(!fs.exists("bin.txt"), "refused before opening");
    assert_eq!(
        err(fs.open_with_newline("u.txt", "w", 0, Some("x"))),
        (ErrorKind::Value, "can't have unbuffered text I/O".into())
    );
}

/// A detached object answers as CPython 3.11's: "detached" for everything, except what
/// its class inherits from `IOBase` without its raw stream (a writer's `read` and
/// `readable`, a reader's `write` and `writable`); `mode` is "detached" for buffered
/// objects and kept for text ones; `readlines` checks the file first.
#[test]
fn a_detached_object_answers_as_its_class_does() {
    let fs = fs();
    fs.write_file("a.txt", b"abc\n").unwrap();
    let detached = |mode: &str| {
        let mut f = fs.open("a.txt", mode).unwrap();
        drop(f.detach().unwrap());
        f
    };
    let raw_gone = (ErrorKind::Value, "raw stream has been detached".to_string());
    let unsupported = |m: &str| (ErrorKind::UnsupportedOperation, m.to_string());

    let mut writer = detached("wb");
    assert_eq!(err(writer.read_bytes(Some(1))), unsupported("read"));
    assert_eq!(err(writer.read_bytes(None)), unsupported("read"));
    assert_eq!(err(writer.readline_bytes()), unsupported("read"));
    assert_eq!(writer.readable(), Ok(false));
    assert_eq!(err(writer.write_bytes(b"x")), raw_gone);
    assert_eq!(err(writer.writable()), raw_gone);
    assert_eq!(err(writer.mode()), raw_gone);
    assert_eq!(err(writer.readlines_bytes()), raw_gone);

    let mut reader = detached("rb");
    assert_eq!(err(reader.write_bytes(b"x")), unsupported("write"));
    assert_eq!(reader.writable(), Ok(false));
    assert_eq!(err(reader.read_bytes(Some(1))), raw_gone);
    assert_eq!(err(reader.readable()), raw_gone);
    assert_eq!(err(reader.mode()), raw_gone);

    let mut random = detached("r+b");
    assert_eq!(err(random.read_bytes(Some(1))), raw_gone);
    assert_eq!(err(random.write_bytes(b"x")), raw_gone);
    assert_eq!(err(random.readable()), raw_gone);
    assert_eq!(err(random.writable()), raw_gone);

    let mut text = detached("w");
    assert_eq!(text.mode(), Ok("w"));
    let text_gone = (ErrorKind::Value, "underlying buffer has been detached".to_string());
    assert_eq!(err(text.readable()), text_gone);
    assert_eq!(err(text.readlines()), text_gone);
}

/// A line loop turns a text file's `tell` off (CPython's "telling position disabled by
/// next() call") until it reaches the end, a `flush` or a `seek`; a loop that fails
/// leaves it off. Each answer is CPython 3.11's.
#[test]
fn a_line_loop_turns_tell_off_until_it_ends() {
    let fs = fs();
    let disabled = (ErrorKind::Os, "telling position disabled by next() call".to_string());
    let mut f = fs.open("a.txt", "w").unwrap();
    assert_eq!(err(f.readlines()), (ErrorKind::UnsupportedOperation, "not readable".into()));
    assert_eq!(err(f.tell()), disabled);
    assert_eq!(err(f.seek(0, 1)), disabled);
    assert_eq!(f.write("x"), Ok(1));
    assert_eq!(err(f.tell()), disabled);
    f.flush().unwrap();
    assert_eq!(f.tell(), Ok(1), "a flush turns it back on");

    fs.write_file("b.txt", &[0xf4]).unwrap();
    let mut f = fs.open("b.txt", "r").unwrap();
    assert_eq!(err(f.readlines()).0, ErrorKind::UnicodeDecode);
    assert_eq!(err(f.tell()), disabled);
    f.flush().unwrap();
    assert_eq!(f.tell(), Ok(1));

    let mut f = fs.open("c.txt", "w+").unwrap();
    f.write("a\nb\nc\n").unwrap();
    f.seek(0, 0).unwrap();
    let mut lines = Vec::new();
    while let Some(line) = f.lines().next() {
        lines.push(line.unwrap());
        assert_eq!(err(f.tell()), disabled, "inside the loop");
    }
    assert_eq!(lines, ["a\n", "b\n", "c\n"]);
    assert_eq!(f.tell(), Ok(6), "the loop reached the end");
    f.seek(0, 0).unwrap();
    assert_eq!(f.next_line().unwrap(), "a\n");
    assert_eq!(f.readline().unwrap(), "b\n");
    assert_eq!(err(f.tell()), disabled, "a readline does not turn it back on");
    assert_eq!(f.seek(0, 0), Ok(0), "a seek does");
    assert_eq!(f.tell(), Ok(0));
    assert_eq!(f.readlines().unwrap(), ["a\n", "b\n", "c\n"]);
    assert_eq!(f.tell(), Ok(6));
}

/// After a line loop read a chunk of its own, CPython's `tell` (once a flush turns it
/// back on) starts from the snapshot taken before the loop, and so is off wherever the
/// loop crossed characters of another width: the same figures here.
#[test]
fn tell_after_a_loop_that_read_on_starts_from_the_snapshot_before_it() {
    let fs = fs();
    let mut text = format!("{}\n", "a".repeat(100));
    text.extend((0..1800).map(|i| format!("{i:04}\n")));
    text.push_str(&"éééé\n".repeat(3000));
    fs.write_file("big.txt", text.as_bytes()).unwrap();
    let mut f = fs.open("big.txt", "r").unwrap();
    f.readline().unwrap();
    assert_eq!(f.tell(), Ok(101));
    for _ in 0..3000 {
        f.next_line().unwrap();
    }
    f.flush().unwrap();
    assert_eq!(f.tell(), Ok(18338), "CPython 3.11's figure (the line's true end is 19901)");
}

#[test]
fn readinto_fills_the_callers_buffer_with_the_raw_calls_of_read() {
    // What CPython 3.11 does with the same calls (an 8192-byte buffer).
    let fs = fs();
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    fs.write_file("r.bin", &data).unwrap();
    let mut f = fs.open("r.bin", "rb").unwrap();
    let mut small = [0u8; 16];
    assert_eq!(f.readinto(&mut small).unwrap(), 16);
    assert_eq!(small, data[..16]);
    assert_eq!(f.counts().raw_reads, 1, "one refill of 8192 bytes");
    assert_eq!(f.readinto(&mut small).unwrap(), 16, "from what is read ahead: no raw call");
    assert_eq!(f.counts().raw_reads, 1);
    // More than the buffer: what is read ahead, then one raw read straight into the
    // caller's buffer for all the rest.
    let mut big = vec![0u8; 10_000];
    assert_eq!(f.readinto(&mut big).unwrap(), 10_000);
    assert_eq!(big, data[32..10_032]);
    assert_eq!(f.counts().raw_reads, 2);
    assert_eq!(f.tell().unwrap(), 10_032);
    let mut rest = vec![0u8; 20_000];
    assert_eq!(f.readinto(&mut rest).unwrap(), 20_000 - 10_032, "fewer at the end");
    assert_eq!(f.readinto(&mut small).unwrap(), 0);
    assert_eq!(f.readinto(&mut []).unwrap(), 0);

    // Unbuffered: one raw read each, as FileIO.readinto.
    let mut raw = fs.open_with("r.bin", "rb", 0).unwrap();
    assert_eq!(raw.readinto(&mut small).unwrap(), 16);
    assert_eq!(raw.counts().raw_reads, 1);

    // What has no readinto, or cannot read, says what CPython says.
    let mut text = fs.open("r.bin", "r").unwrap();
    assert_eq!(
        err(text.readinto(&mut small)),
        (ErrorKind::Attribute, "'_io.TextIOWrapper' object has no attribute 'readinto'".into())
    );
    let mut writer = fs.open("w.bin", "wb").unwrap();
    assert_eq!(err(writer.readinto(&mut small)), (ErrorKind::UnsupportedOperation, "read".into()));
    let _raw = f.detach().unwrap();
    assert_eq!(err(f.readinto(&mut small)), (ErrorKind::Value, "raw stream has been detached".into()));
    f.close().ok();
    let mut closed = fs.open("r.bin", "rb").unwrap();
    closed.close().unwrap();
    assert_eq!(err(closed.readinto(&mut small)), (ErrorKind::Value, "readinto of closed file".into()));
}

#[test]
fn a_writer_closed_after_a_failed_flush_refuses_every_write_even_an_empty_one() {
    let fs = FileSystem::empty(4);
    let mut f = fs.open("full.bin", "wb").unwrap();
    f.write_bytes(b"0123456789").unwrap(); // waits in the buffer: the quota is 4 bytes
    assert_eq!(err(f.close()).0, ErrorKind::Os, "the flush fails with ENOSPC, the file closes anyway");
    let closed = (ErrorKind::Value, "write to closed file".to_string());
    assert_eq!(err(f.write_bytes(b"")), closed);
    assert_eq!(err(f.write_bytes(b"x")), closed);
}

#[test]
fn small_reads_and_writes_served_by_the_buffer_allocate_nothing() {
    // Issue 19's hot paths: a `read(16)` returns its bytes in the value itself, and
    // `readinto` and a buffered `write` copy into memory that is already there.
    let fs = fs();
    let mut file = fs.open("/tmp/pieces.bin", "wb").unwrap();
    // The buffer grows as far as bytes are placed in it, and the file as it is written:
    // a whole buffer, then a flush, first.
    file.write_bytes(&[7; 8192]).unwrap();
    file.write_bytes(&[7; 16]).unwrap();
    let ((), wrote) = notebook::memory::measure(|| {
        for k in 1..100u8 {
            file.write_bytes(&[k; 16]).unwrap();
        }
    });
    assert_eq!(wrote.allocations, 0, "buffered writes of 16 bytes");
    file.close().unwrap();

    let mut file = fs.open("/tmp/pieces.bin", "rb").unwrap();
    file.read_bytes(Some(1)).unwrap(); // the first read fills the buffer
    let (pieces, read) = notebook::memory::measure(|| {
        let mut pieces = Vec::with_capacity(50);
        let mut into = [0; 16];
        for _ in 0..50 {
            pieces.push(file.read_bytes(Some(16)).unwrap());
            file.readinto(&mut into).unwrap();
        }
        pieces
    });
    assert_eq!(read.allocations, 1, "only the list of pieces: read(16) and readinto allocate nothing");
    assert!(pieces.iter().all(|piece| piece == &[7; 16]));
}

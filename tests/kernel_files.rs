//! The kernel's file requests, as the page's file browser sends them: list, preview,
//! create, make a directory, rename or move, delete (recursively on request), and every
//! failure as a Python-style error that changes nothing.

use notebook::exercises::catalog;
use notebook::notebook::protocol::{
    FileEntry, FileReply, FileRequest, Header, Message, ReplyStatus, ToKernel,
};

#[path = "common/kernel_session.rs"]
mod kernel_session;

use kernel_session::Session;

fn session() -> Session {
    Session::new(catalog())
}

/// The page's file requests, as the file browser makes them.
trait FileBrowser {
    fn ask(&self, req: FileRequest) -> FileReply;
    fn listing(&self) -> Vec<FileEntry>;
    fn paths(&self) -> Vec<String>;
    fn fails(&self, req: FileRequest, error: &str);
    fn write(&self, path: &str, data: &[u8]);
}

impl FileBrowser for Session {
    /// Sends one request; returns the one reply, which answers it.
    fn ask(&self, req: FileRequest) -> FileReply {
        self.file_request(req)
    }

    fn listing(&self) -> Vec<FileEntry> {
        match self.ask(FileRequest::List) {
            FileReply::Listing { entries } => entries,
            other => panic!("a listing expected: {other:?}"),
        }
    }

    fn paths(&self) -> Vec<String> {
        self.listing().into_iter().map(|e| e.path).collect()
    }

    /// Asks for `req` and expects it to fail with `error`, leaving the listing as it was.
    fn fails(&self, req: FileRequest, error: &str) {
        let before = self.listing();
        assert_eq!(self.ask(req), FileReply::Failed { error: error.to_string() });
        assert_eq!(self.listing(), before, "a failed request changes nothing");
    }

    /// Uploads `data` to `path` (its folder and name, as the file browser sends them).
    fn write(&self, path: &str, data: &[u8]) {
        let (dir, name) = path.rsplit_once('/').unwrap_or((".", path));
        let reply = self.upload(if dir.is_empty() { "/" } else { dir }, name, data);
        assert!(matches!(reply, FileReply::Uploaded { size, .. } if size == data.len() as u64), "{reply:?}");
    }
}

fn s(text: &str) -> String {
    text.to_string()
}

#[test]
fn create_makes_an_empty_file_and_refuses_an_existing_path() {
    let k = session();
    assert_eq!(k.ask(FileRequest::Create { path: s("/home/user/new.txt") }), FileReply::Done);
    let entry = k.listing().into_iter().find(|e| e.path == "/home/user/new.txt").expect("listed");
    assert_eq!((entry.is_dir, entry.size), (false, 0));
    k.fails(
        FileRequest::Create { path: s("/home/user/sample.txt") },
        "FileExistsError: [Errno 17] File exists: '/home/user/sample.txt'",
    );
    k.fails(
        FileRequest::Create { path: s("/nowhere/x.txt") },
        "FileNotFoundError: [Errno 2] No such file or directory: '/nowhere/x.txt'",
    );
    assert!(k.kernel.fs().read_file("/home/user/sample.txt").is_ok_and(|d| !d.is_empty()), "kept its text");
}

#[test]
fn mkdir_makes_a_directory_once() {
    let k = session();
    assert_eq!(k.ask(FileRequest::Mkdir { path: s("/home/user/data") }), FileReply::Done);
    assert!(k.kernel.fs().is_dir("/home/user/data"));
    k.fails(
        FileRequest::Mkdir { path: s("/home/user/data") },
        "FileExistsError: [Errno 17] File exists: '/home/user/data'",
    );
    k.fails(
        FileRequest::Mkdir { path: s("/home/user/sample.txt/sub") },
        "NotADirectoryError: [Errno 20] Not a directory: '/home/user/sample.txt/sub'",
    );
}

#[test]
fn rename_moves_files_and_directories_and_never_replaces() {
    let k = session();
    k.write("/home/user/a.txt", b"alpha");
    assert_eq!(
        k.ask(FileRequest::Rename { from: s("/home/user/a.txt"), to: s("/home/user/b.txt") }),
        FileReply::Done
    );
    assert_eq!(k.kernel.fs().read_file("/home/user/b.txt").unwrap(), b"alpha");
    assert!(!k.kernel.fs().exists("/home/user/a.txt"));

    k.fails(
        FileRequest::Rename { from: s("/home/user/b.txt"), to: s("/home/user/sample.txt") },
        "FileExistsError: [Errno 17] File exists: '/home/user/b.txt' -> '/home/user/sample.txt'",
    );
    k.fails(
        FileRequest::Rename { from: s("/home/user/gone.txt"), to: s("/home/user/c.txt") },
        "FileNotFoundError: [Errno 2] No such file or directory: '/home/user/gone.txt' -> '/home/user/c.txt'",
    );
    k.fails(
        FileRequest::Rename { from: s("/home/user/b.txt"), to: s("/nowhere/b.txt") },
        "FileNotFoundError: [Errno 2] No such file or directory: '/home/user/b.txt' -> '/nowhere/b.txt'",
    );

    // A directory moves with what it holds.
    assert_eq!(k.ask(FileRequest::Mkdir { path: s("/tmp/box") }), FileReply::Done);
    k.write("/tmp/box/in.bin", &[1, 2, 3]);
    assert_eq!(
        k.ask(FileRequest::Rename { from: s("/tmp/box"), to: s("/home/user/crate") }),
        FileReply::Done
    );
    assert_eq!(k.kernel.fs().read_file("/home/user/crate/in.bin").unwrap(), [1, 2, 3]);
    assert!(!k.paths().iter().any(|p| p.starts_with("/tmp/box")));
    k.fails(
        FileRequest::Rename { from: s("/home/user/crate"), to: s("/home/user/crate/inner") },
        "OSError: [Errno 22] Invalid argument: '/home/user/crate' -> '/home/user/crate/inner'",
    );
}

#[test]
fn the_current_directory_and_those_above_it_stay_put() {
    let k = session();
    for path in ["/home/user", "/home", "/"] {
        let busy = format!(
            "OSError: [Errno 16] Device or resource busy (the current directory is /home/user): '{path}'"
        );
        k.fails(FileRequest::Delete { path: s(path), recursive: true }, &busy);
        k.fails(FileRequest::Rename { from: s(path), to: s("/elsewhere") }, &busy);
    }
}

#[test]
fn delete_removes_files_empty_directories_and_full_ones_only_when_asked() {
    let k = session();
    k.write("/tmp/one.txt", b"1");
    assert_eq!(k.ask(FileRequest::Delete { path: s("/tmp/one.txt"), recursive: false }), FileReply::Done);
    assert!(!k.kernel.fs().exists("/tmp/one.txt"));
    k.fails(
        FileRequest::Delete { path: s("/tmp/one.txt"), recursive: false },
        "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/one.txt'",
    );

    assert_eq!(k.ask(FileRequest::Mkdir { path: s("/tmp/empty") }), FileReply::Done);
    assert_eq!(k.ask(FileRequest::Delete { path: s("/tmp/empty"), recursive: false }), FileReply::Done);
    assert!(!k.kernel.fs().exists("/tmp/empty"));

    assert_eq!(k.ask(FileRequest::Mkdir { path: s("/tmp/full") }), FileReply::Done);
    assert_eq!(k.ask(FileRequest::Mkdir { path: s("/tmp/full/deeper") }), FileReply::Done);
    k.write("/tmp/full/deeper/x.bin", &[0; 100]);
    k.write("/tmp/full/y.txt", b"why");
    k.fails(
        FileRequest::Delete { path: s("/tmp/full"), recursive: false },
        "OSError: [Errno 39] Directory not empty: '/tmp/full'",
    );
    let used = k.kernel.fs().usage().0;
    assert_eq!(k.ask(FileRequest::Delete { path: s("/tmp/full"), recursive: true }), FileReply::Done);
    assert!(!k.paths().iter().any(|p| p.starts_with("/tmp/full")));
    assert_eq!(k.kernel.fs().usage().0, used - 103, "the quota got the bytes back");
    assert!(k.kernel.fs().is_dir("/tmp"));
}

#[test]
fn a_preview_is_the_start_of_the_file_and_its_whole_size() {
    let k = session();
    let data: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    k.write("/tmp/big.bin", &data);
    let (reply, buffers) =
        k.file_request_with(FileRequest::Preview { path: s("/tmp/big.bin"), max_bytes: 65_536 }, vec![]);
    assert_eq!(reply, FileReply::Preview { path: s("/tmp/big.bin"), size: 70_000 });
    assert_eq!(buffers, [&data[..65_536]], "the first bytes, beside the reply");
    let (reply, buffers) =
        k.file_request_with(FileRequest::Preview { path: s("/tmp/big.bin"), max_bytes: 1 << 40 }, vec![]);
    assert_eq!((reply, buffers), (FileReply::Preview { path: s("/tmp/big.bin"), size: 70_000 }, vec![data]));
    assert_eq!(
        k.ask(FileRequest::Preview { path: s("/tmp"), max_bytes: 10 }),
        FileReply::Failed { error: s("IsADirectoryError: [Errno 21] Is a directory: '/tmp'") }
    );
}

#[test]
fn files_a_cell_writes_are_listed_after_its_run() {
    let k = session();
    assert!(!k.paths().contains(&s("/home/user/output.txt")));
    assert_eq!(kernel_session::reply_status(&k.execute("A2", &[])), ReplyStatus::Ok);
    let listed = k.listing().into_iter().find(|e| e.path == "/home/user/output.txt").expect("A2 wrote it");
    assert_eq!(listed.size, k.kernel.fs().getsize("/home/user/output.txt").unwrap());
    assert!(listed.size > 0);
}

#[test]
fn file_requests_travel_as_json_named_by_their_operation() {
    let msg: Message<ToKernel> = Message {
        header: Header { msg_id: s("page-1") },
        parent_header: None,
        body: ToKernel::FileRequest(FileRequest::Rename { from: s("a"), to: s("b") }),
        buffers: vec![],
    };
    let json: serde_json::Value = serde_json::from_str(&msg.to_json()).unwrap();
    assert_eq!(json["content"]["rename"]["to"], "b");
    // The content may come before `msg_type`, as any JSON object's keys may.
    let delete = r#"{"content":{"delete":{"path":"x"}},"header":{"msg_id":"p"},"parent_header":null,"msg_type":"file_request"}"#;
    let ToKernel::FileRequest(FileRequest::Delete { recursive, .. }) =
        Message::<ToKernel>::from_json(delete).unwrap().body
    else {
        panic!("a delete request")
    };
    assert!(!recursive, "recursive defaults to false");
}

#[test]
fn an_upload_that_does_not_fit_fails_whole_and_keeps_the_old_file() {
    let s = session();
    s.write("keep.bin", &[7; 300]);
    s.kernel.fs().set_quota(1000);
    let used = s.kernel.fs().usage().0;
    // Replacing keep.bin: its 300 bytes would be freed, but 1,000 bytes still do not fit.
    let free = 1000 - used + 300;
    let before = s.listing();
    assert_eq!(
        s.upload(".", "keep.bin", &[1; 1000]),
        FileReply::Failed {
            error: format!(
                "OSError: [Errno 28] No space left on device: '/home/user/keep.bin' is 1000 B, and {free} B of \
                 the 1000 B all files may hold is free"
            )
        }
    );
    assert_eq!(s.listing(), before, "a failed upload changes nothing");
    assert_eq!(s.kernel.fs().read_file("keep.bin").unwrap(), vec![7; 300], "not emptied first");
    assert!(matches!(s.upload(".", "new.bin", &[1; 900]), FileReply::Failed { .. }));
    assert_eq!(s.listing(), before, "no empty new.bin left behind");
    // What fits, fits exactly.
    s.write("keep.bin", &vec![2; free as usize]);
    assert_eq!(s.kernel.fs().usage(), (1000, 1000));
}

#[test]
fn uploads_of_binary_data_and_names_with_markup_are_kept_as_they_are() {
    let s = session();
    let every_byte: Vec<u8> = (0..=255).collect();
    let name = "<img src=x onerror=alert(1)>.bin";
    s.write(name, &every_byte);
    assert_eq!(s.kernel.fs().read_file(name).unwrap(), every_byte);
    assert!(s.paths().contains(&format!("/home/user/{name}")));
}

#[test]
fn an_upload_carries_its_bytes_as_one_buffer_and_other_requests_carry_none() {
    let k = session();
    let upload = || FileRequest::Upload { dir: s("/tmp"), name: s("x.bin") };
    let (reply, _) = k.file_request_with(upload(), vec![]);
    assert_eq!(
        reply,
        FileReply::Failed {
            error: s(
                "ValueError: an upload carries its bytes as one buffer beside the message; this one came \
                      with 0 buffers"
            )
        }
    );
    let (reply, _) = k.file_request_with(upload(), vec![vec![1], vec![2]]);
    assert!(matches!(reply, FileReply::Failed { error } if error.ends_with("came with 2 buffers")));
    let (reply, buffers) =
        k.file_request_with(FileRequest::Read { path: s("/home/user/sample.txt") }, vec![vec![1]]);
    assert_eq!(
        (reply, buffers),
        (
            FileReply::Failed {
                error: s("ValueError: only an upload carries bytes; this request came with 1 buffer")
            },
            vec![]
        )
    );
    assert!(!k.kernel.fs().exists("/tmp/x.bin"), "nothing was written");
    // A reply with no bytes has no buffers; a download has exactly its file's.
    assert_eq!(k.file_request_with(FileRequest::List, vec![]).1, Vec::<Vec<u8>>::new());
    let (_, buffers) = k.file_request_with(FileRequest::Read { path: s("/home/user/sample.txt") }, vec![]);
    assert_eq!(buffers, [k.kernel.fs().read_file("/home/user/sample.txt").unwrap()]);
}

#[test]
fn an_upload_name_is_a_file_name_and_never_a_way_out_of_its_folder() {
    let k = session();
    for (name, why) in [
        ("../../escape.txt", "a name cannot hold '/' or '\\'"),
        ("a/b.txt", "a name cannot hold '/' or '\\'"),
        ("/etc/passwd", "a name cannot hold '/' or '\\'"),
        ("..\\..\\escape.txt", "a name cannot hold '/' or '\\'"),
        ("..", "'.' and '..' name folders"),
        (".", "'.' and '..' name folders"),
        ("", "a name cannot be empty"),
        ("nul\0.txt", "a name cannot hold NUL"),
    ] {
        let before = k.listing();
        let error = format!(
            "ValueError: {} was not uploaded: an upload's name is a file's name, not a path ({why})",
            notebook::pyrepr::str_repr(name)
        );
        assert_eq!(k.upload("/home/user", name, b"x"), FileReply::Failed { error }, "{name:?}");
        assert_eq!(k.listing(), before, "{name:?} wrote nothing anywhere");
    }
    assert!(!k.kernel.fs().exists("/escape.txt"));
    // Dots inside a name are a name; the reply says where the file really went.
    assert_eq!(
        k.upload("/home/user", "a..b.txt", b"x"),
        FileReply::Uploaded { path: s("/home/user/a..b.txt"), size: 1 }
    );
    assert_eq!(k.upload("/", "top.txt", b"xy"), FileReply::Uploaded { path: s("/top.txt"), size: 2 });
    k.kernel.fs().chdir("/tmp").unwrap();
    assert_eq!(k.upload("..", "up.txt", b""), FileReply::Uploaded { path: s("/up.txt"), size: 0 });
    assert_eq!(k.upload(".", "here.txt", b"x"), FileReply::Uploaded { path: s("/tmp/here.txt"), size: 1 });
    // A folder that is not one is the file system's error, named by the path written.
    assert_eq!(
        k.upload("/tmp/here.txt", "x", b"x"),
        FileReply::Failed { error: s("NotADirectoryError: [Errno 20] Not a directory: '/tmp/here.txt/x'") }
    );
}

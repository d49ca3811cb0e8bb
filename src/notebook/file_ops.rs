//! The kernel's answers to the page's file requests (the file browser, uploads and
//! downloads), carried out with the `os` operations of the kernel's [`FileSystem`]. Each
//! fails with a Python-style error and then has changed nothing. A file's bytes come and
//! go as the message's binary buffers, each copied once: an upload's from its buffer into
//! the file, a download's from the file into the reply's buffer.

use super::file_changes::Snapshot;
use super::file_view::{human_size, join};
use super::file_watch::FileWatch;
use super::protocol::{Buffer, FileEntry, FileReply, FileRequest};
use crate::pyrepr::str_repr;
use crate::vfs::{absolute, ErrorKind, FileSystem, IoError, IoResult};

/// How much of an upload is copied at a time: what it costs besides the file itself.
const UPLOAD_PIECE: usize = 1 << 20;

/// Carries out `req` on `fs` with the `buffers` that came with it (an upload's bytes), and
/// hands `send` the reply with the buffers that go with it (a file's bytes, lent where
/// they lie). A listing comes from `watch`, which counts its later notices from it.
pub fn answer<D: Buffer>(
    fs: &FileSystem,
    watch: &FileWatch,
    req: FileRequest,
    buffers: Vec<D>,
    send: impl FnOnce(FileReply, &[&[u8]]),
) {
    let mut send = Some(send);
    let mut reply = |reply: FileReply, buffers: &[&[u8]]| {
        if let Some(send) = send.take() {
            send(reply, buffers);
        }
    };
    if let Err(e) = operate(fs, watch, req, buffers, &mut reply) {
        reply(FileReply::Failed { error: format!("{}: {e}", e.kind().python_name()) }, &[]);
    }
}

/// Carries out `req` and replies, or fails having replied nothing.
fn operate<D: Buffer>(
    fs: &FileSystem,
    watch: &FileWatch,
    req: FileRequest,
    buffers: Vec<D>,
    reply: &mut dyn FnMut(FileReply, &[&[u8]]),
) -> IoResult<()> {
    if !buffers.is_empty() && !matches!(req, FileRequest::Upload { .. }) {
        return Err(IoError::new(
            ErrorKind::Value,
            format!("only an upload carries bytes; this request came with {}", buffer_count(buffers.len())),
        ));
    }
    let done = match req {
        FileRequest::List => FileReply::Listing { entries: watch.listing()? },
        FileRequest::Read { path } => {
            return fs.with_file_bytes(&path.clone(), |bytes| reply(FileReply::Contents { path }, &[bytes]));
        }
        FileRequest::Preview { path, max_bytes } => {
            let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
            return fs.with_file_bytes(&path.clone(), |bytes| {
                let size = bytes.len() as u64;
                reply(FileReply::Preview { path, size }, &[&bytes[..bytes.len().min(max)]]);
            });
        }
        FileRequest::Upload { dir, name } => {
            let data = only_buffer(buffers)?;
            check_file_name(&name)?;
            let path = join(&absolute(&fs.getcwd(), &dir)?, &name);
            let size = data.byte_len();
            check_room(fs, &path, size as u64)?;
            write_upload(fs, &path, &data)?;
            FileReply::Uploaded { path, size: size as u64 }
        }
        FileRequest::Reset => {
            fs.reset();
            FileReply::Done
        }
        FileRequest::Create { path } => {
            fs.open(&path, "xb")?.close()?;
            FileReply::Done
        }
        FileRequest::Mkdir { path } => {
            fs.mkdir(&path)?;
            FileReply::Done
        }
        FileRequest::Rename { from, to } => {
            rename(fs, &from, &to)?;
            FileReply::Done
        }
        FileRequest::Delete { path, recursive } => {
            delete(fs, &path, recursive)?;
            FileReply::Done
        }
    };
    reply(done, &[]);
    Ok(())
}

/// Creates or replaces `path` with the bytes of `data`: the file is sized once (one
/// allocation, no doubling as it grows), then filled in pieces straight from the buffer.
fn write_upload(fs: &FileSystem, path: &str, data: &impl Buffer) -> IoResult<()> {
    let size = data.byte_len();
    let mut file = fs.open_with(path, "wb", 0)?;
    file.truncate(Some(i64::try_from(size).map_err(|_| IoError::no_space())?))?;
    let mut piece = vec![0; size.min(UPLOAD_PIECE)];
    let mut at = 0;
    while at < size {
        let piece = &mut piece[..(size - at).min(UPLOAD_PIECE)];
        data.copy_out(at, piece);
        file.write_bytes(piece)?;
        at += piece.len();
    }
    file.close()
}

fn buffer_count(count: usize) -> String {
    match count {
        1 => "1 buffer".to_string(),
        n => format!("{n} buffers"),
    }
}

/// An upload's bytes: the one buffer beside its message.
fn only_buffer<D>(buffers: Vec<D>) -> IoResult<D> {
    let count = buffer_count(buffers.len());
    let [data] = <[D; 1]>::try_from(buffers).map_err(|_| {
        IoError::new(
            ErrorKind::Value,
            format!(
                "an upload carries its bytes as one buffer beside the message; this one came with {count}"
            ),
        )
    })?;
    Ok(data)
}

/// `ValueError` unless `name` is one file's name: an upload lands in its folder, and a
/// name that is a path (`../../x`, `a/b`, `C:\x`) or that names a folder (`.`, `..`)
/// would put it elsewhere or nowhere. NUL ends a name in most systems.
pub fn check_file_name(name: &str) -> IoResult<()> {
    let why = if name.is_empty() {
        Some("a name cannot be empty")
    } else if name == "." || name == ".." {
        Some("'.' and '..' name folders")
    } else if name.contains(['/', '\\']) {
        Some("a name cannot hold '/' or '\\'")
    } else if name.contains('\0') {
        Some("a name cannot hold NUL")
    } else {
        None
    };
    match why {
        None => Ok(()),
        Some(why) => Err(IoError::new(
            ErrorKind::Value,
            format!(
                "{} was not uploaded: an upload's name is a file's name, not a path ({why})",
                str_repr(name)
            ),
        )),
    }
}

/// Every file and directory now, in the file browser's order, with modification times.
pub fn snapshot(fs: &FileSystem) -> IoResult<Vec<Snapshot>> {
    let mut listing = Vec::new();
    walk(fs, "/", |entry, modified_ms| listing.push(Snapshot { entry, modified_ms }))?;
    Ok(listing)
}

/// Hands `visit` every path below `dir`, depth first in name order, with its entry and
/// modification time. A loop with its own stack, not recursion: a tree thousands of
/// directories deep must not overflow the worker's call stack.
fn walk(fs: &FileSystem, dir: &str, mut visit: impl FnMut(FileEntry, f64)) -> IoResult<()> {
    let names = |dir: &str| -> IoResult<std::vec::IntoIter<String>> { Ok(fs.listdir(dir)?.into_iter()) };
    let mut stack = vec![(dir.to_string(), names(dir)?)];
    while let Some((dir, children)) = stack.last_mut() {
        let Some(name) = children.next() else {
            stack.pop();
            continue;
        };
        let path = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
        let stat = fs.stat(&path)?;
        let entry =
            FileEntry { path: path.clone(), is_dir: stat.is_dir, size: stat.size, read_only: stat.read_only };
        visit(entry, stat.modified_ms);
        if stat.is_dir {
            let inside = names(&path)?;
            stack.push((path, inside));
        }
    }
    Ok(())
}

/// `OSError: [Errno 28] No space left on device` *before* anything is touched, when
/// `size` bytes at `path` (replacing the file there) would pass the quota: opening with
/// `"wb"` would empty the old file first, and an upload must fail whole.
fn check_room(fs: &FileSystem, path: &str, size: u64) -> IoResult<()> {
    let (used, quota) = fs.usage();
    let old = if fs.is_file(path) { fs.getsize(path)? } else { 0 };
    let free = quota.saturating_sub(used) + old;
    if size <= free {
        return Ok(());
    }
    Err(IoError::new(
        ErrorKind::Os,
        format!(
            "[Errno 28] No space left on device: {} is {}, and {} of the {} all files may hold is free",
            str_repr(path),
            human_size(size),
            human_size(free),
            human_size(quota)
        ),
    ))
}

/// `OSError: [Errno 16] Device or resource busy` when `path` is the current directory or
/// holds it: the cells' relative paths would stop working.
fn refuse_current_dir(fs: &FileSystem, path: &str, abs: &str) -> IoResult<()> {
    let cwd = fs.getcwd();
    let holds_cwd = abs == "/" || cwd == abs || cwd.starts_with(&format!("{abs}/"));
    if holds_cwd {
        return Err(IoError::new(
            ErrorKind::Os,
            format!(
                "[Errno 16] Device or resource busy (the current directory is {cwd}): {}",
                str_repr(path)
            ),
        ));
    }
    Ok(())
}

/// `os.rename`, except that an existing target is an error rather than replaced.
fn rename(fs: &FileSystem, from: &str, to: &str) -> IoResult<()> {
    let from_abs = absolute(&fs.getcwd(), from)?;
    let to_abs = absolute(&fs.getcwd(), to)?;
    fs.stat(from).map_err(|e| IoError::os2(e.kind(), from, to))?;
    refuse_current_dir(fs, from, &from_abs)?;
    if from_abs != to_abs && fs.exists(to) {
        return Err(IoError::os2(ErrorKind::FileExists, from, to));
    }
    fs.rename(from, to)
}

/// `os.remove`, `os.rmdir`, or (`recursive`) `shutil.rmtree`.
fn delete(fs: &FileSystem, path: &str, recursive: bool) -> IoResult<()> {
    let abs = absolute(&fs.getcwd(), path)?;
    if !fs.stat(path)?.is_dir {
        return fs.remove(path);
    }
    refuse_current_dir(fs, path, &abs)?;
    if !recursive {
        return fs.rmdir(path);
    }
    // Everything is checked: the removals below cannot fail part-way.
    let mut inside = Vec::new();
    walk(fs, &abs, |entry, _| inside.push(entry))?;
    for entry in inside.iter().rev() {
        if entry.is_dir {
            fs.rmdir(&entry.path)?;
        } else {
            fs.remove(&entry.path)?;
        }
    }
    fs.rmdir(&abs)
}

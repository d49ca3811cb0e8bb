//! The kernel's answers to the page's file requests (the file browser, uploads and
//! downloads), carried out with the `os` operations of the kernel's [`FileSystem`]. Each
//! fails with a Python-style error and then has changed nothing. A file's bytes come and
//! go as the message's binary buffers, each copied once: an upload into the file, a
//! download out of it.

use super::file_changes::Snapshot;
use super::file_view::{human_size, join};
use super::file_watch::FileWatch;
use super::protocol::{FileEntry, FileReply, FileRequest};
use crate::pyrepr::str_repr;
use crate::vfs::{absolute, ErrorKind, FileSystem, IoError, IoResult};

/// Carries out `req` on `fs` with the `buffers` that came with it (an upload's bytes);
/// returns the reply and the buffers that go with it (a file's contents). A listing comes
/// from `watch`, which counts its later notices from it.
pub fn answer(
    fs: &FileSystem,
    watch: &FileWatch,
    req: FileRequest,
    buffers: Vec<Vec<u8>>,
) -> (FileReply, Vec<Vec<u8>>) {
    match operate(fs, watch, req, buffers) {
        Ok(answer) => answer,
        Err(e) => (FileReply::Failed { error: format!("{}: {e}", e.kind().python_name()) }, Vec::new()),
    }
}

fn operate(
    fs: &FileSystem,
    watch: &FileWatch,
    req: FileRequest,
    buffers: Vec<Vec<u8>>,
) -> IoResult<(FileReply, Vec<Vec<u8>>)> {
    let done = |reply| Ok((reply, Vec::new()));
    if !buffers.is_empty() && !matches!(req, FileRequest::Upload { .. }) {
        return Err(IoError::new(
            ErrorKind::Value,
            format!("only an upload carries bytes; this request came with {}", buffer_count(&buffers)),
        ));
    }
    match req {
        FileRequest::List => done(FileReply::Listing { entries: watch.listing()? }),
        FileRequest::Read { path } => {
            let data = fs.read_file(&path)?;
            Ok((FileReply::Contents { path }, vec![data]))
        }
        FileRequest::Preview { path, max_bytes } => {
            let max = usize::try_from(max_bytes).unwrap_or(usize::MAX);
            let (head, size) = fs.read_file_head(&path, max)?;
            Ok((FileReply::Preview { path, size }, vec![head]))
        }
        FileRequest::Upload { dir, name } => {
            let data = only_buffer(buffers)?;
            check_file_name(&name)?;
            let path = join(&absolute(&fs.getcwd(), &dir)?, &name);
            check_room(fs, &path, data.len() as u64)?;
            fs.write_file(&path, &data)?;
            done(FileReply::Uploaded { path, size: data.len() as u64 })
        }
        FileRequest::Reset => {
            fs.reset();
            done(FileReply::Done)
        }
        FileRequest::Create { path } => {
            fs.open(&path, "xb")?.close()?;
            done(FileReply::Done)
        }
        FileRequest::Mkdir { path } => {
            fs.mkdir(&path)?;
            done(FileReply::Done)
        }
        FileRequest::Rename { from, to } => {
            rename(fs, &from, &to)?;
            done(FileReply::Done)
        }
        FileRequest::Delete { path, recursive } => {
            delete(fs, &path, recursive)?;
            done(FileReply::Done)
        }
    }
}

fn buffer_count(buffers: &[Vec<u8>]) -> String {
    match buffers.len() {
        1 => "1 buffer".to_string(),
        n => format!("{n} buffers"),
    }
}

/// An upload's bytes: the one buffer beside its message.
fn only_buffer(buffers: Vec<Vec<u8>>) -> IoResult<Vec<u8>> {
    let count = buffer_count(&buffers);
    let [data] = <[Vec<u8>; 1]>::try_from(buffers).map_err(|_| {
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

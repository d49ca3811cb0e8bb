//! The kernel's answers to the page's file requests (the file browser, uploads and
//! downloads), carried out with the `os` operations of the kernel's [`FileSystem`]. Each
//! fails with a Python-style error and then has changed nothing.

use base64::Engine as _;

use super::file_changes::Snapshot;
use super::file_view::human_size;
use super::file_watch::FileWatch;
use super::protocol::{FileEntry, FileReply, FileRequest};
use crate::pyrepr::str_repr;
use crate::vfs::{absolute, ErrorKind, FileSystem, IoError, IoResult};

/// Carries out `req` on `fs`; a listing comes from `watch`, which counts its later
/// notices from it.
pub fn answer(fs: &FileSystem, watch: &FileWatch, req: FileRequest) -> FileReply {
    match operate(fs, watch, req) {
        Ok(reply) => reply,
        Err(e) => FileReply::Failed { error: format!("{}: {e}", e.kind().python_name()) },
    }
}

fn operate(fs: &FileSystem, watch: &FileWatch, req: FileRequest) -> IoResult<FileReply> {
    let b64 = base64::engine::general_purpose::STANDARD;
    match req {
        FileRequest::List => Ok(FileReply::Listing { entries: watch.listing()? }),
        FileRequest::Read { path } => {
            let data = fs.read_file(&path)?;
            Ok(FileReply::Contents { path, data_base64: b64.encode(data) })
        }
        FileRequest::Preview { path, max_bytes } => {
            let mut data = fs.read_file(&path)?;
            let size = data.len() as u64;
            data.truncate(usize::try_from(max_bytes).unwrap_or(usize::MAX));
            Ok(FileReply::Preview { path, data_base64: b64.encode(data), size })
        }
        FileRequest::Write { path, data_base64 } => {
            let data = b64.decode(data_base64.as_bytes()).map_err(|e| {
                IoError::new(ErrorKind::Value, format!("the upload is not valid base64: {e}"))
            })?;
            check_room(fs, &path, data.len() as u64)?;
            fs.write_file(&path, &data)?;
            Ok(FileReply::Done)
        }
        FileRequest::Reset => {
            fs.reset();
            Ok(FileReply::Done)
        }
        FileRequest::Create { path } => {
            fs.open(&path, "xb")?.close()?;
            Ok(FileReply::Done)
        }
        FileRequest::Mkdir { path } => {
            fs.mkdir(&path)?;
            Ok(FileReply::Done)
        }
        FileRequest::Rename { from, to } => {
            rename(fs, &from, &to)?;
            Ok(FileReply::Done)
        }
        FileRequest::Delete { path, recursive } => {
            delete(fs, &path, recursive)?;
            Ok(FileReply::Done)
        }
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

//! The rotating file handler: `app.log` rolls over to `app.log.1`, `app.log.2`, ... by size.

use super::super::errors::LogError;
use super::super::handler::{typed_handler, Emit, Handler};
use super::super::record::Record;
use super::file::FileTarget;
use crate::vfs::{FileSystem, IoResult};

/// Python's `RotatingFileHandler`. Before a record is written, the handler rolls over if
/// the file is not empty and its size plus the record's length (characters, newline
/// included) would reach `max_bytes`: `app.log.(n-1)` becomes `app.log.n` and so on down,
/// the last backup is removed, `app.log` becomes `app.log.1`, and a new `app.log` is
/// started. A record longer than `max_bytes` is written whole into a fresh file (which then
/// rolls over at the next record). With `max_bytes` or `backup_count` 0 it never rolls over.
#[derive(Debug, Clone)]
pub struct RotatingFileHandler {
    handler: Handler,
    path: String,
}

impl RotatingFileHandler {
    /// A handler on `path` (`mode` `"a"` or `"w"`; forced to `"a"` when `max_bytes` > 0, as
    /// in Python), keeping `backup_count` old files.
    pub fn new(
        fs: FileSystem,
        path: &str,
        mode: &str,
        max_bytes: u64,
        backup_count: u32,
        delay: bool,
    ) -> Result<RotatingFileHandler, LogError> {
        let mode = if max_bytes > 0 { "a" } else { mode };
        let target = FileTarget::new(fs, path, mode, delay)?;
        let path = target.path.clone();
        let emit = RotatingEmit { target, max_bytes, backup_count };
        Ok(RotatingFileHandler { handler: Handler::new("RotatingFileHandler", emit), path })
    }

    /// The absolute path of the current file (Python's `baseFilename`).
    pub fn base_filename(&self) -> &str {
        &self.path
    }
}

typed_handler!(RotatingFileHandler);

struct RotatingEmit {
    target: FileTarget,
    max_bytes: u64,
    backup_count: u32,
}

impl RotatingEmit {
    /// Python's `shouldRollover` (3.13's rule: an empty file never rolls over).
    fn should_rollover(&mut self, line: &str) -> Result<bool, LogError> {
        if self.target.file.is_none() {
            self.target.open()?;
        }
        if self.max_bytes == 0 || self.backup_count == 0 {
            return Ok(false);
        }
        let Some(file) = self.target.file.as_mut() else { return Ok(false) };
        let pos = file.tell()?;
        if pos == 0 {
            return Ok(false);
        }
        let len = line.chars().count() as u64 + 1;
        if pos + len < self.max_bytes {
            return Ok(false);
        }
        // Never roll over anything but a regular file.
        let fs = &self.target.fs;
        Ok(!fs.exists(&self.target.path) || fs.is_file(&self.target.path))
    }

    /// Python's `doRollover`.
    fn do_rollover(&mut self) -> Result<(), LogError> {
        if let Some(mut file) = self.target.file.take() {
            file.close()?;
        }
        rollover(&self.target.fs, &self.target.path, self.backup_count)?;
        if !self.target.delay {
            self.target.open()?;
        }
        Ok(())
    }
}

impl Emit for RotatingEmit {
    fn emit(&mut self, _record: &Record, line: &str) -> Result<(), LogError> {
        if self.should_rollover(line)? {
            self.do_rollover()?;
        }
        self.target.emit(line)
    }

    fn flush(&mut self) -> Result<(), LogError> {
        self.target.flush()
    }

    fn close(&mut self) -> Result<(), LogError> {
        self.target.close()
    }
}

/// The file operations a rollover makes (the virtual file system, or a recorder in tests).
pub trait RolloverFs {
    /// Whether `path` exists.
    fn exists(&self, path: &str) -> bool;
    /// Deletes a file.
    fn remove(&self, path: &str) -> IoResult<()>;
    /// Renames a file.
    fn rename(&self, from: &str, to: &str) -> IoResult<()>;
}

impl RolloverFs for FileSystem {
    fn exists(&self, path: &str) -> bool {
        FileSystem::exists(self, path)
    }

    fn remove(&self, path: &str) -> IoResult<()> {
        FileSystem::remove(self, path)
    }

    fn rename(&self, from: &str, to: &str) -> IoResult<()> {
        FileSystem::rename(self, from, to)
    }
}

/// The renames of one rollover, in Python's order: for i from `backup_count - 1` down to
/// 1, `base.i` to `base.(i+1)` (removing that first); then `base` to `base.1`.
pub fn rollover(fs: &dyn RolloverFs, base: &str, backup_count: u32) -> IoResult<()> {
    if backup_count == 0 {
        return Ok(());
    }
    for i in (1..backup_count).rev() {
        let source = format!("{base}.{i}");
        let dest = format!("{base}.{}", i + 1);
        if fs.exists(&source) {
            if fs.exists(&dest) {
                fs.remove(&dest)?;
            }
            fs.rename(&source, &dest)?;
        }
    }
    let dest = format!("{base}.1");
    if fs.exists(&dest) {
        fs.remove(&dest)?;
    }
    if fs.exists(base) {
        fs.rename(base, &dest)?;
    }
    Ok(())
}

//! `basic_config`: Python's `logging.basicConfig`, one call to give the root logger a
//! handler, a format and a level.

use std::fmt;

use super::errors::LogError;
use super::format::Formatter;
use super::handler::Handler;
use super::handlers::file::FileHandler;
use super::handlers::stream::StreamHandler;
use super::hooks::OutputStream;
use super::level::Level;
use super::logger::{root, take_root_handlers};
use crate::vfs::FileSystem;

/// Python's default format for `basicConfig`.
pub const BASIC_FORMAT: &str = "%(levelname)s:%(name)s:%(message)s";

/// The arguments of [`basic_config`]; leave out what you do not set:
/// `BasicConfig { filename: Some("app.log".into()), level: Some(DEBUG), fs: Some(fs), ..Default::default() }`.
#[derive(Default, Clone)]
pub struct BasicConfig {
    /// Log to this file (on `fs`) instead of a stream.
    pub filename: Option<String>,
    /// The file's mode, `a` (the default) or `w`.
    pub filemode: Option<String>,
    /// Log to this output stream (stderr if neither this nor `filename` is given).
    pub stream: Option<OutputStream>,
    /// The format (`%(levelname)s:%(name)s:%(message)s` if not given).
    pub format: Option<String>,
    /// The date format for `asctime`.
    pub datefmt: Option<String>,
    /// The root logger's level.
    pub level: Option<Level>,
    /// Handlers to add instead of making one (those without a formatter get the format).
    pub handlers: Option<Vec<Handler>>,
    /// Remove and close the root's handlers first, so the call takes effect again.
    pub force: bool,
    /// The file system `filename` is on.
    pub fs: Option<FileSystem>,
}

impl fmt::Debug for BasicConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicConfig")
            .field("filename", &self.filename)
            .field("filemode", &self.filemode)
            .field("stream", &self.stream)
            .field("format", &self.format)
            .field("datefmt", &self.datefmt)
            .field("level", &self.level)
            .field("handlers", &self.handlers)
            .field("force", &self.force)
            .finish_non_exhaustive()
    }
}

/// Configures the root logger as Python's `basicConfig`: with `force`, its handlers are
/// removed and closed first; then, only if it has no handler left, it gets `handlers`, or
/// a file handler for `filename`, or a stream handler (stderr by default), with the format
/// and `datefmt` on those that have no formatter, and the root's level is set. When the
/// root already has handlers (and no `force`) it does nothing at all. `filename` or
/// `stream` together with `handlers`, or `filename` with `stream`, is a `ValueError`.
/// Unlike Python, the format is checked before any file is opened.
pub fn basic_config(config: BasicConfig) -> Result<(), LogError> {
    let root = root();
    if config.force {
        for h in take_root_handlers() {
            h.close()?;
        }
    }
    if !root.handlers().is_empty() {
        return Ok(());
    }
    let filename = config.filename.filter(|f| !f.is_empty());
    if config.handlers.is_some() {
        if filename.is_some() || config.stream.is_some() {
            return Err(LogError::value(
                "'stream' or 'filename' should not be specified together with 'handlers'",
            ));
        }
    } else if filename.is_some() && config.stream.is_some() {
        return Err(LogError::value("'stream' and 'filename' should not be specified together"));
    }
    let formatter =
        Formatter::new(config.format.as_deref().unwrap_or(BASIC_FORMAT), config.datefmt.as_deref())?;
    let handlers = match (config.handlers, filename) {
        (Some(handlers), _) => handlers,
        (None, Some(filename)) => {
            let fs = config.fs.ok_or_else(|| {
                LogError::value("basic_config: 'filename' needs the file system it is on ('fs')")
            })?;
            let mode = config.filemode.as_deref().unwrap_or("a");
            vec![FileHandler::new(fs, &filename, mode, false)?.handler()]
        }
        (None, None) => vec![StreamHandler::new(config.stream.unwrap_or(OutputStream::Stderr)).handler()],
    };
    for h in &handlers {
        if h.formatter().is_none() {
            h.set_formatter(formatter.clone());
        }
        root.add_handler(h);
    }
    if let Some(level) = config.level {
        root.set_level(level);
    }
    Ok(())
}

//! What a task gets while it runs in a worker: its process's name and pid, printing to the
//! cell that started the work, sleeping, and the kernel's files (the kernel owns the file
//! system and answers each request in the order it arrives).

use std::fmt::Display;
use std::rc::Rc;
use std::time::Duration;

use super::error::{Error, Result};
use super::link::Link;
use super::message::Request;
use crate::platform::Platform;

/// The handle a task receives: cheap to clone.
#[derive(Clone)]
pub struct TaskContext {
    inner: Rc<Inner>,
}

struct Inner {
    name: String,
    pid: u32,
    link: Rc<dyn Link>,
    print: Rc<dyn Fn(String, bool)>,
    platform: Rc<dyn Platform>,
}

impl TaskContext {
    /// The context of a task running in process `name` (`pid`): requests go through
    /// `link`, printed text (and whether it is an error) to `print`.
    pub fn new(
        name: String,
        pid: u32,
        link: Rc<dyn Link>,
        print: Rc<dyn Fn(String, bool)>,
        platform: Rc<dyn Platform>,
    ) -> TaskContext {
        TaskContext { inner: Rc::new(Inner { name, pid, link, print, platform }) }
    }

    /// The process's name (`multiprocessing.current_process().name`).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The process's id (`os.getpid()`).
    pub fn pid(&self) -> u32 {
        self.inner.pid
    }

    /// The link to the kernel (for decoding handles by hand).
    pub fn link(&self) -> &Rc<dyn Link> {
        &self.inner.link
    }

    /// Prints `value` and a newline to the output of the cell that started the work.
    pub fn println(&self, value: impl Display) {
        (self.inner.print)(format!("{value}\n"), false);
    }

    /// Prints `value` with no newline.
    pub fn print(&self, value: impl Display) {
        (self.inner.print)(value.to_string(), false);
    }

    /// Prints `value` with no newline to the error stream.
    pub fn eprint(&self, value: impl Display) {
        (self.inner.print)(value.to_string(), true);
    }

    /// Prints `value` and a newline to the error stream.
    pub fn eprintln(&self, value: impl Display) {
        (self.inner.print)(format!("{value}\n"), true);
    }

    /// Waits for `duration` (the worker's own timer).
    pub async fn sleep(&self, duration: Duration) {
        self.inner.platform.sleep(duration).await
    }

    /// Milliseconds on the worker's clock.
    pub fn now_ms(&self) -> f64 {
        self.inner.platform.now_ms()
    }

    /// The whole contents of a file of the kernel's file system.
    pub async fn read_file(&self, path: &str) -> Result<Vec<u8>> {
        let bytes = self.inner.link.file(Request::ReadFile { path: path.to_string() }, None).await?;
        bytes.ok_or_else(|| Error::type_error("a file read answered no bytes"))
    }

    /// A file's contents as UTF-8 text.
    pub async fn read_text(&self, path: &str) -> Result<String> {
        let bytes = self.read_file(path).await?;
        String::from_utf8(bytes).map_err(|e| Error::new("UnicodeDecodeError", e.to_string()))
    }

    /// Creates or replaces a file with `data`.
    pub async fn write_file(&self, path: &str, data: &[u8]) -> Result<()> {
        self.inner.link.file(Request::WriteFile { path: path.to_string() }, Some(data.to_vec())).await?;
        Ok(())
    }

    /// Creates or replaces a file with `text`.
    pub async fn write_text(&self, path: &str, text: &str) -> Result<()> {
        self.write_file(path, text.as_bytes()).await
    }

    /// Appends `text` to a file, creating it if needed (mode `"a"`).
    pub async fn append_text(&self, path: &str, text: &str) -> Result<()> {
        self.inner.link.call(Request::AppendText { path: path.to_string(), text: text.to_string() }).await?;
        Ok(())
    }
}

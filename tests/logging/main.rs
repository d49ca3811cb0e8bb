//! Native tests of the logging package (`src/logging/`): levels and the logger tree,
//! handlers, formatters, `basic_config`. Each test runs in its own thread, so each starts
//! from a fresh logging state; they call `reset()` anyway.
#![cfg(not(target_arch = "wasm32"))]

mod config;
mod format;
mod handlers;
mod hostile;
mod levels;

use std::cell::RefCell;
use std::rc::Rc;

use notebook::logging::{self, OutputStream};

/// What the output hook received, in order.
#[derive(Clone, Default)]
pub struct Captured(Rc<RefCell<Vec<(OutputStream, String)>>>);

impl Captured {
    /// Everything written to `stream`, joined.
    pub fn text(&self, stream: OutputStream) -> String {
        self.0.borrow().iter().filter(|(s, _)| *s == stream).map(|(_, t)| t.as_str()).collect()
    }

    pub fn stderr(&self) -> String {
        self.text(OutputStream::Stderr)
    }

    pub fn stdout(&self) -> String {
        self.text(OutputStream::Stdout)
    }

    pub fn clear(&self) {
        self.0.borrow_mut().clear();
    }
}

/// A fresh logging state with an output hook that records what it gets.
pub fn fresh() -> Captured {
    logging::reset();
    let captured = Captured::default();
    let sink = captured.0.clone();
    logging::set_output_sink(Some(Rc::new(move |stream, text: &str| {
        sink.borrow_mut().push((stream, text.to_string()))
    })));
    captured
}

/// A file's text on the virtual file system.
pub fn read(fs: &notebook::vfs::FileSystem, path: &str) -> String {
    String::from_utf8(fs.read_file(path).expect("file exists")).expect("utf-8")
}

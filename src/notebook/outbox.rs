//! Where the kernel's messages go: `postMessage` in the browser, a list in tests.

use super::protocol::{Header, IdSource, Message, ToPage};

/// Stamps messages with fresh ids and hands them to a sink.
pub struct Outbox {
    ids: IdSource,
    sink: Box<dyn Fn(Message<ToPage>)>,
}

impl Outbox {
    /// An outbox whose message ids start with `prefix`.
    pub fn new(prefix: &'static str, sink: impl Fn(Message<ToPage>) + 'static) -> Outbox {
        Outbox { ids: IdSource::new(prefix), sink: Box::new(sink) }
    }

    /// Sends `body` as an answer to `parent`.
    pub fn send(&self, parent: Option<&Header>, body: ToPage) {
        (self.sink)(self.ids.message(parent, body));
    }

    /// Sends `body` as an answer to `parent`, with binary `buffers` beside it (a file's
    /// contents).
    pub fn send_with(&self, parent: Option<&Header>, body: ToPage, buffers: Vec<Vec<u8>>) {
        (self.sink)(self.ids.message_with(parent, body, buffers));
    }
}

//! Where the kernel's messages go: `postMessage` in the browser, a list in tests.

use super::protocol::{Header, IdSource, Message, ToPage};

/// What a message goes to: lent each binary part's bytes where they lie (a file's own,
/// for a download) while it runs.
type Sink = Box<dyn for<'a> Fn(Message<ToPage, &'a [u8]>)>;

/// Stamps messages with fresh ids and hands them to a sink.
pub struct Outbox {
    ids: IdSource,
    sink: Sink,
}

impl Outbox {
    /// An outbox whose message ids start with `prefix`, handing `sink` each message with
    /// its buffers copied into it (as tests keep them).
    pub fn new(prefix: &'static str, sink: impl Fn(Message<ToPage>) + 'static) -> Outbox {
        Outbox::lending(prefix, move |message: Message<ToPage, &[u8]>| sink(message.to_owned_buffers()))
    }

    /// An outbox that lends `sink` each message's buffers, to copy them out once (the
    /// kernel worker copies them into the `ArrayBuffer`s it transfers to the page).
    pub fn lending(
        prefix: &'static str,
        sink: impl for<'a> Fn(Message<ToPage, &'a [u8]>) + 'static,
    ) -> Outbox {
        Outbox { ids: IdSource::new(prefix), sink: Box::new(sink) }
    }

    /// Sends `body` as an answer to `parent`.
    pub fn send(&self, parent: Option<&Header>, body: ToPage) {
        self.send_with(parent, body, &[]);
    }

    /// Sends `body` as an answer to `parent`, with binary `buffers` beside it (a file's
    /// contents).
    pub fn send_with(&self, parent: Option<&Header>, body: ToPage, buffers: &[&[u8]]) {
        (self.sink)(self.ids.message_with(parent, body, buffers.to_vec()));
    }
}

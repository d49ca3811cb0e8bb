//! A kernel for native tests: a catalogue, an outbox that collects every message, and a
//! way to run one cell to its end. Included by the test files that run cells through the
//! kernel (`#[path = "common/kernel_session.rs"] mod kernel_session;`); not every file uses
//! every helper.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;
use futures::future::AbortHandle;
use notebook::notebook::protocol::{Body, ExecuteRequest, Header, Message, ReplyStatus};
use notebook::notebook::{Catalog, CellSpec, CodeCell, Kernel, NativePlatform, Outbox, Outputs, Section};

/// A fresh kernel whose messages are collected.
pub struct Session {
    /// The kernel.
    pub kernel: Kernel,
    /// Every message it sent since the last run started.
    pub sent: Rc<RefCell<Vec<Message>>>,
}

impl Session {
    /// A kernel over `catalog`, on the native platform.
    pub fn new(catalog: Catalog) -> Session {
        let sent = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&sent);
        let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
        Session { kernel: Kernel::new(catalog, outbox, Rc::new(NativePlatform::default())), sent }
    }

    /// A kernel whose catalogue is just `cells`.
    pub fn with_cells(cells: Vec<CodeCell>) -> Session {
        let cells = cells.into_iter().map(CellSpec::Code).collect();
        Session::new(Catalog { title: "test", sections: vec![Section { id: "T", title: "T", cells }] })
    }

    /// Runs one cell to its end with these inputs; returns the messages it caused.
    pub fn execute(&self, cell_id: &str, inputs: &[(&str, &str)]) -> Vec<Message> {
        self.sent.borrow_mut().clear();
        let req = ExecuteRequest {
            cell_id: cell_id.into(),
            inputs: inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        };
        let (_handle, registration) = AbortHandle::new_pair();
        block_on(self.kernel.execute(&Header { msg_id: "page-1".into() }, req, registration));
        self.sent.borrow().clone()
    }

    /// Runs one cell; returns its outputs as plain text and how it ended.
    pub fn run_status(&self, cell_id: &str, inputs: &[(&str, &str)]) -> (String, ReplyStatus) {
        let messages = self.execute(cell_id, inputs);
        let status = messages.iter().find_map(|m| match &m.body {
            Body::ExecuteReply(reply) => Some(reply.status),
            _ => None,
        });
        (outputs(&messages).plain_text(), status.expect("every run ends with an execute_reply"))
    }
}

/// The outputs `messages` carry, merged as the page merges them.
pub fn outputs(messages: &[Message]) -> Outputs {
    let mut outputs = Outputs::default();
    for m in messages {
        outputs.push(&m.body);
    }
    outputs
}

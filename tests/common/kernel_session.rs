//! A kernel for native tests: a catalogue, an outbox that collects every message, and a
//! way to run one cell to its end, answering its breakpoints as a person would. Included
//! by the test files that run cells through the kernel
//! (`#[path = "common/kernel_session.rs"] mod kernel_session;`); not every file uses every
//! helper.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::executor::block_on;
use futures::future::{self, AbortHandle};
use futures::StreamExt;
use notebook::notebook::protocol::{
    Body, BreakpointAction, BreakpointRequest, ExecuteRequest, Header, Message, ReplyStatus,
};
use notebook::notebook::{Catalog, CellSpec, CodeCell, Kernel, Outbox, Outputs, Section};
use notebook::parallel::SimulatedHost;
use notebook::platform::NativePlatform;

/// How a test answers a breakpoint: the three buttons of the paused box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Continue.
    Continue,
    /// Continue to the end.
    ContinueToEnd,
    /// Stop (the toolbar's).
    Stop,
}

/// Where the outbox passes each breakpoint request while a run answers them.
type StopTap = Rc<RefCell<Option<mpsc::UnboundedSender<BreakpointRequest>>>>;

/// A fresh kernel whose messages are collected.
pub struct Session {
    /// The kernel.
    pub kernel: Kernel,
    /// Every message it sent since the last run started.
    pub sent: Rc<RefCell<Vec<Message>>>,
    stops: StopTap,
}

impl Session {
    /// A kernel over `catalog`, on the native platform.
    pub fn new(catalog: Catalog) -> Session {
        let sent = Rc::new(RefCell::new(Vec::new()));
        let stops = StopTap::default();
        let (sink, tap) = (Rc::clone(&sent), Rc::clone(&stops));
        let outbox = Rc::new(Outbox::new("kernel", move |m| {
            if let (Body::BreakpointRequest(request), Some(tap)) = (&m.body, tap.borrow().as_ref()) {
                let _ = tap.unbounded_send(request.clone());
            }
            sink.borrow_mut().push(m);
        }));
        Session {
            kernel: Kernel::new(
                catalog,
                outbox,
                Rc::new(NativePlatform::default()),
                Some(Rc::new(SimulatedHost::default().with_tasks(notebook::exercises::tasks::registry()))),
            ),
            sent,
            stops,
        }
    }

    /// A kernel whose catalogue is just `cells`.
    pub fn with_cells(cells: Vec<CodeCell>) -> Session {
        let cells = cells.into_iter().map(CellSpec::Code).collect();
        Session::new(Catalog { title: "test", sections: vec![Section { id: "T", title: "T", cells }] })
    }

    /// Runs one cell to its end with these inputs; returns the messages it caused. A
    /// breakpoint fails the test: use [`Session::execute_debugging`] for cells that stop.
    pub fn execute(&self, cell_id: &str, inputs: &[(&str, &str)]) -> Vec<Message> {
        self.execute_debugging(cell_id, inputs, |stop| {
            panic!("{cell_id} stopped at breakpoint {:?} (hit {}) unexpectedly", stop.name, stop.hit)
        })
    }

    /// Runs one cell to its end, answering each breakpoint it stops at with
    /// `answer(request)` (Stop aborts the run as the toolbar's button does); returns the
    /// messages it caused.
    pub fn execute_debugging(
        &self,
        cell_id: &str,
        inputs: &[(&str, &str)],
        mut answer: impl FnMut(&BreakpointRequest) -> Answer,
    ) -> Vec<Message> {
        self.sent.borrow_mut().clear();
        let req = ExecuteRequest {
            cell_id: cell_id.into(),
            inputs: inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        };
        let (stops_tx, mut stops_rx) = mpsc::unbounded();
        *self.stops.borrow_mut() = Some(stops_tx);
        let (handle, registration) = AbortHandle::new_pair();
        let header = Header { msg_id: "page-1".into() };
        let run = std::pin::pin!(self.kernel.execute(&header, req, registration));
        let person = std::pin::pin!(async {
            while let Some(stop) = stops_rx.next().await {
                match answer(&stop) {
                    Answer::Continue => assert!(self.kernel.reply_breakpoint(BreakpointAction::Continue)),
                    Answer::ContinueToEnd => {
                        assert!(self.kernel.reply_breakpoint(BreakpointAction::ContinueToEnd))
                    }
                    Answer::Stop => handle.abort(),
                }
            }
        });
        block_on(future::select(run, person));
        *self.stops.borrow_mut() = None;
        self.sent.borrow().clone()
    }

    /// Runs one cell; returns its outputs as plain text and how it ended.
    pub fn run_status(&self, cell_id: &str, inputs: &[(&str, &str)]) -> (String, ReplyStatus) {
        let messages = self.execute(cell_id, inputs);
        (outputs(&messages).plain_text(), reply_status(&messages))
    }

    /// Runs one cell answering its breakpoints; returns its outputs as plain text, how it
    /// ended and every breakpoint request the page was sent.
    pub fn run_debugging(
        &self,
        cell_id: &str,
        inputs: &[(&str, &str)],
        answer: impl FnMut(&BreakpointRequest) -> Answer,
    ) -> (String, ReplyStatus, Vec<BreakpointRequest>) {
        let messages = self.execute_debugging(cell_id, inputs, answer);
        let stops = messages
            .iter()
            .filter_map(|m| match &m.body {
                Body::BreakpointRequest(request) => Some(request.clone()),
                _ => None,
            })
            .collect();
        (outputs(&messages).plain_text(), reply_status(&messages), stops)
    }
}

/// How the run these messages belong to ended.
pub fn reply_status(messages: &[Message]) -> ReplyStatus {
    let status = messages.iter().find_map(|m| match &m.body {
        Body::ExecuteReply(reply) => Some(reply.status),
        _ => None,
    });
    status.expect("every run ends with an execute_reply")
}

/// The outputs `messages` carry, merged as the page merges them.
pub fn outputs(messages: &[Message]) -> Outputs {
    let mut outputs = Outputs::default();
    for m in messages {
        outputs.push(&m.body);
    }
    outputs
}

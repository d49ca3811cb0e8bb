//! A kernel for native tests, driven as the kernel worker drives it: every request goes
//! through `Kernel::handle`, the kernel's tasks run on the native platform's event loop,
//! and a test plays the page, answering prompts and breakpoints as a person would. Included
//! by the test files that run cells through the kernel
//! (`#[path = "common/kernel_session.rs"] mod kernel_session;`); not every file uses every
//! helper.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::StreamExt;
use notebook::notebook::protocol::{
    BreakpointAction, BreakpointReply, BreakpointRequest, Empty, ExecuteRequest, FileReply, FileRequest,
    Header, IdSource, InputReply, Message, ReplyStatus, ToKernel, ToPage,
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

/// What the page does on hearing a message while a run goes on.
pub enum Reply {
    /// Nothing.
    Nothing,
    /// Sends this request.
    Send(ToKernel),
}

/// A kernel, its event loop, and every message it sent.
pub struct Session {
    /// The kernel.
    pub kernel: Rc<Kernel>,
    /// The event loop its tasks (cells, the file watch) run on.
    pub platform: Rc<NativePlatform>,
    /// Every message it sent since the last run started.
    pub sent: Rc<RefCell<Vec<Message<ToPage>>>>,
    heard: RefCell<mpsc::UnboundedReceiver<Message<ToPage>>>,
    ids: IdSource,
}

impl Session {
    /// A kernel over `catalog`, on the native platform with simulated worker processes.
    pub fn new(catalog: Catalog) -> Session {
        Session::with_tasks(catalog, notebook::exercises::tasks::registry())
    }

    /// [`Session::new`] over the course's catalogue whose kernel runs script cells with the
    /// engine crate (the engine the browser loads as its second module), and whose workers
    /// run a script's pool functions with engines of their own.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn with_script_engine() -> Session {
        let loader: notebook::notebook::script::EngineLoader = Rc::new(|| {
            Box::pin(async {
                let engine = script_engine::ScriptEngine::new()?;
                Ok(Box::new(engine) as Box<dyn script_wire::Engine>)
            })
        });
        let mut tasks = notebook::exercises::tasks::registry();
        notebook::notebook::script::add_script_task(&mut tasks, Rc::clone(&loader));
        let session = Session::with_tasks(notebook::exercises::catalog(), tasks);
        session.kernel.set_script_engine(loader);
        session
    }

    /// [`Session::new`], whose workers run `tasks`.
    pub fn with_tasks(catalog: Catalog, tasks: notebook::parallel::tasks::Registry) -> Session {
        let sent = Rc::new(RefCell::new(Vec::new()));
        let (tell, heard) = mpsc::unbounded();
        let sink = Rc::clone(&sent);
        let outbox = Rc::new(Outbox::new("kernel", move |m: Message<ToPage>| {
            let _ = tell.unbounded_send(m.clone());
            sink.borrow_mut().push(m);
        }));
        let platform = Rc::new(NativePlatform::default());
        let workers = SimulatedHost::default().with_tasks(tasks);
        let kernel = Kernel::new(catalog, outbox, platform.clone(), Some(Rc::new(workers)));
        Session { kernel, platform, sent, heard: RefCell::new(heard), ids: IdSource::new("page") }
    }

    /// A kernel whose catalogue is just `cells`.
    pub fn with_cells(cells: Vec<CodeCell>) -> Session {
        let cells: Vec<CellSpec> = cells.into_iter().map(CellSpec::Code).collect();
        Session::new(Catalog {
            title: "test",
            sections: vec![Section { id: "T", title: "T", cells: cells.into() }],
        })
    }

    /// Sends one request as the page does; returns its header.
    pub fn send(&self, body: ToKernel) -> Header {
        let message = self.ids.message(None, body);
        let header = message.header.clone();
        self.kernel.handle(message);
        header
    }

    /// Whether sending `body` (and letting the kernel's tasks run) makes the kernel say
    /// nothing at all: an answer to a prompt or breakpoint nobody waits at.
    pub fn is_ignored(&self, body: ToKernel) -> bool {
        let before = self.sent.borrow().len();
        self.send(body);
        self.settle();
        self.sent.borrow().len() == before
    }

    /// Starts a cell (as Run does) and lets it run until it waits; returns the request.
    pub fn start(&self, cell_id: &str, inputs: &[(&str, &str)]) -> Header {
        self.forget_heard();
        let header = self.send(ToKernel::ExecuteRequest(request(cell_id, inputs)));
        self.settle();
        header
    }

    /// Lets the kernel's tasks run until none can go on without waiting.
    pub fn settle(&self) {
        self.platform.run_until_stalled();
    }

    /// Runs the kernel's tasks, handing `page` every message as it comes, until the
    /// `execute_reply` to `request`; returns how it ended.
    pub fn run_until_reply(
        &self,
        request: &Header,
        mut page: impl FnMut(&Message<ToPage>) -> Reply,
    ) -> ReplyStatus {
        let mut heard = self.heard.borrow_mut();
        self.platform.run_until(async {
            while let Some(message) = heard.next().await {
                if let ToPage::ExecuteReply(reply) = &message.body {
                    if message.parent_header.as_ref() == Some(request) {
                        return reply.status;
                    }
                }
                if let Reply::Send(body) = page(&message) {
                    self.send(body);
                }
            }
            panic!("the kernel went away before it answered {request:?}")
        })
    }

    /// Runs the kernel's tasks until it sends a message `wanted` picks; `None` if its
    /// tasks all end (or wait for ever) first.
    pub fn wait_for<T>(&self, mut wanted: impl FnMut(&Message<ToPage>) -> Option<T>) -> Option<T> {
        let mut heard = self.heard.borrow_mut();
        self.settle();
        while let Ok(message) = heard.try_recv() {
            if let Some(found) = wanted(&message) {
                return Some(found);
            }
        }
        self.platform.run_until(async {
            while let Some(message) = heard.next().await {
                if let Some(found) = wanted(&message) {
                    return Some(found);
                }
            }
            None
        })
    }

    fn forget_heard(&self) {
        let mut heard = self.heard.borrow_mut();
        while heard.try_recv().is_ok() {}
        self.sent.borrow_mut().clear();
    }

    /// Runs one cell to its end with these inputs; returns the messages it caused. A
    /// breakpoint or a prompt fails the test: use [`Session::execute_debugging`] for cells
    /// that stop, [`Session::execute_answering`] for cells that ask.
    pub fn execute(&self, cell_id: &str, inputs: &[(&str, &str)]) -> Vec<Message<ToPage>> {
        self.execute_debugging(cell_id, inputs, |stop| {
            panic!("{cell_id} stopped at breakpoint {:?} (hit {}) unexpectedly", stop.name, stop.hit)
        })
    }

    /// Runs one cell to its end, answering each breakpoint it stops at with
    /// `answer(request)` (Stop sends an interrupt, as the toolbar's button does); returns
    /// the messages it caused.
    pub fn execute_debugging(
        &self,
        cell_id: &str,
        inputs: &[(&str, &str)],
        mut answer: impl FnMut(&BreakpointRequest) -> Answer,
    ) -> Vec<Message<ToPage>> {
        self.run_cell(cell_id, inputs, |message| match &message.body {
            ToPage::BreakpointRequest(stop) => Reply::Send(match answer(stop) {
                Answer::Continue => breakpoint_reply(BreakpointAction::Continue),
                Answer::ContinueToEnd => breakpoint_reply(BreakpointAction::ContinueToEnd),
                Answer::Stop => ToKernel::InterruptRequest(Empty {}),
            }),
            ToPage::InputRequest(prompt) => panic!("{cell_id} asked {:?} unexpectedly", prompt.prompt),
            _ => Reply::Nothing,
        })
    }

    /// Runs one cell to its end, typing `answer(prompt)` at each of its prompts; returns
    /// the messages it caused.
    pub fn execute_answering(
        &self,
        cell_id: &str,
        inputs: &[(&str, &str)],
        mut answer: impl FnMut(&str) -> String,
    ) -> Vec<Message<ToPage>> {
        self.run_cell(cell_id, inputs, |message| match &message.body {
            ToPage::InputRequest(prompt) => {
                Reply::Send(ToKernel::InputReply(InputReply { value: answer(&prompt.prompt) }))
            }
            ToPage::BreakpointRequest(stop) => panic!("{cell_id} stopped at {:?} unexpectedly", stop.name),
            _ => Reply::Nothing,
        })
    }

    fn run_cell(
        &self,
        cell_id: &str,
        inputs: &[(&str, &str)],
        page: impl FnMut(&Message<ToPage>) -> Reply,
    ) -> Vec<Message<ToPage>> {
        self.forget_heard();
        let header = self.send(ToKernel::ExecuteRequest(request(cell_id, inputs)));
        self.run_until_reply(&header, page);
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
                ToPage::BreakpointRequest(request) => Some(request.clone()),
                _ => None,
            })
            .collect();
        (outputs(&messages).plain_text(), reply_status(&messages), stops)
    }

    /// Sends one file request; returns the one reply, which answers it at once (while a
    /// cell runs, too). Its buffers, if any, are dropped: see [`Session::file_request_with`].
    pub fn file_request(&self, request: FileRequest) -> FileReply {
        self.file_request_with(request, Vec::new()).0
    }

    /// Sends one file request with binary `buffers` beside it, as the page sends an
    /// upload's bytes; returns the one reply and the buffers that came with it.
    pub fn file_request_with(
        &self,
        request: FileRequest,
        buffers: Vec<Vec<u8>>,
    ) -> (FileReply, Vec<Vec<u8>>) {
        let before = self.sent.borrow().len();
        let message = self.ids.message_with(None, ToKernel::FileRequest(request), buffers);
        let header = message.header.clone();
        self.kernel.handle(message);
        let sent = self.sent.borrow();
        match &sent[before..] {
            [Message { body: ToPage::FileReply(reply), parent_header: Some(p), buffers, .. }]
                if *p == header =>
            {
                (reply.clone(), buffers.clone())
            }
            other => panic!("one file_reply expected: {other:?}"),
        }
    }

    /// Uploads `data` as the file `name` in `dir`, as the file browser does.
    pub fn upload(&self, dir: &str, name: &str, data: &[u8]) -> FileReply {
        let request = FileRequest::Upload { dir: dir.into(), name: name.into() };
        self.file_request_with(request, vec![data.to_vec()]).0
    }
}

/// A request to run `cell_id` with these inputs.
pub fn request(cell_id: &str, inputs: &[(&str, &str)]) -> ExecuteRequest {
    ExecuteRequest {
        cell_id: cell_id.into(),
        inputs: inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        code: None,
    }
}

fn breakpoint_reply(action: BreakpointAction) -> ToKernel {
    ToKernel::BreakpointReply(BreakpointReply { action })
}

/// How the run these messages belong to ended.
pub fn reply_status(messages: &[Message<ToPage>]) -> ReplyStatus {
    let status = messages.iter().find_map(|m| match &m.body {
        ToPage::ExecuteReply(reply) => Some(reply.status),
        _ => None,
    });
    status.expect("every run ends with an execute_reply")
}

/// The outputs `messages` carry, merged as the page merges them.
pub fn outputs(messages: &[Message<ToPage>]) -> Outputs {
    let mut outputs = Outputs::default();
    for m in messages {
        outputs.push(&m.body);
    }
    outputs
}

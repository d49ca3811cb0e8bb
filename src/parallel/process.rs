//! `multiprocessing.Process`: one task in a worker of its own. `start` launches it, `join`
//! waits for it; the exit code is 0 if the task returned, 1 if it failed or its worker
//! died (the error is kept and printed, as Python prints a child's traceback), and -15
//! after `terminate` (Python's -SIGTERM). The run waits for a started process that is not
//! a daemon, as Python joins its children at exit.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use futures::channel::oneshot;
use serde_json::Value as Json;

use super::error::{Error, Result};
use super::processes::{Note, RunTag, Shared};

/// What `terminate` leaves as exit code.
pub const TERMINATED: i32 = -15;

enum Stage {
    Created,
    Running { pid: u32 },
    Exited { pid: u32, code: i32, error: Option<Error> },
}

struct Inner {
    shared: Rc<Shared>,
    run: RunTag,
    task: String,
    args: Json,
    name: RefCell<String>,
    daemon: RefCell<bool>,
    stage: RefCell<Stage>,
    waiters: RefCell<Vec<oneshot::Sender<()>>>,
}

/// A process running one task (cheap to clone; clones are the same process).
#[derive(Clone)]
pub struct Process {
    inner: Rc<Inner>,
}

impl Process {
    /// A process that will run `task(args)`, not started yet.
    pub(crate) fn new(shared: Rc<Shared>, run: RunTag, task: &str, args: Json) -> Result<Process> {
        shared.check_task(task)?;
        let name = shared.next_name("Process");
        Ok(Process {
            inner: Rc::new(Inner {
                shared,
                run,
                task: task.to_string(),
                args,
                name: RefCell::new(name),
                daemon: RefCell::new(false),
                stage: RefCell::new(Stage::Created),
                waiters: RefCell::new(Vec::new()),
            }),
        })
    }

    /// Names it (before `start`), as `Process(name=...)`.
    pub fn named(self, name: &str) -> Process {
        *self.inner.name.borrow_mut() = name.to_string();
        self
    }

    /// Makes it a daemon: the run does not wait for it, and ends it when the run ends.
    pub fn daemon(self, daemon: bool) -> Process {
        *self.inner.daemon.borrow_mut() = daemon;
        self
    }

    /// Its name.
    pub fn name(&self) -> String {
        self.inner.name.borrow().clone()
    }

    /// Its pid, once started.
    pub fn pid(&self) -> Option<u32> {
        match *self.inner.stage.borrow() {
            Stage::Created => None,
            Stage::Running { pid } | Stage::Exited { pid, .. } => Some(pid),
        }
    }

    /// Whether it has started and not yet ended.
    pub fn is_alive(&self) -> bool {
        matches!(*self.inner.stage.borrow(), Stage::Running { .. })
    }

    /// Its exit code once ended: 0, 1 (failed or died) or -15 (terminated).
    pub fn exitcode(&self) -> Option<i32> {
        match *self.inner.stage.borrow() {
            Stage::Exited { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The error it ended with, if any.
    pub fn error(&self) -> Option<Error> {
        match &*self.inner.stage.borrow() {
            Stage::Exited { error, .. } => error.clone(),
            _ => None,
        }
    }

    /// Starts its worker and its task.
    pub fn start(&self) -> Result<()> {
        if !matches!(*self.inner.stage.borrow(), Stage::Created) {
            return Err(Error::new("AssertionError", "cannot start a process twice"));
        }
        let weak: Weak<Inner> = Rc::downgrade(&self.inner);
        let owner = Rc::new(move |pid, note| {
            if let Some(inner) = weak.upgrade() {
                inner.on_note(pid, note);
            }
        });
        let inner = &self.inner;
        let pid = inner.shared.start(&inner.run, self.name(), owner)?;
        *inner.stage.borrow_mut() = Stage::Running { pid };
        inner.shared.run_job(pid, 0, &inner.task, vec![inner.args.clone()])?;
        if !*inner.daemon.borrow() {
            let this = self.clone();
            inner.run.spawner.spawn_joinable(Box::pin(async move {
                let _ = this.join().await;
            }));
        }
        Ok(())
    }

    /// Waits until it has ended (at once if it has).
    pub async fn join(&self) -> Result<()> {
        let waiting = match *self.inner.stage.borrow() {
            Stage::Created => return Err(Error::new("AssertionError", "can only join a started process")),
            Stage::Exited { .. } => None,
            Stage::Running { .. } => {
                let (sender, receiver) = oneshot::channel();
                self.inner.waiters.borrow_mut().push(sender);
                Some(receiver)
            }
        };
        if let Some(receiver) = waiting {
            let _ = receiver.await;
        }
        Ok(())
    }

    /// Ends it now (exit code -15).
    pub fn terminate(&self) {
        let pid = match *self.inner.stage.borrow() {
            Stage::Running { pid } => pid,
            _ => return,
        };
        self.inner.shared.terminate(pid);
        self.inner.exit(pid, TERMINATED, None);
    }
}

impl Inner {
    fn on_note(&self, pid: u32, note: Note) {
        let error = match note {
            Note::Done { mut results, .. } => match results.pop() {
                Some(Ok(_)) => None,
                Some(Err(e)) => Some(e),
                None => Some(Error::process("the task answered no result")),
            },
            Note::Died { message } => Some(Error::process(message)),
        };
        // The task is over: its worker goes too (a dead one is already gone).
        self.shared.terminate(pid);
        if let Some(e) = &error {
            let name = self.name.borrow().clone();
            (self.run.printer)(format!("Process {name}:\n{e}\n"), true);
        }
        let code = if error.is_some() { 1 } else { 0 };
        self.exit(pid, code, error);
    }

    fn exit(&self, pid: u32, code: i32, error: Option<Error>) {
        *self.stage.borrow_mut() = Stage::Exited { pid, code, error };
        let waiters = std::mem::take(&mut *self.waiters.borrow_mut());
        waiters.into_iter().for_each(|w| {
            let _ = w.send(());
        });
    }
}

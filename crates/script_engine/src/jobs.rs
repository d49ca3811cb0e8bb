//! The promise jobs a script queues (an `await` going on, a `.then` callback), run one
//! at a time by the engine's steps so that a step can end between two of them; and the
//! promises rejected with nobody to handle them, which fail the cell as Node does; and the
//! hooks through which Boa reports those and asks whether Stop was pressed.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use boa_engine::builtins::promise::OperationType;
use boa_engine::context::HostHooks;
use boa_engine::job::{Job, JobExecutor};
use boa_engine::object::builtins::JsPromise;
use boa_engine::{Context, JsNativeError, JsObject, JsResult, JsValue};

/// The queue Boa's `enqueue_job` fills.
#[derive(Default)]
pub struct JobQueue {
    jobs: RefCell<VecDeque<Job>>,
}

impl JobQueue {
    /// Runs the oldest job, if any (`Ok(false)`: none was left).
    pub fn run_one(&self, context: &mut Context) -> JsResult<bool> {
        let Some(job) = self.jobs.borrow_mut().pop_front() else {
            return Ok(false);
        };
        match job {
            Job::PromiseJob(job) => job.call(context).map(|_| true),
            Job::GenericJob(job) => job.call(context).map(|_| true),
            _ => Err(JsNativeError::typ()
                .with_message("timers are not part of this notebook: use `await sleep(ms)`")
                .into()),
        }
    }

    /// Drops every queued job (Stop).
    pub fn clear(&self) {
        self.jobs.borrow_mut().clear();
    }
}

impl JobExecutor for JobQueue {
    fn enqueue_job(self: Rc<Self>, job: Job, _context: &mut Context) {
        self.jobs.borrow_mut().push_back(job);
    }

    /// Boa's own callers (none in this engine's paths) get every job run at once.
    fn run_jobs(self: Rc<Self>, context: &mut Context) -> JsResult<()> {
        while self.run_one(context)? {}
        Ok(())
    }
}

/// Promises rejected while no handler was attached, in order; a handler attached later
/// takes its promise off the list.
#[derive(Default)]
pub struct RejectionTracker {
    unhandled: RefCell<Vec<JsObject>>,
}

impl RejectionTracker {
    /// The reason of the first promise still rejected without a handler.
    pub fn take_unhandled(&self) -> Option<JsValue> {
        let unhandled = std::mem::take(&mut *self.unhandled.borrow_mut());
        unhandled.into_iter().find_map(|promise| {
            let promise = JsPromise::from_object(promise).ok()?;
            match promise.state() {
                boa_engine::builtins::promise::PromiseState::Rejected(reason) => Some(reason),
                _ => None,
            }
        })
    }

    pub fn clear(&self) {
        self.unhandled.borrow_mut().clear();
    }
}

/// What Boa asks of its host: promises rejected or handled (for the tracker), and whether
/// to end the running code because Stop was pressed (the kernel's host knows).
pub struct EngineHooks {
    pub rejections: Rc<RejectionTracker>,
}

impl HostHooks for EngineHooks {
    fn promise_rejection_tracker(
        &self,
        promise: &JsObject<boa_engine::builtins::promise::Promise>,
        operation: OperationType,
        _context: &mut Context,
    ) {
        let promise = promise.clone().upcast();
        let mut unhandled = self.rejections.unhandled.borrow_mut();
        match operation {
            OperationType::Reject => unhandled.push(promise),
            OperationType::Handle => unhandled.retain(|p| !JsObject::equals(p, &promise)),
        }
    }

    /// Asked every few thousand instructions, in every run of Boa's interpreter: the one
    /// way to end a promise job or a builtin's callback that never yields.
    fn interrupt_requested(&self, _context: &mut Context) -> bool {
        crate::host_call::interrupted()
    }
}

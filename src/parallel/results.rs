//! What pool submissions give back: [`Results`], a stream of results (`imap`,
//! `imap_unordered`), and [`AsyncResult`], one result to come (`apply_async`).

use litemap::LiteMap;
use std::cell::RefCell;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::channel::mpsc;
use futures::stream::{Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::error::{Error, Result};
use super::link::{decode_with, Link};
use super::message::Outcome;
use super::pool::PoolInner;

fn unfinished() -> Error {
    Error::process("the pool was terminated before the task finished")
}

/// Results as they come: `while let Some(r) = results.next().await { … }`.
pub struct Results<R> {
    receiver: mpsc::UnboundedReceiver<(usize, Outcome)>,
    ordered: bool,
    next_index: usize,
    count: usize,
    waiting: LiteMap<usize, Outcome>,
    link: Rc<dyn Link>,
    _pool: Rc<PoolInner>,
    kind: PhantomData<fn() -> R>,
}

impl<R> Results<R> {
    pub(crate) fn new(
        receiver: mpsc::UnboundedReceiver<(usize, Outcome)>,
        count: usize,
        ordered: bool,
        link: Rc<dyn Link>,
        pool: Rc<PoolInner>,
    ) -> Results<R> {
        Results {
            receiver,
            ordered,
            next_index: 0,
            count,
            waiting: LiteMap::new(),
            link,
            _pool: pool,
            kind: PhantomData,
        }
    }

    /// How many results are still to come.
    pub fn remaining(&self) -> usize {
        self.count - self.next_index
    }
}

impl<R: DeserializeOwned> Results<R> {
    /// The next result, or `None` when all have come.
    pub async fn next(&mut self) -> Option<Result<R>> {
        StreamExt::next(self).await
    }

    /// All results in item order, or the first error in item order.
    pub(crate) async fn collect(mut self) -> Result<Vec<R>> {
        let mut all = Vec::with_capacity(self.count);
        while let Some(result) = self.next().await {
            all.push(result?);
        }
        Ok(all)
    }

    fn decode(&self, outcome: Outcome) -> Result<R> {
        decode_with(&self.link, outcome?)
    }
}

impl<R: DeserializeOwned> Stream for Results<R> {
    type Item = Result<R>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<R>>> {
        let this = &mut *self;
        loop {
            if this.next_index >= this.count {
                return Poll::Ready(None);
            }
            if this.ordered {
                if let Some(outcome) = this.waiting.remove(&this.next_index) {
                    this.next_index += 1;
                    return Poll::Ready(Some(this.decode(outcome)));
                }
            }
            match this.receiver.poll_next_unpin(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some((index, outcome))) => {
                    if this.ordered {
                        this.waiting.insert(index, outcome);
                    } else {
                        this.next_index += 1;
                        return Poll::Ready(Some(this.decode(outcome)));
                    }
                }
                Poll::Ready(None) => {
                    // The pool ended: each missing result fails once.
                    this.next_index += 1;
                    return Poll::Ready(Some(Err(unfinished())));
                }
            }
        }
    }
}

/// One result to come (`AsyncResult`): `get` waits for it, `ready` asks without waiting.
pub struct AsyncResult<R> {
    receiver: RefCell<mpsc::UnboundedReceiver<(usize, Outcome)>>,
    outcome: RefCell<Option<Outcome>>,
    link: Rc<dyn Link>,
    _pool: Rc<PoolInner>,
    kind: PhantomData<fn() -> R>,
}

impl<R> AsyncResult<R> {
    pub(crate) fn new(
        receiver: mpsc::UnboundedReceiver<(usize, Outcome)>,
        link: Rc<dyn Link>,
        pool: Rc<PoolInner>,
    ) -> Self {
        AsyncResult {
            receiver: RefCell::new(receiver),
            outcome: RefCell::new(None),
            link,
            _pool: pool,
            kind: PhantomData,
        }
    }

    fn poll_outcome(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.outcome.borrow().is_some() {
            return Poll::Ready(());
        }
        let polled = self.receiver.borrow_mut().poll_next_unpin(cx);
        match polled {
            Poll::Pending => Poll::Pending,
            Poll::Ready(item) => {
                *self.outcome.borrow_mut() =
                    Some(item.map_or_else(|| Err(unfinished()), |(_, outcome)| outcome));
                Poll::Ready(())
            }
        }
    }

    /// Whether the result has come.
    pub fn ready(&self) -> bool {
        let waker = futures::task::noop_waker();
        self.poll_outcome(&mut Context::from_waker(&waker)).is_ready()
    }

    /// Whether it came without error (`None` if not yet come).
    pub fn successful(&self) -> Option<bool> {
        self.ready().then(|| matches!(*self.outcome.borrow(), Some(Ok(_))))
    }

    /// Waits until the result has come.
    pub async fn wait(&self) {
        std::future::poll_fn(|cx| self.poll_outcome(cx)).await
    }
}

impl<R: DeserializeOwned> AsyncResult<R> {
    /// Waits for the result and gives it (again, if asked again).
    pub async fn get(&self) -> Result<R> {
        self.wait().await;
        let outcome = self.outcome.borrow().clone().unwrap_or_else(|| Err(unfinished()));
        decode_with(&self.link, outcome?)
    }
}

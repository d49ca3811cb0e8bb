//! The page's run queue: which cell runs now, which wait, and what Run all, an error and
//! Stop do to them. Pure logic, so it is tested natively; `page::controller` drives it.

use std::collections::VecDeque;

use super::protocol::ReplyStatus;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Queued {
    cell_id: String,
    /// Cells queued by one Run all share a batch; an error drops the rest of it.
    batch: Option<u32>,
}

/// Cells waiting to run, one at a time, in the order asked.
#[derive(Debug, Default)]
pub struct Scheduler {
    queue: VecDeque<Queued>,
    running: Option<Queued>,
    batches: u32,
}

impl Scheduler {
    /// An empty queue.
    pub fn new() -> Scheduler {
        Scheduler::default()
    }

    fn is_pending(&self, cell_id: &str) -> bool {
        self.running.iter().chain(&self.queue).any(|q| q.cell_id == cell_id)
    }

    /// Queues one cell; `false` if it is already running or queued.
    pub fn run(&mut self, cell_id: &str) -> bool {
        if self.is_pending(cell_id) {
            return false;
        }
        self.queue.push_back(Queued { cell_id: cell_id.to_string(), batch: None });
        true
    }

    /// Queues cells as one Run all; returns those actually queued.
    pub fn run_all<'a>(&mut self, cell_ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
        self.batches += 1;
        let batch = Some(self.batches);
        let mut queued = Vec::new();
        for id in cell_ids {
            if !self.is_pending(id) {
                self.queue.push_back(Queued { cell_id: id.to_string(), batch });
                queued.push(id.to_string());
            }
        }
        queued
    }

    /// The running cell, if any.
    pub fn running(&self) -> Option<&str> {
        self.running.as_ref().map(|q| q.cell_id.as_str())
    }

    /// Cells waiting, in order.
    pub fn queued(&self) -> Vec<&str> {
        self.queue.iter().map(|q| q.cell_id.as_str()).collect()
    }

    /// When nothing runs, takes the next cell off the queue and marks it running.
    pub fn start_next(&mut self) -> Option<String> {
        self.start_next_if(|_| true)
    }

    /// As [`Scheduler::start_next`], if `ready` says the next cell can start; otherwise it
    /// stays first in the queue (the page has not drawn it yet) and nothing starts.
    pub fn start_next_if(&mut self, ready: impl FnOnce(&str) -> bool) -> Option<String> {
        let next = self.queue.front()?;
        if self.running.is_some() || !ready(&next.cell_id) {
            return None;
        }
        self.running = self.queue.pop_front();
        self.running().map(str::to_string)
    }

    /// The running cell ended with `status`. An error or a stop inside a Run all drops the
    /// rest of that Run all, as Jupyter does; returns the cells dropped.
    pub fn finish(&mut self, status: ReplyStatus) -> Vec<String> {
        let Some(done) = self.running.take() else { return Vec::new() };
        if status == ReplyStatus::Ok || done.batch.is_none() {
            return Vec::new();
        }
        let (dropped, kept): (Vec<Queued>, Vec<Queued>) =
            self.queue.drain(..).partition(|q| q.batch == done.batch);
        self.queue = kept.into();
        dropped.into_iter().map(|q| q.cell_id).collect()
    }

    /// Takes a cell off the queue (it is deleted); `false` if it was not waiting there.
    pub fn remove(&mut self, cell_id: &str) -> bool {
        // A cell is queued once at most (see `is_pending`).
        let at = self.queue.iter().position(|q| q.cell_id == cell_id);
        at.and_then(|i| self.queue.remove(i)).is_some()
    }

    /// Stop: empties the queue and returns the cells dropped; the running cell, if any,
    /// stays running until the kernel answers (or is restarted).
    pub fn stop(&mut self) -> Vec<String> {
        self.queue.drain(..).map(|q| q.cell_id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_not_ready_waits_first_in_line() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "A2", "A3"]);
        assert_eq!(s.start_next_if(|_| true).as_deref(), Some("A1"));
        assert!(s.finish(ReplyStatus::Ok).is_empty());
        assert_eq!(s.start_next_if(|id| id != "A2"), None, "A2 is not drawn yet");
        assert_eq!(s.queued(), ["A2", "A3"], "nothing skipped it");
        assert_eq!(s.running(), None);
        assert_eq!(s.start_next_if(|_| true).as_deref(), Some("A2"));
        assert_eq!(s.start_next_if(|_| true), None, "A2 still running");
    }

    #[test]
    fn runs_one_at_a_time_in_order() {
        let mut s = Scheduler::new();
        assert!(s.run("A1"));
        assert!(s.run("A2"));
        assert!(!s.run("A1"), "already queued");
        assert_eq!(s.start_next().as_deref(), Some("A1"));
        assert_eq!(s.start_next(), None, "A1 still running");
        assert!(!s.run("A1"), "already running");
        assert!(s.finish(ReplyStatus::Ok).is_empty());
        assert_eq!(s.start_next().as_deref(), Some("A2"));
        s.finish(ReplyStatus::Ok);
        assert_eq!(s.start_next(), None);
    }

    #[test]
    fn an_error_in_run_all_drops_the_rest_of_it_only() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "A2", "A3"]);
        s.run("B1");
        assert_eq!(s.start_next().as_deref(), Some("A1"));
        assert_eq!(s.finish(ReplyStatus::Error), vec!["A2", "A3"]);
        assert_eq!(s.queued(), vec!["B1"]);
    }

    #[test]
    fn run_all_goes_on_after_cells_that_end_well_and_stops_at_the_first_failure() {
        let mut s = Scheduler::new();
        assert_eq!(s.run_all(["A1", "A2", "A3", "A4", "A5"]), vec!["A1", "A2", "A3", "A4", "A5"]);
        // A cell whose point is an error prints it and ends Ok: the run goes on.
        for id in ["A1", "A2"] {
            assert_eq!(s.start_next().as_deref(), Some(id));
            assert!(s.finish(ReplyStatus::Ok).is_empty());
        }
        assert_eq!(s.start_next().as_deref(), Some("A3"));
        assert_eq!(s.finish(ReplyStatus::Error), vec!["A4", "A5"], "the queued rest goes back to idle");
        assert_eq!(s.start_next(), None, "nothing after the failure runs");
        assert!(s.queued().is_empty());
    }

    #[test]
    fn a_stopped_cell_in_run_all_drops_the_rest_of_it_too() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "A2", "A3"]);
        s.start_next();
        assert_eq!(s.finish(ReplyStatus::Aborted), vec!["A2", "A3"]);
        assert_eq!(s.start_next(), None);
    }

    #[test]
    fn a_second_run_all_skips_pending_cells_and_an_error_drops_only_its_own_batch() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "A2"]);
        assert_eq!(s.start_next().as_deref(), Some("A1"));
        assert_eq!(s.run_all(["A1", "A2", "A3"]), vec!["A3"], "A1 runs and A2 waits already");
        assert!(s.finish(ReplyStatus::Ok).is_empty());
        assert_eq!(s.start_next().as_deref(), Some("A2"));
        assert!(s.finish(ReplyStatus::Error).is_empty(), "A3 belongs to the second Run all");
        assert_eq!(s.start_next().as_deref(), Some("A3"));
    }

    #[test]
    fn after_a_failed_run_all_the_same_cells_can_be_queued_again() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "A2"]);
        s.start_next();
        s.finish(ReplyStatus::Error);
        assert_eq!(s.run_all(["A1", "A2"]), vec!["A1", "A2"]);
        assert_eq!(s.start_next().as_deref(), Some("A1"));
    }

    #[test]
    fn an_error_in_a_single_run_drops_nothing() {
        let mut s = Scheduler::new();
        s.run("A1");
        s.run("A2");
        s.start_next();
        assert!(s.finish(ReplyStatus::Error).is_empty());
        assert_eq!(s.queued(), vec!["A2"]);
    }

    #[test]
    fn a_removed_cell_leaves_the_queue_and_the_rest_goes_on() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "js-1", "A2"]);
        assert_eq!(s.start_next().as_deref(), Some("A1"));
        assert!(s.remove("js-1"));
        assert!(!s.remove("js-1"));
        assert!(!s.remove("A1"), "the running cell is not in the queue");
        s.finish(ReplyStatus::Ok);
        assert_eq!(s.start_next().as_deref(), Some("A2"));
    }

    #[test]
    fn stop_clears_the_queue_but_not_the_running_cell() {
        let mut s = Scheduler::new();
        s.run_all(["A1", "A2"]);
        s.start_next();
        assert_eq!(s.stop(), vec!["A2"]);
        assert_eq!(s.running(), Some("A1"));
        s.finish(ReplyStatus::Aborted);
        assert_eq!(s.running(), None);
        assert_eq!(s.finish(ReplyStatus::Ok), Vec::<String>::new(), "nothing running");
    }
}

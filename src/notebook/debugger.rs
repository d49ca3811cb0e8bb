//! Breakpoints, as Python's `breakpoint()`: a cell stops, the page shows the values the
//! cell named and the cell waits until the person presses Continue (or Continue to the
//! end, which passes every later breakpoint of the run). Rust keeps no names of local
//! variables at run time, so the cell lists what to show, most simply with [`locals!`].

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::rc::Rc;

use futures::channel::oneshot;

use super::cell::CellError;
use super::display::titled_table_bundle;
use super::protocol::{BreakpointAction, BreakpointRequest, Local};

/// Where the page's answer to the breakpoint a cell waits at is delivered.
pub type BreakpointSlot = Rc<RefCell<Option<oneshot::Sender<BreakpointAction>>>>;

/// Values longer than this are cut (a person reads them in a table cell).
const MAX_VALUE_CHARS: usize = 2000;

/// Lists local values for [`CellContext::breakpoint`](super::CellContext::breakpoint), each
/// shown with its name, type and `{:?}` form: `locals![i, product]`, or `locals![n, next = a + b]`
/// to name an expression.
#[macro_export]
macro_rules! locals {
    (@one $name:ident = $value:expr) => {
        $crate::notebook::protocol::Local::of(stringify!($name), &$value)
    };
    (@one $name:ident) => {
        $crate::notebook::protocol::Local::of(stringify!($name), &$name)
    };
    ($($name:ident $(= $value:expr)?),* $(,)?) => {
        vec![$($crate::locals!(@one $name $(= $value)?)),*]
    };
}

impl Local {
    /// `value` shown as the local `name`: its type without module paths, its `{:?}` form.
    pub fn of<T: Debug + ?Sized>(name: &str, value: &T) -> Local {
        let mut text = format!("{value:?}");
        if let Some((cut, _)) = text.char_indices().nth(MAX_VALUE_CHARS) {
            text.truncate(cut);
            text.push('…');
        }
        Local { name: name.to_string(), type_name: short_type_name(std::any::type_name::<T>()), value: text }
    }
}

/// A type's name without its module paths: `alloc::vec::Vec<alloc::string::String>`
/// becomes `Vec<String>`.
pub fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            word.clear(); // a path segment: keep only what follows the last `::`
        } else if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            out.push_str(&word);
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&word);
    out
}

/// One cell run's breakpoints: the slot the kernel delivers answers to, how often each
/// breakpoint was reached, and whether the person chose to run to the end.
pub(crate) struct Breakpoints {
    slot: BreakpointSlot,
    to_end: Cell<bool>,
    hits: RefCell<litemap::LiteMap<String, u32>>,
}

impl Breakpoints {
    /// Fresh breakpoints for a run, answered through `slot`.
    pub(crate) fn new(slot: BreakpointSlot) -> Breakpoints {
        Breakpoints { slot, to_end: Cell::new(false), hits: RefCell::new(litemap::LiteMap::new()) }
    }

    /// Counts a visit of breakpoint `name`; its hit number, or `None` when the run goes
    /// on to the end without stopping.
    pub(crate) fn hit(&self, name: &str) -> Option<u32> {
        let mut hits = self.hits.borrow_mut();
        let count = hits.entry(name.to_string()).or_insert(0);
        *count += 1;
        (!self.to_end.get()).then_some(*count)
    }

    /// Waits for an answer from now on: the receiving end, or an error if another thread
    /// of the run is already stopped at a breakpoint.
    pub(crate) fn arm(&self) -> Result<oneshot::Receiver<BreakpointAction>, CellError> {
        let mut slot = self.slot.borrow_mut();
        if slot.as_ref().is_some_and(|pending| !pending.is_canceled()) {
            return Err(CellError::new(
                "RuntimeError",
                "another thread of this cell is already stopped at a breakpoint",
            ));
        }
        let (sender, receiver) = oneshot::channel();
        *slot = Some(sender);
        Ok(receiver)
    }

    /// Remembers the answer: Continue to the end passes every later breakpoint.
    pub(crate) fn answered(&self, action: BreakpointAction) {
        if action == BreakpointAction::ContinueToEnd {
            self.to_end.set(true);
        }
    }
}

/// How a stop ended, for its record in the cell's outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StopOutcome {
    /// Continue was pressed.
    Continued,
    /// Continue to the end was pressed.
    ContinuedToEnd,
    /// The run was stopped while it waited here.
    Stopped,
}

/// The record a stop leaves in the cell's outputs: a titled table of the locals, so the
/// values at every stop can be read after the run (and in an export).
pub(crate) fn stop_record(request: &BreakpointRequest, outcome: StopOutcome) -> BTreeMap<String, String> {
    let then = match outcome {
        StopOutcome::Continued => "continued",
        StopOutcome::ContinuedToEnd => "continued to the end",
        StopOutcome::Stopped => "stopped here",
    };
    let title = format!("paused at {} (hit {}), {then}", request.name, request.hit);
    let rows: Vec<Vec<String>> =
        request.locals.iter().map(|l| vec![l.name.clone(), l.type_name.clone(), l.value.clone()]).collect();
    titled_table_bundle(&title, &["name", "type", "value"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_lose_their_module_paths() {
        assert_eq!(short_type_name("u64"), "u64");
        assert_eq!(short_type_name("alloc::vec::Vec<alloc::string::String>"), "Vec<String>");
        assert_eq!(short_type_name("&mut alloc::vec::Vec<u64>"), "&mut Vec<u64>");
        assert_eq!(
            short_type_name("core::option::Option<(i32, std::collections::hash::map::HashMap<u8, u8>)>"),
            "Option<(i32, HashMap<u8, u8>)>"
        );
    }

    #[test]
    fn locals_name_values_and_expressions() {
        let (i, fib_seq) = (3_u32, vec![0_u64, 1, 1]);
        let locals = crate::locals![i, fib_seq, next = fib_seq[1] + fib_seq[2]];
        let shown: Vec<(&str, &str, &str)> =
            locals.iter().map(|l| (l.name.as_str(), l.type_name.as_str(), l.value.as_str())).collect();
        assert_eq!(shown, [("i", "u32", "3"), ("fib_seq", "Vec<u64>", "[0, 1, 1]"), ("next", "u64", "2")]);
        let long = Local::of("s", &"x".repeat(3 * MAX_VALUE_CHARS));
        assert_eq!(long.value.chars().count(), MAX_VALUE_CHARS + 1);
        assert!(long.value.ends_with('…'));
    }

    #[test]
    fn continue_to_the_end_passes_later_breakpoints_but_still_counts_them() {
        let breakpoints = Breakpoints::new(BreakpointSlot::default());
        assert_eq!(breakpoints.hit("loop"), Some(1));
        assert_eq!(breakpoints.hit("other"), Some(1));
        breakpoints.answered(BreakpointAction::Continue);
        assert_eq!(breakpoints.hit("loop"), Some(2));
        breakpoints.answered(BreakpointAction::ContinueToEnd);
        assert_eq!(breakpoints.hit("loop"), None);
        assert_eq!(breakpoints.hits.borrow().get("loop"), Some(&3));
    }

    #[test]
    fn one_stop_at_a_time() {
        let breakpoints = Breakpoints::new(BreakpointSlot::default());
        let first = breakpoints.arm().unwrap();
        assert_eq!(breakpoints.arm().unwrap_err().kind, "RuntimeError");
        drop(first);
        assert!(breakpoints.arm().is_ok(), "a stop whose waiter is gone no longer counts");
    }

    #[test]
    fn a_stop_leaves_a_titled_table_of_its_locals() {
        let request = BreakpointRequest { name: "loop".into(), hit: 2, locals: crate::locals![i = 2_u8] };
        let record = stop_record(&request, StopOutcome::Continued);
        assert_eq!(
            record["text/plain"],
            "paused at loop (hit 2), continued\nname  type  value\n----  ----  -----\ni     u8    2"
        );
        let json: serde_json::Value =
            serde_json::from_str(&record[super::super::display::TABLE_MIME]).unwrap();
        assert_eq!(json["title"], "paused at loop (hit 2), continued");
        assert_eq!(json["rows"][0], serde_json::json!(["i", "u8", "2"]));
    }
}

//! Colours the cells' sources after the page is drawn, a few cells per task, so the first
//! drawing (and the kernel's start beside it) does not wait for ten thousand spans. Each
//! `<code>` starts as plain text; its pieces become spans holding text nodes (never HTML).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsValue;
use web_sys::Document;

use super::cell_view::SourceToColour;
use super::dom::append_text;
use crate::notebook::highlight;

/// Cells coloured per task: small enough that a click between two tasks is answered at once.
const CELLS_PER_TASK: usize = 6;

/// Colours every source in `sources`, in page order, in the background.
pub fn colour_in_background(doc: Document, sources: Vec<SourceToColour>) {
    let queue = Rc::new(RefCell::new(VecDeque::from(sources)));
    next_batch(doc, queue);
}

fn next_batch(doc: Document, queue: Rc<RefCell<VecDeque<SourceToColour>>>) {
    Timeout::new(0, move || {
        for _ in 0..CELLS_PER_TASK {
            let Some(source) = queue.borrow_mut().pop_front() else { return };
            if let Err(e) = colour(&doc, &source) {
                super::dom::log_error("cannot colour a cell's source", e);
            }
        }
        next_batch(doc, queue);
    })
    .forget();
}

/// Replaces the plain text of `source.code` with coloured spans of the same text.
fn colour(doc: &Document, source: &SourceToColour) -> Result<(), JsValue> {
    let pieces = highlight::pieces(source.text, source.marks);
    if pieces.iter().all(|(class, _)| class.css_class().is_none()) {
        return Ok(());
    }
    let code = &source.code;
    code.set_text_content(None);
    for (class, text) in pieces {
        match class.css_class() {
            Some(css) => {
                append_text(doc, code, "span", css, text)?;
            }
            None => code.insert_adjacent_text("beforeend", text)?,
        }
    }
    Ok(())
}

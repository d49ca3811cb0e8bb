//! The live worker processes, in the toolbar: "Workers: N", opening to a table of each
//! worker's name, pid, state, task and the cell that started it; the side panel's Workers
//! view shows the same. The kernel sends the list after every change, so a person sees
//! workers come and go (and that Stop leaves none).

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use super::dom::{append_text, el};
use crate::notebook::protocol::WorkerList;
use crate::parallel::WorkerState;

/// One place the list is drawn: its root, its one-line summary and its table body.
struct View {
    root: Element,
    summary: Element,
    body: Element,
}

/// The toolbar's workers list, and any other views of it.
pub struct WorkersList {
    doc: Document,
    views: Vec<View>,
    last: std::cell::RefCell<WorkerList>,
}

/// A table of workers with its header row; returns the table and its body.
fn table(doc: &Document) -> Result<(Element, Element), JsValue> {
    let table = el(doc, "table", "")?;
    let head = el(doc, "tr", "")?;
    for title in ["name", "pid", "state", "task", "cell"] {
        append_text(doc, &head, "th", "", title)?;
    }
    table.append_child(&head)?;
    let body = el(doc, "tbody", "")?;
    table.append_child(&body)?;
    Ok((table, body))
}

impl WorkersList {
    /// Builds it, showing no workers.
    pub fn new(doc: &Document) -> Result<WorkersList, JsValue> {
        let root = el(doc, "details", "workers")?;
        let summary = append_text(doc, &root, "summary", "", "Workers: 0")?;
        summary.set_attribute("aria-label", "Live worker processes")?;
        let (table, body) = table(doc)?;
        let wrap = el(doc, "div", "workers-table")?;
        wrap.append_child(&table)?;
        root.append_child(&wrap)?;
        let list = WorkersList {
            doc: doc.clone(),
            views: vec![View { root, summary, body }],
            last: Default::default(),
        };
        list.show(&WorkerList::default())?;
        Ok(list)
    }

    /// The element to place in the toolbar.
    pub fn element(&self) -> &Element {
        &self.views[0].root
    }

    /// Another view of the same list (a heading, a summary line and the table), kept up to
    /// date by [`WorkersList::show`]; returns its element.
    pub fn add_view(&mut self) -> Result<Element, JsValue> {
        let doc = &self.doc;
        let root = el(doc, "div", "workers-view")?;
        append_text(doc, &root, "h2", "", "Workers")?;
        let summary = append_text(doc, &root, "p", "workers-summary", "")?;
        let (table, body) = table(doc)?;
        let wrap = el(doc, "div", "table-wrap")?;
        wrap.append_child(&table)?;
        root.append_child(&wrap)?;
        self.views.push(View { root: root.clone(), summary, body });
        let last = self.last.borrow().clone();
        self.show(&last)?;
        Ok(root)
    }

    /// Shows `list` in every view.
    pub fn show(&self, list: &WorkerList) -> Result<(), JsValue> {
        *self.last.borrow_mut() = list.clone();
        let busy = list.workers.iter().filter(|w| w.state == WorkerState::Busy).count();
        let text = match (list.workers.len(), busy) {
            (0, _) => "Workers: 0".to_string(),
            (n, 0) => format!("Workers: {n}"),
            (n, b) => format!("Workers: {n} ({b} busy)"),
        };
        for view in &self.views {
            view.summary.set_text_content(Some(&text));
            view.root.set_attribute("data-count", &list.workers.len().to_string())?;
            view.body.set_text_content(None);
            if list.workers.is_empty() {
                let row = el(&self.doc, "tr", "")?;
                let cell = append_text(&self.doc, &row, "td", "", "No worker processes are running.")?;
                cell.set_attribute("colspan", "5")?;
                view.body.append_child(&row)?;
            }
            for worker in &list.workers {
                let row = el(&self.doc, "tr", "")?;
                append_text(&self.doc, &row, "td", "", &worker.name)?;
                append_text(&self.doc, &row, "td", "", &worker.pid.to_string())?;
                append_text(&self.doc, &row, "td", "", worker.state.name())?;
                append_text(&self.doc, &row, "td", "", worker.task.as_deref().unwrap_or(""))?;
                append_text(&self.doc, &row, "td", "", &worker.cell)?;
                view.body.append_child(&row)?;
            }
        }
        Ok(())
    }
}

//! The live worker processes, in the toolbar: "Workers: N", opening to a table of each
//! worker's name, pid, state, task and the cell that started it. The kernel sends the list
//! after every change, so a person sees workers come and go (and that Stop leaves none).

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use super::dom::{append_text, el};
use crate::notebook::protocol::WorkerList;

/// The toolbar's workers list.
pub struct WorkersList {
    doc: Document,
    root: Element,
    summary: Element,
    body: Element,
}

impl WorkersList {
    /// Builds it, showing no workers.
    pub fn new(doc: &Document) -> Result<WorkersList, JsValue> {
        let root = el(doc, "details", "workers")?;
        let summary = append_text(doc, &root, "summary", "", "Workers: 0")?;
        summary.set_attribute("aria-label", "Live worker processes")?;
        let table = el(doc, "table", "")?;
        let head = el(doc, "tr", "")?;
        for title in ["name", "pid", "state", "task", "cell"] {
            append_text(doc, &head, "th", "", title)?;
        }
        table.append_child(&head)?;
        let body = el(doc, "tbody", "")?;
        table.append_child(&body)?;
        let wrap = el(doc, "div", "workers-table")?;
        wrap.append_child(&table)?;
        root.append_child(&wrap)?;
        let list = WorkersList { doc: doc.clone(), root, summary, body };
        list.show(&WorkerList::default())?;
        Ok(list)
    }

    /// The element to place in the toolbar.
    pub fn element(&self) -> &Element {
        &self.root
    }

    /// Shows `list`.
    pub fn show(&self, list: &WorkerList) -> Result<(), JsValue> {
        let busy = list.workers.iter().filter(|w| w.state == "busy").count();
        let text = match (list.workers.len(), busy) {
            (0, _) => "Workers: 0".to_string(),
            (n, 0) => format!("Workers: {n}"),
            (n, b) => format!("Workers: {n} ({b} busy)"),
        };
        self.summary.set_text_content(Some(&text));
        self.root.set_attribute("data-count", &list.workers.len().to_string())?;
        self.body.set_text_content(None);
        if list.workers.is_empty() {
            let row = el(&self.doc, "tr", "")?;
            let cell = append_text(&self.doc, &row, "td", "", "No worker processes are running.")?;
            cell.set_attribute("colspan", "5")?;
            self.body.append_child(&row)?;
        }
        for worker in &list.workers {
            let row = el(&self.doc, "tr", "")?;
            append_text(&self.doc, &row, "td", "", &worker.name)?;
            append_text(&self.doc, &row, "td", "", &worker.pid.to_string())?;
            append_text(&self.doc, &row, "td", "", &worker.state)?;
            append_text(&self.doc, &row, "td", "", worker.task.as_deref().unwrap_or(""))?;
            append_text(&self.doc, &row, "td", "", &worker.cell)?;
            self.body.append_child(&row)?;
        }
        Ok(())
    }
}

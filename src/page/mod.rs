//! The page: draws the notebook from the catalogue and forwards clicks to the kernel.
//! It holds no notebook state of its own beyond what the cells show.
//!
//! - `mod` (this file): the frame and the cells, drawn a few per task; `cell_view` (one cell),
//!   `colouring` (the sources' colours, once the page is up).
//! - `kernel_client` (the kernel's worker), `controller` (clicks to requests, messages to
//!   outputs).
//! - `side_panel` with `file_browser` (actions and requests; it follows the kernel's
//!   `files_changed` notices), `file_tree` (the keyboard-usable tree), `file_preview` (text or
//!   hex), `log_viewer`, `workers_list`; `files` (downloads and uploads).
//! - `dom`: element helpers and listeners: `on` for what lasts as long as the page, a
//!   `Listener` (removed when dropped) for what goes sooner, as a prompt or breakpoint box.
//! - `sections`, `saved_inputs`, `local_store`: folding, remembered inputs, `localStorage`.
//! - `script_cells` (the cells whose JavaScript the person writes: added, moved, deleted,
//!   kept), `script_editor` (their coloured editor), `open_notebook` (Open .ipynb).

pub mod cell_view;
mod colouring;
mod controller;
mod dom;
pub mod file_browser;
mod file_preview;
mod file_tree;
pub mod files;
mod kernel_client;
mod local_store;
pub mod log_viewer;
mod open_notebook;
mod saved_inputs;
mod script_cells;
pub mod script_editor;
mod sections;
pub mod side_panel;
pub mod workers_list;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlInputElement, KeyboardEvent};

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;

use self::cell_view::{CellView, SourceToColour};
use self::controller::Controller;
use self::dom::{button, el, log_error, on, text_el};
use self::file_browser::FileBrowser;
use self::kernel_client::KernelClient;
use self::log_viewer::LogViewer;
use self::saved_inputs::SavedInputs;
use self::script_cells::ScriptCells;
use self::side_panel::{SidePanel, Tab};
use self::workers_list::WorkersList;
use crate::exercises;
use crate::notebook::{ipynb, Catalog, CellSpec, Section};

/// Starts the kernel, then builds the page in the tasks after this one. The page's early
/// script has usually booted the kernel's worker already; where it has not, the worker
/// gets its module when this task ends. What the kernel says meanwhile waits in the
/// [`KernelClient`] for the controller.
pub fn start() {
    let Some(doc) = dom::document() else { return };
    let kernel = KernelClient::new();
    kernel.start();
    Timeout::new(0, move || {
        if let Err(e) = build(&doc, Rc::new(exercises::catalog()), kernel) {
            log_error("cannot build the notebook", e);
        }
    })
    .forget();
}

/// The table of contents: a link to each section.
fn contents(doc: &Document, catalog: &Catalog) -> Result<Element, JsValue> {
    let nav = el(doc, "nav", "contents")?;
    nav.set_attribute("aria-label", "Contents")?;
    let list = el(doc, "ol", "")?;
    for section in &catalog.sections {
        let item = el(doc, "li", "")?;
        let link = dom::append_text(doc, &item, "a", "", section.title)?;
        link.set_attribute("href", &format!("#section-{}", section.id))?;
        list.append_child(&item)?;
    }
    nav.append_child(&list)?;
    Ok(nav)
}

/// Draws the frame of the page (toolbar, contents, side panel) and starts the controller;
/// the cells follow a few per task (see [`Drawing`]).
fn build(doc: &Document, catalog: Rc<Catalog>, kernel: Rc<KernelClient>) -> Result<(), JsValue> {
    let root = doc.get_element_by_id("notebook").ok_or("the page has no #notebook element")?;
    root.set_text_content(None);

    let header = el(doc, "header", "toolbar")?;
    let title = text_el(doc, "h1", "", catalog.title)?;
    header.append_child(&title)?;
    let actions = el(doc, "div", "actions")?;
    let run_all = button(doc, "run-all", "▶▶ Run all", "Run all cells")?;
    let stop = button(doc, "stop", "■ Stop", "Stop the running cell")?;
    let restart = button(doc, "restart", "↻ Restart", "Restart the kernel")?;
    let clear = button(doc, "clear", "Clear outputs", "Clear all outputs")?;
    let files = button(doc, "toggle-files", "Files", "Show or hide the file browser")?;
    files.set_attribute("aria-controls", "file-browser")?;
    let logs = button(doc, "toggle-logs", "Logs", "Show or hide the log viewer")?;
    logs.set_attribute("aria-controls", "log-viewer")?;
    let export =
        button(doc, "export", "Export .ipynb", "Export .ipynb: download the notebook with its outputs")?;
    let open = button(doc, "open", "Open .ipynb", "Open .ipynb: bring back its script cells and inputs")?;
    let open_input: HtmlInputElement = el(doc, "input", "")?.unchecked_into();
    open_input.set_type("file");
    open_input.set_accept(".ipynb,application/x-ipynb+json,application/json");
    open_input.set_attribute("aria-label", "Notebook file to open")?;
    open_input.set_attribute("hidden", "")?;
    let reset = button(doc, "reset-inputs", "Reset inputs", "Reset inputs: every cell's defaults")?;
    let status = text_el(doc, "span", "kernel-status", "Kernel: starting")?;
    status.set_attribute("role", "status")?;
    for b in [&run_all, &stop, &restart, &clear, &files, &logs, &export, &open, &reset] {
        actions.append_child(b)?;
    }
    actions.append_child(&open_input)?;
    actions.append_child(&status)?;
    let mut workers = WorkersList::new(doc)?;
    actions.append_child(workers.element())?;
    header.append_child(&actions)?;
    // Said by the kernel when the browser refuses to keep the files (see `ToPage::Storage`).
    let notice = el(doc, "p", "storage-notice")?;
    notice.set_id("storage-notice");
    notice.set_attribute("role", "status")?;
    notice.set_attribute("hidden", "")?;
    header.append_child(&notice)?;
    // What Open .ipynb did, or why it could not.
    let open_notice = el(doc, "p", "open-notice")?;
    open_notice.set_attribute("role", "status")?;
    open_notice.set_attribute("hidden", "")?;
    header.append_child(&open_notice)?;
    root.append_child(&header)?;

    let main = el(doc, "main", "")?;
    let toc = contents(doc, &catalog)?;
    main.append_child(&toc)?;
    root.append_child(&main)?;
    let viewer = LogViewer::new(doc)?;
    let browser = FileBrowser::new(doc)?;
    let workers_view = workers.add_view()?;
    let side = SidePanel::new(doc, browser.element(), Rc::clone(&viewer), &workers_view)?;
    root.append_child(side.element())?;
    side.add_toggle(Tab::Files, &files);
    side.add_toggle(Tab::Logs, &logs);

    let controller = Controller::start(doc.clone(), status, (viewer, workers, browser), kernel);
    let saved = Rc::new(RefCell::new(SavedInputs::default()));
    let scripts = ScriptCells::new(doc, &controller, &catalog);
    scripts.listen(&main);
    open_notebook::wire(&open, &open_input, open_notice, Rc::clone(&scripts), Rc::clone(&saved));
    wire_toolbar(
        doc,
        &controller,
        (&catalog, &scripts),
        &saved,
        [&run_all, &stop, &restart, &clear, &export, &reset],
    );
    let drawing = Drawing {
        doc: doc.clone(),
        catalog,
        main,
        toc,
        controller,
        saved,
        scripts,
        sources: Vec::new(),
        at: (0, 0),
        section: None,
    };
    // Cells come in the next tasks, so that the first screen is laid out soon.
    Timeout::new(0, move || drawing.next_cells()).forget();
    Ok(())
}

/// Cells drawn per task while the kernel starts: the page hears its kernel between two
/// tasks, and cells off screen cost little (see style.css), so the notebook appears from
/// the top while its kernel starts.
const CELLS_PER_TASK_STARTING: usize = 6;

/// Cells drawn per task once the kernel is ready: the rest of the notebook comes sooner,
/// in tasks still short enough for a click to be answered at once.
const CELLS_PER_TASK_READY: usize = 24;

/// The cells still to draw, and what drawing them feeds.
struct Drawing {
    doc: Document,
    catalog: Rc<Catalog>,
    main: Element,
    toc: Element,
    controller: Controller,
    saved: Rc<RefCell<SavedInputs>>,
    scripts: Rc<ScriptCells>,
    /// Every source drawn so far, coloured once the whole notebook is there.
    sources: Vec<SourceToColour>,
    /// The next cell to draw: (section, cell) indices.
    at: (usize, usize),
    /// The section being filled, once its frame is on the page.
    section: Option<sections::SectionParts>,
}

impl Drawing {
    /// Draws the next few cells, then schedules the rest (or finishes).
    fn next_cells(mut self) {
        let catalog = Rc::clone(&self.catalog);
        let batch =
            if self.controller.kernel_ready() { CELLS_PER_TASK_READY } else { CELLS_PER_TASK_STARTING };
        let (mut views, mut drawn) = (Vec::new(), 0);
        while drawn < batch {
            let (s, c) = self.at;
            let Some(section) = catalog.sections.get(s) else { break };
            match section.cells.get(c) {
                Some(cell) => {
                    if let Err(e) = self.draw(section, cell, &mut views) {
                        log_error("cannot draw a cell", e);
                    }
                    self.at = (s, c + 1);
                    drawn += 1;
                }
                None => {
                    self.section = None;
                    self.at = (s + 1, 0);
                }
            }
        }
        self.adopt(views);
        if self.at.0 < catalog.sections.len() {
            Timeout::new(0, move || self.next_cells()).forget();
        } else {
            self.finish();
        }
    }

    fn draw(&mut self, section: &Section, cell: &CellSpec, views: &mut Vec<CellView>) -> Result<(), JsValue> {
        let doc = &self.doc;
        if self.section.is_none() {
            let parts = sections::build(doc, section)?;
            self.main.append_child(&parts.root)?;
            self.section = Some(parts);
        }
        let Some(parts) = &self.section else { return Ok(()) };
        match cell {
            CellSpec::Markdown(text) => {
                let md = el(doc, "div", "cell markdown-cell")?;
                // The project's own text only, rendered at build time.
                md.set_inner_html(text.html);
                parts.body.append_child(&md)?;
            }
            CellSpec::Code(code) => {
                let view = CellView::new(doc, code)?;
                parts.body.append_child(view.root())?;
                views.push(view);
            }
            CellSpec::Script(script) => {
                let view = self.scripts.course_view(script)?;
                parts.body.append_child(view.root())?;
                views.push(view);
            }
        }
        Ok(())
    }

    /// Wires freshly drawn cells, draws the script cells that follow them, and hands them
    /// all to the controller.
    fn adopt(&mut self, mut views: Vec<CellView>) {
        for view in &views {
            wire_cell(&self.controller, view);
            self.sources.extend(view.source_to_colour());
        }
        self.saved.borrow_mut().remember(
            views.iter().flat_map(|v| v.named_inputs().map(|(name, field)| (&*v.id, name, field.clone()))),
        );
        let scripts: Vec<CellView> = views.iter().flat_map(|v| self.scripts.draw_after(&v.id)).collect();
        views.extend(scripts);
        self.controller.add_views(views);
    }

    /// The whole notebook is drawn: the end's script cells come, links into it can be
    /// followed, sources coloured.
    fn finish(self) {
        match self.scripts.draw_end(&self.main) {
            Ok(views) => self.controller.add_views(views),
            Err(e) => log_error("cannot draw the end of the notebook", e),
        }
        dom::mark_time("notebook-drawn");
        sections::follow_links(&self.doc, &self.toc);
        colouring::colour_in_background(self.doc, self.sources);
    }
}

/// A catalogue cell's Run and Clear buttons, and Enter in its fields (a script cell's
/// buttons are heard by `ScriptCells::listen`).
fn wire_cell(controller: &Controller, view: &CellView) {
    let c = controller.clone();
    let id = Rc::clone(&view.id);
    on(&view.run_button, "click", move |_| c.run(&id));
    for field in view.input_fields() {
        let c = controller.clone();
        let id = Rc::clone(&view.id);
        on(field, "keydown", move |event| {
            if event.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Enter") {
                c.run(&id);
            }
        });
    }
    let c = controller.clone();
    let id = Rc::clone(&view.id);
    on(&view.clear_button, "click", move |_| c.clear_output(&id));
}

/// The toolbar's buttons, and Shift/Ctrl+Enter anywhere in a cell.
fn wire_toolbar(
    doc: &Document,
    controller: &Controller,
    (catalog, scripts): (&Rc<Catalog>, &Rc<ScriptCells>),
    saved: &Rc<RefCell<SavedInputs>>,
    [run_all, stop, restart, clear, export, reset]: [&web_sys::HtmlButtonElement; 6],
) {
    let saved = Rc::clone(saved);
    on(reset, "click", move |_| saved.borrow().reset());
    let c = controller.clone();
    let document = doc.clone();
    on(doc, "keydown", move |event| {
        let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
        if key.key() != "Enter" || !(key.shift_key() || key.ctrl_key() || key.meta_key()) {
            return;
        }
        let cell = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("article.code-cell").ok().flatten());
        let Some(cell) = cell else { return };
        event.prevent_default();
        let id = cell.id();
        c.run(&id);
        // Shift+Enter runs and moves on to the next cell, as in Jupyter (into a script
        // cell's editor); Ctrl+Enter stays.
        if key.shift_key() {
            if let Some(next) = next_cell(&document, &cell) {
                let editor = next.query_selector("textarea").ok().flatten();
                if let Ok(next) = editor.unwrap_or(next).dyn_into::<web_sys::HtmlElement>() {
                    let _ = next.focus();
                }
            }
        }
    });
    let (s, catalog_for_run) = (Rc::clone(scripts), Rc::clone(catalog));
    on(run_all, "click", move |_| s.run_all(&catalog_for_run));
    let c = controller.clone();
    on(stop, "click", move |_| c.stop());
    let c = controller.clone();
    on(restart, "click", move |_| c.restart());
    let (s, document, catalog) = (Rc::clone(scripts), doc.clone(), Rc::clone(catalog));
    on(export, "click", move |_| {
        let text = s.export(&catalog);
        if let Err(e) = files::download(&document, ipynb::FILE_NAME, text.as_bytes()) {
            log_error("cannot download the notebook", e);
        }
    });
    let c = controller.clone();
    on(clear, "click", move |_| c.clear_outputs());
}

/// The code cell after `cell` on the page, script cells included.
fn next_cell(doc: &Document, cell: &Element) -> Option<Element> {
    let cells = doc.query_selector_all("article.code-cell").ok()?;
    let at = (0..cells.length()).find(|&i| cells.get(i).is_some_and(|c| c == **cell))?;
    cells.get(at + 1)?.dyn_into::<Element>().ok()
}

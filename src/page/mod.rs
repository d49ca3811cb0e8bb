//! The page: draws the notebook from the catalogue and forwards clicks to the kernel.
//! It holds no notebook state of its own beyond what the cells show.

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
mod saved_inputs;
mod sections;
pub mod side_panel;
pub mod workers_list;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, KeyboardEvent};

use std::cell::RefCell;
use std::rc::Rc;

use self::cell_view::CellView;
use self::controller::Controller;
use self::dom::{button, el, log_error, on, text_el};
use self::file_browser::FileBrowser;
use self::kernel_client::KernelClient;
use self::log_viewer::LogViewer;
use self::saved_inputs::SavedInputs;
use self::side_panel::{SidePanel, Tab};
use self::workers_list::WorkersList;
use crate::exercises;
use crate::notebook::{ipynb, Catalog, CellSpec};

/// Builds the page and starts the kernel.
pub fn start() {
    let Some(doc) = dom::document() else { return };
    if let Err(e) = build(&doc, &exercises::catalog()) {
        log_error("cannot build the notebook", e);
    }
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

fn build(doc: &Document, catalog: &Catalog) -> Result<(), JsValue> {
    let root = doc.get_element_by_id("notebook").ok_or("the page has no #notebook element")?;
    // The kernel boots in its worker while this thread draws the page. Its messages wait
    // in the event queue until the controller (set up in this same task) handles them.
    let kernel = KernelClient::new();
    kernel.start();
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
    let reset = button(doc, "reset-inputs", "Reset inputs", "Reset inputs: every cell's defaults")?;
    let status = text_el(doc, "span", "kernel-status", "Kernel: starting")?;
    status.set_attribute("role", "status")?;
    for b in [&run_all, &stop, &restart, &clear, &files, &logs, &export, &reset] {
        actions.append_child(b)?;
    }
    actions.append_child(&status)?;
    let mut workers = WorkersList::new(doc)?;
    actions.append_child(workers.element())?;
    header.append_child(&actions)?;
    // Said by the kernel when the browser refuses to keep the files (see `Body::Storage`).
    let notice = el(doc, "p", "storage-notice")?;
    notice.set_id("storage-notice");
    notice.set_attribute("role", "status")?;
    notice.set_attribute("hidden", "")?;
    header.append_child(&notice)?;
    root.append_child(&header)?;

    let main = el(doc, "main", "")?;
    let toc = contents(doc, catalog)?;
    main.append_child(&toc)?;
    let mut views = Vec::new();
    for section in &catalog.sections {
        let parts = sections::build(doc, section)?;
        for cell in &section.cells {
            match cell {
                CellSpec::Markdown(text) => {
                    let md = el(doc, "div", "cell markdown-cell")?;
                    // The project's own text only, rendered at build time.
                    match exercises::markdown_html_of(text) {
                        Some(html) => md.set_inner_html(html),
                        None => md.set_text_content(Some(text)),
                    }
                    parts.body.append_child(&md)?;
                }
                CellSpec::Code(code) => {
                    let view = CellView::new(doc, code)?;
                    parts.body.append_child(view.root())?;
                    views.push(view);
                }
            }
        }
        main.append_child(&parts.root)?;
    }
    root.append_child(&main)?;
    let viewer = LogViewer::new(doc)?;
    let browser = FileBrowser::new(doc)?;
    let workers_view = workers.add_view()?;
    let side = SidePanel::new(doc, browser.element(), Rc::clone(&viewer), &workers_view)?;
    root.append_child(side.element())?;
    side.add_toggle(Tab::Files, &files);
    side.add_toggle(Tab::Logs, &logs);

    dom::mark_time("notebook-drawn");
    colouring::colour_in_background(doc.clone(), views.iter().map(CellView::source_to_colour).collect());
    let toolbar = [&run_all, &stop, &restart, &clear, &export, &reset];
    wire(doc, views, catalog, &status, (viewer, workers, browser, kernel), toolbar);
    sections::follow_links(doc, &toc);
    Ok(())
}

fn wire(
    doc: &Document,
    views: Vec<CellView>,
    catalog: &Catalog,
    status: &Element,
    (viewer, workers, files, kernel): (
        Rc<RefCell<LogViewer>>,
        WorkersList,
        Rc<FileBrowser>,
        Rc<KernelClient>,
    ),
    [run_all, stop, restart, clear, export, reset]: [&web_sys::HtmlButtonElement; 6],
) {
    let buttons: Vec<_> = views
        .iter()
        .map(|v| (v.id, v.run_button.clone(), v.input_fields().cloned().collect::<Vec<_>>()))
        .collect();
    let clear_buttons: Vec<_> = views.iter().map(|v| (v.id, v.clear_button.clone())).collect();
    let saved = SavedInputs::remember(
        views.iter().flat_map(|v| v.named_inputs().map(|(name, field)| (v.id, name, field.clone()))),
    );
    on(reset, "click", move |_| saved.reset());
    let order = catalog.code_cells().filter(|c| c.in_run_all).map(|c| c.id).collect();
    let all_cells: Vec<&'static str> = catalog.code_cells().map(|c| c.id).collect();
    let panels = (viewer, workers, files);
    let controller = Controller::start(doc.clone(), views, order, status.clone(), panels, kernel);
    for (id, run_button, fields) in buttons {
        let c = controller.clone();
        on(&run_button, "click", move |_| c.run(id));
        for field in fields {
            let c = controller.clone();
            on(&field, "keydown", move |event| {
                if event.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Enter") {
                    c.run(id);
                }
            });
        }
    }
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
        // Shift+Enter runs and moves on to the next cell, as in Jupyter; Ctrl+Enter stays.
        if key.shift_key() {
            let next = all_cells.iter().position(|c| *c == id).and_then(|i| all_cells.get(i + 1));
            if let Some(next) = next.and_then(|n| document.get_element_by_id(n)) {
                if let Ok(next) = next.dyn_into::<web_sys::HtmlElement>() {
                    let _ = next.focus();
                }
            }
        }
    });
    let c = controller.clone();
    on(run_all, "click", move |_| c.run_all());
    let c = controller.clone();
    on(stop, "click", move |_| c.stop());
    let c = controller.clone();
    on(restart, "click", move |_| c.restart());
    for (id, button) in clear_buttons {
        let c = controller.clone();
        on(&button, "click", move |_| c.clear_output(id));
    }
    let (c, document, catalog) = (controller.clone(), doc.clone(), catalog.clone());
    on(export, "click", move |_| {
        let text = c.export_ipynb(&catalog);
        if let Err(e) = files::download(&document, ipynb::FILE_NAME, text.as_bytes()) {
            log_error("cannot download the notebook", e);
        }
    });
    on(clear, "click", move |_| controller.clear_outputs());
}

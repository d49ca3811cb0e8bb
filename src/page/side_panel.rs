//! The side panel: one place at the right for the file browser, the log viewer and the
//! live workers, one tab each. Toolbar buttons open it at their tab, or close it when it
//! already shows that tab; each button's `aria-expanded` says whether its view is shown.
//! Escape closes it, as its ✕ button does.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlButtonElement, HtmlElement, KeyboardEvent};

use super::dom::{button, el, on};
use super::log_viewer::LogViewer;

/// The panel's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The file browser.
    Files,
    /// The log viewer.
    Logs,
    /// The live worker processes.
    Workers,
}

const TABS: [(Tab, &str, &str); 3] =
    [(Tab::Files, "files", "Files"), (Tab::Logs, "logs", "Logs"), (Tab::Workers, "workers", "Workers")];

/// The panel, its tabs and the toolbar buttons that open it.
pub struct SidePanel {
    root: Element,
    tabs: Vec<(Tab, HtmlButtonElement, Element)>,
    logs: Rc<RefCell<LogViewer>>,
    current: Cell<Tab>,
    toggles: RefCell<Vec<(Tab, HtmlButtonElement)>>,
}

impl SidePanel {
    /// Builds the panel (hidden) around the three views; the Logs view is the log viewer's
    /// own element (`#log-viewer`).
    pub fn new(
        doc: &Document,
        files: &Element,
        logs: Rc<RefCell<LogViewer>>,
        workers: &Element,
    ) -> Result<Rc<SidePanel>, JsValue> {
        let root = el(doc, "aside", "side-panel")?;
        root.set_id("side-panel");
        root.set_attribute("aria-label", "Side panel")?;
        root.set_attribute("hidden", "")?;
        let head = el(doc, "div", "side-head")?;
        let tablist = el(doc, "div", "side-tabs")?;
        tablist.set_attribute("role", "tablist")?;
        tablist.set_attribute("aria-label", "Side panel views")?;
        head.append_child(&tablist)?;
        let close = button(doc, "side-close", "✕", "Close the side panel")?;
        head.append_child(&close)?;
        root.append_child(&head)?;

        let log_panel = logs.borrow().panel().clone();
        let mut tabs = Vec::new();
        for ((tab, key, label), view) in TABS.into_iter().zip([files, &log_panel, workers]) {
            let tab_button = button(doc, "side-tab", label, label)?;
            tab_button.remove_attribute("aria-label")?;
            tab_button.set_id(&format!("side-tab-{key}"));
            tab_button.set_attribute("role", "tab")?;
            if view.id().is_empty() {
                view.set_id(&format!("side-view-{key}"));
            }
            tab_button.set_attribute("aria-controls", &view.id())?;
            view.set_attribute("role", "tabpanel")?;
            view.set_attribute("aria-labelledby", &tab_button.id())?;
            view.class_list().add_1("side-view")?;
            tablist.append_child(&tab_button)?;
            root.append_child(view)?;
            tabs.push((tab, tab_button, view.clone()));
        }
        let panel = Rc::new(SidePanel {
            root,
            tabs,
            logs,
            current: Cell::new(Tab::Files),
            toggles: RefCell::default(),
        });
        panel.select(Tab::Files, false);
        for (tab, tab_button, _) in &panel.tabs {
            let (p, tab) = (Rc::clone(&panel), *tab);
            on(tab_button, "click", move |_| p.select(tab, true));
        }
        let p = Rc::clone(&panel);
        on(&tablist, "keydown", move |event| {
            let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
            let index = TABS.iter().position(|(t, _, _)| *t == p.current.get()).unwrap_or(0);
            let next = match key.key().as_str() {
                "ArrowRight" => (index + 1) % TABS.len(),
                "ArrowLeft" => (index + TABS.len() - 1) % TABS.len(),
                "Home" => 0,
                "End" => TABS.len() - 1,
                _ => return,
            };
            event.prevent_default();
            p.select(TABS[next].0, true);
        });
        let p = Rc::clone(&panel);
        on(&close, "click", move |_| p.close(true));
        // Escape closes the panel from anywhere on the page, unless something nearer to
        // the key has its own use for it: a form (the file browser's name form cancels),
        // a cell's input prompt or breakpoint box, a search field that Escape clears.
        let p = Rc::clone(&panel);
        on(doc, "keydown", move |event| {
            let is_escape = event.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Escape");
            if !is_escape || event.default_prevented() || !p.is_open() {
                return;
            }
            let target = event.target().and_then(|t| t.dyn_into::<Element>().ok());
            let near =
                |selector: &str| target.as_ref().and_then(|t| t.closest(selector).ok().flatten()).is_some();
            if !near("form, dialog, .stdin, .breakpoint, input[type=search]:not(:placeholder-shown)") {
                // The focus goes back to the toolbar only from the panel, where it is lost.
                p.close(near(".side-panel"));
            }
        });
        Ok(panel)
    }

    /// Closes the panel; with `refocus`, gives the focus to the toolbar button of the view
    /// it showed (the focus was in the panel, which it would otherwise leave nowhere).
    fn close(&self, refocus: bool) {
        let opener =
            self.toggles.borrow().iter().find(|(t, _)| *t == self.current.get()).map(|(_, b)| b.clone());
        self.hide();
        if let (Some(opener), true) = (opener, refocus) {
            let _ = opener.focus();
        }
    }

    /// The panel's element.
    pub fn element(&self) -> &Element {
        &self.root
    }

    /// Makes `button` open or close the panel at `tab`.
    pub fn add_toggle(self: &Rc<Self>, tab: Tab, toggle: &HtmlButtonElement) {
        let _ = toggle.set_attribute("aria-expanded", "false");
        self.toggles.borrow_mut().push((tab, toggle.clone()));
        let panel = Rc::clone(self);
        on(toggle, "click", move |_| panel.toggle(tab));
    }

    /// Whether the panel is open.
    pub fn is_open(&self) -> bool {
        !self.root.has_attribute("hidden")
    }

    /// Opens the panel at `tab`, or closes it if it shows `tab` already.
    pub fn toggle(&self, tab: Tab) {
        if self.is_open() && self.current.get() == tab {
            self.hide();
        } else {
            let _ = self.root.remove_attribute("hidden");
            self.select(tab, true);
        }
    }

    /// Closes the panel.
    pub fn hide(&self) {
        let _ = self.root.set_attribute("hidden", "");
        self.logs.borrow().set_shown(false);
        self.sync_toggles();
    }

    /// Shows `tab`'s view (and, if `focus`, moves focus to its tab).
    pub fn select(&self, tab: Tab, focus: bool) {
        self.current.set(tab);
        for (t, tab_button, view) in &self.tabs {
            let on = *t == tab;
            let _ = tab_button.set_attribute("aria-selected", if on { "true" } else { "false" });
            let _ = tab_button.set_attribute("tabindex", if on { "0" } else { "-1" });
            if *t == Tab::Logs {
                self.logs.borrow().set_shown(on && self.is_open());
            } else if on {
                let _ = view.remove_attribute("hidden");
            } else {
                let _ = view.set_attribute("hidden", "");
            }
            if on && focus && self.is_open() {
                let _ = tab_button.unchecked_ref::<HtmlElement>().focus();
            }
        }
        self.sync_toggles();
    }

    fn sync_toggles(&self) {
        let open = self.is_open();
        for (tab, toggle) in self.toggles.borrow().iter() {
            let shown = open && *tab == self.current.get();
            let _ = toggle.set_attribute("aria-expanded", if shown { "true" } else { "false" });
        }
    }
}

//! The file browser's tree: one row per visible path with its size, directories that
//! open and close, one selected row, and the keys of an ARIA tree (arrows, Home, End,
//! Enter and Space). Names are set as text.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent};

use super::dom::{append_text, el, on};
use crate::notebook::file_view::{human_size, parent_dir, visible_rows, TreeRow};
use crate::notebook::protocol::{FileEntry, FilesChanged};
use crate::vfs::HOME;

type Handler = Rc<dyn Fn(&TreeRow)>;

/// The tree and what it shows.
pub struct FileTree {
    doc: Document,
    list: Element,
    entries: RefCell<Vec<FileEntry>>,
    expanded: RefCell<BTreeSet<String>>,
    selected: RefCell<Option<String>>,
    on_select: RefCell<Handler>,
}

/// The directories open at first: the way to the home directory.
fn default_expanded() -> BTreeSet<String> {
    let mut expanded = BTreeSet::new(); // inserts: building from an array would sort first
    expanded.insert("/home".to_string());
    expanded.insert(HOME.to_string());
    expanded
}

impl FileTree {
    /// An empty tree; rows come with [`FileTree::show`].
    pub fn new(doc: &Document) -> Result<Rc<FileTree>, JsValue> {
        let list = el(doc, "ul", "file-tree")?;
        list.set_attribute("role", "tree")?;
        list.set_attribute("aria-label", "Files and folders")?;
        let tree = Rc::new(FileTree {
            doc: doc.clone(),
            list,
            entries: RefCell::default(),
            expanded: RefCell::new(default_expanded()),
            selected: RefCell::default(),
            on_select: RefCell::new(Rc::new(|_| {})),
        });
        let clicked = Rc::clone(&tree);
        on(&tree.list, "click", move |event| {
            let Some(path) = clicked.row_path(event.target()) else { return };
            // The arrow opens or closes a folder; the rest of a row selects it (and opens it).
            let on_mark = event
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .is_some_and(|t| t.class_list().contains("file-mark"));
            if on_mark {
                let open = clicked.expanded.borrow().contains(&path);
                clicked.set_expanded(&path, !open);
            } else {
                let closed = !clicked.expanded.borrow().contains(&path);
                clicked.select(&path, closed);
            }
        });
        let keyed = Rc::clone(&tree);
        on(&tree.list, "keydown", move |event| {
            let Some(key) = event.dyn_ref::<KeyboardEvent>() else { return };
            if keyed.on_key(key) {
                event.prevent_default();
            }
        });
        Ok(tree)
    }

    /// The `<ul role="tree">`.
    pub fn element(&self) -> &Element {
        &self.list
    }

    /// Calls `handler` with the row a person selects (click, Enter or Space).
    pub fn set_on_select(&self, handler: impl Fn(&TreeRow) + 'static) {
        *self.on_select.borrow_mut() = Rc::new(handler);
    }

    /// Shows a new listing, keeping what is open, selected and focused where it still exists.
    pub fn show(&self, entries: Vec<FileEntry>) {
        let selected = self.selected.borrow().clone();
        if selected.is_some_and(|path| !entries.iter().any(|e| e.path == path)) {
            *self.selected.borrow_mut() = None;
        }
        *self.entries.borrow_mut() = entries;
        self.render();
    }

    /// Shows the listing with `change` applied (what the kernel says changed since).
    pub fn apply(&self, change: &FilesChanged) {
        let mut entries = self.entries.borrow().clone();
        crate::notebook::file_changes::apply(&mut entries, change);
        self.show(entries);
    }

    /// Whether the last listing holds `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.entries.borrow().iter().any(|e| e.path == path)
    }

    /// How many entries the directory `path` holds directly.
    pub fn children_of(&self, path: &str) -> usize {
        self.entries.borrow().iter().filter(|e| e.path != "/" && parent_dir(&e.path) == path).count()
    }

    /// The selected row, if any.
    pub fn selected(&self) -> Option<TreeRow> {
        let path = self.selected.borrow().clone()?;
        self.row_of(&path)
    }

    fn row_of(&self, path: &str) -> Option<TreeRow> {
        let mut every_dir = BTreeSet::new();
        every_dir.extend(self.entries.borrow().iter().filter(|e| e.is_dir).map(|e| e.path.clone()));
        visible_rows(&self.entries.borrow(), &every_dir).into_iter().find(|r| r.path == path)
    }

    /// Selects `path` (opening the directories above it), tells the handler, and, if
    /// `toggle`, opens or closes it when it is a directory.
    pub fn select(&self, path: &str, toggle: bool) {
        let Some(row) = self.row_of(path) else { return };
        {
            let mut expanded = self.expanded.borrow_mut();
            let mut dir = parent_dir(path);
            while dir != "/" {
                expanded.insert(dir.to_string());
                dir = parent_dir(dir);
            }
            if toggle && row.is_dir && !expanded.remove(path) {
                expanded.insert(path.to_string());
            }
        }
        *self.selected.borrow_mut() = Some(path.to_string());
        self.render();
        self.focus(path);
        let handler = Rc::clone(&self.on_select.borrow());
        handler(&row);
    }

    /// Forgets the selection and closes every directory but the way home.
    pub fn reset_view(&self) {
        *self.selected.borrow_mut() = None;
        *self.expanded.borrow_mut() = default_expanded();
        self.render();
    }

    fn set_expanded(&self, path: &str, open: bool) {
        let changed = {
            let mut expanded = self.expanded.borrow_mut();
            if open {
                expanded.insert(path.to_string())
            } else {
                expanded.remove(path)
            }
        };
        if changed {
            self.render();
            self.focus(path);
        }
    }

    fn render(&self) {
        let focused = self.focused_path();
        self.list.set_text_content(None);
        let rows = visible_rows(&self.entries.borrow(), &self.expanded.borrow());
        if rows.is_empty() {
            let _ = append_text(&self.doc, &self.list, "li", "file-empty", "No files.");
        }
        let selected = self.selected.borrow().clone();
        let tab_stop = selected.clone().filter(|s| rows.iter().any(|r| &r.path == s));
        let tab_stop = tab_stop.or_else(|| rows.first().map(|r| r.path.clone()));
        for row in &rows {
            match self.row_element(
                row,
                selected.as_deref() == Some(&row.path),
                tab_stop.as_deref() == Some(&row.path),
            ) {
                Ok(item) => {
                    let _ = self.list.append_child(&item);
                }
                Err(e) => super::dom::log_error("cannot show a file", e),
            }
        }
        if let Some(path) = focused {
            self.focus(&path);
        }
    }

    fn row_element(&self, row: &TreeRow, selected: bool, tab_stop: bool) -> Result<Element, JsValue> {
        let item = el(&self.doc, "li", if row.is_dir { "file-row file-dir" } else { "file-row" })?;
        item.set_attribute("role", "treeitem")?;
        item.set_attribute("data-path", &row.path)?;
        item.set_attribute("aria-level", &row.depth.to_string())?;
        item.set_attribute("aria-selected", if selected { "true" } else { "false" })?;
        item.set_attribute("tabindex", if tab_stop { "0" } else { "-1" })?;
        // Through the CSSOM: the page's CSP refuses `style` attributes.
        if let Some(item) = item.dyn_ref::<web_sys::HtmlElement>() {
            item.style().set_property("--depth", &(row.depth - 1).to_string())?;
        }
        let open = self.expanded.borrow().contains(&row.path);
        let mark = match (row.is_dir, open) {
            (false, _) => "",
            (true, false) => "▸",
            (true, true) => "▾",
        };
        if row.is_dir {
            item.set_attribute("aria-expanded", if open { "true" } else { "false" })?;
        }
        append_text(&self.doc, &item, "span", "file-mark", mark)?.set_attribute("aria-hidden", "true")?;
        append_text(&self.doc, &item, "span", "file-name", &row.name)?;
        let size = if row.is_dir {
            let items =
                if row.children == 1 { "1 item".to_string() } else { format!("{} items", row.children) };
            format!("{} · {items}", human_size(row.size))
        } else {
            human_size(row.size)
        };
        let size_el = append_text(&self.doc, &item, "span", "file-size", &size)?;
        size_el.set_attribute("title", &format!("{} bytes", row.size))?;
        if row.read_only {
            append_text(&self.doc, &item, "span", "file-flag", "read-only")?;
        }
        Ok(item)
    }

    fn items(&self) -> Vec<HtmlElement> {
        let Ok(nodes) = self.list.query_selector_all("li[role=treeitem]") else { return Vec::new() };
        (0..nodes.length()).filter_map(|i| nodes.item(i)?.dyn_into::<HtmlElement>().ok()).collect()
    }

    fn row_path(&self, target: Option<web_sys::EventTarget>) -> Option<String> {
        let element = target?.dyn_into::<Element>().ok()?;
        element.closest("li[role=treeitem]").ok()??.get_attribute("data-path")
    }

    fn focused_path(&self) -> Option<String> {
        let active = self.doc.active_element()?;
        if !self.list.contains(Some(&active)) {
            return None;
        }
        self.row_path(Some(active.into()))
    }

    /// Moves keyboard focus (and the tab stop) to `path`'s row.
    fn focus(&self, path: &str) {
        for item in self.items() {
            let here = item.get_attribute("data-path").as_deref() == Some(path);
            let _ = item.set_attribute("tabindex", if here { "0" } else { "-1" });
            if here {
                let _ = item.focus();
            }
        }
    }

    /// Handles a key on the tree; returns whether it was one of the tree's.
    fn on_key(&self, key: &KeyboardEvent) -> bool {
        let Some(current) = self.focused_path() else { return false };
        let paths: Vec<String> = self.items().iter().filter_map(|i| i.get_attribute("data-path")).collect();
        let Some(index) = paths.iter().position(|p| *p == current) else { return false };
        let row = self.row_of(&current);
        let is_dir = row.as_ref().is_some_and(|r| r.is_dir);
        let open = self.expanded.borrow().contains(&current);
        match key.key().as_str() {
            "ArrowDown" => paths.get(index + 1).iter().for_each(|p| self.focus(p)),
            "ArrowUp" => index.checked_sub(1).and_then(|i| paths.get(i)).iter().for_each(|p| self.focus(p)),
            "Home" => paths.first().iter().for_each(|p| self.focus(p)),
            "End" => paths.last().iter().for_each(|p| self.focus(p)),
            "ArrowRight" if is_dir && !open => self.set_expanded(&current, true),
            "ArrowRight" if is_dir => {
                paths.get(index + 1).filter(|p| parent_dir(p) == current).iter().for_each(|p| self.focus(p))
            }
            "ArrowLeft" if is_dir && open => self.set_expanded(&current, false),
            "ArrowLeft" => {
                let up = parent_dir(&current).to_string();
                if up != "/" {
                    self.focus(&up);
                }
            }
            "Enter" | " " => self.select(&current, is_dir && key.key() == "Enter"),
            _ => return false,
        }
        true
    }
}

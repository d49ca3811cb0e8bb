//! The file browser's preview: the start of the open file as text, or as hex (offset, bytes,
//! ASCII) for binary files or on request, saying when only the start is shown. The hex view
//! puts as many bytes on a line as the panel has room for (16, else 8, else 4), so no line
//! is cut off at the right.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlButtonElement};

use super::dom::{append_text, button, el, on};
use crate::notebook::file_view::{as_text, hex_dump, human_size};
use crate::words::count;

struct Shown {
    path: String,
    bytes: Vec<u8>,
    size: u64,
    hex: bool,
}

/// The preview pane.
pub struct FilePreview {
    root: Element,
    heading: Element,
    meta: Element,
    note: Element,
    text_button: HtmlButtonElement,
    hex_button: HtmlButtonElement,
    content: Element,
    shown: RefCell<Option<Shown>>,
}

impl FilePreview {
    /// An empty pane (hidden until a file is shown).
    pub fn new(doc: &Document) -> Result<Rc<FilePreview>, JsValue> {
        let root = el(doc, "section", "file-preview")?;
        root.set_attribute("aria-label", "File preview")?;
        root.set_attribute("hidden", "")?;
        let head = el(doc, "div", "file-preview-head")?;
        let heading = append_text(doc, &head, "h3", "file-path", "")?;
        let modes = el(doc, "div", "file-modes")?;
        modes.set_attribute("role", "group")?;
        modes.set_attribute("aria-label", "Show the file as")?;
        let text_button = button(doc, "file-mode", "Text", "Show as text")?;
        let hex_button = button(doc, "file-mode", "Hex", "Show as hex")?;
        modes.append_child(&text_button)?;
        modes.append_child(&hex_button)?;
        head.append_child(&modes)?;
        root.append_child(&head)?;
        let meta = append_text(doc, &root, "p", "file-meta", "")?;
        let note = append_text(doc, &root, "p", "file-note", "")?;
        let content = append_text(doc, &root, "pre", "file-content", "")?;
        content.set_attribute("tabindex", "0")?;
        let preview = Rc::new(FilePreview {
            root,
            heading,
            meta,
            note,
            text_button,
            hex_button,
            content,
            shown: RefCell::default(),
        });
        for (control, hex) in [(&preview.text_button, false), (&preview.hex_button, true)] {
            let target = Rc::clone(&preview);
            on(control, "click", move |_| target.set_hex(hex));
        }
        Ok(preview)
    }

    /// The pane's element.
    pub fn element(&self) -> &Element {
        &self.root
    }

    /// The path shown, if any.
    pub fn path(&self) -> Option<String> {
        self.shown.borrow().as_ref().map(|s| s.path.clone())
    }

    /// Shows the start of `path` (`bytes`, of a file of `size` bytes): as text when it reads
    /// as text, else as hex. Showing the same file again keeps the chosen view.
    pub fn show(&self, path: &str, bytes: Vec<u8>, size: u64) {
        let cut = (bytes.len() as u64) < size;
        let same = self.shown.borrow().as_ref().filter(|s| s.path == path).map(|s| s.hex);
        let hex = same.unwrap_or_else(|| as_text(&bytes, cut).is_none());
        *self.shown.borrow_mut() = Some(Shown { path: path.to_string(), bytes, size, hex });
        self.render();
    }

    /// Shows nothing.
    pub fn clear(&self) {
        *self.shown.borrow_mut() = None;
        let _ = self.root.set_attribute("hidden", "");
        self.content.set_text_content(None);
    }

    fn set_hex(&self, hex: bool) {
        if let Some(shown) = self.shown.borrow_mut().as_mut() {
            shown.hex = hex;
        }
        self.render();
    }

    fn render(&self) {
        let shown = self.shown.borrow();
        let Some(shown) = shown.as_ref() else { return };
        let _ = self.root.remove_attribute("hidden");
        self.heading.set_text_content(Some(&shown.path));
        let cut = (shown.bytes.len() as u64) < shown.size;
        let text = as_text(&shown.bytes, cut);
        let kind = if text.is_some() { "text" } else { "binary" };
        self.meta.set_text_content(Some(&format!(
            "{} ({}), {kind}",
            human_size(shown.size),
            count(shown.size, "byte", "bytes")
        )));
        let mut notes = Vec::new();
        if cut {
            notes.push(format!(
                "Showing the first {} of {}; download the file for all of it.",
                human_size(shown.bytes.len() as u64),
                human_size(shown.size)
            ));
        }
        // The text to show; the hex view is laid out below, to the width there is.
        let body = match (shown.hex, text) {
            (true, _) => None,
            (false, Some(text)) => Some(text),
            (false, None) => {
                notes.push("These bytes are not UTF-8 text: each undecodable byte shows as �.".to_string());
                Some(String::from_utf8_lossy(&shown.bytes).into_owned())
            }
        };
        if shown.size == 0 {
            notes.push("The file is empty.".to_string());
        }
        self.note.set_text_content(Some(&notes.join(" ")));
        let _ = if notes.is_empty() {
            self.note.set_attribute("hidden", "")
        } else {
            self.note.remove_attribute("hidden")
        };
        let _ = self.content.set_attribute("data-view", if shown.hex { "hex" } else { "text" });
        match body {
            Some(text) => self.content.set_text_content(Some(&text)),
            None => self.fit_hex(&shown.bytes),
        }
        let label = format!("Contents of {} as {}", shown.path, if shown.hex { "hex" } else { "text" });
        let _ = self.content.set_attribute("aria-label", &label);
        let _ = self.text_button.set_attribute("aria-pressed", if shown.hex { "false" } else { "true" });
        let _ = self.hex_button.set_attribute("aria-pressed", if shown.hex { "true" } else { "false" });
    }

    /// Shows `bytes` as hex with 16 bytes a line, or 8 or 4 where the lines would be wider
    /// than the view (the side panel beside the page is narrower than `hexdump -C`'s 78
    /// characters at a readable size).
    fn fit_hex(&self, bytes: &[u8]) {
        let mut per_line = 16;
        loop {
            self.content.set_text_content(Some(&hex_dump(bytes, per_line)));
            if per_line == 4 || self.content.scroll_width() <= self.content.client_width() {
                break;
            }
            per_line /= 2;
        }
    }
}

//! A script cell's code editor: a `<textarea>` (what the person types into, and what a
//! screen reader reads) over a coloured copy of its text (a `<pre>` of one block per line,
//! holding token spans, hidden from screen readers). Both share one grid cell, so the copy
//! sizes the textarea and the editor grows with its code. Line numbers are a CSS counter
//! on the copy's lines; an error's line gets a class there and is said in a note.
//!
//! Keys: Tab and Shift+Tab indent and outdent, Enter keeps the indentation (the edits are
//! `notebook::code_edit`'s, typed in so that undo takes them back); Escape then Tab leaves
//! the editor, as its description says.

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlDocument, HtmlTextAreaElement, KeyboardEvent};

use super::dom::{append_text, el};
use crate::notebook::code_edit::{self, Edit};
use crate::notebook::js_tokens;

/// What the editor's description says, shown while it has the focus.
const HELP: &str = "Tab indents, Shift+Tab outdents; Escape then Tab leaves the editor. \
                    Shift+Enter runs the cell and moves on, Ctrl+Enter runs it.";

/// One script cell's editor.
pub struct ScriptEditor {
    root: Element,
    input: HtmlTextAreaElement,
    colours: Element,
    /// Says which line the last error was raised at (empty when none).
    error_note: Element,
    error_line: Cell<Option<u32>>,
    /// Escape was the last key: the next Tab leaves the editor.
    escaped: Cell<bool>,
}

impl ScriptEditor {
    /// An editor for script cell `id` holding `code` (not yet attached).
    pub fn new(doc: &Document, id: &str, code: &str) -> Result<ScriptEditor, JsValue> {
        let root = el(doc, "div", "editor")?;
        let code_box = el(doc, "div", "editor-code")?;
        let colours = el(doc, "pre", "editor-colours")?;
        colours.set_attribute("aria-hidden", "true")?;
        let input: HtmlTextAreaElement = el(doc, "textarea", "editor-input")?.unchecked_into();
        let help_id = format!("{id}-help");
        for (name, value) in [
            ("aria-label", format!("Code of script cell {id} (JavaScript)").as_str()),
            ("aria-describedby", &help_id),
            ("spellcheck", "false"),
            ("autocapitalize", "off"),
            ("autocomplete", "off"),
            ("wrap", "off"),
            ("rows", "1"),
        ] {
            input.set_attribute(name, value)?;
        }
        input.set_value(code);
        code_box.append_child(&colours)?;
        code_box.append_child(&input)?;
        root.append_child(&code_box)?;
        let help = el(doc, "p", "editor-help")?;
        help.set_id(&help_id);
        let error_note = append_text(doc, &help, "span", "editor-error", "")?;
        help.insert_adjacent_text("beforeend", HELP)?;
        root.append_child(&help)?;
        let editor = ScriptEditor {
            root,
            input,
            colours,
            error_note,
            error_line: Cell::new(None),
            escaped: Cell::new(false),
        };
        editor.render(doc)?;
        Ok(editor)
    }

    /// The editor's element.
    pub fn element(&self) -> &Element {
        &self.root
    }

    /// The code as typed.
    pub fn code(&self) -> String {
        self.input.value()
    }

    /// Puts the keyboard in the editor.
    pub fn focus(&self) {
        let _ = self.input.focus();
    }

    /// Draws the coloured copy of the code again (after every change).
    pub fn render(&self, doc: &Document) -> Result<(), JsValue> {
        let code = self.input.value();
        self.colours.set_text_content(None);
        let mut line = el(doc, "span", "")?;
        for (class, text) in js_tokens::pieces(&code) {
            for (k, part) in text.split('\n').enumerate() {
                if k > 0 {
                    // Each line a block ending in its newline: an empty one keeps its height.
                    line.insert_adjacent_text("beforeend", "\n")?;
                    self.colours.append_child(&line)?;
                    line = el(doc, "span", "")?;
                }
                match class.css_class() {
                    Some(css) if !part.is_empty() => {
                        append_text(doc, &line, "span", css, part)?;
                    }
                    _ => line.insert_adjacent_text("beforeend", part)?,
                }
            }
        }
        line.insert_adjacent_text("beforeend", "\n")?;
        self.colours.append_child(&line)?;
        self.mark_error(self.error_line.get());
        Ok(())
    }

    /// Marks the line (from 1) an error was raised at, or none.
    pub fn mark_error(&self, line: Option<u32>) {
        self.error_line.set(line);
        if let Ok(Some(marked)) = self.colours.query_selector(".error-line") {
            marked.set_class_name("");
        }
        let text = line.map(|n| format!("Error at line {n}. ")).unwrap_or_default();
        self.error_note.set_text_content(Some(&text));
        let _ = match line {
            Some(_) => self.input.set_attribute("aria-invalid", "true"),
            None => self.input.remove_attribute("aria-invalid"),
        };
        let nth = line.map(|n| format!(":scope > :nth-child({n})"));
        if let Some(Ok(Some(span))) = nth.map(|nth| self.colours.query_selector(&nth)) {
            span.set_class_name("error-line");
        }
    }

    /// Handles a key pressed in the editor: Tab, Shift+Tab and Enter edit the code (and the
    /// browser does nothing more); the rest goes on as usual. Returns whether the code
    /// changed without an `input` event (where the browser could not type the edit in).
    pub fn key(&self, doc: &Document, key: &KeyboardEvent) -> Result<bool, JsValue> {
        let name = key.key();
        let escaped = self.escaped.replace(name == "Escape");
        if key.ctrl_key() || key.meta_key() || key.alt_key() {
            return Ok(false);
        }
        let text = self.input.value();
        let start = self.input.selection_start()?.unwrap_or(0);
        let end = self.input.selection_end()?.unwrap_or(start);
        let edit = match name.as_str() {
            "Tab" if escaped => return Ok(false), // the browser moves the focus on
            "Tab" if key.shift_key() => code_edit::untab(&text, start, end),
            "Tab" => code_edit::tab(&text, start, end),
            "Enter" if !key.shift_key() => code_edit::newline(&text, start, end),
            _ => return Ok(false),
        };
        key.prevent_default(); // a Tab with nothing to outdent still stays in the editor
        match edit {
            Some(edit) => self.apply(doc, &edit),
            None => Ok(false),
        }
    }

    /// Types `edit` in as if by the person, so that undo takes it back in one step; where
    /// the browser cannot, sets the text directly (returns `true`: no `input` event came).
    fn apply(&self, doc: &Document, edit: &Edit) -> Result<bool, JsValue> {
        self.input.set_selection_range(edit.from, edit.to)?;
        let typed = doc
            .dyn_ref::<HtmlDocument>()
            .map(|d| d.exec_command_with_show_ui_and_value("insertText", false, &edit.text));
        let silent = !matches!(typed, Some(Ok(true)));
        if silent {
            self.input.set_range_text(&edit.text)?;
        }
        self.input.set_selection_range(edit.select.0, edit.select.1)?;
        Ok(silent)
    }
}

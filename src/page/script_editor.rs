//! A script cell's code editor: a `<textarea>` (what the person types into, and what a
//! screen reader reads) over a coloured copy of its text (a `<pre>` of one block per line,
//! holding token spans, hidden from screen readers). Both share one grid cell, so the copy
//! sizes the textarea and the editor grows with its code. Line numbers are a CSS counter
//! on the copy's lines; an error's line gets a class there and is said in a note.
//!
//! Keys: Tab and Shift+Tab indent and outdent, Enter keeps the indentation (the edits are
//! `notebook::code_edit`'s, typed in so that undo takes them back); Escape then Tab leaves
//! the editor, as its description says.
//!
//! The editor keeps no state outside its elements (the error's line is an attribute of the
//! copy): these functions take its textarea and find the rest beside it.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlDocument, HtmlTextAreaElement, KeyboardEvent};

use super::dom::{append_text, el};
use crate::notebook::code_edit::{self, Edit};
use crate::notebook::js_tokens;

/// What the editor's description says, shown while it has the focus.
const HELP: &str = "Tab indents, Shift+Tab outdents; Escape then Tab leaves the editor. \
                    Shift+Enter runs the cell and moves on, Ctrl+Enter runs it.";

/// Builds the editor of script cell `id` holding `code` (not yet attached): its element and
/// its textarea.
pub fn build(doc: &Document, id: &str, code: &str) -> Result<(Element, HtmlTextAreaElement), JsValue> {
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
    append_text(doc, &help, "span", "editor-error", "")?;
    help.insert_adjacent_text("beforeend", HELP)?;
    root.append_child(&help)?;
    render(doc, &input)?;
    Ok((root, input))
}

/// The coloured copy beside an editor's textarea.
fn colours(input: &HtmlTextAreaElement) -> Result<Element, JsValue> {
    input.previous_element_sibling().ok_or_else(|| "an editor without its colours".into())
}

/// Draws the coloured copy of the code again (after every change).
pub fn render(doc: &Document, input: &HtmlTextAreaElement) -> Result<(), JsValue> {
    let colours = colours(input)?;
    colours.set_text_content(None);
    let mut line = el(doc, "span", "")?;
    for (class, text) in js_tokens::pieces(&input.value()) {
        for (k, part) in text.split('\n').enumerate() {
            if k > 0 {
                // Each line a block ending in its newline: an empty one keeps its height.
                line.insert_adjacent_text("beforeend", "\n")?;
                colours.append_child(&line)?;
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
    colours.append_child(&line)?;
    let marked = colours.get_attribute("data-error-line").and_then(|n| n.parse().ok());
    mark_error(input, marked)
}

/// Marks the line (from 1) an error was raised at, or none: in the copy, in the note under
/// the editor, and as `aria-invalid` of the textarea.
pub fn mark_error(input: &HtmlTextAreaElement, line: Option<u32>) -> Result<(), JsValue> {
    let colours = colours(input)?;
    if let Some(marked) = colours.query_selector(".error-line")? {
        marked.set_class_name("");
    }
    let note =
        input.parent_element().and_then(|b| b.next_element_sibling()).and_then(|h| h.first_element_child());
    let Some(n) = line else {
        colours.remove_attribute("data-error-line")?;
        input.remove_attribute("aria-invalid")?;
        if let Some(note) = note {
            note.set_text_content(None);
        }
        return Ok(());
    };
    colours.set_attribute("data-error-line", &n.to_string())?;
    input.set_attribute("aria-invalid", "true")?;
    if let Some(note) = note {
        note.set_text_content(Some(&format!("Error at line {n}. ")));
    }
    if let Some(span) = colours.query_selector(&format!(":scope > :nth-child({n})"))? {
        span.set_class_name("error-line");
    }
    Ok(())
}

/// Handles a key pressed in an editor: Tab, Shift+Tab and Enter edit the code (and the
/// browser does nothing more); the rest goes on as usual. `escaped` says whether the key
/// before was Escape (then Tab leaves the editor). Returns whether the code changed without
/// an `input` event (where the browser could not type the edit in).
pub fn key(
    doc: &Document,
    input: &HtmlTextAreaElement,
    key: &KeyboardEvent,
    escaped: bool,
) -> Result<bool, JsValue> {
    if key.ctrl_key() || key.meta_key() || key.alt_key() {
        return Ok(false);
    }
    let text = input.value();
    let start = input.selection_start()?.unwrap_or(0);
    let end = input.selection_end()?.unwrap_or(start);
    let edit = match key.key().as_str() {
        "Tab" if escaped => return Ok(false), // the browser moves the focus on
        "Tab" if key.shift_key() => code_edit::untab(&text, start, end),
        "Tab" => code_edit::tab(&text, start, end),
        "Enter" if !key.shift_key() => code_edit::newline(&text, start, end),
        _ => return Ok(false),
    };
    key.prevent_default(); // a Tab with nothing to outdent still stays in the editor
    match edit {
        Some(edit) => apply(doc, input, &edit),
        None => Ok(false),
    }
}

/// Types `edit` in as if by the person, so that undo takes it back in one step; where the
/// browser cannot, sets the text directly (returns `true`: no `input` event came).
fn apply(doc: &Document, input: &HtmlTextAreaElement, edit: &Edit) -> Result<bool, JsValue> {
    input.set_selection_range(edit.from, edit.to)?;
    let typed = doc
        .dyn_ref::<HtmlDocument>()
        .map(|d| d.exec_command_with_show_ui_and_value("insertText", false, &edit.text));
    let silent = !matches!(typed, Some(Ok(true)));
    if silent {
        input.set_range_text(&edit.text)?;
    }
    input.set_selection_range(edit.select.0, edit.select.1)?;
    Ok(silent)
}

//! Open .ipynb: reads a notebook file the person picks (`notebook::ipynb::read`) and brings
//! back its script cells, in place of the page's (after asking, if any of those holds
//! code), and the inputs its Rust cells carry. What was opened, or why the file could not
//! be, is said in a status line under the toolbar.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, File, HtmlButtonElement, HtmlInputElement};

use super::dom::on;
use super::saved_inputs::SavedInputs;
use super::script_cells::{confirm, ScriptCells};
use crate::notebook::ipynb;
use crate::words::count;

/// Files larger than this are not read: a notebook of this page is far smaller.
const MAX_BYTES: f64 = 20e6;

/// Opens the file picked in `input` (which `button` opens) and says how it went in `notice`.
pub fn wire(
    button: &HtmlButtonElement,
    input: &HtmlInputElement,
    notice: Element,
    scripts: Rc<ScriptCells>,
    saved: Rc<RefCell<SavedInputs>>,
) {
    let picker = input.clone();
    on(button, "click", move |_| picker.click());
    let field = input.clone();
    on(input, "change", move |_| {
        let Some(file) = field.files().and_then(|files| files.get(0)) else { return };
        field.set_value(""); // so that the same file can be picked again
        let (notice, scripts, saved) = (notice.clone(), Rc::clone(&scripts), Rc::clone(&saved));
        wasm_bindgen_futures::spawn_local(async move {
            let said = open(&file, &scripts, &saved).await;
            notice.set_text_content(Some(&said));
            let _ = notice.remove_attribute("hidden");
        });
    });
}

/// Opens `file`; returns what to say about it.
async fn open(file: &File, scripts: &ScriptCells, saved: &RefCell<SavedInputs>) -> String {
    let name = file.name();
    if file.size() > MAX_BYTES {
        return format!("Could not open {name}: it is larger than 20 MB, too large for a notebook.");
    }
    let text = match JsFuture::from(file.text()).await {
        Ok(text) => text.as_string().unwrap_or_default(),
        Err(e) => return format!("Could not open {name}: {}.", crate::browser::js_error_text(&e)),
    };
    let opened = match ipynb::read(&text) {
        Ok(opened) => opened,
        Err(reason) => return format!("Could not open {name}: {reason}."),
    };
    let cells = count(opened.scripts.len(), "script cell", "script cells");
    if scripts.any_code()
        && !confirm(&format!("Replace the script cells on the page by the {cells} of {name}?"))
    {
        return format!("{name} was not opened: the script cells on the page are kept.");
    }
    if let Err(reason) = scripts.replace_all(&opened.scripts) {
        return format!("Could not open {name}: {reason}.");
    }
    let courses = scripts.restore_courses(&opened.courses);
    let saved = saved.borrow();
    let mut restored = 0;
    for (cell, pairs) in &opened.inputs {
        let mut any = false;
        for (name, value) in pairs {
            any |= saved.restore(cell, name, value);
        }
        restored += usize::from(any);
    }
    let edited = match courses {
        0 => String::new(),
        n => format!(", {}", count(n, "edited course script cell", "edited course script cells")),
    };
    format!("Opened {name}: {cells}{edited}, and the inputs of {}.", count(restored, "cell", "cells"))
}

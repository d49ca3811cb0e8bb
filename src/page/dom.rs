//! Small helpers over `web-sys` for building the page. Text always goes in as text
//! (`textContent`), never as HTML.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, EventTarget, HtmlButtonElement};

/// The page's document. The page code runs only where a window exists (checked in `lib.rs`).
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Logs a failed DOM call to the console instead of stopping the page.
pub fn log_error(context: &str, error: JsValue) {
    web_sys::console::error_2(&format!("page: {context}").into(), &error);
}

/// A new element with a class.
pub fn el(doc: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let element = doc.create_element(tag)?;
    if !class.is_empty() {
        element.set_class_name(class);
    }
    Ok(element)
}

/// A new element with a class and text content.
pub fn text_el(doc: &Document, tag: &str, class: &str, text: &str) -> Result<Element, JsValue> {
    let element = el(doc, tag, class)?;
    element.set_text_content(Some(text));
    Ok(element)
}

/// A button with a visible label and a label for screen readers.
pub fn button(
    doc: &Document,
    class: &str,
    label: &str,
    aria_label: &str,
) -> Result<HtmlButtonElement, JsValue> {
    let button: HtmlButtonElement = text_el(doc, "button", class, label)?.unchecked_into();
    button.set_type("button");
    button.set_attribute("aria-label", aria_label)?;
    Ok(button)
}

/// Calls `handler` on each `event` at `target` for the life of the page, and never frees
/// it: only for what the page never removes (its frame, toolbar, panels, cells and their
/// forms, the file tree's list). Anything removed earlier takes a [`Listener`].
#[inline(always)] // one call to `listen` where it is used, not a copy of this per handler
pub fn on(target: &EventTarget, event: &str, handler: impl FnMut(Event) + 'static) {
    listen(target, event, Box::new(handler)).forget();
}

/// An event listener removed, and its closure freed, when dropped: the owner of an element
/// that goes away (a prompt's field, a breakpoint box's buttons) keeps it beside the
/// element, so neither the closure nor what it captures outlives the element.
pub struct Listener {
    target: EventTarget,
    event: &'static str,
    closure: Closure<dyn FnMut(Event)>,
}

impl Listener {
    /// Calls `handler` on each `event` at `target` until the listener is dropped.
    pub fn new(target: &EventTarget, event: &'static str, handler: impl FnMut(Event) + 'static) -> Listener {
        let closure = listen(target, event, Box::new(handler));
        Listener { target: target.clone(), event, closure }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        // Dropped from inside its own call (an answer removes its prompt), the closure is
        // freed by wasm-bindgen's glue once that call returns.
        let callback = self.closure.as_ref().unchecked_ref();
        if let Err(e) = self.target.remove_event_listener_with_callback(self.event, callback) {
            log_error("cannot remove a listener", e);
        }
    }
}

/// Adds `handler` as a listener; not generic, so its code is in the module once.
fn listen(target: &EventTarget, event: &str, handler: Box<dyn FnMut(Event)>) -> Closure<dyn FnMut(Event)> {
    let closure = Closure::wrap(handler);
    if let Err(e) = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref()) {
        log_error("cannot add a listener", e);
    }
    closure
}

/// Appends a new element with a class and text content to `parent`; returns it.
pub fn append_text(
    doc: &Document,
    parent: &Element,
    tag: &str,
    class: &str,
    text: &str,
) -> Result<Element, JsValue> {
    let element = text_el(doc, tag, class, text)?;
    parent.append_child(&element)?;
    Ok(element)
}

/// Records a `performance` mark (for start-up figures); ignored where there is none.
pub fn mark_time(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

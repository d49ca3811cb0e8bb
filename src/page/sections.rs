//! Foldable sections: a toggle beside each section's heading hides or shows its cells
//! (`aria-expanded` says which), folded sections are remembered in `localStorage`, and
//! reaching into a folded section (a contents link, a deep link such as `#A13`) unfolds it.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use super::dom::{append_text, button, el, on};
use super::local_store;
use crate::notebook::Section;

/// The parts of one section on the page; its cells go into `body`.
pub struct SectionParts {
    /// The `<section>` element.
    pub root: Element,
    /// Where the section's cells go.
    pub body: Element,
}

fn key(section_id: &str) -> String {
    format!("folded:{section_id}")
}

/// Builds a section's frame: its heading with a fold toggle, and an empty body. The
/// toggle starts as the person last left it.
pub fn build(doc: &Document, section: &Section) -> Result<SectionParts, JsValue> {
    let root = el(doc, "section", "nb-section")?;
    root.set_id(&format!("section-{}", section.id));
    let head = el(doc, "div", "section-head")?;
    let body_id = format!("section-{}-body", section.id);
    let toggle = button(doc, "fold", "▾", &format!("Show or hide section {}", section.title))?;
    toggle.set_attribute("aria-controls", &body_id)?;
    toggle.set_attribute("aria-expanded", "true")?;
    head.append_child(&toggle)?;
    append_text(doc, &head, "h2", "", section.title)?;
    append_text(doc, &head, "span", "fold-note", &format!("{} cells hidden", section.cells.len()))?;
    root.append_child(&head)?;
    let body = el(doc, "div", "section-body")?;
    body.set_id(&body_id);
    root.append_child(&body)?;

    let section_id = section.id;
    let section_root = root.clone();
    on(&toggle, "click", move |_| {
        let fold = !is_folded(&section_root);
        set_folded(&section_root, fold);
        if fold {
            local_store::set(&key(section_id), "1");
        } else {
            local_store::remove(&key(section_id));
        }
    });
    if local_store::get(&key(section.id)).is_some() {
        set_folded(&root, true);
    }
    Ok(SectionParts { root, body })
}

fn is_folded(section: &Element) -> bool {
    section.class_list().contains("folded")
}

fn set_folded(section: &Element, folded: bool) {
    let _ = section.class_list().toggle_with_force("folded", folded);
    if let Ok(Some(toggle)) = section.query_selector(":scope > .section-head > button.fold") {
        let _ = toggle.set_attribute("aria-expanded", if folded { "false" } else { "true" });
        toggle.set_text_content(Some(if folded { "▸" } else { "▾" }));
    }
    if let Ok(Some(body)) = section.query_selector(":scope > .section-body") {
        if let Some(body) = body.dyn_ref::<web_sys::HtmlElement>() {
            body.set_hidden(folded);
        }
    }
}

/// Unfolds the section holding the element with this id (and remembers it unfolded);
/// returns the element, if there is one.
pub fn reveal(doc: &Document, id: &str) -> Option<Element> {
    let target = (!id.is_empty()).then(|| doc.get_element_by_id(id)).flatten()?;
    if let Ok(Some(section)) = target.closest("section.nb-section") {
        if is_folded(&section) {
            set_folded(&section, false);
            if let Some(section_id) = section.id().strip_prefix("section-") {
                local_store::remove(&key(section_id));
            }
        }
    }
    Some(target)
}

/// Goes to the location's `#id`: unfolds its section and scrolls it into view. The page
/// calls this once built (the browser looked for the target before it existed) and on
/// every change of the hash.
pub fn follow_hash(doc: &Document) {
    let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()) else { return };
    if let Some(target) = reveal(doc, hash.trim_start_matches('#')) {
        target.scroll_into_view();
    }
}

/// Follows the hash now and whenever it changes; a click on a contents link unfolds its
/// section before the browser scrolls there (even when the hash does not change).
pub fn follow_links(doc: &Document, contents: &Element) {
    follow_hash(doc);
    if let Some(window) = web_sys::window() {
        let document = doc.clone();
        on(&window, "hashchange", move |_| follow_hash(&document));
    }
    let document = doc.clone();
    on(contents, "click", move |event| {
        let link = event
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("a").ok().flatten());
        if let Some(href) = link.and_then(|a| a.get_attribute("href")) {
            reveal(&document, href.trim_start_matches('#'));
        }
    });
}

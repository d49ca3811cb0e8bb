//! The log viewer: the side panel's Logs view, with every log record of the session,
//! live, filtered by lowest level, logger name and text, and a Clear button. Records
//! arrive as `log_record` messages from the kernel; text is always shown as text. Only the
//! list of records scrolls (see `.log-list` in www/style.css): the filters stay in view
//! above it, however many records there are.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlInputElement, HtmlSelectElement};

use super::dom::{append_text, button, el, on, text_el};
use crate::notebook::logview::{LogBook, LogFilter};
use crate::notebook::protocol::LogEntry;
use crate::words::count;

/// How many records the page keeps.
const KEPT: usize = 5_000;

/// The panel and the records it holds.
pub struct LogViewer {
    doc: Document,
    panel: Element,
    list: Element,
    count: Element,
    book: LogBook,
    filter: LogFilter,
    /// Whether a scroll to the newest row is already asked for the next frame.
    scroll_pending: Rc<Cell<bool>>,
}

fn clock_time(ms: f64) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds(),
        date.get_milliseconds()
    )
}

impl LogViewer {
    /// Builds the panel (hidden until shown) and wires its controls.
    pub fn new(doc: &Document) -> Result<Rc<RefCell<LogViewer>>, JsValue> {
        let panel = el(doc, "div", "log-viewer")?;
        panel.set_id("log-viewer");
        panel.set_attribute("aria-label", "Log viewer")?;
        panel.set_attribute("hidden", "")?;
        append_text(doc, &panel, "h2", "", "Logs")?;

        let controls = el(doc, "div", "log-controls")?;
        let level: HtmlSelectElement = el(doc, "select", "")?.unchecked_into();
        level.set_attribute("aria-label", "Lowest level shown")?;
        for (value, label) in [
            ("0", "all levels"),
            ("10", "DEBUG+"),
            ("20", "INFO+"),
            ("30", "WARNING+"),
            ("40", "ERROR+"),
            ("50", "CRITICAL"),
        ] {
            let option = text_el(doc, "option", "", label)?;
            option.set_attribute("value", value)?;
            level.append_child(&option)?;
        }
        let logger: HtmlInputElement = el(doc, "input", "")?.unchecked_into();
        logger.set_placeholder("logger name");
        logger.set_attribute("aria-label", "Only this logger and its children")?;
        let text: HtmlInputElement = el(doc, "input", "")?.unchecked_into();
        text.set_placeholder("search");
        text.set_type("search");
        text.set_attribute("aria-label", "Search the messages")?;
        let clear = button(doc, "clear-logs", "Clear", "Clear the log viewer")?;
        controls.append_child(&level)?;
        controls.append_child(&logger)?;
        controls.append_child(&text)?;
        controls.append_child(&clear)?;
        panel.append_child(&controls)?;
        let count = append_text(doc, &panel, "p", "log-count", "No records yet.")?;
        let list = el(doc, "div", "log-list")?;
        list.set_attribute("role", "log")?;
        panel.append_child(&list)?;

        let viewer = Rc::new(RefCell::new(LogViewer {
            doc: doc.clone(),
            panel,
            list,
            count,
            book: LogBook::new(KEPT),
            filter: LogFilter::default(),
            scroll_pending: Rc::new(Cell::new(false)),
        }));
        let refilter = {
            let (viewer, level, logger, text) =
                (Rc::clone(&viewer), level.clone(), logger.clone(), text.clone());
            move |_| {
                let mut v = viewer.borrow_mut();
                v.filter = LogFilter {
                    min_level: level.value().parse().unwrap_or(0),
                    logger: logger.value(),
                    text: text.value(),
                };
                v.render_all();
            }
        };
        on(&level, "change", refilter.clone());
        on(&logger, "input", refilter.clone());
        on(&text, "input", refilter);
        let cleared = Rc::clone(&viewer);
        on(&clear, "click", move |_| {
            let mut v = cleared.borrow_mut();
            v.book.clear();
            v.render_all();
        });
        Ok(viewer)
    }

    /// The panel element.
    pub fn panel(&self) -> &Element {
        &self.panel
    }

    /// Shows or hides the panel; returns whether it is now shown.
    pub fn toggle(&self) -> bool {
        let shown = self.panel.has_attribute("hidden");
        self.set_shown(shown);
        shown
    }

    /// Shows or hides the panel (the side panel does, as its Logs tab comes and goes).
    pub fn set_shown(&self, shown: bool) {
        if shown {
            let _ = self.panel.remove_attribute("hidden");
            self.scroll_to_newest_soon();
        } else {
            let _ = self.panel.set_attribute("hidden", "");
        }
    }

    fn row(&self, entry: &LogEntry) -> Result<Element, JsValue> {
        let row = el(&self.doc, "div", &format!("log-row level-{}", entry.level / 10 * 10))?;
        append_text(&self.doc, &row, "span", "log-time", &clock_time(entry.created_ms))?;
        append_text(&self.doc, &row, "span", "log-level", &entry.level_name)?;
        let origin = if entry.process_name == "MainProcess" {
            entry.logger.clone()
        } else {
            format!("{} ({})", entry.logger, entry.process_name)
        };
        append_text(&self.doc, &row, "span", "log-logger", &origin)?;
        append_text(&self.doc, &row, "span", "log-message", &entry.message)?;
        Ok(row)
    }

    fn update_count(&self) {
        let shown = self.list.child_element_count();
        let text = match (self.book.len(), self.book.dropped()) {
            (0, _) => "No records yet.".to_string(),
            (kept, 0) => format!("{shown} of {}", count(kept, "record", "records")),
            (kept, dropped) => format!(
                "{shown} of {} ({} dropped)",
                count(kept, "record", "records"),
                count(dropped, "older one", "older ones")
            ),
        };
        self.count.set_text_content(Some(&text));
    }

    fn render_all(&self) {
        self.list.set_text_content(None);
        for entry in self.book.visible(&self.filter) {
            match self.row(entry) {
                Ok(row) => {
                    let _ = self.list.append_child(&row);
                }
                Err(e) => super::dom::log_error("cannot show a log record", e),
            }
        }
        self.update_count();
    }

    /// Adds a record as it arrives.
    pub fn add(&mut self, entry: LogEntry) {
        let shows = self.filter.matches(&entry);
        // A full book drops its oldest record for the new one; its row (the first, if it
        // passes the filter) goes too. Drawing every row again instead, once per record,
        // froze the page for minutes on a burst such as cell B6's 10,000 records.
        let oldest_shown = self.book.len() >= KEPT
            && self
                .book
                .visible(&LogFilter::default())
                .next()
                .is_some_and(|oldest| self.filter.matches(oldest));
        if self.book.push(entry.clone()) && oldest_shown {
            if let Some(row) = self.list.first_element_child() {
                row.remove();
            }
        }
        if shows {
            match self.row(&entry) {
                Ok(row) => {
                    let _ = self.list.append_child(&row);
                    self.scroll_to_newest_soon();
                }
                Err(e) => super::dom::log_error("cannot show a log record", e),
            }
        }
        self.update_count();
    }

    /// Scrolls the list to its newest row at the next frame, once however many records came
    /// in meanwhile (scrolling at each record forces a layout each time), and only while
    /// the panel is shown. Only the list moves: the filters above it stay where they are.
    fn scroll_to_newest_soon(&self) {
        if self.panel.has_attribute("hidden") || self.scroll_pending.replace(true) {
            return;
        }
        let (list, pending) = (self.list.clone(), Rc::clone(&self.scroll_pending));
        let scroll = Closure::once_into_js(move || {
            pending.set(false);
            list.set_scroll_top(list.scroll_height());
        });
        match web_sys::window().map(|w| w.request_animation_frame(scroll.unchecked_ref())) {
            Some(Ok(_)) => {}
            _ => self.scroll_pending.set(false),
        }
    }
}

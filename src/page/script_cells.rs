//! The page's script cells: drawn in their places among the catalogue's cells, added,
//! moved and deleted, their places (`notebook::js_cells`) and code kept in `localStorage`,
//! so that a reload or a kernel restart finds them as they were, and replaced by those of an
//! opened `.ipynb`. The course's script cells are drawn with the catalogue's; a person's
//! edit of one is kept the same way, until Reset puts the course's code back. Their
//! buttons and editors are heard by listeners on the notebook's `<main>`, where the events
//! bubble to: a deleted cell leaves no listener behind.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlElement, HtmlTextAreaElement, KeyboardEvent};

use super::cell_view::CellView;
use super::controller::Controller;
use super::dom::{button, el, log_error, on};
use super::local_store;
use super::script_editor;
use crate::notebook::js_cells::{JsCells, END};
use crate::notebook::{Catalog, CourseScript};

/// Where the places of the script cells are kept.
const PLACES_KEY: &str = "scripts";

/// Where a script cell's code is kept.
fn code_key(id: &str) -> String {
    format!("script:{id}")
}

/// The id of the element the cells at the end of the notebook follow.
const END_ID: &str = "notebook-end";

/// The script cells of the page.
pub struct ScriptCells {
    doc: Document,
    controller: Controller,
    places: RefCell<JsCells>,
    /// The course script cells: id and the course's code.
    courses: Vec<(&'static str, &'static str)>,
    /// The whole notebook is drawn: every place a cell can go is on the page.
    drawn: Cell<bool>,
    /// The last key pressed in an editor was Escape: a Tab now leaves it.
    escaped: Cell<bool>,
}

/// The element an event happened at.
fn target(event: &Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

impl ScriptCells {
    /// The script cells kept from the last visit, not drawn yet (they come with the
    /// catalogue cells they follow).
    pub fn new(doc: &Document, controller: &Controller, catalog: &Catalog) -> Rc<ScriptCells> {
        let mut places = JsCells::new(catalog.anchors());
        if let Some(text) = local_store::get(PLACES_KEY) {
            places.load(&text);
        }
        Rc::new(ScriptCells {
            doc: doc.clone(),
            controller: controller.clone(),
            places: RefCell::new(places),
            courses: catalog.course_scripts().map(|s| (s.id, s.code)).collect(),
            drawn: Cell::new(false),
            escaped: Cell::new(false),
        })
    }

    /// Draws the script cells that follow `anchor` (a catalogue cell just put on the page,
    /// or `END`) and returns their views, for the controller.
    pub fn draw_after(&self, anchor: &str) -> Vec<CellView> {
        let ids = self.places.borrow().ids(Some(anchor));
        let mut views = Vec::new();
        for id in ids {
            match self.draw(&id, &local_store::get(&code_key(&id)).unwrap_or_default()) {
                Ok(view) => views.push(view),
                Err(e) => log_error("cannot draw a script cell", e),
            }
        }
        views
    }

    /// Puts the end of the notebook on the page, with its "+ Script" button, and returns the
    /// views of the script cells there.
    pub fn draw_end(&self, main: &Element) -> Result<Vec<CellView>, JsValue> {
        let end = el(&self.doc, "div", "notebook-end")?;
        end.set_id(END_ID);
        main.append_child(&end)?;
        let add =
            button(&self.doc, "add-script", "+ Script", "Add a script cell at the end of the notebook")?;
        let bar = el(&self.doc, "div", "add-end")?;
        bar.append_child(&add)?;
        main.append_child(&bar)?;
        self.drawn.set(true);
        Ok(self.draw_after(END))
    }

    /// A course script cell's view, with the code a person left in it or the course's.
    pub fn course_view(&self, script: &CourseScript) -> Result<CellView, JsValue> {
        let code = local_store::get(&code_key(script.id));
        CellView::course_script(&self.doc, script, code.as_deref().unwrap_or(script.code))
    }

    /// The course's code of course script cell `id`.
    fn course_code(&self, id: &str) -> Option<&'static str> {
        self.courses.iter().find(|(course, _)| *course == id).map(|(_, code)| *code)
    }

    /// Puts `code` in course script cell `id`'s editor and keeps it (forgets it when it is
    /// the course's own).
    fn set_course_code(&self, id: &str, code: &str) {
        if let Some(editor) = self.editor(id) {
            editor.set_value(code);
            self.changed(id, &editor);
        }
    }

    /// The code an opened `.ipynb` file's course script cells hold, each put back in its
    /// cell (an id this notebook does not have is skipped); returns how many differ from
    /// the course's code.
    pub fn restore_courses(&self, courses: &[(String, String)]) -> usize {
        let mut edited = 0;
        for (id, code) in courses {
            let Some(course) = self.course_code(id) else { continue };
            self.set_course_code(id, code);
            edited += usize::from(course != code);
        }
        edited
    }

    /// Builds a script cell and puts it in its place.
    fn draw(&self, id: &str, code: &str) -> Result<CellView, JsValue> {
        let view = CellView::script(&self.doc, id, code)?;
        self.place(id, view.root())?;
        Ok(view)
    }

    /// Puts a script cell's element right after what it follows.
    fn place(&self, id: &str, root: &Element) -> Result<(), JsValue> {
        let places = self.places.borrow();
        let before = places.predecessor(id).map(|b| if b == END { END_ID } else { b });
        match before.and_then(|b| self.doc.get_element_by_id(b)) {
            Some(before) => before.after_with_node_1(root),
            None => Err(JsValue::from_str(&format!("the place of script cell {id} is not on the page"))),
        }
    }

    /// The textarea of script cell `id`'s editor.
    fn editor(&self, id: &str) -> Option<HtmlTextAreaElement> {
        self.doc.get_element_by_id(id)?.query_selector("textarea").ok()??.dyn_into().ok()
    }

    fn save_places(&self) {
        local_store::set(PLACES_KEY, &self.places.borrow().text());
    }

    /// Adds an empty script cell below `below` (a catalogue cell, a script cell, or `END`)
    /// and puts the keyboard in it.
    fn add_below(&self, below: &str) {
        let Some(id) = self.places.borrow_mut().add_below(below) else { return };
        self.save_places();
        match self.draw(&id, "") {
            Ok(view) => {
                if let Some(editor) = view.editor() {
                    let _ = editor.focus();
                }
                self.controller.add_views(vec![view]);
            }
            Err(e) => log_error("cannot add a script cell", e),
        }
    }

    /// Moves a script cell one step up or down the page.
    fn shift(&self, id: &str, up: bool) {
        if !self.places.borrow_mut().move_by(id, up) {
            return;
        }
        self.save_places();
        if let Some(root) = self.doc.get_element_by_id(id) {
            if let Err(e) = self.place(id, &root) {
                log_error("cannot move a script cell", e);
            }
        }
    }

    /// Deletes a script cell and its code, after asking if it holds any; not while it runs
    /// (its Delete button is off meanwhile).
    fn delete(&self, id: &str) {
        let code = self.editor(id).map(|e| e.value()).unwrap_or_default();
        let ask = format!("Delete script cell {id} and its code?");
        if !code.is_empty() && !confirm(&ask) {
            return;
        }
        let before = self.places.borrow().predecessor(id).map(str::to_string);
        if !self.controller.remove_view(id) {
            return;
        }
        self.places.borrow_mut().remove(id);
        self.save_places();
        local_store::remove(&code_key(id));
        // The keyboard goes to the cell above.
        if let Some(Ok(above)) =
            before.and_then(|b| self.doc.get_element_by_id(&b)).map(Element::dyn_into::<HtmlElement>)
        {
            let _ = above.focus();
        }
    }

    /// The text of script cell `id`'s editor changed: colours it again and keeps the code.
    fn changed(&self, id: &str, editor: &HtmlTextAreaElement) {
        if let Err(e) = script_editor::render(&self.doc, editor) {
            log_error("cannot colour a script cell", e);
        }
        let code = editor.value();
        match self.course_code(id) {
            Some(course) if course == code => local_store::remove(&code_key(id)),
            _ => local_store::set(&code_key(id), &code),
        }
    }

    /// Whether any script cell holds code.
    pub fn any_code(&self) -> bool {
        let ids = self.places.borrow().ids(None);
        ids.iter().any(|id| self.editor(id).is_some_and(|e| !e.value().is_empty()))
    }

    /// Replaces every script cell by `scripts` (id, the cell it follows, code: as an
    /// `.ipynb` file gives them); refused while the notebook is being drawn or while a
    /// script cell runs.
    pub fn replace_all(&self, scripts: &[(String, String, String)]) -> Result<(), String> {
        if !self.drawn.get() {
            return Err("the notebook is still being drawn; try again in a moment".into());
        }
        let old = self.places.borrow().ids(None);
        if old.iter().any(|id| self.controller.is_running(id)) {
            return Err("a script cell is running; stop it first".into());
        }
        for id in &old {
            self.controller.remove_view(id);
            local_store::remove(&code_key(id));
        }
        let ids = self.places.borrow_mut().replace(scripts);
        self.save_places();
        for (id, (_, _, code)) in ids.iter().zip(scripts) {
            local_store::set(&code_key(id), code);
        }
        // In page order, so that what each cell follows is on the page before it.
        let order = self.places.borrow().ids(None);
        let mut views = Vec::new();
        for id in order {
            let code = ids.iter().position(|i| *i == id).map_or("", |k| scripts[k].2.as_str());
            match self.draw(&id, code) {
                Ok(view) => views.push(view),
                Err(e) => log_error("cannot draw a script cell", e),
            }
        }
        self.controller.add_views(views);
        Ok(())
    }

    /// Run all: the catalogue's cells that Run all includes and every script cell, in page
    /// order.
    pub fn run_all(&self, catalog: &Catalog) {
        let places = self.places.borrow();
        let mut order = places.page_order();
        order.retain(|id| catalog.find(id).is_none_or(|c| c.in_run_all));
        self.controller.run_all(&order);
    }

    /// The notebook as an `.ipynb` file's text, script cells included.
    pub fn export(&self, catalog: &Catalog) -> String {
        self.controller.export_ipynb(catalog, &self.places.borrow())
    }

    /// Hears the script cells' buttons and editors, and every "+ Script" button, at `main`.
    pub fn listen(self: &Rc<Self>, main: &Element) {
        let cells = Rc::clone(self);
        on(main, "click", move |event| {
            let Some(button) = target(&event).and_then(|t| t.closest("button").ok().flatten()) else {
                return;
            };
            let cell = button.closest("article").ok().flatten();
            // A course script cell's Run and Clear are wired as a catalogue cell's are.
            let is_script = cell.as_ref().is_some_and(|c| {
                c.class_list().contains("script-cell") && !c.class_list().contains("course-script")
            });
            let id = cell.map(|c| c.id()).unwrap_or_else(|| END.to_string());
            match button.class_name().as_str() {
                "add-script" => cells.add_below(&id),
                "reset-script" => {
                    if let Some(code) = cells.course_code(&id) {
                        cells.set_course_code(&id, code);
                    }
                }
                _ if !is_script => {} // a catalogue cell's own buttons have their listeners
                "run" => cells.controller.run(&id),
                "clear-one" => cells.controller.clear_output(&id),
                class @ ("move-up" | "move-down") => {
                    cells.shift(&id, class == "move-up");
                    // Moving the cell took the focus from its button: it goes back.
                    if let Some(button) = button.dyn_ref::<HtmlElement>() {
                        let _ = button.focus();
                    }
                }
                "delete" => cells.delete(&id),
                _ => {}
            }
        });
        let cells = Rc::clone(self);
        on(main, "keydown", move |event| {
            let (Some(key), Some((id, editor))) = (event.dyn_ref::<KeyboardEvent>(), editor_of(&event))
            else {
                return;
            };
            let escaped = cells.escaped.replace(key.key() == "Escape");
            match script_editor::key(&cells.doc, &editor, key, escaped) {
                Ok(true) => cells.changed(&id, &editor),
                Ok(false) => {}
                Err(e) => log_error("cannot edit a script cell", e),
            }
        });
        let cells = Rc::clone(self);
        on(main, "input", move |event| {
            if let Some((id, editor)) = editor_of(&event) {
                cells.changed(&id, &editor);
            }
        });
    }
}

/// The script cell whose editor an event happened in: its id and its textarea.
fn editor_of(event: &Event) -> Option<(String, HtmlTextAreaElement)> {
    let input = target(event).filter(|t| t.class_list().contains("editor-input"))?;
    let id = input.closest("article.script-cell").ok()??.id();
    Some((id, input.dyn_into().ok()?))
}

/// Asks the person to confirm (`false` where the browser cannot ask).
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

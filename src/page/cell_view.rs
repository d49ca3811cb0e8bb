//! One code cell on the page: its prompt, state, form, source, Run button and outputs; or
//! a script cell's, with its editor in place of the form and source.

use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlButtonElement, HtmlInputElement, HtmlTextAreaElement, KeyboardEvent};

use super::dom::{append_text, button, el, text_el, Listener};
use super::script_editor;
use crate::memory::MemoryFigures;
use crate::notebook::protocol::{BreakpointAction, BreakpointRequest, StreamName, ToPage};
use crate::notebook::{Change, CodeCell, CourseScript, Output, Outputs};

/// Where a cell is in its life, shown beside its prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellState {
    /// Not run, or its run was dropped from the queue.
    Idle,
    /// Waiting for the cells before it.
    Queued,
    /// Running in the kernel.
    Running,
    /// Stopped at a breakpoint, waiting for Continue.
    Paused,
    /// Ran to the end.
    Done,
    /// Ended with an error.
    Failed,
    /// Stopped by Stop.
    Stopped,
}

impl CellState {
    fn label(self) -> &'static str {
        match self {
            CellState::Idle => "idle",
            CellState::Queued => "queued",
            CellState::Running => "running",
            CellState::Paused => "paused",
            CellState::Done => "done",
            CellState::Failed => "failed",
            CellState::Stopped => "stopped",
        }
    }
}

/// The DOM of one code cell and the outputs it shows.
pub struct CellView {
    /// The catalogue id, or the id the page gave a script cell.
    pub id: Rc<str>,
    root: Element,
    prompt: Element,
    state: Element,
    elapsed: Element,
    memory: Element,
    inputs: Vec<(&'static str, HtmlInputElement)>,
    /// The cell's Run button.
    pub run_button: HtmlButtonElement,
    /// The cell's button that clears its output.
    pub clear_button: HtmlButtonElement,
    count: std::cell::Cell<Option<u32>>,
    output_area: Element,
    outputs: Outputs,
    /// The element of each output drawn so far (the outputs after them wait for a frame).
    output_elements: Vec<Element>,
    /// How much of each drawn stream's text its element shows.
    drawn_text: Vec<usize>,
    /// Drawn outputs changed since (extended or replaced), each once.
    changed: Vec<usize>,
    prompt_box: Option<PromptBox>,
    /// A catalogue cell's source, to colour.
    source: Option<SourceToColour>,
    /// A script cell's editor (its textarea): its code goes with each run, and an error's
    /// line is marked there.
    editor: Option<HtmlTextAreaElement>,
    /// A script cell's Delete button, off while the cell runs.
    delete_button: Option<HtmlButtonElement>,
}

/// An input prompt or a breakpoint box, with the listeners of its controls: they go when
/// it goes, and with them the callbacks they hold.
struct PromptBox {
    element: Element,
    _listeners: Vec<Listener>,
}

/// A cell's `<code>` element with the text and colour marks it is to show.
#[derive(Clone)]
pub struct SourceToColour {
    /// The `<code>` element (holding the plain source until coloured).
    pub code: Element,
    /// The source text.
    pub text: &'static str,
    /// Its colour marks (see `notebook::highlight`).
    pub marks: &'static [u8],
}

impl CellView {
    /// Builds a catalogue cell's DOM (not yet attached).
    pub fn new(doc: &Document, cell: &CodeCell) -> Result<CellView, JsValue> {
        let label = format!("Cell {}: {}", cell.id, cell.title);
        let (mut view, head) =
            CellView::frame(doc, cell.id, &label, &format!("{} · {}", cell.id, cell.title))?;
        let add =
            button(doc, "add-script", "+ Script", &format!("Add a script cell below cell {}", cell.id))?;
        head.append_child(&add)?;
        let before: Option<&web_sys::Node> = Some(&view.output_area);
        if !cell.inputs.is_empty() {
            let form = el(doc, "div", "cell-inputs")?;
            for spec in cell.inputs {
                let label = text_el(doc, "label", "", spec.label)?;
                let field: HtmlInputElement = el(doc, "input", "")?.unchecked_into();
                field.set_type("text");
                field.set_name(spec.name);
                field.set_default_value(spec.default); // what Reset inputs puts back
                field.set_value(spec.default);
                field.set_attribute("spellcheck", "false")?;
                label.append_child(&field)?;
                form.append_child(&label)?;
                view.inputs.push((spec.name, field));
            }
            view.root.insert_before(&form, before)?;
        }

        let source = el(doc, "pre", "source")?;
        // Plain text now; `page::colouring` adds the colours once the page is up.
        let code = text_el(doc, "code", "language-rust", cell.source)?;
        source.append_child(&code)?;
        view.root.insert_before(&source, before)?;
        view.source = Some(SourceToColour { code, text: cell.source, marks: cell.highlight });
        Ok(view)
    }

    /// A course script cell: a script cell the notebook brings, with Reset (its course
    /// code back) and "+ Script" but no Move or Delete.
    pub fn course_script(doc: &Document, script: &CourseScript, code: &str) -> Result<CellView, JsValue> {
        let id = script.id;
        let buttons = [
            ("reset-script", "Reset", format!("Put back the course's code of {id}")),
            ("add-script", "+ Script", format!("Add a script cell below {id}")),
        ];
        let title = format!("{id} · {}", script.title);
        let view =
            CellView::with_editor(doc, id, &format!("Course script cell {id}"), &title, &buttons, code)?;
        view.root.class_list().add_1("course-script")?;
        Ok(view)
    }

    /// Builds a script cell's DOM with an editor holding `code` (not yet attached): besides
    /// Run and Clear, buttons to move it up or down, delete it and add a script cell below it.
    pub fn script(doc: &Document, id: &str, code: &str) -> Result<CellView, JsValue> {
        let buttons = [
            ("move-up", "↑", format!("Move script cell {id} up")),
            ("move-down", "↓", format!("Move script cell {id} down")),
            ("delete", "Delete", format!("Delete script cell {id}")),
            ("add-script", "+ Script", format!("Add a script cell below {id}")),
        ];
        let (label, title) = (format!("Script cell {id}"), format!("{id} · JavaScript"));
        CellView::with_editor(doc, id, &label, &title, &buttons, code)
    }

    /// A cell with an editor of JavaScript holding `code`, and `buttons` (class, text,
    /// label) in its head.
    fn with_editor(
        doc: &Document,
        id: &str,
        label: &str,
        title: &str,
        buttons: &[(&str, &str, String)],
        code: &str,
    ) -> Result<CellView, JsValue> {
        let (mut view, head) = CellView::frame(doc, id, label, title)?;
        view.root.class_list().add_1("script-cell")?;
        for (class, text, label) in buttons {
            let b = button(doc, class, text, label)?;
            b.set_title(label);
            head.append_child(&b)?;
            if *class == "delete" {
                view.delete_button = Some(b);
            }
        }
        let (editor, input) = script_editor::build(doc, id, code)?;
        view.root.insert_before(&editor, Some(&view.output_area))?;
        view.editor = Some(input);
        Ok(view)
    }

    /// A cell's frame: its head (prompt, title, state, figures, Run and Clear; returned
    /// too, for more buttons) and its output area, with nothing between them yet.
    fn frame(doc: &Document, id: &str, label: &str, title: &str) -> Result<(CellView, Element), JsValue> {
        let root = el(doc, "article", "cell code-cell")?;
        root.set_id(id);
        root.set_attribute("aria-label", label)?;
        root.set_attribute("tabindex", "0")?; // focusable, for Shift+Enter and Ctrl+Enter

        let head = el(doc, "div", "cell-head")?;
        let prompt = text_el(doc, "span", "prompt", "In [ ]:")?;
        let title = text_el(doc, "h3", "cell-title", title)?;
        let state = text_el(doc, "span", "cell-state state-idle", "idle")?;
        state.set_attribute("role", "status")?;
        let elapsed = text_el(doc, "span", "elapsed", "")?;
        let memory = text_el(doc, "span", "memory", "")?;
        let run_button = button(doc, "run", "▶ Run", &format!("Run cell {id}"))?;
        let clear_button = button(doc, "clear-one", "Clear", &format!("Clear output of cell {id}"))?;
        clear_button.set_title("Clear this cell's output");
        for part in [&prompt, &title, &state, &elapsed, &memory] {
            head.append_child(part)?;
        }
        head.append_child(&run_button)?;
        head.append_child(&clear_button)?;
        root.append_child(&head)?;

        let output_area = el(doc, "div", "outputs")?;
        output_area.set_attribute("aria-live", "polite")?;
        output_area.set_attribute("aria-label", &format!("Output of cell {id}"))?;
        root.append_child(&output_area)?;

        let view = CellView {
            id: id.into(),
            root,
            prompt,
            state,
            elapsed,
            memory,
            inputs: Vec::new(),
            run_button,
            clear_button,
            count: std::cell::Cell::new(None),
            output_area,
            outputs: Outputs::default(),
            output_elements: Vec::new(),
            drawn_text: Vec::new(),
            changed: Vec::new(),
            prompt_box: None,
            source: None,
            editor: None,
            delete_button: None,
        };
        view.set_state(CellState::Idle);
        Ok((view, head))
    }

    /// A script cell's code (`None` for a catalogue cell).
    pub fn code(&self) -> Option<String> {
        self.editor.as_ref().map(HtmlTextAreaElement::value)
    }

    /// A script cell's editor (its textarea).
    pub fn editor(&self) -> Option<&HtmlTextAreaElement> {
        self.editor.as_ref()
    }

    /// The source element, for colouring after the page is drawn (a catalogue cell's).
    pub fn source_to_colour(&self) -> Option<SourceToColour> {
        self.source.clone()
    }

    /// The cell's outer element.
    pub fn root(&self) -> &Element {
        &self.root
    }

    /// The current values of the input form.
    pub fn input_values(&self) -> BTreeMap<String, String> {
        let mut values = BTreeMap::new(); // filled by inserts: `collect` would sort first
        values.extend(self.inputs.iter().map(|(name, field)| (name.to_string(), field.value())));
        values
    }

    /// The input fields, for keyboard handling.
    pub fn input_fields(&self) -> impl Iterator<Item = &HtmlInputElement> {
        self.inputs.iter().map(|(_, field)| field)
    }

    /// The input fields with their names.
    pub fn named_inputs(&self) -> impl Iterator<Item = (&'static str, &HtmlInputElement)> {
        self.inputs.iter().map(|(name, field)| (*name, field))
    }

    /// The outputs shown.
    pub fn outputs(&self) -> &Outputs {
        &self.outputs
    }

    /// The `n` of the last `In [n]` shown, if the cell has run.
    pub fn execution_count(&self) -> Option<u32> {
        self.count.get()
    }

    /// Shows a new state.
    pub fn set_state(&self, state: CellState) {
        self.state.set_text_content(Some(state.label()));
        self.state.set_class_name(&format!("cell-state state-{}", state.label()));
        let _ = self.root.set_attribute("data-state", state.label());
        if let Some(delete) = &self.delete_button {
            delete.set_disabled(matches!(state, CellState::Running | CellState::Paused));
        }
        if state == CellState::Running {
            self.prompt.set_text_content(Some("In [*]:"));
        }
    }

    /// Shows `In [n]:`.
    pub fn set_count(&self, count: u32) {
        self.count.set(Some(count));
        self.prompt.set_text_content(Some(&format!("In [{count}]:")));
    }

    /// Shows how long the run took (or has taken so far).
    pub fn set_elapsed(&self, ms: f64) {
        let text = if ms < 1000.0 { format!("{ms:.0} ms") } else { format!("{:.1} s", ms / 1000.0) };
        self.elapsed.set_text_content(Some(&text));
    }

    /// Shows what the run allocated, beside its time.
    pub fn set_memory(&self, figures: &MemoryFigures) {
        self.memory.set_text_content(Some(&format!("· {}", figures.summary())));
        let _ = self.memory.set_attribute(
            "title",
            "Memory of this run: the most held at once above what was held when it started, \
             how many allocations it made, and what it still held at the end",
        );
    }

    /// Removes every output, and the prompt or breakpoint box with its listeners.
    pub fn clear_outputs(&mut self) {
        self.prompt_box = None;
        self.outputs.clear();
        self.output_elements.clear();
        self.drawn_text.clear();
        self.changed.clear();
        self.output_area.set_text_content(None);
        self.elapsed.set_text_content(None);
        self.memory.set_text_content(None);
        if let Some(editor) = &self.editor {
            let _ = script_editor::mark_error(editor, None);
        }
    }

    /// Shows the box of a breakpoint stop in the output area: where the cell paused, a
    /// table of its locals and the buttons Continue, Continue to the end and Stop, which
    /// call `on_choice` with the action (`None` for Stop). Continue gets the focus.
    pub fn show_breakpoint(
        &mut self,
        doc: &Document,
        stop: &BreakpointRequest,
        on_choice: impl Fn(Option<BreakpointAction>) + 'static,
    ) -> Result<(), JsValue> {
        self.remove_prompt();
        let panel = el(doc, "div", "breakpoint")?;
        panel.set_attribute("role", "group")?;
        panel.set_attribute("aria-label", &format!("Cell {} paused at breakpoint {}", self.id, stop.name))?;
        let heading = format!("Paused at {} (hit {})", stop.name, stop.hit);
        append_text(doc, &panel, "p", "breakpoint-title", &heading)?;
        if stop.locals.is_empty() {
            append_text(doc, &panel, "p", "breakpoint-empty", "No locals were listed at this breakpoint.")?;
        } else {
            let table = el(doc, "table", "locals")?;
            let head = el(doc, "tr", "")?;
            for header in ["name", "type", "value"] {
                append_text(doc, &head, "th", "", header)?;
            }
            table.append_child(&head)?;
            for local in &stop.locals {
                let row = el(doc, "tr", "")?;
                append_text(doc, &row, "td", "local-name", &local.name)?;
                append_text(doc, &row, "td", "local-type", &local.type_name)?;
                append_text(doc, &row, "td", "local-value", &local.value)?;
                table.append_child(&row)?;
            }
            let wrap = el(doc, "div", "table-wrap")?;
            wrap.append_child(&table)?;
            panel.append_child(&wrap)?;
        }
        let actions = el(doc, "div", "breakpoint-actions")?;
        let id = &self.id;
        let [go, to_end, stop_button] = [
            ("continue", "▶ Continue", format!("Continue cell {id} to its next breakpoint")),
            (
                "continue-to-end",
                "▶▶ Continue to the end",
                format!("Continue cell {id} to the end without stopping"),
            ),
            ("stop", "■ Stop", format!("Stop cell {id}")),
        ]
        .map(|(class, text, label)| button(doc, class, text, &label));
        let (go, to_end, stop_button) = (go?, to_end?, stop_button?);
        let on_choice: Rc<dyn Fn(Option<BreakpointAction>)> = Rc::new(on_choice);
        let mut listeners = Vec::new();
        for (b, choice) in [
            (&go, Some(BreakpointAction::Continue)),
            (&to_end, Some(BreakpointAction::ContinueToEnd)),
            (&stop_button, None),
        ] {
            actions.append_child(b)?;
            let on_choice = Rc::clone(&on_choice);
            listeners.push(Listener::new(b, "click", move |_| on_choice(choice)));
        }
        panel.append_child(&actions)?;
        self.output_area.append_child(&panel)?;
        self.prompt_box = Some(PromptBox { element: panel, _listeners: listeners });
        let _ = go.focus(); // the box works without it
        Ok(())
    }

    /// Shows an input prompt in the output area and focuses its field; Enter in the field
    /// calls `on_answer` with its value.
    pub fn show_prompt(
        &mut self,
        doc: &Document,
        prompt: &str,
        password: bool,
        on_answer: impl Fn(String) + 'static,
    ) -> Result<(), JsValue> {
        self.remove_prompt();
        let label = el(doc, "label", "stdin")?;
        let prompt_text = text_el(doc, "span", "stdin-prompt", prompt)?;
        label.append_child(&prompt_text)?;
        let field: HtmlInputElement = el(doc, "input", "")?.unchecked_into();
        field.set_type(if password { "password" } else { "text" });
        field.set_attribute("aria-label", &format!("Answer for cell {}: {prompt}", self.id))?;
        label.append_child(&field)?;
        self.output_area.append_child(&label)?;
        let answer = field.clone();
        let listener = Listener::new(&field, "keydown", move |event| {
            if event.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Enter") {
                on_answer(answer.value());
            }
        });
        self.prompt_box = Some(PromptBox { element: label, _listeners: vec![listener] });
        let _ = field.focus(); // the field works without it
        Ok(())
    }

    /// Removes the input prompt or the breakpoint box, if one is shown, with its listeners.
    pub fn remove_prompt(&mut self) {
        if let Some(shown) = self.prompt_box.take() {
            shown.element.remove();
        }
    }

    /// Adds what an output message carries and draws it now; other messages are ignored.
    pub fn add_output(&mut self, doc: &Document, body: &ToPage) -> Result<(), JsValue> {
        self.queue_output(body);
        self.draw_pending(doc)
    }

    /// Adds what an output message carries to the outputs, to be drawn by
    /// [`CellView::draw_pending`]; returns whether anything waits to be drawn. Cheap
    /// whatever comes: however many updates of one output arrive between two frames, the
    /// page draws it once, as the last one left it.
    pub fn queue_output(&mut self, body: &ToPage) -> bool {
        match self.outputs.push(body) {
            Change::Extended(i) | Change::Replaced(i)
                if i < self.output_elements.len() && !self.changed.contains(&i) =>
            {
                self.changed.push(i);
            }
            _ => {}
        }
        self.has_pending_draw()
    }

    /// Whether outputs wait to be drawn.
    pub fn has_pending_draw(&self) -> bool {
        !self.changed.is_empty() || self.output_elements.len() < self.outputs.items().len()
    }

    /// Draws what changed since the last draw: new outputs, and the latest state of those
    /// extended or replaced (a stream's new lines are appended; a progress bar or a chart
    /// changes its attributes and text in place).
    pub fn draw_pending(&mut self, doc: &Document) -> Result<(), JsValue> {
        for i in std::mem::take(&mut self.changed) {
            let (Some(item), Some(element)) = (self.outputs.items().get(i), self.output_elements.get(i))
            else {
                continue;
            };
            match item {
                Output::Stream { text, .. } => {
                    let drawn = self.drawn_text.get(i).copied().unwrap_or(0);
                    // Lines are styled one by one: new ones can be appended after a whole line.
                    match (text.get(..drawn), text.get(drawn..)) {
                        (Some(shown), Some(new)) if shown.ends_with('\n') => {
                            append_stream(doc, element, new)?
                        }
                        _ => {
                            element.set_text_content(None);
                            append_stream(doc, element, text)?;
                        }
                    }
                    if let Some(drawn) = self.drawn_text.get_mut(i) {
                        *drawn = text.len();
                    }
                }
                Output::DisplayData(data) => {
                    if let Some(new) = redraw_display(doc, element, data)? {
                        element.replace_with_with_node_1(&new)?;
                        self.output_elements[i] = new;
                    }
                }
                Output::Error(_) => {}
            }
        }
        while let Some(item) = self.outputs.items().get(self.output_elements.len()) {
            let (element, drawn) = match item {
                Output::Stream { name, text } => {
                    let class = match name {
                        StreamName::Stdout => "output stream stdout",
                        StreamName::Stderr => "output stream stderr",
                    };
                    let element = el(doc, "pre", class)?;
                    append_stream(doc, &element, text)?;
                    (element, text.len())
                }
                Output::Error(error) => {
                    let block = text_el(doc, "pre", "output error", &error.traceback.join("\n"))?;
                    block.set_attribute("role", "alert")?;
                    if let (Some(editor), Some(line)) = (&self.editor, error.line) {
                        script_editor::mark_error(editor, Some(line))?;
                    }
                    (block, 0)
                }
                Output::DisplayData(data) => (display_element(doc, data)?, 0),
            };
            match &self.prompt_box {
                Some(prompt) => self.output_area.insert_before(&element, Some(&prompt.element))?,
                None => self.output_area.append_child(&element)?,
            };
            self.output_elements.push(element);
            self.drawn_text.push(drawn);
        }
        Ok(())
    }
}

/// Stream text arriving in one piece longer than this is shown as plain text (no
/// per-line level colours), so that drawing it stays cheap.
const STYLED_STREAM_LIMIT: usize = 64 * 1024;

/// Appends stream text to `element`: lines that carry a log level name (as a logging
/// formatter writes it) are spans coloured by level; everything stays text.
fn append_stream(doc: &Document, element: &Element, text: &str) -> Result<(), JsValue> {
    if text.len() > STYLED_STREAM_LIMIT {
        return element.insert_adjacent_text("beforeend", text);
    }
    let mut plain = String::new();
    for line in text.split_inclusive('\n') {
        match crate::notebook::logview::level_in_line(line) {
            Some(level) => {
                if !plain.is_empty() {
                    element.insert_adjacent_text("beforeend", &std::mem::take(&mut plain))?;
                }
                append_text(
                    doc,
                    element,
                    "span",
                    &format!("log-line level-{}", level.to_ascii_lowercase()),
                    line,
                )?;
            }
            None => plain.push_str(line),
        }
    }
    if !plain.is_empty() {
        element.insert_adjacent_text("beforeend", &plain)?;
    }
    Ok(())
}

/// Draws a MIME bundle: a progress bar as a `<progress>` with its text, a table as a
/// `<table>`, an SVG as an image (an `<img>` never runs scripts an SVG might hold),
/// anything else as its plain text.
fn display_element(doc: &Document, data: &BTreeMap<String, String>) -> Result<Element, JsValue> {
    use crate::notebook::display::{TableData, SVG_MIME, TABLE_MIME};
    let plain = data.get("text/plain").map_or("", String::as_str);
    if let Some(progress) = progress_data(data) {
        // The label around the bar names it for screen readers: its text.
        let element = el(doc, "label", "output display progress")?;
        let bar = el(doc, "progress", "")?;
        element.append_child(&bar)?;
        append_text(doc, &element, "span", "progress-text", "")?;
        show_progress(&element, progress, plain)?;
        return Ok(element);
    }
    if let Some(table) = data.get(TABLE_MIME).and_then(|json| crate::json::read::<TableData>(json).ok()) {
        let wrap = el(doc, "div", "output display table-wrap")?;
        let element = el(doc, "table", "")?;
        if let Some(title) = &table.title {
            append_text(doc, &element, "caption", "", title)?;
        }
        let head = el(doc, "tr", "")?;
        for header in &table.headers {
            append_text(doc, &head, "th", "", header)?;
        }
        element.append_child(&head)?;
        for row in &table.rows {
            let tr = el(doc, "tr", "")?;
            for cell in row {
                append_text(doc, &tr, "td", "", cell)?;
            }
            element.append_child(&tr)?;
        }
        wrap.append_child(&element)?;
        return Ok(wrap);
    }
    if let Some(svg) = data.get(SVG_MIME) {
        let image = el(doc, "img", "output display chart")?;
        show_svg(&image, svg, plain)?;
        return Ok(image);
    }
    text_el(doc, "pre", "output display", plain)
}

/// Shows `data` in the element of an earlier state of the same display: in place when
/// both are a progress bar or both a chart (an attribute and a text change, not a new
/// element); otherwise returns a new element to put in its place.
fn redraw_display(
    doc: &Document,
    element: &Element,
    data: &BTreeMap<String, String>,
) -> Result<Option<Element>, JsValue> {
    use crate::notebook::display::{SVG_MIME, TABLE_MIME};
    let plain = data.get("text/plain").map_or("", String::as_str);
    let class = element.class_name();
    match (progress_data(data), data.get(SVG_MIME)) {
        (Some(progress), _) if class.ends_with("progress") => show_progress(element, progress, plain)?,
        (None, Some(svg)) if class.ends_with("chart") && !data.contains_key(TABLE_MIME) => {
            show_svg(element, svg, plain)?
        }
        _ => return display_element(doc, data).map(Some),
    }
    Ok(None)
}

/// Points an `<img>` at an SVG image, with its text for those who cannot see it. The
/// browser percent-encodes the SVG text for the URL (a base64 encoder cost the page's
/// module 3 KB).
fn show_svg(image: &Element, svg: &str, plain: &str) -> Result<(), JsValue> {
    let encoded = String::from(js_sys::encode_uri_component(svg));
    image.set_attribute("src", &format!("data:image/svg+xml,{encoded}"))?;
    image.set_attribute("alt", plain)
}

/// How far a progress bar is, `(done, total)`, as the kernel sends it
/// (`display::PROGRESS_MIME`), read by the browser's JSON parser (a serde reader for it
/// would cost the page's module more).
fn progress_data(data: &BTreeMap<String, String>) -> Option<(f64, f64)> {
    let value = js_sys::JSON::parse(data.get(crate::notebook::display::PROGRESS_MIME)?).ok()?;
    let field = |name: &str| js_sys::Reflect::get(&value, &JsValue::from_str(name)).ok()?.as_f64();
    Some((field("done")?, field("total")?))
}

/// Sets a progress bar drawn by [`display_element`] (a `<progress>` and its text) to
/// `done` of `total`: two attributes and a text.
fn show_progress(element: &Element, (done, total): (f64, f64), plain: &str) -> Result<(), JsValue> {
    if let Some(bar) = element.first_element_child() {
        // Nothing to do counts as done, as the text says (100%).
        let (done, total) = if total > 0.0 { (done.min(total), total) } else { (1.0, 1.0) };
        bar.set_attribute("max", &total.to_string())?;
        bar.set_attribute("value", &done.to_string())?;
    }
    if let Some(text) = element.last_element_child() {
        text.set_text_content(Some(plain));
    }
    Ok(())
}

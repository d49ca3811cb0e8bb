//! In headless Chromium, on a page: cells render from the catalogue, outputs are text
//! (never HTML), a script cell's editor is coloured and marks an error's line, and browser
//! timers wait as long as asked.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use notebook::browser::{BrowserHost, BrowserPlatform};
use notebook::exercises::catalog;
use notebook::notebook::protocol::{Stream, StreamName, ToPage};
use notebook::page::cell_view::{CellState, CellView};
use notebook::platform::Platform;
use wasm_bindgen::JsCast as _;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a page has a document")
}

fn a3_view() -> CellView {
    let cat = catalog();
    let cell = cat.find("A3").expect("A3 exists");
    let view = CellView::new(&document(), cell).expect("the cell renders");
    document().body().unwrap().append_child(view.root()).unwrap();
    view
}

fn stdout(text: &str) -> ToPage {
    ToPage::Stream(Stream { name: StreamName::Stdout, text: text.into() })
}

#[wasm_bindgen_test]
fn a_code_cell_renders_its_prompt_form_and_source() {
    let view = a3_view();
    let root = view.root();
    assert_eq!(root.id(), "A3");
    assert_eq!(root.get_attribute("data-state").as_deref(), Some("idle"));
    let prompt = root.query_selector(".prompt").unwrap().unwrap();
    assert_eq!(prompt.text_content().as_deref(), Some("In [ ]:"));
    let inputs = view.input_values();
    assert_eq!(inputs.get("file").map(String::as_str), Some("my_notes.txt"));
    assert_eq!(inputs.get("note").map(String::as_str), Some("A line appended by A3."));
    let source = root.query_selector("pre.source").unwrap().unwrap().text_content().unwrap();
    assert!(source.starts_with("pub async fn a3_append_file(cx: CellContext)"), "{source}");
    view.set_state(CellState::Running);
    assert_eq!(prompt.text_content().as_deref(), Some("In [*]:"));
    view.set_count(4);
    assert_eq!(prompt.text_content().as_deref(), Some("In [4]:"));
}

#[wasm_bindgen_test]
fn a_script_cell_colours_its_code_and_marks_the_line_of_an_error() {
    use notebook::notebook::protocol::ErrorContent;
    let doc = document();
    let code = "let a = '<b>';\n\nfoo(a) // call\n";
    let mut view = CellView::script(&doc, "js-7", code).expect("the script cell renders");
    doc.body().unwrap().append_child(view.root()).unwrap();
    let root = view.root().clone();
    assert_eq!(view.code().as_deref(), Some(code));
    let find =
        |selector: &str| root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"));
    let input = find("textarea.editor-input");
    assert_eq!(input.get_attribute("aria-label").as_deref(), Some("Code of script cell js-7 (JavaScript)"));
    let help =
        doc.get_element_by_id(&input.get_attribute("aria-describedby").unwrap()).expect("its description");
    assert!(help.text_content().unwrap().contains("Escape then Tab leaves the editor"));
    // One block per line (the last, empty, too), holding the text exactly, as text.
    let colours = find(".editor-colours");
    assert_eq!(colours.get_attribute("aria-hidden").as_deref(), Some("true"));
    assert_eq!(colours.child_element_count(), 4);
    assert_eq!(colours.text_content().unwrap(), format!("{code}\n"));
    assert_eq!(find(".editor-colours .tok-kw").text_content().as_deref(), Some("let"));
    assert_eq!(find(".editor-colours .tok-str").text_content().as_deref(), Some("'<b>'"));
    assert_eq!(find(".editor-colours .tok-fn").text_content().as_deref(), Some("foo"));
    assert_eq!(find(".editor-colours .tok-com").text_content().as_deref(), Some("// call"));
    assert!(colours.query_selector("b").unwrap().is_none(), "code is never HTML");

    let error = ErrorContent {
        ename: "ReferenceError".into(),
        evalue: "foo is not defined".into(),
        traceback: vec!["ReferenceError: foo is not defined".into()],
        line: Some(3),
    };
    view.set_state(CellState::Running);
    let delete = find("button.delete");
    assert!(delete.has_attribute("disabled"), "a running script cell cannot be deleted");
    view.add_output(&doc, &ToPage::Error(error)).unwrap();
    view.set_state(CellState::Failed);
    assert!(!delete.has_attribute("disabled"));
    let marked = find(".editor-colours .error-line");
    assert_eq!(marked.text_content().as_deref(), Some("foo(a) // call\n"), "the third line");
    assert_eq!(find(".editor-error").text_content().as_deref(), Some("Error at line 3. "));
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    view.clear_outputs();
    assert!(colours.query_selector(".error-line").unwrap().is_none(), "a new run starts unmarked");
    assert_eq!(find(".editor-error").text_content().as_deref(), Some(""));
    assert!(!input.has_attribute("aria-invalid"));
    root.remove();
}

#[wasm_bindgen_test]
fn printed_markup_is_shown_as_text() {
    let mut view = a3_view();
    let doc = document();
    view.add_output(&doc, &stdout("<b>bold?</b><script>window.hacked = 1</script>\n")).unwrap();
    let outputs = view.root().query_selector(".outputs").unwrap().unwrap();
    assert!(outputs.query_selector("b").unwrap().is_none(), "no element was made from the text");
    assert!(outputs.query_selector("script").unwrap().is_none());
    assert!(outputs.inner_html().contains("&lt;b&gt;bold?&lt;/b&gt;"));
}

#[wasm_bindgen_test]
fn consecutive_prints_share_one_block_and_clear_empties_it() {
    let mut view = a3_view();
    let doc = document();
    view.add_output(&doc, &stdout("one\n")).unwrap();
    view.add_output(&doc, &stdout("two\n")).unwrap();
    let outputs = view.root().query_selector(".outputs").unwrap().unwrap();
    assert_eq!(outputs.child_element_count(), 1);
    assert_eq!(outputs.text_content().as_deref(), Some("one\ntwo\n"));
    view.clear_outputs();
    assert_eq!(outputs.child_element_count(), 0);
}

#[wasm_bindgen_test]
async fn browser_sleeps_last_as_long_as_asked() {
    let platform = BrowserPlatform;
    let start = platform.now_ms();
    platform.sleep(Duration::from_millis(120)).await;
    let waited = platform.now_ms() - start;
    assert!(waited >= 115.0, "woke after {waited} ms");
}

#[wasm_bindgen_test]
async fn a_download_carries_the_exact_bytes_and_an_upload_reads_them_back() {
    use notebook::page::files::{blob_url, download_name, read_picked};
    use wasm_bindgen::JsCast;
    assert_eq!(download_name("/home/user/notes/a.txt"), "a.txt");
    assert_eq!(download_name("/"), "download");
    let bytes: Vec<u8> = (0..=255).collect();
    let url = blob_url(&js_sys::Uint8Array::from(&bytes[..])).unwrap();
    let response: web_sys::Response =
        wasm_bindgen_futures::JsFuture::from(web_sys::window().unwrap().fetch_with_str(&url))
            .await
            .unwrap()
            .unchecked_into();
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().unwrap()).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&buffer).to_vec(), bytes);

    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    let picked = web_sys::File::new_with_u8_array_sequence(&parts, "picked.bin").unwrap();
    assert_eq!(js_sys::Uint8Array::new(&read_picked(&picked).await.unwrap()).to_vec(), bytes);
}

#[wasm_bindgen_test]
fn tables_and_charts_render_as_elements_with_their_text_kept_as_text() {
    use notebook::notebook::display::{bar_chart_bundle, table_bundle};
    use notebook::notebook::protocol::DisplayData;
    let mut view = a3_view();
    let doc = document();
    let rows = vec![vec!["3".to_string(), "<b>x</b>".to_string()]];
    view.add_output(
        &doc,
        &ToPage::DisplayData(DisplayData { data: table_bundle(&["fd", "path"], &rows), display_id: None }),
    )
    .unwrap();
    let chart = bar_chart_bundle("raw calls", &[("buffered".into(), 3.0)], "calls");
    view.add_output(&doc, &ToPage::DisplayData(DisplayData { data: chart, display_id: None })).unwrap();
    let outputs = view.root().query_selector(".outputs").unwrap().unwrap();
    let cells = outputs.query_selector_all("td").unwrap();
    assert_eq!(cells.length(), 2);
    assert_eq!(cells.item(1).unwrap().text_content().as_deref(), Some("<b>x</b>"));
    assert!(outputs.query_selector("td b").unwrap().is_none());
    let image = outputs.query_selector("img.chart").unwrap().expect("the chart is an image");
    let src = image.get_attribute("src").unwrap();
    let svg = src.strip_prefix("data:image/svg+xml,").expect("an SVG data URL");
    let svg = String::from(js_sys::decode_uri_component(svg).expect("percent-encoded"));
    assert!(svg.starts_with("<svg") && svg.contains(">buffered<"), "{svg}");
    assert_eq!(image.get_attribute("alt").as_deref(), Some("raw calls\n  buffered: 3 calls"));
}

#[wasm_bindgen_test]
fn the_log_viewer_shows_records_live_and_filters_them() {
    use notebook::notebook::protocol::LogEntry;
    use notebook::page::log_viewer::LogViewer;
    use wasm_bindgen::JsCast;
    let doc = document();
    let viewer = LogViewer::new(&doc).unwrap();
    let panel = viewer.borrow().panel().clone();
    doc.body().unwrap().append_child(&panel).unwrap();
    assert!(panel.has_attribute("hidden"));
    assert!(viewer.borrow().toggle(), "shown");
    let entry = |seq: u64, level: u32, name: &str, logger: &str, message: &str| LogEntry {
        seq,
        created_ms: 0.0,
        level,
        level_name: name.into(),
        logger: logger.into(),
        message: message.into(),
        process_name: "MainProcess".into(),
    };
    viewer.borrow_mut().add(entry(1, 10, "DEBUG", "app", "starting <up>"));
    viewer.borrow_mut().add(entry(2, 40, "ERROR", "app.db", "disk full"));
    viewer.borrow_mut().add(entry(3, 20, "INFO", "web", "request"));
    let rows = || panel.query_selector_all(".log-row").unwrap().length();
    assert_eq!(rows(), 3);
    assert!(panel.text_content().unwrap().contains("starting <up>"), "markup stays text");

    let select: web_sys::HtmlSelectElement =
        panel.query_selector("select").unwrap().unwrap().unchecked_into();
    select.set_value("30");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    assert_eq!(rows(), 1, "only the ERROR passes WARNING+");
    select.set_value("0");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    let inputs = panel.query_selector_all("input").unwrap();
    let logger: web_sys::HtmlInputElement = inputs.item(0).unwrap().unchecked_into();
    logger.set_value("app");
    logger.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(rows(), 2, "app and app.db");
    let count = panel.query_selector(".log-count").unwrap().unwrap().text_content().unwrap();
    assert_eq!(count, "2 of 3 records");
    let clear: web_sys::HtmlElement = panel.query_selector("button").unwrap().unwrap().unchecked_into();
    clear.click();
    assert_eq!(rows(), 0);
}

#[wasm_bindgen_test]
fn a_burst_past_the_log_viewers_capacity_drops_the_oldest_rows_only() {
    use notebook::notebook::protocol::LogEntry;
    use notebook::page::log_viewer::LogViewer;
    use wasm_bindgen::JsCast;
    let doc = document();
    let viewer = LogViewer::new(&doc).unwrap();
    let panel = viewer.borrow().panel().clone();
    doc.body().unwrap().append_child(&panel).unwrap();
    let logger: web_sys::HtmlInputElement = panel.query_selector("input").unwrap().unwrap().unchecked_into();
    logger.set_value("even");
    logger.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    // 12,000 records (B6 logs 10,000 at once), every other one from the logger shown; the
    // viewer keeps 5,000. Redrawing all rows at each drop used to take minutes here.
    for seq in 1..=12_000u64 {
        let logger = if seq % 2 == 0 { "even" } else { "odd" };
        viewer.borrow_mut().add(LogEntry {
            seq,
            created_ms: 0.0,
            level: 20,
            level_name: "INFO".into(),
            logger: logger.into(),
            message: format!("record {seq}"),
            process_name: "MainProcess".into(),
        });
    }
    let rows = panel.query_selector_all(".log-row .log-message").unwrap();
    assert_eq!(rows.length(), 2_500, "the even half of the newest 5,000");
    let text = |i: u32| rows.item(i).unwrap().text_content().unwrap();
    assert_eq!((text(0), text(2_499)), ("record 7002".to_string(), "record 12000".to_string()));
    let count = panel.query_selector(".log-count").unwrap().unwrap().text_content().unwrap();
    assert_eq!(count, "2500 of 5000 records (7000 older ones dropped)");
    // The filter redraws from the book: the same rows.
    logger.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(panel.query_selector_all(".log-row").unwrap().length(), 2_500);
}

#[wasm_bindgen_test]
fn the_workers_list_counts_and_lists_live_workers() {
    use notebook::notebook::protocol::{WorkerList, WorkerRow};
    use notebook::page::workers_list::WorkersList;
    let list = WorkersList::new(&document()).unwrap();
    let root = list.element().clone();
    let summary = || root.query_selector("summary").unwrap().unwrap().text_content().unwrap();
    assert_eq!(summary(), "Workers: 0");
    use notebook::parallel::WorkerState;
    let row = |pid: u32, state: WorkerState, task: Option<&str>| WorkerRow {
        name: format!("SpawnPoolWorker-{pid}"),
        pid,
        state,
        task: task.map(String::from),
        cell: "G7".into(),
    };
    list.show(&WorkerList {
        workers: vec![row(2, WorkerState::Busy, Some("square")), row(3, WorkerState::Idle, None)],
    })
    .unwrap();
    assert_eq!(summary(), "Workers: 2 (1 busy)");
    let cells = root.query_selector_all("tbody td").unwrap();
    assert_eq!(cells.length(), 10);
    assert_eq!(cells.item(3).unwrap().text_content().as_deref(), Some("square"));
    list.show(&WorkerList::default()).unwrap();
    assert_eq!(summary(), "Workers: 0");
    assert_eq!(root.get_attribute("data-count").as_deref(), Some("0"));
}

#[wasm_bindgen_test]
fn a_flood_of_updates_is_drawn_once_in_place_as_the_last_left_it() {
    use notebook::notebook::display::{bar_chart_bundle, progress_bundle};
    use notebook::notebook::protocol::DisplayData;
    let mut view = a3_view();
    let doc = document();
    let shown =
        |done| DisplayData { data: progress_bundle("work", done, 10_000), display_id: Some("p1".into()) };
    view.add_output(&doc, &ToPage::DisplayData(shown(0))).unwrap();
    view.add_output(&doc, &stdout("between\n")).unwrap();
    let outputs = view.root().query_selector(".outputs").unwrap().unwrap();
    let bar = outputs.query_selector(".progress progress").unwrap().expect("a <progress> element");
    let drawn = outputs.first_element_child().unwrap();
    assert_eq!(bar.get_attribute("value").as_deref(), Some("0"));
    assert_eq!(bar.parent_element().map(|p| p.tag_name()).as_deref(), Some("LABEL"), "named by its text");

    // 10,000 updates and as many printed lines between two frames: nothing is drawn yet.
    for done in 1..=10_000 {
        assert!(view.queue_output(&ToPage::UpdateDisplayData(shown(done))));
        view.queue_output(&stdout(&format!("line {done}\n")));
    }
    assert_eq!(bar.get_attribute("value").as_deref(), Some("0"), "drawn only at the frame");
    assert_eq!(outputs.text_content().as_deref(), Some("work: 0/10000 (0%)between\n"));

    view.draw_pending(&doc).unwrap();
    assert!(!view.has_pending_draw());
    assert_eq!(outputs.first_element_child().unwrap(), drawn, "the same element, updated in place");
    assert_eq!(bar.get_attribute("value").as_deref(), Some("10000"));
    assert_eq!(bar.get_attribute("max").as_deref(), Some("10000"));
    assert_eq!(drawn.text_content().as_deref(), Some("work: 10000/10000 (100%)"));
    assert_eq!(outputs.child_element_count(), 2, "the bar and one block of text");
    let text = outputs.last_element_child().unwrap().text_content().unwrap();
    assert!(text.starts_with("between\nline 1\nline 2\n") && text.ends_with("line 10000\n"), "{text}");
    assert_eq!(text.lines().count(), 10_001);
    assert!(outputs.query_selector("img").unwrap().is_none(), "no image is made for a progress bar");

    // A chart shown under an id and updated keeps its <img> and changes its source.
    let chart = |n: f64| bar_chart_bundle("calls", &[("a".into(), n)], "calls");
    view.add_output(
        &doc,
        &ToPage::DisplayData(DisplayData { data: chart(1.0), display_id: Some("c".into()) }),
    )
    .unwrap();
    let image = outputs.query_selector("img.chart").unwrap().expect("the chart is an image");
    view.queue_output(&ToPage::UpdateDisplayData(DisplayData {
        data: chart(2.0),
        display_id: Some("c".into()),
    }));
    view.draw_pending(&doc).unwrap();
    assert_eq!(outputs.query_selector("img.chart").unwrap(), Some(image.clone()), "the same image element");
    assert_eq!(image.get_attribute("alt").as_deref(), Some("calls\n  a: 2 calls"));

    let unknown = DisplayData { data: progress_bundle("x", 1, 1), display_id: Some("nope".into()) };
    assert!(!view.queue_output(&ToPage::UpdateDisplayData(unknown)), "an unknown display changes nothing");
    assert_eq!(outputs.child_element_count(), 3);
}

#[wasm_bindgen_test]
fn a_line_printed_in_pieces_is_drawn_whole_and_styled() {
    let mut view = a3_view();
    let doc = document();
    view.add_output(&doc, &stdout("a WARNING ")).unwrap();
    view.add_output(&doc, &stdout("line\nplain\n")).unwrap();
    view.add_output(&doc, &stdout("an ERROR line\n")).unwrap();
    let block = view.root().query_selector(".outputs pre.stdout").unwrap().unwrap();
    assert_eq!(block.text_content().as_deref(), Some("a WARNING line\nplain\nan ERROR line\n"));
    let styled = block.query_selector_all(".log-line").unwrap();
    assert_eq!(styled.length(), 2, "{}", block.inner_html());
    assert_eq!(styled.item(0).unwrap().text_content().as_deref(), Some("a WARNING line\n"));
}

/// A file browser wired to a kernel on this page (no worker): requests go straight to the
/// kernel; its replies are delivered afterwards, as `postMessage` would.
struct BrowserOnKernel {
    browser: std::rc::Rc<notebook::page::file_browser::FileBrowser>,
    kernel: std::rc::Rc<notebook::notebook::Kernel>,
    replies: std::rc::Rc<std::cell::RefCell<Vec<notebook::notebook::protocol::Message<ToPage>>>>,
}

impl BrowserOnKernel {
    fn new() -> BrowserOnKernel {
        use notebook::notebook::protocol::{IdSource, ToKernel};
        use notebook::notebook::{Kernel, Outbox};
        use std::cell::RefCell;
        use std::rc::Rc;
        let doc = document();
        let browser = notebook::page::file_browser::FileBrowser::new(&doc).unwrap();
        doc.body().unwrap().append_child(browser.element()).unwrap();
        let replies = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&replies);
        let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
        let kernel =
            Kernel::new(catalog(), outbox, Rc::new(BrowserPlatform), Some(Rc::new(BrowserHost::default())));
        let (k, ids) = (Rc::clone(&kernel), IdSource::new("page"));
        browser.connect(Rc::new(move |request, buffers: Vec<js_sys::ArrayBuffer>| {
            let bytes = buffers.iter().map(notebook::browser::to_bytes).collect();
            let message = ids.message_with(None, ToKernel::FileRequest(request), bytes);
            let header = message.header.clone();
            k.handle(message);
            Some(header)
        }));
        BrowserOnKernel { browser, kernel, replies }
    }

    /// Delivers replies until none is left (a reply may lead to another request).
    fn deliver(&self) {
        loop {
            let batch: Vec<_> = self.replies.borrow_mut().drain(..).collect();
            if batch.is_empty() {
                return;
            }
            for message in batch {
                match &message.body {
                    ToPage::FileReply(reply) => {
                        let buffers: Vec<_> =
                            message.buffers.iter().map(|b| notebook::browser::to_buffer(b)).collect();
                        self.browser.on_reply(message.parent_header.as_ref(), reply, &buffers)
                    }
                    ToPage::FilesChanged(change) => self.browser.on_files_changed(change),
                    _ => {}
                }
            }
        }
    }

    /// Waits until the kernel has told what changed in its files, and delivers it.
    async fn settle(&self) {
        BrowserPlatform.sleep(std::time::Duration::from_millis(400)).await;
        self.deliver();
    }

    fn find(&self, selector: &str) -> Option<web_sys::HtmlElement> {
        use wasm_bindgen::JsCast;
        self.browser.element().query_selector(selector).unwrap().map(|e| e.unchecked_into())
    }

    fn text(&self, selector: &str) -> String {
        self.find(selector).and_then(|e| e.text_content()).unwrap_or_default()
    }

    fn row(&self, path: &str) -> Option<web_sys::HtmlElement> {
        self.find(&format!("li[data-path=\"{path}\"]"))
    }

    fn click(&self, selector: &str) {
        self.find(selector).unwrap_or_else(|| panic!("no {selector}")).click();
        self.deliver();
    }

    /// Types `name` in the name form and submits it.
    fn submit_name(&self, name: &str) {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement =
            self.find("form.file-name-form input").unwrap().unchecked_into();
        input.set_value(name);
        let form = self.find("form.file-name-form").unwrap();
        form.dispatch_event(&web_sys::Event::new("submit").unwrap()).unwrap();
        self.deliver();
    }
}

#[wasm_bindgen_test]
async fn the_file_browser_lists_previews_renames_and_reports_errors_through_the_kernel() {
    let page = BrowserOnKernel::new();
    page.kernel.fs().write_file("/home/user/data.bin", &[0, 1, 2, 255]).unwrap();
    page.browser.kernel_ready();
    page.deliver();
    assert_eq!(
        page.row("/home/user/data.bin")
            .unwrap()
            .query_selector(".file-size")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "4 B"
    );
    assert!(
        page.find("button.file-rename").unwrap().unchecked_ref::<web_sys::HtmlButtonElement>().disabled(),
        "nothing selected"
    );

    page.row("/home/user/data.bin").unwrap().click();
    page.deliver();
    assert_eq!(page.text("h3.file-path"), "/home/user/data.bin");
    assert_eq!(page.find("pre.file-content").unwrap().get_attribute("data-view").as_deref(), Some("hex"));
    assert!(
        page.text("pre.file-content").starts_with("00000000  00 01 02 ff "),
        "{}",
        page.text("pre.file-content")
    );

    page.click("button.file-rename");
    page.submit_name("moved.bin");
    page.settle().await;
    assert!(page.kernel.fs().exists("/home/user/moved.bin") && page.row("/home/user/data.bin").is_none());
    assert_eq!(
        page.row("/home/user/moved.bin").unwrap().get_attribute("aria-selected").as_deref(),
        Some("true")
    );
    assert_eq!(page.text("h3.file-path"), "/home/user/moved.bin", "the preview follows the new name");

    page.click("button.file-rename");
    page.submit_name("sample.txt");
    assert_eq!(
        page.text(".file-error"),
        "FileExistsError: [Errno 17] File exists: '/home/user/moved.bin' -> '/home/user/sample.txt'"
    );
    assert!(page.kernel.fs().exists("/home/user/moved.bin"), "nothing changed");

    // Names with markup, made by a cell, stay text when the kernel tells of them.
    page.kernel.fs().mkdir("/home/user/<b>x<").unwrap();
    page.kernel.fs().write_file("/home/user/<b>x</b>.txt", b"<i>y</i>").unwrap();
    page.settle().await;
    assert!(page.browser.element().query_selector("b, i").unwrap().is_none(), "no element from a name");
    assert!(page.row("/home/user/<b>x</b>.txt").is_none(), "a new folder starts closed");
    page.row("/home/user/<b>x<").unwrap().click();
    page.deliver();
    page.row("/home/user/<b>x</b>.txt").expect("listed once its folder opens").click();
    page.deliver();
    assert_eq!(page.text("pre.file-content"), "<i>y</i>");
    page.browser.element().remove();
}

/// An Enter pressed in `field`.
fn press_enter(field: &web_sys::HtmlInputElement) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    field.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
fn a_prompt_and_a_breakpoint_box_take_their_listeners_and_callbacks_with_them() {
    use notebook::notebook::protocol::{BreakpointAction, BreakpointRequest};
    use std::cell::RefCell;
    use std::rc::Rc;
    let mut view = a3_view();
    let doc = document();
    // What the callbacks hold: freed with the listeners, or kept for the life of the page.
    let held = Rc::new(());
    let answers = Rc::new(RefCell::new(Vec::new()));
    let (kept, heard) = (Rc::clone(&held), Rc::clone(&answers));
    view.show_prompt(&doc, "Name? ", false, move |value| {
        let _ = &kept;
        heard.borrow_mut().push(value);
    })
    .unwrap();
    let field: web_sys::HtmlInputElement =
        view.root().query_selector(".stdin input").unwrap().unwrap().dyn_into().unwrap();
    field.set_value("Ada");
    press_enter(&field);
    assert_eq!(*answers.borrow(), ["Ada"]);
    assert_eq!(Rc::strong_count(&held), 2, "the prompt's callback is alive while it is shown");
    view.remove_prompt();
    assert_eq!(Rc::strong_count(&held), 1, "removing the prompt freed its callback");
    press_enter(&field);
    assert_eq!(answers.borrow().len(), 1, "the removed field calls nothing");

    let stop = BreakpointRequest { name: "loop".into(), hit: 1, locals: Vec::new() };
    let choices = Rc::new(RefCell::new(Vec::new()));
    let (kept, heard) = (Rc::clone(&held), Rc::clone(&choices));
    view.show_breakpoint(&doc, &stop, move |choice| {
        let _ = &kept;
        heard.borrow_mut().push(choice);
    })
    .unwrap();
    let buttons = view.root().query_selector_all(".breakpoint button").unwrap();
    let buttons: Vec<web_sys::HtmlElement> =
        (0..buttons.length()).map(|i| buttons.item(i).unwrap().dyn_into().unwrap()).collect();
    assert_eq!(buttons.len(), 3);
    buttons.iter().for_each(|b| b.click());
    let expected = [Some(BreakpointAction::Continue), Some(BreakpointAction::ContinueToEnd), None];
    assert_eq!(*choices.borrow(), expected, "Continue, Continue to the end, Stop");
    view.clear_outputs();
    assert_eq!(Rc::strong_count(&held), 1, "clearing the outputs freed the box's callback");
    buttons.iter().for_each(|b| b.click());
    assert_eq!(choices.borrow().len(), 3, "the removed buttons call nothing");
}

//! The file browser: the kernel's files as a tree with sizes, a preview of the selected
//! file, and buttons to upload from the computer, download, create a file or folder,
//! rename, delete and reset everything. It talks to the kernel only by `file_request`
//! messages and shows every failure in the panel as the kernel words it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::ArrayBuffer;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlButtonElement, HtmlInputElement, KeyboardEvent};

use super::dom::{append_text, button, el, on};
use super::file_preview::FilePreview;
use super::file_tree::FileTree;
use crate::notebook::file_view::{human_size, join, parent_dir, PREVIEW_BYTES};
use crate::notebook::protocol::{FileReply, FileRequest, FilesChanged, FilesReplaced, Header};
use crate::vfs::HOME;

/// Sends a file request to the kernel with its binary parts (an upload's bytes, which are
/// transferred); `None` when no kernel is running.
pub type Sender = Rc<dyn Fn(FileRequest, Vec<ArrayBuffer>) -> Option<Header>>;

/// What to do once a change is done.
enum Then {
    Nothing,
    /// Select (and open) this path after the next listing.
    Select(String),
    /// Forget the selection and open folders (after Reset all).
    ResetView,
}

/// What an answer from the kernel is for.
enum Pending {
    List,
    Preview,
    Download,
    /// An upload: the kernel says where it wrote the file, which is then selected.
    Upload,
    Change {
        done: String,
        close_form: bool,
        then: Then,
    },
}

/// What the name form does on submit.
#[derive(Clone)]
enum FormAction {
    NewFile { dir: String },
    NewFolder { dir: String },
    Rename { path: String },
}

struct NameForm {
    form: Element,
    label: Element,
    input: HtmlInputElement,
    submit: HtmlButtonElement,
    action: RefCell<Option<FormAction>>,
}

/// The Files view of the side panel.
pub struct FileBrowser {
    doc: Document,
    root: Element,
    tree: Rc<FileTree>,
    preview: Rc<FilePreview>,
    folder: Element,
    status: Element,
    error: Element,
    form: NameForm,
    upload: HtmlInputElement,
    needs_selection: Vec<HtmlButtonElement>,
    download: HtmlButtonElement,
    sender: RefCell<Option<Sender>>,
    ready: Cell<bool>,
    pending: RefCell<litemap::LiteMap<String, Pending>>,
    select_next: RefCell<Option<String>>,
}

impl FileBrowser {
    /// Builds the view; it sends nothing until [`FileBrowser::connect`] and
    /// [`FileBrowser::kernel_ready`].
    pub fn new(doc: &Document) -> Result<Rc<FileBrowser>, JsValue> {
        let root = el(doc, "div", "file-browser")?;
        root.set_id("file-browser");
        root.set_attribute("aria-label", "File browser")?;
        append_text(doc, &root, "h2", "", "Files")?;

        let actions = el(doc, "div", "file-actions")?;
        actions.set_attribute("role", "toolbar")?;
        actions.set_attribute("aria-label", "File actions")?;
        let upload_button = button(doc, "file-upload", "Upload…", "Upload files from the computer")?;
        let new_file = button(doc, "file-new", "New file", "New file")?;
        let new_folder = button(doc, "file-new-folder", "New folder", "New folder")?;
        let rename = button(doc, "file-rename", "Rename", "Rename or move the selected item")?;
        let delete = button(doc, "file-delete", "Delete", "Delete the selected item")?;
        let download = button(doc, "file-download", "Download", "Download the selected file")?;
        let refresh = button(doc, "file-refresh", "Refresh", "Refresh the file list")?;
        let reset = button(doc, "file-reset", "Reset all…", "Reset all files")?;
        for b in [&upload_button, &new_file, &new_folder, &rename, &delete, &download, &refresh, &reset] {
            actions.append_child(b)?;
        }
        let upload: HtmlInputElement = el(doc, "input", "file-upload-input")?.unchecked_into();
        upload.set_type("file");
        upload.set_multiple(true);
        upload.set_attribute("aria-label", "Files to upload")?;
        upload.set_attribute("hidden", "")?;
        actions.append_child(&upload)?;
        root.append_child(&actions)?;

        let folder = append_text(doc, &root, "p", "file-folder", "")?;
        let form = NameForm::new(doc)?;
        root.append_child(&form.form)?;
        let error = append_text(doc, &root, "p", "file-error", "")?;
        error.set_attribute("role", "alert")?;
        error.set_attribute("hidden", "")?;
        let status = append_text(doc, &root, "p", "file-status", "")?;
        status.set_attribute("role", "status")?;

        let tree = FileTree::new(doc)?;
        root.append_child(tree.element())?;
        let preview = FilePreview::new(doc)?;
        root.append_child(preview.element())?;

        let browser = Rc::new(FileBrowser {
            doc: doc.clone(),
            root,
            tree,
            preview,
            folder,
            status,
            error,
            form,
            upload,
            needs_selection: vec![rename.clone(), delete.clone()],
            download: download.clone(),
            sender: RefCell::default(),
            ready: Cell::new(false),
            pending: RefCell::default(),
            select_next: RefCell::default(),
        });
        browser.wire(&upload_button, &new_file, &new_folder, &rename, &delete, &download, &refresh, &reset);
        browser.selection_changed();
        Ok(browser)
    }

    #[allow(clippy::too_many_arguments)]
    fn wire(
        self: &Rc<Self>,
        upload: &HtmlButtonElement,
        new_file: &HtmlButtonElement,
        new_folder: &HtmlButtonElement,
        rename: &HtmlButtonElement,
        delete: &HtmlButtonElement,
        download: &HtmlButtonElement,
        refresh: &HtmlButtonElement,
        reset: &HtmlButtonElement,
    ) {
        let b = Rc::clone(self);
        self.tree.set_on_select(move |row| {
            b.selection_changed();
            if !row.is_dir {
                b.open_preview(&row.path);
            }
        });
        let input = self.upload.clone();
        on(upload, "click", move |_| input.click());
        let b = Rc::clone(self);
        on(&self.upload, "change", move |_| b.upload_picked());
        let b = Rc::clone(self);
        on(new_file, "click", move |_| b.open_form(FormAction::NewFile { dir: b.folder_path() }));
        let b = Rc::clone(self);
        on(new_folder, "click", move |_| b.open_form(FormAction::NewFolder { dir: b.folder_path() }));
        let b = Rc::clone(self);
        on(rename, "click", move |_| {
            if let Some(row) = b.tree.selected() {
                b.open_form(FormAction::Rename { path: row.path });
            }
        });
        let b = Rc::clone(self);
        on(delete, "click", move |_| b.delete_selected());
        let b = Rc::clone(self);
        on(download, "click", move |_| {
            if let Some(row) = b.tree.selected().filter(|r| !r.is_dir) {
                b.clear_messages();
                b.send(FileRequest::Read { path: row.path }, Pending::Download);
            }
        });
        let b = Rc::clone(self);
        on(refresh, "click", move |_| {
            b.clear_messages();
            b.refresh();
        });
        let b = Rc::clone(self);
        on(reset, "click", move |_| b.reset_all());
        let b = Rc::clone(self);
        on(&self.form.form, "submit", move |event| {
            event.prevent_default();
            b.submit_form();
        });
        let b = Rc::clone(self);
        on(&self.form.form, "keydown", move |event| {
            if event.dyn_ref::<KeyboardEvent>().is_some_and(|k| k.key() == "Escape") {
                b.close_form();
            }
        });
        let b = Rc::clone(self);
        if let Ok(Some(cancel)) = self.form.form.query_selector("button.file-cancel") {
            on(&cancel, "click", move |_| b.close_form());
        }
    }

    /// The view's element.
    pub fn element(&self) -> &Element {
        &self.root
    }

    /// Sets how requests reach the kernel.
    pub fn connect(&self, sender: Sender) {
        *self.sender.borrow_mut() = Some(sender);
    }

    /// The kernel is ready for requests: lists the files.
    pub fn kernel_ready(&self) {
        self.ready.set(true);
        self.refresh();
    }

    /// The kernel is gone (restarting): answers to earlier requests will never come.
    pub fn kernel_lost(&self) {
        self.ready.set(false);
        self.pending.borrow_mut().clear();
    }

    /// Lists the files again (when the kernel is ready, or on request: every change after
    /// that arrives by itself, see [`FileBrowser::on_files_changed`]).
    pub fn refresh(&self) {
        if self.ready.get() {
            self.send(FileRequest::List, Pending::List);
        }
    }

    fn send(&self, request: FileRequest, pending: Pending) {
        self.send_with(request, Vec::new(), pending);
    }

    fn send_with(&self, request: FileRequest, buffers: Vec<ArrayBuffer>, pending: Pending) {
        if !self.ready.get() {
            return self.show_error("The kernel is not ready yet; try again in a moment.");
        }
        let sender = self.sender.borrow().clone();
        match sender.and_then(|send| send(request, buffers)) {
            Some(header) => {
                self.pending.borrow_mut().insert(header.msg_id, pending);
            }
            None => self.show_error("The kernel is not running."),
        }
    }

    /// Handles the kernel's answer to one of this view's requests (others are ignored),
    /// with the buffers that came with it (a file's bytes).
    pub fn on_reply(&self, parent: Option<&Header>, reply: &FileReply, buffers: &[ArrayBuffer]) {
        let Some(pending) = parent.and_then(|p| self.pending.borrow_mut().remove(&p.msg_id)) else { return };
        let bytes = buffers.first();
        match (pending, reply) {
            (_, FileReply::Failed { error }) => self.show_error(error),
            (Pending::List, FileReply::Listing { entries }) => {
                self.tree.show(entries.clone());
                self.listing_changed(|_| true);
            }
            (Pending::Preview, FileReply::Preview { path, size }) => match bytes {
                // The first bytes only (a few KiB): the preview shows them from the page's memory.
                Some(head) => self.preview.show(path, crate::browser::to_bytes(head), *size),
                None => self.show_error("The kernel sent a preview without its bytes."),
            },
            (Pending::Download, FileReply::Contents { path }) => {
                let Some(bytes) = bytes else {
                    return self.show_error("The download failed: the kernel sent no bytes.");
                };
                match super::files::download_buffer(&self.doc, path, bytes) {
                    Ok(()) => self.show_status(&format!(
                        "Downloading {path} ({}).",
                        human_size(u64::from(bytes.byte_length()))
                    )),
                    Err(e) => self
                        .show_error(&format!("The download failed: {}", crate::browser::js_error_text(&e))),
                }
            }
            (Pending::Upload, FileReply::Uploaded { path, size }) => {
                *self.select_next.borrow_mut() = Some(path.clone());
                self.show_status(&format!("Uploaded {path} ({}).", human_size(*size)));
            }
            (Pending::Change { done, close_form, then }, FileReply::Done) => {
                if close_form {
                    self.close_form();
                }
                match then {
                    Then::Nothing => {}
                    Then::Select(path) => *self.select_next.borrow_mut() = Some(path),
                    Then::ResetView => {
                        self.tree.reset_view();
                        self.preview.clear();
                    }
                }
                self.show_status(&done); // the change itself arrives as `files_changed`
            }
            (_, other) => {
                self.show_error(&format!("The kernel answered with something unexpected: {other:?}"))
            }
        }
    }

    /// Follows what the kernel says changed in its files (a cell's writes, a worker's,
    /// this view's own requests).
    pub fn on_files_changed(&self, change: &FilesChanged) {
        if !self.ready.get() {
            return; // the listing asked for when the kernel is ready has it
        }
        self.tree.apply(change);
        self.listing_changed(|path| change.entries.iter().any(|e| e.path == path));
    }

    /// Says which files another tab changed under this one, and shows the open one anew
    /// (its size may be the same, so `files_changed` alone would not).
    pub fn on_files_replaced(&self, replaced: &FilesReplaced) {
        self.show_status(&replaced.notice());
        if let Some(path) = self.preview.path().filter(|p| replaced.paths.contains(p)) {
            if self.tree.contains(&path) {
                self.send(FileRequest::Preview { path, max_bytes: PREVIEW_BYTES }, Pending::Preview);
            }
        }
    }

    /// After the tree shows a new listing: selects the path a change asked for, or brings
    /// the preview up to date when its file `changed` (or went away).
    fn listing_changed(&self, changed: impl Fn(&str) -> bool) {
        let open = self.preview.path();
        let wanted = self.select_next.borrow().clone().filter(|p| self.tree.contains(p));
        if let Some(path) = wanted {
            // Kept until a listing holds it: the change that makes it may come later.
            self.select_next.borrow_mut().take();
            self.tree.select(&path, false);
        } else if let Some(path) = open {
            if !self.tree.contains(&path) {
                self.preview.clear();
            } else if changed(&path) {
                self.send(FileRequest::Preview { path, max_bytes: PREVIEW_BYTES }, Pending::Preview);
            }
        }
        self.selection_changed();
    }

    /// The folder new files and uploads go to: the selected folder, the selected file's
    /// folder, or the home directory.
    fn folder_path(&self) -> String {
        match self.tree.selected() {
            Some(row) if row.is_dir => row.path,
            Some(row) => parent_dir(&row.path).to_string(),
            None => HOME.to_string(),
        }
    }

    fn selection_changed(&self) {
        let selected = self.tree.selected();
        for control in &self.needs_selection {
            control.set_disabled(selected.is_none());
        }
        self.download.set_disabled(selected.as_ref().is_none_or(|r| r.is_dir));
        let folder = self.folder_path();
        self.folder.set_text_content(Some(&format!("New files and uploads go to {folder}")));
        let _ = self.upload.set_attribute("aria-label", &format!("Files to upload to {folder}"));
    }

    fn open_preview(&self, path: &str) {
        // The status of the last change (which may have selected this file) stays.
        self.error.set_text_content(None);
        let _ = self.error.set_attribute("hidden", "");
        let request = FileRequest::Preview { path: path.to_string(), max_bytes: PREVIEW_BYTES };
        self.send(request, Pending::Preview);
    }

    fn clear_messages(&self) {
        self.error.set_text_content(None);
        let _ = self.error.set_attribute("hidden", "");
        self.status.set_text_content(None);
    }

    fn show_error(&self, text: &str) {
        self.status.set_text_content(None);
        self.error.set_text_content(Some(text));
        let _ = self.error.remove_attribute("hidden");
    }

    fn show_status(&self, text: &str) {
        self.error.set_text_content(None);
        let _ = self.error.set_attribute("hidden", "");
        self.status.set_text_content(Some(text));
    }

    fn confirm(&self, question: &str) -> bool {
        web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
    }

    fn open_form(&self, action: FormAction) {
        self.clear_messages();
        let (label, value, submit) = match &action {
            FormAction::NewFile { dir } => {
                (format!("Name of the new file in {dir}"), String::new(), "Create")
            }
            FormAction::NewFolder { dir } => {
                (format!("Name of the new folder in {dir}"), String::new(), "Create")
            }
            FormAction::Rename { path } => (
                format!("New name or path for {path}"),
                path.rsplit('/').next().unwrap_or_default().to_string(),
                "Rename",
            ),
        };
        self.form.label.set_text_content(Some(&label));
        self.form.input.set_value(&value);
        self.form.submit.set_text_content(Some(submit));
        *self.form.action.borrow_mut() = Some(action);
        let _ = self.form.form.remove_attribute("hidden");
        let _ = self.form.input.focus();
        self.form.input.select();
    }

    fn close_form(&self) {
        self.form.action.borrow_mut().take();
        let _ = self.form.form.set_attribute("hidden", "");
    }

    fn submit_form(&self) {
        let Some(action) = self.form.action.borrow().clone() else { return };
        let name = self.form.input.value();
        if name.trim().is_empty() {
            return self.show_error("Type a name first.");
        }
        self.clear_messages();
        let (request, done, target) = match action {
            FormAction::NewFile { dir } => {
                let path = join(&dir, &name);
                (FileRequest::Create { path: path.clone() }, format!("Created {path}."), path)
            }
            FormAction::NewFolder { dir } => {
                let path = join(&dir, &name);
                (FileRequest::Mkdir { path: path.clone() }, format!("Created the folder {path}."), path)
            }
            FormAction::Rename { path } => {
                let to = join(parent_dir(&path), &name);
                let done = format!("Renamed {path} to {to}.");
                (FileRequest::Rename { from: path, to: to.clone() }, done, to)
            }
        };
        self.send(request, Pending::Change { done, close_form: true, then: Then::Select(target) });
    }

    fn delete_selected(&self) {
        let Some(row) = self.tree.selected() else { return };
        self.clear_messages();
        let inside = if row.is_dir { self.tree.children_of(&row.path) } else { 0 };
        if inside > 0 {
            let question = format!(
                "Delete the folder {} and everything in it ({} direct entries, {})?",
                row.path,
                inside,
                human_size(row.size)
            );
            if !self.confirm(&question) {
                return self.show_status("Nothing was deleted.");
            }
        }
        let done = format!("Deleted {}.", row.path);
        let request = FileRequest::Delete { path: row.path, recursive: inside > 0 };
        self.send(request, Pending::Change { done, close_form: false, then: Then::Nothing });
    }

    fn reset_all(&self) {
        self.clear_messages();
        if !self
            .confirm("Reset all files? Every file and folder goes, and only the starting files come back.")
        {
            return self.show_status("The files were left as they are.");
        }
        let done = "All files were reset to the starting files.".to_string();
        self.send(FileRequest::Reset, Pending::Change { done, close_form: false, then: Then::ResetView });
    }

    /// Sends the files picked in the upload field to the folder in use.
    fn upload_picked(self: &Rc<Self>) {
        let Some(list) = self.upload.files() else { return };
        let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
        self.upload.set_value(""); // picking the same file again fires `change` again
        if picked.is_empty() {
            return;
        }
        self.clear_messages();
        let dir = self.folder_path();
        let browser = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            for file in picked {
                let path = join(&dir, &file.name());
                if browser.tree.contains(&path) && !browser.confirm(&format!("Replace {path}?")) {
                    continue;
                }
                // Refused before it is read: a file larger than the quota could never be
                // kept, and reading it whole could exhaust the page's memory.
                let size = file.size();
                if size > crate::vfs::DEFAULT_QUOTA as f64 {
                    browser.show_error(&format!(
                        "{path} was not uploaded: it is {}, more than the {} all files may hold together.",
                        human_size(size as u64),
                        human_size(crate::vfs::DEFAULT_QUOTA)
                    ));
                    continue;
                }
                match super::files::read_picked(&file).await {
                    Ok(bytes) => {
                        // The kernel checks the name and says where the file went.
                        let request = FileRequest::Upload { dir: dir.clone(), name: file.name() };
                        browser.send_with(request, vec![bytes], Pending::Upload);
                    }
                    Err(e) => browser.show_error(&format!(
                        "Could not read {} from the computer: {}",
                        file.name(),
                        crate::browser::js_error_text(&e)
                    )),
                }
            }
        });
    }
}

impl NameForm {
    fn new(doc: &Document) -> Result<NameForm, JsValue> {
        let form = el(doc, "form", "file-name-form")?;
        form.set_attribute("hidden", "")?;
        let wrap = el(doc, "label", "")?;
        let label = append_text(doc, &wrap, "span", "", "")?;
        let input: HtmlInputElement = el(doc, "input", "")?.unchecked_into();
        input.set_type("text");
        input.set_attribute("autocomplete", "off")?;
        input.set_attribute("spellcheck", "false")?;
        wrap.append_child(&input)?;
        form.append_child(&wrap)?;
        let submit = button(doc, "file-submit", "Create", "")?;
        submit.remove_attribute("aria-label")?;
        submit.set_type("submit");
        form.append_child(&submit)?;
        let cancel = button(doc, "file-cancel", "Cancel", "Cancel")?;
        form.append_child(&cancel)?;
        Ok(NameForm { form, label, input, submit, action: RefCell::default() })
    }
}

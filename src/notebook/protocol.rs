//! Messages between the page and the kernel, shaped like Jupyter's messaging protocol:
//! a header with an id, the header of the request it answers, a `msg_type` and a `content`.
//! They travel as JSON over `postMessage`, and a file's bytes beside the JSON as Jupyter's
//! binary `buffers` (never as text inside it).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::memory::MemoryFigures;
use crate::parallel::WorkerState;

/// One message, as Jupyter frames it (`msg_type` sits beside the header, not inside it).
/// `B` is the direction: [`ToKernel`] for what the page sends, [`ToPage`] for what the
/// kernel sends, so neither side can be handed a message meant for itself. Encoded and
/// decoded by [`Message::to_json`] and [`Message::from_json`], which read the `msg_type`
/// first and then decode the `content` as that type (serde's own flattening and tagged
/// enums buffer every message in a generic tree first, which costs the page's module tens
/// of kilobytes).
///
/// `D` is how one binary part is held: an `ArrayBuffer` as it arrived in the browser (the
/// page hands a download's to a `Blob`, never copying it into its own memory; the kernel
/// copies an upload's into the file), the file's own bytes lent while the kernel sends
/// them (`&[u8]`, copied once, out of its memory), and `Vec<u8>` in native tests.
#[derive(Debug, Clone, PartialEq)]
pub struct Message<B, D = Vec<u8>> {
    /// This message's identity.
    pub header: Header,
    /// The header of the request this message belongs to, if any.
    pub parent_header: Option<Header>,
    /// `msg_type` and `content`.
    pub body: B,
    /// Binary parts that travel beside the JSON, as Jupyter's `buffers` (in the browser as
    /// transferred `ArrayBuffer`s: moved, not copied). Which body carries which is said
    /// where it is defined: an upload's bytes, a file's contents, a preview's first bytes,
    /// each as the only part. Empty for every other message.
    pub buffers: Vec<D>,
}

/// A binary part of a message as the kernel receives it. An upload's bytes are copied
/// from it in pieces straight into the file, so in the browser (a transferred
/// `ArrayBuffer`) they enter the kernel's memory once, where the file keeps them.
pub trait Buffer {
    /// Its size in bytes.
    fn byte_len(&self) -> usize;
    /// Copies `out.len()` bytes from byte `at` into `out` (the caller keeps within
    /// [`Buffer::byte_len`]).
    fn copy_out(&self, at: usize, out: &mut [u8]);
}

impl Buffer for Vec<u8> {
    fn byte_len(&self) -> usize {
        self.len()
    }

    fn copy_out(&self, at: usize, out: &mut [u8]) {
        out.copy_from_slice(&self[at..at + out.len()]);
    }
}

impl<B> Message<B, &[u8]> {
    /// The message with its buffers' bytes copied into its own.
    pub fn to_owned_buffers(self) -> Message<B> {
        let buffers = self.buffers.iter().map(|b| b.to_vec()).collect();
        Message { header: self.header, parent_header: self.parent_header, body: self.body, buffers }
    }
}

/// A message's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Unique per sender, e.g. `page-7` or `kernel-12`.
    pub msg_id: String,
}

/// What the page asks of the kernel; each variant's `msg_type` is its name in snake case.
#[derive(Debug, Clone, PartialEq)]
pub enum ToKernel {
    /// Run a cell with these inputs.
    ExecuteRequest(ExecuteRequest),
    /// The answer to an input request.
    InputReply(InputReply),
    /// How to go on from the breakpoint the cell waits at.
    BreakpointReply(BreakpointReply),
    /// Stop the running cell at its next wait.
    InterruptRequest(Empty),
    /// An operation on the kernel's files (list, read, write, rename, ...).
    FileRequest(FileRequest),
}

/// What the kernel tells the page; each variant's `msg_type` is its name in snake case.
#[derive(Debug, Clone, PartialEq)]
pub enum ToPage {
    /// The cell has started and got this execution count.
    ExecuteInput(ExecuteInput),
    /// Text the cell printed.
    Stream(Stream),
    /// Rich output as a MIME bundle.
    DisplayData(DisplayData),
    /// Replaces the output shown with the same `display_id`.
    UpdateDisplayData(DisplayData),
    /// The cell ended with an error.
    Error(ErrorContent),
    /// The cell is over.
    ExecuteReply(ExecuteReply),
    /// Starting, busy or idle.
    Status(Status),
    /// The cell waits for a line of text.
    InputRequest(InputRequest),
    /// The cell stopped at a breakpoint and waits to be let go.
    BreakpointRequest(BreakpointRequest),
    /// The interrupt was delivered.
    InterruptReply(Empty),
    /// The answer to a file request.
    FileReply(FileReply),
    /// Paths that changed, whoever changed them (a cell, a worker, a file request).
    FilesChanged(FilesChanged),
    /// A log record, for the log viewer (every record of the session).
    LogRecord(LogEntry),
    /// The live worker processes, after every change.
    Workers(WorkerList),
    /// Whether the files are saved in the browser, sent at start-up and whenever that
    /// changes (storage refused, a save failed, saving works again).
    Storage(StorageStatus),
    /// Files of this tab that another tab of the notebook changed or removed, its write
    /// being the later one (both tabs share one store).
    FilesReplaced(FilesReplaced),
}

/// Where the kernel's files live.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageStatus {
    /// Saved in the browser's storage (IndexedDB) after every change.
    pub persistent: bool,
    /// Why not, when not: the browser's refusal in its words. When `persistent`, what the
    /// browser lost before this start (see [`StorageStatus::lost_reason`]).
    pub reason: Option<String>,
}

impl StorageStatus {
    /// The reason a persistent start carries when the browser found its saved files
    /// damaged and deleted them; `words` are the browser's own, perhaps empty.
    pub fn lost_reason(words: &str) -> String {
        match words.trim() {
            "" => "the browser found its saved files damaged and deleted them".to_string(),
            words => format!("the browser found its saved files damaged and deleted them: {words}"),
        }
    }

    /// What the page says about it; `None` when all is well.
    pub fn notice(&self) -> Option<String> {
        if self.persistent {
            let lost = self.reason.as_deref()?;
            return Some(format!(
                "Saved files were lost ({lost}); this happens when a crash breaks the browser's \
                 own storage. The notebook starts again from its starting files, and saves as before."
            ));
        }
        let why = self.reason.as_deref().unwrap_or("the browser refused its storage");
        Some(format!(
            "Files are kept in memory only ({why}). The notebook works, but its files are lost \
             when the kernel restarts or the page is closed: download the ones to keep."
        ))
    }
}

/// Files another tab changed under this one (see [`ToPage::FilesReplaced`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilesReplaced {
    /// Their absolute paths, sorted.
    pub paths: Vec<String>,
}

impl FilesReplaced {
    /// What the page says: which files, and that this tab now has the other's version.
    pub fn notice(&self) -> String {
        const NAMED: usize = 3;
        let mut names: Vec<String> =
            self.paths.iter().take(NAMED).map(|p| crate::pyrepr::str_repr(p)).collect();
        match self.paths.len().saturating_sub(NAMED) {
            0 => {}
            1 => names.push("1 more file".to_string()),
            n => names.push(format!("{n} more files")),
        }
        let listed = match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => "no file".to_string(),
        };
        let them = if self.paths.len() == 1 { "it" } else { "them" };
        format!(
            "Another tab changed or removed {listed} after this tab last wrote {them}. The later \
             write wins: this tab now has the other tab's version."
        )
    }
}

/// The live worker processes, for the page's workers list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerList {
    /// One row per live worker.
    pub workers: Vec<WorkerRow>,
}

/// One live worker process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerRow {
    /// Its name, e.g. `SpawnPoolWorker-2`.
    pub name: String,
    /// Its process id.
    pub pid: u32,
    /// Starting, idle or busy.
    pub state: WorkerState,
    /// The task it runs, if busy.
    pub task: Option<String>,
    /// The cell that started it.
    pub cell: String,
}

/// One log record as the log viewer shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// When it was made, ms since 1970.
    pub created_ms: f64,
    /// Its level number (DEBUG 10 ... CRITICAL 50).
    pub level: u32,
    /// Its level name.
    pub level_name: String,
    /// The logger's dotted name (`root` for the root logger).
    pub logger: String,
    /// The message.
    pub message: String,
    /// The process it came from (`MainProcess` for the kernel).
    pub process_name: String,
}

/// What the page asks of the kernel's file system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRequest {
    /// Every path with its size.
    List,
    /// A file's whole contents (to download it), answered by [`FileReply::Contents`].
    Read {
        /// Absolute or relative path.
        path: String,
    },
    /// Creates or replaces the file `name` in `dir` with the message's one buffer (an
    /// upload from the computer); answered by [`FileReply::Uploaded`]. `name` is a file's
    /// name, not a path: one with `/`, `\`, NUL, or that is empty, `.` or `..`, is
    /// refused, so an upload lands in `dir` and nowhere else.
    Upload {
        /// The folder, absolute or relative.
        dir: String,
        /// The file's name in it.
        name: String,
    },
    /// Puts back the starting files and nothing else.
    Reset,
    /// The first bytes of a file and its whole size (the file browser's preview).
    Preview {
        /// Absolute or relative path.
        path: String,
        /// The most bytes to send.
        max_bytes: u64,
    },
    /// Creates an empty file; fails if the path exists (`open(path, "x")`).
    Create {
        /// Absolute or relative path.
        path: String,
    },
    /// Creates a directory (`os.mkdir`).
    Mkdir {
        /// Absolute or relative path.
        path: String,
    },
    /// Renames or moves a file or directory; fails if the target exists.
    Rename {
        /// The current path.
        from: String,
        /// The new path.
        to: String,
    },
    /// Deletes a file, or a directory: an empty one always, one with contents only when
    /// `recursive` (the page asks the person first).
    Delete {
        /// Absolute or relative path.
        path: String,
        /// Whether a directory goes with everything in it.
        #[serde(default)]
        recursive: bool,
    },
}

/// One path, as the file browser lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Absolute path.
    pub path: String,
    /// Whether it is a directory.
    pub is_dir: bool,
    /// Size in bytes.
    pub size: u64,
    /// Whether writes are refused.
    pub read_only: bool,
}

/// The answer to a [`FileRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileReply {
    /// The listing.
    Listing {
        /// Every path, sorted.
        entries: Vec<FileEntry>,
    },
    /// A file's contents: the message's one buffer.
    Contents {
        /// The path asked for.
        path: String,
    },
    /// The start of a file, for a preview: at most `max_bytes` bytes from the start, as
    /// the message's one buffer.
    Preview {
        /// The path asked for.
        path: String,
        /// The file's whole size in bytes.
        size: u64,
    },
    /// The upload was written.
    Uploaded {
        /// Where, as an absolute path.
        path: String,
        /// How many bytes.
        size: u64,
    },
    /// The request was carried out.
    Done,
    /// It failed; nothing changed.
    Failed {
        /// The Python-style error, e.g. `FileNotFoundError: [Errno 2] ...`.
        error: String,
    },
}

/// What changed in the kernel's files since the kernel last said, pushed as it happens
/// (at most a few times a second) so the file browser follows cells, worker processes and
/// uploads alike without asking.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilesChanged {
    /// Paths that are new or whose entry changed (size, kind, read-only), sorted.
    pub entries: Vec<FileEntry>,
    /// Paths that no longer exist, sorted.
    pub removed: Vec<String>,
}

/// A content with no fields (`{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// Which cell to run, and the values of its input form; or a script cell's code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecuteRequest {
    /// The catalogue id of the cell, e.g. `A1`; or the id the page gave a script cell.
    pub cell_id: String,
    /// Input name → value; missing inputs take their defaults.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// A script cell's JavaScript, run by the script engine (`cell_id` then only names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// Sent when a cell starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecuteInput {
    /// The cell that started.
    pub cell_id: String,
    /// Its `In [n]` number.
    pub execution_count: u32,
}

/// Which output stream text went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamName {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Printed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stream {
    /// The stream written to.
    pub name: StreamName,
    /// The text, newlines included.
    pub text: String,
}

/// Rich output: MIME type → content (`text/plain` always present).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayData {
    /// The bundle.
    pub data: BTreeMap<String, String>,
    /// Names the output so later `update_display_data` messages replace it (Jupyter's
    /// `transient.display_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_id: Option<String>,
}

/// An error that ended a cell, as Jupyter reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorContent {
    /// The error's kind, e.g. `FileNotFoundError`.
    pub ename: String,
    /// Its message.
    pub evalue: String,
    /// Lines of a traceback-like report: where, what, and the cause chain.
    pub traceback: Vec<String>,
    /// For a script cell: the line of its code (from 1) the error was raised at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// How a cell run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStatus {
    /// It ran to the end.
    Ok,
    /// It returned an error.
    Error,
    /// It was stopped.
    Aborted,
}

/// The end of a cell run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExecuteReply {
    /// How it ended.
    pub status: ReplyStatus,
    /// Its `In [n]` number.
    pub execution_count: u32,
    /// What the run allocated, from the kernel's counting allocator (not in Jupyter's
    /// reply; absent from other kernels).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemoryFigures>,
}

/// The kernel's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionState {
    /// Loading; not ready for requests yet.
    Starting,
    /// Running a cell.
    Busy,
    /// Ready.
    Idle,
}

/// A status message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    /// The state now.
    pub execution_state: ExecutionState,
}

/// A prompt for a line of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputRequest {
    /// The prompt shown before the field.
    pub prompt: String,
    /// Hide what is typed.
    #[serde(default)]
    pub password: bool,
}

/// The line typed in answer to an input request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputReply {
    /// The text, without its newline.
    pub value: String,
}

/// A stop at a breakpoint (Python's `breakpoint()`): where, how many times this
/// breakpoint has been reached in the run, and the values the cell chose to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakpointRequest {
    /// The breakpoint's name, given by the cell (e.g. `loop`).
    pub name: String,
    /// 1 the first time this breakpoint is reached in the run, then 2, 3, ...
    pub hit: u32,
    /// The local values shown, in the cell's order.
    pub locals: Vec<Local>,
}

/// One local value at a breakpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Local {
    /// The variable's name.
    pub name: String,
    /// Its Rust type, without module paths (`Vec<u64>`).
    #[serde(rename = "type")]
    pub type_name: String,
    /// Its value as `{:?}` writes it.
    pub value: String,
}

/// How the person chose to go on from a breakpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakpointAction {
    /// Run to the next breakpoint (pdb's `continue`).
    Continue,
    /// Run to the end, passing every later breakpoint of this run.
    ContinueToEnd,
}

/// The answer to a breakpoint request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakpointReply {
    /// What to do.
    pub action: BreakpointAction,
}

/// One direction's message types ([`ToKernel`] or [`ToPage`]), each with its `msg_type`.
pub trait Body: Sized {
    /// Jupyter's name for this message type, e.g. `execute_request`.
    fn msg_type(&self) -> &'static str;

    /// Writes the `content`, the JSON value that goes beside `msg_type`.
    fn write_content(&self, w: &mut crate::json::Writer);

    /// Decodes a `content` given its `msg_type`; a type of the other direction is refused
    /// as unknown.
    fn from_parts(msg_type: &str, content: &str) -> Result<Self, crate::json::Error>;
}

/// The table of message types of one direction: `msg_type` names and the variant each
/// decodes to.
macro_rules! message_types {
    ($body:ident { $($name:literal => $variant:ident,)* }) => {
        impl Body for $body {
            fn msg_type(&self) -> &'static str {
                match self {
                    $($body::$variant(_) => $name,)*
                }
            }

            fn write_content(&self, w: &mut crate::json::Writer) {
                match self {
                    $($body::$variant(content) => crate::json::ToJson::write_json(content, w),)*
                }
            }

            fn from_parts(msg_type: &str, content: &str) -> Result<$body, crate::json::Error> {
                use crate::json::FromJson;
                let mut r = crate::json::Reader::new(content);
                let body = match msg_type {
                    $($name => FromJson::read_json(&mut r).map($body::$variant),)*
                    other => Err(crate::json::unknown_variant(other, &[$($name),*])),
                }?;
                r.finish()?;
                Ok(body)
            }
        }
    };
}

message_types!(ToKernel {
    "execute_request" => ExecuteRequest,
    "input_reply" => InputReply,
    "breakpoint_reply" => BreakpointReply,
    "interrupt_request" => InterruptRequest,
    "file_request" => FileRequest,
});

message_types!(ToPage {
    "execute_input" => ExecuteInput,
    "stream" => Stream,
    "display_data" => DisplayData,
    "update_display_data" => UpdateDisplayData,
    "error" => Error,
    "execute_reply" => ExecuteReply,
    "status" => Status,
    "input_request" => InputRequest,
    "breakpoint_request" => BreakpointRequest,
    "interrupt_reply" => InterruptReply,
    "file_reply" => FileReply,
    "files_changed" => FilesChanged,
    "log_record" => LogRecord,
    "workers" => Workers,
    "storage" => Storage,
    "files_replaced" => FilesReplaced,
});

impl<B: Body, D> Message<B, D> {
    /// Encodes all but the buffers as the JSON text sent over `postMessage`:
    /// `{"header":...,"parent_header":...,"msg_type":...,"content":...}`.
    pub fn to_json(&self) -> String {
        use crate::json::ToJson;
        let mut w = crate::json::Writer::new();
        w.raw("{");
        w.key("header");
        self.header.write_json(&mut w);
        w.key("parent_header");
        self.parent_header.write_json(&mut w);
        w.key("msg_type");
        w.str(self.body.msg_type());
        w.key("content");
        self.body.write_content(&mut w);
        w.raw("}");
        w.into_string()
    }

    /// Decodes JSON text received from the other side, with no buffers.
    pub fn from_json(text: &str) -> Result<Message<B, D>, crate::json::Error> {
        Message::from_wire(text, Vec::new())
    }

    /// Decodes JSON text received from the other side, with the buffers that came beside
    /// it. The content is kept as raw JSON until `msg_type` says its type (which may come
    /// after it); other keys are passed over.
    pub fn from_wire(text: &str, buffers: Vec<D>) -> Result<Message<B, D>, crate::json::Error> {
        use crate::json::{read_field, take_field};
        let mut r = crate::json::Reader::new(text);
        let (mut header, mut parent_header, mut msg_type, mut content) = (None, None, None, None);
        r.object(&mut |r, key| match key {
            "header" => read_field(r, &mut header, key),
            "parent_header" => read_field(r, &mut parent_header, key),
            "msg_type" => read_field(r, &mut msg_type, key),
            "content" if content.is_none() => {
                content = Some(r.raw()?);
                Ok(())
            }
            "content" => Err(r.error("duplicate field `content`")),
            _ => r.skip(),
        })?;
        r.finish()?;
        let header = take_field(&r, header, "header")?;
        let parent_header: Option<Header> = take_field(&r, parent_header, "parent_header")?;
        let msg_type: String = take_field(&r, msg_type, "msg_type")?;
        let content = content.ok_or_else(|| r.missing("content"))?;
        let body = B::from_parts(&msg_type, content)?;
        Ok(Message { header, parent_header, body, buffers })
    }
}

/// Gives message headers unique ids: a fixed prefix and a counter.
#[derive(Debug)]
pub struct IdSource {
    prefix: &'static str,
    next: std::cell::Cell<u64>,
}

impl IdSource {
    /// Ids `prefix-1`, `prefix-2`, ...
    pub fn new(prefix: &'static str) -> IdSource {
        IdSource { prefix, next: std::cell::Cell::new(1) }
    }

    /// A fresh header.
    pub fn header(&self) -> Header {
        let n = self.next.get();
        self.next.set(n + 1);
        Header { msg_id: format!("{}-{n}", self.prefix) }
    }

    /// A message with a fresh header, answering `parent`, with no buffers.
    pub fn message<B>(&self, parent: Option<&Header>, body: B) -> Message<B> {
        self.message_with(parent, body, Vec::new())
    }

    /// A message with a fresh header, answering `parent`, with `buffers` beside it.
    pub fn message_with<B, D>(&self, parent: Option<&Header>, body: B, buffers: Vec<D>) -> Message<B, D> {
        Message { header: self.header(), parent_header: parent.cloned(), body, buffers }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_storage_notice_says_memory_only_or_what_the_browser_lost_and_nothing_when_well() {
        assert_eq!(StorageStatus { persistent: true, reason: None }.notice(), None);
        let memory = StorageStatus { persistent: false, reason: Some("quota".into()) }.notice().unwrap();
        assert!(memory.starts_with("Files are kept in memory only (quota)."), "{memory}");
        let reason = StorageStatus::lost_reason(" ");
        assert_eq!(reason, "the browser found its saved files damaged and deleted them");
        let lost = StorageStatus {
            persistent: true,
            reason: Some(StorageStatus::lost_reason("Corruption: bad block")),
        };
        let lost = lost.notice().unwrap();
        assert!(lost.starts_with("Saved files were lost (the browser found its saved files damaged and deleted them: Corruption: bad block);"), "{lost}");
        assert!(lost.ends_with("starts again from its starting files, and saves as before."), "{lost}");
    }

    #[test]
    fn the_files_another_tab_replaced_are_named_a_few_at_a_time() {
        let notice =
            |paths: &[&str]| FilesReplaced { paths: paths.iter().map(|p| p.to_string()).collect() }.notice();
        assert_eq!(
            notice(&["/home/user/thesis.txt"]),
            "Another tab changed or removed '/home/user/thesis.txt' after this tab last wrote it. The later \
             write wins: this tab now has the other tab's version."
        );
        assert!(notice(&["/a", "/b"]).contains("'/a' and '/b' after this tab last wrote them."));
        assert!(notice(&["/a", "/b", "/c", "/d"]).contains("'/a', '/b', '/c' and 1 more file after"));
        assert!(notice(&["/a", "/b", "/c", "/d", "/e"]).contains("'/c' and 2 more files after"));
    }

    #[test]
    fn json_shape_follows_jupyter() {
        let ids = IdSource::new("page");
        let msg = ids.message(
            None,
            ToKernel::ExecuteRequest(ExecuteRequest { cell_id: "A1".into(), ..ExecuteRequest::default() }),
        );
        let json: serde_json::Value = serde_json::from_str(&msg.to_json()).unwrap();
        assert_eq!(json["msg_type"], "execute_request");
        assert_eq!(json["header"]["msg_id"], "page-1");
        assert_eq!(json["content"]["cell_id"], "A1");
        assert!(json["parent_header"].is_null());
    }

    #[test]
    fn every_body_round_trips() {
        let ids = IdSource::new("kernel");
        let parent = ids.header();
        let to_page = vec![
            ToPage::Stream(Stream { name: StreamName::Stdout, text: "hi\n".into() }),
            ToPage::Status(Status { execution_state: ExecutionState::Idle }),
            ToPage::ExecuteReply(ExecuteReply {
                status: ReplyStatus::Aborted,
                execution_count: 3,
                memory: None,
            }),
            ToPage::ExecuteReply(ExecuteReply {
                status: ReplyStatus::Ok,
                execution_count: 4,
                memory: Some(MemoryFigures { held_bytes: -16, peak_bytes: 8_000_000, allocations: 21 }),
            }),
            ToPage::BreakpointRequest(BreakpointRequest {
                name: "loop".into(),
                hit: 3,
                locals: vec![Local { name: "i".into(), type_name: "u64".into(), value: "3".into() }],
            }),
            ToPage::Error(ErrorContent {
                ename: "E".into(),
                evalue: "v".into(),
                traceback: vec!["t".into()],
                line: Some(3),
            }),
            ToPage::FilesChanged(FilesChanged {
                entries: vec![FileEntry { path: "/a".into(), is_dir: false, size: 3, read_only: true }],
                removed: vec!["/b".into()],
            }),
            ToPage::FilesReplaced(FilesReplaced { paths: vec!["/home/user/thesis.txt".into()] }),
        ];
        for body in to_page {
            let msg = ids.message(Some(&parent), body);
            assert_eq!(Message::from_json(&msg.to_json()).unwrap(), msg);
        }
        let to_kernel = vec![
            ToKernel::BreakpointReply(BreakpointReply { action: BreakpointAction::Continue }),
            ToKernel::BreakpointReply(BreakpointReply { action: BreakpointAction::ContinueToEnd }),
            ToKernel::InterruptRequest(Empty {}),
            ToKernel::InputReply(InputReply { value: "7".into() }),
            ToKernel::FileRequest(FileRequest::Delete { path: "d".into(), recursive: true }),
        ];
        for body in to_kernel {
            let msg = ids.message(Some(&parent), body);
            assert_eq!(Message::from_json(&msg.to_json()).unwrap(), msg);
        }
    }

    #[test]
    fn bytes_travel_as_buffers_beside_the_json_never_inside_it() {
        let ids = IdSource::new("page");
        let upload = ToKernel::FileRequest(FileRequest::Upload { dir: "/tmp".into(), name: "a.bin".into() });
        let msg = ids.message_with(None, upload, vec![vec![0u8, 255, 7]]);
        let text = msg.to_json();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["content"], serde_json::json!({"upload": {"dir": "/tmp", "name": "a.bin"}}));
        let keys: Vec<_> = json.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["content", "header", "msg_type", "parent_header"], "Jupyter's four, no bytes");
        assert_eq!(Message::from_wire(&text, msg.buffers.clone()).unwrap(), msg);
        assert!(Message::<ToKernel>::from_json(&text).unwrap().buffers.is_empty());

        let contents = ToPage::FileReply(FileReply::Contents { path: "/a".into() });
        let reply = ids.message_with(Some(&msg.header), contents, vec![b"hi".to_vec()]);
        let json: serde_json::Value = serde_json::from_str(&reply.to_json()).unwrap();
        assert_eq!(json["content"], serde_json::json!({"contents": {"path": "/a"}}));
        let uploaded = ToPage::FileReply(FileReply::Uploaded { path: "/tmp/a.bin".into(), size: 3 });
        let json: serde_json::Value = serde_json::from_str(&ids.message(None, uploaded).to_json()).unwrap();
        assert_eq!(json["content"], serde_json::json!({"uploaded": {"path": "/tmp/a.bin", "size": 3}}));
    }

    #[test]
    fn each_side_refuses_the_messages_it_sends() {
        let ids = IdSource::new("page");
        let request = ids.message(None, ToKernel::InterruptRequest(Empty {})).to_json();
        let error = Message::<ToPage>::from_json(&request).unwrap_err().to_string();
        assert!(error.contains("unknown variant `interrupt_request`"), "{error}");
        let status = ids.message(None, ToPage::Status(Status { execution_state: ExecutionState::Idle }));
        assert!(Message::<ToKernel>::from_json(&status.to_json()).is_err());
    }

    #[test]
    fn content_may_come_first_and_an_unknown_type_is_refused_by_name() {
        let early = r#"{"content":{"execution_state":"busy"},"msg_type":"status","parent_header":null,"header":{"msg_id":"k-1"}}"#;
        assert_eq!(
            Message::<ToPage>::from_json(early).unwrap().body,
            ToPage::Status(Status { execution_state: ExecutionState::Busy })
        );
        let unknown = early.replace("\"status\"", "\"comm_open\"");
        let error = Message::<ToPage>::from_json(&unknown).unwrap_err().to_string();
        assert!(error.contains("comm_open") && error.contains("execute_reply"), "{error}");
        let wrong = early.replace("busy", "asleep");
        assert!(
            Message::<ToPage>::from_json(&wrong).is_err(),
            "a content that does not fit its type is refused"
        );
        assert!(Message::<ToPage>::from_json(r#"{"header":{"msg_id":"k"},"msg_type":"status"}"#).is_err());
    }

    #[test]
    fn breakpoints_and_memory_figures_have_a_plain_json_shape() {
        let request = ToPage::BreakpointRequest(BreakpointRequest {
            name: "loop".into(),
            hit: 2,
            locals: vec![Local { name: "product".into(), type_name: "u128".into(), value: "2".into() }],
        });
        let json: serde_json::Value =
            serde_json::from_str(&IdSource::new("kernel").message(None, request).to_json()).unwrap();
        assert_eq!(json["msg_type"], "breakpoint_request");
        assert_eq!(
            json["content"]["locals"][0],
            serde_json::json!({"name": "product", "type": "u128", "value": "2"})
        );

        let reply = r#"{"header":{"msg_id":"page-4"},"parent_header":null,"msg_type":"breakpoint_reply","content":{"action":"continue_to_end"}}"#;
        assert_eq!(
            Message::<ToKernel>::from_json(reply).unwrap().body,
            ToKernel::BreakpointReply(BreakpointReply { action: BreakpointAction::ContinueToEnd })
        );
        let unknown = reply.replace("continue_to_end", "step");
        assert!(
            Message::<ToKernel>::from_json(&unknown).is_err(),
            "an unknown action is refused, not guessed"
        );

        // A reply without figures (another kernel's) still reads, and writes none back.
        let plain = r#"{"header":{"msg_id":"k-1"},"parent_header":null,"msg_type":"execute_reply","content":{"status":"ok","execution_count":1}}"#;
        let message = Message::<ToPage>::from_json(plain).unwrap();
        assert!(matches!(&message.body, ToPage::ExecuteReply(r) if r.memory.is_none()));
        assert!(!message.to_json().contains("memory"));
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        assert!(Message::<ToKernel>::from_json("{").is_err());
        assert!(Message::<ToKernel>::from_json(
            r#"{"header":{"msg_id":"x"},"parent_header":null,"msg_type":"nope"}"#
        )
        .is_err());
    }
}

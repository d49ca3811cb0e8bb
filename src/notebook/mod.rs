//! The notebook runtime, free of browser code.
//!
//! - `protocol`: the Jupyter-shaped messages, one enum per direction (`ToKernel`,
//!   `ToPage`); `Message` reads its `msg_type` first and then decodes the `content` as that
//!   type; `protocol_json` writes and reads each content type's JSON by hand.
//! - `kernel`: the message-in, message-out state machine that owns the files, the running
//!   cell (run as a task of the platform, with its abort handle), and the waiting prompt and
//!   breakpoint; `outbox` stamps what it sends.
//! - `file_ops` (the file requests), `file_watch` (tells the page what changed in the files,
//!   a few times a second at most), `file_changes` (the diff of two listings, and applying
//!   it), `file_view` (the file browser's rows, sizes, text-or-binary and hex dump).
//! - `cell` (the `CellContext` a cell gets, and `CellError`), `form_input` (a form's numbers
//!   and the messages for those that do not read or fit), `catalog` (sections and cells),
//!   `debugger` (breakpoints: `locals!`, hit counts, the record each stop leaves), `output`
//!   (nbformat-like outputs), `display` (tables, charts, timelines as MIME bundles),
//!   `highlight` (the colour marks of a cell's source), `markdown_text` (a markdown cell's
//!   markdown again from its HTML, for the export), `log_bridge` (logging into the running
//!   cell and the log viewer), `logview` (the viewer's filter and record book), `scheduler`
//!   (the page's run queue: one cell at a time), `ipynb` (the `.ipynb` export), `throttle`
//!   (a display updated often reaches the page at most 30 times a second, the last state
//!   always).
//! - `stop_flag`: Stop as a flag the page shares with the kernel, read by running scripts.
//! - `script/`: script cells, whose JavaScript the script engine runs against this crate
//!   (the engine is a second module, loaded on the first script run).
//! - For script cells on the page: `js_cells` (where each sits among the catalogue's cells),
//!   `js_tokens` (the colours of their JavaScript), `code_edit` (Tab, Shift+Tab and Enter
//!   in their editor).

mod catalog;
mod cell;
pub mod code_edit;
pub mod debugger;
pub mod display;
pub mod file_changes;
mod file_ops;
pub mod file_view;
mod file_watch;
mod form_input;
pub mod highlight;
pub mod ipynb;
pub mod js_cells;
pub mod js_tokens;
mod kernel;
pub mod log_bridge;
pub mod logview;
pub mod markdown_text;
mod outbox;
mod output;
pub mod protocol;
mod protocol_json;
mod scheduler;
pub mod script;
mod stop_flag;
pub mod throttle;

pub use crate::exception_name::ExceptionName;
pub use catalog::{field, Catalog, CellFn, CellSpec, CodeCell, CourseScript, InputSpec, Markdown, Section};
pub use cell::{CellContext, CellError, CellResult, Progress, ThreadHandle};
pub use form_input::InputNumber;
pub use kernel::{error_content, Kernel};
pub use outbox::Outbox;
pub use output::{Change, Output, Outputs};
pub use scheduler::Scheduler;
pub use stop_flag::{StopFlag, ThreadFlag};

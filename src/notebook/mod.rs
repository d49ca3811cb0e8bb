//! The notebook runtime, free of browser code: the page–kernel protocol, the kernel that
//! runs cells, the context a cell gets, the catalogue types, outputs, their `.ipynb`
//! export and the run queue.

mod catalog;
mod cell;
pub mod debugger;
pub mod display;
pub mod file_changes;
mod file_ops;
pub mod file_view;
mod file_watch;
pub mod highlight;
pub mod ipynb;
mod kernel;
pub mod log_bridge;
pub mod logview;
mod outbox;
mod output;
pub mod protocol;
mod scheduler;

pub use crate::exception_name::ExceptionName;
pub use catalog::{Catalog, CellFn, CellSpec, CodeCell, InputSpec, Markdown, Section};
pub use cell::{CellContext, CellError, CellResult, Progress, ThreadHandle};
pub use kernel::{error_content, Kernel};
pub use outbox::Outbox;
pub use output::{Change, Output, Outputs};
pub use scheduler::Scheduler;

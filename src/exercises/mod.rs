//! The notebook's content: one file per section of the exercise catalogue
//! (`../shared/EXERCISES.md`), each cell an `async fn(CellContext) -> CellResult`.
//!
//! - `py_builtins`: Python's built-in exceptions as one Rust error type, and `int`, `/` and
//!   `list[i]` failing as Python's do (section D).
//! - `crash`: the end of section A (A29, A30), a generation of self-checking files written
//!   through rename, and the count of which generation each file holds.
//! - `threads`, `processes` (sections F and G) and `concurrency_kit`, what they share.
//! - `tasks`: the tasks worker processes run (`registry()`: the library's general ones and
//!   the course's), the one list the kernel's worker host checks and `process_main` serves.
//! - `scripts/*.js`: one exercise of each section redone in JavaScript, shown as a course
//!   script cell right after the Rust cell it redoes (`course_script!`).

mod concurrency_kit;
pub mod crash;
mod debugging;
mod exceptions;
mod files;
mod intro;
mod logging;
mod memory;
mod processes;
mod py_builtins;
pub mod tasks;
mod theory;
mod threads;

use crate::notebook::Catalog;

include!(concat!(env!("OUT_DIR"), "/cell_sources.rs"));

/// Declares a code cell from a cell function, with the function's own source text
/// (extracted from this folder by `build.rs`) as the code the page shows, coloured. A
/// constant: a section lists its cells as `const { &[...] }`, and a cell's form as
/// `.inputs(const { &[field(name, label, default), ...] })`.
macro_rules! code_cell {
    ($id:expr, $title:expr, $func:ident) => {
        $crate::notebook::CodeCell::new($id, $title, $crate::exercises::cell_source::$func, |cx| {
            Box::pin($func(cx))
        })
        .highlighted($crate::exercises::cell_marks::$func)
    };
}
pub(crate) use code_cell;

/// A course script cell: its id, title, and the file `scripts/$file.js` as its code.
macro_rules! course_script {
    ($id:expr, $title:expr, $file:literal) => {
        $crate::notebook::CellSpec::Script($crate::notebook::CourseScript {
            id: $id,
            title: $title,
            code: include_str!(concat!("scripts/", $file, ".js")),
        })
    };
}
pub(crate) use course_script;

/// The whole notebook, in page order.
pub fn catalog() -> Catalog {
    Catalog {
        title: "Files, buffers, logs and threads: a Rust notebook",
        sections: vec![
            intro::section(),
            files::section(),
            logging::section(),
            debugging::section(),
            exceptions::section(),
            memory::section(),
            threads::section(),
            processes::section(),
            theory::section(),
        ],
    }
}

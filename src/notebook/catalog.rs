//! The notebook's content: sections of markdown and code cells, each code cell a Rust
//! function with the source text shown above it and a small form of inputs.
//!
//! A section's cells are constant data (`const { &[...] }`): building a hundred cells at
//! run time was 14 KB of code in the page's module; tests may still build theirs. (Each
//! section as a `const` item instead reads flatter but measured 0.5 KB more, gzipped.)

use std::borrow::Cow;

use futures::future::LocalBoxFuture;

use super::cell::{CellContext, CellResult};

/// The function a code cell runs.
pub type CellFn = fn(CellContext) -> LocalBoxFuture<'static, CellResult>;

/// One field of a cell's input form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// The name the cell reads it by (`cx.param(name)`).
    pub name: &'static str,
    /// The label shown beside the field.
    pub label: &'static str,
    /// The value it starts with.
    pub default: &'static str,
}

/// A code cell.
#[derive(Clone)]
pub struct CodeCell {
    /// The catalogue id, also the cell's anchor (`#A1`).
    pub id: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The Rust source of `run`, taken from its file at build time.
    pub source: &'static str,
    /// Colour marks for `source` (see [`super::highlight`]); empty shows it plain.
    pub highlight: &'static [u8],
    /// Its input form.
    pub inputs: &'static [InputSpec],
    /// Whether Run all includes it (cells that run until stopped do not).
    pub in_run_all: bool,
    /// The code.
    pub run: CellFn,
}

impl CodeCell {
    /// A cell with no inputs, included in Run all.
    pub const fn new(id: &'static str, title: &'static str, source: &'static str, run: CellFn) -> CodeCell {
        CodeCell { id, title, source, highlight: &[], inputs: &[], in_run_all: true, run }
    }

    /// Colours the source with marks made by `build.rs`.
    pub const fn highlighted(mut self, marks: &'static [u8]) -> CodeCell {
        self.highlight = marks;
        self
    }

    /// Gives the cell its input form.
    pub const fn inputs(mut self, inputs: &'static [InputSpec]) -> CodeCell {
        self.inputs = inputs;
        self
    }

    /// Leaves the cell out of Run all.
    pub const fn manual_only(mut self) -> CodeCell {
        self.in_run_all = false;
        self
    }
}

/// One input field: its name (`cx.param(name)`), label, and starting value.
pub const fn field(name: &'static str, label: &'static str, default: &'static str) -> InputSpec {
    InputSpec { name, label, default }
}

/// A markdown cell, as the HTML `build.rs` rendered from its text (the page shows it; the
/// `.ipynb` export writes its markdown again, see [`Markdown::text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Markdown {
    /// The cell's text, the project's own, as HTML.
    pub html: &'static str,
}

impl Markdown {
    /// Markdown that renders to [`Markdown::html`] (the text the export holds).
    pub fn text(&self) -> String {
        super::markdown_text::markdown_from_html(self.html)
    }

    /// Whether `a` and `b` hold the same text, at compile time (`build.rs` checks with it
    /// that the text it rendered is its source file's constant).
    pub const fn same_text(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// A course exercise redone in JavaScript: a script cell the notebook brings, beside the
/// Rust cell it redoes. Its code is the file `src/exercises/scripts/*.js` itself; the page
/// lets the person edit it and put it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CourseScript {
    /// Its id, the Rust cell's with `-js` (`A13-js`), also its anchor.
    pub id: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The JavaScript.
    pub code: &'static str,
}

/// A cell of any kind.
#[derive(Clone)]
pub enum CellSpec {
    /// Text in markdown, the project's own, with its HTML.
    Markdown(Markdown),
    /// Code that runs in the kernel.
    Code(CodeCell),
    /// A script cell of the course.
    Script(CourseScript),
}

/// A titled group of cells.
#[derive(Clone)]
pub struct Section {
    /// A short id, e.g. `A`.
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// Its cells in order (constant data for the course's).
    pub cells: Cow<'static, [CellSpec]>,
}

/// The whole notebook.
#[derive(Clone)]
pub struct Catalog {
    /// The title at the top of the page.
    pub title: &'static str,
    /// Sections in order.
    pub sections: Vec<Section>,
}

impl Catalog {
    /// Every code cell, in page order.
    pub fn code_cells(&self) -> impl Iterator<Item = &CodeCell> {
        self.sections.iter().flat_map(|s| s.cells.iter()).filter_map(|c| match c {
            CellSpec::Code(code) => Some(code),
            _ => None,
        })
    }

    /// The code cell with this id.
    pub fn find(&self, id: &str) -> Option<&CodeCell> {
        self.code_cells().find(|c| c.id == id)
    }

    /// Every course script cell, in page order.
    pub fn course_scripts(&self) -> impl Iterator<Item = &CourseScript> {
        self.sections.iter().flat_map(|s| s.cells.iter()).filter_map(|c| match c {
            CellSpec::Script(script) => Some(script),
            _ => None,
        })
    }

    /// The ids of the cells a person's script cell can follow (code cells and course
    /// script cells), in page order.
    pub fn anchors(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.sections.iter().flat_map(|s| s.cells.iter()).filter_map(|c| match c {
            CellSpec::Code(code) => Some(code.id),
            CellSpec::Script(script) => Some(script.id),
            CellSpec::Markdown(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Markdown;

    #[test]
    fn same_text_compares_whole_strings_and_text_is_markdown_of_the_html() {
        assert!(Markdown::same_text("abc", "abc") && !Markdown::same_text("abc", "abd"));
        assert!(!Markdown::same_text("abc", "ab"));
        assert_eq!(Markdown { html: "<p><em>é</em> 1 &lt; 2</p>\n" }.text(), "*é* 1 \\< 2");
    }
}

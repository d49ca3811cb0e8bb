//! The notebook's content: sections of markdown and code cells, each code cell a Rust
//! function with the source text shown above it and a small form of inputs.

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
    pub inputs: Vec<InputSpec>,
    /// Whether Run all includes it (cells that run until stopped do not).
    pub in_run_all: bool,
    /// The code.
    pub run: CellFn,
}

impl CodeCell {
    /// A cell with no inputs, included in Run all.
    pub fn new(id: &'static str, title: &'static str, source: &'static str, run: CellFn) -> CodeCell {
        CodeCell { id, title, source, highlight: &[], inputs: Vec::new(), in_run_all: true, run }
    }

    /// Colours the source with marks made by `build.rs`.
    pub fn highlighted(mut self, marks: &'static [u8]) -> CodeCell {
        self.highlight = marks;
        self
    }

    /// Adds an input field.
    pub fn input(mut self, name: &'static str, label: &'static str, default: &'static str) -> CodeCell {
        self.inputs.push(InputSpec { name, label, default });
        self
    }

    /// Leaves the cell out of Run all.
    pub fn manual_only(mut self) -> CodeCell {
        self.in_run_all = false;
        self
    }
}

/// A cell of either kind.
#[derive(Clone)]
pub enum CellSpec {
    /// Text in markdown, the project's own.
    Markdown(&'static str),
    /// Code that runs in the kernel.
    Code(CodeCell),
}

/// A titled group of cells.
#[derive(Clone)]
pub struct Section {
    /// A short id, e.g. `A`.
    pub id: &'static str,
    /// The heading.
    pub title: &'static str,
    /// Its cells in order.
    pub cells: Vec<CellSpec>,
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
        self.sections.iter().flat_map(|s| &s.cells).filter_map(|c| match c {
            CellSpec::Code(code) => Some(code),
            CellSpec::Markdown(_) => None,
        })
    }

    /// The code cell with this id.
    pub fn find(&self, id: &str) -> Option<&CodeCell> {
        self.code_cells().find(|c| c.id == id)
    }
}

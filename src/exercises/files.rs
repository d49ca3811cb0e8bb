//! Section A of the catalogue: reading, writing and appending files.

use super::code_cell;
use crate::notebook::{CellContext, CellResult, CellSpec, Section};

const INTRO: &str = "\
A file object is a door onto bytes on a disk. `open(path, mode)` picks which door: `r` \
reads an existing file, `w` creates or empties one to write it, `a` writes after what is \
already there. The disk here lives in the kernel's memory; its working directory, \
`/home/user`, starts with one file, `sample.txt`.

In Rust, the file closes when its variable goes out of scope, the same promise Python's \
`with` block makes, so no cell below calls `close` by hand.";

/// A1: read a whole text file and print it; a missing file is reported, not fatal.
pub async fn a1_read_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    match cx.fs().open(&path, "r") {
        Ok(mut file) => {
            let content = file.read()?;
            cx.println("File content:");
            cx.print(content);
        }
        Err(error) => cx.println(format!("{}: {error}", error.kind().python_name())),
    }
    Ok(())
}

/// A2: write three lines to a file, replacing what it held.
pub async fn a2_write_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    {
        let mut file = cx.fs().open(&path, "w")?;
        file.write("Hello from the kernel!\n")?;
        file.write("Mode 'w' empties the file before writing.\n")?;
        file.write("Run this cell again: still three lines.\n")?;
    } // the file closes here
    cx.println(format!("Wrote 3 lines to '{path}'. It now reads:"));
    cx.print(cx.fs().open(&path, "r")?.read()?);
    Ok(())
}

/// A3: append one line; each run adds another.
pub async fn a3_append_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let note = cx.param("note");
    cx.fs().open(&path, "a")?.write(&format!("{note}\n"))?;
    let content = cx.fs().open(&path, "r")?.read()?;
    cx.println(format!("Appended to '{path}', which now has {} line(s):", content.lines().count()));
    cx.print(content);
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "A",
        title: "A. Files",
        cells: vec![
            CellSpec::Markdown(INTRO),
            CellSpec::Code(code_cell!("A1", "Read a file", a1_read_file).input("file", "file", "sample.txt")),
            CellSpec::Code(code_cell!("A2", "Write a file", a2_write_file).input(
                "file",
                "file",
                "output.txt",
            )),
            CellSpec::Code(
                code_cell!("A3", "Append to a file", a3_append_file)
                    .input("file", "file", "my_notes.txt")
                    .input("note", "line to add", "A line appended by A3."),
            ),
        ],
    }
}

//! The opening section: what the notebook is, and how running and stopping cells works.

use std::borrow::Cow;
use std::time::Duration;

use super::code_cell;
use crate::notebook::{CellContext, CellResult, CellSpec, Section};

const ABOUT: &str = "\
This page is a notebook whose cells are Rust, compiled to WebAssembly and run in your \
browser; no server is involved. It follows a course on files, buffering, logging, \
debugging, errors, memory and concurrency, with one cell per exercise.

**Using it.** Each code cell shows the Rust function it runs. Change the values in a \
cell's form, press **Run** (or **Run all** at the top) and its output appears below it. \
`In [n]` counts runs, as in Jupyter. **Shift+Enter** runs the cell you are in and moves \
to the next one; **Ctrl+Enter** runs it and stays. Your edits to the forms are kept \
after a reload (**Reset inputs** puts the defaults back), and **Export .ipynb** saves \
the notebook with its outputs in a file Jupyter opens.

**Where things live.** Cells run in a *kernel*, a web worker beside the page, which owns \
a small disk whose working directory is `/home/user`. The disk is saved in your \
browser's storage, so files are still there after a reload. **Files** at the top opens \
it: every file with its size, shown as text or hex, to download, upload, rename or \
delete. **Logs** opens every record the loggers let through, filtered by level, logger \
or text, and **Workers** lists the worker processes alive. The page only draws cells \
and sends requests, so it stays responsive whatever a cell does, and after the first \
visit it opens without a network.";

const ASKING: &str = "\
A cell can also ask you something, as Python's `input()` does: a field appears in its \
output and the cell waits until you press Enter.";

const STOPPING: &str = "\
**Stop** ends the running cell. A cell that waits (a sleep, a prompt) is cancelled at \
that wait, and the kernel carries on. A cell that computes without ever waiting cannot \
be interrupted from inside, so Stop replaces the kernel with a fresh one, as a kernel \
restart does in Jupyter: your files stay, but everything else the kernel held starts \
over (the `In [n]` count, for one). Try both cells below. \
Run all skips the cells that wait for you: the three of this section, the breakpoint \
cells C1 and C2, and D14, which asks for two numbers.";

/// Counts once a second until stopped: Stop cancels it at its next sleep.
pub async fn count_until_stopped(cx: CellContext) -> CellResult {
    let mut seconds = 0u64;
    loop {
        cx.println(format!("waited {seconds} s"));
        cx.sleep(Duration::from_secs(1)).await;
        seconds += 1;
    }
}

/// Spins without ever waiting: only replacing the kernel stops it.
pub async fn runaway_loop(cx: CellContext) -> CellResult {
    let mut turns: u64 = 0;
    loop {
        turns = turns.wrapping_add(1);
        if turns % (1 << 28) == 0 {
            cx.println(format!("still spinning after {turns} turns"));
        }
    }
}

/// Asks for a name: the cell waits at its prompt until you type and press Enter.
pub async fn ask_for_a_name(cx: CellContext) -> CellResult {
    let name = cx.input("What is your name? ").await?;
    match name.trim() {
        "" => cx.println("No name given. Hello, whoever you are!"),
        name => cx.println(format!("Hello, {name}! This answer went from the page to the kernel and back.")),
    }
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "intro",
        title: "Using this notebook",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::ABOUT),
                    CellSpec::Markdown(md::ASKING),
                    CellSpec::Code(code_cell!("U3", "A cell that asks", ask_for_a_name).manual_only()),
                    CellSpec::Markdown(md::STOPPING),
                    CellSpec::Code(code_cell!("U1", "A cell that waits", count_until_stopped).manual_only()),
                    CellSpec::Code(code_cell!("U2", "A cell that never waits", runaway_loop).manual_only()),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_intro.rs"));

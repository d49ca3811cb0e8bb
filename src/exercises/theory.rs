//! Section H of the catalogue: language background. Interpreted and compiled languages
//! (with a loop timed as compiled Rust and through a tiny bytecode interpreter), `import`
//! against Rust's `use` (with the paths that name one item), and error handling in general.

use std::borrow::Cow;

use super::code_cell;
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::pyrepr::str_repr;
use crate::words::count;

const COMPILED: &str = "\
**Interpreted and compiled languages.** A processor runs only its own machine code, so \
every program is translated at some point; languages differ in when, and by whom. A \
*compiler* translates the whole program before it runs, and what you run is the \
translation: C, Go and Rust work this way. An *interpreter* is itself a program, which \
reads yours while it runs and carries out each step on its behalf.

Most real systems mix the two. CPython first compiles your source to *bytecode*, compact \
instructions for a virtual machine, then runs that bytecode in a loop that fetches, \
decodes and carries out one instruction at a time (recent versions specialise the \
instructions a program uses most, and 3.13 added an experimental JIT compiler). Java and \
JavaScript engines start by interpreting and compile the busiest code to machine code as \
it runs.

The trade-off: compiled code starts and runs fast, and many mistakes (a wrong type, a \
misspelt name) are caught before the program ever runs, at the price of a build step. \
Interpreted code runs the moment it is written and can be changed while it runs, as a \
Jupyter kernel is, but every step pays for the fetching and dispatching, and some \
mistakes surface only when their line is reached.

**This notebook is compiled.** Its cells are Rust that `rustc` compiled, before the page \
was published, into WebAssembly: a compact binary format for a portable virtual \
processor, which browsers run in a sandbox. When the page loaded, your browser compiled \
that WebAssembly once more, into your own processor's machine code. Nothing reads Rust at \
run time: the source above each cell is there to be read. H1 runs one loop twice, as \
compiled code and through a tiny bytecode interpreter that works the way CPython's loop \
does.";

/// H1: the same sum as compiled Rust, and as bytecode run by a small interpreter.
pub async fn h1_compiled_vs_interpreted(cx: CellContext) -> CellResult {
    let n: u64 = cx.param_as("n")?;
    if n > 20_000_000 {
        return Err(CellError::new(
            "ValueError",
            format!("n is at most 20000000, so a run stays short; got {n}"),
        ));
    }

    // Compiled: this loop is machine code. `black_box` stops the compiler from replacing it
    // with the formula n(n+1)/2, which would time nothing.
    let start = cx.now_ms();
    let mut compiled_total: u64 = 0;
    for i in 1..=n {
        compiled_total += std::hint::black_box(i);
    }
    let compiled_ms = cx.now_ms() - start;

    // Interpreted: the same loop as instructions for a stack machine, fetched, decoded and
    // carried out one at a time by the `match` below.
    #[derive(Clone, Copy)]
    enum Op {
        Push(u64),         // push a constant
        Load(usize),       // push a variable
        Store(usize),      // pop into a variable
        Add,               // pop two, push their sum
        LessEqual,         // pop b, pop a, push 1 if a <= b else 0
        JumpIfZero(usize), // pop; jump if it was 0
        Jump(usize),       // jump
        Halt,
    }
    // Variables: 0 = total, 1 = i, 2 = n.  total = 0; i = 1; while i <= n: total += i; i += 1
    #[rustfmt::skip]
    let program = [
        Op::Push(0), Op::Store(0),
        Op::Push(1), Op::Store(1),
        Op::Load(1), Op::Load(2), Op::LessEqual, Op::JumpIfZero(17), // 4: loop test
        Op::Load(0), Op::Load(1), Op::Add, Op::Store(0),
        Op::Load(1), Op::Push(1), Op::Add, Op::Store(1),
        Op::Jump(4),
        Op::Halt, // 17
    ];
    fn pop(stack: &mut Vec<u64>) -> Result<u64, CellError> {
        stack.pop().ok_or_else(|| CellError::new("RuntimeError", "the bytecode popped an empty stack"))
    }
    let start = cx.now_ms();
    let (mut vars, mut stack, mut pc, mut executed) = ([0, 0, n], Vec::with_capacity(4), 0, 0u64);
    let var = |slot: usize| CellError::new("RuntimeError", format!("no variable {slot}"));
    loop {
        let op =
            *program.get(pc).ok_or_else(|| CellError::new("RuntimeError", "jumped out of the program"))?;
        executed += 1;
        pc += 1;
        match op {
            Op::Push(value) => stack.push(value),
            Op::Load(slot) => stack.push(*vars.get(slot).ok_or_else(|| var(slot))?),
            Op::Store(slot) => *vars.get_mut(slot).ok_or_else(|| var(slot))? = pop(&mut stack)?,
            Op::Add => {
                let (b, a) = (pop(&mut stack)?, pop(&mut stack)?);
                stack.push(a + b);
            }
            Op::LessEqual => {
                let (b, a) = (pop(&mut stack)?, pop(&mut stack)?);
                stack.push(u64::from(a <= b));
            }
            Op::JumpIfZero(target) if pop(&mut stack)? == 0 => pc = target,
            Op::JumpIfZero(_) => {}
            Op::Jump(target) => pc = target,
            Op::Halt => break,
        }
    }
    let interpreted_ms = cx.now_ms() - start;
    let interpreted_total = vars[0];

    cx.println(format!("sum of 1..={n}: compiled {compiled_total}, interpreted {interpreted_total}"));
    let (executed, turns) = (count(executed, "instruction", "instructions"), count(n, "turn", "turns"));
    cx.println(format!("the interpreter carried out {executed} for {turns} of the loop"));
    let rows = vec![
        vec!["compiled Rust (machine code)".to_string(), format!("{compiled_ms:.1}")],
        vec!["bytecode through an interpreter".to_string(), format!("{interpreted_ms:.1}")],
    ];
    cx.table(&["how the loop ran", "milliseconds"], &rows);
    if compiled_ms > 0.0 {
        cx.println(format!("The interpreted loop took {:.0} times as long.", interpreted_ms / compiled_ms));
    } else {
        cx.println("The compiled loop was too quick for the clock; try a larger n.");
    }
    Ok(())
}

const IMPORTS: &str = "\
**`import` and `from ... import`.** Both make Python run a module (once per program: \
later imports reuse the module object kept in `sys.modules`) and then bind names in the \
importing namespace. `import math` binds one name, `math`, and each use reads \
`math.sqrt(2)`: longer, but it says where `sqrt` comes from, and two modules' `sqrt`s \
cannot clash. `from math import sqrt` binds `sqrt` itself: shorter at each use, and only \
that name arrives (the whole module is still loaded). `as` renames either. `from math \
import *` brings in every public name, which hides where names come from and can quietly \
replace your own; it is best kept to the interactive prompt.

Rust's `use` looks similar and does much less. It runs nothing and loads nothing: it \
only gives a path a shorter name inside the current module, while compiling. Which \
libraries exist is settled by `Cargo.toml`, and what is used is compiled into the one \
program. `use std::collections;` followed by `collections::BTreeMap` is the `import` \
style; `use std::collections::BTreeMap;` is the `from ... import` style; `use ... as \
...` renames; `use std::collections::*;` is the glob, with the same drawbacks, though the \
compiler refuses a name that two globs make ambiguous. Whatever the path, it names the \
same item, as H2 shows.";

/// H2: four ways to name one type with `use`; they are all the same type.
pub async fn h2_use_paths(cx: CellContext) -> CellResult {
    use std::any::{type_name, TypeId};
    use std::collections; // as `import collections`
    use std::collections::BTreeMap; // as `from collections import BTreeMap`
    use std::collections::BTreeMap as SortedMap; // as `from collections import BTreeMap as SortedMap`

    let names = [
        ("std::collections::BTreeMap (full path)", type_name::<std::collections::BTreeMap<String, u32>>()),
        ("collections::BTreeMap", type_name::<collections::BTreeMap<String, u32>>()),
        ("BTreeMap", type_name::<BTreeMap<String, u32>>()),
        ("SortedMap", type_name::<SortedMap<String, u32>>()),
    ];
    let rows: Vec<Vec<String>> =
        names.iter().map(|(written, full)| vec![written.to_string(), full.to_string()]).collect();
    cx.table(&["written as", "the type it names"], &rows);

    let same = TypeId::of::<collections::BTreeMap<String, u32>>() == TypeId::of::<SortedMap<String, u32>>();
    cx.println(format!("collections::BTreeMap and SortedMap are the same type: {same}"));
    // So a value made through one name is used through another.
    let mut scores: SortedMap<String, u32> = collections::BTreeMap::new();
    scores.insert(cx.param("name"), 1);
    let seen: &BTreeMap<String, u32> = &scores;
    let entries: Vec<String> =
        seen.iter().map(|(name, score)| format!("{}: {score}", str_repr(name))).collect();
    cx.println(format!(
        "made as collections::BTreeMap, held as SortedMap, read as BTreeMap: {{{}}}",
        entries.join(", ")
    ));
    Ok(())
}

const HANDLING: &str = "\
**Error handling in general.** Programs meet failures they cannot prevent: a missing \
file, a typo in a form, a full disk, a dropped connection. Handling one means noticing \
it, getting the news to the code that can decide what to do, and leaving everything in \
a sound state on the way. Languages take two broad routes.

*Exceptions* (Python, Java, C#, JavaScript, C++): a failure is thrown and unwinds the \
stack, leaving each function on the way, until a handler for its type catches it. The \
code in between stays uncluttered, but nothing in a function's signature says what it \
may throw, so a case is easily forgotten, or too much caught.

*Errors as values* (Rust, Go, and the return codes of C before them): a function returns \
either its result or an error, and the caller must look. Rust makes looking short, with \
`?`, and hard to skip: an unused `Result` draws a compiler warning, and a `match` must \
cover every kind of error. The path an error takes can be read in the code.

Both routes agree on good practice: catch only what you can handle, close to where \
something can be done about it; keep the details (kind, message, cause); release \
resources on every path; and tell the person something they can act on. For bugs, such \
as an index that should never be out of range, both have a last resort that stops rather \
than carry on with bad state: an uncaught exception in Python, a *panic* in Rust. \
Section D shows each of these in a cell.";

/// The section.
pub fn section() -> Section {
    Section {
        id: "H",
        title: "H. Language background",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::COMPILED),
                    CellSpec::Code(
                        code_cell!("H1", "A loop compiled and interpreted", h1_compiled_vs_interpreted)
                            .inputs(const { &[field("n", "loop turns", "1000000")] }),
                    ),
                    CellSpec::Markdown(md::IMPORTS),
                    CellSpec::Code(
                        code_cell!("H2", "One item, several use paths", h2_use_paths)
                            .inputs(const { &[field("name", "a key to store", "alice")] }),
                    ),
                    CellSpec::Markdown(md::HANDLING),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_theory.rs"));

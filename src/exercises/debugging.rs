//! Section C of the catalogue: debugging. Python stops a program with `breakpoint()` (or
//! `pdb.set_trace()`) and lets you look at its variables; these cells stop with
//! `cx.breakpoint(name, locals![...])`, and the page shows the values and waits for
//! Continue. C1 stops in a loop, C1b just before an error nobody catches, C2 watches a list
//! grow, C3 traces a recursive function.

use std::borrow::Cow;

use super::py_builtins::float_str;
use super::{code_cell, course_script};
use crate::case::Case;
use crate::locals;
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::pyrepr::str_repr;
use crate::words::count;

const INTRO: &str = "\
A debugger lets you halt a program halfway and look around: which turn of the loop it is \
in, what each variable holds, how deep the calls go. In Python you put `breakpoint()` (or \
`pdb.set_trace()`) on the line where you want to stop, and a prompt opens there. The \
cells of this section do the same with one line:

```rust
cx.breakpoint(\"loop\", locals![i, product]).await?;
```

When the cell reaches it, the cell's state changes to **paused** and a box opens in its \
output: the breakpoint's name, how many times the run has reached it, and a table of the \
values listed, each with its name, its Rust type and its value. Then you choose:

- **Continue** lets the cell run to its next breakpoint (pdb's `c`). It has the keyboard \
focus, so Enter presses it.
- **Continue to the end** lets the cell finish without stopping at any breakpoint again \
during this run.
- **Stop** ends the run where it stands, exactly as the Stop button in the toolbar does.

Every stop leaves a small table in the output, titled with where it paused, the hit \
number and how you went on, so once the run is over you can read the values at each stop \
from top to bottom. The cell has to name what it shows because compiled Rust, unlike \
Python, keeps no names of local variables while it runs; `locals![i, product]` takes each \
variable's name from the source and its value from `{:?}` (write `next = a + b` to show an \
expression under a name). A paused cell is waiting, not busy: the page, the file browser \
and the log viewer go on working. Run all skips C1, C1b and C2, because they wait for \
you; C3 stops only if you ask it to.";

const LOOP: &str = "\
**A variable inside a loop.** The factorial of `n` is built up in a loop, and the cell \
stops at the end of every turn, after `product` has been multiplied by `i`. Press \
Continue a few times to watch `product` go 1, 2, 6, 24, ... and then Continue to the \
end. The product is a 128-bit number, so `n` can go up to 34 before it overflows; past \
that the cell says so instead of giving a wrong answer.";

/// C1: a factorial loop with a breakpoint in every turn, showing `i` and the running product.
pub async fn c1_factorial_loop(cx: CellContext) -> CellResult {
    let n: u32 = cx.param_as("n")?;
    cx.println(format!("Computing {n}! with a breakpoint at the end of each turn of the loop."));
    let mut product: u128 = 1;
    for i in 1..=n {
        product = product.checked_mul(u128::from(i)).ok_or_else(|| {
            CellError::new(
                "OverflowError",
                format!("{n}! does not fit in 128 bits (it overflowed at i = {i})"),
            )
        })?;
        cx.breakpoint("loop", locals![i, product]).await?;
    }
    cx.println(format!("The factorial of {n} is {product}"));
    Ok(())
}

const THEN_AN_ERROR: &str = "\
**A breakpoint, then an error.** A debugger is most useful just before a line that fails. \
Here `divide` stops before it divides: the table shows `a` and `b`, and with `b` at 0 you \
can see what is coming. Press Continue and the division raises `ZeroDivisionError`, which \
nothing catches: the cell ends with the error and its traceback, innermost call last, as \
Python prints it. Compiled Rust keeps no call stack in its errors, so each function adds \
its own frame as the error passes (`passing_through`, which records the line it is \
called from). Give `b` another value to see the division succeed.";

/// C1b: a breakpoint before a division by zero: pause, look at `a` and `b`, continue, and
/// the error nobody catches ends the cell with its traceback.
pub async fn c1b_breakpoint_then_error(cx: CellContext) -> CellResult {
    async fn divide(cx: &CellContext, a: i64, b: i64) -> Result<f64, CellError> {
        cx.breakpoint("divide", locals![a, b]).await?; // breakpoint()
        if b == 0 {
            // `a / b` in Python raises here; Rust's integer division would panic instead.
            return Err(CellError::new("ZeroDivisionError", "division by zero").passing_through("divide"));
        }
        Ok(a as f64 / b as f64)
    }

    let a: i64 = cx.param_as("a")?;
    let b: i64 = cx.param_as("b")?;
    let result = divide(&cx, a, b).await.map_err(|e| e.passing_through("c1b_breakpoint_then_error"))?;
    cx.println(format!("divide({a}, {b}) = {}", float_str(result)));
    Ok(())
}

const LIST: &str = "\
**Watching a list grow.** The Fibonacci sequence starts `[0, 1]` and each new term is \
the sum of the last two. The breakpoint sits just before a term is pushed, so each stop \
shows the list as it is and the `next` term about to join it: the table grows by one \
number per stop. A `u64` holds the terms up to the 94th.";

/// C2: the Fibonacci list, stopping before each new term is pushed.
pub async fn c2_fibonacci_list(cx: CellContext) -> CellResult {
    let n: usize = cx.param_as("n")?;
    cx.println(format!("Calculating the Fibonacci sequence up to {}:", count(n, "term", "terms")));
    let mut fib_seq: Vec<u64> = vec![0, 1];
    fib_seq.truncate(n); // asked for fewer than two terms
    while let [.., a, b] = fib_seq[..] {
        if fib_seq.len() >= n {
            break;
        }
        let next = a.checked_add(b).ok_or_else(|| {
            CellError::new("OverflowError", format!("term {} does not fit in 64 bits", fib_seq.len() + 1))
        })?;
        cx.breakpoint("before push", locals![fib_seq, next]).await?;
        fib_seq.push(next);
    }
    cx.println(format!("Fibonacci sequence: {fib_seq:?}"));
    Ok(())
}

const TRACE: &str = "\
**Tracing a recursive function.** A recursive function calls itself on a smaller \
problem until it reaches one it can answer at once. To follow it, the cell prints a line \
when each call starts (`|-- fib 4`) and when it returns (`|-- return 3`), indented one \
step deeper for every call still waiting for an answer, which draws the call tree. `fib` \
calls itself twice, so the same small values are worked out again and again (count the \
`fib 1` lines); `factorial` calls itself once. Set *stop at each call* to `yes` to pause at \
the start of every call and see `n`, the depth and the `stack` of calls in progress, as \
pdb's `where` would show it.";

/// C3: a recursive function traced as a call tree, with a breakpoint per call if asked.
pub async fn c3_trace_recursion(cx: CellContext) -> CellResult {
    let n: u64 = cx.param_as("n")?;
    let function = cx.param("function").trim().lower();
    let limit = match function.as_str() {
        "fib" => 15,       // fib(15) makes 1,973 calls
        "factorial" => 20, // 20! is the largest that fits in a u64
        other => {
            return Err(CellError::new(
                "ValueError",
                format!("function must be fib or factorial, not {}", str_repr(other)),
            ))
        }
    };
    if n > limit {
        return Err(CellError::new("ValueError", format!("n must be at most {limit} for {function}")));
    }
    let stop_at_calls = match cx.param("stop").trim().lower().as_str() {
        "yes" | "y" | "true" => true,
        "no" | "n" | "false" | "" => false,
        other => {
            return Err(CellError::new(
                "ValueError",
                format!("stop at each call: yes or no, not {}", str_repr(other)),
            ))
        }
    };

    /// One traced call: prints its start, maybe stops, recurses, prints its return.
    fn call<'a>(
        cx: &'a CellContext,
        function: &'a str,
        n: u64,
        stack: &'a mut Vec<String>,
        stop_at_calls: bool,
    ) -> futures::future::LocalBoxFuture<'a, Result<u64, CellError>> {
        Box::pin(async move {
            let depth = stack.len();
            cx.println(format!("{}|-- {function} {n}", "| ".repeat(depth)));
            stack.push(format!("{function}({n})"));
            if stop_at_calls {
                cx.breakpoint("call", locals![n, depth, stack = stack.clone()]).await?;
            }
            let value = match (function, n) {
                ("fib", 0 | 1) => n,
                ("fib", _) => {
                    let left = call(cx, function, n - 1, stack, stop_at_calls).await?;
                    left + call(cx, function, n - 2, stack, stop_at_calls).await?
                }
                (_, 0 | 1) => 1,
                _ => n * call(cx, function, n - 1, stack, stop_at_calls).await?,
            };
            stack.pop();
            cx.println(format!("{}|-- return {value}", "| ".repeat(depth + 1)));
            Ok(value)
        })
    }

    let mut stack = Vec::new();
    let result = call(&cx, &function, n, &mut stack, stop_at_calls).await?;
    cx.println(format!("{function}({n}) = {result}"));
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "C",
        title: "C. Debugging",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Markdown(md::LOOP),
                    CellSpec::Code(
                        code_cell!("C1", "A breakpoint in a loop", c1_factorial_loop)
                            .inputs(const { &[field("n", "n", "5")] })
                            .manual_only(),
                    ),
                    CellSpec::Markdown(md::THEN_AN_ERROR),
                    CellSpec::Code(
                        code_cell!("C1b", "A breakpoint, then an error", c1b_breakpoint_then_error)
                            .inputs(const { &[field("a", "a", "5"), field("b", "b", "0")] })
                            .manual_only(),
                    ),
                    CellSpec::Markdown(md::LIST),
                    CellSpec::Code(
                        code_cell!("C2", "A list growing between stops", c2_fibonacci_list)
                            .inputs(const { &[field("n", "terms", "7")] })
                            .manual_only(),
                    ),
                    CellSpec::Markdown(md::TRACE),
                    CellSpec::Code(
                        code_cell!("C3", "Tracing a recursive function", c3_trace_recursion).inputs(
                            const {
                                &[
                                    field("function", "function (fib or factorial)", "fib"),
                                    field("n", "n", "4"),
                                    field("stop", "stop at each call (yes or no)", "no"),
                                ]
                            },
                        ),
                    ),
                    course_script!("C3-js", "Tracing a recursive function, in JavaScript", "c3_trace"),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_debugging.rs"));

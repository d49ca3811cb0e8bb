//! Section E of the catalogue: memory. Reference counts going up and down with `Rc`, a
//! cycle that is never freed and a `Weak` link that avoids it; `Drop`, Rust's `__del__`;
//! and the memory a list of a million squares takes, from the counting allocator.

use std::borrow::Cow;

use super::{code_cell, course_script};
use crate::memory::{self, format_bytes, format_count};
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::words::count;

const INTRO: &str = "\
Every value a program makes lives somewhere in memory, and something has to decide when \
that memory can be used again. Python decides at run time. Each object carries a \
*reference count*, the number of names, lists and other objects pointing at it; when it \
drops to zero the object is freed on the spot. Objects that point at each other in a \
circle never reach zero, so a second mechanism, the cyclic garbage collector, searches \
for such groups from time to time and frees them.

Rust decides when it compiles. Each value has exactly one *owner*, and the value is freed \
the moment its owner goes out of scope: no counting, no collector. Where a value really \
needs several owners, the program asks for counting explicitly with `Rc` (\"reference \
counted\"), which behaves much like a Python object: `Rc::clone` adds a reference, \
dropping a handle takes one away, and the value goes when the count reaches zero. What \
Rust does not have is the cycle collector: `Rc`s that form a circle keep each other alive \
for good. The cure is `Weak`, a reference that does not count and has to be *upgraded* \
to reach the value, which fails once the value is gone.

Every allocation this notebook makes goes through a small counting allocator, so each \
cell reports how much memory its run used, next to the time it took: the **peak** above \
what was held when it started, the number of **allocations**, and what it still **held** \
at the end (files it wrote and logs it kept stay behind, for instance), or what it \
**freed** if it gave back memory held before it started. The figures count the bytes the \
code asked for, not the allocator's own bookkeeping.";

const COUNTS: &str = "\
**Reference counts, live.** The table follows one `Rc<String>` as handles to it are \
made and dropped: `strong_count` is Python's reference count, `weak_count` the weak \
references. Then two nodes point at each other: dropping our two handles leaves each \
node held by the other, so neither is ever freed, and the memory stays taken (a leak; \
this cell breaks the circle by hand afterwards so it does not pile up). Making the link \
back from child to parent a `Weak` one lets both go as soon as the handles are dropped.";

/// E1: `Rc` counts going up and down, a cycle that leaks, and a `Weak` link that frees it.
pub async fn e1_reference_counts(cx: CellContext) -> CellResult {
    use std::cell::{Cell, RefCell};
    use std::rc::{Rc, Weak};

    let counts = |step: &str, value: &Rc<String>| {
        vec![step.to_string(), Rc::strong_count(value).to_string(), Rc::weak_count(value).to_string()]
    };
    let a = Rc::new(String::from("shared text"));
    let mut rows = vec![counts("let a = Rc::new(..)", &a)];
    let b = Rc::clone(&a);
    rows.push(counts("let b = Rc::clone(&a)", &a));
    {
        let _c = Rc::clone(&a);
        rows.push(counts("{ let c = Rc::clone(&a); (inside a block)", &a));
    }
    rows.push(counts("} (the block ends: c is dropped)", &a));
    let w = Rc::downgrade(&a);
    rows.push(counts("let w = Rc::downgrade(&a)", &a));
    drop(b);
    rows.push(counts("drop(b)", &a));
    cx.println("One Rc<String>, step by step:");
    cx.table(&["step", "strong_count", "weak_count"], &rows);
    drop(a);
    cx.println(format!(
        "drop(a): the last strong handle is gone, the text is freed, and w.upgrade() gives {:?}.",
        w.upgrade()
    ));

    /// A node that points at another one and counts how many nodes were freed.
    struct Node {
        next: RefCell<Option<Rc<Node>>>,
        back: RefCell<Weak<Node>>,
        freed: Rc<Cell<u32>>,
    }
    impl Drop for Node {
        fn drop(&mut self) {
            self.freed.set(self.freed.get() + 1);
        }
    }
    let node = |freed: &Rc<Cell<u32>>| {
        Rc::new(Node { next: RefCell::new(None), back: RefCell::new(Weak::new()), freed: Rc::clone(freed) })
    };

    cx.println("\nA cycle: x → y → x, both links strong.");
    let freed = Rc::new(Cell::new(0));
    let (watch_x, held) = {
        let ((watch_x, linked), figures) = memory::measure(|| {
            let (x, y) = (node(&freed), node(&freed));
            *x.next.borrow_mut() = Some(Rc::clone(&y));
            *y.next.borrow_mut() = Some(Rc::clone(&x));
            let linked = (Rc::strong_count(&x), Rc::strong_count(&y));
            (Rc::downgrade(&x), linked) // x and y, our two handles, are dropped here
        });
        cx.println(format!("  strong counts once linked: x {}, y {}", linked.0, linked.1));
        (watch_x, figures.held_bytes)
    };
    cx.println(format!(
        "  after dropping both handles: {} of 2 nodes freed, {} still held",
        freed.get(),
        format_bytes(held.unsigned_abs())
    ));
    if let Some(x) = watch_x.upgrade() {
        cx.println(format!(
            "  x is still reachable through a Weak: strong count {} (y's link)",
            Rc::strong_count(&x) - 1
        ));
        x.next.borrow_mut().take(); // break the circle by hand: y goes, then x
    }
    cx.println(format!("  after setting x.next = None by hand: {} of 2 nodes freed", freed.get()));

    cx.println("\nParent → child strong, child → parent Weak.");
    let freed = Rc::new(Cell::new(0));
    let (linked, figures) = memory::measure(|| {
        let (parent, child) = (node(&freed), node(&freed));
        *parent.next.borrow_mut() = Some(Rc::clone(&child));
        *child.back.borrow_mut() = Rc::downgrade(&parent);
        let parent_seen = child.back.borrow().upgrade().is_some();
        (Rc::strong_count(&parent), Rc::strong_count(&child), Rc::weak_count(&parent), parent_seen)
    });
    cx.println(format!(
        "  once linked: parent strong {}, child strong {}, parent weak {}; the child reaches its parent: {}",
        linked.0, linked.1, linked.2, linked.3
    ));
    cx.println(format!(
        "  after dropping both handles: {} of 2 nodes freed, {} still held",
        freed.get(),
        format_bytes(figures.held_bytes.unsigned_abs())
    ));
    Ok(())
}

const COLLECTOR: &str = "\
**What `gc.collect()` does.** CPython's cycle collector does not search all memory: it \
keeps a list of every object that can hold references (lists, dicts, instances), and \
finds cycles among them by counting. For each object it copies the reference count, then \
subtracts one for every reference *from another tracked object*. Whatever keeps a count \
above zero is referred to from outside, by a variable or the stack: it is alive, and so \
is everything it reaches. The rest can only be reached from inside the group, so nothing \
can ever use it again: the collector clears its references, and reference counting frees \
it at once. `gc.collect()` runs this and returns how many objects it found.

To keep the work small, the lists are in three **generations**. New objects go into \
generation 0, which is collected when allocations minus frees pass a threshold (700 by \
default, `gc.get_threshold()`); whoever survives moves to generation 1, collected every \
10 collections of generation 0, and then to generation 2, collected every 10 of \
generation 1. Most objects die young, so the old ones are rarely looked at. \
`gc.disable()` stops the automatic collections only: reference counting goes on freeing \
everything that is not in a cycle, and `gc.collect()` still works.

Rust has no such collector, but the algorithm needs only reference counts, which `Rc` \
has. The cell tracks its nodes with `Weak` handles (tracking must keep nothing alive), \
builds a cycle of nodes and a chain kept by a variable, drops its handles to the cycle, \
and runs the collector's steps by hand. The allocator's figures show the cycle's memory \
still held, then freed.";

/// E1b: CPython's cycle collector, written out over `Rc` nodes: reference counts minus
/// the references from tracked nodes find what is reachable only from inside a cycle.
pub async fn e1b_collect_cycles(cx: CellContext) -> CellResult {
    use std::cell::RefCell;
    use std::rc::{Rc, Weak};

    struct Node {
        name: String,
        links: RefCell<Vec<Rc<Node>>>,
        _payload: Vec<u8>, // some memory, for the allocator to count
    }
    /// The collector's list of tracked objects (one generation), held weakly.
    #[derive(Default)]
    struct Generation(Vec<Weak<Node>>);
    impl Generation {
        fn new_node(&mut self, name: String, bytes: usize) -> Rc<Node> {
            let node = Rc::new(Node { name, links: RefCell::default(), _payload: vec![1; bytes] });
            self.0.push(Rc::downgrade(&node)); // tracked, as CPython tracks a new container
            node
        }
        /// `gc.collect()`: the names of the nodes found unreachable, whose links it clears.
        fn collect(&mut self) -> Vec<String> {
            self.0.retain(|node| node.strong_count() > 0); // freed already by counting
            let nodes: Vec<Rc<Node>> = self.0.iter().filter_map(Weak::upgrade).collect();
            let index = |target: &Rc<Node>| nodes.iter().position(|n| Rc::ptr_eq(n, target));
            // 1. Copy each reference count (less the handle in `nodes`)...
            let mut outside: Vec<usize> = nodes.iter().map(|n| Rc::strong_count(n) - 1).collect();
            // 2. ...and take away the references that come from tracked nodes.
            for node in &nodes {
                for target in node.links.borrow().iter() {
                    if let Some(i) = index(target) {
                        outside[i] -= 1;
                    }
                }
            }
            // 3. A node referred to from outside is alive, and so is all it reaches.
            let mut alive: Vec<bool> = outside.iter().map(|&count| count > 0).collect();
            let mut to_visit: Vec<usize> = (0..nodes.len()).filter(|&i| alive[i]).collect();
            while let Some(i) = to_visit.pop() {
                for target in nodes[i].links.borrow().iter() {
                    if let Some(j) = index(target).filter(|&j| !alive[j]) {
                        alive[j] = true;
                        to_visit.push(j);
                    }
                }
            }
            // 4. The rest is garbage: clear its links; counting frees it once `nodes` goes.
            let mut garbage = Vec::new();
            for (node, _) in nodes.iter().zip(&alive).filter(|(_, &alive)| !alive) {
                node.links.borrow_mut().clear();
                garbage.push(node.name.clone());
            }
            drop(nodes);
            self.0.retain(|node| node.strong_count() > 0); // untrack what was freed
            garbage
        }
    }

    let size: usize = cx.param_as("cycle")?;
    if !(1..=1000).contains(&size) {
        return Err(CellError::new(
            "ValueError",
            format!("input 'cycle' must be from 1 to 1000, not {size}"),
        ));
    }
    let mut gen0 = Generation::default();
    let ((), made) = memory::measure(|| {
        // A cycle n0 -> n1 -> ... -> n0 of `size` nodes, 1 KB each; our only handle is dropped.
        let cycle: Vec<Rc<Node>> = (0..size).map(|i| gen0.new_node(format!("n{i}"), 1024)).collect();
        for (i, node) in cycle.iter().enumerate() {
            node.links.borrow_mut().push(Rc::clone(&cycle[(i + 1) % size]));
        }
    });
    cx.println(format!(
        "Made a cycle of {} and dropped every handle to it: {}.",
        count(size, "node", "nodes"),
        made.summary()
    ));
    let root = gen0.new_node("root".into(), 1024); // a chain kept alive by a variable
    let leaf = gen0.new_node("leaf".into(), 1024);
    root.links.borrow_mut().push(leaf); // root -> leaf; `leaf` is reachable only through root
    cx.println(format!("Tracked nodes: {} (the cycle, root and leaf).", gen0.0.len()));

    let (freed, figures) = memory::measure(|| gen0.collect());
    let shown = if freed.len() > 5 {
        format!("{}, ... {}", freed[..3].join(", "), freed[freed.len() - 1])
    } else {
        freed.join(", ")
    };
    cx.println(format!("gc.collect() found {} unreachable: {shown}", freed.len()));
    cx.println(format!("The collection: {}.", figures.summary()));
    let survivors: Vec<String> = gen0.0.iter().filter_map(Weak::upgrade).map(|n| n.name.clone()).collect();
    cx.println(format!("Still alive: {} (CPython would move them to generation 1).", survivors.join(", ")));
    Ok(())
}

const DROP: &str = "\
**`Drop`, Rust's `__del__`.** A type can say what to do when one of its values ends by \
implementing `Drop`; files flush and close that way, and here a value simply prints that \
it is being cleaned up. Python calls `__del__` when an object's count reaches zero, which \
is usually, but not always, right away (a cycle waits for the collector). In Rust the \
moment is fixed by the code: the end of the owner's scope, an explicit `drop`, or the \
last `Rc` handle going. It also happens on every way out of a function, errors included, \
which is what makes it a reliable place for clean-up.";

/// E2: a message from `Drop` each time a value is cleaned up, and when it happens.
pub async fn e2_drop_messages(cx: CellContext) -> CellResult {
    struct Noisy {
        name: String,
        cx: CellContext,
    }
    impl Drop for Noisy {
        fn drop(&mut self) {
            self.cx.println(format!("    drop: {} is cleaned up", self.name));
        }
    }
    let make = |name: &str| {
        cx.println(format!("    new: {name}"));
        Noisy { name: name.to_string(), cx: cx.clone() }
    };

    cx.println("1. A value made in a block ends with the block:");
    {
        let _temp = make("temp");
        cx.println("    (the block ends)");
    }
    cx.println("2. drop(value) ends it at once, like Python's `del` on the last reference:");
    let early = make("early");
    drop(early);
    cx.println("3. A moved value is dropped once, by its new owner:");
    let moved = make("moved");
    let owner = vec![moved];
    cx.println(format!("    a Vec now owns {} value; dropping the Vec:", owner.len()));
    drop(owner);
    cx.println("4. Shared through Rc, it goes with the last handle:");
    let shared = std::rc::Rc::new(make("shared"));
    let other = std::rc::Rc::clone(&shared);
    drop(shared);
    cx.println(format!("    one handle dropped, {} left: nothing yet", std::rc::Rc::strong_count(&other)));
    drop(other);
    cx.println("5. Leaving early with an error still drops what is in scope, like `finally`:");
    let work = |fail: bool| -> Result<(), CellError> {
        let _guard = make("guard");
        if fail {
            return Err(CellError::new("ValueError", "gave up half-way"));
        }
        Ok(())
    };
    if let Err(error) = work(true) {
        cx.println(format!("    caught {}: {}", error.kind, error.message));
    }
    cx.println("6. At the end of a function, values go in reverse order of creation:");
    let _first = make("first");
    let _second = make("second");
    cx.println("    (the cell returns)");
    Ok(())
}

const PROFILE: &str = "\
**Profiling memory.** Python's `memory_profiler` reports how much memory each line of a \
function adds. Here the allocator's counts do that job: the cell builds a list of the \
squares of 0 to n−1 three ways and measures each one: how many allocations it made, the \
peak of memory it needed, and so the bytes per number. The first copies Python's list, \
in which every number is an object of its own that the list points to; in Rust that is a \
`Vec<Box<u64>>`, and it costs one allocation per number. The second pushes plain numbers \
into a `Vec<u64>`, which doubles its buffer whenever it is full, so it allocates only a \
couple of dozen times but ends with room to spare (its capacity is a power of two). The \
third knows the length in advance and allocates once, exactly 8 bytes a number. The figures for the whole run also appear beside its time, at the top \
of the cell.";

/// E3: a list of a million squares built three ways, with the allocator's figures for each.
pub async fn e3_memory_profile(cx: CellContext) -> CellResult {
    let n: u64 = cx.param_as("n")?;
    if n > 5_000_000 {
        return Err(CellError::new(
            "ValueError",
            "n is capped at 5,000,000 to stay within the browser's memory",
        ));
    }
    let mut rows = Vec::new();
    let mut report = |how: &str, figures: memory::MemoryFigures, ms: f64| {
        let per_number = if n == 0 { 0.0 } else { figures.peak_bytes as f64 / n as f64 };
        rows.push(vec![
            how.to_string(),
            format_count(figures.allocations),
            format_bytes(figures.peak_bytes),
            format!("{per_number:.1} B"),
            format!("{ms:.0} ms"),
        ]);
    };

    let start = cx.now_ms();
    let (_, figures) = memory::measure(|| {
        let mut squares: Vec<Box<u64>> = Vec::new(); // like Python: a list of boxed objects
        for i in 0..n {
            squares.push(Box::new(i * i));
        }
        squares.len()
    });
    report("Vec<Box<u64>>, pushed one by one", figures, cx.now_ms() - start);

    let start = cx.now_ms();
    let (_, figures) = memory::measure(|| {
        let mut squares: Vec<u64> = Vec::new(); // grows by doubling as it fills
        for i in 0..n {
            squares.push(i * i);
        }
        squares.len()
    });
    report("Vec<u64>, pushed one by one", figures, cx.now_ms() - start);

    let start = cx.now_ms();
    let (squares, figures) = memory::measure(|| (0..n).map(|i| i * i).collect::<Vec<u64>>());
    report("Vec<u64>, collected (length known)", figures, cx.now_ms() - start);

    let which = match n {
        0 => "An empty list (n = 0)".to_string(),
        1 => "The square of 0".to_string(),
        n => format!("The squares of 0 to {}", n - 1),
    };
    cx.println(format!("{which} built three ways:"));
    cx.table(&["how", "allocations", "peak", "peak per number", "time"], &rows);
    let first: Vec<u64> = squares.iter().take(5).copied().collect();
    match squares.len() {
        0 => cx.println("The list kept: no numbers."),
        kept => {
            cx.println(format!("The list kept: {}, starting {first:?}", count(kept, "number", "numbers")))
        }
    }
    cx.println(format!("This run so far: {}", cx.memory().summary()));
    drop(squares);
    cx.println(format!("After dropping the list: {}", cx.memory().summary()));
    Ok(())
}

const WHY: &str = "\
**E4. Why memory management matters, and what makes it hard.** Memory is limited, and a \
program that keeps asking for more without giving any back (a *leak*) slows down and is \
finally stopped, which matters most for programs that run for days, such as servers, or \
inside a browser tab like this one. Peaks matter as much as totals, since a peak is what \
runs out, and the shape of the data decides them: E3's list of boxed numbers needs half as much \
again as the plain one for the same million values on this 32-bit WebAssembly, and twice \
as much on a 64-bit machine, where each pointer takes 8 bytes. Using \
less memory also makes programs faster, since data that fits in the processor's caches is \
read many times faster than data that does not.

The difficulties are the same in every language, solved in different places:

- **Knowing when a value is no longer needed.** Free it too early and the program uses \
memory that now belongs to something else; too late, or never, and it leaks. C leaves \
this to the programmer; Python decides at run time by counting and collecting; Rust \
decides at compile time through ownership, and refuses to compile code that could use a \
freed value.
- **Cycles.** Counting alone cannot free values that point at each other (E1). Python \
pays for a collector that looks for them; Rust asks the programmer to break them with \
`Weak`.
- **Pauses and overhead.** A collector takes time while it runs, and counting costs an \
update at every copy of a reference. Rust's plain ownership costs nothing at run time, \
which is why `Rc` is something you opt into.
- **Fragmentation.** After many allocations and frees of different sizes, free memory \
lies in pieces that may be too small for the next big request. A WebAssembly module's \
memory can also only grow, never shrink, so the peak a page once reached stays reserved \
for the life of the page.
- **Resources that are not memory.** Files, network connections and locks must be given \
back too, and at the right moment. Tying them to a value's lifetime (`Drop`, E2; `with` \
in Python) is the common answer.";

/// The section.
pub fn section() -> Section {
    Section {
        id: "E",
        title: "E. Memory",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Markdown(md::COUNTS),
                    CellSpec::Code(code_cell!("E1", "Reference counts and a cycle", e1_reference_counts)),
                    CellSpec::Markdown(md::COLLECTOR),
                    CellSpec::Code(
                        code_cell!("E1b", "What gc.collect() does", e1b_collect_cycles)
                            .inputs(const { &[field("cycle", "nodes in the cycle", "3")] }),
                    ),
                    CellSpec::Markdown(md::DROP),
                    CellSpec::Code(code_cell!("E2", "Drop, Rust's __del__", e2_drop_messages)),
                    CellSpec::Markdown(md::PROFILE),
                    CellSpec::Code(
                        code_cell!("E3", "Profiling a million squares", e3_memory_profile)
                            .inputs(const { &[field("n", "n", "1000000")] }),
                    ),
                    course_script!("E3-js", "What a file holds in memory, in JavaScript", "e3_memory"),
                    CellSpec::Markdown(md::WHY),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_memory.rs"));

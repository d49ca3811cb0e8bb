//! Section F of the catalogue: threads. What a thread is; one that counts, live; the GIL
//! measured; two threads interleaving; what `join` is for; where threads pay off (waiting);
//! a thread "class"; threads that return results; threads against processes.
//!
//! A thread here is a task on the kernel's one event loop (`crate::parallel::threads`):
//! threads take turns at their waits and never compute at the same moment, which is what
//! CPython's global interpreter lock makes of Python's threads.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use super::concurrency_kit::{
    bounded, ms, prime_limit, primes_alone, primes_on_processes, primes_on_threads, processors_reported,
    ranges, seconds, speedup, warm_up, warm_up_counting, workers,
};
use super::{code_cell, course_script};
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section, ThreadHandle};
use crate::words::count;

const INTRO: &str = "\
These cells are about doing several things at once inside one program. Python offers two \
tools for it, threads and processes, and this section is about the first.

In this notebook a thread is a task on the kernel's single event loop. Threads started \
by a cell run *concurrently*: each goes as far as its next wait (a sleep, a `join`, a \
lock), then another takes its turn. They never run *in parallel*, two at the same \
instant, and that is exactly how CPython's threads behave, because of its global \
interpreter lock. Where a cell shows a **timeline**, each thread gets a lane with a bar \
for its life, so you can see who ran when. The next section (G) does the same with \
processes, which are real web workers running on other cores.";

const WHAT: &str = "\
**What multithreading is.** A program starts with one line of execution, its *main \
thread*, which runs the statements one after another. Multithreading means starting more \
lines of execution inside the same program: each thread has its own position in the code \
and its own local variables, but they all share the program's memory, so one thread can \
read what another wrote without sending anything. The point is to make progress on \
several jobs without waiting for each one to end before the next begins, and to keep a \
program responsive while something slow happens in the background.

The cell starts a few threads that each take a few steps with a pause between steps. \
Their lines come out interleaved, each thread has its own name and identifier, and all \
of them write into one list owned by the cell, which the main thread reads at the end.";

/// F1: several threads interleave, each with a name and an ident, all writing to one list.
pub async fn f1_what_threads_are(cx: CellContext) -> CellResult {
    let threads: usize = bounded(&cx, "threads", 1, 8)?;
    let steps: u32 = bounded(&cx, "steps", 1, 20)?;
    let pause = seconds(&cx, "pause")?;
    let shared_log = Rc::new(RefCell::new(Vec::new())); // one list, seen by every thread
    let mut handles = Vec::new();
    for k in 1..=threads {
        let (cx2, log) = (cx.clone(), Rc::clone(&shared_log));
        handles.push(cx.spawn_thread(&format!("worker-{k}"), async move {
            let me = cx2.current_thread();
            for step in 1..=steps {
                cx2.println(format!("{} (ident {}): step {step} of {steps}", me.name, me.ident));
                log.borrow_mut().push(format!("{}#{step}", me.name));
                cx2.sleep(pause).await; // here another thread takes its turn
            }
            Ok(())
        }));
    }
    let main = cx.current_thread();
    let started = count(threads, "thread", "threads");
    cx.println(format!("{} (ident {}) started {started} and waits for them.", main.name, main.ident));
    for handle in handles {
        handle.join().await?;
    }
    let log = shared_log.borrow();
    cx.println(format!(
        "The shared list has {}, written by all the threads in turn:",
        count(log.len(), "entry", "entries")
    ));
    cx.println(log.join(" "));
    cx.show_timeline("Each thread's life");
    Ok(())
}

const COUNTING: &str = "\
**A thread of your own.** Creating a thread means handing it the work to do (in Python a \
`target` function, here an `async` block), starting it, and, when the result matters, \
waiting for it with `join`. The thread below prints a number, sleeps, prints the next \
one; watch them arrive live, one per pause, while the main thread waits in `join`. Only \
when the thread has ended does the main thread go on to its last line.";

/// F2: a thread prints 0, 1, 2, ... one per pause; the main thread joins it, then goes on.
pub async fn f2_counting_thread(cx: CellContext) -> CellResult {
    let count: u32 = bounded(&cx, "count", 0, 100)?;
    let pause = seconds(&cx, "pause")?;
    let worker = cx.clone();
    let number_thread = cx.spawn_thread("numbers", async move {
        for i in 0..count {
            worker.println(format!("Number: {i}"));
            worker.sleep(pause).await;
        }
        Ok(())
    });
    number_thread.join().await?; // the main thread waits here until the thread ends
    cx.println("The thread has finished.");
    Ok(())
}

const GIL: &str = "\
**The global interpreter lock.** CPython keeps one lock, the GIL, that a thread must \
hold to run Python code. It makes the interpreter's own bookkeeping (reference counts, \
memory management) safe without a lock on every object, at a price: however many \
threads and cores there are, only one thread executes Python code at any moment. The \
threads take turns, handing the lock over every few milliseconds or whenever one waits \
for I/O.

So threads do not make CPU-bound Python code faster, and processes do: each process has \
its own interpreter, its own lock, and its own core. This notebook has the same shape \
(threads take turns on the kernel's one event loop, processes are web workers), so the \
experiment can be run live. The job is counting the primes below a limit, cut into \
chunks. The cell counts them three ways: all in the main thread; on several threads \
that share the chunks and take turns every few thousand numbers, as threads holding the \
GIL do; and on as many worker processes. Before any clock starts, the workers are \
started (that has a cost of its own, shown apart) and the counting code runs briefly in \
each of them and in the kernel: a browser first runs WebAssembly compiled in a hurry and \
swaps in optimized code for what runs often a moment later, which would otherwise \
handicap whoever counts first. The count must be the same three \
times; the times are what differ. The chart compares them and the timeline shows the \
threads overlapping in time while working one at a time, and the processes working side \
by side. The cell also counts, from the times it recorded (each thread's turns, each worker's own time at work), how many threads and how many processes were at work at the busiest instant: never more than one thread. On a machine with one core, or one busy with other work, processes gain less, and with one core the cell does not call the result a speed-up.";

/// F3: the GIL experiment: a CPU-bound job alone, on threads, then on processes, timed.
pub async fn f3_gil_experiment(cx: CellContext) -> CellResult {
    let limit = prime_limit(&cx, "limit", 50_000_000)?;
    let n = workers(&cx, "workers")?;
    let chunks = ranges(limit, n * 4);
    let started = cx.now_ms();
    let pool = cx.pool(n)?;
    warm_up_counting(&pool).await?; // start the workers; run the counting code once everywhere
    let startup_ms = cx.now_ms() - started;
    cx.println(format!("Counting the primes below {limit}, in {} chunks, three ways:", chunks.len()));

    let started = cx.now_ms();
    let alone = primes_alone(&chunks);
    let alone_ms = cx.now_ms() - started;
    // One line per way, the counts lined up: `  4 threads:             9592 primes in 12 ms`.
    let line = |label: &str, found: u64, took: f64| {
        format!("  {:<23}{} in {}", format!("{label}:"), count(found, "prime", "primes"), ms(took))
    };
    cx.println(line("the main thread alone", alone, alone_ms));

    let threads_started = cx.now_ms();
    let on_threads = primes_on_threads(&cx, &chunks, n).await?;
    let threads_ms = cx.now_ms() - threads_started;
    let (threads, processes) = (count(n, "thread", "threads"), count(n, "process", "processes"));
    cx.println(line(&threads, on_threads, threads_ms));

    let processes_started = cx.now_ms();
    let on_processes = primes_on_processes(&pool, &chunks).await?;
    let processes_ms = cx.now_ms() - processes_started;
    cx.println(format!(
        "{} (starting and warming them up took {} before)",
        line(&processes, on_processes, processes_ms),
        ms(startup_ms)
    ));

    if on_threads != alone || on_processes != alone {
        return Err(CellError::new("AssertionError", "the three ways counted different numbers of primes"));
    }
    // From the times recorded: each thread's turns, each worker's own time at work.
    cx.println(format!(
        "Most at work at one instant: threads {} of {n}, processes {} of {n}.",
        cx.most_threads_at_once(threads_started),
        cx.most_processes_at_once(processes_started)
    ));
    let ratios =
        format!("threads {}, processes {}", speedup(alone_ms, threads_ms), speedup(alone_ms, processes_ms));
    if cx.processes_side_by_side() && cx.cpu_count() > 1 {
        cx.println(format!(
            "Speed-up over the main thread alone: {ratios} ({} processors reported).",
            cx.cpu_count()
        ));
    } else {
        // One processor, or simulated processes: whatever the ratio, nothing ran at once.
        cx.println(format!(
            "Time alone over time taken: {ratios}. {}: nothing ran side by side, so this is no speed-up.",
            processors_reported(&cx)
        ));
    }
    cx.bar_chart(
        &format!("Primes below {limit}: time taken"),
        &[
            ("main thread alone".to_string(), alone_ms.round()),
            (threads, threads_ms.round()),
            (processes, processes_ms.round()),
        ],
        "ms",
    );
    cx.show_timeline(if cx.processes_side_by_side() {
        "Threads take turns; processes work side by side"
    } else {
        "Threads take turns, and so do the simulated processes"
    });
    Ok(())
}

const INTERLEAVED: &str = "\
**Two threads, interleaved.** One thread prints the numbers 0 to 4 with a pause of one \
second after each, the other the letters A to E with a pause of one and a half seconds. \
Started together, their lines mix by time: a number, a letter, a number, a letter, two \
numbers... At the 3-second mark both threads are due at once. Real threads would race \
there (the Python run this exercise comes from even printed the two lines tangled \
together); here threads that are due at the same moment wake in the order they were \
started, so the numbers thread goes first, every time. Pauses count from when the \
previous one was due, so a late timer does not push the rest of a thread's lines back. \
Change the pauses to see another interleaving.";

/// F4: a numbers thread and a letters thread, interleaved by their pauses.
pub async fn f4_numbers_and_letters(cx: CellContext) -> CellResult {
    let number_pause = seconds(&cx, "number_pause")?;
    let letter_pause = seconds(&cx, "letter_pause")?;
    let numbers = {
        let cx = cx.clone();
        async move {
            for i in 0..5 {
                cx.println(format!("Number: {i}"));
                cx.sleep(number_pause).await;
            }
            Ok(())
        }
    };
    let letters = {
        let cx = cx.clone();
        async move {
            for letter in ['A', 'B', 'C', 'D', 'E'] {
                cx.println(format!("Letter: {letter}"));
                cx.sleep(letter_pause).await;
            }
            Ok(())
        }
    };
    let number_thread = cx.spawn_thread("numbers", numbers);
    let letter_thread = cx.spawn_thread("letters", letters);
    number_thread.join().await?;
    letter_thread.join().await?;
    cx.println("Both threads have finished.");
    cx.show_timeline("Both threads live at once");
    Ok(())
}

const JOIN: &str = "\
**What `join()` is for.** Starting a thread returns at once: the thread goes on by \
itself and the code that started it goes on too. `join()` is how one thread waits for \
another to end. Call it before using what the thread produces, and the result is there; \
forget it, and you read a result that does not exist yet. A program, or here a cell, \
still waits for its running threads before it ends, as Python waits for every thread \
that is not a daemon before the interpreter exits, but by then the code that needed the \
result has already run.

The cell starts two threads that each compute a short list after a pause. The first is \
never joined: the main thread looks for its result straight away and finds nothing. The \
second is joined, and its result is there. The first thread's own line arrives after \
the main thread's last line.";

/// F5: a thread that is not joined, one that is, and what the main thread sees of each.
pub async fn f5_join(cx: CellContext) -> CellResult {
    let pause = seconds(&cx, "pause")?;
    let squares = |n: i64| (1..=n).map(|i| i * i).collect::<Vec<i64>>();

    let unjoined_result: Rc<RefCell<Option<Vec<i64>>>> = Rc::default();
    let (cx1, slot) = (cx.clone(), Rc::clone(&unjoined_result));
    let _not_joined = cx.spawn_thread("not-joined", async move {
        cx1.sleep(pause * 2).await;
        *slot.borrow_mut() = Some(squares(4));
        cx1.println("  [not-joined] done at last, after the main thread's code ended");
        Ok(())
    });
    cx.println(format!(
        "Without join: the main thread reads the first result at once: {:?}",
        unjoined_result.borrow()
    ));

    let cx2 = cx.clone();
    let joined = cx.spawn_thread("joined", async move {
        cx2.sleep(pause).await;
        cx2.println("  [joined] done");
        Ok(squares(5))
    });
    cx.println("With join: the main thread waits in join() for the second thread...");
    let result = joined.join().await?;
    cx.println(format!("With join: the second result is {result:?}"));
    cx.println(format!(
        "The main thread's code ends here; the first result is still {:?}.",
        unjoined_result.borrow()
    ));
    Ok(())
}

const WAITING: &str = "\
**Where threads do help: waiting.** The lock is only a problem for threads that compute. \
A thread waiting for a server to answer, a file to arrive or a timer to fire holds \
nothing, so while one waits the others run. A program that fetches many web pages spends \
almost all its time waiting, and fetching them on threads overlaps those waits: the \
total becomes about the slowest request instead of the sum of all of them.

The cell fakes the requests (each is a sleep of its own length, nothing leaves the \
page) and fetches them once one after another, then once with a thread per request.";

/// F6: slow requests, simulated by sleeps: one after another, then one thread each.
pub async fn f6_slow_requests(cx: CellContext) -> CellResult {
    let count: usize = bounded(&cx, "requests", 1, 20)?;
    let base = seconds(&cx, "seconds")?;
    // Every site answers after its own delay: 1, 0.6, 1.4, 0.8 and 1.2 times the base.
    let factors = [1.0, 0.6, 1.4, 0.8, 1.2];
    let sites: Vec<(String, Duration)> = (0..count)
        .map(|i| (format!("site-{}.example", i + 1), base.mul_f64(factors[i % factors.len()])))
        .collect();

    cx.println("One after another:");
    let started = cx.now_ms();
    for (site, delay) in &sites {
        cx.sleep(*delay).await; // the request: nothing else happens meanwhile
        cx.println(format!("  {site} answered after {:.2} s", delay.as_secs_f64()));
    }
    let sequential_ms = cx.now_ms() - started;

    cx.println("A thread per request:");
    let started = cx.now_ms();
    let handles: Vec<ThreadHandle<()>> = sites
        .iter()
        .map(|(site, delay)| {
            let (cx2, site, delay) = (cx.clone(), site.clone(), *delay);
            cx.spawn_thread(&site.clone(), async move {
                cx2.sleep(delay).await; // while this thread waits, the others run
                cx2.println(format!("  {site} answered after {:.2} s", delay.as_secs_f64()));
                Ok(())
            })
        })
        .collect();
    for handle in handles {
        handle.join().await?;
    }
    let concurrent_ms = cx.now_ms() - started;

    let slowest = sites.iter().map(|(_, d)| d.as_secs_f64()).fold(0.0, f64::max);
    let sum: f64 = sites.iter().map(|(_, d)| d.as_secs_f64()).sum();
    cx.println(format!(
        "Total: {:.2} s one after another (the sum, {sum:.2} s), {:.2} s with threads (the slowest, \
         {slowest:.2} s): {} faster.",
        sequential_ms / 1000.0,
        concurrent_ms / 1000.0,
        speedup(sequential_ms, concurrent_ms)
    ));
    cx.bar_chart(
        &format!("{count} simulated requests"),
        &[
            ("one after another".to_string(), sequential_ms.round()),
            ("a thread each".to_string(), concurrent_ms.round()),
        ],
        "ms",
    );
    cx.show_timeline("The request threads wait side by side");
    Ok(())
}

const CLASS: &str = "\
**A thread as a class.** Python lets you subclass `threading.Thread`: the subclass keeps \
its own fields (a name, an id) and puts the thread's work in a `run` method, which \
`start()` runs in the new thread. Rust has no subclasses, but the same shape is a struct \
with the fields and two methods: `run`, the work, and `start`, which hands `run` to a new \
thread. The two threads print their name and id, then the main thread prints its last \
line. In Python the order of those lines is up to the scheduler unless you join; here \
started threads only run when the main thread waits, so the cell joins them first, which \
makes the order certain.";

/// F7: a thread "class": a struct with a name and an id, whose `run` is the thread's work.
pub async fn f7_thread_class(cx: CellContext) -> CellResult {
    struct MyThread {
        thread_name: String,
        thread_id: u32,
    }
    impl MyThread {
        async fn run(self, cx: CellContext) -> Result<(), CellError> {
            cx.println(format!("{} {}", self.thread_name, self.thread_id));
            Ok(())
        }

        fn start(self, cx: &CellContext) -> ThreadHandle<()> {
            let name = self.thread_name.clone();
            cx.spawn_thread(&name, self.run(cx.clone()))
        }
    }

    let thread1 = MyThread { thread_name: cx.param("name1"), thread_id: cx.param_as("id1")? };
    let thread2 = MyThread { thread_name: cx.param("name2"), thread_id: cx.param_as("id2")? };
    let started = [thread1.start(&cx), thread2.start(&cx)];
    for thread in started {
        thread.join().await?;
    }
    cx.println("Exit");
    Ok(())
}

const RESULTS: &str = "\
**Threads that compute something.** Two threads get the same number: one works out its \
square, the other its cube. Each prints its result, and each also returns it, which a \
Python thread cannot do directly (its target's return value is lost, so results go \
through shared variables or a queue). Here `join()` hands back what the thread returned, \
so the main thread has both results when it reports completion. A number too large for \
64 bits is reported as Python's `OverflowError`.";

/// F8: a square thread and a cube thread; the main thread collects both results.
pub async fn f8_square_and_cube(cx: CellContext) -> CellResult {
    let number: i64 = cx.param_as("number")?;
    let too_big = || CellError::new("OverflowError", "the result does not fit in 64 bits");
    let cx1 = cx.clone();
    let square_thread = cx.spawn_thread("square", async move {
        let square = number.checked_pow(2).ok_or_else(too_big)?;
        cx1.println(format!("Square of {number}: {square}"));
        Ok(square)
    });
    let cx2 = cx.clone();
    let cube_thread = cx.spawn_thread("cube", async move {
        let cube = number.checked_pow(3).ok_or_else(too_big)?;
        cx2.println(format!("Cube of {number}: {cube}"));
        Ok(cube)
    });
    let square = square_thread.join().await?;
    let cube = cube_thread.join().await?;
    cx.println(format!("Both threads completed: the square is {square} and the cube is {cube}."));
    Ok(())
}

const WHY: &str = "\
**Why threads matter, and threads against processes.** Threads keep a program doing \
several things at once: a window that still answers clicks while a file loads, a server \
that serves the next client while the last one is still sending, a scraper with many \
requests in flight. They are cheap to start and they share memory, so handing data \
between them costs nothing. That sharing is also their danger: two threads changing the \
same data at once can leave it in a state neither intended, so shared data needs locks \
or queues.

Processes are the other tool. Each has its own memory and, in Python, its own \
interpreter and lock, so processes compute in parallel on several cores; but they are \
slower to start, and they share nothing unless data is sent as a message or placed in \
memory made to be shared.

| | threads | processes |
|---|---|---|
| memory | one, shared | one each, separate |
| CPU-bound work in Python | one at a time (the GIL) | in parallel, a core each |
| waiting (network, disk, timers) | overlaps well | overlaps too, at a higher cost |
| starting one | cheap | costly (a new interpreter, here a new web worker) |
| passing data | just use it (with care) | send it: queues, pipes, shared values |

The cell measures two rows of that table: it gives a counter to some threads and to as \
many processes and lets each add one, then times starting the threads and the processes.";

/// F9: threads share the cell's memory, processes get copies; and what each costs to start.
pub async fn f9_threads_vs_processes(cx: CellContext) -> CellResult {
    let n: usize = bounded(&cx, "workers", 1, 8)?;

    // Memory: threads change the cell's own counter; processes change copies of it.
    let counter = Rc::new(Cell::new(0_i64));
    let started = cx.now_ms();
    let threads: Vec<ThreadHandle<()>> = (1..=n)
        .map(|k| {
            let counter = Rc::clone(&counter);
            cx.spawn_thread(&format!("adder-{k}"), async move {
                counter.set(counter.get() + 1); // the same counter the main thread holds
                Ok(())
            })
        })
        .collect();
    for thread in threads {
        thread.join().await?;
    }
    let threads_ms = cx.now_ms() - started;
    cx.println(format!(
        "After {} each added one, the cell's counter is {}.",
        count(n, "thread", "threads"),
        counter.get()
    ));

    let kernel_counter = 0_i64;
    let started = cx.now_ms();
    let pool = cx.pool(n)?;
    warm_up(&pool).await?;
    let processes_ms = cx.now_ms() - started;
    let copies: Vec<i64> = pool.map_chunked("increment_copy", vec![kernel_counter; n], 1).await?;
    cx.println(format!(
        "After {} each added one, the cell's counter is still {kernel_counter}; their copies: {copies:?}.",
        count(n, "process", "processes")
    ));

    cx.table(
        &["", "threads", "processes"],
        &[
            vec![
                "a counter given to each".into(),
                format!("shared: it became {}", counter.get()),
                format!("copied: it stayed {kernel_counter}"),
            ],
            vec![format!("starting {n} and hearing back"), ms(threads_ms), ms(processes_ms)],
        ],
    );
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "F",
        title: "F. Threads",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Markdown(md::WHAT),
                    CellSpec::Code(
                        code_cell!("F1", "Threads share one program", f1_what_threads_are).inputs(
                            const {
                                &[
                                    field("threads", "threads", "3"),
                                    field("steps", "steps each", "3"),
                                    field("pause", "pause between steps (s)", "0.3"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::COUNTING),
                    CellSpec::Code(
                        code_cell!("F2", "A thread that counts", f2_counting_thread).inputs(
                            const {
                                &[field("count", "numbers", "5"), field("pause", "pause after each (s)", "1")]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::GIL),
                    CellSpec::Code(code_cell!("F3", "The GIL experiment", f3_gil_experiment).inputs(
                        const {
                            &[
                                field("limit", "count the primes below", "5000000"),
                                field("workers", "threads and processes (auto = processors)", "auto"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::INTERLEAVED),
                    CellSpec::Code(code_cell!("F4", "Numbers and letters", f4_numbers_and_letters).inputs(
                        const {
                            &[
                                field("number_pause", "numbers: pause (s)", "1"),
                                field("letter_pause", "letters: pause (s)", "1.5"),
                            ]
                        },
                    )),
                    course_script!(
                        "F4-js",
                        "Threads taking turns at their waits, in JavaScript",
                        "f4_interleave"
                    ),
                    CellSpec::Markdown(md::JOIN),
                    CellSpec::Code(
                        code_cell!("F5", "With and without join", f5_join)
                            .inputs(const { &[field("pause", "pause (s)", "1")] }),
                    ),
                    CellSpec::Markdown(md::WAITING),
                    CellSpec::Code(code_cell!("F6", "Slow requests", f6_slow_requests).inputs(
                        const {
                            &[
                                field("requests", "requests", "5"),
                                field("seconds", "typical answer time (s)", "0.5"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::CLASS),
                    CellSpec::Code(code_cell!("F7", "A thread class", f7_thread_class).inputs(
                        const {
                            &[
                                field("name1", "first thread's name", "ab"),
                                field("id1", "its id", "1000"),
                                field("name2", "second thread's name", "abhijit"),
                                field("id2", "its id", "2000"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::RESULTS),
                    CellSpec::Code(
                        code_cell!("F8", "Square and cube threads", f8_square_and_cube)
                            .inputs(const { &[field("number", "number", "5")] }),
                    ),
                    CellSpec::Markdown(md::WHY),
                    CellSpec::Code(
                        code_cell!("F9", "Threads or processes", f9_threads_vs_processes)
                            .inputs(const { &[field("workers", "threads and processes", "3")] }),
                    ),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_threads.rs"));

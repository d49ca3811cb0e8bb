//! Section G of the catalogue: multiprocessing. Processes are web workers running this
//! same module (`crate::parallel`): each has its own memory and runs in parallel with the
//! others; they get their work by the name of a registered task
//! (`super::tasks` holds this section's) and talk by messages.

use std::borrow::Cow;

use super::concurrency_kit::{
    bounded, ms, prime_limit, primes_alone, primes_on_processes, primes_on_threads, processors_reported,
    ranges, seconds, speedup, warm_up_counting, workers,
};
use super::py_builtins::int;
use super::{code_cell, course_script};
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::parallel::Process;
use crate::pyrepr::str_repr;
use crate::words::count;

const INTRO: &str = "\
A process is a running program with memory of its own. Python's `multiprocessing` module \
starts more of them from one program and hands them work, and that is what the cells of \
this section do, with one difference of setting: a browser has no processes to give a \
web page, so here a process is a **web worker**, a separate instance of this notebook's \
WebAssembly module with its own memory, run by the browser on its own thread and so on \
another core when one is free. Workers start fresh and learn what to do from messages: \
each is asked to run a *task* by its registered name, with arguments copied to it, and \
what it prints appears in the cell that started it.

The **Workers** button at the top lists the workers alive at any moment, and the \
timelines below give each worker a lane.";

const WHAT: &str = "\
**What multiprocessing is, and why it helps.** Running parts of a job in several \
processes lets them use several processor cores at once, which is the only way Python \
code that computes, rather than waits, gets faster (section F showed that threads take \
turns). Because each process has its own memory, one that crashes does not corrupt the \
others, and a process can be stopped without stopping the program. The price is that \
nothing is shared by default: work and results travel as messages, and every process \
costs time and memory to start.

The cell starts some processes and gives each a range of numbers in which to count \
primes. Each says who it is (its name and process id) and how long its share took, and \
the timeline shows them working at the same time.";

/// G1: a few processes, each introducing itself and counting primes in its own range.
pub async fn g1_what_processes_are(cx: CellContext) -> CellResult {
    let n = workers(&cx, "processes")?;
    let limit = prime_limit(&cx, "limit", 20_000_000)?;
    cx.println(format!("{}. Starting {}.", processors_reported(&cx), count(n, "process", "processes")));
    let mut started = Vec::new();
    for (lo, hi) in ranges(limit, n) {
        let process = cx.process("introduce", (lo, hi))?;
        process.start()?;
        started.push(process);
    }
    for process in &started {
        process.join().await?;
    }
    let exit_codes: Vec<i32> = started.iter().filter_map(Process::exitcode).collect();
    let ended = if n == 1 {
        "The process has ended, with exit code".to_string()
    } else {
        format!("All {n} processes have ended, with exit codes")
    };
    cx.println(format!("{ended} {exit_codes:?}."));
    cx.show_timeline("Processes at work");
    Ok(())
}

const VERSUS: &str = "\
**Multiprocessing against multithreading.** The difference that decides most choices is \
the one [F3](#F3) measured: CPU-bound work gains nothing from threads but does from \
processes. The other half of the story is work that waits. There, threads overlap the \
waits as well as processes do, and they are cheaper: no worker to start, nothing to \
copy. The cell runs both kinds of job both ways and puts the times in one table:

- a CPU-bound job: counting primes, as in F3;
- a waiting job: requests simulated by sleeps, as in F6.

Use processes for computing and threads for waiting; the table shows why.";

/// G2: a CPU-bound job and a waiting job, each one at a time, on threads, on processes.
pub async fn g2_threads_or_processes(cx: CellContext) -> CellResult {
    let n = workers(&cx, "workers")?;
    let limit = prime_limit(&cx, "limit", 50_000_000)?;
    let requests: usize = bounded(&cx, "requests", 1, 64)?;
    let wait = seconds(&cx, "wait")?;
    let wait_ms = (wait.as_secs_f64() * 1000.0).round() as u64;
    let chunks = ranges(limit, n * 4);
    let pool = cx.pool(n)?;
    warm_up_counting(&pool).await?; // start the workers and run the counting code once, as F3 does

    let t = cx.now_ms();
    let primes = primes_alone(&chunks);
    let cpu_alone = cx.now_ms() - t;
    let t = cx.now_ms();
    primes_on_threads(&cx, &chunks, n).await?;
    let cpu_threads = cx.now_ms() - t;
    let t = cx.now_ms();
    primes_on_processes(&pool, &chunks).await?;
    let cpu_processes = cx.now_ms() - t;

    let t = cx.now_ms();
    for _ in 0..requests {
        cx.sleep(wait).await;
    }
    let wait_alone = cx.now_ms() - t;
    let t = cx.now_ms();
    let sleepers: Vec<_> = (1..=requests)
        .map(|k| {
            let cx2 = cx.clone();
            cx.spawn_thread(&format!("request-{k}"), async move {
                cx2.sleep(wait).await;
                Ok(())
            })
        })
        .collect();
    for sleeper in sleepers {
        sleeper.join().await?;
    }
    let wait_threads = cx.now_ms() - t;
    let t = cx.now_ms();
    let _: Vec<u64> =
        pool.map_chunked("sleep_then_echo", (0..requests as u64).map(|k| (wait_ms, k)), 1).await?;
    let wait_processes = cx.now_ms() - t;

    let row = |job: String, alone: f64, threads: f64, processes: f64| {
        vec![job, ms(alone), format!("{} ({})", ms(threads), speedup(alone, threads)), {
            format!("{} ({})", ms(processes), speedup(alone, processes))
        }]
    };
    cx.table(
        &["job", "one at a time", &count(n, "thread", "threads"), &count(n, "process", "processes")],
        &[
            row(
                format!("CPU: {} below {limit}", count(primes, "prime", "primes")),
                cpu_alone,
                cpu_threads,
                cpu_processes,
            ),
            row(
                format!("waiting: {} of {wait_ms} ms", count(requests, "request", "requests")),
                wait_alone,
                wait_threads,
                wait_processes,
            ),
        ],
    );
    let (threads, processes) = (count(n, "thread", "threads"), count(n, "process", "processes"));
    cx.println(format!(
        "{threads} finish {} in one round; {processes}, one wait each at a time, need {}.",
        count(requests, "wait", "waits"),
        count(requests.div_ceil(n), "round", "rounds")
    ));
    Ok(())
}

const CREATE: &str = "\
**Creating processes.** A `Process` is given a task and its arguments; `start()` launches \
it and `join()` waits for it to end. Here two processes, A and B, each announce that they \
started, sleep, and announce that they are done. They run at the same time, so both \
start lines come first, then both completion lines after one pause (not two), and only \
then the parent's own line, because it joined both. Which of A and B finishes first can \
differ from run to run: they are truly independent.";

/// G3: processes A and B start, sleep and complete side by side; the parent joins both.
pub async fn g3_two_processes(cx: CellContext) -> CellResult {
    let pause = seconds(&cx, "pause")?;
    let pause_ms = (pause.as_secs_f64() * 1000.0).round() as u64;
    let labels: Vec<String> =
        cx.param("names").split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if labels.is_empty() || labels.len() > 8 {
        return Err(CellError::new("ValueError", "give 1 to 8 process names, separated by commas"));
    }
    let mut processes = Vec::new();
    for label in &labels {
        let process =
            cx.process("start_sleep_complete", (label, pause_ms))?.named(&format!("Process-{label}"));
        process.start()?;
        processes.push(process);
    }
    for process in &processes {
        process.join().await?;
    }
    cx.println(format!("All {} processes have finished.", processes.len()));
    cx.show_timeline("Side by side");
    Ok(())
}

const CHILD: &str = "\
**Parent and child.** The program that starts a process is its *parent*; the process is \
its *child*. The child below prints one line. With `join` the parent waits for it, so \
the child's line comes first and the parent's last. Set join to `no` and the parent's \
line comes first: it does not wait, and the child is still starting. (Python would then \
wait for the child at exit, and so does the cell before it ends.)";

/// G4: a child process prints; the parent joins it (or not) and prints its last line.
pub async fn g4_child_then_parent(cx: CellContext) -> CellResult {
    let join = match cx.param("join").trim() {
        "yes" => true,
        "no" => false,
        other => {
            return Err(CellError::new(
                "ValueError",
                format!("join must be yes or no, not {}", str_repr(other)),
            ))
        }
    };
    let child = cx.process("hello_from_child", ())?;
    child.start()?;
    if join {
        child.join().await?;
    }
    cx.println("Parent process exiting");
    Ok(())
}

const POOL: &str = "\
**A pool of workers.** Starting a process per piece of work is wasteful when there are \
many pieces. A `Pool` starts a fixed number of workers once and hands them the pieces in \
turn: a worker that finishes one takes the next. `map` applies one task to every item of \
a list; `starmap` does the same with items that are tuples of arguments, each unpacked \
into the task's parameters. Either way the results come back in the order of the items, \
whichever worker finished first.

The task here, `repeat_text`, takes a count and a text and repeats the text that many \
times. Edit the pairs (a count and a word each, separated by commas) or the pool's size.";

/// G5: a pool of workers and `starmap` over (count, text) pairs.
pub async fn g5_pool_starmap(cx: CellContext) -> CellResult {
    let size: usize = bounded(&cx, "processes", 1, 16)?;
    let mut pairs: Vec<(i64, String)> = Vec::new();
    for item in cx.param("pairs").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let bad = || {
            CellError::new(
                "ValueError",
                format!("each pair is a count and a word, like '2 b', not {}", str_repr(item)),
            )
        };
        let (count, word) = item.split_once(char::is_whitespace).ok_or_else(bad)?;
        pairs.push((count.trim().parse().map_err(|_| bad())?, word.trim().to_string()));
    }
    let shown: Vec<String> = pairs.iter().map(|(n, w)| format!("({n}, {})", str_repr(w))).collect();
    cx.println(format!("pool.starmap(repeat_text, [{}])", shown.join(", ")));

    let pool = cx.pool(size)?;
    let results: Vec<String> = pool.starmap("repeat_text", pairs).await?;
    let shown: Vec<String> = results.iter().map(|r| str_repr(r)).collect();
    cx.println(format!("[{}]", shown.join(", ")));
    cx.show_timeline(&format!("A pool of {size}"));
    Ok(())
}

const EACH_PRINTS: &str = "\
**Several processes, one line each.** Four processes are started in a loop, each given \
its number; each prints it. The parent then joins them one by one and reports. The four \
lines can arrive in any order, since each worker starts at its own pace, but the \
parent's line is always last.";

/// G6: a process per number, each printing it; the parent joins them all.
pub async fn g6_numbered_processes(cx: CellContext) -> CellResult {
    let count: i64 = bounded(&cx, "count", 1, 16)?;
    let mut processes = Vec::new();
    for number in 1..=count {
        let process = cx.process("print_number", number)?;
        process.start()?;
        processes.push(process);
    }
    for process in &processes {
        process.join().await?;
    }
    cx.println("All processes have finished.");
    Ok(())
}

const MAP: &str = "\
**`map` on a pool.** The classic first use of a pool: square every number of a list in \
worker processes. The list is cut into chunks, the chunks are shared among the workers, \
and the squares come back in the list's order.";

/// G7: `pool.map(square, numbers)`.
pub async fn g7_pool_map(cx: CellContext) -> CellResult {
    let size: usize = bounded(&cx, "processes", 1, 16)?;
    let mut numbers: Vec<i64> = Vec::new();
    for item in cx.param("numbers").split(',').map(str::trim).filter(|s| !s.is_empty()) {
        numbers.push(int(item)?); // ValueError for a word, OverflowError past 64 bits
    }
    let pool = cx.pool(size)?;
    let squares: Vec<i64> = pool.map("square", numbers).await?;
    cx.println(format!("{squares:?}"));
    Ok(())
}

const IPC: &str = "\
**Talking between processes.** Processes share no memory, so `multiprocessing` gives \
them ways to pass data. The cell shows each, live:

1. a **queue**: any process puts items in, any process takes them out, first in first \
out. A child process fills one; the parent empties it.
2. a **pipe**: a connection with two ends; what one end sends, the other receives. The \
parent sends words down it; the child answers each.
3. a shared **value** and **array**: numbers every process can change in place. Several \
workers add to one counter at the same time, and none of their additions is lost, \
because each addition is one indivisible step; then they square the numbers of an array \
where they lie. When the page is cross-origin isolated \
these numbers live in memory shared by every worker and are changed with atomic \
operations; otherwise the kernel keeps them and the workers change them by messages. The \
cell says which.
4. a **manager**: a keeper of ordinary shared containers, a dict and a list, that \
processes fill through it.

Here the kernel keeps the queues, the pipes and the manager's containers, and changes \
each in one whole step per request, so no process ever sees half an update.";

/// G8: a queue, a pipe, a shared value and array, and a manager's dict and list.
pub async fn g8_ipc(cx: CellContext) -> CellResult {
    let n: usize = bounded(&cx, "workers", 1, 8)?;
    let adds: u32 = bounded(&cx, "adds", 1, 10_000)?;

    cx.println("1. Queue");
    let queue = cx.queue::<String>()?;
    let producer = cx.process("produce_items", (queue.clone(), 3))?;
    producer.start()?;
    for _ in 0..3 {
        cx.println(format!("   the parent got {}", str_repr(&queue.get().await?)));
    }
    producer.join().await?;

    cx.println("2. Pipe");
    let (parent_end, child_end) = cx.pipe::<String>()?;
    let child = cx.process("shout_back", (child_end, 2))?;
    child.start()?;
    for word in ["hello", "pipe"] {
        parent_end.send(word.to_string()).await?;
        cx.println(format!("   sent {}, received: {}", str_repr(word), parent_end.recv().await?));
    }
    child.join().await?;

    cx.println("3. Shared value and array");
    let pool = cx.pool(n)?;
    let counter = cx.shared_value(0_i64)?;
    let _: Vec<()> = pool.map_chunked("add_to_value", (0..n).map(|_| (counter.clone(), adds)), 1).await?;
    let place =
        if counter.in_shared_memory() { "shared memory, atomics" } else { "kept by the kernel, messages" };
    cx.println(format!(
        "   {} added 1, {} each: the counter is {} ({place})",
        count(n, "worker", "workers"),
        count(adds, "time", "times"),
        counter.get().await?
    ));
    let array = cx.shared_array(vec![1_i64, 2, 3, 4, 5])?;
    let _: Vec<()> = pool.map_chunked("square_into_array", (0..5).map(|i| (array.clone(), i)), 1).await?;
    cx.println(format!(
        "   the array [1, 2, 3, 4, 5], squared in place by the workers: {:?}",
        array.to_vec().await?
    ));

    cx.println("4. Manager");
    let manager = cx.manager()?;
    let (pids, arrivals) = (manager.dict::<u32>(), manager.list::<String>());
    let keys = ["first", "second", "third"].map(String::from);
    let _: Vec<()> = pool
        .map_chunked("record_in_manager", keys.iter().map(|k| (pids.clone(), arrivals.clone(), k.clone())), 1)
        .await?;
    for (key, pid) in pids.items().await? {
        cx.println(format!("   dict[{}] = {pid} (the pid of the worker that set it)", str_repr(&key)));
    }
    let listed: Vec<String> = arrivals.to_vec().await?.iter().map(|k| str_repr(k)).collect();
    cx.println(format!("   list, in the order the workers appended: [{}]", listed.join(", ")));
    Ok(())
}

const FORK: &str = "\
**`fork` against spawn.** On Linux and macOS, `os.fork()` makes a child by copying the \
running process: the child starts with everything the parent had at that moment (its \
variables, its open files) and goes on from the same line. It is fast, since the copy is \
made lazily, but it is a low-level call: the program must tell parent from child by the \
value `fork` returns, and arrange any communication, waiting and cleanup itself. It also \
copies only the thread that called it, which can leave a copied lock held forever. The \
`multiprocessing` module wraps process creation in `Process`, `Pool`, queues and pipes, \
and can start children in three ways: `fork`, or `spawn` (a fresh interpreter that \
imports the program and is sent its task and arguments), or `forkserver`. Windows has \
only spawn, and since Python 3.14 Linux too starts children from a fork server by \
default instead of forking the program itself.

A browser has no `fork` at all: a page cannot copy its own memory into a new thread. \
What it has is a *web worker*, a fresh instance started from a script, which shares \
nothing and learns everything from messages. That is spawn, so every worker in this \
notebook is a spawned one: it loads and compiles the module, then waits for a task by \
name (which is why tasks are registered by name, just as spawn finds a function by its \
qualified name) with its arguments copied over as JSON.

Spawning has a start-up cost on every process. The cell measures it: the same small jobs \
once with a fresh process each, then on a pool whose workers are started once and \
reused.";

/// G9: what spawning costs: a fresh process per job, then a pool of reused workers.
pub async fn g9_spawn_not_fork(cx: CellContext) -> CellResult {
    let jobs: i64 = bounded(&cx, "jobs", 1, 32)?;
    let size: usize = bounded(&cx, "processes", 1, 16)?;

    let started = cx.now_ms();
    let mut fresh = Vec::new();
    for x in 1..=jobs {
        let process = cx.process("square", x)?; // a new worker: the module loads again
        process.start()?;
        fresh.push(process);
    }
    for process in &fresh {
        process.join().await?;
    }
    let fresh_ms = cx.now_ms() - started;

    let started = cx.now_ms();
    let pool = cx.pool(size)?;
    let squares: Vec<i64> = pool.map_chunked("square", 1..=jobs, 1).await?;
    let pool_ms = cx.now_ms() - started;
    let started = cx.now_ms();
    let again: Vec<i64> = pool.map_chunked("square", 1..=jobs, 1).await?;
    let reused_ms = cx.now_ms() - started;
    if squares != again {
        return Err(CellError::new("AssertionError", "the reused workers answered differently"));
    }
    cx.table(
        &["how", "workers spawned", "time", "per job"],
        &[
            vec![
                "a fresh process per job".to_string(),
                jobs.to_string(),
                ms(fresh_ms),
                ms(fresh_ms / jobs as f64),
            ],
            vec![
                format!("a pool of {size}, started now"),
                size.to_string(),
                ms(pool_ms),
                ms(pool_ms / jobs as f64),
            ],
            vec!["the same pool again".to_string(), "0".into(), ms(reused_ms), ms(reused_ms / jobs as f64)],
        ],
    );
    cx.println(format!("The squares, however they were computed: {squares:?}"));
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "G",
        title: "G. Multiprocessing",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Markdown(md::WHAT),
                    CellSpec::Code(code_cell!("G1", "Processes of your own", g1_what_processes_are).inputs(
                        const {
                            &[
                                field("processes", "processes (auto = processors)", "auto"),
                                field("limit", "count the primes below", "4000000"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::VERSUS),
                    CellSpec::Code(code_cell!("G2", "Computing or waiting", g2_threads_or_processes).inputs(
                        const {
                            &[
                                field("workers", "threads and processes (auto = processors)", "auto"),
                                field("limit", "count the primes below", "3000000"),
                                field("requests", "requests", "8"),
                                field("wait", "each request waits (s)", "0.25"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::CREATE),
                    CellSpec::Code(code_cell!("G3", "Processes A and B", g3_two_processes).inputs(
                        const {
                            &[field("names", "process names", "A, B"), field("pause", "each sleeps (s)", "2")]
                        },
                    )),
                    CellSpec::Markdown(md::CHILD),
                    CellSpec::Code(
                        code_cell!("G4", "Child first, then parent", g4_child_then_parent)
                            .inputs(const { &[field("join", "join the child (yes or no)", "yes")] }),
                    ),
                    CellSpec::Markdown(md::POOL),
                    CellSpec::Code(code_cell!("G5", "A pool and starmap", g5_pool_starmap).inputs(
                        const {
                            &[
                                field("processes", "pool size", "4"),
                                field("pairs", "pairs", "1 a, 2 b, 3 c, 4 d"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::EACH_PRINTS),
                    CellSpec::Code(
                        code_cell!("G6", "Four processes, four lines", g6_numbered_processes)
                            .inputs(const { &[field("count", "processes", "4")] }),
                    ),
                    CellSpec::Markdown(md::MAP),
                    CellSpec::Code(code_cell!("G7", "pool.map(square, ...)", g7_pool_map).inputs(
                        const {
                            &[
                                field("processes", "pool size", "4"),
                                field("numbers", "numbers", "1, 2, 3, 4, 5"),
                            ]
                        },
                    )),
                    course_script!("G7-js", "A pool over a script function, in JavaScript", "g7_pool_map"),
                    CellSpec::Markdown(md::IPC),
                    CellSpec::Code(
                        code_cell!("G8", "Queue, pipe, shared memory, manager", g8_ipc).inputs(
                            const {
                                &[
                                    field("workers", "workers", "4"),
                                    field("adds", "additions per worker", "250"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::FORK),
                    CellSpec::Code(code_cell!("G9", "Spawning costs", g9_spawn_not_fork).inputs(
                        const { &[field("jobs", "jobs", "8"), field("processes", "pool size", "2")] },
                    )),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_processes.rs"));

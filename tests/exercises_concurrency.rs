//! Sections F (threads) and G (processes) run through the kernel on the simulated host:
//! every cell, with short pauses and small jobs, checked on what it prints and in which
//! order where the exercise fixes one; and every run must leave no worker behind.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::exercises::catalog;
use notebook::notebook::protocol::ReplyStatus;

struct Session(kernel_session::Session);

impl Session {
    fn new() -> Session {
        Session(kernel_session::Session::new(catalog()))
    }

    /// Runs a cell that must succeed; returns its output as text.
    fn run(&self, cell_id: &str, inputs: &[(&str, &str)]) -> String {
        let (text, status) = self.0.run_status(cell_id, inputs);
        assert_eq!(status, ReplyStatus::Ok, "{cell_id} failed:\n{text}");
        assert!(self.0.kernel.processes().list().is_empty(), "{cell_id} left workers alive");
        text
    }

    /// Runs a cell that must fail; returns its output (ending with the traceback).
    fn fail(&self, cell_id: &str, inputs: &[(&str, &str)]) -> String {
        let (text, status) = self.0.run_status(cell_id, inputs);
        assert_eq!(status, ReplyStatus::Error, "{cell_id} should have failed:\n{text}");
        assert!(self.0.kernel.processes().list().is_empty(), "{cell_id} left workers alive");
        text
    }
}

/// The lines of `text` up to the first one starting with `stop` (a table or chart).
fn lines_before<'a>(text: &'a str, stop: &str) -> Vec<&'a str> {
    text.lines().take_while(|l| !l.starts_with(stop)).collect()
}

/// `text` with every run of spaces made one (table columns are padded to their width).
fn squeeze(text: &str) -> String {
    text.lines()
        .map(|l| l.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The number after `label` in `text` (e.g. the `12.5` of `label 12.5 s`).
fn number_after(text: &str, label: &str) -> f64 {
    let at = text.find(label).unwrap_or_else(|| panic!("{label:?} not in {text}")) + label.len();
    let digits: String =
        text[at..].trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    digits.parse().unwrap_or_else(|_| panic!("no number after {label:?} in {text}"))
}

#[test]
fn sections_f_and_g_follow_b_with_every_row_as_a_cell() {
    let cat = catalog();
    let ids: Vec<&str> = cat.sections.iter().map(|s| s.id).collect();
    let at = |id| ids.iter().position(|s| *s == id).unwrap_or_else(|| panic!("no section {id}"));
    assert!(at("B") < at("F") && at("F") < at("G"), "{ids:?}");
    for section in ["F", "G"] {
        let cells = &cat.sections[at(section)].cells;
        assert!(matches!(cells[0], notebook::notebook::CellSpec::Markdown(_)), "{section} opens with text");
        for row in 1..=9 {
            let id = format!("{section}{row}");
            let cell = cat.find(&id).unwrap_or_else(|| panic!("{id} is missing"));
            assert!(cell.in_run_all, "{id} runs in Run all");
        }
    }
}

#[test]
fn f1_threads_take_turns_and_write_to_one_list() {
    let s = Session::new();
    let text = s.run("F1", &[("threads", "3"), ("steps", "2"), ("pause", "0.02")]);
    let lines = lines_before(&text, "Each thread's life");
    assert_eq!(
        lines,
        [
            "MainThread (ident 1) started 3 threads and waits for them.",
            "worker-1 (ident 2): step 1 of 2",
            "worker-2 (ident 3): step 1 of 2",
            "worker-3 (ident 4): step 1 of 2",
            "worker-1 (ident 2): step 2 of 2",
            "worker-2 (ident 3): step 2 of 2",
            "worker-3 (ident 4): step 2 of 2",
            "The shared list has 6 entries, written by all the threads in turn:",
            "worker-1#1 worker-2#1 worker-3#1 worker-1#2 worker-2#2 worker-3#2",
        ]
    );
    assert_eq!(text.matches(": thread worker-").count(), 3, "a timeline lane per thread:\n{text}");
    let text = s.fail("F1", &[("threads", "0")]);
    assert!(text.ends_with("ValueError: input 'threads' must be from 1 to 8, not 0\n"), "{text}");
}

#[test]
fn f2_a_thread_counts_then_the_main_thread_goes_on() {
    let s = Session::new();
    let text = s.run("F2", &[("count", "4"), ("pause", "0.02")]);
    assert_eq!(text, "Number: 0\nNumber: 1\nNumber: 2\nNumber: 3\nThe thread has finished.\n");
    let text = s.fail("F2", &[("pause", "-1")]);
    assert!(text.ends_with("ValueError: input 'pause' must be from 0 to 60 seconds, not -1.0\n"), "{text}");
    let text = s.fail("F2", &[("count", "many")]);
    assert!(
        text.ends_with("ValueError: input 'count' must be a whole number from 0, not 'many'\n"),
        "{text}"
    );
}

#[test]
fn f3_counts_the_same_primes_alone_on_threads_and_on_processes() {
    let s = Session::new();
    let text = s.run("F3", &[("limit", "200000"), ("workers", "3")]);
    // 17984 primes below 200000, whichever way they are counted.
    assert!(text.starts_with("Counting the primes below 200000, in 12 chunks, three ways:\n"), "{text}");
    assert!(text.contains("  the main thread alone: 17984 primes in "), "{text}");
    assert!(text.contains("  3 threads:             17984 primes in "), "{text}");
    assert!(text.contains("  3 processes:           17984 primes in "), "{text}");
    // From the recorded times: the threads' turns never overlap, nor do the simulated
    // processes' jobs; with nothing side by side the cell calls no ratio a speed-up.
    assert!(text.contains("\nMost at work at one instant: threads 1 of 3, processes 1 of 3.\n"), "{text}");
    let cpus = std::thread::available_parallelism().unwrap().get();
    let processors = if cpus == 1 { "1 processor".to_string() } else { format!("{cpus} processors") };
    assert!(
        text.contains(&format!(
            "x. This machine has {processors}, but these processes are simulated, taking turns on the \
             kernel's thread: nothing ran side by side, so this is no speed-up.\n"
        )),
        "{text}"
    );
    assert!(!text.contains("Speed-up"), "{text}");
    assert!(text.contains("Threads take turns, and so do the simulated processes\n"), "{text}");
    assert!(text.contains("Primes below 200000: time taken\n  main thread alone: "), "a bar chart:\n{text}");
    assert_eq!(text.matches(": thread counter-").count(), 3, "a lane per thread:\n{text}");
    assert_eq!(
        text.matches(": count_primes ×1").count(),
        2 * 3 + 12,
        "a bar per warm-up and per job:\n{text}"
    );
    assert!(text.contains("(starting and warming them up took "), "{text}");
    let text = s.run("F3", &[("limit", "50000"), ("workers", "auto")]);
    let auto = format!(
        "  {:<23}5133 primes",
        format!("{} {}:", cpus.min(16), if cpus == 1 { "process" } else { "processes" })
    );
    assert!(text.contains(&auto), "auto is this machine's processor count:\n{text}");
    let text = s.fail("F3", &[("limit", "100")]);
    assert!(text.ends_with("ValueError: input 'limit' must be from 1000 to 50000000, not 100\n"), "{text}");
}

/// What the exercise's own run printed, one line per event (at 3 s both threads are due:
/// the numbers thread, started first, goes first).
const SEED_ORDER: [&str; 11] = [
    "Number: 0",
    "Letter: A",
    "Number: 1",
    "Letter: B",
    "Number: 2",
    "Number: 3",
    "Letter: C",
    "Number: 4",
    "Letter: D",
    "Letter: E",
    "Both threads have finished.",
];

#[test]
fn f4_numbers_and_letters_interleave_in_the_seeds_order() {
    let s = Session::new();
    let start = std::time::Instant::now();
    let text = s.run("F4", &[("number_pause", "0.1"), ("letter_pause", "0.15")]);
    assert_eq!(lines_before(&text, "Both threads live at once"), SEED_ORDER);
    let elapsed = start.elapsed().as_secs_f64();
    assert!((0.7..10.0).contains(&elapsed), "5 pauses of 0.15 s and more: {elapsed} s");
    assert_eq!(text.matches(": thread ").count(), 2, "{text}");
    // Other pauses, another order: letters every 0.5 of a number's pause.
    let text = s.run("F4", &[("number_pause", "0.1"), ("letter_pause", "0.05")]);
    assert!(text.starts_with("Number: 0\nLetter: A\nLetter: B\nNumber: 1\nLetter: C\nLetter: D\n"), "{text}");
}

#[test]
fn f5_without_join_the_result_is_not_there_yet() {
    let s = Session::new();
    let text = s.run("F5", &[("pause", "0.05")]);
    assert_eq!(
        text,
        "Without join: the main thread reads the first result at once: None\n\
         With join: the main thread waits in join() for the second thread...\n\
         \x20 [joined] done\n\
         With join: the second result is [1, 4, 9, 16, 25]\n\
         The main thread's code ends here; the first result is still None.\n\
         \x20 [not-joined] done at last, after the main thread's code ended\n"
    );
}

#[test]
fn f6_threads_overlap_the_waits_of_slow_requests() {
    let s = Session::new();
    let text = s.run("F6", &[("requests", "3"), ("seconds", "0.1")]);
    let lines = lines_before(&text, "Total:");
    assert_eq!(
        lines,
        [
            "One after another:",
            "  site-1.example answered after 0.10 s",
            "  site-2.example answered after 0.06 s",
            "  site-3.example answered after 0.14 s",
            "A thread per request:",
            // Each answers after its own delay: the fastest first.
            "  site-2.example answered after 0.06 s",
            "  site-1.example answered after 0.10 s",
            "  site-3.example answered after 0.14 s",
        ]
    );
    let sequential = number_after(&text, "Total:");
    let concurrent = number_after(&text, "s one after another (the sum, 0.30 s),");
    assert!(sequential >= 0.29, "the waits add up one after another: {sequential} s");
    assert!(concurrent < sequential, "threads overlap them: {concurrent} s against {sequential} s");
    assert!(text.contains("3 simulated requests\n  one after another: "), "{text}");
    assert_eq!(text.matches(": thread site-").count(), 3, "{text}");
}

#[test]
fn f7_a_thread_class_prints_its_name_and_id_then_exit() {
    let s = Session::new();
    assert_eq!(s.run("F7", &[]), "ab 1000\nabhijit 2000\nExit\n");
    let inputs = [("name1", "x"), ("id1", "1"), ("name2", "y"), ("id2", "2")];
    assert_eq!(s.run("F7", &inputs), "x 1\ny 2\nExit\n");
    let text = s.fail("F7", &[("id1", "a thousand")]);
    assert!(
        text.ends_with("ValueError: input 'id1' must be a whole number from 0, not 'a thousand'\n"),
        "{text}"
    );
}

#[test]
fn f8_square_and_cube_threads_return_their_results() {
    let s = Session::new();
    assert_eq!(
        s.run("F8", &[]),
        "Square of 5: 25\nCube of 5: 125\nBoth threads completed: the square is 25 and the cube is 125.\n"
    );
    let text = s.fail("F8", &[("number", "3000000000")]);
    assert!(text.starts_with("Square of 3000000000: 9000000000000000000\n"), "{text}");
    assert!(text.ends_with("OverflowError: the result does not fit in 64 bits\n"), "{text}");
}

#[test]
fn f9_threads_share_the_counter_and_processes_change_copies() {
    let s = Session::new();
    let text = s.run("F9", &[("workers", "3")]);
    assert!(text.starts_with("After 3 threads each added one, the cell's counter is 3.\n"), "{text}");
    let copies = text.lines().filter(|l| l.contains(": my copy of the counter is now 1")).count();
    assert_eq!(copies, 3, "{text}");
    assert!(
        text.contains(
            "After 3 processes each added one, the cell's counter is still 0; their copies: [1, 1, 1].\n"
        ),
        "{text}"
    );
    assert!(
        squeeze(&text).contains("a counter given to each shared: it became 3 copied: it stayed 0"),
        "{text}"
    );
}

#[test]
fn g1_processes_introduce_themselves_and_share_the_count() {
    let s = Session::new();
    let text = s.run("G1", &[("processes", "2"), ("limit", "100000")]);
    // The simulated host reports this machine's processors and says what it is.
    let cpus = std::thread::available_parallelism().unwrap().get();
    let processors = if cpus == 1 { "1 processor".to_string() } else { format!("{cpus} processors") };
    assert!(
        text.starts_with(&format!(
            "This machine has {processors}, but these processes are simulated, taking turns on the \
             kernel's thread. Starting 2 processes.\n"
        )),
        "{text}"
    );
    let reports: Vec<&str> = text.lines().filter(|l| l.contains(" primes in [")).collect();
    assert_eq!(reports.len(), 2, "{text}");
    let counted: f64 = reports.iter().map(|l| number_after(l, "):")).sum();
    assert_eq!(counted, 9592.0, "the primes below 100000, split over two processes");
    assert!(reports.iter().all(|l| l.starts_with("Process-") && l.contains("(pid ")), "{text}");
    assert!(text.contains("All 2 processes have ended, with exit codes [0, 0].\n"), "{text}");
    assert_eq!(text.matches(": introduce ×1").count(), 2, "a timeline bar each:\n{text}");
}

#[test]
fn g2_compares_computing_and_waiting_on_threads_and_processes() {
    let s = Session::new();
    let inputs = [("workers", "2"), ("limit", "20000"), ("requests", "4"), ("wait", "0.02")];
    let text = s.run("G2", &inputs);
    assert!(text.starts_with("job "), "{text}");
    assert!(text.contains("2 threads") && text.contains("2 processes"), "{text}");
    assert!(text.contains("CPU: 2262 primes below 20000 "), "{text}");
    assert!(text.contains("waiting: 4 requests of 20 ms "), "{text}");
    assert!(text.ends_with(
        "2 threads finish 4 waits in one round; 2 processes, one wait each at a time, need 2 rounds.\n"
    ));
}

#[test]
fn g3_two_processes_start_then_complete_then_the_parent_reports() {
    let s = Session::new();
    let text = s.run("G3", &[("names", "A, B"), ("pause", "0.1")]);
    let lines = lines_before(&text, "Side by side");
    assert_eq!(lines.len(), 5, "{text}");
    let mut started = lines[..2].to_vec();
    started.sort();
    assert_eq!(started, ["Process A started", "Process B started"]);
    let mut completed = lines[2..4].to_vec();
    completed.sort();
    assert_eq!(completed, ["Process A completed", "Process B completed"]);
    assert_eq!(lines[4], "All 2 processes have finished.");
    assert!(text.contains("Process-A: start_sleep_complete ×1") && text.contains("Process-B: "), "{text}");
    let text = s.fail("G3", &[("names", " , ")]);
    assert!(text.ends_with("ValueError: give 1 to 8 process names, separated by commas\n"), "{text}");
}

#[test]
fn g4_the_child_prints_first_when_joined() {
    let s = Session::new();
    let text = s.run("G4", &[]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with("Hello from child process Process-") && lines[0].contains("(pid "),
        "{text}"
    );
    assert_eq!(lines[1], "Parent process exiting");
    let text = s.run("G4", &[("join", "no")]);
    assert!(text.starts_with("Parent process exiting\nHello from child process "), "{text}");
    let text = s.fail("G4", &[("join", "maybe")]);
    assert!(text.ends_with("ValueError: join must be yes or no, not 'maybe'\n"), "{text}");
}

#[test]
fn g5_starmap_on_a_pool_of_four_gives_the_results_list() {
    let s = Session::new();
    let text = s.run("G5", &[]);
    assert!(
        text.starts_with(
            "pool.starmap(repeat_text, [(1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')])\n['a', 'bb', 'ccc', 'dddd']\n"
        ),
        "{text}"
    );
    assert_eq!(text.matches(": repeat_text ×1").count(), 4, "one job each (chunks of 1):\n{text}");
    let text = s.run("G5", &[("processes", "2"), ("pairs", "3 ab, 0 x, 2 it's")]);
    assert!(text.contains("\n['ababab', '', \"it'sit's\"]\n"), "{text}");
    let text = s.fail("G5", &[("pairs", "1 a, b 2")]);
    assert!(text.ends_with("ValueError: each pair is a count and a word, like '2 b', not 'b 2'\n"), "{text}");
    let text = s.fail("G5", &[("pairs", "-1 a")]);
    assert!(text.ends_with("ValueError: can repeat a text 0 to 10000 times, not -1\n"), "{text}");
}

#[test]
fn g6_four_processes_each_print_their_number_then_the_parent() {
    let s = Session::new();
    let text = s.run("G6", &[]);
    let mut lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.pop(), Some("All processes have finished."), "{text}");
    lines.sort();
    assert_eq!(
        lines,
        [
            "Process 1: Printing number 1",
            "Process 2: Printing number 2",
            "Process 3: Printing number 3",
            "Process 4: Printing number 4"
        ]
    );
}

#[test]
fn g7_pool_map_squares_the_list() {
    let s = Session::new();
    assert_eq!(s.run("G7", &[]), "[1, 4, 9, 16, 25]\n");
    assert_eq!(s.run("G7", &[("numbers", "-3, 0, 12"), ("processes", "1")]), "[9, 0, 144]\n");
    let text = s.fail("G7", &[("numbers", "1, two")]);
    assert!(text.ends_with("ValueError: invalid literal for int() with base 10: 'two'\n"), "{text}");
}

#[test]
fn g8_queue_pipe_shared_memory_and_manager_each_carry_data() {
    let s = Session::new();
    let text = s.run("G8", &[("workers", "4"), ("adds", "25")]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "1. Queue");
    for (i, line) in lines[1..4].iter().enumerate() {
        assert!(line.starts_with(&format!("   the parent got 'item {} from Process-", i + 1)), "{text}");
    }
    assert_eq!(lines[4], "2. Pipe");
    assert!(lines[5].starts_with("   sent 'hello', received: Process-"), "{text}");
    assert!(lines[5].ends_with(" heard 'hello' and answers 'HELLO'"), "{text}");
    assert!(lines[6].ends_with(" heard 'pipe' and answers 'PIPE'"), "{text}");
    assert_eq!(lines[7], "3. Shared value and array");
    assert_eq!(
        lines[8],
        "   4 workers added 1, 25 times each: the counter is 100 (kept by the kernel, messages)"
    );
    assert_eq!(lines[9], "   the array [1, 2, 3, 4, 5], squared in place by the workers: [1, 4, 9, 16, 25]");
    assert_eq!(lines[10], "4. Manager");
    for (line, key) in lines[11..14].iter().zip(["first", "second", "third"]) {
        assert!(line.starts_with(&format!("   dict['{key}'] = ")), "{text}");
    }
    let list = lines[14];
    assert!(list.starts_with("   list, in the order the workers appended: ["), "{text}");
    assert!(["'first'", "'second'", "'third'"].iter().all(|k| list.contains(k)), "{text}");
    assert_eq!(lines.len(), 15, "{text}");
}

#[test]
fn g9_spawning_a_process_per_job_against_a_pool() {
    let s = Session::new();
    let text = s.run("G9", &[("jobs", "3"), ("processes", "2")]);
    let table = squeeze(&text);
    assert!(table.contains("\na fresh process per job 3 "), "{text}");
    assert!(table.contains("\na pool of 2, started now 2 "), "{text}");
    assert!(table.contains("\nthe same pool again 0 "), "{text}");
    assert!(text.ends_with("The squares, however they were computed: [1, 4, 9]\n"), "{text}");
}

//! Section E's cells run through the kernel, one test running every cell in turn on one
//! kernel. The allocator counts per thread, so other tests running beside it do not blur
//! its figures, which can be checked exactly.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use kernel_session::Session;
use notebook::exercises::catalog;
use notebook::notebook::protocol::{ReplyStatus, ToPage};

/// The number before `" B"` or a unit in a line such as `..., 112 B still held`.
fn held_in(line: &str) -> String {
    let end = line.find(" still held").expect("a line with a held figure");
    line[..end].rsplit(", ").next().unwrap_or("").to_string()
}

fn e1_counts_go_up_and_down_and_a_cycle_leaks(session: &Session) {
    let (text, status) = session.run_status("E1", &[]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let table: Vec<&str> = text.lines().skip(3).take(6).collect();
    assert_eq!(
        table,
        [
            "let a = Rc::new(..)                        1             0",
            "let b = Rc::clone(&a)                      2             0",
            "{ let c = Rc::clone(&a); (inside a block)  3             0",
            "} (the block ends: c is dropped)           2             0",
            "let w = Rc::downgrade(&a)                  2             1",
            "drop(b)                                    1             1",
        ],
        "{text}"
    );
    assert!(text
        .contains("drop(a): the last strong handle is gone, the text is freed, and w.upgrade() gives None."));
    let cycle: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("A cycle")).take(5).collect();
    assert_eq!(cycle[1], "  strong counts once linked: x 2, y 2");
    assert!(cycle[2].starts_with("  after dropping both handles: 0 of 2 nodes freed, "), "{text}");
    let leaked = held_in(cycle[2]);
    assert_ne!(leaked, "0 B", "the cycle's two nodes stay in memory: {text}");
    assert!(leaked.ends_with(" B") && !leaked.contains('.'), "two small nodes, counted in bytes: {leaked}");
    assert_eq!(cycle[3], "  x is still reachable through a Weak: strong count 1 (y's link)");
    assert_eq!(cycle[4], "  after setting x.next = None by hand: 2 of 2 nodes freed");
    let weak: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("Parent")).take(3).collect();
    assert_eq!(
        weak[1],
        "  once linked: parent strong 1, child strong 2, parent weak 1; the child reaches its parent: true"
    );
    assert_eq!(weak[2], "  after dropping both handles: 2 of 2 nodes freed, 0 B still held");
}

fn e1b_collects_the_cycle_and_keeps_what_a_variable_reaches(session: &Session) {
    let (text, status) = session.run_status("E1b", &[]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    // Three nodes of 1 KB each, and more, stay held once their handles are gone...
    assert!(lines[0].starts_with("Made a cycle of 3 nodes and dropped every handle to it: peak "), "{text}");
    assert!(lines[0].contains("held +3.") && lines[0].ends_with(" kB."), "{text}");
    assert_eq!(lines[1], "Tracked nodes: 5 (the cycle, root and leaf).");
    assert_eq!(lines[2], "gc.collect() found 3 unreachable: n0, n1, n2");
    // ...until the collector finds them: the collection gives back what they held.
    assert!(lines[3].starts_with("The collection: peak ") && lines[3].contains("freed 3."), "{text}");
    assert_eq!(lines[4], "Still alive: root, leaf (CPython would move them to generation 1).");

    let (text, _) = session.run_status("E1b", &[("cycle", "1")]);
    assert!(text.contains("gc.collect() found 1 unreachable: n0\n"), "a node that refers to itself:\n{text}");
    let (text, _) = session.run_status("E1b", &[("cycle", "200")]);
    assert!(text.contains("gc.collect() found 200 unreachable: n0, n1, n2, ... n199\n"), "{text}");
    let (text, status) = session.run_status("E1b", &[("cycle", "0")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.ends_with("ValueError: input 'cycle' must be from 1 to 1000, not 0\n"), "{text}");
}

fn e2_drop_runs_where_values_end(session: &Session) {
    let (text, status) = session.run_status("E2", &[]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let expected = "\
1. A value made in a block ends with the block:
    new: temp
    (the block ends)
    drop: temp is cleaned up
2. drop(value) ends it at once, like Python's `del` on the last reference:
    new: early
    drop: early is cleaned up
3. A moved value is dropped once, by its new owner:
    new: moved
    a Vec now owns 1 value; dropping the Vec:
    drop: moved is cleaned up
4. Shared through Rc, it goes with the last handle:
    new: shared
    one handle dropped, 1 left: nothing yet
    drop: shared is cleaned up
5. Leaving early with an error still drops what is in scope, like `finally`:
    new: guard
    drop: guard is cleaned up
    caught ValueError: gave up half-way
6. At the end of a function, values go in reverse order of creation:
    new: first
    new: second
    (the cell returns)
    drop: second is cleaned up
    drop: first is cleaned up
";
    assert_eq!(text, expected);
}

fn e3_profiles_a_million_squares(session: &Session) {
    let messages = session.execute("E3", &[]);
    let text = kernel_session::outputs(&messages).plain_text();
    let row = |how: &str| -> Vec<String> {
        let line =
            text.lines().find(|l| l.starts_with(how)).unwrap_or_else(|| panic!("no row {how}: {text}"));
        line[how.len()..].split("  ").map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect()
    };
    let allocations = |how: &str| row(how)[0].replace(',', "").parse::<u64>().unwrap();
    let boxed = allocations("Vec<Box<u64>>, pushed one by one");
    assert!((1_000_001..1_000_064).contains(&boxed), "a box per number and a few growths: {boxed}");
    let pushed = allocations("Vec<u64>, pushed one by one");
    assert!((2..64).contains(&pushed), "growth by doubling: {pushed}");
    assert_eq!(allocations("Vec<u64>, collected (length known)"), 1);
    // 8 bytes a number; the boxed list holds a pointer and a box of 8 bytes per number.
    assert_eq!(row("Vec<u64>, collected (length known)")[1..3], ["8.0 MB", "8.0 B"]);
    let boxed_per_number: f64 =
        row("Vec<Box<u64>>, pushed one by one")[2].trim_end_matches(" B").parse().unwrap();
    assert!(boxed_per_number >= 16.0, "{text}");
    assert!(text.contains("The list kept: 1000000 numbers, starting [0, 1, 4, 9, 16]"), "{text}");
    assert!(text.contains("This run so far: peak "), "{text}");
    assert!(text.contains("After dropping the list: peak "), "{text}");

    let figures = messages.iter().find_map(|m| match &m.body {
        ToPage::ExecuteReply(reply) => Some((reply.status, reply.memory)),
        _ => None,
    });
    let Some((ReplyStatus::Ok, Some(figures))) = figures else { panic!("{figures:?}") };
    assert!(figures.allocations > 1_000_000, "the whole run's count includes the boxed list: {figures:?}");
    assert!(figures.peak_bytes >= 16_000_000, "{figures:?}");
    assert!(figures.held_bytes < 100_000, "the lists are gone when the cell ends: {figures:?}");

    let (text, status) = session.run_status("E3", &[("n", "6000000")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: n is capped at 5,000,000"), "{text}");
    let (text, status) = session.run_status("E3", &[("n", "0")]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert!(text.starts_with("An empty list (n = 0) built three ways:\n"), "{text}");
    assert!(text.contains("The list kept: no numbers.\n"), "{text}");
    for (n, said) in
        [("1", "The square of 0 built three ways:\n"), ("2", "The squares of 0 to 1 built three ways:\n")]
    {
        let (text, _) = session.run_status("E3", &[("n", n)]);
        assert!(text.starts_with(said), "{n}: {text}");
    }
    let (text, _) = session.run_status("E3", &[("n", "1")]);
    assert!(text.contains("The list kept: 1 number, starting [0]\n"), "{text}");
}

#[test]
fn section_e_cells() {
    let session = Session::new(catalog());
    e1_counts_go_up_and_down_and_a_cycle_leaks(&session);
    e1b_collects_the_cycle_and_keeps_what_a_variable_reaches(&session);
    e2_drop_runs_where_values_end(&session);
    e3_profiles_a_million_squares(&session);
}

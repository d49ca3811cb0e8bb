//! Section C's cells run through the kernel, answered as a person would answer their
//! breakpoints: Continue at every stop, Continue to the end part-way, or Stop.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use kernel_session::{Answer, Session};
use notebook::exercises::catalog;
use notebook::notebook::protocol::{
    BreakpointAction, BreakpointReply, BreakpointRequest, ReplyStatus, ToKernel,
};

fn session() -> Session {
    Session::new(catalog())
}

/// The locals of a stop as `name=value` pairs.
fn values(stop: &BreakpointRequest) -> Vec<String> {
    stop.locals.iter().map(|l| format!("{}={}", l.name, l.value)).collect()
}

#[test]
fn c1_stops_in_every_turn_with_i_and_the_running_product() {
    let (text, status, stops) = session().run_debugging("C1", &[], |_| Answer::Continue);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let shown: Vec<_> = stops.iter().map(|s| (s.name.as_str(), s.hit, values(s))).collect();
    let expected: Vec<(&str, u32, Vec<String>)> = [(1, 1), (2, 2), (3, 6), (4, 24), (5, 120)]
        .into_iter()
        .map(|(i, p)| ("loop", i, vec![format!("i={i}"), format!("product={p}")]))
        .collect();
    assert_eq!(shown, expected);
    assert_eq!(stops[0].locals[1].type_name, "u128");
    assert!(
        text.starts_with("Computing 5! with a breakpoint at the end of each turn of the loop.\n"),
        "{text}"
    );
    assert!(text.ends_with("The factorial of 5 is 120\n"), "{text}");
    // Each stop left its table behind, so the run can be read afterwards.
    assert_eq!(text.matches("paused at loop (hit ").count(), 5, "{text}");
    assert!(
        text.contains("paused at loop (hit 3), continued\nname     type  value\n-------  ----  -----\ni        u32   3\nproduct  u128  6\n"),
        "{text}"
    );
}

#[test]
fn c1_continue_to_the_end_passes_the_remaining_stops() {
    let (text, status, stops) = session().run_debugging("C1", &[("n", "10")], |stop| {
        if stop.hit == 2 {
            Answer::ContinueToEnd
        } else {
            Answer::Continue
        }
    });
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(stops.len(), 2);
    assert!(text.contains("paused at loop (hit 2), continued to the end"), "{text}");
    assert!(!text.contains("(hit 3)"), "no stop is recorded after Continue to the end: {text}");
    assert!(text.ends_with("The factorial of 10 is 3628800\n"), "{text}");
}

#[test]
fn c1_stop_at_a_breakpoint_ends_the_run_there() {
    let session = session();
    let (text, status, stops) =
        session.run_debugging("C1", &[], |stop| if stop.hit == 3 { Answer::Stop } else { Answer::Continue });
    assert_eq!(status, ReplyStatus::Aborted);
    assert_eq!(stops.len(), 3);
    assert!(text.contains("paused at loop (hit 3), stopped here"), "{text}");
    assert!(text.contains("KeyboardInterrupt: stopped by the Stop button"), "{text}");
    assert!(!text.contains("The factorial"), "{text}");
    let late = ToKernel::BreakpointReply(BreakpointReply { action: BreakpointAction::Continue });
    assert!(session.is_ignored(late), "no stop outlives its run");
    // The next run starts with fresh hit counts and stops again.
    let (_, status, stops) = session.run_debugging("C1", &[("n", "2")], |_| Answer::Continue);
    assert_eq!((status, stops.iter().map(|s| s.hit).collect::<Vec<_>>()), (ReplyStatus::Ok, vec![1, 2]));
}

#[test]
fn c1_reports_overflow_and_bad_input_instead_of_panicking() {
    let (text, status, _) = session().run_debugging("C1", &[("n", "35")], |_| Answer::ContinueToEnd);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("OverflowError: 35! does not fit in 128 bits (it overflowed at i = 35)"), "{text}");
    let (text, status) = session().run_status("C1", &[("n", "five")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: input 'n' must be a whole number from 0, not 'five'"), "{text}");
    let (text, status) = session().run_status("C1", &[("n", "0")]);
    assert_eq!(
        (text.as_str(), status),
        (
            "Computing 0! with a breakpoint at the end of each turn of the loop.\nThe factorial of 0 is 1\n",
            ReplyStatus::Ok
        )
    );
}

#[test]
fn c2_shows_the_list_growing_at_each_stop() {
    let (text, status, stops) = session().run_debugging("C2", &[], |_| Answer::Continue);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let shown: Vec<Vec<String>> = stops.iter().map(values).collect();
    assert_eq!(
        shown,
        [
            ["fib_seq=[0, 1]", "next=1"],
            ["fib_seq=[0, 1, 1]", "next=2"],
            ["fib_seq=[0, 1, 1, 2]", "next=3"],
            ["fib_seq=[0, 1, 1, 2, 3]", "next=5"],
            ["fib_seq=[0, 1, 1, 2, 3, 5]", "next=8"],
        ]
    );
    assert_eq!(stops[0].locals[0].type_name, "Vec<u64>");
    assert!(text.starts_with("Calculating the Fibonacci sequence up to 7 terms:\n"), "{text}");
    assert!(text.ends_with("Fibonacci sequence: [0, 1, 1, 2, 3, 5, 8]\n"), "{text}");
    assert_eq!(text.matches("paused at before push").count(), 5);
}

#[test]
fn c2_short_and_overlong_sequences() {
    for (n, list) in [("0", "[]"), ("1", "[0]"), ("2", "[0, 1]")] {
        let (text, status) = session().run_status("C2", &[("n", n)]);
        assert_eq!(status, ReplyStatus::Ok);
        assert!(text.ends_with(&format!("Fibonacci sequence: {list}\n")), "{text}");
    }
    let (text, status, _) = session().run_debugging("C2", &[("n", "94")], |_| Answer::ContinueToEnd);
    assert_eq!(status, ReplyStatus::Ok);
    assert!(text.contains("12200160415121876738]"), "the 94th term still fits: {text}");
    let (text, status, _) = session().run_debugging("C2", &[("n", "95")], |_| Answer::ContinueToEnd);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("OverflowError: term 95 does not fit in 64 bits"), "{text}");
}

#[test]
fn c3_draws_the_call_tree_of_fib_with_return_values() {
    let (text, status) = session().run_status("C3", &[]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let expected = "\
|-- fib 4
| |-- fib 3
| | |-- fib 2
| | | |-- fib 1
| | | | |-- return 1
| | | |-- fib 0
| | | | |-- return 0
| | | |-- return 1
| | |-- fib 1
| | | |-- return 1
| | |-- return 2
| |-- fib 2
| | |-- fib 1
| | | |-- return 1
| | |-- fib 0
| | | |-- return 0
| | |-- return 1
| |-- return 3
fib(4) = 3
";
    assert_eq!(text, expected);
}

#[test]
fn c3_stops_at_each_call_when_asked_with_the_stack_of_calls() {
    let inputs = [("function", "factorial"), ("n", "3"), ("stop", "yes")];
    let (text, status, stops) = session().run_debugging("C3", &inputs, |_| Answer::Continue);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let shown: Vec<Vec<String>> = stops.iter().map(values).collect();
    assert_eq!(
        shown,
        [
            vec!["n=3", "depth=0", r#"stack=["factorial(3)"]"#],
            vec!["n=2", "depth=1", r#"stack=["factorial(3)", "factorial(2)"]"#],
            vec!["n=1", "depth=2", r#"stack=["factorial(3)", "factorial(2)", "factorial(1)"]"#],
        ]
    );
    assert_eq!(stops.iter().map(|s| s.hit).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(
        text.ends_with("| | | |-- return 1\n| | |-- return 2\n| |-- return 6\nfactorial(3) = 6\n"),
        "{text}"
    );
    // The trace lines and the stop records interleave in the order they happened.
    let first_stop = text.find("paused at call (hit 1)").unwrap();
    assert!(text.find("|-- factorial 3").unwrap() < first_stop);
    assert!(first_stop < text.find("| |-- factorial 2").unwrap());
}

#[test]
fn c3_refuses_unknown_functions_and_oversized_trees() {
    let cases = [
        (vec![("function", "sqrt")], "ValueError: function must be fib or factorial, not 'sqrt'"),
        (vec![("n", "16")], "ValueError: n must be at most 15 for fib"),
        (vec![("function", "factorial"), ("n", "21")], "ValueError: n must be at most 20 for factorial"),
        (vec![("stop", "maybe")], "ValueError: stop at each call: yes or no, not 'maybe'"),
    ];
    for (inputs, message) in cases {
        let (text, status) = session().run_status("C3", &inputs);
        assert_eq!(status, ReplyStatus::Error);
        assert!(text.contains(message), "{text}");
    }
}

#[test]
fn c1b_pauses_before_the_division_then_ends_with_the_uncaught_error_and_its_traceback() {
    let session = session();
    let (text, status, stops) = session.run_debugging("C1b", &[], |_| Answer::Continue);
    assert_eq!(status, ReplyStatus::Error, "{text}");
    assert_eq!(stops.len(), 1);
    assert_eq!((stops[0].name.as_str(), values(&stops[0])), ("divide", vec!["a=5".into(), "b=0".into()]));
    // Python's order: the outermost call first, the line that raised last, then the error.
    let traceback: Vec<&str> = text.lines().skip_while(|l| !l.starts_with("Traceback")).collect();
    assert_eq!(traceback.len(), 4, "{text}");
    assert_eq!(traceback[0], "Traceback (most recent call last):");
    assert!(
        traceback[1].starts_with("  File \"src/exercises/debugging.rs\", line ")
            && traceback[1].ends_with(", in c1b_breakpoint_then_error"),
        "{text}"
    );
    assert!(traceback[2].ends_with(", in divide"), "{text}");
    assert_eq!(traceback[3], "ZeroDivisionError: division by zero");
    // The lines named are the ones that raise and pass the error on.
    let source = include_str!("../src/exercises/debugging.rs");
    let line_of = |frame: &str| -> usize {
        let number = frame.split(", line ").nth(1).unwrap().split(',').next().unwrap();
        number.parse().unwrap()
    };
    assert!(source.lines().nth(line_of(traceback[1]) - 1).unwrap().contains("divide(&cx, a, b)"), "{text}");
    assert!(source.lines().nth(line_of(traceback[2]) - 1).unwrap().contains("ZeroDivisionError"), "{text}");

    let (text, status, _) = session.run_debugging("C1b", &[("b", "4")], |_| Answer::Continue);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert!(text.ends_with("divide(5, 4) = 1.25\n"), "{text}");
}

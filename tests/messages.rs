//! What the cells say, read as a person reads it: numbers quoted as they were typed or as
//! Python shows them (never 309 digits, never Rust's `"\u{202e}"` escapes), a whole number
//! too large for its input said to be too large with its limit, buffer sizes and counts in
//! words ("the default buffer", "1 line", "2 lines").

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::exercises::catalog;
use notebook::notebook::protocol::ReplyStatus;
use notebook::vfs::FileSystem;

fn session() -> kernel_session::Session {
    kernel_session::Session::new(catalog())
}

/// Runs `id` and returns its output, which must end in an error.
fn failure(s: &kernel_session::Session, id: &str, inputs: &[(&str, &str)]) -> String {
    let (text, status) = s.run_status(id, inputs);
    assert_eq!(status, ReplyStatus::Error, "{id} {inputs:?}: {text}");
    text
}

/// Runs `id` and returns its output, which must end well.
fn output(s: &kernel_session::Session, id: &str, inputs: &[(&str, &str)]) -> String {
    let (text, status) = s.run_status(id, inputs);
    assert_eq!(status, ReplyStatus::Ok, "{id} {inputs:?}: {text}");
    text
}

const HUGE: &str = "99999999999999999999999";

#[test]
fn a_whole_number_too_large_for_its_input_says_so_and_gives_the_limit() {
    let s = session();
    let max = usize::MAX;
    let text = failure(&s, "A4", &[("count", HUGE)]);
    assert!(
        text.ends_with(&format!(
            "OverflowError: input 'count' is too large: the most it can be is {max}, not {HUGE}\n"
        )),
        "{text}"
    );
    let text = failure(&s, "A13", &[("offset", "-99999999999999999999999")]);
    assert!(
        text.ends_with(
            "OverflowError: input 'offset' is too small: the least it can be is -9223372036854775808, \
             not -99999999999999999999999\n"
        ),
        "{text}"
    );
    // Below zero for a count is no size problem: it must be a whole number from 0.
    let text = failure(&s, "A4", &[("count", "-3")]);
    assert!(text.ends_with("ValueError: input 'count' must be a whole number from 0, not -3\n"), "{text}");
    // Lists of numbers read as Python's int() and say past 64 bits that it does not fit.
    for (id, name) in [("A24", "numbers"), ("G7", "numbers")] {
        let text = failure(&s, id, &[(name, HUGE)]);
        assert!(
            text.contains(&format!("OverflowError: int too large to convert to a 64-bit integer: {HUGE}")),
            "{text}"
        );
    }
    // The cells' own parsers: a whole number too large is above the limit, not "no number".
    let text = output(&s, "D7", &[("setting", &format!("retries = {HUGE}"))]);
    assert!(
        text.starts_with(&format!("SettingError: setting 'retries' is {HUGE}, above its limit of 10\n")),
        "{text}"
    );
    assert!(text.contains("handled: the limit, 10, is used instead"), "{text}");
    let text = output(&s, "D16", &[("age", HUGE)]);
    assert_eq!(text, format!("AgeError caught: age {HUGE} is outside 0 to 150\n"));
}

#[test]
fn a_float_input_is_echoed_compactly_as_python_s_repr() {
    let s = session();
    for (typed, shown) in
        [("1e308", "1e+308"), ("-1e308", "-1e+308"), ("nan", "nan"), ("1e400", "inf"), ("75", "75.0")]
    {
        let text = failure(&s, "F1", &[("pause", typed)]);
        assert!(
            text.ends_with(&format!("ValueError: input 'pause' must be from 0 to 60 seconds, not {shown}\n")),
            "{typed}: {text}"
        );
    }
}

#[test]
fn text_in_messages_is_quoted_as_python_s_repr_never_with_rust_escapes() {
    let s = session();
    let evil = "\u{202e}evil";
    for (id, name, says) in [
        ("A4", "count", "input 'count' must be a whole number from 0, not '\u{202e}evil'"),
        ("F1", "pause", "input 'pause' must be a number, not '\u{202e}evil'"),
        ("G4", "join", "join must be yes or no, not '\u{202e}evil'"),
        ("G5", "pairs", "each pair is a count and a word, like '2 b', not '\u{202e}evil'"),
        ("C3", "function", "function must be fib or factorial, not '\u{202e}evil'"),
        ("C3", "stop", "stop at each call: yes or no, not '\u{202e}evil'"),
    ] {
        let text = failure(&s, id, &[(name, evil)]);
        assert!(text.contains(says), "{id}: {text}");
        assert!(!text.contains("\\u{"), "{id}: {text}");
    }
    // Python quotes what int() was given whole: spaces and a tab too.
    let text = failure(&s, "A4", &[("count", " 1 2\t")]);
    assert!(
        text.ends_with("ValueError: input 'count' must be a whole number from 0, not ' 1 2\\t'\n"),
        "{text}"
    );
    let text = output(&s, "D12", &[("balance", "100"), ("amount", "-5")]);
    assert!(text.starts_with("as a string: 'the amount must be above zero, not -5': all"), "{text}");
    let text = output(&s, "H2", &[("name", "it's")]);
    assert!(text.ends_with("read as BTreeMap: {\"it's\": 1}\n"), "{text}");
}

#[test]
fn a_file_whose_closing_fails_is_named_as_python_s_repr() {
    let fs = FileSystem::empty(16);
    let mut file = fs.open("tab\there.txt", "w").unwrap();
    file.write("more than sixteen bytes of text").unwrap(); // buffered: fails at the flush
    drop(file);
    assert_eq!(
        fs.take_unraisable(),
        ["Exception ignored while closing 'tab\\there.txt': OSError: [Errno 28] No space left on device"]
    );
}

#[test]
fn buffers_are_said_in_words_as_python_s_buffering_means_them() {
    let s = session();
    for (buffer, said) in [
        ("-1", "through the default buffer of 8192 bytes (buffering=-1)."),
        ("-7", "through the default buffer of 8192 bytes (buffering=-7)."),
        ("1", "through a line buffer (buffering=1: written at each line end)."),
        ("64", "through a buffer of 64 bytes."),
    ] {
        let text = output(&s, "A10", &[("buffer", buffer), ("times", "2")]);
        assert!(
            text.starts_with(&format!("Appended 2 lines to 'appended.txt' {said}\n")),
            "{buffer}: {text}"
        );
    }
    let text = output(&s, "A10", &[("buffer", "16"), ("times", "1")]);
    assert!(text.starts_with("Appended 1 line to 'appended.txt' through a buffer of 16 bytes.\n"), "{text}");
    let text = output(&s, "A8", &[("buffer", "-1"), ("chunk", "1000")]);
    assert!(
        text.contains("(1 chunk of up to 1000 characters; 3 raw reads through the default buffer of 8192 bytes (buffering=-1))\n"),
        "{text}"
    );
}

#[test]
fn counts_agree_with_their_nouns() {
    let s = session();
    let text = output(&s, "A3", &[]);
    assert!(text.starts_with("Appended to 'my_notes.txt', which now has 1 line:\n"), "{text}");
    let text = output(&s, "A25", &[("word", "Python")]);
    assert!(text.starts_with("The word 'Python' occurred 1 time in"), "{text}");
    let text = output(&s, "A4", &[("count", "1")]);
    assert!(text.starts_with("First 1 byte of 'my_binary_file.dat': "), "{text}");
    let text = output(&s, "A29", &[("files", "1"), ("pause", "0")]);
    assert!(text.contains("\nWrote 1 file of generation 1 (2 KB) in 'generations' in "), "{text}");
    assert_eq!(output(&s, "A30", &[]).lines().last(), Some("The one file in 'generations' is whole."));
    let text = output(&s, "H1", &[("n", "1")]);
    assert!(text.contains("carried out 22 instructions for 1 turn of the loop"), "{text}");
    let text = output(&s, "G1", &[("processes", "1"), ("limit", "1000")]);
    assert!(
        text.contains(". Starting 1 process.\n")
            && text.contains("The process has ended, with exit code [0]."),
        "{text}"
    );
    let text = output(&s, "C2", &[("n", "1")]);
    assert!(text.starts_with("Calculating the Fibonacci sequence up to 1 term:"), "{text}");
}

//! Sections D (exceptions) and H (language background) run through the kernel, each cell
//! checked on what it prints for several inputs: the intended-error paths print their
//! message and end normally; D14's prompts are answered as the page would answer them.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::exercises::catalog;
use notebook::notebook::protocol::ReplyStatus;
use notebook::notebook::CellSpec;
use notebook::vfs::STARTING_FILES;

/// A fresh kernel over the notebook's catalogue, whose messages are collected.
struct Session(kernel_session::Session);

impl std::ops::Deref for Session {
    type Target = kernel_session::Session;
    fn deref(&self) -> &kernel_session::Session {
        &self.0
    }
}

impl Session {
    fn new() -> Session {
        Session(kernel_session::Session::new(catalog()))
    }

    /// Runs a cell that must succeed and leave no file open; returns what it printed.
    fn run(&self, cell_id: &str, inputs: &[(&str, &str)]) -> String {
        let (text, status) = self.run_status(cell_id, inputs);
        assert_eq!(status, ReplyStatus::Ok, "{cell_id} failed:\n{text}");
        assert!(self.kernel.fs().open_files().is_empty(), "{cell_id} left files open");
        text
    }

    /// Runs a cell that asks questions, giving each prompt the next answer as the page
    /// does on Enter. Returns the prompts it showed, its output and how it ended.
    fn run_answering(&self, cell_id: &str, answers: &[&str]) -> (Vec<String>, String, ReplyStatus) {
        let mut prompts = Vec::new();
        let mut answers = answers.iter();
        let messages = self.execute_answering(cell_id, &[], |prompt| {
            prompts.push(prompt.to_string());
            answers.next().map(|a| a.to_string()).unwrap_or_default()
        });
        (prompts, kernel_session::outputs(&messages).plain_text(), kernel_session::reply_status(&messages))
    }
}

fn code_ids(section_id: &str) -> Vec<&'static str> {
    let cat = catalog();
    let section = cat.sections.iter().find(|s| s.id == section_id).expect("the section is in the notebook");
    section
        .cells
        .iter()
        .filter_map(|c| match c {
            CellSpec::Code(code) => Some(code.id),
            _ => None,
        })
        .collect()
}

#[test]
fn sections_d_and_h_come_in_page_order_with_every_row() {
    let order: Vec<&str> = catalog().sections.iter().map(|s| s.id).collect();
    let position = |id| order.iter().position(|s| *s == id).unwrap_or_else(|| panic!("no section {id}"));
    assert!(position("B") < position("D"), "{order:?}");
    assert_eq!(order.last(), Some(&"H"), "H closes the notebook: {order:?}");
    let mut expected: Vec<String> = (1..=16).map(|n| format!("D{n}")).collect();
    expected.insert(5, "D5b".into());
    expected.insert(10, "D9b".into());
    assert_eq!(code_ids("D"), expected);
    assert_eq!(code_ids("H"), ["H1", "H2"]);
    let cat = catalog();
    for id in code_ids("D").into_iter().chain(code_ids("H")) {
        let cell = cat.find(id).unwrap();
        let asks = ["D5b", "D14"].contains(&id);
        assert_eq!(cell.in_run_all, !asks, "{id}: only the cells that ask are left out of Run all");
    }
}

#[test]
fn every_cell_ends_normally_with_its_defaults() {
    let s = Session::new();
    for id in code_ids("D").into_iter().chain(code_ids("H")).filter(|id| !["D5b", "D14"].contains(id)) {
        let text = s.run(id, &[]);
        assert!(!text.is_empty(), "{id} printed nothing");
        assert!(!text.contains("Traceback"), "{id}:\n{text}");
    }
}

#[test]
fn d1_divides_or_answers_a_zero_divisor() {
    let s = Session::new();
    assert_eq!(
        s.run("D1", &[("numerator", "10"), ("denominator", "0")]),
        "Error: Division by zero is not allowed.\n"
    );
    assert_eq!(s.run("D1", &[("numerator", "10"), ("denominator", "4")]), "10 / 4 = 2.5\n");
    assert_eq!(s.run("D1", &[("numerator", "-9"), ("denominator", "3")]), "-9 / 3 = -3.0\n");
    let (text, status) = s.run_status("D1", &[("numerator", "ten"), ("denominator", "2")]);
    assert_eq!(status, ReplyStatus::Error, "a form value that is no number is the notebook's error");
    assert!(text.contains("ValueError: input 'numerator' must be a whole number, not 'ten'"), "{text}");
}

#[test]
fn d2_the_else_arm_runs_only_after_a_success() {
    let s = Session::new();
    assert_eq!(
        s.run("D2", &[("values", "42, forty-two, 7")]),
        "try:    int('42')\n\
         else:   42 is a number; twice it is 84\n\
         try:    int('forty-two')\n\
         except: ValueError: invalid literal for int() with base 10: 'forty-two'\n\
         try:    int('7')\n\
         else:   7 is a number; twice it is 14\n"
    );
    assert_eq!(
        s.run("D2", &[("values", "9223372036854775807")]),
        "try:    int('9223372036854775807')\nelse:   9223372036854775807 is a number; twice it is 18446744073709551614\n"
    );
}

#[test]
fn d3_prints_the_content_or_the_message_of_each_failure() {
    let s = Session::new();
    let sample = STARTING_FILES[0].1;
    assert_eq!(
        s.run("D3", &[("file", "sample.txt")]),
        format!("Read {} characters from sample.txt:\n{sample}", sample.chars().count())
    );
    assert_eq!(
        s.run("D3", &[("file", "missing.txt")]),
        "Error: File not found. [Errno 2] No such file or directory: 'missing.txt'\n"
    );
    assert_eq!(
        s.run("D3", &[("file", "/home")]),
        "Error: An I/O error occurred. IsADirectoryError: [Errno 21] Is a directory: '/home'\n"
    );
}

#[test]
fn d4_the_guard_runs_on_success_error_and_early_return() {
    let s = Session::new();
    assert_eq!(
        s.run("D4", &[("values", "42, 4x2, 42")]),
        "value '42':\n\
         \x20 try:     int('42')\n\
         \x20 done:    converted and cached\n\
         \x20 finally: cleanup ran\n\
         \x20 the caller got 42\n\
         value '4x2':\n\
         \x20 try:     int('4x2')\n\
         \x20 finally: cleanup ran\n\
         \x20 the caller caught ValueError: invalid literal for int() with base 10: '4x2'\n\
         value '42':\n\
         \x20 try:     int('42')\n\
         \x20 return:  seen before, answered from the cache\n\
         \x20 finally: cleanup ran\n\
         \x20 the caller got 42\n"
    );
    let text = s.run("D4", &[("values", "a, b, c")]);
    assert_eq!(text.matches("finally: cleanup ran").count(), 3, "{text}");
    assert_eq!(text.matches("the caller caught ValueError").count(), 3, "{text}");
}

#[test]
fn d5_reports_the_attempt_then_the_outcome() {
    let s = Session::new();
    assert_eq!(
        s.run("D5", &[("text", "123a")]),
        "Attempted to convert '123a'.\nError: Value cannot be converted to an integer. \
         (ValueError: invalid literal for int() with base 10: '123a')\n"
    );
    assert_eq!(s.run("D5", &[("text", " 1_000 ")]), "Attempted to convert ' 1_000 '.\nConverted: 1000\n");
    assert_eq!(
        s.run("D5", &[("text", "")]),
        "Attempted to convert ''.\nError: Value cannot be converted to an integer. \
         (ValueError: invalid literal for int() with base 10: '')\n"
    );
}

#[test]
fn d6_each_kind_of_error_lands_in_its_arm() {
    let s = Session::new();
    assert_eq!(
        s.run("D6", &[("values", "2, 0, abc, 10")]),
        "'2': no error: 100 / 2 = 50.0 and fruits[2] is 'cherry'\n\
         '0': except ZeroDivisionError: cannot divide by zero\n\
         'abc': except (ValueError, OverflowError): ValueError: invalid literal for int() with base 10: 'abc'\n\
         '10': except Exception: IndexError: list index out of range\n"
    );
    assert_eq!(
        s.run("D6", &[("values", "-1, 99999999999999999999, -4")]),
        "'-1': no error: 100 / -1 = -100.0 and fruits[-1] is 'cherry'\n\
         '99999999999999999999': except (ValueError, OverflowError): OverflowError: int too large to convert \
         to a 64-bit integer: 99999999999999999999\n\
         '-4': except Exception: IndexError: list index out of range\n"
    );
}

#[test]
fn d7_shows_the_variant_its_fields_and_its_cause() {
    let s = Session::new();
    assert_eq!(
        s.run("D7", &[("setting", "retries = three")]),
        "SettingError: setting 'retries' must be a whole number from 0\n\
         \x20 the variant and its fields: NotANumber { name: \"retries\", cause: ParseIntError { kind: InvalidDigit } }\n\
         \x20 caused by: invalid digit found in string\n"
    );
    assert_eq!(
        s.run("D7", &[("setting", "retries = 50")]),
        "SettingError: setting 'retries' is 50, above its limit of 10\n\
         \x20 the variant and its fields: TooLarge { name: \"retries\", value: \"50\", limit: 10 }\n\
         \x20 handled: the limit, 10, is used instead\n"
    );
    assert_eq!(
        s.run("D7", &[("setting", "retries")]),
        "SettingError: expected 'name = number', got 'retries'\n\
         \x20 the variant and its fields: Malformed(\"retries\")\n"
    );
    assert_eq!(s.run("D7", &[("setting", " retries = 3 ")]), "Setting accepted: retries = 3\n");
}

#[test]
fn d8_to_d10_custom_errors_print_the_seed_messages() {
    let s = Session::new();
    assert_eq!(s.run("D8", &[("value", "-10")]), "CustomError caught: Negative value is not allowed.\n");
    assert_eq!(s.run("D8", &[("value", "10")]), "Operation performed with value 10.\n");
    assert_eq!(s.run("D9", &[("value", "-10")]), "CustomException caught: Value cannot be negative.\n");
    assert_eq!(s.run("D9", &[("value", "0")]), "Processed value: 0\n");
    assert_eq!(
        s.run("D10", &[("value", "-5")]),
        "Negative value error: -5 is not allowed.\n(the handler can read the value itself: -5)\n"
    );
    assert_eq!(s.run("D10", &[("value", "7")]), "The value 7 is valid.\n");
    assert_eq!(
        s.run("D10", &[("value", "-1")]).lines().next(),
        Some("Negative value error: -1 is not allowed.")
    );
}

#[test]
fn d11_walks_try_except_else_and_finally() {
    let s = Session::new();
    assert_eq!(
        s.run("D11", &[("numerator", "10"), ("divisors", "4, 0, x")]),
        "try:     int('10') / int('4')\n\
         else:    the quotient is 2.5\n\
         finally: this line runs whatever happened above\n\
         try:     int('10') / int('0')\n\
         except ZeroDivisionError: the divisor is zero\n\
         finally: this line runs whatever happened above\n\
         try:     int('10') / int('x')\n\
         except ValueError: invalid literal for int() with base 10: 'x'\n\
         finally: this line runs whatever happened above\n"
    );
    let text = s.run("D11", &[("numerator", "ten"), ("divisors", "1")]);
    assert!(
        text.contains("except ValueError: invalid literal for int() with base 10: 'ten'\nfinally:"),
        "{text}"
    );
}

#[test]
fn d12_only_the_typed_error_can_be_handled_by_kind() {
    let s = Session::new();
    assert_eq!(
        s.run("D12", &[("balance", "100"), ("amount", "150")]),
        "as a string: 'cannot withdraw 150: the balance is only 100': all a handler can do is show it\n\
         typed:       InsufficientFunds, short by 50: offering the 100 there is instead\n"
    );
    assert_eq!(
        s.run("D12", &[("balance", "100"), ("amount", "30")]),
        "as a string: withdrew 30, 70 left\ntyped:       withdrew 30, 70 left\n"
    );
    assert_eq!(
        s.run("D12", &[("balance", "100"), ("amount", "-5")]),
        "as a string: 'the amount must be above zero, not -5': all a handler can do is show it\n\
         typed:       NotPositive: asking for the amount again\n"
    );
}

#[test]
fn d13_a_missing_key_is_a_key_error_naming_it() {
    let s = Session::new();
    assert_eq!(
        s.run("D13", &[("key", "country")]),
        "KeyError: 'country'\n\
         Error: The key 'country' does not exist in the dictionary.\n\
         The keys it has: 'age', 'city', 'name'\n"
    );
    assert_eq!(s.run("D13", &[("key", "city")]), "Person's city: New York\n");
    assert!(s.run("D13", &[("key", "it's")]).starts_with("KeyError: \"it's\"\n"), "repr picks the quotes");
}

#[test]
fn d5b_one_arm_takes_both_value_errors_and_the_finally_line_comes_last() {
    let s = Session::new();
    let cases = [
        ("16", "Square root of 16 is 4.0"),
        ("2", "Square root of 2 is 1.4142135623730951"),
        (" -4 ", "ValueError: -4 is negative: it has no real square root"),
        ("four", "ValueError: invalid literal for int() with base 10: 'four'"),
    ];
    for (answer, said) in cases {
        let (asked, text, status) = s.run_answering("D5b", &[answer]);
        assert_eq!(status, ReplyStatus::Ok, "{text}");
        assert_eq!(asked, ["Please enter a positive number: "]);
        assert_eq!(
            text,
            format!("Please enter a positive number: {answer}\n{said}\nThe try/except block is finished.\n")
        );
    }
    // Not a ValueError (too large for 64 bits): no arm takes it; the finally line still
    // comes, then the error ends the cell.
    let (_, text, status) = s.run_answering("D5b", &["99999999999999999999"]);
    assert_eq!(status, ReplyStatus::Error, "{text}");
    assert!(text.contains("\nThe try/except block is finished.\nTraceback"), "{text}");
    assert!(
        text.ends_with("OverflowError: int too large to convert to a 64-bit integer: 99999999999999999999\n"),
        "{text}"
    );
}

#[test]
fn d9b_raises_with_the_message_given_or_the_default() {
    let s = Session::new();
    assert_eq!(
        s.run("D9b", &[]),
        "raise CustomException('Something went wrong!'): caught CustomException(\"Something went wrong!\"), \
         which says: Something went wrong!\n\
         raise CustomException(): caught CustomException(\"My default message\"), which says: My default message\n"
    );
    let text = s.run("D9b", &[("message", "it's <b>")]);
    assert!(text.starts_with("raise CustomException(\"it's <b>\"): caught "), "{text}");
}

#[test]
fn d14_converts_each_answer_before_the_next_question() {
    // `int(input())` on the first line fails before the second question is asked.
    let s = Session::new();
    let (asked, text, status) = s.run_answering("D14", &["ten", "2"]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert_eq!(asked, ["Enter a number: "], "no second question");
    assert_eq!(
        text,
        "Enter a number: ten\nError: Invalid input. Please enter only numbers.\n\
         (ValueError: invalid literal for int() with base 10: 'ten')\n"
    );
}

#[test]
fn d14_asks_twice_then_divides_or_names_the_error() {
    let s = Session::new();
    let prompts = vec!["Enter a number: ".to_string(), "Enter another number: ".to_string()];
    let cases = [
        (["10", "0"], "Error: Cannot divide by zero.\n"),
        (["7", "2"], "Result: 3.5\n"),
        (
            ["2", "ten"],
            "Error: Invalid input. Please enter only numbers.\n\
             (ValueError: invalid literal for int() with base 10: 'ten')\n",
        ),
        (
            ["5", "2.5"],
            "Error: Invalid input. Please enter only numbers.\n\
             (ValueError: invalid literal for int() with base 10: '2.5')\n",
        ),
        (
            ["1", "12345678901234567890123"],
            "An unexpected error occurred: OverflowError: int too large to convert to a 64-bit integer: \
             12345678901234567890123\n",
        ),
    ];
    for ([first, second], outcome) in cases {
        let (asked, text, status) = s.run_answering("D14", &[first, second]);
        assert_eq!(status, ReplyStatus::Ok, "{text}");
        assert_eq!(asked, prompts);
        assert_eq!(text, format!("Enter a number: {first}\nEnter another number: {second}\n{outcome}"));
    }
}

#[test]
fn d15_the_first_failing_lookup_is_caught_by_its_arm() {
    let s = Session::new();
    assert_eq!(
        s.run("D15", &[("index", "5"), ("key", "city")]),
        "Error: List index is out of range. (IndexError: list index out of range)\n"
    );
    assert_eq!(
        s.run("D15", &[("index", "1"), ("key", "city")]),
        "List item at index 1: 2\nError: Specified key not found in dictionary. (KeyError: 'city')\n"
    );
    assert_eq!(
        s.run("D15", &[("index", "-1"), ("key", "name")]),
        "List item at index -1: 3\nPerson's name: Alice\nBoth lookups worked.\n"
    );
}

#[test]
fn d16_raises_by_hand_from_a_cause_and_lets_it_go_up_when_asked() {
    let s = Session::new();
    assert_eq!(
        s.run("D16", &[("age", "twenty"), ("catch", "yes")]),
        "AgeError caught: age 'twenty' is not a whole number\n\
         \x20 caused by ValueError: invalid literal for int() with base 10: 'twenty'\n"
    );
    assert_eq!(
        s.run("D16", &[("age", "200"), ("catch", "yes")]),
        "AgeError caught: age 200 is outside 0 to 150\n"
    );
    assert_eq!(s.run("D16", &[("age", "30"), ("catch", "no")]), "Age accepted: 30\n");

    let (text, status) = s.run_status("D16", &[("age", "twenty"), ("catch", "no")]);
    assert_eq!(status, ReplyStatus::Error, "uncaught, the error ends the cell");
    assert_eq!(
        text,
        "ValueError: invalid literal for int() with base 10: 'twenty'\n\
         \n\
         The error above led to the one below:\n\
         \n\
         Traceback (cell D16):\n\
         AgeError: age 'twenty' is not a whole number\n"
    );
    let (text, status) = s.run_status("D16", &[("age", "-3"), ("catch", "no")]);
    assert_eq!(
        (status, text.as_str()),
        (ReplyStatus::Error, "Traceback (cell D16):\nAgeError: age -3 is outside 0 to 150\n")
    );
}

#[test]
fn h1_both_loops_agree_and_the_interpreter_counts_its_steps() {
    let s = Session::new();
    for (n, sum) in [(0u64, 0u64), (1, 1), (1000, 500_500), (100_000, 5_000_050_000)] {
        let text = s.run("H1", &[("n", &n.to_string())]);
        assert!(text.starts_with(&format!("sum of 1..={n}: compiled {sum}, interpreted {sum}\n")), "{text}");
        // 4 to set up, 13 per turn, 4 for the last test and 1 to halt.
        let steps = 13 * n + 9;
        let turns = if n == 1 { "1 turn" } else { &format!("{n} turns") };
        assert!(
            text.contains(&format!("carried out {steps} instructions for {turns} of the loop")),
            "{text}"
        );
        assert!(
            text.contains("compiled Rust (machine code)") && text.contains("bytecode through an interpreter")
        );
    }
    let (text, status) = s.run_status("H1", &[("n", "20000001")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: n is at most 20000000"), "{text}");
}

#[test]
fn h2_every_use_path_names_the_same_type() {
    let s = Session::new();
    let text = s.run("H2", &[("name", "ada")]);
    assert_eq!(text.matches("alloc::collections::btree::map::BTreeMap<").count(), 4, "{text}");
    assert!(text.contains("collections::BTreeMap and SortedMap are the same type: true\n"), "{text}");
    assert!(text.ends_with("read as BTreeMap: {'ada': 1}\n"), "{text}");
}

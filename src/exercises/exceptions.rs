//! Section D of the catalogue: exceptions. Python's `try`/`except`/`else`/`finally` become
//! a `Result` matched by kind, the `Ok` arm, and cleanup that runs on every path (a guard's
//! `Drop` or code after the match); custom exceptions become error types of their own.
//! Built-in exceptions are `PyError` (see `py_builtins`). A cell whose point is an error
//! prints it and ends normally.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::py_builtins::{div, float_str, index, int, PyError};
use super::{code_cell, course_script};
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::pyrepr::str_repr;
use crate::vfs::ErrorKind;
use crate::words::count;

const INTRO: &str = "\
When something goes wrong in Python, the code *raises* an exception: the function stops \
there, and the exception climbs the call stack until a `try` block has an `except` clause \
for its class. One that nobody catches ends the program with a traceback.

Rust has no exceptions for failures that can be expected. A function that can fail says \
so in its type: it returns a `Result`, either `Ok(value)` or `Err(error)`, and the caller \
cannot get at the value without deciding what to do about the error. Three habits take \
the place of `try`:

- `?` after a call hands an error up to the caller, as an exception nobody catches here \
would go up;
- `match` on the result picks an arm by the kind of error, as `except` clauses do;
- code that must run however a scope ends goes in a value's `Drop`, or after the `match`, \
where Python puts a `finally` block.

The cells use one error type for Python's built-in exceptions, `PyError`, whose variants \
are named after them (`ZeroDivisionError`, `ValueError`, `OverflowError`, `KeyError`, \
`IndexError`) and print Python's messages, and a few helpers that fail as Python does: \
`int(text)`, `div(a, b)` for `a / b` and `index(list, i)` for `list[i]`. When an error \
is what a cell is about, the cell prints it and finishes normally. An error a cell passes \
on with `?` ends the cell instead, and the notebook shows it in red, like a traceback. \
Rust also has *panics*, for bugs rather than bad input; no cell here relies on one.";

/// D1: divide, and answer a division by zero with a friendly message.
pub async fn d1_zero_division(cx: CellContext) -> CellResult {
    let numerator: i64 = cx.param_as("numerator")?;
    let denominator: i64 = cx.param_as("denominator")?;
    match div(numerator, denominator) {
        Ok(result) => cx.println(format!("{numerator} / {denominator} = {}", float_str(result))),
        Err(PyError::ZeroDivision) => cx.println("Error: Division by zero is not allowed."),
        Err(other) => return Err(other.into()), // not ours to handle: pass it on
    }
    Ok(())
}

const ELSE: &str = "\
**`else` after `except`.** In `try: ... except: ... else: ...`, the `else` block runs only \
when the `try` block finished without raising. Why not put that code at the end of the \
`try` block? Because an error it raised could then be caught by an `except` clause meant \
for the risky step above it, and pass for that failure. With the `try` block cut down to \
the risky step and the follow-up in `else`, it is clear which error is expected where.

A `match` on a `Result` has the same shape: the `Err` arm is the `except`, the `Ok` arm is \
the `else`, and an error raised inside the `Ok` arm is not caught by the `Err` arm beside \
it. The cell tries each value in turn; watch which arm runs.";

/// D2: the `Ok` arm, Python's `else`, runs only when the attempt succeeded.
pub async fn d2_else_runs_on_success(cx: CellContext) -> CellResult {
    for text in cx.param("values").split(',').map(str::trim) {
        cx.println(format!("try:    int({})", str_repr(text)));
        match int(text) {
            Err(error) => cx.println(format!("except: {}: {error}", error.class())),
            Ok(number) => {
                let twice = i128::from(number) * 2; // i128: twice any i64 fits
                cx.println(format!("else:   {number} is a number; twice it is {twice}"));
            }
        }
    }
    Ok(())
}

const READING: &str = "\
**Reading a file, with an `else`.** Opening and reading are the risky steps. A missing \
file is one failure (`FileNotFoundError`); any other trouble with the disk, such as \
opening a directory, is another (`OSError`, of which Python's old `IOError` is now just \
another name). The specific arm comes first. The `Ok` arm, the `else`, prints what was \
read. Try `missing.txt`, or `/home`, which is a directory.";

/// D3: open and read a file; each kind of failure gets its message, success the text.
pub async fn d3_read_with_else(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let attempt = cx.fs().open(&path, "r").and_then(|mut file| file.read()); // try
    match attempt {
        Err(e) if e.kind() == ErrorKind::FileNotFound => cx.println(format!("Error: File not found. {e}")),
        Err(e) => cx.println(format!("Error: An I/O error occurred. {}: {e}", e.kind().python_name())),
        Ok(content) => {
            // else: only a successful read gets here
            cx.println(format!(
                "Read {} from {path}:",
                count(content.chars().count(), "character", "characters")
            ));
            cx.print(content);
        }
    }
    Ok(())
}

const FINALLY: &str = "\
**`finally`.** A `finally` block runs on every way out of its `try`: when the block ends \
normally, when an exception leaves it (caught or not), and when a `return`, `break` or \
`continue` jumps out of it. Cleanup belongs there, so that a file gets closed or a lock \
released whatever happened.

Rust has no `finally` keyword; it has something that cannot be skipped. Every value is \
dropped when its scope ends, whichever way it ends, and a type can decide what dropping \
it does by implementing `Drop`. A *guard* is a value kept only for its `Drop`: made at \
the top of a scope, its cleanup runs on success, on an error passed up with `?` and on \
an early `return` alike. Files here close that way, which is what `with` does in Python.

The cell reads each value through a cache: a new value is converted (and may fail), a \
value seen before returns early with the cached answer. The guard speaks on all three \
paths, before the caller sees the outcome.";

/// D4: a guard whose `Drop` is the `finally`: it runs on success, on an error and on an
/// early return.
pub async fn d4_finally_on_every_path(cx: CellContext) -> CellResult {
    /// Runs its closure when dropped, however the scope that owns it ends.
    struct Finally<F: FnMut()>(F);
    impl<F: FnMut()> Drop for Finally<F> {
        fn drop(&mut self) {
            (self.0)()
        }
    }

    fn int_cached(cx: &CellContext, cache: &mut BTreeMap<String, i64>, text: &str) -> Result<i64, PyError> {
        // Named `_finally`, not `_`: a value bound to `_` is dropped at once.
        let _finally = Finally(|| cx.println("  finally: cleanup ran"));
        cx.println(format!("  try:     int({})", str_repr(text)));
        if let Some(&number) = cache.get(text) {
            cx.println("  return:  seen before, answered from the cache");
            return Ok(number); // an early return
        }
        let number = int(text)?; // an error leaves here
        cache.insert(text.to_string(), number);
        cx.println("  done:    converted and cached");
        Ok(number)
    }

    let mut cache = BTreeMap::new();
    for text in cx.param("values").split(',').map(str::trim) {
        cx.println(format!("value {}:", str_repr(text)));
        match int_cached(&cx, &mut cache, text) {
            Ok(number) => cx.println(format!("  the caller got {number}")),
            Err(error) => cx.println(format!("  the caller caught {}: {error}", error.class())),
        }
    }
    Ok(())
}

const FINALLY_INLINE: &str = "\
**`finally`, written out.** When a function has one way out, the cleanup can simply come \
after the risky step: keep its outcome in a variable instead of leaving at once with \
`?`, do the `finally` work, then look at the outcome. That is the shape below, and of A11 \
in section A.";

/// D5: convert text to an int; the `finally` line runs before the outcome is reported.
pub async fn d5_value_error_with_finally(cx: CellContext) -> CellResult {
    let text = cx.param("text");
    let outcome = int(&text); // try: the outcome is kept, not returned at once
    cx.println(format!("Attempted to convert {}.", str_repr(&text))); // finally: runs either way
    match outcome {
        Ok(number) => cx.println(format!("Converted: {number}")),
        // The course's `except ValueError` answers its own sentence; the detail follows.
        Err(error) => cx
            .println(format!("Error: Value cannot be converted to an integer. ({}: {error})", error.class())),
    }
    Ok(())
}

const SQUARE_ROOT: &str = "\
**A `ValueError` from what you type, and one raised on purpose.** The cell asks for a \
positive number and prints its square root. Two things can go wrong, and both are a \
`ValueError`: text that is no whole number fails in the conversion, as `int(input())` \
does, and a negative number, which converts fine, is refused by a check that raises the \
built-in `ValueError` itself (`raise ValueError(...)`), since it has no real square root. \
One `except ValueError` arm handles both, and the `finally` line comes last on every \
path. Run it, then answer its prompt: try `16`, `2`, `-4` and `four`.";

/// D5b: the square root of a number typed in: a `ValueError` from converting it or one
/// raised for a negative number, one arm for both, and a `finally` that always runs.
pub async fn d5b_square_root_of_input(cx: CellContext) -> CellResult {
    fn check_positive(x: i64) -> Result<i64, PyError> {
        if x < 0 {
            // raise ValueError(...): the built-in class, raised on purpose
            return Err(PyError::Value(format!("{x} is negative: it has no real square root")));
        }
        Ok(x)
    }

    let answer = cx.input("Please enter a positive number: ").await?;
    let attempt = int(&answer).and_then(check_positive); // try
    let mut unhandled = None;
    match attempt {
        Ok(x) => cx.println(format!("Square root of {x} is {}", float_str((x as f64).sqrt()))),
        Err(PyError::Value(message)) => cx.println(format!("ValueError: {message}")),
        Err(other) => unhandled = Some(other), // not a ValueError: no arm takes it
    }
    cx.println("The try/except block is finished."); // finally: on every path
    match unhandled {
        Some(error) => Err(error.into()), // it goes up, after the finally
        None => Ok(()),
    }
}

const SEVERAL: &str = "\
**Several `except` clauses.** Python tries them from the top and runs the first whose \
class matches; the rest are skipped. So the specific ones go first: an `except \
Exception` at the top would take everything and the clauses under it would never run. \
One clause can name several classes in a tuple, `except (ValueError, OverflowError)`, to \
treat them alike, and a last `except Exception as e` catches whatever is left.

Rust's `match` reads the same: arms are tried in order, `A | B` puts two kinds in one \
arm, and a final arm without a kind takes the rest. Unlike Python, the compiler warns \
about an arm that can never be reached. For each value, the cell computes `100 / n` and \
then takes item `n` of a three-item list; each kind of failure lands in a different arm.";

/// D6: one `match` with an arm for one kind, an arm for two kinds, and a catch-all.
pub async fn d6_multiple_except(cx: CellContext) -> CellResult {
    let fruits = ["apple", "banana", "cherry"];
    for text in cx.param("values").split(',').map(str::trim) {
        let attempt = || -> Result<String, PyError> {
            let n = int(text)?;
            let share = div(100, n)?;
            let fruit = index(&fruits, n)?;
            Ok(format!("100 / {n} = {} and fruits[{n}] is {}", float_str(share), str_repr(fruit)))
        };
        let outcome = match attempt() {
            Ok(report) => format!("no error: {report}"),
            Err(PyError::ZeroDivision) => "except ZeroDivisionError: cannot divide by zero".to_string(),
            Err(e @ (PyError::Value(_) | PyError::Overflow(_))) => {
                format!("except (ValueError, OverflowError): {}: {e}", e.class())
            }
            Err(other) => format!("except Exception: {}: {other}", other.class()),
        };
        cx.println(format!("{}: {outcome}", str_repr(text)));
    }
    Ok(())
}

const CUSTOM: &str = "\
**Custom exceptions.** Python's built-in classes say what kind of thing failed (a value, \
a key, a file), not what it meant to your program. A custom exception is a class of your \
own, derived from `Exception`, whose name says what went wrong in the program's terms \
(`InsufficientFunds`, `ConfigError`) and whose attributes carry the details a handler \
needs. Related ones often share a base class, so a caller can catch one of them or the \
whole family.

In Rust a custom error is an ordinary type, often an `enum` with a variant per failure. \
It implements `Display`, which gives its message, and `std::error::Error`, whose \
`source()` points to the error underneath, if any, as Python's `raise ... from` records \
one. The `thiserror` crate writes both from attributes. The enum is the family and each \
variant a member: a `match` can single out one variant or take them all. The cell reads \
a `name = number` setting; try `retries = 3`, `retries = 50` or just `retries`.";

/// D7: a family of errors as one enum: a variant per failure, the details as fields, a
/// message for each, and the underlying error kept as the `source`.
pub async fn d7_custom_error_family(cx: CellContext) -> CellResult {
    #[derive(Debug, thiserror::Error)]
    enum SettingError {
        #[error("expected 'name = number', got {}", str_repr(.0))]
        Malformed(String),
        #[error("setting '{name}' must be a whole number from 0")]
        NotANumber {
            name: String,
            #[source]
            cause: std::num::ParseIntError,
        },
        #[error("setting '{name}' is {value}, above its limit of {limit}")]
        TooLarge { name: String, value: String, limit: u32 },
    }

    fn parse_setting(line: &str) -> Result<(String, u32), SettingError> {
        let (name, text) = line.split_once('=').ok_or_else(|| SettingError::Malformed(line.into()))?;
        let (name, text) = (name.trim().to_string(), text.trim());
        match text.parse::<u32>() {
            Ok(value) if value <= 10 => Ok((name, value)),
            Err(cause) if *cause.kind() != std::num::IntErrorKind::PosOverflow => {
                Err(SettingError::NotANumber { name, cause })
            }
            // Above the limit, as is a whole number too large for a u32.
            _ => Err(SettingError::TooLarge { name, value: text.into(), limit: 10 }),
        }
    }

    match parse_setting(&cx.param("setting")) {
        Ok((name, value)) => cx.println(format!("Setting accepted: {name} = {value}")),
        Err(error) => {
            cx.println(format!("SettingError: {error}"));
            cx.println(format!("  the variant and its fields: {error:?}"));
            if let Some(cause) = std::error::Error::source(&error) {
                cx.println(format!("  caused by: {cause}"));
            }
            // One member of the family singled out, as `except TooLarge` would.
            if let SettingError::TooLarge { limit, .. } = error {
                cx.println(format!("  handled: the limit, {limit}, is used instead"));
            }
        }
    }
    Ok(())
}

/// D8: a custom error that carries a message.
pub async fn d8_custom_error_with_message(cx: CellContext) -> CellResult {
    #[derive(Debug, thiserror::Error)]
    #[error("{message}")]
    struct CustomError {
        message: String,
    }

    fn perform_operation(value: i64) -> Result<String, CustomError> {
        if value < 0 {
            return Err(CustomError { message: "Negative value is not allowed.".into() });
        }
        Ok(format!("Operation performed with value {value}."))
    }

    let value: i64 = cx.param_as("value")?;
    match perform_operation(value) {
        Ok(report) => cx.println(report),
        Err(error) => cx.println(format!("CustomError caught: {error}")),
    }
    Ok(())
}

/// D9: raising a custom error, written by hand this time: `Display` gives its message,
/// `Error` makes it an error, and `return Err(...)` raises it.
pub async fn d9_raise_custom_error(cx: CellContext) -> CellResult {
    #[derive(Debug)]
    struct MyCustomException(String);
    impl std::fmt::Display for MyCustomException {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(&self.0)
        }
    }
    impl std::error::Error for MyCustomException {}

    fn check(value: i64) -> Result<i64, MyCustomException> {
        if value < 0 {
            return Err(MyCustomException("Value cannot be negative.".into())); // raise
        }
        Ok(value)
    }
    fn process_value(value: i64) -> Result<String, MyCustomException> {
        let checked = check(value)?; // not handled here: `?` passes it up
        Ok(format!("Processed value: {checked}"))
    }

    let value: i64 = cx.param_as("value")?;
    match process_value(value) {
        Ok(report) => cx.println(report),
        Err(error) => cx.println(format!("CustomException caught: {error}")),
    }
    Ok(())
}

const DEFAULT_MESSAGE: &str = "\
**A default message.** A custom exception often has a message of its own for when the \
code that raises it gives none: in Python, a default value for the constructor's \
argument. Rust functions have no default arguments; an `Option` stands in for the one \
left out, and the constructor fills in the default. The cell raises the same error \
twice, with your message and without any.";

/// D9b: a custom exception with a default message, raised with a message and without
/// one: Python's `def __init__(self, msg='My default message')`.
pub async fn d9b_default_message(cx: CellContext) -> CellResult {
    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    struct CustomException(String);
    impl CustomException {
        /// Rust has no default arguments: `None` stands for the one left out.
        fn new(message: Option<&str>) -> CustomException {
            CustomException(message.unwrap_or("My default message").to_string())
        }
    }

    fn fail(message: Option<&str>) -> Result<(), CustomException> {
        Err(CustomException::new(message)) // raise CustomException(...)
    }

    let message = cx.param("message");
    for given in [Some(message.as_str()), None] {
        let call = match given {
            Some(text) => format!("CustomException({})", str_repr(text)),
            None => "CustomException()".to_string(),
        };
        if let Err(error) = fail(given) {
            cx.println(format!("raise {call}: caught {error:?}, which says: {error}"));
        }
    }
    Ok(())
}

/// D10: an error that keeps the offending value and builds its message from it.
pub async fn d10_negative_value_error(cx: CellContext) -> CellResult {
    #[derive(Debug, thiserror::Error)]
    #[error("Negative value error: {value} is not allowed.")]
    struct NegativeValueError {
        value: i64,
    }

    fn check_value(value: i64) -> Result<String, NegativeValueError> {
        if value < 0 {
            return Err(NegativeValueError { value });
        }
        Ok(format!("The value {value} is valid."))
    }

    let value: i64 = cx.param_as("value")?;
    match check_value(value) {
        Ok(report) => cx.println(report),
        Err(error) => {
            cx.println(&error);
            cx.println(format!("(the handler can read the value itself: {})", error.value));
        }
    }
    Ok(())
}

const ROLES: &str = "\
**The four parts together.** `try` holds the steps that may fail, and as little else as \
possible. Each `except` handles one kind of failure, the most specific first. `else` \
carries on after a success, out of reach of those `except` clauses. `finally` cleans up \
on every path. In Rust: a closure or function returning a `Result` is the `try`, the \
`Err` arms are the `except`s, the `Ok` arm is the `else`, and code after the `match` (or a \
guard, as in D4) is the `finally`. The cell divides a number by each divisor in turn, so \
one run walks every part.";

/// D11: try, except, else and finally, each labelled as it runs, for several divisors.
pub async fn d11_all_four(cx: CellContext) -> CellResult {
    let numerator = cx.param("numerator");
    for divisor in cx.param("divisors").split(',').map(str::trim) {
        cx.println(format!("try:     int({}) / int({})", str_repr(&numerator), str_repr(divisor)));
        let attempt = || -> Result<f64, PyError> { div(int(&numerator)?, int(divisor)?) };
        match attempt() {
            Err(PyError::ZeroDivision) => cx.println("except ZeroDivisionError: the divisor is zero"),
            Err(error) => cx.println(format!("except {}: {error}", error.class())),
            Ok(quotient) => cx.println(format!("else:    the quotient is {}", float_str(quotient))),
        }
        cx.println("finally: this line runs whatever happened above");
    }
    Ok(())
}

const READABILITY: &str = "\
**Why custom errors read better.** Compare `raise ValueError(\"not enough money\")` with \
`raise InsufficientFunds(balance, amount)`. The second names the problem in the \
program's own words. Its handler reads `except InsufficientFunds`, which says what it is \
for, and it cannot swallow an unrelated `ValueError` by accident. The balance and the \
amount travel with it, so no handler has to pick numbers out of a sentence. Such errors \
are also easier to test, to log with their details, and to change in one place.

Rust adds a check of its own: a `match` on an error `enum` must cover every variant, so \
adding a new kind of failure points the compiler at every handler that has not yet \
considered it. The cell makes the same withdrawal twice, once with the failure turned \
into a bare string and once with the typed error.";

/// D12: the same failure as a bare string and as a typed error; only the typed one can
/// be handled by its kind and read for its details.
pub async fn d12_typed_errors_read_better(cx: CellContext) -> CellResult {
    #[derive(Debug, thiserror::Error)]
    enum WithdrawError {
        #[error("cannot withdraw {requested}: the balance is only {balance}")]
        InsufficientFunds { balance: u64, requested: u64 },
        #[error("the amount must be above zero, not {0}")]
        NotPositive(i64),
    }

    fn withdraw(balance: u64, amount: i64) -> Result<u64, WithdrawError> {
        let requested =
            u64::try_from(amount).ok().filter(|&a| a > 0).ok_or(WithdrawError::NotPositive(amount))?;
        balance.checked_sub(requested).ok_or(WithdrawError::InsufficientFunds { balance, requested })
    }

    let balance: u64 = cx.param_as("balance")?;
    let amount: i64 = cx.param_as("amount")?;
    match withdraw(balance, amount).map_err(|error| error.to_string()) {
        Ok(left) => cx.println(format!("as a string: withdrew {amount}, {left} left")),
        Err(message) => {
            cx.println(format!("as a string: {}: all a handler can do is show it", str_repr(&message)))
        }
    }
    match withdraw(balance, amount) {
        Ok(left) => cx.println(format!("typed:       withdrew {amount}, {left} left")),
        Err(WithdrawError::InsufficientFunds { balance, requested }) => cx.println(format!(
            "typed:       InsufficientFunds, short by {}: offering the {balance} there is instead",
            requested - balance
        )),
        Err(WithdrawError::NotPositive(_)) => {
            cx.println("typed:       NotPositive: asking for the amount again")
        }
    }
    Ok(())
}

/// D13: look a key up in a dictionary; a missing one is a `KeyError` naming the key.
pub async fn d13_missing_key(cx: CellContext) -> CellResult {
    let person = BTreeMap::from([("name", "Alice"), ("age", "30"), ("city", "New York")]);
    let key = cx.param("key");
    // `get` answers with an Option; turning `None` into a KeyError makes it `person[key]`.
    match person.get(key.as_str()).ok_or_else(|| PyError::Key(key.clone())) {
        Ok(value) => cx.println(format!("Person's {key}: {value}")),
        Err(error) => {
            cx.println(format!("{}: {error}", error.class()));
            cx.println(format!("Error: The key {error} does not exist in the dictionary."));
            let known: Vec<String> = person.keys().map(|k| str_repr(k)).collect();
            cx.println(format!("The keys it has: {}", known.join(", ")));
        }
    }
    Ok(())
}

const ASKING: &str = "\
**Several kinds of error from what a person types.** The cell asks for two numbers and \
divides the first by the second. A zero and a word fail in different ways and each has \
its own arm; anything else falls to the last one (try a number with twenty digits). As \
`int(input(...))` does, each answer is converted as soon as it is given, so a word as the \
first answer fails before the second question is asked. Run it, then answer its prompts.";

/// D14: ask for two numbers and divide them; a zero, a non-number and anything else each
/// get their own message. Each answer is converted before the next question, as Python's
/// `int(input(...))` on each line does.
pub async fn d14_divide_user_input(cx: CellContext) -> CellResult {
    let first = int(&cx.input("Enter a number: ").await?);
    let divided = match first {
        Ok(first) => int(&cx.input("Enter another number: ").await?).and_then(|second| div(first, second)),
        Err(error) => Err(error),
    };
    match divided {
        Ok(result) => cx.println(format!("Result: {}", float_str(result))),
        Err(PyError::ZeroDivision) => cx.println("Error: Cannot divide by zero."),
        Err(PyError::Value(detail)) => {
            cx.println("Error: Invalid input. Please enter only numbers.");
            cx.println(format!("(ValueError: {detail})"));
        }
        Err(other) => cx.println(format!("An unexpected error occurred: {}: {other}", other.class())),
    }
    Ok(())
}

/// D15: a list index and a dictionary key in one attempt: the first lookup to fail is
/// caught by its own arm, and the steps after it never run.
pub async fn d15_index_and_key_errors(cx: CellContext) -> CellResult {
    let numbers = [1, 2, 3];
    let person = BTreeMap::from([("name", "Alice"), ("age", "30")]);
    let position: i64 = cx.param_as("index")?;
    let key = cx.param("key");
    let attempt = || -> Result<(), PyError> {
        cx.println(format!("List item at index {position}: {}", index(&numbers, position)?));
        let value = person.get(key.as_str()).ok_or_else(|| PyError::Key(key.clone()))?;
        cx.println(format!("Person's {key}: {value}"));
        Ok(())
    };
    match attempt() {
        Ok(()) => cx.println("Both lookups worked."),
        Err(error @ PyError::Index(_)) => {
            cx.println(format!("Error: List index is out of range. ({}: {error})", error.class()))
        }
        Err(error @ PyError::Key(_)) => {
            cx.println(format!("Error: Specified key not found in dictionary. ({}: {error})", error.class()))
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}

const RAISE: &str = "\
**Raising an error yourself, and the steps of handling one.** `raise ValueError(...)` \
stops the function and hands the error to its caller; `raise NewError(...) from error` \
does the same while keeping the original as the cause; a bare `raise` inside `except` \
passes on the error being handled. In Rust each is a `return`: `return Err(...)` raises; \
an error that keeps the original as its `source` raises from it; `return Err(error)`, or \
`?`, passes it on.

Handling one comes down to a few steps:

1. Know what can fail: in Rust, the `Result` in a signature says so.
2. Choose where to deal with it: where something useful can be done (ask again, use a \
default, tell the person); everywhere else, pass it up with `?`.
3. Handle the kinds you expect, the specific ones first, and let the others go on up \
rather than hide them.
4. Clean up on every path (D4).
5. Report with context: what was being done, with which value, and why it failed.

The cell checks an age: a word fails to convert and is raised again as an `AgeError` \
with that failure as its cause; a number out of range is raised directly. Set *catch* \
to `no` to let the error go up uncaught: the cell then ends in the notebook's traceback, \
cause first, as Python's would.";

/// D16: raising errors by hand (`return Err`), raising one from a cause, and the chain
/// a handler, or the notebook when nobody handles it, can read.
pub async fn d16_raise_manually(cx: CellContext) -> CellResult {
    #[derive(Debug, thiserror::Error)]
    enum AgeError {
        #[error("age {0} is outside 0 to 150")]
        OutOfRange(String),
        #[error("age {} is not a whole number", str_repr(.0))]
        NotANumber(String, #[source] PyError),
    }

    fn parse_age(text: &str) -> Result<i64, AgeError> {
        let age = match int(text) {
            Ok(age) => age,
            // Too large for 64 bits: a whole number all the same, far outside the range.
            Err(PyError::Overflow(_)) => {
                return Err(AgeError::OutOfRange(text.trim().trim_start_matches('+').into()))
            }
            // raise AgeError(...) from error
            Err(error) => return Err(AgeError::NotANumber(text.to_string(), error)),
        };
        if !(0..=150).contains(&age) {
            return Err(AgeError::OutOfRange(age.to_string())); // raise AgeError(...)
        }
        Ok(age)
    }

    let catch = cx.param("catch").trim().eq_ignore_ascii_case("yes");
    match parse_age(&cx.param("age")) {
        Ok(age) => cx.println(format!("Age accepted: {age}")),
        Err(error) if catch => {
            cx.println(format!("AgeError caught: {error}"));
            if let AgeError::NotANumber(_, cause) = &error {
                cx.println(format!("  caused by {}: {cause}", cause.class()));
            }
        }
        Err(error) => {
            // Nobody handles it: it goes up to the notebook, with its cause.
            let mut uncaught = CellError::new("AgeError", error.to_string());
            if let AgeError::NotANumber(_, cause) = &error {
                uncaught = uncaught.caused_by(format!("{}: {cause}", cause.class()));
            }
            return Err(uncaught);
        }
    }
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "D",
        title: "D. Exceptions",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Code(code_cell!("D1", "Catch a division by zero", d1_zero_division).inputs(
                        const {
                            &[field("numerator", "numerator", "10"), field("denominator", "denominator", "0")]
                        },
                    )),
                    CellSpec::Markdown(md::ELSE),
                    CellSpec::Code(
                        code_cell!("D2", "else runs only on success", d2_else_runs_on_success).inputs(
                            const { &[field("values", "values, comma-separated", "42, forty-two, 7")] },
                        ),
                    ),
                    CellSpec::Markdown(md::READING),
                    CellSpec::Code(
                        code_cell!("D3", "try/except/else around reading a file", d3_read_with_else)
                            .inputs(const { &[field("file", "file", "sample.txt")] }),
                    ),
                    CellSpec::Markdown(md::FINALLY),
                    CellSpec::Code(
                        code_cell!("D4", "finally as a guard", d4_finally_on_every_path)
                            .inputs(const { &[field("values", "values, comma-separated", "42, 4x2, 42")] }),
                    ),
                    CellSpec::Markdown(md::FINALLY_INLINE),
                    CellSpec::Code(
                        code_cell!("D5", "ValueError with a finally", d5_value_error_with_finally)
                            .inputs(const { &[field("text", "text to convert", "123a")] }),
                    ),
                    CellSpec::Markdown(md::SQUARE_ROOT),
                    CellSpec::Code(
                        code_cell!("D5b", "A square root, with two ValueErrors", d5b_square_root_of_input)
                            .manual_only(),
                    ),
                    CellSpec::Markdown(md::SEVERAL),
                    CellSpec::Code(
                        code_cell!("D6", "Several except arms", d6_multiple_except)
                            .inputs(const { &[field("values", "values, comma-separated", "2, 0, abc, 10")] }),
                    ),
                    CellSpec::Markdown(md::CUSTOM),
                    CellSpec::Code(
                        code_cell!("D7", "A family of custom errors", d7_custom_error_family)
                            .inputs(const { &[field("setting", "setting", "retries = three")] }),
                    ),
                    CellSpec::Code(
                        code_cell!("D8", "A custom error with a message", d8_custom_error_with_message)
                            .inputs(const { &[field("value", "value", "-10")] }),
                    ),
                    CellSpec::Code(
                        code_cell!("D9", "Raise a custom error", d9_raise_custom_error)
                            .inputs(const { &[field("value", "value", "-10")] }),
                    ),
                    course_script!("D9-js", "A custom error class, in JavaScript", "d9_custom_error"),
                    CellSpec::Markdown(md::DEFAULT_MESSAGE),
                    CellSpec::Code(
                        code_cell!("D9b", "A custom error with a default message", d9b_default_message)
                            .inputs(const { &[field("message", "message", "Something went wrong!")] }),
                    ),
                    CellSpec::Code(
                        code_cell!("D10", "An error that keeps its value", d10_negative_value_error)
                            .inputs(const { &[field("value", "value", "-5")] }),
                    ),
                    CellSpec::Markdown(md::ROLES),
                    CellSpec::Code(code_cell!("D11", "try, except, else and finally", d11_all_four).inputs(
                        const {
                            &[
                                field("numerator", "numerator", "10"),
                                field("divisors", "divisors, comma-separated", "4, 0, x"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::READABILITY),
                    CellSpec::Code(
                        code_cell!("D12", "A string or a typed error", d12_typed_errors_read_better).inputs(
                            const {
                                &[
                                    field("balance", "balance", "100"),
                                    field("amount", "amount to withdraw", "150"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Code(
                        code_cell!("D13", "A missing dictionary key", d13_missing_key)
                            .inputs(const { &[field("key", "key", "country")] }),
                    ),
                    CellSpec::Markdown(md::ASKING),
                    CellSpec::Code(
                        code_cell!("D14", "Divide two numbers you type", d14_divide_user_input).manual_only(),
                    ),
                    CellSpec::Code(
                        code_cell!("D15", "IndexError and KeyError in one try", d15_index_and_key_errors)
                            .inputs(
                                const { &[field("index", "list index", "5"), field("key", "key", "city")] },
                            ),
                    ),
                    CellSpec::Markdown(md::RAISE),
                    CellSpec::Code(
                        code_cell!("D16", "Raise an error yourself", d16_raise_manually).inputs(
                            const {
                                &[
                                    field("age", "age", "twenty"),
                                    field("catch", "catch it (yes or no)", "yes"),
                                ]
                            },
                        ),
                    ),
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_exceptions.rs"));

//! How the engine reports: an uncaught error as a Python-like traceback's parts (class,
//! message, frames, the cell's line), and a value as the text a notebook shows.

use boa_engine::ast::Punctuator;
use boa_engine::builtins::promise::PromiseState;
use boa_engine::error::{EngineError, RuntimeLimitError};
use boa_engine::object::builtins::JsPromise;
use boa_engine::parser::lexer::token::{Token, TokenKind};
use boa_engine::parser::lexer::Lexer;
use boa_engine::parser::source::ReadChar;
use boa_engine::{js_string, Context, JsError, JsResult, JsValue};
use script_wire::{Failure, Outcome};

/// The source path of the standard library's JavaScript, whose frames tracebacks leave out
/// (a Python traceback does not show the C code under `open`).
pub const PRELUDE: &str = "<notebook>";

/// An error of the engine itself (a bug, or a command it cannot read).
pub fn internal(message: &str) -> Outcome {
    Outcome::Failed(Failure {
        name: "RuntimeError".into(),
        message: format!("the script engine: {message}"),
        frames: Vec::new(),
        line: None,
    })
}

/// An uncaught `error` of the cell whose code is at `path`, and the frames the engine
/// left from earlier, stopped runs (`stale`), which are cut.
pub fn failure(error: &JsError, path: &str, code: &str, stale: &[String], context: &mut Context) -> Outcome {
    let (name, message) = name_and_message(error, context);
    let mut frames = Vec::new();
    let mut line = None;
    // Boa writes a thrown object's own display (an error's stack where it was made,
    // constructors included) and then the backtrace where it was thrown: the second is
    // the one to show, the first only when there is no other (a rejected promise's reason).
    let text = error.to_string();
    let own = error.as_opaque().map(|v| v.display().to_string()).unwrap_or_default();
    let thrown = text.strip_prefix(own.as_str()).filter(|rest| rest.contains("    at "));
    let constructors = error.as_opaque().map(|v| class_names(v, context)).unwrap_or_default();
    let mut in_constructors = true;
    for entry in thrown.unwrap_or(&text).lines().filter_map(|l| l.strip_prefix("    at ")) {
        let Some(frame) = Frame::parse(entry) else { continue };
        // The error's own constructors ran where it was made, not where it was raised.
        in_constructors = in_constructors && constructors.iter().any(|c| c == frame.function);
        if stale.iter().any(|s| s == frame.path) || frame.path == PRELUDE || in_constructors {
            continue;
        }
        if line.is_none() && frame.path == path {
            line = Some(frame.line);
        }
        frames.push(frame.to_string());
    }
    // A syntax error has no frames; its position is in its message.
    if line.is_none() && name == "SyntaxError" {
        line = syntax_line(&message);
    }
    // Boa keeps no position for the read of an undeclared name (`x is not defined`): it
    // shows `?:?` or where the enclosing function starts. Raised in this cell's code, the
    // name's first use there is the line to mark.
    let innermost = thrown.unwrap_or(&text).lines().find_map(|l| l.strip_prefix("    at "));
    let raised_here = innermost.is_some_and(|at| at.contains(&format!("({path}:")));
    if let (true, Some(undeclared)) = (raised_here, message.strip_suffix(" is not defined")) {
        line = first_use_line(code, undeclared, context).or(line);
    }
    Outcome::Failed(Failure { name, message, frames, line })
}

fn name_and_message(error: &JsError, context: &mut Context) -> (String, String) {
    let text = |value: JsResult<JsValue>, context: &mut Context| {
        value
            .ok()
            .filter(|v| !v.is_undefined())
            .and_then(|v| v.to_string(context).ok())
            .map(|s| s.to_std_string_escaped())
    };
    match error.clone().into_opaque(context) {
        Ok(value) => match value.as_object() {
            Some(object) if object.has_property(js_string!("message"), context).unwrap_or(false) => {
                let name =
                    text(object.get(js_string!("name"), context), context).unwrap_or_else(|| "Error".into());
                let message = text(object.get(js_string!("message"), context), context).unwrap_or_default();
                (name, message)
            }
            // `throw 42`, `throw {code: 1}`: what was thrown, shown.
            _ => ("Uncaught".into(), value.display().to_string()),
        },
        // Stop, seen by the interpreter (see `jobs::EngineHooks`): Python's name for it.
        Err(_) if is_interrupt(error) => ("KeyboardInterrupt".into(), "stopped by the Stop button".into()),
        // Limits (recursion, loops) are the engine's own errors, which no script can catch.
        Err(_) => {
            let first = error.to_string().lines().next().unwrap_or_default().to_string();
            match first.split_once(": ") {
                Some((name, message)) => (name.to_string(), message.to_string()),
                None => ("RuntimeError".into(), first),
            }
        }
    }
}

/// Whether `error` is the interpreter ending the code because Stop was pressed.
pub fn is_interrupt(error: &JsError) -> bool {
    matches!(error.as_engine(), Some(EngineError::RuntimeLimit(RuntimeLimitError::Interrupted)))
}

/// The names of the classes `value` is an instance of, its own first.
fn class_names(value: &JsValue, context: &mut Context) -> Vec<String> {
    let mut names = Vec::new();
    let mut prototype = value.as_object().and_then(|o| o.prototype());
    while let Some(p) = prototype.take() {
        if names.len() >= 16 {
            break;
        }
        let constructor = p.get(js_string!("constructor"), context).ok();
        let name = constructor
            .as_ref()
            .and_then(JsValue::as_object)
            .and_then(|c| c.get(js_string!("name"), context).ok());
        if let Some(name) = name.as_ref().and_then(JsValue::as_string) {
            names.push(name.to_std_string_escaped());
        }
        prototype = p.prototype();
    }
    names
}

/// One `name (path:line:column)` entry of Boa's backtrace.
struct Frame<'a> {
    function: &'a str,
    path: &'a str,
    line: u32,
    column: u32,
}

impl<'a> Frame<'a> {
    fn parse(entry: &'a str) -> Option<Frame<'a>> {
        let (function, rest) = entry.rsplit_once(" (")?;
        let rest = rest.strip_suffix(')')?;
        let mut parts = rest.rsplitn(3, ':');
        let column = parts.next()?.parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let path = parts.next()?;
        Some(Frame { function, path, line, column })
    }
}

impl std::fmt::Display for Frame<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let function = if self.function == "<main>" { "<cell>" } else { self.function };
        write!(
            f,
            "File \"{}\", line {}, column {}, in {}",
            cell_name(self.path),
            self.line,
            self.column,
            function
        )
    }
}

/// The cell a source path names (`js-1#3`: the third run of cell `js-1`).
pub fn cell_name(path: &str) -> &str {
    path.split_once('#').map_or(path, |(name, _)| name)
}

/// The line a parser's message names (`... at line 3, col 7`).
/// The line of the first use of `name` in `code` as a name (not a property, an object's
/// key or a label), by Boa's lexer; `None` if there is none. Lexing stops at the first
/// token it cannot read (a `/` it takes for a regular expression, say): a guess, never
/// a failure.
fn first_use_line(code: &str, name: &str, context: &mut Context) -> Option<u32> {
    struct Chars<'a>(std::str::Chars<'a>);
    impl ReadChar for Chars<'_> {
        fn next_char(&mut self) -> std::io::Result<Option<u32>> {
            Ok(self.0.next().map(u32::from))
        }
    }
    let mut lexer = Lexer::new(Chars(code.chars()));
    let mut tokens = Vec::new();
    while let Ok(Some(token)) = lexer.next(context.interner_mut()) {
        tokens.push(token);
    }
    let is = |i: usize, p: Punctuator| {
        tokens.get(i).is_some_and(|t: &Token| t.kind() == &TokenKind::Punctuator(p))
    };
    for (i, token) in tokens.iter().enumerate() {
        let TokenKind::IdentifierName((sym, _)) = token.kind() else { continue };
        // Not a property (`o.name`, `o?.name`), nor a key or a label (`name:`).
        let property = i > 0 && (is(i - 1, Punctuator::Dot) || is(i - 1, Punctuator::Optional));
        if property || is(i + 1, Punctuator::Colon) {
            continue;
        }
        if context.interner().resolve(*sym).is_some_and(|s| s.to_string() == name) {
            return Some(token.start_group().line_number());
        }
    }
    None
}

fn syntax_line(message: &str) -> Option<u32> {
    let at = message.rfind("line ")?;
    let digits: String = message[at + 5..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A value as the cell shows it (`undefined` shows nothing, as Python's `None`).
pub fn show(value: &JsValue, _context: &mut Context) -> Option<String> {
    if value.is_undefined() {
        return None;
    }
    Some(value.display().to_string())
}

/// The native `__show(value)`: what `print` writes for a value that is not a string.
pub fn show_native(_this: &JsValue, args: &[JsValue], _context: &mut Context) -> JsResult<JsValue> {
    let value = args.first().cloned().unwrap_or_default();
    Ok(JsValue::from(js_string!(value.display().to_string().as_str())))
}

/// A promise's state: `None` if `value` is no promise; `Ok(None)` while it is pending.
pub fn settled_promise(value: &JsValue) -> Option<Result<Option<JsValue>, JsValue>> {
    let promise = JsPromise::from_object(value.as_object()?).ok()?;
    Some(match promise.state() {
        PromiseState::Pending => Ok(None),
        PromiseState::Fulfilled(v) => Ok(Some(v)),
        PromiseState::Rejected(reason) => Err(reason),
    })
}

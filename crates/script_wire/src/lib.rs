//! The narrow interface between the notebook's kernel and its script engine.
//!
//! The engine (Boa, about a megabyte) is a second WebAssembly module that the kernel's
//! worker loads when the first script cell runs; the kernel's state stays in the first
//! module. Everything that crosses between them is a [`Value`] encoded as bytes: the
//! kernel's commands to the engine ([`Engine::call`]) and the engine's calls into the
//! notebook's standard library ([`Host::answer`]). Native tests link the engine directly
//! and still go through these bytes, so they test the interface the browser uses.
//!
//! The encoding is a tag byte per value: `0` none, `1` false, `2` true, `3` a number
//! (8 bytes, little-endian `f64`), `4` a string and `5` bytes (a 4-byte little-endian
//! length, then the UTF-8 or raw bytes), `6` a list (a 4-byte count, then the items).

use std::rc::Rc;

/// A value that crosses between the kernel and the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// JavaScript's `undefined` and `null`; Python's `None`.
    None,
    Bool(bool),
    Num(f64),
    Str(String),
    /// A binary file's contents (a `Uint8Array` in the script).
    Bytes(Vec<u8>),
    List(Vec<Value>),
}

/// The notebook's side: answers the engine's calls into the standard library.
pub trait Host {
    /// Answers one encoded request (`[op, args...]`) with an encoded answer: see
    /// [`answer`].
    fn answer(&self, request: &[u8]) -> Vec<u8>;

    /// Whether the person pressed Stop. The engine asks every few thousand instructions,
    /// wherever the script is (a promise's continuation, a callback of `map`), because
    /// code that never yields gives the kernel no turn in which to hear the Stop message.
    fn interrupted(&self) -> bool {
        false
    }
}

/// The engine's side: runs the kernel's commands (see [`command`]).
pub trait Engine {
    /// Runs one encoded command; `host` answers the engine's calls meanwhile.
    fn call(&mut self, command: &[u8], host: &Rc<dyn Host>) -> Vec<u8>;
}

/// Why bytes are not a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError(pub &'static str);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a malformed message between the kernel and the script engine: {}", self.0)
    }
}

impl std::error::Error for WireError {}

impl Value {
    /// The value as bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode_into(&mut out);
        out
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            Value::None => out.push(0),
            Value::Bool(b) => out.push(1 + u8::from(*b)),
            Value::Num(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::Str(s) => put_bytes(out, 4, s.as_bytes()),
            Value::Bytes(b) => put_bytes(out, 5, b),
            Value::List(items) => {
                out.push(6);
                out.extend_from_slice(&(items.len() as u32).to_le_bytes());
                for item in items {
                    item.encode_into(out);
                }
            }
        }
    }

    /// Reads one value that must fill `bytes` exactly.
    pub fn decode(bytes: &[u8]) -> Result<Value, WireError> {
        let mut reader = Reader { bytes, at: 0, depth: 0 };
        let value = reader.value()?;
        if reader.at != bytes.len() {
            return Err(WireError("bytes after the value"));
        }
        Ok(value)
    }

    /// A string value's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A number value.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// A list value's items.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(items) => Some(items),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Num(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::None, Into::into)
    }
}

fn put_bytes(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Lists nest at most this deep (a script's nested arrays are refused beyond it, so a
/// hostile value cannot exhaust the stack of the side that reads it).
pub const MAX_DEPTH: u32 = 64;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: u32,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], WireError> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or(WireError("the bytes end inside a value"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn len(&mut self) -> Result<usize, WireError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn value(&mut self) -> Result<Value, WireError> {
        let tag = self.take(1)?[0];
        Ok(match tag {
            0 => Value::None,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => {
                let b = self.take(8)?;
                let mut n = [0u8; 8];
                n.copy_from_slice(b);
                Value::Num(f64::from_le_bytes(n))
            }
            4 => {
                let n = self.len()?;
                let text = std::str::from_utf8(self.take(n)?)
                    .map_err(|_| WireError("a string that is not UTF-8"))?;
                Value::Str(text.to_string())
            }
            5 => {
                let n = self.len()?;
                Value::Bytes(self.take(n)?.to_vec())
            }
            6 => {
                let n = self.len()?;
                if self.depth >= MAX_DEPTH {
                    return Err(WireError("lists nested too deep"));
                }
                self.depth += 1;
                // Each item takes at least one byte: a count beyond what is left is a lie.
                let mut items = Vec::with_capacity(n.min(self.bytes.len() - self.at));
                for _ in 0..n {
                    items.push(self.value()?);
                }
                self.depth -= 1;
                Value::List(items)
            }
            _ => return Err(WireError("an unknown tag")),
        })
    }
}

/// The kernel's commands to the engine, each a list whose first item names it.
pub mod command {
    use super::Value;

    /// Starts running a script cell's `code`; `name` names it in tracebacks.
    pub fn run(code: &str, name: &str) -> Value {
        Value::List(vec!["run".into(), code.into(), name.into()])
    }

    /// Runs for at most `ms` milliseconds.
    pub fn step(ms: f64) -> Value {
        Value::List(vec!["step".into(), ms.into()])
    }

    /// Settles the host's pending operation `id`: its result, or the error to throw.
    pub fn settle(id: f64, outcome: Result<Value, Value>) -> Value {
        let (ok, value) = match outcome {
            Ok(v) => (true, v),
            Err(e) => (false, e),
        };
        Value::List(vec!["settle".into(), id.into(), ok.into(), value])
    }

    /// Ends the running script where it is (Stop); its globals stay.
    pub fn cancel() -> Value {
        Value::List(vec!["cancel".into()])
    }
}

/// What the engine answers a command with, decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The command was done (`run`, `settle`, `cancel`).
    Ok,
    /// The script ended; the text of its last expression's value, if it had one.
    Done(Option<String>),
    /// The script ended with an uncaught error.
    Failed(Failure),
    /// Its time ran out with work left: call `step` again after letting others run.
    Busy,
    /// Everything left waits on the host's pending operations.
    Waiting,
}

/// An uncaught error, as the kernel reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// The error's class name, e.g. `FileNotFoundError` or `TypeError`.
    pub name: String,
    pub message: String,
    /// Where it was raised, innermost first: `f (line 2, column 5)`.
    pub frames: Vec<String>,
    /// The cell's line it was raised at, from 1.
    pub line: Option<u32>,
}

impl Outcome {
    /// The outcome as a value.
    pub fn to_value(&self) -> Value {
        let tag = |t: &str| Value::List(vec![t.into()]);
        match self {
            Outcome::Ok => tag("ok"),
            Outcome::Busy => tag("busy"),
            Outcome::Waiting => tag("waiting"),
            Outcome::Done(shown) => Value::List(vec!["done".into(), shown.clone().into()]),
            Outcome::Failed(f) => Value::List(vec![
                "failed".into(),
                f.name.as_str().into(),
                f.message.as_str().into(),
                Value::List(f.frames.iter().map(|s| s.as_str().into()).collect()),
                f.line.map(f64::from).into(),
            ]),
        }
    }

    /// Reads an outcome from its value.
    pub fn from_value(value: &Value) -> Result<Outcome, WireError> {
        let items = value.as_list().ok_or(WireError("an outcome that is not a list"))?;
        let text = |i: usize| items.get(i).and_then(Value::as_str).map(str::to_string);
        Ok(match items.first().and_then(Value::as_str) {
            Some("ok") => Outcome::Ok,
            Some("busy") => Outcome::Busy,
            Some("waiting") => Outcome::Waiting,
            Some("done") => Outcome::Done(text(1)),
            Some("failed") => Outcome::Failed(Failure {
                name: text(1).ok_or(WireError("a failure without a name"))?,
                message: text(2).unwrap_or_default(),
                frames: items
                    .get(3)
                    .and_then(Value::as_list)
                    .map(|f| f.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                    .unwrap_or_default(),
                line: items.get(4).and_then(Value::as_num).map(|n| n as u32),
            }),
            _ => return Err(WireError("an unknown outcome")),
        })
    }
}

/// The host's answers to the engine's calls.
pub mod answer {
    use super::Value;

    /// The call's result.
    pub fn ok(value: Value) -> Value {
        Value::List(vec!["ok".into(), value])
    }

    /// The call raised: a Python exception class name, its message, and its `errno`.
    pub fn error(name: &str, message: &str, errno: Option<i32>) -> Value {
        Value::List(vec!["error".into(), name.into(), message.into(), errno.map(f64::from).into()])
    }

    /// The call's result comes later: the engine gets a promise, settled by
    /// [`super::command::settle`] with this id.
    pub fn pending(id: u32) -> Value {
        Value::List(vec!["pending".into(), f64::from(id).into()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let v = Value::List(vec![
            Value::None,
            true.into(),
            false.into(),
            (-1.5).into(),
            "héllo".into(),
            Value::Bytes(vec![0, 255, 7]),
            Value::List(vec![]),
        ]);
        assert_eq!(Value::decode(&v.encode()), Ok(v));
    }

    #[test]
    fn bad_bytes_are_errors() {
        assert!(Value::decode(&[]).is_err());
        assert!(Value::decode(&[9]).is_err());
        assert!(Value::decode(&[4, 10, 0, 0, 0, b'a']).is_err());
        assert!(Value::decode(&[4, 1, 0, 0, 0, 0xff]).is_err());
        assert!(Value::decode(&[0, 0]).is_err());
        // A list that claims four billion items.
        assert!(Value::decode(&[6, 255, 255, 255, 255]).is_err());
        let mut deep = Vec::new();
        for _ in 0..=MAX_DEPTH {
            deep.extend_from_slice(&[6, 1, 0, 0, 0]);
        }
        deep.push(0);
        assert_eq!(Value::decode(&deep), Err(WireError("lists nested too deep")));
    }

    #[test]
    fn outcomes_round_trip() {
        for o in [
            Outcome::Ok,
            Outcome::Busy,
            Outcome::Waiting,
            Outcome::Done(None),
            Outcome::Done(Some("42".into())),
            Outcome::Failed(Failure {
                name: "ValueError".into(),
                message: "bad".into(),
                frames: vec!["f (line 1, column 2)".into()],
                line: Some(1),
            }),
        ] {
            assert_eq!(Outcome::from_value(&o.to_value()), Ok(o));
        }
    }
}

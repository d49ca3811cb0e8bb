//! A pull reader of JSON text: the caller asks for the value it expects next (a string, a
//! number, an object whose fields it reads one by one), so a type's reading code is a few
//! direct calls and no per-type visitor machinery. It reads JSON as serde_json does
//! (RFC 8259, at most 128 levels deep, numbers typed as serde_json types them), except that
//! a float is rounded correctly, where serde_json without its `float_roundtrip` feature may
//! miss by one bit.

use std::borrow::Cow;
use std::fmt;

/// Why a JSON text could not be read, and where (`... at line 1 column 17`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// What reading returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How deep arrays and objects may nest (serde_json's limit): deeper text is refused
/// rather than read by ever deeper recursion.
const MAX_DEPTH: u32 = 128;

/// A JSON number as serde_json types it: a whole number from 0 that fits `u64`, a negative
/// one that fits `i64`, else (a fraction, an exponent, too many digits, `-0`) a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A whole number from 0.
    Unsigned(u64),
    /// A whole number below 0.
    Negative(i64),
    /// Any other number.
    Float(f64),
}

/// Reads values from one JSON text, front to back.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `text`.
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader { text, at: 0, depth: 0 }
    }

    /// An error at the current place: `message at line L column C`.
    pub fn error(&self, message: &str) -> Error {
        self.error_with(format_args!("{message}"))
    }

    /// [`Reader::error`] with a message made of parts.
    pub fn error_with(&self, message: fmt::Arguments<'_>) -> Error {
        let before = &self.text.as_bytes()[..self.at.min(self.text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = self.at - before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        Error(format!("{message} at line {line} column {column}"))
    }

    /// The error for a field that is not there.
    pub fn missing(&self, key: &str) -> Error {
        self.error_with(format_args!("missing field `{key}`"))
    }

    /// The error for a field that came twice.
    pub fn duplicate(&self, key: &str) -> Error {
        self.error_with(format_args!("duplicate field `{key}`"))
    }

    /// Checks that only white space follows the value read.
    pub fn finish(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// The next byte that is not white space, not consumed.
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.text.as_bytes().get(self.at) {
            self.at += 1;
        }
        self.text.as_bytes().get(self.at).copied()
    }

    /// Consumes `byte` (after white space), or fails saying `expected`.
    fn eat(&mut self, byte: u8, expected: &str) -> Result<()> {
        if self.peek() != Some(byte) {
            return Err(self.error_with(format_args!("expected {expected}")));
        }
        self.at += 1;
        Ok(())
    }

    /// Consumes the word `word` (`true`, `false`, `null`), whose first byte is next.
    fn word(&mut self, word: &str) -> Result<()> {
        if !self.text[self.at..].starts_with(word) {
            return Err(self.error("expected value"));
        }
        self.at += word.len();
        Ok(())
    }

    /// Consumes a `null` if one is next: whether it was there.
    pub fn null(&mut self) -> Result<bool> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.word("null").map(|()| true)
    }

    /// `true` or `false`.
    pub fn bool(&mut self) -> Result<bool> {
        match self.peek() {
            Some(b't') => self.word("true").map(|()| true),
            Some(b'f') => self.word("false").map(|()| false),
            _ => Err(self.error("expected a boolean")),
        }
    }

    /// A string, borrowed from the text when it has no escapes.
    pub fn str(&mut self) -> Result<Cow<'a, str>> {
        self.eat(b'"', "a string")?;
        let text = self.text;
        let bytes = text.as_bytes();
        let mut start = self.at;
        let mut owned: Option<String> = None;
        loop {
            let Some(&byte) = bytes.get(self.at) else {
                return Err(self.error("EOF while parsing a string"));
            };
            match byte {
                b'"' => {
                    let run = &text[start..self.at];
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(run),
                        Some(mut value) => {
                            value.push_str(run);
                            Cow::Owned(value)
                        }
                    });
                }
                b'\\' => {
                    let run = &text[start..self.at];
                    self.at += 1;
                    let c = self.escape()?;
                    let value = owned.get_or_insert_with(String::new);
                    value.push_str(run);
                    value.push(c);
                    start = self.at;
                }
                0..=0x1f => {
                    return Err(self.error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                _ => self.at += 1,
            }
        }
    }

    /// The character of the escape after a `\`.
    fn escape(&mut self) -> Result<char> {
        let Some(&byte) = self.text.as_bytes().get(self.at) else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                let code = match first {
                    0xD800..=0xDBFF => {
                        if !self.text[self.at..].starts_with("\\u") {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        self.at += 2;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
                    _ => first,
                };
                char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))?
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u32> {
        let digits =
            self.text.as_bytes().get(self.at..self.at + 4).ok_or_else(|| self.error("invalid escape"))?;
        let mut value = 0;
        for &digit in digits {
            let nibble = (digit as char).to_digit(16).ok_or_else(|| self.error("invalid escape"))?;
            value = value * 16 + nibble;
        }
        self.at += 4;
        Ok(value)
    }

    /// Consumes the digits `0`-`9` that come next: how many.
    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.text.as_bytes().get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    /// A number, typed as serde_json types it (see [`Number`]).
    pub fn number(&mut self) -> Result<Number> {
        self.peek();
        let start = self.at;
        let negative = self.text[self.at..].starts_with('-');
        self.at += usize::from(negative);
        let first = self.text.as_bytes().get(self.at).copied();
        let whole = self.digits();
        if whole == 0 || (first == Some(b'0') && whole > 1) {
            return Err(self.error("invalid number"));
        }
        let mut integral = true;
        if self.text[self.at..].starts_with('.') {
            self.at += 1;
            integral = false;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.text.as_bytes().get(self.at) {
            self.at += 1;
            integral = false;
            if let Some(b'+' | b'-') = self.text.as_bytes().get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        let text = &self.text[start..self.at];
        if integral {
            if let Ok(magnitude) = text[usize::from(negative)..].parse::<u64>() {
                if !negative {
                    return Ok(Number::Unsigned(magnitude));
                }
                // As serde_json: below zero and fitting i64 is an integer; `-0` a float.
                let value = (magnitude as i64).wrapping_neg();
                return Ok(if value < 0 {
                    Number::Negative(value)
                } else {
                    Number::Float(-(magnitude as f64))
                });
            }
        }
        match crate::decimal::parse_f64(text) {
            Some(value) if value.is_finite() => Ok(Number::Float(value)),
            _ => Err(self.error("number out of range")),
        }
    }

    /// A whole number from 0 to `u64::MAX`.
    pub fn u64(&mut self) -> Result<u64> {
        match self.number()? {
            Number::Unsigned(n) => Ok(n),
            _ => Err(self.error("expected a whole number from 0")),
        }
    }

    /// A whole number from 0 to `u32::MAX`.
    pub fn u32(&mut self) -> Result<u32> {
        u32::try_from(self.u64()?).map_err(|_| self.error("number too large for u32"))
    }

    /// A whole number that fits `i64`.
    pub fn i64(&mut self) -> Result<i64> {
        match self.number()? {
            Number::Unsigned(n) => i64::try_from(n).map_err(|_| self.error("number too large for i64")),
            Number::Negative(n) => Ok(n),
            Number::Float(_) => Err(self.error("expected a whole number")),
        }
    }

    /// Any number, as a float.
    pub fn f64(&mut self) -> Result<f64> {
        Ok(match self.number()? {
            Number::Unsigned(n) => n as f64,
            Number::Negative(n) => n as f64,
            Number::Float(x) => x,
        })
    }

    /// One level deeper, or the error for text nested too deep.
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        Ok(())
    }

    /// An object: `field` is called with each key, the reader at its value, which `field`
    /// must read (or [`Reader::skip`]).
    pub fn object(&mut self, field: &mut dyn FnMut(&mut Reader<'a>, &str) -> Result<()>) -> Result<()> {
        self.eat(b'{', "an object")?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(self.error("key must be a string"));
            }
            let key = self.str()?;
            self.eat(b':', "`:`")?;
            field(self, &key)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// An array: `item` is called with the reader at each element, which it must read.
    pub fn array(&mut self, item: &mut dyn FnMut(&mut Reader<'a>) -> Result<()>) -> Result<()> {
        self.eat(b'[', "an array")?;
        self.enter()?;
        if self.peek() == Some(b']') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// Reads past the next value, whatever it is.
    pub fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(&mut |r, _| r.skip()),
            Some(b'[') => self.array(&mut Reader::skip),
            Some(b'"') => self.str().map(drop),
            Some(b't' | b'f') => self.bool().map(drop),
            Some(b'n') => self.word("null"),
            _ => self.number().map(drop),
        }
    }

    /// The text of the next value, as it stands (to be read later, when its type is
    /// known).
    pub fn raw(&mut self) -> Result<&'a str> {
        self.peek();
        let start = self.at;
        self.skip()?;
        Ok(&self.text[start..self.at])
    }

    /// The next value as a [`serde_json::Value`] (an object's later duplicate key wins,
    /// as in serde_json).
    pub fn value(&mut self) -> Result<serde_json::Value> {
        use serde_json::Value;
        Ok(match self.peek() {
            Some(b'{') => {
                let mut map = serde_json::Map::new();
                self.object(&mut |r, key| {
                    map.insert(key.to_string(), r.value()?);
                    Ok(())
                })?;
                Value::Object(map)
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(&mut |r| {
                    items.push(r.value()?);
                    Ok(())
                })?;
                Value::Array(items)
            }
            Some(b'"') => Value::String(self.str()?.into_owned()),
            Some(b't' | b'f') => Value::Bool(self.bool()?),
            Some(b'n') => {
                self.word("null")?;
                Value::Null
            }
            _ => Value::Number(match self.number()? {
                Number::Unsigned(n) => n.into(),
                Number::Negative(n) => n.into(),
                Number::Float(x) => {
                    serde_json::Number::from_f64(x).ok_or_else(|| self.error("number out of range"))?
                }
            }),
        })
    }

    /// The start of an enum value as serde writes one: a unit variant as its name
    /// (`"list"`), any other as an object of one key, its name, whose value is the
    /// variant's content (`{"read": {"path": "a"}}`). Gives the name's index in `names`
    /// and whether content follows, the reader then at it; [`Reader::end_variant`] reads
    /// the close after it.
    pub fn variant(&mut self, names: &[&str]) -> Result<(usize, bool)> {
        let content = match self.peek() {
            Some(b'"') => false,
            Some(b'{') => {
                self.at += 1;
                self.enter()?;
                true
            }
            _ => return Err(self.error("expected a string or an object")),
        };
        let name = self.str()?;
        let Some(index) = names.iter().position(|known| *known == name) else {
            return Err(self.error_with(format_args!("{}", unknown_variant(&name, names))));
        };
        if content {
            self.eat(b':', "`:`")?;
        }
        Ok((index, content))
    }

    /// An enum value of unit variants only: the index of its name in `names`.
    pub fn unit_variant(&mut self, names: &[&str]) -> Result<usize> {
        let (index, content) = self.variant(names)?;
        self.unit(content)?;
        self.end_variant(content)?;
        Ok(index)
    }

    /// The close of an enum value that had content (see [`Reader::variant`]).
    pub fn end_variant(&mut self, content: bool) -> Result<()> {
        if content {
            self.eat(b'}', "`}`")?;
            self.depth -= 1;
        }
        Ok(())
    }

    /// A unit variant's content, when it has any: `null`.
    pub fn unit(&mut self, content: bool) -> Result<()> {
        if content && !self.null()? {
            return Err(self.error("expected null"));
        }
        Ok(())
    }

    /// A struct or newtype variant's content, which must be there.
    pub fn content(&self, content: bool) -> Result<()> {
        if content {
            Ok(())
        } else {
            Err(self.error("invalid type: unit variant, expected a variant with content"))
        }
    }
}

/// The error for an enum value or message type of an unknown name, listing the known
/// ones as serde does.
pub fn unknown_variant(name: &str, names: &[&str]) -> Error {
    Error(format!("unknown variant `{name}`, expected {}", OneOf(names)))
}

/// The names a variant could have had, as serde lists them.
struct OneOf<'a>(&'a [&'a str]);

impl fmt::Display for OneOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            [] => f.write_str("no variant"),
            [only] => write!(f, "`{only}`"),
            [a, b] => write!(f, "`{a}` or `{b}`"),
            names => {
                f.write_str("one of ")?;
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "`{name}`")?;
                }
                Ok(())
            }
        }
    }
}

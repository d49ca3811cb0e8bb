//! Writing JSON text byte for byte as `serde_json::to_string` writes it: no white space,
//! strings escaped as serde_json escapes them, floats in its shortest form.

use std::fmt::Write as _;

/// A JSON text being written. Commas are put in by [`Writer::key`] and [`Writer::item`],
/// which know from the last byte whether a value came before in the same object or array.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    /// An empty text.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The text written.
    pub fn into_string(self) -> String {
        self.out
    }

    /// Writes `text` as it is (punctuation, or JSON text made elsewhere).
    pub fn raw(&mut self, text: &str) {
        self.out.push_str(text);
    }

    /// A comma unless this is the first value of its object or array.
    fn comma(&mut self) {
        if !self.out.ends_with(['{', '[']) {
            self.out.push(',');
        }
    }

    /// Starts an object's next field: its key and the colon; the value comes next.
    pub fn key(&mut self, key: &str) {
        self.comma();
        self.str(key);
        self.out.push(':');
    }

    /// Starts an array's next element.
    pub fn item(&mut self) {
        self.comma();
    }

    /// A string, quoted and escaped.
    pub fn str(&mut self, text: &str) {
        self.out.reserve(text.len() + 2);
        self.out.push('"');
        let mut start = 0;
        for (i, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.out.push_str(&text[start..i]);
            if escape.is_empty() {
                let _ = write!(self.out, "\\u{byte:04x}");
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(&text[start..]);
        self.out.push('"');
    }

    /// `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.out.push_str(if value { "true" } else { "false" });
    }

    /// A whole number from 0.
    pub fn u64(&mut self, value: u64) {
        let _ = write!(self.out, "{value}");
    }

    /// A whole number.
    pub fn i64(&mut self, value: i64) {
        let _ = write!(self.out, "{value}");
    }

    /// A float in serde_json's shortest form; `null` for infinities and NaN, as
    /// serde_json writes them.
    pub fn f64(&mut self, value: f64) {
        match serde_json::Number::from_f64(value) {
            Some(number) => {
                let _ = write!(self.out, "{number}");
            }
            None => self.out.push_str("null"),
        }
    }

    /// `value` indented as serde_json's `PrettyFormatter` with `indent` indents it: each
    /// element and field on its own line, one `indent` deeper than its array or object,
    /// which is at `depth`; empty ones as `[]` and `{}`.
    pub fn pretty(&mut self, value: &serde_json::Value, indent: &str, depth: usize) {
        use serde_json::Value;
        let line = |w: &mut Writer, depth: usize| {
            w.out.push('\n');
            for _ in 0..depth {
                w.out.push_str(indent);
            }
        };
        match value {
            Value::Array(items) if !items.is_empty() => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    line(self, depth + 1);
                    self.pretty(item, indent, depth + 1);
                }
                line(self, depth);
                self.out.push(']');
            }
            Value::Object(map) if !map.is_empty() => {
                self.out.push('{');
                for (i, (key, item)) in map.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    line(self, depth + 1);
                    self.str(key);
                    self.out.push_str(": ");
                    self.pretty(item, indent, depth + 1);
                }
                line(self, depth);
                self.out.push('}');
            }
            other => self.value(other),
        }
    }

    /// A [`serde_json::Value`], object keys in their map's order as serde_json writes them.
    pub fn value(&mut self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => {
                let _ = write!(self.out, "{n}");
            }
            Value::String(s) => self.str(s),
            Value::Array(items) => {
                self.out.push('[');
                for item in items {
                    self.item();
                    self.value(item);
                }
                self.out.push(']');
            }
            Value::Object(map) => {
                self.out.push('{');
                for (key, item) in map {
                    self.key(key);
                    self.value(item);
                }
                self.out.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize as _;
    use serde_json::json;

    use super::Writer;

    #[test]
    fn values_are_written_as_serde_json_writes_them_compact_and_pretty() {
        let value = json!({
            "b": [1, -2, 2.5, 1e300, u64::MAX, i64::MIN, "\u{0}\u{8}\u{c}\u{1f}\u{7f}\"\\/é😀\r\n\t"],
            "a": {"empty": {}, "none": [], "null": null, "yes": true, "no": false, "deep": [[{"x": [{}]}]]},
        });
        let mut compact = Writer::new();
        compact.value(&value);
        assert_eq!(compact.into_string(), serde_json::to_string(&value).unwrap());
        for indent in [" ", "  "] {
            let mut pretty = Writer::new();
            pretty.pretty(&value, indent, 0);
            let mut theirs = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(indent.as_bytes());
            value.serialize(&mut serde_json::Serializer::with_formatter(&mut theirs, formatter)).unwrap();
            assert_eq!(pretty.into_string(), String::from_utf8(theirs).unwrap());
        }
        for x in [f64::NAN, f64::INFINITY] {
            let mut w = Writer::new();
            w.f64(x);
            assert_eq!(w.into_string(), serde_json::to_string(&x).unwrap());
        }
    }
}

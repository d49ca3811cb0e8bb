//! Python's `%`-formatting with a mapping (`"%(name)-8s" % record.__dict__`), limited to
//! the record's fields: parsed once when a formatter is made, applied to every record.

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::pyrepr::{float_repr, str_repr};

/// The largest width or precision accepted (Python's limit is memory; this is a sane one).
const MAX_WIDTH: usize = 100_000;

/// A record field a format can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Name,
    Levelno,
    Levelname,
    Pathname,
    Filename,
    Module,
    Lineno,
    FuncName,
    Created,
    Msecs,
    RelativeCreated,
    Asctime,
    Thread,
    ThreadName,
    Process,
    ProcessName,
    Message,
}

/// The Python type of a field's value, which decides the conversions it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Int,
    Float,
}

impl Field {
    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "name" => Field::Name,
            "levelno" => Field::Levelno,
            "levelname" => Field::Levelname,
            "pathname" => Field::Pathname,
            "filename" => Field::Filename,
            "module" => Field::Module,
            "lineno" => Field::Lineno,
            "funcName" => Field::FuncName,
            "created" => Field::Created,
            "msecs" => Field::Msecs,
            "relativeCreated" => Field::RelativeCreated,
            "asctime" => Field::Asctime,
            "thread" => Field::Thread,
            "threadName" => Field::ThreadName,
            "process" => Field::Process,
            "processName" => Field::ProcessName,
            "message" | "msg" => Field::Message,
            _ => return None,
        })
    }

    fn kind(self) -> Kind {
        match self {
            Field::Levelno | Field::Lineno | Field::Thread | Field::Process => Kind::Int,
            Field::Created | Field::Msecs | Field::RelativeCreated => Kind::Float,
            _ => Kind::Str,
        }
    }
}

/// One `%(key)...c` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spec {
    pub(crate) field: Field,
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    alt: bool,
    width: usize,
    precision: Option<usize>,
    conv: char,
}

/// A parsed format: literal text and directives, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Field(Spec),
}

/// A field's value for one record.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Float(f64),
}

/// Parses `fmt`; the error is the detail of what is wrong, worded as Python's `%`
/// operator words it where Python has a word for it.
pub(crate) fn parse(fmt: &str) -> Result<Vec<Piece>, String> {
    let chars: Vec<char> = fmt.chars().collect();
    let n = chars.len();
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        i += 1;
        if c != '%' {
            text.push(c);
            continue;
        }
        let start = i - 1;
        if i >= n {
            return Err("incomplete format".into());
        }
        if chars[i] == '%' {
            text.push('%');
            i += 1;
            continue;
        }
        let key = if chars[i] == '(' {
            // Python counts nested parentheses in a key.
            let mut depth = 1;
            i += 1;
            let start = i;
            while i < n && depth > 0 {
                match chars[i] {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err("incomplete format key".into());
            }
            Some(chars[start..i - 1].iter().collect::<String>())
        } else {
            None
        };
        let (mut left, mut zero, mut plus, mut space, mut alt) = (false, false, false, false, false);
        while i < n {
            match chars[i] {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => alt = true,
                _ => break,
            }
            i += 1;
        }
        let mut width = 0usize;
        if i < n && chars[i] == '*' {
            return Err("* wants int".into());
        }
        while i < n && chars[i].is_ascii_digit() {
            width = width.saturating_mul(10).saturating_add(chars[i] as usize - '0' as usize);
            i += 1;
        }
        if width > MAX_WIDTH {
            return Err("width too big".into());
        }
        let mut precision = None;
        if i < n && chars[i] == '.' {
            i += 1;
            if i < n && chars[i] == '*' {
                return Err("* wants int".into());
            }
            let mut p = 0usize;
            while i < n && chars[i].is_ascii_digit() {
                p = p.saturating_mul(10).saturating_add(chars[i] as usize - '0' as usize);
                i += 1;
            }
            if p > MAX_WIDTH {
                return Err("precision too big".into());
            }
            precision = Some(p);
        }
        // No length modifiers (`%ld`): Python's operator skips them, its Formatter rejects them.
        if i >= n {
            return Err("incomplete format".into());
        }
        let conv = chars[i];
        i += 1;
        if !"diouxXeEfFgGcrsa".contains(conv) {
            return Err(format!(
                "unsupported format character {} (0x{:x}) at index {}",
                str_repr(&conv.to_string()),
                conv as u32,
                i - 1
            ));
        }
        let Some(key) = key else {
            return Err(format!(
                "not enough arguments for format string (the directive at index {start} names no field, \
                 as %(message)s does)"
            ));
        };
        let Some(field) = Field::from_key(&key) else {
            return Err(format!("Formatting field not found in record: {}", str_repr(&key)));
        };
        check_conversion(field.kind(), conv)?;
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Field(Spec { field, left, zero, plus, space, alt, width, precision, conv }));
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if !pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
        return Err("it names no field, such as %(message)s".into());
    }
    Ok(pieces)
}

/// Python's `TypeError` texts for a conversion the field's type cannot take.
fn check_conversion(kind: Kind, conv: char) -> Result<(), String> {
    match (kind, conv) {
        (Kind::Str, 'd' | 'i' | 'u') => Err(format!("%{conv} format: a real number is required, not str")),
        (Kind::Str, 'o' | 'x' | 'X') => Err(format!("%{conv} format: an integer is required, not str")),
        (Kind::Float, 'o' | 'x' | 'X') => Err(format!("%{conv} format: an integer is required, not float")),
        (Kind::Str, 'e' | 'E' | 'f' | 'F' | 'g' | 'G') => Err("must be real number, not str".into()),
        (Kind::Str | Kind::Float, 'c') => Err("%c requires int or char".into()),
        _ => Ok(()),
    }
}

/// Appends `value` formatted by `spec`.
pub(crate) fn render(spec: &Spec, value: Value<'_>, out: &mut String) {
    match spec.conv {
        's' | 'r' | 'a' => {
            let text: Cow<'_, str> = match (value, spec.conv) {
                (Value::Str(s), 's') => Cow::Borrowed(s),
                (Value::Str(s), 'r') => Cow::Owned(str_repr(s)),
                (Value::Str(s), _) => Cow::Owned(ascii_repr(s)),
                (Value::Int(i), _) => Cow::Owned(i.to_string()),
                (Value::Float(f), _) => Cow::Owned(float_repr(f)),
            };
            if spec.width == 0 && spec.precision.is_none() {
                out.push_str(&text);
                return;
            }
            let text = match spec.precision {
                Some(p) => match text.char_indices().nth(p) {
                    Some((cut, _)) => &text[..cut],
                    None => &text[..],
                },
                None => &text[..],
            };
            pad(out, "", text, spec.width, spec.left, false);
        }
        'c' => {
            let c = match value {
                Value::Int(i) => u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{fffd}'),
                _ => '\u{fffd}',
            };
            pad(out, "", c.encode_utf8(&mut [0; 4]), spec.width, spec.left, false);
        }
        'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
            let v = match value {
                Value::Int(i) => i,
                // Python's int(): towards zero.
                Value::Float(f) => f.trunc() as i64,
                Value::Str(_) => 0,
            };
            render_int(spec, v, out);
        }
        _ => {
            let v = match value {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                Value::Str(_) => 0.0,
            };
            render_float(spec, v, out);
        }
    }
}

fn sign(spec: &Spec, negative: bool) -> &'static str {
    if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

fn render_int(spec: &Spec, v: i64, out: &mut String) {
    if spec.width == 0 && spec.precision.is_none() && !spec.plus && !spec.space && !spec.alt {
        let _ = match spec.conv {
            'o' => write!(out, "{}{:o}", sign(spec, v < 0), v.unsigned_abs()),
            'x' => write!(out, "{}{:x}", sign(spec, v < 0), v.unsigned_abs()),
            'X' => write!(out, "{}{:X}", sign(spec, v < 0), v.unsigned_abs()),
            _ => write!(out, "{v}"),
        };
        return;
    }
    let magnitude = v.unsigned_abs();
    let mut digits = match spec.conv {
        'o' => format!("{magnitude:o}"),
        'x' => format!("{magnitude:x}"),
        'X' => format!("{magnitude:X}"),
        _ => magnitude.to_string(),
    };
    if let Some(p) = spec.precision {
        if digits.len() < p {
            digits.insert_str(0, &"0".repeat(p - digits.len()));
        }
    }
    let prefix = match (spec.alt, spec.conv) {
        (true, 'o') => "0o",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let lead = format!("{}{prefix}", sign(spec, v < 0));
    pad(out, &lead, &digits, spec.width, spec.left, spec.zero);
}

fn render_float(spec: &Spec, v: f64, out: &mut String) {
    let p = spec.precision.unwrap_or(6);
    let a = v.abs();
    let mut body = if !v.is_finite() {
        if v.is_nan() { "nan" } else { "inf" }.to_string()
    } else {
        match spec.conv {
            'f' | 'F' => {
                let mut s = fixed(a, p);
                if spec.alt && p == 0 {
                    s.push('.');
                }
                s
            }
            'e' | 'E' => exp_form(a, p, spec.alt),
            _ => general_form(a, p, spec.alt),
        }
    };
    if spec.conv.is_ascii_uppercase() {
        body = body.to_ascii_uppercase();
    }
    let negative = v.is_sign_negative() && !v.is_nan();
    pad(out, sign(spec, negative), &body, spec.width, spec.left, spec.zero);
}

/// Rust's formatter takes a precision of at most `u16::MAX` (more panics) while a format
/// may ask for up to [`MAX_WIDTH`] digits. A double's exact decimal expansion ends within
/// 1074 digits after the point (767 significant ones), so digits past this many are zeros:
/// they are appended rather than asked of the formatter, giving Python's exact text.
const EXACT_DIGITS: usize = 1100;

/// `a` with `p` digits after the point.
fn fixed(a: f64, p: usize) -> String {
    let mut s = format!("{a:.*}", p.min(EXACT_DIGITS));
    s.extend(std::iter::repeat_n('0', p.saturating_sub(EXACT_DIGITS)));
    s
}

/// `a` as Rust's `{:.pe}`: one digit, the point, `p` digits, `e` and the exponent.
fn scientific(a: f64, p: usize) -> String {
    let s = format!("{a:.*e}", p.min(EXACT_DIGITS));
    match s.split_once('e') {
        Some((mantissa, exp)) if p > EXACT_DIGITS => {
            format!("{mantissa}{}e{exp}", "0".repeat(p - EXACT_DIGITS))
        }
        _ => s,
    }
}

/// `%e`: `1.234000e-04`, at least two exponent digits.
fn exp_form(a: f64, p: usize, alt: bool) -> String {
    let s = scientific(a, p);
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let dot = if alt && p == 0 { "." } else { "" };
    format!("{mantissa}{dot}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
}

/// `%g`: fixed or exponent form by the exponent, trailing zeros dropped unless `#`.
fn general_form(a: f64, p: usize, alt: bool) -> String {
    let p = p.max(1);
    let exp = if a == 0.0 {
        0
    } else {
        let s = scientific(a, p - 1);
        s.split_once('e').and_then(|(_, e)| e.parse::<i32>().ok()).unwrap_or(0)
    };
    let mut s = if (-4..p as i32).contains(&exp) {
        fixed(a, (p as i32 - 1 - exp) as usize)
    } else {
        exp_form(a, p - 1, alt)
    };
    let (mantissa, tail) = match s.find('e') {
        Some(e) => (s[..e].to_string(), s[e..].to_string()),
        None => (s.clone(), String::new()),
    };
    if alt {
        if !mantissa.contains('.') {
            s = format!("{mantissa}.{tail}");
        }
        return s;
    }
    let mantissa =
        if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { &mantissa };
    format!("{mantissa}{tail}")
}

/// Pads `lead` + `body` to `width` characters: on the right with `left`, with zeros
/// between them with `zero`, else with spaces on the left.
fn pad(out: &mut String, lead: &str, body: &str, width: usize, left: bool, zero: bool) {
    let len = lead.chars().count() + body.chars().count();
    let fill = width.saturating_sub(len);
    if fill == 0 {
        out.push_str(lead);
        out.push_str(body);
    } else if left {
        out.push_str(lead);
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if zero {
        out.push_str(lead);
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(body);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(lead);
        out.push_str(body);
    }
}

/// Python's `ascii()` of a string: its repr with non-ASCII characters escaped.
fn ascii_repr(s: &str) -> String {
    let mut out = String::new();
    for c in str_repr(s).chars() {
        match c as u32 {
            0..=0x7f => out.push(c),
            n @ 0x80..=0xff => {
                let _ = write!(out, "\\x{n:02x}");
            }
            n @ 0x100..=0xffff => {
                let _ = write!(out, "\\u{n:04x}");
            }
            n => {
                let _ = write!(out, "\\U{n:08x}");
            }
        }
    }
    out
}

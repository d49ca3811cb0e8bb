//! Python's built-in exceptions that section D raises and catches, as one Rust error type,
//! and the operations that raise them (`int(text)`, `a / b`, `items[i]`), with Python's messages.

use crate::notebook::CellError;
use crate::pyrepr::str_repr;

/// A built-in Python exception: each variant is named after its class and displays as
/// Python's `str(error)` does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PyError {
    /// `ZeroDivisionError`: a division by zero.
    #[error("division by zero")]
    ZeroDivision,
    /// `ValueError`: a value of the right type but the wrong content.
    #[error("{0}")]
    Value(String),
    /// `OverflowError`: a number too large for the type that must hold it.
    #[error("{0}")]
    Overflow(String),
    /// `KeyError`: a missing key, shown as Python shows it (its `repr`).
    #[error("{}", str_repr(.0))]
    Key(String),
    /// `IndexError`: a position outside a sequence.
    #[error("{0}")]
    Index(String),
}

impl PyError {
    /// The Python class name, e.g. `ZeroDivisionError`.
    pub fn class(&self) -> &'static str {
        match self {
            PyError::ZeroDivision => "ZeroDivisionError",
            PyError::Value(_) => "ValueError",
            PyError::Overflow(_) => "OverflowError",
            PyError::Key(_) => "KeyError",
            PyError::Index(_) => "IndexError",
        }
    }
}

impl From<PyError> for CellError {
    fn from(error: PyError) -> CellError {
        CellError::new(error.class(), error.to_string())
    }
}

/// Python's `int(text)`: surrounding whitespace, a sign and single underscores between
/// digits are allowed; anything else is a `ValueError` quoting the text. Python's ints
/// have no limit, these are 64-bit: a larger number is an `OverflowError`.
pub fn int(text: &str) -> Result<i64, PyError> {
    let invalid = || PyError::Value(format!("invalid literal for int() with base 10: {}", str_repr(text)));
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
    let bytes = digits.as_bytes();
    let well_formed = !bytes.is_empty()
        && bytes.iter().enumerate().all(|(i, &b)| {
            b.is_ascii_digit()
                || (b == b'_'
                    && i > 0
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                    && bytes[i - 1].is_ascii_digit())
        });
    if !well_formed {
        return Err(invalid());
    }
    trimmed.replace('_', "").parse::<i64>().map_err(|e| match e.kind() {
        std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
            PyError::Overflow(format!("int too large to convert to a 64-bit integer: {trimmed}"))
        }
        _ => invalid(),
    })
}

/// Python's `a / b` on two ints: a float, or `ZeroDivisionError` when `b` is 0.
pub fn div(a: i64, b: i64) -> Result<f64, PyError> {
    if b == 0 {
        return Err(PyError::ZeroDivision);
    }
    Ok(a as f64 / b as f64)
}

/// Python's `items[i]` on a list: a negative `i` counts from the end; a position outside
/// the list is an `IndexError`.
pub fn index<T>(items: &[T], i: i64) -> Result<&T, PyError> {
    let from_start = if i < 0 { i64::try_from(items.len()).ok().map(|len| len + i) } else { Some(i) };
    from_start
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| items.get(i))
        .ok_or_else(|| PyError::Index("list index out of range".into()))
}

/// A float as Python prints it: `5.0`, `2.5`, `0.3333333333333333`, `inf`.
pub fn float_str(value: f64) -> String {
    if value.is_infinite() {
        return if value > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let text = format!("{value:?}");
    // Rust writes 1e16 and 1e-7 where Python writes 1e+16 and 1e-07.
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = exp.strip_prefix('-').map_or(("+", exp), |d| ("-", d));
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_accepts_what_python_accepts() {
        assert_eq!(int(" 42 "), Ok(42));
        assert_eq!(int("-7"), Ok(-7));
        assert_eq!(int("+1_000"), Ok(1000));
        for bad in ["123a", "", " ", "1__0", "_1", "1_", "--1", "4.5", "+"] {
            let expected = format!("invalid literal for int() with base 10: {}", str_repr(bad));
            assert_eq!(int(bad), Err(PyError::Value(expected)), "{bad:?}");
        }
        assert_eq!(int("99999999999999999999").map_err(|e| e.class()), Err("OverflowError"));
    }

    #[test]
    fn division_and_floats_read_as_python() {
        assert_eq!(div(10, 0), Err(PyError::ZeroDivision));
        assert_eq!(float_str(div(10, 2).unwrap()), "5.0");
        assert_eq!(float_str(div(1, 3).unwrap()), "0.3333333333333333");
        assert_eq!(float_str(div(-7, 2).unwrap()), "-3.5");
        // Python's repr of each, one either side of where it switches to an exponent.
        let python = [
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1.2345678901234568e17, "1.2345678901234568e+17"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (2.5e-5, "2.5e-05"),
            (1.5e-7, "1.5e-07"),
            (0.1, "0.1"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (value, repr) in python {
            assert_eq!(float_str(value), repr);
        }
        assert_eq!(PyError::Key("country".into()).to_string(), "'country'");
        assert_eq!(index(&[1, 2, 3], 0), Ok(&1));
        assert_eq!(index(&[1, 2, 3], -1), Ok(&3));
        for bad in [3, -4, i64::MIN, i64::MAX] {
            assert_eq!(index(&[1, 2, 3], bad), Err(PyError::Index("list index out of range".into())));
        }
        assert_eq!(CellError::from(PyError::ZeroDivision).kind, "ZeroDivisionError");
    }
}

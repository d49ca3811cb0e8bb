//! A number typed into a cell's form, read as the cell's Rust type. Text that is no number
//! of that kind is a `ValueError` that quotes it as Python's `repr` would; a whole number
//! the type cannot hold is an `OverflowError` that says it is too large (or too small) and
//! gives the limit, as Python says an `int` does not fit a C type.

use super::CellError;
use crate::pyrepr::str_repr;

/// A type a form's input may be read as: the integer types and the floats.
pub trait InputNumber: Sized {
    /// What the input must be, said when the text is no such number.
    const KIND: &'static str;
    /// The least and the most a whole number of this type can be (`None` for floats, which
    /// read any number: one too large to hold is `inf`, as in Python).
    const LIMITS: Option<(i64, u64)>;
    /// `text` as this type, as `str::parse` reads it.
    fn read(text: &str) -> Option<Self>;
}

macro_rules! whole_numbers {
    ($kind:literal: $($t:ty),*) => {$(
        impl InputNumber for $t {
            const KIND: &'static str = $kind;
            const LIMITS: Option<(i64, u64)> = Some((<$t>::MIN as i64, <$t>::MAX as u64));
            fn read(text: &str) -> Option<$t> {
                text.parse().ok()
            }
        }
    )*};
}
whole_numbers!("whole number from 0": u8, u16, u32, u64, usize);
whole_numbers!("whole number": i8, i16, i32, i64, isize);

impl InputNumber for f64 {
    const KIND: &'static str = "number";
    const LIMITS: Option<(i64, u64)> = None;
    fn read(text: &str) -> Option<f64> {
        crate::decimal::parse_f64(text) // not std's reader: see `crate::decimal`
    }
}

/// Reads `text`, the input called `name`, as a `T` (spaces around it are ignored).
pub fn parse<T: InputNumber>(name: &str, text: &str) -> Result<T, CellError> {
    let typed = text.trim();
    if let Some(value) = T::read(typed) {
        return Ok(value);
    }
    // `-0` is 0, as `int('-0')` is (Rust's unsigned types refuse the sign).
    if T::LIMITS.is_some() && whole(typed).is_some_and(|digits| digits.bytes().all(|b| b == b'0')) {
        if let Some(zero) = T::read("0") {
            return Ok(zero);
        }
    }
    Err(refusal(name, text, T::KIND, T::LIMITS))
}

/// The digits of `typed` if it is a whole number in decimal, with or without a sign.
fn whole(typed: &str) -> Option<&str> {
    let digits = typed.strip_prefix(['+', '-']).unwrap_or(typed);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Why `text` is no number of the kind asked for (not generic: written once).
fn refusal(name: &str, text: &str, kind: &str, limits: Option<(i64, u64)>) -> CellError {
    let typed = text.trim();
    let is_whole = whole(typed).is_some();
    if let (true, Some((least, most))) = (is_whole, limits) {
        let negative = typed.starts_with('-');
        if !(negative && least == 0) {
            let (what, side, limit) = if negative {
                ("small", "least", least.to_string())
            } else {
                ("large", "most", most.to_string())
            };
            return CellError::new(
                "OverflowError",
                format!("input '{name}' is too {what}: the {side} it can be is {limit}, not {typed}"),
            );
        }
    }
    // A whole number is shown as typed; any other text as Python's `int()` quotes it: all
    // of it, spaces included, as its `repr`.
    let shown = if is_whole { typed.to_string() } else { str_repr(text) };
    CellError::new("ValueError", format!("input '{name}' must be a {kind}, not {shown}"))
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn message<T: super::InputNumber + std::fmt::Debug>(text: &str) -> String {
        let error = parse::<T>("n", text).expect_err(text);
        format!("{}: {}", error.kind, error.message)
    }

    #[test]
    fn numbers_read_with_spaces_signs_and_leading_zeros() {
        assert_eq!(parse::<u64>("n", " 42 ").ok(), Some(42));
        assert_eq!(parse::<u64>("n", "+007").ok(), Some(7));
        assert_eq!(parse::<u64>("n", "-0").ok(), Some(0));
        assert_eq!(parse::<i64>("n", "-00").ok(), Some(0));
        assert_eq!(parse::<i64>("n", "-9223372036854775808").ok(), Some(i64::MIN));
        assert_eq!(parse::<f64>("n", "1e308").ok(), Some(1e308));
        assert_eq!(parse::<f64>("n", "1e400").ok(), Some(f64::INFINITY));
    }

    #[test]
    fn a_whole_number_out_of_range_says_too_large_or_too_small_and_the_limit() {
        assert_eq!(
            message::<u64>("99999999999999999999999"),
            "OverflowError: input 'n' is too large: the most it can be is 18446744073709551615, not 99999999999999999999999"
        );
        assert_eq!(
            message::<u32>("+4294967296"),
            "OverflowError: input 'n' is too large: the most it can be is 4294967295, not +4294967296"
        );
        assert_eq!(
            message::<i64>("-9223372036854775809"),
            "OverflowError: input 'n' is too small: the least it can be is -9223372036854775808, not -9223372036854775809"
        );
        assert_eq!(message::<u64>("-5"), "ValueError: input 'n' must be a whole number from 0, not -5");
        assert_eq!(
            message::<usize>("-99999999999999999999999"),
            "ValueError: input 'n' must be a whole number from 0, not -99999999999999999999999"
        );
    }

    #[test]
    fn other_text_is_quoted_as_python_s_repr() {
        assert_eq!(message::<u64>("1e30"), "ValueError: input 'n' must be a whole number from 0, not '1e30'");
        assert_eq!(message::<i64>("5.5"), "ValueError: input 'n' must be a whole number, not '5.5'");
        assert_eq!(message::<i64>(""), "ValueError: input 'n' must be a whole number, not ''");
        assert_eq!(
            message::<u8>("\u{202e}evil"),
            "ValueError: input 'n' must be a whole number from 0, not '\u{202e}evil'"
        );
        assert_eq!(
            message::<u8>("it's"),
            "ValueError: input 'n' must be a whole number from 0, not \"it's\""
        );
        assert_eq!(
            message::<u8>(" a\tb\n"),
            "ValueError: input 'n' must be a whole number from 0, not ' a\\tb\\n'"
        );
        assert_eq!(message::<f64>("twelve"), "ValueError: input 'n' must be a number, not 'twelve'");
    }
}

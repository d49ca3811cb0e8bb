//! Decimal text read as an `f64`, as Rust's `str::parse::<f64>` reads it (`1.5`, `-.5`,
//! `2e-3`, `inf`, `NaN`; nothing else). The syntax is checked here; the digits are turned
//! into the nearest `f64` by std natively, and in the browser by the host's `Number()`,
//! which rounds to the nearest too: std's reader carries a 10 KB table of powers of five
//! that no compression shrinks (12 KB of the page's first load, gzip, with its code). The
//! crate reads floats through [`parse_f64`], never `str::parse`.

/// `text` as the nearest `f64`, or `None` if it is not a decimal number in Rust's syntax
/// (an optional sign, digits with at most one point, at least one digit, an optional
/// exponent; or `inf`, `infinity`, `nan` in any case). Too large is infinite, as in std.
pub fn parse_f64(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let negative = text.starts_with('-');
    if ["inf", "infinity"].iter().any(|word| unsigned.eq_ignore_ascii_case(word)) {
        return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if unsigned.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    is_decimal(unsigned).then(|| host::nearest(text))
}

/// Digits with at most one point and at least one digit, then an optional exponent.
fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(target_arch = "wasm32")]
mod host {
    /// JavaScript's `parseFloat(text)`: text checked by [`super::is_decimal`] is read
    /// whole, to the nearest double.
    pub fn nearest(text: &str) -> f64 {
        js_sys::Number::parse_float(text)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    pub fn nearest(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN) // the syntax is checked: never NaN
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;

    /// Every text reads as std reads it, whether std accepts it or not.
    #[test]
    fn reads_what_std_reads_and_refuses_what_it_refuses() {
        let texts = [
            "0",
            "-0",
            "+0",
            "1.5",
            "-.5",
            "5.",
            ".5",
            "1e5",
            "1E+5",
            "2e-3",
            "-1.25e-310",
            "1e400",
            "-1e400",
            "123456789012345678901234567890",
            "0.1",
            "inf",
            "-Infinity",
            "NaN",
            "+nan",
            "",
            ".",
            "-",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1_000",
            "0x10",
            " 1",
            "1 ",
            "infinit",
            "--1",
            "1e5.0",
            "١",
            "1,5",
        ];
        for text in texts {
            let ours = parse_f64(text);
            let std = text.parse::<f64>().ok();
            match (ours, std) {
                (Some(a), Some(b)) => {
                    assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{text}")
                }
                (None, None) => {}
                _ => panic!("{text:?}: ours {ours:?}, std {std:?}"),
            }
        }
    }
}

//! Python's `repr()` for the values cells print, so messages read as Python's do
//! (`invalid mode: 'rw'`, `No such file or directory: 'x.txt'`, `b'\x89PNG'`, `1e+308`).

/// `repr(s)` for a Python `str`: single quotes unless the text holds a single quote and no
/// double quote, with the escapes Python uses for quotes, backslashes and control characters.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(b)` for a Python `bytes`: `b'...'` with printable ASCII as is, `\\`, the quote,
/// `\t`, `\n` and `\r` escaped, and every other byte as `\xNN`. The quote is chosen as for
/// `str`: double quotes only when the bytes hold a single quote and no double quote.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') { b'"' } else { b'\'' };
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push('b');
    out.push(quote as char);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            b if b == quote => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push(quote as char);
    out
}

/// Python's `repr(float)`: the shortest text that reads back as the same float, with
/// `.0` on whole numbers and an exponent from 1e16 up and below 1e-4.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf" } else { "inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let mut s = format!("{:e}", f.abs());
    let count = |s: &str| s.split('e').next().map_or(0, |m| m.chars().filter(char::is_ascii_digit).count());
    if count(&s) >= 17 {
        // Seventeen digits can tie; Python rounds the exact value half to even.
        s = format!("{:.16e}", f.abs());
    }
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let sign = if f < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{sign}{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..point as usize], &digits[point as usize..])
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{sign}{first}{dot}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs())
    }
}

#[cfg(test)]
mod tests {
    use super::{bytes_repr, float_repr, str_repr};

    #[test]
    fn quotes_like_python() {
        assert_eq!(str_repr("rw"), "'rw'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(str_repr("a\nb\\c\0"), "'a\\nb\\\\c\\x00'");
    }

    #[test]
    fn bytes_read_as_python_shows_them() {
        assert_eq!(bytes_repr(b""), "b''");
        assert_eq!(bytes_repr(b"\x00\x01AB"), "b'\\x00\\x01AB'");
        assert_eq!(bytes_repr(b"\x89PNG\r\n\x1a\n"), "b'\\x89PNG\\r\\n\\x1a\\n'");
        assert_eq!(bytes_repr(b"tab\there\\"), "b'tab\\there\\\\'");
        assert_eq!(bytes_repr(&[0x7f, 0x80, 0xff, b' ', b'~']), "b'\\x7f\\x80\\xff ~'");
    }

    #[test]
    fn bytes_pick_their_quote_like_python() {
        assert_eq!(bytes_repr(b"it's"), "b\"it's\"");
        assert_eq!(bytes_repr(b"say \"hi\""), "b'say \"hi\"'");
        assert_eq!(bytes_repr(b"both ' and \""), "b'both \\' and \"'");
    }

    #[test]
    fn floats_read_as_python_shows_them() {
        for (value, shown) in [
            (1e308, "1e+308"),
            (-1e308, "-1e+308"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (99999999999999999999999.0, "1e+23"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5, "1.5"),
            (60.0, "60.0"),
            (-0.0, "-0.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
        ] {
            assert_eq!(float_repr(value), shown, "{value}");
        }
    }
}

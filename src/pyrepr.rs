//! Python's `repr()` for the values cells print, so messages read as Python's do
//! (`invalid mode: 'rw'`, `No such file or directory: 'x.txt'`, `b'\x89PNG'`).

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

#[cfg(test)]
mod tests {
    use super::{bytes_repr, str_repr};

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
}

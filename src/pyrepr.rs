//! Python's `repr()` for the values cells print, so messages read as Python's do
//! (`invalid mode: 'rw'`, `No such file or directory: 'x.txt'`).

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

#[cfg(test)]
mod tests {
    use super::str_repr;

    #[test]
    fn quotes_like_python() {
        assert_eq!(str_repr("rw"), "'rw'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(str_repr("a\nb\\c\0"), "'a\\nb\\\\c\\x00'");
    }
}

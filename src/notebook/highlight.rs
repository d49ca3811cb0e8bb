//! Syntax colours for the code a cell shows. `build.rs` classifies each cell's source with
//! syntect at build time and stores, per cell, a list of `(class, end)` marks: the class of
//! the text from the previous mark's end to this one's. The page turns the marks into
//! `<span>`s holding text nodes, so no highlighter ships in the page and no source text is
//! ever parsed as HTML.

/// What a piece of source text is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    /// Names, punctuation, spaces.
    Plain,
    /// `fn`, `let`, `match`, `pub`, `async`, `await`, ...
    Keyword,
    /// String and character literals.
    String,
    /// Comments and doc comments.
    Comment,
    /// Numbers, `true`, `false`.
    Number,
    /// A function's name where it is defined or called.
    Function,
    /// A macro call such as `format!`.
    Macro,
    /// Type names.
    Type,
}

impl TokenClass {
    /// The class for a code `build.rs` wrote (unknown codes are plain text).
    pub fn from_code(code: u8) -> TokenClass {
        match code {
            1 => TokenClass::Keyword,
            2 => TokenClass::String,
            3 => TokenClass::Comment,
            4 => TokenClass::Number,
            5 => TokenClass::Function,
            6 => TokenClass::Macro,
            7 => TokenClass::Type,
            _ => TokenClass::Plain,
        }
    }

    /// The CSS class the page gives such text (`None` for plain text).
    pub fn css_class(self) -> Option<&'static str> {
        match self {
            TokenClass::Plain => None,
            TokenClass::Keyword => Some("tok-kw"),
            TokenClass::String => Some("tok-str"),
            TokenClass::Comment => Some("tok-com"),
            TokenClass::Number => Some("tok-num"),
            TokenClass::Function => Some("tok-fn"),
            TokenClass::Macro => Some("tok-mac"),
            TokenClass::Type => Some("tok-ty"),
        }
    }
}

/// Splits `source` at its marks into classed pieces. Marks that do not fit the text (out of
/// range, going backwards, inside a character) end the colouring: the rest is plain, so a
/// stale mark list can never lose text.
pub fn pieces<'a>(source: &'a str, marks: &[(u8, u32)]) -> Vec<(TokenClass, &'a str)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for &(code, end) in marks {
        let end = end as usize;
        if end < start || end > source.len() || !source.is_char_boundary(end) {
            break;
        }
        if end > start {
            out.push((TokenClass::from_code(code), &source[start..end]));
        }
        start = end;
    }
    if start < source.len() {
        out.push((TokenClass::Plain, &source[start..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_source_exactly() {
        let source = "let x = 1;";
        let marks = [(1, 3), (0, 8), (4, 9), (0, 10)];
        let got = pieces(source, &marks);
        assert_eq!(
            got,
            vec![
                (TokenClass::Keyword, "let"),
                (TokenClass::Plain, " x = "),
                (TokenClass::Number, "1"),
                (TokenClass::Plain, ";")
            ]
        );
    }

    #[test]
    fn bad_marks_leave_the_rest_plain() {
        let source = "é = 2";
        // 1 is inside 'é' (two bytes): colouring stops, nothing is lost.
        let got = pieces(source, &[(1, 1), (4, 5)]);
        assert_eq!(got, vec![(TokenClass::Plain, "é = 2")]);
        let got = pieces(source, &[(1, 2), (4, 99)]);
        assert_eq!(got, vec![(TokenClass::Keyword, "é"), (TokenClass::Plain, " = 2")]);
    }
}

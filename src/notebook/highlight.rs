//! Syntax colours for the code a cell shows. `build.rs` classifies each cell's source with
//! syntect at build time and stores, per cell, its marks as one byte each, `class << 5 |
//! length`: the class of the next `length` bytes of the source, 1 to 31 (a longer piece
//! takes several marks). The page turns the marks into
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

/// Splits `source` at its marks (`class << 5 | length` bytes) into classed pieces, merging
/// neighbours of one class. Marks that do not fit the text (past its end, or ending inside
/// a character) end the colouring: the rest is plain, so a stale mark list never loses text.
pub fn pieces<'a>(source: &'a str, marks: &[u8]) -> Vec<(TokenClass, &'a str)> {
    // (class, start, end) byte ranges; text past the last usable mark is plain.
    let mut ranges: Vec<(TokenClass, usize, usize)> = Vec::new();
    let mut push = |class: TokenClass, start: usize, end: usize| match ranges.last_mut() {
        Some(last) if last.0 == class => last.2 = end,
        _ if end > start => ranges.push((class, start, end)),
        _ => {}
    };
    let mut at = 0usize;
    for &mark in marks {
        let to = at + usize::from(mark & 31);
        if to > source.len() || !source.is_char_boundary(to) {
            break;
        }
        push(TokenClass::from_code(mark >> 5), at, to);
        at = to;
    }
    push(TokenClass::Plain, at, source.len());
    ranges.into_iter().map(|(class, start, end)| (class, &source[start..end])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One mark: `class << 5 | length`.
    const fn mark(class: u8, len: u8) -> u8 {
        class << 5 | len
    }

    #[test]
    fn pieces_cover_the_source_exactly() {
        let source = "let x = 1;";
        let marks = [mark(1, 3), mark(0, 5), mark(4, 1), mark(0, 1)];
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
    fn long_pieces_span_several_pairs_and_merge() {
        let comment = format!("// {}", "x".repeat(60));
        let source = format!("{comment}\nfn");
        let marks = [mark(3, 31), mark(3, 31), mark(3, 1), mark(0, 1), mark(1, 2)];
        let got = pieces(&source, &marks);
        assert_eq!(
            got,
            vec![
                (TokenClass::Comment, comment.as_str()),
                (TokenClass::Plain, "\n"),
                (TokenClass::Keyword, "fn")
            ]
        );
    }

    #[test]
    fn bad_marks_leave_the_rest_plain() {
        let source = "é = 2";
        // 1 byte ends inside 'é' (two bytes): colouring stops, nothing is lost.
        let got = pieces(source, &[mark(1, 1), mark(4, 4)]);
        assert_eq!(got, vec![(TokenClass::Plain, "é = 2")]);
        // Past the end: the rest is plain.
        let got = pieces(source, &[mark(1, 2), mark(4, 30)]);
        assert_eq!(got, vec![(TokenClass::Keyword, "é"), (TokenClass::Plain, " = 2")]);
        // An empty mark colours nothing.
        assert_eq!(
            pieces("ab", &[mark(1, 1), mark(7, 0)]),
            vec![(TokenClass::Keyword, "a"), (TokenClass::Plain, "b")]
        );
    }
}

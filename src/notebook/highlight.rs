//! Syntax colours for the code a cell shows. `build.rs` classifies each cell's source with
//! syntect at build time and stores, per cell, its marks as byte pairs `class, length`: the
//! class of the next `length` bytes of the source (a longer piece takes several pairs). The page turns the marks into
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

/// Splits `source` at its marks (`class, length` byte pairs) into classed pieces, merging
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
    for pair in marks.chunks_exact(2) {
        let to = at + usize::from(pair[1]);
        if to > source.len() || !source.is_char_boundary(to) {
            break;
        }
        push(TokenClass::from_code(pair[0]), at, to);
        at = to;
    }
    push(TokenClass::Plain, at, source.len());
    ranges.into_iter().map(|(class, start, end)| (class, &source[start..end])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_source_exactly() {
        let source = "let x = 1;";
        let marks = [1, 3, 0, 5, 4, 1, 0, 1];
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
        let comment = format!("// {}", "x".repeat(600));
        let source = format!("{comment}\nfn");
        let marks = [3, 255, 3, 255, 3, 93, 0, 1, 1, 2];
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
        let got = pieces(source, &[1, 1, 4, 4]);
        assert_eq!(got, vec![(TokenClass::Plain, "é = 2")]);
        let got = pieces(source, &[1, 2, 4, 99]);
        assert_eq!(got, vec![(TokenClass::Keyword, "é"), (TokenClass::Plain, " = 2")]);
        // An odd byte at the end is ignored.
        assert_eq!(pieces("ab", &[1, 1, 7]), vec![(TokenClass::Keyword, "a"), (TokenClass::Plain, "b")]);
    }
}

//! Colours for the JavaScript typed into a script cell: a small tokenizer written for the
//! editor, which recolours the whole cell on every keystroke. It splits the text into
//! classed pieces that cover it exactly (the page draws each as a span of text, never as
//! HTML), and never fails: whatever is unfinished (a string, a comment, a template literal)
//! runs to the end of its line or of the text. It knows keywords, strings, template
//! literals with their `${...}` substitutions nested to any depth, numbers, comments,
//! regular expression literals (told from division by what comes before the `/`), called
//! functions and capitalised names (classes).

use super::highlight::TokenClass;

/// Words coloured as keywords.
const KEYWORDS: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "finally",
    "for",
    "from",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "static",
    "super",
    "switch",
    "this",
    "throw",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
    "yield",
];

/// Words coloured as values, as numbers are.
const LITERALS: &[&str] = &["true", "false", "null", "undefined", "NaN", "Infinity"];

/// Keywords after which a `/` starts a regular expression rather than dividing.
const BEFORE_REGEX: &[&str] = &[
    "return",
    "typeof",
    "case",
    "do",
    "else",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "instanceof",
    "yield",
    "await",
];

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80
}

fn is_word(b: u8) -> bool {
    is_word_start(b) || b.is_ascii_digit()
}

/// Splits `src` into classed pieces that cover it exactly, in order; neighbours of one
/// class are merged.
pub fn pieces(src: &str) -> Vec<(TokenClass, &str)> {
    let b = src.as_bytes();
    let n = b.len();
    let mut out: Vec<(TokenClass, usize, usize)> = Vec::new();
    // For each `${` still open, the braces opened inside it since.
    let mut templates: Vec<u32> = Vec::new();
    // Whether a `/` here would start a regular expression.
    let mut regex_ok = true;
    let mut i = 0;
    while i < n {
        let start = i;
        let c = b[i];
        let next = b.get(i + 1).copied();
        let class = match c {
            b'`' => {
                i = template_rest(b, i + 1, &mut templates);
                regex_ok = false;
                TokenClass::String
            }
            // The `}` that closes a substitution goes back into its template.
            b'}' if templates.last() == Some(&0) => {
                templates.pop();
                i = template_rest(b, i + 1, &mut templates);
                regex_ok = false;
                TokenClass::String
            }
            b'"' | b'\'' => {
                i = string_end(b, i + 1, c);
                regex_ok = false;
                TokenClass::String
            }
            b'/' if next == Some(b'/') => {
                i = b[i..].iter().position(|&x| x == b'\n').map_or(n, |p| i + p);
                TokenClass::Comment
            }
            b'/' if next == Some(b'*') => {
                i += 2;
                while i < n && !(b[i] == b'/' && b[i - 1] == b'*' && i > start + 2) {
                    i += 1;
                }
                i = (i + 1).min(n);
                TokenClass::Comment
            }
            b'/' if regex_ok && regex_end(b, i + 1).is_some() => {
                i = regex_end(b, i + 1).unwrap_or(n);
                regex_ok = false;
                TokenClass::String
            }
            b'0'..=b'9' => {
                i = number_end(b, i);
                regex_ok = false;
                TokenClass::Number
            }
            b'.' if next.is_some_and(|x| x.is_ascii_digit()) => {
                i = number_end(b, i);
                regex_ok = false;
                TokenClass::Number
            }
            _ if is_word_start(c) => {
                i += b[i..].iter().position(|&x| !is_word(x)).unwrap_or(n - i);
                let word = &src[start..i];
                let before = b[..start].iter().rev().find(|c| !c.is_ascii_whitespace());
                let after_dot = before == Some(&b'.');
                let called = b[i..].iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'(');
                regex_ok = !after_dot && BEFORE_REGEX.contains(&word);
                if after_dot {
                    if called {
                        TokenClass::Function
                    } else {
                        TokenClass::Plain
                    }
                } else if KEYWORDS.contains(&word) {
                    TokenClass::Keyword
                } else if LITERALS.contains(&word) {
                    TokenClass::Number
                } else if called {
                    TokenClass::Function
                } else if c.is_ascii_uppercase() {
                    TokenClass::Type
                } else {
                    TokenClass::Plain
                }
            }
            _ => {
                i += 1;
                match c {
                    b'{' => {
                        if let Some(open) = templates.last_mut() {
                            *open += 1;
                        }
                        regex_ok = true;
                    }
                    b'}' => {
                        if let Some(open) = templates.last_mut() {
                            *open -= 1; // not 0: that `}` closed the substitution above
                        }
                        regex_ok = false;
                    }
                    b')' | b']' => regex_ok = false,
                    b' ' | b'\t' | b'\n' | b'\r' => {}
                    _ => regex_ok = true,
                }
                TokenClass::Plain
            }
        };
        match out.last_mut() {
            Some(last) if last.0 == class => last.2 = i,
            _ => out.push((class, start, i)),
        }
    }
    out.into_iter().map(|(class, from, to)| (class, &src[from..to])).collect()
}

/// The end of a quoted string whose body starts at `i`: after its closing quote, or at the
/// end of the line (an unfinished string colours no further).
fn string_end(b: &[u8], mut i: usize, quote: u8) -> usize {
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'\n' => return i,
            _ if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// The end of a template literal's text from `i`: after its closing backquote, or after a
/// `${` (whose code the tokenizer reads next, noting the substitution in `templates`).
fn template_rest(b: &[u8], mut i: usize, templates: &mut Vec<u32>) -> usize {
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 2,
            b'`' => return i + 1,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                templates.push(0);
                return i + 2;
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// The end of a regular expression literal whose body starts at `i` (after its flags), or
/// `None` if the line ends first: then the `/` was an operator.
fn regex_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut in_class = false;
    loop {
        match *b.get(i)? {
            b'\n' => return None,
            b'\\' if b.get(i + 1) != Some(&b'\n') => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'/' if !in_class => {
                i += 1;
                while b.get(i).is_some_and(|c| c.is_ascii_alphabetic()) {
                    i += 1;
                }
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
}

/// The end of a number starting at `i`: digits, letters (hex digits, `0x`, `n`, `e`), `_`,
/// `.`, and a sign right after a decimal exponent's `e`.
fn number_end(b: &[u8], mut i: usize) -> usize {
    let hex = b.get(i) == Some(&b'0') && matches!(b.get(i + 1), Some(b'x' | b'X'));
    while let Some(&c) = b.get(i) {
        let sign = matches!(c, b'+' | b'-') && !hex && matches!(b.get(i.wrapping_sub(1)), Some(b'e' | b'E'));
        if !(c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || sign) {
            break;
        }
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenClass::*;

    fn classes(src: &str) -> Vec<(TokenClass, &str)> {
        pieces(src).into_iter().filter(|(c, _)| *c != Plain).collect()
    }

    #[test]
    fn keywords_literals_numbers_and_names() {
        assert_eq!(
            pieces("let x = 1.5e-3 + 0xFF_n;"),
            vec![
                (Keyword, "let"),
                (Plain, " x = "),
                (Number, "1.5e-3"),
                (Plain, " + "),
                (Number, "0xFF_n"),
                (Plain, ";")
            ]
        );
        assert_eq!(
            classes("if (x === null) return true"),
            vec![(Keyword, "if"), (Number, "null"), (Keyword, "return"), (Number, "true")]
        );
        assert_eq!(
            classes("const f = new Map(); f.get(k); o.if"),
            vec![(Keyword, "const"), (Keyword, "new"), (Function, "Map"), (Function, "get")]
        );
        assert_eq!(
            classes("class MyError extends Error {}"),
            vec![(Keyword, "class"), (Type, "MyError"), (Keyword, "extends"), (Type, "Error")]
        );
        assert_eq!(classes("x = .5; y = 1_000n"), vec![(Number, ".5"), (Number, "1_000n")]);
    }

    #[test]
    fn strings_with_escapes_and_unfinished_ones() {
        assert_eq!(
            classes(r#"a = "say \"hi\"" + 'it\'s'"#),
            vec![(String, r#""say \"hi\"""#), (String, r"'it\'s'")]
        );
        // An unfinished string ends with its line.
        assert_eq!(pieces("'abc\nlet"), vec![(String, "'abc"), (Plain, "\n"), (Keyword, "let")]);
    }

    #[test]
    fn template_literals_nest_code_and_templates() {
        let src = "`a${b + `c${d}e`}f` + g";
        assert_eq!(
            pieces(src),
            vec![
                (String, "`a${"),
                (Plain, "b + "),
                (String, "`c${"),
                (Plain, "d"),
                (String, "}e`}f`"),
                (Plain, " + g"),
            ]
        );
        // Braces inside a substitution do not close it.
        assert_eq!(
            pieces("`${ {a: 1}.a }x`"),
            vec![(String, "`${"), (Plain, " {a: "), (Number, "1"), (Plain, "}.a "), (String, "}x`"),]
        );
        // Templates span lines; an unfinished one runs to the end.
        assert_eq!(pieces("`one\ntwo"), vec![(String, "`one\ntwo")]);
        assert_eq!(pieces("`${x"), vec![(String, "`${"), (Plain, "x")]);
    }

    #[test]
    fn comments() {
        assert_eq!(pieces("a // note\nb"), vec![(Plain, "a "), (Comment, "// note"), (Plain, "\nb")]);
        assert_eq!(
            pieces("/* one\ntwo */ let"),
            vec![(Comment, "/* one\ntwo */"), (Plain, " "), (Keyword, "let")]
        );
        assert_eq!(pieces("/* open"), vec![(Comment, "/* open")]);
    }

    #[test]
    fn regular_expressions_are_told_from_division() {
        assert_eq!(classes("x = /ab+c/gi.test(s)"), vec![(String, "/ab+c/gi"), (Function, "test")]);
        assert_eq!(classes("a / b / c"), vec![]);
        assert_eq!(classes("f(x) / 2 / y"), vec![(Function, "f"), (Number, "2")]);
        assert_eq!(classes("return /[/]x/.source"), vec![(Keyword, "return"), (String, "/[/]x/")]);
        // A lone slash before the end of its line is an operator.
        assert_eq!(classes("= /x\ny"), vec![]);
    }

    #[test]
    fn pieces_cover_any_text_exactly() {
        for src in [
            "",
            "é = 'ü'; // ∑\n`${'`'}`",
            "\\",
            "`",
            "}}}{{{",
            "'\\",
            "0e",
            "0x",
            "/",
            "a/",
            "`${`${`${",
            "1e+",
            "ünïcödé(😀)",
        ] {
            let joined: std::string::String = pieces(src).iter().map(|(_, t)| *t).collect();
            assert_eq!(joined, src);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn any_text_is_covered_exactly(src in "[a-z0-9 `'\"/*${}()\\[\\]\\\\\n.+eé-]{0,60}") {
            let got = pieces(&src);
            let joined: std::string::String = got.iter().map(|(_, t)| *t).collect();
            proptest::prop_assert_eq!(&joined, &src);
            proptest::prop_assert!(got.iter().all(|(_, t)| !t.is_empty()));
        }
    }
}

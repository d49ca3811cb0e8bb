//! Extracts the source text of every cell function in `src/exercises/` so the page shows
//! the code that actually runs, and colours it. A cell function is a line starting
//! `pub async fn NAME(` up to the next line that is exactly `}`. The result is
//! `$OUT_DIR/cell_sources.rs`: the modules `cell_source` and `cell_marks`, with one constant
//! per cell function named after it (its text, and the colour marks that
//! `src/notebook/highlight.rs` reads: class codes below must match its `from_code`); and for
//! each file with markdown cells, `$OUT_DIR/markdown_<file>.rs`, included by that file: a
//! module `md` with a `Markdown` constant per cell (its HTML, rendered here so the page
//! ships no markdown parser), checked at compile time against the file's own text.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};

fn main() {
    let dir = Path::new("src/exercises");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> =
        fs::read_dir(dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    let syntaxes = SyntaxSet::load_defaults_newlines();
    let mut sources = String::new();
    let mut marks = String::new();
    let out_dir = env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(path).unwrap_or_default();
        let cells = markdown_cells(&text);
        if !cells.is_empty() {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let out = Path::new(&out_dir).join(format!("markdown_{stem}.rs"));
            if let Err(e) = fs::write(&out, markdown_module(&cells)) {
                panic!("cannot write {}: {e}", out.display());
            }
        }
        for (name, source) in cell_functions(&text) {
            let _ = writeln!(sources, "    pub const {name}: &str = {source:?};");
            let _ = writeln!(
                marks,
                "    pub const {name}: &[u8] = &{:?};",
                compact(&highlight(&syntaxes, &source))
            );
        }
    }
    let generated = format!(
        "/// The source text of each cell function, under the function's name.\n\
         #[allow(non_upper_case_globals)]\n\
         pub mod cell_source {{\n{sources}}}\n\n\
         /// The colour marks of each cell function's source: one byte each, `class << 5 | length`.\n\
         #[allow(non_upper_case_globals)]\n\
         pub mod cell_marks {{\n{marks}}}\n"
    );
    let out = Path::new(&out_dir).join("cell_sources.rs");
    if let Err(e) = fs::write(&out, generated) {
        panic!("cannot write {}: {e}", out.display());
    }
}

/// `(NAME, text)` of every markdown cell in `text`, a file of `src/exercises/`: the string
/// constants named in `CellSpec::Markdown(md::NAME)`, each written `const NAME: &str = "...";`
/// (a constant shown twice is listed once).
fn markdown_cells(text: &str) -> Vec<(String, String)> {
    const CELL: &str = "CellSpec::Markdown(md::";
    let mut found: Vec<(String, String)> = Vec::new();
    for (at, _) in text.match_indices(CELL) {
        let rest = &text[at + CELL.len()..];
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_').collect();
        if name.is_empty() || !rest[name.len()..].starts_with(')') {
            panic!("build.rs: a markdown cell must name a string constant: {CELL}{rest:.40}");
        }
        if found.iter().any(|(known, _)| *known == name) {
            continue;
        }
        let decl = format!("const {name}: &str = \"");
        let Some(start) = text.find(&decl) else {
            panic!("build.rs: no `{decl}...\";` for the markdown cell {name}");
        };
        match string_literal(&text[start + decl.len()..]) {
            Some(value) => found.push((name, value)),
            None => panic!("build.rs: the string constant {name} does not end"),
        }
    }
    found
}

/// The module `md` of one file's markdown cells: each a `Markdown` of HTML, and a
/// compile-time check that the text rendered is the file's constant (the text itself is
/// only in that check, so the module does not ship it).
fn markdown_module(cells: &[(String, String)]) -> String {
    let mut module = String::from("/// This file's markdown cells as HTML, from build.rs.\nmod md {\n");
    for (name, text) in cells {
        let html = markdown_html(text);
        let _ = writeln!(
            module,
            "    pub const {name}: crate::notebook::Markdown = crate::notebook::Markdown {{ html: {html:?} }};\n    \
             const _: () = assert!(crate::notebook::Markdown::same_text({text:?}, super::{name}));"
        );
    }
    module.push_str("}\n");
    module
}

/// The value of a Rust string literal whose opening quote is just before `body`, up to its
/// closing quote: the escapes a string may hold, and `\` at a line's end skipping the
/// line break and the next line's leading spaces.
fn string_literal(body: &str) -> Option<String> {
    let mut value = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                '0' => value.push('\0'),
                '\\' => value.push('\\'),
                '"' => value.push('"'),
                '\'' => value.push('\''),
                '\n' => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                'x' => {
                    let hex: String = [chars.next()?, chars.next()?].iter().collect();
                    value.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
                }
                'u' => {
                    chars.next(); // {
                    let hex: String = chars.by_ref().take_while(|c| *c != '}').collect();
                    value.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            },
            c => value.push(c),
        }
    }
    None
}

/// The project's own markdown as HTML (CommonMark, as the page showed it when it rendered
/// at run time).
fn markdown_html(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(markdown));
    html
}

/// `(name, source)` of each `pub async fn` in `text`.
fn cell_functions(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if let Some(rest) = lines[i].strip_prefix("pub async fn ") {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let start = i;
            while i < lines.len() && lines[i] != "}" {
                i += 1;
            }
            let end = i.min(lines.len().saturating_sub(1));
            found.push((name, lines[start..=end].join("\n")));
        }
        i += 1;
    }
    found
}

/// Colour marks for Rust `source`: `(class, end)`, the class of the bytes up to `end`,
/// with neighbouring pieces of one class merged. Plain text if syntect has no Rust syntax
/// or fails on a line.
fn highlight(syntaxes: &SyntaxSet, source: &str) -> Vec<(u8, u32)> {
    let Some(rust) = syntaxes.find_syntax_by_extension("rs") else { return Vec::new() };
    let mut state = ParseState::new(rust);
    let mut stack = ScopeStack::new();
    let mut marks: Vec<(u8, u32)> = Vec::new();
    let mut push = |class: u8, end: usize| match marks.last_mut() {
        Some(last) if last.0 == class => last.1 = end as u32,
        _ => marks.push((class, end as u32)),
    };
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let Ok(ops) = state.parse_line(line, syntaxes) else { return Vec::new() };
        let mut at = 0;
        for (pos, op) in ops {
            if pos > at {
                push_piece(&mut push, class_of(&stack), &line[at..pos], offset + at);
                at = pos;
            }
            if stack.apply(&op).is_err() {
                return Vec::new();
            }
        }
        if line.len() > at {
            push_piece(&mut push, class_of(&stack), &line[at..], offset + at);
        }
        offset += line.len();
    }
    marks
}

/// The marks as one byte each, `class << 5 | length` (length 1 to 31), the form
/// `src/notebook/highlight.rs` reads: a longer piece is written as several of its class.
/// Most pieces are short, so this is half the size of `class, length` byte pairs, which
/// the first load carries for every line of every cell (0.9 KB less, gzipped).
fn compact(marks: &[(u8, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut start = 0;
    for &(class, end) in marks {
        let mut len = end.saturating_sub(start);
        while len > 0 {
            let piece = len.min(31);
            out.push(class << 5 | piece as u8);
            len -= piece;
        }
        start = end;
    }
    out
}

/// Keywords newer than syntect's Rust syntax, which leaves them plain.
const LATER_KEYWORDS: [&str; 3] = ["async", "await", "dyn"];

/// Marks `text` (starting at byte `start` of the source) as `class`, picking out the
/// keywords of [`LATER_KEYWORDS`] from plain text.
fn push_piece(push: &mut impl FnMut(u8, usize), class: u8, text: &str, start: usize) {
    if class != 0 {
        push(class, start + text.len());
        return;
    }
    let mut word_start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let in_word = c.is_alphanumeric() || c == '_';
        match (in_word, word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(ws)) => {
                word_start = None;
                if LATER_KEYWORDS.contains(&&text[ws..i]) {
                    push(0, start + ws);
                    push(1, start + i);
                }
            }
            _ => {}
        }
    }
    push(0, start + text.len());
}

/// The class code of the innermost scope that has a colour (see `TokenClass::from_code`).
fn class_of(stack: &ScopeStack) -> u8 {
    for scope in stack.as_slice().iter().rev() {
        let name = scope.build_string();
        let class = if name.starts_with("comment") {
            3
        } else if name.starts_with("string") || name.starts_with("constant.character") {
            2
        } else if name.starts_with("constant.numeric") || name.starts_with("constant.language") {
            4
        } else if name.starts_with("support.macro") || name.starts_with("entity.name.macro") {
            6
        } else if name.starts_with("entity.name.function") || name.starts_with("support.function") {
            5
        } else if name.starts_with("storage.type")
            || name.starts_with("keyword")
            || name.starts_with("storage.modifier")
            || name.starts_with("variable.language")
        {
            if name.starts_with("keyword.operator") {
                continue;
            }
            1
        } else if name.starts_with("entity.name.type")
            || name.starts_with("support.type")
            || name.starts_with("entity.name.struct")
            || name.starts_with("entity.name.enum")
        {
            7
        } else {
            continue;
        };
        return class;
    }
    0
}

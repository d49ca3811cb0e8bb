//! Extracts the source text of every cell function in `src/exercises/` so the page shows
//! the code that actually runs. A cell function is a line starting `pub async fn NAME(`
//! up to the next line that is exactly `}`; the result is `$OUT_DIR/cell_sources.rs`.

use std::fmt::Write as _;
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("src/exercises");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut entries: Vec<_> =
        fs::read_dir(dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    entries.sort();
    let mut arms = String::new();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "rs")) {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = fs::read_to_string(path).unwrap_or_default();
        for (name, source) in cell_functions(&text) {
            let _ = writeln!(arms, "        {name:?} => {source:?},");
        }
    }
    let generated = format!(
        "/// The source text of the cell function `name` (empty if there is none).\n\
         pub fn source_of(name: &str) -> &'static str {{\n    match name {{\n{arms}        _ => \"\",\n    }}\n}}\n"
    );
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("cell_sources.rs");
    if let Err(e) = fs::write(&out, generated) {
        panic!("cannot write {}: {e}", out.display());
    }
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

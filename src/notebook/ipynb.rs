//! The notebook as a Jupyter file (nbformat 4.5): the catalogue's sections become
//! markdown headings, its markdown and code cells become cells with ids, and each code
//! cell carries the outputs and `In [n]` the page shows now, translated one to one from
//! [`Outputs`]. The page's script cells come in their places, as code cells whose
//! metadata says `"language": "javascript"`.
//!
//! [`read`] takes such a file back (the page's Open .ipynb): its script cells with their
//! code and place, and the inputs its Rust cells carry. It reads any nbformat 4 file, with
//! a clear message for what is not one.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::catalog::{Catalog, CellSpec, CodeCell, CourseScript};
use super::js_cells::END;
use super::output::{Output, Outputs};
use super::protocol::StreamName;

/// What the page shows of one code cell: its count, the inputs it ran with, its outputs.
#[derive(Debug, Clone, Copy)]
pub struct CellRecord<'a> {
    /// The `n` of `In [n]`, if the cell has run.
    pub execution_count: Option<u32>,
    /// The values in its form.
    pub inputs: &'a BTreeMap<String, String>,
    /// Its outputs.
    pub outputs: &'a Outputs,
    /// A course script cell's code as its editor holds it now.
    pub code: Option<&'a str>,
}

/// What each cell shows, by cell id.
pub type Records<'a> = litemap::LiteMap<&'a str, CellRecord<'a>>;

/// One script cell of the page: where it sits, its code, and what it shows.
#[derive(Debug, Clone, Copy)]
pub struct ScriptRecord<'a> {
    /// Its id (`js-N`).
    pub id: &'a str,
    /// The catalogue cell it follows, or `js_cells::END`.
    pub after: &'a str,
    /// Its JavaScript.
    pub code: &'a str,
    /// The `n` of `In [n]`, if it has run.
    pub execution_count: Option<u32>,
    /// Its outputs.
    pub outputs: &'a Outputs,
}

/// The file name a download of the notebook gets.
pub const FILE_NAME: &str = "notebook.ipynb";

/// Text as nbformat stores it on disk: a list of lines, each but the last ending in `\n`.
pub fn lines(text: &str) -> Vec<String> {
    text.split_inclusive('\n').map(str::to_string).collect()
}

/// A cell id nbformat accepts (`[a-zA-Z0-9-_]`, 1 to 64 characters), unique in `taken`.
fn cell_id(wanted: &str, taken: &mut BTreeSet<String>) -> String {
    let mut base: String = wanted
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .take(56)
        .collect();
    if base.is_empty() {
        base.push_str("cell");
    }
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn markdown(id: String, text: &str) -> Value {
    json!({ "cell_type": "markdown", "id": id, "metadata": {}, "source": lines(text) })
}

/// A MIME type whose value nbformat keeps as JSON rather than text.
fn is_json_mime(mime: &str) -> bool {
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// One output as an nbformat output.
pub fn output_json(output: &Output) -> Value {
    match output {
        Output::Stream { name, text } => json!({
            "output_type": "stream",
            "name": match name { StreamName::Stdout => "stdout", StreamName::Stderr => "stderr" },
            "text": lines(text),
        }),
        Output::DisplayData(bundle) => {
            // Maps here are filled by `extend` (one insert each), not `collect`: collecting sorts
            // first, and each sort is one more copy of the sorting code in the page's module.
            let mut data = Map::new();
            data.extend(bundle.iter().map(|(mime, value)| {
                let parsed = is_json_mime(mime).then(|| crate::json::read(value).ok()).flatten();
                (mime.clone(), parsed.unwrap_or_else(|| json!(lines(value))))
            }));
            json!({ "output_type": "display_data", "data": data, "metadata": {} })
        }
        Output::Error(error) => json!({
            "output_type": "error",
            "ename": error.ename,
            "evalue": error.evalue,
            "traceback": error.traceback,
        }),
    }
}

fn code(id: String, cell: &CodeCell, record: Option<&CellRecord<'_>>) -> Value {
    let mut inputs = Map::new();
    match record {
        Some(r) => inputs.extend(r.inputs.iter().map(|(k, v)| (k.clone(), json!(v)))),
        None => inputs.extend(cell.inputs.iter().map(|i| (i.name.to_string(), json!(i.default)))),
    }
    let metadata = json!({ "rust_notebook": { "cell": cell.id, "title": cell.title, "inputs": inputs } });
    let count = record.and_then(|r| r.execution_count);
    code_cell(id, metadata, cell.source, count, record.map(|r| r.outputs))
}

/// A course script cell: marked as the course's, with the code its editor holds.
fn course(id: String, s: &CourseScript, record: Option<&CellRecord<'_>>) -> Value {
    let metadata =
        json!({ "language": "javascript", "rust_notebook": { "course_script": s.id, "title": s.title } });
    let source = record.and_then(|r| r.code).unwrap_or(s.code);
    code_cell(id, metadata, source, record.and_then(|r| r.execution_count), record.map(|r| r.outputs))
}

fn script(s: &ScriptRecord<'_>, taken: &mut BTreeSet<String>) -> Value {
    let metadata = json!({ "language": "javascript", "rust_notebook": { "script": s.id, "after": s.after } });
    code_cell(cell_id(s.id, taken), metadata, s.code, s.execution_count, Some(s.outputs))
}

/// A code cell of the file, catalogue or script cell alike.
fn code_cell(
    id: String,
    metadata: Value,
    source: &str,
    count: Option<u32>,
    outputs: Option<&Outputs>,
) -> Value {
    let outputs: Vec<Value> = outputs.map_or(&[][..], Outputs::items).iter().map(output_json).collect();
    json!({
        "cell_type": "code",
        "id": id,
        "metadata": metadata,
        "source": lines(source),
        "execution_count": count,
        "outputs": outputs,
    })
}

/// The notebook as nbformat 4.5 JSON; `records` holds what each code cell shows, by id
/// (a cell without one is exported unrun, with its default inputs); `scripts` are the
/// page's script cells in page order, each placed after the cell it follows (after the last
/// section if that is `END` or a cell the catalogue does not have).
pub fn notebook(catalog: &Catalog, records: &Records<'_>, scripts: &[ScriptRecord<'_>]) -> Value {
    let mut taken = BTreeSet::new();
    let mut cells = vec![markdown(cell_id("title", &mut taken), &format!("# {}", catalog.title))];
    for section in &catalog.sections {
        let heading = cell_id(&format!("section-{}", section.id), &mut taken);
        cells.push(markdown(heading, &format!("## {}", section.title)));
        for (n, spec) in section.cells.iter().enumerate() {
            cells.push(match spec {
                CellSpec::Markdown(text) => {
                    markdown(cell_id(&format!("{}-md-{}", section.id, n + 1), &mut taken), &text.text())
                }
                CellSpec::Code(cell) => code(cell_id(cell.id, &mut taken), cell, records.get(cell.id)),
                CellSpec::Script(s) => course(cell_id(s.id, &mut taken), s, records.get(s.id)),
            });
            let anchor = match spec {
                CellSpec::Code(cell) => cell.id,
                CellSpec::Script(s) => s.id,
                CellSpec::Markdown(_) => continue,
            };
            for s in scripts.iter().filter(|s| s.after == anchor) {
                cells.push(script(s, &mut taken));
            }
        }
    }
    for s in scripts.iter().filter(|s| !catalog.anchors().any(|a| a == s.after)) {
        cells.push(script(s, &mut taken));
    }
    json!({
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "title": catalog.title,
            "kernelspec": { "name": "rust", "display_name": "Rust", "language": "rust" },
            "language_info": {
                "name": "rust",
                "file_extension": ".rs",
                "mimetype": "text/rust",
                "codemirror_mode": "rust",
                "pygments_lexer": "rust",
            },
        },
        "cells": cells,
    })
}

/// [`notebook`] as text, indented by one space as Jupyter writes it, ending in a newline.
pub fn notebook_text(catalog: &Catalog, records: &Records<'_>, scripts: &[ScriptRecord<'_>]) -> String {
    let mut out = crate::json::Writer::new();
    out.pretty(&notebook(catalog, records, scripts), " ", 0);
    out.raw("\n");
    out.into_string()
}

/// What an opened `.ipynb` file brings back.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Opened {
    /// Its script cells in file order: id (as the file gives it), the cell it follows
    /// (`END` if nothing says), code.
    pub scripts: Vec<(String, String, String)>,
    /// The inputs its Rust cells carry: cell id, then `(name, value)` pairs.
    pub inputs: Vec<(String, Vec<(String, String)>)>,
    /// The code its course script cells hold: cell id, code.
    pub courses: Vec<(String, String)>,
}

/// The most script cells a file may bring (each becomes an editor on the page).
pub const MAX_SCRIPTS: usize = 500;

/// Reads an `.ipynb` file's text: its script cells (code cells whose metadata says
/// `"language": "javascript"`, or every code cell of a notebook whose language is
/// JavaScript), the inputs of the cells this notebook exported and the code of its course
/// script cells. A script cell that does not say where it goes follows the last Rust (or
/// course script) cell before it. Other cells are skipped.
/// The error says, in a few words, why the text is not a notebook this page can open.
pub fn read(text: &str) -> Result<Opened, String> {
    let mut reader = crate::json::Reader::new(text);
    let nb: Value = reader
        .value()
        .and_then(|nb| reader.finish().map(|()| nb))
        .map_err(|e| format!("it is not JSON ({e})"))?;
    let cells = nb.get("cells").and_then(Value::as_array);
    let Some(cells) = cells.filter(|_| nb.get("nbformat").is_some()) else {
        return Err("it is not a Jupyter notebook (it has no nbformat and list of cells)".into());
    };
    match nb.get("nbformat").and_then(Value::as_u64) {
        Some(4) => {}
        _ => {
            return Err(format!(
                "it is an nbformat {} notebook; only nbformat 4 can be opened",
                nb["nbformat"]
            ))
        }
    }
    let language =
        nb.pointer("/metadata/language_info/name").or_else(|| nb.pointer("/metadata/kernelspec/language"));
    let all_javascript = language.and_then(Value::as_str) == Some("javascript");
    let mut opened = Opened::default();
    let mut last_rust: Option<&str> = None;
    for (n, cell) in cells.iter().enumerate() {
        if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
            continue;
        }
        let ours = cell.pointer("/metadata/rust_notebook");
        let text = |key: &str| ours.and_then(|m| m.get(key)).and_then(Value::as_str);
        if let Some(id) = text("cell") {
            let inputs = ours.and_then(|m| m.get("inputs")).and_then(Value::as_object);
            let pairs =
                inputs.into_iter().flatten().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())));
            opened.inputs.push((id.to_string(), pairs.collect()));
            last_rust = Some(id);
            continue;
        }
        let code = || {
            source_text(cell.get("source"))
                .ok_or_else(|| format!("its cell {} has a source that is not text", n + 1))
        };
        if let Some(id) = text("course_script") {
            let code = code()?;
            if opened.courses.len() < MAX_SCRIPTS {
                opened.courses.push((id.to_string(), code));
            }
            last_rust = Some(id);
            continue;
        }
        let language = cell.pointer("/metadata/language").and_then(Value::as_str);
        if !(language == Some("javascript") || (language.is_none() && all_javascript)) {
            continue;
        }
        let code = code()?;
        if opened.scripts.len() == MAX_SCRIPTS {
            return Err(format!("it has more than {MAX_SCRIPTS} script cells"));
        }
        let id = text("script").or_else(|| cell.get("id").and_then(Value::as_str)).unwrap_or_default();
        let after = text("after").or(last_rust).unwrap_or(END);
        opened.scripts.push((id.to_string(), after.to_string(), code));
    }
    Ok(opened)
}

/// A cell's source, which nbformat keeps as one string or a list of lines.
fn source_text(source: Option<&Value>) -> Option<String> {
    match source? {
        Value::String(text) => Some(text.clone()),
        Value::Array(lines) => {
            let mut text = String::new();
            for line in lines {
                text.push_str(line.as_str()?);
            }
            Some(text)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_lines_that_keep_their_newlines() {
        assert_eq!(lines("a\nb\n"), vec!["a\n", "b\n"]);
        assert_eq!(lines("a\n\nb"), vec!["a\n", "\n", "b"]);
        assert!(lines("").is_empty());
    }

    #[test]
    fn ids_are_made_valid_and_unique() {
        let mut taken = BTreeSet::new();
        assert_eq!(cell_id("A1", &mut taken), "A1");
        assert_eq!(cell_id("A1", &mut taken), "A1-2");
        assert_eq!(cell_id("a b.c", &mut taken), "a-b-c");
        assert_eq!(cell_id("", &mut taken), "cell");
        assert!(cell_id(&"x".repeat(100), &mut taken).len() <= 64);
    }

    #[test]
    fn json_bundles_stay_json_and_others_become_lines() {
        let bundle = BTreeMap::from([
            ("text/plain".to_string(), "a\nb".to_string()),
            ("application/vnd.x+json".to_string(), "{\"k\": [1]}".to_string()),
            ("application/json".to_string(), "not json".to_string()),
        ]);
        let out = output_json(&Output::DisplayData(bundle));
        assert_eq!(out["data"]["text/plain"], json!(["a\n", "b"]));
        assert_eq!(out["data"]["application/vnd.x+json"], json!({ "k": [1] }));
        assert_eq!(out["data"]["application/json"], json!(["not json"]), "unparsable JSON is kept as text");
        assert_eq!(out["metadata"], json!({}));
    }

    #[test]
    fn reading_takes_script_cells_and_inputs_and_skips_the_rest() {
        let text = json!({
            "nbformat": 4, "nbformat_minor": 5, "metadata": {},
            "cells": [
                { "cell_type": "markdown", "source": "# hi", "metadata": {} },
                { "cell_type": "code", "id": "x", "source": ["let a = 1;\n", "a"],
                  "metadata": { "language": "javascript" }, "outputs": [] },
                { "cell_type": "code", "source": "", "outputs": [],
                  "metadata": { "rust_notebook": { "cell": "A3", "inputs": { "file": "f.txt", "n": 3 } } } },
                { "cell_type": "code", "id": "js-4", "source": "print(1)", "outputs": [],
                  "metadata": { "language": "javascript" } },
                { "cell_type": "code", "source": "ignored", "metadata": { "language": "python" } },
                { "cell_type": "code", "source": "x", "outputs": [],
                  "metadata": { "language": "javascript", "rust_notebook": { "script": "js-9", "after": "B2" } } },
            ],
        })
        .to_string();
        let opened = read(&text).unwrap();
        let s = |id: &str, after: &str, code: &str| (id.to_string(), after.to_string(), code.to_string());
        assert_eq!(
            opened.scripts,
            vec![s("x", END, "let a = 1;\na"), s("js-4", "A3", "print(1)"), s("js-9", "B2", "x")]
        );
        assert_eq!(opened.inputs, vec![("A3".to_string(), vec![("file".to_string(), "f.txt".to_string())])]);
    }

    #[test]
    fn a_javascript_notebook_brings_every_code_cell() {
        let text = r#"{"nbformat": 4, "nbformat_minor": 2, "metadata": {"kernelspec": {"language": "javascript"}},
            "cells": [{"cell_type": "code", "source": ["1 + 1"], "metadata": {}}]}"#;
        assert_eq!(read(text).unwrap().scripts, vec![(String::new(), END.to_string(), "1 + 1".to_string())]);
    }

    #[test]
    fn bad_files_get_a_reason() {
        let reason = |text: &str| read(text).unwrap_err();
        assert!(reason("").starts_with("it is not JSON"), "{}", reason(""));
        assert!(reason("\u{feff}{").starts_with("it is not JSON"));
        assert!(reason("[1, 2]").contains("not a Jupyter notebook"));
        assert!(reason(r#"{"cells": []}"#).contains("not a Jupyter notebook"));
        assert!(
            reason(r#"{"nbformat": 3, "cells": []}"#).contains("nbformat 3"),
            "{}",
            reason(r#"{"nbformat": 3, "cells": []}"#)
        );
        assert!(reason(r#"{"nbformat": "4", "cells": []}"#).contains("only nbformat 4"));
        let bad_source = r#"{"nbformat": 4, "cells": [{"cell_type": "code", "source": 7, "metadata": {"language": "javascript"}}]}"#;
        assert_eq!(reason(bad_source), "its cell 1 has a source that is not text");
        let many = json!({ "nbformat": 4, "cells": vec![json!({ "cell_type": "code", "source": "", "metadata": { "language": "javascript" } }); MAX_SCRIPTS + 1] });
        assert!(reason(&many.to_string()).contains("more than 500 script cells"));
        assert_eq!(read(r#"{"nbformat": 4, "cells": [7, {"cell_type": null}]}"#), Ok(Opened::default()));
    }
}

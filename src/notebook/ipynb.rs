//! The notebook as a Jupyter file (nbformat 4.5): the catalogue's sections become
//! markdown headings, its markdown and code cells become cells with ids, and each code
//! cell carries the outputs and `In [n]` the page shows now, translated one to one from
//! [`Outputs`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::catalog::{Catalog, CellSpec, CodeCell};
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
}

/// What each cell shows, by cell id.
pub type Records<'a> = litemap::LiteMap<&'a str, CellRecord<'a>>;

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
    let outputs: Vec<Value> = record.map_or(&[][..], |r| r.outputs.items()).iter().map(output_json).collect();
    json!({
        "cell_type": "code",
        "id": id,
        "metadata": { "rust_notebook": { "cell": cell.id, "title": cell.title, "inputs": inputs } },
        "source": lines(cell.source),
        "execution_count": record.and_then(|r| r.execution_count),
        "outputs": outputs,
    })
}

/// The notebook as nbformat 4.5 JSON; `records` holds what each code cell shows, by id
/// (a cell without one is exported unrun, with its default inputs).
pub fn notebook(catalog: &Catalog, records: &Records<'_>) -> Value {
    let mut taken = BTreeSet::new();
    let mut cells = vec![markdown(cell_id("title", &mut taken), &format!("# {}", catalog.title))];
    for section in &catalog.sections {
        let heading = cell_id(&format!("section-{}", section.id), &mut taken);
        cells.push(markdown(heading, &format!("## {}", section.title)));
        for (n, spec) in section.cells.iter().enumerate() {
            cells.push(match spec {
                CellSpec::Markdown(text) => {
                    markdown(cell_id(&format!("{}-md-{}", section.id, n + 1), &mut taken), text.text)
                }
                CellSpec::Code(cell) => code(cell_id(cell.id, &mut taken), cell, records.get(cell.id)),
            });
        }
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
pub fn notebook_text(catalog: &Catalog, records: &Records<'_>) -> String {
    let mut out = crate::json::Writer::new();
    out.pretty(&notebook(catalog, records), " ", 0);
    out.raw("\n");
    out.into_string()
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
}

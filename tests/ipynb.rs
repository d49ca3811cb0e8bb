//! The `.ipynb` export natively: cells run through the kernel, their outputs exported as
//! nbformat 4.5, the structure and content checked, and the file validated by Python's
//! `nbformat` when it is installed.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use std::collections::BTreeMap;
use std::process::Command;

use kernel_session::{outputs, Session};
use notebook::exercises::catalog;
use notebook::notebook::ipynb::{self, CellRecord};
use notebook::notebook::protocol::ToPage;
use notebook::notebook::{CellSpec, Outputs};
use serde_json::{json, Value};

/// A1 (a stream), A5 (a stream and tables) and A4 with a bad input (an error), run in one
/// kernel; each cell's count, inputs and outputs as the page would hold them.
type Ran = BTreeMap<&'static str, (Option<u32>, BTreeMap<String, String>, Outputs)>;

fn ran() -> Ran {
    let session = Session::new(catalog());
    let mut ran = BTreeMap::new();
    for (id, inputs) in [
        ("A1", vec![("file", "sample.txt")]),
        ("A5", vec![("file", "left_open.txt")]),
        ("A4", vec![("file", "x.dat"), ("count", "ten")]),
    ] {
        let messages = session.execute(id, &inputs);
        let count = messages.iter().find_map(|m| match &m.body {
            ToPage::ExecuteInput(input) => Some(input.execution_count),
            _ => None,
        });
        let inputs = inputs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ran.insert(id, (count, inputs, outputs(&messages)));
    }
    ran
}

fn records(ran: &Ran) -> ipynb::Records<'_> {
    ran.iter()
        .map(|(id, (count, inputs, outputs))| (*id, CellRecord { execution_count: *count, inputs, outputs }))
        .collect()
}

fn export() -> Value {
    let ran = ran();
    let records = records(&ran);
    ipynb::notebook(&catalog(), &records)
}

fn code_cell<'a>(nb: &'a Value, id: &str) -> &'a Value {
    nb["cells"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no cell {id}"))
}

fn joined(lines: &Value) -> String {
    lines.as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect()
}

#[test]
fn the_export_has_nbformat_4_5_shape_and_every_cell_of_the_page() {
    let nb = export();
    assert_eq!(nb["nbformat"], 4);
    assert_eq!(nb["nbformat_minor"], 5);
    assert_eq!(nb["metadata"]["kernelspec"]["language"], "rust");
    assert_eq!(nb["metadata"]["language_info"]["name"], "rust");
    assert_eq!(nb["metadata"]["language_info"]["file_extension"], ".rs");

    let cat = catalog();
    let cells = nb["cells"].as_array().unwrap();
    let page_cells: usize = cat.sections.iter().map(|s| s.cells.len()).sum();
    assert_eq!(cells.len(), 1 + cat.sections.len() + page_cells, "title, a heading per section, every cell");
    assert_eq!(joined(&cells[0]["source"]), format!("# {}", cat.title));
    let ids: std::collections::HashSet<_> = cells.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), cells.len(), "cell ids are unique");

    // The cells follow the page: each section's heading, then its cells in order.
    let mut i = 1;
    for section in &cat.sections {
        assert_eq!(cells[i]["cell_type"], "markdown");
        assert_eq!(joined(&cells[i]["source"]), format!("## {}", section.title));
        i += 1;
        for spec in &section.cells {
            match spec {
                CellSpec::Markdown(text) => {
                    assert_eq!(cells[i]["cell_type"], "markdown");
                    assert_eq!(joined(&cells[i]["source"]), text.text);
                }
                CellSpec::Code(code) => {
                    assert_eq!(cells[i]["cell_type"], "code");
                    assert_eq!(cells[i]["id"], code.id);
                    assert_eq!(joined(&cells[i]["source"]), code.source);
                }
            }
            i += 1;
        }
    }
}

#[test]
fn outputs_and_counts_are_those_the_cells_produced() {
    let nb = export();
    let a1 = code_cell(&nb, "A1");
    assert_eq!(a1["execution_count"], 1);
    assert_eq!(a1["metadata"]["rust_notebook"]["inputs"], json!({ "file": "sample.txt" }));
    let source = a1["source"].as_array().unwrap();
    assert!(source[0].as_str().unwrap().starts_with("pub async fn a1_read_file(cx: CellContext)"));
    assert!(
        source.iter().rev().skip(1).all(|l| l.as_str().unwrap().ends_with('\n')),
        "lines keep their newline"
    );
    let a1_out = a1["outputs"].as_array().unwrap();
    assert_eq!(a1_out.len(), 1);
    assert_eq!(a1_out[0]["output_type"], "stream");
    assert_eq!(a1_out[0]["name"], "stdout");
    assert!(joined(&a1_out[0]["text"]).starts_with("File content:\nEvery file starts as bytes on a disk.\n"));

    let a5 = code_cell(&nb, "A5");
    assert_eq!(a5["execution_count"], 2);
    let tables: Vec<_> =
        a5["outputs"].as_array().unwrap().iter().filter(|o| o["output_type"] == "display_data").collect();
    assert!(!tables.is_empty(), "A5 shows the open-file table");
    let table = &tables[0]["data"][notebook::notebook::display::TABLE_MIME];
    assert_eq!(table["headers"], json!(["fd", "path", "mode", "opened by"]), "table data stays JSON");
    assert!(joined(&tables[0]["data"]["text/plain"]).starts_with("fd"));

    let a4 = code_cell(&nb, "A4");
    assert_eq!(a4["execution_count"], 3);
    let error = a4["outputs"].as_array().unwrap().last().unwrap();
    assert_eq!(error["output_type"], "error");
    assert_eq!(error["ename"], "ValueError");
    assert!(error["evalue"].as_str().unwrap().contains("'count'"), "{error}");
    assert_eq!(
        error["traceback"].as_array().unwrap().last().unwrap().as_str().unwrap(),
        format!("ValueError: {}", error["evalue"].as_str().unwrap())
    );

    let a2 = code_cell(&nb, "A2");
    assert_eq!(a2["execution_count"], Value::Null, "a cell not run has no count");
    assert_eq!(a2["outputs"], json!([]));
    assert!(
        a2["metadata"]["rust_notebook"]["inputs"].as_object().is_some_and(|i| !i.is_empty()),
        "defaults kept"
    );
}

#[test]
fn the_text_form_parses_back_to_the_same_notebook() {
    let ran = ran();
    let records = records(&ran);
    let text = ipynb::notebook_text(&catalog(), &records);
    assert!(text.starts_with("{\n \""), "indented by one space, as Jupyter writes");
    assert!(text.ends_with("}\n"));
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, ipynb::notebook(&catalog(), &records));
}

#[test]
fn nbformat_validates_the_export_when_it_is_installed() {
    let has_nbformat =
        Command::new("python3").args(["-c", "import nbformat"]).output().is_ok_and(|o| o.status.success());
    if !has_nbformat {
        println!(
            "note: python3 with nbformat is not installed here; the export was not validated by nbformat"
        );
        return;
    }
    let ran = ran();
    let records = records(&ran);
    let path = std::env::temp_dir().join(format!("notebook-export-{}.ipynb", std::process::id()));
    std::fs::write(&path, ipynb::notebook_text(&catalog(), &records)).unwrap();
    let check = "import sys, nbformat\n\
                 nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\n\
                 assert (nb.nbformat, nb.nbformat_minor) == (4, 5), (nb.nbformat, nb.nbformat_minor)\n\
                 nbformat.validate(nb)\n\
                 print(len(nb.cells), 'cells valid')\n";
    let out = Command::new("python3").args(["-c", check]).arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "nbformat rejected the export:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{}", String::from_utf8_lossy(&out.stdout).trim());
}

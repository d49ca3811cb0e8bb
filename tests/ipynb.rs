//! The `.ipynb` export natively: cells run through the kernel, their outputs exported as
//! nbformat 4.5, the structure and content checked, and the file validated by Python's
//! `nbformat` when it is installed; script cells exported in their places and read back
//! (the page's Open .ipynb) with their code, places and the Rust cells' inputs.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use std::collections::BTreeMap;
use std::process::Command;

use kernel_session::{outputs, Session};
use notebook::exercises::catalog;
use notebook::notebook::ipynb::{self, CellRecord, ScriptRecord};
use notebook::notebook::js_cells::{JsCells, END};
use notebook::notebook::protocol::{ErrorContent, Stream, StreamName, ToPage};
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
        .map(|(id, (count, inputs, outputs))| {
            (*id, CellRecord { execution_count: *count, inputs, outputs, code: None })
        })
        .collect()
}

fn export() -> Value {
    let ran = ran();
    let records = records(&ran);
    ipynb::notebook(&catalog(), &records, &[])
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
        for spec in section.cells.iter() {
            match spec {
                CellSpec::Markdown(text) => {
                    assert_eq!(cells[i]["cell_type"], "markdown");
                    assert_eq!(joined(&cells[i]["source"]), text.text());
                }
                CellSpec::Code(code) => {
                    assert_eq!(cells[i]["cell_type"], "code");
                    assert_eq!(cells[i]["id"], code.id);
                    assert_eq!(joined(&cells[i]["source"]), code.source);
                }
                CellSpec::Script(script) => {
                    assert_eq!(cells[i]["cell_type"], "code");
                    assert_eq!(cells[i]["id"], script.id);
                    assert_eq!(cells[i]["metadata"]["language"], "javascript");
                    assert_eq!(cells[i]["metadata"]["rust_notebook"]["course_script"], script.id);
                    assert_eq!(joined(&cells[i]["source"]), script.code, "unedited: the course's code");
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
    let text = ipynb::notebook_text(&catalog(), &records, &[]);
    assert!(text.starts_with("{\n \""), "indented by one space, as Jupyter writes");
    assert!(text.ends_with("}\n"));
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed, ipynb::notebook(&catalog(), &records, &[]));
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
    let outputs = script_outputs();
    let path = std::env::temp_dir().join(format!("notebook-export-{}.ipynb", std::process::id()));
    std::fs::write(&path, ipynb::notebook_text(&catalog(), &records, &scripts(&outputs))).unwrap();
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

/// What a script cell that printed and then failed shows.
fn script_outputs() -> Outputs {
    let mut outputs = Outputs::default();
    outputs.push(&ToPage::Stream(Stream { name: StreamName::Stdout, text: "1\n".into() }));
    outputs.push(&ToPage::Error(ErrorContent {
        ename: "TypeError".into(),
        evalue: "x is not a function".into(),
        traceback: vec!["TypeError: x is not a function".into(), "    at line 2".into()],
        line: Some(2),
    }));
    outputs
}

/// Three script cells: two after A1 (one run, one empty) and one at the end.
fn scripts(outputs: &Outputs) -> [ScriptRecord<'_>; 3] {
    static EMPTY: std::sync::OnceLock<Outputs> = std::sync::OnceLock::new();
    let empty = EMPTY.get_or_init(Outputs::default);
    [
        ScriptRecord {
            id: "js-2",
            after: "A1",
            code: "let x = 1;\nprint(x)\nx()\n",
            execution_count: Some(9),
            outputs,
        },
        ScriptRecord { id: "js-1", after: "A1", code: "", execution_count: None, outputs: empty },
        ScriptRecord { id: "js-3", after: END, code: "`t ${x}`", execution_count: None, outputs: empty },
    ]
}

#[test]
fn script_cells_are_exported_in_their_places_and_read_back() {
    let ran = ran();
    let records = records(&ran);
    let outputs = script_outputs();
    let scripts = scripts(&outputs);
    let text = ipynb::notebook_text(&catalog(), &records, &scripts);
    let nb: Value = serde_json::from_str(&text).unwrap();
    let cells = nb["cells"].as_array().unwrap();
    let ids: Vec<&str> = cells.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let a1 = ids.iter().position(|id| *id == "A1").unwrap();
    assert_eq!(ids[a1 + 1..a1 + 3], ["js-2", "js-1"], "right after A1, in page order");
    assert_eq!(ids.last(), Some(&"js-3"), "the end's cells come after the last section");
    let js2 = code_cell(&nb, "js-2");
    assert_eq!(js2["cell_type"], "code");
    assert_eq!(js2["metadata"]["language"], "javascript");
    assert_eq!(js2["metadata"]["rust_notebook"], json!({ "script": "js-2", "after": "A1" }));
    assert_eq!(js2["source"], json!(["let x = 1;\n", "print(x)\n", "x()\n"]));
    assert_eq!(js2["execution_count"], 9);
    assert_eq!(js2["outputs"][0]["text"], json!(["1\n"]));
    assert_eq!(js2["outputs"][1]["output_type"], "error");
    assert_eq!(js2["outputs"][1]["ename"], "TypeError");
    assert_eq!(code_cell(&nb, "js-1")["source"], json!([]));
    assert_eq!(
        cells.len(),
        1 + catalog().sections.len() + catalog().sections.iter().map(|s| s.cells.len()).sum::<usize>() + 3
    );

    let opened = ipynb::read(&text).unwrap();
    let back: Vec<(&str, &str, &str)> =
        opened.scripts.iter().map(|(id, after, code)| (id.as_str(), after.as_str(), code.as_str())).collect();
    let sent: Vec<(&str, &str, &str)> = scripts.iter().map(|s| (s.id, s.after, s.code)).collect();
    assert_eq!(back, sent);
    let inputs_of =
        |id: &str| opened.inputs.iter().find(|(cell, _)| cell == id).map(|(_, pairs)| pairs.clone());
    let pair = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(
        inputs_of("A4"),
        Some(vec![pair("count", "ten"), pair("file", "x.dat")]),
        "the inputs A4 ran with"
    );
    assert_eq!(opened.inputs.len(), catalog().code_cells().count(), "every Rust cell carries its inputs");

    // The page puts them back in the same places, with the same ids.
    let mut placed = JsCells::new(catalog().anchors());
    assert_eq!(placed.replace(&opened.scripts), ["js-2", "js-1", "js-3"]);
    let order = placed.page_order();
    let a1 = order.iter().position(|id| *id == "A1").unwrap();
    assert_eq!(order[a1 + 1..a1 + 3], ["js-2", "js-1"]);
    assert_eq!(order.last(), Some(&"js-3"));
    // And exported again, the file is the same.
    assert_eq!(ipynb::notebook_text(&catalog(), &records, &scripts), text);
}

#[test]
fn an_edited_course_script_is_exported_with_its_code_and_read_back_with_the_cells_after_it() {
    let (inputs, outputs) = (BTreeMap::new(), script_outputs());
    let mut records = ipynb::Records::new();
    let edited = "print('my own version')\n";
    records.insert(
        "A13-js",
        CellRecord { execution_count: Some(4), inputs: &inputs, outputs: &outputs, code: Some(edited) },
    );
    let empty = Outputs::default();
    let mine =
        [ScriptRecord { id: "js-1", after: "A13-js", code: "1 + 1", execution_count: None, outputs: &empty }];
    let text = ipynb::notebook_text(&catalog(), &records, &mine);
    let nb: Value = serde_json::from_str(&text).unwrap();
    let course = code_cell(&nb, "A13-js");
    assert_eq!(joined(&course["source"]), edited);
    assert_eq!(course["execution_count"], 4);
    assert_eq!(course["outputs"][0]["text"], json!(["1\n"]));
    let ids: Vec<&str> = nb["cells"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    let at = ids.iter().position(|id| *id == "A13-js").unwrap();
    assert_eq!(
        ids[at - 1..at + 2],
        ["A13", "A13-js", "js-1"],
        "after the Rust cell it redoes, then the person's"
    );

    let opened = ipynb::read(&text).unwrap();
    assert_eq!(opened.scripts, [("js-1".to_string(), "A13-js".to_string(), "1 + 1".to_string())]);
    assert_eq!(opened.courses.len(), catalog().course_scripts().count(), "every course cell comes back");
    assert!(opened.courses.contains(&("A13-js".to_string(), edited.to_string())));
    let mut placed = JsCells::new(catalog().anchors());
    placed.replace(&opened.scripts);
    let order = placed.page_order();
    let at = order.iter().position(|id| *id == "A13-js").unwrap();
    assert_eq!(order[at + 1], "js-1");
}

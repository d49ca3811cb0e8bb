//! The notebook's content: ids, sources shown, inputs.

use std::collections::HashSet;

use notebook::exercises::catalog;

#[test]
fn every_code_cell_shows_its_own_source() {
    for cell in catalog().code_cells() {
        assert!(cell.source.starts_with("pub async fn "), "{}: {:?}", cell.id, cell.source);
        assert!(cell.source.ends_with('}'), "{}", cell.id);
        assert!(cell.source.contains("cx: CellContext"), "{}", cell.id);
    }
}

#[test]
fn the_shown_source_is_the_file_text() {
    let files = include_str!("../src/exercises/files.rs");
    let a1 = catalog().find("A1").unwrap().source;
    assert!(files.contains(a1), "A1's source is a verbatim slice of files.rs");
    assert!(a1.contains("cx.fs().open(&path, \"r\")"));
}

#[test]
fn ids_are_unique_and_inputs_named_once() {
    let cat = catalog();
    let mut ids = HashSet::new();
    for cell in cat.code_cells() {
        assert!(ids.insert(cell.id), "duplicate id {}", cell.id);
        let names: HashSet<_> = cell.inputs.iter().map(|i| i.name).collect();
        assert_eq!(names.len(), cell.inputs.len(), "{}", cell.id);
    }
    for id in ["A1", "A2", "A3"] {
        assert!(cat.find(id).is_some(), "{id} is in the notebook");
    }
}

#[test]
fn run_all_skips_cells_that_never_end() {
    let cat = catalog();
    assert!(!cat.find("U1").unwrap().in_run_all);
    assert!(!cat.find("U2").unwrap().in_run_all);
    assert!(cat.find("A1").unwrap().in_run_all);
}

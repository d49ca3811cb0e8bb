//! Every row of the exercise catalogue (`../shared/EXERCISES.md`) is a cell of the notebook.
//!
//! The catalogue lives beside the project, not in it; `tests/catalogue_ids.txt` keeps its ids
//! (ids only) so the check also runs where the catalogue is absent, and while it is present
//! the two must agree.

use std::path::Path;

use notebook::exercises::catalog;
use notebook::notebook::CellSpec;

/// The ids of the catalogue's table rows: `| A13 | ...` → `A13`.
fn ids_in_catalogue(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix("| ")?.split(" |").next())
        .filter(|id| {
            let mut chars = id.chars();
            chars.next().is_some_and(|c| ('A'..='H').contains(&c))
                && id.len() > 1
                && id[1..].chars().all(|c| c.is_ascii_alphanumeric())
                && id[1..].starts_with(|c: char| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

fn kept_ids() -> Vec<String> {
    include_str!("catalogue_ids.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_kept_ids_match_the_catalogue_when_it_is_there() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/EXERCISES.md");
    match std::fs::read_to_string(&shared) {
        Ok(text) => assert_eq!(
            ids_in_catalogue(&text),
            kept_ids(),
            "tests/catalogue_ids.txt no longer matches {}: update it",
            shared.display()
        ),
        Err(_) => println!("note: {} is absent; checking against tests/catalogue_ids.txt", shared.display()),
    }
}

#[test]
fn every_catalogue_row_is_a_cell() {
    let cat = catalog();
    let ids: Vec<&str> = cat.code_cells().map(|c| c.id).collect();
    let markdown_ids: Vec<String> = cat
        .sections
        .iter()
        .flat_map(|s| s.cells.iter())
        .filter_map(|c| match c {
            CellSpec::Markdown(text) => Some(text.text()),
            _ => None,
        })
        .collect();
    let mut missing = Vec::new();
    for row in kept_ids() {
        // A row may be one cell (`A13`), a short group (`A28a`..`A28d`), or, for a theory row
        // with no demonstration of its own, a markdown cell that opens with its id (`**E4. ...**`).
        let as_cell = ids.iter().any(|id| {
            *id == row
                || (id.starts_with(row.as_str()) && id[row.len()..].chars().all(|c| c.is_ascii_lowercase()))
        });
        let as_markdown = markdown_ids
            .iter()
            .any(|text| text.contains(&format!("**{row}.")) || text.contains(&format!("**{row} ")));
        if !as_cell && !as_markdown {
            missing.push(row);
        }
    }
    assert!(missing.is_empty(), "catalogue rows with no cell: {missing:?}");
}

#[test]
fn every_catalogue_section_is_in_the_notebook_in_order() {
    let cat = catalog();
    let letters: Vec<&str> = cat.sections.iter().map(|s| s.id).filter(|id| id.len() == 1).collect();
    assert_eq!(letters, ["A", "B", "C", "D", "E", "F", "G", "H"]);
    for section in &cat.sections {
        let opens_with_text = matches!(section.cells.first(), Some(CellSpec::Markdown(_)));
        assert!(opens_with_text, "section {} opens with an introduction", section.id);
    }
    let theory = cat.sections.iter().find(|s| s.id == "H").map(|s| s.cells.len()).unwrap_or(0);
    assert!(theory >= 3, "section H has a cell for each of its three topics");
}

/// Parts of the course that no catalogue row names, each with the cell that covers it and
/// the cell it follows (the row it belongs with).
const COURSE_PARTS: [(&str, &str, &str); 5] = [
    ("detach() on a file opened 'rb', then reading the raw stream underneath", "A12b", "A12"),
    ("a breakpoint, then an uncaught ZeroDivisionError with its traceback", "C1b", "C1"),
    ("a ValueError from int(input()), a square root, a finally; ValueError raised on purpose", "D5b", "D5"),
    ("a custom exception with a default message, raised with and without one", "D9b", "D9"),
    ("gc.collect(): the cycle collector's algorithm and its generations", "E1b", "E1"),
];

#[test]
fn course_parts_beyond_the_catalogue_have_cells_beside_their_rows() {
    let cat = catalog();
    let ids: Vec<&str> = cat.code_cells().map(|c| c.id).collect();
    for (part, id, after) in COURSE_PARTS {
        let at = ids.iter().position(|i| *i == id).unwrap_or_else(|| panic!("no cell {id} for {part}"));
        let row = ids.iter().position(|i| *i == after).unwrap_or_else(|| panic!("no cell {after}"));
        assert!(
            row < at && ids[row + 1..at].iter().all(|i| i.starts_with(after)),
            "{id} follows {after}: {ids:?}"
        );
    }
}

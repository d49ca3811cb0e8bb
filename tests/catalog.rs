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

#[test]
fn every_cell_source_is_coloured_and_nothing_is_lost() {
    use notebook::notebook::highlight::{pieces, TokenClass};
    for cell in catalog().code_cells() {
        let parts = pieces(cell.source, cell.highlight);
        let joined: String = parts.iter().map(|(_, text)| *text).collect();
        assert_eq!(joined, cell.source, "{}: the pieces put back together are the source", cell.id);
        let marked: usize = cell.highlight.iter().map(|mark| usize::from(mark & 31)).sum();
        assert_eq!(marked, cell.source.len(), "{}: the marks reach the end of the source", cell.id);
        let class_of = |text: &str| parts.iter().find(|(_, t)| t.trim() == text).map(|(c, _)| *c);
        assert_eq!(class_of("pub"), Some(TokenClass::Keyword), "{}: {parts:?}", cell.id);
        assert_eq!(class_of("async"), Some(TokenClass::Keyword), "{}: {parts:?}", cell.id);
        assert!(parts.iter().any(|(c, _)| *c == TokenClass::Function), "{}: its name is a function", cell.id);
    }
    let cat = catalog();
    let a1 = cat.find("A1").unwrap();
    let parts = pieces(a1.source, a1.highlight);
    assert!(parts.contains(&(TokenClass::String, "\"r\"")), "{parts:?}");
}

/// Every markdown cell reaches the page as HTML rendered at build time, and what is
/// rendered keeps the text's words and code spans; the export's markdown, made again from
/// that HTML, renders to the same HTML with the same renderer as `build.rs`.
#[test]
fn every_markdown_cell_is_rendered_at_build_time_and_exported_as_markdown_that_renders_the_same() {
    use notebook::notebook::CellSpec;
    let mut count = 0;
    for section in catalog().sections {
        for cell in section.cells.iter() {
            let CellSpec::Markdown(markdown) = cell else { continue };
            let (text, html) = (markdown.text(), markdown.html);
            count += 1;
            assert!(!text.is_empty() && !text.starts_with('<'), "the markdown itself: {text:.60}");
            assert!(html.starts_with('<') && html.contains("</"), "{html:.80}");
            assert!(!html.contains("\\\n"), "a line continuation was kept: {html:.80}");
            if text.contains('`') {
                assert!(html.contains("<code>"), "code spans become <code>: {html:.80}");
            }
            let first_word = text.split_whitespace().find(|w| w.chars().all(char::is_alphabetic));
            if let Some(word) = first_word {
                assert!(html.contains(word), "{word} is in {html:.80}");
            }
            let mut again = String::new();
            pulldown_cmark::html::push_html(&mut again, pulldown_cmark::Parser::new(&text));
            assert_eq!(again, html, "the exported markdown renders otherwise:\n{text}");
        }
    }
    assert!(count >= 60, "{count} markdown cells");
}

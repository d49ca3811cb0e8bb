//! Rich outputs a cell can show besides text: tables and small SVG bar charts, as MIME
//! bundles (Jupyter's `display_data`). Every bundle has a `text/plain` form too, so the
//! output reads the same in a plain export.

use std::collections::BTreeMap;

/// The MIME type of a table: `{"headers": [...], "rows": [[...], ...]}`, with an optional
/// `"title"` the page shows as its caption.
pub const TABLE_MIME: &str = "application/vnd.rust-notebook.table+json";
/// A table as [`TABLE_MIME`] holds it, as the page reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableData {
    /// The caption, if any.
    pub title: Option<String>,
    /// The column headers.
    pub headers: Vec<String>,
    /// The rows, one string per cell.
    pub rows: Vec<Vec<String>>,
}

crate::json::json_struct!(TableData { title[default], headers, rows });

/// The MIME type of an SVG image.
pub const SVG_MIME: &str = "image/svg+xml";
/// The MIME type of a progress bar: `{"label": ..., "done": n, "total": n}`. The page
/// draws it as a `<progress>` element it updates in place; the bundle's SVG is for the
/// `.ipynb` export, whose readers do not know this type.
pub const PROGRESS_MIME: &str = "application/vnd.rust-notebook.progress+json";

/// A MIME bundle of plain text and one richer form (inserted one by one: building a map
/// from an array sorts it first, which costs the module a sorting routine per type).
fn bundle(text: String, mime: &str, data: String) -> BTreeMap<String, String> {
    let mut bundle = BTreeMap::new();
    bundle.insert("text/plain".to_string(), text);
    bundle.insert(mime.to_string(), data);
    bundle
}

/// A table as a bundle: aligned plain text, and the cells for the page to draw.
pub fn table_bundle(headers: &[&str], rows: &[Vec<String>]) -> BTreeMap<String, String> {
    let columns = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut text = vec![line(headers.to_vec())];
    text.push(widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("  "));
    for row in rows {
        text.push(line(row.iter().map(String::as_str).take(columns).collect()));
    }
    let json = serde_json::json!({ "headers": headers, "rows": rows });
    bundle(text.join("\n"), TABLE_MIME, crate::json::to_string(&json))
}

/// A table with a title above it (the table's caption on the page).
pub fn titled_table_bundle(title: &str, headers: &[&str], rows: &[Vec<String>]) -> BTreeMap<String, String> {
    let mut bundle = table_bundle(headers, rows);
    let json = serde_json::json!({ "title": title, "headers": headers, "rows": rows });
    bundle.insert(TABLE_MIME.to_string(), crate::json::to_string(&json));
    if let Some(text) = bundle.get_mut("text/plain") {
        *text = format!("{title}\n{text}");
    }
    bundle
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The opening of a chart's SVG image: its size, its font, and `title` in bold at the top.
fn svg_start(width: f64, height: f64, font_size: u32, title: &str) -> String {
    let (t, title_y) = (xml_escape(title), if font_size < 12 { 14 } else { 16 });
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         font-family=\"sans-serif\" font-size=\"{font_size}\"><title>{t}</title>\
         <text x=\"4\" y=\"{title_y}\" font-weight=\"bold\"{bigger} fill=\"#57606a\">{t}</text>",
        bigger = if font_size < 12 { " font-size=\"12\"" } else { "" },
    )
}

/// A horizontal bar chart as a bundle: an SVG image and a plain-text form.
/// `bars` are `(label, value)`; values are drawn to scale, with `unit` after each.
pub fn bar_chart_bundle(title: &str, bars: &[(String, f64)], unit: &str) -> BTreeMap<String, String> {
    let max = bars.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let (label_w, bar_w, row_h) = (170.0, 300.0, 26.0);
    let height = 34.0 + row_h * bars.len() as f64;
    let mut svg = svg_start(label_w + bar_w + 110.0, height, 12, title);
    let mut text = vec![title.to_string()];
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = 28.0 + row_h * i as f64;
        let len = if max > 0.0 { (value / max * bar_w).max(1.0) } else { 1.0 };
        svg.push_str(&format!(
            "<text x=\"4\" y=\"{ty}\" fill=\"#57606a\">{label}</text>\
             <rect x=\"{label_w}\" y=\"{y}\" width=\"{len:.1}\" height=\"{bh}\" fill=\"#0969da\" rx=\"2\"/>\
             <text x=\"{vx:.1}\" y=\"{ty}\" fill=\"#57606a\">{value} {unit}</text>",
            ty = y + 13.0,
            label = xml_escape(label),
            bh = row_h - 8.0,
            vx = label_w + len + 6.0,
            value = format_value(*value),
            unit = xml_escape(unit),
        ));
        text.push(format!("  {label}: {} {unit}", format_value(*value)));
    }
    svg.push_str("</svg>");
    bundle(text.join("\n"), SVG_MIME, svg)
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

/// A progress bar as a bundle: `done` of `total` with a label, as text, as the data the
/// page draws, and as an SVG image for other readers of the export.
pub fn progress_bundle(label: &str, done: u64, total: u64) -> BTreeMap<String, String> {
    let fraction = if total == 0 { 1.0 } else { (done.min(total) as f64) / total as f64 };
    let percent = fraction * 100.0;
    let text = format!("{label}: {done}/{total} ({percent:.0}%)");
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"34\" viewBox=\"0 0 420 34\" \
         font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title>\
         <rect x=\"0\" y=\"16\" width=\"400\" height=\"12\" rx=\"6\" fill=\"#d0d7de\"/>\
         <rect x=\"0\" y=\"16\" width=\"{w:.1}\" height=\"12\" rx=\"6\" fill=\"#1a7f37\"/>\
         <text x=\"0\" y=\"12\" fill=\"#57606a\">{t}</text></svg>",
        t = xml_escape(&text),
        w = 400.0 * fraction,
    );
    let mut bundle = bundle(text, SVG_MIME, svg);
    let data = serde_json::json!({ "label": label, "done": done, "total": total });
    bundle.insert(PROGRESS_MIME.to_string(), crate::json::to_string(&data));
    bundle
}

/// One bar of a timeline: where it starts and ends (ms from the timeline's origin) and
/// what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Start, in ms.
    pub start_ms: f64,
    /// End, in ms.
    pub end_ms: f64,
    /// Its label (a task and its items).
    pub label: String,
}

/// A timeline as a bundle: one lane per worker (or thread), a bar per job, and a time
/// axis; the plain-text form lists the bars.
pub fn timeline_bundle(title: &str, lanes: &[(String, Vec<Bar>)]) -> BTreeMap<String, String> {
    let end =
        lanes.iter().flat_map(|(_, bars)| bars.iter().map(|b| b.end_ms)).fold(0.0_f64, f64::max).max(1.0);
    let (label_w, plot_w, lane_h) = (150.0, 460.0, 24.0);
    let height = 50.0 + lane_h * lanes.len() as f64;
    let x = |ms: f64| label_w + ms / end * plot_w;
    let mut svg = svg_start(label_w + plot_w + 20.0, height, 11, title);
    let mut text = vec![title.to_string()];
    let colors = ["#0969da", "#1a7f37", "#9a6700", "#8250df", "#cf222e", "#0550ae"];
    for (i, (lane, bars)) in lanes.iter().enumerate() {
        let y = 24.0 + lane_h * i as f64;
        svg.push_str(&format!(
            "<text x=\"4\" y=\"{ty}\" fill=\"#57606a\">{name}</text>\
             <line x1=\"{label_w}\" x2=\"{x2}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"#d0d7de\"/>",
            ty = y + 14.0,
            name = xml_escape(lane),
            x2 = label_w + plot_w,
            ly = y + lane_h - 3.0,
        ));
        for bar in bars {
            let width = (x(bar.end_ms) - x(bar.start_ms)).max(1.5);
            svg.push_str(&format!(
                "<rect x=\"{x0:.1}\" y=\"{y0}\" width=\"{width:.1}\" height=\"{h}\" rx=\"2\" fill=\"{c}\"><title>{l}</title></rect>",
                x0 = x(bar.start_ms),
                y0 = y + 3.0,
                h = lane_h - 8.0,
                c = colors[i % colors.len()],
                l = xml_escape(&bar.label),
            ));
            text.push(format!("  {lane}: {} from {:.0} to {:.0} ms", bar.label, bar.start_ms, bar.end_ms));
        }
    }
    let axis_y = 28.0 + lane_h * lanes.len() as f64;
    for k in 0..=4 {
        let ms = end * k as f64 / 4.0;
        svg.push_str(&format!(
            "<text x=\"{tx:.1}\" y=\"{axis_y}\" fill=\"#57606a\" text-anchor=\"middle\">{ms:.0} ms</text>",
            tx = x(ms),
        ));
    }
    svg.push_str("</svg>");
    bundle(text.join("\n"), SVG_MIME, svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_in_plain_text() {
        let bundle = table_bundle(&["fd", "path"], &[vec!["3".into(), "/home/user/a.txt".into()]]);
        assert_eq!(bundle["text/plain"], "fd  path\n--  ----------------\n3   /home/user/a.txt");
        assert!(bundle[TABLE_MIME].contains("\"rows\":[[\"3\",\"/home/user/a.txt\"]]"));
    }

    #[test]
    fn timelines_draw_a_lane_per_worker_and_list_the_bars() {
        let bar = |start_ms, end_ms, label: &str| Bar { start_ms, end_ms, label: label.into() };
        let lanes = vec![
            (
                "SpawnPoolWorker-1".to_string(),
                vec![bar(0.0, 50.0, "square ×2"), bar(50.0, 100.0, "square ×1")],
            ),
            ("SpawnPoolWorker-2".to_string(), vec![bar(0.0, 100.0, "square <×2>")]),
        ];
        let bundle = timeline_bundle("Pool jobs", &lanes);
        let svg = &bundle[SVG_MIME];
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("square &lt;×2&gt;") && svg.contains("100 ms"));
        assert!(svg.contains("width=\"230.0\""), "half the plot for half the time");
        assert_eq!(
            bundle["text/plain"].lines().nth(1),
            Some("  SpawnPoolWorker-1: square ×2 from 0 to 50 ms")
        );
    }

    #[test]
    fn progress_bars_fill_to_their_fraction() {
        let bundle = progress_bundle("squares", 3, 12);
        assert_eq!(bundle["text/plain"], "squares: 3/12 (25%)");
        assert!(bundle[SVG_MIME].contains("width=\"100.0\""));
        assert_eq!(bundle[PROGRESS_MIME], r#"{"done":3,"label":"squares","total":12}"#);
        assert_eq!(progress_bundle("x", 0, 0)["text/plain"], "x: 0/0 (100%)");
    }

    #[test]
    fn charts_escape_their_text_and_scale_bars() {
        let bundle = bar_chart_bundle("<raw> calls", &[("a&b".into(), 10.0), ("c".into(), 2.5)], "calls");
        let svg = &bundle[SVG_MIME];
        assert!(svg.contains("&lt;raw&gt; calls") && svg.contains("a&amp;b"));
        assert!(!svg.contains("<raw>"));
        assert!(svg.contains("width=\"300.0\"") && svg.contains("width=\"75.0\""));
        assert_eq!(bundle["text/plain"], "<raw> calls\n  a&b: 10 calls\n  c: 2.50 calls");
    }
}

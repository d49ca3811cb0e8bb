//! Rich outputs a cell can show besides text: tables and small SVG bar charts, as MIME
//! bundles (Jupyter's `display_data`). Every bundle has a `text/plain` form too, so the
//! output reads the same in a plain export.

use std::collections::BTreeMap;

/// The MIME type of a table: `{"headers": [...], "rows": [[...], ...]}`.
pub const TABLE_MIME: &str = "application/vnd.rust-notebook.table+json";
/// The MIME type of an SVG image.
pub const SVG_MIME: &str = "image/svg+xml";

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
    BTreeMap::from([("text/plain".to_string(), text.join("\n")), (TABLE_MIME.to_string(), json.to_string())])
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// A horizontal bar chart as a bundle: an SVG image and a plain-text form.
/// `bars` are `(label, value)`; values are drawn to scale, with `unit` after each.
pub fn bar_chart_bundle(title: &str, bars: &[(String, f64)], unit: &str) -> BTreeMap<String, String> {
    let max = bars.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let (label_w, bar_w, row_h) = (170.0, 300.0, 26.0);
    let height = 34.0 + row_h * bars.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" \
         font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title>\
         <text x=\"4\" y=\"16\" font-weight=\"bold\" fill=\"#57606a\">{t}</text>",
        w = label_w + bar_w + 110.0,
        t = xml_escape(title),
    );
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
    BTreeMap::from([("text/plain".to_string(), text.join("\n")), (SVG_MIME.to_string(), svg)])
}

fn format_value(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
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
    fn charts_escape_their_text_and_scale_bars() {
        let bundle = bar_chart_bundle("<raw> calls", &[("a&b".into(), 10.0), ("c".into(), 2.5)], "calls");
        let svg = &bundle[SVG_MIME];
        assert!(svg.contains("&lt;raw&gt; calls") && svg.contains("a&amp;b"));
        assert!(!svg.contains("<raw>"));
        assert!(svg.contains("width=\"300.0\"") && svg.contains("width=\"75.0\""));
        assert_eq!(bundle["text/plain"], "<raw> calls\n  a&b: 10 calls\n  c: 2.50 calls");
    }
}

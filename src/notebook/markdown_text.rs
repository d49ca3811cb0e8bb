//! Markdown again from the HTML `build.rs` rendered, for the `.ipynb` export.
//!
//! The module ships each markdown cell once, as HTML (what the page shows); keeping its
//! markdown too cost 5 KB of the first load. The export writes markdown that renders to the
//! same HTML: the subset the project's cells use (paragraphs, lists, inline and block code,
//! emphasis, links), with the text's markdown characters escaped. A tag outside it is kept
//! as HTML, which markdown passes through. `tests/catalog.rs` renders every cell's result
//! with the same renderer and compares.

/// The markdown of `html`, as `pulldown-cmark` writes it for the project's own markdown.
pub fn markdown_from_html(html: &str) -> String {
    let mut out = Writer { text: String::new(), lists: Vec::new(), inline: false };
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.text_run(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let name = tag.split([' ', '/']).find(|part| !part.is_empty()).unwrap_or("");
        match (tag.starts_with('/'), name) {
            (false, "p") => out.inline = true,
            (true, "p") => out.end_block(),
            (_, "strong") => out.text.push_str("**"),
            (_, "em") => out.text.push('*'),
            (false, "ul") => out.lists.push(None),
            (false, "ol") => {
                out.lists.push(Some(attribute(tag, "start").and_then(|n| n.parse().ok()).unwrap_or(1)))
            }
            (true, "ul" | "ol") => {
                out.lists.pop();
                out.text.push('\n'); // a blank line ends the list
            }
            (false, "li") => out.item(),
            (true, "li") => out.end_block(),
            (false, "pre") if rest.starts_with("<code") => {
                let open = rest.find('>').map_or(rest.len(), |at| at + 1);
                let language = attribute(&rest[..open], "class").and_then(|c| c.strip_prefix("language-"));
                let close = rest.find("</code></pre>").unwrap_or(rest.len());
                out.code_block(language.unwrap_or(""), &decode(&rest[open..close]));
                rest = rest.get(close + "</code></pre>".len()..).unwrap_or("");
            }
            (false, "code") => {
                let close = rest.find("</code>").unwrap_or(rest.len());
                out.code_span(&decode(&rest[..close]));
                rest = rest.get(close + "</code>".len()..).unwrap_or("");
            }
            (false, "a") => {
                // The link's text, then its target.
                let close = rest.find("</a>").unwrap_or(rest.len());
                let text = markdown_from_html(&format!("<p>{}</p>", &rest[..close]));
                out.text.push_str(&format!("[{text}]({})", decode(attribute(tag, "href").unwrap_or(""))));
                rest = rest.get(close + "</a>".len()..).unwrap_or("");
            }
            _ => out.text.push_str(&format!("<{tag}>")),
        }
    }
    out.text_run(rest);
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    out.text
}

struct Writer {
    text: String,
    /// The lists the text is in: `None` a bulleted one, `Some(n)` a numbered one whose
    /// next item is `n`.
    lists: Vec<Option<u64>>,
    /// Inside a paragraph or an item, where every space and line break is the text's.
    inline: bool,
}

impl Writer {
    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    fn end_block(&mut self) {
        self.inline = false;
        self.text.push_str(if self.lists.is_empty() { "\n\n" } else { "\n" });
    }

    fn item(&mut self) {
        self.inline = true;
        match self.lists.last_mut() {
            Some(Some(n)) => {
                self.text.push_str(&format!("{n}. "));
                *n += 1;
            }
            _ => self.text.push_str("- "),
        }
    }

    /// Text between tags: its entities decoded, what markdown would read as markup escaped.
    fn text_run(&mut self, html: &str) {
        let text = decode(html);
        if !self.inline && text.trim().is_empty() {
            return; // the line breaks between blocks
        }
        for line in text.split_inclusive('\n') {
            if self.at_line_start() {
                self.line_start(line);
            } else {
                self.escaped(line);
            }
        }
    }

    /// A line of text at the start of a line, where `#`, `-`, `+`, `=` or `1.` would begin
    /// a block.
    fn line_start(&mut self, line: &str) {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let first = line.bytes().next();
        if digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')')) {
            self.text.push_str(&line[..digits]);
            self.text.push('\\');
            self.escaped(&line[digits..]);
        } else if matches!(first, Some(b'#' | b'-' | b'+' | b'=')) {
            self.text.push('\\');
            self.escaped(line);
        } else {
            self.escaped(line);
        }
    }

    fn escaped(&mut self, text: &str) {
        for c in text.chars() {
            if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#') {
                self.text.push('\\');
            }
            self.text.push(c);
        }
    }

    /// Inline code between enough backticks, with a space inside where the code itself
    /// begins or ends with one.
    fn code_span(&mut self, code: &str) {
        let fence = "`".repeat(longest_run(code, '`') + 1);
        let pad = if code.starts_with('`') || code.ends_with('`') { " " } else { "" };
        self.text.push_str(&format!("{fence}{pad}{code}{pad}{fence}"));
    }

    fn code_block(&mut self, language: &str, code: &str) {
        let fence = "`".repeat(3.max(longest_run(code, '`') + 1));
        self.text.push_str(&format!("{fence}{language}\n{code}"));
        if !code.ends_with('\n') {
            self.text.push('\n');
        }
        self.text.push_str(&fence);
        self.end_block();
    }
}

fn longest_run(text: &str, of: char) -> usize {
    text.split(|c| c != of).map(str::len).max().unwrap_or(0)
}

/// The value of `name="..."` in a tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// `html`'s text with the entities `pulldown-cmark` writes decoded.
fn decode(html: &str) -> String {
    html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::markdown_from_html;

    #[test]
    fn blocks_and_inline_markup_become_markdown_again() {
        let html = "<p><strong>Two</strong> lines,\nwith <em>a</em> <code>x*y</code> &amp; a \
                    <a href=\"#A1\">link</a>.</p>\n<ol>\n<li>one</li>\n<li>two <code>`</code></li>\n</ol>\n\
                    <pre><code class=\"language-rust\">let a = 1 &lt; 2;\n</code></pre>\n<p>1. not a list</p>\n";
        assert_eq!(
            markdown_from_html(html),
            "**Two** lines,\nwith *a* `x*y` \\& a [link](#A1).\n\n1. one\n2. two `` ` ``\n\n```rust\nlet a = 1 < 2;\n```\n\n1\\. not a list"
        );
    }
}

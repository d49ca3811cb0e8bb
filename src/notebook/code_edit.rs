//! What Tab, Shift+Tab and Enter do to the code in a script cell's editor, as pure
//! functions of its text and selection, so they are tested natively. Offsets are in UTF-16
//! code units, as a `<textarea>`'s `selectionStart` counts them. Each key yields an
//! [`Edit`]: one range replaced by one text, which the page applies as if typed (so the
//! browser's undo takes it back in one step), then the selection to set.

/// Spaces one indentation level takes.
pub const INDENT: usize = 2;

/// A replacement of `from..to` by `text`, then the selection `select`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// Where the replaced range starts.
    pub from: u32,
    /// Where it ends.
    pub to: u32,
    /// What replaces it.
    pub text: String,
    /// The selection afterwards (start, end).
    pub select: (u32, u32),
}

const NL: u16 = b'\n' as u16;
const SPACE: u16 = b' ' as u16;
const TAB: u16 = b'\t' as u16;

/// The text as UTF-16 units, and the selection clamped to it and put in order.
fn units(text: &str, start: u32, end: u32) -> (Vec<u16>, usize, usize) {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (a, b) = (start as usize, end as usize);
    let (a, b) = (a.min(b).min(units.len()), a.max(b).min(units.len()));
    (units, a, b)
}

/// Where the line holding offset `at` starts.
fn line_start(units: &[u16], at: usize) -> usize {
    units[..at].iter().rposition(|&u| u == NL).map_or(0, |p| p + 1)
}

/// Where the line holding offset `at` ends (before its newline).
fn line_end(units: &[u16], at: usize) -> usize {
    units[at..].iter().position(|&u| u == NL).map_or(units.len(), |p| at + p)
}

fn edit(units: &[u16], from: usize, to: usize, text: &[u16], select: (usize, usize)) -> Edit {
    let n = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
    Edit {
        from: n(from),
        to: n(to),
        text: String::from_utf16_lossy(text),
        select: (n(select.0), n(select.1)),
    }
    .checked(units)
}

impl Edit {
    /// Keeps the edit inside the text it was made for (it always is).
    fn checked(mut self, units: &[u16]) -> Edit {
        let len = u32::try_from(units.len()).unwrap_or(u32::MAX);
        self.to = self.to.min(len);
        self.from = self.from.min(self.to);
        self
    }
}

/// The lines a selection touches: from the start of the first to the end of the last. A
/// selection ending at the very start of a line leaves that line out.
fn touched(units: &[u16], a: usize, b: usize) -> (usize, usize) {
    let last = if b > a && line_start(units, b) == b { b - 1 } else { b };
    (line_start(units, a), line_end(units, last))
}

/// Tab: with no selection, spaces up to the next indentation stop; with a selection,
/// one more level for every line it touches.
pub fn tab(text: &str, start: u32, end: u32) -> Option<Edit> {
    let (units, a, b) = units(text, start, end);
    if a == b {
        let column = a - line_start(&units, a);
        let spaces = vec![SPACE; INDENT - column % INDENT];
        let caret = a + spaces.len();
        return Some(edit(&units, a, a, &spaces, (caret, caret)));
    }
    reindent(&units, a, b, true)
}

/// Shift+Tab: one level less for every line the selection (or the caret) touches.
pub fn untab(text: &str, start: u32, end: u32) -> Option<Edit> {
    let (units, a, b) = units(text, start, end);
    reindent(&units, a, b, false)
}

/// Adds or removes one level on each line from `a` to `b`; `None` if nothing changes.
fn reindent(units: &[u16], a: usize, b: usize, add: bool) -> Option<Edit> {
    let (from, to) = touched(units, a, b);
    let mut out = Vec::with_capacity(to - from + INDENT * 8);
    // Where each line started, and how much indentation it gained or lost.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut at = from;
    for (k, line) in units[from..to].split(|&u| u == NL).enumerate() {
        if k > 0 {
            out.push(NL);
        }
        let change = match (add, line.first()) {
            (true, None) => 0, // an empty line stays empty
            (true, Some(_)) => INDENT,
            (false, Some(&TAB)) => 1,
            (false, _) => line.iter().take(INDENT).take_while(|&&u| u == SPACE).count(),
        };
        if add {
            out.extend(std::iter::repeat_n(SPACE, change));
            out.extend_from_slice(line);
        } else {
            out.extend_from_slice(&line[change..]);
        }
        lines.push((at, change));
        at += line.len() + 1;
    }
    if lines.iter().all(|&(_, change)| change == 0) {
        return None;
    }
    // An offset moves with the text after a line's start (one right at the start of the
    // first line stays, so a selection of whole lines keeps covering them); one inside
    // removed indentation lands where the indentation was.
    let shift = |x: usize| -> usize {
        let mut moved = x;
        for &(start, change) in &lines {
            if x > start {
                if add {
                    moved += change;
                } else {
                    moved -= change.min(x - start);
                }
            }
        }
        moved
    };
    Some(edit(units, from, to, &out, (shift(a), shift(b))))
}

/// Enter: a new line indented as the current one, one level more after an opening
/// bracket; between a bracket pair (`{|}`) the closing one goes to a line of its own.
pub fn newline(text: &str, start: u32, end: u32) -> Option<Edit> {
    let (units, a, b) = units(text, start, end);
    let ls = line_start(&units, a);
    let indent: Vec<u16> = units[ls..a].iter().take_while(|&&u| u == SPACE || u == TAB).copied().collect();
    let before = units[ls..a].iter().rev().find(|&&u| u != SPACE).copied();
    let after = units.get(b).copied();
    let opens = before.and_then(|u| u8::try_from(u).ok()).and_then(|c| match c {
        b'{' => Some(b'}'),
        b'[' => Some(b']'),
        b'(' => Some(b')'),
        _ => None,
    });
    let mut out = vec![NL];
    out.extend_from_slice(&indent);
    if let Some(close) = opens {
        out.extend(std::iter::repeat_n(SPACE, INDENT));
        let caret = a + out.len();
        if after == Some(u16::from(close)) {
            out.push(NL);
            out.extend_from_slice(&indent);
        }
        return Some(edit(&units, a, b, &out, (caret, caret)));
    }
    let caret = a + out.len();
    Some(edit(&units, a, b, &out, (caret, caret)))
}

/// Applies `edit` to `text` (for tests and for a page that cannot type it in).
pub fn apply(text: &str, edit: &Edit) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    let (from, to) = (edit.from as usize, (edit.to as usize).min(units.len()));
    let mut out = units[..from.min(to)].to_vec();
    out.extend(edit.text.encode_utf16());
    out.extend_from_slice(&units[to..]);
    String::from_utf16_lossy(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `key` on text with the selection marked by `[` and `]` (or a caret `|`), and
    /// returns the result marked the same way.
    fn run(key: fn(&str, u32, u32) -> Option<Edit>, marked: &str) -> String {
        let caret = marked.contains('|');
        let plain: String = marked.chars().filter(|c| !"[]|".contains(*c)).collect();
        let at = |c: char| -> u32 {
            let i = marked.find(c).unwrap();
            marked[..i].chars().filter(|c| !"[]|".contains(*c)).map(char::len_utf16).sum::<usize>() as u32
        };
        let (s, e) = if caret { (at('|'), at('|')) } else { (at('['), at(']')) };
        let Some(edit) = key(&plain, s, e) else { return "unchanged".into() };
        let out: Vec<u16> = apply(&plain, &edit).encode_utf16().collect();
        let (s, e) = (edit.select.0 as usize, edit.select.1 as usize);
        let mut text = String::from_utf16_lossy(&out[..s]);
        if s == e {
            text.push('|');
        } else {
            text.push('[');
            text.push_str(&String::from_utf16_lossy(&out[s..e]));
            text.push(']');
        }
        text.push_str(&String::from_utf16_lossy(&out[e..]));
        text
    }

    #[test]
    fn tab_without_a_selection_goes_to_the_next_stop() {
        assert_eq!(run(tab, "|x"), "  |x");
        assert_eq!(run(tab, " |x"), "  |x");
        assert_eq!(run(tab, "ab|c"), "ab  |c");
        assert_eq!(run(tab, "a\n|b"), "a\n  |b");
        assert_eq!(run(tab, "é|"), "é |", "columns count UTF-16 units");
    }

    #[test]
    fn tab_and_shift_tab_indent_every_selected_line() {
        assert_eq!(run(tab, "[a\nb]\nc"), "[  a\n  b]\nc");
        assert_eq!(run(tab, "x[a\nb]"), "  x[a\n  b]");
        assert_eq!(
            run(tab, "[a\n\nb\n]c"),
            "[  a\n\n  b\n]c",
            "empty lines stay empty; the line the selection ends at is left out"
        );
        assert_eq!(run(untab, "[  a\n    b]\nc"), "[a\n  b]\nc");
        assert_eq!(run(untab, "  x[a\n b]"), "x[a\nb]");
        assert_eq!(run(untab, "\t[a]"), "[a]");
        assert_eq!(run(untab, "[a\nb]"), "unchanged");
    }

    #[test]
    fn shift_tab_with_a_caret_outdents_its_line() {
        assert_eq!(run(untab, "    ab|c"), "  ab|c");
        assert_eq!(run(untab, " |  x"), "| x", "a caret inside the removed indentation lands at its start");
        assert_eq!(run(untab, "a\n  b|\nc"), "a\nb|\nc");
    }

    #[test]
    fn enter_keeps_the_indentation_and_opens_blocks() {
        assert_eq!(run(newline, "  let x = 1;|"), "  let x = 1;\n  |");
        assert_eq!(run(newline, "if (x) {|"), "if (x) {\n  |");
        assert_eq!(run(newline, "  f({|})"), "  f({\n    |\n  })");
        assert_eq!(run(newline, "(a|)"), "(a\n|)", "only right after the bracket");
        assert_eq!(run(newline, "  ab[cd]ef"), "  ab\n  |ef", "the selection is replaced");
        assert_eq!(run(newline, "    |x"), "    \n    |x");
        assert_eq!(run(newline, "  |  x"), "  \n  |  x", "only the indentation before the caret is kept");
    }

    #[test]
    fn out_of_range_selections_are_clamped() {
        let edit = tab("ab", 9, 7).unwrap();
        assert_eq!(apply("ab", &edit), "ab  ");
        assert!(newline("", 5, 5).is_some());
        assert_eq!(untab("", 0, 0), None);
    }
}

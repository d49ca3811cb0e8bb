//! Where the page's script cells sit among the catalogue's cells, as pure logic (the page
//! keeps it in `localStorage`; the `.ipynb` export and open use it too). Each script cell
//! has an id the page made (`js-1`, `js-2`, ...: never reused, so a saved cell and its code
//! keep their key) and an anchor: the catalogue code cell it follows, or [`END`] for the
//! end of the notebook. Cells with one anchor keep their order among themselves.
//!
//! Kept as text, one cell a line (`js-3 A2`), after a `next N` line: the next id to give.

/// The anchor of script cells at the end of the notebook, after its last section.
pub const END: &str = "end";

/// One script cell's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsCell {
    /// Its id (`js-N`).
    pub id: String,
    /// The catalogue cell it follows, or [`END`].
    pub after: &'static str,
}

/// The script cells in page order. Invariant: `cells` is sorted by the position of each
/// cell's anchor in `anchors` (so one anchor's cells are neighbours), and ids are unique.
#[derive(Debug, Clone)]
pub struct JsCells {
    /// The catalogue's code cell ids in page order, then [`END`].
    anchors: Vec<&'static str>,
    cells: Vec<JsCell>,
    next: u32,
}

/// The number of a `js-N` id.
fn number(id: &str) -> Option<u32> {
    let digits = id.strip_prefix("js-")?;
    (!digits.is_empty() && digits.len() < 10 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

impl JsCells {
    /// No script cells, among the catalogue code cells `code_cells` (in page order).
    pub fn new(code_cells: impl IntoIterator<Item = &'static str>) -> JsCells {
        let mut anchors: Vec<&'static str> = code_cells.into_iter().collect();
        anchors.push(END);
        JsCells { anchors, cells: Vec::new(), next: 1 }
    }

    /// The cells, in page order.
    pub fn cells(&self) -> &[JsCell] {
        &self.cells
    }

    fn index(&self, id: &str) -> Option<usize> {
        self.cells.iter().position(|c| c.id == id)
    }

    /// The known anchor named `name`, or [`END`] for a name the catalogue no longer has.
    fn anchor(&self, name: &str) -> &'static str {
        self.anchors.iter().copied().find(|a| *a == name).unwrap_or(END)
    }

    fn rank(&self, anchor: &str) -> usize {
        self.anchors.iter().position(|a| *a == anchor).unwrap_or(self.anchors.len())
    }

    /// Inserts `cell` after the cells of its anchor and of the anchors before it.
    fn insert_sorted(&mut self, cell: JsCell) {
        let rank = self.rank(cell.after);
        let at = self.cells.iter().rposition(|c| self.rank(c.after) <= rank).map_or(0, |p| p + 1);
        self.next = self.next.max(number(&cell.id).map_or(0, |n| n.saturating_add(1)));
        self.cells.insert(at, cell);
    }

    /// Reads the kept text: lines that do not read (or repeat an id) are skipped, and a
    /// cell whose anchor is gone from the catalogue goes to the end.
    pub fn load(&mut self, text: &str) {
        let mut cells = Vec::new();
        for line in text.lines() {
            let mut words = line.split(' ');
            match (words.next(), words.next()) {
                (Some("next"), Some(n)) => {
                    // Past what a `js-N` id can hold, the number is not the page's.
                    let n = n.parse::<u32>().ok().filter(|n| *n < 1_000_000_000);
                    self.next = self.next.max(n.unwrap_or(0));
                }
                (Some(id), Some(after)) if number(id).is_some() && !cells.iter().any(|(c, _, _)| c == id) => {
                    cells.push((id.to_string(), after.to_string(), String::new()));
                }
                _ => {}
            }
        }
        self.replace(&cells);
    }

    /// The text [`JsCells::load`] reads back.
    pub fn text(&self) -> String {
        let mut text = format!("next {}\n", self.next);
        for cell in &self.cells {
            text.push_str(&format!("{} {}\n", cell.id, cell.after));
        }
        text
    }

    fn new_id(&mut self) -> String {
        let id = format!("js-{}", self.next);
        self.next = self.next.saturating_add(1);
        id
    }

    /// Adds a cell right below `below` (a catalogue cell, [`END`] or a script cell) and
    /// returns its id; `None` if `below` is none of these.
    pub fn add_below(&mut self, below: &str) -> Option<String> {
        let (at, after) = match self.index(below) {
            Some(i) => (i + 1, self.cells[i].after),
            None => {
                let after = self.anchors.iter().copied().find(|a| *a == below)?;
                let rank = self.rank(after);
                // Below a catalogue cell is above the script cells already there; the
                // notebook's end is after every cell.
                let at = match after {
                    END => self.cells.len(),
                    _ => {
                        self.cells.iter().position(|c| self.rank(c.after) >= rank).unwrap_or(self.cells.len())
                    }
                };
                (at, after)
            }
        };
        let id = self.new_id();
        self.cells.insert(at, JsCell { id: id.clone(), after });
        Some(id)
    }

    /// Removes a cell; `false` if there is none with this id.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(i) = self.index(id) else { return false };
        self.cells.remove(i);
        true
    }

    /// Moves a cell one step up or down the page: past its neighbour with the same anchor,
    /// or else past the catalogue cell above or below (to the end of the group before,
    /// or the start of the group after). `false` if it cannot move further.
    pub fn move_by(&mut self, id: &str, up: bool) -> bool {
        let Some(i) = self.index(id) else { return false };
        let after = self.cells[i].after;
        let neighbour = if up { i.checked_sub(1) } else { Some(i + 1) };
        if let Some(j) = neighbour.filter(|&j| self.cells.get(j).is_some_and(|c| c.after == after)) {
            self.cells.swap(i, j);
            return true;
        }
        // Its own place in the list stays right: it is last or first of its anchor's cells.
        let rank = self.rank(after);
        let target = if up { rank.checked_sub(1) } else { Some(rank + 1) };
        match target.and_then(|r| self.anchors.get(r)) {
            Some(&anchor) => {
                self.cells[i].after = anchor;
                true
            }
            None => false,
        }
    }

    /// What the cell `id` sits right after on the page: the script cell before it with the
    /// same anchor, or its anchor.
    pub fn predecessor(&self, id: &str) -> Option<&str> {
        let i = self.index(id)?;
        let cell = &self.cells[i];
        match i.checked_sub(1).map(|j| &self.cells[j]) {
            Some(before) if before.after == cell.after => Some(&before.id),
            _ => Some(cell.after),
        }
    }

    /// The ids of the cells anchored after `anchor` (all cells for `None`), in order.
    pub fn ids(&self, anchor: Option<&str>) -> Vec<String> {
        let anchor = anchor.map(|a| self.anchor(a));
        let mut ids = Vec::new();
        for cell in &self.cells {
            if anchor.is_none_or(|a| a == cell.after) {
                ids.push(cell.id.clone());
            }
        }
        ids
    }

    /// Catalogue cells and script cells in page order.
    pub fn page_order(&self) -> Vec<&str> {
        let mut order = Vec::with_capacity(self.anchors.len() + self.cells.len());
        for anchor in &self.anchors {
            if *anchor != END {
                order.push(*anchor);
            }
            order.extend(self.cells.iter().filter(|c| c.after == *anchor).map(|c| c.id.as_str()));
        }
        order
    }

    /// Replaces every cell by `cells` (an id, the anchor it follows, and what else goes with
    /// it, such as an opened `.ipynb` file's code, which is not kept here; in page order) and
    /// returns the ids they got, in the same order: an id is kept if it is a `js-N` not taken
    /// by an earlier cell, otherwise a new one is given.
    pub fn replace(&mut self, cells: &[(String, String, String)]) -> Vec<String> {
        self.cells.clear();
        // Kept ids first, so that a new one never takes an id a later cell keeps.
        for (id, _, _) in cells {
            if let Some(n) = number(id) {
                self.next = self.next.max(n.saturating_add(1));
            }
        }
        let mut ids = Vec::with_capacity(cells.len());
        for (id, after, _) in cells {
            let id = if number(id).is_some() && !ids.contains(id) { id.clone() } else { self.new_id() };
            let after = self.anchor(after);
            self.insert_sorted(JsCell { id: id.clone(), after });
            ids.push(id);
        }
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells() -> JsCells {
        JsCells::new(["A1", "A2", "B1"])
    }

    fn places(c: &JsCells) -> Vec<String> {
        c.cells().iter().map(|c| format!("{}@{}", c.id, c.after)).collect()
    }

    #[test]
    fn cells_are_added_below_what_was_asked() {
        let mut c = cells();
        assert_eq!(c.add_below("A2").as_deref(), Some("js-1"));
        assert_eq!(c.add_below("A1").as_deref(), Some("js-2"));
        assert_eq!(c.add_below(END).as_deref(), Some("js-3"));
        assert_eq!(c.add_below("js-2").as_deref(), Some("js-4"));
        assert_eq!(c.add_below("A2").as_deref(), Some("js-5"), "right below A2: before js-1");
        assert_eq!(c.add_below("Z9"), None);
        assert_eq!(c.add_below(END).as_deref(), Some("js-6"), "at the end: after js-3");
        assert_eq!(places(&c), ["js-2@A1", "js-4@A1", "js-5@A2", "js-1@A2", "js-3@end", "js-6@end"]);
        assert_eq!(c.page_order(), ["A1", "js-2", "js-4", "A2", "js-5", "js-1", "B1", "js-3", "js-6"]);
        assert_eq!(c.predecessor("js-6"), Some("js-3"));
        assert_eq!(c.predecessor("js-4"), Some("js-2"));
        assert_eq!(c.predecessor("js-5"), Some("A2"));
        assert_eq!(c.predecessor("js-3"), Some(END));
        assert_eq!(c.predecessor("js-9"), None);
    }

    #[test]
    fn moving_passes_neighbours_then_catalogue_cells() {
        let mut c = cells();
        c.add_below("A1"); // js-1
        c.add_below("js-1"); // js-2
        assert!(c.move_by("js-2", true));
        assert_eq!(places(&c), ["js-2@A1", "js-1@A1"]);
        assert!(!c.move_by("js-2", true), "nothing is above A1's first script but A1, the first cell");
        assert!(c.move_by("js-1", false));
        assert_eq!(places(&c), ["js-2@A1", "js-1@A2"], "past A2: first after it");
        assert!(c.move_by("js-1", false));
        assert!(c.move_by("js-1", false));
        assert_eq!(places(&c), ["js-2@A1", "js-1@end"]);
        assert!(!c.move_by("js-1", false), "the end is the end");
        assert!(c.move_by("js-1", true));
        assert_eq!(c.page_order(), ["A1", "js-2", "A2", "B1", "js-1"]);
        assert!(!c.move_by("nope", true));
        assert!(c.remove("js-2"));
        assert!(!c.remove("js-2"));
        assert_eq!(places(&c), ["js-1@B1"]);
    }

    #[test]
    fn the_text_reads_back_and_bad_lines_are_skipped() {
        let mut c = cells();
        c.add_below("B1");
        c.add_below("A1");
        c.add_below(END);
        c.remove("js-3");
        let text = c.text();
        assert_eq!(text, "next 4\njs-2 A1\njs-1 B1\n");
        let mut back = cells();
        back.load(&text);
        assert_eq!(places(&back), places(&c));
        assert_eq!(back.add_below(END).as_deref(), Some("js-4"), "ids are never given twice");

        let mut odd = cells();
        odd.load("garbage\njs-7 B1\njs-7 A1\nx-1 A1\njs- A1\njs-2 Gone\njs-3 A2 extra\n\njs-99999999999 A1\nnext 99999999999");
        assert_eq!(
            places(&odd),
            ["js-3@A2", "js-7@B1", "js-2@end"],
            "sorted by anchor; unknown anchors at the end"
        );
        assert_eq!(odd.add_below("A1").as_deref(), Some("js-8"));
    }

    #[test]
    fn replacing_keeps_good_ids_and_renumbers_the_rest() {
        let mut c = cells();
        c.add_below("A1");
        let cell = |id: &str, after: &str| (id.to_string(), after.to_string(), String::new());
        let ids =
            c.replace(&[cell("js-5", "A2"), cell("intro", END), cell("js-5", "A1"), cell("js-2", "Gone")]);
        assert_eq!(ids, ["js-5", "js-6", "js-7", "js-2"]);
        assert_eq!(places(&c), ["js-7@A1", "js-5@A2", "js-6@end", "js-2@end"]);
        assert_eq!(c.add_below(END).as_deref(), Some("js-8"));
        assert!(c.replace(&[]).is_empty());
        assert!(c.cells().is_empty());
    }
}

//! What changed between two listings of the kernel's files, and applying that change to a
//! listing: the kernel diffs what it last told the page against the files now and sends
//! the difference (`files_changed`); the page applies it to the listing it shows.
//! Listings are in the file browser's order, depth first with names sorted, which is the
//! order of comparing paths part by part ([`listing_order`]).

use std::cmp::Ordering;

use super::protocol::{FileEntry, FilesChanged};

/// One path of a listing as the kernel remembers it: its entry, and its modification time
/// (so that a file rewritten at the same size still counts as changed).
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// What the page is told.
    pub entry: FileEntry,
    /// Last modification, ms since 1970.
    pub modified_ms: f64,
}

/// Depth-first order: `/a`, `/a/b`, `/a-c` (`/a`'s subtree before its next sibling).
pub fn listing_order(a: &str, b: &str) -> Ordering {
    a.split('/').cmp(b.split('/'))
}

/// The change that turns listing `old` into `new` (both in [`listing_order`]).
pub fn diff(old: &[Snapshot], new: &[Snapshot]) -> FilesChanged {
    let mut change = FilesChanged::default();
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some(o), Some(n)) => listing_order(&o.entry.path, &n.entry.path),
        };
        match order {
            Ordering::Less => change.removed.extend(old.next().map(|o| o.entry.path.clone())),
            Ordering::Greater => change.entries.extend(new.next().map(|n| n.entry.clone())),
            Ordering::Equal => {
                if let (Some(o), Some(n)) = (old.next(), new.next()) {
                    if o != n {
                        change.entries.push(n.entry.clone());
                    }
                }
            }
        }
    }
    change
}

/// Whether a change says nothing.
pub fn is_empty(change: &FilesChanged) -> bool {
    change.entries.is_empty() && change.removed.is_empty()
}

/// Applies `change` to `listing` (kept in [`listing_order`]). Applying it twice, or to a
/// listing that already has part of it, gives the same listing: the page may have
/// listed the files between the kernel's diff and its arrival.
pub fn apply(listing: &mut Vec<FileEntry>, change: &FilesChanged) {
    let find = |listing: &[FileEntry], path: &str| listing.binary_search_by(|e| listing_order(&e.path, path));
    for path in &change.removed {
        if let Ok(at) = find(listing, path) {
            listing.remove(at);
        }
    }
    for entry in &change.entries {
        match find(listing, &entry.path) {
            Ok(at) => listing[at] = entry.clone(),
            Err(at) => listing.insert(at, entry.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64) -> FileEntry {
        FileEntry { path: path.into(), is_dir: false, size, read_only: false }
    }

    fn dir(path: &str) -> FileEntry {
        FileEntry { path: path.into(), is_dir: true, size: 0, read_only: false }
    }

    fn snap(entry: FileEntry, modified_ms: f64) -> Snapshot {
        Snapshot { entry, modified_ms }
    }

    /// A listing: `(path, size, modified)`, a size of `None` being a directory.
    fn listing(rows: &[(&str, Option<u64>, f64)]) -> Vec<Snapshot> {
        rows.iter()
            .map(|&(path, size, at)| snap(size.map_or_else(|| dir(path), |size| file(path, size)), at))
            .collect()
    }

    #[test]
    fn a_subtree_comes_before_the_next_sibling() {
        let mut paths = vec!["/a-c", "/a/b", "/a", "/b", "/a/b/c"];
        paths.sort_by(|a, b| listing_order(a, b));
        assert_eq!(paths, ["/a", "/a/b", "/a/b/c", "/a-c", "/b"]);
    }

    #[test]
    fn the_diff_names_new_changed_and_removed_paths_and_nothing_else() {
        let old = listing(&[
            ("/a", None, 1.0),
            ("/a/gone.txt", Some(3), 1.0),
            ("/a/same.txt", Some(3), 1.0),
            ("/a/touched.txt", Some(3), 1.0),
            ("/b.txt", Some(1), 1.0),
        ]);
        let new = listing(&[
            ("/a", None, 1.0),
            ("/a/new.txt", Some(0), 2.0),
            ("/a/same.txt", Some(3), 1.0),
            ("/a/touched.txt", Some(3), 2.0),
            ("/a-b.txt", Some(9), 2.0),
            ("/b.txt", Some(5), 2.0),
        ]);
        let change = diff(&old, &new);
        let paths: Vec<_> = change.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/a/new.txt", "/a/touched.txt", "/a-b.txt", "/b.txt"]);
        assert_eq!(change.removed, ["/a/gone.txt"]);
        assert!(is_empty(&diff(&new, &new)));

        let mut listing: Vec<FileEntry> = old.iter().map(|s| s.entry.clone()).collect();
        apply(&mut listing, &change);
        let expected: Vec<FileEntry> = new.iter().map(|s| s.entry.clone()).collect();
        assert_eq!(listing, expected);
        apply(&mut listing, &change);
        assert_eq!(listing, expected, "applying twice changes nothing more");
    }

    #[test]
    fn a_change_applies_to_a_listing_that_already_has_part_of_it() {
        let mut listing = vec![dir("/d"), file("/d/x", 1)];
        let change =
            FilesChanged { entries: vec![file("/d/x", 1), file("/e", 2)], removed: vec!["/f".into()] };
        apply(&mut listing, &change);
        assert_eq!(listing, [dir("/d"), file("/d/x", 1), file("/e", 2)]);
    }
}

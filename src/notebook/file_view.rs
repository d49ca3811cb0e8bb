//! What the page's file browser shows, free of browser code: the rows of the tree (with
//! directory totals), sizes in words, whether bytes read as text, and the hex view.

use std::collections::BTreeSet;

use super::protocol::FileEntry;

/// How much of a file the browser previews.
pub const PREVIEW_BYTES: u64 = 64 * 1024;

/// One visible row of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct TreeRow {
    /// Absolute path.
    pub path: String,
    /// The last part of the path.
    pub name: String,
    /// 1 for the entries of `/`, 2 below them, and so on.
    pub depth: usize,
    /// Whether it is a directory.
    pub is_dir: bool,
    /// A file's size, or the total of the files below a directory.
    pub size: u64,
    /// For a directory, how many entries it holds directly.
    pub children: usize,
    /// Whether writes are refused.
    pub read_only: bool,
}

/// The rows to show: every entry whose directories above are all expanded, in the
/// listing's order (depth first, names sorted).
pub fn visible_rows(entries: &[FileEntry], expanded: &BTreeSet<String>) -> Vec<TreeRow> {
    entries
        .iter()
        .filter(|e| ancestors(&e.path).all(|dir| dir == "/" || expanded.contains(dir)))
        .map(|e| {
            let prefix = format!("{}/", e.path);
            let below = |other: &&FileEntry| other.path.starts_with(&prefix);
            let (size, children) = if e.is_dir {
                let total = entries.iter().filter(below).filter(|o| !o.is_dir).map(|o| o.size).sum();
                let direct = entries.iter().filter(below).filter(|o| parent_dir(&o.path) == e.path).count();
                (total, direct)
            } else {
                (e.size, 0)
            };
            TreeRow {
                path: e.path.clone(),
                name: e.path.rsplit('/').next().unwrap_or_default().to_string(),
                depth: e.path.matches('/').count(),
                is_dir: e.is_dir,
                size,
                children,
                read_only: e.read_only,
            }
        })
        .collect()
}

/// The directories above an absolute path, nearest first, ending with `/`.
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(parent_dir(path)), |dir| (*dir != "/").then(|| parent_dir(dir)))
}

/// The directory holding an absolute path (`/` holds itself).
pub fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

/// `name` inside `dir`; a name starting with `/` is already a whole path.
pub fn join(dir: &str, name: &str) -> String {
    if name.starts_with('/') {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// A size as people read it: `812 B`, `1.5 KiB`, `3.0 MiB`.
pub fn human_size(bytes: u64) -> String {
    crate::memory::scaled_bytes(bytes, 1024, ["KiB", "MiB", "GiB", "TiB"])
}

/// The bytes as text, if they are text: UTF-8 with no NUL and few control characters.
/// `cut` says the bytes are the start of a longer file, so a character split at the end
/// is dropped rather than counted against them.
pub fn as_text(bytes: &[u8], cut: bool) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if cut && e.error_len().is_none() => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let controls =
        text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')).count();
    (!text.contains('\0') && controls * 100 <= text.chars().count()).then(|| text.to_string())
}

/// A hex view as `hexdump -C` prints one: an offset, `per_line` bytes in hex (a gap after
/// half of them) and the printable ASCII, one line per `per_line` bytes (`hexdump -C` has
/// 16; a narrow panel shows fewer rather than cut the line off).
pub fn hex_dump(bytes: &[u8], per_line: usize) -> String {
    let per_line = per_line.max(1);
    let mut out = String::new();
    for (line, chunk) in bytes.chunks(per_line).enumerate() {
        let mut hex = String::new();
        for i in 0..per_line {
            match chunk.get(i) {
                Some(b) => hex.push_str(&format!("{b:02x} ")),
                None => hex.push_str("   "),
            }
            if i + 1 == per_line / 2 {
                hex.push(' ');
            }
        }
        let ascii: String =
            chunk.iter().map(|&b| if (0x20..0x7f).contains(&b) { b as char } else { '.' }).collect();
        out.push_str(&format!("{:08x}  {hex} |{ascii}|\n", line * per_line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, is_dir: bool, size: u64) -> FileEntry {
        FileEntry { path: path.into(), is_dir, size, read_only: false }
    }

    #[test]
    fn rows_follow_the_expanded_directories_and_total_their_files() {
        let entries = vec![
            entry("/home", true, 0),
            entry("/home/user", true, 0),
            entry("/home/user/a.txt", false, 10),
            entry("/home/user/sub", true, 0),
            entry("/home/user/sub/b.bin", false, 5),
            entry("/tmp", true, 0),
        ];
        let shown = |open: &[&str]| {
            let expanded = open.iter().map(|s| s.to_string()).collect();
            visible_rows(&entries, &expanded).into_iter().map(|r| r.path).collect::<Vec<_>>()
        };
        assert_eq!(shown(&[]), ["/home", "/tmp"]);
        assert_eq!(shown(&["/home/user"]), ["/home", "/tmp"], "a closed parent hides its open child");
        assert_eq!(
            shown(&["/home", "/home/user"]),
            ["/home", "/home/user", "/home/user/a.txt", "/home/user/sub", "/tmp"]
        );
        let rows = visible_rows(&entries, &["/home".to_string()].into());
        assert_eq!((rows[0].size, rows[0].children, rows[0].depth), (15, 1, 1));
        assert_eq!(
            (rows[1].name.as_str(), rows[1].size, rows[1].children, rows[1].depth),
            ("user", 15, 2, 2)
        );
    }

    #[test]
    fn paths_join_and_split() {
        assert_eq!(join("/home/user", "a.txt"), "/home/user/a.txt");
        assert_eq!(join("/", "a.txt"), "/a.txt");
        assert_eq!(join("/home/user", "/tmp/x"), "/tmp/x");
        assert_eq!(parent_dir("/home/user/a.txt"), "/home/user");
        assert_eq!(parent_dir("/tmp"), "/");
    }

    #[test]
    fn sizes_read_as_words() {
        assert_eq!(human_size(0), "0 B");
        assert_eq!(human_size(1023), "1023 B");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(3 * 1024 * 1024), "3.0 MiB");
    }

    #[test]
    fn text_is_told_from_binary() {
        assert_eq!(as_text(b"hello\nworld\t!\n", false).as_deref(), Some("hello\nworld\t!\n"));
        assert_eq!(as_text(&[0x00, 0x9f, 0x92, 0x96], false), None, "not UTF-8");
        assert_eq!(as_text(b"a\0b", false), None, "NUL");
        assert_eq!(as_text(&[b'a'; 3].iter().chain(&[1u8, 2, 3]).copied().collect::<Vec<_>>(), false), None);
        let cut = "é".repeat(3).into_bytes();
        assert_eq!(as_text(&cut[..5], true).as_deref(), Some("éé"), "a character cut at the end");
        assert_eq!(as_text(&cut[..5], false), None);
    }

    #[test]
    fn hex_lines_show_offset_bytes_and_ascii() {
        let dump = hex_dump(b"Hello, hex view!\x00\x01", 16);
        let lines: Vec<_> = dump.lines().collect();
        assert_eq!(
            lines[0],
            "00000000  48 65 6c 6c 6f 2c 20 68  65 78 20 76 69 65 77 21  |Hello, hex view!|"
        );
        assert_eq!(lines[1], "00000010  00 01                                             |..|");
        assert_eq!(hex_dump(b"", 16), "");
    }

    #[test]
    fn a_narrow_hex_view_has_fewer_bytes_a_line() {
        let dump = hex_dump(b"Hello, hex view!\x00\x01", 8);
        let lines: Vec<_> = dump.lines().collect();
        assert_eq!(lines[0], "00000000  48 65 6c 6c  6f 2c 20 68  |Hello, h|");
        assert_eq!(lines[1], "00000008  65 78 20 76  69 65 77 21  |ex view!|");
        assert_eq!(lines[2], "00000010  00 01                     |..|");
        assert_eq!(hex_dump(b"abcde", 4), "00000000  61 62  63 64  |abcd|\n00000004  65            |e|\n");
    }
}

//! The log viewer's model: the records of the session (the newest ones, bounded) and the
//! filter a person sets (lowest level, logger name, text to find). Pure logic; the page
//! draws it.

use std::collections::VecDeque;

use super::protocol::LogEntry;
use crate::case::Case;

/// What the viewer shows of the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Records below this level are hidden (0 shows all).
    pub min_level: u32,
    /// Only this logger and its children (`app` matches `app` and `app.db`, not `apple`).
    pub logger: String,
    /// Only records whose message or logger contains this text (case-insensitive).
    pub text: String,
}

impl LogFilter {
    /// Whether `entry` passes.
    pub fn matches(&self, entry: &LogEntry) -> bool {
        if entry.level < self.min_level {
            return false;
        }
        let name = self.logger.trim();
        if !name.is_empty() && entry.logger != name && !entry.logger.starts_with(&format!("{name}.")) {
            return false;
        }
        let text = self.text.trim().lower();
        text.is_empty() || entry.message.lower().contains(&text) || entry.logger.lower().contains(&text)
    }
}

/// The records kept for the viewer: at most `capacity`, the oldest dropped first.
#[derive(Debug, Clone)]
pub struct LogBook {
    entries: VecDeque<LogEntry>,
    capacity: usize,
    dropped: u64,
}

impl LogBook {
    /// An empty book keeping at most `capacity` records.
    pub fn new(capacity: usize) -> LogBook {
        LogBook { entries: VecDeque::new(), capacity: capacity.max(1), dropped: 0 }
    }

    /// Adds a record; returns `true` if an old one was dropped to make room.
    pub fn push(&mut self, entry: LogEntry) -> bool {
        self.entries.push_back(entry);
        if self.entries.len() > self.capacity {
            self.entries.pop_front();
            self.dropped += 1;
            return true;
        }
        false
    }

    /// Forgets every record.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.dropped = 0;
    }

    /// The records that pass `filter`, oldest first.
    pub fn visible<'a>(&'a self, filter: &'a LogFilter) -> impl Iterator<Item = &'a LogEntry> + 'a {
        self.entries.iter().filter(move |e| filter.matches(e))
    }

    /// How many records are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none are kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many were dropped for room.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

/// The level name a line of logging output carries, if any: the first of `DEBUG`, `INFO`,
/// `WARNING`, `ERROR`, `CRITICAL` standing as a whole word (so a cell can colour the lines
/// a handler wrote into its output by level, whatever the format).
pub fn level_in_line(line: &str) -> Option<&'static str> {
    const LEVELS: [&str; 5] = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
    let is_word_char = |c: char| c.is_ascii_alphanumeric() || c == '_';
    line.split(|c: char| !is_word_char(c)).find_map(|word| LEVELS.iter().find(|l| **l == word).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64, level: u32, logger: &str, message: &str) -> LogEntry {
        LogEntry {
            seq,
            created_ms: 0.0,
            level,
            level_name: String::new(),
            logger: logger.into(),
            message: message.into(),
            process_name: "MainProcess".into(),
        }
    }

    #[test]
    fn filters_by_level_logger_subtree_and_text() {
        let f = LogFilter { min_level: 30, logger: "app".into(), text: String::new() };
        assert!(f.matches(&entry(1, 30, "app", "x")));
        assert!(f.matches(&entry(2, 40, "app.db", "x")));
        assert!(!f.matches(&entry(3, 20, "app", "x")), "below the level");
        assert!(!f.matches(&entry(4, 50, "apple", "x")), "not a child of app");
        let f = LogFilter { text: "DISK".into(), ..Default::default() };
        assert!(f.matches(&entry(5, 10, "root", "disk full")));
        assert!(f.matches(&entry(6, 10, "disk.io", "ok")));
        assert!(!f.matches(&entry(7, 10, "root", "fine")));
    }

    #[test]
    fn keeps_the_newest_records() {
        let mut book = LogBook::new(2);
        assert!(!book.push(entry(1, 10, "a", "one")));
        book.push(entry(2, 10, "a", "two"));
        assert!(book.push(entry(3, 10, "a", "three")));
        let all = LogFilter::default();
        let seqs: Vec<u64> = book.visible(&all).map(|e| e.seq).collect();
        assert_eq!((seqs, book.dropped()), (vec![2, 3], 1));
        book.clear();
        assert!(book.is_empty());
    }
}

//! Levels: plain numbers, as Python's (`DEBUG` 10 ... `CRITICAL` 50) and the `log`
//! crate's `Level`, and [`LevelNames`], a table of their names. The thread's own table
//! (custom names from `add_level_name`) is read by the functions of `super::names`.

use litemap::LiteMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// A level: a plain number, compared as numbers (higher is more severe).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Level(pub i32);

/// `NOTSET` (0): a logger with it defers to its parent; a handler with it passes all.
pub const NOTSET: Level = Level(0);
/// `DEBUG` (10).
pub const DEBUG: Level = Level(10);
/// `INFO` (20).
pub const INFO: Level = Level(20);
/// `WARNING` (30), the root logger's level at start.
pub const WARNING: Level = Level(30);
/// `ERROR` (40).
pub const ERROR: Level = Level(40);
/// `CRITICAL` (50).
pub const CRITICAL: Level = Level(50);
/// `log::Level::Trace` as a number (below DEBUG), named `TRACE` once the `log` facade is
/// installed.
pub const TRACE: Level = Level(5);

impl Level {
    /// The number.
    pub fn number(self) -> i32 {
        self.0
    }
}

impl From<i32> for Level {
    fn from(number: i32) -> Level {
        Level(number)
    }
}

/// The names every table starts with (Python's, and `TRACE` for the `log` facade's).
const STANDARD: [(Level, &str); 7] = [
    (CRITICAL, "CRITICAL"),
    (ERROR, "ERROR"),
    (WARNING, "WARNING"),
    (INFO, "INFO"),
    (DEBUG, "DEBUG"),
    (TRACE, "TRACE"),
    (NOTSET, "NOTSET"),
];

impl fmt::Display for Level {
    /// The standard name (`INFO`), else `Level N`, as a value alone can tell: a name given
    /// with `add_level_name` is the thread's, which `get_level_name` reads.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match STANDARD.iter().find(|(level, _)| level == self) {
            Some((_, name)) => f.write_str(name),
            None => write!(f, "Level {}", self.0),
        }
    }
}

/// The two tables Python keeps: number to name and name to number.
#[derive(Debug, Clone)]
pub(crate) struct LevelNames {
    to_name: LiteMap<Level, String>,
    to_level: LiteMap<String, Level>,
}

impl Default for LevelNames {
    fn default() -> Self {
        let mut names = LevelNames { to_name: LiteMap::new(), to_level: LiteMap::new() };
        // TRACE is named only once the `log` facade is installed (see `super::state`).
        for (level, name) in STANDARD.into_iter().filter(|&(level, _)| level != TRACE) {
            names.add(level, name);
        }
        // Python's aliases: names that map to a level but are not its name.
        names.to_level.insert("WARN".to_string(), WARNING);
        names.to_level.insert("FATAL".to_string(), CRITICAL);
        names
    }
}

impl LevelNames {
    pub(crate) fn add(&mut self, level: Level, name: &str) {
        self.to_name.insert(level, name.to_string());
        self.to_level.insert(name.to_string(), level);
    }

    pub(crate) fn name(&self, level: Level) -> String {
        match self.to_name.get(&level) {
            Some(name) => name.clone(),
            None => format!("Level {}", level.0),
        }
    }

    pub(crate) fn level(&self, name: &str) -> Option<Level> {
        self.to_level.get(name).copied()
    }

    /// Every name and its level.
    pub(crate) fn mapping(&self) -> LiteMap<String, Level> {
        self.to_level.clone()
    }
}

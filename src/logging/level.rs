//! Levels: numbers with names, as Python's (`DEBUG` 10 ... `CRITICAL` 50) and the `log`
//! crate's `Level`; custom levels are any number given a name with [`add_level_name`].

use litemap::LiteMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::errors::LogError;
use super::state::with_state;
use crate::pyrepr::str_repr;

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

impl Level {
    /// The number.
    pub fn number(self) -> i32 {
        self.0
    }

    /// The level's name in this thread's table, or `Level N` for an unnamed number, as
    /// Python's `getLevelName`.
    pub fn name(self) -> String {
        get_level_name(self)
    }

    /// The level registered under `name`, exactly as spelt (Python's `_checkLevel`: `"INFO"`
    /// is a level, `"info"` is `ValueError: Unknown level: 'info'`, and so is `"25"`).
    pub fn from_name(name: &str) -> Result<Level, LogError> {
        with_state(|s| s.level_names.level(name))
            .flatten()
            .ok_or_else(|| LogError::value(format!("Unknown level: {}", str_repr(name))))
    }
}

impl From<i32> for Level {
    fn from(number: i32) -> Level {
        Level(number)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Names `level` (both ways), as Python's `addLevelName(25, "NOTICE")`.
pub fn add_level_name(level: impl Into<Level>, name: &str) {
    let level = level.into();
    with_state(|s| s.level_names.add(level, name));
}

/// The name of `level`, or `Level N` when it has none (Python's `getLevelName`).
pub fn get_level_name(level: impl Into<Level>) -> String {
    let level = level.into();
    with_state(|s| s.level_names.name(level)).unwrap_or_else(|| LevelNames::default().name(level))
}

/// Every registered name and its level (Python's `getLevelNamesMapping`).
pub fn level_names_mapping() -> LiteMap<String, Level> {
    with_state(|s| s.level_names.to_level.iter().map(|(k, v)| (k.clone(), *v)).collect()).unwrap_or_default()
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
        for (level, name) in
            [(CRITICAL, "CRITICAL"), (ERROR, "ERROR"), (WARNING, "WARNING"), (INFO, "INFO"), (DEBUG, "DEBUG")]
        {
            names.add(level, name);
        }
        names.add(NOTSET, "NOTSET");
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
}

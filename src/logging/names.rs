//! The thread's level names, as Python's module functions read its global table:
//! `addLevelName`, `getLevelName`, `getLevelNamesMapping`, and the name check of
//! `setLevel("INFO")`. A [`Level`] itself is a plain number.

use litemap::LiteMap;

use super::errors::LogError;
use super::level::{Level, LevelNames};
use super::state::with_state;
use crate::pyrepr::str_repr;

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

/// The level registered under `name`, exactly as spelt (Python's `_checkLevel`: `"INFO"`
/// is a level, `"info"` is `ValueError: Unknown level: 'info'`, and so is `"25"`).
pub fn level_from_name(name: &str) -> Result<Level, LogError> {
    with_state(|s| s.level_names.level(name))
        .flatten()
        .ok_or_else(|| LogError::value(format!("Unknown level: {}", str_repr(name))))
}

/// Every registered name and its level (Python's `getLevelNamesMapping`).
pub fn level_names_mapping() -> LiteMap<String, Level> {
    with_state(|s| s.level_names.mapping()).unwrap_or_default()
}

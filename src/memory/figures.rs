//! What a measurement reports, and how the page writes it.

use serde::{Deserialize, Serialize};

/// The memory a cell run (or any measured stretch of code) used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryFigures {
    /// Bytes held at the end minus bytes held at the start (negative if it freed more).
    pub held_bytes: i64,
    /// The most bytes held at any moment, above those held at the start.
    pub peak_bytes: u64,
    /// How many allocations it made (growing a block counts as one).
    pub allocations: u64,
}

impl MemoryFigures {
    /// One line for a person: `peak 8.0 MB · 21 allocs · held +2.0 kB`. A run that gave
    /// back more than it took (memory held before it started, freed during it) says
    /// `freed 294 B`, not a negative amount held.
    pub fn summary(&self) -> String {
        let held = match self.held_bytes {
            0 => "held 0 B".to_string(),
            b if b > 0 => format!("held +{}", format_bytes(b.unsigned_abs())),
            b => format!("freed {}", format_bytes(b.unsigned_abs())),
        };
        let allocs = if self.allocations == 1 { "alloc" } else { "allocs" };
        format!(
            "peak {} · {} {allocs} · {held}",
            format_bytes(self.peak_bytes),
            format_count(self.allocations)
        )
    }
}

/// Bytes in decimal units, as `memory_profiler` and disk makers count: `512 B`,
/// `7.6 kB`, `8.0 MB`, `1.2 GB`.
pub fn format_bytes(bytes: u64) -> String {
    scaled_bytes(bytes, 1000, ["kB", "MB", "GB", "TB"])
}

/// `bytes` as `N B` under one `step`, else in the largest of `units` (each `step` times
/// the one before) that keeps the figure, rounded to a tenth, below `step`.
pub fn scaled_bytes(bytes: u64, step: u64, units: [&str; 4]) -> String {
    if bytes < step {
        return format!("{bytes} B");
    }
    let step = step as f64;
    let mut value = bytes as f64 / step;
    let mut unit = 0;
    while value >= step - 0.05 && unit + 1 < units.len() {
        value /= step;
        unit += 1;
    }
    format!("{value:.1} {}", units[unit])
}

/// A count with thousands separators: `1,000,012`.
pub fn format_count(count: u64) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_and_counts_read_as_people_write_them() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(7_600), "7.6 kB");
        assert_eq!(format_bytes(8_000_000), "8.0 MB");
        assert_eq!(format_bytes(999_990), "1.0 MB");
        assert_eq!(format_bytes(1_234_000_000), "1.2 GB");
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000), "1,000");
        assert_eq!(format_count(1_000_012), "1,000,012");
    }

    #[test]
    fn a_summary_shows_peak_allocations_and_what_is_still_held() {
        let f = MemoryFigures { held_bytes: 0, peak_bytes: 7_600_000, allocations: 1_000_012 };
        assert_eq!(f.summary(), "peak 7.6 MB · 1,000,012 allocs · held 0 B");
        let f = MemoryFigures { held_bytes: -2_048, peak_bytes: 10, allocations: 1 };
        assert_eq!(f.summary(), "peak 10 B · 1 alloc · freed 2.0 kB", "more given back than taken");
        let f = MemoryFigures { held_bytes: 120, ..f };
        assert!(f.summary().ends_with("held +120 B"));
    }
}

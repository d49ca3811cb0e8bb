//! Counts in words: "1 raw write", "2 raw writes", never "1 raw writes" or "file(s)".

use std::fmt::Display;

/// `n` and the noun that agrees with it: `one` for exactly 1, `many` for any other count
/// (0 files, 2 files, -1 bytes), as English says them.
pub fn count(n: impl Display, one: &str, many: &str) -> String {
    with_noun(n.to_string(), one, many)
}

/// The part of [`count`] that is not generic, so it is in the module once.
fn with_noun(n: String, one: &str, many: &str) -> String {
    let noun = if n == "1" { one } else { many };
    format!("{n} {noun}")
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1_usize, "raw write", "raw writes"), "1 raw write");
        assert_eq!(count(0_u64, "raw write", "raw writes"), "0 raw writes");
        assert_eq!(count(2_u32, "entry", "entries"), "2 entries");
        assert_eq!(count(-1_i64, "byte", "bytes"), "-1 bytes");
        assert_eq!(count(1_i64, "process", "processes"), "1 process");
    }
}

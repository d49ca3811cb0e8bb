//! The bodies of the fuzz targets, one module each: `run(data)` feeds one input to a part
//! of the notebook and returns `Err` with what broke when a property does not hold. A
//! panic anywhere below is a bug too. The libFuzzer binaries in `fuzz_targets/` call these
//! (`scripts/fuzz.sh`); `tests/fuzz_replay.rs` in the main crate runs them on the seeds and
//! on mutated inputs as part of `cargo test`.
//!
//! - `mode`: `open`'s mode parser against a spec of its own, then `open` with that mode.
//! - `path`: the path normaliser's output form, idempotence, and the `os` operations on it.
//! - `format`: a logging format and `datefmt`, parsed and used on a record.
//! - `ops`: a sequence of file operations decoded from the bytes, with the quota's books
//!   checked after each.

pub mod format;
pub mod input;
pub mod mode;
pub mod ops;
pub mod path;

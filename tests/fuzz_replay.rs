//! The fuzz targets of `fuzz/` as a deterministic `cargo test`: each target's body runs on
//! every file of `fuzz/seeds/<target>/` (hand-written seeds, and every input libFuzzer
//! ever found failing, kept there as a regression), then on inputs made by mutating those
//! seeds with a fixed-seed generator (byte flips, inserted bytes and tokens, cuts,
//! splices). No libFuzzer and no nightly compiler are needed, and a run always tries the
//! same inputs. `FUZZ_REPLAY_INPUTS=100000` tries more per target; `scripts/fuzz.sh` runs
//! the real coverage-guided fuzzer for as long as it is given.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../fuzz/src/lib.rs"]
mod notebook_fuzz;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

type Target = fn(&[u8]) -> Result<(), String>;

/// Tokens the mutator inserts, so mutated inputs reach past the parsers' first checks.
const TOKENS: &[&[u8]] = &[
    b"%(",
    b")s",
    b"asctime",
    b"message",
    b"levelname",
    b"created",
    b"msecs",
    b"%Y",
    b"%-d",
    b"%E",
    b"%%",
    b".*",
    b"100000",
    b"99999999999999999999",
    b"/..",
    b"/.",
    b"\0",
    b"\xfe",
    b"\xff",
    b"r+",
    b"b",
    b"\xe2\x82\xac",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(8) {
        let at = rng.below(data.len() + 1);
        match rng.below(6) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            3 if at < data.len() => {
                let end = (at + 1 + rng.below(8)).min(data.len());
                data.drain(at..end);
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.splice(at..at, other[from..].iter().copied().take(16));
            }
            _ => {
                let end = (at + rng.below(16)).min(data.len());
                let copy = data[at..end].to_vec();
                data.splice(at..at, copy);
            }
        }
    }
    data
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable seed").path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).expect("a readable seed")).collect()
}

/// Runs `target` on one input; what broke, with the input written out to keep.
fn try_one(name: &str, target: Target, data: &[u8]) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| target(data)));
    let broke = match outcome {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(broken)) => broken,
        Err(panic) => {
            let text = panic.downcast_ref::<String>().cloned();
            let text = text.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()));
            format!("panic: {}", text.unwrap_or_default())
        }
    };
    Err(format!("{name} broke on {data:?} ({:?}): {broke}", String::from_utf8_lossy(data)))
}

fn replay(name: &str, target: Target, default_inputs: usize) {
    let inputs =
        std::env::var("FUZZ_REPLAY_INPUTS").ok().and_then(|n| n.parse().ok()).unwrap_or(default_inputs);
    let seeds = seeds(name);
    assert!(!seeds.is_empty(), "fuzz/seeds/{name} holds no seed");
    for seed in &seeds {
        if let Err(broke) = try_one(name, target, seed) {
            panic!("{broke}");
        }
    }
    let mut rng = Rng(0x5EED ^ name.len() as u64);
    for _ in 0..inputs {
        let data = mutate(&mut rng, &seeds);
        if let Err(broke) = try_one(name, target, &data) {
            panic!("{broke}\n(keep it: save those bytes as a file in fuzz/seeds/{name}/)");
        }
    }
}

#[test]
fn mode_parser() {
    replay("mode", notebook_fuzz::mode::run, 6000);
}

#[test]
fn path_normaliser() {
    replay("path", notebook_fuzz::path::run, 6000);
}

#[test]
fn logging_format_and_datefmt() {
    replay("format", notebook_fuzz::format::run, 6000);
}

#[test]
fn file_operation_sequences() {
    replay("ops", notebook_fuzz::ops::run, 3000);
}

/// The targets can fail: a property broken on purpose is reported with its input.
#[test]
fn a_broken_property_is_reported() {
    let broken: Target = |data| if data.first() == Some(&7) { Err("seven".into()) } else { Ok(()) };
    assert_eq!(try_one("t", broken, &[1]), Ok(()));
    assert!(try_one("t", broken, &[7]).is_err_and(|e| e.contains("[7]") && e.contains("seven")));
    let panics: Target = |_| panic!("boom");
    assert!(try_one("t", panics, b"").is_err_and(|e| e.contains("panic: boom")));
}

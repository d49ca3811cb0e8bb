//! The file system benchmark's workload, shared by its two runners: the native
//! `examples/vfs_bench.rs` and the in-browser `tests/bench_vfs_browser.rs`.
//!
//! Why here: each runner includes this one file with `#[path = ...] mod vfs_workload;`, so
//! both run exactly the same code and print the same table, and only the clock differs
//! (each runner passes its own `now`). `src/` is the notebook itself and is not the place
//! for benchmark code; `benches/*.rs` would be picked up by Cargo as a bench target of its
//! own; and Cargo builds no target from a file in a subfolder of `tests/` (only
//! `tests/*.rs` and `tests/*/main.rs`), so this file is compiled only where it is included.
//!
//! The workload: write `bytes` in 16-byte pieces to a file of a fresh [`FileSystem`], then
//! read it back in 16-byte pieces, checking every piece, first with `read(16)` (a new `Vec`
//! each) and again with `readinto` (into the caller's 16 bytes); once with an 8192-byte
//! buffer and once unbuffered. Each pass also times `std::io::BufWriter` over a `Vec<u8>` and
//! `std::io::BufReader` over a `Cursor` doing the same pieces, in the same run, as the
//! yardstick. Each pass runs [`REPEATS`] times and each measure keeps its fastest run.
//! Nothing here asserts a speed: the figures are printed, never checked. Besides the table,
//! [`figures`] prints them as `FIGURE <name> <value>` lines, which `scripts/bench.sh`
//! collects into its one table.

use std::io::{BufReader, BufWriter, Cursor, Read, Write};

use notebook::vfs::{FileSystem, IoCounts};

/// Bytes per write and per read.
pub const PIECE: usize = 16;
/// The buffer of the buffered pass, of `BufWriter` and of `BufReader`.
pub const BUFFER: usize = 8192;
const MIB: usize = 1 << 20;
/// What each pass moves, unless the unbuffered pass would take too long.
pub const FULL_BYTES: usize = 64 * MIB;
/// What the unbuffered pass moves when [`FULL_BYTES`] would pass [`BUDGET_SECS`].
pub const REDUCED_BYTES: usize = 8 * MIB;
/// The longest the unbuffered pass's runs may take at [`FULL_BYTES`] (as a probe predicts).
pub const BUDGET_SECS: f64 = 20.0;
/// Runs of each pass; each measure keeps its fastest.
pub const REPEATS: usize = 3;
/// The probe that predicts the unbuffered pass's time.
const PROBE_BYTES: usize = MIB;
/// Heap touched before the passes: more than a pass's peak (the file, or the `Vec`, while
/// it doubles from 32 to 64 MiB).
const WARM_BYTES: usize = 320 * MIB;
/// The file system's quota: room for the file with plenty to spare.
const QUOTA: u64 = 256 * MIB as u64;
const PATH: &str = "/tmp/vfs_bench.bin";

/// What one pass measured.
pub struct Pass {
    /// `buffered` or `unbuffered`.
    pub name: &'static str,
    /// Bytes written, then read.
    pub bytes: usize,
    /// Seconds for the file system's write (open to close), read and readinto.
    pub write_secs: f64,
    pub read_secs: f64,
    pub readinto_secs: f64,
    /// Seconds for `BufWriter` and `BufReader` doing the same pieces.
    pub std_write_secs: f64,
    pub std_read_secs: f64,
    /// The writing handle's and the reading handle's counts.
    pub write_counts: IoCounts,
    pub read_counts: IoCounts,
    /// For the buffered pass, ceil(bytes / 8192): the raw writes (and reads) it should make.
    pub expected_raw_calls: Option<u64>,
    /// Whether every piece read back (from the file and from the `Vec`) was the piece
    /// written, and the file's size is the bytes written.
    pub verified: bool,
    /// Why the pass moved fewer bytes than [`FULL_BYTES`], if it did.
    pub note: Option<String>,
}

/// 64 KiB of pseudo-random bytes; piece `k` is the `k`-th 16 bytes of it, cyclically.
struct Pattern(Vec<u8>);

impl Pattern {
    fn new() -> Pattern {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let bytes = (0..64 * 1024)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 56) as u8
            })
            .collect();
        Pattern(bytes)
    }

    fn piece(&self, k: usize) -> &[u8] {
        let start = (k * PIECE) % self.0.len();
        &self.0[start..start + PIECE]
    }

    /// Whether `got` is piece `k`. Every measure checks its pieces with this one
    /// comparison of two 16-byte arrays, so the check costs them all the same. (Comparing
    /// slices of a length known only at run time, as `Vec == &[u8]` does, calls `memcmp`,
    /// which in wasm is compiler-builtins' byte-by-byte loop: about 9 ns a piece, half of
    /// what a `read(16)` measured, where the array comparisons of the others cost ~1 ns.)
    fn is_piece(&self, k: usize, got: &[u8]) -> bool {
        let want = <&[u8; PIECE]>::try_from(self.piece(k));
        matches!((<&[u8; PIECE]>::try_from(got), want), (Ok(got), Ok(want)) if got == want)
    }
}

/// Runs both passes, each [`REPEATS`] times keeping the fastest time of each measure:
/// buffered at [`FULL_BYTES`], unbuffered at [`FULL_BYTES`] unless a 1 MiB probe predicts
/// more than [`BUDGET_SECS`] for its repeats, then at [`REDUCED_BYTES`].
/// `now` is a monotonic clock in milliseconds.
pub fn run_all(now: &dyn Fn() -> f64) -> Vec<Pass> {
    let pattern = Pattern::new();
    warm_heap();
    let buffered = best_of(&pattern, "buffered", BUFFER as i64, FULL_BYTES, now);
    let probe = run_pass(&pattern, "probe", 0, PROBE_BYTES, now);
    let predicted = (probe.write_secs + probe.read_secs + probe.readinto_secs)
        * (FULL_BYTES / PROBE_BYTES) as f64
        * REPEATS as f64;
    let mut unbuffered = if predicted > BUDGET_SECS {
        let mut pass = best_of(&pattern, "unbuffered", 0, REDUCED_BYTES, now);
        pass.note = Some(format!(
            "unbuffered measured over {} MiB, not {} MiB: a {} MiB probe predicted {:.0} s for {} runs \
             at {} MiB (budget {:.0} s)",
            REDUCED_BYTES / MIB,
            FULL_BYTES / MIB,
            PROBE_BYTES / MIB,
            predicted,
            REPEATS,
            FULL_BYTES / MIB,
            BUDGET_SECS
        ));
        pass
    } else {
        best_of(&pattern, "unbuffered", 0, FULL_BYTES, now)
    };
    unbuffered.verified &= probe.verified;
    vec![buffered, unbuffered]
}

/// Touches more heap than a pass uses, once, and frees it. Without this, in wasm, where a
/// 64 MiB `Vec` lands (memory just grown or memory reused) made `BufWriter`'s figure differ
/// by two times from one pass to the next in the same run; with it they agree.
fn warm_heap() {
    std::hint::black_box(vec![1u8; WARM_BYTES]);
}

/// [`REPEATS`] runs of a pass: the fastest time of each measure, the last run's counts.
/// The fastest run is the one least disturbed by whatever else the machine was doing.
fn best_of(
    pattern: &Pattern,
    name: &'static str,
    buffering: i64,
    bytes: usize,
    now: &dyn Fn() -> f64,
) -> Pass {
    let mut best = run_pass(pattern, name, buffering, bytes, now);
    for _ in 1..REPEATS {
        let run = run_pass(pattern, name, buffering, bytes, now);
        best.write_secs = best.write_secs.min(run.write_secs);
        best.read_secs = best.read_secs.min(run.read_secs);
        best.readinto_secs = best.readinto_secs.min(run.readinto_secs);
        best.std_write_secs = best.std_write_secs.min(run.std_write_secs);
        best.std_read_secs = best.std_read_secs.min(run.std_read_secs);
        best.verified &= run.verified;
        best.write_counts = run.write_counts;
        best.read_counts = run.read_counts;
    }
    best
}

/// One pass: the file system with `buffering` (Python's `open` argument), then the std
/// yardstick, over `bytes` (a multiple of [`PIECE`]).
fn run_pass(
    pattern: &Pattern,
    name: &'static str,
    buffering: i64,
    bytes: usize,
    now: &dyn Fn() -> f64,
) -> Pass {
    let pieces = bytes / PIECE;
    let fs = FileSystem::empty(QUOTA);

    let start = now();
    let mut file = fs.open_with(PATH, "wb", buffering).expect("open for writing");
    for k in 0..pieces {
        file.write_bytes(pattern.piece(k)).expect("write");
    }
    file.close().expect("close after writing");
    let write_secs = (now() - start) / 1000.0;
    let write_counts = file.counts();
    let mut verified = fs.getsize(PATH).expect("size") == bytes as u64;

    let start = now();
    let mut file = fs.open_with(PATH, "rb", buffering).expect("open for reading");
    for k in 0..pieces {
        let got = file.read_bytes(Some(PIECE)).expect("read");
        verified &= pattern.is_piece(k, &got);
    }
    file.close().expect("close after reading");
    let read_secs = (now() - start) / 1000.0;
    let read_counts = file.counts();

    let start = now();
    let mut file = fs.open_with(PATH, "rb", buffering).expect("open for readinto");
    let mut piece = [0u8; PIECE];
    for k in 0..pieces {
        let n = file.readinto(&mut piece).expect("readinto");
        verified &= n == PIECE && pattern.is_piece(k, &piece);
    }
    file.close().expect("close after readinto");
    let readinto_secs = (now() - start) / 1000.0;
    verified &= file.counts() == read_counts;
    drop(fs);

    let start = now();
    let mut writer = BufWriter::with_capacity(BUFFER, Vec::new());
    for k in 0..pieces {
        writer.write_all(pattern.piece(k)).expect("BufWriter write");
    }
    let data = writer.into_inner().expect("BufWriter flush");
    let std_write_secs = (now() - start) / 1000.0;
    verified &= data.len() == bytes;

    let start = now();
    let mut reader = BufReader::with_capacity(BUFFER, Cursor::new(&data));
    let mut got = [0u8; PIECE];
    for k in 0..pieces {
        reader.read_exact(&mut got).expect("BufReader read");
        verified &= pattern.is_piece(k, &got);
    }
    let std_read_secs = (now() - start) / 1000.0;

    let expected_raw_calls = (buffering > 0).then(|| bytes.div_ceil(buffering as usize) as u64);
    Pass {
        name,
        bytes,
        write_secs,
        read_secs,
        readinto_secs,
        std_write_secs,
        std_read_secs,
        write_counts,
        read_counts,
        expected_raw_calls,
        verified,
        note: None,
    }
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / 1e6 / secs
}

/// The passes' throughputs as machine-readable lines, `FIGURE {prefix}_{pass}_{measure}_mbps
/// <MB/s>`, measure one of `write`, `read`, `readinto` (the file system), `std_write`, `std_read`
/// (`BufWriter`, `BufReader`): what `scripts/bench.sh` reads.
pub fn figures(prefix: &str, passes: &[Pass]) -> String {
    let mut out = String::new();
    for p in passes {
        for (measure, secs) in [
            ("write", p.write_secs),
            ("read", p.read_secs),
            ("readinto", p.readinto_secs),
            ("std_write", p.std_write_secs),
            ("std_read", p.std_read_secs),
        ] {
            out += &format!("FIGURE {prefix}_{}_{measure}_mbps {:.1}\n", p.name, mb_per_s(p.bytes, secs));
        }
    }
    out
}

/// The table of figures, one line per pass, with a title naming `platform` and notes.
pub fn table(platform: &str, passes: &[Pass]) -> String {
    let mut out = format!(
        "file system benchmark, {platform}\n\
         {PIECE}-byte writes, then {PIECE}-byte reads; buffered = open(path, \"wb\"/\"rb\", {BUFFER}), \
         unbuffered = buffering 0\n\
         MB = 10^6 bytes; best of {REPEATS} runs; std write/read = MB/s of BufWriter over Vec / \
         BufReader over Cursor ({BUFFER}-byte buffers) in the same runs; x/std = throughput ratio\n"
    );
    out += &format!(
        "{:<10} {:>6} {:>10} {:>10} {:>13} {:>9} {:>9} {:>10} {:>10} {:>13} {:>19} {:>10}\n",
        "pass",
        "MiB",
        "write MB/s",
        "read MB/s",
        "readinto MB/s",
        "std write",
        "std read",
        "write/std",
        "read/std",
        "readinto/std",
        "raw writes (expect)",
        "raw reads"
    );
    for p in passes {
        let write = mb_per_s(p.bytes, p.write_secs);
        let read = mb_per_s(p.bytes, p.read_secs);
        let readinto = mb_per_s(p.bytes, p.readinto_secs);
        let std_write = mb_per_s(p.bytes, p.std_write_secs);
        let std_read = mb_per_s(p.bytes, p.std_read_secs);
        let expected = p.expected_raw_calls.map_or("-".to_string(), |n| n.to_string());
        let raw_writes = format!("{} ({expected})", p.write_counts.raw_writes);
        out += &format!(
            "{:<10} {:>6} {:>10.1} {:>10.1} {:>13.1} {:>9.1} {:>9.1} {:>10.3} {:>10.3} {:>13.3} {:>19} {:>10}\n",
            p.name,
            p.bytes / MIB,
            write,
            read,
            readinto,
            std_write,
            std_read,
            write / std_write,
            read / std_read,
            readinto / std_read,
            raw_writes,
            p.read_counts.raw_reads
        );
    }
    for p in passes {
        if let Some(note) = &p.note {
            out += &format!("note: {note}\n");
        }
        if !p.verified {
            out += &format!("note: {} pass: the data read back differs from the data written\n", p.name);
        }
    }
    out
}

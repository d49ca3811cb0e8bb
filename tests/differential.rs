//! Differential test of the virtual file system against CPython's real `io` module.
//!
//! A seeded generator makes a few thousand short sequences of file operations (opens in
//! every mode, text and binary, with varied buffering and `newline`; writes, reads, line
//! loops and `readlines`, seeks, tells, truncates, flushes, closes, `mode`, `detach` and
//! what the detached object then answers, and `disk` looks at what a fresh unbuffered
//! open sees).
//! Each sequence runs on a fresh in-memory [`FileSystem`] and, all in one batch, on
//! `python3` through `tests/differential/run_ops.py` in a fresh temporary directory.
//! Every result must agree: values exactly, errors by class name and message. The first
//! sequence that differs is shrunk (greedily, one operation at a time) and printed.
//!
//! Left out of generation on purpose, as behaviour the virtual file system does not
//! model:
//! - `fileno` values (the descriptors a real process gets are not ours);
//! - `whence` 3 and 4 (Linux's `SEEK_DATA` and `SEEK_HOLE`);
//! - `\r` in the data of a sequence that opens text with `newline` `None` or `''`: a text
//!   `tell` with a `\r` held back by the newline decoder packs decoder flags into Python's
//!   opaque cookie, which this model does not reproduce (a sequence with `\r` in its data
//!   opens text with `'\n'`, `'\r'` or `'\r\n'`, whose decoder holds nothing back);
//! - a flush or truncate after a line loop, before a seek: once it turns `tell` back on,
//!   CPython starts from the snapshot taken before the loop, and its C code reads past
//!   that snapshot's bytes when the loop read further (`tests/vfs_layers.rs` has a case
//!   where it does not, matched);
//! - files of thousands of bytes with handles opened with the default buffer size
//!   (`buffering` -1, or 1 in text mode): CPython's default is the file system's block
//!   size (`st_blksize`, often 4096), the model's `io.DEFAULT_BUFFER_SIZE` (8192). So a
//!   sequence either keeps its writes to a few dozen bytes (its files stay far below
//!   4096 bytes) or gives every open a buffer size, and then sometimes writes and reads
//!   thousands of bytes, across the text layer's 8192-byte chunks.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

use notebook::pyrepr::str_repr;
use notebook::vfs::{Bytes, File, FileKind, FileSystem, IoResult, DEFAULT_QUOTA};
use serde::Serialize;
use serde_json::{json, Value};

/// How many sequences one run compares.
const SEQUENCES: usize = 3000;
/// The generator's fixed seed: the same sequences every run.
const SEED: u64 = 0x5eed_d1ff;
/// Handle slots a sequence may use.
const SLOTS: usize = 3;

// ---------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------

/// One operation, serialised as `run_ops.py` reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
enum Op {
    Open {
        h: usize,
        path: String,
        mode: String,
        buffering: i64,
        newline: Option<String>,
    },
    #[serde(rename = "write")]
    WriteText {
        h: usize,
        text: String,
    },
    #[serde(rename = "write")]
    WriteBytes {
        h: usize,
        hex: String,
    },
    Read {
        h: usize,
        n: i64,
    },
    Readline {
        h: usize,
    },
    /// `b = bytearray(n); k = f.readinto(b)`: `[k, b[:k]]` (the bytes as hex).
    Readinto {
        h: usize,
        n: i64,
    },
    Seek {
        h: usize,
        offset: i64,
        whence: i32,
    },
    Tell {
        h: usize,
    },
    Flush {
        h: usize,
    },
    Close {
        h: usize,
    },
    Truncate {
        h: usize,
        size: Option<i64>,
    },
    Readable {
        h: usize,
    },
    Writable {
        h: usize,
    },
    Seekable {
        h: usize,
    },
    Closed {
        h: usize,
    },
    Readlines {
        h: usize,
    },
    /// One step of a `for` loop: `next(iter(f))` (the end is `null`).
    Next {
        h: usize,
    },
    Mode {
        h: usize,
    },
    /// `h{to} = h{h}.detach()`: the layer below goes to slot `to`.
    Detach {
        h: usize,
        to: usize,
    },
    Disk {
        path: String,
    },
    Exists {
        path: String,
    },
    Getsize {
        path: String,
    },
    Remove {
        path: String,
    },
    Mkdir {
        path: String,
    },
}

impl Op {
    /// The handle slot the operation works on, if any (`open` fills one instead).
    fn handle(&self) -> Option<usize> {
        match self {
            Op::Open { .. }
            | Op::Disk { .. }
            | Op::Exists { .. }
            | Op::Getsize { .. }
            | Op::Remove { .. }
            | Op::Mkdir { .. } => None,
            Op::WriteText { h, .. }
            | Op::WriteBytes { h, .. }
            | Op::Read { h, .. }
            | Op::Readline { h }
            | Op::Readinto { h, .. }
            | Op::Seek { h, .. }
            | Op::Tell { h }
            | Op::Flush { h }
            | Op::Close { h }
            | Op::Truncate { h, .. }
            | Op::Readable { h }
            | Op::Writable { h }
            | Op::Seekable { h }
            | Op::Closed { h }
            | Op::Readlines { h }
            | Op::Next { h }
            | Op::Mode { h }
            | Op::Detach { h, .. } => Some(*h),
        }
    }

    /// The operation as a line of Python.
    fn python(&self) -> String {
        match self {
            Op::Open { h, path, mode, buffering, newline } => {
                let newline =
                    newline.as_deref().map(|n| format!(", newline={}", str_repr(n))).unwrap_or_default();
                format!("h{h} = open({}, {}, buffering={buffering}{newline})", str_repr(path), str_repr(mode))
            }
            Op::WriteText { h, text } => format!("h{h}.write({})", str_repr(text)),
            Op::WriteBytes { h, hex } => format!("h{h}.write({})", bytes_repr(&unhex(hex))),
            Op::Read { h, n } => format!("h{h}.read({n})"),
            Op::Readline { h } => format!("h{h}.readline()"),
            Op::Readinto { h, n } => format!("h{h}.readinto(bytearray({n}))"),
            Op::Seek { h, offset, whence } => format!("h{h}.seek({offset}, {whence})"),
            Op::Tell { h } => format!("h{h}.tell()"),
            Op::Flush { h } => format!("h{h}.flush()"),
            Op::Close { h } => format!("h{h}.close()"),
            Op::Truncate { h, size: None } => format!("h{h}.truncate()"),
            Op::Truncate { h, size: Some(size) } => format!("h{h}.truncate({size})"),
            Op::Readable { h } => format!("h{h}.readable()"),
            Op::Writable { h } => format!("h{h}.writable()"),
            Op::Seekable { h } => format!("h{h}.seekable()"),
            Op::Closed { h } => format!("h{h}.closed"),
            Op::Readlines { h } => format!("h{h}.readlines()"),
            Op::Next { h } => format!("next(iter(h{h}), None)"),
            Op::Mode { h } => format!("h{h}.mode"),
            Op::Detach { h, to } => format!("h{to} = h{h}.detach()"),
            Op::Disk { path } => format!("disk({})  # open(path, 'rb', buffering=0).read()", str_repr(path)),
            Op::Exists { path } => format!("os.path.exists({})", str_repr(path)),
            Op::Getsize { path } => format!("os.path.getsize({})", str_repr(path)),
            Op::Remove { path } => format!("os.remove({})", str_repr(path)),
            Op::Mkdir { path } => format!("os.mkdir({})", str_repr(path)),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// Python's `repr` of a `bytes` value (close enough to read).
fn bytes_repr(bytes: &[u8]) -> String {
    let mut out = String::from("b'");
    for &b in bytes {
        match b {
            b'\n' => out.push_str("\\n"),
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            0x20..=0x7e => out.push(b as char),
            _ => write!(out, "\\x{b:02x}").unwrap(),
        }
    }
    out.push('\'');
    out
}

// ---------------------------------------------------------------------------------------
// The virtual file system's side
// ---------------------------------------------------------------------------------------

fn ok(value: Value) -> Value {
    json!({ "ok": value })
}

fn outcome<T>(result: IoResult<T>, value: impl FnOnce(T) -> Value) -> Value {
    match result {
        Ok(v) => ok(value(v)),
        Err(e) => json!({ "err": [e.kind().python_name(), e.message()] }),
    }
}

/// One sequence being run on a fresh virtual file system.
struct VfsRun {
    fs: FileSystem,
    slots: Vec<Option<File>>,
}

impl VfsRun {
    fn new() -> VfsRun {
        VfsRun { fs: FileSystem::empty(DEFAULT_QUOTA), slots: (0..SLOTS).map(|_| None).collect() }
    }

    fn apply(&mut self, op: &Op) -> Value {
        let fs = &self.fs;
        let file = match op {
            Op::Open { h, path, mode, buffering, newline } => {
                // Drop (and so close) what the slot held first, as the Python side does.
                self.slots[*h] = None;
                let opened = fs.open_with_newline(path, mode, *buffering, newline.as_deref());
                let result = outcome(opened.as_ref().map(|_| ()).map_err(Clone::clone), |()| Value::Null);
                self.slots[*h] = opened.ok();
                return result;
            }
            Op::Disk { path } => {
                return outcome(fs.open_with(path, "rb", 0).and_then(|mut f| f.read_bytes(None)), |b| {
                    json!(hex(&b))
                })
            }
            Op::Exists { path } => return ok(json!(fs.exists(path))),
            Op::Getsize { path } => return outcome(fs.getsize(path), |n| json!(n)),
            Op::Remove { path } => return outcome(fs.remove(path), |()| Value::Null),
            Op::Mkdir { path } => return outcome(fs.mkdir(path), |()| Value::Null),
            _ => match self.slots[op.handle().unwrap()].as_mut() {
                Some(file) => file,
                None => return json!({ "skip": null }),
            },
        };
        let binary = file.kind() != FileKind::Text;
        let data = |bytes: Bytes| json!(hex(&bytes));
        match op {
            Op::WriteText { text, .. } => outcome(file.write(text), |n| json!(n)),
            Op::WriteBytes { hex, .. } => outcome(file.write_bytes(&unhex(hex)), |n| json!(n)),
            Op::Read { n, .. } if binary => outcome(file.read_bytes(usize::try_from(*n).ok()), data),
            Op::Read { n, .. } if *n < 0 => outcome(file.read(), |s| json!(s)),
            Op::Read { n, .. } => outcome(file.read_n(*n as usize), |s| json!(s)),
            Op::Readinto { n, .. } => {
                let mut buf = vec![0u8; *n as usize];
                outcome(file.readinto(&mut buf), |k| json!([k, hex(&buf[..k])]))
            }
            Op::Readline { .. } if binary => outcome(file.readline_bytes(), data),
            Op::Readline { .. } => outcome(file.readline(), |s| json!(s)),
            // A binary position is a signed number in Python, and CPython can report a
            // negative one (a fast seek inside a read-ahead left stale by a failed seek);
            // the model's positions are `u64`, where it wraps. A text position is Python's
            // opaque cookie, an unsigned number.
            Op::Seek { offset, whence, .. } if binary => {
                outcome(file.seek(*offset, *whence), |n| json!(n as i64))
            }
            Op::Tell { .. } if binary => outcome(file.tell(), |n| json!(n as i64)),
            Op::Seek { offset, whence, .. } => outcome(file.seek(*offset, *whence), |n| json!(n)),
            Op::Tell { .. } => outcome(file.tell(), |n| json!(n)),
            Op::Flush { .. } => outcome(file.flush(), |()| Value::Null),
            Op::Close { .. } => outcome(file.close(), |()| Value::Null),
            Op::Truncate { size, .. } => outcome(file.truncate(*size), |n| json!(n)),
            Op::Readable { .. } => outcome(file.readable(), |b| json!(b)),
            Op::Writable { .. } => outcome(file.writable(), |b| json!(b)),
            Op::Seekable { .. } => outcome(file.seekable(), |b| json!(b)),
            Op::Closed { .. } => outcome(file.closed(), |b| json!(b)),
            Op::Readlines { .. } if binary => {
                outcome(file.readlines_bytes(), |lines| lines.into_iter().map(|l| json!(hex(&l))).collect())
            }
            Op::Readlines { .. } => outcome(file.readlines(), |lines| json!(lines)),
            Op::Next { .. } if binary => outcome(
                file.closed().and_then(|closed| {
                    if closed {
                        return Err(notebook::vfs::IoError::new(
                            notebook::vfs::ErrorKind::Value,
                            "I/O operation on closed file.",
                        ));
                    }
                    file.readline_bytes()
                }),
                |line| if line.is_empty() { Value::Null } else { json!(hex(&line)) },
            ),
            Op::Next { .. } => match file.lines().next() {
                None => ok(Value::Null),
                Some(line) => outcome(line, |s| json!(s)),
            },
            Op::Mode { .. } => outcome(file.mode().map(str::to_string), |m| json!(m)),
            Op::Detach { to, .. } => {
                let below = file.detach();
                let result = outcome(below.as_ref().map(|_| ()).map_err(Clone::clone), |()| Value::Null);
                if let Ok(below) = below {
                    self.slots[*to] = Some(below);
                }
                result
            }
            _ => unreachable!(),
        }
    }

    /// Closes what is still open, in slot order (as the Python side does).
    fn finish(mut self) {
        for slot in &mut self.slots {
            if let Some(mut file) = slot.take() {
                let _ = file.close();
            }
        }
    }
}

fn run_vfs(ops: &[Op]) -> Vec<Value> {
    let mut run = VfsRun::new();
    let results = ops.iter().map(|op| run.apply(op)).collect();
    run.finish();
    results
}

// ---------------------------------------------------------------------------------------
// CPython's side
// ---------------------------------------------------------------------------------------

fn python_available() -> bool {
    Command::new("python3").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// Runs every sequence on CPython: the batch is split over a few `python3` processes
/// running side by side (each runs its share in one process).
fn run_python(sequences: &[Vec<Op>]) -> Vec<Vec<Value>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let share = sequences.len().div_ceil(workers).max(1);
    let children: Vec<_> = sequences.chunks(share).map(start_python).collect();
    let results: Vec<Vec<Value>> = children.into_iter().flat_map(finish_python).collect();
    assert_eq!(results.len(), sequences.len());
    results
}

type PythonRun = (std::process::Child, std::thread::JoinHandle<std::io::Result<()>>);

fn start_python(sequences: &[Vec<Op>]) -> PythonRun {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential/run_ops.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    let input = serde_json::to_vec(sequences).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // Written from a thread: python's output could fill its pipe before the input ends.
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    (child, writer)
}

fn finish_python((child, writer): PythonRun) -> Vec<Vec<Value>> {
    let output = child.wait_with_output().expect("python3 runs");
    writer.join().unwrap().expect("the sequences reach python3");
    assert!(
        output.status.success(),
        "run_ops.py failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("run_ops.py prints JSON")
}

// ---------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------

const MODES: &[&str] = &["r", "w", "a", "x", "r+", "w+", "a+"];
/// Binary buffering: 0 is unbuffered. (1 is left out: Python warns and uses the default.)
const BINARY_BUFFERING: &[i64] = &[-1, 0, 0, 2, 3, 5, 8, 16, 64, 8192];
/// Text buffering: 1 is line buffering. (0 is left out: Python refuses it in text mode,
/// which one fixed open in [`every_sequence_matches_cpython`]'s sample already covers.)
const TEXT_BUFFERING: &[i64] = &[-1, 1, 1, 2, 3, 5, 8, 16, 64, 8192];

/// Text to write: ASCII letters, spaces and newlines, sometimes a 2- or 3-byte character,
/// and `\r` too in a sequence whose text files all end lines at a given `'\n'`, `'\r'` or
/// `'\r\n'` (`cr`; the others never write a `\r` either).
fn gen_text(rng: &mut Rng, big: bool, cr: bool) -> String {
    let len = match rng.below(100) {
        // Now and then thousands of bytes, to cross the text layer's 8192-byte chunks.
        0..=2 if big => rng.below(10_000),
        0..=69 => rng.below(13),
        _ => rng.below(41),
    };
    let mut text = String::new();
    while text.len() < len {
        let c = match rng.below(100) {
            0..=59 => (b'a' + rng.below(26) as u8) as char,
            60..=74 => ' ',
            75..=89 => '\n',
            90..=94 => 'é',
            95..=97 if cr => '\r',
            _ => '€',
        };
        text.push(c);
    }
    text
}

/// Bytes to write: mostly text-like, sometimes a UTF-8 character cut anywhere, sometimes
/// a byte that is never valid UTF-8 (text handles then meet decode errors).
fn gen_bytes(rng: &mut Rng, big: bool, cr: bool) -> Vec<u8> {
    let mut bytes = gen_text(rng, big, cr).into_bytes();
    if rng.chance(10) && !bytes.is_empty() {
        let at = rng.below(bytes.len());
        bytes.truncate(at.max(1)); // may cut a character in two
    }
    if rng.chance(8) {
        let at = rng.below(bytes.len() + 1);
        bytes.insert(at, rng.pick(&[0x80, 0xbf, 0xc3, 0xe2, 0xff]));
    }
    bytes
}

fn gen_n(rng: &mut Rng, big: bool) -> i64 {
    match rng.below(100) {
        0..=4 if big => rng.range(51, 10_000),
        2..=19 => -1,
        20..=24 => 0,
        25..=79 => rng.range(1, 10),
        _ => rng.range(11, 50),
    }
}

/// One sequence, generated against a live virtual file system so that operations go to
/// handles that exist, mostly to handles that are open and allow them (the rest compare
/// error messages), opens mostly succeed, and text seeks mostly go to positions an
/// earlier `tell` gave.
fn gen_sequence(rng: &mut Rng) -> Vec<Op> {
    let files = rng.range(2, 3) as usize;
    let slots = rng.range(1, SLOTS as i64) as usize;
    let len = rng.range(5, 30) as usize;
    let mut run = VfsRun::new();
    let mut tells: Vec<Vec<i64>> = vec![Vec::new(); SLOTS];
    // Handles a line loop has stepped since their last seek: a loop that read a chunk of its
    // own leaves CPython's `tell` a stale snapshot (see `tests/vfs_layers.rs`), past whose
    // end its C code may read once a flush turns `tell` back on; such handles get no flush.
    let mut looped = [false; SLOTS];
    // A sequence with big files opens nothing with the default buffer size (see the top).
    let big = rng.chance(20);
    // A sequence with `\r` in its data opens text with `\n`, `\r` or `\r\n` only (see the top).
    let cr = rng.chance(25);
    let mut ops = Vec::new();
    while ops.len() < len {
        let existing: Vec<String> =
            (0..files).map(|i| format!("f{i}")).filter(|p| run.fs.exists(p)).collect();
        let path = if existing.is_empty() || rng.chance(30) {
            format!("f{}", rng.below(files))
        } else {
            rng.pick(&existing)
        };
        let is_open = |f: &File| f.closed() == Ok(false);
        let live: Vec<usize> = (0..slots).filter(|&h| run.slots[h].is_some()).collect();
        let open: Vec<usize> =
            live.iter().copied().filter(|&h| run.slots[h].as_ref().is_some_and(is_open)).collect();
        let free: Vec<usize> = (0..slots).filter(|&h| !open.contains(&h)).collect();
        let roll = rng.below(100);
        let op = if open.is_empty() && (live.is_empty() || rng.chance(80)) || (roll < 12 && !free.is_empty())
        {
            let h = rng.pick(&free);
            // Modes that fail on this path are drawn less often.
            let exists = run.fs.exists(&path);
            let mode = loop {
                let mode = rng.pick(MODES);
                let fails = if exists { mode == "x" } else { mode.starts_with('r') };
                if !fails || rng.chance(15) {
                    break mode;
                }
            };
            let binary = rng.chance(50);
            let mut mode = mode.to_string();
            if binary {
                // `rb+` or `r+b`: Python takes the `b` anywhere.
                let at = if rng.chance(50) { 1 } else { mode.len() };
                mode.insert(at, 'b');
            }
            let buffering = loop {
                let buffering = rng.pick(if binary { BINARY_BUFFERING } else { TEXT_BUFFERING });
                if !big || buffering != -1 && (binary || buffering != 1) {
                    break buffering;
                }
            };
            let newline = match rng.below(100) {
                _ if binary => rng.chance(3).then_some(""),
                0..=2 => Some("x"),
                _ if cr => Some(rng.pick(&["\n", "\r", "\r\n"])),
                3..=59 => None,
                // Not `'\r'` or `'\r\n'`, which would write a `\r` (see the top).
                n => Some(["", "\n"][n % 2]),
            };
            tells[h].clear();
            Op::Open { h, path, mode, buffering, newline: newline.map(str::to_string) }
        } else if roll < 24 {
            match rng.below(8) {
                0..=3 => Op::Disk { path },
                4 | 5 => Op::Getsize { path },
                6 => Op::Exists { path },
                _ => Op::Remove { path },
            }
        } else {
            let h = if open.is_empty() || rng.chance(8) { rng.pick(&live) } else { rng.pick(&open) };
            let file = run.slots[h].as_ref().unwrap();
            let binary = file.kind() != FileKind::Text;
            let (readable, writable) = (file.readable() == Ok(true), file.writable() == Ok(true));
            let targets: Vec<usize> = free.iter().copied().filter(|&f| f != h).collect();
            let mut kind = rng.below(100);
            // Reads of write-only files and the reverse: some, to compare the errors.
            if (kind < 27 && !writable || (27..52).contains(&kind) && !readable) && rng.chance(85) {
                kind = 52 + rng.below(48);
            }
            match kind {
                0..=26 => {
                    if binary {
                        Op::WriteBytes { h, hex: hex(&gen_bytes(rng, big, cr)) }
                    } else {
                        Op::WriteText { h, text: gen_text(rng, big, cr) }
                    }
                }
                27..=40 => Op::Read { h, n: gen_n(rng, big) },
                41..=43 => Op::Readinto { h, n: gen_n(rng, big).max(0) },
                44..=51 => Op::Readline { h },
                52..=65 => {
                    let (offset, whence) = if binary {
                        match rng.below(100) {
                            0..=44 => (rng.range(-3, 30), 0),
                            45..=74 => (rng.range(-10, 10), 1),
                            75..=97 => (rng.range(-10, 5), 2),
                            _ => (rng.range(0, 3), rng.pick(&[-1, 5, 7])),
                        }
                    } else {
                        match rng.below(100) {
                            0..=54 => {
                                (tells[h].get(rng.below(tells[h].len().max(1))).copied().unwrap_or(0), 0)
                            }
                            55..=69 => (0, 1),
                            70..=84 => (0, 2),
                            85..=87 => (rng.range(-3, -1), 0),
                            88..=90 => (rng.range(1, 4), 1),
                            91..=93 => (rng.range(-4, 4), 2),
                            // Anywhere, even inside a character.
                            94..=97 => (rng.range(0, 20), 0),
                            _ => (0, rng.pick(&[-1, 5, 7])),
                        }
                    };
                    Op::Seek { h, offset, whence }
                }
                66..=75 => Op::Tell { h },
                // Not after a line loop until a seek (see `looped`): a tell there would
                // start from a snapshot CPython's C code reads past.
                76..=81 | 87..=91 if looped[h] => Op::Tell { h },
                76..=81 => Op::Flush { h },
                82..=86 => Op::Close { h },
                87..=91 => {
                    Op::Truncate { h, size: if rng.chance(40) { None } else { Some(rng.range(0, 30)) } }
                }
                _ => match rng.below(11) {
                    0 => Op::Readable { h },
                    1 => Op::Writable { h },
                    2 => Op::Seekable { h },
                    3 => Op::Closed { h },
                    4 | 5 => Op::Next { h },
                    6 => Op::Readlines { h },
                    7 => Op::Mode { h },
                    // Rarely: what it leaves answers "detached" to nearly everything.
                    _ if !targets.is_empty() && rng.chance(60) => Op::Detach { h, to: rng.pick(&targets) },
                    _ => Op::Next { h },
                },
            }
        };
        match op {
            // (A seek that fails its checks, before its flush, leaves `tell` off.)
            Op::Open { h, .. }
            | Op::Seek { h, offset: 0.., whence: 0 }
            | Op::Seek { h, offset: 0, whence: 2 }
            | Op::Detach { to: h, .. } => looped[h] = false,
            Op::Next { h } | Op::Readlines { h } => looped[h] = true,
            _ => {}
        }
        let result = run.apply(&op);
        if let (Op::Tell { h }, Some(n)) = (&op, result.get("ok").and_then(Value::as_i64)) {
            if run.slots[*h].as_ref().is_some_and(|f| f.kind() == FileKind::Text) {
                tells[*h].push(n);
            }
        }
        ops.push(op);
    }
    run.finish();
    ops
}

// ---------------------------------------------------------------------------------------
// Comparing and shrinking
// ---------------------------------------------------------------------------------------

/// Greedily removes operations from a failing sequence while some result still differs;
/// every round sends all one-shorter candidates to python in one batch.
fn shrink(mut ops: Vec<Op>) -> Vec<Op> {
    loop {
        let candidates: Vec<Vec<Op>> = (0..ops.len())
            .map(|i| {
                let mut c = ops.clone();
                c.remove(i);
                c
            })
            .collect();
        let python = run_python(&candidates);
        match candidates.into_iter().zip(python).find(|(c, py)| run_vfs(c) != *py) {
            Some((smaller, _)) => ops = smaller,
            None => return ops,
        }
    }
}

fn show(value: &Value) -> String {
    if let Some(v) = value.get("ok") {
        return format!("ok {v}");
    }
    if let Some(e) = value.get("err") {
        return format!("{}: {}", e[0].as_str().unwrap_or("?"), e[1].as_str().unwrap_or("?"));
    }
    "(skipped: no file in that slot)".to_string()
}

/// `text`, or for long text its start, the part around character `at` and its end.
fn clip(text: &str, at: usize) -> String {
    const EDGE: usize = 40;
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 4 * EDGE {
        return text.to_string();
    }
    let piece = |range: std::ops::Range<usize>| chars[range].iter().collect::<String>();
    let mut out = piece(0..EDGE);
    let around = at.saturating_sub(EDGE / 2).max(EDGE)..(at + EDGE / 2).min(chars.len() - EDGE);
    if around.start < around.end {
        out = format!("{out}…{}", piece(around));
    }
    format!("{out}…{} ({} characters)", piece(chars.len() - EDGE..chars.len()), chars.len())
}

fn report(ops: &[Op], vfs: &[Value], python: &[Value]) -> String {
    let mut out = String::new();
    for (i, op) in ops.iter().enumerate() {
        let (v, p) = (show(&vfs[i]), show(&python[i]));
        writeln!(out, "{i:>3}  {}", clip(&op.python(), 0)).unwrap();
        if v == p {
            writeln!(out, "       both:   {}", clip(&v, 0)).unwrap();
        } else {
            let at = v.chars().zip(p.chars()).take_while(|(a, b)| a == b).count();
            writeln!(out, "       vfs:    {}    <<< differs from character {at}", clip(&v, at)).unwrap();
            writeln!(out, "       python: {}", clip(&p, at)).unwrap();
        }
    }
    out
}

/// Cases the generator leaves out: modes `open` refuses, unbuffered text, and binary
/// "line buffering" (Python warns and uses its default buffer instead).
fn fixed_sequences() -> Vec<Vec<Op>> {
    let open = |mode: &str, buffering| Op::Open {
        h: 0,
        path: "f0".into(),
        mode: mode.into(),
        buffering,
        newline: None,
    };
    let mut sequences: Vec<Vec<Op>> = ["rw", "rbt", "q", "rr", "", "b", "+", "tb", "r++", "ax", "rU"]
        .iter()
        .map(|mode| vec![open(mode, -1), Op::Exists { path: "f0".into() }])
        .collect();
    sequences.push(vec![open("w", 0), Op::Exists { path: "f0".into() }]);
    sequences.extend(hostile_sequences());
    sequences.push(vec![
        open("wb", 1),
        Op::WriteBytes { h: 0, hex: hex(b"one\ntwo") },
        Op::Disk { path: "f0".into() },
        Op::Flush { h: 0 },
        Op::Disk { path: "f0".into() },
    ]);
    sequences
}

/// Bad input (see RELIABILITY.md): paths ending in `/` or `/.` that name a file, names
/// at and past Linux's 255-byte limit and with control characters, negative and huge
/// buffering, reads and seeks past the end, negative seeks.
fn hostile_sequences() -> Vec<Vec<Op>> {
    let open = |path: &str, mode: &str, buffering| Op::Open {
        h: 0,
        path: path.into(),
        mode: mode.into(),
        buffering,
        newline: None,
    };
    let path = |p: &str| p.to_string();
    let mut sequences = Vec::new();
    for (mode, buffering) in [("r", -1), ("r+", -1), ("w", -1), ("a", -1), ("x", -1), ("rb", 0)] {
        for spelled in ["f0/", "f0/.", "new/", "new/.", "d/", "d/.", "d"] {
            sequences.push(vec![
                open("f0", "w", -1),
                Op::Close { h: 0 },
                Op::Mkdir { path: path("d") },
                Op::Open { h: 1, path: path(spelled), mode: mode.into(), buffering, newline: None },
                Op::Exists { path: path(spelled) },
            ]);
        }
    }
    sequences.push(vec![
        open("f0", "w", -1),
        Op::Getsize { path: path("f0/") },
        Op::Remove { path: path("f0/") },
        Op::Exists { path: path("f0") },
    ]);
    for spelled in ["f0/.", "f0/", "d/.", "d/", "new/.", "new/"] {
        sequences.push(vec![
            open("f0", "w", -1),
            Op::Close { h: 0 },
            Op::Mkdir { path: path("d") },
            Op::Mkdir { path: path(spelled) },
            Op::Exists { path: path("new") },
        ]);
    }
    for name in ["n".repeat(255), "n".repeat(256), "é".repeat(128), format!("{}/x", "d".repeat(300))] {
        sequences.push(vec![open(&name, "w", -1), Op::Exists { path: name.clone() }]);
    }
    let controls = "a\nb\t\x1b[31m\x07\u{7f}";
    sequences.push(vec![
        open(controls, "w", -1),
        Op::WriteText { h: 0, text: "x".into() },
        Op::Close { h: 0 },
        Op::Disk { path: path(controls) },
        Op::Remove { path: path("a\nb") },
    ]);
    for buffering in [-5, i32::MIN as i64, i32::MAX as i64, i32::MAX as i64 + 1, 1 << 40, i32::MIN as i64 - 1]
    {
        sequences.push(vec![
            open("f0", "wb", buffering),
            Op::WriteBytes { h: 0, hex: hex(b"buffered") },
            Op::Disk { path: path("f0") },
            Op::Close { h: 0 },
            Op::Disk { path: path("f0") },
        ]);
    }
    for (mode, buffering) in [("w+b", 0), ("w+b", 4), ("w+", -1)] {
        let write = if mode.contains('b') {
            Op::WriteBytes { h: 0, hex: hex(b"12345") }
        } else {
            Op::WriteText { h: 0, text: "12345".into() }
        };
        sequences.push(vec![
            open("f0", mode, buffering),
            write,
            Op::Seek { h: 0, offset: 100, whence: 0 },
            Op::Read { h: 0, n: 10 },
            Op::Read { h: 0, n: -1 },
            Op::Tell { h: 0 },
            Op::Seek { h: 0, offset: -1, whence: 0 },
            Op::Seek { h: 0, offset: -10, whence: if mode.contains('b') { 2 } else { 0 } },
            Op::Truncate { h: 0, size: Some(-1) },
            Op::Seek { h: 0, offset: 0, whence: 0 },
            Op::Read { h: 0, n: 3 },
            Op::Read { h: 0, n: 100 },
            Op::Read { h: 0, n: 100 },
        ]);
    }
    sequences
}

/// How often each operation had each outcome on CPython (with `DIFFERENTIAL_STATS=1`),
/// to check what the generator reaches.
fn print_outcomes(sequences: &[Vec<Op>], python: &[Vec<Value>]) {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for (op, result) in sequences.iter().flatten().zip(python.iter().flatten()) {
        let name = serde_json::to_value(op).unwrap()["op"].as_str().unwrap_or("?").to_string();
        let outcome = match result.get("err") {
            Some(e) => format!("{}: {}", e[0].as_str().unwrap_or("?"), e[1].as_str().unwrap_or("?")),
            None if result.get("skip").is_some() => "skipped".to_string(),
            None => "ok".to_string(),
        };
        // Paths and positions vary; the kinds of outcome are what matter here.
        let outcome: String =
            outcome.split(" in position ").next().unwrap_or_default().replace(['0', '1', '2'], "N");
        *counts.entry(format!("{name:<9} {outcome}")).or_default() += 1;
    }
    for (key, n) in counts {
        println!("{n:>8}  {key}");
    }
}

#[test]
fn every_sequence_matches_cpython() {
    if !python_available() {
        eprintln!("SKIPPED: differential test needs `python3` on PATH to compare against CPython's io");
        return;
    }
    let started = Instant::now();
    // Both can be changed to explore further: DIFFERENTIAL_SEED=7 DIFFERENTIAL_SEQUENCES=50000.
    let knob =
        |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    let mut rng = Rng(knob("DIFFERENTIAL_SEED", SEED));
    let count = knob("DIFFERENTIAL_SEQUENCES", SEQUENCES as u64) as usize;
    let mut sequences: Vec<Vec<Op>> = (0..count).map(|_| gen_sequence(&mut rng)).collect();
    sequences.extend(fixed_sequences());
    let python = run_python(&sequences);
    if std::env::var_os("DIFFERENTIAL_STATS").is_some() {
        print_outcomes(&sequences, &python);
    }
    let ops: usize = sequences.iter().map(Vec::len).sum();
    let mut failures = 0;
    let mut first = None;
    for (seq, py) in sequences.iter().zip(&python) {
        if run_vfs(seq) != *py {
            failures += 1;
            first.get_or_insert(seq.clone());
        }
    }
    println!(
        "compared {} sequences, {ops} operations, with CPython in {:.2?}",
        sequences.len(),
        started.elapsed()
    );
    if let Some(seq) = first {
        let small = shrink(seq);
        let vfs = run_vfs(&small);
        let py = run_python(std::slice::from_ref(&small)).remove(0);
        panic!(
            "{failures} of {} sequences differ from CPython. The first, shrunk to {} operations:\n{}",
            sequences.len(),
            small.len(),
            report(&small, &vfs, &py)
        );
    }
}

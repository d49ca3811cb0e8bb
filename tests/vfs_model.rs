//! Model-based property test of the file system's tree and whole-file contents.
//!
//! `proptest` generates a quota and a sequence of operations (create, write, append,
//! truncate, read back, rename, remove, mkdir, makedirs, rmdir, listdir, stat, chdir,
//! read-only flags, and unbuffered handles held open across the other operations: write,
//! read, seek, close through them). Each runs on a fresh [`FileSystem`] and on the
//! reference model in `vfs_model/model.rs`. After every step both must agree: the same
//! value, or the same error class (and the same message where the model knows it: the
//! `[Errno N] ...: 'path'` family and `ENOSPC`); then the whole tree, every file's bytes,
//! the bytes charged to the quota, the current directory and the open-file count.
//! A failing sequence is shrunk to a minimal one, printed, and saved by proptest in
//! `tests/vfs_model.proptest-regressions` to be tried first next time.
//!
//! Paths come from a tiny alphabet (`a`, `b`, `c`, `.`, `..`, relative or under `/`,
//! `/home/user`, `/tmp`, sometimes empty) so that operations collide often. 512 cases run
//! by default (a few seconds); `PROPTEST_CASES=20000 cargo test --test vfs_model` runs more.
//! Text-layer details (newlines, decoding, `tell` cookies) are the differential test's
//! (`tests/differential.rs`), not this one's.
#![cfg(not(target_arch = "wasm32"))]

#[path = "vfs_model/model.rs"]
mod model;

use std::collections::BTreeMap;

use model::{MResult, Model, OpenMode, Refusal};
use notebook::vfs::{File, FileSystem, IoError, IoResult, DEFAULT_QUOTA};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};

/// Handles that can be held open at once.
const SLOTS: usize = 3;

/// How a whole-file write goes through the layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// `open(path, "wb", buffering=0)`: each write is one raw write.
    Raw,
    /// `open(path, "wb")`: the write waits in the buffer until `close`.
    Buffered,
    /// `open(path, "w")`: text over the buffer (ASCII data only).
    Text,
}

#[derive(Debug, Clone)]
enum Op {
    Write { path: String, mode: OpenMode, layer: Layer, data: Vec<u8> },
    Truncate { path: String, size: usize },
    Read { path: String },
    Rename { from: String, to: String },
    Remove { path: String },
    Mkdir { path: String },
    Makedirs { path: String, exist_ok: bool },
    Rmdir { path: String },
    Listdir { path: String },
    Stat { path: String },
    Chdir { path: String },
    ReadOnly { path: String, read_only: bool },
    Hold { slot: usize, path: String, mode: OpenMode },
    HeldWrite { slot: usize, data: Vec<u8> },
    HeldRead { slot: usize, n: usize },
    HeldSeek { slot: usize, pos: usize },
    HeldClose { slot: usize },
}

/// What an operation gave back.
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Done,
    Bytes(Vec<u8>),
    Names(Vec<String>),
    Stat(u64, bool),
    Count(usize),
    Pos(u64),
    /// An operation on an empty handle slot: nothing happens on either side.
    NoHandle,
}

fn path() -> impl Strategy<Value = String> {
    let name = || prop_oneof![Just("a"), Just("b"), Just("c")];
    let part = prop_oneof![6 => name(), 1 => Just("."), 1 => Just("..")];
    let prefix = prop_oneof![3 => Just(""), 1 => Just("/"), 2 => Just("/home/user/"), 1 => Just("/tmp/")];
    prop_oneof![
        10 => name().prop_map(String::from),
        5 => (name(), name()).prop_map(|(a, b)| format!("{a}/{b}")),
        5 => (prefix, prop::collection::vec(part, 1..4)).prop_map(|(p, parts)| format!("{p}{}", parts.join("/"))),
        1 => Just(String::new()),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop_oneof![3 => Just(b'x'), 1 => Just(b'\n'), 1 => any::<u8>()], 0..24)
}

fn write_mode() -> impl Strategy<Value = OpenMode> {
    prop_oneof![Just('w'), Just('a'), Just('x')].prop_map(|letter| OpenMode { letter, plus: false })
}

fn hold_mode() -> impl Strategy<Value = OpenMode> {
    (prop_oneof![Just('r'), Just('w'), Just('a'), Just('x')], any::<bool>())
        .prop_map(|(letter, plus)| OpenMode { letter, plus })
}

fn layer() -> impl Strategy<Value = Layer> {
    prop_oneof![Just(Layer::Raw), Just(Layer::Buffered), Just(Layer::Text)]
}

fn op() -> impl Strategy<Value = Op> {
    let slot = 0..SLOTS;
    prop_oneof![
        6 => (path(), write_mode(), layer(), bytes()).prop_map(|(path, mode, layer, data)| {
            // Text files get ASCII letters and newlines only.
            let data = if layer == Layer::Text {
                data.iter().map(|b| b"xyz\n"[usize::from(b % 4)]).collect()
            } else {
                data
            };
            Op::Write { path, mode, layer, data }
        }),
        2 => (path(), 0..40usize).prop_map(|(path, size)| Op::Truncate { path, size }),
        3 => path().prop_map(|path| Op::Read { path }),
        4 => (path(), path()).prop_map(|(from, to)| Op::Rename { from, to }),
        2 => path().prop_map(|path| Op::Remove { path }),
        3 => path().prop_map(|path| Op::Mkdir { path }),
        1 => (path(), any::<bool>()).prop_map(|(path, exist_ok)| Op::Makedirs { path, exist_ok }),
        2 => path().prop_map(|path| Op::Rmdir { path }),
        2 => path().prop_map(|path| Op::Listdir { path }),
        1 => path().prop_map(|path| Op::Stat { path }),
        1 => path().prop_map(|path| Op::Chdir { path }),
        1 => (path(), any::<bool>()).prop_map(|(path, read_only)| Op::ReadOnly { path, read_only }),
        5 => (slot.clone(), path(), hold_mode()).prop_map(|(slot, path, mode)| Op::Hold { slot, path, mode }),
        3 => (slot.clone(), bytes()).prop_map(|(slot, data)| Op::HeldWrite { slot, data }),
        2 => (slot.clone(), 0..16usize).prop_map(|(slot, n)| Op::HeldRead { slot, n }),
        1 => (slot.clone(), 0..40usize).prop_map(|(slot, pos)| Op::HeldSeek { slot, pos }),
        1 => slot.prop_map(|slot| Op::HeldClose { slot }),
    ]
}

fn quota() -> impl Strategy<Value = u64> {
    prop_oneof![Just(DEFAULT_QUOTA), 0..120u64]
}

/// The real file system and the handles held open on it.
struct Real {
    fs: FileSystem,
    slots: Vec<Option<File>>,
}

fn mode_text(mode: OpenMode, binary: bool) -> String {
    format!("{}{}{}", mode.letter, if binary { "b" } else { "" }, if mode.plus { "+" } else { "" })
}

impl Real {
    fn write(&self, path: &str, mode: OpenMode, layer: Layer, data: &[u8]) -> IoResult<()> {
        let (binary, buffering) = match layer {
            Layer::Raw => (true, 0),
            Layer::Buffered => (true, -1),
            Layer::Text => (false, -1),
        };
        let mut file = self.fs.open_with(path, &mode_text(mode, binary), buffering)?;
        let written = match layer {
            Layer::Text => file.write(&String::from_utf8_lossy(data)).map(drop),
            _ => file.write_bytes(data).map(drop),
        };
        let closed = file.close();
        written.and(closed)
    }

    fn apply(&mut self, op: &Op) -> IoResult<Out> {
        let fs = &self.fs;
        Ok(match op {
            Op::Write { path, mode, layer, data } => {
                self.write(path, *mode, *layer, data).map(|()| Out::Done)?
            }
            Op::Truncate { path, size } => {
                let mut file = fs.open_with(path, "r+b", 0)?;
                file.truncate(Some(*size as i64))?;
                file.close()?;
                Out::Done
            }
            Op::Read { path } => Out::Bytes(fs.open(path, "rb")?.read_bytes(None)?.into_vec()),
            Op::Rename { from, to } => fs.rename(from, to).map(|()| Out::Done)?,
            Op::Remove { path } => fs.remove(path).map(|()| Out::Done)?,
            Op::Mkdir { path } => fs.mkdir(path).map(|()| Out::Done)?,
            Op::Makedirs { path, exist_ok } => fs.makedirs(path, *exist_ok).map(|()| Out::Done)?,
            Op::Rmdir { path } => fs.rmdir(path).map(|()| Out::Done)?,
            Op::Listdir { path } => Out::Names(fs.listdir(path)?),
            Op::Stat { path } => {
                let stat = fs.stat(path)?;
                Out::Stat(stat.size, stat.is_dir)
            }
            Op::Chdir { path } => fs.chdir(path).map(|()| Out::Done)?,
            Op::ReadOnly { path, read_only } => fs.set_read_only(path, *read_only).map(|()| Out::Done)?,
            Op::Hold { slot, path, mode } => {
                self.slots[*slot] = None;
                self.slots[*slot] = Some(fs.open_with(path, &mode_text(*mode, true), 0)?);
                Out::Done
            }
            Op::HeldWrite { slot, data } => match self.slots[*slot].as_mut() {
                Some(file) => Out::Count(file.write_bytes(data)?),
                None => Out::NoHandle,
            },
            Op::HeldRead { slot, n } => match self.slots[*slot].as_mut() {
                Some(file) => Out::Bytes(file.read_bytes(Some(*n))?.into_vec()),
                None => Out::NoHandle,
            },
            Op::HeldSeek { slot, pos } => match self.slots[*slot].as_mut() {
                Some(file) => Out::Pos(file.seek(*pos as i64, 0)?),
                None => Out::NoHandle,
            },
            Op::HeldClose { slot } => {
                if let Some(mut file) = self.slots[*slot].take() {
                    file.close()?;
                }
                Out::Done
            }
        })
    }

    /// Every path under `/`: `None` for a directory, the bytes of a file.
    fn snapshot(&self) -> Result<BTreeMap<String, Option<Vec<u8>>>, IoError> {
        let mut out = BTreeMap::new();
        let mut dirs = vec!["/".to_string()];
        while let Some(dir) = dirs.pop() {
            out.insert(dir.clone(), None);
            for name in self.fs.listdir(&dir)? {
                let path = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
                if self.fs.is_dir(&path) {
                    dirs.push(path);
                } else {
                    out.insert(path.clone(), Some(self.fs.read_file(&path)?));
                }
            }
        }
        Ok(out)
    }
}

fn done<T>(r: MResult<T>) -> MResult<Out> {
    r.map(|_| Out::Done)
}

/// The model's answer to `op`.
fn expect(model: &mut Model, op: &Op) -> MResult<Out> {
    match op {
        Op::Write { path, mode, data, .. } => done(model.write_file(path, *mode, data)),
        Op::Truncate { path, size } => done(model.truncate(path, *size)),
        Op::Read { path } => model.read_file(path).map(Out::Bytes),
        Op::Rename { from, to } => done(model.rename(from, to)),
        Op::Remove { path } => done(model.remove(path)),
        Op::Mkdir { path } => done(model.mkdir(path)),
        Op::Makedirs { path, exist_ok } => done(model.makedirs(path, *exist_ok)),
        Op::Rmdir { path } => done(model.rmdir(path)),
        Op::Listdir { path } => model.listdir(path).map(Out::Names),
        Op::Stat { path } => model.stat(path).map(|(size, dir)| Out::Stat(size, dir)),
        Op::Chdir { path } => done(model.chdir(path)),
        Op::ReadOnly { path, read_only } => done(model.set_read_only(path, *read_only)),
        Op::Hold { slot, path, mode } => done(model.hold(*slot, path, *mode)),
        Op::HeldWrite { slot, data } => {
            model.held_write(*slot, data).map_or(Ok(Out::NoHandle), |r| r.map(Out::Count))
        }
        Op::HeldRead { slot, n } => {
            model.held_read(*slot, *n).map_or(Ok(Out::NoHandle), |r| r.map(Out::Bytes))
        }
        Op::HeldSeek { slot, pos } => Ok(model.held_seek(*slot, *pos).map_or(Out::NoHandle, Out::Pos)),
        Op::HeldClose { slot } => {
            model.held_close(*slot);
            Ok(Out::Done)
        }
    }
}

/// Whether the real error is the one the model refuses with.
fn same_error(real: &IoError, model: &Refusal) -> bool {
    real.kind() == model.kind && model.message.as_ref().is_none_or(|m| m == real.message())
}

/// Runs `ops` on both sides from a fresh start with `quota`; the first disagreement.
fn check(quota: u64, ops: &[Op]) -> Result<(), String> {
    check_from(FileSystem::empty(quota), Model::new(quota, SLOTS), ops)
}

fn check_from(fs: FileSystem, mut model: Model, ops: &[Op]) -> Result<(), String> {
    let mut real = Real { fs, slots: (0..SLOTS).map(|_| None).collect() };
    for (step, op) in ops.iter().enumerate() {
        let got = real.apply(op);
        let want = expect(&mut model, op);
        let agree = match (&got, &want) {
            (Ok(a), Ok(b)) => a == b,
            (Err(e), Err(r)) => same_error(e, r),
            _ => false,
        };
        let fail = |what: String| Err(format!("step {step}, {op:?}: {what}"));
        if !agree {
            let got = got.map_err(|e| format!("{}: {}", e.kind().python_name(), e.message()));
            return fail(format!("the file system gave {got:?}, the model {want:?}"));
        }
        let tree = real.snapshot().map_err(|e| format!("step {step}: walking the tree failed: {e}"))?;
        let wanted = model.snapshot();
        if tree != wanted {
            return fail(format!("trees differ:\n  file system {tree:?}\n  model       {wanted:?}"));
        }
        if real.fs.usage().0 != model.used() {
            return fail(format!("{} bytes charged, the model holds {}", real.fs.usage().0, model.used()));
        }
        if real.fs.getcwd() != model.cwd() {
            return fail(format!("current directory {} against {}", real.fs.getcwd(), model.cwd()));
        }
        if real.fs.open_files().len() != model.open_handles() {
            return fail(format!(
                "{} files open, the model has {}",
                real.fs.open_files().len(),
                model.open_handles()
            ));
        }
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(512)
}

proptest! {
    #![proptest_config(Config { cases: cases(), ..Config::default() })]

    #[test]
    fn the_file_system_agrees_with_its_model(quota in quota(), ops in prop::collection::vec(op(), 1..50)) {
        check(quota, &ops).map_err(TestCaseError::fail)?;
    }
}

fn at(path: &str) -> String {
    path.to_string()
}

const W: OpenMode = OpenMode { letter: 'w', plus: false };

/// The checker reports a difference: a model holding a directory the file system lacks
/// disagrees at the first step, and a write and read back agree on both sides.
#[test]
fn the_checker_sees_a_difference() {
    let write = Op::Write { path: at("a"), mode: W, layer: Layer::Raw, data: b"hi".to_vec() };
    let ops = [write, Op::Read { path: at("a") }];
    assert_eq!(check(DEFAULT_QUOTA, &ops), Ok(()));
    assert_eq!(check(1, &ops), Ok(()), "a 1-byte quota refuses the write on both sides");
    let mut model = Model::new(DEFAULT_QUOTA, SLOTS);
    assert_eq!(model.mkdir("extra"), Ok(()));
    let found = check_from(FileSystem::empty(DEFAULT_QUOTA), model, &ops);
    assert!(found.is_err_and(|e| e.contains("trees differ")));
}

//! The file half of the long run: four workers each make a share of the operations
//! (write, append to a shared journal, read back, rename, remove, list, truncate) in a
//! directory of their own, each keeping what it expects its files to hold; at the end
//! every file must hold exactly that, and the shared journal every line each worker
//! appended, whole and in its order.
//!
//! Two ways of being "four workers at once", each run separately:
//! - `interleaved`: four tasks on one file system, switching after every operation. The
//!   notebook's threads reach its file system this way (tasks on the kernel's event loop
//!   sharing one `FileSystem`, which is not `Send`), so this is the run that shares files:
//!   one quota, one journal held open by all four.
//! - `parallel`: four OS threads at the same time, each with a file system of its own (the
//!   type system forbids sharing one across threads), to put the counting allocator and
//!   the file system under real parallel load.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Instant;

use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;
use notebook::memory::{Measure, MemoryFigures};
use notebook::parallel::threads::yield_now;
use notebook::vfs::{ErrorKind, File, FileSystem, DEFAULT_QUOTA};

#[path = "../../tests/common/rng.rs"]
mod rng;
use self::rng::Rng;

const WORKERS: usize = 4;
const JOURNAL: &str = "/work/journal.log";
/// Files per worker (names f0..f23), and the largest one written.
const NAMES: u64 = 24;
const MAX_FILE: u64 = 2048;

/// What a run of the four workers did.
pub struct WorkReport {
    pub operations: u64,
    pub seconds: f64,
    pub memory: MemoryFigures,
    /// Operations of each kind, all workers together.
    pub by_kind: BTreeMap<&'static str, u64>,
    pub journal_lines: u64,
    /// How often two neighbouring journal lines come from different workers (how much
    /// the workers really interleaved).
    pub journal_switches: u64,
    pub files_left: u64,
}

/// A worker's number and how it ended.
type Outcome = (usize, Result<Tally, String>);

/// What one worker did.
#[derive(Default)]
struct Tally {
    by_kind: BTreeMap<&'static str, u64>,
    journal_lines: u64,
    files: u64,
}

fn content(worker: usize, seq: u64, len: u64) -> Vec<u8> {
    let stamp = format!("[w{worker} op {seq}]");
    stamp.bytes().cycle().take(len as usize).collect()
}

fn os<T>(what: &str, r: notebook::vfs::IoResult<T>) -> Result<T, String> {
    r.map_err(|e| format!("{what}: {}: {e}", e.kind().python_name()))
}

/// One worker's `operations` operations in `/work/w<id>`; between two it lets the others
/// run. Each kind is checked against what the worker expects as it goes.
async fn worker(fs: FileSystem, id: usize, operations: u64) -> Result<Tally, String> {
    let dir = format!("/work/w{id}");
    os("makedirs", fs.makedirs(&dir, true))?;
    // Line buffering: each journal line is one raw append, so lines of different workers
    // never mix, whatever the order they come in.
    let mut journal: File = os("open journal", fs.open_with(JOURNAL, "a", 1))?;
    let mut expected: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut rng = Rng(0xC0FFEE + id as u64);
    let mut tally = Tally::default();
    let name = |rng: &mut Rng| format!("{dir}/f{}", rng.next() % NAMES);
    for seq in 0..operations {
        let kind = match rng.next() % 8 {
            0 | 1 => {
                let path = name(&mut rng);
                let data = content(id, seq, rng.next() % MAX_FILE);
                let mut file = os("open wb", fs.open(&path, "wb"))?;
                os("write", file.write_bytes(&data))?;
                os("close", file.close())?;
                expected.insert(path, data);
                "write"
            }
            2 => {
                os("journal", journal.write(&format!("w{id} {seq}\n")))?;
                tally.journal_lines += 1;
                "journal"
            }
            3 => {
                let path = name(&mut rng);
                match (fs.open(&path, "rb").and_then(|mut f| f.read_bytes(None)), expected.get(&path)) {
                    (Ok(got), Some(want)) if got == *want => {}
                    (Err(e), None) if e.kind() == ErrorKind::FileNotFound => {}
                    (got, want) => {
                        let got = got.map(|g| g.len()).map_err(|e| e.to_string());
                        return Err(format!("{path}: read {got:?}, expected {:?} bytes", want.map(Vec::len)));
                    }
                }
                "read"
            }
            4 => {
                let (from, to) = (name(&mut rng), name(&mut rng));
                match (fs.rename(&from, &to), expected.remove(&from)) {
                    (Ok(()), Some(data)) => drop(expected.insert(to, data)),
                    (Err(e), None) if e.kind() == ErrorKind::FileNotFound => {}
                    (got, _) => return Err(format!("rename {from} -> {to}: {got:?}")),
                }
                "rename"
            }
            5 => {
                let path = name(&mut rng);
                match (fs.remove(&path), expected.remove(&path)) {
                    (Ok(()), Some(_)) => {}
                    (Err(e), None) if e.kind() == ErrorKind::FileNotFound => {}
                    (got, _) => return Err(format!("remove {path}: {got:?}")),
                }
                "remove"
            }
            6 => {
                let listed = os("listdir", fs.listdir(&dir))?;
                let names: Vec<String> = expected.keys().map(|p| p[dir.len() + 1..].to_string()).collect();
                if listed != names {
                    return Err(format!("{dir} lists {listed:?}, expected {names:?}"));
                }
                "listdir"
            }
            _ => {
                let path = name(&mut rng);
                let size = rng.next() % MAX_FILE;
                let result = fs.open_with(&path, "r+b", 0).and_then(|mut f| f.truncate(Some(size as i64)));
                match (result, expected.get_mut(&path)) {
                    (Ok(_), Some(data)) => data.resize(size as usize, 0),
                    (Err(e), None) if e.kind() == ErrorKind::FileNotFound => {}
                    (got, _) => return Err(format!("truncate {path}: {got:?}")),
                }
                "truncate"
            }
        };
        *tally.by_kind.entry(kind).or_default() += 1;
        yield_now().await;
    }
    os("close journal", journal.close())?;
    for (path, want) in &expected {
        if os("read back", fs.read_file(path))? != *want {
            return Err(format!("{path} does not hold what worker {id} last put there"));
        }
    }
    if os("listdir", fs.listdir(&dir))?.len() != expected.len() {
        return Err(format!("{dir} holds files worker {id} does not know of"));
    }
    tally.files = expected.len() as u64;
    Ok(tally)
}

/// The journal holds, for each worker, lines `w<id> <seq>` with rising `seq`, as many as
/// it appended, and nothing else. Returns the line count and how often the worker changes
/// from one line to the next.
fn check_journal(fs: &FileSystem, tallies: &[Tally]) -> Result<(u64, u64), String> {
    let text = String::from_utf8(os("journal", fs.read_file(JOURNAL))?).map_err(|e| e.to_string())?;
    let mut last: Vec<Option<u64>> = vec![None; tallies.len()];
    let mut counts = vec![0u64; tallies.len()];
    let (mut previous, mut switches) = (None, 0);
    for line in text.lines() {
        let parsed = line.strip_prefix('w').and_then(|rest| rest.split_once(' '));
        let parsed = parsed.and_then(|(w, s)| Some((w.parse::<usize>().ok()?, s.parse::<u64>().ok()?)));
        let Some((w, seq)) = parsed.filter(|(w, _)| *w < tallies.len()) else {
            return Err(format!("a broken journal line: {line:?}"));
        };
        if last[w].is_some_and(|l| l >= seq) {
            return Err(format!("worker {w}'s journal lines are out of order at {seq}"));
        }
        last[w] = Some(seq);
        counts[w] += 1;
        switches += u64::from(previous.is_some_and(|p| p != w));
        previous = Some(w);
    }
    for (w, tally) in tallies.iter().enumerate() {
        if counts[w] != tally.journal_lines {
            return Err(format!(
                "worker {w} appended {} lines, the journal holds {}",
                tally.journal_lines, counts[w]
            ));
        }
    }
    Ok((counts.iter().sum(), switches))
}

fn report(
    operations: u64,
    start: Instant,
    measure: Measure,
    tallies: &[Tally],
    journal: (u64, u64),
) -> WorkReport {
    let mut by_kind = BTreeMap::new();
    for tally in tallies {
        for (kind, n) in &tally.by_kind {
            *by_kind.entry(*kind).or_default() += n;
        }
    }
    WorkReport {
        operations,
        seconds: start.elapsed().as_secs_f64(),
        memory: measure.figures(),
        by_kind,
        journal_lines: journal.0,
        journal_switches: journal.1,
        files_left: tallies.iter().map(|t| t.files).sum(),
    }
}

/// Four tasks sharing one file system, switching after every operation.
pub fn interleaved(operations: u64) -> Result<WorkReport, String> {
    let measure = Measure::start();
    let start = Instant::now();
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let results: Rc<RefCell<Vec<Outcome>>> = Rc::default();
    let mut pool = LocalPool::new();
    for id in 0..WORKERS {
        let (fs, results) = (fs.clone(), Rc::clone(&results));
        let share = operations / WORKERS as u64;
        pool.spawner()
            .spawn_local(async move {
                let outcome = worker(fs, id, share).await;
                results.borrow_mut().push((id, outcome));
            })
            .map_err(|e| format!("cannot start worker {id}: {e}"))?;
    }
    pool.run();
    let mut results = results.take();
    results.sort_by_key(|(id, _)| *id);
    let tallies = results.into_iter().map(|(_, r)| r).collect::<Result<Vec<_>, _>>()?;
    if tallies.len() != WORKERS {
        return Err(format!("{} of {WORKERS} workers finished", tallies.len()));
    }
    let journal = check_journal(&fs, &tallies)?;
    if !fs.open_files().is_empty() {
        return Err(format!("files left open: {:?}", fs.open_files()));
    }
    Ok(report(operations, start, measure, &tallies, journal))
}

/// Four OS threads at once, each with its own file system.
pub fn parallel(operations: u64) -> Result<WorkReport, String> {
    let measure = Measure::start();
    let start = Instant::now();
    let threads: Vec<_> = (0..WORKERS)
        .map(|id| {
            let share = operations / WORKERS as u64;
            std::thread::spawn(move || {
                let fs = FileSystem::empty(DEFAULT_QUOTA);
                let tally = futures::executor::block_on(worker(fs.clone(), id, share))?;
                let mut tallies: Vec<Tally> = (0..id).map(|_| Tally::default()).collect();
                tallies.push(tally);
                check_journal(&fs, &tallies)?;
                tallies.pop().ok_or_else(|| "no tally".to_string())
            })
        })
        .collect();
    let mut tallies = Vec::new();
    for (id, thread) in threads.into_iter().enumerate() {
        tallies.push(thread.join().map_err(|_| format!("worker thread {id} panicked"))??);
    }
    let lines = tallies.iter().map(|t| t.journal_lines).sum();
    Ok(report(operations, start, measure, &tallies, (lines, 0)))
}

//! The end of section A: what a crash does to files. One cell writes a whole *generation*
//! of files (each file names itself, its generation and its length, and ends with a
//! checksum of everything before it), the other reads them back and says which
//! generation each holds, or that it is damaged. Killing the browser between the two
//! shows that a save keeps every file whole; `tests/e2e/crash.test.mjs` does it for real.

use std::collections::BTreeMap;
use std::time::Duration;

use super::code_cell;
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec};
use crate::pyrepr::str_repr;
use crate::vfs::{FileSystem, IoResult};
use crate::words::count;

const CRASH: &str = "\
**When the browser dies in the middle of a write.** The kernel saves its disk to your \
browser's storage a moment after every change. A save is one transaction, which the \
storage keeps whole or not at all, and it happens between two steps of a cell, never \
inside one. So whether the tab is closed, the browser is killed or the power goes while \
a cell writes, the next visit finds the disk as one save left it: every file holds a \
complete version, the old one or the new one, and only what was written after the last \
save is lost.

A real disk promises less: a crash while a file is being written can leave it cut short, \
half old and half new. The usual defence, which the first cell below uses, is to write \
the new version to a temporary file and then *rename* it over the old name: a rename \
swaps the name in one step, so anyone looking finds one version or the other.

Try it: run the first cell with generation 1, then again with generation 2 and close the \
tab while it runs (raise the number of files or the pause to give yourself time). Open \
the page again and run the second cell: it reads every file and tells which generation \
it holds. Each file checks itself: it names its generation and length, and its last line \
is a checksum of all the bytes before it, so a file cut short or mixed is caught.";

/// The line that ends every generated file, before its eight hex digits.
const CHECKSUM_PREFIX: &str = "checksum: ";

/// The smallest file the first cell writes: room for its header and checksum.
const MIN_SIZE: usize = 128;

/// The largest, so that the 64 MiB disk holds a useful number of them.
const MAX_SIZE: usize = 1 << 20;

/// The most files one run writes.
const MAX_FILES: usize = 5000;

/// FNV-1a, 32 bits: a tiny checksum any language can repeat (the e2e test does, in JS).
pub fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |hash, b| (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// The whole content of file `name` at `generation`, exactly `size` bytes (`size` at
/// least [`MIN_SIZE`]): a header, lines of letters that depend on the name and the
/// generation, and the checksum of all of that.
pub fn generation_content(name: &str, generation: u64, size: usize) -> Vec<u8> {
    let mut out = format!("file: {name}\ngeneration: {generation}\nbytes: {size}\n").into_bytes();
    let body_end = size.saturating_sub(CHECKSUM_PREFIX.len() + 9);
    let mut state = u64::from(fnv1a(name.as_bytes())) << 32 | (generation & 0xffff_ffff) | 1;
    while out.len() < body_end {
        if out.len() % 64 == 63 || out.len() + 1 == body_end {
            out.push(b'\n');
            continue;
        }
        // xorshift64: cheap letters that differ from one generation to the next.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push(b'a' + (state % 26) as u8);
    }
    let sum = fnv1a(&out);
    out.extend_from_slice(format!("{CHECKSUM_PREFIX}{sum:08x}\n").as_bytes());
    out
}

/// What reading one generated file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A complete file of this generation.
    Whole(u64),
    /// Not a complete file: the reason.
    Damaged(String),
}

fn header_field<'a>(lines: &mut impl Iterator<Item = &'a str>, key: &str) -> Result<&'a str, String> {
    let line = lines.next().unwrap_or("");
    line.strip_prefix(key).and_then(|rest| rest.strip_prefix(": ")).ok_or_else(|| format!("no '{key}:' line"))
}

/// Checks `bytes`, read from the file called `name`, against the format of
/// [`generation_content`]: its name, its length, its checksum, then its whole content.
pub fn inspect(name: &str, bytes: &[u8]) -> Verdict {
    let check = || -> Result<u64, String> {
        let text = std::str::from_utf8(bytes).map_err(|_| "not text".to_string())?;
        let mut lines = text.lines();
        if header_field(&mut lines, "file")? != name {
            return Err("it names another file".into());
        }
        let generation: u64 =
            header_field(&mut lines, "generation")?.parse().map_err(|_| "bad generation")?;
        let size: usize = header_field(&mut lines, "bytes")?.parse().map_err(|_| "bad length")?;
        if bytes.len() != size {
            return Err(format!("{} bytes instead of {size}", bytes.len()));
        }
        let body = text.trim_end_matches('\n');
        let start = body.rfind('\n').map_or(0, |i| i + 1);
        let sum = body[start..].strip_prefix(CHECKSUM_PREFIX).ok_or("no checksum line")?;
        if u32::from_str_radix(sum, 16).ok() != Some(fnv1a(&bytes[..start])) {
            return Err("the checksum does not match".into());
        }
        if generation_content(name, generation, size) != bytes {
            return Err("the letters are not its generation's".into());
        }
        Ok(generation)
    };
    match check() {
        Ok(generation) => Verdict::Whole(generation),
        Err(reason) => Verdict::Damaged(reason),
    }
}

/// The name of file `index` of a generation.
pub fn generation_file_name(index: usize) -> String {
    format!("f{index:04}.txt")
}

fn whole_number(cx: &CellContext, name: &str, min: usize, max: usize) -> Result<usize, CellError> {
    let value: usize = cx.param_as(name)?;
    if !(min..=max).contains(&value) {
        return Err(CellError::new(
            "ValueError",
            format!("input '{name}' must be from {min} to {max}, not {value}"),
        ));
    }
    Ok(value)
}

/// Writes `bytes` to `temporary`, then renames it over `path` (one step: the old version,
/// then the new one). A write that fails (a full disk) removes the temporary file it made,
/// so no half-written copy is left for A30 to find, and returns the write's error.
fn write_then_rename(fs: &FileSystem, temporary: &str, path: &str, bytes: &[u8]) -> IoResult<()> {
    let mut file = fs.open(temporary, "wb")?;
    // `close` closes even when its flush fails: the temporary file is never left open.
    let written =
        file.write_bytes(bytes).and_then(|_| file.close()).and_then(|()| fs.rename(temporary, path));
    if written.is_err() {
        let _ = file.close(); // already closed unless the write itself failed
        let _ = fs.remove(temporary); // the write's error is the one to report
    }
    written
}

/// Writes one generation of files into a folder, each through a temporary file renamed
/// over the old one, pausing between files so that the kernel saves along the way.
pub async fn write_generation(cx: CellContext) -> CellResult {
    let folder = cx.param("folder");
    let files = whole_number(&cx, "files", 1, MAX_FILES)?;
    let size = whole_number(&cx, "size", MIN_SIZE, MAX_SIZE)?;
    let generation: u64 = cx.param_as("generation")?;
    let pause = Duration::from_millis(whole_number(&cx, "pause", 0, 10_000)? as u64);
    let fs = cx.fs();
    fs.makedirs(&folder, true)?;
    let progress = cx.progress("files written", files as u64);
    let started = cx.now_ms();
    for index in 0..files {
        let name = generation_file_name(index);
        let (path, temporary) = (format!("{folder}/{name}"), format!("{folder}/{name}.tmp"));
        write_then_rename(&fs, &temporary, &path, &generation_content(&name, generation, size))?;
        progress.update(index as u64 + 1);
        cx.sleep(pause).await; // the kernel may save here, between two files
    }
    let elapsed = cx.now_ms() - started;
    cx.println(format!(
        "Wrote {} of generation {generation} ({} KB) in {} in {elapsed:.0} ms.",
        count(files, "file", "files"),
        files * size / 1024,
        str_repr(&folder)
    ));
    Ok(())
}

/// Reads every file of the folder and tells which generation each holds, or what is wrong.
pub async fn check_generations(cx: CellContext) -> CellResult {
    let folder = cx.param("folder");
    let fs = cx.fs();
    if !fs.is_dir(&folder) {
        cx.println(format!("There is no folder {} yet: the cell above writes one.", str_repr(&folder)));
        return Ok(());
    }
    let mut names = fs.listdir(&folder)?;
    names.sort();
    let mut by_generation: BTreeMap<u64, usize> = BTreeMap::new();
    let mut damaged = Vec::new();
    for name in &names {
        let path = format!("{folder}/{name}");
        if !fs.is_file(&path) {
            continue;
        }
        match inspect(name, &fs.read_file(&path)?) {
            Verdict::Whole(generation) => *by_generation.entry(generation).or_default() += 1,
            Verdict::Damaged(reason) => damaged.push(vec![name.clone(), reason]),
        }
    }
    let rows: Vec<Vec<String>> =
        by_generation.iter().map(|(g, n)| vec![format!("generation {g}"), n.to_string()]).collect();
    cx.table(&["holds", "files"], &rows);
    let whole: usize = by_generation.values().sum();
    let folder = str_repr(&folder);
    if damaged.is_empty() {
        cx.println(match whole {
            0 => format!("There are no files in {folder}."),
            1 => format!("The one file in {folder} is whole."),
            n => format!("All {n} files in {folder} are whole."),
        });
    } else {
        cx.println(format!("{} whole and {} damaged:", count(whole, "file is", "files are"), damaged.len()));
        cx.table(&["file", "what is wrong"], &damaged);
    }
    Ok(())
}

/// The cells of this part of section A, in page order: section A's list ends with them.
pub const CRASH_TEXT: CellSpec = CellSpec::Markdown(md::CRASH);
pub const WRITE_A_GENERATION: CellSpec =
    CellSpec::Code(code_cell!("A29", "Write a generation of files", write_generation).inputs(
        const {
            &[
                field("folder", "folder", "generations"),
                field("files", "files", "20"),
                field("size", "bytes per file", "2048"),
                field("generation", "generation", "1"),
                field("pause", "pause between files (ms)", "5"),
            ]
        },
    ));
pub const CHECK_THE_GENERATIONS: CellSpec = CellSpec::Code(
    code_cell!("A30", "Which generation is each file?", check_generations)
        .inputs(const { &[field("folder", "folder", "generations")] }),
);

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_crash.rs"));

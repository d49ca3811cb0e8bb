//! Section A of the catalogue: files. Reading, writing and appending; binary data; what
//! buffering does and costs; closing, detaching, positions and descriptors; and the
//! everyday tasks (copying, counting, checking) built from them.

use std::borrow::Cow;

use super::py_builtins::int;
use super::{code_cell, course_script};
use crate::case::Case;
use crate::notebook::{field, CellContext, CellError, CellResult, CellSpec, Section};
use crate::pyrepr::{bytes_repr, str_repr};
use crate::vfs::{ErrorKind, File, IoResult};
use crate::words::{self, count};

const INTRO: &str = "\
A file object is a door onto bytes on a disk. `open(path, mode)` picks which door: `r` \
reads an existing file, `w` creates or empties one to write it, `a` writes after what is \
already there. The disk here lives in the kernel's memory; its working directory, \
`/home/user`, starts with one file, `sample.txt`.

In Rust, the file closes when its variable goes out of scope, the same promise Python's \
`with` block makes, so most cells below never call `close`. The few that do are showing \
what closing does.

A cell that reads a file you name (A1, A4, A8, A19, A22) reads a second one after it, \
its `then` input: a name that is not there, so the first run already shows what a \
missing file does. Give it a real name to see two reads.";

/// A1: read a whole text file and print it; a missing file is reported, not fatal. It
/// runs twice: the file you name, then one that is not there (see `tries`).
pub async fn a1_read_file(cx: CellContext) -> CellResult {
    for path in tries(&cx, "file") {
        match cx.fs().open(&path, "r") {
            Ok(mut file) => {
                let content = file.read()?;
                cx.println("File content:");
                cx.print(content);
            }
            Err(error) => cx.println(format!("{}: {error}", error.kind().python_name())),
        }
    }
    Ok(())
}

/// The path a cell's input `name` gives, then its `then` input: a name that is not there
/// by default, so the first run shows the missing-file path the course's run ends in.
fn tries(cx: &CellContext, name: &str) -> [String; 2] {
    [cx.param(name), cx.param("then")]
}

/// A2: write three lines to a file, replacing what it held.
pub async fn a2_write_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    {
        let mut file = cx.fs().open(&path, "w")?;
        file.write("Hello from the kernel!\n")?;
        file.write("Mode 'w' empties the file before writing.\n")?;
        file.write("Run this cell again: still three lines.\n")?;
    } // the file closes here
    cx.println(format!("Wrote 3 lines to '{path}'. It now reads:"));
    cx.print(cx.fs().open(&path, "r")?.read()?);
    Ok(())
}

/// A3: append one line; each run adds another.
pub async fn a3_append_file(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let note = cx.param("note");
    cx.fs().open(&path, "a")?.write(&format!("{note}\n"))?;
    let content = cx.fs().open(&path, "r")?.read()?;
    cx.println(format!(
        "Appended to '{path}', which now has {}:",
        count(content.lines().count(), "line", "lines")
    ));
    cx.print(content);
    Ok(())
}

const BINARY: &str = "\
**Binary files.** Add `b` to the mode and reading gives you bytes instead of text: \
nothing is decoded and line ends are left alone. Python shows a `bytes` value as \
`b'...'`: printable ASCII stands for itself, and any other byte is written as an escape \
such as `\\n` or `\\x89`. Unless it is already there, A4 first makes \
`my_binary_file.dat`, whose bytes begin like a PNG image, then reads the first few.";

/// A4: read the first bytes of a binary file and show them as Python shows `bytes`; then
/// the same for a file that is not there (see `tries`).
pub async fn a4_read_binary(cx: CellContext) -> CellResult {
    let count: usize = cx.param_as("count")?;
    // Every PNG image starts with these 8 bytes, then the length and name of its first chunk.
    let png_start = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";
    if !cx.fs().exists("my_binary_file.dat") {
        cx.fs().open("my_binary_file.dat", "wb")?.write_bytes(png_start)?;
    }
    for path in tries(&cx, "file") {
        match cx.fs().open(&path, "rb") {
            Ok(mut file) => {
                let content = file.read_bytes(Some(count))?;
                cx.println(format!(
                    "First {} of '{path}': {}",
                    words::count(count, "byte", "bytes"),
                    bytes_repr(&content)
                ));
            }
            Err(e) if e.kind() == ErrorKind::FileNotFound => {
                cx.println(format!("Binary file '{path}' not found."))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

const WITHOUT_WITH: &str = "\
**Without `with`.** Write `f = open(...)` in Python with no `with` and closing becomes \
your job. Until `f.close()` runs, two things are held. The *descriptor*: a numbered \
entry in the system's table of open files, of which a process gets a limited number \
(often 1024). And the *buffer*: what you wrote may still sit in the file object's \
memory rather than in the file, where other programs cannot see it and a crash loses \
it. CPython usually closes a file you drop as soon as nothing refers to it, but that is \
a detail of one implementation, not a promise.

In Rust you cannot forget altogether: a file closes when its owner goes out of scope. \
Holding one open too long looks like a variable that lives too long. The cell below \
keeps a file open on purpose and checks the disk and the open-file table as it goes.";

/// A5: a file left open: its data is not on the disk until a flush, and its descriptor
/// stays in the open-file table until it is closed.
pub async fn a5_without_with(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let fs = cx.fs();
    let show_open_files = || {
        let rows: Vec<Vec<String>> = fs
            .open_files()
            .into_iter()
            .map(|f| vec![f.fd.to_string(), f.entry.path, f.entry.mode, f.entry.owner])
            .collect();
        cx.table(&["fd", "path", "mode", "opened by"], &rows);
    };

    let mut file = fs.open(&path, "w")?; // no `with`: it stays open until we close it
    file.write("first line\n")?;
    cx.println(format!("after write():   {} bytes on disk", fs.getsize(&path)?));
    file.flush()?;
    cx.println(format!("after flush():   {} bytes on disk", fs.getsize(&path)?));
    file.write("second line\n")?;
    cx.println(format!("after write():   {} bytes on disk; the file is still open:", fs.getsize(&path)?));
    show_open_files();

    file.close()?; // writes out the buffer and gives the descriptor back
    cx.println(format!("after close():   {} bytes on disk; open files now:", fs.getsize(&path)?));
    show_open_files();
    Ok(())
}

const BUFFERING: &str = "\
**Buffering.** Every trip to the disk, a *system call*, has a fixed cost whatever its \
size. A buffer is a block of memory inside the file object that gathers small writes and \
sends them in one large call, or fetches a large block on reading and hands it out in \
small pieces. Python has three policies:

- *full buffering*, the default for files: data goes out when the buffer is full, on \
`flush()` and on `close()`;
- *line buffering*, `buffering=1`, text only: also at every line end, so each finished \
line shows up at once (a terminal works this way);
- *no buffering*, `buffering=0`, binary only: each `write` is its own system call.

The raw layer of this file system counts its calls, which stand for system calls. The \
cell writes the same lines three ways, each line in two writes (its words, then `\\n`), \
and counts.";

/// A6: the same writes with full, line and no buffering, and the raw writes each costs.
pub async fn a6_buffering_policies(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let lines: usize = cx.param_as("lines")?;
    // (policy, mode, buffering): unbuffered files must be binary, so that one writes bytes.
    let policies = [("full", "w", -1), ("line", "w", 1), ("none", "wb", 0)];
    let mut rows = Vec::new();
    let mut bars = Vec::new();
    for (policy, mode, buffering) in policies {
        let mut file = cx.fs().open_with(&path, mode, buffering)?;
        for i in 1..=lines {
            for piece in [format!("line {i}"), "\n".to_string()] {
                if mode == "wb" {
                    file.write_bytes(piece.as_bytes())?;
                } else {
                    file.write(&piece)?;
                }
            }
        }
        file.close()?;
        let counts = file.counts();
        rows.push(vec![
            policy.to_string(),
            format!("open({}, '{mode}', buffering={buffering})", str_repr(&path)),
            (2 * lines).to_string(),
            counts.raw_writes.to_string(),
            counts.bytes_written.to_string(),
        ]);
        bars.push((policy.to_string(), counts.raw_writes as f64));
    }
    cx.table(&["buffering", "opened with", "write() calls", "raw writes", "bytes"], &rows);
    cx.bar_chart(
        &format!("Raw writes for the same {}, by buffering", count(lines, "line", "lines")),
        &bars,
        "raw writes",
    );
    Ok(())
}

const OPENING: &str = "\
**Buffered file handling, step by step.**

1. Pick the mode: `r`, `w`, `a` or `x`, plus `b` for bytes and `+` to both read and write.
2. Pick the buffering as you open: `0` gives the raw `FileIO` with no buffer (binary \
only); `1` a text file that flushes at each line end; a number above 1 a buffer of that \
many bytes; leaving it out (or `-1`) the default, 8192 bytes here (CPython uses the \
disk's block size when it can learn it, else `io.DEFAULT_BUFFER_SIZE`).
3. Read and write as usual: the buffer decides when the raw file is called.
4. Flush when someone else must see the data now; close (or leave the scope) so the rest \
is written and the descriptor goes back.

The object you get tells you what you chose: its class, its buffer size, whether it \
flushes by line. Text files add a layer on top, `TextIOWrapper`, which turns characters \
into bytes and itself gathers up to 8 KB before passing them down; so a buffer's size \
shows best in binary mode, as below.";

/// A7: opening with buffering 0, 1, N and the default, and what each choice gives.
pub async fn a7_open_with_buffering(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let size: i64 = cx.param_as("size")?;
    let writes: usize = cx.param_as("writes")?;
    let choices = [("wb", 0), ("w", 1), ("wb", size), ("wb", -1), ("w", -1), ("w", 0)];
    let mut rows = Vec::new();
    let mut refused = Vec::new();
    for (mode, buffering) in choices {
        let call = format!("open({}, '{mode}', buffering={buffering})", str_repr(&path));
        let mut file = match cx.fs().open_with(&path, mode, buffering) {
            Ok(file) => file,
            Err(e) => {
                refused.push(format!("{call} raises {}: {e}", e.kind().python_name()));
                continue;
            }
        };
        // The same records every time, 11 bytes each.
        for i in 1..=writes {
            let record = format!("record {i:03}\n");
            if mode == "wb" {
                file.write_bytes(record.as_bytes())?;
            } else {
                file.write(&record)?;
            }
        }
        let class = file.class_name().to_string();
        let buffer = file.buffer_size().map_or("none".to_string(), |n| n.to_string());
        let by_line = if file.line_buffering() { "yes" } else { "no" };
        file.close()?;
        let raw_writes = file.counts().raw_writes.to_string();
        rows.push(vec![call, class, buffer, by_line.to_string(), raw_writes]);
    }
    cx.println(format!("Each file gets {} of 11 bytes, then close():", count(writes, "write", "writes")));
    cx.table(&["opened with", "object", "buffer size", "flushes by line", "raw writes"], &rows);
    for line in refused {
        cx.println(line);
    }
    Ok(())
}

const CHUNKS: &str = "\
**Reading in chunks.** `read(n)` returns at most `n` characters, and `''` once the file \
is used up, so a loop can walk through a file of any size holding only one chunk at a \
time. A8 reads a file that way through a buffer of the size you choose and reports how \
many raw reads the buffer needed.";

/// The buffer `file` was opened with, in words: Python's `buffering` argument says the
/// size, except that a negative one means the default size and 1 (in text) a line buffer.
fn buffer_in_words(file: &File, buffering: i64) -> String {
    match file.buffer_size() {
        _ if file.line_buffering() => "a line buffer (buffering=1: written at each line end)".into(),
        Some(size) if buffering < 0 => format!("the default buffer of {size} bytes (buffering={buffering})"),
        Some(size) => format!("a buffer of {}", count(size, "byte", "bytes")),
        None => "no buffer (buffering=0)".into(),
    }
}

/// A8: read a text file chunk by chunk through a buffer and return its contents; then the
/// same for a file that is not there (see `tries`).
pub async fn a8_read_in_chunks(cx: CellContext) -> CellResult {
    let buffer: i64 = cx.param_as("buffer")?;
    let chunk: usize = cx.param_as("chunk")?;
    for path in tries(&cx, "file") {
        let mut file = match cx.fs().open_with(&path, "r", buffer) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::FileNotFound => {
                cx.println(format!("Error: The file at {path} was not found."));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let mut contents = String::new();
        let mut chunks = 0;
        loop {
            let piece = file.read_n(chunk)?;
            if piece.is_empty() {
                break; // the end of the file
            }
            contents.push_str(&piece);
            chunks += 1;
        }
        cx.print(&contents);
        cx.println(format!(
            "({} of up to {}; {} through {})",
            count(chunks, "chunk", "chunks"),
            count(chunk, "character", "characters"),
            count(file.counts().raw_reads, "raw read", "raw reads"),
            buffer_in_words(&file, buffer)
        ));
    }
    Ok(())
}

const WHY_BUFFERED_READING: &str = "\
**Why read through a buffer?** Reading a file in small pieces straight from the raw \
file costs one system call per piece. A buffered reader asks the raw file for a whole \
block at once (8 KB by default) and serves the small reads from memory, so the calls \
drop by the ratio of the block to the piece. You then read in whatever size suits your \
code (a line, a record, a few bytes) without paying a call for each.

The cell writes a test file, reads it in the same small pieces, once directly \
(`buffering=0`) and once through the default buffer, and compares. A third pass reads \
through the buffer with `readinto`, which fills one buffer of yours instead of making a \
new `bytes` object for every piece: the same raw calls, less time. The disk here is \
memory, so a raw call costs much less than a real system call: the count of calls is \
exact, the gap in time is smaller than it would be on a real disk.";

/// A9: direct and buffered reading of the same large file: raw reads and time.
pub async fn a9_direct_vs_buffered(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let kb: usize = cx.param_as("kb")?;
    let piece: usize = cx.param_as("piece")?;
    if piece == 0 || kb > 16 * 1024 {
        return Err(CellError::new("ValueError", "piece must be at least 1 byte, and kb at most 16384"));
    }
    // A test file of `kb` kilobytes: the alphabet over and over.
    let data: Vec<u8> = (0..kb * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    cx.fs().open(&path, "wb")?.write_bytes(&data)?;

    let mut rows = Vec::new();
    let mut calls = Vec::new();
    let mut times = Vec::new();
    for (name, buffering, into) in
        [("direct", 0, false), ("buffered", -1, false), ("buffered, readinto", -1, true)]
    {
        let start = cx.now_ms();
        let mut file = cx.fs().open_with(&path, "rb", buffering)?;
        let mut total = 0;
        let mut chunk = vec![0; piece]; // what readinto fills, again and again
        loop {
            // read() makes a new bytes object for every piece; readinto() fills `chunk`.
            let n = if into { file.readinto(&mut chunk)? } else { file.read_bytes(Some(piece))?.len() };
            if n == 0 {
                break;
            }
            total += n;
        }
        let ms = cx.now_ms() - start;
        let raw_reads = file.counts().raw_reads;
        rows.push(vec![
            format!("{name} (buffering={buffering})"),
            total.to_string(),
            raw_reads.to_string(),
            format!("{ms:.2}"),
        ]);
        calls.push((name.to_string(), raw_reads as f64));
        times.push((name.to_string(), ms));
    }
    cx.println(format!(
        "Read {} in pieces of {}:",
        count(data.len(), "byte", "bytes"),
        count(piece, "byte", "bytes")
    ));
    cx.table(&["reading", "bytes read", "raw reads", "milliseconds"], &rows);
    cx.bar_chart("Raw reads", &calls, "calls");
    cx.bar_chart("Time to read the file", &times, "ms");
    Ok(())
}

/// A10: append to a file through a buffer; the data reaches the disk in one raw write.
pub async fn a10_buffered_append(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let text = cx.param("text");
    let buffer: i64 = cx.param_as("buffer")?;
    let times: usize = cx.param_as("times")?;
    let before = if cx.fs().exists(&path) { cx.fs().getsize(&path)? } else { 0 };

    let mut file = cx.fs().open_with(&path, "a", buffer)?;
    for _ in 0..times {
        file.write(&format!("{text}\n"))?;
    }
    let pending = cx.fs().getsize(&path)?;
    file.close()?;
    let after = cx.fs().getsize(&path)?;

    let lines = count(times, "line", "lines");
    cx.println(format!("Appended {lines} to '{path}' through {}.", buffer_in_words(&file, buffer)));
    let before = count(before, "byte", "bytes");
    cx.println(format!("Size on disk: {before} before, {pending} after the writes, {after} after close()."));
    cx.println(format!("Raw writes: {}", file.counts().raw_writes));
    cx.println("The file now reads:");
    cx.print(cx.fs().open(&path, "r")?.read()?);
    Ok(())
}

const FINALLY: &str = "\
**`close()` and `finally`.** Without `with`, Python code closes a file in a `finally` \
block, which runs whether the `try` part succeeded or raised. Rust has no `finally`; the \
same shape is to keep the result of the risky step in a variable instead of leaving at \
once with `?`, clean up, and only then look at the result. Set the mode to `r` to make \
the write fail (on a file that exists) and watch the file still get closed.";

/// A11: close a file whether or not writing to it worked.
pub async fn a11_close_in_finally(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let mode = cx.param("mode");
    let content = cx.param("content");
    let mut file = match cx.fs().open(&path, &mode) {
        Ok(file) => file,
        Err(e) => {
            cx.println(format!("Error: {}: {e}", e.kind().python_name()));
            cx.println("Nothing was opened, so there is nothing to close.");
            return Ok(());
        }
    };
    // "try": keep the outcome instead of returning early.
    match file.write(&format!("{content}\n")) {
        Ok(_) => cx.println(format!("Content written to {path}")),
        Err(e) => cx.println(format!("Error: {}: {e}", e.kind().python_name())),
    }
    // "finally": this runs after either arm above.
    file.close()?;
    cx.println(format!("File {path} is closed"));
    Ok(())
}

const DETACH: &str = "\
**`detach()`.** A file from `open` is a stack of objects: `TextIOWrapper` (text) on a \
buffered object (`BufferedReader`, `BufferedWriter` or `BufferedRandom`) on the raw \
`FileIO`. `detach()` flushes, lifts off the top object and returns the one underneath; \
the object you called it on is left empty, and every later call on it fails. It is how \
you keep a file open while dropping the layer above, say to wrap the same stream in a \
different encoding.";

/// A12: detach the raw stream from a buffered file; the shell fails, the raw stream works.
pub async fn a12_detach(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let content = cx.param("content");
    let mut file = cx.fs().open(&path, "wb")?;
    file.write_bytes(content.as_bytes())?;
    cx.println(format!("Opened '{path}' as a {} over a raw FileIO.", file.class_name()));

    let mut raw = file.detach()?; // flushes, then hands over the FileIO underneath
    cx.println("The file object has been detached.");
    match file.write_bytes(b"This will fail.") {
        Ok(_) => cx.println("The write worked, which it should not have."),
        Err(e) => cx.println(format!("Expected error: {e}")),
    }

    raw.write_bytes(b" This is written to the raw stream.")?; // one raw write, no buffer
    raw.close()?;
    cx.println(format!("Raw stream for {path} is closed"));
    let on_disk = cx.fs().open(&path, "rb")?.read_bytes(None)?;
    cx.println(format!("The file holds {}", bytes_repr(&on_disk)));
    Ok(())
}

const DETACH_READER: &str = "\
**Detaching a reader.** A `BufferedReader` reads ahead: asked for 5 bytes, it asks the \
raw file for a whole buffer (up to 8192 bytes) and keeps what it did not hand out. \
`detach()` gives you the raw `FileIO` as the buffer left it, so its position is where the \
read-ahead stopped, not where your reads did, and the bytes in the buffer are gone with \
it. Reading from the raw stream goes on from there (nothing, when the whole file fitted \
in the buffer); to go on where the reader stood, seek the raw stream there first. Try a \
file larger than the buffer, such as B6's `app.log`.";

/// A12b: detach the raw stream from a reader: it stands where the read-ahead stopped.
pub async fn a12b_detach_reader(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let n: usize = cx.param_as("count")?;
    let mut file = cx.fs().open(&path, "rb")?;
    let first = file.read_bytes(Some(n))?;
    cx.println(format!("read({n}) through the {}: {}", file.class_name(), bytes_repr(&first)));
    let stood_at = file.tell()?;
    cx.println(format!("The reader stands at byte {stood_at}."));

    let mut raw = file.detach()?; // the FileIO underneath, as the buffer left it
    cx.println(format!("Detached: the raw {} stands at byte {}.", raw.class_name(), raw.tell()?));
    cx.println(format!("raw.read(20) gives {}", bytes_repr(&raw.read_bytes(Some(20))?)));
    raw.seek(stood_at as i64, 0)?; // back to where the reader stood
    cx.println(format!(
        "After raw.seek({stood_at}), raw.read(20) gives {}",
        bytes_repr(&raw.read_bytes(Some(20))?)
    ));
    match file.read_bytes(Some(1)) {
        Ok(_) => cx.println("Reading through the detached reader worked, which it should not have."),
        Err(e) => cx.println(format!("Reading through the detached reader: {}: {e}", e.kind().python_name())),
    }
    raw.close()?;
    Ok(())
}

const POSITION: &str = "\
**Where you are in a file.** An open file keeps a *position*: the byte where the next \
read or write happens, which moves forward as you go. `tell()` reports it; \
`seek(offset, whence)` moves it, counting from the start (`whence` 0), from here (1) or \
from the end (2). In text mode only positions that `tell()` gave you, or 0, are safe \
to seek to, since a character can take more than one byte (A13's offset 10 is fine \
because its text is plain ASCII). `fileno()` is a different number: the file's entry \
in the open-file table, which A5 showed.";

/// A13: write three lines, then move around them with seek().
pub async fn a13_seek(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let offset: i64 = cx.param_as("offset")?;
    {
        let mut file = cx.fs().open(&path, "w")?;
        file.write("Line 1: This is the first line.\n")?;
        file.write("Line 2: This is the second line.\n")?;
        file.write("Line 3: This is the third line.\n")?;
    }
    let mut file = cx.fs().open(&path, "r")?;
    for (skip, which) in [(0, "first"), (1, "second"), (2, "third")] {
        file.seek(0, 0)?; // back to the start...
        for _ in 0..skip {
            file.readline()?; // ...and past the lines before the one we want
        }
        cx.println(format!("Reading the {which} line:"));
        cx.println(file.readline()?.trim_end());
        cx.println("");
    }
    file.seek(offset, 0)?;
    cx.println(format!("Reading from offset {offset} onwards:"));
    cx.println(file.read()?.trim());
    Ok(())
}

/// A14: a file's descriptor, and the open-file table it comes from.
pub async fn a14_fileno(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let file = cx.fs().open(&path, "r")?;
    cx.println(format!("The file descriptor for {path} is {}", file.fileno()?));
    // Each open gets its own entry, the lowest number free (0, 1, 2 are the standard streams).
    let again = cx.fs().open(&path, "r")?;
    cx.println(format!("Opened a second time, it gets {}", again.fileno()?));
    let rows: Vec<Vec<String>> = cx
        .fs()
        .open_files()
        .into_iter()
        .map(|f| vec![f.fd.to_string(), f.entry.path, f.entry.mode, f.entry.owner])
        .collect();
    cx.table(&["fd", "path", "mode", "opened by"], &rows);
    Ok(())
}

/// A15: the position after reading a few characters.
pub async fn a15_tell(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let count: usize = cx.param_as("count")?;
    let mut file = cx.fs().open(&path, "r")?;
    let text = file.read_n(count)?;
    // tell() counts bytes; for ASCII text that is the number of characters read.
    let position = file.tell()?;
    cx.println(format!("Read {}", str_repr(&text)));
    cx.println(format!(
        "The current position of the file's cursor is {}.",
        words::count(position, "byte", "bytes")
    ));
    Ok(())
}

const EVERYDAY: &str = "\
**Everyday file tasks.** The cells from here on are the small jobs that come up all the \
time: write a string, print a file line by line, cope with a file that is missing, \
locked or empty, copy, collect lines, count words. Where a cell reads, its default file \
is `sample.txt`, which every fresh notebook has; type another name to try the other \
paths.";

/// A16: open a file for writing and write one string to it.
pub async fn a16_write_string(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let text = cx.param("text");
    {
        let mut file = cx.fs().open(&path, "w")?;
        file.write(&text)?;
    } // closed, so the text is on the disk
    cx.println(format!("The content has been written to {path}."));
    cx.println(format!("It holds {}", str_repr(&cx.fs().open(&path, "r")?.read()?)));
    Ok(())
}

/// A17: print a file line by line.
pub async fn a17_print_lines(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let mut file = cx.fs().open(&path, "r")?;
    for line in file.lines() {
        // Each line keeps its own "\n", so print it as is (Python's print(line, end='')).
        cx.print(line?);
    }
    Ok(())
}

/// A18: the errors opening can meet, each handled by its kind.
pub async fn a18_open_errors(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let mode = cx.param("mode");
    // A file nobody may change, to meet PermissionError on purpose.
    if !cx.fs().exists("locked.txt") {
        cx.fs().open("locked.txt", "w")?.write("You may read this file, not change it.\n")?;
        cx.fs().set_read_only("locked.txt", true)?;
    }
    match cx.fs().open(&path, &mode) {
        Ok(mut file) => {
            if file.readable()? {
                cx.print(file.read()?);
            } else {
                cx.println(format!("Opened '{path}' with mode '{mode}'; nothing was written."));
            }
        }
        Err(e) if e.kind() == ErrorKind::FileNotFound => {
            cx.println(format!("Error: The file '{path}' does not exist."));
            cx.println(format!("FileNotFoundError: {e}"));
        }
        Err(e) if e.kind() == ErrorKind::Permission => {
            cx.println(format!("Error: Permission denied when trying to open '{path}'."));
            cx.println(format!("PermissionError: {e}"));
        }
        Err(e) => cx.println(format!("An unexpected error occurred: {}: {e}", e.kind().python_name())),
    }
    Ok(())
}

/// A19: copy one file to another, byte for byte; then try from a file that is not there.
pub async fn a19_copy_file(cx: CellContext) -> CellResult {
    let destination = cx.param("destination");
    for source in tries(&cx, "source") {
        // Open the source first: if it is missing, the destination is left untouched.
        let mut from = match cx.fs().open(&source, "rb") {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::FileNotFound => {
                cx.println(format!("Error: The source file '{source}' does not exist."));
                cx.println(format!("FileNotFoundError: {e}"));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        // Binary mode copies any file exactly. One 64 KB buffer, filled again and again by
        // `readinto`, copies a file of any size in the same memory (as `shutil` does).
        let mut to = cx.fs().open(&destination, "wb")?;
        let mut chunk = vec![0; 64 * 1024];
        let mut copied = 0;
        loop {
            let n = from.readinto(&mut chunk)?;
            if n == 0 {
                break;
            }
            to.write_bytes(&chunk[..n])?;
            copied += n;
        }
        cx.println(format!(
            "File content successfully copied from '{source}' to '{destination}' ({}).",
            count(copied, "byte", "bytes")
        ));
    }
    Ok(())
}

/// A20: read a file's lines into a list, without their line ends.
pub async fn a20_lines_into_list(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let mut file = cx.fs().open(&path, "r")?;
    let mut lines = Vec::new();
    for line in file.lines() {
        lines.push(line?.trim().to_string());
    }
    // Printed as Python prints a list of strings.
    let shown: Vec<String> = lines.iter().map(|line| str_repr(line)).collect();
    cx.println(format!("[{}]", shown.join(", ")));
    Ok(())
}

/// A21: append a line, then append in `a+` mode and read the whole file back.
pub async fn a21_append_and_read(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    cx.fs().open(&path, "a")?.write(&format!("{}\n", cx.param("first")))?;

    let mut file = cx.fs().open(&path, "a+")?;
    file.write(&format!("{}\n", cx.param("second")))?; // `a` writes always go to the end
    file.seek(0, 0)?; // back to the start to read it all
    cx.print(file.read()?);
    Ok(())
}

/// A22: check that a file exists before reading it; then check one that is not there.
pub async fn a22_check_exists(cx: CellContext) -> CellResult {
    for path in tries(&cx, "file") {
        // is_file() is exists() that also says no to a directory, which cannot be read.
        if cx.fs().is_file(&path) {
            cx.print(cx.fs().open(&path, "r")?.read()?);
        } else {
            cx.println(format!("File '{path}' does not exist."));
        }
    }
    Ok(())
}

/// A23: print a file, or say that it is empty.
pub async fn a23_print_or_empty(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    if !cx.fs().exists("empty.txt") {
        cx.fs().open("empty.txt", "w")?; // an empty file to try
    }
    let content = match cx.fs().open(&path, "r") {
        Ok(mut file) => file.read()?,
        Err(e) if e.kind() == ErrorKind::FileNotFound => {
            cx.println(format!("Error: The file '{path}' does not exist."));
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    // Only spaces and line ends count as empty too.
    if content.trim().is_empty() {
        cx.println(format!("The file '{path}' is empty."));
    } else {
        cx.println("File Content:\n");
        cx.print(content);
    }
    Ok(())
}

/// A24: write a list of numbers to a file, one per line.
pub async fn a24_write_numbers(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let mut numbers = Vec::new();
    for part in cx.param("numbers").split(',') {
        numbers.push(int(part.trim())?); // ValueError for a word, OverflowError past 64 bits
    }
    {
        let mut file = cx.fs().open(&path, "w")?;
        for number in &numbers {
            file.write(&format!("{number}\n"))?;
        }
    }
    cx.println(format!("Successfully wrote {} to '{path}'.", count(numbers.len(), "number", "numbers")));
    cx.print(cx.fs().open(&path, "r")?.read()?);
    Ok(())
}

/// A25: count how often a word occurs in a file, ignoring case: as whole words, and as
/// text (Python's `str.count`, which also counts it inside longer words).
pub async fn a25_count_word(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let word = cx.param("word").trim().lower();
    if word.is_empty() {
        cx.println("Type a word to count.");
        return Ok(());
    }
    let content = match cx.fs().open(&path, "r") {
        Ok(mut file) => file.read()?.lower(),
        Err(e) if e.kind() == ErrorKind::FileNotFound => {
            cx.println(format!("Error: The file '{path}' was not found."));
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    // Split into words, so "disk" is not also found inside "disks"; the course's
    // `str.count` counts the text wherever it is, and both are shown.
    let count = content.split(|c: char| !c.is_alphanumeric()).filter(|w| *w == word).count();
    let times = words::count(count, "time", "times");
    cx.println(format!("The word '{}' occurred {times} in '{path}'.", cx.param("word").trim()));
    let as_text = words::count(content.matches(word.as_str()).count(), "time", "times");
    cx.println(format!(
        "As text, as str.count counts it: {as_text} (inside longer words too, such as '{word}s')."
    ));
    Ok(())
}

/// A26: check by its size whether a file is empty, before opening it.
pub async fn a26_empty_by_size(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    if !cx.fs().exists("empty.txt") {
        cx.fs().open("empty.txt", "w")?; // an empty file to try
    }
    if !cx.fs().exists(&path) {
        cx.println(format!("File '{path}' does not exist."));
    } else if cx.fs().getsize(&path)? == 0 {
        cx.println(format!("The file '{path}' is empty (0 bytes)."));
    } else {
        cx.println(format!("File content ({}):", count(cx.fs().getsize(&path)?, "byte", "bytes")));
        cx.print(cx.fs().open(&path, "r")?.read()?);
    }
    Ok(())
}

/// A27: read a file inside a scope, Rust's `with`: it is closed when the scope ends.
pub async fn a27_scoped_read(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let content = {
        let mut file = match cx.fs().open(&path, "r") {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::FileNotFound => {
                cx.println(format!("Error: The file '{path}' does not exist."));
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        cx.println(format!("Inside the block: descriptor {} is open.", file.fileno()?));
        file.read()?
    }; // `file` ends here, and closes; naming it below would not compile
    cx.println("File content:\n");
    cx.print(content);
    cx.println(format!("After the block: {} open.", count(cx.fs().open_files().len(), "file", "files")));
    Ok(())
}

const WHY_CLOSE: &str = "\
**Why closing matters.** Closing does two jobs: it writes out whatever is still in the \
buffer, and it hands the descriptor back. A program that opens files in a loop and \
never closes them runs out of descriptors; one that stops before closing leaves its \
files short of their last writes; and on some systems a file held open cannot be \
renamed or deleted by anyone else. The cell opens one file several times, writes a \
line through each handle, and keeps them all.";

/// A28a: open handles hold descriptors and unwritten data until they are closed.
pub async fn a28a_why_close(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let count: usize = cx.param_as("handles")?;
    if count > 100 {
        return Err(CellError::new("ValueError", "handles: at most 100, each holds an 8 KB buffer"));
    }
    let fs = cx.fs();
    fs.open(&path, "w")?; // start from an empty file
    let mut handles = Vec::new();
    for i in 1..=count {
        let mut file = fs.open(&path, "a")?;
        file.write(&format!("a line from handle {i}\n"))?;
        handles.push(file);
    }
    let fds: Vec<String> = fs.open_files().iter().map(|f| f.fd.to_string()).collect();
    let (open, held) = (words::count(count, "handle", "handles"), fds.join(", "));
    cx.println(format!(
        "{open} open, holding {} {held}",
        if fds.len() == 1 { "descriptor" } else { "descriptors" }
    ));
    cx.println(format!("On disk: {}", words::count(fs.getsize(&path)?, "byte", "bytes")));

    handles.clear(); // dropping each handle closes it, which writes its line
    cx.println(format!(
        "After closing: {} held, {} on disk:",
        words::count(fs.open_files().len(), "descriptor", "descriptors"),
        words::count(fs.getsize(&path)?, "byte", "bytes")
    ));
    cx.print(fs.open(&path, "r")?.read()?);
    Ok(())
}

const READ_VS_READLINE: &str = "\
**`read()` or `readline()`.** `read()` returns the rest of the file as one string \
(`read(n)`: at most `n` characters). It is the simplest, but the whole file sits in \
memory at once. `readline()` returns one line per call, keeping its `\\n`, and `''` once \
nothing is left, so a loop can work through a file of any size a line at a time. \
`for line in f` is the same loop written shorter; here it is `file.lines()`.";

/// A28b: the same file through read() and through readline().
pub async fn a28b_read_vs_readline(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let all = cx.fs().open(&path, "r")?.read()?;
    cx.println(format!(
        "read() returns one string of {}:",
        count(all.chars().count(), "character", "characters")
    ));
    cx.println(format!("  {}", str_repr(&all)));

    cx.println("readline() returns a line per call:");
    let mut file = cx.fs().open(&path, "r")?;
    for call in 1.. {
        let line = file.readline()?;
        cx.println(format!("  call {call}: {}", str_repr(&line)));
        if line.is_empty() {
            break; // '' means the end of the file
        }
    }
    Ok(())
}

const OS_MODULE: &str = "\
**The `os` module and files.** Opening, reading and writing belong to the file object. \
Everything about files as entries on the disk belongs to `os` and `os.path`: where you \
are (`getcwd`), what is there (`listdir`, `exists`, `isfile`, `isdir`), how big \
(`getsize`, `stat`), and changes to the tree (`mkdir`, `makedirs`, `rename`, `remove`, \
`rmdir`). This file system has the same operations. The cell tries each on a scratch \
folder and removes it again at the end.";

/// A28c: the os-style operations on a scratch folder, each printed as its Python call.
pub async fn a28c_os_functions(cx: CellContext) -> CellResult {
    let folder = cx.param("folder");
    let fs = cx.fs();
    let (a, b) = (format!("{folder}/a.txt"), format!("{folder}/b.txt"));
    let py_bool = |yes: bool| if yes { "True" } else { "False" };
    let listing = |dir: &str| -> IoResult<String> {
        let names: Vec<String> = fs.listdir(dir)?.iter().map(|name| str_repr(name)).collect();
        Ok(format!("[{}]", names.join(", ")))
    };

    cx.println(format!("os.getcwd() -> {}", str_repr(&fs.getcwd())));
    fs.makedirs(&folder, true)?;
    cx.println(format!("os.makedirs({}, exist_ok=True)", str_repr(&folder)));
    cx.println(format!("os.path.isdir({}) -> {}", str_repr(&folder), py_bool(fs.is_dir(&folder))));
    fs.open(&a, "w")?.write("a scratch file\n")?;
    cx.println(format!("open({}, 'w').write(...)", str_repr(&a)));
    cx.println(format!("os.listdir({}) -> {}", str_repr(&folder), listing(&folder)?));
    cx.println(format!("os.path.getsize({}) -> {}", str_repr(&a), fs.getsize(&a)?));
    fs.rename(&a, &b)?;
    cx.println(format!("os.rename({}, {})", str_repr(&a), str_repr(&b)));
    cx.println(format!("os.listdir({}) -> {}", str_repr(&folder), listing(&folder)?));
    fs.remove(&b)?;
    cx.println(format!("os.remove({})", str_repr(&b)));
    cx.println(format!("os.path.exists({}) -> {}", str_repr(&b), py_bool(fs.exists(&b))));
    fs.rmdir(&folder)?;
    cx.println(format!("os.rmdir({})", str_repr(&folder)));
    cx.println(format!("os.path.exists({}) -> {}", str_repr(&folder), py_bool(fs.exists(&folder))));
    Ok(())
}

const WITH_IN_RUST: &str = "\
**`with`, and Rust's answer.** `with open(...) as f:` promises that `f.close()` runs \
when the block ends, however it ends: at its last line, at a `return`, or by an \
exception. Rust needs no keyword for this. A value is dropped when its owner goes out of \
scope, and dropping a file closes it, flushing first. So a block, a function or a \
closure that owns the file is the `with` block. The cell raises an error halfway \
through such a block and shows that the file was closed and its first line kept.";

/// A28d: an error leaves the scope early, and the file is still closed and flushed.
pub async fn a28d_scope_closes(cx: CellContext) -> CellResult {
    let path = cx.param("file");
    let fs = cx.fs();
    // Like a `with` block: `file` belongs to this closure and ends with it.
    let write_some = || -> IoResult<()> {
        let mut file = fs.open(&path, "w")?;
        file.write("written before the error\n")?;
        cx.println(format!(
            "inside:  {} open, {} on disk",
            count(fs.open_files().len(), "file", "files"),
            count(fs.getsize(&path)?, "byte", "bytes")
        ));
        file.write_bytes(b"bytes in a text file")?; // a TypeError: `?` leaves here
        cx.println("(never printed)");
        Ok(())
    };
    if let Err(e) = write_some() {
        cx.println(format!("the block ended early: {}: {e}", e.kind().python_name()));
    }
    cx.println(format!(
        "after:   {} open, {} on disk",
        count(fs.open_files().len(), "file", "files"),
        count(fs.getsize(&path)?, "byte", "bytes")
    ));
    Ok(())
}

/// The section.
pub fn section() -> Section {
    Section {
        id: "A",
        title: "A. Files",
        cells: Cow::Borrowed(
            const {
                &[
                    CellSpec::Markdown(md::INTRO),
                    CellSpec::Code(code_cell!("A1", "Read a file", a1_read_file).inputs(
                        const {
                            &[
                                field("file", "file", "sample.txt"),
                                field("then", "then a missing file", "missing.txt"),
                            ]
                        },
                    )),
                    CellSpec::Code(
                        code_cell!("A2", "Write a file", a2_write_file)
                            .inputs(const { &[field("file", "file", "output.txt")] }),
                    ),
                    CellSpec::Code(code_cell!("A3", "Append to a file", a3_append_file).inputs(
                        const {
                            &[
                                field("file", "file", "my_notes.txt"),
                                field("note", "line to add", "A line appended by A3."),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::BINARY),
                    CellSpec::Code(code_cell!("A4", "Read a binary file", a4_read_binary).inputs(
                        const {
                            &[
                                field("file", "file", "my_binary_file.dat"),
                                field("count", "bytes to read", "10"),
                                field("then", "then a missing file", "missing.txt"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::WITHOUT_WITH),
                    CellSpec::Code(
                        code_cell!("A5", "A file left open", a5_without_with)
                            .inputs(const { &[field("file", "file", "draft.txt")] }),
                    ),
                    CellSpec::Markdown(md::BUFFERING),
                    CellSpec::Code(
                        code_cell!("A6", "Full, line and no buffering", a6_buffering_policies).inputs(
                            const {
                                &[
                                    field("file", "file", "buffering.txt"),
                                    field("lines", "lines to write", "200"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::OPENING),
                    CellSpec::Code(
                        code_cell!(
                            "A7",
                            "Opening with buffering 0, 1, N or the default",
                            a7_open_with_buffering
                        )
                        .inputs(
                            const {
                                &[
                                    field("file", "file", "open_modes.txt"),
                                    field("size", "N (buffer size in bytes)", "64"),
                                    field("writes", "records to write", "20"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::CHUNKS),
                    CellSpec::Code(code_cell!("A8", "Buffered reading in chunks", a8_read_in_chunks).inputs(
                        const {
                            &[
                                field("file", "file", "sample.txt"),
                                field("buffer", "buffer size in bytes", "4096"),
                                field("chunk", "characters per read", "32"),
                                field("then", "then a missing file", "missing.txt"),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::WHY_BUFFERED_READING),
                    CellSpec::Code(
                        code_cell!("A9", "Direct or buffered reading", a9_direct_vs_buffered).inputs(
                            const {
                                &[
                                    field("file", "file", "big.bin"),
                                    field("kb", "file size in KB", "256"),
                                    field("piece", "bytes per read", "64"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Code(
                        code_cell!("A10", "Append with buffered writing", a10_buffered_append).inputs(
                            const {
                                &[
                                    field("file", "file", "appended.txt"),
                                    field("text", "line to append", "This is the appended content."),
                                    field("times", "how many times", "3"),
                                    field("buffer", "buffer size in bytes", "4096"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::FINALLY),
                    CellSpec::Code(code_cell!("A11", "close() in a finally", a11_close_in_finally).inputs(
                        const {
                            &[
                                field("file", "file", "example.txt"),
                                field("mode", "mode (r makes the write fail)", "w"),
                                field("content", "content", "This is the content to be written to the file."),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::DETACH),
                    CellSpec::Code(code_cell!("A12", "detach()", a12_detach).inputs(
                        const {
                            &[
                                field("file", "file", "example.bin"),
                                field("content", "content", "This is the content to be written to the file."),
                            ]
                        },
                    )),
                    CellSpec::Markdown(md::DETACH_READER),
                    CellSpec::Code(code_cell!("A12b", "detach() on a reader", a12b_detach_reader).inputs(
                        const {
                            &[field("file", "file", "sample.txt"), field("count", "bytes to read first", "5")]
                        },
                    )),
                    CellSpec::Markdown(md::POSITION),
                    CellSpec::Code(code_cell!("A13", "seek()", a13_seek).inputs(
                        const {
                            &[
                                field("file", "file", "example.txt"),
                                field("offset", "offset for the last read", "10"),
                            ]
                        },
                    )),
                    course_script!("A13-js", "seek() and raw calls, in JavaScript", "a13_seek"),
                    CellSpec::Code(
                        code_cell!("A14", "fileno()", a14_fileno)
                            .inputs(const { &[field("file", "file", "sample.txt")] }),
                    ),
                    CellSpec::Code(code_cell!("A15", "tell()", a15_tell).inputs(
                        const {
                            &[field("file", "file", "sample.txt"), field("count", "characters to read", "10")]
                        },
                    )),
                    CellSpec::Markdown(md::EVERYDAY),
                    CellSpec::Code(code_cell!("A16", "Write a string", a16_write_string).inputs(
                        const {
                            &[
                                field("file", "file", "example.txt"),
                                field("text", "text", "Hello, this is a sample text written to the file."),
                            ]
                        },
                    )),
                    CellSpec::Code(
                        code_cell!("A17", "Print a file line by line", a17_print_lines)
                            .inputs(const { &[field("file", "file", "sample.txt")] }),
                    ),
                    CellSpec::Code(code_cell!("A18", "A missing or locked file", a18_open_errors).inputs(
                        const {
                            &[
                                field("file", "file (try locked.txt)", "non_existent_file.txt"),
                                field("mode", "mode (try a)", "r"),
                            ]
                        },
                    )),
                    CellSpec::Code(code_cell!("A19", "Copy a file", a19_copy_file).inputs(
                        const {
                            &[
                                field("source", "source", "sample.txt"),
                                field("destination", "destination", "destination.txt"),
                                field("then", "then a missing file", "missing.txt"),
                            ]
                        },
                    )),
                    CellSpec::Code(
                        code_cell!("A20", "Lines into a list", a20_lines_into_list)
                            .inputs(const { &[field("file", "file", "sample.txt")] }),
                    ),
                    CellSpec::Code(
                        code_cell!("A21", "Append, then a+ and read back", a21_append_and_read).inputs(
                            const {
                                &[
                                    field("file", "file", "example.txt"),
                                    field("first", "line appended with a", "This is a new line of text."),
                                    field("second", "line appended with a+", "Added with read access."),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Code(code_cell!("A22", "Check that a file exists", a22_check_exists).inputs(
                        const {
                            &[
                                field("file", "file", "sample.txt"),
                                field("then", "then a missing file", "missing.txt"),
                            ]
                        },
                    )),
                    CellSpec::Code(
                        code_cell!("A23", "Print a file, or say it is empty", a23_print_or_empty)
                            .inputs(const { &[field("file", "file (try empty.txt)", "sample.txt")] }),
                    ),
                    CellSpec::Code(
                        code_cell!("A24", "Write numbers, one per line", a24_write_numbers).inputs(
                            const {
                                &[
                                    field("file", "file", "numbers.txt"),
                                    field("numbers", "numbers", "10, 20, 30, 40, 50"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Code(code_cell!("A25", "Count a word", a25_count_word).inputs(
                        const { &[field("file", "file", "sample.txt"), field("word", "word", "disk")] },
                    )),
                    CellSpec::Code(
                        code_cell!("A26", "Empty? Ask the size first", a26_empty_by_size)
                            .inputs(const { &[field("file", "file (try empty.txt)", "sample.txt")] }),
                    ),
                    CellSpec::Code(
                        code_cell!("A27", "Read in a scope (Rust's with)", a27_scoped_read)
                            .inputs(const { &[field("file", "file", "sample.txt")] }),
                    ),
                    CellSpec::Markdown(md::WHY_CLOSE),
                    CellSpec::Code(
                        code_cell!("A28a", "Why closing matters", a28a_why_close).inputs(
                            const {
                                &[
                                    field("file", "file", "closing.txt"),
                                    field("handles", "handles to open", "5"),
                                ]
                            },
                        ),
                    ),
                    CellSpec::Markdown(md::READ_VS_READLINE),
                    CellSpec::Code(
                        code_cell!("A28b", "read() or readline()", a28b_read_vs_readline)
                            .inputs(const { &[field("file", "file", "sample.txt")] }),
                    ),
                    CellSpec::Markdown(md::OS_MODULE),
                    CellSpec::Code(
                        code_cell!("A28c", "The os functions", a28c_os_functions)
                            .inputs(const { &[field("folder", "folder", "os_demo")] }),
                    ),
                    CellSpec::Markdown(md::WITH_IN_RUST),
                    CellSpec::Code(
                        code_cell!("A28d", "A scope closes the file, even on error", a28d_scope_closes)
                            .inputs(const { &[field("file", "file", "scoped.txt")] }),
                    ),
                    super::crash::CRASH_TEXT,
                    super::crash::WRITE_A_GENERATION,
                    super::crash::CHECK_THE_GENERATIONS,
                ]
            },
        ),
    }
}

// `md`: this file's markdown cells with their HTML (written by build.rs).
include!(concat!(env!("OUT_DIR"), "/markdown_files.rs"));

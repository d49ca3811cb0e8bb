//! Section A's cells (A4 to A28d) run through the kernel, each checked on what it prints:
//! the default path, the intended-error paths reached through inputs, and the counts the
//! buffering cells report (each checked against CPython's `io` with a counting `FileIO`).

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::exercises::catalog;
use notebook::notebook::protocol::ReplyStatus;
use notebook::notebook::CellSpec;
use notebook::vfs::STARTING_FILES;

/// A fresh kernel over the notebook's catalogue, whose messages are collected.
struct Session(kernel_session::Session);

impl std::ops::Deref for Session {
    type Target = kernel_session::Session;
    fn deref(&self) -> &kernel_session::Session {
        &self.0
    }
}

impl Session {
    fn new() -> Session {
        Session(kernel_session::Session::new(catalog()))
    }

    /// Runs a cell that must succeed, and leave no file open; returns what it printed.
    fn run(&self, cell_id: &str, inputs: &[(&str, &str)]) -> String {
        let (text, status) = self.run_status(cell_id, inputs);
        assert_eq!(status, ReplyStatus::Ok, "{cell_id} failed:\n{text}");
        assert!(self.kernel.fs().open_files().is_empty(), "{cell_id} left files open");
        text
    }

    fn file(&self, path: &str) -> String {
        String::from_utf8(self.kernel.fs().read_file(path).unwrap()).unwrap()
    }

    fn write(&self, path: &str, text: &str) {
        self.kernel.fs().write_file(path, text.as_bytes()).unwrap();
    }
}

const SAMPLE: &str = STARTING_FILES[0].1;

/// The row of a plain-text table whose first cell is `first`, split into its cells.
fn row<'a>(text: &'a str, first: &str) -> Vec<&'a str> {
    let line =
        text.lines().find(|l| l.starts_with(first)).unwrap_or_else(|| panic!("no row {first}:\n{text}"));
    line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect()
}

fn section_a_ids() -> Vec<&'static str> {
    let cat = catalog();
    let section = cat.sections.iter().find(|s| s.id == "A").unwrap();
    section
        .cells
        .iter()
        .filter_map(|c| match c {
            CellSpec::Code(code) => Some(code.id),
            _ => None,
        })
        .collect()
}

#[test]
fn section_a_has_every_row_of_the_catalogue_in_order() {
    let mut expected: Vec<String> = (1..=27).map(|n| format!("A{n}")).collect();
    expected.insert(12, "A12b".into()); // detaching a reader, beside A12 (tests/coverage.rs)
    expected.extend(["A28a", "A28b", "A28c", "A28d"].map(String::from));
    // Then what a crash does to files (tests/exercises_crash.rs), beyond the catalogue.
    expected.extend(["A29", "A30"].map(String::from));
    assert_eq!(section_a_ids(), expected);
    let cat = catalog();
    for id in section_a_ids() {
        let cell = cat.find(id).unwrap();
        assert!(cell.in_run_all, "{id} runs in Run all");
        assert!(!cell.source.is_empty() && cell.source.ends_with('}'), "{id} shows its source");
    }
}

#[test]
fn every_cell_works_alone_on_a_fresh_kernel() {
    for id in section_a_ids() {
        let session = Session::new();
        session.run(id, &[]);
    }
}

#[test]
fn run_all_twice_in_order_succeeds_and_keeps_the_starting_file() {
    let session = Session::new();
    for _ in 0..2 {
        for id in section_a_ids() {
            session.run(id, &[]);
        }
    }
    assert_eq!(session.file("sample.txt"), SAMPLE, "no cell changes sample.txt");
    assert!(!session.kernel.fs().exists("os_demo"), "A28c cleans up after itself");
}

#[test]
fn a4_shows_bytes_as_python_does_or_the_missing_file() {
    let s = Session::new();
    // Each run reads the file named, then `then` (a missing file by default).
    assert_eq!(
        s.run("A4", &[]),
        "First 10 bytes of 'my_binary_file.dat': b'\\x89PNG\\r\\n\\x1a\\n\\x00\\x00'\n\
         Binary file 'missing.txt' not found.\n"
    );
    assert_eq!(
        s.run("A4", &[("count", "4"), ("then", "my_binary_file.dat")]),
        "First 4 bytes of 'my_binary_file.dat': b'\\x89PNG'\n".repeat(2)
    );
    assert_eq!(
        s.run("A4", &[("file", "nope.dat")]),
        "Binary file 'nope.dat' not found.\nBinary file 'missing.txt' not found.\n"
    );

    let s = Session::new();
    s.kernel.fs().write_file("my_binary_file.dat", b"\x00\x01AB it's\t\\").unwrap();
    assert_eq!(
        s.run("A4", &[("count", "20")]),
        "First 20 bytes of 'my_binary_file.dat': b\"\\x00\\x01AB it's\\t\\\\\"\n\
         Binary file 'missing.txt' not found.\n",
        "a file already there is read, not replaced"
    );
}

#[test]
fn a5_unflushed_data_is_not_on_disk_and_an_open_file_stays_in_the_table() {
    let s = Session::new();
    assert_eq!(
        s.run("A5", &[]),
        "after write():   0 bytes on disk\n\
         after flush():   11 bytes on disk\n\
         after write():   11 bytes on disk; the file is still open:\n\
         fd  path                  mode  opened by\n\
         --  --------------------  ----  ---------\n\
         3   /home/user/draft.txt  w     A5\n\
         after close():   23 bytes on disk; open files now:\n\
         fd  path  mode  opened by\n\
         --  ----  ----  ---------\n"
    );
    assert_eq!(s.file("draft.txt"), "first line\nsecond line\n");
}

#[test]
fn a6_counts_raw_writes_for_full_line_and_no_buffering() {
    let s = Session::new();
    let text = s.run("A6", &[]);
    // 200 lines, each written as two pieces: 400 write() calls, 1692 bytes.
    assert_eq!(row(&text, "full"), ["full", "open('buffering.txt', 'w', buffering=-1)", "400", "1", "1692"]);
    assert_eq!(row(&text, "line"), ["line", "open('buffering.txt', 'w', buffering=1)", "400", "200", "1692"]);
    assert_eq!(
        row(&text, "none"),
        ["none", "open('buffering.txt', 'wb', buffering=0)", "400", "400", "1692"]
    );
    assert!(
        text.contains(
            "Raw writes for the same 200 lines, by buffering\n  full: 1 raw writes\n  \
             line: 200 raw writes\n  none: 400 raw writes\n"
        ),
        "{text}"
    );
    assert_eq!(s.file("buffering.txt").lines().count(), 200);

    // More than the text layer's 8 KB: full buffering needs a few writes too.
    let text = s.run("A6", &[("lines", "2000")]);
    assert_eq!(row(&text, "full")[3], "3");
    assert_eq!(row(&text, "line")[3], "2000");
    assert_eq!(row(&text, "none")[3], "4000");
}

#[test]
fn a7_shows_what_each_buffering_choice_opens() {
    let s = Session::new();
    let text = s.run("A7", &[]);
    assert!(text.starts_with("Each file gets 20 writes of 11 bytes, then close():\n"), "{text}");
    let rows = [
        ["open('open_modes.txt', 'wb', buffering=0)", "FileIO", "none", "no", "20"],
        ["open('open_modes.txt', 'w', buffering=1)", "TextIOWrapper", "8192", "yes", "20"],
        ["open('open_modes.txt', 'wb', buffering=64)", "BufferedWriter", "64", "no", "4"],
        ["open('open_modes.txt', 'wb', buffering=-1)", "BufferedWriter", "8192", "no", "1"],
        ["open('open_modes.txt', 'w', buffering=-1)", "TextIOWrapper", "8192", "no", "1"],
    ];
    for expected in rows {
        assert_eq!(row(&text, &format!("{}  ", expected[0])), expected);
    }
    assert!(text.ends_with(
        "open('open_modes.txt', 'w', buffering=0) raises ValueError: can't have unbuffered text I/O\n"
    ));

    let text = s.run("A7", &[("size", "32"), ("writes", "50")]);
    assert_eq!(
        row(&text, "open('open_modes.txt', 'wb', buffering=32)"),
        ["open('open_modes.txt', 'wb', buffering=32)", "BufferedWriter", "32", "no", "25"]
    );
    assert_eq!(row(&text, "open('open_modes.txt', 'wb', buffering=0)")[4], "50");
}

#[test]
fn a8_reads_in_chunks_or_reports_the_missing_file() {
    let s = Session::new();
    let missing = "Error: The file at missing.txt was not found.\n";
    assert_eq!(
        s.run("A8", &[]),
        format!(
            "{SAMPLE}(4 chunks of up to 32 characters; 2 raw reads through a buffer of 4096 bytes)\n{missing}"
        )
    );
    assert_eq!(
        s.run("A8", &[("chunk", "10"), ("buffer", "16")]),
        format!(
            "{SAMPLE}(13 chunks of up to 10 characters; 3 raw reads through a buffer of 16 bytes)\n{missing}"
        )
    );
    assert_eq!(
        s.run("A8", &[("file", "example.txt")]),
        format!("Error: The file at example.txt was not found.\n{missing}")
    );
    let (text, status) = s.run_status("A8", &[("buffer", "0")]);
    assert_eq!(status, ReplyStatus::Error, "Python refuses unbuffered text too");
    assert!(text.contains("ValueError: can't have unbuffered text I/O"), "{text}");
}

#[test]
fn a9_direct_reading_makes_a_raw_read_per_piece_buffered_one_per_block() {
    let s = Session::new();
    let text = s.run("A9", &[]);
    assert!(text.starts_with("Read 262144 bytes in pieces of 64 bytes:\n"), "{text}");
    assert_eq!(&row(&text, "direct (buffering=0)")[..3], ["direct (buffering=0)", "262144", "4097"]);
    assert_eq!(&row(&text, "buffered (buffering=-1)")[..3], ["buffered (buffering=-1)", "262144", "33"]);
    // readinto makes the same raw calls as read through the same buffer.
    assert_eq!(
        &row(&text, "buffered, readinto (buffering=-1)")[..3],
        ["buffered, readinto (buffering=-1)", "262144", "33"]
    );
    assert!(
        text.contains(
            "Raw reads\n  direct: 4097 calls\n  buffered: 33 calls\n  buffered, readinto: 33 calls\n"
        ),
        "{text}"
    );
    assert!(text.contains("Time to read the file\n  direct: "), "{text}");
    assert_eq!(s.kernel.fs().getsize("big.bin").unwrap(), 262_144);

    let text = s.run("A9", &[("kb", "64"), ("piece", "1024")]);
    assert_eq!(row(&text, "direct")[2], "65");
    assert_eq!(row(&text, "buffered")[2], "9");
    let (text, status) = s.run_status("A9", &[("piece", "0")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: piece must be at least 1 byte, and kb at most 16384"), "{text}");
    let (_, status) = s.run_status("A9", &[("kb", "1000000")]);
    assert_eq!(status, ReplyStatus::Error, "too large to build in memory");
}

#[test]
fn a10_appends_through_a_buffer_in_one_raw_write() {
    let s = Session::new();
    let line = "This is the appended content.\n";
    assert_eq!(
        s.run("A10", &[]),
        format!(
            "Appended 3 lines to 'appended.txt' through a buffer of 4096 bytes.\n\
             Size on disk: 0 bytes before, 0 after the writes, 90 after close().\n\
             Raw writes: 1\nThe file now reads:\n{}",
            line.repeat(3)
        )
    );
    let text = s.run("A10", &[("text", "more"), ("times", "2"), ("buffer", "16")]);
    assert!(
        text.contains("Size on disk: 90 bytes before, 90 after the writes, 100 after close().\n"),
        "{text}"
    );
    assert!(text.contains("Raw writes: 1\n"), "{text}");
    assert_eq!(s.file("appended.txt"), format!("{}more\nmore\n", line.repeat(3)));
}

#[test]
fn a11_closes_whether_the_write_worked_or_not() {
    let s = Session::new();
    assert_eq!(s.run("A11", &[]), "Content written to example.txt\nFile example.txt is closed\n");
    assert_eq!(s.file("example.txt"), "This is the content to be written to the file.\n");
    assert_eq!(
        s.run("A11", &[("mode", "r")]),
        "Error: UnsupportedOperation: not writable\nFile example.txt is closed\n",
        "the write fails, the close still runs"
    );
    assert_eq!(
        s.run("A11", &[("mode", "r"), ("file", "missing.txt")]),
        "Error: FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'\n\
         Nothing was opened, so there is nothing to close.\n"
    );
}

#[test]
fn a12_a_detached_file_fails_and_its_raw_stream_still_writes() {
    let s = Session::new();
    assert_eq!(
        s.run("A12", &[]),
        "Opened 'example.bin' as a BufferedWriter over a raw FileIO.\n\
         The file object has been detached.\n\
         Expected error: raw stream has been detached\n\
         Raw stream for example.bin is closed\n\
         The file holds b'This is the content to be written to the file. This is written to the raw stream.'\n"
    );
}

#[test]
fn a12b_a_detached_reader_leaves_the_raw_stream_where_its_read_ahead_stopped() {
    // CPython 3.11 prints the same for this file (it fits in one buffer).
    let s = Session::new();
    assert_eq!(
        s.run("A12b", &[]),
        "read(5) through the BufferedReader: b'Every'\n\
         The reader stands at byte 5.\n\
         Detached: the raw FileIO stands at byte 128.\n\
         raw.read(20) gives b''\n\
         After raw.seek(5), raw.read(20) gives b' file starts as byte'\n\
         Reading through the detached reader: ValueError: raw stream has been detached\n"
    );
    assert!(s.kernel.fs().open_files().is_empty(), "the raw stream is closed");
    // A file larger than the buffer: the raw stream goes on from the buffer's end.
    s.kernel.fs().open("big.bin", "wb").unwrap().write_bytes(&[7u8; 10_000]).unwrap();
    let text = s.run("A12b", &[("file", "big.bin"), ("count", "3")]);
    assert!(
        text.contains("Detached: the raw FileIO stands at byte 8192.\nraw.read(20) gives b'\\x07"),
        "{text}"
    );
    let (text, status) = s.run_status("A12b", &[("file", "missing.bin")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(
        text.ends_with("FileNotFoundError: [Errno 2] No such file or directory: 'missing.bin'\n"),
        "{text}"
    );
}

#[test]
fn a13_seek_reads_each_line_and_from_offset_ten() {
    let s = Session::new();
    assert_eq!(
        s.run("A13", &[]),
        "Reading the first line:\nLine 1: This is the first line.\n\n\
         Reading the second line:\nLine 2: This is the second line.\n\n\
         Reading the third line:\nLine 3: This is the third line.\n\n\
         Reading from offset 10 onwards:\n\
         is is the first line.\nLine 2: This is the second line.\nLine 3: This is the third line.\n"
    );
    let text = s.run("A13", &[("offset", "40")]);
    assert!(text.ends_with(
        "Reading from offset 40 onwards:\nThis is the second line.\nLine 3: This is the third line.\n"
    ));
    let (text, status) = s.run_status("A13", &[("offset", "-1")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: negative seek position -1"), "{text}");
}

#[test]
fn a14_descriptors_come_from_the_open_file_table() {
    let s = Session::new();
    assert_eq!(
        s.run("A14", &[]),
        "The file descriptor for sample.txt is 3\n\
         Opened a second time, it gets 4\n\
         fd  path                   mode  opened by\n\
         --  ---------------------  ----  ---------\n\
         3   /home/user/sample.txt  r     A14\n\
         4   /home/user/sample.txt  r     A14\n"
    );
}

#[test]
fn a15_tell_after_reading_ten_characters_is_ten() {
    let s = Session::new();
    assert_eq!(
        s.run("A15", &[]),
        "Read 'Every file'\nThe current position of the file's cursor is 10 bytes.\n"
    );
    // tell() counts bytes: "é" is two.
    s.write("accents.txt", "café au lait");
    assert_eq!(
        s.run("A15", &[("file", "accents.txt"), ("count", "4")]),
        "Read 'café'\nThe current position of the file's cursor is 5 bytes.\n"
    );
}

#[test]
fn a16_writes_a_string() {
    let s = Session::new();
    assert_eq!(
        s.run("A16", &[]),
        "The content has been written to example.txt.\n\
         It holds 'Hello, this is a sample text written to the file.'\n"
    );
    s.run("A16", &[("text", "it's new")]);
    assert_eq!(s.file("example.txt"), "it's new", "mode 'w' replaces the old text");
}

#[test]
fn a17_prints_each_line_once_without_doubled_newlines() {
    let s = Session::new();
    assert_eq!(s.run("A17", &[]), SAMPLE);
    s.write("no_end.txt", "one\ntwo");
    assert_eq!(s.run("A17", &[("file", "no_end.txt")]), "one\ntwo");
}

#[test]
fn a18_reports_a_missing_file_and_a_locked_one() {
    let s = Session::new();
    assert_eq!(
        s.run("A18", &[]),
        "Error: The file 'non_existent_file.txt' does not exist.\n\
         FileNotFoundError: [Errno 2] No such file or directory: 'non_existent_file.txt'\n"
    );
    assert_eq!(
        s.run("A18", &[("file", "locked.txt"), ("mode", "a")]),
        "Error: Permission denied when trying to open 'locked.txt'.\n\
         PermissionError: [Errno 13] Permission denied: 'locked.txt'\n"
    );
    assert_eq!(s.run("A18", &[("file", "locked.txt")]), "You may read this file, not change it.\n");
    assert_eq!(s.run("A18", &[("file", "sample.txt")]), SAMPLE);
    assert_eq!(
        s.run("A18", &[("file", "sample.txt"), ("mode", "a")]),
        "Opened 'sample.txt' with mode 'a'; nothing was written.\n"
    );
    assert_eq!(s.file("sample.txt"), SAMPLE);
    assert_eq!(
        s.run("A18", &[("file", "sample.txt"), ("mode", "rw")]),
        "An unexpected error occurred: ValueError: must have exactly one of create/read/write/append mode\n"
    );
}

#[test]
fn a19_copies_or_reports_the_missing_source() {
    let s = Session::new();
    assert_eq!(
        s.run("A19", &[]),
        "File content successfully copied from 'sample.txt' to 'destination.txt' (128 bytes).\n\
         Error: The source file 'missing.txt' does not exist.\n\
         FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'\n"
    );
    assert_eq!(s.file("destination.txt"), SAMPLE, "the missing second source left the copy alone");
    assert_eq!(
        s.run("A19", &[("source", "source.txt"), ("destination", "other.txt"), ("then", "gone.txt")]),
        "Error: The source file 'source.txt' does not exist.\n\
         FileNotFoundError: [Errno 2] No such file or directory: 'source.txt'\n\
         Error: The source file 'gone.txt' does not exist.\n\
         FileNotFoundError: [Errno 2] No such file or directory: 'gone.txt'\n"
    );
    assert!(!s.kernel.fs().exists("other.txt"), "a missing source leaves the destination alone");

    // Larger than the copy's 64 KB buffer: filled again and again, every byte copied.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 256) as u8).collect();
    s.kernel.fs().write_file("big.bin", &big).unwrap();
    let text = s.run("A19", &[("source", "big.bin"), ("destination", "copy.bin")]);
    assert!(
        text.starts_with("File content successfully copied from 'big.bin' to 'copy.bin' (200000 bytes).\n")
    );
    assert_eq!(s.kernel.fs().read_file("copy.bin").unwrap(), big);
}

#[test]
fn a20_reads_stripped_lines_into_a_list() {
    let s = Session::new();
    assert_eq!(
        s.run("A20", &[]),
        "['Every file starts as bytes on a disk.', 'This notebook keeps its disk in memory.', \
         'Open, read, write and close it like Python would.']\n"
    );
    s.write("quotes.txt", "  it's  \n\tsaid \"so\"\n");
    assert_eq!(s.run("A20", &[("file", "quotes.txt")]), "[\"it's\", 'said \"so\"']\n");
}

#[test]
fn a21_appends_then_reads_everything_back_with_a_plus() {
    let s = Session::new();
    assert_eq!(s.run("A21", &[]), "This is a new line of text.\nAdded with read access.\n");
    s.run("A16", &[]);
    assert_eq!(
        s.run("A21", &[]),
        "Hello, this is a sample text written to the file.This is a new line of text.\nAdded with read access.\n",
        "after A16, as in the seed"
    );
}

#[test]
fn a22_reads_only_a_file_that_exists() {
    let s = Session::new();
    assert_eq!(s.run("A22", &[]), format!("{SAMPLE}File 'missing.txt' does not exist.\n"));
    assert_eq!(
        s.run("A22", &[("file", "ghost.txt"), ("then", "/tmp")]),
        "File 'ghost.txt' does not exist.\nFile '/tmp' does not exist.\n"
    );
}

#[test]
fn a23_prints_a_file_or_says_it_is_empty() {
    let s = Session::new();
    assert_eq!(s.run("A23", &[]), format!("File Content:\n\n{SAMPLE}"));
    assert_eq!(s.run("A23", &[("file", "empty.txt")]), "The file 'empty.txt' is empty.\n");
    s.write("blank.txt", " \n\n");
    assert_eq!(s.run("A23", &[("file", "blank.txt")]), "The file 'blank.txt' is empty.\n");
    assert_eq!(s.run("A23", &[("file", "gone.txt")]), "Error: The file 'gone.txt' does not exist.\n");
}

#[test]
fn a24_writes_numbers_one_per_line() {
    let s = Session::new();
    assert_eq!(s.run("A24", &[]), "Successfully wrote 5 numbers to 'numbers.txt'.\n10\n20\n30\n40\n50\n");
    assert_eq!(s.file("numbers.txt"), "10\n20\n30\n40\n50\n");
    let (text, status) = s.run_status("A24", &[("numbers", "1, two")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: invalid literal for int() with base 10: 'two'"), "{text}");
}

#[test]
fn a25_counts_a_word_ignoring_case() {
    let s = Session::new();
    let first_line = |text: String| text.lines().next().unwrap_or_default().to_string();
    assert_eq!(first_line(s.run("A25", &[])), "The word 'disk' occurred 2 times in 'sample.txt'.");
    assert_eq!(
        first_line(s.run("A25", &[("word", "PYTHON")])),
        "The word 'PYTHON' occurred 1 time in 'sample.txt'."
    );
    s.write("words.txt", "Disk, disks and DISK; a disk.");
    assert_eq!(
        s.run("A25", &[("file", "words.txt")]),
        "The word 'disk' occurred 3 times in 'words.txt'.\n\
         As text, as str.count counts it: 4 times (inside longer words too, such as 'disks').\n",
        "whole words, then the text wherever it is"
    );
    assert_eq!(s.run("A25", &[("file", "none.txt")]), "Error: The file 'none.txt' was not found.\n");
    assert_eq!(s.run("A25", &[("word", " ")]), "Type a word to count.\n");
}

#[test]
fn a26_checks_emptiness_by_size() {
    let s = Session::new();
    assert_eq!(s.run("A26", &[]), format!("File content (128 bytes):\n{SAMPLE}"));
    assert_eq!(s.run("A26", &[("file", "empty.txt")]), "The file 'empty.txt' is empty (0 bytes).\n");
    assert_eq!(s.run("A26", &[("file", "nothing.txt")]), "File 'nothing.txt' does not exist.\n");
}

#[test]
fn a27_reads_in_a_scope_and_the_file_is_closed_after() {
    let s = Session::new();
    assert_eq!(
        s.run("A27", &[]),
        format!(
            "Inside the block: descriptor 3 is open.\nFile content:\n\n{SAMPLE}After the block: 0 files open.\n"
        )
    );
    assert_eq!(s.run("A27", &[("file", "nope.txt")]), "Error: The file 'nope.txt' does not exist.\n");
}

#[test]
fn a28a_open_handles_hold_descriptors_and_data_until_closed() {
    let s = Session::new();
    let lines: String = (1..=5).map(|i| format!("a line from handle {i}\n")).collect();
    let expected = format!(
        "5 handles open, holding descriptors 3, 4, 5, 6, 7\nOn disk: 0 bytes\n\
         After closing: 0 descriptors held, 105 bytes on disk:\n{lines}"
    );
    assert_eq!(s.run("A28a", &[]), expected);
    assert_eq!(s.run("A28a", &[]), expected, "each run starts the file afresh");
    assert!(s.run("A28a", &[("handles", "2")]).starts_with("2 handles open, holding descriptors 3, 4\n"));
    let (text, status) = s.run_status("A28a", &[("handles", "101")]);
    assert_eq!(status, ReplyStatus::Error);
    assert!(text.contains("ValueError: handles: at most 100"), "{text}");
}

#[test]
fn a28b_read_returns_everything_readline_a_line_per_call() {
    let s = Session::new();
    assert_eq!(
        s.run("A28b", &[]),
        "read() returns one string of 128 characters:\n  \
         'Every file starts as bytes on a disk.\\nThis notebook keeps its disk in memory.\\nOpen, read, write and close it like Python would.\\n'\n\
         readline() returns a line per call:\n  \
         call 1: 'Every file starts as bytes on a disk.\\n'\n  \
         call 2: 'This notebook keeps its disk in memory.\\n'\n  \
         call 3: 'Open, read, write and close it like Python would.\\n'\n  \
         call 4: ''\n"
    );
}

#[test]
fn a28c_uses_each_os_function_and_cleans_up() {
    let s = Session::new();
    let expected = "os.getcwd() -> '/home/user'\n\
         os.makedirs('os_demo', exist_ok=True)\n\
         os.path.isdir('os_demo') -> True\n\
         open('os_demo/a.txt', 'w').write(...)\n\
         os.listdir('os_demo') -> ['a.txt']\n\
         os.path.getsize('os_demo/a.txt') -> 15\n\
         os.rename('os_demo/a.txt', 'os_demo/b.txt')\n\
         os.listdir('os_demo') -> ['b.txt']\n\
         os.remove('os_demo/b.txt')\n\
         os.path.exists('os_demo/b.txt') -> False\n\
         os.rmdir('os_demo')\n\
         os.path.exists('os_demo') -> False\n";
    assert_eq!(s.run("A28c", &[]), expected);
    assert_eq!(s.run("A28c", &[]), expected, "it can run again");
    assert!(s.run("A28c", &[("folder", "/tmp/scratch")]).contains("os.rmdir('/tmp/scratch')\n"));
}

#[test]
fn a28d_an_error_leaves_the_scope_and_the_file_is_still_closed_and_flushed() {
    let s = Session::new();
    assert_eq!(
        s.run("A28d", &[]),
        "inside:  1 file open, 0 bytes on disk\n\
         the block ended early: TypeError: write() argument must be str, not bytes\n\
         after:   0 files open, 25 bytes on disk\n"
    );
    assert_eq!(s.file("scoped.txt"), "written before the error\n");
}

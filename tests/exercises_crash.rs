//! The crash cells at the end of section A (A29 writes a generation of files, A30 says
//! which generation each file holds): the file format catches every cut and every mix of
//! two generations, and the cells report what they find, damage included. The crash
//! itself is `tests/e2e/crash.test.mjs`.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::exercises::catalog;
use notebook::exercises::crash::{fnv1a, generation_content, generation_file_name, inspect, Verdict};
use notebook::notebook::protocol::ReplyStatus;

fn session() -> kernel_session::Session {
    kernel_session::Session::new(catalog())
}

#[test]
fn fnv1a_has_its_published_values() {
    assert_eq!(fnv1a(b""), 0x811c_9dc5);
    assert_eq!(fnv1a(b"a"), 0xe40c_292c);
    assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
}

#[test]
fn a_generated_file_has_its_size_and_checks_as_its_generation() {
    for size in [128, 129, 200, 2048, 4097] {
        for generation in [0, 1, 2, 77, u64::MAX] {
            let bytes = generation_content("f0003.txt", generation, size);
            assert_eq!(bytes.len(), size, "generation {generation}, {size} bytes");
            assert_eq!(inspect("f0003.txt", &bytes), Verdict::Whole(generation));
        }
    }
    let one = generation_content("f0001.txt", 1, 2048);
    assert_ne!(one, generation_content("f0002.txt", 1, 2048), "names give different letters");
    assert_ne!(one[100..], generation_content("f0001.txt", 2, 2048)[100..], "so do generations");
}

#[test]
fn every_cut_and_every_mix_of_two_generations_is_caught() {
    let (old, new) = (generation_content("f0007.txt", 1, 600), generation_content("f0007.txt", 2, 600));
    for cut in 0..old.len() {
        assert!(matches!(inspect("f0007.txt", &old[..cut]), Verdict::Damaged(_)), "cut at {cut}");
    }
    // The new version's first bytes over the old one's, and the other way round.
    for at in 0..=old.len() {
        for (head, tail) in [(&new, &old), (&old, &new)] {
            let mixed = [&head[..at], &tail[at..]].concat();
            let verdict = inspect("f0007.txt", &mixed);
            if mixed == old {
                assert_eq!(verdict, Verdict::Whole(1));
            } else if mixed == new {
                assert_eq!(verdict, Verdict::Whole(2));
            } else {
                assert!(matches!(verdict, Verdict::Damaged(_)), "mixed at {at}: {verdict:?}");
            }
        }
    }
    // A longer new version written over a shorter old one, stopped part way.
    let long = generation_content("f0007.txt", 3, 900);
    for at in (0..long.len()).step_by(7) {
        let mixed = [&long[..at], &old[at.min(old.len())..]].concat();
        if mixed != old {
            assert!(matches!(inspect("f0007.txt", &mixed), Verdict::Damaged(_)), "longer, at {at}");
        }
    }
    assert!(matches!(inspect("f0008.txt", &old), Verdict::Damaged(r) if r.contains("another file")));
    assert!(matches!(inspect("f0007.txt", &[0xff, 0xfe]), Verdict::Damaged(r) if r == "not text"));
}

#[test]
fn a29_writes_a_generation_and_a30_counts_it() {
    let s = session();
    let (text, status) = s.run_status("A29", &[("files", "12"), ("generation", "1"), ("pause", "0")]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert!(text.contains("Wrote 12 files of generation 1 (24 KB) in 'generations' in "), "{text}");
    let fs = s.kernel.fs();
    let mut names = fs.listdir("generations").unwrap();
    names.sort();
    assert_eq!(names, (0..12).map(generation_file_name).collect::<Vec<_>>(), "no temporary file is left");
    assert!(fs.open_files().is_empty());
    assert_eq!(fs.read_file("generations/f0004.txt").unwrap(), generation_content("f0004.txt", 1, 2048));

    // Half of the next generation, as a crash part way through would leave it.
    s.run_status("A29", &[("files", "6"), ("generation", "2"), ("pause", "0"), ("size", "300")]);
    let (text, status) = s.run_status("A30", &[]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert!(
        text.starts_with("holds         files\n------------  -----\ngeneration 1  6\ngeneration 2  6\n"),
        "{text}"
    );
    assert!(text.ends_with("All 12 files in 'generations' are whole.\n"), "{text}");
}

#[test]
fn a30_names_each_damaged_file_and_why() {
    let s = session();
    s.run_status("A29", &[("files", "5"), ("pause", "0")]);
    let fs = s.kernel.fs();
    let whole = fs.read_file("generations/f0001.txt").unwrap();
    fs.write_file("generations/f0001.txt", &whole[..1000]).unwrap();
    let mut mixed = generation_content("f0003.txt", 2, 2048);
    mixed[1500..].copy_from_slice(&generation_content("f0003.txt", 1, 2048)[1500..]);
    fs.write_file("generations/f0003.txt", &mixed).unwrap();
    let (text, status) = s.run_status("A30", &[]);
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert!(text.contains("3 files are whole and 2 damaged:"), "{text}");
    assert!(text.contains("f0001.txt") && text.contains("1000 bytes instead of 2048"), "{text}");
    assert!(text.contains("f0003.txt") && text.contains("the checksum does not match"), "{text}");
}

#[test]
fn bad_inputs_are_clear_errors() {
    let s = session();
    for (inputs, message) in [
        (vec![("files", "0")], "input 'files' must be from 1 to 5000, not 0"),
        (vec![("size", "10")], "input 'size' must be from 128 to 1048576, not 10"),
        (vec![("generation", "two")], "input 'generation' must be a whole number from 0"),
        (vec![("folder", "sample.txt")], "FileExistsError"),
    ] {
        let (text, status) = s.run_status("A29", &inputs);
        assert_eq!(status, ReplyStatus::Error, "{inputs:?}: {text}");
        assert!(text.contains(message), "{inputs:?}: {text}");
    }
    let (text, status) = s.run_status("A30", &[("folder", "nowhere")]);
    assert_eq!(status, ReplyStatus::Ok, "a missing folder is said, not an error");
    assert_eq!(text, "There is no folder 'nowhere' yet: the cell above writes one.\n");
    let (text, status) = s.run_status("A30", &[("folder", "sample.txt")]);
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(text, "There is no folder 'sample.txt' yet: the cell above writes one.\n");
}

#[test]
fn a29_on_a_full_disk_reports_the_error_and_leaves_no_temporary_file() {
    // 2048 bytes go through the file's buffer and fail at close (the flush); 20000 bytes,
    // more than the buffer, fail in the write itself.
    for size in [2048_usize, 20_000] {
        let s = session();
        let fs = s.kernel.fs();
        let (used, _) = fs.usage();
        fs.set_quota(used + 10 * size as u64 + size as u64 / 2); // room for ten files and a half
        let size_text = size.to_string();
        let inputs = [("files", "15"), ("pause", "0"), ("size", size_text.as_str())];
        let (text, status) = s.run_status("A29", &inputs);
        assert_eq!(status, ReplyStatus::Error, "{size}: {text}");
        assert!(text.contains("OSError: [Errno 28] No space left on device"), "{size}: {text}");
        assert!(
            !text.contains("Exception ignored"),
            "the failed file is closed, not left to be dropped: {text}"
        );
        let mut names = fs.listdir("generations").unwrap();
        names.sort();
        assert_eq!(names, (0..10).map(generation_file_name).collect::<Vec<_>>(), "{size}: no .tmp is left");
        assert!(fs.open_files().is_empty());
        let (text, _) = s.run_status("A30", &[]);
        assert!(text.ends_with("All 10 files in 'generations' are whole.\n"), "{size}: {text}");

        // The next generation over a full disk: the first temporary file does not fit beside
        // the old file, which stays whole.
        let inputs = [("files", "10"), ("pause", "0"), ("size", size_text.as_str()), ("generation", "2")];
        let (text, status) = s.run_status("A29", &inputs);
        assert_eq!(status, ReplyStatus::Error, "{size}: {text}");
        assert!(text.contains("No space left on device"), "{size}: {text}");
        assert_eq!(fs.listdir("generations").unwrap().len(), 10, "{size}: no .tmp is left");
        let (text, _) = s.run_status("A30", &[]);
        assert!(text.contains("generation 1  10\n"), "{size}: {text}");
    }
}

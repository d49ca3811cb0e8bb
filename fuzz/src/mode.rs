//! `open`'s `mode` argument: the parser agrees with a spec written here (each letter of
//! `rwax+tb` at most once, exactly one of `r`, `w`, `a`, `x`, not both `t` and `b`), and
//! opening a file with any mode and buffering either works or fails with a Python error.

use notebook::vfs::{Access, ErrorKind, FileSystem, Mode, DEFAULT_QUOTA};

use super::input::Input;

fn valid(mode: &str) -> bool {
    let mut seen = String::new();
    for c in mode.chars() {
        if !"rwax+tb".contains(c) || seen.contains(c) {
            return false;
        }
        seen.push(c);
    }
    seen.chars().filter(|c| "rwax".contains(*c)).count() == 1 && !(seen.contains('t') && seen.contains('b'))
}

/// Checks one input: the first byte picks a buffering, the rest is the mode.
pub fn run(data: &[u8]) -> Result<(), String> {
    let mut input = Input::new(data);
    let buffering = input.pick(&[-1i64, 0, 1, 2, 8192, i64::MAX]);
    let mode = String::from_utf8_lossy(input.take(data.len())).into_owned();
    match (Mode::parse(&mode), valid(&mode)) {
        (Ok(parsed), true) => {
            let letter = match parsed.access {
                Access::Read => 'r',
                Access::Write => 'w',
                Access::Append => 'a',
                Access::Create => 'x',
            };
            if !mode.contains(letter)
                || parsed.update != mode.contains('+')
                || parsed.binary != mode.contains('b')
            {
                return Err(format!("{mode:?} parsed as {parsed:?}"));
            }
        }
        (Err(e), false) if e.kind() == ErrorKind::Value && !e.message().is_empty() => {}
        (got, _) => return Err(format!("{mode:?}: the parser gave {got:?}")),
    }
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    fs.write_file("/tmp/exists", b"data").map_err(|e| e.to_string())?;
    for path in ["/tmp/exists", "/tmp/new", "/tmp"] {
        if let Ok(mut file) = fs.open_with(path, &mode, buffering) {
            if !valid(&mode) {
                return Err(format!("open accepted the invalid mode {mode:?}"));
            }
            let _ = file.write("text");
            let _ = file.write_bytes(b"bytes");
            let _ = file.read();
            let _ = file.read_bytes(None);
            let _ = file.close();
        }
    }
    if fs.open_files().is_empty() {
        Ok(())
    } else {
        Err(format!("{mode:?}: a descriptor stayed open after close"))
    }
}

//! A sequence of file operations decoded from the bytes: opens in any mode (valid or not)
//! with any buffering into four handle slots, reads, writes, seeks, tells, truncates,
//! flushes, closes and detaches through them, and the `os` operations, on a file system
//! with a small quota. After each step the quota's books must balance (the bytes charged
//! are at least the sizes of the files the tree names, and exactly those once every
//! handle is closed) and the open-file table must list exactly the handles still open.

use notebook::vfs::{File, FileSystem};

use super::input::Input;

const SLOTS: usize = 4;
const PATHS: &[&str] =
    &["a", "b", "d/a", "d", "/tmp/x", ".", "..", "/", "", "d/../b", "a/b", "\0", "/home/user/a"];
const MODES: &[&str] =
    &["r", "w", "a", "x", "r+", "w+", "a+", "x+", "rb", "wb", "ab", "rb+", "wb+", "ab+", "xb", "rw", "q"];
const BUFFERING: &[i64] = &[-1, 0, 1, 2, 3, 8, 8192];
const QUOTAS: &[u64] = &[0, 1, 10, 100, 4096, 1 << 20];

/// The bytes charged: at least the sizes of the files named under `/` (files removed
/// while open count until closed), and exactly those when `all_closed`.
fn books_balance(fs: &FileSystem, all_closed: bool) -> Result<(), String> {
    let mut total = 0;
    let mut dirs = vec!["/".to_string()];
    while let Some(dir) = dirs.pop() {
        for name in fs.listdir(&dir).map_err(|e| format!("listdir({dir:?}): {e}"))? {
            // A name that is empty or holds a slash would make this walk go round for ever.
            if name.is_empty() || name.contains('/') {
                return Err(format!("listdir({dir:?}) names {name:?}"));
            }
            let path = if dir == "/" { format!("/{name}") } else { format!("{dir}/{name}") };
            let stat = fs.stat(&path).map_err(|e| format!("stat({path:?}): {e}"))?;
            if stat.is_dir {
                dirs.push(path);
            } else {
                total += stat.size;
            }
        }
    }
    let (used, _) = fs.usage();
    if used == total || (used > total && !all_closed) {
        Ok(())
    } else {
        Err(format!("{used} bytes charged for {total} bytes of files"))
    }
}

/// One step on `slots[slot]` or on the file system.
fn step(fs: &FileSystem, slots: &mut [Option<File>], input: &mut Input) {
    let slot = usize::from(input.byte()) % SLOTS;
    let code = input.byte() % 24;
    if code >= 12 {
        match code {
            12 => {
                let (path, mode, buffering) = (input.pick(PATHS), input.pick(MODES), input.pick(BUFFERING));
                slots[slot] = None;
                slots[slot] = fs.open_with(path, mode, buffering).ok();
            }
            13 => drop(fs.rename(input.pick(PATHS), input.pick(PATHS))),
            14 => drop(fs.remove(input.pick(PATHS))),
            15 => drop(fs.mkdir(input.pick(PATHS))),
            16 => drop(fs.makedirs(input.pick(PATHS), input.byte() % 2 == 0)),
            17 => drop(fs.rmdir(input.pick(PATHS))),
            18 => drop(fs.chdir(input.pick(PATHS))),
            19 => drop(fs.set_read_only(input.pick(PATHS), input.byte() % 2 == 0)),
            20 => drop(fs.write_file(input.pick(PATHS), &input.bytes())),
            21 => drop(fs.read_file(input.pick(PATHS))),
            22 => fs.set_quota(input.pick(QUOTAS)),
            _ => slots[slot] = None,
        }
        return;
    }
    let Some(file) = slots[slot].as_mut() else { return };
    let n = usize::from(input.byte());
    match code {
        0 => drop(file.write(&input.text())),
        1 => drop(file.write_bytes(&input.bytes())),
        2 => drop(if n % 2 == 0 { file.read() } else { file.read_n(n / 2) }),
        3 => drop(file.read_bytes(if n % 2 == 0 { None } else { Some(n / 2) })),
        4 => drop(if n % 2 == 0 { file.readline() } else { file.readlines().map(|l| l.concat()) }),
        5 => drop(file.readline_bytes()),
        6 => drop(file.seek(input.int(), i32::from(input.byte() % 5))),
        7 => drop(file.tell()),
        8 => drop(file.truncate(if n % 2 == 0 { None } else { Some(input.int()) })),
        9 => drop(file.flush()),
        10 => drop(file.close()),
        _ => {
            if let Ok(lower) = file.detach() {
                slots[slot] = Some(lower);
            }
        }
    }
}

/// Checks one input: the first byte picks the quota, each step takes a few bytes.
pub fn run(data: &[u8]) -> Result<(), String> {
    let mut input = Input::new(data);
    let fs = FileSystem::empty(input.pick(QUOTAS));
    let mut slots: Vec<Option<File>> = (0..SLOTS).map(|_| None).collect();
    for n in 0..256 {
        if input.is_empty() {
            break;
        }
        step(&fs, &mut slots, &mut input);
        books_balance(&fs, false).map_err(|e| format!("after step {n}: {e}"))?;
        let open = slots.iter().flatten().filter(|f| f.closed() == Ok(false)).count();
        if fs.open_files().len() != open {
            return Err(format!(
                "after step {n}: {} descriptors listed, {open} handles open",
                fs.open_files().len()
            ));
        }
        let _ = fs.take_unraisable();
    }
    slots.clear();
    books_balance(&fs, true).map_err(|e| format!("with every handle closed: {e}"))?;
    if fs.open_files().is_empty() {
        Ok(())
    } else {
        Err(format!("descriptors left open after every handle closed: {:?}", fs.open_files()))
    }
}

//! The path normaliser: its result is absolute and normal (no empty, `.` or `..` part, no
//! trailing `/`), normalising it again changes nothing, only an empty path, a NUL byte or
//! a name or path too long for Linux is refused; and the `os` operations on the path keep
//! the tree whole.

use notebook::vfs::{absolute, parent, ErrorKind, FileSystem, DEFAULT_QUOTA, NAME_MAX, PATH_MAX};

/// Checks one input: bytes up to the first `0xFE` are the current directory, the rest
/// the path (both with invalid UTF-8 replaced).
pub fn run(data: &[u8]) -> Result<(), String> {
    let (cwd, path) = match data.iter().position(|b| *b == 0xFE) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"/home/user"[..], data),
    };
    let cwd = String::from_utf8_lossy(cwd).into_owned();
    let path = String::from_utf8_lossy(path).into_owned();
    let cwd = absolute("/", &format!("/{cwd}")).unwrap_or_else(|_| "/".into());
    match absolute(&cwd, &path) {
        Ok(abs) => {
            let normal = abs == "/"
                || (abs.starts_with('/')
                    && abs[1..].split('/').all(|part| !part.is_empty() && part != "." && part != ".."));
            if !normal {
                return Err(format!("{path:?} from {cwd:?} gave {abs:?}, not a normal absolute path"));
            }
            if absolute("/", &abs).ok().as_deref() != Some(abs.as_str())
                || absolute(&cwd, &abs).ok().as_deref() != Some(abs.as_str())
            {
                return Err(format!("{abs:?} normalised again changes"));
            }
            let up = parent(&abs);
            if !(abs == "/" && up == "/" || abs.starts_with(up) && abs.len() > up.len()) {
                return Err(format!("the parent of {abs:?} is {up:?}"));
            }
            if path.is_empty() || path.contains('\0') || too_long(&path) || abs.len() >= PATH_MAX {
                return Err(format!("{path:?} was accepted as {abs:?}"));
            }
        }
        Err(e) => {
            // Too long: a name or the path itself, or only once joined to the current
            // directory (the joined text bounds the normalised one).
            let long_once_joined = cwd.len() + 1 + path.len() >= PATH_MAX;
            let expected = if path.is_empty() {
                Some(ErrorKind::FileNotFound)
            } else if path.contains('\0') {
                Some(ErrorKind::Value)
            } else if too_long(&path) || long_once_joined {
                Some(ErrorKind::Os)
            } else {
                None
            };
            let named = e.kind() != ErrorKind::Os || e.message().starts_with("[Errno 36] File name too long");
            if expected != Some(e.kind()) || !named {
                return Err(format!("{path:?} refused with {:?}: {e}", e.kind()));
            }
        }
    }
    through_the_file_system(&cwd, &path)
}

/// Whether Linux refuses `path` itself as too long: a name over `NAME_MAX` bytes, or the
/// whole path at `PATH_MAX` bytes.
fn too_long(path: &str) -> bool {
    path.len() >= PATH_MAX || path.split('/').any(|name| name.len() > NAME_MAX)
}

/// Every `os` operation on `path` either works or fails, and afterwards every listed
/// name is there and `/` is still a directory.
fn through_the_file_system(cwd: &str, path: &str) -> Result<(), String> {
    let fs = FileSystem::empty(DEFAULT_QUOTA);
    let _ = fs.makedirs(cwd, true);
    let _ = fs.chdir(cwd);
    let _ = fs.makedirs(path, true);
    let _ = fs.rmdir(path);
    let _ = fs.write_file(path, b"x");
    let _ = fs.stat(path);
    let _ = fs.listdir(path);
    let _ = fs.rename(path, "/tmp/moved");
    let _ = fs.rename("/tmp/moved", path);
    let _ = fs.remove(path);
    let _ = fs.mkdir(path);
    if fs.is_dir(path) {
        let abs = absolute(&fs.getcwd(), path).map_err(|e| e.to_string())?;
        let name = abs.rsplit('/').next().unwrap_or_default();
        let listed = fs.listdir(parent(&abs)).map_err(|e| e.to_string())?;
        if abs != "/" && !listed.iter().any(|n| n == name) {
            return Err(format!("{abs:?} is a directory but its parent does not list it"));
        }
    }
    let _ = fs.chdir(path);
    if !fs.is_dir("/") || fs.listdir("/").is_err() {
        return Err(format!("the root is gone after operations on {path:?}"));
    }
    Ok(())
}

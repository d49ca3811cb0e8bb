//! Paths: joining a path to the current directory and normalising `.` and `..`.

use super::error::{ErrorKind, IoError, IoResult};

/// The longest name (one part of a path) Linux takes, in bytes (`NAME_MAX`).
pub const NAME_MAX: usize = 255;

/// Linux's `PATH_MAX`: a path given to the system must be shorter than this, in bytes.
pub const PATH_MAX: usize = 4096;

/// The absolute, normalised form of `path` seen from the directory `cwd`.
///
/// `..` at the root stays at the root, so no path escapes `/`. An empty path is
/// `FileNotFoundError`, a NUL byte `ValueError`, and a path of [`PATH_MAX`] bytes or a
/// name longer than [`NAME_MAX`] `OSError: [Errno 36] File name too long`, as in Python
/// on Linux. Any other byte, control characters included, is allowed in a name.
///
/// Unlike Linux, the absolute form is held to [`PATH_MAX`] too (Linux lets a relative
/// path reach deeper from a deep current directory): so every file has an absolute path
/// the file browser can name, and no tree is deeper than about 2,000 directories.
pub fn absolute(cwd: &str, path: &str) -> IoResult<String> {
    if path.is_empty() {
        return Err(IoError::os(ErrorKind::FileNotFound, path));
    }
    if path.contains('\0') {
        return Err(IoError::new(ErrorKind::Value, "embedded null byte"));
    }
    if path.len() >= PATH_MAX || path.split('/').any(|name| name.len() > NAME_MAX) {
        return Err(IoError::name_too_long(path));
    }
    let abs = normalise(cwd, path, |_| {});
    if abs.len() >= PATH_MAX {
        return Err(IoError::name_too_long(path));
    }
    Ok(abs)
}

/// Whether `path` can only name a directory: it ends with `/` or `/.` (Linux then
/// refuses a file: `'f.txt/'` is `NotADirectoryError`, and creating it `IsADirectoryError`).
pub fn names_directory(path: &str) -> bool {
    path.ends_with('/') || path.ends_with("/.")
}

/// The directories each `..` of `path` steps out of, in order, as absolute normalised
/// paths (seen from `cwd`): each must exist for the path to resolve. None for a path
/// without `..` (checked first: most paths have none).
pub fn dirs_left_by_dot_dot(cwd: &str, path: &str) -> Vec<String> {
    if !path.split('/').any(|part| part == "..") {
        return Vec::new();
    }
    let mut left = Vec::new();
    normalise(cwd, path, |parts| left.push(format!("/{}", parts.join("/"))));
    left
}

/// `path` seen from `cwd`, with `.` and `..` resolved in its text; `at_dot_dot` is shown
/// the names so far at each `..`, before it steps out.
fn normalise(cwd: &str, path: &str, mut at_dot_dot: impl FnMut(&[&str])) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                at_dot_dot(&parts);
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The directory a path that ends in `.` or `..` (or is the root) is named from, or `None`
/// for a path that ends in a name: `a/b/..` is named from `a/b`, `.` from the current
/// directory (`""`), `/` from the root. Linux renames no such path (it is a directory in
/// use), once that directory is found.
pub fn dot_container(path: &str) -> Option<&str> {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return path.starts_with('/').then_some("/");
    }
    match trimmed.rsplit_once('/') {
        Some((head, "." | "..")) => Some(if head.is_empty() { "/" } else { head }),
        None if matches!(trimmed, "." | "..") => Some(""),
        _ => None,
    }
}

/// The directory holding `abs` (an absolute, normalised path); the root is its own parent.
pub fn parent(abs: &str) -> &str {
    match abs.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &abs[..i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dot_dot_leaves_the_directory_named_so_far() {
        assert_eq!(
            dirs_left_by_dot_dot("/home/user", "a/b/../../../c"),
            ["/home/user/a/b", "/home/user/a", "/home/user"]
        );
        assert_eq!(dirs_left_by_dot_dot("/home", "/x/./../.."), ["/x", "/"]);
        assert!(dirs_left_by_dot_dot("/home", "a/..b/c").is_empty());
    }

    #[test]
    fn paths_ending_in_dots_are_named_from_their_directory() {
        assert_eq!(dot_container("a/b/.."), Some("a/b"));
        assert_eq!(dot_container("a/./"), Some("a"));
        assert_eq!(dot_container("/."), Some("/"));
        assert_eq!(dot_container("//"), Some("/"));
        assert_eq!(dot_container(".."), Some(""));
        assert_eq!(dot_container("a/b"), None);
        assert_eq!(dot_container("a/.b"), None);
        assert_eq!(dot_container(""), None);
    }

    #[test]
    fn normalises_relative_and_absolute_paths() {
        assert_eq!(absolute("/home/user", "a.txt").unwrap(), "/home/user/a.txt");
        assert_eq!(absolute("/home/user", "./x/../b.txt").unwrap(), "/home/user/b.txt");
        assert_eq!(absolute("/home/user", "/etc//x").unwrap(), "/etc/x");
        assert_eq!(absolute("/home/user", "../../../../x").unwrap(), "/x");
        assert_eq!(absolute("/", "..").unwrap(), "/");
    }

    #[test]
    fn rejects_empty_and_nul() {
        assert_eq!(absolute("/", "").unwrap_err().kind(), ErrorKind::FileNotFound);
        assert_eq!(absolute("/", "a\0b").unwrap_err().to_string(), "embedded null byte");
    }

    #[test]
    fn long_names_and_paths_are_refused_as_linux_does() {
        let name = "n".repeat(NAME_MAX);
        assert!(absolute("/", &name).is_ok());
        let long = format!("{name}x");
        let e = absolute("/", &format!("a/{long}/b")).unwrap_err();
        assert_eq!(e.to_string(), format!("[Errno 36] File name too long: 'a/{long}/b'"));
        // A name counts bytes: 128 two-byte letters are 256 bytes.
        assert!(absolute("/", &"é".repeat(128)).is_err());
        let deep = "d/".repeat(PATH_MAX / 2);
        assert!(absolute("/", &deep[..PATH_MAX - 1]).is_err(), "'/' + 4095 bytes");
        assert_eq!(absolute("/", &deep[..PATH_MAX - 2]).unwrap().len(), PATH_MAX - 2, "the last / goes");
        assert!(absolute("/", &deep).is_err());
        // The absolute form counts too: a short name in a deep directory.
        let cwd = format!("/{}", "c".repeat(200)).repeat(20);
        assert!(absolute(&cwd, "x").is_ok());
        assert_eq!(absolute(&cwd, &"y".repeat(100)).unwrap_err().kind(), ErrorKind::Os);
    }

    #[test]
    fn parents() {
        assert_eq!(parent("/home/user/a.txt"), "/home/user");
        assert_eq!(parent("/a"), "/");
        assert_eq!(parent("/"), "/");
    }
}

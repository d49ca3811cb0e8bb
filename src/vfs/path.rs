//! Paths: joining a path to the current directory and normalising `.` and `..`.

use super::error::{ErrorKind, IoError, IoResult};

/// The absolute, normalised form of `path` seen from the directory `cwd`.
///
/// `..` at the root stays at the root, so no path escapes `/`. An empty path is
/// `FileNotFoundError` and a NUL byte is `ValueError`, as in Python.
pub fn absolute(cwd: &str, path: &str) -> IoResult<String> {
    if path.is_empty() {
        return Err(IoError::os(ErrorKind::FileNotFound, path));
    }
    if path.contains('\0') {
        return Err(IoError::new(ErrorKind::Value, "embedded null byte"));
    }
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => parts.push(name),
        }
    }
    Ok(format!("/{}", parts.join("/")))
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
    fn parents() {
        assert_eq!(parent("/home/user/a.txt"), "/home/user");
        assert_eq!(parent("/a"), "/");
        assert_eq!(parent("/"), "/");
    }
}

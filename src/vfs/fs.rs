//! The file system handle cells use: `open`, and the `os`/`os.path` style queries.

use std::cell::RefCell;
use std::rc::Rc;

use super::error::{ErrorKind, IoError, IoResult};
use super::file::File;
use super::mode::{Access, Mode};
use super::path::{absolute, parent};
use super::tree::{Inode, Node, Tree};

/// A shared handle on one in-memory file system; clones see the same files.
#[derive(Debug, Clone)]
pub struct FileSystem {
    tree: Rc<RefCell<Tree>>,
}

impl Default for FileSystem {
    fn default() -> Self {
        FileSystem::new()
    }
}

impl FileSystem {
    /// A fresh file system holding the starting files, with `/home/user` as current directory.
    pub fn new() -> FileSystem {
        FileSystem { tree: Rc::new(RefCell::new(Tree::with_starting_files())) }
    }

    /// The current directory.
    pub fn getcwd(&self) -> String {
        self.tree.borrow().cwd.clone()
    }

    fn absolute(&self, path: &str) -> IoResult<String> {
        absolute(&self.tree.borrow().cwd, path)
    }

    /// Opens `path` as Python's `open(path, mode)` does.
    pub fn open(&self, path: &str, mode: &str) -> IoResult<File> {
        let mode = Mode::parse(mode)?;
        let abs = self.absolute(path)?;
        let mut tree = self.tree.borrow_mut();
        let inode = match tree.nodes.get(&abs) {
            Some(Node::Dir) => return Err(IoError::os(ErrorKind::IsADirectory, path)),
            Some(Node::File(inode)) => {
                if mode.access == Access::Create {
                    return Err(IoError::os(ErrorKind::FileExists, path));
                }
                if mode.writable() && inode.borrow().read_only {
                    return Err(IoError::os(ErrorKind::Permission, path));
                }
                if mode.access == Access::Write {
                    inode.borrow_mut().data.clear();
                }
                Rc::clone(inode)
            }
            None => {
                if mode.access == Access::Read {
                    return Err(IoError::os(ErrorKind::FileNotFound, path));
                }
                match tree.nodes.get(parent(&abs)) {
                    Some(Node::Dir) => {}
                    Some(Node::File(_)) => return Err(IoError::os(ErrorKind::NotADirectory, path)),
                    None => return Err(IoError::os(ErrorKind::FileNotFound, path)),
                }
                let inode = Rc::new(RefCell::new(Inode::default()));
                tree.nodes.insert(abs, Node::File(Rc::clone(&inode)));
                inode
            }
        };
        Ok(File::new(path, mode, inode))
    }

    /// `os.path.exists`.
    pub fn exists(&self, path: &str) -> bool {
        self.absolute(path).is_ok_and(|abs| self.tree.borrow().nodes.contains_key(&abs))
    }

    /// `os.path.getsize`: a file's size in bytes.
    pub fn getsize(&self, path: &str) -> IoResult<u64> {
        let abs = self.absolute(path)?;
        match self.tree.borrow().nodes.get(&abs) {
            Some(Node::File(inode)) => Ok(inode.borrow().data.len() as u64),
            Some(Node::Dir) => Ok(0),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.listdir`: the names in a directory, sorted.
    pub fn listdir(&self, path: &str) -> IoResult<Vec<String>> {
        let abs = self.absolute(path)?;
        let tree = self.tree.borrow();
        match tree.nodes.get(&abs) {
            Some(Node::Dir) => Ok(tree.children(&abs)),
            Some(Node::File(_)) => Err(IoError::os(ErrorKind::NotADirectory, path)),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }

    /// `os.remove`: deletes a file (open handles keep their data until closed).
    pub fn remove(&self, path: &str) -> IoResult<()> {
        let abs = self.absolute(path)?;
        let mut tree = self.tree.borrow_mut();
        match tree.nodes.get(&abs) {
            Some(Node::File(_)) => {
                tree.nodes.remove(&abs);
                Ok(())
            }
            Some(Node::Dir) => Err(IoError::os(ErrorKind::IsADirectory, path)),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }

    /// Marks a file read-only (or writable again), to meet `PermissionError` on purpose.
    pub fn set_read_only(&self, path: &str, read_only: bool) -> IoResult<()> {
        let abs = self.absolute(path)?;
        match self.tree.borrow().nodes.get(&abs) {
            Some(Node::File(inode)) => {
                inode.borrow_mut().read_only = read_only;
                Ok(())
            }
            Some(Node::Dir) => Err(IoError::os(ErrorKind::IsADirectory, path)),
            None => Err(IoError::os(ErrorKind::FileNotFound, path)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_in_home_with_the_sample_file() {
        let fs = FileSystem::new();
        assert_eq!(fs.getcwd(), "/home/user");
        assert!(fs.exists("sample.txt"));
        assert!(fs.exists("/home/user/sample.txt"));
        assert_eq!(fs.listdir(".").unwrap(), vec!["sample.txt"]);
        assert_eq!(fs.listdir("/").unwrap(), vec!["home", "tmp"]);
    }

    #[test]
    fn missing_files_read_only_and_directories() {
        let fs = FileSystem::new();
        let err = fs.open("nope.txt", "r").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::FileNotFound);
        assert_eq!(err.to_string(), "[Errno 2] No such file or directory: 'nope.txt'");
        assert_eq!(fs.open("/home", "r").unwrap_err().kind(), ErrorKind::IsADirectory);
        assert_eq!(fs.open("sample.txt", "x").unwrap_err().kind(), ErrorKind::FileExists);
        assert_eq!(fs.open("no/dir.txt", "w").unwrap_err().kind(), ErrorKind::FileNotFound);
        fs.set_read_only("sample.txt", true).unwrap();
        let err = fs.open("sample.txt", "a").unwrap_err();
        assert_eq!(err.to_string(), "[Errno 13] Permission denied: 'sample.txt'");
        assert!(fs.open("sample.txt", "r").is_ok());
    }

    #[test]
    fn write_truncates_and_append_adds() {
        let fs = FileSystem::new();
        fs.open("n.txt", "w").unwrap().write("one\n").unwrap();
        fs.open("n.txt", "a").unwrap().write("two\n").unwrap();
        assert_eq!(fs.open("n.txt", "r").unwrap().read().unwrap(), "one\ntwo\n");
        assert_eq!(fs.getsize("n.txt").unwrap(), 8);
        fs.open("n.txt", "w").unwrap();
        assert_eq!(fs.getsize("n.txt").unwrap(), 0);
        fs.remove("n.txt").unwrap();
        assert!(!fs.exists("n.txt"));
        assert_eq!(fs.remove("n.txt").unwrap_err().kind(), ErrorKind::FileNotFound);
    }
}

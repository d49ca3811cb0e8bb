//! The tree of directories and files, and the starting files a fresh notebook has.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A file's contents, shared by the tree and every open handle (an inode): a handle keeps
/// reading and writing its file even after the name is removed, as on a POSIX disk.
#[derive(Debug, Default)]
pub struct Inode {
    /// The bytes of the file.
    pub data: Vec<u8>,
    /// Writes are refused with `PermissionError` when set.
    pub read_only: bool,
}

/// One entry of the tree.
#[derive(Debug, Clone)]
pub enum Node {
    /// A directory; its children are the paths below it in the map.
    Dir,
    /// A regular file.
    File(Rc<RefCell<Inode>>),
}

/// Every node by absolute, normalised path (`/` is always a directory).
#[derive(Debug)]
pub struct Tree {
    /// The nodes, sorted by path so a directory's children are a contiguous range.
    pub nodes: BTreeMap<String, Node>,
    /// The current directory, absolute.
    pub cwd: String,
}

/// The home directory a notebook starts in.
pub const HOME: &str = "/home/user";

/// Files present when the notebook starts, relative to [`HOME`].
pub const STARTING_FILES: &[(&str, &str)] = &[(
    "sample.txt",
    "Every file starts as bytes on a disk.\nThis notebook keeps its disk in memory.\nOpen, read, write and close it like Python would.\n",
)];

impl Tree {
    /// A tree with `/`, `/home`, [`HOME`] as the current directory, and the starting files.
    pub fn with_starting_files() -> Tree {
        let mut nodes = BTreeMap::new();
        for dir in ["/", "/home", HOME, "/tmp"] {
            nodes.insert(dir.to_string(), Node::Dir);
        }
        for (name, text) in STARTING_FILES {
            let inode = Inode { data: text.as_bytes().to_vec(), read_only: false };
            nodes.insert(format!("{HOME}/{name}"), Node::File(Rc::new(RefCell::new(inode))));
        }
        Tree { nodes, cwd: HOME.to_string() }
    }

    /// The names directly inside the directory `abs`, sorted.
    pub fn children(&self, abs: &str) -> Vec<String> {
        let prefix = if abs == "/" { "/".to_string() } else { format!("{abs}/") };
        self.nodes
            .range(prefix.clone()..)
            .take_while(|(path, _)| path.starts_with(&prefix))
            .map(|(path, _)| &path[prefix.len()..])
            .filter(|rest| !rest.is_empty() && !rest.contains('/'))
            .map(str::to_string)
            .collect()
    }
}

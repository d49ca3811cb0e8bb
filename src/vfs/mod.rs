//! The virtual file system: an in-memory tree of directories and files opened with
//! Python's `open` modes and raising errors named after Python's.
//!
//! This is the minimal store the notebook starts with; buffering layers, descriptors,
//! quotas and persistence grow here (see `ARCHITECTURE.md`).

mod error;
mod file;
mod fs;
mod mode;
mod path;
mod tree;

pub use error::{ErrorKind, IoError, IoResult};
pub use file::File;
pub use fs::FileSystem;
pub use mode::{Access, Mode};
pub use tree::{HOME, STARTING_FILES};

//! The kinds of handler: the cell's output, the console, files, rotating files, memory.

pub(crate) mod console;
pub(crate) mod file;
pub(crate) mod memory;
pub(crate) mod rotating;
pub(crate) mod sink;
pub(crate) mod stream;

//! A script's files: `open` and the file object's methods over `vfs::File`, and `os`.
//! The table of open files outlives a run, as a script's globals do: a file opened in one
//! cell can be read in the next.

use std::cell::{Cell, RefCell};

use script_wire::Value;

use crate::vfs::{Bytes, File, FileKind, FileSystem, IoError, IoResult};

pub use super::waits::Answer;

/// The error Python would raise, as the engine rebuilds it.
pub fn raise(class: &str, message: impl Into<String>) -> Value {
    Value::List(vec![class.into(), Value::Str(message.into()), Value::None])
}

/// A file-system error, with its `errno` when it has one (`[Errno 2] ...`).
fn io_error(error: IoError) -> Value {
    let message = error.message().to_string();
    let errno = message
        .strip_prefix("[Errno ")
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<i32>().ok())
        .map_or(Value::None, |n| Value::Num(f64::from(n)));
    Value::List(vec![error.kind().python_name().into(), message.into(), errno])
}

/// An argument that must be a string.
fn text<'a>(args: &'a [Value], i: usize, what: &str) -> Result<&'a str, Value> {
    match args.get(i) {
        Some(Value::Str(s)) => Ok(s),
        _ => Err(raise("TypeError", format!("{what} must be a string"))),
    }
}

/// An argument that must be a whole number (`None`: absent or null).
fn whole(args: &[Value], i: usize, what: &str) -> Result<Option<i64>, Value> {
    match args.get(i) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Num(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(Some(*n as i64)),
        Some(Value::Num(_)) => Err(raise("TypeError", format!("{what} must be a whole number"))),
        Some(_) => Err(raise("TypeError", format!("{what} must be a number"))),
    }
}

fn number(n: u64) -> Value {
    Value::Num(n as f64)
}

/// The open files of the kernel's scripts, by handle.
#[derive(Default)]
pub struct OpenFiles {
    files: RefCell<Vec<(u32, File)>>,
    next: Cell<u32>,
}

impl OpenFiles {
    fn add(&self, file: File) -> Value {
        let id = self.next.get() + 1;
        self.next.set(id);
        self.files.borrow_mut().push((id, file));
        Value::Num(f64::from(id))
    }

    /// Closes every file (the engine that held them is gone).
    pub fn close_all(&self) {
        for (_, mut file) in self.files.take() {
            let _ = file.close();
        }
    }

    /// `open(path, mode, buffering, newline)`.
    pub fn open(&self, fs: &FileSystem, args: &[Value]) -> Answer {
        let path = text(args, 0, "the path")?;
        let mode = text(args, 1, "the mode")?;
        let buffering = whole(args, 2, "buffering")?.unwrap_or(-1);
        let newline = match args.get(3) {
            None | Some(Value::None) => None,
            Some(_) => Some(text(args, 3, "newline")?),
        };
        let file = fs.open_with_newline(path, mode, buffering, newline).map_err(io_error)?;
        Ok(self.add(file))
    }

    /// A method of open file `args[0]`: `args[1]` names it, the rest are its arguments.
    pub fn method(&self, args: &[Value]) -> Answer {
        let id = whole(args, 0, "a file handle")?.unwrap_or(0);
        let method = text(args, 1, "the method")?;
        let rest = args.get(2..).unwrap_or(&[]);
        // `detach` makes a new file object: add it after the table is let go.
        let below = {
            let mut files = self.files.borrow_mut();
            let Some((_, file)) = files.iter_mut().find(|(i, _)| i64::from(*i) == id) else {
                return Err(raise("ValueError", "I/O operation on a file this kernel no longer has"));
            };
            if method != "detach" {
                return call(file, method, rest);
            }
            file.detach().map_err(io_error)?
        };
        Ok(self.add(below))
    }
}

/// What a binary read gave, as the script's bytes.
fn bytes_value(read: IoResult<Bytes>) -> Answer {
    Ok(Value::Bytes(read.map_err(io_error)?.into_vec()))
}

fn call(file: &mut File, method: &str, args: &[Value]) -> Answer {
    let binary = file.kind() != FileKind::Text;
    let size = || whole(args, 0, "size").map(|n| n.filter(|n| *n >= 0).map(|n| n as usize));
    let value = match method {
        "read" if binary => bytes_value(file.read_bytes(size()?))?,
        "read" => match size()? {
            Some(n) => file.read_n(n),
            None => file.read(),
        }
        .map_err(io_error)?
        .into(),
        "readline" | "next" if binary => bytes_value(file.readline_bytes())?,
        "readline" => file.readline().map_err(io_error)?.into(),
        "readlines" if binary => {
            // A plain loop: a `map(...).collect()` here compiled to Rust's in-place collect,
            // three functions for one conversion.
            let mut list = Vec::new();
            for line in file.readlines_bytes().map_err(io_error)? {
                list.push(Value::Bytes(line.into_vec()));
            }
            Value::List(list)
        }
        "readlines" => Value::List(file.readlines().map_err(io_error)?.into_iter().map(Value::Str).collect()),
        // A step of `for (const line of f)`: Python's `__next__`, which turns `tell` off (a
        // binary file's is its `readline`, above).
        "next" => file.next_line().map_err(io_error)?.into(),
        "write" => number(
            match args.first() {
                Some(Value::Str(s)) => file.write(s),
                Some(Value::Bytes(b)) => file.write_bytes(b),
                _ => {
                    return Err(raise("TypeError", "write() takes a string, or a Uint8Array in binary mode"))
                }
            }
            .map_err(io_error)? as u64,
        ),
        "seek" => {
            let offset = whole(args, 0, "the offset")?.unwrap_or(0);
            let whence = whole(args, 1, "whence")?.unwrap_or(0);
            let whence =
                i32::try_from(whence).map_err(|_| raise("ValueError", "whence must be 0, 1 or 2"))?;
            number(file.seek(offset, whence).map_err(io_error)?)
        }
        "tell" => number(file.tell().map_err(io_error)?),
        "truncate" => number(file.truncate(whole(args, 0, "size")?).map_err(io_error)?),
        "flush" => {
            file.flush().map_err(io_error)?;
            Value::None
        }
        "close" => {
            file.close().map_err(io_error)?;
            Value::None
        }
        "fileno" => Value::Num(f64::from(file.fileno().map_err(io_error)?)),
        "readable" => file.readable().map_err(io_error)?.into(),
        "writable" => file.writable().map_err(io_error)?.into(),
        "seekable" => file.seekable().map_err(io_error)?.into(),
        "closed" => file.closed().map_err(io_error)?.into(),
        "name" => file.name().map_err(io_error)?.into(),
        "mode" => file.mode().map_err(io_error)?.into(),
        "class" => file.class_name().into(),
        "counts" => {
            let c = file.counts();
            Value::List(vec![
                number(c.raw_reads),
                number(c.raw_writes),
                number(c.bytes_read),
                number(c.bytes_written),
            ])
        }
        _ => return Err(raise("AttributeError", format!("a file has no method '{method}'"))),
    };
    Ok(value)
}

/// `os.<name>(args)`.
pub fn os(fs: &FileSystem, name: &str, args: &[Value]) -> Answer {
    let path = || text(args, 0, "the path");
    Ok(match name {
        "listdir" => {
            Value::List(fs.listdir(path()?).map_err(io_error)?.into_iter().map(Value::Str).collect())
        }
        "mkdir" => {
            fs.mkdir(path()?).map_err(io_error)?;
            Value::None
        }
        "makedirs" => {
            fs.makedirs(path()?, matches!(args.get(1), Some(Value::Bool(true)))).map_err(io_error)?;
            Value::None
        }
        "remove" => {
            fs.remove(path()?).map_err(io_error)?;
            Value::None
        }
        "rename" => {
            fs.rename(path()?, text(args, 1, "the new path")?).map_err(io_error)?;
            Value::None
        }
        "exists" => fs.exists(path()?).into(),
        "getsize" => number(fs.getsize(path()?).map_err(io_error)?),
        "stat" => {
            let s = fs.stat(path()?).map_err(io_error)?;
            Value::List(vec![number(s.size), s.is_dir.into(), s.modified_ms.into(), s.read_only.into()])
        }
        _ => return Err(raise("AttributeError", format!("os has no function '{name}'"))),
    })
}

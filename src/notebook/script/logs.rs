//! `logging` for scripts: the kernel's own loggers (the ones Rust cells and the log viewer
//! use), reached by name, and handlers a script makes, kept by id for the kernel's life (a
//! handler added to a logger stays there after the cell, as in Python).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use script_wire::Value;

use super::files::{raise, Answer};
use crate::logging::{
    self, basic_config, get_logger, level_from_name, BasicConfig, CallSite, FileHandler, Formatter, Handler,
    Level, LogError, MemoryHandler, OutputStream, RotatingFileHandler, StreamHandler,
};
use crate::vfs::FileSystem;

fn log_error(error: LogError) -> Value {
    raise(error.python_name(), error.message())
}

fn text(args: &[Value], i: usize) -> Option<&str> {
    args.get(i).and_then(Value::as_str)
}

fn number(args: &[Value], i: usize) -> Option<f64> {
    args.get(i).and_then(Value::as_num).filter(|n| n.is_finite())
}

/// A level given as a number (`20`) or a name (`"INFO"`).
fn level(value: Option<&Value>) -> Result<Level, Value> {
    match value {
        Some(Value::Num(n)) if n.fract() == 0.0 && n.abs() <= f64::from(i32::MAX) => Ok(Level(*n as i32)),
        Some(Value::Str(name)) => level_from_name(name).map_err(log_error),
        _ => Err(raise("TypeError", "a level is a number or a level's name")),
    }
}

/// The handlers scripts made.
#[derive(Default)]
pub struct ScriptLogs {
    handlers: RefCell<Vec<(u32, Handler, Option<MemoryHandler>)>>,
    next: Cell<u32>,
}

impl ScriptLogs {
    fn add(&self, handler: Handler, memory: Option<MemoryHandler>) -> Value {
        let id = self.next.get() + 1;
        self.next.set(id);
        self.handlers.borrow_mut().push((id, handler, memory));
        Value::Num(f64::from(id))
    }

    fn find(&self, args: &[Value], i: usize) -> Result<(Handler, Option<MemoryHandler>), Value> {
        let id = number(args, i).unwrap_or(0.0);
        let handlers = self.handlers.borrow();
        let found = handlers.iter().find(|(h, _, _)| f64::from(*h) == id);
        found.map(|(_, h, m)| (h.clone(), m.clone())).ok_or_else(|| raise("ValueError", "no such handler"))
    }

    /// `logging.<op>(args)`; `cell` names the script cell the records come from.
    pub fn call(&self, fs: &FileSystem, cell: &str, op: &str, args: &[Value]) -> Answer {
        let name = text(args, 0).unwrap_or("");
        Ok(match op {
            "emit" => {
                let logger = get_logger(name);
                if name.is_empty()
                    && logger.handlers().is_empty()
                    && matches!(args.get(3), Some(Value::Bool(true)))
                {
                    // `logging.info(...)` configures the root logger first, as Python's does.
                    basic_config(BasicConfig { fs: Some(fs.clone()), ..BasicConfig::default() })
                        .map_err(log_error)?;
                }
                let site = CallSite { file: Cow::Owned(cell.to_string()), line: 0, func: None };
                logger.log_at(level(args.get(1))?, site, text(args, 2).unwrap_or(""));
                Value::None
            }
            "setLevel" => {
                get_logger(name).set_level(level(args.get(1))?);
                Value::None
            }
            "level" => {
                let logger = get_logger(name);
                let (own, effective) = (logger.level().number(), logger.effective_level().number());
                Value::List(vec![Value::Num(f64::from(own)), Value::Num(f64::from(effective))])
            }
            "levelName" => logging::get_level_name(level(args.get(1))?).into(),
            "propagate" => {
                get_logger(name).set_propagate(matches!(args.get(1), Some(Value::Bool(true))));
                Value::None
            }
            "basicConfig" => {
                let owned = |i: usize| text(args, i).map(str::to_string);
                let config = BasicConfig {
                    filename: owned(0),
                    filemode: owned(1),
                    format: owned(2),
                    datefmt: owned(3),
                    level: match args.get(4) {
                        None | Some(Value::None) => None,
                        given => Some(level(given)?),
                    },
                    force: matches!(args.get(5), Some(Value::Bool(true))),
                    stream: match text(args, 6) {
                        Some("stdout") => Some(OutputStream::Stdout),
                        Some("stderr") => Some(OutputStream::Stderr),
                        _ => None,
                    },
                    fs: Some(fs.clone()),
                    ..BasicConfig::default()
                };
                basic_config(config).map_err(log_error)?;
                Value::None
            }
            "handler" => {
                let kind = name;
                let path = text(args, 1).unwrap_or("");
                match kind {
                    "stream" => {
                        let stream = if text(args, 1) == Some("stdout") {
                            OutputStream::Stdout
                        } else {
                            OutputStream::Stderr
                        };
                        self.add(StreamHandler::new(stream).handler(), None)
                    }
                    "file" => {
                        let mode = text(args, 2).unwrap_or("a");
                        let delay = matches!(args.get(3), Some(Value::Bool(true)));
                        let handler = FileHandler::new(fs.clone(), path, mode, delay).map_err(log_error)?;
                        self.add(handler.handler(), None)
                    }
                    "rotating" => {
                        let max_bytes = number(args, 2).unwrap_or(0.0).max(0.0) as u64;
                        let backups = number(args, 3).unwrap_or(0.0).clamp(0.0, 1e6) as u32;
                        let handler =
                            RotatingFileHandler::new(fs.clone(), path, "a", max_bytes, backups, false)
                                .map_err(log_error)?;
                        self.add(handler.handler(), None)
                    }
                    "memory" => {
                        let capacity = number(args, 1).unwrap_or(1000.0).clamp(1.0, 1e6) as usize;
                        let memory = MemoryHandler::new(capacity);
                        self.add(memory.handler(), Some(memory))
                    }
                    _ => return Err(raise("ValueError", format!("no handler kind '{kind}'"))),
                }
            }
            "handlerLevel" => {
                self.find(args, 0)?.0.set_level(level(args.get(1))?);
                Value::None
            }
            "handlerFormat" => {
                let formatter =
                    Formatter::new(text(args, 1).unwrap_or(logging::DEFAULT_FORMAT), text(args, 2));
                self.find(args, 0)?.0.set_formatter(formatter.map_err(log_error)?);
                Value::None
            }
            "addHandler" | "removeHandler" => {
                let (handler, _) = self.find(args, 1)?;
                let logger = get_logger(name);
                if op == "addHandler" {
                    logger.add_handler(handler);
                } else {
                    logger.remove_handler(handler);
                }
                Value::None
            }
            "close" => {
                self.find(args, 0)?.0.close().map_err(log_error)?;
                Value::None
            }
            "lines" => match self.find(args, 0)?.1 {
                Some(memory) => {
                    Value::List(memory.entries().into_iter().map(|e| Value::Str(e.line)).collect())
                }
                None => return Err(raise("AttributeError", "only a MemoryHandler keeps its lines")),
            },
            _ => return Err(raise("AttributeError", format!("logging has no '{op}'"))),
        })
    }
}

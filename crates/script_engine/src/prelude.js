// The standard library a script cell sees. Every call goes to the notebook through
// `__host(op, ...args)` (crates/script_wire): the files, loggers and tasks are the
// kernel's own, the same the Rust cells use. This file only gives them JavaScript shapes.
"use strict";

// Python's exception classes, so `catch (e) { if (e instanceof FileNotFoundError) ... }`
// works and `e.name`, `e.errno` and `e.message` read as in Python.
var __errorClasses = {};
function __defineError(name, base) {
  const cls = { [name]: class extends base {
    constructor(message, errno) {
      super(message);
      this.name = name;
      if (errno !== undefined && errno !== null) this.errno = errno;
    }
  } }[name];
  __errorClasses[name] = cls;
  globalThis[name] = cls;
  return cls;
}
{
  const os = __defineError("OSError", Error);
  for (const n of ["FileNotFoundError", "FileExistsError", "IsADirectoryError", "NotADirectoryError",
    "PermissionError", "TimeoutError", "UnsupportedOperation"]) __defineError(n, os);
  const value = __defineError("ValueError", Error);
  __defineError("UnicodeDecodeError", value);
  const lookup = __defineError("LookupError", Error);
  __defineError("KeyError", lookup);
  __defineError("IndexError", lookup);
  __defineError("RuntimeError", Error);
  __defineError("OverflowError", RangeError);
  __defineError("EOFError", Error);
  __defineError("AttributeError", Error);
  __errorClasses.TypeError = TypeError;
}

// The error the host raised, as an object of its class (called by the engine).
function __pyError(name, message, errno) {
  const cls = __errorClasses[name];
  if (cls === TypeError) return new TypeError(message);
  if (cls) return new cls(message, errno);
  const e = new Error(message);
  e.name = name;
  return e;
}

function __text(value) {
  return typeof value === "string" ? value : __show(value);
}

/// Prints its arguments, separated by spaces, and a newline, to the cell's output.
function print(...values) {
  __host("print", values.map(__text).join(" ") + "\n", false);
}

var console = {
  log: print,
  info: print,
  debug: print,
  warn: (...values) => __host("print", values.map(__text).join(" ") + "\n", true),
  error: (...values) => __host("print", values.map(__text).join(" ") + "\n", true),
};

/// Text to UTF-8 bytes and back (the part of the Web's encoding API a script needs for
/// binary files).
var TextEncoder = class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(text = "") { return __encode(text); }
}
var TextDecoder = class TextDecoder {
  get encoding() { return "utf-8"; }
  decode(bytes) { return __decode(bytes); }
}

/// An open file of the notebook's file system (Python's file object).
var File = class File {
  #handle;
  constructor(handle) {
    this.#handle = handle;
  }
  #call(method, ...args) {
    return __host("file", this.#handle, method, ...args);
  }
  // The methods a loop calls go to the host directly (one call fewer, no spread: each
  // costs the interpreter microseconds).
  read(size = -1) { return __host("file", this.#handle, "read", size); }
  readline() { return __host("file", this.#handle, "readline"); }
  readlines() { return this.#call("readlines"); }
  write(data) { return __host("file", this.#handle, "write", data); }
  writelines(lines) { for (const line of lines) this.write(line); }
  seek(offset, whence = 0) { return this.#call("seek", offset, whence); }
  tell() { return this.#call("tell"); }
  truncate(size = null) { return this.#call("truncate", size); }
  flush() { this.#call("flush"); }
  close() { this.#call("close"); }
  /// The layer underneath (buffered below text, raw below buffered); this one is
  /// then unusable, as in Python.
  detach() { return new File(this.#call("detach")); }
  fileno() { return this.#call("fileno"); }
  readable() { return this.#call("readable"); }
  writable() { return this.#call("writable"); }
  seekable() { return this.#call("seekable"); }
  get closed() { return this.#call("closed"); }
  get name() { return this.#call("name"); }
  get mode() { return this.#call("mode"); }
  /// The raw calls made through this file so far, and the bytes they moved.
  get counts() {
    const [rawReads, rawWrites, bytesRead, bytesWritten] = this.#call("counts");
    return { rawReads, rawWrites, bytesRead, bytesWritten };
  }
  *[Symbol.iterator]() {
    for (;;) {
      const line = this.readline();
      if (line.length === 0) return;
      yield line;
    }
  }

  toString() { return `<${this.#call("class")} name=${JSON.stringify(this.name)} mode=${JSON.stringify(this.mode)}>`; }
}

/// Python's `open(path, mode="r", buffering=-1, newline=None)`; the options come as
/// `{buffering, newline}`.
function open(path, mode = "r", options = {}) {
  const { buffering = -1, newline = null } = options ?? {};
  return new File(__host("open", path, mode, buffering, newline));
}

/// Opens a file, hands it to `body`, and closes it however `body` ends (Python's `with`).
function withOpen(path, mode, body) {
  const f = open(path, mode);
  try {
    return body(f);
  } finally {
    if (!f.closed) f.close();
  }
}

/// Python's `os` and `os.path`, over the notebook's files.
var os = {
  listdir: (path = ".") => __host("os", "listdir", path),
  mkdir: (path) => __host("os", "mkdir", path),
  makedirs: (path, existOk = false) => __host("os", "makedirs", path, existOk),
  remove: (path) => __host("os", "remove", path),
  rename: (from, to) => __host("os", "rename", from, to),
  exists: (path) => __host("os", "exists", path),
  getsize: (path) => __host("os", "getsize", path),
  stat: (path) => {
    const [size, isDir, mtimeMs, readOnly] = __host("os", "stat", path);
    return { size, isDir, mtimeMs, readOnly };
  },
};
os.path = { exists: os.exists, getsize: os.getsize };

/// Waits `ms` milliseconds; other tasks run meanwhile (`await sleep(100)`).
function sleep(ms) { return __host("sleep", ms); }
/// Asks the user for a line of text in the cell's output (`await input("Name? ")`).
function input(prompt = "") { return __host("input", String(prompt)); }
/// Pauses at a breakpoint that shows `locals` (an object of name → value) until the user
/// goes on: `await breakpoint("loop", { i, total })`.
function breakpoint(name, locals = {}) {
  const rows = Object.entries(locals).map(([k, v]) => [k, typeof v, __show(v)]);
  return __host("breakpoint", String(name), rows);
}
/// Starts `body` (an async function) as a thread of this run: it runs at once, until its
/// first await, and then takes turns with the cell and the other threads at their awaits,
/// never at the same time (Python's GIL, made visible). `await join(thread)` waits for it
/// and gives its result; `timeline()` draws the run's threads.
function spawn(body, name = "") {
  const [ident, threadName] = __host("thread", "start", String(name));
  const finished = (async () => body())();
  const ended = () => __host("thread", "end", String(ident));
  finished.then(ended, ended);
  return { name: threadName, ident, join: () => finished };
}
function join(thread) { return thread.join(); }
function timeline(title = "Threads of this run") { return __host("timeline", String(title)); }

/// Shows a table in the cell's output: `table(["name", "size"], [["a.txt", 3]])`.
function table(headers, rows) {
  __host("table", headers.map(__text), rows.map((row) => row.map(__text)));
}
/// What this run has allocated so far: `{ held, peak, allocations }` in bytes.
function memory() {
  const [held, peak, allocations] = __host("memory");
  return { held, peak, allocations };
}

/// Python's `logging`, over the kernel's own loggers: the records reach the same handlers
/// and the log viewer as a Rust cell's. `logger.info("x is %s", x)` formats as Python's
/// `%` does for `%s`, `%d`, `%r`, `%f` and `%%`.
var logging = (() => {
  const call = (...args) => __host("log", ...args);
  const percent = (message, args) => {
    if (args.length === 0) return __text(message);
    let i = 0;
    return String(message).replace(/%([sdrfi%])/g, (whole, kind) => {
      if (kind === "%") return "%";
      if (i >= args.length) throw new TypeError("not enough arguments for format string");
      const value = args[i++];
      if (kind === "d" || kind === "i") return String(Math.trunc(Number(value)));
      if (kind === "f") return Number(value).toFixed(6);
      if (kind === "r") return __show(value);
      return __text(value);
    });
  };
  class Formatter {
    constructor(fmt = null, datefmt = null) { this.fmt = fmt; this.datefmt = datefmt; }
  }
  class Handler {
    constructor(id) { this.id = id; }
    setLevel(level) { call("handlerLevel", this.id, level); return this; }
    setFormatter(formatter) { call("handlerFormat", this.id, formatter.fmt, formatter.datefmt); return this; }
    close() { call("close", this.id); }
  }
  class StreamHandler extends Handler {
    /// Into the running cell: "stderr" (Python's default) or "stdout".
    constructor(stream = "stderr") { super(call("handler", "stream", stream)); }
  }
  class FileHandler extends Handler {
    constructor(filename, mode = "a", delay = false) { super(call("handler", "file", filename, mode, delay)); }
  }
  class RotatingFileHandler extends Handler {
    constructor(filename, { maxBytes = 0, backupCount = 0 } = {}) {
      super(call("handler", "rotating", filename, maxBytes, backupCount));
    }
  }
  /// Keeps the newest `capacity` formatted lines (`handler.lines`).
  class MemoryHandler extends Handler {
    constructor(capacity = 1000) { super(call("handler", "memory", capacity)); }
    get lines() { return call("lines", this.id); }
  }
  class Logger {
    constructor(name) { this.name = name; }
    setLevel(level) { call("setLevel", this.name, level); }
    get level() { return call("level", this.name)[0]; }
    getEffectiveLevel() { return call("level", this.name)[1]; }
    isEnabledFor(level) { return (typeof level === "number" ? level : levels[level]) >= this.getEffectiveLevel(); }
    set propagate(on) { call("propagate", this.name, Boolean(on)); }
    addHandler(handler) { call("addHandler", this.name, handler.id); }
    removeHandler(handler) { call("removeHandler", this.name, handler.id); }
    getChild(suffix) { return new Logger(this.name ? `${this.name}.${suffix}` : String(suffix)); }
    log(level, message, ...args) { call("emit", this.name, level, percent(message, args), false); }
    debug(message, ...args) { this.log(10, message, ...args); }
    info(message, ...args) { this.log(20, message, ...args); }
    warning(message, ...args) { this.log(30, message, ...args); }
    error(message, ...args) { this.log(40, message, ...args); }
    critical(message, ...args) { this.log(50, message, ...args); }
    /// Logs at ERROR with the error's class and message, as Python's `exception()`.
    exception(message, error) { this.log(40, `${__text(message)}\n${error?.name ?? "Error"}: ${error?.message ?? error}`); }
  }
  const levels = { CRITICAL: 50, ERROR: 40, WARNING: 30, INFO: 20, DEBUG: 10, NOTSET: 0 };
  const root = new Logger("");
  const rootLog = (level) => (message, ...args) => call("emit", "", level, percent(message, args), true);
  return {
    ...levels, Formatter, Handler, StreamHandler, FileHandler, RotatingFileHandler, MemoryHandler, Logger,
    getLogger: (name = "") => (name === "" || name === "root" ? root : new Logger(String(name))),
    getLevelName: (level) => call("levelName", "", level),
    /// `basicConfig({filename, filemode, format, datefmt, level, force, stream})`.
    basicConfig: ({ filename = null, filemode = null, format = null, datefmt = null, level = null, force = false, stream = null } = {}) =>
      call("basicConfig", filename, filemode, format, datefmt, level, force, stream),
    debug: rootLog(10), info: rootLog(20), warning: rootLog(30), error: rootLog(40), critical: rootLog(50),
  };
})();

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
  __defineError("ProcessError", Error);
  __defineError("Empty", Error);
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
  /// Python's `for line in f`: `tell` is off until the loop reaches the end.
  *[Symbol.iterator]() {
    for (;;) {
      const line = __host("file", this.#handle, "next");
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

/// Python's `multiprocessing`, over the kernel's worker processes: each worker has its own
/// engine, which gets a function's source and its arguments, and sends back its result.
/// Arguments and results travel as JSON (numbers, strings, arrays, plain objects), and
/// the IPC objects below travel as handles to the kernel's own.
function cpuCount() { return __host("process", "cpuCount"); }
/// `{ name, pid }` of the process running this code (`MainProcess` in a cell).
function currentProcess() {
  const [name, pid] = __host("process", "current");
  return { name, pid };
}

// A function's source for a worker, refused if it uses names of this cell: the worker's
// engine has only the library, and Python fails on the same mistake when it pickles.
function __taskSource(fn) {
  if (typeof fn !== "function") throw new TypeError(`a process runs a function, not ${__show(fn)}`);
  const source = Function.prototype.toString.call(fn);
  const free = __freeNames(source);
  const name = fn.name ? `'${fn.name}'` : "this function";
  if (free === null) {
    throw new TypeError(`${name} cannot be sent to a process: only a function or an arrow function can (a method, a class or a built-in has no source of its own here)`);
  }
  if (free.length > 0) {
    const them = free.length === 1 ? "it" : "them";
    throw new TypeError(`${name} uses ${free.map((n) => `'${n}'`).join(", ")} from this cell, but it runs in another process, which has only its arguments and the library: pass ${them} as arguments, or define ${them} inside the function`);
  }
  return source;
}

// The IPC objects' calls: `op` on the kernel's object `handle`, with a value as JSON; the
// promise gives the answer's JSON text.
function __ipc(handle, op, value = null) {
  return __host("ipc", JSON.stringify(handle), op, JSON.stringify(value ?? null));
}
// Python's classes are called without `new`: each is a function making its object, whose
// prototype is the class's, so `instanceof` holds.
function __callable(cls) {
  const make = function (...args) { return new cls(...args); };
  Object.defineProperty(make, "name", { value: cls.name });
  make.prototype = cls.prototype;
  return make;
}

/// A queue shared with worker processes (`multiprocessing.Queue()`).
var Queue = __callable(class Queue {
  #handle;
  constructor(handle = null) { this.#handle = handle ?? JSON.parse(__host("ipc", "new", "queue", "null")); }
  /// `await q.put(item)`.
  put(item) { return __ipc(this.#handle, "put", item).then(() => undefined); }
  /// `await q.get()`, or `await q.get({ timeout: ms })`, which raises `Empty` after `ms`.
  get({ timeout = null } = {}) { return __ipc(this.#handle, "get", timeout).then(__revive); }
  qsize() { return __ipc(this.#handle, "qsize").then(JSON.parse); }
  toJSON() { return this.#handle; }
});
/// One end of a pipe: `send` to the other end, `recv` what it sent.
var Connection = __callable(class Connection {
  #out; #in;
  constructor(out, into) { this.#out = out; this.#in = into; }
  send(value) { return this.#out.put(value); }
  recv(options) { return this.#in.get(options); }
  toJSON() { return { send: this.#out, recv: this.#in }; }
});
/// `const [a, b] = Pipe()`: two connected ends (`multiprocessing.Pipe()`).
function Pipe() {
  const [one, two] = [Queue(), Queue()];
  return [Connection(one, two), Connection(two, one)];
}
/// A value shared with worker processes (`multiprocessing.Value`): `await v.get()`,
/// `await v.set(x)`, and `await v.add(1)`, which adds in one step, as its lock would.
var Value = __callable(class Value {
  #handle;
  constructor(initial = 0, handle = null) {
    this.#handle = handle ?? JSON.parse(__host("ipc", "new", "value", JSON.stringify(initial)));
  }
  get() { return __ipc(this.#handle, "get").then(__revive); }
  set(value) { return __ipc(this.#handle, "set", value).then(() => undefined); }
  add(delta) { return __ipc(this.#handle, "add", delta).then(JSON.parse); }
  toJSON() { return this.#handle; }
});

// JSON text with the IPC objects' handles made objects again.
function __revive(text) {
  return JSON.parse(text, (key, value) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "queue" && typeof value.queue === "number") return Queue(value);
    if (keys.length === 1 && keys[0] === "value" && typeof value.value === "number") return Value(null, value);
    if (keys.length === 2 && value.send instanceof Queue && value.recv instanceof Queue) return Connection(value.send, value.recv);
    return value;
  });
}

/// A pool of worker processes (`multiprocessing.Pool`): `Pool(4)` or `new Pool(4)`;
/// without a size, one per processor. Its workers end with the cell's run.
var Pool = __callable(class Pool {
  #id;
  constructor(processes = null) { this.#id = __host("pool", "new", processes); }
  get processes() { return __host("pool", "size", this.#id); }
  // Runs `fn` on each list of arguments: as Python, about four chunks per worker.
  // `source` is `__taskSource(fn)`, checked once however many tasks run it.
  #map(source, argLists, chunksize) {
    const size = chunksize ?? Math.max(1, Math.ceil(argLists.length / (4 * this.processes)));
    return __host("pool", "map", this.#id, source, JSON.stringify(argLists), size).then(__revive);
  }
  /// `await pool.map(f, items)`: `f(item)` for each item, in item order.
  map(fn, items, chunksize = null) { return this.#map(__taskSource(fn), Array.from(items, (x) => [x]), chunksize); }
  /// `await pool.starmap(f, [[a, b], ...])`: `f(a, b)` for each list of arguments.
  starmap(fn, argLists, chunksize = null) {
    return this.#map(__taskSource(fn), Array.from(argLists, (args) => Array.from(args)), chunksize);
  }
  /// `await pool.apply(f, [a, b])`: `f(a, b)` in one of the workers.
  async apply(fn, args = []) { return this.#one(__taskSource(fn), args); }
  async #one(source, args) { return (await this.#map(source, [Array.from(args)], 1))[0]; }
  /// `for await (const r of pool.imap(f, items))`: each result as soon as it and those
  /// before it are done (each item is a task of its own).
  async *imap(fn, items) {
    const source = __taskSource(fn);
    const pending = Array.from(items, (x) => this.#one(source, [x]));
    for (const result of pending) yield await result;
  }
  /// The same, each result as soon as it is done.
  async *imapUnordered(fn, items) {
    const source = __taskSource(fn);
    const pending = new Map();
    Array.from(items, (x, i) => pending.set(i, this.#one(source, [x]).then((value) => [i, value])));
    while (pending.size > 0) {
      const [i, value] = await Promise.race(pending.values());
      pending.delete(i);
      yield value;
    }
  }
  /// Accepts no more work; what was given still runs.
  close() { __host("pool", "close", this.#id); }
  /// Ends the workers now; unfinished work fails.
  terminate() { __host("pool", "terminate", this.#id); }
  /// `await pool.join()` after `close()`: waits for the work, then ends the workers.
  join() { return __host("pool", "join", this.#id); }
});

// A worker's side of a pool's call: the function, given its arguments, and its result
// sent back as JSON (called by the code a worker runs, `src/notebook/script/process_task.rs`).
async function __poolCall(fn, argsText) {
  const result = await fn(...__revive(argsText));
  __host("return", result === undefined ? "null" : JSON.stringify(result));
}

#![cfg(not(target_arch = "wasm32"))]
//! Script cells through the kernel, natively: the engine crate is the engine the browser
//! loads as its second module, reached through the same encoded calls.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use kernel_session::{outputs, reply_status, Reply, Session};
use notebook::notebook::protocol::{Empty, ExecuteRequest, InputReply, ReplyStatus, ToKernel, ToPage};

fn session() -> Session {
    Session::with_script_engine()
}

fn script(code: &str) -> ToKernel {
    ToKernel::ExecuteRequest(ExecuteRequest {
        cell_id: "js-1".into(),
        code: Some(code.into()),
        ..Default::default()
    })
}

/// Runs a script cell, answering prompts with `answer`; returns its output text, how it
/// ended, and its error content if any.
fn run_answering(
    s: &Session,
    code: &str,
    mut answer: impl FnMut(&ToPage) -> Reply,
) -> (String, ReplyStatus, Option<notebook::notebook::protocol::ErrorContent>) {
    s.sent.borrow_mut().clear();
    let header = s.send(script(code));
    let status = s.run_until_reply(&header, |m| answer(&m.body));
    let messages = s.sent.borrow().clone();
    let error = messages.iter().find_map(|m| match &m.body {
        ToPage::Error(e) => Some(e.clone()),
        _ => None,
    });
    assert_eq!(reply_status(&messages), status);
    (outputs(&messages).plain_text(), status, error)
}

fn run(s: &Session, code: &str) -> (String, ReplyStatus, Option<notebook::notebook::protocol::ErrorContent>) {
    run_answering(s, code, |_| Reply::Nothing)
}

#[test]
fn a_script_writes_seeks_and_reads_through_the_crates_layers() {
    let s = session();
    let code = r#"
const f = open("notes.txt", "w+");
f.write("hello\nworld\n");
f.seek(0);
print(JSON.stringify(f.readline()), f.tell());
const lines = [...f];
f.close();
print(lines.length, f.closed, os.getsize("notes.txt"), os.exists("notes.txt"));
const raw = open("notes.bin", "wb", { buffering: 0 });
for (const piece of ["ab", "cd", "ef"]) raw.write(new TextEncoder().encode(piece));
print("raw writes:", raw.counts.rawWrites);
raw.close();
const b = open("notes.bin", "rb");
Array.from(b.read(4)).join(",")
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(text.contains("\"hello\\n\" 6\n"), "{text}");
    assert!(text.contains("1 true 12 true\n"), "{text}");
    assert!(text.contains("raw writes: 3\n"), "{text}");
    assert!(text.contains("\"97,98,99,100\""), "{text}");
    // The kernel's own file system has the files (the file browser sees them).
    assert_eq!(s.kernel.fs().getsize("notes.bin").ok(), Some(6));
    assert!(s.kernel.fs().listdir(".").unwrap_or_default().contains(&"notes.txt".to_string()));
}

#[test]
fn crate_errors_are_catchable_python_exceptions() {
    let s = session();
    let code = r#"
try { open("missing.txt") } catch (e) {
  print(e.name, e.errno, e instanceof FileNotFoundError, e instanceof OSError);
  print(String(e));
}
const f = open("x.txt", "w"); f.close();
try { f.write("late") } catch (e) { print(e.name + ": " + e.message) }
try { open("x.txt", "r").write("no") } catch (e) { print(e.name) }
try { os.mkdir("x.txt") } catch (e) { print(e.name, e.errno) }
class MyError extends Error { constructor(m) { super(m); this.name = "MyError" } }
try { throw new MyError("mine") } catch (e) { print(e instanceof MyError, e.message) }
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(text.contains("FileNotFoundError 2 true true\n"), "{text}");
    assert!(
        text.contains("FileNotFoundError: [Errno 2] No such file or directory: 'missing.txt'\n"),
        "{text}"
    );
    assert!(text.contains("ValueError: I/O operation on closed file."), "{text}");
    assert!(text.contains("UnsupportedOperation\n"), "{text}");
    assert!(text.contains("FileExistsError 17\n"), "{text}");
    assert!(text.contains("true mine\n"), "{text}");
}

#[test]
fn state_carries_across_cells_and_an_uncaught_error_is_a_traceback() {
    let s = session();
    let (_, status, _) = run(&s, "let total = 40;\nfunction add(n) { return total + n }");
    assert_eq!(status, ReplyStatus::Ok);
    let (text, _, _) = run(&s, "add(2)");
    assert_eq!(text.trim(), "42");
    let (_, status, error) = run(&s, "function inner() {\n  open('nope.txt')\n}\ninner()");
    assert_eq!(status, ReplyStatus::Error);
    let error = error.expect("an error");
    assert_eq!(error.ename, "FileNotFoundError");
    assert_eq!(error.line, Some(2));
    assert_eq!(error.traceback.first().map(String::as_str), Some("Traceback (most recent call last):"));
    assert!(
        error.traceback.iter().any(|l| l.contains("line 2") && l.contains("in inner")),
        "{:?}",
        error.traceback
    );
    assert_eq!(
        error.traceback.last().map(String::as_str),
        Some("FileNotFoundError: [Errno 2] No such file or directory: 'nope.txt'")
    );
    // The kernel is still up, with the state.
    let (text, _, _) = run(&s, "total");
    assert_eq!(text.trim(), "40");
}

#[test]
fn stop_ends_a_runaway_loop_at_depth_and_keeps_files_and_globals() {
    let s = session();
    run(&s, "const kept = 'still here'");
    s.sent.borrow_mut().clear();
    let code = "withOpen('before.txt', 'w', f => f.write('saved'));\nfunction spin(d) { if (d === 0) { while (true) {} } return spin(d - 1) }\nspin(30)";
    let header = s.send(script(code));
    let mut steps = 0;
    let status = s.run_until_reply(&header, |m| {
        if let ToPage::ExecuteInput(_) = m.body {
            steps += 1;
        }
        // Stop as soon as the run has started (the loop is already spinning by then).
        if steps == 1 {
            steps += 1;
            return Reply::Send(ToKernel::InterruptRequest(Empty {}));
        }
        Reply::Nothing
    });
    assert_eq!(status, ReplyStatus::Aborted);
    assert_eq!(s.kernel.fs().getsize("before.txt").ok(), Some(5));
    let (text, status, _) = run(&s, "kept");
    assert_eq!((text.trim(), status), ("\"still here\"", ReplyStatus::Ok));
}

/// Code that never yields after an await (or in a callback) never lets the kernel read
/// Stop's message: the page's shared flag ends it, raised here from another thread as the
/// page raises it from its own. The kernel survives with its files and globals, and the
/// interrupt request that follows lowers the flag for the next run.
#[test]
fn stop_raised_as_a_flag_ends_a_loop_after_an_await_or_in_a_callback() {
    let s = session();
    let flag = notebook::notebook::ThreadFlag::default();
    s.kernel.share_stop_flag(std::rc::Rc::new(flag.clone()));
    run(&s, "const kept = 'still here'; let n = 0");
    for code in [
        "withOpen('before.txt', 'w', f => f.write('saved'))\nawait sleep(5)\nwhile (true) { n++ }",
        "[1, 2].map(() => {\n  while (true) { n++ }\n})",
        "async function later() {\n  await sleep(1)\n  for (;;) { n++ }\n}\nlater()",
    ] {
        s.sent.borrow_mut().clear();
        let header = s.send(script(code));
        let pressed = flag.clone();
        let presser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(150));
            pressed.raise();
        });
        let status = s.run_until_reply(&header, |_| Reply::Nothing);
        presser.join().expect("the presser");
        let messages = s.sent.borrow().clone();
        let error = messages.iter().find_map(|m| match &m.body {
            ToPage::Error(e) => Some(e.clone()),
            _ => None,
        });
        let error = error.unwrap_or_else(|| panic!("{code}: stopped with an error"));
        assert_eq!((status, error.ename.as_str()), (ReplyStatus::Aborted, "KeyboardInterrupt"), "{code}");
        assert!(error.traceback.iter().any(|line| line.contains("line ")), "where it stood: {error:?}");
        assert!(error.evalue.contains("Stop"), "{code}: {error:?}");
        // The page's interrupt request comes after the flag, and lowers it.
        s.send(ToKernel::InterruptRequest(Empty {}));
        assert!(!notebook::notebook::StopFlag::is_raised(&flag), "{code}");
        let (text, status, _) = run(&s, "kept + ' ' + (n > 0)");
        assert_eq!((text.trim(), status), ("\"still here true\"", ReplyStatus::Ok), "{code}");
    }
    assert_eq!(s.kernel.fs().getsize("before.txt").ok(), Some(5));
}

#[test]
fn waits_sleep_and_input_and_async_tasks_finish_with_the_cell() {
    let s = session();
    let code = r#"
async function worker(name, ms) { await sleep(ms); print("done", name) }
worker("slow", 30); worker("fast", 5);
const who = await input("Name? ");
print("hello", who);
"#;
    let (text, status, error) = run_answering(&s, code, |m| match m {
        ToPage::InputRequest(_) => Reply::Send(ToKernel::InputReply(InputReply { value: "Ada".into() })),
        _ => Reply::Nothing,
    });
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(text.contains("hello Ada\n"), "{text}");
    let fast = text.find("done fast").expect("fast ran");
    let slow = text.find("done slow").expect("slow ran");
    assert!(fast < slow, "{text}");
    // A top-level await's declarations are there for the next cell.
    let (text, _, _) = run(&s, "who.length");
    assert_eq!(text.trim(), "3");
}

#[test]
fn bad_scripts_fail_clearly_and_the_kernel_stays() {
    let s = session();
    for (code, ename) in [
        ("let (", "SyntaxError"),
        ("throw 'a string'", "Uncaught"),
        ("function r() { return r() }\nr()", "RuntimeLimitError"),
        ("const f = open('c.txt', 'w'); f.close(); f.read()", "ValueError"),
        ("open('c.txt', 'w').read()", "UnsupportedOperation"),
        ("open(42)", "TypeError"),
        ("undefinedName + 1", "ReferenceError"),
        ("__host('file', 999, 'read')", "ValueError"),
        ("__host('nothing')", "RuntimeError"),
    ] {
        let (text, status, error) = run(&s, code);
        assert_eq!(status, ReplyStatus::Error, "{code}: {text}");
        let error = error.expect("an error");
        assert_eq!(error.ename, ename, "{code}: {error:?}");
    }
    // A large output arrives whole.
    let (text, status, _) = run(&s, "for (let i = 0; i < 20000; i++) print('line', i)");
    assert_eq!(status, ReplyStatus::Ok);
    assert_eq!(text.lines().count(), 20000);
    let (text, _, _) = run(&s, "1 + 1");
    assert_eq!(text.trim(), "2");
}

#[test]
fn a_kernel_without_an_engine_says_so() {
    let s = Session::new(notebook::exercises::catalog());
    let (_, status, error) = run(&s, "1");
    assert_eq!(status, ReplyStatus::Error);
    assert!(error.expect("an error").evalue.contains("no script engine"));
}

#[test]
fn tables_and_memory_reach_the_page() {
    let s = session();
    let (_, status, _) =
        run(&s, "table(['name', 'size'], [['a', 1], ['b', 2]]); const m = memory(); print(typeof m.peak)");
    assert_eq!(status, ReplyStatus::Ok);
    let messages = s.sent.borrow().clone();
    let text = outputs(&messages).plain_text();
    assert!(text.contains("name  size\n----  ----\na     1\nb     2"), "{text}");
    assert!(text.contains("number\n"), "{text}");
}

#[test]
fn a_script_configures_the_kernels_loggers_with_a_rotating_file() {
    let s = session();
    let code = r#"
const log = logging.getLogger("script.app");
log.setLevel(logging.DEBUG);
const rotating = new logging.RotatingFileHandler("app.log", { maxBytes: 60, backupCount: 2 });
rotating.setFormatter(new logging.Formatter("%(levelname)s:%(name)s:%(message)s"));
log.addHandler(rotating);
const memory = new logging.MemoryHandler(10);
memory.setFormatter(new logging.Formatter("%(levelname)s %(message)s"));
log.addHandler(memory);
const screen = new logging.StreamHandler("stdout");
screen.setLevel("WARNING");
log.addHandler(screen);
for (let i = 0; i < 6; i++) log.info("record %d of %s", i, "six");
log.warning("careful");
print(JSON.stringify(os.listdir(".").filter((n) => n.startsWith("app.log")).sort()));
print(memory.lines.length, memory.lines[0]);
print(log.getEffectiveLevel(), logging.getLevelName(30), log.isEnabledFor("DEBUG"));
try { log.setLevel("LOUD") } catch (e) { print(e.name, e.message) }
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(
        text.contains("WARNING careful") || text.contains("careful\n"),
        "the stream handler wrote into the cell: {text}"
    );
    assert!(text.contains(r#"["app.log","app.log.1","app.log.2"]"#), "{text}");
    assert!(text.contains("7 INFO record 0 of six\n"), "{text}");
    assert!(text.contains("10 WARNING true\n"), "{text}");
    assert!(text.contains("ValueError Unknown level: 'LOUD'"), "{text}");
    // The same loggers as Rust's: the crate sees the handler the script added.
    assert_eq!(notebook::logging::get_logger("script.app").handlers().len(), 3);
    // basicConfig without force does nothing the second time, as in Python.
    let (text, status, _) = run(
        &s,
        r#"
logging.basicConfig({ level: "INFO", format: "first:%(message)s", stream: "stdout" });
logging.basicConfig({ level: "INFO", format: "second:%(message)s", stream: "stdout" });
logging.info("hello");
"#,
    );
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    assert!(text.contains("first:hello"), "{text}");
    assert!(!text.contains("second:"), "{text}");
}

#[test]
fn script_threads_take_turns_at_their_awaits_and_show_on_the_timeline() {
    let s = session();
    let code = r#"
async function worker(label, pause) {
  for (let i = 0; i < 3; i++) { print(label, i); await sleep(pause); }
  return label + " done";
}
const a = spawn(() => worker("A", 20), "worker-A");
const b = spawn(() => worker("B", 30), "worker-B");
print(a.name, b.name);
print(await join(a), await join(b));
timeline("two threads")
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    // A wakes at 20, 40 ms and B at 30, 60 ms: they take turns.
    let order: Vec<&str> =
        text.lines().filter(|l| l.len() == 3 && (l.starts_with("A ") || l.starts_with("B "))).collect();
    assert_eq!(order, ["A 0", "B 0", "A 1", "B 1", "A 2", "B 2"], "{text}");
    assert!(text.contains("worker-A worker-B\n"), "{text}");
    assert!(text.contains("A done B done\n"), "{text}");
    assert!(text.contains("two threads"), "the timeline was drawn: {text}");
}

#[test]
fn a_pool_runs_a_script_function_in_worker_processes() {
    let s = session();
    let code = r#"
const pool = Pool(2);
print("size", pool.processes);
print("map", JSON.stringify(await pool.map(x => x * x, [1, 2, 3, 4, 5])));
print("starmap", JSON.stringify(await pool.starmap((a, b) => ({ sum: a + b }), [[1, 2], [3, 4]])));
function where(label) {
  const me = currentProcess();
  print(`${label} runs in ${me.name}`);
  return me.name;
}
const name = await pool.apply(where, ["apply"]);
print("apply ran in a worker:", name.startsWith("SpawnPoolWorker") || name !== "MainProcess");
const seen = [];
for await (const r of pool.imap(async (ms) => { await sleep(ms); return ms; }, [30, 10, 20])) seen.push(r);
print("imap", JSON.stringify(seen));
const unordered = [];
for await (const r of pool.imapUnordered(async (ms) => { await sleep(ms); return ms; }, [60, 5])) unordered.push(r);
print("unordered", JSON.stringify(unordered));
pool.close();
await pool.join();
print("main is", currentProcess().name);
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(text.contains("size 2\n"), "{text}");
    assert!(text.contains("map [1,4,9,16,25]\n"), "{text}");
    assert!(text.contains("starmap [{\"sum\":3},{\"sum\":7}]\n"), "{text}");
    assert!(text.contains("apply runs in "), "a worker's print reaches the cell: {text}");
    assert!(!text.contains("apply runs in MainProcess"), "{text}");
    assert!(text.contains("apply ran in a worker: true\n"), "{text}");
    assert!(text.contains("imap [30,10,20]\n"), "{text}");
    assert!(text.contains("unordered [5,60]\n"), "{text}");
    assert!(text.contains("main is MainProcess\n"), "{text}");
}

#[test]
fn a_pool_refuses_a_function_that_uses_the_cells_names_and_says_which() {
    let s = session();
    let code = r#"
const limit = 10, scale = 2;
function helper(x) { return x; }
const pool = Pool(1);
for (const f of [
  (x) => x * scale + limit,
  function uses(x) { return helper(x) + Math.max(x, 1); },
  { method(x) { return x; } }.method,
  Math.max,
]) {
  try { await pool.map(f, [1]); print("ran"); } catch (e) { print(e.name + ": " + e.message); }
}
// What the function declares itself, and the library's names, are its own.
print(JSON.stringify(await pool.map(function own(n) {
  const [a, { b }] = [n, { b: 2 }];
  let total = 0;
  for (const k of [a, b]) total += k;
  class Box { constructor(v) { this.v = v; } }
  const inner = (y) => own.name + y;
  return [total, new Box(JSON.stringify(n)).v, inner(1), Math.PI > 3];
}, [1])));
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(
        text.contains(
            "TypeError: this function uses 'limit', 'scale' from this cell, but it runs in another process"
        ),
        "{text}"
    );
    assert!(text.contains("TypeError: 'uses' uses 'helper' from this cell"), "{text}");
    assert!(text.contains("TypeError: 'method' cannot be sent to a process"), "{text}");
    assert!(text.contains("TypeError: 'max' cannot be sent to a process"), "{text}");
    assert!(!text.contains("ran\n"), "{text}");
    assert!(text.contains("[[3,\"1\",\"own1\",true]]\n"), "{text}");
}

#[test]
fn a_pool_functions_error_reaches_the_cell_with_its_class_and_the_worker_stays_usable() {
    let s = session();
    let code = r#"
const pool = Pool(1);
try {
  await pool.map((x) => {
    if (x === 2) throw new ValueError("two is not allowed");
    return x;
  }, [1, 2, 3]);
} catch (e) {
  print("caught", e.name, e instanceof ValueError, e.message);
}
try { await pool.apply(() => open("x.txt", "w")); } catch (e) { print("open:", e.name, e.message); }
try { await pool.apply(() => Queue()); } catch (e) { print("queue:", e.name); }
try { await pool.apply(() => { let n = 0; n.toFixed(200); }); } catch (e) { print("range:", e.name); }
try { await pool.apply(() => 1n); } catch (e) { print("bigint:", e.name); }
print("after", JSON.stringify(await pool.map((x) => x + 1, [1, 2])));
await pool.apply(() => undefined)
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(
        text.contains("caught ValueError true two is not allowed (line 2 of the function, in "),
        "{text}"
    );
    assert!(text.contains("open: RuntimeError a worker process cannot use files"), "{text}");
    assert!(text.contains("queue: RuntimeError\n"), "{text}");
    assert!(text.contains("range: RangeError\n"), "{text}");
    assert!(text.contains("bigint: TypeError\n"), "{text}");
    assert!(text.contains("after [2,3]\n"), "{text}");
}

#[test]
fn queues_pipes_and_values_pass_to_a_pools_function_as_the_kernels_objects() {
    let s = session();
    let code = r#"
const q = Queue(), counter = Value(0), [here, there] = Pipe();
await q.put({ from: "cell" });
print("first", JSON.stringify(await q.get()), await q.qsize());
const pool = Pool(2);
await pool.starmap(async (queue, value, n) => {
  for (let i = 0; i < n; i++) await value.add(1);
  await queue.put(`${currentProcess().name} added ${n}`);
}, [[q, counter, 3], [q, counter, 4]]);
print("counter", await counter.get(), "queued", await q.qsize());
const lines = [await q.get(), await q.get()].map((l) => l.replace(/^\S+/, "W")).sort();
print(JSON.stringify(lines));
const echo = pool.apply(async (end) => {
  const heard = await end.recv();
  await end.send(heard.toUpperCase());
  return "echoed";
}, [there]);
await here.send("ping");
print("pipe", await here.recv(), await echo);
try { await q.get({ timeout: 10 }); } catch (e) { print("timeout:", e.name); }
await counter.set(41);
print("value", await counter.add(1));
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert!(text.contains("first {\"from\":\"cell\"} 0\n"), "{text}");
    assert!(text.contains("counter 7 queued 2\n"), "{text}");
    assert!(text.contains("[\"W added 3\",\"W added 4\"]\n"), "{text}");
    assert!(text.contains("pipe PING echoed\n"), "{text}");
    assert!(text.contains("timeout: Empty\n"), "{text}");
    assert!(text.contains("value 42\n"), "{text}");
}

#[test]
fn a_pool_from_an_earlier_run_says_its_workers_have_ended() {
    let s = session();
    let (text, status, _) = run(&s, "var old = Pool(1); print(JSON.stringify(await old.map(x => x, [7])));");
    assert_eq!(status, ReplyStatus::Ok, "{text}");
    let (text, status, error) = run(&s, "await old.map(x => x, [1])");
    assert_eq!(status, ReplyStatus::Error, "{text}");
    let error = error.expect("an error");
    assert_eq!(error.ename, "ValueError");
    assert!(error.evalue.contains("earlier run"), "{}", error.evalue);
}

/// `open`'s `newline` option is Python's, through the crate's text layer.
#[test]
fn open_takes_python_newline_modes() {
    let s = session();
    let code = r#"
withOpen("crlf.txt", "w", f => f.write("one\ntwo\n"));
const f = open("crlf.txt", "w", { newline: "\r\n" });
f.write("one\ntwo\n");
f.close();
print(JSON.stringify(Array.from(open("crlf.txt", "rb").read())));
print(JSON.stringify(open("crlf.txt", "r", { newline: "" }).readlines()));
print(JSON.stringify(open("crlf.txt").readlines()));
for (const [mode, newline] of [["w", "x"], ["wb", ""], ["w", 5]]) {
  try { open("other.txt", mode, { newline }) } catch (e) { print(e.name + ": " + e.message) }
}
"#;
    let (text, status, error) = run(&s, code);
    assert_eq!(status, ReplyStatus::Ok, "{text} {error:?}");
    assert_eq!(
        text,
        "[111,110,101,13,10,116,119,111,13,10]\n[\"one\\r\\n\",\"two\\r\\n\"]\n[\"one\\n\",\"two\\n\"]\n\
         ValueError: illegal newline value: x\n\
         ValueError: binary mode doesn't take a newline argument\n\
         TypeError: newline must be a string\n"
    );
}

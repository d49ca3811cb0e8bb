//! The engine alone, with a host that records calls: cells, state across them, errors,
//! awaits, Stop and limits. (The kernel's own tests run scripts through the real host.)

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use script_engine::ScriptEngine;
use script_wire::{answer, command, Failure, Host, Outcome, Value};

#[derive(Default)]
struct FakeHost {
    printed: RefCell<String>,
    next_id: RefCell<u32>,
    /// Stop is pressed once the engine has asked this many times (none: never).
    stop_after_asks: Cell<Option<u32>>,
}

impl Host for FakeHost {
    fn interrupted(&self) -> bool {
        match self.stop_after_asks.get() {
            Some(0) => true,
            Some(n) => {
                self.stop_after_asks.set(Some(n - 1));
                false
            }
            None => false,
        }
    }

    fn answer(&self, request: &[u8]) -> Vec<u8> {
        let request = Value::decode(request).expect("the engine sends values");
        let items = request.as_list().expect("a list");
        let reply = match items[0].as_str() {
            Some("print") => {
                self.printed.borrow_mut().push_str(items[1].as_str().unwrap_or("?"));
                answer::ok(Value::None)
            }
            Some("open") => answer::error(
                "FileNotFoundError",
                &format!("[Errno 2] No such file or directory: '{}'", items[1].as_str().unwrap_or("")),
                Some(2),
            ),
            Some("sleep") => {
                let mut id = self.next_id.borrow_mut();
                *id += 1;
                answer::pending(*id)
            }
            Some("echo") => answer::ok(items[1].clone()),
            _ => answer::error("RuntimeError", "unknown", None),
        };
        reply.encode()
    }
}

struct Session {
    engine: ScriptEngine,
    host: Rc<FakeHost>,
}

impl Session {
    fn new() -> Session {
        Session { engine: ScriptEngine::new().expect("engine"), host: Rc::default() }
    }

    fn send(&mut self, c: Value) -> Outcome {
        let host: Rc<dyn Host> = self.host.clone();
        self.engine.command(&c, &host)
    }

    /// Runs a cell to its end, settling every pending sleep at once with `null`.
    fn run(&mut self, code: &str) -> Outcome {
        let started = self.send(command::run(code, "js-1"));
        if started != Outcome::Ok {
            return started;
        }
        loop {
            match self.send(command::step(50.0)) {
                Outcome::Busy => {}
                Outcome::Waiting => {
                    let last = *self.host.next_id.borrow();
                    for id in 1..=last {
                        self.send(command::settle(f64::from(id), Ok(Value::None)));
                    }
                }
                other => return other,
            }
        }
    }

    fn printed(&self) -> String {
        self.host.printed.take()
    }
}

fn failed(outcome: Outcome) -> Failure {
    match outcome {
        Outcome::Failed(f) => f,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn state_carries_across_cells_and_the_last_value_shows() {
    let mut s = Session::new();
    assert_eq!(s.run("let x = 20; function twice(n) { return 2 * n }"), Outcome::Done(None));
    assert_eq!(s.run("twice(x) + 2"), Outcome::Done(Some("42".into())));
    assert_eq!(s.run("print('x is', x, [1, 2])"), Outcome::Done(None));
    assert_eq!(s.printed(), "x is 20 [ 1, 2 ]\n");
}

#[test]
fn host_errors_are_python_exceptions_the_script_can_catch() {
    let mut s = Session::new();
    let out = s.run(
        "try { open('x.txt') } catch (e) { print(e.name, e.errno, e.message, e instanceof FileNotFoundError, e instanceof OSError) }",
    );
    assert_eq!(out, Outcome::Done(None));
    assert_eq!(s.printed(), "FileNotFoundError 2 [Errno 2] No such file or directory: 'x.txt' true true\n");
    let f = failed(s.run("\nopen('y.txt')"));
    assert_eq!(f.name, "FileNotFoundError");
    assert_eq!(f.line, Some(2));
}

#[test]
fn uncaught_errors_have_lines_and_frames() {
    let mut s = Session::new();
    let f =
        failed(s.run("class MyError extends Error {}\nfunction g() {\n  throw new MyError('boom')\n}\ng()"));
    assert_eq!((f.name.as_str(), f.message.as_str(), f.line), ("Error", "boom", Some(3)));
    assert!(f.frames[0].contains("line 3") && f.frames[0].contains("in g"), "{:?}", f.frames);
    let f = failed(
        s.run("class E2 extends Error { constructor(m) { super(m); this.name = 'E2' } }\nthrow new E2('x')"),
    );
    assert_eq!((f.name.as_str(), f.line), ("E2", Some(2)));
    let f = failed(s.run("throw 42"));
    assert_eq!((f.name.as_str(), f.message.as_str()), ("Uncaught", "42"));
    let f = failed(s.run("let (;"));
    assert_eq!(f.name, "SyntaxError");
    assert_eq!(f.line, Some(1), "{f:?}");
    let f = failed(s.run("function r(n) { return r(n + 1) }\nr(0)"));
    assert!(f.name.contains("RuntimeLimit"), "{f:?}");
}

#[test]
fn top_level_await_waits_and_keeps_declarations() {
    let mut s = Session::new();
    assert_eq!(
        s.run("const before = 1; await sleep(10); let after = before + 1; print(after)"),
        Outcome::Done(None)
    );
    assert_eq!(s.printed(), "2\n");
    assert_eq!(s.run("after * 10"), Outcome::Done(Some("20".into())));
    let f = failed(s.run("await sleep(1);\nthrow new ValueError('late')"));
    assert_eq!((f.name.as_str(), f.line), ("ValueError", Some(2)));
}

#[test]
fn spawned_async_work_finishes_before_the_cell_ends() {
    let mut s = Session::new();
    let out = s.run("async function t(n) { await sleep(1); print('task', n) }\nt(1); t(2); print('main')");
    assert_eq!(out, Outcome::Done(None));
    assert_eq!(s.printed(), "main\ntask 1\ntask 2\n");
    let f = failed(s.run("async function bad() { await sleep(1); throw new KeyError('k') }\nbad(); 1"));
    assert_eq!(f.name, "KeyError");
}

#[test]
fn stop_ends_a_loop_at_depth_and_keeps_globals() {
    let mut s = Session::new();
    assert_eq!(s.run("let kept = 'yes'"), Outcome::Done(None));
    let code = "function spin(d) { if (d === 0) { while (true) {} } return spin(d - 1) }\nspin(20)";
    assert_eq!(s.send(command::run(code, "js-2")), Outcome::Ok);
    for _ in 0..3 {
        assert_eq!(s.send(command::step(5.0)), Outcome::Busy);
    }
    assert_eq!(s.send(command::cancel()), Outcome::Ok);
    assert_eq!(s.run("kept"), Outcome::Done(Some("\"yes\"".into())));
    let f = failed(s.run("function h() { null.x }\nh()"));
    assert!(f.frames.iter().all(|fr| !fr.contains("spin")), "stale frames cut: {:?}", f.frames);
    assert_eq!(f.frames.len(), 2, "{:?}", f.frames);
}

/// Code that never yields, wherever it runs (after an await, in a builtin's callback, a
/// promise's reaction, an async generator), ends when the host says Stop was pressed:
/// `catch` and `finally` do not hold it, the traceback shows the function where it stood,
/// and the globals stay. (The line is the nearest Boa recorded a position for: an
/// operation in the loop, or the function's start.)
#[test]
fn stop_reaches_code_after_an_await_and_inside_callbacks() {
    let mut s = Session::new();
    assert_eq!(s.run("let kept = 'yes'; let n = 0"), Outcome::Done(None));
    let cases = [
        ("await sleep(5)\nwhile (true) { n++ }", "in <cell>"),
        ("[1, 2].map(() => {\n  while (true) { n++ }\n})", "in <cell>"),
        ("[3, 1, 2].sort((a, b) => { for (;;) { n += 1 } })", "in <cell>"),
        ("Promise.resolve(1).then(() => {\n\n  while (true) {} })", "in <cell>"),
        ("async function t() {\n  await sleep(1)\n  try { while (true) { n++ } } catch (e) { print('caught', e) }\n}\nt()", "in t"),
        (
            "try {\n  [1].forEach(() => { while (true) { n++ } })\n} catch (e) { print('caught', e) } finally { print('finally') }",
            "in <cell>",
        ),
        ("async function* g() { while (true) { n++ } }\ng().next()", "in g"),
        ("function spin() {\n  while (true) { n++ }\n}\nspin()", "in spin"),
    ];
    for (code, innermost) in cases {
        s.host.stop_after_asks.set(Some(50));
        let f = failed(s.run(code));
        assert_eq!(
            (f.name.as_str(), f.message.as_str()),
            ("KeyboardInterrupt", "stopped by the Stop button"),
            "{code}: {f:?}"
        );
        let lines = code.lines().count() as u32;
        assert!(f.line.is_some_and(|l| (1..=lines).contains(&l)), "{code}: {f:?}");
        assert!(f.frames.first().is_some_and(|at| at.ends_with(innermost)), "{code}: {f:?}");
        assert_eq!(s.printed(), "", "{code}: neither catch nor finally runs");
        s.host.stop_after_asks.set(None);
        assert_eq!(s.run("kept"), Outcome::Done(Some("\"yes\"".into())), "after {code}");
    }
    assert!(matches!(s.run("n > 0"), Outcome::Done(Some(t)) if t == "true"));
}

#[test]
fn values_cross_both_ways() {
    let mut s = Session::new();
    let out = s.run("const v = __host('echo', [1, 'a', null, true, new Uint8Array([0, 255])]); JSON.stringify([v[0], v[1], v[2], v[3], Array.from(v[4])])");
    assert_eq!(out, Outcome::Done(Some("\"[1,\\\"a\\\",null,true,[0,255]]\"".into())));
    let f = failed(s.run("__host('echo', {a: 1})"));
    assert_eq!(f.name, "TypeError");
    let f = failed(s.run("__host('echo', () => 1)"));
    assert_eq!(f.name, "TypeError");
}

#[test]
fn a_cell_runs_again_and_names_are_declared_again() {
    let mut s = Session::new();
    let cell = "let count = 0;\nconst step = 2;\nclass Counter { up() { count += step; return count } }\nnew Counter().up()";
    assert_eq!(s.run(cell), Outcome::Done(Some("2".into())));
    assert_eq!(s.run(cell), Outcome::Done(Some("2".into())), "run again");
    // The cell's functions see later cells' assignments: the names are the realm's.
    assert_eq!(s.run("function bump() { count += 10; return count }"), Outcome::Done(None));
    assert_eq!(s.run("count = 100; bump()"), Outcome::Done(Some("110".into())));
    assert_eq!(
        s.run("const count = 'text'; let é = 1, [a, b] = [2, 3]; count + é + a + b"),
        Outcome::Done(Some("\"text123\"".into()))
    );
    // Lines and columns stay: the error is on line 2.
    let f = failed(s.run("const   spaced = 1;\n  let x = spaced.missing.deeper;"));
    assert_eq!(f.line, Some(2));
    // The prelude's names can be taken too, as in Python (`os = 3`).
    assert_eq!(s.run("let table = 3; table"), Outcome::Done(Some("3".into())));
}

#[test]
fn malformed_commands_are_errors_not_panics() {
    let mut s = Session::new();
    for bad in [Value::None, Value::List(vec![]), Value::List(vec!["nonsense".into()]), command::step(1.0)] {
        assert!(matches!(s.send(bad), Outcome::Failed(_)));
    }
    for ms in [f64::INFINITY, f64::NAN, -5.0] {
        assert_eq!(s.send(command::run("1 + 1", "js-1")), Outcome::Ok);
        let out = s.send(command::step(ms));
        assert!(matches!(out, Outcome::Busy | Outcome::Done(_)), "{out:?}");
    }
}

#[test]
fn free_names_are_what_a_function_takes_from_outside() {
    let mut s = Session::new();
    let free = |s: &mut Session, f: &str| {
        let out = s.run(&format!("print(JSON.stringify(__freeNames(String({f}))))"));
        assert_eq!(out, Outcome::Done(None), "{f}");
        s.printed().trim_end().to_string()
    };
    assert_eq!(s.run("let limit = 1, data = [], B = class {};"), Outcome::Done(None));
    assert_eq!(free(&mut s, "(x) => x + limit + data.length + Math.PI"), r#"["data","limit"]"#);
    assert_eq!(
        free(&mut s, "function f(a, {b, ...c}, [d = e], ...g) { return a + b + c + d + g + f }"),
        r#"["e"]"#
    );
    assert_eq!(
        free(
            &mut s,
            "async function* g() { for (const k of ks) { try { yield k } catch (err) { y = err } } }"
        ),
        r#"["ks","y"]"#
    );
    assert_eq!(
        free(&mut s, "() => class A extends B { m() { return new A(this.q, print, open, Pool) } }"),
        r#"["B"]"#
    );
    assert_eq!(free(&mut s, "() => ({ short, long: 1, [key]: 2 }).long"), r#"["key","short"]"#);
    assert_eq!(free(&mut s, "() => { label: for (;;) { break label } }"), r#"[]"#);
    // Not a function's own source: a method, a built-in, a class (Boa keeps no source
    // text for one), a plain value.
    assert_eq!(free(&mut s, "class C {}"), "null");
    assert_eq!(free(&mut s, "({ m(x) { return x } }).m"), "null");
    assert_eq!(free(&mut s, "Math.max"), "null");
    assert_eq!(free(&mut s, "'1 + 1'"), "null");
    assert_eq!(free(&mut s, "'x => x) + (y'"), "null");
}

#[test]
fn an_undeclared_name_is_placed_at_its_first_use_in_the_cell() {
    let mut s = Session::new();
    // Boa keeps no position for these reads; the report finds the name's first use.
    for (code, line) in [
        ("let a = 1;\nnoSuch();", Some(2)),
        ("noSuch + 1", Some(1)),
        ("const o = { noSuch: 1 };\no.noSuch;\n// noSuch\n'noSuch';\nnoSuch", Some(5)),
        ("await sleep(0);\n\nnoSuch", Some(3)),
        ("function f() {\n  return noSuch;\n}\nf()", Some(2)),
    ] {
        let f = failed(s.run(code));
        assert_eq!((f.name.as_str(), f.line), ("ReferenceError", line), "{code} {f:?}");
    }
    // Raised in a function an earlier cell made: this cell's line is its call, not a guess.
    assert_eq!(s.run("function later() { return missingName }"), Outcome::Done(None));
    let f = failed(s.run("1;\nlater()"));
    assert_eq!((f.name.as_str(), f.line), ("ReferenceError", Some(2)));
}

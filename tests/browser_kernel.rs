//! In headless Chromium, inside a dedicated web worker (where the kernel lives): cells run
//! with real timers, and Stop cancels a cell in the middle of a real sleep.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use notebook::browser::{BrowserHost, BrowserPlatform};
use notebook::exercises::catalog;
use notebook::notebook::protocol::{Empty, ExecuteRequest, IdSource, Message, ReplyStatus, ToKernel, ToPage};
use notebook::notebook::{Kernel, Outbox, Outputs};
use notebook::platform::Platform;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

type Sent = Rc<RefCell<Vec<Message<ToPage>>>>;

fn kernel() -> (Rc<Kernel>, Sent) {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    let kernel =
        Kernel::new(catalog(), outbox, Rc::new(BrowserPlatform), Some(Rc::new(BrowserHost::default())));
    (kernel, sent)
}

/// Sends `body` to the kernel as the kernel worker hands it a page's message.
fn send(kernel: &Rc<Kernel>, ids: &IdSource, body: ToKernel) {
    kernel.handle(ids.message(None, body));
}

fn run(cell_id: &str) -> ToKernel {
    ToKernel::ExecuteRequest(ExecuteRequest { cell_id: cell_id.into(), ..Default::default() })
}

fn summary(sent: &RefCell<Vec<Message<ToPage>>>) -> (String, Option<ReplyStatus>) {
    let mut outputs = Outputs::default();
    let mut status = None;
    for m in sent.borrow().iter() {
        outputs.push(&m.body);
        if let ToPage::ExecuteReply(reply) = &m.body {
            status = Some(reply.status);
        }
    }
    (outputs.plain_text(), status)
}

/// Waits (on real timers) until the run ends; fails after ten seconds.
async fn reply(sent: &Sent) -> ReplyStatus {
    for _ in 0..1_000 {
        if let (_, Some(status)) = summary(sent) {
            return status;
        }
        BrowserPlatform.sleep(Duration::from_millis(10)).await;
    }
    panic!("no execute_reply: {:?}", summary(sent))
}

#[wasm_bindgen_test]
async fn a1_to_a3_run_in_a_worker() {
    let (kernel, sent) = kernel();
    let ids = IdSource::new("page");
    for id in ["A1", "A2", "A3", "A3"] {
        sent.borrow_mut().clear();
        send(&kernel, &ids, run(id));
        assert_eq!(reply(&sent).await, ReplyStatus::Ok, "{id}");
    }
    let (text, _) = summary(&sent);
    assert!(text.starts_with("Appended to 'my_notes.txt', which now has 2 lines:"), "{text}");
}

#[wasm_bindgen_test]
async fn an_interrupt_cancels_a_cell_during_a_real_sleep() {
    let (kernel, sent) = kernel();
    let ids = IdSource::new("page");
    send(&kernel, &ids, run("U1"));
    BrowserPlatform.sleep(Duration::from_millis(1_300)).await;
    assert_eq!(summary(&sent).1, None, "U1 runs until stopped");
    send(&kernel, &ids, ToKernel::InterruptRequest(Empty {}));
    BrowserPlatform.sleep(Duration::from_millis(50)).await;
    let (text, status) = summary(&sent);
    assert_eq!(status, Some(ReplyStatus::Aborted), "the interrupt ended the run at its sleep");
    assert!(text.starts_with("waited 0 s\nwaited 1 s\n"), "{text}");
    assert!(text.contains("KeyboardInterrupt: stopped by the Stop button"), "{text}");
}

/// In the browser the host maps case (`notebook::case`): the same as std's mapping, which
/// the module leaves out.
#[wasm_bindgen_test]
#[allow(clippy::disallowed_methods)] // std's mapping is the reference here
fn the_host_maps_case_as_std_does() {
    use notebook::case::Case;
    let texts = [
        "Disk FULL",
        "straße STRASSE",
        "ΟΔΟΣ Οδός σ ΣΑ",
        "İstanbul ıI",
        "ŉ ǅ ǈ ﬀ ﬃ",
        "Ärger über Öl, ÆØÅ, Ωμέγα, Кириллица",
        "\u{212a}elvin \u{212b}ngström",
        "emoji 😀 stays, and so do 漢字",
        "",
    ];
    for text in texts {
        assert_eq!(text.lower(), text.to_lowercase(), "{text}");
        assert_eq!(text.upper(), text.to_uppercase(), "{text}");
    }
}

/// The host's `Number()` reads decimal text to the same double as std's reader, for
/// texts of every shape: short and long mantissas, tiny and huge exponents, halfway cases.
#[wasm_bindgen_test]
fn decimal_text_reads_as_std_reads_it() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let fixed = [
        "2.2250738585072011e-308",
        "2.2250738585072012e-308",
        "4.9406564584124654e-324",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "9007199254740993",
        "0.1000000000000000055511151231257827021181583404541015625",
        "123456789012345678901234567890.12345678901234567890e-5",
        "5e-324",
        "2.4703282292062328e-324",
    ];
    let mut texts: Vec<String> = fixed.iter().map(|t| t.to_string()).collect();
    for _ in 0..20_000 {
        let digits: String = (0..1 + next(40)).map(|_| char::from(b'0' + next(10) as u8)).collect();
        let point = next(digits.len() as u64 + 1) as usize;
        let mut text = format!("{}.{}", &digits[..point], &digits[point..]);
        if next(2) == 0 {
            text.push_str(&format!("e{}", next(700) as i64 - 350));
        }
        if next(3) == 0 {
            text.insert(0, '-');
        }
        texts.push(text);
    }
    for text in &texts {
        let ours = notebook::decimal::parse_f64(text).expect(text);
        let std: f64 = text.parse().unwrap();
        assert_eq!(ours.to_bits(), std.to_bits(), "{text}");
    }
}

/// A burst of raw writes shares one clock reading per turn of the event loop, but a write
/// after a look at the file's time, or after the turn ended, stamps it afresh.
#[wasm_bindgen_test]
async fn a_write_after_a_look_or_a_new_turn_moves_the_files_time_forward() {
    let fs = notebook::vfs::FileSystem::new();
    let mut file = fs.open_with("stamped.bin", "wb", 0).unwrap();
    file.write_bytes(b"a").unwrap();
    let first = fs.stat("stamped.bin").unwrap().modified_ms;
    let until = js_sys::Date::now() + 5.0;
    while js_sys::Date::now() < until {} // the same turn, later
    file.write_bytes(b"b").unwrap();
    let second = fs.stat("stamped.bin").unwrap().modified_ms;
    assert!(second >= first + 5.0, "looked at, then written: {first} then {second}");

    file.write_bytes(b"c").unwrap(); // stamps the turn's reading, nobody looks
    BrowserPlatform.sleep(Duration::from_millis(20)).await;
    let before = js_sys::Date::now();
    file.write_bytes(b"d").unwrap();
    let third = fs.stat("stamped.bin").unwrap().modified_ms;
    assert!(third >= before, "a new turn reads the clock again: {third} < {before}");
}

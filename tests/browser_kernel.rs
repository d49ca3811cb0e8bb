//! In headless Chromium, inside a dedicated web worker (where the kernel lives): cells run
//! with real timers, and Stop cancels a cell in the middle of a real sleep.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use futures::future::AbortHandle;
use notebook::browser::{BrowserHost, BrowserPlatform};
use notebook::exercises::catalog;
use notebook::notebook::protocol::{Body, ExecuteRequest, Header, Message, ReplyStatus};
use notebook::notebook::{Kernel, Outbox, Outputs};
use notebook::platform::Platform;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn kernel() -> (Rc<Kernel>, Rc<RefCell<Vec<Message>>>) {
    let sent = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    (
        Rc::new(Kernel::new(
            catalog(),
            outbox,
            Rc::new(BrowserPlatform),
            Some(Rc::new(BrowserHost::default())),
        )),
        sent,
    )
}

fn request(cell_id: &str) -> ExecuteRequest {
    ExecuteRequest { cell_id: cell_id.into(), inputs: Default::default() }
}

fn summary(sent: &RefCell<Vec<Message>>) -> (String, Option<ReplyStatus>) {
    let mut outputs = Outputs::default();
    let mut status = None;
    for m in sent.borrow().iter() {
        outputs.push(&m.body);
        if let Body::ExecuteReply(reply) = &m.body {
            status = Some(reply.status);
        }
    }
    (outputs.plain_text(), status)
}

#[wasm_bindgen_test]
async fn a1_to_a3_run_in_a_worker() {
    let (kernel, sent) = kernel();
    for id in ["A1", "A2", "A3", "A3"] {
        sent.borrow_mut().clear();
        let (_handle, registration) = AbortHandle::new_pair();
        kernel.execute(&Header { msg_id: format!("page-{id}") }, request(id), registration).await;
        assert_eq!(summary(&sent).1, Some(ReplyStatus::Ok), "{id}");
    }
    let (text, _) = summary(&sent);
    assert!(text.starts_with("Appended to 'my_notes.txt', which now has 2 line(s):"), "{text}");
}

#[wasm_bindgen_test]
async fn stop_cancels_a_cell_during_a_real_sleep() {
    let (kernel, sent) = kernel();
    let (handle, registration) = AbortHandle::new_pair();
    let done = Rc::new(RefCell::new(false));
    let (k, d) = (Rc::clone(&kernel), Rc::clone(&done));
    wasm_bindgen_futures::spawn_local(async move {
        k.execute(&Header { msg_id: "page-1".into() }, request("U1"), registration).await;
        *d.borrow_mut() = true;
    });
    BrowserPlatform.sleep(Duration::from_millis(1_300)).await;
    assert!(!*done.borrow(), "U1 runs until stopped");
    handle.abort();
    BrowserPlatform.sleep(Duration::from_millis(50)).await;
    assert!(*done.borrow(), "the abort ended the run at its sleep");
    let (text, status) = summary(&sent);
    assert_eq!(status, Some(ReplyStatus::Aborted));
    assert!(text.starts_with("waited 0 s\nwaited 1 s\n"), "{text}");
    assert!(text.contains("KeyboardInterrupt: stopped by the Stop button"), "{text}");
}

//! The kernel tells the page which worker processes are alive, after every change, and a
//! cell's workers are gone when its run ends.

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;
use futures::future::AbortHandle;
use notebook::notebook::protocol::{Body, ExecuteRequest, Header, Message, ReplyStatus};
use notebook::notebook::{
    Catalog, CellContext, CellError, CellResult, CellSpec, CodeCell, Kernel, NativePlatform, Outbox, Section,
};

async fn squares_on_a_pool(cx: CellContext) -> CellResult {
    let pool = cx.pool(2).map_err(|e| CellError::new("ProcessError", e.to_string()))?;
    let squares: Vec<i64> =
        pool.map("square", 1..=5).await.map_err(|e| CellError::new("ProcessError", e.to_string()))?;
    cx.println(format!("{squares:?}"));
    Ok(())
}

#[test]
fn the_page_hears_workers_start_work_and_end() {
    let catalog = Catalog {
        title: "test",
        sections: vec![Section {
            id: "T",
            title: "T",
            cells: vec![CellSpec::Code(CodeCell::new("G7", "pool", "", |cx| {
                Box::pin(squares_on_a_pool(cx))
            }))],
        }],
    };
    let sent: Rc<RefCell<Vec<Message>>> = Rc::default();
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    let kernel = Kernel::new(catalog, outbox, Rc::new(NativePlatform::default()));
    let (_handle, registration) = AbortHandle::new_pair();
    let req = ExecuteRequest { cell_id: "G7".into(), inputs: Default::default() };
    block_on(kernel.execute(&Header { msg_id: "page-1".into() }, req, registration));

    let messages = sent.borrow();
    let reply = messages.iter().find_map(|m| match &m.body {
        Body::ExecuteReply(r) => Some(r.status),
        _ => None,
    });
    assert_eq!(reply, Some(ReplyStatus::Ok));
    let lists: Vec<_> = messages
        .iter()
        .filter_map(|m| match &m.body {
            Body::Workers(list) => Some(list.clone()),
            _ => None,
        })
        .collect();
    assert!(!lists.is_empty(), "the page heard about the workers");
    let most = lists.iter().map(|l| l.workers.len()).max().unwrap_or(0);
    assert_eq!(most, 2, "both pool workers were listed");
    assert!(lists
        .iter()
        .flat_map(|l| &l.workers)
        .all(|w| w.cell == "G7" && w.name.starts_with("SpawnPoolWorker-")));
    assert!(lists
        .iter()
        .flat_map(|l| &l.workers)
        .any(|w| w.state == "busy" && w.task.as_deref() == Some("square")));
    assert!(lists.last().is_some_and(|l| l.workers.is_empty()), "none is left when the run ends");
    assert!(kernel.processes().list().is_empty());
}

async fn pool_then_timeline(cx: CellContext) -> CellResult {
    let pool = cx.pool(2).map_err(|e| CellError::new("ProcessError", e.to_string()))?;
    let _: Vec<i64> = pool
        .map_chunked("square", 1..=6, 2)
        .await
        .map_err(|e| CellError::new("ProcessError", e.to_string()))?;
    let jobs = cx.show_timeline("Pool jobs");
    cx.println(format!("{jobs} jobs"));
    Ok(())
}

#[test]
fn a_cell_draws_the_timeline_of_its_pool_jobs() {
    use notebook::notebook::display::SVG_MIME;
    let catalog = Catalog {
        title: "test",
        sections: vec![Section {
            id: "T",
            title: "T",
            cells: vec![CellSpec::Code(CodeCell::new("G5", "t", "", |cx| Box::pin(pool_then_timeline(cx))))],
        }],
    };
    let sent: Rc<RefCell<Vec<Message>>> = Rc::default();
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    let kernel = Kernel::new(catalog, outbox, Rc::new(NativePlatform::default()));
    let (_handle, registration) = AbortHandle::new_pair();
    let req = ExecuteRequest { cell_id: "G5".into(), inputs: Default::default() };
    block_on(kernel.execute(&Header { msg_id: "page-1".into() }, req, registration));
    let messages = sent.borrow();
    let svg = messages
        .iter()
        .find_map(|m| match &m.body {
            Body::DisplayData(d) => d.data.get(SVG_MIME).cloned(),
            _ => None,
        })
        .expect("a timeline was drawn");
    assert_eq!(svg.matches("<rect").count(), 3, "six items in chunks of two: three jobs");
    assert!(svg.contains("SpawnPoolWorker-"));
    assert!(messages.iter().any(|m| matches!(&m.body, Body::Stream(s) if s.text == "3 jobs\n")));
}

async fn squares_with_progress(cx: CellContext) -> CellResult {
    let to_error = |e: notebook::parallel::Error| CellError::new("ProcessError", e.to_string());
    let pool = cx.pool(2).map_err(to_error)?;
    let mut results = pool.imap_unordered::<_, i64>("square", 1..=12, 1).map_err(to_error)?;
    let progress = cx.progress("squares", 12);
    let mut done = 0;
    while let Some(result) = results.next().await {
        result.map_err(to_error)?;
        done += 1;
        progress.update(done);
    }
    Ok(())
}

#[test]
fn a_progress_bar_is_one_output_updated_in_place() {
    use notebook::notebook::Output;
    let catalog = Catalog {
        title: "test",
        sections: vec![Section {
            id: "T",
            title: "T",
            cells: vec![CellSpec::Code(CodeCell::new("P", "p", "", |cx| {
                Box::pin(squares_with_progress(cx))
            }))],
        }],
    };
    let sent: Rc<RefCell<Vec<Message>>> = Rc::default();
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    let kernel = Kernel::new(catalog, outbox, Rc::new(NativePlatform::default()));
    let (_handle, registration) = AbortHandle::new_pair();
    let req = ExecuteRequest { cell_id: "P".into(), inputs: Default::default() };
    block_on(kernel.execute(&Header { msg_id: "page-1".into() }, req, registration));
    let messages = sent.borrow();
    let updates = messages.iter().filter(|m| matches!(m.body, Body::UpdateDisplayData(_))).count();
    assert_eq!(updates, 12);
    let mut outputs = notebook::notebook::Outputs::default();
    for m in messages.iter() {
        outputs.push(&m.body);
    }
    let displays: Vec<_> = outputs
        .items()
        .iter()
        .filter_map(|o| match o {
            Output::DisplayData(d) => d.get("text/plain").cloned(),
            _ => None,
        })
        .collect();
    assert_eq!(displays, vec!["squares: 12/12 (100%)".to_string()]);
}

async fn two_threads_then_timeline(cx: CellContext) -> CellResult {
    let mut handles = Vec::new();
    for (name, ms) in [("numbers", 30u64), ("letters", 60)] {
        let c = cx.clone();
        handles.push(cx.spawn_thread(name, async move {
            c.sleep(std::time::Duration::from_millis(ms)).await;
            Ok(ms)
        }));
    }
    for handle in handles {
        handle.join().await?;
    }
    cx.show_timeline("Threads");
    Ok(())
}

#[test]
fn the_timeline_has_a_lane_per_thread() {
    use notebook::notebook::display::SVG_MIME;
    let catalog = Catalog {
        title: "test",
        sections: vec![Section {
            id: "T",
            title: "T",
            cells: vec![CellSpec::Code(CodeCell::new("F4", "t", "", |cx| {
                Box::pin(two_threads_then_timeline(cx))
            }))],
        }],
    };
    let sent: Rc<RefCell<Vec<Message>>> = Rc::default();
    let sink = Rc::clone(&sent);
    let outbox = Rc::new(Outbox::new("kernel", move |m| sink.borrow_mut().push(m)));
    let kernel = Kernel::new(catalog, outbox, Rc::new(NativePlatform::default()));
    let (_handle, registration) = AbortHandle::new_pair();
    let req = ExecuteRequest { cell_id: "F4".into(), inputs: Default::default() };
    block_on(kernel.execute(&Header { msg_id: "page-1".into() }, req, registration));
    let messages = sent.borrow();
    let bundle = messages
        .iter()
        .find_map(|m| match &m.body {
            Body::DisplayData(d) => Some(d.data.clone()),
            _ => None,
        })
        .expect("a timeline was drawn");
    assert_eq!(bundle[SVG_MIME].matches("<rect").count(), 2);
    let text = &bundle["text/plain"];
    assert!(text.contains("thread numbers: thread numbers from 0 to"), "{text}");
    assert!(text.contains("thread letters"), "{text}");
}

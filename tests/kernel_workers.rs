//! The kernel tells the page which worker processes are alive, after every change, and a
//! cell's workers are gone when its run ends.

#[path = "common/kernel_session.rs"]
mod kernel_session;

use notebook::notebook::protocol::{ReplyStatus, ToPage};
use notebook::notebook::{CellContext, CellError, CellResult, CodeCell};

async fn squares_on_a_pool(cx: CellContext) -> CellResult {
    let pool = cx.pool(2).map_err(|e| CellError::new("ProcessError", e.to_string()))?;
    let squares: Vec<i64> =
        pool.map("square", 1..=5).await.map_err(|e| CellError::new("ProcessError", e.to_string()))?;
    cx.println(format!("{squares:?}"));
    Ok(())
}

#[test]
fn the_page_hears_workers_start_work_and_end() {
    let cell = CodeCell::new("G7", "pool", "", |cx| Box::pin(squares_on_a_pool(cx)));
    let session = kernel_session::Session::with_cells(vec![cell]);
    let messages = session.execute("G7", &[]);
    let reply = messages.iter().find_map(|m| match &m.body {
        ToPage::ExecuteReply(r) => Some(r.status),
        _ => None,
    });
    assert_eq!(reply, Some(ReplyStatus::Ok));
    let lists: Vec<_> = messages
        .iter()
        .filter_map(|m| match &m.body {
            ToPage::Workers(list) => Some(list.clone()),
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
        .any(|w| w.state == notebook::parallel::WorkerState::Busy && w.task.as_deref() == Some("square")));
    assert!(lists.last().is_some_and(|l| l.workers.is_empty()), "none is left when the run ends");
    assert!(session.kernel.processes().list().is_empty());
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
    let session = kernel_session::Session::with_cells(vec![CodeCell::new("G5", "t", "", |cx| {
        Box::pin(pool_then_timeline(cx))
    })]);
    let messages = session.execute("G5", &[]);
    let svg = messages
        .iter()
        .find_map(|m| match &m.body {
            ToPage::DisplayData(d) => d.data.get(SVG_MIME).cloned(),
            _ => None,
        })
        .expect("a timeline was drawn");
    assert_eq!(svg.matches("<rect").count(), 3, "six items in chunks of two: three jobs");
    assert!(svg.contains("SpawnPoolWorker-"));
    assert!(messages.iter().any(|m| matches!(&m.body, ToPage::Stream(s) if s.text == "3 jobs\n")));
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
    let cell = CodeCell::new("P", "p", "", |cx| Box::pin(squares_with_progress(cx)));
    let session = kernel_session::Session::with_cells(vec![cell]);
    let messages = session.execute("P", &[]);
    let updates = messages.iter().filter(|m| matches!(m.body, ToPage::UpdateDisplayData(_))).count();
    // At most one a step: updates closer than a 30th of a second apart wait for the next.
    assert!((1..=12).contains(&updates), "{updates} updates");
    let outputs = kernel_session::outputs(&messages);
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
    let cell = CodeCell::new("F4", "t", "", |cx| Box::pin(two_threads_then_timeline(cx)));
    let session = kernel_session::Session::with_cells(vec![cell]);
    let messages = session.execute("F4", &[]);
    let bundle = messages
        .iter()
        .find_map(|m| match &m.body {
            ToPage::DisplayData(d) => Some(d.data.clone()),
            _ => None,
        })
        .expect("a timeline was drawn");
    assert_eq!(bundle[SVG_MIME].matches("<rect").count(), 2);
    let text = &bundle["text/plain"];
    assert!(text.contains("thread numbers: thread numbers from 0 to"), "{text}");
    assert!(text.contains("thread letters"), "{text}");
}

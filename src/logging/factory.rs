//! Making records in this thread, as Python's `makeLogRecord` and `setLogRecordFactory`:
//! the stamp comes from the thread's state (level names, when logging started, the process
//! fields), then the record passes through the factory hook, if one is installed.

use super::level::Level;
use super::record::{CallSite, ProcessInfo, Record, RecordFactory, Stamp};
use super::state::with_state;

/// A record made now by logger `name` at `site`, stamped with this thread's level name,
/// process and thread fields, and passed through the record factory.
pub fn make_record(name: &str, level: Level, message: String, site: CallSite) -> Record {
    let now_ms = crate::clock::now_ms();
    let (stamp, factory) = with_state(|s| {
        let stamp = Stamp {
            levelname: s.level_names.name(level),
            now_ms,
            start_ms: s.start_ms,
            process: s.process.clone(),
        };
        (stamp, s.factory.clone())
    })
    .unwrap_or_else(|| {
        (
            Stamp {
                levelname: format!("Level {}", level.0),
                now_ms,
                start_ms: now_ms,
                process: ProcessInfo::default(),
            },
            None,
        )
    });
    let mut record = Record::new(name, level, message, site, stamp);
    if let Some(factory) = factory {
        factory(&mut record);
    }
    record
}

/// Sets the process and thread fields of the records made from now on in this thread.
pub fn set_process_info(info: ProcessInfo) {
    with_state(|s| s.process = info);
}

/// The process and thread fields new records get.
pub fn process_info() -> ProcessInfo {
    with_state(|s| s.process.clone()).unwrap_or_default()
}

/// Installs (or with `None` removes) the hook every new record passes through.
pub fn set_record_factory(factory: Option<RecordFactory>) {
    with_state(|s| s.factory = factory);
}

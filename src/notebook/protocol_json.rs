//! The JSON of each message content type of [`super::protocol`], written and read by hand
//! ([`crate::json`]) in the shape serde's derives on the types give: the module then
//! carries no serde code per message type. A field added to a type must be added here too
//! (a type whose list lacks a field does not compile), with the options its serde
//! attributes have; the tests below check that both write and read the same JSON.

use crate::json::{json_enum, json_names, json_struct};
use crate::memory::MemoryFigures;
use crate::parallel::WorkerState;

use super::protocol::{
    BreakpointAction, BreakpointReply, BreakpointRequest, DisplayData, Empty, ErrorContent, ExecuteInput,
    ExecuteReply, ExecuteRequest, ExecutionState, FileEntry, FileReply, FileRequest, FilesChanged,
    FilesReplaced, Header, InputReply, InputRequest, Local, LogEntry, ReplyStatus, Status, StorageStatus,
    Stream, StreamName, WorkerList, WorkerRow,
};

json_struct!(Header { msg_id });
json_struct!(StorageStatus { persistent, reason });
json_struct!(FilesReplaced { paths });
json_struct!(WorkerList { workers });
json_struct!(WorkerRow { name, pid, state, task, cell });
json_struct!(LogEntry { seq, created_ms, level, level_name, logger, message, process_name });
json_struct!(FileEntry { path, is_dir, size, read_only });
json_struct!(FilesChanged { entries, removed });
json_struct!(Empty {});
json_struct!(ExecuteRequest { cell_id, inputs[default], code[default skip_none] });
json_struct!(ExecuteInput { cell_id, execution_count });
json_struct!(Stream { name, text });
json_struct!(DisplayData { data, display_id[default skip_none] });
json_struct!(ErrorContent { ename, evalue, traceback, line[default skip_none] });
json_struct!(ExecuteReply { status, execution_count, memory[default skip_none] });
json_struct!(Status { execution_state });
json_struct!(InputRequest { prompt, password[default] });
json_struct!(InputReply { value });
json_struct!(BreakpointRequest { name, hit, locals });
json_struct!(Local { name, type_name["type"], value });
json_struct!(BreakpointReply { action });
json_struct!(MemoryFigures { held_bytes, peak_bytes, allocations });

json_names!(StreamName { Stdout = "stdout", Stderr = "stderr" });
json_names!(ReplyStatus { Ok = "ok", Error = "error", Aborted = "aborted" });
json_names!(ExecutionState { Starting = "starting", Busy = "busy", Idle = "idle" });
json_names!(BreakpointAction { Continue = "continue", ContinueToEnd = "continue_to_end" });
json_names!(WorkerState { Starting = "starting", Idle = "idle", Busy = "busy" });

json_enum!(FileRequest {
    List = "list",
    Read = "read" { path },
    Upload = "upload" { dir, name },
    Reset = "reset",
    Preview = "preview" { path, max_bytes },
    Create = "create" { path },
    Mkdir = "mkdir" { path },
    Rename = "rename" { from, to },
    Delete = "delete" { path, recursive[default] },
});

json_enum!(FileReply {
    Listing = "listing" { entries },
    Contents = "contents" { path },
    Preview = "preview" { path, size },
    Uploaded = "uploaded" { path, size },
    Done = "done",
    Failed = "failed" { error },
});

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{de::DeserializeOwned, Serialize};

    use super::*;
    use crate::json::{FromJson, ToJson};

    /// Writes `value` both ways and checks the texts are the same, then reads that text
    /// and a copy with its fields in reverse order both ways and checks all give `value`.
    fn same<T: ToJson + FromJson + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let ours = crate::json::to_string(&value);
        let theirs = serde_json::to_string(&value).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(crate::json::read::<T>(&ours).unwrap(), value, "{ours}");
        let reordered = reverse_keys(&ours);
        assert_eq!(crate::json::read::<T>(&reordered).unwrap(), value, "{reordered}");
        assert_eq!(serde_json::from_str::<T>(&reordered).unwrap(), value, "{reordered}");
    }

    /// The same JSON with every object's keys in reverse order, spaced out.
    fn reverse_keys(text: &str) -> String {
        fn walk(value: &serde_json::Value) -> String {
            match value {
                serde_json::Value::Object(map) => {
                    let fields: Vec<String> = map
                        .iter()
                        .rev()
                        .map(|(k, v)| format!("{} : {}", serde_json::json!(k), walk(v)))
                        .collect();
                    format!("{{ {} }}", fields.join(" , "))
                }
                serde_json::Value::Array(items) => {
                    format!("[ {} ]", items.iter().map(walk).collect::<Vec<_>>().join(" , "))
                }
                other => other.to_string(),
            }
        }
        walk(&serde_json::from_str(text).unwrap())
    }

    fn entry() -> FileEntry {
        FileEntry { path: "/a \"b\"\n".into(), is_dir: false, size: u64::MAX, read_only: true }
    }

    #[test]
    fn every_content_type_is_the_json_serde_writes_and_reads() {
        same(Header { msg_id: "kernel-12".into() });
        same(StorageStatus { persistent: false, reason: Some("refused \u{1}\u{1f}\u{7f}é😀".into()) });
        same(StorageStatus { persistent: true, reason: None });
        same(FilesReplaced { paths: vec!["/x".into(), "/y".into()] });
        same(FilesReplaced { paths: vec![] });
        same(WorkerList {
            workers: vec![
                WorkerRow {
                    name: "W-1".into(),
                    pid: 7,
                    state: WorkerState::Busy,
                    task: Some("t".into()),
                    cell: "G1".into(),
                },
                WorkerRow {
                    name: "W-2".into(),
                    pid: 8,
                    state: WorkerState::Starting,
                    task: None,
                    cell: "G1".into(),
                },
            ],
        });
        for created_ms in [1_733_450_123_456.789, 0.1, 1e21, 5e-324, -0.0, 1.0] {
            same(LogEntry {
                seq: 3,
                created_ms,
                level: 40,
                level_name: "ERROR".into(),
                logger: "app.db".into(),
                message: "tab\there\\".into(),
                process_name: "MainProcess".into(),
            });
        }
        same(FilesChanged { entries: vec![entry(), entry()], removed: vec!["/gone".into()] });
        same(Empty {});
        let inputs = BTreeMap::from([("b".to_string(), "2".to_string()), ("a".to_string(), "1".to_string())]);
        same(ExecuteRequest { cell_id: "A1".into(), inputs: inputs.clone(), code: None });
        same(ExecuteRequest { cell_id: "s1".into(), inputs, code: Some("print(1)".into()) });
        same(ExecuteInput { cell_id: "A1".into(), execution_count: u32::MAX });
        same(Stream { name: StreamName::Stderr, text: "x\n".into() });
        same(DisplayData { data: BTreeMap::from([("text/plain".into(), "1".into())]), display_id: None });
        same(DisplayData { data: BTreeMap::new(), display_id: Some("d".into()) });
        same(ErrorContent { ename: "E".into(), evalue: "v".into(), traceback: vec!["t".into()], line: None });
        same(ErrorContent { ename: "E".into(), evalue: "v".into(), traceback: vec![], line: Some(3) });
        for status in [ReplyStatus::Ok, ReplyStatus::Error, ReplyStatus::Aborted] {
            same(ExecuteReply { status, execution_count: 1, memory: None });
        }
        same(ExecuteReply {
            status: ReplyStatus::Ok,
            execution_count: 2,
            memory: Some(MemoryFigures { held_bytes: i64::MIN, peak_bytes: 8, allocations: 21 }),
        });
        for execution_state in [ExecutionState::Starting, ExecutionState::Busy, ExecutionState::Idle] {
            same(Status { execution_state });
        }
        same(InputRequest { prompt: "Name: ".into(), password: true });
        same(InputReply { value: "7".into() });
        same(BreakpointRequest {
            name: "loop".into(),
            hit: 2,
            locals: vec![Local { name: "i".into(), type_name: "u8".into(), value: "2".into() }],
        });
        for action in [BreakpointAction::Continue, BreakpointAction::ContinueToEnd] {
            same(BreakpointReply { action });
        }
        for request in [
            FileRequest::List,
            FileRequest::Read { path: "a".into() },
            FileRequest::Upload { dir: "/tmp".into(), name: "a.bin".into() },
            FileRequest::Reset,
            FileRequest::Preview { path: "a".into(), max_bytes: 4096 },
            FileRequest::Create { path: "a".into() },
            FileRequest::Mkdir { path: "d".into() },
            FileRequest::Rename { from: "a".into(), to: "b".into() },
            FileRequest::Delete { path: "d".into(), recursive: true },
            FileRequest::Delete { path: "d".into(), recursive: false },
        ] {
            same(request);
        }
        for reply in [
            FileReply::Listing { entries: vec![entry()] },
            FileReply::Contents { path: "/a".into() },
            FileReply::Preview { path: "/a".into(), size: 9 },
            FileReply::Uploaded { path: "/a".into(), size: 3 },
            FileReply::Done,
            FileReply::Failed { error: "FileNotFoundError: [Errno 2]".into() },
        ] {
            same(reply);
        }
    }

    #[test]
    fn absent_fields_read_as_serde_reads_them() {
        let both = |text: &str| {
            let ours = crate::json::read::<ExecuteRequest>(text);
            let theirs = serde_json::from_str::<ExecuteRequest>(text);
            assert_eq!(ours.as_ref().ok(), theirs.as_ref().ok(), "{text}");
            ours
        };
        assert_eq!(
            both(r#"{"cell_id":"A1"}"#).unwrap(),
            ExecuteRequest { cell_id: "A1".into(), ..Default::default() }
        );
        assert_eq!(both(r#"{"cell_id":"A1","code":null,"extra":[{"x":1}]}"#).unwrap().code, None);
        let error = both(r#"{"inputs":{}}"#).unwrap_err().to_string();
        assert!(error.starts_with("missing field `cell_id`"), "{error}");
        let error = both(r#"{"cell_id":"A1","cell_id":"A2"}"#).unwrap_err().to_string();
        assert!(error.starts_with("duplicate field `cell_id`"), "{error}");
        assert!(both(r#"{"cell_id":"A1","inputs":{"a":1}}"#).is_err());
        assert!(
            crate::json::read::<ExecuteRequest>(r#"["A1"]"#).is_err(),
            "a struct is an object, never an array"
        );
        assert_eq!(
            crate::json::read::<FileRequest>(r#"{"delete":{"path":"d"}}"#).unwrap(),
            FileRequest::Delete { path: "d".into(), recursive: false }
        );
        assert_eq!(crate::json::read::<FileRequest>(r#"{"list":null}"#).unwrap(), FileRequest::List);
        assert!(crate::json::read::<FileRequest>(r#""read""#).is_err());
        assert!(crate::json::read::<FileRequest>(r#"{"read":{"path":"a"},"list":null}"#).is_err());
        let error = crate::json::read::<StreamName>(r#""stdin""#).unwrap_err().to_string();
        assert!(error.starts_with("unknown variant `stdin`, expected `stdout` or `stderr`"), "{error}");
    }
}

//! The JSON of the messages between the kernel and its worker processes (and of what they
//! carry: errors, log records, shared memory layouts), written and read by hand
//! ([`crate::json`]) in the shape serde's derives on the types give, so the module carries
//! no serde code per message type. A field added to a type must be added here too (a type
//! whose list lacks a field does not compile); the tests below check that both write and
//! read the same JSON.

use crate::json::{json_enum, json_names, json_struct, FromJson, Reader, ToJson, Writer};
use crate::logging::{Level, Record};

use super::error::Error;
use super::message::{FromWorker, Request, ToWorker};
use super::shared_memory::{Kind, Layout};

json_enum!(ToWorker {
    Init = "init" { name, pid },
    Run = "run" { job, task, items },
    Reply = "reply" { id, result },
});

json_enum!(FromWorker {
    Ready = "ready",
    Print = "print" { text, stderr },
    Request = "request" { id, request },
    Done = "done" { job, results, began_ms, ended_ms },
    Log = "log" { record },
    Panicked = "panicked" { message },
});

json_enum!(Request {
    ReadFile = "read_file" { path },
    WriteFile = "write_file" { path },
    AppendText = "append_text" { path, text },
    QueuePut = "queue_put" { id, item },
    QueueGet = "queue_get" { id, timeout_ms },
    QueueSize = "queue_size" { id },
    Load = "load" { id },
    Store = "store" { id, key, value },
    Add = "add" { id, key, delta },
    Item = "item" { id, key },
    Append = "append" { id, value },
});

json_struct!(Record {
    name,
    levelno,
    levelname,
    pathname,
    filename,
    module,
    lineno,
    func_name,
    created,
    msecs,
    relative_created,
    thread,
    thread_name,
    process,
    process_name,
    message,
    exc_text,
});

json_struct!(Layout { id, kind, scalar });
json_names!(Kind { Int = "int", Float = "float" });

/// A level is its number.
impl ToJson for Level {
    fn write_json(&self, w: &mut Writer) {
        w.i64(i64::from(self.number()));
    }
}

impl FromJson for Level {
    fn read_json(r: &mut Reader<'_>) -> crate::json::Result<Level> {
        let number = r.i64()?;
        i32::try_from(number).map(Level).map_err(|_| r.error("a level must fit 32 bits"))
    }
}

/// `{"kind": ..., "message": ...}`; a kind that arrives is checked as [`Error::new`] checks.
impl ToJson for Error {
    fn write_json(&self, w: &mut Writer) {
        w.raw("{");
        w.key("kind");
        w.str(self.kind.as_str());
        w.key("message");
        w.str(&self.message);
        w.raw("}");
    }
}

impl FromJson for Error {
    fn read_json(r: &mut Reader<'_>) -> crate::json::Result<Error> {
        let (mut kind, mut message) = (None, None);
        r.object(&mut |r, key| match key {
            "kind" => crate::json::read_field::<String>(r, &mut kind, key),
            "message" => crate::json::read_field::<String>(r, &mut message, key),
            _ => r.skip(),
        })?;
        let kind = crate::json::take_field(r, kind, "kind")?;
        let message = crate::json::take_field(r, message, "message")?;
        Ok(Error::new(kind, message))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use serde::{de::DeserializeOwned, Serialize};
    use serde_json::json;

    use super::*;

    /// Writes `value` both ways and checks the texts are the same, then reads it both ways
    /// and checks both give `value`.
    fn same<T: ToJson + FromJson + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let ours = crate::json::to_string(&value);
        assert_eq!(ours, serde_json::to_string(&value).unwrap());
        assert_eq!(crate::json::read::<T>(&ours).unwrap(), value, "{ours}");
        assert_eq!(serde_json::from_str::<T>(&ours).unwrap(), value, "{ours}");
    }

    fn record() -> Record {
        Record {
            name: "app".into(),
            levelno: Level(-5),
            levelname: "TRACE".into(),
            pathname: Cow::Borrowed("src/x.rs"),
            filename: "x.rs".into(),
            module: "x".into(),
            lineno: 12,
            func_name: "(unknown function)".into(),
            created: 1_733_450_123.456_789,
            msecs: 456.0,
            relative_created: 0.1 + 0.2,
            thread: u64::MAX,
            thread_name: "MainThread".into(),
            process: 2,
            process_name: "SpawnPoolWorker-1".into(),
            message: "a \"quoted\"\nline\u{0}".into(),
            exc_text: None,
        }
    }

    #[test]
    fn every_worker_message_is_the_json_serde_writes_and_reads() {
        let values = vec![
            json!(null),
            json!(true),
            json!(-3),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(2.5),
            json!(1e300),
            json!("s\u{1}"),
            json!([1, [2, {"b": 1, "a": [null]}], {}]),
        ];
        same(ToWorker::Init { name: "SpawnPoolWorker-1".into(), pid: 3 });
        same(ToWorker::Run { job: 1, task: "square".into(), items: values.clone() });
        same(ToWorker::Reply { id: 2, result: Ok(json!({"x": [1.5]})) });
        same(ToWorker::Reply { id: 2, result: Err(Error::value("bad")) });
        same(FromWorker::Ready);
        same(FromWorker::Print { text: "hi\n".into(), stderr: true });
        same(FromWorker::Done {
            job: 1,
            results: vec![Ok(json!(1)), Err(Error::new("KeyError", "k"))],
            began_ms: 1.5e12,
            ended_ms: 1.5e12 + 0.25,
        });
        same(FromWorker::Log { record: Box::new(record()) });
        same(FromWorker::Log { record: Box::new(Record { exc_text: Some("Traceback".into()), ..record() }) });
        same(FromWorker::Panicked { message: "boom".into() });
        for request in [
            Request::ReadFile { path: "a".into() },
            Request::WriteFile { path: "a".into() },
            Request::AppendText { path: "a".into(), text: "t".into() },
            Request::QueuePut { id: 1, item: values[8].clone() },
            Request::QueueGet { id: 1, timeout_ms: None },
            Request::QueueGet { id: 1, timeout_ms: Some(250.5) },
            Request::QueueSize { id: 1 },
            Request::Load { id: 1 },
            Request::Store { id: 1, key: None, value: json!(3) },
            Request::Store { id: 1, key: Some(json!("k")), value: json!(3) },
            Request::Add { id: 1, key: Some(json!(0)), delta: json!(-1.5) },
            Request::Item { id: 1, key: json!(2) },
            Request::Append { id: 1, value: json!([]) },
        ] {
            same(FromWorker::Request { id: 9, request });
        }
        for value in values {
            same(value);
        }
        same(Layout { id: 4, kind: Kind::Float, scalar: true });
        same(Layout { id: 4, kind: Kind::Int, scalar: false });
    }

    #[test]
    fn an_error_s_class_name_is_checked_when_it_arrives() {
        let odd: Error = crate::json::read(r#"{"message":"m","kind":"<b>"}"#).unwrap();
        assert_eq!(odd, serde_json::from_str::<Error>(r#"{"kind":"<b>","message":"m"}"#).unwrap());
        assert!(crate::json::read::<Error>(r#"{"kind":"E"}"#).is_err());
    }

    #[test]
    fn numbers_read_as_serde_json_types_them() {
        for text in [
            "0",
            "-0",
            "1",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "1e2",
            "-1E-2",
            "0.1",
            "123456789012345678901234567890",
        ] {
            let ours: serde_json::Value = crate::json::read(text).unwrap();
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.is_f64(), theirs.is_f64(), "{text}");
        }
        for text in [
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "1e400",
            "--1",
            "0x1",
            "1 2",
            "[1,]",
            "{\"a\":1,}",
            "[",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"a\nb\"",
            "nul",
            "tru",
        ] {
            assert!(crate::json::read::<serde_json::Value>(text).is_err(), "{text}");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "{text}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(
            crate::json::read::<serde_json::Value>(&deep).is_err(),
            "too deep is refused, not a stack overflow"
        );
        let text = r#" { "a" : "\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\" , "a" : 2 } "#;
        let ours: serde_json::Value = crate::json::read(text).unwrap();
        assert_eq!(ours, serde_json::from_str::<serde_json::Value>(text).unwrap());
    }
}

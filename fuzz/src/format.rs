//! A logging format (`%(name)-8s ...`) and `datefmt` (`%Y-%m-%d ...`): made into a
//! formatter or refused with a `ValueError`, never a panic; a formatter formats records
//! with any field values (times far in the past or future, not-a-number) without one.

use notebook::logging::{make_record, CallSite, Formatter, Level};

/// Checks one input. An odd first byte: a fixed format with `asctime`, and the rest is the
/// `datefmt`. An even one: the rest up to `0xFE` is the format, after it the `datefmt`.
pub fn run(data: &[u8]) -> Result<(), String> {
    let Some((first, rest)) = data.split_first() else { return Ok(()) };
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let (fmt, datefmt) = if first % 2 == 1 {
        ("%(asctime)s %(levelname)s %(message)s".to_string(), Some(text(rest)))
    } else {
        match rest.iter().position(|b| *b == 0xFE) {
            Some(i) => (text(&rest[..i]), Some(text(&rest[i + 1..]))),
            None => (text(rest), None),
        }
    };
    let formatter = match Formatter::new(&fmt, datefmt.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            let message = e.to_string();
            return if message.is_empty() {
                Err(format!("{fmt:?} / {datefmt:?}: an empty error"))
            } else {
                Ok(())
            };
        }
    };
    if formatter.fmt() != fmt || formatter.datefmt() != datefmt.as_deref() {
        return Err(format!("the formatter does not keep {fmt:?} / {datefmt:?}"));
    }
    let level = Level(i32::from(*first) * 10 - 50);
    let mut record =
        make_record("fuzz.logger", level, "a message with % and %(name)s".into(), CallSite::unknown());
    for (created, msecs) in
        [(0.0, 0.0), (-1.5, 500.0), (1e18, 999.0), (-1e18, -1.0), (f64::NAN, f64::INFINITY)]
    {
        record.created = created;
        record.msecs = msecs;
        record.relative_created = created;
        record.lineno = u32::MAX;
        record.thread = u64::MAX;
        let line = formatter.format(&record);
        let time = formatter.format_time(&record);
        if first % 2 == 1 && !line.starts_with(&format!("{time} ")) {
            return Err(format!("{fmt:?}: the line {line:?} does not hold its asctime {time:?}"));
        }
    }
    Ok(())
}

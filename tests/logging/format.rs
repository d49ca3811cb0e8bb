//! The formatter: every field, the width and conversion forms, `datefmt`, bad formats.
//! The expected texts are CPython's for the same record (`TZ=UTC`).

use std::borrow::Cow;

use notebook::logging::{Formatter, Record, WARNING};

fn record() -> Record {
    Record {
        name: "app.db".into(),
        levelno: WARNING,
        levelname: "WARNING".into(),
        pathname: Cow::Borrowed("src/app/db.rs"),
        filename: Cow::Borrowed("db.rs"),
        module: Cow::Borrowed("db"),
        lineno: 42,
        func_name: Cow::Borrowed("connect"),
        created: 1_700_000_000.5,
        msecs: 500.0,
        relative_created: 1234.5678,
        thread: 140_001,
        thread_name: "MainThread".into(),
        process: 4242,
        process_name: "MainProcess".into(),
        message: "connection lost: 'db1'".into(),
        exc_text: None,
    }
}

fn format(fmt: &str) -> String {
    Formatter::new(fmt, None).unwrap_or_else(|e| panic!("{fmt}: {e}")).format(&record())
}

fn format_at(datefmt: &str, created: f64) -> String {
    let record = Record { created, ..record() };
    Formatter::new("%(asctime)s", Some(datefmt)).unwrap().format(&record)
}

#[test]
fn every_field() {
    let cases = [
        ("%(asctime)s", "2023-11-14 22:13:20,500"),
        ("%(created)s", "1700000000.5"),
        ("%(created)f", "1700000000.500000"),
        ("%(created).3f", "1700000000.500"),
        ("%(msecs)s", "500.0"),
        ("%(msecs)03d", "500"),
        ("%(msecs)d", "500"),
        ("%(relativeCreated)s", "1234.5678"),
        ("%(relativeCreated)d", "1234"),
        ("%(relativeCreated).1f", "1234.6"),
        ("%(levelname)s", "WARNING"),
        ("%(levelno)s", "30"),
        ("%(levelno)d", "30"),
        ("%(name)s", "app.db"),
        ("%(message)s", "connection lost: 'db1'"),
        ("%(msg)s", "connection lost: 'db1'"),
        ("%(module)s", "db"),
        ("%(filename)s", "db.rs"),
        ("%(pathname)s", "src/app/db.rs"),
        ("%(lineno)d", "42"),
        ("%(funcName)s", "connect"),
        ("%(process)d", "4242"),
        ("%(processName)s", "MainProcess"),
        ("%(thread)d", "140001"),
        ("%(threadName)s", "MainThread"),
    ];
    for (fmt, expected) in cases {
        assert_eq!(format(fmt), expected, "{fmt}");
    }
}

#[test]
fn widths_alignment_precision_and_conversions() {
    let cases = [
        ("%(levelname)-8s|", "WARNING |"),
        ("%(levelname)8s|", " WARNING|"),
        ("%(lineno)5d|", "   42|"),
        ("%(lineno)-5d|", "42   |"),
        ("%(lineno)05d|", "00042|"),
        ("%(lineno)+d", "+42"),
        ("%(lineno) d", " 42"),
        ("%(lineno)x %(lineno)X %(lineno)#x %(lineno)o %(lineno)#o", "2a 2A 0x2a 52 0o52"),
        ("%(lineno)c", "*"),
        ("%(lineno).4d", "0042"),
        ("%(lineno)8.4d|", "    0042|"),
        ("%(message).10s|", "connection|"),
        ("%(message)30s|", "        connection lost: 'db1'|"),
        ("%(message)r", "\"connection lost: 'db1'\""),
        ("%(name)a", "'app.db'"),
        ("%(created)e", "1.700000e+09"),
        ("%(created).2E", "1.70E+09"),
        ("%(created)g", "1.7e+09"),
        ("%(created)G", "1.7E+09"),
        ("%(relativeCreated)g", "1234.57"),
        ("%(relativeCreated)#.3g", "1.23e+03"),
        ("%(msecs)#.0f", "500."),
        ("%(msecs)+08.2f", "+0500.00"),
        ("%(created)i", "1700000000"),
        ("100%% %(message)s", "100% connection lost: 'db1'"),
        (
            "%(asctime)s - %(levelname)s - %(message)s",
            "2023-11-14 22:13:20,500 - WARNING - connection lost: 'db1'",
        ),
    ];
    for (fmt, expected) in cases {
        assert_eq!(format(fmt), expected, "{fmt}");
    }
}

#[test]
fn float_repr_as_python() {
    let with = |v: f64| {
        let record = Record { relative_created: v, ..record() };
        Formatter::new("%(relativeCreated)s", None).unwrap().format(&record)
    };
    for (v, expected) in [
        (1.0e16, "1e+16"),
        (1.5e-5, "1.5e-05"),
        (123.0, "123.0"),
        (0.0001, "0.0001"),
        (1.3513565063476562, "1.3513565063476562"),
        (0.1 + 0.2, "0.30000000000000004"),
        (-2.5, "-2.5"),
        (1234567890123456.0, "1234567890123456.0"),
    ] {
        assert_eq!(with(v), expected, "{v:e}");
    }
}

#[test]
fn the_error_chain_follows_on_its_own_line() {
    let record = Record { exc_text: Some("ValueError: bad".into()), ..record() };
    assert_eq!(
        Formatter::new("%(levelname)s %(message)s", None).unwrap().format(&record),
        "WARNING connection lost: 'db1'\nValueError: bad"
    );
    assert_eq!(Formatter::default().fmt(), "%(message)s");
    assert_eq!(Formatter::default().format(&record), "connection lost: 'db1'\nValueError: bad");
}

#[test]
fn datefmt_directives() {
    let t = 1_700_000_000.5;
    assert_eq!(format_at("%d/%m/%Y %I:%M:%S %p", t), "14/11/2023 10:13:20 PM");
    assert_eq!(format_at("%Y-%m-%dT%H:%M:%S%z", t), "2023-11-14T22:13:20+0000");
    assert_eq!(
        format_at("%a %A %b %B %j %U %W %V %G %g %u %w %y %C %e %k %l %s", t),
        "Tue Tuesday Nov November 318 46 46 46 2023 23 2 2 23 20 14 22 10 1700000000"
    );
    assert_eq!(
        format_at("%c|%x|%X|%D|%T|%F|%R|%r|%h|%Z|%%", t),
        "Tue Nov 14 22:13:20 2023|11/14/23|22:13:20|11/14/23|22:13:20|2023-11-14|22:13|10:13:20 PM|Nov|UTC|%"
    );
    assert_eq!(format_at("%-d/%-m %-H", t), "14/11 22");
    // A datefmt replaces the default form, milliseconds included (as in Python).
    let f = Formatter::new("%(asctime)s.%(msecs)03d", Some("%H:%M:%S")).unwrap();
    assert_eq!(f.format(&record()), "22:13:20.500");
}

#[test]
fn calendar_edges() {
    let fmt = "%Y-%m-%d %H:%M:%S %a %j %U %W %V %G %g %u %w";
    for (t, expected) in [
        (0.0, "1970-01-01 00:00:00 Thu 001 00 00 01 1970 70 4 4"),
        (951_782_400.0, "2000-02-29 00:00:00 Tue 060 09 09 09 2000 00 2 2"),
        (4_107_542_400.0, "2100-03-01 00:00:00 Mon 060 09 09 09 2100 00 1 1"),
        (1_704_067_199.0, "2023-12-31 23:59:59 Sun 365 53 52 52 2023 23 7 0"),
        (1_735_603_200.0, "2024-12-31 00:00:00 Tue 366 52 53 01 2025 25 2 2"),
        (1_609_459_200.0, "2021-01-01 00:00:00 Fri 001 00 00 53 2020 20 5 5"),
        (-31_536_000.0, "1969-01-01 00:00:00 Wed 001 00 00 01 1969 69 3 3"),
    ] {
        assert_eq!(format_at(fmt, t), expected, "{t}");
    }
}

fn error_of(fmt: &str, datefmt: Option<&str>) -> String {
    match Formatter::new(fmt, datefmt) {
        Ok(_) => panic!("{fmt:?} {datefmt:?} was accepted"),
        Err(e) => format!("{}: {}", e.python_name(), e),
    }
}

#[test]
fn bad_formats_are_errors_when_made() {
    let cases = [
        ("%(levelname", "ValueError: Invalid format '%(levelname' for '%' style: incomplete format key"),
        (
            "%(nope)s",
            "ValueError: Invalid format '%(nope)s' for '%' style: Formatting field not found in record: 'nope'",
        ),
        (
            "%(message)q",
            "ValueError: Invalid format '%(message)q' for '%' style: unsupported format character 'q' (0x71) at \
             index 10",
        ),
        ("abc", "ValueError: Invalid format 'abc' for '%' style: it names no field, such as %(message)s"),
        ("%(message)s %", "ValueError: Invalid format '%(message)s %' for '%' style: incomplete format"),
        ("%(message)*s", "ValueError: Invalid format '%(message)*s' for '%' style: * wants int"),
        (
            "%(levelname)d",
            "ValueError: Invalid format '%(levelname)d' for '%' style: %d format: a real number is required, not str",
        ),
        (
            "%(created)x",
            "ValueError: Invalid format '%(created)x' for '%' style: %x format: an integer is required, not float",
        ),
        ("%(name)f", "ValueError: Invalid format '%(name)f' for '%' style: must be real number, not str"),
        ("%(name)ls", "ValueError: Invalid format '%(name)ls' for '%' style: unsupported format character 'l' (0x6c) at index 7"),
    ];
    for (fmt, expected) in cases {
        assert_eq!(error_of(fmt, None), expected, "{fmt}");
    }
    let unnamed = error_of("%(message)s %s", None);
    assert!(
        unnamed
            .starts_with("ValueError: Invalid format '%(message)s %s' for '%' style: not enough arguments"),
        "{unnamed}"
    );
}

#[test]
fn bad_datefmts_are_errors_when_made() {
    assert_eq!(
        error_of("%(asctime)s", Some("%H:%M:%S.%f")),
        "ValueError: Invalid datefmt '%H:%M:%S.%f': time.strftime has no '%f' directive (microseconds are \
         datetime's, not time.strftime's: put %(msecs)03d in the format)"
    );
    assert_eq!(
        error_of("%(asctime)s", Some("%Q")),
        "ValueError: Invalid datefmt '%Q': time.strftime has no '%Q' directive"
    );
    assert_eq!(
        error_of("%(asctime)s", Some("%Y %")),
        "ValueError: Invalid datefmt '%Y %': a '%' at the end has no directive"
    );
}

/// Found by the `format` fuzz target: a precision past 65,535 (Rust's formatter's limit;
/// formats may ask for up to 100,000) panicked while formatting the record.
#[test]
fn precisions_past_rusts_limit_give_pythons_digits() {
    let fixed = format("%(created).70000f");
    assert_eq!(fixed, format!("1700000000.5{}", "0".repeat(69_999)));
    assert_eq!(format("%(msecs).70000e"), format!("5.{}e+02", "0".repeat(70_000)));
    // %g drops the trailing zeros: the double's exact expansion is left, as %.100g gives it.
    assert_eq!(format("%(relativeCreated).70000g"), format("%(relativeCreated).100g"));
    assert_eq!(format("%(relativeCreated).100g"), "1234.567800000000033833202905952930450439453125");
    assert_eq!(format("%(created)#.70000g").len(), 70_001);
}

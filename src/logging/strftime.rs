//! `datefmt`: the directives of `time.strftime` (C's, as glibc has them) that a date
//! format may use, checked when the formatter is made. Python hands unknown directives to
//! C, which prints them as they are (`%f` stays `%f`); here they are an error instead.

use std::fmt::Write as _;

use super::time::Tm;

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A parsed date format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateFormat {
    pieces: Vec<DatePiece>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DatePiece {
    Text(String),
    /// A directive letter, and whether `-` asked for no padding.
    Directive(char, bool),
}

/// Directives handled here, as in the C locale.
const DIRECTIVES: &str = "aAbBcCdDeFgGhHIjklmMnprPRsStTuUVwWxXyYzZ%";

impl DateFormat {
    /// Parses `datefmt`; the error is the whole message.
    pub(crate) fn parse(datefmt: &str) -> Result<DateFormat, String> {
        let bad = |detail: String| format!("Invalid datefmt '{datefmt}': {detail}");
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = datefmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                text.push(c);
                continue;
            }
            let no_pad = chars.next_if_eq(&'-').is_some();
            // The E and O modifiers (locale alternatives) mean nothing in the C locale.
            let _ = chars.next_if(|c| *c == 'E' || *c == 'O');
            let Some(d) = chars.next() else {
                return Err(bad("a '%' at the end has no directive".into()));
            };
            if !DIRECTIVES.contains(d) {
                let hint = if d == 'f' {
                    " (microseconds are datetime's, not time.strftime's: put %(msecs)03d in the format)"
                } else {
                    ""
                };
                return Err(bad(format!("time.strftime has no '%{d}' directive{hint}")));
            }
            match d {
                '%' => text.push('%'),
                'n' => text.push('\n'),
                't' => text.push('\t'),
                _ => {
                    if !text.is_empty() {
                        pieces.push(DatePiece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(DatePiece::Directive(d, no_pad));
                }
            }
        }
        if !text.is_empty() {
            pieces.push(DatePiece::Text(text));
        }
        Ok(DateFormat { pieces })
    }

    /// Appends `tm` formatted.
    pub(crate) fn write(&self, tm: &Tm, out: &mut String) {
        for piece in &self.pieces {
            match piece {
                DatePiece::Text(t) => out.push_str(t),
                DatePiece::Directive(d, no_pad) => directive(*d, *no_pad, tm, out),
            }
        }
    }
}

/// Appends `n` padded to `width` with `pad` (unless `no_pad`).
fn num(out: &mut String, n: i64, width: usize, pad: char, no_pad: bool) {
    if no_pad {
        let _ = write!(out, "{n}");
    } else if pad == '0' {
        let _ = write!(out, "{n:0width$}");
    } else {
        let _ = write!(out, "{n:>width$}");
    }
}

fn hour12(tm: &Tm) -> i64 {
    match tm.hour % 12 {
        0 => 12,
        h => i64::from(h),
    }
}

/// ISO 8601 week-based year and week number.
fn iso_week(tm: &Tm) -> (i64, i64) {
    let wday = i64::from((tm.wday + 6) % 7 + 1); // Monday 1 .. Sunday 7
    let yday = i64::from(tm.yday) + 1;
    let week = (yday - wday + 10) / 7;
    let weeks_in = |y: i64| {
        let p = |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
        if p(y) == 4 || p(y - 1) == 3 {
            53
        } else {
            52
        }
    };
    if week < 1 {
        (tm.year - 1, weeks_in(tm.year - 1))
    } else if week > weeks_in(tm.year) {
        (tm.year + 1, 1)
    } else {
        (tm.year, week)
    }
}

fn directive(d: char, no_pad: bool, tm: &Tm, out: &mut String) {
    let day_name = DAYS[(tm.wday % 7) as usize];
    let month_name = MONTHS[((tm.month + 11) % 12) as usize];
    match d {
        'a' => out.push_str(&day_name[..3]),
        'A' => out.push_str(day_name),
        'b' | 'h' => out.push_str(&month_name[..3]),
        'B' => out.push_str(month_name),
        'c' => {
            // The C locale's "%a %b %e %H:%M:%S %Y".
            for (i, d) in ['a', 'b', 'e', 'T', 'Y'].into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                directive(d, false, tm, out);
            }
        }
        'C' => num(out, tm.year.div_euclid(100), 2, '0', no_pad),
        'd' => num(out, i64::from(tm.day), 2, '0', no_pad),
        'D' | 'x' => {
            directive('m', false, tm, out);
            out.push('/');
            directive('d', false, tm, out);
            out.push('/');
            directive('y', false, tm, out);
        }
        'e' => num(out, i64::from(tm.day), 2, ' ', no_pad),
        'F' => {
            directive('Y', false, tm, out);
            out.push('-');
            directive('m', false, tm, out);
            out.push('-');
            directive('d', false, tm, out);
        }
        'g' => num(out, iso_week(tm).0.rem_euclid(100), 2, '0', no_pad),
        'G' => num(out, iso_week(tm).0, 1, '0', no_pad),
        'H' => num(out, i64::from(tm.hour), 2, '0', no_pad),
        'I' => num(out, hour12(tm), 2, '0', no_pad),
        'j' => num(out, i64::from(tm.yday) + 1, 3, '0', no_pad),
        'k' => num(out, i64::from(tm.hour), 2, ' ', no_pad),
        'l' => num(out, hour12(tm), 2, ' ', no_pad),
        'm' => num(out, i64::from(tm.month), 2, '0', no_pad),
        'M' => num(out, i64::from(tm.minute), 2, '0', no_pad),
        'p' => out.push_str(if tm.hour < 12 { "AM" } else { "PM" }),
        'P' => out.push_str(if tm.hour < 12 { "am" } else { "pm" }),
        'r' => {
            directive('I', false, tm, out);
            out.push(':');
            directive('M', false, tm, out);
            out.push(':');
            directive('S', false, tm, out);
            out.push(' ');
            directive('p', false, tm, out);
        }
        'R' => {
            directive('H', false, tm, out);
            out.push(':');
            directive('M', false, tm, out);
        }
        's' => num(out, tm.epoch_secs, 1, '0', no_pad),
        'S' => num(out, i64::from(tm.second), 2, '0', no_pad),
        'T' | 'X' => {
            directive('H', false, tm, out);
            out.push(':');
            directive('M', false, tm, out);
            out.push(':');
            directive('S', false, tm, out);
        }
        'u' => num(out, i64::from((tm.wday + 6) % 7 + 1), 1, '0', no_pad),
        'U' => num(out, (i64::from(tm.yday) + 7 - i64::from(tm.wday)) / 7, 2, '0', no_pad),
        'V' => num(out, iso_week(tm).1, 2, '0', no_pad),
        'w' => num(out, i64::from(tm.wday), 1, '0', no_pad),
        'W' => num(out, (i64::from(tm.yday) + 7 - i64::from((tm.wday + 6) % 7)) / 7, 2, '0', no_pad),
        'y' => num(out, tm.year.rem_euclid(100), 2, '0', no_pad),
        'Y' => num(out, tm.year, 1, '0', no_pad),
        'z' => {
            let off = tm.offset_min;
            let _ =
                write!(out, "{}{:02}{:02}", if off < 0 { '-' } else { '+' }, off.abs() / 60, off.abs() % 60);
        }
        'Z' => {
            // Without a zone database the name is the offset; natively always UTC.
            let off = tm.offset_min;
            if off == 0 {
                out.push_str("UTC");
            } else {
                let _ = write!(
                    out,
                    "UTC{}{:02}:{:02}",
                    if off < 0 { '-' } else { '+' },
                    off.abs() / 60,
                    off.abs() % 60
                );
            }
        }
        _ => {}
    }
}

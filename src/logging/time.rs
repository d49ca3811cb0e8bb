//! Calendar arithmetic for `asctime`: seconds since 1970 to a local date and time, by hand
//! (Howard Hinnant's days-from-civil algorithms), no date library.
//!
//! Local time: in the browser, the host's offset from UTC for that instant (from
//! `Date.prototype.getTimezoneOffset`, so summer time is followed); natively, **UTC**
//! (native builds are tests and benchmarks, where a fixed zone keeps output reproducible).

/// A broken-down local time, as C's `struct tm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tm {
    pub(crate) year: i64,
    /// 1..=12
    pub(crate) month: u32,
    /// 1..=31
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    /// 0 = Sunday
    pub(crate) wday: u32,
    /// 0-based day of the year
    pub(crate) yday: u32,
    /// Minutes east of UTC.
    pub(crate) offset_min: i32,
    /// Seconds since 1970 (UTC), for `%s`.
    pub(crate) epoch_secs: i64,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01: `(year, month, day)`.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The broken-down time of `epoch_secs` with an offset of `offset_min` minutes east of UTC.
pub(crate) fn tm_at(epoch_secs: i64, offset_min: i32) -> Tm {
    let local = epoch_secs.saturating_add(i64::from(offset_min) * 60);
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400) as u32;
    let (year, month, day) = civil_from_days(days);
    Tm {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        wday: (days + 4).rem_euclid(7) as u32, // 1970-01-01 was a Thursday
        yday: (days - days_from_civil(year, 1, 1)) as u32,
        offset_min,
        epoch_secs,
    }
}

/// The local time of `epoch_secs` (Python's `time.localtime`, the formatter's converter).
pub(crate) fn local_time(epoch_secs: i64) -> Tm {
    tm_at(epoch_secs, utc_offset_minutes(epoch_secs))
}

/// Minutes east of UTC at that instant: 0 natively.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn utc_offset_minutes(_epoch_secs: i64) -> i32 {
    0
}

/// Minutes east of UTC at that instant, from the browser (cached per quarter hour: zones
/// change offset on quarter hours at the finest).
#[cfg(target_arch = "wasm32")]
pub(crate) fn utc_offset_minutes(epoch_secs: i64) -> i32 {
    use std::cell::Cell;
    thread_local! {
        static CACHE: Cell<Option<(i64, i32)>> = const { Cell::new(None) };
    }
    let key = epoch_secs.div_euclid(900);
    if let Ok(Some((k, offset))) = CACHE.try_with(Cell::get) {
        if k == key {
            return offset;
        }
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(epoch_secs as f64 * 1000.0));
    // getTimezoneOffset is UTC minus local time, in minutes.
    let offset = -(date.get_timezone_offset() as i32);
    let _ = CACHE.try_with(|c| c.set(Some((key, offset))));
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_over_eight_centuries() {
        let start = days_from_civil(1600, 1, 1);
        let mut expected = (1600, 1, 1);
        for days in start..days_from_civil(2400, 1, 1) {
            let date = civil_from_days(days);
            assert_eq!(date, expected, "day {days}");
            assert_eq!(days_from_civil(date.0, date.1, date.2), days);
            let (y, m, d) = expected;
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
            let month_len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            expected = if d < month_len {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn offsets_shift_the_local_time() {
        let tm = tm_at(0, 90);
        assert_eq!((tm.year, tm.month, tm.day, tm.hour, tm.minute), (1970, 1, 1, 1, 30));
        let tm = tm_at(0, -60);
        assert_eq!((tm.year, tm.month, tm.day, tm.hour, tm.wday, tm.yday), (1969, 12, 31, 23, 3, 364));
        let far = tm_at(i64::MAX, 60);
        assert!(far.year > 1970);
    }
}

//! Dates and clock times as status pages print them for people ("Sep 3, 14:49 UTC", "Jun 5, 01:40:38 GMT+0", "3:23pm PST").

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// What one printed date says; `None` fields were not printed.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parts {
    month: Option<u32>,
    day: Option<u32>,
    year: Option<i32>,
    clock: Option<NaiveTime>,
    /// Seconds east of UTC; UTC when no zone is printed.
    offset: i32,
}

/// A printed date with month, day and clock time, e.g. "Sep 3, 14:49 UTC",
/// "Dec 31, 2025 - 23:10 PST" or "Jun 5, 01:40:38 GMT+0". Pages often leave the year out:
/// it is then taken from `reference`, the entry's own published or updated time.
pub(crate) fn printed_date(text: &str, reference: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    let p = parts(text)?;
    let (month, day, clock) = (p.month?, p.day?, p.clock?);
    let offset = FixedOffset::east_opt(p.offset)?;
    let at = |y: i32| -> Option<DateTime<Utc>> {
        let date = NaiveDate::from_ymd_opt(y, month, day)?;
        offset
            .from_local_datetime(&date.and_time(clock))
            .single()
            .map(|t| t.with_timezone(&Utc))
    };
    match (p.year, reference) {
        (Some(y), _) => at(y),
        // The year that puts it nearest the entry's own date: an update from late December
        // inside an entry dated January is from the year before, and the other way round.
        (None, Some(r)) => [r.year() - 1, r.year(), r.year() + 1]
            .into_iter()
            .filter_map(at)
            .min_by_key(|t| (*t - r).abs()),
        (None, None) => None,
    }
}

/// A clock time printed without a date, e.g. "3:23pm PST", and its zone.
pub(crate) fn printed_clock(text: &str) -> Option<(NaiveTime, FixedOffset)> {
    let p = parts(text)?;
    if p.month.is_some() || p.day.is_some() {
        return None;
    }
    Some((p.clock?, FixedOffset::east_opt(p.offset)?))
}

/// Dates for clock times printed oldest first without a date: each is put on the day of
/// `start` (in the clock's own zone) or, when the clock goes back, on the next day.
pub(crate) fn clocks_from(
    clocks: &[Option<(NaiveTime, FixedOffset)>],
    start: DateTime<Utc>,
) -> Vec<Option<DateTime<Utc>>> {
    let mut day_of: Option<NaiveDate> = None;
    let mut last: Option<DateTime<Utc>> = None;
    clocks
        .iter()
        .map(|c| {
            let (clock, zone) = (*c)?;
            let mut day = day_of.unwrap_or_else(|| start.with_timezone(&zone).date_naive());
            let mut at = zone
                .from_local_datetime(&day.and_time(clock))
                .single()?
                .with_timezone(&Utc);
            if last.is_some_and(|l| at < l) {
                day = day.succ_opt()?;
                at = zone
                    .from_local_datetime(&day.and_time(clock))
                    .single()?
                    .with_timezone(&Utc);
            }
            day_of = Some(day);
            last = Some(at);
            Some(at)
        })
        .collect()
}

/// Splits a printed date into what it says. `None` when it names a zone we do not know:
/// a time read in the wrong zone would be hours off.
fn parts(text: &str) -> Option<Parts> {
    let mut p = Parts::default();
    let mut pm: Option<bool> = None;
    let mut zone: Option<i32> = None;
    for raw in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|t| t.trim_matches(|c| c == '(' || c == ')'))
        .filter(|t| !t.is_empty() && *t != "-" && *t != "\u{2013}")
    {
        let lower = raw.to_ascii_lowercase();
        let starts_digit = raw.starts_with(|c: char| c.is_ascii_digit());
        if p.clock.is_some() && (raw.starts_with(['+', '-']) || !starts_digit) {
            if let Some(half) = meridiem(&lower) {
                pm = Some(half);
                continue;
            }
            // A numeric offset after a named zone ("GMT +2") adds to it.
            let z = zone_offset(raw).or_else(|| {
                tracing::debug!(zone = raw, "unknown time zone in a printed date");
                None
            })?;
            zone = Some(zone.unwrap_or(0) + z);
        } else if starts_digit && (raw.contains(':') || meridiem_suffix(&lower).is_some()) {
            if p.clock.is_none() {
                let (clock, half) = clock_of(&lower)?;
                p.clock = Some(clock);
                pm = pm.or(half);
            }
        } else if raw.chars().all(|c| c.is_ascii_digit()) {
            match (raw.len(), p.day) {
                (4, _) => p.year = raw.parse::<i32>().ok(),
                (1 | 2, None) => p.day = raw.parse::<u32>().ok(),
                _ => {}
            }
        } else if let Some(half) = meridiem(&lower) {
            pm = Some(half);
        } else if p.month.is_none() {
            // Weekday names and other words before the clock are not months: skipped.
            p.month = month_number(&lower);
        }
    }
    if let (Some(pm), Some(clock)) = (pm, p.clock) {
        if clock.hour() > 12 {
            return None;
        }
        p.clock = clock.with_hour(clock.hour() % 12 + if pm { 12 } else { 0 });
    }
    p.offset = zone.unwrap_or(0);
    Some(p)
}

fn meridiem(lower: &str) -> Option<bool> {
    match lower.trim_end_matches('.') {
        "am" | "a.m" => Some(false),
        "pm" | "p.m" => Some(true),
        _ => None,
    }
}

/// "3:23pm" → ("3:23", pm).
fn meridiem_suffix(lower: &str) -> Option<(&str, bool)> {
    for (suffix, pm) in [("am", false), ("pm", true), ("a.m.", false), ("p.m.", true)] {
        if let Some(clock) = lower.strip_suffix(suffix) {
            return Some((clock, pm));
        }
    }
    None
}

/// "14:49", "01:40:38", "3:23pm", "3pm".
fn clock_of(lower: &str) -> Option<(NaiveTime, Option<bool>)> {
    let (digits, half) = match meridiem_suffix(lower) {
        Some((clock, pm)) => (clock, Some(pm)),
        None => (lower, None),
    };
    let clock = if digits.contains(':') {
        NaiveTime::parse_from_str(digits, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(digits, "%H:%M:%S"))
            .ok()?
    } else {
        NaiveTime::from_hms_opt(digits.parse().ok()?, 0, 0)?
    };
    Some((clock, half))
}

fn month_number(lower: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if !lower.chars().all(|c| c.is_ascii_alphabetic() || c == '.') {
        return None;
    }
    let head: String = lower.chars().take(3).collect();
    MONTHS
        .iter()
        .position(|m| *m == head)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Seconds east of UTC for a zone as pages print it: an abbreviation (`PST`, `CEST`), or
/// `GMT`/`UTC`/`UT` with an offset (`GMT+0`, `GMT-5`, `UTC+05:30`, `UTC+0530`), or a bare
/// offset (`+01:00`, `-0700`). `CST` is read as US Central (Statuspage's customers are
/// mostly American); `IST` as India.
fn zone_offset(raw: &str) -> Option<i32> {
    let upper = raw.trim_end_matches('.').to_ascii_uppercase();
    let minutes = match upper.as_str() {
        "UTC" | "GMT" | "Z" | "UT" | "WET" | "GMT+0" | "UTC+0" | "GMT-0" | "UTC-0" => 0,
        "BST" | "CET" | "WEST" | "MEZ" => 60,
        "CEST" | "EET" | "SAST" | "MESZ" => 120,
        "EEST" | "MSK" | "TRT" => 180,
        "GST" => 240,
        "PKT" => 300,
        "IST" => 330,
        "ICT" | "WIB" => 420,
        "SGT" | "HKT" | "AWST" | "PHT" => 480,
        "JST" | "KST" => 540,
        "ACST" => 570,
        "AEST" => 600,
        "ACDT" => 630,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        "HST" => -600,
        "AKST" => -540,
        "AKDT" | "PST" => -480,
        "PDT" | "MST" => -420,
        "MDT" | "CST" => -360,
        "CDT" | "EST" => -300,
        "EDT" => -240,
        "BRT" => -180,
        _ => {
            let rest = ["GMT", "UTC", "UT", ""]
                .iter()
                .find_map(|p| upper.strip_prefix(p).filter(|r| r.starts_with(['+', '-'])))?;
            return numeric_offset(rest);
        }
    };
    Some(minutes * 60)
}

/// `+5`, `-05`, `+0530`, `+05:30`, `-7:00` → seconds east of UTC.
fn numeric_offset(signed: &str) -> Option<i32> {
    let (sign, rest) = match signed.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit() || c == ':') {
        return None;
    }
    let (hours, minutes): (i32, i32) = match rest.split_once(':') {
        Some((h, m)) if (1..=2).contains(&h.len()) && m.len() == 2 => {
            (h.parse().ok()?, m.parse().ok()?)
        }
        Some(_) => return None,
        None if rest.len() <= 2 => (rest.parse().ok()?, 0),
        None if rest.len() <= 4 => {
            let (h, m) = rest.split_at(rest.len() - 2);
            (h.parse().ok()?, m.parse().ok()?)
        }
        None => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        Some(
            DateTime::parse_from_rfc3339(s)
                .expect("test time")
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn zones_in_every_spelling_feeds_use() {
        for (zone, seconds) in [
            ("GMT+0", 0),
            ("GMT", 0),
            ("UTC", 0),
            ("utc", 0),
            ("Z", 0),
            ("GMT+2", 7200),
            ("GMT-5", -18000),
            ("UTC+05:30", 19800),
            ("UTC+0530", 19800),
            ("UTC-3", -10800),
            ("+01:00", 3600),
            ("-0700", -25200),
            ("PST", -28800),
            ("CEST", 7200),
            ("IST", 19800),
        ] {
            assert_eq!(zone_offset(zone), Some(seconds), "{zone}");
        }
        for bad in ["GMT+99", "UTC+5:3", "XYZ", "GMT+", "+", "UTC+1a", "+123456"] {
            assert_eq!(zone_offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn instatus_dates_with_gmt_offsets() {
        let entry = utc("2025-06-05T01:41:00Z");
        assert_eq!(
            printed_date("Jun 5, 01:40:38 GMT+0", entry),
            utc("2025-06-05T01:40:38Z")
        );
        assert_eq!(
            printed_date("Jun 5, 03:40:38 GMT+2", entry),
            utc("2025-06-05T01:40:38Z")
        );
        assert_eq!(
            printed_date("Jun 4, 20:40 UTC-05:00", entry),
            utc("2025-06-05T01:40:00Z")
        );
        assert_eq!(
            printed_date("Jun 5, 07:10 (UTC+05:30)", entry),
            utc("2025-06-05T01:40:00Z")
        );
    }

    #[test]
    fn statuspage_dates_and_the_missing_year() {
        let jan = utc("2026-01-01T08:20:00Z");
        assert_eq!(
            printed_date("Dec 31, 23:10 PST", jan),
            utc("2026-01-01T07:10:00Z"),
            "late December in a January entry is the year before"
        );
        assert_eq!(
            printed_date("Dec 30, 2025 - 11:00 PST", None),
            utc("2025-12-30T19:00:00Z")
        );
        assert_eq!(
            printed_date("Sep 3, 2:49 pm UTC", utc("2026-09-03T15:00:00Z")),
            utc("2026-09-03T14:49:00Z")
        );
        assert_eq!(
            printed_date("Jan 2, 09:30 PST", utc("2025-12-30T19:00:00Z")),
            utc("2026-01-02T17:30:00Z"),
            "early January in an entry first published in December is the year after"
        );
        assert_eq!(
            printed_date("Jun 5, 01:40:38 GMT+0", utc("2025-06-01T09:00:00Z")),
            utc("2025-06-05T01:40:38Z"),
            "days after the entry's first date stay in its year"
        );
        assert_eq!(
            printed_date("Sep 3, 14:49 UTC", None),
            None,
            "no year anywhere"
        );
        assert_eq!(
            printed_date("Sep 3, 14:49 Mars/Olympus", jan),
            None,
            "an unknown zone is no time rather than a wrong one"
        );
        assert_eq!(printed_date("sometime soon", jan), None);
        assert_eq!(printed_date("Feb 30, 10:00 UTC", jan), None);
        assert_eq!(printed_date("Sep 3, 25:00 UTC", jan), None);
    }

    #[test]
    fn clocks_without_a_date() {
        let pst = FixedOffset::west_opt(8 * 3600);
        let (clock, zone) = printed_clock("3:23pm PST").expect("a clock");
        assert_eq!(clock, NaiveTime::from_hms_opt(15, 23, 0).expect("time"));
        assert_eq!(Some(zone), pst);
        assert_eq!(
            printed_clock("12:05am UTC").map(|c| c.0),
            NaiveTime::from_hms_opt(0, 5, 0)
        );
        assert_eq!(printed_clock("Jun 5, 01:40 UTC"), None, "that is a date");
        assert_eq!(printed_clock("no time"), None);
        assert_eq!(printed_clock("13:00pm PST"), None);

        // Oldest first across midnight and over days, anchored on the entry's start.
        let clocks: Vec<_> = ["3:23pm PST", "10:55pm PST", "8:55am PST", "?", "9:34am PST"]
            .into_iter()
            .map(printed_clock)
            .collect();
        let at = clocks_from(&clocks, utc("2025-12-08T23:23:58Z").expect("start"));
        assert_eq!(
            at,
            vec![
                utc("2025-12-08T23:23:00Z"),
                utc("2025-12-09T06:55:00Z"),
                utc("2025-12-09T16:55:00Z"),
                None,
                utc("2025-12-09T17:34:00Z"),
            ]
        );
    }
}

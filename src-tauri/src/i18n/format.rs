//! Durations, relative times, dates, clock times and percentages written the catalog's way.
//!
//! The rules (which units, when a relative time becomes a date) are the same in every
//! language; the words, the order and the spaces come from the message file. Pure: the
//! clock and the time zone are parameters.

use super::Catalog;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// Past this, "3 days ago" becomes "on 16 June 2020".
const DATE_AFTER_DAYS: i64 = 7;

impl Catalog {
    /// Compact: "59 s", "12 min", "1 h", "1 h 12 min", "2 d", "2 d 3 h". Seconds only
    /// under a minute, minutes only under a day; rounded down; negative reads as 0 s.
    pub fn duration(&self, d: chrono::Duration) -> String {
        let secs = d.num_seconds().max(0);
        let (mins, hours, days) = (secs / 60, secs / 3600, secs / 86_400);
        if mins == 0 {
            self.t("duration-seconds", &[("s", secs.into())])
        } else if hours == 0 {
            self.t("duration-minutes", &[("m", mins.into())])
        } else if days == 0 {
            match mins % 60 {
                0 => self.t("duration-hours", &[("h", hours.into())]),
                m => self.t(
                    "duration-hours-minutes",
                    &[("h", hours.into()), ("m", m.into())],
                ),
            }
        } else {
            match hours % 24 {
                0 => self.t("duration-days", &[("d", days.into())]),
                h => self.t(
                    "duration-days-hours",
                    &[("d", days.into()), ("h", h.into())],
                ),
            }
        }
    }

    /// When something happened, seen from `now`: "just now", "3 min ago", "1 h 12 min ago",
    /// "2 days ago", and past a week its date in `zone`: "on 16 June 2020".
    pub fn ago(&self, then: DateTime<Utc>, now: DateTime<Utc>, zone: FixedOffset) -> String {
        let elapsed = (now - then).max(chrono::Duration::zero());
        if elapsed < chrono::Duration::minutes(1) {
            self.t("time-just-now", &[])
        } else if elapsed < chrono::Duration::days(1) {
            self.t("time-ago", &[("duration", self.duration(elapsed).into())])
        } else if elapsed < chrono::Duration::days(DATE_AFTER_DAYS) {
            self.t("time-days-ago", &[("days", elapsed.num_days().into())])
        } else {
            let date = self.date(then.with_timezone(&zone).date_naive());
            self.t("time-on-date", &[("date", date.into())])
        }
    }

    /// How long something has been going on: "for 59 s", "for 19 h 2 min",
    /// "for 2 d 3 h", and past a week since its date in `zone`: "since 16 June 2020".
    pub fn since(&self, start: DateTime<Utc>, now: DateTime<Utc>, zone: FixedOffset) -> String {
        let elapsed = (now - start).max(chrono::Duration::zero());
        if elapsed < chrono::Duration::days(DATE_AFTER_DAYS) {
            self.t("time-for", &[("duration", self.duration(elapsed).into())])
        } else {
            let date = self.date(start.with_timezone(&zone).date_naive());
            self.t("time-since-date", &[("date", date.into())])
        }
    }

    /// "16 June 2020", "1er juin 2020".
    pub fn date(&self, d: NaiveDate) -> String {
        let month = self.t("month", &[("month", d.month().into())]);
        self.t(
            "date",
            &[
                ("day", d.day().into()),
                ("month", month.into()),
                ("year", d.year().into()),
            ],
        )
    }

    /// The clock, 24-hour in both English and French: "08:05".
    pub fn clock(&self, t: NaiveTime) -> String {
        self.t(
            "clock",
            &[
                ("hh", format!("{:02}", t.hour()).into()),
                ("mm", format!("{:02}", t.minute()).into()),
            ],
        )
    }

    /// A time within the coming week: "Thu 08:00", "jeudi 08:00".
    pub fn weekday_time(&self, at: NaiveDateTime) -> String {
        let weekday = self.t(
            "weekday",
            &[("weekday", at.weekday().number_from_monday().into())],
        );
        self.t(
            "weekday-time",
            &[
                ("weekday", weekday.into()),
                ("time", self.clock(at.time()).into()),
            ],
        )
    }

    /// "16 June 2020, 14:05", "16 juin 2020 à 14:05".
    pub fn date_time(&self, at: NaiveDateTime) -> String {
        self.t(
            "date-time",
            &[
                ("date", self.date(at.date()).into()),
                ("time", self.clock(at.time()).into()),
            ],
        )
    }

    /// "99.95 %", "99,95 %", with `decimals` digits after the mark.
    pub fn percent(&self, value: f64, decimals: usize) -> String {
        let written = format!("{value:.decimals$}");
        let mark = self.t("decimal-mark", &[]);
        let value = if mark == "." {
            written
        } else {
            written.replace('.', &mark)
        };
        self.t("percent", &[("value", value.into())])
    }
}

//! How late a vendor's page admits outages: the delay from our first sign to its first word, summarized and graded A–F.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// What a sign the page never acknowledged counts as in the grade: four hours, as the
/// best-known grading of status pages counts it.
pub const NEVER_SECS: i64 = 240 * 60;
/// Fewer events than this make no grade: one slow night is not a vendor's habit.
pub const MIN_EVENTS: usize = 3;

/// A letter for the mean delay (never-acknowledged signs counted as [`NEVER_SECS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Grade {
    /// A ≤ 15 min, B ≤ 30, C ≤ 60, D ≤ 120, E ≤ 240, F above.
    pub fn of_mean(secs: i64) -> Grade {
        match secs {
            s if s <= 15 * 60 => Grade::A,
            s if s <= 30 * 60 => Grade::B,
            s if s <= 60 * 60 => Grade::C,
            s if s <= 120 * 60 => Grade::D,
            s if s <= 240 * 60 => Grade::E,
            _ => Grade::F,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::E => "E",
            Grade::F => "F",
        }
    }
}

/// What gave us the first sign of an outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sign {
    /// The service's own probes suspected it.
    Probe,
    /// One of the page's components broke before the page posted an incident.
    Component,
}

/// One outage the page acknowledged after we had a sign of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledged {
    pub sign: Sign,
    /// When the sign began.
    pub since: DateTime<Utc>,
    /// The page's first word.
    pub acknowledged_at: DateTime<Utc>,
    pub delay_secs: i64,
}

impl Acknowledged {
    pub fn new(sign: Sign, since: DateTime<Utc>, acknowledged_at: DateTime<Utc>) -> Self {
        Acknowledged {
            sign,
            since,
            acknowledged_at,
            delay_secs: (acknowledged_at - since).num_seconds().max(0),
        }
    }
}

/// The acknowledgment record over the last `days` days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AckWindow {
    pub days: u32,
    /// Outages the page acknowledged after our sign.
    pub acknowledged: usize,
    /// Suspicions that ended with nothing on the page.
    pub never_acknowledged: usize,
    /// `never_acknowledged` over all events; `None` with no events.
    pub never_share: Option<f64>,
    /// Of the acknowledged delays.
    pub median_secs: Option<i64>,
    pub mean_secs: Option<i64>,
    /// `None`: fewer than [`MIN_EVENTS`] events, not enough to say.
    pub grade: Option<Grade>,
}

/// Summarizes the acknowledgments and never-acknowledged suspicions (by start) of the last
/// `days` days before `now`. The grade takes the mean with each never-acknowledged one as
/// [`NEVER_SECS`]; a page that acknowledged none of at least [`MIN_EVENTS`] is an F.
pub fn window(
    acknowledged: &[Acknowledged],
    never: &[DateTime<Utc>],
    now: DateTime<Utc>,
    days: u32,
) -> AckWindow {
    let from = now - Duration::days(i64::from(days));
    let mut delays: Vec<i64> = acknowledged
        .iter()
        .filter(|a| a.since >= from && a.since <= now)
        .map(|a| a.delay_secs)
        .collect();
    delays.sort_unstable();
    let never = never
        .iter()
        .filter(|at| **at >= from && **at <= now)
        .count();
    let n = delays.len();
    let events = n + never;
    let median_secs = match n {
        0 => None,
        _ if n % 2 == 1 => Some(delays[n / 2]),
        _ => Some((delays[n / 2 - 1] + delays[n / 2]) / 2),
    };
    let sum: i64 = delays.iter().sum();
    let mean_secs = (n > 0).then(|| sum / n as i64);
    let grade = if events < MIN_EVENTS {
        None
    } else if n == 0 {
        Some(Grade::F)
    } else {
        let with_never = sum + never as i64 * NEVER_SECS;
        Some(Grade::of_mean(with_never / events as i64))
    };
    AckWindow {
        days,
        acknowledged: n,
        never_acknowledged: never,
        never_share: (events > 0).then(|| never as f64 / events as f64),
        median_secs,
        mean_secs,
        grade,
    }
}

/// A service's acknowledgment record: each window, and each acknowledgment of the longest
/// one (for the window's chart of delay per incident over time), oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AckRecord {
    pub windows: Vec<AckWindow>,
    pub points: Vec<Acknowledged>,
}

impl AckRecord {
    /// Over `days_each` (7, 30 and 90 in the window), the points over the longest.
    pub fn of(
        acknowledged: &[Acknowledged],
        never: &[DateTime<Utc>],
        now: DateTime<Utc>,
        days_each: &[u32],
    ) -> Self {
        let longest = days_each.iter().copied().max().unwrap_or(0);
        let from = now - Duration::days(i64::from(longest));
        let mut points: Vec<Acknowledged> = acknowledged
            .iter()
            .filter(|a| a.since >= from && a.since <= now)
            .cloned()
            .collect();
        points.sort_by_key(|a| a.since);
        AckRecord {
            windows: days_each
                .iter()
                .map(|&d| window(acknowledged, never, now, d))
                .collect(),
            points,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::t;

    fn acks(delays_min: &[i64]) -> Vec<Acknowledged> {
        delays_min
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let since = t(i as i64 * 600);
                Acknowledged::new(Sign::Probe, since, since + Duration::minutes(*d))
            })
            .collect()
    }

    /// (delays in minutes, never-acknowledged, grade, median, mean)
    type Case = (
        &'static [i64],
        usize,
        Option<Grade>,
        Option<i64>,
        Option<i64>,
    );

    #[test]
    fn grades_from_a_table_of_delays() {
        let now = t(100_000);
        let never = |n: usize| vec![t(50); n];
        let table: &[Case] = &[
            (&[], 0, None, None, None),
            (&[5, 10], 0, None, Some(7 * 60 + 30), Some(7 * 60 + 30)),
            (&[5, 10, 15], 0, Some(Grade::A), Some(600), Some(600)),
            (&[5, 10, 16], 0, Some(Grade::A), Some(600), Some(620)),
            (&[15, 15, 15], 0, Some(Grade::A), Some(900), Some(900)),
            (&[16, 16, 16], 0, Some(Grade::B), Some(960), Some(960)),
            (&[30, 30, 30], 0, Some(Grade::B), Some(1800), Some(1800)),
            (&[31, 31, 31], 0, Some(Grade::C), Some(1860), Some(1860)),
            (&[60, 60, 61], 0, Some(Grade::D), Some(3600), Some(3620)),
            (&[120, 120, 120], 0, Some(Grade::D), Some(7200), Some(7200)),
            (
                &[200, 240, 240],
                0,
                Some(Grade::E),
                Some(14400),
                Some(13600),
            ),
            (
                &[300, 300, 300],
                0,
                Some(Grade::F),
                Some(18000),
                Some(18000),
            ),
            // Never acknowledged counts as 240 min: (10 + 10 + 240) / 3 = 86.7 → D.
            (&[10, 10], 1, Some(Grade::D), Some(600), Some(600)),
            // Enough events only with the never-acknowledged one.
            (&[0, 0], 1, Some(Grade::D), Some(0), Some(0)),
            // (0·9 + 240) / 10 = 24 → B.
            (
                &[0, 0, 0, 0, 0, 0, 0, 0, 0],
                1,
                Some(Grade::B),
                Some(0),
                Some(0),
            ),
            // Nothing ever acknowledged.
            (&[], 3, Some(Grade::F), None, None),
            (&[], 2, None, None, None),
        ];
        for (delays, n_never, grade, median, mean) in table {
            let w = window(&acks(delays), &never(*n_never), now, 90);
            assert_eq!(
                (w.grade, w.median_secs, w.mean_secs),
                (*grade, *median, *mean),
                "{delays:?} + {n_never} never"
            );
            assert_eq!(w.acknowledged, delays.len());
            assert_eq!(w.never_acknowledged, *n_never);
        }
    }

    #[test]
    fn windows_count_by_the_sign_s_start() {
        let now = t(90 * 24 * 60);
        let day = |d: i64| now - Duration::days(d);
        let a = |d: i64, delay: i64| {
            Acknowledged::new(Sign::Component, day(d), day(d) + Duration::minutes(delay))
        };
        let list = [a(1, 10), a(10, 20), a(60, 30), a(100, 40)];
        let never = [day(2), day(45)];
        let r = AckRecord::of(&list, &never, now, &[7, 30, 90]);
        let got: Vec<(u32, usize, usize)> = r
            .windows
            .iter()
            .map(|w| (w.days, w.acknowledged, w.never_acknowledged))
            .collect();
        assert_eq!(got, [(7, 1, 1), (30, 2, 1), (90, 3, 2)]);
        assert_eq!(r.windows[2].never_share, Some(0.4));
        let points: Vec<i64> = r.points.iter().map(|p| p.delay_secs).collect();
        assert_eq!(points, [1800, 1200, 600], "the 90 days', oldest first");
        assert_eq!(
            Acknowledged::new(Sign::Probe, day(1), day(2)).delay_secs,
            0,
            "never negative"
        );
    }
}

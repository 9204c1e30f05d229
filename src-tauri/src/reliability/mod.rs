//! Reliability figures from a service's incident spans: availability windows, MTTR, longest outage and a 90-day strip.

pub mod ack;

use crate::model::Impact;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

/// The availability windows reported, in this order.
pub const WINDOW_DAYS: [u32; 3] = [7, 30, 90];
/// Days in the strip, and how far back MTTR and the longest outage look.
pub const STRIP_DAYS: u32 = 90;

/// One incident's time on the page; `resolved_at: None` means it is still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub started_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub impact: Impact,
}

/// Availability over the last `days` days.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    pub days: u32,
    pub incidents: usize,
    pub impacted_secs: i64,
    pub availability_pct: f64,
}

/// One UTC day of the strip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayCell {
    /// "YYYY-MM-DD", UTC.
    pub date: String,
    pub worst: Option<Impact>,
    pub impacted_secs: i64,
    pub incidents: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reliability {
    /// 7, 30 and 90 days, in that order.
    pub windows: Vec<Window>,
    pub mttr_secs: Option<i64>,
    pub longest_secs: Option<i64>,
    /// Exactly 90, oldest first; the last is today's.
    pub days: Vec<DayCell>,
    pub open: usize,
    /// The oldest start known: windows reaching further back than this are not evidence.
    pub history_since: Option<DateTime<Utc>>,
    /// Early warning over the strip's 90 days.
    pub detection: Detection,
    /// How late the page acknowledges outages we had a sign of, over 7, 30 and 90 days.
    pub acknowledgment: ack::AckRecord,
}

/// How early warning did for a service: outages it suspected before the page said them,
/// by how much, and suspicions the page never confirmed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Detection {
    /// Suspicions the page then confirmed.
    pub confirmed: usize,
    /// The median of their leads (seconds before the page's acknowledgment).
    pub median_lead_secs: Option<i64>,
    /// Suspicions cleared with nothing on the page: unconfirmed blips.
    pub blips: usize,
}

impl Detection {
    pub fn of(leads: &[i64], blips: usize) -> Self {
        let mut sorted = leads.to_vec();
        sorted.sort_unstable();
        let n = sorted.len();
        let median_lead_secs = match n {
            0 => None,
            _ if n % 2 == 1 => Some(sorted[n / 2]),
            _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2),
        };
        Detection {
            confirmed: n,
            median_lead_secs,
            blips,
        }
    }
}

/// A span with its end settled: open ones end at `now`, backwards ones have no length.
#[derive(Debug, Clone, Copy)]
struct Settled {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    impact: Impact,
    resolved: bool,
}

impl Settled {
    fn of(span: &Span, now: DateTime<Utc>) -> Self {
        let end = span.resolved_at.unwrap_or(now);
        Settled {
            start: span.started_at,
            end: end.max(span.started_at),
            impact: span.impact,
            resolved: span.resolved_at.is_some(),
        }
    }

    fn length(&self) -> Duration {
        self.end - self.start
    }

    /// Zero-length spans (bad or instant data) still count where their instant falls,
    /// boundaries included, so they are never silently lost.
    fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        if self.start == self.end {
            from <= self.start && self.start <= to
        } else {
            self.start < to && self.end > from
        }
    }
}

/// Computes every figure the window shows for one service.
///
/// Only incidents of minor impact or worse count, everywhere (incidents, impacted time,
/// MTTR, longest, open): providers post `none`-impact incidents as notices, and
/// maintenance is planned, not unreliability. `history_since` considers every span.
pub fn compute(spans: &[Span], now: DateTime<Utc>) -> Reliability {
    let history_since = spans.iter().map(|s| s.started_at).min();
    let counted: Vec<Settled> = spans
        .iter()
        .filter(|s| s.impact >= Impact::Minor)
        .map(|s| Settled::of(s, now))
        .collect();

    let windows = WINDOW_DAYS
        .iter()
        .map(|&days| {
            let from = now - Duration::days(i64::from(days));
            let impacted_secs = union_secs(&counted, from, now);
            let length_secs = i64::from(days) * 86_400;
            Window {
                days,
                incidents: counted.iter().filter(|s| s.overlaps(from, now)).count(),
                impacted_secs,
                availability_pct: round3(100.0 * (1.0 - impacted_secs as f64 / length_secs as f64)),
            }
        })
        .collect();

    let horizon = now - Duration::days(i64::from(STRIP_DAYS));
    let durations: Vec<i64> = counted
        .iter()
        .filter(|s| s.resolved && s.start >= horizon)
        .map(|s| s.length().num_seconds())
        .collect();
    let mttr_secs = mean(&durations);
    // An outage still running since before the horizon is the longest one "in the last
    // 90 days" too, so overlap (not start) decides, and its full length counts.
    let longest_secs = counted
        .iter()
        .filter(|s| s.overlaps(horizon, now))
        .map(|s| s.length().num_seconds())
        .max();

    Reliability {
        windows,
        mttr_secs,
        longest_secs,
        days: day_cells(&counted, now),
        open: counted.iter().filter(|s| !s.resolved).count(),
        history_since,
        detection: Detection::default(),
        acknowledgment: ack::AckRecord::default(),
    }
}

/// Incidents of each impact, minor or worse.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByImpact {
    pub minor: usize,
    pub major: usize,
    pub critical: usize,
}

/// A service's figures over the last `days` days, for the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    pub days: u32,
    pub uptime_pct: f64,
    pub incidents: usize,
    pub by_impact: ByImpact,
    pub impacted_secs: i64,
    /// Mean time to resolve the incidents that began and ended in the period.
    pub mttr_secs: Option<i64>,
    /// The longest incident touching the period, at its full length.
    pub longest_secs: Option<i64>,
}

/// Figures over any number of days, with the rules of [`compute`]: only incidents of minor
/// impact or worse count, overlapping time counts once.
pub fn period(spans: &[Span], now: DateTime<Utc>, days: u32) -> Period {
    let counted: Vec<Settled> = spans
        .iter()
        .filter(|s| s.impact >= Impact::Minor)
        .map(|s| Settled::of(s, now))
        .collect();
    let from = now - Duration::days(i64::from(days));
    let touching: Vec<&Settled> = counted.iter().filter(|s| s.overlaps(from, now)).collect();
    let impacted_secs = union_secs(&counted, from, now);
    let length_secs = (i64::from(days) * 86_400).max(1);
    let mut by_impact = ByImpact::default();
    for s in &touching {
        match s.impact {
            Impact::Critical => by_impact.critical += 1,
            Impact::Major => by_impact.major += 1,
            _ => by_impact.minor += 1,
        }
    }
    let durations: Vec<i64> = touching
        .iter()
        .filter(|s| s.resolved && s.start >= from)
        .map(|s| s.length().num_seconds())
        .collect();
    Period {
        days,
        uptime_pct: round3(100.0 * (1.0 - impacted_secs as f64 / length_secs as f64)),
        incidents: touching.len(),
        by_impact,
        impacted_secs,
        mttr_secs: mean(&durations),
        longest_secs: touching.iter().map(|s| s.length().num_seconds()).max(),
    }
}

fn day_cells(spans: &[Settled], now: DateTime<Utc>) -> Vec<DayCell> {
    let today = now.date_naive();
    (0..STRIP_DAYS)
        .rev()
        .map(|back| {
            let date = today - Duration::days(i64::from(back));
            let from = midnight(date);
            // Today ends now: the rest of it has not happened.
            let to = midnight(date + Duration::days(1)).min(now);
            let touching: Vec<&Settled> = spans.iter().filter(|s| s.overlaps(from, to)).collect();
            DayCell {
                date: date.format("%Y-%m-%d").to_string(),
                worst: touching.iter().map(|s| s.impact).max(),
                impacted_secs: union_secs(spans, from, to),
                incidents: touching.len(),
            }
        })
        .collect()
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Seconds covered by at least one span within [from, to]: overlapping incidents count once.
fn union_secs(spans: &[Settled], from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let mut clipped: Vec<(DateTime<Utc>, DateTime<Utc>)> = spans
        .iter()
        .map(|s| (s.start.max(from), s.end.min(to)))
        .filter(|(a, b)| a < b)
        .collect();
    clipped.sort();
    let mut total = Duration::zero();
    let mut current: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    for (a, b) in clipped {
        current = match current {
            Some((ca, cb)) if a <= cb => Some((ca, cb.max(b))),
            Some((ca, cb)) => {
                total += cb - ca;
                Some((a, b))
            }
            None => Some((a, b)),
        };
    }
    if let Some((ca, cb)) = current {
        total += cb - ca;
    }
    total.num_seconds()
}

fn mean(values: &[i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let sum: i128 = values.iter().map(|&v| i128::from(v)).sum();
    let n = values.len() as i128;
    // Rounded to the nearest second rather than truncated.
    i64::try_from((sum + n / 2) / n).ok()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detection_medians() {
        assert_eq!(
            Detection::of(&[], 2),
            Detection {
                confirmed: 0,
                median_lead_secs: None,
                blips: 2
            }
        );
        assert_eq!(Detection::of(&[300], 0).median_lead_secs, Some(300));
        assert_eq!(
            Detection::of(&[900, 60, 300], 0).median_lead_secs,
            Some(300)
        );
        assert_eq!(
            Detection::of(&[60, 300, 900, 1320], 1).median_lead_secs,
            Some(600)
        );
        assert_eq!(Detection::of(&[-30, 120], 0).median_lead_secs, Some(45));
    }
    use crate::test_support::t;

    /// `t(0)` is 2026-11-26 12:00 UTC; minutes relative to it.
    fn span(start: i64, end: Option<i64>, impact: Impact) -> Span {
        Span {
            started_at: t(start),
            resolved_at: end.map(t),
            impact,
        }
    }

    const DAY: i64 = 24 * 60;

    struct Case {
        name: &'static str,
        spans: Vec<Span>,
        now: i64,
        /// (incidents, impacted secs) for 7, 30, 90 days.
        windows: [(usize, i64); 3],
        mttr: Option<i64>,
        longest: Option<i64>,
        open: usize,
        /// Non-empty days as (date, worst, impacted secs, incidents).
        days: Vec<(&'static str, Impact, i64, usize)>,
        history_since: Option<i64>,
    }

    #[test]
    fn table() {
        use Impact::{Critical, Major, Minor};
        let cases = vec![
            Case {
                name: "no spans",
                spans: vec![],
                now: 0,
                windows: [(0, 0); 3],
                mttr: None,
                longest: None,
                open: 0,
                days: vec![],
                history_since: None,
            },
            Case {
                name: "one 30-minute span",
                spans: vec![span(-60, Some(-30), Minor)],
                now: 0,
                windows: [(1, 1800); 3],
                mttr: Some(1800),
                longest: Some(1800),
                open: 0,
                days: vec![("2026-11-26", Minor, 1800, 1)],
                history_since: Some(-60),
            },
            Case {
                name: "two overlapping spans count once",
                spans: vec![span(-120, Some(-60), Minor), span(-90, Some(-30), Critical)],
                now: 0,
                windows: [(2, 5400); 3],
                mttr: Some(3600),
                longest: Some(3600),
                open: 0,
                days: vec![("2026-11-26", Critical, 5400, 2)],
                history_since: Some(-120),
            },
            Case {
                // 23:30 on the 25th to 00:30 on the 26th.
                name: "a span across midnight",
                spans: vec![span(-750, Some(-690), Major)],
                now: 0,
                windows: [(1, 3600); 3],
                mttr: Some(3600),
                longest: Some(3600),
                open: 0,
                days: vec![
                    ("2026-11-25", Major, 1800, 1),
                    ("2026-11-26", Major, 1800, 1),
                ],
                history_since: Some(-750),
            },
            Case {
                name: "an open span lasts until now",
                spans: vec![span(-45, None, Major)],
                now: 0,
                windows: [(1, 2700); 3],
                mttr: None,
                longest: Some(2700),
                open: 1,
                days: vec![("2026-11-26", Major, 2700, 1)],
                history_since: Some(-45),
            },
            Case {
                name: "older than 90 days only moves history_since",
                spans: vec![span(-100 * DAY, Some(-100 * DAY + 60), Critical)],
                now: 0,
                windows: [(0, 0); 3],
                mttr: None,
                longest: None,
                open: 0,
                days: vec![],
                history_since: Some(-100 * DAY),
            },
            Case {
                name: "10 days ago is in 30 and 90 only",
                spans: vec![span(-10 * DAY, Some(-10 * DAY + 10), Minor)],
                now: 0,
                windows: [(0, 0), (1, 600), (1, 600)],
                mttr: Some(600),
                longest: Some(600),
                open: 0,
                days: vec![("2026-11-16", Minor, 600, 1)],
                history_since: Some(-10 * DAY),
            },
            Case {
                name: "impact none and maintenance are not counted",
                spans: vec![
                    span(-60, Some(-30), Impact::None),
                    span(-20, None, Impact::Maintenance),
                ],
                now: 0,
                windows: [(0, 0); 3],
                mttr: None,
                longest: None,
                open: 0,
                days: vec![],
                history_since: Some(-60),
            },
            Case {
                name: "resolved before it started is zero-length, not negative",
                spans: vec![span(-30, Some(-90), Minor)],
                now: 0,
                windows: [(1, 0); 3],
                mttr: Some(0),
                longest: Some(0),
                open: 0,
                days: vec![("2026-11-26", Minor, 0, 1)],
                history_since: Some(-30),
            },
            Case {
                name: "an outage running since before the horizon is clipped to the windows",
                spans: vec![span(-95 * DAY, None, Critical)],
                now: 0,
                windows: [(1, 7 * 86_400), (1, 30 * 86_400), (1, 90 * 86_400)],
                mttr: None,
                longest: Some(95 * 86_400),
                open: 1,
                // Every day of the strip; checked below by count rather than listed.
                days: vec![],
                history_since: Some(-95 * DAY),
            },
        ];
        for c in cases {
            let r = compute(&c.spans, t(c.now));
            let got: Vec<(u32, usize, i64)> = r
                .windows
                .iter()
                .map(|w| (w.days, w.incidents, w.impacted_secs))
                .collect();
            let want: Vec<(u32, usize, i64)> = WINDOW_DAYS
                .iter()
                .zip(c.windows)
                .map(|(d, (n, s))| (*d, n, s))
                .collect();
            assert_eq!(got, want, "{}: windows", c.name);
            for w in &r.windows {
                let expected =
                    round3(100.0 * (1.0 - w.impacted_secs as f64 / (f64::from(w.days) * 86_400.0)));
                assert_eq!(w.availability_pct, expected, "{}: availability", c.name);
            }
            assert_eq!(r.mttr_secs, c.mttr, "{}: mttr", c.name);
            assert_eq!(r.longest_secs, c.longest, "{}: longest", c.name);
            assert_eq!(r.open, c.open, "{}: open", c.name);
            assert_eq!(r.history_since, c.history_since.map(t), "{}: since", c.name);
            assert_eq!(r.days.len(), 90, "{}: strip length", c.name);
            assert_eq!(r.days[0].date, "2026-08-29", "{}: first day", c.name);
            assert_eq!(r.days[89].date, "2026-11-26", "{}: today last", c.name);
            let busy: Vec<(&str, Impact, i64, usize)> = r
                .days
                .iter()
                .filter_map(|d| {
                    d.worst
                        .map(|w| (d.date.as_str(), w, d.impacted_secs, d.incidents))
                })
                .collect();
            if c.name.starts_with("an outage running") {
                assert_eq!(busy.len(), 90, "{}", c.name);
                assert_eq!(r.days[0].impacted_secs, 86_400, "{}", c.name);
                assert_eq!(
                    r.days[89].impacted_secs,
                    12 * 3600,
                    "{}: today ends now",
                    c.name
                );
            } else {
                assert_eq!(busy, c.days, "{}: days", c.name);
            }
        }
    }

    #[test]
    fn availability_is_rounded_to_three_decimals() {
        // One minute in 7 days: 100 * (1 - 60 / 604800) = 99.99007...
        let r = compute(&[span(-1, Some(0), Impact::Minor)], t(0));
        assert_eq!(r.windows[0].availability_pct, 99.99);
        assert_eq!(r.windows[2].availability_pct, 99.999);
    }

    #[test]
    fn a_period_of_any_length_counts_like_the_windows() {
        let now = t(30 * 24 * 60);
        let span = |start_min: i64, len_min: Option<i64>, impact| Span {
            started_at: t(start_min),
            resolved_at: len_min.map(|l| t(start_min + l)),
            impact,
        };
        let spans = [
            // Before the 7 days, 60 minutes.
            span(10 * 24 * 60, Some(60), Impact::Major),
            // Inside them: 30 minutes, and a notice that never counts.
            span(28 * 24 * 60, Some(30), Impact::Critical),
            span(28 * 24 * 60, Some(500), Impact::None),
            // Still open, for the last 15 minutes.
            span(30 * 24 * 60 - 15, None, Impact::Minor),
        ];
        let week = period(&spans, now, 7);
        assert_eq!(week.incidents, 2);
        assert_eq!(
            week.by_impact,
            ByImpact {
                minor: 1,
                major: 0,
                critical: 1
            }
        );
        assert_eq!(week.impacted_secs, 45 * 60);
        assert_eq!(week.mttr_secs, Some(30 * 60), "the open one has no end yet");
        assert_eq!(week.longest_secs, Some(30 * 60));
        assert_eq!(week.uptime_pct, round3(100.0 * (1.0 - 2700.0 / 604_800.0)));
        let month = period(&spans, now, 30);
        assert_eq!((month.incidents, month.mttr_secs), (3, Some(45 * 60)));
        // The windows of the window's view agree.
        assert_eq!(
            compute(&spans, now).windows[1].impacted_secs,
            month.impacted_secs
        );
    }
}

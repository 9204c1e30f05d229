//! When a delivery is done, tried again or given up: one attempt's outcome, backoff with
//! jitter, and the 24-hour limit. Pure: time and randomness are passed in.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The first retry waits between half of this and this.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(20);
/// No backoff is longer (a `Retry-After` may ask for more).
pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// The longest wait a receiver's `Retry-After` gets: no retry is planned further ahead, so
/// one that is (the clock was set back after it was planned) is due now instead of
/// blocking its target's queue until the clock catches up.
pub const LONGEST_WAIT: Duration = Duration::from_secs(60 * 60);
/// A delivery not made by then is dropped with a note: a day-old alert posted now misleads.
pub const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
/// After a start, pending deliveries are due at the latest this soon, whatever their
/// backoff said: the app may have been down (or the machine asleep) for a while.
pub const AFTER_START: Duration = Duration::from_secs(5);

/// What one POST came back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The receiver answered. `detail` is the start of its body, for the error shown.
    Status {
        code: u16,
        retry_after: Option<Duration>,
        detail: Option<String>,
    },
    /// No connection: refused, no route, name not resolved, TLS handshake failed.
    Unreachable(String),
    /// No complete answer in time.
    Timeout,
    /// The connection broke after the request was sent.
    Broken(String),
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: remove it from the queue.
    Delivered,
    /// Try again after `after`; `reason` is shown on the target meanwhile.
    Retry { after: Duration, reason: String },
    /// The receiver refused it for good (4xx): stop, and show `reason` on the target.
    Failed { reason: String },
}

/// Exponential backoff for the retry after attempt `attempt` (1 for the first), with "equal
/// jitter": between half and all of `FIRST_BACKOFF · 2^(attempt-1)`, capped at
/// [`MAX_BACKOFF`]. `jitter` is uniform in [0, 1).
pub fn backoff(attempt: u32, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(16);
    let full = FIRST_BACKOFF
        .saturating_mul(1u32 << doublings)
        .min(MAX_BACKOFF);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    full.mul_f64(0.5 + 0.5 * jitter)
}

/// Whether a delivery planned for `next_at` is due at `now`: when that time came, or when it
/// lies further ahead than any plan can (see [`LONGEST_WAIT`]).
pub fn is_due(next_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let longest = chrono::Duration::from_std(LONGEST_WAIT).unwrap_or(chrono::Duration::MAX);
    next_at <= now || next_at - now > longest
}

fn detail(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// Classifies attempt number `attempt` (1 for the first).
pub fn classify(answer: &Answer, attempt: u32, jitter: f64) -> Outcome {
    let wait = backoff(attempt, jitter);
    let retry = |reason: String, asked: Option<Duration>| Outcome::Retry {
        // Never sooner than the receiver asked; never sooner than our own backoff either,
        // or a receiver saying "1 s" would be hammered for a day.
        after: asked.map_or(wait, |a| a.min(LONGEST_WAIT).max(wait)),
        reason,
    };
    match answer {
        Answer::Status { code: 200..=299, .. } => Outcome::Delivered,
        Answer::Status {
            code: code @ (408 | 429 | 500..=599),
            retry_after,
            detail: d,
        } => retry(format!("HTTP {code}{}", detail(d)), *retry_after),
        Answer::Status {
            code: code @ 300..=399,
            ..
        } => Outcome::Failed {
            reason: format!(
                "HTTP {code}: the receiver redirects elsewhere; configure the address it redirects to"
            ),
        },
        Answer::Status {
            code: code @ 400..=499,
            detail: d,
            ..
        } => Outcome::Failed {
            reason: format!("HTTP {code}{}", detail(d)),
        },
        // 1xx as a final answer, or nonsense: the receiver is not well, try again.
        Answer::Status {
            code, detail: d, ..
        } => retry(format!("HTTP {code}{}", detail(d)), None),
        Answer::Unreachable(why) => retry(format!("cannot connect ({why})"), None),
        Answer::Timeout => retry("timed out".to_owned(), None),
        Answer::Broken(why) => retry(format!("connection broke ({why})"), None),
    }
}

/// Where a queued delivery stands after an attempt, or before one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    Delivered,
    /// Try again at this time.
    RetryAt {
        at: DateTime<Utc>,
        reason: String,
    },
    /// Stop; `reason` shows on the target.
    Failed {
        reason: String,
    },
    /// Too old to post: dropped, with this note.
    Expired {
        note: String,
    },
}

fn expiry(created_at: DateTime<Utc>) -> DateTime<Utc> {
    created_at + chrono::Duration::from_std(MAX_AGE).unwrap_or(chrono::Duration::MAX)
}

/// The note for a delivery dropped unsent.
fn expired_note(last_error: Option<&str>) -> String {
    let hours = MAX_AGE.as_secs() / 3600;
    match last_error {
        Some(e) => format!("dropped: not delivered within {hours} h (last error: {e})"),
        None => format!("dropped: not delivered within {hours} h"),
    }
}

/// Before an attempt: a delivery queued more than [`MAX_AGE`] ago is not posted.
pub fn before_attempt(
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    last_error: Option<&str>,
) -> Option<Next> {
    (now >= expiry(created_at)).then(|| Next::Expired {
        note: expired_note(last_error),
    })
}

/// After attempt number `attempt` at `now`: a retry that would fall past [`MAX_AGE`] is
/// given up now, with the note, rather than kept a day.
pub fn after_attempt(
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    attempt: u32,
    answer: &Answer,
    jitter: f64,
) -> Next {
    match classify(answer, attempt, jitter) {
        Outcome::Delivered => Next::Delivered,
        Outcome::Failed { reason } => Next::Failed { reason },
        Outcome::Retry { after, reason } => {
            let at = now + chrono::Duration::from_std(after).unwrap_or(chrono::Duration::MAX);
            if at >= expiry(created_at) {
                Next::Expired {
                    note: expired_note(Some(&reason)),
                }
            } else {
                Next::RetryAt { at, reason }
            }
        }
    }
}

/// When a pending delivery is due after a start: its retry time, or [`AFTER_START`] from
/// now if that is sooner.
pub fn due_after_start(next_at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let soon = now + chrono::Duration::from_std(AFTER_START).unwrap_or_default();
    next_at.min(soon)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A retry planned by a clock that was later set back is due at once, not an hour (or a
    /// day) later; one planned within the longest wait waits its turn.
    #[test]
    fn a_plan_beyond_any_wait_is_due() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .expect("time");
        let min = chrono::Duration::minutes;
        for (next_at, due) in [
            (now - min(1), true),
            (now, true),
            (now + min(15), false),
            (now + min(60), false),
            (now + min(61), true),
            (now + chrono::Duration::days(1), true),
        ] {
            assert_eq!(is_due(next_at, now), due, "{}", next_at - now);
        }
        // And a receiver asking for a day gets the longest wait.
        let asked = Answer::Status {
            code: 503,
            retry_after: Some(Duration::from_secs(86_400)),
            detail: None,
        };
        assert!(matches!(
            classify(&asked, 1, 0.5),
            Outcome::Retry { after, .. } if after == LONGEST_WAIT
        ));
    }

    fn status(code: u16) -> Answer {
        Answer::Status {
            code,
            retry_after: None,
            detail: None,
        }
    }

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
            .single()
            .expect("time")
    }

    #[test]
    fn outcomes_by_answer() {
        let secs = Duration::from_secs;
        let table: Vec<(Answer, Outcome)> = vec![
            (status(200), Outcome::Delivered),
            (status(204), Outcome::Delivered),
            (
                status(503),
                Outcome::Retry {
                    after: secs(10),
                    reason: "HTTP 503".to_owned(),
                },
            ),
            (
                status(500),
                Outcome::Retry {
                    after: secs(10),
                    reason: "HTTP 500".to_owned(),
                },
            ),
            (
                Answer::Status {
                    code: 429,
                    retry_after: Some(secs(120)),
                    detail: None,
                },
                Outcome::Retry {
                    after: secs(120),
                    reason: "HTTP 429".to_owned(),
                },
            ),
            (
                // A shorter Retry-After than our backoff: the backoff wins.
                Answer::Status {
                    code: 503,
                    retry_after: Some(secs(1)),
                    detail: None,
                },
                Outcome::Retry {
                    after: secs(10),
                    reason: "HTTP 503".to_owned(),
                },
            ),
            (
                status(408),
                Outcome::Retry {
                    after: secs(10),
                    reason: "HTTP 408".to_owned(),
                },
            ),
            (
                Answer::Unreachable("Connection refused".to_owned()),
                Outcome::Retry {
                    after: secs(10),
                    reason: "cannot connect (Connection refused)".to_owned(),
                },
            ),
            (
                Answer::Timeout,
                Outcome::Retry {
                    after: secs(10),
                    reason: "timed out".to_owned(),
                },
            ),
            (
                Answer::Broken("reset".to_owned()),
                Outcome::Retry {
                    after: secs(10),
                    reason: "connection broke (reset)".to_owned(),
                },
            ),
            (
                Answer::Status {
                    code: 404,
                    retry_after: None,
                    detail: Some(" no_service \n".to_owned()),
                },
                Outcome::Failed {
                    reason: "HTTP 404: no_service".to_owned(),
                },
            ),
            (
                status(400),
                Outcome::Failed {
                    reason: "HTTP 400".to_owned(),
                },
            ),
            (
                status(410),
                Outcome::Failed {
                    reason: "HTTP 410".to_owned(),
                },
            ),
        ];
        for (answer, want) in table {
            assert_eq!(classify(&answer, 1, 0.0), want, "{answer:?}");
        }
        assert!(matches!(
            classify(&status(302), 1, 0.0),
            Outcome::Failed { reason } if reason.starts_with("HTTP 302: the receiver redirects")
        ));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for attempt in 1..=40 {
            for jitter in [0.0, 0.3, 0.999_999, 1.0, -1.0, f64::NAN, 7.0] {
                let d = backoff(attempt, jitter);
                assert!(d <= MAX_BACKOFF, "{attempt} {jitter}: {d:?}");
                assert!(d >= FIRST_BACKOFF / 2, "{attempt} {jitter}: {d:?}");
                if attempt == 1 {
                    assert!(d <= Duration::from_secs(30), "first retry within 30 s");
                }
            }
        }
        let lows: Vec<u64> = (1..=8).map(|a| backoff(a, 0.0).as_secs()).collect();
        assert_eq!(lows, [10, 20, 40, 80, 160, 320, 450, 450]);
        let highs: Vec<u64> = (1..=8).map(|a| backoff(a, 1.0).as_secs()).collect();
        assert_eq!(highs, [20, 40, 80, 160, 320, 640, 900, 900]);
    }

    #[test]
    fn old_deliveries_are_dropped_with_a_note() {
        let h = chrono::Duration::hours;
        assert_eq!(before_attempt(t0(), t0() + h(23), None), None);
        assert_eq!(
            before_attempt(t0(), t0() + h(24), Some("HTTP 503")),
            Some(Next::Expired {
                note: "dropped: not delivered within 24 h (last error: HTTP 503)".to_owned()
            })
        );
        // A retry that would land past the day is given up at once.
        let late = t0() + h(24) - chrono::Duration::seconds(5);
        assert_eq!(
            after_attempt(t0(), late, 9, &status(503), 0.0),
            Next::Expired {
                note: "dropped: not delivered within 24 h (last error: HTTP 503)".to_owned()
            }
        );
        assert_eq!(
            after_attempt(t0(), t0(), 1, &status(503), 0.0),
            Next::RetryAt {
                at: t0() + chrono::Duration::seconds(10),
                reason: "HTTP 503".to_owned()
            }
        );
        assert_eq!(
            after_attempt(t0(), t0(), 1, &status(201), 0.5),
            Next::Delivered
        );
        assert!(matches!(
            after_attempt(t0(), t0(), 1, &status(404), 0.5),
            Next::Failed { .. }
        ));
    }

    #[test]
    fn pending_deliveries_are_due_soon_after_a_start() {
        let s = chrono::Duration::seconds;
        assert_eq!(due_after_start(t0() + s(600), t0()), t0() + s(5));
        assert_eq!(due_after_start(t0() + s(2), t0()), t0() + s(2));
        assert_eq!(due_after_start(t0() - s(60), t0()), t0() - s(60));
    }
}

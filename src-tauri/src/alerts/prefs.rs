//! When a recorded notification may pop up: the pause and quiet hours applied to a moment.

use crate::config::{QuietHours, QuietMode};
use chrono::{DateTime, Utc};

/// When a recorded notification may pop up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Now,
    Queue {
        until: DateTime<Utc>,
    },
    /// `reason`: a machine word ("paused", "quiet_hours") kept in the outbox row.
    Drop {
        reason: &'static str,
    },
}

/// Decides delivery from the pause and quiet hours; `offset` is the local UTC offset now.
pub fn delivery(
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
    quiet: Option<&QuietHours>,
    paused_until: Option<DateTime<Utc>>,
) -> Delivery {
    if paused_until.is_some_and(|until| now < until) {
        return Delivery::Drop { reason: "paused" };
    }
    let Some(q) = quiet else { return Delivery::Now };
    if q.start == q.end {
        return Delivery::Now;
    }
    let local = now.with_timezone(&offset).naive_local();
    let t = local.time();
    let inside = if q.start < q.end {
        q.start <= t && t < q.end
    } else {
        t >= q.start || t < q.end
    };
    if !inside {
        return Delivery::Now;
    }
    match q.mode {
        QuietMode::Drop => Delivery::Drop {
            reason: "quiet_hours",
        },
        QuietMode::Queue => {
            let mut end = local.date().and_time(q.end);
            if end <= local {
                end += chrono::Duration::days(1);
            }
            let until =
                (end - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc();
            Delivery::Queue { until }
        }
    }
}

/// "Until tomorrow" in the pause menu: 08:00 local time on the next day.
pub fn tomorrow_morning(now: DateTime<Utc>, offset: chrono::FixedOffset) -> DateTime<Utc> {
    let local = now.with_timezone(&offset).date_naive() + chrono::Duration::days(1);
    let eight = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
    (local.and_time(eight) - chrono::Duration::seconds(i64::from(offset.local_minus_utc())))
        .and_utc()
}

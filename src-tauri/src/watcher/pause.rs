//! The pause from the tray, and when a pop-up decided now may show: kept on the wall clock as chosen, bounded by the monotonic one.

use super::{lock, Now, Pause, Watcher};
use crate::alerts;
use chrono::{DateTime, Utc};
use std::time::Duration;
use tokio::time::Instant;

/// The longest pause the menu offers is until 08:00 tomorrow: a stored one further ahead was
/// set by a clock that has been set back since.
const LONGEST_PAUSE: Duration = Duration::from_secs(36 * 60 * 60);

/// When a pause that ends at `until` (wall clock) ends on the monotonic clock.
pub(super) fn deadline_of(until: DateTime<Utc>, now: Now) -> Instant {
    now.mono
        + (until - now.wall)
            .to_std()
            .unwrap_or(Duration::ZERO)
            .min(LONGEST_PAUSE)
}

/// The pause's end if it is still on at `now`: until its wall-clock end, and no longer than
/// it was chosen for by the monotonic clock (which jumps neither ahead nor back).
pub(super) fn pause_in_force(
    until: Option<DateTime<Utc>>,
    deadline: Option<Instant>,
    now: Now,
) -> Option<DateTime<Utc>> {
    until.filter(|u| *u > now.wall && deadline.is_none_or(|d| now.mono < d))
}

impl Watcher {
    pub(super) fn set_pause(&mut self, choice: Pause, now: Now) {
        let until = match choice {
            Pause::For(d) => Some(now.wall + chrono::Duration::from_std(d).unwrap_or_default()),
            Pause::UntilTomorrowMorning => Some(alerts::tomorrow_morning(now.wall, now.offset)),
            Pause::Resume => None,
        };
        if let Err(e) = lock(&self.history).set_paused_until(until) {
            tracing::error!(error = %e, "cannot store the pause");
        }
        tracing::info!(?until, "notifications paused");
        self.paused_until = until;
        self.pause_deadline = until.map(|u| deadline_of(u, now));
        self.publish(now, None);
    }

    /// When a notification decided now may pop up: pause and quiet hours decide.
    pub(super) fn delivery(&self, now: Now) -> alerts::Delivery {
        if let Some(reason) = self.popups_off {
            return alerts::Delivery::Drop { reason };
        }
        alerts::delivery(
            now.wall,
            now.offset,
            self.config.notifications.quiet_hours.as_ref(),
            pause_in_force(self.paused_until, self.pause_deadline, now),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::t;
    use chrono::Offset;

    /// A pause ends when its time comes by the wall clock, or when as long as it was chosen
    /// for has passed by the monotonic one: a clock set back an hour during an 8-hour pause
    /// does not make it nine.
    #[test]
    fn a_pause_lasts_what_was_chosen_whatever_the_wall_clock_does() {
        let mono = Instant::now();
        let at = |wall, mono| Now {
            wall,
            mono,
            offset: Utc.fix(),
        };
        let hours = |h: u64| Duration::from_secs(h * 3600);
        let start = at(t(0), mono);
        let until = t(8 * 60);
        let deadline = deadline_of(until, start);
        let table = [
            ("just paused", at(t(0), mono), true),
            ("7 h later", at(t(7 * 60), mono + hours(7)), true),
            ("8 h later", at(t(8 * 60), mono + hours(8)), false),
            (
                "clock set back 1 h, 8 h later",
                at(t(7 * 60), mono + hours(8)),
                false,
            ),
            (
                "clock set ahead 2 h, 6 h later",
                at(t(8 * 60), mono + hours(6)),
                false,
            ),
        ];
        for (what, now, paused) in table {
            assert_eq!(
                pause_in_force(Some(until), Some(deadline), now).is_some(),
                paused,
                "{what}"
            );
        }
        // A stored pause days ahead (set by a clock that was wrong) ends within 36 h.
        let far = deadline_of(t(10 * 24 * 60), start);
        assert!(
            pause_in_force(Some(t(10 * 24 * 60)), Some(far), at(t(0), mono + hours(37))).is_none()
        );
    }
}

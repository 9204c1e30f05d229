//! When each page is due: the poll interval with jitter, faster reads while an incident is
//! open, backoff with jitter for a page that keeps failing, and a page's own "come back later".

use std::time::Duration;
use tokio::time::Instant;

/// A page that keeps failing is read less often; one that asked us to wait is left alone.
/// Instants are tokio's, so tests can run the schedule on paused time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schedule {
    failures: u32,
    next_at: Option<Instant>,
    /// The page asked us (429 / Retry-After) not to come back before this, not even for
    /// "Check now".
    not_before: Option<Instant>,
    last_read: Option<Instant>,
}

/// Why a page is read in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// "Check now", a reload or a wake from sleep: every page, backoff or not.
    pub forced: bool,
    /// While offline every page is tried on each (quicker) round.
    pub offline: bool,
    pub interval: Duration,
}

impl Schedule {
    /// Whether the page should be read in this round.
    pub fn is_due(&self, now: Instant, round: Round, has_open_incident: bool) -> bool {
        if self.not_before.is_some_and(|at| at > now) {
            return false;
        }
        let backed_off = self.next_at.is_some_and(|at| at > now);
        // A tenth of slack: ticks are jittered, and a page just short of its interval
        // would otherwise wait a whole extra tick.
        let interval_passed = self
            .last_read
            .is_none_or(|t| now.duration_since(t) + round.interval / 10 >= round.interval);
        let due = !backed_off && (interval_passed || has_open_incident);
        round.forced || due || round.offline
    }

    /// Records a read that started at `started`. `failed`: it failed while other pages
    /// answered (offline has its own retry, so a page's own backoff starts once others do);
    /// `retry_after`: the page asked us to wait. `jitter` is in 0.8–1.2.
    pub fn record(
        &mut self,
        started: Instant,
        failed: bool,
        retry_after: Option<Duration>,
        interval: Duration,
        jitter: f64,
    ) {
        if retry_after.is_none() && !failed {
            *self = Schedule::default();
        } else {
            self.failures += 1;
            let mut next = started + backoff_delay(self.failures, interval, jitter);
            if let Some(wait) = retry_after {
                self.not_before = Some(started + wait);
                next = next.max(started + wait);
            }
            self.next_at = Some(next);
        }
        self.last_read = Some(started);
    }
}

/// While a page has an open incident it is read this often, so its next phase and its end
/// are seen sooner: a quarter of the interval, not under 15 s, never slower than usual.
pub fn open_incident_interval(interval: Duration) -> Duration {
    (interval / 4).max(Duration::from_secs(15)).min(interval)
}

/// The wait after `failures` failed reads in a row: doubling from the poll interval up to
/// 15 minutes, times `jitter` (0.8–1.2) so that many clients do not retry in step.
pub fn backoff_delay(failures: u32, interval: Duration, jitter: f64) -> Duration {
    const CAP: Duration = Duration::from_secs(15 * 60);
    if failures <= 1 {
        return interval;
    }
    let factor = 2u32.saturating_pow((failures - 1).min(16));
    let base = interval.saturating_mul(factor).min(CAP.max(interval));
    base.mul_f64(jitter.clamp(0.8, 1.2))
}

/// The poll interval give or take 10%, so that clients started together drift apart.
pub fn jittered(interval: Duration, unit: f64) -> Duration {
    interval.mul_f64(0.9 + 0.2 * unit.clamp(0.0, 1.0))
}

/// While offline, look again this often so the return of the network is noticed quickly.
pub const OFFLINE_RETRY: Duration = Duration::from_secs(15);

/// How long until the next round: quick while offline, faster while an incident is open,
/// else the interval; `unit` (0–1) jitters the last two.
pub fn next_round(interval: Duration, offline: bool, any_open: bool, unit: f64) -> Duration {
    if offline {
        OFFLINE_RETRY.min(interval)
    } else if any_open {
        jittered(open_incident_interval(interval), unit)
    } else {
        jittered(interval, unit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_cap_with_bounded_jitter() {
        let min = Duration::from_secs(60);
        let table = [
            (0, 1.0, 60),
            (1, 1.0, 60),
            (2, 1.0, 120),
            (3, 1.0, 240),
            (4, 1.0, 480),
            (5, 1.0, 900),
            (40, 1.0, 900),
            (3, 1.2, 288),
            (3, 0.8, 192),
            (3, 5.0, 288),
        ];
        for (failures, jitter, secs) in table {
            assert_eq!(
                backoff_delay(failures, min, jitter),
                Duration::from_secs(secs),
                "{failures} failures, jitter {jitter}"
            );
        }
        // A long interval is never shortened by the cap.
        let hour = Duration::from_secs(3600);
        assert_eq!(backoff_delay(3, hour, 1.0), hour);
    }

    #[test]
    fn open_incidents_are_read_faster_within_bounds() {
        let table = [(60, 15), (300, 75), (20, 15), (10, 10), (3600, 900)];
        for (interval, fast) in table {
            assert_eq!(
                open_incident_interval(Duration::from_secs(interval)),
                Duration::from_secs(fast),
                "{interval}"
            );
        }
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        let i = Duration::from_secs(60);
        assert_eq!(jittered(i, 0.0), Duration::from_secs(54));
        assert_eq!(jittered(i, 0.5), Duration::from_secs(60));
        assert_eq!(jittered(i, 1.0), Duration::from_secs(66));
        assert_eq!(jittered(i, 7.0), Duration::from_secs(66));
    }

    #[test]
    fn next_round_table() {
        let s = Duration::from_secs;
        assert_eq!(next_round(s(60), true, true, 0.5), s(15), "offline first");
        assert_eq!(next_round(s(5), true, false, 0.5), s(5), "never slower");
        assert_eq!(next_round(s(60), false, true, 0.5), s(15));
        assert_eq!(next_round(s(60), false, false, 0.0), s(54));
    }

    /// The schedule on tokio's paused clock: minutes pass in no time.
    #[tokio::test(start_paused = true)]
    async fn a_failing_page_backs_off_and_a_retry_after_holds_even_forced_rounds() {
        let interval = Duration::from_secs(60);
        let round = |forced| Round {
            forced,
            offline: false,
            interval,
        };
        let mut s = Schedule::default();
        assert!(s.is_due(Instant::now(), round(false), false), "never read");

        // Two failures in a row: the second waits twice the interval.
        s.record(Instant::now(), true, None, interval, 1.0);
        tokio::time::advance(interval).await;
        assert!(s.is_due(Instant::now(), round(false), false));
        s.record(Instant::now(), true, None, interval, 1.0);
        tokio::time::advance(interval).await;
        assert!(!s.is_due(Instant::now(), round(false), false), "backed off");
        assert!(
            !s.is_due(Instant::now(), round(false), true),
            "backoff beats an open incident"
        );
        assert!(s.is_due(Instant::now(), round(true), false), "forced");
        tokio::time::advance(interval).await;
        assert!(
            s.is_due(Instant::now(), round(false), false),
            "2 × interval"
        );

        // A good read resets it; an open incident is then read before the interval.
        s.record(Instant::now(), false, None, interval, 1.0);
        tokio::time::advance(Duration::from_secs(20)).await;
        assert!(!s.is_due(Instant::now(), round(false), false));
        assert!(s.is_due(Instant::now(), round(false), true));

        // Retry-After: not even "Check now" asks before it is up.
        s.record(
            Instant::now(),
            true,
            Some(Duration::from_secs(600)),
            interval,
            1.0,
        );
        tokio::time::advance(Duration::from_secs(599)).await;
        assert!(!s.is_due(Instant::now(), round(true), true));
        let offline = Round {
            offline: true,
            ..round(false)
        };
        assert!(!s.is_due(Instant::now(), offline, false));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(s.is_due(Instant::now(), round(true), false));
    }
}

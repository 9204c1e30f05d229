//! Where the watcher reads the time: the system's clocks, or a test's that moves with tokio's (pausable) clock.

use super::Now;
use chrono::{DateTime, Offset, Utc};
use tokio::time::Instant;

/// The wall clock and the user's UTC offset. The monotonic clock is always tokio's, which a
/// test can pause and advance; a [`TestClock`]'s wall time follows it.
pub trait Clock: Send + Sync + 'static {
    fn wall(&self) -> DateTime<Utc>;
    fn offset(&self) -> chrono::FixedOffset;

    /// Both clocks and the offset, read together: what one turn of the loop goes by.
    fn now(&self) -> Now {
        Now {
            wall: self.wall(),
            mono: Instant::now(),
            offset: self.offset(),
        }
    }
}

/// The computer's clocks and time zone.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn wall(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn offset(&self) -> chrono::FixedOffset {
        chrono::Local::now().offset().fix()
    }
}

/// A wall clock that starts at a chosen time and moves with tokio's clock, so a test under
/// `tokio::time::pause()` lives hours in milliseconds; [`TestClock::jump`] moves the wall
/// clock alone, as a machine waking from sleep (or a clock set by hand) sees it.
#[cfg(test)]
#[derive(Debug)]
pub struct TestClock {
    start_wall: DateTime<Utc>,
    start_mono: Instant,
    jumped: std::sync::Mutex<chrono::Duration>,
    offset: chrono::FixedOffset,
}

#[cfg(test)]
impl TestClock {
    pub fn starting_at(wall: DateTime<Utc>, offset: chrono::FixedOffset) -> Self {
        TestClock {
            start_wall: wall,
            start_mono: Instant::now(),
            jumped: std::sync::Mutex::new(chrono::Duration::zero()),
            offset,
        }
    }

    /// Moves the wall clock by `by` while the monotonic one stands still.
    pub fn jump(&self, by: chrono::Duration) {
        let mut jumped = self.jumped.lock().unwrap_or_else(|p| p.into_inner());
        *jumped += by;
    }
}

#[cfg(test)]
impl Clock for TestClock {
    fn wall(&self) -> DateTime<Utc> {
        let run = chrono::Duration::from_std(Instant::now() - self.start_mono)
            .unwrap_or(chrono::Duration::MAX);
        let jumped = *self.jumped.lock().unwrap_or_else(|p| p.into_inner());
        self.start_wall + run + jumped
    }

    fn offset(&self) -> chrono::FixedOffset {
        self.offset
    }
}

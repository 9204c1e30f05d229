//! The watch loop end to end on tokio's paused clock: pages from memory, a test clock, hours of watching in milliseconds.

use super::{Clock, TestClock, WatchEvent, Watcher};
use crate::alerts::Notification;
use crate::config::Config;
use crate::fetch::{Canned, Fetcher};
use crate::history::History;
use crate::notifier::{Notifier, NotifyError};
use chrono::{DateTime, Offset, TimeZone, Utc};
use outage_radar_tests::payloads::{summary, FakeIncident};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

const PAGE: &str = "https://status.acme.test";

#[derive(Default)]
struct Shown(Mutex<Vec<String>>);

impl Notifier for Shown {
    fn show(&self, n: &Notification) -> Result<(), NotifyError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(n.title.clone());
        Ok(())
    }
}

impl Shown {
    fn titles(&self) -> Vec<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn config() -> Config {
    Config {
        poll_interval: Duration::from_secs(3600),
        services: vec![crate::test_support::statuspage_service("Acme", PAGE)],
        notifications: Default::default(),
        early_warning: Default::default(),
        webhooks: Vec::new(),
        language: None,
        path: None,
    }
}

/// Every event so far, as (kind, when the engine says it happened).
fn drain(events: &mut broadcast::Receiver<WatchEvent>) -> Vec<(&'static str, DateTime<Utc>)> {
    std::iter::from_fn(|| events.try_recv().ok())
        .map(|e| (e.name(), e.at()))
        .collect()
}

fn minutes(m: i64) -> chrono::Duration {
    chrono::Duration::minutes(m)
}

/// An incident posted between two hourly polls is announced by the next one, at the test
/// clock's time (not the computer's), once; a sleep of three hours (the wall clock jumps,
/// the monotonic one does not) is noticed within a clock check and the page read at once,
/// so its resolution is not missed until the next poll.
#[tokio::test(start_paused = true)]
async fn hours_of_watching_and_a_sleep_on_paused_time() {
    let start = Utc
        .with_ymd_and_hms(2026, 3, 1, 10, 0, 0)
        .single()
        .expect("date");
    let clock = Arc::new(TestClock::starting_at(start, Utc.fix()));
    let pages = Canned::default();
    let summary_url = format!("{PAGE}/api/v2/summary.json");
    pages.set(&summary_url, summary(PAGE, &[]));
    let dir = tempfile::tempdir().expect("tempdir");
    let history = History::open(dir.path()).expect("history");
    let shown = Arc::new(Shown::default());
    let (mut watcher, handle) = Watcher::with_clock(
        config(),
        history,
        Arc::clone(&shown) as Arc<dyn Notifier>,
        Arc::clone(&clock) as Arc<dyn Clock>,
    )
    .expect("watcher");
    watcher.fetcher = Fetcher::canned(pages.clone());
    let mut events = handle.events.subscribe();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(watcher.run(async {
        let _ = stopped.await;
    }));

    // The first poll is the baseline, at once.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let baseline = drain(&mut events);
    assert_eq!(baseline.len(), 1, "{baseline:?}");
    assert_eq!(baseline[0].0, "baseline");
    assert!(baseline[0].1 - start < minutes(1), "{baseline:?}");

    // Posted at 10:05: nothing is said before the next poll (54–66 minutes after the first).
    tokio::time::sleep(Duration::from_secs(4 * 60)).await;
    let incident = FakeIncident {
        id: "inc-1",
        title: "Elevated errors",
        status: "investigating",
        impact: "major",
    };
    pages.set(&summary_url, summary(PAGE, &[incident]));
    tokio::time::sleep(Duration::from_secs(45 * 60)).await;
    assert_eq!(drain(&mut events), [], "before the next poll");
    assert!(shown.titles().is_empty());
    tokio::time::sleep(Duration::from_secs(20 * 60)).await;
    let opened = drain(&mut events);
    let kinds: Vec<&str> = opened.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, ["incident_opened", "notified"], "{opened:?}");
    let at = opened[0].1;
    assert!(
        at >= start + minutes(54) && at <= start + minutes(67),
        "opened at {at}, the hourly poll's time on the test clock"
    );
    assert_eq!(shown.titles().len(), 1, "{:?}", shown.titles());

    // The machine sleeps three hours; the incident is resolved meanwhile. The wall clock
    // jumps on waking, the monotonic one does not: that is how the sleep is noticed.
    pages.set(&summary_url, summary(PAGE, &[]));
    let woke_at = clock.wall() + chrono::Duration::hours(3);
    clock.jump(chrono::Duration::hours(3));
    tokio::time::sleep(Duration::from_secs(10)).await;
    let resolved = drain(&mut events);
    let kinds: Vec<&str> = resolved.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, ["incident_resolved", "notified"], "{resolved:?}");
    assert!(
        (resolved[0].1 - woke_at) <= chrono::Duration::seconds(10),
        "resolved at {}, within a clock check of waking at {woke_at}",
        resolved[0].1
    );
    assert_eq!(shown.titles().len(), 2, "{:?}", shown.titles());

    // Hours more of quiet polling say nothing again.
    tokio::time::sleep(Duration::from_secs(5 * 3600)).await;
    assert_eq!(drain(&mut events), []);
    assert_eq!(shown.titles().len(), 2);
    let _ = stop.send(());
    running.await.expect("watcher task");
}

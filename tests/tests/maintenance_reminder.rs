//! A scheduled maintenance is announced once ahead of its start, also across a kill -9, and a reschedule moves the reminder.

use chrono::{Duration, Utc};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary_with_scheduled_maintenance, SUMMARY_PATH};
use outage_radar_tests::scenario::Scenario;
use outage_radar_tests::{eventually, WAIT};

const TITLE: &str = "Database upgrade";

fn upcoming(events: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    events
        .iter()
        .filter(|e| e["event"] == "maintenance_upcoming")
        .collect()
}

/// The event's `starts_at`, in whole seconds (the page gives milliseconds).
fn starts(event: &serde_json::Value) -> i64 {
    event["starts_at"]
        .as_str()
        .and_then(|s| s.parse::<chrono::DateTime<Utc>>().ok())
        .unwrap_or_else(|| panic!("starts_at: {event}"))
        .timestamp()
}

async fn polls_after(server: &FakeServer, n: usize) {
    outage_radar_tests::polls_after(server, SUMMARY_PATH, n).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_maintenance_is_announced_once_ahead_and_a_reschedule_moves_it() {
    let Some(scenario) = Scenario::start().await else {
        return;
    };
    let server = FakeServer::start().await;
    let page = server.url();
    let starts_at = Utc::now() + Duration::minutes(30);
    server.set(
        SUMMARY_PATH,
        Reply::json(summary_with_scheduled_maintenance(
            &page, "m-1", TITLE, starts_at,
        )),
    );
    let config = outage_radar_tests::write_config(
        scenario.dir.path(),
        1,
        "",
        &[("Fake Cloud", &page, "maintenance_reminder_minutes = 60")],
    );

    // 30 min ahead, reminders 60 min ahead: due at once, even on the first read.
    let mut w = scenario.watch(&config);
    let told = w.wait_for("maintenance_upcoming", WAIT).await;
    assert_eq!(told["service"], "Fake Cloud");
    assert_eq!(told["incident_id"], "m-1");
    assert_eq!(told["title"], TITLE);
    assert_eq!(told["phase"], "scheduled");
    assert_eq!(told["impact"], "maintenance");
    assert_eq!(starts(&told), starts_at.timestamp());
    eventually(WAIT, "the reminder's pop-up", || {
        (scenario.notes.count() == 1).then_some(())
    })
    .await;
    // Killed only once the ledger has it delivered: before that, showing it again after a
    // crash would be right (at least once); after it, never.
    let notified = w.wait_for("notified", WAIT).await;
    assert_eq!(notified["title"], scenario.titles()[0]);
    polls_after(&server, 3).await;
    assert_eq!(
        upcoming(w.drain()).len(),
        1,
        "one reminder while it stays ahead: {:?}",
        w.seen
    );
    w.kill().await;

    // kill -9, then the same data dir: the ledger has it, nothing is said again.
    let mut w = scenario.watch(&config);
    polls_after(&server, 3).await;
    assert!(
        upcoming(w.drain()).is_empty(),
        "no second reminder after a restart: {:?}",
        w.seen
    );
    assert_eq!(scenario.notes.count(), 1, "{:?}", scenario.titles());

    // Moved to 3 h ahead: a new start, but not within 60 min yet, so nothing for now.
    let later = Utc::now() + Duration::hours(3);
    server.set(
        SUMMARY_PATH,
        Reply::json(summary_with_scheduled_maintenance(
            &page, "m-1", TITLE, later,
        )),
    );
    polls_after(&server, 4).await;
    assert!(
        upcoming(w.drain()).is_empty(),
        "a maintenance 3 h ahead is not due: {:?}",
        w.seen
    );
    w.stop().await;
    assert_eq!(scenario.notes.count(), 1, "{:?}", scenario.titles());

    // Time cannot be skipped 2 h here; a longer reminder shows the new start is a
    // reminder of its own, which the ledger's old one does not silence.
    let config = outage_radar_tests::write_config(
        scenario.dir.path(),
        1,
        "",
        &[("Fake Cloud", &page, "maintenance_reminder_minutes = 240")],
    );
    let mut w = scenario.watch(&config);
    let moved = w.wait_for("maintenance_upcoming", WAIT).await;
    assert_eq!(moved["incident_id"], "m-1");
    assert_eq!(starts(&moved), later.timestamp(), "the new start");
    eventually(WAIT, "the moved reminder's pop-up", || {
        (scenario.notes.count() == 2).then_some(())
    })
    .await;
    w.wait_for("notified", WAIT).await;
    polls_after(&server, 3).await;
    assert_eq!(upcoming(w.drain()).len(), 1, "{:?}", w.seen);
    w.stop().await;

    let got = scenario.notes.received();
    assert!(
        got[0].summary.starts_with("Fake Cloud — maintenance in "),
        "{:?}",
        got[0].summary
    );
    assert_eq!(
        got[0].body,
        format!("{TITLE}\nScheduled · maintenance impact\nAffects: API")
    );
    assert_eq!(got[0].urgency, Some(0), "a planned event is no alarm");
}

//! Notifications reach a real D-Bus notification server exactly once, also across restarts.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::{eventually, tools_available, WAIT};

async fn polls_after(server: &FakeServer, n: usize) {
    outage_radar_tests::polls_after(server, SUMMARY_PATH, n).await;
}
use std::path::Path;

fn incident(status: &'static str) -> FakeIncident {
    FakeIncident {
        id: "inc-42",
        title: "Elevated API errors",
        status,
        impact: "major",
    }
}

fn write_config(dir: &Path, url: &str) -> std::path::PathBuf {
    outage_radar_tests::write_config(dir, 1, "", &[("Fake Cloud", url, "")])
}

/// Waits until the watcher says the ledger has this notification: a kill before that
/// point may rightly show it again (at-least-once), after it never.
async fn delivery_recorded(w: &mut Watcher, title: &str) {
    loop {
        let seen = w.wait_for("notified", WAIT).await;
        if seen["title"] == title {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opened_identified_resolved_each_announced_once_across_restarts() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &page);
    let data = dir.path().join("data");

    // First run: a quiet baseline, then the incident opens and moves on.
    let mut w = Watcher::start(&config, &data, &bus.address);
    let baseline = w.wait_for("baseline", WAIT).await;
    assert_eq!(baseline["service"], "Fake Cloud");
    assert_eq!(baseline["status"], "operational");
    polls_after(&server, 1).await;
    assert_eq!(notes.count(), 0, "an all-clear baseline announces nothing");

    server.set(
        SUMMARY_PATH,
        Reply::json(summary(&page, &[incident("investigating")])),
    );
    let opened = w.wait_for("incident_opened", WAIT).await;
    assert_eq!(opened["incident_id"], "inc-42");
    assert_eq!(opened["phase"], "investigating");
    assert_eq!(opened["status"], "partial_outage");
    eventually(WAIT, "the 'opened' notification", || {
        (notes.count() == 1).then_some(())
    })
    .await;

    server.set(
        SUMMARY_PATH,
        Reply::json(summary(&page, &[incident("identified")])),
    );
    let updated = w.wait_for("incident_updated", WAIT).await;
    assert_eq!(updated["phase"], "identified");
    eventually(WAIT, "the 'identified' notification", || {
        (notes.count() == 2).then_some(())
    })
    .await;

    // Killed mid-incident (once delivery is on record) and restarted: nothing is
    // repeated, no new baseline.
    delivery_recorded(&mut w, "Fake Cloud — cause identified").await;
    w.kill().await;
    let mut w = Watcher::start(&config, &data, &bus.address);
    polls_after(&server, 3).await;
    assert_eq!(
        notes.count(),
        2,
        "a restart mid-incident repeats nothing: {:?}",
        notes.received()
    );
    assert!(
        w.drain().is_empty(),
        "no events after restart: {:?}",
        w.seen
    );
    w.stop().await;

    // Resolved while the app was closed: announced once at the next start.
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let mut w = Watcher::start(&config, &data, &bus.address);
    let resolved = w.wait_for("incident_resolved", WAIT).await;
    assert_eq!(resolved["incident_id"], "inc-42");
    eventually(WAIT, "the 'resolved' notification", || {
        (notes.count() == 3).then_some(())
    })
    .await;
    let resolved_title = notes.received()[2].summary.clone();
    delivery_recorded(&mut w, &resolved_title).await;
    w.kill().await;

    let w = Watcher::start(&config, &data, &bus.address);
    polls_after(&server, 3).await;
    w.stop().await;

    let got = notes.received();
    assert_eq!(
        got.len(),
        3,
        "exactly opened, identified, resolved: {got:#?}"
    );
    for n in &got {
        assert_eq!(n.app_name, "Outage Radar");
        assert!(n.body.starts_with("Elevated API errors\n"), "{n:?}");
        assert!(
            n.actions.contains(&"default".to_owned()),
            "clickable: {n:?}"
        );
    }
    assert_eq!(got[0].summary, "Fake Cloud — outage began");
    assert_eq!(
        got[0].body,
        "Elevated API errors\nInvestigating · major impact\nAffects: API"
    );
    assert_eq!(got[0].urgency, Some(1));
    assert_eq!(got[1].summary, "Fake Cloud — cause identified");
    assert_eq!(
        got[1].body,
        "Elevated API errors\nIdentified · major impact\nAffects: API"
    );
    assert!(
        got[2].summary.starts_with("Fake Cloud — resolved after "),
        "{:?}",
        got[2].summary
    );
    assert_eq!(got[2].urgency, Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_during_an_outage_is_one_grouped_notification() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let page = server.url();
    let second = FakeIncident {
        id: "inc-43",
        title: "Slow dashboard",
        status: "monitoring",
        impact: "minor",
    };
    server.set(
        SUMMARY_PATH,
        Reply::json(summary(&page, &[incident("identified"), second])),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &page);
    let data = dir.path().join("data");

    let mut w = Watcher::start(&config, &data, &bus.address);
    let baseline = w.wait_for("baseline", WAIT).await;
    assert_eq!(baseline["status"], "partial_outage");
    eventually(WAIT, "the baseline notification", || {
        (notes.count() == 1).then_some(())
    })
    .await;
    polls_after(&server, 3).await;
    w.kill().await;
    let w = Watcher::start(&config, &data, &bus.address);
    polls_after(&server, 3).await;
    w.stop().await;

    let got = notes.received();
    assert_eq!(
        got.len(),
        1,
        "one grouped notification, never repeated: {got:#?}"
    );
    // Led by the major incident; the minor one is listed under it.
    assert_eq!(got[0].summary, "Fake Cloud: ongoing — Elevated API errors");
    assert_eq!(got[0].body, "Ongoing: Slow dashboard");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_page_is_never_an_outage() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(
        SUMMARY_PATH,
        Reply::json(summary(&page, &[incident("investigating")])),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &page);
    let data = dir.path().join("data");

    let mut w = Watcher::start(&config, &data, &bus.address);
    w.wait_for("baseline", WAIT).await;
    eventually(WAIT, "the baseline notification", || {
        (notes.count() == 1).then_some(())
    })
    .await;

    // The page moved: HTML with status 200 is 'changed format', not resolved, not an outage;
    // then it errors: unreachable.
    server.set(
        SUMMARY_PATH,
        Reply::html("<!doctype html><html><body>We moved!</body></html>"),
    );
    let down = w.wait_for("source_changed_format", WAIT).await;
    assert!(
        down["reason"]
            .as_str()
            .is_some_and(|r| r.contains("expected Statuspage summary JSON, got an HTML page")),
        "{down}"
    );
    server.set(SUMMARY_PATH, Reply::json(b"{}".to_vec()).status(503));
    let gone = w.wait_for("source_unreachable", WAIT).await;
    assert!(
        gone["reason"]
            .as_str()
            .is_some_and(|r| r.ends_with("HTTP 503")),
        "{gone}"
    );
    polls_after(&server, 2).await;

    server.set(
        SUMMARY_PATH,
        Reply::json(summary(&page, &[incident("investigating")])),
    );
    w.wait_for("source_recovered", WAIT).await;
    polls_after(&server, 2).await;
    w.stop().await;
    let events: Vec<String> = w_events(&notes);
    assert_eq!(notes.count(), 1, "only the baseline: {events:?}");
}

fn w_events(notes: &NotificationServer) -> Vec<String> {
    notes.received().into_iter().map(|n| n.summary).collect()
}

/// Page text in a pop-up's body is text to every notification server: escaped for those
/// that read the body as markup, as it is for those that do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_text_in_a_pop_up_is_never_markup() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let hostile = "Errors <b>for</b> AT&T users, see <a href=\"file:///etc/passwd\">this</a>";
    let escaped =
        "Errors &lt;b&gt;for&lt;/b&gt; AT&amp;T users, see &lt;a href=\"file:///etc/passwd\"&gt;this&lt;/a&gt;";
    for (capabilities, want) in [
        (&["body", "body-markup", "actions"][..], escaped),
        (&["body", "actions"][..], hostile),
    ] {
        let bus = PrivateBus::start();
        let notes = NotificationServer::start_with(&bus, capabilities).await;
        let server = FakeServer::start().await;
        let page = server.url();
        server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
        let dir = tempfile::tempdir().expect("tempdir");
        let config = write_config(dir.path(), &page);
        let mut w = Watcher::start(&config, &dir.path().join("data"), &bus.address);
        w.wait_for("baseline", WAIT).await;
        let opened = FakeIncident {
            id: "inc-markup",
            title: hostile,
            status: "investigating",
            impact: "major",
        };
        server.set(SUMMARY_PATH, Reply::json(summary(&page, &[opened])));
        notes
            .wait_for(WAIT, "the outage's pop-up", |s| s.contains("outage began"))
            .await;
        let got = notes.received();
        let body = &got.last().expect("a pop-up").body;
        assert!(
            body.lines().next() == Some(want),
            "{capabilities:?}: body {body:?}"
        );
        w.stop().await;
    }
}

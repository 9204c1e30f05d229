//! Alerts a user can trust, end to end: the headless watcher, fake pages on 127.0.0.1 and a
//! notification server on a private D-Bus. Each test counts what reached the daemon.

use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_with, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::scenario::Scenario;
use outage_radar_tests::{eventually, polls_after, WAIT};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const OUTAGE: FakeIncident = FakeIncident {
    id: "inc-9",
    title: "Elevated API errors",
    status: "investigating",
    impact: "major",
};

fn config(dir: &Path, extra: &str, services: &[(&str, &str, &str)]) -> PathBuf {
    outage_radar_tests::write_config(dir, 1, extra, services)
}

fn events_named<'a>(w: &'a mut Watcher, name: &str) -> Vec<&'a serde_json::Value> {
    w.drain().iter().filter(|e| e["event"] == name).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_sources_failing_is_one_offline_state_and_no_alarm() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let a = FakeServer::start().await;
    let b = FakeServer::start().await;
    a.set(SUMMARY_PATH, Reply::json(summary(&a.url(), &[])));
    b.set(SUMMARY_PATH, Reply::json(summary(&b.url(), &[])));
    let cfg = config(
        s.dir.path(),
        "",
        &[("Alpha", &a.url(), ""), ("Beta", &b.url(), "")],
    );
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;
    w.wait_for("baseline", WAIT).await;

    // The user's network goes away: both pages fail at once (one with an error, one with a
    // captive portal's HTML).
    a.set(SUMMARY_PATH, Reply::json(b"{}".to_vec()).status(502));
    b.set(
        SUMMARY_PATH,
        Reply::html("<html><body>Sign in to the hotel Wi-Fi</body></html>"),
    );
    let offline = w.wait_for("offline", WAIT).await;
    assert_eq!(offline["service"], "*");
    polls_after(&a, SUMMARY_PATH, 3).await;
    assert_eq!(
        events_named(&mut w, "offline").len(),
        1,
        "one offline state"
    );
    assert!(
        events_named(&mut w, "source_unreachable").is_empty(),
        "no per-service noise: {:?}",
        w.seen
    );
    assert!(
        events_named(&mut w, "source_changed_format").is_empty(),
        "{:?}",
        w.seen
    );

    // Back online; meanwhile Alpha really had an incident: that, and only that, is announced.
    a.set(SUMMARY_PATH, Reply::json(summary(&a.url(), &[OUTAGE])));
    b.set(SUMMARY_PATH, Reply::json(summary(&b.url(), &[])));
    w.wait_for("online", WAIT).await;
    let opened = w.wait_for("incident_opened", WAIT).await;
    assert_eq!(opened["service"], "Alpha");
    eventually(WAIT, "the outage notification", || {
        (s.notes.count() == 1).then_some(())
    })
    .await;
    polls_after(&a, SUMMARY_PATH, 2).await;
    w.stop().await;
    let got = s.notes.received();
    assert_eq!(got.len(), 1, "only the real change: {got:#?}");
    assert_eq!(got[0].summary, "Alpha — outage began");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flapping_component_is_one_notification() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let server = FakeServer::start().await;
    let page = server.url();
    let with = |api: &str| {
        Reply::json(summary_with(
            &page,
            &[],
            &[("API", api), ("Web", "operational")],
        ))
    };
    server.set(SUMMARY_PATH, with("operational"));
    let cfg = config(
        s.dir.path(),
        "[notifications]\nflap_window_minutes = 10",
        &[("Flappy", &page, "")],
    );
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;

    for status in [
        "degraded_performance",
        "operational",
        "partial_outage",
        "operational",
        "degraded_performance",
        "operational",
    ] {
        server.set(SUMMARY_PATH, with(status));
        polls_after(&server, SUMMARY_PATH, 2).await;
    }
    w.stop().await;
    let got = s.notes.received();
    assert_eq!(got.len(), 1, "one story, not a pop-up per flap: {got:#?}");
    assert_eq!(got[0].summary, "Flappy — API degraded");
    assert_eq!(got[0].body, "API\nAPI: operational → degraded");
}

/// "HH:MM" of the UTC time `offset_secs` from now (the watcher runs with TZ=UTC).
fn utc_hhmm(offset_secs: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let t = (now + offset_secs).rem_euclid(86_400);
    format!("{:02}:{:02}", t / 3600, (t % 3600) / 60)
}

/// title, not_before, delivered_at, last_error
type OutboxRow = (String, Option<String>, Option<String>, Option<String>);

/// Waits until the watcher says this notification is in the ledger, so a kill after it
/// cannot rightly show it again.
async fn notified(w: &mut Watcher, title: &str) {
    loop {
        if w.wait_for("notified", WAIT).await["title"] == title {
            return;
        }
    }
}

/// A component that breaks, recovers for good and breaks again is two stories, each
/// announced: also when the app was restarted in between. (With a flap window of 0 every
/// recovery holds at once, so each break after one is past the window.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_component_that_breaks_again_after_recovering_is_announced_again() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let server = FakeServer::start().await;
    let page = server.url();
    let with = |api: &str| {
        Reply::json(summary_with(
            &page,
            &[],
            &[("API", api), ("Web", "operational")],
        ))
    };
    server.set(SUMMARY_PATH, with("operational"));
    let cfg = config(
        s.dir.path(),
        "[notifications]\nflap_window_minutes = 0",
        &[("Rebreak", &page, "")],
    );
    const BROKE: &str = "Rebreak — API degraded";
    const BACK: &str = "Rebreak — API recovered";
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;

    let mut expected = Vec::new();
    for (status, title) in [
        ("degraded_performance", BROKE),
        ("operational", BACK),
        ("degraded_performance", BROKE),
    ] {
        server.set(SUMMARY_PATH, with(status));
        notified(&mut w, title).await;
        expected.push(title);
    }

    // Killed while broken; it recovers and breaks again while the app is away and back.
    w.kill().await;
    server.set(SUMMARY_PATH, with("operational"));
    let mut w = s.watch(&cfg);
    notified(&mut w, BACK).await;
    expected.push(BACK);
    server.set(SUMMARY_PATH, with("degraded_performance"));
    notified(&mut w, BROKE).await;
    expected.push(BROKE);
    polls_after(&server, SUMMARY_PATH, 2).await;
    w.stop().await;

    let got: Vec<String> = s.notes.received().into_iter().map(|n| n.summary).collect();
    assert_eq!(got, expected, "each breakage and each recovery once");
}

/// An incident the page closes and then reopens under the same id is news each time, also
/// when the app was restarted in between; its second resolution too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reopened_incident_is_announced_again() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let server = FakeServer::start().await;
    let page = server.url();
    let with = |status: &'static str| {
        let incident = FakeIncident { status, ..OUTAGE };
        Reply::json(summary(&page, &[incident]))
    };
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let cfg = config(s.dir.path(), "", &[("Reopen", &page, "")]);
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;

    let mut titles = Vec::new();
    let mut expect = async |w: &mut Watcher, status, prefix: &str| {
        server.set(SUMMARY_PATH, with(status));
        loop {
            let title = w.wait_for("notified", WAIT).await["title"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if title.starts_with(prefix) {
                titles.push(title);
                return;
            }
        }
    };
    expect(&mut w, "investigating", "Reopen — outage began").await;
    expect(&mut w, "resolved", "Reopen — resolved").await;
    // Killed after the resolution; the page reopens it while the app is away.
    w.kill().await;
    let mut w = s.watch(&cfg);
    expect(&mut w, "identified", "Reopen — reopened").await;
    expect(&mut w, "resolved", "Reopen — resolved").await;
    polls_after(&server, SUMMARY_PATH, 2).await;
    w.stop().await;

    let got: Vec<String> = s.notes.received().into_iter().map(|n| n.summary).collect();
    assert_eq!(got, titles, "each telling once");
    assert_eq!(got.len(), 4, "{got:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quiet_hours_drop_or_queue_but_history_records() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let drop_page = FakeServer::start().await;
    drop_page.set(SUMMARY_PATH, Reply::json(summary(&drop_page.url(), &[])));
    let quiet = format!(
        "[notifications]\nquiet_hours = {{ start = \"{}\", end = \"{}\", mode = \"drop\" }}",
        utc_hhmm(-3600),
        utc_hhmm(2 * 3600)
    );
    let cfg = config(s.dir.path(), &quiet, &[("Quiet", &drop_page.url(), "")]);
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;
    drop_page.set(
        SUMMARY_PATH,
        Reply::json(summary(&drop_page.url(), &[OUTAGE])),
    );
    w.wait_for("incident_opened", WAIT).await;
    polls_after(&drop_page, SUMMARY_PATH, 2).await;
    w.stop().await;
    assert_eq!(
        s.notes.count(),
        0,
        "dropped during quiet hours: {:?}",
        s.notes.received()
    );

    // Queue mode: held in the outbox until quiet hours end.
    let queue = quiet.replace("\"drop\"", "\"queue\"");
    let cfg = config(s.dir.path(), &queue, &[("Quiet", &drop_page.url(), "")]);
    let mut w = s.watch(&cfg);
    polls_after(&drop_page, SUMMARY_PATH, 1).await;
    drop_page.set(SUMMARY_PATH, Reply::json(summary(&drop_page.url(), &[])));
    w.wait_for("incident_resolved", WAIT).await;
    polls_after(&drop_page, SUMMARY_PATH, 2).await;
    w.stop().await;
    assert_eq!(
        s.notes.count(),
        0,
        "queued, not shown: {:?}",
        s.notes.received()
    );

    let db = rusqlite::Connection::open(s.dir.path().join("data/history.sqlite3"))
        .expect("open history");
    let rows: Vec<OutboxRow> = db
        .prepare("SELECT title, not_before, delivered_at, last_error FROM outbox ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "Quiet — outage began");
    assert_eq!(rows[0].3.as_deref(), Some("dropped: quiet_hours"));
    assert!(rows[0].2.is_some(), "handled, never shown later");
    assert!(rows[1].0.starts_with("Quiet — resolved"), "{rows:?}");
    assert!(
        rows[1].1.is_some() && rows[1].2.is_none(),
        "queued until quiet hours end: {rows:?}"
    );
    let incident_phase: String = db
        .query_row("SELECT phase FROM incident WHERE id = 'inc-9'", [], |r| {
            r.get(0)
        })
        .expect("the incident is in history");
    assert_eq!(incident_phase, "resolved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn muted_service_and_unfollowed_component_stay_silent() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let muted = FakeServer::start().await;
    let followed = FakeServer::start().await;
    muted.set(SUMMARY_PATH, Reply::json(summary(&muted.url(), &[])));
    let comps = |api: &str, web: &str| {
        Reply::json(summary_with(
            &followed.url(),
            &[],
            &[("API", api), ("Web", web)],
        ))
    };
    followed.set(SUMMARY_PATH, comps("operational", "operational"));
    let cfg = config(
        s.dir.path(),
        "",
        &[
            ("Muted", &muted.url(), "notify = \"muted\""),
            ("Picky", &followed.url(), "components = [\"Web\"]"),
        ],
    );
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;
    w.wait_for("baseline", WAIT).await;

    muted.set(SUMMARY_PATH, Reply::json(summary(&muted.url(), &[OUTAGE])));
    followed.set(SUMMARY_PATH, comps("major_outage", "operational"));
    w.wait_for("incident_opened", WAIT).await;
    w.wait_for("component_degraded", WAIT).await;
    polls_after(&followed, SUMMARY_PATH, 2).await;
    assert_eq!(
        s.notes.count(),
        0,
        "muted service and unfollowed component: {:?}",
        s.notes.received()
    );

    followed.set(SUMMARY_PATH, comps("major_outage", "partial_outage"));
    eventually(WAIT, "the followed component's notification", || {
        (s.notes.count() == 1).then_some(())
    })
    .await;
    polls_after(&followed, SUMMARY_PATH, 2).await;
    w.stop().await;
    let got = s.notes.received();
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].summary, "Picky — Web partial outage");
}

/// Pop-ups held by quiet hours show when quiet hours end, on their own timer: no poll comes
/// (the interval is an hour), and they still come, within seconds of the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_pop_ups_show_when_quiet_hours_end_without_a_poll() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let page = FakeServer::start().await;
    page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[])));
    // Quiet hours end at the start of the minute after next: 60 to 120 s from now.
    let end = utc_hhmm(120);
    let quiet = format!(
        "[notifications]\nquiet_hours = {{ start = \"{}\", end = \"{end}\", mode = \"queue\" }}",
        utc_hhmm(-3600),
    );
    let cfg =
        outage_radar_tests::write_config(s.dir.path(), 3600, &quiet, &[("Quiet", &page.url(), "")]);
    let data = s.dir.path().join("data");
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;
    page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[OUTAGE])));
    let asked = outage_radar_tests::socket::ask(&data, serde_json::json!({"command": "check_now"}));
    assert!(asked.get("ok").is_some(), "{asked}");
    w.wait_for("incident_opened", WAIT).await;
    let polls = page.hits(SUMMARY_PATH);
    assert_eq!(s.notes.count(), 0, "held: {:?}", s.notes.received());
    // Up to two minutes to the end of quiet hours, then a few seconds.
    let shown = outage_radar_tests::eventually(Duration::from_secs(150), "the held pop-up", || {
        s.notes.received().into_iter().next()
    })
    .await;
    assert_eq!(shown.summary, "Quiet — outage began");
    assert_eq!(page.hits(SUMMARY_PATH), polls, "no poll brought it");
    let now = utc_hhmm(0);
    assert!(
        now >= end || end == "00:00",
        "not before the end: {now} < {end}"
    );
    w.stop().await;
}

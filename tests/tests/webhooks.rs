//! Webhooks from the real binary to receivers on 127.0.0.1: every kind once per change,
//! filters, a refusing target, a receiver down across restarts; and `--metrics` scraped.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_with, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::{eventually_async, polls_after, tools_available, WAIT};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
/// No session bus at all: a server's `watch --headless`, pop-ups off, webhooks on.
const NO_BUS: &str = "unix:path=/nonexistent/outage-radar-test-bus";

fn incident(id: &'static str, impact: &'static str) -> FakeIncident {
    FakeIncident {
        id,
        title: if impact == "major" {
            "Elevated API errors"
        } else {
            "Slow dashboard"
        },
        status: "investigating",
        impact,
    }
}

/// Events of these names seen so far.
fn count(seen: &[Value], names: &[&str]) -> usize {
    seen.iter()
        .filter(|e| names.iter().any(|n| e["event"] == *n))
        .count()
}

/// The Standard Webhooks signature, computed here with the `hmac` crate directly.
fn signature_ok(secret: &str, id: &str, timestamp: &str, body: &[u8], header: &str) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("key");
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    let want = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    header
        .split_whitespace()
        .any(|s| s.strip_prefix("v1,") == Some(want.as_str()))
}

fn json_bodies(server: &FakeServer, path: &str) -> Vec<Value> {
    server
        .request_bodies(path)
        .iter()
        .map(|b| serde_json::from_slice(b).expect("a JSON body"))
        .collect()
}

/// The config: the watched page, a disabled second service (for a filter to name), and
/// `webhooks` TOML.
fn write_config(dir: &Path, page: &str, webhooks: &str) -> std::path::PathBuf {
    outage_radar_tests::write_config(
        dir,
        1,
        webhooks,
        &[("Fake Cloud", page, ""), ("Other", page, "enabled = false")],
    )
}

/// Every kind gets each change once, in the words of the pop-ups; `services` and
/// `min_impact` filter; a 404 target stops after one try per delivery and says why; a
/// restart sends nothing again. Runs with no session bus: pop-ups are off, webhooks are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_gets_each_change_once_and_filters_hold() {
    let page = FakeServer::start().await;
    let url = page.url();
    page.set(SUMMARY_PATH, Reply::json(summary(&url, &[])));
    let rx = FakeServer::start().await;
    for path in [
        "/json/SECRET",
        "/slack/SECRET",
        "/discord/SECRET",
        "/teams/SECRET",
        "/",
        "/other/SECRET",
        "/major/SECRET",
    ] {
        rx.set(path, Reply::json("{}"));
    }
    rx.set("/gone/SECRET", Reply::html("no_service").status(404));
    let r = rx.url();
    let webhooks = format!(
        r#"
[[webhooks]]
url = "{r}/json/SECRET"
secret = "{SECRET}"

[[webhooks]]
url = "{r}/slack/SECRET"
kind = "slack"

[[webhooks]]
url = "{r}/discord/SECRET"
kind = "discord"

[[webhooks]]
url = "{r}/teams/SECRET"
kind = "teams"

[[webhooks]]
url = "{r}/team-alerts-SECRET"
kind = "ntfy"

[[webhooks]]
url = "{r}/gone/SECRET"
kind = "slack"

[[webhooks]]
url = "{r}/other/SECRET"
services = ["Other"]

[[webhooks]]
url = "{r}/major/SECRET"
min_impact = "major"
"#
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &url, &webhooks);
    let data = dir.path().join("data");
    let ends = ["webhook_delivered", "webhook_failed"];

    let mut w = Watcher::start(&config, &data, NO_BUS);
    w.wait_for("baseline", WAIT).await;
    polls_after(&page, SUMMARY_PATH, 1).await;

    // A minor incident: the five kinds get it, the 404 target fails once, the filters hold.
    page.set(
        SUMMARY_PATH,
        Reply::json(summary(&url, &[incident("inc-1", "minor")])),
    );
    w.wait_until("the minor incident's deliveries", WAIT, |seen| {
        count(seen, &ends) >= 6
    })
    .await;
    // A major one on top: the major-only target gets it too.
    page.set(
        SUMMARY_PATH,
        Reply::json(summary(
            &url,
            &[incident("inc-1", "minor"), incident("inc-2", "major")],
        )),
    );
    w.wait_until("the major incident's deliveries", WAIT, |seen| {
        count(seen, &ends) >= 13
    })
    .await;
    // Both resolved.
    page.set(SUMMARY_PATH, Reply::json(summary(&url, &[])));
    w.wait_until("the resolutions' deliveries", WAIT, |seen| {
        count(seen, &ends) >= 26
    })
    .await;
    polls_after(&page, SUMMARY_PATH, 2).await;
    let run = w.drain().to_vec();
    w.stop().await;
    // A restart announces and sends nothing again.
    let mut w = Watcher::start(&config, &data, NO_BUS);
    polls_after(&page, SUMMARY_PATH, 3).await;
    let after_restart = w.drain().to_vec();
    w.stop().await;
    assert!(
        after_restart.is_empty(),
        "nothing after the restart: {after_restart:?}"
    );

    // What `--json` said: targets only redacted, why the 404 one failed, no pop-ups.
    for e in &run {
        let line = e.to_string();
        assert!(!line.contains("SECRET"), "a credential in {line}");
    }
    assert_eq!(count(&run, &["webhook_delivered"]), 22);
    assert_eq!(count(&run, &["webhook_retrying", "notified"]), 0, "{run:?}");
    let failed: Vec<(&str, &str)> = run
        .iter()
        .filter(|e| e["event"] == "webhook_failed")
        .map(|e| {
            (
                e["target"].as_str().unwrap_or(""),
                e["reason"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let gone = format!("127.0.0.1:{}/gone/SE…", rx.port());
    assert_eq!(failed, vec![(gone.as_str(), "HTTP 404: no_service"); 4]);

    let per_path: BTreeMap<&str, usize> = [
        "/json/SECRET",
        "/slack/SECRET",
        "/discord/SECRET",
        "/teams/SECRET",
        "/",
        "/gone/SECRET",
        "/other/SECRET",
        "/major/SECRET",
    ]
    .into_iter()
    .map(|p| (p, rx.hits(p)))
    .collect();
    let want: BTreeMap<&str, usize> = [
        ("/json/SECRET", 4),
        ("/slack/SECRET", 4),
        ("/discord/SECRET", 4),
        ("/teams/SECRET", 4),
        ("/", 4),
        // One try per delivery, never a retry.
        ("/gone/SECRET", 4),
        ("/other/SECRET", 0),
        ("/major/SECRET", 2),
    ]
    .into_iter()
    .collect();
    assert_eq!(per_path, want);
    assert_eq!(rx.total_hits(), 26);

    // The JSON body is the event plus its id; the signature checks out.
    let bodies = json_bodies(&rx, "/json/SECRET");
    let events: Vec<(&str, &str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["event"].as_str().unwrap_or(""),
                b["incident_id"].as_str().unwrap_or(""),
                b["impact"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        events[..2],
        [
            ("incident_opened", "inc-1", "minor"),
            ("incident_opened", "inc-2", "major")
        ]
    );
    let mut resolved = events[2..].to_vec();
    resolved.sort();
    assert_eq!(
        resolved,
        [
            ("incident_resolved", "inc-1", "minor"),
            ("incident_resolved", "inc-2", "major")
        ]
    );
    assert_eq!(bodies[0]["service"], "Fake Cloud");
    assert_eq!(bodies[0]["status"], "degraded");
    assert_eq!(
        bodies[0]["url"].as_str(),
        Some(format!("{url}/incidents/inc-1").as_str())
    );
    let ids: HashSet<&str> = bodies.iter().filter_map(|b| b["id"].as_str()).collect();
    assert_eq!(ids.len(), 4, "a different id for every delivery");
    let raw = rx.request_bodies("/json/SECRET");
    let header = |name: &str| rx.request_headers("/json/SECRET", name);
    for (((body, b), id), (stamp, sig)) in raw.iter().zip(&bodies).zip(header("webhook-id")).zip(
        header("webhook-timestamp")
            .into_iter()
            .zip(header("webhook-signature")),
    ) {
        let id = id.expect("webhook-id");
        assert_eq!(b["id"].as_str(), Some(id.as_str()));
        assert!(
            signature_ok(
                SECRET,
                &id,
                &stamp.expect("timestamp"),
                body,
                &sig.expect("signature")
            ),
            "signature of {id}"
        );
    }
    assert!(
        header("webhook-signature").iter().all(Option::is_some),
        "signed"
    );
    assert!(
        rx.request_headers("/slack/SECRET", "webhook-signature")
            .iter()
            .all(Option::is_none),
        "no secret, no signature"
    );

    // Each kind in its own shape, with the pop-ups' words.
    let slack = json_bodies(&rx, "/slack/SECRET");
    assert_eq!(slack[0]["text"], "Fake Cloud — incident began");
    assert!(slack[0]["blocks"][1]["elements"][0]["text"]
        .as_str()
        .is_some_and(|t| t.ends_with("/incidents/inc-1|View incident>")));
    let discord = json_bodies(&rx, "/discord/SECRET");
    let content = discord[1]["content"].as_str().expect("content");
    assert!(
        content.starts_with("**Fake Cloud — outage began**\nElevated API errors"),
        "{content}"
    );
    assert!(content.chars().count() <= 2000);
    let teams = json_bodies(&rx, "/teams/SECRET");
    assert_eq!(
        teams[0]["attachments"][0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert_eq!(
        teams[0]["attachments"][0]["content"]["body"][0]["text"],
        "Fake Cloud — incident began"
    );
    let ntfy = json_bodies(&rx, "/");
    let priorities: Vec<(&str, i64)> = ntfy
        .iter()
        .take(2)
        .map(|b| {
            (
                b["topic"].as_str().unwrap_or(""),
                b["priority"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        priorities,
        [("team-alerts-SECRET", 3), ("team-alerts-SECRET", 5)],
        "a major outage is louder"
    );
    let major = json_bodies(&rx, "/major/SECRET");
    assert_eq!(
        (major[0]["event"].as_str(), major[1]["event"].as_str()),
        (Some("incident_opened"), Some("incident_resolved"))
    );
    assert!(major.iter().all(|b| b["incident_id"] == "inc-2"));
}

/// A receiver that answers 503 for a while, and the app restarted in between (once killed,
/// once stopped): every change arrives once, each delivery under one id on every try, and
/// a healthy target beside it gets each change exactly once. Prints the counts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_down_across_restarts_gets_everything_once() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    // Pop-ups on this time: they and the webhooks do not get in each other's way.
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let page = FakeServer::start().await;
    let url = page.url();
    page.set(SUMMARY_PATH, Reply::json(summary(&url, &[])));
    let rx = FakeServer::start().await;
    rx.set("/down/SECRET", Reply::html("busy").status(503));
    rx.set("/up/SECRET", Reply::json("{}"));
    let r = rx.url();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        &url,
        &format!(
            "[[webhooks]]\nurl = \"{r}/down/SECRET\"\nsecret = \"{SECRET}\"\n\n\
             [[webhooks]]\nurl = \"{r}/up/SECRET\"\nkind = \"slack\"\n"
        ),
    );
    let data = dir.path().join("data");
    let retrying = |n: usize| move |seen: &[Value]| count(seen, &["webhook_retrying"]) >= n;

    let mut w = Watcher::start(&config, &data, &bus.address);
    w.wait_for("baseline", WAIT).await;
    page.set(
        SUMMARY_PATH,
        Reply::json(summary(&url, &[incident("inc-1", "major")])),
    );
    // The first try, then a retry on the app's own backoff (10–20 s).
    w.wait_until("the first 503", WAIT, retrying(1)).await;
    w.wait_until("a retry after backoff", WAIT, retrying(2))
        .await;
    // Killed: its next retry is 20–40 s away, but a start tries within seconds.
    w.kill().await;
    let mut w = Watcher::start(&config, &data, &bus.address);
    w.wait_until("a retry soon after the start", WAIT, retrying(1))
        .await;
    // The receiver is back; a clean stop and start, and it is delivered.
    rx.set("/down/SECRET", Reply::json("{}"));
    let before_up = rx.hits("/down/SECRET");
    w.stop().await;
    let mut w = Watcher::start(&config, &data, &bus.address);
    w.wait_for("webhook_delivered", WAIT).await;
    // Resolved: delivered at once.
    page.set(SUMMARY_PATH, Reply::json(summary(&url, &[])));
    w.wait_until("the resolution delivered", WAIT, |seen| {
        count(seen, &["webhook_delivered"]) >= 2
    })
    .await;
    w.stop().await;
    // One more start: nothing left to send.
    let w = Watcher::start(&config, &data, &bus.address);
    polls_after(&page, SUMMARY_PATH, 3).await;
    w.stop().await;

    let ids: Vec<String> = rx
        .request_headers("/down/SECRET", "webhook-id")
        .into_iter()
        .map(|id| id.expect("webhook-id"))
        .collect();
    let bodies = rx.request_bodies("/down/SECRET");
    let opened = &ids[0];
    let tries_of_opened = ids.iter().filter(|id| *id == opened).count();
    let resolved: Vec<&String> = ids.iter().filter(|id| *id != opened).collect();
    println!(
        "figure: receiver down: opened delivered after {tries_of_opened} tries \
         ({} answered 503, 1 answered 200) under one id; resolved delivered in {} try; \
         healthy target got {} requests for 2 changes; 2xx per id: opened 1, resolved 1",
        tries_of_opened - 1,
        resolved.len(),
        rx.hits("/up/SECRET")
    );
    assert!(
        tries_of_opened >= 4,
        "first try, a backoff retry, one after each start: {ids:?}"
    );
    assert_eq!(resolved.len(), 1, "{ids:?}");
    assert_eq!(
        rx.hits("/down/SECRET") - before_up,
        2,
        "once the receiver was back: one request per delivery"
    );
    let opened_bodies: Vec<&Vec<u8>> = bodies
        .iter()
        .zip(&ids)
        .filter(|(_, id)| *id == opened)
        .map(|(b, _)| b)
        .collect();
    assert!(
        opened_bodies.windows(2).all(|p| p[0] == p[1]),
        "the same body on every try"
    );
    let opened_body: Value = serde_json::from_slice(opened_bodies[0]).expect("json");
    assert_eq!(opened_body["id"].as_str(), Some(opened.as_str()));
    assert_eq!(opened_body["event"], "incident_opened");
    let stamps = rx.request_headers("/down/SECRET", "webhook-timestamp");
    let sigs = rx.request_headers("/down/SECRET", "webhook-signature");
    for ((body, id), (stamp, sig)) in bodies.iter().zip(&ids).zip(stamps.iter().zip(&sigs)) {
        let (stamp, sig) = (stamp.as_deref().unwrap_or(""), sig.as_deref().unwrap_or(""));
        assert!(
            signature_ok(SECRET, id, stamp, body, sig),
            "{id} at {stamp}"
        );
    }
    // The healthy target beside it: each change once, whatever happened to the other.
    let up = json_bodies(&rx, "/up/SECRET");
    assert_eq!(up.len(), 2, "{up:?}");
    assert_eq!(up[0]["text"], "Fake Cloud — outage began");
    assert!(up[1]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Fake Cloud — resolved")));
    // And the pop-ups went their own way: once each.
    assert_eq!(notes.count(), 2, "{:?}", notes.received());
}

/// Samples by metric name and sorted labels, read by a Prometheus text-format parser.
fn scrape_values(text: &str) -> BTreeMap<String, f64> {
    let lines = text.lines().map(|l| Ok(l.to_owned()));
    let scrape = prometheus_parse::Scrape::parse(lines).expect("a valid exposition");
    scrape
        .samples
        .into_iter()
        .map(|s| {
            let v = match s.value {
                prometheus_parse::Value::Gauge(v) | prometheus_parse::Value::Untyped(v) => v,
                other => panic!("{}: {other:?}", s.metric),
            };
            (format!("{}{{{}}}", s.metric, s.labels), v)
        })
        .collect()
}

async fn scrape(addr: &str) -> Option<BTreeMap<String, f64>> {
    let response = reqwest::get(format!("http://{addr}/metrics")).await.ok()?;
    assert_eq!(response.status(), 200);
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    Some(scrape_values(&response.text().await.ok()?))
}

/// `watch --headless --metrics ADDR` of the real binary, scraped over HTTP: the values
/// follow the page going down and coming back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_follow_a_page_over_http() {
    let page = FakeServer::start().await;
    let url = page.url();
    page.set(SUMMARY_PATH, Reply::json(summary(&url, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), &url, "");
    let port = {
        let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        free.local_addr().expect("addr").port()
    };
    let addr = format!("127.0.0.1:{port}");
    let mut w = Watcher::start_with(
        &config,
        &dir.path().join("data"),
        NO_BUS,
        &["--metrics", &addr],
        &[],
    );
    w.wait_for("baseline", WAIT).await;
    let state =
        |s: &str| format!(r#"outage_radar_service_state{{service="Fake Cloud",state="{s}"}}"#);
    let open_major = r#"outage_radar_open_incidents{impact="major",service="Fake Cloud"}"#;
    let until = async |want: &'static str| {
        let key = state(want);
        eventually_async(WAIT, &format!("the metrics to say {want}"), async || {
            scrape(&addr).await.filter(|m| m.get(&key) == Some(&1.0))
        })
        .await
    };
    let before = until("operational").await;
    assert_eq!(before.get(&state("major_outage")), Some(&0.0));
    assert_eq!(before.get(open_major), Some(&0.0));
    assert_eq!(
        before.get(r#"outage_radar_service_readable{service="Fake Cloud"}"#),
        Some(&1.0)
    );
    assert!(
        before
            .get(r#"outage_radar_seconds_since_last_good_read{service="Fake Cloud"}"#)
            .is_some_and(|s| *s >= 0.0),
        "{before:?}"
    );
    assert!(
        !before.keys().any(|k| k.contains("service=\"Other\"")),
        "disabled"
    );

    page.set(
        SUMMARY_PATH,
        Reply::json(summary_with(
            &url,
            &[incident("inc-1", "major")],
            &[("API", "major_outage"), ("Web", "operational")],
        )),
    );
    let during = until("major_outage").await;
    assert_eq!(during.get(open_major), Some(&1.0));
    assert_eq!(during.get(&state("operational")), Some(&0.0));

    page.set(SUMMARY_PATH, Reply::json(summary(&url, &[])));
    let after = until("operational").await;
    assert_eq!(after.get(open_major), Some(&0.0));
    w.stop().await;
    assert!(scrape(&addr).await.is_none(), "stopped with the watcher");
}

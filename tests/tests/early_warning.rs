//! Early warning end to end: the headless watcher probes a fake API on 127.0.0.1 beside a
//! fake status page on another port, and a private D-Bus notification server counts pop-ups.

use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_now, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::scenario::Scenario;
use outage_radar_tests::{app_binary, eventually, WAIT};
use std::path::{Path, PathBuf};
use std::time::Duration;

const PROBE: &str = "/v1/models";
const ALARM: &str = "Possible outage of Fake AI — not on its status page yet";

const OUTAGE: FakeIncident = FakeIncident {
    id: "inc-77",
    title: "Elevated API errors",
    status: "investigating",
    impact: "major",
};

fn up() -> Reply {
    Reply::json(br#"{"error":{"message":"You didn't provide an API key."}}"#.to_vec()).status(401)
}

fn down() -> Reply {
    Reply::html("<html><body>502 Bad Gateway</body></html>").status(503)
}

/// One service with a probe; probes and page reads every second.
fn config(dir: &Path, page: &str, probe: &str) -> PathBuf {
    outage_radar_tests::write_config(
        dir,
        1,
        "[early_warning]\nprobe_interval_secs = 1",
        &[("Fake AI", page, &format!("probes = [\"{probe}\"]"))],
    )
}

async fn probes_after(api: &FakeServer, n: usize) {
    outage_radar_tests::polls_after(api, PROBE, n).await;
}

fn named<'a>(w: &'a mut Watcher, event: &str) -> Vec<&'a serde_json::Value> {
    w.drain().iter().filter(|e| e["event"] == event).collect()
}

/// The story of the project: the API fails, we warn once (and not again after a restart),
/// then the page opens the incident and the official pop-up says how much earlier we knew.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_probes_warn_once_then_the_page_confirms_with_the_lead() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let page = FakeServer::start().await;
    let api = FakeServer::start().await;
    page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[])));
    api.set(PROBE, up());
    let cfg = config(s.dir.path(), &page.url(), &format!("{}{PROBE}", api.url()));
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;

    // 401 without a key is an API that is up: several rounds, nothing.
    probes_after(&api, 4).await;
    assert!(named(&mut w, "suspected_outage").is_empty(), "{:?}", w.seen);
    assert_eq!(s.notes.count(), 0);

    api.set(PROBE, down());
    let suspected = w.wait_for("suspected_outage", WAIT).await;
    assert_eq!(suspected["service"], "Fake AI");
    assert!(
        suspected["reason"]
            .as_str()
            .is_some_and(|r| r.contains("answered 503")),
        "{suspected}"
    );
    eventually(WAIT, "the alarm", || (s.notes.count() == 1).then_some(())).await;
    assert_eq!(s.titles(), [ALARM]);
    let body = &s.notes.received()[0].body;
    assert!(body.contains("answered 503 three times since"), "{body}");
    assert!(body.contains("front door only"), "{body}");

    // Killed mid-suspicion and restarted: the suspicion is remembered, no second alarm.
    loop {
        if w.wait_for("notified", WAIT).await["title"] == ALARM {
            break;
        }
    }
    w.kill().await;
    let mut w = s.watch(&cfg);
    // Probes back off while an outage is suspected: two rounds are enough to show it.
    probes_after(&api, 2).await;
    assert!(named(&mut w, "suspected_outage").is_empty(), "{:?}", w.seen);
    assert_eq!(s.notes.count(), 1, "{:?}", s.titles());

    // The page says it at last: the official pop-up carries the lead.
    page.set(
        SUMMARY_PATH,
        Reply::json(summary_now(&page.url(), &[OUTAGE])),
    );
    let opened = w.wait_for("incident_opened", WAIT).await;
    let lead = opened["lead_secs"]
        .as_i64()
        .expect("lead_secs on incident_opened");
    println!("detection lead in the system test: {lead} s");
    assert!(lead > 0, "{opened}");
    eventually(WAIT, "the official pop-up", || {
        (s.notes.count() == 2).then_some(())
    })
    .await;
    let official = &s.notes.received()[1];
    assert_eq!(official.summary, "Fake AI — outage began");
    assert!(
        official.body.contains("Outage Radar suspected it"),
        "{}",
        official.body
    );
    outage_radar_tests::polls_after(&page, SUMMARY_PATH, 2).await;
    w.stop().await;
    assert_eq!(s.notes.count(), 2, "{:?}", s.titles());
}

/// One failing round (or two) is a blip below the threshold: nothing is said.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_blip_says_nothing() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let page = FakeServer::start().await;
    let api = FakeServer::start().await;
    page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[])));
    api.set(PROBE, up());
    let cfg = config(s.dir.path(), &page.url(), &format!("{}{PROBE}", api.url()));
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;
    probes_after(&api, 2).await;
    api.set(PROBE, down());
    probes_after(&api, 1).await;
    api.set(PROBE, up());
    probes_after(&api, 5).await;
    let seen = w.drain().to_vec();
    w.stop().await;
    assert_eq!(false_suspicions(&seen, "blip scenario"), 0, "{seen:?}");
    assert_eq!(s.notes.count(), 0, "{:?}", s.titles());
}

/// Two watched pages on their own ports and the first one's API on a third: a network a
/// test can take away and give back piece by piece.
struct Net {
    page: FakeServer,
    other: FakeServer,
    api: Option<FakeServer>,
}

impl Net {
    async fn start() -> Net {
        let api = FakeServer::start().await;
        api.set(PROBE, up());
        Net {
            page: quiet_page(FakeServer::start().await),
            other: quiet_page(FakeServer::start().await),
            api: Some(api),
        }
    }

    fn config(&self, dir: &Path) -> PathBuf {
        let api = self.api.as_ref().expect("the API is up");
        outage_radar_tests::write_config(
            dir,
            1,
            "[early_warning]\nprobe_interval_secs = 1",
            &[
                (
                    "Fake AI",
                    &self.page.url(),
                    &format!("probes = [\"{}{PROBE}\"]", api.url()),
                ),
                ("Other", &self.other.url(), ""),
            ],
        )
    }

    /// Every address refuses at once; returns the ports to come back on.
    fn go_down(self) -> [u16; 3] {
        let api = self.api.expect("the API is up");
        [self.page.port(), self.other.port(), api.port()]
    }

    /// The pages answer again on their old ports; the API only when asked.
    async fn pages_back(ports: [u16; 3]) -> Net {
        Net {
            page: quiet_page(FakeServer::start_on(ports[0]).await),
            other: quiet_page(FakeServer::start_on(ports[1]).await),
            api: None,
        }
    }

    async fn api_back(&mut self, ports: [u16; 3]) -> &FakeServer {
        let api = FakeServer::start_on(ports[2]).await;
        api.set(PROBE, up());
        self.api.insert(api)
    }
}

/// The watcher on a [`Net`], past its baseline and a couple of probes, then the network gone.
async fn watched_then_offline(s: &Scenario) -> (Watcher, [u16; 3]) {
    let net = Net::start().await;
    let mut w = s.watch(&net.config(s.dir.path()));
    w.wait_for("baseline", WAIT).await;
    probes_after(net.api.as_ref().expect("up"), 2).await;
    let ports = net.go_down();
    w.wait_for("offline", WAIT).await;
    (w, ports)
}

fn quiet_page(server: FakeServer) -> FakeServer {
    server.set(SUMMARY_PATH, Reply::json(summary(&server.url(), &[])));
    server
}

/// The `suspected_outage` events among `seen`, printed as the figure `scenario` reports.
fn false_suspicions(seen: &[serde_json::Value], scenario: &str) -> usize {
    let n = seen
        .iter()
        .filter(|e| e["event"] == "suspected_outage")
        .count();
    println!("false suspicions in the {scenario}: {n}");
    n
}

/// Everything unreachable at once is this machine's network: offline, never a suspicion.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everything_unreachable_is_offline_and_no_suspicion() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let (mut w, ports) = watched_then_offline(&s).await;
    // The scenario itself: offline long enough for the threshold many times over (a round a
    // second). Nothing answers meanwhile, so there is no hit count to wait for instead.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let mut net = Net::pages_back(ports).await;
    let api = net.api_back(ports).await;
    w.wait_for("online", WAIT).await;
    probes_after(api, 3).await;
    let seen = w.drain().to_vec();
    w.stop().await;
    assert_eq!(false_suspicions(&seen, "offline scenario"), 0, "{seen:?}");
    assert_eq!(s.notes.count(), 0, "{:?}", s.titles());
}

/// An API that publishes its request quota (GitHub: 60 an hour per address without a key)
/// is probed at a pace that leaves the user half of it: with that half already used, not
/// again until the quota starts over.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_published_quota_is_left_to_the_user() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let page = FakeServer::start().await;
    let api = FakeServer::start().await;
    page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[])));
    api.set(
        PROBE,
        up().header("x-ratelimit-limit", "60")
            .header("x-ratelimit-remaining", "30")
            .header("x-ratelimit-reset-after", "3600"),
    );
    let cfg = config(s.dir.path(), &page.url(), &format!("{}{PROBE}", api.url()));
    let mut w = s.watch(&cfg);
    w.wait_for("baseline", WAIT).await;
    eventually(WAIT, "the first probe", || {
        (api.hits(PROBE) > 0).then_some(())
    })
    .await;
    // Five rounds' time at a round a second, and the page read all along.
    outage_radar_tests::polls_after(&page, SUMMARY_PATH, 5).await;
    w.stop().await;
    println!("probes sent in five rounds' time: {}", api.hits(PROBE));
    assert_eq!(api.hits(PROBE), 1, "the user's half of the quota is theirs");
    assert_eq!(s.notes.count(), 0, "{:?}", s.titles());
}

/// The network comes back in pieces (the pages first, the API's host seconds later, as
/// when a VPN reconnects): failures just after the return are ours, not the service's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_that_comes_back_in_pieces_raises_nothing() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let (mut w, ports) = watched_then_offline(&s).await;
    let mut net = Net::pages_back(ports).await;
    w.wait_for("online", WAIT).await;

    // The window says why the refusals do not count yet.
    let data = s.dir.path().join("data");
    let hold = || {
        let overview = outage_radar_tests::socket::try_ask(
            &data,
            serde_json::json!({"command": "get_overview"}),
        )?;
        let services = overview["ok"]["services"].as_array()?.clone();
        let ai = services.iter().find(|v| v["name"] == "Fake AI")?;
        (ai["probe"]["hold"] == "settling").then_some(())
    };
    eventually(WAIT, "the settling hold", hold).await;
    // Six rounds of a refused API while both pages answer: twice the threshold.
    outage_radar_tests::polls_after(&net.page, SUMMARY_PATH, 6).await;
    let api = net.api_back(ports).await;
    probes_after(api, 3).await;
    let seen = w.drain().to_vec();
    w.stop().await;
    assert_eq!(
        false_suspicions(&seen, "network that comes back in pieces"),
        0,
        "{seen:?}"
    );
    assert_eq!(s.notes.count(), 0, "{:?}", s.titles());
}

/// `outage-radar demo --headless --json` on a machine without network: it replays the
/// outage, warns before the page, and exits by itself. Its history, kept, is what `report`
/// then reads: the scripted suspicion and the page's acknowledgment, with the same lead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_replays_the_outage_and_measures_the_lead() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let kept = s.dir.path().join("demo");
    let out = tokio::process::Command::new(app_binary())
        .args(["demo", "--headless", "--json", "--keep"])
        .arg(&kept)
        .env("DBUS_SESSION_BUS_ADDRESS", &s.bus_address)
        .env("TZ", "UTC")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(150), out)
        .await
        .expect("the demo ends by itself")
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (lead, summary) = outage_radar_tests::demo::story(&out.stdout);
    println!(
        "detection lead in the demo: {lead} s ({} s in the real story)",
        summary["story_lead_secs"]
    );
    let titles: Vec<String> = s.notes.received().into_iter().map(|n| n.summary).collect();
    assert_eq!(
        titles.first().map(String::as_str),
        Some("Possible outage of OpenAI (demo) — not on its status page yet"),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t == "OpenAI (demo) — outage began"),
        "{titles:?}"
    );

    let report = |form: &'static [&'static str]| {
        let mut c = std::process::Command::new(app_binary());
        c.arg("report")
            .args(form)
            .arg("--config")
            .arg(kept.join("config.toml"))
            .arg("--data-dir")
            .arg(kept.join("data"));
        c.output().expect("report runs")
    };
    let json = report(&["--json"]);
    assert!(
        json.status.success(),
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
    println!("report --json after the demo: {json}");
    assert_eq!(json["days"], 90);
    let openai = &json["services"][0];
    assert_eq!(openai["service"], "OpenAI (demo)");
    assert_eq!(openai["incidents"], 1);
    assert_eq!(openai["incidents_by_impact"]["major"], 1);
    let uptime = openai["uptime_pct"].as_f64().expect("a number");
    assert!(uptime > 99.0 && uptime < 100.0, "{uptime}");
    assert!(
        openai["mttr_secs"].as_i64().is_some_and(|m| m > 0),
        "{openai}"
    );
    assert_eq!(openai["confirmed_suspicions"], 1);
    assert_eq!(
        openai["median_lead_secs"], lead,
        "the lead the demo printed"
    );
    assert_eq!(openai["acknowledged"], 1);
    assert_eq!(
        openai["ack_median_secs"], lead,
        "acknowledged as long after as we knew before"
    );
    assert_eq!(
        openai["ack_grade"],
        serde_json::Value::Null,
        "one outage is no grade"
    );
    assert_eq!(
        (
            openai["never_acknowledged"].clone(),
            openai["blips"].clone()
        ),
        (0.into(), 0.into())
    );
    let cdn = &json["services"][1];
    assert_eq!(
        (cdn["incidents"].clone(), cdn["uptime_pct"].clone()),
        (0.into(), 100.0.into())
    );
    assert_eq!(cdn["mttr_secs"], serde_json::Value::Null);

    let csv = report(&["--csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(
        rows[0].starts_with("service,service_id,days,uptime_pct,"),
        "{csv}"
    );
    assert!(
        rows[1].starts_with("OpenAI (demo),openai-demo,90,"),
        "{csv}"
    );
    let text = report(&[]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("acknowledgment grade: not enough data"),
        "{text}"
    );
    assert!(text.contains("front door only"), "{text}");
    let refused = report(&["--days", "0"]);
    assert_eq!(refused.status.code(), Some(2), "a usage error");
}

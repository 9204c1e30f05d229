//! "Tell me when it's back" against the real binary: armed from the CLI for a muted service,
//! one pop-up at its recovery and no more, kept across a kill -9, refused when there is
//! nothing to wait for or no app to ask.

use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::scenario::Scenario;
use outage_radar_tests::{app_binary, eventually, polls_after, socket, write_config, WAIT};
use std::path::Path;
use std::process::Output;

const OUTAGE: FakeIncident = FakeIncident {
    id: "inc-1",
    title: "Elevated API errors",
    status: "investigating",
    impact: "major",
};

const BACK: &str = "Fake Cloud is back";

/// `outage-radar remind ARGS… --data-dir DATA`, in English.
async fn remind(data: &Path, args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(app_binary());
    outage_radar_tests::english(command.as_std_mut());
    command
        .arg("remind")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("OUTAGE_RADAR_SOCKET")
        .env("OUTAGE_RADAR_LOG", "off")
        .output()
        .await
        .expect("run outage-radar remind")
}

fn said(out: &Output) -> String {
    format!(
        "exit {:?}, stdout {:?}, stderr {:?}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// When the running app says the reminder of `name` was armed, if it is.
fn armed_at(data: &Path, name: &str) -> Option<String> {
    let overview = socket::overview(data);
    let services = overview["services"].as_array().cloned().unwrap_or_default();
    let service = services
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in {overview}"));
    service["remind_armed_at"].as_str().map(str::to_owned)
}

/// Starts the watcher and waits until its socket answers.
async fn start(s: &Scenario, config: &Path, data: &Path) -> Watcher {
    let w = s.watch(config);
    eventually(WAIT, "the engine's socket", || {
        socket::try_ask(data, serde_json::json!({"command": "get_overview"})).map(|_| ())
    })
    .await;
    w
}

fn backs(s: &Scenario) -> usize {
    s.titles().iter().filter(|t| *t == BACK).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_muted_service_tells_once_when_it_is_back_also_after_a_kill() {
    let Some(s) = Scenario::start().await else {
        return;
    };
    let down = FakeServer::start().await;
    let page = down.url();
    down.set(SUMMARY_PATH, Reply::json(summary(&page, &[OUTAGE])));
    let calm = FakeServer::start().await;
    calm.set(SUMMARY_PATH, Reply::json(summary(&calm.url(), &[])));
    let config = write_config(
        s.dir.path(),
        1,
        "",
        &[
            ("Fake Cloud", &page, "notify = \"muted\""),
            ("Calm", &calm.url(), ""),
        ],
    );
    let data = s.dir.path().join("data");

    let out = remind(&data, &["Fake Cloud"]).await;
    assert_eq!(out.status.code(), Some(3), "no app running: {}", said(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Outage Radar is not running"),
        "{}",
        said(&out)
    );

    // The first run: down (muted, so silent), armed by name in another case.
    let mut w = start(&s, &config, &data).await;
    w.wait_until("both pages read", WAIT, |seen| {
        seen.iter().filter(|e| e["event"] == "baseline").count() >= 2
    })
    .await;
    let out = remind(&data, &["calm"]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "nothing to wait for: {}",
        said(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Calm is not down or suspected"),
        "{}",
        said(&out)
    );
    let out = remind(&data, &["Nowhere"]).await;
    assert_eq!(out.status.code(), Some(2), "not watched: {}", said(&out));
    assert_eq!(armed_at(&data, "Fake Cloud"), None);

    let out = remind(&data, &["fake cloud"]).await;
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("You will be told once when Fake Cloud is back"),
        "{}",
        said(&out)
    );
    assert!(
        armed_at(&data, "Fake Cloud").is_some(),
        "the window sees it armed"
    );
    let out = remind(&data, &["fake-cloud"]).await;
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("already set"),
        "{}",
        said(&out)
    );
    polls_after(&down, SUMMARY_PATH, 3).await;
    assert_eq!(
        s.titles(),
        Vec::<String>::new(),
        "muted: nothing while down"
    );

    // Recovered: exactly one pop-up, then nothing more, and the reminder is gone.
    down.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    w.wait_for("incident_resolved", WAIT).await;
    eventually(WAIT, "the 'is back' pop-up", || {
        (backs(&s) == 1).then_some(())
    })
    .await;
    polls_after(&down, SUMMARY_PATH, 3).await;
    assert_eq!(s.titles(), vec![BACK.to_owned()], "exactly one pop-up");
    let n = &s.notes.received()[0];
    assert!(n.body.starts_with("No open incident"), "{n:?}");
    assert_eq!(armed_at(&data, "Fake Cloud"), None, "disarmed");
    let out = remind(&data, &["Fake Cloud"]).await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "back, nothing to wait for: {}",
        said(&out)
    );

    // Down again: armed then cancelled, armed again, then killed before it recovers.
    down.set(
        SUMMARY_PATH,
        Reply::json(summary(
            &page,
            &[FakeIncident {
                id: "inc-2",
                ..OUTAGE
            }],
        )),
    );
    w.wait_for("incident_opened", WAIT).await;
    let out = remind(&data, &["Fake Cloud"]).await;
    assert!(out.status.success(), "{}", said(&out));
    let out = remind(&data, &["--cancel", "Fake Cloud"]).await;
    assert!(out.status.success(), "{}", said(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("cancelled"),
        "{}",
        said(&out)
    );
    assert_eq!(armed_at(&data, "Fake Cloud"), None, "cancelled");
    let out = remind(&data, &["Fake Cloud"]).await;
    assert!(out.status.success(), "{}", said(&out));
    w.kill().await;

    // The restart finds it armed; the recovery tells once more, and only once.
    let w = start(&s, &config, &data).await;
    assert!(
        armed_at(&data, "Fake Cloud").is_some(),
        "armed across a kill -9"
    );
    polls_after(&down, SUMMARY_PATH, 2).await;
    assert_eq!(backs(&s), 1, "nothing while still down");
    down.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    eventually(WAIT, "the second 'is back' pop-up", || {
        (backs(&s) == 2).then_some(())
    })
    .await;
    polls_after(&down, SUMMARY_PATH, 3).await;
    assert_eq!(
        s.titles(),
        vec![BACK.to_owned(), BACK.to_owned()],
        "one per arming"
    );
    assert_eq!(armed_at(&data, "Fake Cloud"), None, "disarmed");
    w.stop().await;
}

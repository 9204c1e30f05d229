//! The Windows build under Wine: the demo's story, `check` against the fake server, `status` and `check-now` over the named pipe, one engine per data dir, and the toast identity in the registry.
//!
//! Toasts themselves cannot show here (Wine has no WinRT); that the app id they are shown
//! under is registered is what is checked.

use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::wine::{self, win_path};
use outage_radar_tests::WAIT;

#[tokio::test]
async fn the_demo_tells_the_whole_story_in_order() {
    let Some(wine) = wine::setup() else { return };
    let out = wine.run(&["demo", "--headless", "--json"]).await;
    assert!(
        out.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (lead, summary) = outage_radar_tests::demo::story(&out.stdout);
    println!(
        "demo under Wine: lead {lead} s ({} s in the real story)",
        summary["story_lead_secs"]
    );
}

#[tokio::test]
async fn check_reads_the_fake_server() {
    let Some(wine) = wine::setup() else { return };
    let server = FakeServer::start().await;
    let page = server.url();
    let incident = FakeIncident {
        id: "inc-w",
        title: "Login failures",
        status: "identified",
        impact: "critical",
    };
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident])));
    let out = wine.run(&["check", &page, "--json"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["format"], "statuspage");
    assert_eq!(v["status"], "major_outage");
    assert_eq!(v["incidents"][0]["id"], "inc-w");
    assert_eq!(v["incidents"][0]["phase"], "identified");

    // An HTML page where JSON was expected is named, with exit code 1.
    server.set(SUMMARY_PATH, Reply::html("<html><body>Moved</body></html>"));
    let out = wine.run(&["check", &page, "--format", "statuspage"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("HTML"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn status_and_check_now_reach_the_engine_over_the_named_pipe() {
    let Some(wine) = wine::setup() else { return };
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = outage_radar_tests::write_config(
        dir.path(),
        3600,
        "",
        &[("Pipe Cloud", &page, "format = \"statuspage\"")],
    );
    let config_w = win_path(&config);
    // No --data-dir: the engine, status and check-now meet at the default place, which
    // README says is under %APPDATA% (the only test here that uses it).
    // A first start there, so that its first read is a baseline.
    if let Some(left) = wine.prefix_files("drive_c/users/*/AppData/Roaming/outage-radar") {
        std::fs::remove_dir_all(&left).expect("clear the default data dir");
    }
    let mut command = wine.command(
        &["watch", "--headless", "--json", "--config", &config_w],
        "outage_radar=info",
    );
    command.env("TZ", "UTC");
    let mut watcher = Watcher::spawn(command);
    watcher.wait_for("baseline", WAIT).await;
    let polls = server.hits(SUMMARY_PATH);
    let history = wine
        .prefix_files("drive_c/users/*/AppData/Roaming/outage-radar/data/history.sqlite3")
        .expect("the history under %APPDATA%\\outage-radar\\data");
    println!("history at {}", history.display());

    let out = wine.run(&["status", "--json"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let overview: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(overview["services"][0]["name"], "Pipe Cloud");
    assert_eq!(overview["services"][0]["state"], "operational");
    let text = wine.run(&["status"]).await;
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("Pipe Cloud: operational"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );

    // The hour-long interval means only check-now can make it read the page again.
    let out = wine.run(&["check-now"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    outage_radar_tests::eventually(WAIT, "a poll after check-now", || {
        (server.hits(SUMMARY_PATH) > polls).then_some(())
    })
    .await;

    // One engine per data dir: a second one is told the first runs (over the pipe).
    let second = wine
        .run(&["watch", "--headless", "--config", &config_w])
        .await;
    assert!(!second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("already running"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    // Toasts are shown under this id; unregistered, Windows would drop them silently.
    let key = wine
        .reg_query(r"HKCU\Software\Classes\AppUserModelId\dev.outageradar.app")
        .await;
    assert!(
        key.contains("DisplayName") && key.contains("Outage Radar"),
        "{key}"
    );
    assert!(
        key.contains("IconUri") && key.contains("app-icon.png"),
        "{key}"
    );
    watcher.kill().await;

    // Nothing runs on another data dir: exit 3, said plainly.
    let other = win_path(&dir.path().join("none"));
    let out = wine.run(&["status", "--data-dir", &other]).await;
    assert_eq!(out.status.code(), Some(3));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("not running") && said.contains(r"\\.\pipe\outage-radar-"),
        "{said}"
    );
}

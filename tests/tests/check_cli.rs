//! `outage-radar check` against a fake server on 127.0.0.1: real pages read, bad pages named.

use outage_radar_tests::cli::{json_of as stdout_json, run, stderr};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_with, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::{app_binary, fixture};
use std::process::Output;

/// `outage-radar check ARGS…`.
async fn check(args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    run(&all).await
}

#[tokio::test]
async fn check_json_has_the_promised_shape() {
    let server = FakeServer::start().await;
    let page = server.url();
    let incident = FakeIncident {
        id: "inc-1",
        title: "Login failures",
        status: "identified",
        impact: "critical",
    };
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident])));
    let v = stdout_json(&check(&[&page, "--json"]).await);
    assert_eq!(v["service"], "127.0.0.1");
    assert_eq!(v["format"], "statuspage");
    assert_eq!(v["status"], "major_outage");
    assert_eq!(v["components"][0]["name"], "API");
    assert_eq!(v["components"][0]["status"], "partial_outage");
    let i = &v["incidents"][0];
    assert_eq!(i["id"], "inc-1");
    assert_eq!(i["title"], "Login failures");
    assert_eq!(i["phase"], "identified");
    assert_eq!(i["impact"], "critical");
    assert_eq!(i["started_at"], "2026-11-26T05:12:00Z");
    assert_eq!(i["url"], format!("{page}/incidents/inc-1"));
    assert_eq!(i["components"][0], "API");
    assert_eq!(v["maintenances"], serde_json::json!([]));
    // The page's own word agrees with what is shown: no second word.
    assert!(v.get("page_status").is_none(), "{v}");

    let human = check(&[&page]).await;
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.starts_with("127.0.0.1 (statuspage): major outage\n"),
        "{text}"
    );
    assert!(
        text.contains("[identified, critical] Login failures since 2026-11-26 05:12 UTC"),
        "{text}"
    );
}

#[tokio::test]
async fn page_text_reaches_the_terminal_without_escape_sequences() {
    let server = FakeServer::start().await;
    let page = server.url();
    // Clears the screen, then sets the clipboard (OSC 52) to a command.
    let incident = FakeIncident {
        id: "inc-esc",
        title:
            "\u{1b}[2JErrors\u{1b}]52;c;Y3VybCBldmlsIHwgc2g=\u{7} for \u{9b}31msome\u{1b}[0m users",
        status: "investigating",
        impact: "major",
    };
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident])));
    let human = check(&[&page]).await;
    assert!(human.status.success(), "{}", stderr(&human));
    let json = check(&[&page, "--json"]).await;
    for out in [&human, &json] {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "a control character reached the terminal: {text:?}"
        );
    }
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("Errors for some users"),
        "{}",
        String::from_utf8_lossy(&human.stdout)
    );
    assert_eq!(
        stdout_json(&json)["incidents"][0]["title"],
        "Errors for some users"
    );
}

/// One component whose status is a number and one whose name is null: the page is read (exit
/// 0) with its incident, not "malformed" as a whole.
#[tokio::test]
async fn one_odd_field_does_not_reject_the_page() {
    let server = FakeServer::start().await;
    let page = server.url();
    let incident = FakeIncident {
        id: "inc-odd",
        title: "Elevated errors",
        status: "investigating",
        impact: "minor",
    };
    let mut v: serde_json::Value =
        serde_json::from_slice(&summary(&page, &[incident])).expect("json");
    v["components"][0]["status"] = serde_json::json!(3);
    v["components"][1]["name"] = serde_json::Value::Null;
    server.set(
        SUMMARY_PATH,
        Reply::json(serde_json::to_vec(&v).expect("json")),
    );
    let out = check(&[&page, "--json"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let v = stdout_json(&out);
    assert_eq!(v["incidents"][0]["id"], "inc-odd");
    assert_eq!(v["components"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(
        v["components"][0]["status"], "degraded",
        "unknown is never operational"
    );
}

#[tokio::test]
async fn a_page_that_contradicts_itself_shows_both_words() {
    let server = FakeServer::start().await;
    let page = server.url();
    // "All Systems Operational" (indicator none) over a component in major outage.
    server.set(
        SUMMARY_PATH,
        Reply::json(summary_with(
            &page,
            &[],
            &[("API", "major_outage"), ("Web", "operational")],
        )),
    );
    let v = stdout_json(&check(&[&page, "--json"]).await);
    assert_eq!(v["status"], "major_outage", "the worst is kept");
    assert_eq!(v["page_status"], "operational");

    let human = check(&[&page]).await;
    assert!(human.status.success());
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.starts_with(
            "127.0.0.1 (statuspage): major outage\n  Page says: operational, but its components say: major outage\n"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn check_reads_real_captured_pages() {
    let server = FakeServer::start().await;
    let page = server.url();
    if let Some(body) = fixture("statuspage/github-summary-2022-11-25.json") {
        server.set(SUMMARY_PATH, Reply::json(body));
        let v = stdout_json(&check(&[&page, "--json"]).await);
        assert_eq!(v["status"], "partial_outage");
        assert_eq!(v["components"].as_array().map(Vec::len), Some(11));
        assert_eq!(v["incidents"][0]["id"], "ljwdk6qml8z8");
        assert_eq!(v["incidents"][0]["phase"], "investigating");
    }
    if let Some(body) = fixture("incidentio/openai-statuspage-compat-summary-2026-07-09.json") {
        server.set(SUMMARY_PATH, Reply::json(body));
        let v = stdout_json(&check(&[&page, "--json", "--format", "incidentio"]).await);
        assert_eq!(v["format"], "incidentio");
        assert_eq!(v["status"], "operational");
        assert_eq!(v["components"].as_array().map(Vec::len), Some(25));
        assert_eq!(v["incidents"], serde_json::json!([]));
    }
}

#[tokio::test]
async fn bad_pages_are_errors_with_one_line_reasons() {
    // The format is given: `check` reports what that format's page said. (Without it,
    // `check` detects first; tests/formats_cli.rs covers that.)
    let server = FakeServer::start().await;
    let page = server.url();
    let endpoint = format!("{page}{SUMMARY_PATH}");

    server.set(
        SUMMARY_PATH,
        Reply::html("<!DOCTYPE html><html><body>Status moved</body></html>"),
    );
    let out = check(&[&page, "--format", "statuspage", "--json"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "nothing on stdout for a failed read");
    assert_eq!(
        stderr(&out),
        format!("outage-radar: {endpoint}: expected Statuspage summary JSON, got an HTML page")
    );

    server.set(
        SUMMARY_PATH,
        Reply::json(br#"{"items": [], "count": 0}"#.to_vec()),
    );
    let out = check(&[&page, "--format", "statuspage"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).ends_with("got JSON without the `page` and `status` keys"),
        "{}",
        stderr(&out)
    );

    server.set(SUMMARY_PATH, Reply::json(b"{}".to_vec()).status(503));
    let out = check(&[&page, "--format", "statuspage"]).await;
    assert_eq!(stderr(&out), format!("outage-radar: {endpoint}: HTTP 503"));

    drop(server);
    let out = check(&[&page, "--format", "statuspage"]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot connect"), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).lines().count(),
        1,
        "one line: {}",
        stderr(&out)
    );
}

#[tokio::test]
async fn usage_errors_exit_2() {
    let out = check(&["http://status.example.com"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("only https://"), "{}", stderr(&out));

    let out = check(&["https://status.example.com", "--format", "gopher"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown format \"gopher\""),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_broken_config_names_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "poll_interval_secs = 60\n[[services]]\nname = \"A\"\nurl = 42\n",
    )
    .expect("write");
    let out = tokio::process::Command::new(app_binary())
        .args(["watch", "--headless", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .env("OUTAGE_RADAR_LOG", "off")
        .output()
        .await
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("config {}, line 4, column 7", config.display())),
        "{err}"
    );
    assert!(
        !dir.path().join("data").exists(),
        "nothing is written when the config is broken"
    );
}

#[tokio::test]
async fn a_damaged_history_is_kept_aside_and_watching_goes_on() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = outage_radar_tests::write_config(dir.path(), 1, "", &[("Fake", &page, "")]);
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).expect("data dir");
    let garbage = b"SQLite format 3\0 but then the disk gave up".repeat(100);
    std::fs::write(data.join("history.sqlite3"), &garbage).expect("write");

    let mut child = tokio::process::Command::new(app_binary())
        .args(["watch", "--headless", "--json", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .env("OUTAGE_RADAR_LOG", "off")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(stdout));
    let first = tokio::time::timeout(std::time::Duration::from_secs(30), lines.next_line())
        .await
        .expect("an event in time")
        .expect("read")
        .expect("a line");
    let v: serde_json::Value = serde_json::from_str(&first).expect("json");
    assert_eq!(v["event"], "baseline", "it watches on a fresh history");
    child.kill().await.expect("kill");
    let out = child.wait_with_output().await.expect("output");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("The history database was unreadable")
            && err.contains("history.sqlite3.corrupt-"),
        "{err}"
    );
    let kept: Vec<std::path::PathBuf> = std::fs::read_dir(&data)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                n.starts_with("history.sqlite3.corrupt-")
                    && !n.ends_with("-wal")
                    && !n.ends_with("-shm")
            })
        })
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        std::fs::read(&kept[0]).expect("kept"),
        garbage,
        "kept byte for byte"
    );
}

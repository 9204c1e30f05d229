//! The real desktop app under Xvfb: tray item registered, window renders the list (WebDriver),
//! closing the window keeps the app in the tray.

use fantoccini::{ClientBuilder, Locator};
use outage_radar_tests::desktop::{
    free_port, has_window, pids_with_arg, request_close, tree_rss_kib, Cleanup, Desktop,
};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::{app_binary, eventually, tools_available};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../test-artifacts");
    std::fs::create_dir_all(&dir).expect("create test-artifacts/");
    dir
}

async fn css_attr(client: &fantoccini::Client, css: &str, attr: &str) -> Option<String> {
    let el = client.find(Locator::Css(css)).await.ok()?;
    el.attr(attr).await.ok().flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tray_window_and_close_to_tray() {
    if !tools_available(&[
        "Xvfb",
        "dbus-daemon",
        "gtk-sni-tray-standalone",
        "tauri-driver",
        "WebKitWebDriver",
        "import",
    ]) {
        return;
    }
    let desktop = Desktop::start().await;
    let server = FakeServer::start().await;
    let page = server.url();
    let incident = FakeIncident {
        id: "inc-7",
        title: "Degraded <b>search</b> & indexing",
        status: "identified",
        impact: "major",
    };
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("poll_interval_secs = 2\n[[services]]\nname = \"Fake Cloud\"\nurl = \"{page}\"\n"),
    )
    .expect("write config");
    let data = dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();

    let port = free_port();
    let native_port = free_port();
    let driver = desktop
        .command("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tauri-driver");
    let _cleanup = Cleanup {
        child: driver,
        marker: data_arg.clone(),
    };
    eventually(WAIT, "tauri-driver listening", || {
        std::net::TcpStream::connect(("127.0.0.1", port))
            .ok()
            .map(|_| ())
    })
    .await;

    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": app_binary(),
            "args": ["--show", "--config", config, "--data-dir", data_arg],
        }),
    );
    let client = ClientBuilder::rustls()
        .expect("rustls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session with the app");

    // The window lists the service with its state and the open incident, remote text as text.
    let incident_css = r#"#incidents li[data-incident="inc-7"]"#;
    let mut found = None;
    for _ in 0..(WAIT.as_millis() / 250) {
        if let Ok(el) = client.find(Locator::Css(incident_css)).await {
            found = Some(el);
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let incident_el = found.expect("the open incident is listed");
    let text = incident_el.text().await.expect("text");
    assert!(text.contains("identified"), "{text}");
    assert!(text.contains("major impact"), "{text}");
    let title = client
        .execute(
            "return document.querySelector(arguments[0]).querySelector('.title').textContent",
            vec![serde_json::json!(incident_css)],
        )
        .await
        .expect("script");
    assert_eq!(
        title,
        serde_json::json!("Degraded <b>search</b> & indexing"),
        "title shown literally"
    );
    assert_eq!(
        css_attr(
            &client,
            r#"#services li[data-service="fake-cloud"]"#,
            "data-state"
        )
        .await
        .as_deref(),
        Some("partial_outage")
    );
    let summary_text = client
        .find(Locator::Id("summary"))
        .await
        .expect("summary")
        .text()
        .await
        .expect("text");
    assert_eq!(
        summary_text,
        "1 service affected: Fake Cloud (partial outage)"
    );
    let injected = client
        .execute(
            "return document.querySelectorAll('#incidents b').length",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(
        injected,
        serde_json::json!(0),
        "remote HTML never becomes markup"
    );

    // The tray item is registered with the host.
    let mut registered = Vec::new();
    for _ in 0..(WAIT.as_millis() / 250) {
        registered = desktop.tray_items().await;
        if !registered.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(registered.len(), 1, "one tray item: {registered:?}");

    let artifacts = artifacts_dir();
    let png = client.screenshot().await.expect("window screenshot");
    std::fs::write(artifacts.join("window.png"), png).expect("save window screenshot");
    desktop.screenshot(&artifacts.join("desktop.png"));

    // The baseline found one open incident: one notification, through the session bus.
    eventually(WAIT, "the baseline notification", || {
        (desktop.notifications.count() == 1).then_some(())
    })
    .await;
    let note = &desktop.notifications.received()[0];
    assert_eq!(
        note.summary,
        "Fake Cloud — Degraded <b>search</b> & indexing"
    );

    let app_pids = pids_with_arg(&data_arg);
    let app_pid = *app_pids.iter().min().expect("the app process is running");
    println!(
        "figure: RSS with the window open: {} MiB",
        tree_rss_kib(app_pid) / 1024
    );

    // Closing the window (as a window manager's close button does) destroys it; the app
    // stays in the tray. WebDriver's own "close window" would end the whole session instead.
    let display = desktop.x.display.clone();
    assert!(has_window(&display, "Outage Radar"), "the window is mapped");
    assert_eq!(
        request_close(&display, "Outage Radar"),
        1,
        "one window to close"
    );
    eventually(WAIT, "the window to be destroyed", || {
        (!has_window(&display, "Outage Radar")).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        PathBuf::from(format!("/proc/{app_pid}")).exists(),
        "the app outlives its window"
    );
    assert_eq!(desktop.tray_items().await.len(), 1, "still in the tray");
    println!(
        "figure: RSS 2 s after closing the window: {} MiB",
        tree_rss_kib(app_pid) / 1024
    );

    let _ = client.close().await;
}

//! What a new user sees: without a tray the window is the app, the first start says welcome,
//! later starts and the login item stay in the tray, and a tray started later gets the icon.

use outage_radar_tests::desktop::{
    alive, has_window, request_close, window_pids, Cleanup, Desktop,
};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::socket::{ask, try_ask};
use outage_radar_tests::{
    artifacts_dir, eventually, eventually_async, tools_available, write_config, WAIT,
};
use serde_json::json;
use std::path::Path;
use std::process::Child;
use std::time::Duration;

const TITLE: &str = "Outage Radar";

struct Setup {
    server: FakeServer,
    page: String,
    dir: tempfile::TempDir,
    config: String,
}

async fn setup() -> Setup {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &page, "")])
        .to_string_lossy()
        .into_owned();
    Setup {
        server,
        page,
        dir,
        config,
    }
}

/// Waits until the app's socket answers (its start-up decisions are made by then).
async fn answering(data: &Path) {
    let reply = eventually(WAIT, "the app's socket", || {
        try_ask(data, json!({"command": "get_overview"}))
    })
    .await;
    assert!(reply["ok"].is_object(), "{reply}");
}

/// SIGTERM and wait: the app quits as from its menu.
fn quit(mut app: Child) {
    let _ = std::process::Command::new("kill")
        .arg(app.id().to_string())
        .status();
    let _ = app.wait();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_tray_the_window_is_the_app() {
    if !tools_available(&["Xvfb", "dbus-daemon", "import"]) {
        return;
    }
    let desktop = Desktop::start_without_tray().await;
    let s = setup().await;
    let data = s.dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();
    // Not the first start: the history is there already.
    quit_after_answering(&desktop, &s.config, &data_arg).await;

    let app = desktop.launch(&s.config, &data_arg, &[]);
    let app_pid = app.id();
    let _cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };
    eventually(WAIT, "the window at start, with no tray", || {
        has_window(&desktop.x.display, TITLE).then_some(())
    })
    .await;
    let shell = ask(&data, json!({"command": "get_shell"}));
    assert_eq!(shell["ok"]["tray"], false, "{shell}");
    assert_eq!(shell["ok"]["show_no_tray"], true, "{shell}");
    // What the user sees (checked by eye; the WebDriver test reads the message).
    tokio::time::sleep(Duration::from_secs(2)).await;
    desktop.screenshot(&artifacts_dir("").join("no-tray-desktop.png"));

    // Closing the window keeps the app running, and it says so once.
    let window = *window_pids(&data_arg).first().expect("a window process");
    assert_eq!(request_close(&desktop.x.display, TITLE), 1);
    eventually(WAIT, "the window process to end", || {
        (!alive(window)).then_some(())
    })
    .await;
    assert!(alive(app_pid), "the app keeps running without its window");
    desktop
        .notifications
        .wait_for(WAIT, "the still-running notification", |s| {
            s == "Outage Radar is still running"
        })
        .await;

    // And it still notifies.
    s.server.set(
        SUMMARY_PATH,
        Reply::json(summary(
            &s.page,
            &[FakeIncident {
                id: "inc-3",
                title: "Uploads failing",
                status: "investigating",
                impact: "major",
            }],
        )),
    );
    desktop
        .notifications
        .wait_for(WAIT, "the outage notification", |s| {
            s.starts_with("Fake Cloud")
        })
        .await;

    // Started again from the menu, it opens the window of the running app.
    let mut second = desktop.launch(&s.config, &data_arg, &[]);
    eventually(WAIT, "the window again", || {
        has_window(&desktop.x.display, TITLE).then_some(())
    })
    .await;
    let _ = second.wait();
    assert!(alive(app_pid));
    let told = desktop
        .notifications
        .received()
        .iter()
        .filter(|n| n.summary == "Outage Radar is still running")
        .count();
    assert_eq!(told, 1, "said once");
}

/// Runs the app once in the background, so the data dir has a history (not a first start).
async fn quit_after_answering(desktop: &Desktop, config: &str, data: &str) {
    let app = desktop.launch(config, data, &["--background"]);
    answering(Path::new(data)).await;
    assert!(window_pids(data).is_empty(), "--background shows no window");
    quit(app);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_welcome_opens_once_and_the_login_item_is_silent() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone"]) {
        return;
    }
    let desktop = Desktop::start().await;
    let s = setup().await;
    let data = s.dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();

    // The very first start: the window opens on the welcome.
    let app = desktop.launch(&s.config, &data_arg, &[]);
    let cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };
    eventually(WAIT, "the welcome window", || {
        has_window(&desktop.x.display, TITLE).then_some(())
    })
    .await;
    let window = *window_pids(&data_arg).first().expect("a window process");
    let cmdline = std::fs::read(format!("/proc/{window}/cmdline")).expect("cmdline");
    assert!(
        String::from_utf8_lossy(&cmdline).contains("\0--welcome"),
        "opened on the welcome"
    );
    assert_eq!(request_close(&desktop.x.display, TITLE), 1);
    eventually(WAIT, "the welcome window to close", || {
        (!alive(window)).then_some(())
    })
    .await;
    drop(cleanup);

    // The next start from the menu goes straight to the tray.
    let app = desktop.launch(&s.config, &data_arg, &[]);
    let cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };
    answering(&data).await;
    eventually_async(WAIT, "the tray item", async || {
        (!desktop.tray_items().await.is_empty()).then_some(())
    })
    .await;
    // The window, when one is due, is started before the socket answers.
    assert!(
        window_pids(&data_arg).is_empty(),
        "no window the second time"
    );
    assert!(!has_window(&desktop.x.display, TITLE));
    drop(cleanup);

    // The login item's start is silent even with a fresh data dir.
    let fresh = s.dir.path().join("fresh");
    let fresh_arg = fresh.to_string_lossy().into_owned();
    let app = desktop.launch(&s.config, &fresh_arg, &["--background"]);
    let _cleanup = Cleanup {
        child: app,
        marker: fresh_arg.clone(),
    };
    answering(&fresh).await;
    assert!(
        window_pids(&fresh_arg).is_empty(),
        "no window in the background"
    );
    assert!(!has_window(&desktop.x.display, TITLE));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tray_started_after_the_app_gets_the_icon() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone"]) {
        return;
    }
    let mut desktop = Desktop::start_without_tray().await;
    let s = setup().await;
    let data = s.dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();
    let app = desktop.launch(&s.config, &data_arg, &["--background"]);
    let _cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };
    answering(&data).await;
    assert_eq!(
        ask(&data, json!({"command": "get_shell"}))["ok"]["tray"],
        false
    );
    assert!(desktop.tray_items().await.is_empty());

    desktop.start_tray_host().await;
    let items = eventually_async(WAIT, "the tray item", async || {
        let items = desktop.tray_items().await;
        (!items.is_empty()).then_some(items)
    })
    .await;
    assert_eq!(items.len(), 1, "the item registers without a restart");
    eventually(WAIT, "the app to notice the tray", || {
        (ask(&data, json!({"command": "get_shell"}))["ok"]["tray"] == true).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_shows_the_no_tray_message_and_the_welcome() {
    if !tools_available(&["Xvfb", "dbus-daemon", "tauri-driver", "WebKitWebDriver"]) {
        return;
    }
    let desktop = Desktop::start_without_tray().await;
    let s = setup().await;
    let data = s.dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();
    // In the background, so the only window is the one WebDriver drives.
    let mut tray = desktop
        .start_tray(
            &[
                "--background",
                "--config",
                &s.config,
                "--data-dir",
                &data_arg,
            ],
            &[],
        )
        .await;
    let tray_pid = tray.id();
    std::thread::spawn(move || tray.wait());
    let _tray_guard = KillOnDrop(tray_pid);

    // The socket path marks the window process only: the guard leaves the tray app alone.
    let socket = data.join("run/engine.sock").to_string_lossy().into_owned();
    let (client, cleanup) = desktop
        .window_session(&["--welcome", "--socket", &socket], &socket, &[])
        .await;
    client
        .wait_for(
            "the welcome view",
            "return document.body.dataset.view === 'welcome' && document.querySelectorAll('#welcome-services li').length > 0",
            vec![],
            WAIT,
        )
        .await;
    let names = client
        .execute(
            "return [...document.querySelectorAll('#welcome-services li')].map(l => l.textContent)",
            vec![],
        )
        .await
        .expect("names");
    assert_eq!(names, json!(["Fake Cloud"]));
    let welcome = client
        .execute(
            "return document.getElementById('view-welcome').innerText",
            vec![],
        )
        .await
        .expect("text");
    let welcome = welcome.as_str().unwrap_or_default();
    // Without a tray the welcome says the window is the app, not where the icon lives.
    for part in ["Settings", "application menu", "outage-radar demo"] {
        assert!(welcome.contains(part), "{part} in {welcome}");
    }
    assert!(
        !welcome.contains("Its icon sits in the system tray"),
        "{welcome}"
    );
    let note = client
        .wait_for(
            "the no-tray message",
            "const n = document.getElementById('no-tray'); return !n.hidden && n.innerText",
            vec![],
            WAIT,
        )
        .await;
    let note = note.as_str().unwrap_or_default();
    assert!(
        note.contains("AppIndicator and KStatusNotifierItem Support")
            && note.contains("Notifications work"),
        "{note}"
    );
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(artifacts_dir("").join("welcome-no-tray.png"), png).expect("save");

    client.click("#dismiss-no-tray").await.expect("dismiss");
    client.click("#welcome-done").await.expect("done");
    client
        .wait_for(
            "the Now view",
            "return document.body.dataset.view === 'now' && document.getElementById('no-tray').hidden",
            vec![],
            WAIT,
        )
        .await;
    client.close().await;
    drop(cleanup);

    // Dismissed once is dismissed for good; without --welcome the window opens on Now.
    let (client, _cleanup) = desktop
        .window_session(&["--socket", &socket], &socket, &[])
        .await;
    client
        .wait_for(
            "the page ready",
            "return document.body.dataset.ready === 'true'",
            vec![],
            WAIT,
        )
        .await;
    let shown = client
        .execute(
            "return [document.getElementById('no-tray').hidden, document.getElementById('view-welcome').hidden]",
            vec![],
        )
        .await
        .expect("state");
    assert_eq!(shown, json!([true, true]));
    client.close().await;
}

/// Kills a process by pid when dropped (one reaped elsewhere).
struct KillOnDrop(u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .arg(self.0.to_string())
            .status();
    }
}

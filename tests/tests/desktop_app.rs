//! The real desktop app under Xvfb: tray item registered, window renders the list (WebDriver),
//! closing the window keeps the app in the tray.

use outage_radar_tests::desktop::{
    alive, descendants, has_window, pids_with_arg, request_close, tree_rss_kib, window_pids,
    Cleanup, Desktop,
};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::webdriver::Session;
use outage_radar_tests::{
    app_binary, artifacts_dir, eventually, eventually_async, tools_available, within, write_config,
    WAIT,
};
use serde_json::json;
use std::path::PathBuf;

/// A fake page with one open incident, and a config and data dir watching it as "Fake Cloud".
struct OnePage {
    server: FakeServer,
    page: String,
    dir: tempfile::TempDir,
    config: PathBuf,
    data_arg: String,
}

async fn one_page(incident: FakeIncident, poll_secs: u64) -> OnePage {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), poll_secs, "", &[("Fake Cloud", &page, "")]);
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    OnePage {
        server,
        page,
        dir,
        config,
        data_arg,
    }
}

async fn css_attr(client: &Session, css: &str, attr: &str) -> Option<String> {
    let el = client.find(css).await.ok()?;
    client.attr(&el, attr).await.ok().flatten()
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
    // Kept bound: dropping the server or the temp dir would end the page and the data.
    let OnePage {
        server: _server,
        page: _,
        dir: _dir,
        config,
        data_arg,
    } = one_page(
        FakeIncident {
            id: "inc-7",
            title: "Degraded <b>search</b> & indexing",
            status: "identified",
            impact: "major",
        },
        2,
    )
    .await;

    let config_arg = config.to_string_lossy().into_owned();
    let (client, _cleanup) = desktop
        .app_session(
            &["--show", "--config", &config_arg, "--data-dir", &data_arg],
            &data_arg,
            &[],
        )
        .await;

    // The window lists the service with its state and the open incident, remote text as text.
    let incident_css = r#"#open-incidents li[data-incident="inc-7"]"#;
    let mut last_error = String::new();
    let found = within(WAIT, async || {
        client
            .find(incident_css)
            .await
            .map_err(|e| last_error = e.to_string())
            .ok()
    })
    .await;
    let incident_el = found.unwrap_or_else(|| panic!("the open incident is listed: {last_error}"));
    let text = client.text(&incident_el).await.expect("text");
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
    let summary_el = client.find("#summary").await.expect("summary");
    let summary_text = client.text(&summary_el).await.expect("text");
    assert_eq!(summary_text, "1 incident: Fake Cloud (major)");
    let injected = client
        .execute(
            "return document.querySelectorAll('#open-incidents b').length",
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
    let registered = eventually_async(WAIT, "the tray item", async || {
        let items = desktop.tray_items().await;
        (!items.is_empty()).then_some(items)
    })
    .await;
    assert_eq!(registered.len(), 1, "one tray item: {registered:?}");

    let artifacts = artifacts_dir("");
    let png = client.screenshot().await.expect("window screenshot");
    std::fs::write(artifacts.join("window.png"), png).expect("save window screenshot");
    desktop.screenshot(&artifacts.join("desktop.png"));

    // The baseline found one open incident: one notification, through the session bus.
    eventually(WAIT, "the baseline notification", || {
        (desktop.notifications.count() == 1).then_some(())
    })
    .await;
    let note = &desktop.notifications.received()[0];
    assert_eq!(note.summary, "Fake Cloud — ongoing");
    assert!(
        note.body.starts_with(
            "Degraded <b>search</b> & indexing
"
        ),
        "{note:?}"
    );

    // The tray process started first; the window is a process of its own.
    let app_pids = pids_with_arg(&data_arg);
    let app_pid = *app_pids.iter().min().expect("the app process is running");
    let window_pid = *window_pids(&data_arg)
        .first()
        .expect("the window process is running");
    assert_ne!(window_pid, app_pid);
    let webkit = descendants(window_pid);
    assert!(
        !webkit.is_empty(),
        "WebKit's processes are the window process's children"
    );
    assert!(
        descendants(app_pid).iter().all(|p| !webkit.contains(p)),
        "no WebKit process under the tray process"
    );
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
    // Closing the window ends its process and every WebKit process with it.
    eventually(
        WAIT,
        "the window process and its WebKit processes to end",
        || (!alive(window_pid) && webkit.iter().all(|p| !alive(*p))).then_some(()),
    )
    .await;
    assert!(alive(app_pid), "the app outlives its window");
    assert_eq!(desktop.tray_items().await.len(), 1, "still in the tray");
    // And the tray process still answers.
    let status = desktop
        .command(app_binary())
        .args(["status", "--data-dir", &data_arg])
        .output()
        .expect("run status");
    assert!(status.status.success(), "{status:?}");
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("Fake Cloud: partial outage"),
        "{status:?}"
    );
    println!(
        "figure: RSS 2 s after closing the window: {} MiB",
        tree_rss_kib(app_pid) / 1024
    );

    let _ = client.close().await;
}

/// Names the tray icon from its colours (see icons/tray-*.png).
fn icon_name(disc: [u8; 4], middle: [u8; 4]) -> &'static str {
    let known: [(&str, [u8; 3]); 6] = [
        ("operational", [0x1f, 0x9d, 0x55]),
        ("maintenance", [0x2f, 0x6f, 0xdf]),
        ("degraded", [0xd9, 0xa4, 0x00]),
        ("partial_outage", [0xef, 0x6c, 0x00]),
        ("major_outage", [0xd3, 0x2f, 0x2f]),
        ("grey", [0x7a, 0x82, 0x8c]),
    ];
    let close = |a: [u8; 3]| (0..3).all(|i| (i32::from(disc[i]) - i32::from(a[i])).abs() <= 12);
    match known.iter().find(|(_, rgb)| close(*rgb)).map(|(n, _)| *n) {
        Some("grey") if middle[0] > 200 && middle[1] > 200 => "unknown",
        Some("grey") => "paused",
        Some(n) => n,
        None => "unrecognised",
    }
}

async fn wait_tray(desktop: &Desktop, want_icon: &str, want_first_line: impl Fn(&str) -> bool) {
    let mut last = (String::new(), String::new());
    let shown = within(WAIT, async || {
        let icon = desktop
            .tray_icon_colors()
            .await
            .map(|(d, m)| icon_name(d, m))
            .unwrap_or("none");
        let menu = desktop.tray_menu().await;
        let first = menu.first().map(|(_, l)| l.clone()).unwrap_or_default();
        if icon == want_icon && want_first_line(&first) {
            return Some(());
        }
        last = (icon.to_owned(), first);
        None
    })
    .await;
    assert!(
        shown.is_some(),
        "tray never showed {want_icon}; last icon {:?}, first line {:?}",
        last.0,
        last.1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tray_icon_and_menu_follow_the_page_and_the_pause() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone", "busctl"]) {
        return;
    }
    let desktop = Desktop::start().await;
    let OnePage {
        server,
        page,
        dir,
        config,
        data_arg,
    } = one_page(
        FakeIncident {
            id: "inc-8",
            title: "Webhooks delayed",
            status: "investigating",
            impact: "major",
        },
        1,
    )
    .await;
    // A home of its own, so "Launch at login" writes its login item where the test looks.
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let app = desktop
        .app_command(&config, &data_arg)
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        // As the login item starts it: a fresh data dir would otherwise open the welcome.
        .arg("--background")
        .spawn()
        .expect("start the app");
    let _cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };

    wait_tray(&desktop, "partial_outage", |l| {
        l == "1 incident: Fake Cloud (major)"
    })
    .await;
    let labels: Vec<String> = desktop
        .tray_menu()
        .await
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    assert!(
        labels.contains(&"Fake Cloud: partial outage".to_owned()),
        "{labels:?}"
    );
    for entry in [
        "Open Outage Radar",
        "Check now",
        "Pause notifications",
        "Quit",
    ] {
        assert!(labels.iter().any(|l| l == entry), "{entry} in {labels:?}");
    }
    assert!(
        !has_window(&desktop.x.display, "Outage Radar"),
        "starts in the tray, no window"
    );
    // Icon files live in this instance's data dir: the shared default (/tmp/tray-icon) let
    // another running instance delete the file this tray showed.
    let icon_file = desktop.tray_property("IconName").await.expect("icon name");
    assert!(
        icon_file.starts_with(&format!("{data_arg}/tray/")),
        "icon {icon_file} outside {data_arg}/tray"
    );

    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    wait_tray(&desktop, "operational", |l| l == "All operational").await;

    assert!(desktop.click_tray_menu("For 1 hour").await, "click pause");
    wait_tray(&desktop, "paused", |l| l.starts_with("Paused until ")).await;
    assert!(
        desktop.click_tray_menu("Resume notifications").await,
        "click resume"
    );
    wait_tray(&desktop, "operational", |l| l == "All operational").await;

    // A service added in Settings gets its own line in the tray menu, without a restart.
    let second = format!("{page}/second");
    server.set(
        "/second/api/v2/summary.json",
        Reply::json(summary(&second, &[])),
    );
    let data_dir = std::path::Path::new(&data_arg);
    let view = outage_radar_tests::socket::ask(data_dir, json!({"command": "get_settings"}));
    let mut settings = view["ok"]["settings"].clone();
    let mut added = settings["services"][0].clone();
    added["name"] = json!("Second Cloud");
    added["url"] = json!(second);
    settings["services"]
        .as_array_mut()
        .expect("services")
        .push(added);
    let saved = outage_radar_tests::socket::ask(
        data_dir,
        json!({"command": "save_settings", "args": {"settings": settings}}),
    );
    assert!(saved.get("ok").is_some(), "{saved}");
    let labels = desktop
        .tray_labels_until(WAIT, |l| l.iter().any(|l| l == "Second Cloud: operational"))
        .await
        .unwrap_or_else(|last| panic!("the new service never got its tray line: {last:?}"));
    assert!(
        labels.iter().any(|l| l == "Fake Cloud: operational"),
        "the first service lost its tray line: {labels:?}"
    );
    // One page that cannot be read among fine ones: not green, and the line says why.
    server.set(
        "/second/api/v2/summary.json",
        Reply::html("<html>moved</html>"),
    );
    wait_tray(&desktop, "unknown", |l| {
        l.starts_with("All operational ") && l.ends_with(" 1 not readable")
    })
    .await;
    // And a service removed there loses its line (saved over the file as the first save
    // left it: its revision is the one that save answered with).
    let mut before = view["ok"]["settings"].clone();
    before["revision"] = saved["ok"]["settings"]["revision"].clone();
    let saved = outage_radar_tests::socket::ask(
        data_dir,
        json!({"command": "save_settings", "args": {"settings": before}}),
    );
    assert!(saved.get("ok").is_some(), "{saved}");
    let labels = desktop
        .tray_labels_until(WAIT, |l| !l.iter().any(|l| l.starts_with("Second Cloud")))
        .await
        .unwrap_or_else(|last| panic!("the removed service kept its tray line: {last:?}"));
    assert!(
        labels.iter().any(|l| l == "Fake Cloud: operational"),
        "the remaining service lost its tray line: {labels:?}"
    );
    wait_tray(&desktop, "operational", |l| l == "All operational").await;

    // Launch at login: off by default, switched from the tray menu, and back off.
    let login_item = || {
        std::fs::read_dir(home.join(".config/autostart"))
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "desktop"))
    };
    assert_eq!(login_item(), None, "off by default");
    assert!(
        desktop.click_tray_menu("Launch at login").await,
        "click launch at login"
    );
    // The file is created, then written: wait for its words, not just its name.
    let entry = eventually(WAIT, "a login item", || {
        let text = std::fs::read_to_string(login_item()?).ok()?;
        text.contains("Exec=").then_some(text)
    })
    .await;
    let binary = app_binary();
    assert!(
        entry.contains(&format!("Exec={} --background", binary.display())),
        "the login item starts the app in the background: {entry}"
    );
    assert!(
        desktop.click_tray_menu("Launch at login").await,
        "click again"
    );
    eventually(WAIT, "the login item removed", || {
        login_item().is_none().then_some(())
    })
    .await;

    // A page that cannot be read is not green: the icon says "unknown".
    server.set(SUMMARY_PATH, Reply::html("<html>moved</html>"));
    wait_tray(&desktop, "unknown", |l| {
        l == "Not readable: Fake Cloud (page changed format)"
    })
    .await;

    assert!(
        desktop.click_tray_menu("Open Outage Radar").await,
        "click open"
    );
    eventually(WAIT, "the window to open from the tray", || {
        has_window(&desktop.x.display, "Outage Radar").then_some(())
    })
    .await;

    // One notification for the outage at start, one for its resolution; the pause and
    // the unreadable page announce nothing.
    let got = desktop.notifications.received();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert_eq!(got[0].summary, "Fake Cloud — ongoing");
    assert!(
        got[1].summary.starts_with("Fake Cloud — resolved"),
        "{got:#?}"
    );
}

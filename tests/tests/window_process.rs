//! The window in a process of its own, started by the tray: a second "open" focuses it, closing
//! it ends it with its WebKit processes, a killed window leaves the tray and notifications
//! running and opens again.

use outage_radar_tests::desktop::{
    alive, descendants, has_window, parent, pids_with_arg, request_close, window_pids, Cleanup,
    Desktop,
};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::{app_binary, eventually, tools_available, write_config, WAIT};

const TITLE: &str = "Outage Radar";

/// Clicks "Open Outage Radar" until the tray's menu has it (the item registers a moment
/// after the socket answers), then waits for the window and returns its process.
async fn open_from_tray(desktop: &Desktop, marker: &str) -> u32 {
    eventually(WAIT, "the tray's Open entry", || {
        let clicked = tokio::task::block_in_place(|| {
            tokio::runtime::Handle::current().block_on(desktop.click_tray_menu("Open Outage Radar"))
        });
        clicked.then_some(())
    })
    .await;
    eventually(WAIT, "the window to be mapped", || {
        has_window(&desktop.x.display, TITLE).then_some(())
    })
    .await;
    let pids = window_pids(marker);
    assert_eq!(pids.len(), 1, "one window process: {pids:?}");
    pids[0]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_is_a_child_process_that_dies_alone() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone", "busctl"]) {
        return;
    }
    let desktop = Desktop::start().await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &page, "")]);
    let config_arg = config.to_string_lossy().into_owned();
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    let tray = desktop
        .start_tray(&["--config", &config_arg, "--data-dir", &data_arg], &[])
        .await;
    let tray_pid = tray.id();
    let _cleanup = Cleanup {
        child: tray,
        marker: data_arg.clone(),
    };
    assert!(!has_window(&desktop.x.display, TITLE), "starts in the tray");

    // Opened from the tray: a child of the tray process, and WebKit's processes under it.
    let window = open_from_tray(&desktop, &data_arg).await;
    assert_eq!(parent(window), Some(tray_pid), "the tray starts the window");
    let webkit = eventually(WAIT, "WebKit's processes under the window", || {
        let d = descendants(window);
        (!d.is_empty()).then_some(d)
    })
    .await;
    let under_window = descendants(window);
    assert!(
        descendants(tray_pid)
            .iter()
            .all(|p| *p == window || under_window.contains(p)),
        "nothing but the window process (and what it started) under the tray"
    );

    // A second "open" while it runs focuses it: no second process.
    assert!(desktop.click_tray_menu("Open Outage Radar").await);
    let status = desktop
        .command(app_binary())
        .args(["status", "--data-dir", &data_arg])
        .output()
        .expect("status");
    assert!(status.status.success(), "{status:?}");
    assert_eq!(
        window_pids(&data_arg),
        vec![window],
        "still one window process"
    );

    // SIGKILL: the window and WebKit go, the tray and the engine carry on.
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &window.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    eventually(WAIT, "the killed window to be gone with WebKit", || {
        (!alive(window)
            && webkit.iter().all(|p| !alive(*p))
            && !has_window(&desktop.x.display, TITLE))
        .then_some(())
    })
    .await;
    assert!(alive(tray_pid), "the tray survives its window");

    // Notifications carry on: an outage after the crash is announced.
    server.set(
        SUMMARY_PATH,
        Reply::json(summary(
            &page,
            &[FakeIncident {
                id: "inc-9",
                title: "Queue backlog",
                status: "investigating",
                impact: "minor",
            }],
        )),
    );
    desktop
        .notifications
        .wait_for(WAIT, "the notification after the crash", |s| {
            s.starts_with("Fake Cloud")
        })
        .await;

    // The next "open" works.
    let again = open_from_tray(&desktop, &data_arg).await;
    assert_ne!(again, window);

    // Closed as a window manager does: the process ends by itself, the tray stays.
    assert_eq!(request_close(&desktop.x.display, TITLE), 1);
    eventually(WAIT, "the closed window's process to end", || {
        (!alive(again) && !has_window(&desktop.x.display, TITLE)).then_some(())
    })
    .await;
    assert!(alive(tray_pid));
    assert_eq!(
        pids_with_arg(&data_arg),
        vec![tray_pid],
        "only the tray process is left"
    );
}

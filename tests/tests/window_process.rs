//! The window in a process of its own, started by the tray: a second "open" focuses it, closing
//! it ends it with its WebKit processes, a killed window leaves the tray and notifications
//! running and opens again; started alone, it starts the app beside it.

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

/// A fake status page with nothing wrong and a config watching it, in a temp dir that also
/// holds the data dir.
struct Quiet {
    server: FakeServer,
    page: String,
    dir: tempfile::TempDir,
    config: std::path::PathBuf,
    data_arg: String,
}

async fn quiet() -> Quiet {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &page, "")]);
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    Quiet {
        server,
        page,
        dir,
        config,
        data_arg,
    }
}

/// The program `pid` runs.
fn exe(pid: u32) -> Option<std::path::PathBuf> {
    std::fs::read_link(format!("/proc/{pid}/exe")).ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_is_a_child_process_that_dies_alone() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone", "busctl"]) {
        return;
    }
    let desktop = Desktop::start().await;
    let Quiet {
        server,
        page,
        dir: _dir,
        config,
        data_arg,
    } = quiet().await;
    let config_arg = config.to_string_lossy().into_owned();
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

/// Every file under `dir`, relative to it.
fn files_under(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(
                    path.strip_prefix(dir)
                        .unwrap_or(&path)
                        .display()
                        .to_string(),
                );
            }
        }
    }
    out.sort();
    out
}

/// `outage-radar demo` opens its window on a throw-away history and leaves the user's home
/// as it was: the window's webview keeps its storage and caches in the demo's folder too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_s_window_writes_nothing_under_home() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone", "busctl"]) {
        return;
    }
    let desktop = Desktop::start().await;
    let home = tempfile::tempdir().expect("home");
    let log_dir = tempfile::tempdir().expect("log dir");
    let log_path = log_dir.path().join("demo.log");
    let log = std::fs::File::create(&log_path).expect("log");
    let mut cmd = desktop.command(app_binary());
    cmd.arg("demo")
        .env("HOME", home.path())
        .env("OUTAGE_RADAR_LOG", "outage_radar=info")
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .stdout(std::process::Stdio::null())
        .stderr(log);
    let demo = cmd.spawn().expect("start the demo");
    let demo_pid = demo.id();
    let _cleanup = Cleanup {
        child: demo,
        marker: "outage-radar-demo-".to_owned(),
    };
    eventually(WAIT, "the demo's window", || {
        has_window(&desktop.x.display, TITLE).then_some(())
    })
    .await;
    let webkit = eventually(WAIT, "the window's WebKit processes", || {
        let d = descendants(demo_pid);
        (d.len() >= 2).then_some(d)
    })
    .await;
    // The window process says when its page has loaded: by then the webview has opened
    // its storage and caches.
    eventually(WAIT, "the demo's page loaded", || {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        text.contains("window page loaded").then_some(())
    })
    .await;
    assert!(webkit.iter().all(|p| alive(*p)));
    let written = files_under(home.path());
    assert_eq!(written, Vec::<String>::new(), "nothing under HOME");
}

/// An installer's shortcut (the macOS bundle, the Windows Start menu) starts the window
/// binary itself: with no app running it starts the tray app from beside itself, with its
/// window open, and ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_started_alone_starts_the_app_beside_it() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone"]) {
        return;
    }
    let desktop = Desktop::start().await;
    let q = quiet().await;
    let mut alone = desktop.command(outage_radar_tests::window_binary());
    alone
        .env("OUTAGE_RADAR_DATA_DIR", q.dir.path().join("data"))
        .env("OUTAGE_RADAR_CONFIG", &q.config)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    let mut cleanup = Cleanup {
        child: alone.spawn().expect("start the window binary"),
        marker: q.data_arg.clone(),
    };
    let status = eventually(WAIT, "the window binary to hand over and end", || {
        cleanup.child.try_wait().expect("try_wait")
    })
    .await;
    assert!(status.success(), "{status}");

    // The app opens its window (`--show`), as a child of its own; it is the binary beside
    // the window's, and runs once on that data dir.
    eventually(WAIT, "the app's window to be mapped", || {
        has_window(&desktop.x.display, TITLE).then_some(())
    })
    .await;
    let windows = eventually(WAIT, "the app's window process", || {
        let w = window_pids(&q.data_arg);
        (!w.is_empty()).then_some(w)
    })
    .await;
    assert_eq!(windows.len(), 1, "{windows:?}");
    let app = parent(windows[0]).expect("the window's parent");
    assert_eq!(
        exe(app),
        Some(app_binary()),
        "the window's parent is the app"
    );
    let apps: Vec<u32> = pids_with_arg(&q.data_arg)
        .into_iter()
        .filter(|p| exe(*p) == Some(app_binary()))
        .collect();
    assert_eq!(apps, vec![app], "one app on the data dir");
}

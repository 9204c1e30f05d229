//! The Windows tray process itself, run under Wine on an X display: the named pipe it serves, single instance, and the login item in the Run key.
//!
//! `tests/run-all.sh` runs it for `x86_64-pc-windows-gnu` (cargo's runner is Wine) with
//! `DISPLAY` pointing at an Xvfb (Wine shows tray icons in a window of its own there).
//! Elsewhere it compiles to nothing.
#![cfg(all(windows, feature = "desktop"))]

use outage_radar::local::{client, protocol::Request, socket_path};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);
const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";

fn app(config: &Path, data: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_outage-radar"));
    c.args(extra)
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .env("OUTAGE_RADAR_LOG", "outage_radar=info");
    c
}

/// Waits for `child` to end on its own within `WAIT`.
fn ends(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        assert!(Instant::now() < deadline, "{what} did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The Run key's values that start this binary.
fn login_items() -> Vec<String> {
    let Ok(key) = windows_registry::CURRENT_USER.open(RUN_KEY) else {
        return vec![];
    };
    let Ok(values) = key.values() else {
        return vec![];
    };
    values
        .filter_map(|(name, _)| key.get_string(&name).ok())
        .filter(|cmd| cmd.to_lowercase().contains("outage-radar"))
        .collect()
}

struct Killed(Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_tray_app_serves_the_pipe_runs_once_and_keeps_its_login_item_in_the_run_key() {
    if std::env::var_os("DISPLAY").is_none() {
        assert!(
            std::env::var_os("OUTAGE_RADAR_REQUIRE_SYSTEM").is_none(),
            "no DISPLAY for the tray under Wine"
        );
        println!("SKIP: no DISPLAY (tests/run-all.sh gives one)");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    // A page that never answers: the tray's state does not matter here, its channel does.
    std::fs::write(
        &config,
        "poll_interval_secs = 3600\n[[services]]\nname = \"Pipe Cloud\"\nurl = \"http://127.0.0.1:9/\"\nformat = \"statuspage\"\n",
    )
    .expect("config");
    let data = dir.path().join("data");
    let tray = Killed(
        app(&config, &data, &["--background"])
            .spawn()
            .expect("start the tray app"),
    );
    let socket = socket_path(&data, true);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let ask = |request: Request| rt.block_on(client::ask(&socket, "windows test", &request));

    let deadline = Instant::now() + WAIT;
    let overview = loop {
        match ask(Request::GetOverview) {
            Ok(v) => break v,
            Err(e) => {
                assert!(Instant::now() < deadline, "the tray never answered: {e}");
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    };
    assert_eq!(overview["services"][0]["name"], "Pipe Cloud");

    // The login item starting a second time finds the first and leaves at once.
    let mut second = app(&config, &data, &["--background"])
        .spawn()
        .expect("second");
    assert!(ends(&mut second, "a second --background start").success());
    // A second start from the menu asks the first to open its window, and leaves.
    let mut again = app(&config, &data, &[]).spawn().expect("again");
    assert!(ends(&mut again, "a second start").success());
    assert!(
        ask(Request::GetOverview).is_ok(),
        "the first one still runs"
    );

    ask(Request::SetLaunchAtLogin { enabled: true }).expect("turn on launch at login");
    let items = login_items();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(items[0].contains("--background"), "{items:?}");
    println!("Run key: {}", items[0]);
    ask(Request::SetLaunchAtLogin { enabled: false }).expect("turn it off");
    assert_eq!(login_items(), Vec::<String>::new());
    drop(tray);
}

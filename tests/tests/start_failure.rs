//! A tray app that cannot start (its data dir cannot be made) says why in a pop-up, not only on a stderr nobody reads at login.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::{app_binary, english, eventually, tools_available, WAIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_that_fails_says_why_in_a_pop_up() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let dir = tempfile::tempdir().expect("tempdir");
    // A file where the data dir should be: nothing can be made under it (even as root).
    let data = dir.path().join("data");
    std::fs::write(&data, b"not a directory").expect("file");
    let mut command = std::process::Command::new(app_binary());
    english(&mut command)
        .arg("--background")
        .arg("--data-dir")
        .arg(&data)
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env_remove("OUTAGE_RADAR_SOCKET")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY");
    let out = tokio::process::Command::from(command)
        .output()
        .await
        .expect("run the app");
    assert!(!out.status.success(), "it cannot run without its data dir");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = eventually(WAIT, "the pop-up", || notes.received().into_iter().next()).await;
    assert_eq!(shown.summary, "Outage Radar could not start");
    assert!(
        shown.body.contains(&data.display().to_string()),
        "{shown:#?}\n{stderr}"
    );
}

//! A click on a pop-up with a link opens it in the browser, through the engine's one listener for every pop-up (no thread waits per pop-up).

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_now, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::{eventually, tools_available, write_config, WAIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_opens_the_incident_page() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    // The browser: an `xdg-open` first on the PATH that writes down what it was given.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("bin");
    let opened = dir.path().join("opened.txt");
    let script = bin.join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" >> '{}'\n", opened.display()),
    )
    .expect("script");
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &page, "")]);
    let data = dir.path().join("data");
    let mut w = Watcher::start_with(&config, &data, &bus.address, &[], &[("PATH", &path)]);
    w.wait_for("baseline", WAIT).await;
    let incident = FakeIncident {
        id: "inc-click",
        title: "Elevated errors",
        status: "investigating",
        impact: "major",
    };
    server.set(SUMMARY_PATH, Reply::json(summary_now(&page, &[incident])));
    notes
        .wait_for(WAIT, "the pop-up", |s| s.starts_with("Fake Cloud"))
        .await;
    assert!(
        notes.received()[0].actions.iter().any(|a| a == "default"),
        "{:#?}",
        notes.received()
    );
    notes.click(1).await;
    let url = eventually(WAIT, "the browser opened", || {
        std::fs::read_to_string(&opened)
            .ok()
            .filter(|s| !s.is_empty())
    })
    .await;
    assert_eq!(url.trim(), format!("{page}/incidents/inc-click"));

    // Twenty more pop-ups with links, never clicked nor closed (some servers never say a
    // pop-up closed): the engine's threads do not grow with them.
    let threads = |pid: u32| {
        std::fs::read_dir(format!("/proc/{pid}/task"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let pid = w.pid().expect("running");
    let before = threads(pid);
    let many: Vec<FakeIncident> = (0..20)
        .map(|n| FakeIncident {
            id: Box::leak(format!("inc-many-{n}").into_boxed_str()),
            title: "Elevated errors",
            status: "investigating",
            impact: "minor",
        })
        .collect();
    let mut open = Vec::new();
    for (n, incident) in many.into_iter().enumerate() {
        open.push(incident);
        server.set(SUMMARY_PATH, Reply::json(summary_now(&page, &open)));
        eventually(WAIT, "its pop-up", || {
            (notes.count() >= n + 2).then_some(())
        })
        .await;
    }
    let after = threads(pid);
    assert!(
        after <= before + 2,
        "threads grew with the pop-ups: {before} -> {after}"
    );
    w.stop().await;
}

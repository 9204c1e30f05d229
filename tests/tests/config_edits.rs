//! Hand edits of the config file, against the running engine: taken within seconds, never undone by a Settings window opened before them, and a broken edit keeps the settings in force and says why.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::summary;
use outage_radar_tests::process::Watcher;
use outage_radar_tests::socket::{ask, notices, service_names};
use outage_radar_tests::{eventually, tools_available, write_config, WAIT};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_edits_are_taken_and_never_undone() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let base = server.url();
    for page in ["one", "two"] {
        server.set(
            &format!("/{page}/api/v2/summary.json"),
            Reply::json(summary(&format!("{base}/{page}"), &[])),
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        60,
        "",
        &[("First Cloud", &format!("{base}/one"), "")],
    );
    let data = dir.path().join("data");
    let mut w = Watcher::start_with(&config, &data, &bus.address, &[], &[]);
    w.wait_for("baseline", WAIT).await;
    // Settings opened now.
    let opened = ask(&data, json!({"command": "get_settings"}))["ok"]["settings"].clone();
    assert!(
        opened["revision"].as_str().is_some_and(|r| r.len() == 64),
        "{opened}"
    );

    // A service added by hand is watched without a restart.
    let hand = format!(
        "{}\n[[services]]\nname = \"Second Cloud\"\nurl = \"{base}/two\"\n",
        std::fs::read_to_string(&config).expect("config")
    );
    std::fs::write(&config, &hand).expect("hand edit");
    eventually(WAIT, "the hand-added service watched", || {
        service_names(&data)
            .contains(&"Second Cloud".to_owned())
            .then_some(())
    })
    .await;
    w.wait_for("baseline", WAIT).await;

    // The window opened before the edit cannot save over it: refused, the file as edited.
    let mut stale = opened.clone();
    stale["poll_interval_secs"] = json!(120);
    let refused = ask(
        &data,
        json!({"command": "save_settings", "args": {"settings": stale}}),
    );
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("was changed since"), "{refused}");
    assert_eq!(std::fs::read_to_string(&config).expect("config"), hand);

    // Reopened, it shows the edit, and its save keeps it.
    let mut fresh = ask(&data, json!({"command": "get_settings"}))["ok"]["settings"].clone();
    assert_eq!(
        fresh["services"].as_array().map(Vec::len),
        Some(2),
        "{fresh}"
    );
    fresh["poll_interval_secs"] = json!(120);
    let saved = ask(
        &data,
        json!({"command": "save_settings", "args": {"settings": fresh}}),
    );
    assert!(saved.get("ok").is_some(), "{saved}");
    let text = std::fs::read_to_string(&config).expect("config");
    assert!(
        text.contains("Second Cloud") && text.contains("poll_interval_secs = 120"),
        "{text}"
    );

    // A broken edit keeps both services watched and says why; fixing it clears that.
    std::fs::write(&config, format!("{text}\n[[services]\nname = ")).expect("broken edit");
    let said = eventually(WAIT, "the broken edit named", || {
        notices(&data)
            .into_iter()
            .find(|n| n.starts_with("Your last edit of the config could not be read"))
    })
    .await;
    assert!(said.contains("line"), "{said}");
    // And one pop-up says it, for a window that may be closed.
    let popped = eventually(WAIT, "the pop-up about the broken edit", || {
        notes
            .received()
            .into_iter()
            .find(|n| n.summary == "Your config edit could not be read")
    })
    .await;
    assert!(popped.body.contains("line"), "{popped:#?}");
    assert_eq!(service_names(&data), ["First Cloud", "Second Cloud"]);
    std::fs::write(&config, &text).expect("fixed");
    eventually(WAIT, "the notice gone once fixed", || {
        notices(&data).is_empty().then_some(())
    })
    .await;
    w.stop().await;
}

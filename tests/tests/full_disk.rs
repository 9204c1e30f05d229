//! A full disk costs the history, never the news: with the data dir on a small filesystem filled up, an incident still pops up and reaches `watch --json`, `status` says the history cannot be written, and once space is back it is written again without telling anything twice.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_now, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::socket::{ask, notices};
use outage_radar_tests::{eventually, tools_available, write_config, WAIT};
use serde_json::json;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A 1 MiB tmpfs of its own, unmounted on drop. Mounting needs root (as CI runs); elsewhere
/// the test says so and skips, unless `OUTAGE_RADAR_REQUIRE_SYSTEM` asks for every test.
struct SmallDisk {
    dir: tempfile::TempDir,
    filler: PathBuf,
}

impl SmallDisk {
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().expect("tempdir");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "outage-radar-test"])
            .arg(dir.path())
            .output()
            .expect("run mount");
        if !mounted.status.success() {
            let why = String::from_utf8_lossy(&mounted.stderr);
            if std::env::var_os("OUTAGE_RADAR_REQUIRE_SYSTEM").is_some() {
                panic!("cannot mount a small tmpfs: {why}");
            }
            eprintln!("skipped: cannot mount a small tmpfs (needs root): {why}");
            return None;
        }
        let filler = dir.path().join("filler");
        Some(SmallDisk { dir, filler })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Takes every byte left.
    fn fill(&self) {
        let mut f = std::fs::File::create(&self.filler).expect("filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        let _ = f.sync_all();
    }

    fn free(&self) {
        std::fs::remove_file(&self.filler).expect("remove the filler");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn incident() -> FakeIncident {
    FakeIncident {
        id: "inc-disk",
        title: "Elevated errors",
        status: "investigating",
        impact: "major",
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_still_tells_the_user() {
    if !tools_available(&["dbus-daemon", "mount", "umount"]) {
        return;
    }
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &page, "")]);
    let data = disk.path().join("data");
    let mut w = Watcher::start_with(&config, &data, &bus.address, &[], &[]);
    w.wait_for("baseline", WAIT).await;

    disk.fill();
    server.set(SUMMARY_PATH, Reply::json(summary_now(&page, &[incident()])));
    // Said before the round's own events: the save failed before they were told.
    let unwritable = w.wait_for("history_unwritable", WAIT).await;
    let error = unwritable["error"].as_str().unwrap_or_default();
    assert!(error.contains("full"), "{unwritable}");
    let opened = w.wait_for("incident_opened", WAIT).await;
    assert_eq!(opened["incident_id"], "inc-disk");
    // The outage, and one pop-up that says the history cannot be saved and why.
    eventually(WAIT, "the pop-ups on a full disk", || {
        (notes.count() == 2).then_some(())
    })
    .await;
    let mut titles: Vec<String> = notes.received().into_iter().map(|n| n.summary).collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Fake Cloud — outage began",
            "Outage Radar cannot save its history"
        ]
    );
    let note = notes
        .received()
        .into_iter()
        .find(|n| n.summary.starts_with("Outage Radar"))
        .expect("the note");
    assert!(note.body.contains("full"), "{note:#?}");
    let said = eventually(WAIT, "the overview names the trouble", || {
        notices(&data)
            .into_iter()
            .find(|n| n.starts_with("The history cannot be written"))
    })
    .await;
    assert!(said.contains("full"), "{said}");
    // The tray's line (the overview's summary) says it too.
    let summary = ask(&data, json!({"command": "get_overview"}))["ok"]["summary"].clone();
    assert!(
        summary
            .as_str()
            .is_some_and(|s| s.starts_with("History not saved · ")),
        "{summary}"
    );

    // Space is back: the next poll saves (said once), the notice goes, and the incident
    // (already told) is not told again.
    disk.free();
    w.wait_for("history_recovered", WAIT).await;
    eventually(WAIT, "the notice gone", || {
        notices(&data).is_empty().then_some(())
    })
    .await;
    server.set(
        SUMMARY_PATH,
        Reply::json(summary_now(
            &page,
            &[FakeIncident {
                status: "resolved",
                ..incident()
            }],
        )),
    );
    w.wait_for("incident_resolved", WAIT).await;
    eventually(WAIT, "the resolved pop-up", || {
        (notes.count() == 3).then_some(())
    })
    .await;
    let last = notes.received().pop().expect("a pop-up").summary;
    assert!(last.starts_with("Fake Cloud — resolved after"), "{last}");
    let unwritable = w
        .drain()
        .iter()
        .filter(|e| e["event"] == "history_unwritable")
        .count();
    assert_eq!(unwritable, 1, "said once, not at every poll");
    w.stop().await;
}

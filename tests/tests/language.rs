//! The system's language: the tray and the pop-ups speak French under a French locale and English otherwise; `--json` never changes.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus, Received};
use outage_radar_tests::desktop::{Cleanup, Desktop};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_with, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::{app_binary, english, eventually, tools_available, write_config, WAIT};

const NB: &str = "\u{a0}";

fn incident() -> FakeIncident {
    FakeIncident {
        id: "inc-3",
        title: "Elevated errors",
        status: "investigating",
        impact: "major",
    }
}

/// `check --json` under a locale: its exact bytes.
async fn check_json(page: &str, lang: &str) -> Vec<u8> {
    let mut command = std::process::Command::new(app_binary());
    english(&mut command)
        .args(["check", page, "--json"])
        .env("LANG", lang)
        .env("OUTAGE_RADAR_LOG", "off");
    let out = tokio::process::Command::from(command)
        .output()
        .await
        .expect("run outage-radar check");
    assert!(
        out.status.success(),
        "{lang}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[tokio::test]
async fn check_json_is_the_same_in_every_language() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident()])));
    let en = check_json(&page, "en_US.UTF-8").await;
    let fr = check_json(&page, "fr_FR.UTF-8").await;
    let v: serde_json::Value = serde_json::from_slice(&fr).expect("one JSON object");
    assert_eq!(v["status"], "partial_outage", "enum values stay English");
    assert_eq!(v["incidents"][0]["phase"], "investigating");
    assert_eq!(
        String::from_utf8_lossy(&fr),
        String::from_utf8_lossy(&en),
        "check --json is byte for byte the same under fr_FR and en_US"
    );
}

/// `outage-radar check <args>` under a locale.
async fn check_under(args: &[&str], lang: &str) -> std::process::Output {
    let mut command = std::process::Command::new(app_binary());
    english(&mut command)
        .arg("check")
        .args(args)
        .env("LANG", lang)
        .env("OUTAGE_RADAR_LOG", "off");
    tokio::process::Command::from(command)
        .output()
        .await
        .expect("run outage-radar check")
}

#[tokio::test]
async fn the_command_line_speaks_the_system_language() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident()])));
    let nb = |s: &str| s.replace('~', NB);
    let fr = check_under(&[&page], "fr_FR.UTF-8").await;
    let text = String::from_utf8_lossy(&fr.stdout);
    assert!(
        text.starts_with(&nb(
            "127.0.0.1 (statuspage)~: panne partielle\n  Fake status\nComposants~: 2 (1 non opérationnel)\n  API~: panne partielle\nIncidents~:\n  [enquête en cours, majeur] Elevated errors depuis le 2026-11-26 05:12 UTC\n"
        )),
        "{text}"
    );
    let en = check_under(&[&page], "en_US.UTF-8").await;
    let text = String::from_utf8_lossy(&en.stdout);
    assert!(
        text.starts_with(
            "127.0.0.1 (statuspage): partial outage\n  Fake status\nComponents: 2 (1 not operational)\n  API: partial outage\nIncidents:\n  [investigating, major] Elevated errors since 2026-11-26 05:12 UTC\n"
        ),
        "{text}"
    );

    // Errors too: a page nothing answers at (a port just closed).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        format!("http://127.0.0.1:{}", l.local_addr().expect("addr").port())
    };
    let detect = |lang: &'static str| {
        let closed = closed.clone();
        async move {
            let mut command = std::process::Command::new(app_binary());
            english(&mut command)
                .args(["detect", &closed])
                .env("LANG", lang)
                .env("OUTAGE_RADAR_LOG", "off");
            let out = tokio::process::Command::from(command)
                .output()
                .await
                .expect("run outage-radar detect");
            String::from_utf8_lossy(&out.stderr).into_owned()
        }
    };
    let fr = detect("fr_FR.UTF-8").await;
    assert!(
        fr.starts_with(&nb(&format!("outage-radar~: {closed}")))
            && fr.contains("connexion impossible"),
        "{fr}"
    );
    let en = detect("en_US.UTF-8").await;
    assert!(
        en.starts_with(&format!("outage-radar: {closed}")) && en.contains("cannot connect"),
        "{en}"
    );
}

/// Starts the app under `lang` and returns its tray menu once the summary is `first`.
async fn tray_under(lang: &str, first: &str) -> Vec<String> {
    let desktop = Desktop::start().await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[incident()])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 2, "", &[("Fake Cloud", &page, "")]);
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    let app = desktop
        .app_command(&config, &data_arg)
        .env("LANG", lang)
        .env("HOME", dir.path())
        .spawn()
        .expect("start the app");
    let _cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };
    desktop
        .tray_labels_until(WAIT, |l| l.first().map(String::as_str) == Some(first))
        .await
        .unwrap_or_else(|last| {
            panic!("{lang}: the tray never showed {first:?}; last menu {last:?}")
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_speaks_the_system_language() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone", "busctl"]) {
        return;
    }
    let nb = |s: &str| s.replace('~', NB);
    let fr = tray_under("fr_FR.UTF-8", &nb("1~incident~: Fake Cloud (majeur)")).await;
    for want in [
        nb("Fake Cloud~: panne partielle"),
        "Ouvrir Outage Radar".to_owned(),
        "Vérifier maintenant".to_owned(),
        "Suspendre les notifications".to_owned(),
        nb("Pendant 1~heure"),
        nb("Pendant 8~heures"),
        "Jusqu’à demain 08:00".to_owned(),
        "Reprendre les notifications".to_owned(),
        "Lancer à l’ouverture de session".to_owned(),
        "Quitter".to_owned(),
    ] {
        assert!(fr.contains(&want), "{want:?} in {fr:?}");
    }

    let en = tray_under("en_US.UTF-8", "1 incident: Fake Cloud (major)").await;
    for want in [
        "Fake Cloud: partial outage",
        "Open Outage Radar",
        "Check now",
        "Pause notifications",
        "For 1 hour",
        "For 8 hours",
        "Until tomorrow 08:00",
        "Resume notifications",
        "Launch at login",
        "Quit",
    ] {
        assert!(en.iter().any(|l| l == want), "{want:?} in {en:?}");
    }
}

/// Whether `summary` is `prefix` then a whole number of days (the fake incident began days
/// before any run), in `unit` after `space`, perhaps followed by hours: "10 j" and "10 j 3 h"
/// both depend on the hour the test runs, so neither is assumed.
fn lasted_days(summary: &str, prefix: &str, space: &str, unit: &str) -> bool {
    let Some(rest) = summary.strip_prefix(prefix) else {
        return false;
    };
    let mut words = rest.split(space);
    let days = words
        .next()
        .is_some_and(|n| n.parse::<u32>().is_ok_and(|n| n > 0));
    days && words.next() == Some(unit)
}

/// The same page story under `lang`: an all-clear baseline, then an incident opening while
/// another component breaks (one grouped pop-up), then the incident resolved. Returns the
/// pop-ups and the `--json` events (the pop-up titles the `notified` lines carry left out).
async fn popups_under(lang: &str) -> (Vec<Received>, Vec<serde_json::Value>) {
    let bus = PrivateBus::start();
    let notes = NotificationServer::start(&bus).await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &page, "")]);
    let data = dir.path().join("data");
    let mut w = Watcher::start_with(&config, &data, &bus.address, &[], &[("LANG", lang)]);
    w.wait_for("baseline", WAIT).await;
    let broken = [("API", "partial_outage"), ("Web", "major_outage")];
    server.set(
        SUMMARY_PATH,
        Reply::json(summary_with(&page, &[incident()], &broken)),
    );
    eventually(WAIT, "the grouped pop-up", || {
        (notes.count() == 1).then_some(())
    })
    .await;
    let resolved = FakeIncident {
        status: "resolved",
        ..incident()
    };
    server.set(
        SUMMARY_PATH,
        Reply::json(summary_with(&page, &[resolved], &broken)),
    );
    eventually(WAIT, "the resolved pop-up", || {
        (notes.count() == 2).then_some(())
    })
    .await;
    w.wait_for("incident_resolved", WAIT).await;
    // The page's story as scripts read it. Times differ between runs; a `notified` line
    // carries the pop-up's own words and comes when the daemon has it, so it is left out.
    let events = w
        .drain()
        .iter()
        .filter(|e| e["event"] != "notified")
        .map(|e| {
            let mut e = e.clone();
            if let Some(o) = e.as_object_mut() {
                o.remove("at");
            }
            // Each run has its own fake page, on its own port.
            let line = serde_json::to_string(&e).expect("json");
            serde_json::from_str(&line.replace(&page, "PAGE")).expect("json")
        })
        .collect();
    w.stop().await;
    (notes.received(), events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_popups_speak_the_system_language() {
    if !tools_available(&["dbus-daemon"]) {
        return;
    }
    let nb = |s: &str| s.replace('~', NB);
    let (fr, fr_events) = popups_under("fr_FR.UTF-8").await;
    let (en, en_events) = popups_under("en_US.UTF-8").await;
    assert_eq!(fr.len(), 2, "{fr:#?}");
    assert_eq!(en.len(), 2, "{en:#?}");

    // Grouped: led by the outage, the other component below it.
    assert_eq!(
        fr[0].summary,
        nb("Fake Cloud~: début de panne — Elevated errors")
    );
    assert_eq!(fr[0].body, nb("Web~: opérationnel → panne majeure"));
    assert_eq!(en[0].summary, "Fake Cloud: outage began — Elevated errors");
    assert_eq!(en[0].body, "Web: operational → major outage");
    assert!(
        fr[0]
            .actions
            .iter()
            .any(|a| a == "Ouvrir la page de statut"),
        "{:?}",
        fr[0].actions
    );
    assert!(
        en[0].actions.iter().any(|a| a == "Open status page"),
        "{:?}",
        en[0].actions
    );

    // Resolved, with how long it lasted in each language's units.
    assert!(
        lasted_days(&fr[1].summary, "Fake Cloud — résolu en ", NB, "j"),
        "{}",
        fr[1].summary
    );
    assert_eq!(
        fr[1].body,
        nb("Elevated errors\nRésolu · impact majeur\nConcerne~: API")
    );
    assert!(
        lasted_days(&en[1].summary, "Fake Cloud — resolved after ", " ", "d"),
        "{}",
        en[1].summary
    );
    assert_eq!(
        en[1].body,
        "Elevated errors\nResolved · major impact\nAffects: API"
    );

    // What scripts read is the same in both languages.
    assert_eq!(fr_events, en_events, "watch --json events");
}

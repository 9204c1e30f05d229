//! The system's language: the tray and the pop-ups speak French under a French locale and English otherwise; `--json` never changes.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus, Received};
use outage_radar_tests::desktop::{Cleanup, Desktop};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, summary_with, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::process::Watcher;
use outage_radar_tests::{app_binary, english, eventually, tools_available, write_config};
use std::process::Stdio;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);
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

/// `busctl` writes non-ASCII bytes of a label as octal escapes: back to text.
fn unescape(label: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = label.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'\\' && tail.len() >= 3 && tail[..3].iter().all(|d| (b'0'..=b'7').contains(d)) {
            let octal = std::str::from_utf8(&tail[..3]).unwrap_or("0");
            bytes.push(u8::from_str_radix(octal, 8).unwrap_or(b'?'));
            rest = &tail[3..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
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
        .command(app_binary())
        .env("LANG", lang)
        .env("HOME", dir.path())
        .arg("--config")
        .arg(&config)
        .args(["--data-dir", &data_arg])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the app");
    let _cleanup = Cleanup {
        child: app,
        marker: data_arg.clone(),
    };
    let mut labels = Vec::new();
    for _ in 0..(WAIT.as_millis() / 250) {
        labels = desktop
            .tray_menu()
            .await
            .into_iter()
            .map(|(_, l)| unescape(&l))
            .collect();
        if labels.first().map(String::as_str) == Some(first) {
            return labels;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{lang}: the tray never showed {first:?}; last menu {labels:?}");
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

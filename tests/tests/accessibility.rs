//! Every view of the window, in the light and the dark theme, has no axe-core violation of WCAG 2.1 A/AA.

use outage_radar_tests::axe::{self, Violation};
use outage_radar_tests::desktop::{Cleanup, Desktop};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{
    summary, summary_with, summary_with_scheduled_maintenance, FakeIncident, SUMMARY_PATH,
};
use outage_radar_tests::webdriver::Session;
use outage_radar_tests::{seed, tools_available, write_config, WAIT};
use serde_json::json;

/// What axe found in one view and theme.
struct Audit {
    view: &'static str,
    theme: &'static str,
    violations: Vec<Violation>,
}

/// Runs axe on what the window shows now, once per theme, and notes the results.
async fn audit(client: &Session, source: &str, view: &'static str, audits: &mut Vec<Audit>) {
    for theme in ["light", "dark"] {
        // axe reads computed colours, so a painted frame in the theme; from the top: typing
        // scrolled the page, and what is under the sticky header then has a background axe
        // cannot tell.
        client.set_theme(Some(theme), true).await;
        let report = axe::run(client, source)
            .await
            .unwrap_or_else(|e| panic!("axe in {view} {theme}: {e}"));
        let violations = report.violations;
        println!("axe: {view} {theme}: {} violations", violations.len());
        for v in &violations {
            println!("  {v}");
        }
        // Not a failure: what axe could not decide is printed for a person to judge.
        for v in &report.incomplete {
            println!("  to review: {v}");
        }
        audits.push(Audit {
            view,
            theme,
            violations,
        });
    }
    client.set_theme(None, false).await;
}

/// The main window's views, against a tray app watching an outage, a slow page and one with
/// maintenance ahead.
async fn main_views(source: &str, audits: &mut Vec<Audit>) {
    let desktop = Desktop::start().await;
    let down = FakeServer::start().await;
    down.set(
        SUMMARY_PATH,
        Reply::json(summary(
            &down.url(),
            &[FakeIncident {
                id: "inc-1",
                title: "Uploads failing",
                status: "identified",
                impact: "major",
            }],
        )),
    );
    let slow = FakeServer::start().await;
    slow.set(
        SUMMARY_PATH,
        Reply::json(summary_with(
            &slow.url(),
            &[],
            &[("API", "degraded_performance"), ("Web", "operational")],
        )),
    );
    let planned = FakeServer::start().await;
    planned.set(
        SUMMARY_PATH,
        Reply::json(summary_with_scheduled_maintenance(
            &planned.url(),
            "maint-1",
            "Database upgrade",
            chrono::Utc::now() + chrono::Duration::hours(20),
        )),
    );
    // A page that says all is well while its API fails: the probes suspect an outage.
    let probed = FakeServer::start().await;
    probed.set(SUMMARY_PATH, Reply::json(summary(&probed.url(), &[])));
    probed.set(
        "/v1/models",
        Reply::html("<html><body>502 Bad Gateway</body></html>").status(503),
    );
    let probe = format!("probes = [\"{}/v1/models\"]", probed.url());
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        1,
        "[early_warning]\nprobe_interval_secs = 1",
        &[
            ("Fake Cloud", &down.url(), ""),
            ("Slow Cloud", &slow.url(), ""),
            ("Planned Cloud", &planned.url(), ""),
            ("Probed Cloud", &probed.url(), &probe),
        ],
    );
    let config_arg = config.to_string_lossy().into_owned();
    let data = dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();
    let args = ["--show", "--config", &config_arg, "--data-dir", &data_arg];
    let (client, _cleanup) = desktop.app_session(&args, &data_arg, &[]).await;

    let card = r#"#open-incidents li[data-incident="inc-1"]"#;
    client
        .wait_for(
            "the open incident, every service and the suspected one on Now",
            "return document.querySelector(arguments[0]) && document.querySelectorAll('#services li[data-state]:not([data-state=unknown])').length === 4 && document.querySelector('#services li[data-suspected=true] .suspected-line')",
            vec![json!(card)],
            WAIT,
        )
        .await;
    audit(&client, source, "now", audits).await;

    client
        .click(&format!("{card} .timeline-button"))
        .await
        .expect("open timeline");
    client
        .wait_for(
            "the timeline",
            "return document.body.dataset.view === 'timeline' && document.querySelectorAll('#timeline .step').length >= 1",
            vec![],
            WAIT,
        )
        .await;
    audit(&client, source, "timeline", audits).await;

    client.show_view("incidents").await;
    client
        .wait_for(
            "the incident listed",
            "return document.querySelectorAll('#incidents li').length >= 1",
            vec![],
            WAIT,
        )
        .await;
    audit(&client, source, "incidents", audits).await;

    // Grades B (green), C (amber) and F (red).
    seed::acknowledgments(&data, "fake-cloud", &[600, 1200, 2400], 2400);
    seed::acknowledgments(&data, "slow-cloud", &[3000, 3000, 3000], 3000);
    seed::acknowledgments(&data, "planned-cloud", &[20_000, 20_000, 20_000], 20_000);
    client.show_view("reliability").await;
    client
        .wait_for(
            "the reliability cards with grades",
            "return document.querySelectorAll('#reliability > li').length === 4 && ['B', 'C', 'F'].every((g) => document.querySelector('#reliability .grade-' + g))",
            vec![],
            WAIT,
        )
        .await;
    audit(&client, source, "reliability", audits).await;

    // Settings with everything it can show: the catalog's hits, a detected page, a webhook.
    client.show_view("settings").await;
    client
        .wait_for(
            "the settings form",
            "return document.querySelectorAll('#settings-services > li').length === 4",
            vec![],
            WAIT,
        )
        .await;
    client
        .type_into("#catalog-search", "git")
        .await
        .expect("search the catalog");
    client
        .wait_for(
            "the catalog's hits",
            "return document.querySelectorAll('#catalog-results li').length >= 1",
            vec![],
            WAIT,
        )
        .await;
    let other = FakeServer::start().await;
    other.set(SUMMARY_PATH, Reply::json(summary(&other.url(), &[])));
    client
        .type_into("#add-url", &other.url())
        .await
        .expect("type url");
    client.click("#detect").await.expect("detect");
    client
        .wait_for(
            "the detected page",
            "return document.querySelector('.detected-info')",
            vec![],
            WAIT,
        )
        .await;
    client
        .type_into("#webhook-url", &format!("{}/gone", other.url()))
        .await
        .expect("type webhook");
    client.click("#webhook-add").await.expect("add webhook");
    // Its test fails (the address answers 404): the result is in the error colour.
    client
        .click("#settings-webhooks > li button.test")
        .await
        .expect("send test");
    client
        .wait_for(
            "the failed test's result",
            "return document.querySelector('#settings-webhooks .webhook-test.bad')",
            vec![],
            WAIT,
        )
        .await;
    audit(&client, source, "settings", audits).await;
    client.close().await;
}

/// The first start without a tray: the welcome, under the note that says there is no tray.
async fn welcome_and_no_tray(source: &str, audits: &mut Vec<Audit>) {
    let desktop = Desktop::start_without_tray().await;
    let server = FakeServer::start().await;
    server.set(SUMMARY_PATH, Reply::json(summary(&server.url(), &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Fake Cloud", &server.url(), "")])
        .to_string_lossy()
        .into_owned();
    let data = dir.path().join("data");
    let data_arg = data.to_string_lossy().into_owned();
    let tray = desktop
        .start_tray(
            &["--background", "--config", &config, "--data-dir", &data_arg],
            &[],
        )
        .await;
    // Ended when the test ends, even by a panic (the window's guard is its own).
    let _tray = Cleanup {
        child: tray,
        marker: config.clone(),
    };
    // The socket path marks the window process only.
    let socket = data.join("run/engine.sock").to_string_lossy().into_owned();
    let (client, cleanup) = desktop
        .window_session(&["--welcome", "--socket", &socket], &socket, &[])
        .await;
    client
        .wait_for(
            "the welcome and the no-tray note",
            "return document.body.dataset.view === 'welcome' && document.querySelectorAll('#welcome-services li').length > 0 && !document.getElementById('no-tray').hidden",
            vec![],
            WAIT,
        )
        .await;
    audit(&client, source, "no-tray", audits).await;
    client.click("#dismiss-no-tray").await.expect("dismiss");
    client
        .wait_for(
            "the note gone",
            "return document.getElementById('no-tray').hidden",
            vec![],
            WAIT,
        )
        .await;
    audit(&client, source, "welcome", audits).await;
    client.close().await;
    drop(cleanup);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_in_both_themes_has_no_axe_violations() {
    if !tools_available(&[
        "Xvfb",
        "dbus-daemon",
        "gtk-sni-tray-standalone",
        "tauri-driver",
        "WebKitWebDriver",
    ]) {
        return;
    }
    let Some(source) = axe::source() else {
        return;
    };
    let mut audits = Vec::new();
    main_views(&source, &mut audits).await;
    welcome_and_no_tray(&source, &mut audits).await;

    // One line per view and theme, whatever the outcome: the release note quotes them.
    for a in &audits {
        println!("axe: {} {} {}", a.view, a.theme, a.violations.len());
    }
    let failing: Vec<String> = audits
        .iter()
        .flat_map(|a| {
            a.violations
                .iter()
                .map(move |v| format!("{} {}: {v}", a.view, a.theme))
        })
        .collect();
    assert!(
        failing.is_empty(),
        "axe violations:\n{}",
        failing.join("\n")
    );
    assert_eq!(audits.len(), 14, "7 views × 2 themes");
}

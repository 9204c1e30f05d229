//! The window's views in the real app under Xvfb through WebDriver: Now, a timeline, search,
//! reliability, adding a service by URL, a setting that survives a restart, hostile text,
//! and screenshots of every view in light and dark.

use outage_radar_tests::desktop::Desktop;
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::webdriver::Session;
use outage_radar_tests::{
    artifacts_dir, payload, polls_after, tools_available, write_config, WAIT,
};
use serde_json::{json, Value};
use std::path::PathBuf;

const SUMMARY: &str = "/api/v2/summary.json";

/// What a hostile page puts in its text: markup, script, a javascript: link, direction
/// overrides, control characters and a very long name.
fn hostile_title() -> String {
    "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script> \u{202e}gnp.exe \u{7}Search down".to_owned()
}

/// A hand-made Statuspage summary whose one incident has the given updates (newest first,
/// as Statuspage lists them), all open.
fn summary(page: &str, updates: &[(&str, &str, &str)]) -> Vec<u8> {
    let long = "x".repeat(10_000);
    let status = updates.first().map_or("investigating", |u| u.0);
    let list: Vec<Value> = updates
        .iter()
        .map(|(phase, at, body)| {
            json!({"id": format!("u-{phase}"), "status": phase, "body": body,
                   "created_at": at, "display_at": at, "affected_components": null})
        })
        .collect();
    serde_json::to_vec(&json!({
        "page": {"id": "p", "name": "Hostile", "url": page, "time_zone": "Etc/UTC"},
        "status": {"indicator": "major", "description": "Partial outage"},
        "components": [
            {"id": "c1", "name": "API", "status": "partial_outage"},
            {"id": "c2", "name": long, "status": "operational"}
        ],
        "incidents": [{
            "id": "inc-h", "name": hostile_title(), "status": status, "impact": "major",
            "created_at": "2026-11-26T05:12:00Z", "started_at": "2026-11-26T05:12:00Z",
            "updated_at": updates.first().map_or("2026-11-26T05:12:00Z", |u| u.1),
            "resolved_at": null, "shortlink": "javascript:window.__pwned=3",
            "components": [{"id": "c1", "name": "API"}],
            "incident_updates": list
        }],
        "scheduled_maintenances": []
    }))
    .expect("json")
}

/// The window's own words that do not fit their box: tabs, buttons, headings, labels,
/// badges and table cells whose text is wider than they are (vendor text may be cut with an
/// ellipsis on purpose; our words never are).
const CUT_OFF: &str = r#"
const cut = [];
for (const e of document.querySelectorAll('button, [role=tab], h2, h3, label, .badge, th, td, select, .state, footer, .overall')) {
  if (!e.getClientRects().length) continue;
  if (e.scrollWidth > e.clientWidth + 1) cut.push(e.tagName + '#' + (e.id || e.className) + ': ' + e.textContent.slice(0, 60));
}
const d = document.documentElement;
if (d.scrollWidth > d.clientWidth) cut.push('page: ' + d.scrollWidth + ' > ' + d.clientWidth);
return cut;
"#;

/// Notes what the French `view` cuts off or lets overflow into `cut`, and shoots it.
async fn french_fit(client: &Session, view: &str, cut: &mut Vec<String>) {
    let found = client.execute(CUT_OFF, vec![]).await.expect("fit");
    for c in found.as_array().into_iter().flatten() {
        cut.push(format!("{view}: {c}"));
    }
    shoot(client, &format!("fr-{view}")).await;
}

async fn shoot(client: &Session, name: &str) {
    for theme in ["light", "dark"] {
        // The page follows the system theme; the test flips the same switch to see both.
        client.set_theme(Some(theme), false).await;
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(
            artifacts_dir("views").join(format!("{name}-{theme}.png")),
            png,
        )
        .expect("save");
    }
    client.set_theme(None, false).await;
}

async fn pwned(client: &Session) -> Value {
    client
        .execute(
            "return window.__pwned === undefined ? null : window.__pwned",
            vec![],
        )
        .await
        .expect("script")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_timeline_settings_and_hostile_text() {
    if !tools_available(&[
        "Xvfb",
        "dbus-daemon",
        "gtk-sni-tray-standalone",
        "tauri-driver",
        "WebKitWebDriver",
    ]) {
        return;
    }
    let desktop = Desktop::start().await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(
        SUMMARY,
        Reply::json(summary(
            &page,
            &[(
                "investigating",
                "2026-11-26T05:12:00Z",
                "Looking <b>into</b> it",
            )],
        )),
    );
    // A second page, added from Settings by its address.
    let other = FakeServer::start().await;
    other.set(
        "/v3/summary.json",
        Reply::json(payload("instatus-v3-summary-incident.json")),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Hostile Cloud", &page, "")]);
    let config_arg = config.to_string_lossy().into_owned();
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    let args = ["--show", "--config", &config_arg, "--data-dir", &data_arg];

    let (client, cleanup) = desktop.app_session(&args, &data_arg, &[]).await;
    let card = r#"#open-incidents li[data-incident="inc-h"]"#;
    client
        .wait_for(
            "the open incident on Now",
            "return document.querySelector(arguments[0])",
            vec![json!(card)],
            WAIT,
        )
        .await;
    // The incident moves on: identified 31 min later, monitoring 1 h 26 min after that.
    server.set(
        SUMMARY,
        Reply::json(summary(
            &page,
            &[
                ("identified", "2026-11-26T05:43:00Z", "Cause found"),
                (
                    "investigating",
                    "2026-11-26T05:12:00Z",
                    "Looking <b>into</b> it",
                ),
            ],
        )),
    );
    // Read before the page moves on, as a real incident's page is between its updates.
    polls_after(&server, SUMMARY, 2).await;
    server.set(
        SUMMARY,
        Reply::json(summary(
            &page,
            &[
                ("monitoring", "2026-11-26T07:09:00Z", "Fix deployed"),
                ("identified", "2026-11-26T05:43:00Z", "Cause found"),
                (
                    "investigating",
                    "2026-11-26T05:12:00Z",
                    "Looking <b>into</b> it",
                ),
            ],
        )),
    );
    client
        .wait_for(
            "the card to say monitoring",
            "const c = document.querySelector(arguments[0]); return c && c.textContent.includes('monitoring')",
            vec![json!(card)],
            WAIT,
        )
        .await;

    // Hostile text is shown literally (but for its control characters, taken out when the
    // page is read) and nothing ran.
    let title = client
        .execute(
            "return document.querySelector(arguments[0] + ' .title').textContent",
            vec![json!(card)],
        )
        .await
        .expect("title");
    assert_eq!(
        title,
        json!(hostile_title().replace('\u{7}', "")),
        "shown literally"
    );
    assert_eq!(pwned(&client).await, Value::Null, "no injected script ran");
    let markup = client
        .execute(
            "return document.querySelectorAll('main img, main script, main b').length",
            vec![],
        )
        .await
        .expect("count");
    assert_eq!(markup, json!(0), "remote HTML never becomes markup");
    // The javascript: shortlink was dropped by the parser; Rust refuses one anyway.
    let link = client
        .execute(
            "return document.querySelector(arguments[0] + ' .link').title",
            vec![json!(card)],
        )
        .await
        .expect("link");
    assert_eq!(link, json!(format!("{page}/incidents/inc-h")));
    let refused = client
        .execute_async(
            "const done = arguments[0]; window.__TAURI__.core.invoke('open_url', {url: 'javascript:window.__pwned=4'}).then(() => done('opened'), (e) => done(e.kind + ': ' + e.message))",
        )
        .await
        .expect("invoke");
    assert_eq!(
        refused,
        json!("invalid: refusing to open a javascript link")
    );
    assert_eq!(pwned(&client).await, Value::Null);
    // The page reaches the engine through `engine` alone, and only with what the window may
    // ask: the engine's own requests are refused, and the old one-command-per-request names
    // are no longer commands.
    let engine_only = client
        .execute_async(
            "const done = arguments[0]; window.__TAURI__.core.invoke('engine', {request: {command: 'open_window'}}).then(() => done('sent'), (e) => done(e.kind + ': ' + e.message))",
        )
        .await
        .expect("invoke engine");
    assert_eq!(
        engine_only,
        json!("invalid: the window may not ask “open_window” of the engine")
    );
    let gone = client
        .execute_async(
            "const done = arguments[0]; window.__TAURI__.core.invoke('get_overview').then(() => done('ran'), () => done('refused'))",
        )
        .await
        .expect("invoke old name");
    assert_eq!(gone, json!("refused"));
    // A 10,000-character component name does not push the window sideways.
    let overflow = client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth",
            vec![],
        )
        .await
        .expect("widths");
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "horizontal overflow {overflow}"
    );
    shoot(&client, "now").await;

    // "Tell me when it's back" for the service that is down: armed from Now, shown armed
    // (also in the overview `status --json` prints), then cancelled.
    let service = r#"#services li[data-service="hostile-cloud"]"#;
    client
        .click(&format!("{service} .remind-button"))
        .await
        .expect("arm the reminder");
    let armed = client
        .wait_for(
            "the reminder armed",
            "const c = document.querySelector(arguments[0] + ' .remind-cancel'); return c && c.parentElement.textContent",
            vec![json!(service)],
            WAIT,
        )
        .await;
    assert!(
        armed
            .as_str()
            .is_some_and(|t| t.starts_with("You will be told when it’s back")),
        "{armed}"
    );
    let overview = outage_radar_tests::socket::overview(std::path::Path::new(&data_arg));
    assert!(
        overview["services"][0]["remind_armed_at"].is_string(),
        "{}",
        overview["services"][0]
    );
    client
        .click(&format!("{service} .remind-cancel"))
        .await
        .expect("cancel the reminder");
    client
        .wait_for(
            "the reminder cancelled",
            "return document.querySelector(arguments[0] + ' .remind-button') !== null",
            vec![json!(service)],
            WAIT,
        )
        .await;

    // The timeline: phases in order with the time between them.
    client
        .click(&format!("{card} .timeline-button"))
        .await
        .expect("open timeline");
    let steps = client
        .wait_for(
            "three phases on the timeline",
            "const s = [...document.querySelectorAll('#timeline .step')]; return s.length >= 3 && s.map(x => x.dataset.phase + ' ' + (x.querySelector('.gap') ? x.querySelector('.gap').textContent : ''))",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(
        steps,
        json!([
            "investigating ",
            "identified +31 min",
            "monitoring +1 h 26 min"
        ])
    );
    let bodies = client
        .execute(
            "return [...document.querySelectorAll('#timeline .update .body')].map(b => b.textContent)",
            vec![],
        )
        .await
        .expect("bodies");
    assert_eq!(
        bodies,
        json!(["Looking <b>into</b> it", "Cause found", "Fix deployed"])
    );
    shoot(&client, "timeline").await;

    // Incidents: filtered by text.
    client.show_view("incidents").await;
    client
        .type_into("#filter-text", "Search down")
        .await
        .expect("type");
    client
        .wait_for(
            "the search to find the incident",
            "return document.querySelectorAll('#incidents li[data-incident=\"inc-h\"]').length === 1",
            vec![],
            WAIT,
        )
        .await;
    client
        .type_into("#filter-text", " nothing like this")
        .await
        .expect("type");
    client
        .wait_for(
            "the search to find nothing",
            "return !document.querySelector('#no-incidents').hidden",
            vec![],
            WAIT,
        )
        .await;
    shoot(&client, "incidents").await;

    // How late the page acknowledged what Outage Radar saw first: three probe suspicions
    // and a component that broke before an incident, written into the history as the
    // engine writes them (delays 10, 20, 40 and 50 min: a mean of 30 min, grade B).
    outage_radar_tests::seed::acknowledgments(
        std::path::Path::new(&data_arg),
        "hostile-cloud",
        &[600, 1200, 2400],
        3000,
    );

    // Reliability: the open incident counts in every window.
    client.show_view("reliability").await;
    let windows = client
        .wait_for(
            "the reliability card",
            "const c = document.querySelector('#reliability li[data-service=\"hostile-cloud\"]'); return c && [...c.querySelectorAll('tr')].map(r => r.textContent)",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(windows[0], json!("7 d30 d90 d"));
    assert_eq!(windows[1], json!("Incidents111"));
    let days = client
        .execute(
            "return [document.querySelectorAll('#reliability .strip rect').length, document.querySelectorAll('#reliability .strip rect:not(.clear)').length]",
            vec![],
        )
        .await
        .expect("strip");
    assert_eq!(days[0], json!(90));
    assert!(days[1].as_i64().unwrap_or(0) >= 1, "{days}");
    let ack = client
        .execute(
            "const c = document.querySelector('#reliability li[data-service=\"hostile-cloud\"] .ack'); \
             return [[...c.querySelectorAll('.grade')].map(g => g.textContent), c.querySelector('.meta').textContent, \
             [...c.querySelectorAll('.ack-chart rect')].map(r => r.querySelector('title').textContent.split(': ')[1])]",
            vec![],
        )
        .await
        .expect("acknowledgment");
    assert_eq!(ack[0], json!(["7 d: B", "30 d: B", "90 d: B"]), "{ack}");
    assert_eq!(
        ack[1],
        json!("4 outages acknowledged after our first sign, median 30 min, mean 30 min · 0 never acknowledged (0 %)"),
        "{ack}"
    );
    assert_eq!(
        ack[2],
        json!([
            "the page posted 50 min after a component broke",
            "the page spoke 40 min after the probes suspected it",
            "the page spoke 20 min after the probes suspected it",
            "the page spoke 10 min after the probes suspected it"
        ]),
        "oldest first: {ack}"
    );
    shoot(&client, "reliability").await;

    // Settings: add a page by its address; its format is detected before saving.
    client.show_view("settings").await;
    client
        .type_into("#add-url", &other.url())
        .await
        .expect("type url");
    client.click("#detect").await.expect("detect");
    let format = client
        .wait_for(
            "the detected format",
            "const d = document.querySelector('.detected-info'); return d && d.dataset.format",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(format, json!("instatus"));
    client
        .execute(
            "const n = document.getElementById('detected-name'); n.value = 'Acme Status';",
            vec![],
        )
        .await
        .expect("name");
    client.click("#detected-add").await.expect("add");
    let listed = client
        .wait_for(
            "the new service in the list, the detection panel gone",
            "const p = document.getElementById('detected'); return p.getClientRects().length === 0 && [...document.querySelectorAll('#settings-services > li')].map(x => x.dataset.service)",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(listed, json!(["Hostile Cloud", "Acme Status"]));
    // A webhook target: added, tested, then saved with the rest; its address never shows whole.
    let receiver = FakeServer::start().await;
    receiver.set("/hook/SECRETTOKEN", Reply::json("{}"));
    let hook_url = format!("{}/hook/SECRETTOKEN", receiver.url());
    client
        .type_into("#webhook-url", &hook_url)
        .await
        .expect("type webhook url");
    // The lists come from the engine's own types, not from the page.
    let lists = client
        .execute(
            "const values = (id) => [...document.getElementById(id).options].map((o) => o.value + '=' + o.textContent); \
             return [values('webhook-kind'), values('quiet-mode'), values('filter-state'), \
             [...document.querySelectorAll('#settings-services > li select')].slice(0, 2).map((s) => s.value)]",
            vec![],
        )
        .await
        .expect("lists");
    assert_eq!(
        lists,
        json!([
            [
                "slack=Slack",
                "discord=Discord",
                "teams=Teams (Workflows)",
                "ntfy=ntfy",
                "json=JSON (your own receiver)"
            ],
            [
                "queue=Show them afterwards",
                "drop=Keep them in history only"
            ],
            ["=Open and resolved", "open=Open", "resolved=Resolved"],
            ["all", "all"]
        ])
    );
    client
        .execute(
            "document.getElementById('webhook-kind').value = 'json'",
            vec![],
        )
        .await
        .expect("kind");
    client.click("#webhook-add").await.expect("add webhook");
    client
        .click("#settings-webhooks > li button.test")
        .await
        .expect("send test");
    let tested = client
        .wait_for(
            "the test's result",
            "const r = document.querySelector('#settings-webhooks .webhook-test'); return r && r.textContent.startsWith('Delivered') && r.textContent",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(tested, json!("Delivered (HTTP 200)"));
    let sample: serde_json::Value =
        serde_json::from_slice(&receiver.request_bodies("/hook/SECRETTOKEN")[0]).expect("json");
    assert_eq!(sample["event"], "test");
    // A draft survives a look at another tab: the typed interval, the new webhook, and a
    // mark on the tab and the Save button say it is not saved yet.
    let edit = |value: &'static str| {
        format!("const i = document.getElementById('poll-interval'); i.value = '{value}'; i.dispatchEvent(new Event('change'))")
    };
    client.execute(&edit("2"), vec![]).await.expect("interval");
    client.show_view("now").await;
    client.show_view("settings").await;
    let unsaved = "return [document.getElementById('poll-interval').value, document.querySelectorAll('#settings-webhooks > li').length, document.getElementById('tab-settings').classList.contains('unsaved'), document.getElementById('save-settings').classList.contains('unsaved'), document.getElementById('discard-settings').hidden]";
    let draft = client.execute(unsaved, vec![]).await.expect("draft");
    assert_eq!(
        draft,
        json!(["2", 1, true, true, false]),
        "the draft is kept"
    );
    client.click("#save-settings").await.expect("save");
    let saved = client
        .wait_for(
            "Saved",
            "const s = document.getElementById('settings-status').textContent; return s !== 'Saving…' && s",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(saved, json!("Saved"));
    let clean = client.execute(unsaved, vec![]).await.expect("saved");
    assert_eq!(clean, json!(["2", 1, false, false, true]), "saved: no mark");
    // Discarding an edit brings back what is saved.
    client.execute(&edit("7"), vec![]).await.expect("interval");
    client.show_view("now").await;
    client.show_view("settings").await;
    let draft = client.execute(unsaved, vec![]).await.expect("draft");
    assert_eq!(draft, json!(["7", 1, true, true, false]));
    client.click("#discard-settings").await.expect("discard");
    let discarded = client
        .wait_for(
            "the saved settings back",
            "const i = document.getElementById('poll-interval').value; return i === '2' && i",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(discarded, json!("2"));
    let clean = client.execute(unsaved, vec![]).await.expect("discarded");
    assert_eq!(clean, json!(["2", 1, false, false, true]));
    shoot(&client, "settings").await;
    // Without a restart the new page is watched.
    client.show_view("now").await;
    client
        .wait_for(
            "the added service on Now",
            "const s = document.querySelector('#services li[data-service=\"acme-status\"]'); return s && s.dataset.state",
            vec![],
            WAIT,
        )
        .await;
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(written.contains("name = \"Acme Status\""), "{written}");
    assert!(written.contains("format = \"instatus\""), "{written}");
    assert!(written.contains("poll_interval_secs = 2"), "{written}");
    assert!(
        written.contains(&format!("url = \"{hook_url}\"")),
        "{written}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&config)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a config with webhooks is private");
    }

    // Restarted on the same files: the settings are still there.
    client.close().await;
    drop(cleanup);
    let (client, _cleanup) = desktop.app_session(&args, &data_arg, &[]).await;
    client.show_view("settings").await;
    let names = client
        .wait_for(
            "the saved services",
            "const l = [...document.querySelectorAll('#settings-services > li')].map(x => x.dataset.service); return l.length >= 2 && l",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(names, json!(["Hostile Cloud", "Acme Status"]));
    let shown = client
        .wait_for(
            "the saved webhook, redacted",
            "const l = [...document.querySelectorAll('#settings-webhooks > li .name')].map(x => x.textContent); return l.length === 1 && [l, document.body.innerHTML.includes('SECRETTOKEN')]",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(
        shown,
        json!([[format!("127.0.0.1:{}/hook/SE…", receiver.port())], false])
    );
    let interval = client
        .execute(
            "return document.getElementById('poll-interval').value",
            vec![],
        )
        .await
        .expect("interval");
    assert_eq!(interval, json!("2"));
    client.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_config_is_shown_kept_and_set_aside_on_save() {
    if !tools_available(&[
        "Xvfb",
        "dbus-daemon",
        "gtk-sni-tray-standalone",
        "tauri-driver",
        "WebKitWebDriver",
    ]) {
        return;
    }
    let desktop = Desktop::start().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    let broken = "poll_interval_secs = 60\n[[services]]\nname = \"A\"\nurl = 42\n";
    std::fs::write(&config, broken).expect("write");
    let config_arg = config.to_string_lossy().into_owned();
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    let args = ["--show", "--config", &config_arg, "--data-dir", &data_arg];
    let (client, _cleanup) = desktop.app_session(&args, &data_arg, &[]).await;
    let banner = client
        .wait_for(
            "the config notice",
            "const b = document.getElementById('banner'); return !b.hidden && b.textContent",
            vec![],
            WAIT,
        )
        .await;
    let banner = banner.as_str().unwrap_or_default();
    assert!(
        banner.contains("Your config could not be read") && banner.contains("line 4"),
        "{banner}"
    );
    // The built-in services are watched meanwhile.
    client
        .wait_for(
            "the built-in services",
            "return document.querySelectorAll('#services li').length === 5",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(
        std::fs::read_to_string(&config).expect("kept"),
        broken,
        "untouched"
    );

    client.show_view("settings").await;
    client.click("#save-settings").await.expect("save");
    let saved = client
        .wait_for(
            "Saved",
            "const s = document.getElementById('settings-status').textContent; return s !== 'Saving…' && s",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(saved, json!("Saved"));
    let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("config.toml.broken-"))
        })
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read_to_string(&aside[0]).expect("aside"), broken);
    let written = std::fs::read_to_string(&config).expect("new config");
    assert!(written.contains("name = \"OpenAI\""), "{written}");
    client.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_views_in_french_fit_and_switch_without_a_restart() {
    if !tools_available(&[
        "Xvfb",
        "dbus-daemon",
        "gtk-sni-tray-standalone",
        "tauri-driver",
        "WebKitWebDriver",
    ]) {
        return;
    }
    let nb = |s: &str| s.replace('~', "\u{a0}");
    let desktop = Desktop::start().await;
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(
        SUMMARY,
        Reply::json(summary(
            &page,
            &[
                ("identified", "2026-11-26T05:43:00Z", "Cause found"),
                ("investigating", "2026-11-26T05:12:00Z", "Looking into it"),
            ],
        )),
    );
    // A page that answers 500: its line in the banner.
    let broken = FakeServer::start().await;
    broken.set(SUMMARY, Reply::json("{}").status(500));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(
        dir.path(),
        1,
        "",
        &[
            ("Hostile Cloud", &page, ""),
            ("Broken Cloud", &broken.url(), "format = \"statuspage\""),
        ],
    );
    let config_arg = config.to_string_lossy().into_owned();
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    let args = ["--show", "--config", &config_arg, "--data-dir", &data_arg];
    let (client, _cleanup) = desktop
        .app_session(&args, &data_arg, &[("LANG", "fr_FR.UTF-8")])
        .await;
    client.set_window_size(400, 600).await.expect("400×600");
    let card = r#"#open-incidents li[data-incident="inc-h"]"#;
    client
        .wait_for(
            "the open incident on Now",
            "return document.querySelector(arguments[0])",
            vec![json!(card)],
            WAIT,
        )
        .await;
    let tabs = client
        .execute(
            "return [document.documentElement.lang, ...[...document.querySelectorAll('[role=tab]')].map(t => t.textContent)]",
            vec![],
        )
        .await
        .expect("tabs");
    assert_eq!(
        tabs,
        json!(["fr", "État", "Incidents", "Fiabilité", "Réglages"])
    );
    let banner = client
        .wait_for(
            "the unreadable page in the banner",
            "const b = document.getElementById('banner'); return !b.hidden && b.textContent.includes('Broken Cloud') && b.textContent",
            vec![],
            WAIT,
        )
        .await;
    let banner = banner.as_str().unwrap_or_default().to_owned();
    assert!(
        banner.contains(&nb("Broken Cloud~: Injoignable")),
        "{banner}"
    );
    let card_text = client
        .execute(
            "return document.querySelector(arguments[0]).textContent",
            vec![json!(card)],
        )
        .await
        .expect("card");
    let card_text = card_text.as_str().unwrap_or_default();
    for want in [
        "identifié",
        "impact majeur",
        "Chronologie",
        "Page de statut",
    ] {
        assert!(card_text.contains(want), "{want:?} in {card_text:?}");
    }
    let mut cut = Vec::new();
    french_fit(&client, "now", &mut cut).await;

    client
        .click(&format!("{card} .timeline-button"))
        .await
        .expect("open timeline");
    let step = client
        .wait_for(
            "the timeline",
            "const s = document.querySelectorAll('#timeline .step'); return s.length >= 2 && s[1].textContent",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(
        step,
        json!(nb("identifié05:43+31~min").replace("05:43", &local_clock(5, 43)))
    );
    french_fit(&client, "timeline", &mut cut).await;

    client.show_view("incidents").await;
    client
        .wait_for(
            "the incident listed",
            "return document.querySelectorAll('#incidents li').length >= 1",
            vec![],
            WAIT,
        )
        .await;
    french_fit(&client, "incidents", &mut cut).await;

    client.show_view("reliability").await;
    let head = client
        .wait_for(
            "the reliability card",
            "const c = document.querySelector('#reliability li[data-service=\"hostile-cloud\"]'); return c && [...c.querySelectorAll('tr')].map(r => r.textContent)",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(head[0], json!(nb("7~j30~j90~j")));
    french_fit(&client, "reliability", &mut cut).await;

    client.show_view("settings").await;
    client
        .wait_for(
            "the settings form",
            "return document.querySelectorAll('#settings-services > li').length === 2 && document.getElementById('language').options.length >= 3",
            vec![],
            WAIT,
        )
        .await;
    french_fit(&client, "settings", &mut cut).await;
    client
        .execute("window.scrollTo(0, document.body.scrollHeight)", vec![])
        .await
        .expect("scroll");
    shoot(&client, "fr-settings-end").await;
    assert!(
        cut.is_empty(),
        "cut off or overflowing at 400×600: {cut:#?}"
    );

    // English from Settings: saved, and the window and summary switch without a restart.
    client
        .execute(
            "const s = document.getElementById('language'); s.value = 'en'; s.dispatchEvent(new Event('change'));",
            vec![],
        )
        .await
        .expect("choose English");
    client.click("#save-settings").await.expect("save");
    let switched = client
        .wait_for(
            "the window in English",
            "const t = [...document.querySelectorAll('[role=tab]')].map(t => t.textContent); return document.documentElement.lang === 'en' && t[0] === 'Now' && [...t, document.getElementById('settings-status').textContent, document.getElementById('summary').textContent]",
            vec![],
            WAIT,
        )
        .await;
    assert_eq!(
        switched,
        json!([
            "Now",
            "Incidents",
            "Reliability",
            "Settings",
            "Saved",
            "1 incident: Hostile Cloud (major) · 1 not readable"
        ])
    );
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(written.contains("language = \"en\""), "{written}");
    client.close().await;
}

/// A UTC time of the fixtures' day as the window shows it (the app runs in this zone).
fn local_clock(h: u32, m: u32) -> String {
    use chrono::TimeZone;
    let utc = chrono::Utc
        .with_ymd_and_hms(2026, 11, 26, h, m, 0)
        .single()
        .expect("valid");
    utc.with_timezone(&chrono::Local)
        .format("%H:%M")
        .to_string()
}

//! The window by keyboard alone, in the real app: where focus goes, and that it never gets lost.

use outage_radar_tests::desktop::Desktop;
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::webdriver::{key, Session};
use outage_radar_tests::{tools_available, write_config, WAIT};
use serde_json::{json, Value};

const SUMMARY: &str = "/api/v2/summary.json";

/// A Statuspage summary with one open incident, `inc-k`, at `phase`.
fn summary(page: &str, phase: &str) -> Vec<u8> {
    let update = |id: &str, phase: &str, at: &str| {
        json!({"id": id, "status": phase, "body": format!("Now {phase}"),
               "created_at": at, "display_at": at, "affected_components": null})
    };
    let mut updates = vec![update("u-1", "investigating", "2026-11-26T05:12:00Z")];
    if phase != "investigating" {
        updates.insert(0, update("u-2", phase, "2026-11-26T05:43:00Z"));
    }
    serde_json::to_vec(&json!({
        "page": {"id": "p", "name": "Keyboard", "url": page, "time_zone": "Etc/UTC"},
        "status": {"indicator": "major", "description": "Partial outage"},
        "components": [{"id": "c1", "name": "API", "status": "partial_outage"}],
        "incidents": [{
            "id": "inc-k", "name": "Logins fail", "status": phase, "impact": "major",
            "created_at": "2026-11-26T05:12:00Z", "started_at": "2026-11-26T05:12:00Z",
            "updated_at": "2026-11-26T05:43:00Z", "resolved_at": null,
            "shortlink": format!("{page}/incidents/inc-k"),
            "components": [{"id": "c1", "name": "API"}],
            "incident_updates": updates
        }],
        "scheduled_maintenances": []
    }))
    .expect("json")
}

/// The focused element in a few words (its id, else its row, role and name), whether it has
/// a visible focus style, and whether focus fell to the page itself.
const FOCUSED: &str = r#"
const e = document.activeElement;
if (!e || e === document.body || e === document.documentElement) return ['body', false];
const row = e.closest('[data-incident], [data-service]');
const where = !row ? '' : row.dataset.incident ? `incident ${row.dataset.incident} ` : `service ${row.dataset.service} `;
const name = e.getAttribute('aria-label') || e.textContent.trim() || e.getAttribute('placeholder') || '';
const what = e.id ? `#${e.id}` : `${where}${e.getAttribute('role') || e.localName} "${name}"`;
const s = getComputedStyle(e);
const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
return [ring ? what : `${what} (outline ${s.outlineStyle} ${s.outlineWidth}, box-shadow ${s.boxShadow}, focus-visible ${e.matches(':focus-visible')}, focus ${e.matches(':focus')}, hasFocus ${document.hasFocus()})`, ring];
"#;

/// Waits until the focused element matches `css`, then checks it shows that it has focus;
/// returns its description.
async fn focus_on(client: &Session, css: &str, what: &str) -> String {
    client
        .wait_for(
            what,
            "const e = document.activeElement; return e && e.matches(arguments[0])",
            vec![json!(css)],
            WAIT,
        )
        .await;
    let [desc, ring] = focused(client).await;
    assert_eq!(
        ring,
        json!(true),
        "{what}: {desc} has no visible focus style"
    );
    desc.as_str().unwrap_or_default().to_owned()
}

async fn focused(client: &Session) -> [Value; 2] {
    let v = client.execute(FOCUSED, vec![]).await.expect("focused");
    [v[0].clone(), v[1].clone()]
}

async fn press(client: &Session, chord: &[&str]) {
    client.keys(chord).await.expect("keys");
}

async fn view_is(client: &Session, view: &str) {
    client
        .wait_for(
            &format!("the {view} view"),
            "return document.body.dataset.view === arguments[0]",
            vec![json!(view)],
            WAIT,
        )
        .await;
}

/// Presses Tab until focus is on `css` (at most `limit` times); returns where it went,
/// each stop checked for a visible focus style.
async fn tab_to(client: &Session, css: &str, limit: usize) -> Vec<String> {
    let mut order = Vec::new();
    for _ in 0..limit {
        let before = client
            .execute(
                "return window.__stop = document.activeElement, true",
                vec![],
            )
            .await
            .expect("mark");
        assert_eq!(before, json!(true));
        press(client, &[key::TAB]).await;
        client
            .wait_for(
                "focus to move on",
                "return document.activeElement !== window.__stop",
                vec![],
                WAIT,
            )
            .await;
        let [desc, ring] = focused(client).await;
        let desc = desc.as_str().unwrap_or_default().to_owned();
        assert_ne!(
            desc, "body",
            "Tab dropped focus to the page after {order:?}"
        );
        assert_eq!(ring, json!(true), "{desc} has no visible focus style");
        order.push(desc);
        let there = client
            .execute(
                "return document.activeElement.matches(arguments[0])",
                vec![json!(css)],
            )
            .await
            .expect("matches");
        if there == json!(true) {
            return order;
        }
    }
    panic!("{css} not reached in {limit} Tabs: {order:?}");
}

/// Gives the keyboard to the top-level window titled `title`, as a window manager does to
/// the window clicked; returns how many windows had that title.
fn give_input_focus(display: &str, title: &str) -> usize {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, InputFocus};
    use x11rb::wrapper::ConnectionExt as _;

    let (conn, screen) = x11rb::connect(Some(display)).expect("connect to X");
    let root = conn.setup().roots[screen].root;
    let tree = conn
        .query_tree(root)
        .expect("query tree")
        .reply()
        .expect("tree");
    let mut found = 0;
    for window in tree.children {
        let named = conn
            .get_property(false, window, AtomEnum::WM_NAME, AtomEnum::ANY, 0, 1024)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|p| p.value == title.as_bytes());
        if named {
            conn.set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)
                .expect("set input focus");
            found += 1;
        }
    }
    conn.sync().expect("flush");
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keyboard_walk_never_loses_focus() {
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
    server.set(SUMMARY, Reply::json(summary(&page, "investigating")));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Keyboard Cloud", &page, "")]);
    let config_arg = config.to_string_lossy().into_owned();
    let data_arg = dir.path().join("data").to_string_lossy().into_owned();
    let args = ["--show", "--config", &config_arg, "--data-dir", &data_arg];
    let (client, _cleanup) = desktop.app_session(&args, &data_arg, &[]).await;

    let on_now = r#"#open-incidents li[data-incident="inc-k"] .timeline-button"#;
    let on_incidents = r#"#incidents li[data-incident="inc-k"] .timeline-button"#;
    client
        .wait_for(
            "the open incident on Now",
            "return document.body.dataset.ready === 'true' && document.querySelector(arguments[0])",
            vec![json!(on_now)],
            WAIT,
        )
        .await;

    // What assistive technology is told: a navigation landmark holding the tab list, live
    // regions for what changes by itself, and a named timeline panel.
    let roles = client
        .execute(
            "const nav = document.querySelector('nav'); const list = document.querySelector('[role=tablist]'); \
             return [nav.hasAttribute('role'), Boolean(nav.getAttribute('aria-label')), list.parentElement === nav, \
             document.getElementById('summary').getAttribute('role'), document.getElementById('error').getAttribute('role'), \
             document.getElementById('detected').getAttribute('role'), document.getElementById('view-timeline').getAttribute('aria-labelledby')]",
            vec![],
        )
        .await
        .expect("roles");
    assert_eq!(
        roles,
        json!([
            false,
            true,
            true,
            "status",
            "alert",
            "status",
            "timeline-title"
        ])
    );

    // No window manager hands the window the keyboard: without it `:focus` matches nothing.
    assert_eq!(give_input_focus(&desktop.x.display, "Outage Radar"), 1);
    client
        .wait_for(
            "the page to have focus",
            "return document.hasFocus()",
            vec![],
            WAIT,
        )
        .await;
    // From the page's start, Tab goes through the top bar and the tabs to the incident.
    client
        .execute("document.activeElement.blur()", vec![])
        .await
        .expect("blur");
    let mut order = tab_to(&client, on_now, 12).await;
    println!("keyboard order (Now): {}", order.join(" → "));
    assert_eq!(order[..2], ["#check-now", "#tab-now"], "{order:?}");

    // Shift+Tab goes back to the tab; the arrows, Home and End move between tabs and show them.
    press(&client, &[key::SHIFT, key::TAB]).await;
    focus_on(&client, "#tab-now", "Shift+Tab to the Now tab").await;
    for (keys, tab) in [
        (key::RIGHT, "incidents"),
        (key::END, "settings"),
        (key::HOME, "now"),
        (key::LEFT, "settings"),
        (key::RIGHT, "now"),
    ] {
        press(&client, &[keys]).await;
        let desc = focus_on(&client, &format!("#tab-{tab}"), &format!("the {tab} tab")).await;
        view_is(&client, tab).await;
        order.push(desc);
    }

    // Enter opens the timeline with focus inside it; Escape, then Back, return to the button.
    press(&client, &[key::TAB]).await;
    focus_on(&client, on_now, "the timeline button on Now").await;
    for leave in [key::ESCAPE, key::ENTER] {
        press(&client, &[key::ENTER]).await;
        view_is(&client, "timeline").await;
        let inside = focus_on(&client, "#view-timeline .back", "Back in the timeline").await;
        order.push(inside);
        let name = client
            .execute(
                "const s = document.getElementById('view-timeline'); return document.getElementById(s.getAttribute('aria-labelledby')).textContent",
                vec![],
            )
            .await
            .expect("panel name");
        assert_eq!(
            name,
            json!("Logins fail"),
            "the panel is named by its heading"
        );
        press(&client, &[leave]).await;
        view_is(&client, "now").await;
        focus_on(&client, on_now, "the same timeline button on Now").await;
    }

    // The same from Incidents, whose list is fetched again on the way back.
    press(&client, &[key::SHIFT, key::TAB]).await;
    focus_on(&client, "#tab-now", "the Now tab").await;
    press(&client, &[key::RIGHT]).await;
    view_is(&client, "incidents").await;
    client
        .wait_for(
            "the incident listed",
            "return document.querySelector(arguments[0])",
            vec![json!(on_incidents)],
            WAIT,
        )
        .await;
    let incidents = tab_to(&client, on_incidents, 8).await;
    println!("keyboard order (Incidents): {}", incidents.join(" → "));
    press(&client, &[key::ENTER]).await;
    view_is(&client, "timeline").await;
    focus_on(&client, "#view-timeline .back", "Back in the timeline").await;
    press(&client, &[key::ESCAPE]).await;
    view_is(&client, "incidents").await;
    focus_on(
        &client,
        on_incidents,
        "the same timeline button on Incidents",
    )
    .await;

    // Overview pushes rebuild the list under the focused button (the incident moves on):
    // focus stays on that row's button, the new one.
    for phase in ["identified", "monitoring"] {
        client
            .execute("window.__old = document.activeElement", vec![])
            .await
            .expect("mark");
        server.set(SUMMARY, Reply::json(summary(&page, phase)));
        client
            .wait_for(
                &format!("the list rebuilt, saying {phase}"),
                "const b = document.querySelector(arguments[0]); return b && b !== window.__old && b.closest('li').textContent.includes(arguments[1])",
                vec![json!(on_incidents), json!(phase)],
                WAIT,
            )
            .await;
        focus_on(&client, on_incidents, &format!("the same button, {phase}")).await;
    }
    println!("keyboard walk: {}", order.join(" → "));
    client.close().await;
}

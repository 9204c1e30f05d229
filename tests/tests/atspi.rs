//! The window as a screen reader meets it, over AT-SPI: every control named in every view, and the summary line and detection's answer live regions.

use outage_radar_tests::desktop::{Cleanup, Desktop};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, SUMMARY_PATH};
use outage_radar_tests::{
    app_binary, eventually, tools_available, write_config, REQUIRE_ENV, WAIT,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The distribution's Python, which has the `pyatspi` package (a virtualenv's may not).
const PYTHON: &str = "/usr/bin/python3";
const BUS_LAUNCHER: &str = "/usr/libexec/at-spi-bus-launcher";
/// What a screen reader lets a user act on: each must say what it is.
const CONTROLS: &[&str] = &[
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "link",
    "entry",
    "password text",
    "spin button",
    "combo box",
    "page tab",
    "menu item",
    "slider",
];

fn walker() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("atspi/walk.py")
}

/// Whether AT-SPI can be read here: the bus launcher and Python's `pyatspi`.
fn atspi_available() -> bool {
    let python = Command::new(PYTHON)
        .args(["-c", "import pyatspi"])
        .output()
        .is_ok_and(|o| o.status.success());
    if python && Path::new(BUS_LAUNCHER).is_file() {
        return true;
    }
    let msg = "AT-SPI is missing (at-spi2-core, python3-pyatspi: tests/run-all.sh installs them)";
    assert!(std::env::var_os(REQUIRE_ENV).is_none(), "{msg}");
    println!("SKIP: {msg}");
    false
}

/// The accessibility bus of the desktop's session, stopped with its registry at the end.
struct AccessibilityBus(Child);

impl AccessibilityBus {
    fn start(session_bus: &str) -> Self {
        use std::os::unix::process::CommandExt;
        let child = Command::new(BUS_LAUNCHER)
            .arg("--launch-immediately")
            .env("DBUS_SESSION_BUS_ADDRESS", session_bus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own group: the bus and the registry it starts go with it.
            .process_group(0)
            .spawn()
            .expect("start the accessibility bus");
        AccessibilityBus(child)
    }
}

impl Drop for AccessibilityBus {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Node {
    role: String,
    name: String,
    text: String,
    selected: bool,
    attributes: HashMap<String, String>,
}

impl Node {
    /// A live region, as WebKit exposes `aria-live` (or a role that implies it).
    fn live(&self) -> Option<&str> {
        self.attributes
            .get("container-live")
            .or_else(|| self.attributes.get("live"))
            .map(String::as_str)
            .filter(|l| *l != "off")
    }
}

/// The window's showing nodes; `None` until its document is there.
fn walk(desktop: &Desktop) -> Option<Vec<Node>> {
    let out = desktop
        .command(PYTHON)
        .arg(walker())
        .arg("walk")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let nodes: Vec<Node> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (!nodes.is_empty()).then_some(nodes)
}

/// Clicks the node of `role` named `name`, as a screen reader's "activate" does.
fn press(desktop: &Desktop, role: &str, name: &str) -> bool {
    desktop
        .command(PYTHON)
        .arg(walker())
        .args(["press", role, name])
        .status()
        .is_ok_and(|s| s.success())
}

/// The controls of `nodes` that say nothing to a screen reader.
fn unnamed(nodes: &[Node]) -> Vec<String> {
    nodes
        .iter()
        .filter(|n| CONTROLS.contains(&n.role.as_str()) && n.name.trim().is_empty())
        .map(|n| format!("{} (text {:?})", n.role, n.text))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screen_reader_hears_every_control_and_each_change() {
    if !tools_available(&["Xvfb", "dbus-daemon", "gtk-sni-tray-standalone"]) || !atspi_available() {
        return;
    }
    let desktop = Desktop::start().await;
    let _a11y = AccessibilityBus::start(&desktop.bus.address);
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 1, "", &[("Acme Cloud", &page, "")]);
    let data = dir.path().join("data").to_string_lossy().into_owned();
    let app = desktop
        .command(app_binary())
        .arg("--show")
        .arg("--config")
        .arg(&config)
        .args(["--data-dir", &data])
        // The other desktop tests keep GTK off the accessibility bus; here it is the point.
        .env_remove("NO_AT_BRIDGE")
        .stdout(Stdio::null())
        .spawn()
        .expect("start the app");
    let _cleanup = Cleanup {
        child: app,
        marker: data.clone(),
    };

    // The first start opens on the welcome; then every tab in turn.
    let first = eventually(WAIT, "the window's document over AT-SPI", || {
        walk(&desktop).filter(|n| n.iter().any(|n| n.role == "page tab list"))
    })
    .await;
    let tabs: Vec<String> = first
        .iter()
        .filter(|n| n.role == "page tab")
        .map(|n| n.name.clone())
        .collect();
    assert_eq!(tabs, ["Now", "Incidents", "Reliability", "Settings"]);
    let mut views = vec![("welcome".to_owned(), first)];
    for tab in &tabs {
        assert!(press(&desktop, "page tab", tab), "press the {tab} tab");
        let nodes = eventually(WAIT, "the tab selected", || {
            walk(&desktop).filter(|nodes| {
                nodes
                    .iter()
                    .any(|n| n.role == "page tab" && &n.name == tab && n.selected)
            })
        })
        .await;
        views.push((tab.to_lowercase(), nodes));
    }
    for (view, nodes) in &views {
        let controls = nodes
            .iter()
            .filter(|n| CONTROLS.contains(&n.role.as_str()))
            .count();
        println!("atspi: {view}: {} nodes, {controls} controls", nodes.len());
        assert!(
            controls >= 5,
            "{view}: the controls are exposed ({controls})"
        );
        assert_eq!(
            unnamed(nodes),
            Vec::<String>::new(),
            "{view}: unnamed controls"
        );
    }

    // The summary line is a live region, so a screen reader says each new summary (the
    // page's incident below) without the user looking for it. Its kind is what is checked:
    // WebKitGTK's tree here now and then kept a script's later text for a minute.
    let summary = |nodes: &[Node]| {
        nodes
            .iter()
            .find(|n| n.attributes.get("id").is_some_and(|id| id == "summary"))
            .map(|n| (n.role.clone(), n.live().map(str::to_owned), n.text.clone()))
    };
    let (role, live, text) = summary(&views[1].1).expect("the summary line in the tree");
    println!("atspi: summary {role} live={live:?}: {text:?}");
    assert_eq!(
        (role.as_str(), live.as_deref()),
        ("status bar", Some("polite"))
    );
    assert!(!text.is_empty(), "it says something");
    // Detection's answer, an error included, comes in a live region: Detect with no address
    // is refused there. (WebKitGTK's tree showed the region once used, but not the words a
    // script then put in it, though people see them: so its kind is checked, not its words.)
    assert!(press(&desktop, "page tab", "Settings"));
    eventually(WAIT, "Settings shown", || {
        walk(&desktop).filter(|n| {
            n.iter()
                .any(|n| n.role == "push button" && n.name == "Detect")
        })
    })
    .await;
    assert!(press(&desktop, "push button", "Detect"));
    let detected = eventually(WAIT, "the detection's region", || {
        let out = desktop
            .command(PYTHON)
            .arg(walker())
            .args(["node", "detected"])
            .output()
            .ok()?;
        serde_json::from_slice::<Node>(&out.stdout).ok()
    })
    .await;
    assert_eq!(
        (detected.role.as_str(), detected.live()),
        ("status bar", Some("polite")),
        "{detected:?}"
    );
}

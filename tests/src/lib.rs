//! System-test helpers: a fake status server, a private D-Bus with a notification server, the app binary.

pub mod axe;
pub mod cli;
pub mod dbus;
pub mod demo;
pub mod desktop;
pub mod fake_server;
pub mod payloads;
pub mod process;
pub mod scenario;
pub mod seed;
#[cfg(unix)] // the Unix socket suites; Windows is driven under Wine (wine.rs)
pub mod socket;
pub mod webdriver;
pub mod wine;

use std::path::PathBuf;
use std::time::Duration;

/// When set (CI does), a missing system tool fails the test instead of skipping it.
pub const REQUIRE_ENV: &str = "OUTAGE_RADAR_REQUIRE_SYSTEM";

/// How long a test waits for something the app should do by itself: generous, because a
/// loaded CI machine (two cores, WebKit, Xvfb) is slow; a passing test never waits it out.
pub const WAIT: Duration = Duration::from_secs(60);

/// Where tests leave screenshots for a person to look at: `test-artifacts/<sub>` at the
/// workspace root (not committed), created if need be.
pub fn artifacts_dir(sub: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../test-artifacts")
        .join(sub);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// True when every tool is on PATH; otherwise prints why the test is skipped (or panics under CI).
pub fn tools_available(tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|t| which(t).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("missing system tools {missing:?} (tests/run-all.sh installs them)");
    if std::env::var_os(REQUIRE_ENV).is_some() {
        panic!("{msg}");
    }
    println!("SKIP: {msg}");
    false
}

pub fn which(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| p.is_file())
}

/// The workspace's target dir, found from this test binary's own path (target/<profile>/deps/…).
pub fn target_profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("test binary lives in target/<profile>/deps")
        .to_path_buf()
}

/// Makes a child speak English whatever the machine's locale: the expected texts of the
/// tests are English unless a test sets `LANG` itself (afterwards, which wins).
pub fn english(c: &mut std::process::Command) -> &mut std::process::Command {
    c.env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
}

/// The `outage-radar` binary under test (`OUTAGE_RADAR_BIN` overrides).
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("OUTAGE_RADAR_BIN") {
        return PathBuf::from(p);
    }
    let bin = target_profile_dir().join("outage-radar");
    assert!(
        bin.is_file(),
        "{} not built: run `cargo build --workspace` first (tests/run-all.sh does)",
        bin.display()
    );
    bin
}

/// The `outage-radar-window` binary beside [`app_binary`], as the tray process finds it.
pub fn window_binary() -> PathBuf {
    let bin = app_binary().with_file_name("outage-radar-window");
    assert!(
        bin.is_file(),
        "{} not built: run `cargo build --workspace` first (tests/run-all.sh does)",
        bin.display()
    );
    bin
}

/// A hand-made payload from `tests/payloads/` (part of the project, always there).
pub fn payload(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("payloads")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("payload {}: {e}", path.display()))
}

/// Where the real captured payloads are read in place: `OUTAGE_RADAR_FIXTURES`, else
/// `shared/fixtures` beside the checkout.
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("OUTAGE_RADAR_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"))
}

/// A real captured payload. `None`, with the reason printed, when its folder is absent: a
/// user's clone has no fixtures at all, and a peer project's captures (`peers/<project>/`)
/// may be missing from a copy of them. Under [`REQUIRE_ENV`] (CI) only the latter skips: the
/// captures missing as a whole, or one of their own folders, mean they moved, and the
/// tests that read them would pass without reading anything, so it panics. A folder
/// without the file is a broken test (a misspelt name): it panics.
pub fn fixture(rel: &str) -> Option<Vec<u8>> {
    let path = fixtures_dir().join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if !path.parent().is_some_and(std::path::Path::is_dir) => {
            let msg = format!(
                "real fixtures not found at {} ({e}); {rel} not tested",
                path.parent().unwrap_or(&path).display()
            );
            let optional = rel.starts_with("peers/") && fixtures_dir().join("peers").is_dir();
            if std::env::var_os(REQUIRE_ENV).is_some() && !optional {
                panic!("{msg} (set OUTAGE_RADAR_FIXTURES, or unset {REQUIRE_ENV})");
            }
            println!("SKIP: {msg}");
            None
        }
        Err(e) => panic!("fixture {} unreadable: {e}", path.display()),
    }
}

/// Polls `check` every 50 ms until it returns `Some`, or panics after `timeout` naming `what`.
pub async fn eventually<T>(
    timeout: Duration,
    what: &str,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    // Not through `within`: the compiler cannot prove a future that holds an async closure's
    // borrows `Send` ("not general enough"), and a spawned task (crash_safety's) waits here.
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// [`eventually`] for a check that has to await (D-Bus, WebDriver, HTTP): polled every 250 ms,
/// as each look is a round trip to another process, which a tighter loop would keep busy.
/// Await it in the test's own task: the compiler may not prove its future `Send`.
pub async fn eventually_async<T>(
    timeout: Duration,
    what: &str,
    check: impl AsyncFnMut() -> Option<T>,
) -> T {
    within(timeout, check)
        .await
        .unwrap_or_else(|| panic!("timed out after {timeout:?} waiting for {what}"))
}

/// [`eventually_async`] that returns `None` at the timeout instead of panicking, for a
/// caller whose message names what it saw last (kept by `check`).
pub async fn within<T>(timeout: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = check().await {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Waits until `server` has answered `n` more requests for `path`, so the watcher has looked
/// again after whatever the test just changed.
pub async fn polls_after(server: &fake_server::FakeServer, path: &str, n: usize) {
    let start = server.hits(path);
    eventually(WAIT, &format!("{n} more polls of {path}"), || {
        (server.hits(path) >= start + n).then_some(())
    })
    .await;
}

/// Writes `dir/config.toml`: the poll interval, `extra` TOML, then each service as
/// (name, page URL, extra TOML lines). Returns its path.
pub fn write_config(
    dir: &std::path::Path,
    poll_secs: u64,
    extra: &str,
    services: &[(&str, &str, &str)],
) -> PathBuf {
    let mut text = format!("poll_interval_secs = {poll_secs}\n{extra}\n");
    for (name, url, more) in services {
        text.push_str(&format!(
            "\n[[services]]\nname = \"{name}\"\nurl = \"{url}\"\n{more}\n"
        ));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

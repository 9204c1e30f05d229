//! The shipped systemd user unit: `systemd-analyze verify` accepts it, and the package installs it.

use outage_radar_tests::{app_binary, tools_available};
use std::path::PathBuf;
use std::process::Command;

const UNIT: &str = "outage-radar-watch.service";

fn unit_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../src-tauri/packaging")
        .join(UNIT)
}

fn unit_text() -> String {
    std::fs::read_to_string(unit_path()).expect("the unit file is part of the project")
}

/// Runs `systemd-analyze verify --user` on `text` saved as the unit; returns what it said.
fn verify(text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let unit = dir.path().join(UNIT);
    std::fs::write(&unit, text).expect("write unit");
    // A user manager wants a runtime dir; a test run as root or under CI has none.
    let runtime = tempfile::tempdir().expect("runtime dir");
    let out = Command::new("systemd-analyze")
        .args(["verify", "--user"])
        .arg(&unit)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .env("SYSTEMD_LOG_COLOR", "0")
        .output()
        .expect("run systemd-analyze");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said.trim().to_owned())
}

/// The unit with its `ExecStart` pointed at the binary under test: verify checks that the
/// command exists, and `/usr/bin/outage-radar` is there only once the package is installed
/// (tests/package.sh verifies the installed unit as it is).
fn unit_for_this_build() -> String {
    let text = unit_text();
    let bin = app_binary();
    assert!(text.contains("ExecStart=/usr/bin/outage-radar watch --headless"));
    text.replace(
        "ExecStart=/usr/bin/outage-radar ",
        &format!("ExecStart={} ", bin.display()),
    )
}

#[test]
fn the_unit_passes_systemd_analyze_verify() {
    if !tools_available(&["systemd-analyze"]) {
        return;
    }
    let (ok, said) = verify(&unit_for_this_build());
    // Unknown keys are only warnings: any output at all is a failure here.
    assert!(ok && said.is_empty(), "systemd-analyze verify: {said}");
}

#[test]
fn the_check_catches_a_broken_unit() {
    if !tools_available(&["systemd-analyze"]) {
        return;
    }
    let typo = unit_for_this_build().replace("Restart=on-failure", "Restrat=on-failure");
    let (_, said) = verify(&typo);
    assert!(
        said.contains("Restrat"),
        "a typo must be reported: {said:?}"
    );
    let missing = unit_text().replace(
        "ExecStart=/usr/bin/outage-radar ",
        "ExecStart=/nonexistent/outage-radar ",
    );
    let (ok, said) = verify(&missing);
    assert!(!ok, "a missing binary must fail: {said}");
}

#[test]
fn the_unit_runs_headless_and_ships_in_the_package() {
    let text = unit_text();
    for line in [
        "ExecStart=/usr/bin/outage-radar watch --headless",
        "Restart=on-failure",
        "WantedBy=default.target",
    ] {
        assert!(text.lines().any(|l| l == line), "{UNIT} lacks {line:?}");
    }
    for needs_a_desktop in ["DISPLAY", "graphical-session", "DBUS_SESSION_BUS_ADDRESS"] {
        assert!(
            !text.contains(needs_a_desktop),
            "{UNIT} mentions {needs_a_desktop}"
        );
    }
    let manifest = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/Cargo.toml"),
    )
    .expect("manifest");
    assert!(
        manifest.contains(&format!(
            r#"["packaging/{UNIT}", "usr/lib/systemd/user/", "644"]"#
        )),
        "the .deb installs {UNIT} as a user unit"
    );
}

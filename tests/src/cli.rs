//! Running the `outage-radar` binary once and reading what it printed.

use std::process::Output;

/// `outage-radar ARGS…` to completion, with logging off so stderr holds only its message.
pub async fn run(args: &[&str]) -> Output {
    tokio::process::Command::new(crate::app_binary())
        .args(args)
        .env("OUTAGE_RADAR_LOG", "off")
        .output()
        .await
        .expect("run outage-radar")
}

/// The one JSON object a successful `--json` command printed.
pub fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object on stdout")
}

/// Its stderr, trimmed.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_owned()
}

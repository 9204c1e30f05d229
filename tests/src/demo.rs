//! What `demo --headless --json` must print, wherever it runs: the replayed story in order, with the lead.

use serde_json::Value;

/// Checks the demo's JSON lines against the story — the suspicion, then the page's
/// incident through its phases to its end, then the closing line (baseline and `notified`
/// lines aside) — and returns the lead the page's incident carries and the closing line.
pub fn story(stdout: &[u8]) -> (i64, Value) {
    let text = String::from_utf8_lossy(stdout);
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
        .collect();
    let names: Vec<&str> = events
        .iter()
        .filter_map(|e| e["event"].as_str())
        .filter(|n| !matches!(*n, "baseline" | "notified"))
        .collect();
    assert_eq!(
        names,
        [
            "suspected_outage",
            "incident_opened",
            "incident_updated",
            "incident_updated",
            "incident_resolved",
            "demo_finished"
        ],
        "{text}"
    );
    let phases: Vec<&str> = events
        .iter()
        .filter(|e| {
            e["event"]
                .as_str()
                .is_some_and(|n| n.starts_with("incident_"))
        })
        .filter_map(|e| e["phase"].as_str())
        .collect();
    assert_eq!(
        phases,
        ["investigating", "identified", "monitoring", "resolved"],
        "{text}"
    );
    let opened = events
        .iter()
        .find(|e| e["event"] == "incident_opened")
        .expect("opened");
    let lead = opened["lead_secs"].as_i64().expect("lead");
    assert!(lead > 0, "{opened}");
    let summary = events.last().cloned().expect("summary");
    assert_eq!(summary["resolved"], true, "{summary}");
    assert_eq!(summary["suspected"], true, "{summary}");
    (lead, summary)
}

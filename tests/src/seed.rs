//! Rows written into an app's history as the engine writes them, for tests that need a past.

use std::path::Path;

fn ago(days: i64, plus_secs: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days) + chrono::Duration::seconds(plus_secs))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// How late `service`'s page acknowledged what Outage Radar saw first: one probe suspicion
/// a day for the last days, acknowledged `probe_leads` seconds after each (newest first),
/// and a component that broke the day before those, posted `component_delay` seconds later.
/// Written beside a running app (WAL, with a busy timeout).
pub fn acknowledgments(data: &Path, service: &str, probe_leads: &[i64], component_delay: i64) {
    let db = rusqlite::Connection::open(data.join("history.sqlite3")).expect("history");
    db.busy_timeout(std::time::Duration::from_secs(5))
        .expect("busy timeout");
    for (days, lead) in (1..).zip(probe_leads) {
        db.execute(
            "INSERT INTO suspicion (service_id, since, suspected_at, outcome, ended_at, acknowledged_at, lead_secs, incident_id)
             VALUES (?1, ?2, ?2, 'linked', ?3, ?3, ?4, 'old')",
            rusqlite::params![service, ago(days, 0), ago(days, *lead), lead],
        )
        .expect("suspicion");
    }
    let days = probe_leads.len() as i64 + 1;
    db.execute(
        "INSERT INTO component_sign (service_id, since, acknowledged_at, incident_id)
         VALUES (?1, ?2, ?3, 'older')",
        rusqlite::params![service, ago(days, 0), ago(days, component_delay)],
    )
    .expect("component sign");
}

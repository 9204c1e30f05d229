//! Hand-made Statuspage summaries for scenarios (not captures of real pages).

use serde_json::{json, Value};

pub const SUMMARY_PATH: &str = "/api/v2/summary.json";

/// An incident as the scenario needs it.
#[derive(Debug, Clone)]
pub struct FakeIncident {
    pub id: &'static str,
    pub title: &'static str,
    pub status: &'static str,
    pub impact: &'static str,
}

/// A Statuspage v2 summary listing `incidents` as unresolved (like the real endpoint does).
pub fn summary(page_url: &str, incidents: &[FakeIncident]) -> Vec<u8> {
    let api = if incidents.is_empty() {
        "operational"
    } else {
        "partial_outage"
    };
    summary_with(page_url, incidents, &[("API", api), ("Web", "operational")])
}

/// Like [`summary`], with every incident time set to now: an incident the page posts
/// during the test, not one that began long before it.
pub fn summary_now(page_url: &str, incidents: &[FakeIncident]) -> Vec<u8> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    String::from_utf8_lossy(&summary(page_url, incidents))
        .replace("2026-11-26T05:12:00.000Z", &now)
        .replace("2026-11-26T05:43:00.000Z", &now)
        .into_bytes()
}

/// Like [`summary`], with the components' statuses given.
pub fn summary_with(
    page_url: &str,
    incidents: &[FakeIncident],
    components: &[(&str, &str)],
) -> Vec<u8> {
    let worst = incidents.iter().map(|i| i.impact).max_by_key(|i| match *i {
        "critical" => 3,
        "major" => 2,
        "minor" => 1,
        _ => 0,
    });
    let indicator = worst.unwrap_or("none");
    let incidents: Vec<Value> = incidents
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "name": i.title,
                "status": i.status,
                "impact": i.impact,
                "created_at": "2026-11-26T05:12:00.000Z",
                "updated_at": "2026-11-26T05:43:00.000Z",
                "started_at": "2026-11-26T05:12:00.000Z",
                "resolved_at": null,
                "shortlink": format!("{page_url}/incidents/{}", i.id),
                "components": [{"id": "c1", "name": "API", "status": "partial_outage"}],
                "incident_updates": [{
                    "id": format!("{}-{}", i.id, i.status),
                    "status": i.status,
                    "body": format!("We are {} the issue.", i.status),
                    "created_at": "2026-11-26T05:43:00.000Z",
                    "display_at": "2026-11-26T05:43:00.000Z",
                    "affected_components": null
                }]
            })
        })
        .collect();
    let components: Vec<Value> = components
        .iter()
        .enumerate()
        .map(|(n, (name, status))| {
            json!({"id": format!("c{n}"), "name": name, "status": status, "group": false})
        })
        .collect();
    serde_json::to_vec(&json!({
        "page": {"id": "fakepage", "name": "Fake", "url": page_url, "time_zone": "Etc/UTC",
                 "updated_at": "2026-11-26T05:43:00.000Z"},
        "status": {"indicator": indicator, "description": "Fake status"},
        "components": components,
        "incidents": incidents,
        "scheduled_maintenances": []
    }))
    .expect("serializes")
}

/// Like [`summary`] (no incidents), listing one maintenance scheduled (not yet started) to
/// run from `starts_at` for an hour, on the API, posted a day before: the reminder's case.
pub fn summary_with_scheduled_maintenance(
    page_url: &str,
    id: &str,
    title: &str,
    starts_at: chrono::DateTime<chrono::Utc>,
) -> Vec<u8> {
    let at =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let posted = at(starts_at - chrono::Duration::days(1));
    let mut page: Value = serde_json::from_slice(&summary(page_url, &[])).expect("JSON");
    page["scheduled_maintenances"] = json!([{
        "id": id,
        "name": title,
        "status": "scheduled",
        "impact": "maintenance",
        "created_at": posted,
        "updated_at": posted,
        // Statuspage sets it when the notice is posted, not when the work starts.
        "started_at": posted,
        "scheduled_for": at(starts_at),
        "scheduled_until": at(starts_at + chrono::Duration::hours(1)),
        "resolved_at": null,
        "shortlink": format!("{page_url}/incidents/{id}"),
        "components": [{"id": "c0", "name": "API", "status": "operational"}],
        "incident_updates": [{
            "id": format!("{id}-scheduled"),
            "status": "scheduled",
            "body": "We will be upgrading the database.",
            "created_at": posted,
            "display_at": posted,
            "affected_components": null
        }]
    }]);
    serde_json::to_vec(&page).expect("serializes")
}

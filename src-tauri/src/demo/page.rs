//! The bodies the demo serves (Statuspage v2 JSON and the API's answer) at a moment of the story, pure.

use super::script::{PagePhase, Script, StepKind};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::time::Duration;

pub const INCIDENT_ID: &str = "demo-incident-1";
pub const INCIDENT_NAME: &str = "Elevated errors on the API and ChatGPT";
/// The probe target: an API base that answers 401 without a key when it is up.
pub const PROBE_PATH: &str = "/v1/models";

/// One moment to render: where the replay is and where its clock started on the wall.
#[derive(Debug, Clone, Copy)]
pub struct Moment<'a> {
    pub script: &'a Script,
    pub elapsed: Duration,
    /// The wall time of the replay's start: the page stamps its updates from it.
    pub started_wall: DateTime<Utc>,
    /// The page's own address, for its links.
    pub page_url: &'a str,
}

impl Moment<'_> {
    fn wall_at(&self, kind: StepKind) -> String {
        let offset = chrono::Duration::from_std(self.script.at(kind)).unwrap_or_default();
        stamp(self.started_wall + offset)
    }

    fn now(&self) -> String {
        let offset = chrono::Duration::from_std(self.elapsed).unwrap_or_default();
        stamp(self.started_wall + offset)
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The API's answer: status and JSON body.
pub fn probe_answer(script: &Script, elapsed: Duration) -> (u16, Vec<u8>) {
    if script.state_at(elapsed).api_failing {
        (
            503,
            br#"{"error":{"message":"The server is temporarily unable to handle the request (Outage Radar demo).","type":"server_error"}}"#.to_vec(),
        )
    } else {
        (
            401,
            br#"{"error":{"message":"No API key provided (Outage Radar demo: none is ever sent).","type":"invalid_request_error"}}"#.to_vec(),
        )
    }
}

/// `/api/v2/summary.json` of the demo's OpenAI page.
pub fn summary(m: &Moment<'_>) -> Value {
    let phase = m.script.state_at(m.elapsed).page;
    let (indicator, description, api, chatgpt) = statuses(phase);
    // Statuspage's summary lists only unresolved incidents.
    let incidents: Vec<Value> = match phase {
        PagePhase::Operational | PagePhase::Resolved => Vec::new(),
        _ => incident(m).into_iter().collect(),
    };
    json!({
        "page": page(m, "demo-openai", "OpenAI (demo)"),
        "status": { "indicator": indicator, "description": description },
        "components": [
            component("demo-api", "API", api, m),
            component("demo-chatgpt", "ChatGPT", chatgpt, m),
        ],
        "incidents": incidents,
        "scheduled_maintenances": [],
    })
}

/// The page indicator, its words, and the API and ChatGPT component states.
fn statuses(phase: PagePhase) -> (&'static str, &'static str, &'static str, &'static str) {
    match phase {
        PagePhase::Operational | PagePhase::Resolved => (
            "none",
            "All Systems Operational",
            "operational",
            "operational",
        ),
        PagePhase::Investigating | PagePhase::Identified => (
            "critical",
            "Major System Outage",
            "major_outage",
            "partial_outage",
        ),
        PagePhase::Monitoring => (
            "minor",
            "Minor Service Outage",
            "operational",
            "degraded_performance",
        ),
    }
}

/// `/api/v2/incidents.json`: the page's history, the incident once it was posted.
pub fn incidents(m: &Moment<'_>) -> Value {
    json!({
        "page": page(m, "demo-openai", "OpenAI (demo)"),
        "incidents": incident(m).into_iter().collect::<Vec<_>>(),
    })
}

/// The witness page: another origin that stays operational all along.
pub fn witness_summary(m: &Moment<'_>) -> Value {
    json!({
        "page": page(m, "demo-status-cdn", "Status CDN (demo)"),
        "status": { "indicator": "none", "description": "All Systems Operational" },
        "components": [component("demo-cdn", "CDN", "operational", m)],
        "incidents": [],
        "scheduled_maintenances": [],
    })
}

pub fn witness_incidents(m: &Moment<'_>) -> Value {
    json!({
        "page": page(m, "demo-status-cdn", "Status CDN (demo)"),
        "incidents": [],
    })
}

fn page(m: &Moment<'_>, id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "url": m.page_url,
        "time_zone": "Etc/UTC",
        "updated_at": m.now(),
    })
}

fn component(id: &str, name: &str, status: &str, m: &Moment<'_>) -> Value {
    json!({
        "id": id,
        "name": name,
        "status": status,
        "created_at": stamp(m.started_wall),
        "updated_at": m.now(),
        "position": 1,
        "description": null,
        "showcase": true,
        "group_id": null,
        "page_id": "demo-openai",
        "group": false,
        "only_show_if_degraded": false,
    })
}

/// The incident as the page shows it now; `None` before it was posted.
fn incident(m: &Moment<'_>) -> Option<Value> {
    let posted: Vec<StepKind> = StepKind::ALL
        .into_iter()
        .filter(|k| k.page_phase().is_some() && m.script.reached(*k, m.elapsed))
        .collect();
    let latest = *posted.last()?;
    let status = match latest.page_phase()? {
        PagePhase::Investigating => "investigating",
        PagePhase::Identified => "identified",
        PagePhase::Monitoring => "monitoring",
        PagePhase::Resolved | PagePhase::Operational => "resolved",
    };
    let affected = json!([{ "code": "demo-api", "name": "API" }, { "code": "demo-chatgpt", "name": "ChatGPT" }]);
    // Statuspage lists updates newest first.
    let updates: Vec<Value> = posted
        .iter()
        .rev()
        .enumerate()
        .map(|(i, k)| {
            let at = m.wall_at(*k);
            json!({
                "id": format!("demo-update-{}", posted.len() - i),
                "status": match k.page_phase() {
                    Some(PagePhase::Investigating) => "investigating",
                    Some(PagePhase::Identified) => "identified",
                    Some(PagePhase::Monitoring) => "monitoring",
                    _ => "resolved",
                },
                "body": k.update_body().unwrap_or_default(),
                "incident_id": INCIDENT_ID,
                "created_at": at,
                "updated_at": at,
                "display_at": at,
                "affected_components": affected,
            })
        })
        .collect();
    let (_, _, api, chatgpt) = statuses(m.script.state_at(m.elapsed).page);
    let created = m.wall_at(StepKind::PageInvestigating);
    let resolved = (latest == StepKind::PageResolved).then(|| m.wall_at(StepKind::PageResolved));
    Some(json!({
        "id": INCIDENT_ID,
        "name": INCIDENT_NAME,
        "status": status,
        "impact": "major",
        "created_at": created,
        "started_at": created,
        "updated_at": m.wall_at(latest),
        "monitoring_at": m.script.reached(StepKind::PageMonitoring, m.elapsed)
            .then(|| m.wall_at(StepKind::PageMonitoring)),
        "resolved_at": resolved,
        "shortlink": format!("{}/incidents/{INCIDENT_ID}", m.page_url.trim_end_matches('/')),
        "page_id": "demo-openai",
        "components": [
            component("demo-api", "API", api, m),
            component("demo-chatgpt", "ChatGPT", chatgpt, m),
        ],
        "incident_updates": updates,
    }))
}

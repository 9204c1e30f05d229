//! status.io's public status API (`api.status.io/1.0/status/<page id>`) turned into a [`Snapshot`].

use super::timeline::{self, Listed};
use super::{from_json, lenient, missing_keys, time, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

const EXPECTED: &str = "status.io public status JSON";
const FORMAT: super::Format = super::Format::Statusio;

// Each field is read leniently: one odd value is absent and one odd element skipped, never
// the whole page; without a readable `result.status_overall` the body is not this API.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default, deserialize_with = "lenient::object")]
    result: Option<StatusResult>,
}

#[derive(Deserialize)]
struct StatusResult {
    #[serde(default, deserialize_with = "lenient::object")]
    status_overall: Option<Overall>,
    #[serde(default, deserialize_with = "lenient::list")]
    status: Option<Vec<RawComponent>>,
    #[serde(default, deserialize_with = "lenient::list")]
    incidents: Option<Vec<RawEvent>>,
    #[serde(default, deserialize_with = "lenient::object")]
    maintenance: Option<Maintenance>,
}

#[derive(Deserialize)]
struct Overall {
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    // Numbers in every capture; strings are accepted too.
    status_code: Option<Value>,
}

#[derive(Deserialize)]
struct RawComponent {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    status_code: Option<Value>,
    #[serde(default, deserialize_with = "lenient::list")]
    containers: Option<Vec<RawContainer>>,
}

#[derive(Deserialize)]
struct RawContainer {
    status_code: Option<Value>,
}

#[derive(Deserialize)]
struct Maintenance {
    #[serde(default, deserialize_with = "lenient::list")]
    active: Option<Vec<RawEvent>>,
    #[serde(default, deserialize_with = "lenient::list")]
    upcoming: Option<Vec<RawEvent>>,
}

/// An incident or a maintenance: status.io gives both the same shape.
#[derive(Deserialize)]
struct RawEvent {
    #[serde(rename = "_id", default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    datetime_open: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    datetime_planned_start: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    messages: Option<Vec<RawMessage>>,
    #[serde(default, deserialize_with = "lenient::list")]
    components_affected: Option<Vec<Named>>,
}

#[derive(Deserialize)]
struct RawMessage {
    #[serde(rename = "_id", default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    details: Option<String>,
    state: Option<Value>,
    status: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    datetime: Option<String>,
}

#[derive(Deserialize)]
struct Named {
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Window {
    Active,
    Upcoming,
}

pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let envelope: Envelope = from_json(EXPECTED, body)?;
    let Some(StatusResult {
        status_overall: Some(overall),
        status: components_raw,
        incidents: incidents_raw,
        maintenance,
    }) = envelope.result
    else {
        return Err(missing_keys(EXPECTED, "the `result.status_overall` key"));
    };

    // The top-level entries are the services people know ("Website", "Docker Hub
    // Registry"); containers are where they run ("AWS", "Google Compute Engine") and
    // repeat across every service, so they only make their service's status worse.
    let components: Vec<Component> = components_raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            let name = c
                .name
                .filter(|n| !n.trim().is_empty())
                .or_else(|| c.id.clone())?;
            let mut status = code_status(c.status_code.as_ref());
            for container in c.containers.unwrap_or_default() {
                status = status.max(code_status(container.status_code.as_ref()));
            }
            Some(Component {
                id: c.id.unwrap_or_else(|| name.clone()),
                name,
                status,
            })
        })
        .collect();

    // This API lists only incidents that are still open; resolved ones leave the list.
    let incidents: Vec<Incident> = incidents_raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| incident(raw, src.page_url))
        .collect();
    let (active, upcoming) = maintenance
        .map(|m| (m.active.unwrap_or_default(), m.upcoming.unwrap_or_default()))
        .unwrap_or_default();
    let maintenances: Vec<Incident> = active
        .into_iter()
        .map(|m| (m, Window::Active))
        .chain(upcoming.into_iter().map(|m| (m, Window::Upcoming)))
        .filter_map(|(raw, window)| maintenance_window(raw, window, src.page_url))
        .collect();

    let own = code_status(overall.status_code.as_ref());
    let status = super::overall_status(own, &components, &incidents, &maintenances);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: FORMAT,
        page_url: src.page_url.to_owned(),
        status,
        page_status: Some(own),
        description: overall.status.filter(|d| !d.trim().is_empty()),
        components,
        incidents,
        maintenances,
    })
}

fn incident(raw: RawEvent, page_url: &str) -> Option<Incident> {
    let (mut event, latest) = event(raw, page_url, state_phase)?;
    // The latest message carries the incident's current state and severity; with
    // none, being listed is all there is, and the list holds open incidents.
    event.phase = event
        .updates
        .last()
        .map_or(Phase::Investigating, |u| u.phase);
    event.impact = latest
        .as_ref()
        .map_or(Impact::Minor, |m| code_impact(m.status.as_ref()));
    Some(event)
}

fn maintenance_window(raw: RawEvent, window: Window, page_url: &str) -> Option<Incident> {
    let phase = match window {
        Window::Active => Phase::InProgress,
        Window::Upcoming => Phase::Scheduled,
    };
    let planned_start = time(raw.datetime_planned_start.as_deref());
    let (mut event, _) = event(raw, page_url, |_| phase)?;
    event.phase = phase;
    event.impact = Impact::Maintenance;
    event.started_at = planned_start.or(event.started_at);
    Some(event)
}

/// What incidents and maintenances share; the caller sets phase and impact.
fn event(
    raw: RawEvent,
    page_url: &str,
    message_phase: impl Fn(Option<&Value>) -> Phase,
) -> Option<(Incident, Option<RawMessage>)> {
    let Some(id) = raw.id.filter(|id| !id.trim().is_empty()) else {
        tracing::warn!("skipping a status.io event without _id");
        return None;
    };
    let mut messages: Vec<(Option<DateTime<Utc>>, RawMessage)> = raw
        .messages
        .unwrap_or_default()
        .into_iter()
        .map(|m| (time(m.datetime.as_deref()), m))
        .collect();
    // Oldest first in every capture; sorted anyway (stable, so same-time order holds).
    timeline::oldest_first(&mut messages, |(at, _)| *at, Listed::OldestFirst, None);
    let mut stamps: Vec<String> = Vec::with_capacity(messages.len());
    let mut updates: Vec<IncidentUpdate> = Vec::with_capacity(messages.len());
    for (at, m) in &messages {
        let stamp = m.datetime.clone().unwrap_or_default();
        let n = stamps.iter().filter(|s| **s == stamp).count();
        updates.push(IncidentUpdate {
            // Messages have no id in the public API: their time names them.
            id: m
                .id
                .clone()
                .filter(|id| !id.trim().is_empty())
                .unwrap_or_else(|| format!("{stamp}#{n}")),
            phase: message_phase(m.state.as_ref()),
            body: m
                .details
                .as_deref()
                .unwrap_or_default()
                .replace("\r\n", "\n")
                .trim()
                .to_owned(),
            at: *at,
        });
        stamps.push(stamp);
    }
    let updated_at = updates.last().and_then(|u| u.at);
    let latest = messages.pop().map(|(_, m)| m);

    let incident = Incident {
        id: IncidentId(id),
        title: raw.name.unwrap_or_default().trim().to_owned(),
        phase: Phase::Unknown,
        impact: Impact::Minor,
        started_at: time(raw.datetime_open.as_deref()),
        scheduled_for: None,
        updated_at,
        resolved_at: None,
        // The public API gives no link per incident, and the page id it would need is
        // in the endpoint, not the page URL.
        url: (page_url.starts_with("https://") || page_url.starts_with("http://"))
            .then(|| page_url.to_owned()),
        components: raw
            .components_affected
            .unwrap_or_default()
            .into_iter()
            .filter_map(|c| c.name)
            .collect(),
        updates,
    };
    Some((incident, latest))
}

fn code(raw: Option<&Value>) -> Option<i64> {
    match raw? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn code_status(raw: Option<&Value>) -> Status {
    match code(raw) {
        Some(100) => Status::Operational,
        Some(200) => Status::Maintenance,
        Some(300) => Status::Degraded,
        Some(400) => Status::PartialOutage,
        Some(500) => Status::MajorOutage,
        // "Security issue": documented, and worth showing without saying how bad.
        Some(600) => Status::Degraded,
        _ => {
            tracing::warn!(value = ?raw, "unknown status.io status code; shown as degraded");
            Status::Degraded
        }
    }
}

fn code_impact(raw: Option<&Value>) -> Impact {
    match code(raw) {
        Some(100) => Impact::None,
        Some(200) => Impact::Maintenance,
        Some(300) | Some(600) => Impact::Minor,
        Some(400) => Impact::Major,
        Some(500) => Impact::Critical,
        _ => {
            tracing::warn!(value = ?raw, "unknown status.io incident status; treated as minor");
            Impact::Minor
        }
    }
}

fn state_phase(raw: Option<&Value>) -> Phase {
    match code(raw) {
        Some(100) => Phase::Investigating,
        Some(200) => Phase::Identified,
        Some(300) => Phase::Monitoring,
        _ => {
            tracing::warn!(value = ?raw, "unknown status.io incident state; treated as open");
            Phase::Unknown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    #[test]
    fn an_undated_newest_message_keeps_its_place_and_decides_the_phase() {
        let body = payload("statusio-undated-latest-message.json");
        let s = parse(&src("Hand", "https://status.example.com"), &body).expect("parses");
        let i = &s.incidents[0];
        let got: Vec<(&str, Phase)> = i.updates.iter().map(|u| (u.id.as_str(), u.phase)).collect();
        assert_eq!(
            got,
            [("m-1", Phase::Investigating), ("m-2", Phase::Monitoring)]
        );
        assert_eq!(i.updates[1].at, None);
        assert_eq!(i.phase, Phase::Monitoring);
    }

    fn docker() -> Source<'static> {
        src("Docker", "https://status.docker.com")
    }

    fn gitlab() -> Source<'static> {
        src("GitLab", "https://status.gitlab.com")
    }

    #[test]
    fn docker_partial_disruption_2020_07_16() {
        let Some(body) = fixture("statusio/docker-statusio-public-status-partial.json") else {
            return;
        };
        let s = parse(&docker(), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Statusio);
        assert_eq!(s.description.as_deref(), Some("Partial Service Disruption"));
        // Components are the eight services, not their shared "AWS" container.
        assert_eq!(s.components.len(), 8);
        assert!(s.components.iter().all(|c| c.name != "AWS"));
        let builds = s
            .components
            .iter()
            .find(|c| c.name == "Docker Hub Automated Builds")
            .expect("builds");
        assert_eq!(builds.id, "5342bc9420974b775d000008");
        assert_eq!(builds.status, Status::PartialOutage);
        assert_eq!(
            s.components
                .iter()
                .filter(|c| c.status == Status::Operational)
                .count(),
            7
        );
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "5f108cc06e9c9104c0553a46");
        assert_eq!(i.title, "Docker Hub automated builds issue");
        assert_eq!(i.phase, Phase::Investigating);
        assert_eq!(i.impact, Impact::Major);
        assert_eq!(i.components, vec!["Docker Hub Automated Builds"]);
        assert_eq!(
            i.started_at.map(|t| t.to_rfc3339()),
            Some("2020-07-16T17:22:08.325+00:00".to_owned())
        );
        assert_eq!(i.updates.len(), 1);
        assert_eq!(i.updates[0].id, "2020-07-16T17:22:08.369Z#0");
        assert!(i.updates[0]
            .body
            .starts_with("We are investigating reports"));
        assert_eq!(i.url.as_deref(), Some("https://status.docker.com"));
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::PartialOutage);
    }

    #[test]
    fn gitlab_planned_maintenance_2020_09_05() {
        let Some(body) = fixture("statusio/gitlab-statusio-public-status-maintenance.json") else {
            return;
        };
        let s = parse(&gitlab(), &body).expect("parses");
        assert_eq!(s.description.as_deref(), Some("Planned Maintenance"));
        assert_eq!(s.components.len(), 15);
        let dash = s
            .components
            .iter()
            .find(|c| c.name == "dashboards.gitlab.com")
            .expect("dashboards");
        assert_eq!(dash.status, Status::Maintenance);
        assert_eq!(s.maintenances.len(), 1);
        let m = &s.maintenances[0];
        assert_eq!(m.id.0, "5f4e8b7f2250a004bc3453da");
        assert_eq!(m.title, "Maintenance on dashboards.gitlab.com");
        assert_eq!(m.phase, Phase::InProgress);
        assert_eq!(m.impact, Impact::Maintenance);
        assert_eq!(
            m.started_at.map(|t| t.to_rfc3339()),
            Some("2020-09-02T17:55:00+00:00".to_owned()),
            "the planned start, not when it was posted"
        );
        assert_eq!(m.updates.len(), 2);
        assert_eq!(m.components, vec!["dashboards.gitlab.com"]);

        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.title, "500 Error - User Notification Settings", "trimmed");
        assert_eq!(i.phase, Phase::Identified);
        assert_eq!(i.impact, Impact::Major);
        assert_eq!(i.components, vec!["Website"]);
        assert_eq!(
            i.updated_at.map(|t| t.to_rfc3339()),
            Some("2020-09-05T09:23:23.591+00:00".to_owned())
        );
        // The page says "Planned Maintenance", but an open partial-disruption incident
        // on the Website is worse than that.
        assert_eq!(s.status, Status::PartialOutage);
    }

    #[test]
    fn gitlab_security_issue_2020_02_09() {
        let Some(body) = fixture("statusio/gitlab-statusio-public-status-security.json") else {
            return;
        };
        let s = parse(&gitlab(), &body).expect("parses");
        assert_eq!(s.description.as_deref(), Some("Security Issue"));
        assert_eq!(s.components.len(), 13);
        let flagged: Vec<&str> = s
            .components
            .iter()
            .filter(|c| c.status == Status::Degraded)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            flagged,
            vec!["Website", "API", "Git (ssh and https)", "Registry", "CI/CD"]
        );
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "5e3d877d593d1b04c4620561");
        assert_eq!(i.phase, Phase::Identified);
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(i.components.len(), 5);
        assert_eq!(s.status, Status::Degraded);
    }

    #[test]
    fn html_with_status_200_is_an_error() {
        let err = parse(
            &gitlab(),
            b"<!doctype html><html><body>GitLab</body></html>",
        )
        .expect_err("HTML is not the API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected status.io public status JSON, got an HTML page"
        );
    }

    #[test]
    fn empty_other_and_truncated_bodies_are_errors() {
        let err = parse(&gitlab(), b"").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected status.io public status JSON, got an empty body"
        );
        let err = parse(&gitlab(), br#"{"items":[],"count":0}"#).expect_err("other API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert!(err.to_string().contains("result.status_overall"), "{err}");
        let err = parse(&gitlab(), br#"{"result":{"status":[]}}"#).expect_err("no overall");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let err = parse(
            &gitlab(),
            br#"{"result":{"status_overall":{"status_code":1"#,
        )
        .expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    #[test]
    fn handmade_unknown_codes_stay_visible() {
        let body = payload("statusio-unknown-codes.json");
        let s = parse(&gitlab(), &body).expect("parses");
        assert_eq!(
            s.components.len(),
            3,
            "the entry without name or id is dropped"
        );
        let unnamed = s.components.iter().find(|c| c.id == "c3").expect("c3");
        assert_eq!(unnamed.name, "c3", "named by its id");
        let odd = s.components.iter().find(|c| c.name == "Odd").expect("Odd");
        assert_eq!(odd.status, Status::Degraded, "unknown code 900");
        let hidden = s
            .components
            .iter()
            .find(|c| c.name == "Quiet")
            .expect("Quiet");
        assert_eq!(
            hidden.status,
            Status::MajorOutage,
            "a container's outage shows on its service"
        );
        assert_eq!(s.incidents.len(), 2, "the incident without _id is skipped");
        let weird = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "inc-1")
            .expect("inc-1");
        assert_eq!(weird.phase, Phase::Unknown);
        assert_eq!(weird.impact, Impact::Minor);
        assert_eq!(weird.updates[0].id, "m-1", "the provider's id when present");
        let silent = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "inc-2")
            .expect("inc-2");
        assert_eq!(
            silent.phase,
            Phase::Investigating,
            "no message: listed, so open"
        );
        assert!(silent.updates.is_empty());
        assert_eq!(s.maintenances.len(), 1);
        assert_eq!(s.maintenances[0].phase, Phase::Scheduled);
        assert_eq!(s.status, Status::MajorOutage);
        let only_unknown = br#"{"result":{"status_overall":{"status":"??","status_code":700}}}"#;
        let s = parse(&gitlab(), only_unknown).expect("parses");
        assert_eq!(s.status, Status::Degraded, "unknown overall code");
    }

    #[test]
    fn every_cut_of_a_body_is_an_answer_not_a_panic() {
        let body = payload("statusio-unknown-codes.json");
        for end in 0..body.len() {
            let _ = parse(&gitlab(), body.get(..end).unwrap_or_default());
        }
    }

    /// A hand-made status as a vendor's small change could send it: a null service name, a
    /// containers list that is a string, an opening time that is a number, an incident id
    /// that is a number and its name an object, a message list that is a string, elements
    /// that are no objects. The page is read; each odd value is absent (or its safe
    /// default) and each odd element skipped.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let body = serde_json::json!({"result": {
            "status_overall": {"status": "Partial Service Disruption", "status_code": 400},
            "status": [
                {"id": "c1", "name": "Website", "status_code": 100,
                 "containers": [{"status_code": 400}, "AWS"]},
                {"id": "c2", "name": null, "status_code": 100, "containers": "none"},
                "not a service",
                {"id": "c3", "name": "API", "status_code": 300}
            ],
            "incidents": [
                {"_id": "i1", "name": "Website errors", "datetime_open": 1600000000,
                 "messages": [{"details": "Looking", "state": 100, "status": 400,
                               "datetime": "2020-07-16T17:22:08.369Z"}, 3],
                 "components_affected": [{"name": "Website"}, {"name": null}]},
                {"_id": 42, "name": {"en": "x"}, "messages": "none"}
            ],
            "maintenance": {"active": "none", "upcoming": [
                {"_id": "m1", "name": "Upgrade", "datetime_planned_start": "2020-09-05T10:00:00Z"}
            ]}
        }});
        let body = serde_json::to_vec(&body).expect("json");
        let s = parse(&gitlab(), &body).expect("parses");
        let components: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            components,
            [
                ("Website", Status::PartialOutage),
                ("c2", Status::Operational),
                ("API", Status::Degraded)
            ]
        );
        let incidents: Vec<(&str, &str, Phase, Impact)> = s
            .incidents
            .iter()
            .map(|i| (i.id.0.as_str(), i.title.as_str(), i.phase, i.impact))
            .collect();
        assert_eq!(
            incidents,
            [
                ("i1", "Website errors", Phase::Investigating, Impact::Major),
                ("42", "", Phase::Investigating, Impact::Minor)
            ]
        );
        assert_eq!(s.incidents[0].updates.len(), 1);
        assert_eq!(s.incidents[0].components, ["Website"]);
        assert_eq!(s.incidents[0].started_at, None);
        assert_eq!(s.maintenances.len(), 1);
        assert_eq!(s.maintenances[0].phase, Phase::Scheduled);
        assert_eq!(s.status, Status::PartialOutage);
    }
}

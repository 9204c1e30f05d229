//! Instatus `/v3/summary.json` plus `/v3/components.json`, or the legacy `/summary.json` plus `/v2/components.json`.

use super::{from_json, lenient, missing_keys, time, ParseError, Source};
use crate::model::{Component, Impact, Incident, IncidentId, Phase, Snapshot, Status};
use serde::Deserialize;
use serde_json::Value;

const EXPECTED: &str = "Instatus summary JSON";
const EXPECTED_COMPONENTS: &str = "Instatus components JSON";

// Every field is optional: Instatus leaves `activeIncidents` and `activeMaintenances`
// out entirely when there are none. Each field is read leniently too: one odd value is
// absent and one odd element skipped, never the whole page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    #[serde(default, deserialize_with = "lenient::object")]
    page: Option<Page>,
    #[serde(default, deserialize_with = "lenient::list")]
    active_incidents: Option<Vec<RawIncident>>,
    #[serde(default, deserialize_with = "lenient::list")]
    active_maintenances: Option<Vec<RawMaintenance>>,
}

#[derive(Deserialize)]
struct Page {
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIncident {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    // A string on the pages seen so far; a per-language object is read too, so that a
    // translated page does not fail the whole read.
    name: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    started: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    impact: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    updated_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMaintenance {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    name: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    start: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    updated_at: Option<String>,
}

#[derive(Deserialize)]
struct ComponentsList {
    #[serde(default, deserialize_with = "lenient::list")]
    components: Option<Vec<RawComponent>>,
}

#[derive(Deserialize)]
struct RawComponent {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    name: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    /// `/v3/components.json` nests a group's members here.
    #[serde(default, deserialize_with = "lenient::list")]
    children: Option<Vec<RawComponent>>,
    /// `/v2/components.json` lists groups and members side by side; a member names its
    /// group as `group: {"id": …}` (or a bare id) or `groupId`.
    group: Option<Value>,
    #[serde(alias = "groupId", default, deserialize_with = "lenient::text")]
    group_id: Option<String>,
}

impl RawComponent {
    fn group_ref(&self) -> Option<String> {
        let from_group = match &self.group {
            Some(Value::Object(g)) => g.get("id").and_then(super::scalar_string),
            Some(other) => super::scalar_string(other),
            None => None,
        };
        from_group.or_else(|| self.group_id.clone().filter(|g| !g.trim().is_empty()))
    }
}

/// Parses the summary and, when given, the components list. A components body that
/// does not parse is logged and left out: the summary alone decides whether the page was read.
pub fn parse(
    src: &Source<'_>,
    summary: &[u8],
    components: Option<&[u8]>,
) -> Result<Snapshot, ParseError> {
    let raw: Summary = from_json(EXPECTED, summary)?;
    // A Statuspage summary also has a `page` object, but never a `page.status` string.
    let Some(page_status) = raw.page.and_then(|p| p.status) else {
        return Err(missing_keys(EXPECTED, "the `page.status` key"));
    };

    let components = match components.map(parse_components) {
        None => Vec::new(),
        Some(Ok(list)) => list,
        Some(Err(e)) => {
            tracing::warn!(service = src.service, error = %e, "Instatus components list ignored");
            Vec::new()
        }
    };
    let incidents: Vec<Incident> = raw
        .active_incidents
        .unwrap_or_default()
        .into_iter()
        .filter_map(incident)
        .collect();
    let maintenances: Vec<Incident> = raw
        .active_maintenances
        .unwrap_or_default()
        .into_iter()
        .filter_map(maintenance)
        .collect();

    let own = page_status_of(&page_status);
    let status = super::overall_status(own, &components, &incidents, &maintenances);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: crate::model::Format::Instatus,
        page_url: src.page_url.to_owned(),
        status,
        page_status: Some(own),
        description: None,
        components,
        incidents,
        maintenances,
    })
}

fn parse_components(body: &[u8]) -> Result<Vec<Component>, ParseError> {
    let list: ComponentsList = from_json(EXPECTED_COMPONENTS, body)?;
    let raw = list
        .components
        .ok_or_else(|| missing_keys(EXPECTED_COMPONENTS, "the `components` key"))?;
    // A row that other rows name as their group only summarizes them, as a v3 group does.
    let groups: Vec<String> = raw.iter().filter_map(RawComponent::group_ref).collect();
    let raw: Vec<RawComponent> = raw
        .into_iter()
        .filter(|c| c.id.as_ref().is_none_or(|id| !groups.contains(id)))
        .collect();
    let mut out = Vec::new();
    flatten(raw, &mut out);
    Ok(out)
}

/// A component with children is a group whose own status only summarizes them.
fn flatten(raw: Vec<RawComponent>, out: &mut Vec<Component>) {
    for c in raw {
        match c.children.filter(|ch| !ch.is_empty()) {
            Some(children) => flatten(children, out),
            None => out.push(Component {
                id: c.id.unwrap_or_default(),
                name: name_of(c.name).unwrap_or_default(),
                status: component_status(c.status.as_deref()),
            }),
        }
    }
}

fn incident(raw: RawIncident) -> Option<Incident> {
    let Some(id) = raw.id.filter(|id| !id.trim().is_empty()) else {
        tracing::warn!("skipping an Instatus incident without id");
        return None;
    };
    let phase = phase(raw.status.as_deref());
    let updated_at = time(raw.updated_at.as_deref());
    Some(Incident {
        id: IncidentId(id),
        title: name_of(raw.name).unwrap_or_default(),
        phase,
        impact: impact(raw.impact.as_deref()),
        started_at: time(raw.started.as_deref()),
        scheduled_for: None,
        updated_at,
        // The summary carries no resolution time; the last change of a closed one is it.
        resolved_at: updated_at.filter(|_| phase.is_closed()),
        url: http_url(raw.url),
        components: Vec::new(),
        updates: Vec::new(),
    })
}

fn maintenance(raw: RawMaintenance) -> Option<Incident> {
    let Some(id) = raw.id.filter(|id| !id.trim().is_empty()) else {
        tracing::warn!("skipping an Instatus maintenance without id");
        return None;
    };
    let phase = maintenance_phase(raw.status.as_deref());
    let updated_at = time(raw.updated_at.as_deref());
    Some(Incident {
        id: IncidentId(id),
        title: name_of(raw.name).unwrap_or_default(),
        phase,
        impact: Impact::Maintenance,
        started_at: time(raw.start.as_deref()),
        scheduled_for: time(raw.start.as_deref()),
        updated_at,
        resolved_at: updated_at.filter(|_| phase.is_closed()),
        url: http_url(raw.url),
        components: Vec::new(),
        updates: Vec::new(),
    })
}

fn http_url(raw: Option<String>) -> Option<String> {
    raw.filter(|u| u.starts_with("https://") || u.starts_with("http://"))
}

/// A plain string, or the English (else first) text of a per-language object.
fn name_of(raw: Option<Value>) -> Option<String> {
    match raw? {
        Value::String(s) => Some(s),
        Value::Object(map) => map
            .get("en")
            .and_then(Value::as_str)
            .or_else(|| map.values().find_map(Value::as_str))
            .map(str::to_owned),
        _ => None,
    }
}

fn page_status_of(raw: &str) -> Status {
    match raw.trim().to_ascii_uppercase().as_str() {
        "UP" => Status::Operational,
        "HASISSUES" => Status::Degraded,
        "UNDERMAINTENANCE" => Status::Maintenance,
        _ => {
            tracing::warn!(
                value = raw,
                "unknown Instatus page status; shown as degraded"
            );
            Status::Degraded
        }
    }
}

fn component_status(raw: Option<&str>) -> Status {
    let Some(raw) = raw else {
        return Status::Operational;
    };
    match raw.trim().to_ascii_uppercase().as_str() {
        "OPERATIONAL" => Status::Operational,
        "UNDERMAINTENANCE" => Status::Maintenance,
        "DEGRADEDPERFORMANCE" => Status::Degraded,
        // Instatus ranks a minor outage between partial and major; it is still an outage.
        "PARTIALOUTAGE" | "MINOROUTAGE" => Status::PartialOutage,
        "MAJOROUTAGE" => Status::MajorOutage,
        _ => {
            tracing::warn!(
                value = raw,
                "unknown Instatus component status; shown as degraded"
            );
            Status::Degraded
        }
    }
}

fn impact(raw: Option<&str>) -> Impact {
    let upper = raw.map(|r| r.trim().to_ascii_uppercase());
    match upper.as_deref() {
        Some("OPERATIONAL") => Impact::None,
        Some("UNDERMAINTENANCE") => Impact::Maintenance,
        Some("DEGRADEDPERFORMANCE") => Impact::Minor,
        Some("PARTIALOUTAGE") | Some("MINOROUTAGE") => Impact::Major,
        Some("MAJOROUTAGE") => Impact::Critical,
        _ => {
            tracing::warn!(value = ?raw, "unknown Instatus incident impact; treated as minor");
            Impact::Minor
        }
    }
}

fn phase(raw: Option<&str>) -> Phase {
    let upper = raw.map(|r| r.trim().to_ascii_uppercase());
    match upper.as_deref() {
        Some("INVESTIGATING") => Phase::Investigating,
        Some("IDENTIFIED") => Phase::Identified,
        Some("MONITORING") => Phase::Monitoring,
        Some("RESOLVED") => Phase::Resolved,
        _ => {
            tracing::warn!(value = ?raw, "unknown Instatus incident status; treated as open");
            Phase::Unknown
        }
    }
}

fn maintenance_phase(raw: Option<&str>) -> Phase {
    let upper = raw.map(|r| r.trim().to_ascii_uppercase());
    match upper.as_deref() {
        Some("NOTSTARTEDYET") => Phase::Scheduled,
        Some("INPROGRESS") => Phase::InProgress,
        Some("COMPLETED") => Phase::Completed,
        _ => {
            tracing::warn!(value = ?raw, "unknown Instatus maintenance status; treated as open");
            Phase::Unknown
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    fn page() -> Source<'static> {
        src("Acme", "https://status.acme.example")
    }

    #[test]
    fn legacy_summary_with_v2_components_that_name_their_group() {
        let summary = payload("instatus-summary-operational.json");
        let components = payload("instatus-v2-components.json");
        let s = parse(&page(), &summary, Some(&components)).expect("parses");
        // "Frontend" is the group that Web App and Mobile name: it only summarizes them.
        let got: Vec<(&str, &str, Status)> = s
            .components
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            got,
            [
                ("cm2api000", "API", Status::MajorOutage),
                ("cm2web000", "Web App", Status::Operational),
                ("cm2mob000", "Mobile", Status::Degraded),
            ]
        );
        assert_eq!(
            s.status,
            Status::MajorOutage,
            "the page says UP; API is down"
        );
    }

    #[test]
    fn v3_summary_with_incidents_maintenances_and_components() {
        let summary = payload("instatus-v3-summary-incident.json");
        let components = payload("instatus-v3-components.json");
        let s = parse(&page(), &summary, Some(&components)).expect("parses");
        assert_eq!(s.service, "Acme");
        assert_eq!(s.format, crate::model::Format::Instatus);
        assert_eq!(s.page_url, "https://status.acme.example");

        // The "Platform" group is replaced by its two children.
        let names: Vec<&str> = s.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["Website", "API", "Dashboard", "Webhooks"]);
        assert_eq!(s.components[1].id, "cm1api000");
        assert_eq!(s.components[1].status, Status::MajorOutage);
        assert_eq!(s.components[2].status, Status::Degraded);
        assert_eq!(s.components[3].status, Status::PartialOutage, "MINOROUTAGE");

        assert_eq!(s.incidents.len(), 2);
        let open = &s.incidents[0];
        assert_eq!(open.id.0, "cm1inc0001");
        assert_eq!(open.title, "API requests failing");
        assert_eq!(open.phase, Phase::Identified);
        assert_eq!(open.impact, Impact::Critical);
        assert_eq!(
            open.started_at.map(|t| t.to_rfc3339()),
            Some("2026-09-03T14:02:11.412+00:00".to_owned())
        );
        assert_eq!(
            open.updated_at.map(|t| t.to_rfc3339()),
            Some("2026-09-03T14:31:40+00:00".to_owned())
        );
        assert_eq!(open.resolved_at, None);
        assert_eq!(
            open.url.as_deref(),
            Some("https://status.acme.example/incident/cm1inc0001")
        );
        let closed = &s.incidents[1];
        assert_eq!(closed.id.0, "cm1inc0000");
        assert_eq!(closed.phase, Phase::Resolved);
        assert_eq!(closed.impact, Impact::Major);
        assert_eq!(
            closed.resolved_at.map(|t| t.to_rfc3339()),
            Some("2026-09-03T13:10:00+00:00".to_owned())
        );

        assert_eq!(s.maintenances.len(), 2);
        assert_eq!(s.maintenances[0].title, "Database upgrade");
        assert_eq!(s.maintenances[0].phase, Phase::InProgress);
        assert_eq!(s.maintenances[0].impact, Impact::Maintenance);
        assert_eq!(s.maintenances[1].phase, Phase::Scheduled);
        assert_eq!(
            s.maintenances[1].started_at.map(|t| t.to_rfc3339()),
            Some("2026-09-10T02:00:00+00:00".to_owned())
        );

        // Page says HASISSUES (degraded); the major outage of API wins.
        assert_eq!(s.status, Status::MajorOutage);
        assert_eq!(s.open_incidents().count(), 1);
    }

    #[test]
    fn legacy_summary_without_active_lists_is_operational() {
        let body = payload("instatus-summary-operational.json");
        let s = parse(&page(), &body, None).expect("parses");
        assert_eq!(s.status, Status::Operational);
        assert!(s.incidents.is_empty());
        assert!(s.maintenances.is_empty());
        assert!(s.components.is_empty());
    }

    #[test]
    fn page_status_alone_decides_when_nothing_is_listed() {
        let s = parse(
            &page(),
            br#"{"page":{"name":"A","status":"HASISSUES"}}"#,
            None,
        )
        .expect("parses");
        assert_eq!(s.status, Status::Degraded);
        let s = parse(
            &page(),
            br#"{"page":{"status":"UNDERMAINTENANCE"},"activeIncidents":null}"#,
            None,
        )
        .expect("parses");
        assert_eq!(s.status, Status::Maintenance);
    }

    #[test]
    fn unreadable_components_are_ignored() {
        let summary = payload("instatus-summary-operational.json");
        for bad in [
            &b"<!DOCTYPE html><html><body>404</body></html>"[..],
            br#"{"items":[]}"#,
            br#"{"components":[{"#,
        ] {
            let s = parse(&page(), &summary, Some(bad)).expect("the summary decides");
            assert_eq!(s.status, Status::Operational);
            assert!(s.components.is_empty());
        }
    }

    #[test]
    fn html_empty_and_truncated_bodies_are_errors() {
        let err = parse(
            &page(),
            b"<!DOCTYPE html><html><body>Not found</body></html>",
            None,
        )
        .expect_err("HTML");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected Instatus summary JSON, got an HTML page"
        );
        let err = parse(&page(), b"", None).expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected Instatus summary JSON, got an empty body"
        );
        let err =
            parse(&page(), br#"{"page":{"status":"UP"},"activeInc"#, None).expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    #[test]
    fn other_json_is_an_error() {
        let err = parse(&page(), br#"{"items":[],"count":0}"#, None).expect_err("other");
        assert!(
            err.to_string().contains("without the `page.status` key"),
            "{err}"
        );
        // A Statuspage summary has `page` too, but is not Instatus.
        let Some(body) = fixture("statuspage/github-summary-2026-07-01-operational.json") else {
            return;
        };
        let err = parse(&page(), &body, None).expect_err("Statuspage is not Instatus");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
    }

    #[test]
    fn handmade_unknown_values_stay_visible() {
        let summary = payload("instatus-unknowns.json");
        let components = br#"{"components":[{"id":"c1","name":"Edge","status":"SMOKING"}]}"#;
        let s = parse(&page(), &summary, Some(components)).expect("parses");
        assert_eq!(s.components.len(), 1);
        assert_eq!(s.components[0].status, Status::Degraded);
        assert_eq!(s.incidents.len(), 1, "the incident without id is skipped");
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "weird1");
        assert_eq!(i.title, "Something odd", "per-language name");
        assert_eq!(i.phase, Phase::Unknown);
        assert!(!i.phase.is_closed());
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(i.url, None, "a javascript: URL is dropped");
        assert_eq!(i.started_at, None, "an unreadable time is dropped");
        assert_eq!(s.maintenances.len(), 1);
        assert_eq!(s.maintenances[0].phase, Phase::Unknown);
        assert_eq!(s.status, Status::Degraded);
        assert_ne!(s.status, Status::Operational);
    }

    /// A hand-made summary and components list as a vendor's small change could send
    /// them: a start time and a status that are numbers, a link that is a list, a null
    /// name, a maintenance list that is an object, elements that are no objects. The page
    /// is read; each odd value is absent (or its safe default) and each odd element skipped.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let summary = serde_json::json!({
            "page": {"name": "Acme", "status": "HASISSUES"},
            "activeIncidents": [
                {"id": "i1", "name": "API down", "started": 1700000000, "status": "INVESTIGATING",
                 "impact": "MAJOROUTAGE", "url": ["https://status.acme.example/incident/i1"]},
                "not an incident",
                {"id": 42, "name": null, "status": "IDENTIFIED", "impact": null}
            ],
            "activeMaintenances": {"unexpected": true}
        });
        let components = serde_json::json!({"components": [
            {"id": "c1", "name": "API", "status": 3},
            5,
            {"id": "c2", "name": "Web", "status": "OPERATIONAL", "children": "none", "groupId": 9}
        ]});
        let summary = serde_json::to_vec(&summary).expect("json");
        let components = serde_json::to_vec(&components).expect("json");
        let s = parse(&page(), &summary, Some(&components)).expect("parses");
        let got: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        // The status that is a number is unknown, so degraded (never operational).
        assert_eq!(
            got,
            [("API", Status::Degraded), ("Web", Status::Operational)]
        );
        let incidents: Vec<(&str, &str, Impact)> = s
            .incidents
            .iter()
            .map(|i| (i.id.0.as_str(), i.title.as_str(), i.impact))
            .collect();
        assert_eq!(
            incidents,
            [
                ("i1", "API down", Impact::Critical),
                ("42", "", Impact::Minor)
            ]
        );
        assert_eq!(s.incidents[0].started_at, None);
        assert_eq!(s.incidents[0].url, None);
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::MajorOutage);
    }
}

//! Atlassian Statuspage v2 `summary.json`, including incident.io's compatible variant.

use super::timeline::{self, Listed};
use super::{from_json, lenient, missing_keys, time, History, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use serde::Deserialize;

const EXPECTED: &str = "Statuspage summary JSON";

// Every field is optional and every list may be `null`: incident.io's compatible
// API drops empty lists and keys that Atlassian always sends. Each field is read
// leniently: one odd value is absent and one odd element skipped, never the whole page.
#[derive(Deserialize)]
struct Summary {
    #[serde(default, deserialize_with = "lenient::object")]
    page: Option<Page>,
    #[serde(default, deserialize_with = "lenient::object")]
    status: Option<PageStatus>,
    #[serde(default, deserialize_with = "lenient::list")]
    components: Option<Vec<RawComponent>>,
    #[serde(default, deserialize_with = "lenient::list")]
    incidents: Option<Vec<RawIncident>>,
    #[serde(default, deserialize_with = "lenient::list")]
    scheduled_maintenances: Option<Vec<RawIncident>>,
}

#[derive(Deserialize)]
struct Page {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    time_zone: Option<String>,
}

#[derive(Deserialize)]
struct PageStatus {
    #[serde(default, deserialize_with = "lenient::text")]
    indicator: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    description: Option<String>,
}

#[derive(Deserialize)]
struct RawComponent {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    group: Option<bool>,
}

#[derive(Deserialize)]
struct RawIncident {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    impact: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    started_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    updated_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    resolved_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    scheduled_for: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    shortlink: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    components: Option<Vec<NamedComponent>>,
    #[serde(default, deserialize_with = "lenient::list")]
    incident_updates: Option<Vec<RawUpdate>>,
}

#[derive(Deserialize)]
struct NamedComponent {
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawUpdate {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    body: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    display_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    affected_components: Option<Vec<NamedComponent>>,
}

/// Parses `summary.json`. The format field says `incidentio` when the page is incident.io's.
pub fn parse_summary(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let summary: Summary = from_json(EXPECTED, body)?;
    // Any JSON object deserializes into all-optional fields; require the two keys
    // every Statuspage summary has, so that some other API's JSON is not "operational".
    let (Some(page), Some(page_status)) = (summary.page, summary.status) else {
        return Err(missing_keys(EXPECTED, "the `page` and `status` keys"));
    };
    let page_url = src.page_url;
    let service = src.service;

    let is_incidentio = page.time_zone.is_none() && page.id.as_deref().is_some_and(looks_like_ulid);
    let link_base = link_base(page.url.as_deref(), page_url);

    let components = components(summary.components.unwrap_or_default());

    let incidents: Vec<Incident> = summary
        .incidents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| incident(raw, &link_base, false))
        .collect();
    let maintenances: Vec<Incident> = summary
        .scheduled_maintenances
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| incident(raw, &link_base, true))
        .collect();

    let own = indicator_status(page_status.indicator.as_deref());
    let status = super::overall_status(own, &components, &incidents, &maintenances);

    Ok(Snapshot {
        service: service.to_owned(),
        format: if is_incidentio {
            super::Format::Incidentio
        } else {
            super::Format::Statuspage
        },
        page_url: page_url.to_owned(),
        status,
        page_status: Some(own),
        description: page_status.description,
        components,
        incidents,
        maintenances,
    })
}

fn incident(raw: RawIncident, link_base: &str, maintenance: bool) -> Option<Incident> {
    let Some(id) = raw.id.filter(|id| !id.is_empty()) else {
        tracing::warn!("skipping an incident without id");
        return None;
    };
    let mut updates: Vec<IncidentUpdate> = Vec::new();
    let mut update_components: Vec<String> = Vec::new();
    for u in raw.incident_updates.unwrap_or_default() {
        for c in u.affected_components.unwrap_or_default() {
            if let Some(name) = c.name {
                if !update_components.contains(&name) {
                    update_components.push(name);
                }
            }
        }
        updates.push(IncidentUpdate {
            id: u.id.unwrap_or_default(),
            phase: phase(u.status.as_deref()),
            body: u.body.unwrap_or_default(),
            at: time(u.display_at.as_deref()).or_else(|| time(u.created_at.as_deref())),
        });
    }
    // Statuspage lists updates newest first; the timeline reads oldest first.
    timeline::oldest_first(&mut updates, |u| u.at, Listed::NewestFirst, None);

    let mut components: Vec<String> = raw
        .components
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| c.name)
        .collect();
    if components.is_empty() {
        components = update_components;
    }

    let phase = phase(raw.status.as_deref());
    let impact = match raw.impact.as_deref() {
        None if maintenance => Impact::Maintenance,
        other => impact(other),
    };
    let url = raw
        .shortlink
        .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
        .or_else(|| Some(format!("{link_base}/incidents/{id}")));
    Some(Incident {
        id: IncidentId(id),
        title: raw.name.unwrap_or_default(),
        phase,
        impact,
        started_at: time(raw.started_at.as_deref())
            .or_else(|| time(raw.scheduled_for.as_deref()))
            .or_else(|| time(raw.created_at.as_deref())),
        // Statuspage sets `started_at` when the notice is posted; the window is this.
        scheduled_for: time(raw.scheduled_for.as_deref()).filter(|_| maintenance),
        updated_at: time(raw.updated_at.as_deref()),
        resolved_at: time(raw.resolved_at.as_deref()),
        url,
        components,
        updates,
    })
}

fn link_base(page_link: Option<&str>, page_url: &str) -> String {
    page_link
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or(page_url)
        .trim_end_matches('/')
        .to_owned()
}

fn components(raw: Vec<RawComponent>) -> Vec<Component> {
    raw.into_iter()
        // Group rows only summarize their children.
        .filter(|c| c.group != Some(true))
        // A component without a name cannot be shown or followed.
        .filter_map(|c| {
            Some(Component {
                name: c.name.filter(|n| !n.trim().is_empty())?,
                id: c.id.unwrap_or_default(),
                status: component_status(c.status.as_deref()),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct ComponentsList {
    #[serde(default, deserialize_with = "lenient::list")]
    components: Option<Vec<RawComponent>>,
}

const EXPECTED_COMPONENTS: &str = "Statuspage components JSON";

/// Parses `components.json` (incident.io's summary can leave some out).
pub fn parse_components(body: &[u8]) -> Result<Vec<Component>, ParseError> {
    let list: ComponentsList = from_json(EXPECTED_COMPONENTS, body)?;
    let raw = list
        .components
        .ok_or_else(|| missing_keys(EXPECTED_COMPONENTS, "the `components` key"))?;
    Ok(components(raw))
}

#[derive(Deserialize)]
struct IncidentsList {
    #[serde(default, deserialize_with = "lenient::object")]
    page: Option<Page>,
    #[serde(default, deserialize_with = "lenient::list")]
    incidents: Option<Vec<RawIncident>>,
    #[serde(default, deserialize_with = "lenient::list")]
    scheduled_maintenances: Option<Vec<RawIncident>>,
}

const EXPECTED_INCIDENTS: &str = "Statuspage incidents JSON";

/// Parses `incidents.json`, `incidents/unresolved.json` or `scheduled-maintenances.json`:
/// the recent history a new user sees at once.
pub fn parse_incidents(src: &Source<'_>, body: &[u8]) -> Result<History, ParseError> {
    let list: IncidentsList = from_json(EXPECTED_INCIDENTS, body)?;
    if list.incidents.is_none() && list.scheduled_maintenances.is_none() {
        return Err(missing_keys(
            EXPECTED_INCIDENTS,
            "an `incidents` or `scheduled_maintenances` list",
        ));
    }
    let link_base = link_base(
        list.page.as_ref().and_then(|p| p.url.as_deref()),
        src.page_url,
    );
    Ok(History {
        incidents: list
            .incidents
            .unwrap_or_default()
            .into_iter()
            .filter_map(|raw| incident(raw, &link_base, false))
            .collect(),
        maintenances: list
            .scheduled_maintenances
            .unwrap_or_default()
            .into_iter()
            .filter_map(|raw| incident(raw, &link_base, true))
            .collect(),
    })
}

fn looks_like_ulid(id: &str) -> bool {
    id.len() == 26 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

fn indicator_status(raw: Option<&str>) -> Status {
    match raw {
        None | Some("none") => Status::Operational,
        Some("minor") => Status::Degraded,
        Some("major") => Status::PartialOutage,
        Some("critical") => Status::MajorOutage,
        Some("maintenance") => Status::Maintenance,
        Some(other) => {
            tracing::warn!(value = other, "unknown status indicator; shown as degraded");
            Status::Degraded
        }
    }
}

pub(crate) fn component_status(raw: Option<&str>) -> Status {
    match raw {
        None | Some("operational") => Status::Operational,
        Some("under_maintenance") => Status::Maintenance,
        Some("degraded_performance") => Status::Degraded,
        Some("partial_outage") => Status::PartialOutage,
        Some("major_outage") | Some("full_outage") => Status::MajorOutage,
        Some(other) => {
            tracing::warn!(value = other, "unknown component status; shown as degraded");
            Status::Degraded
        }
    }
}

pub(crate) fn phase(raw: Option<&str>) -> Phase {
    match raw {
        Some("investigating") => Phase::Investigating,
        Some("identified") => Phase::Identified,
        Some("monitoring") => Phase::Monitoring,
        Some("resolved") => Phase::Resolved,
        Some("postmortem") => Phase::Postmortem,
        Some("scheduled") => Phase::Scheduled,
        Some("in_progress") => Phase::InProgress,
        Some("verifying") => Phase::Verifying,
        Some("completed") => Phase::Completed,
        other => {
            tracing::warn!(value = ?other, "unknown incident status; treated as open");
            Phase::Unknown
        }
    }
}

pub(crate) fn impact(raw: Option<&str>) -> Impact {
    match raw {
        Some("none") => Impact::None,
        Some("minor") => Impact::Minor,
        Some("major") => Impact::Major,
        Some("critical") => Impact::Critical,
        Some("maintenance") => Impact::Maintenance,
        other => {
            tracing::warn!(value = ?other, "unknown incident impact; treated as minor");
            Impact::Minor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    #[test]
    fn github_2022_open_incident() {
        let Some(body) = fixture("statuspage/github-summary-2022-11-25.json") else {
            return;
        };
        let s =
            parse_summary(&src("GitHub", "https://www.githubstatus.com"), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Statuspage);
        assert_eq!(s.components.len(), 11);
        assert_eq!(s.description.as_deref(), Some("Minor Service Outage"));
        let packages = s
            .components
            .iter()
            .find(|c| c.name == "Packages")
            .expect("Packages");
        assert_eq!(packages.status, Status::PartialOutage);
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "ljwdk6qml8z8");
        assert_eq!(i.title, "Incident with Packages and Pages");
        assert_eq!(i.phase, Phase::Investigating);
        assert_eq!(i.impact, Impact::Major);
        assert_eq!(i.url.as_deref(), Some("https://stspg.io/33vh8r7z43kh"));
        assert_eq!(i.components, vec!["Packages", "Pages"]);
        assert_eq!(i.updates.len(), 7);
        assert!(
            i.updates.windows(2).all(|w| w[0].at <= w[1].at),
            "oldest first"
        );
        assert_eq!(
            i.started_at.map(|t| t.to_rfc3339()),
            Some("2022-11-25T14:39:09.542+00:00".to_owned()),
            "started_at, not created_at"
        );
        // Indicator says minor, but a major incident is open: the worst wins.
        assert_eq!(s.status, Status::PartialOutage);
    }

    #[test]
    fn openai_incidentio_compat_all_operational() {
        let Some(body) = fixture("incidentio/openai-statuspage-compat-summary-2026-07-09.json")
        else {
            return;
        };
        let s = parse_summary(&src("OpenAI", "https://status.openai.com"), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Incidentio);
        assert_eq!(s.components.len(), 25);
        assert!(s.components.iter().all(|c| c.status == Status::Operational));
        assert_eq!(s.components[0].name, "Images");
        assert_eq!(s.components[0].id, "01JMXBRMFE4MAP2BHSJNZ787WX");
        assert!(s.incidents.is_empty());
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn operational_atlassian_pages() {
        for (file, name, count) in [
            (
                "statuspage/atlassian-jira-summary-2026-09-02-operational.json",
                "Jira",
                11,
            ),
            (
                "statuspage/dropbox-summary-2024-01-03-operational.json",
                "Dropbox",
                11,
            ),
            (
                "statuspage/github-summary-2026-07-01-operational.json",
                "GitHub",
                12,
            ),
        ] {
            let Some(body) = fixture(file) else { return };
            let s = parse_summary(&src(name, "https://example.com"), &body).expect(file);
            assert_eq!(s.format, crate::model::Format::Statuspage, "{file}");
            assert_eq!(s.components.len(), count, "{file}");
            assert_eq!(s.status, Status::Operational, "{file}");
            assert_eq!(s.open_incidents().count(), 0, "{file}");
        }
    }

    #[test]
    fn discord_trimmed_summary() {
        let Some(body) = fixture("statuspage/discord-summary-2022-02-15-trimmed.json") else {
            return;
        };
        let s = parse_summary(&src("Discord", "https://discordstatus.com"), &body).expect("parses");
        assert_eq!(s.components.len(), 1);
        assert_eq!(s.components[0].name, "South Korea");
        assert_eq!(s.status, Status::Operational);
        assert_eq!(s.description.as_deref(), Some("All Systems Operational"));
    }

    #[test]
    fn docs_example_with_maintenances() {
        let Some(body) = fixture("statuspage/statuspage-docs-example-summary-github-edited.json")
        else {
            return;
        };
        let s =
            parse_summary(&src("GitHub", "https://www.githubstatus.com"), &body).expect("parses");
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].title, "Unplanned Database Outage");
        assert_eq!(s.incidents[0].phase, Phase::Identified);
        assert_eq!(s.incidents[0].impact, Impact::Critical);
        assert_eq!(s.maintenances.len(), 2);
        assert!(s.maintenances.iter().any(|m| m.phase == Phase::InProgress));
        assert!(s.maintenances.iter().any(|m| m.phase == Phase::Scheduled));
        assert_eq!(s.status, Status::MajorOutage);
    }

    /// A notice posted days ahead: `started_at` is when it was posted, `scheduled_for` the
    /// window; incidents have no planned start.
    #[test]
    fn a_scheduled_maintenance_keeps_its_planned_start() {
        let body = serde_json::json!({
            "page": {"id": "p1", "url": "https://www.githubstatus.com", "time_zone": "Etc/UTC"},
            "status": {"indicator": "none", "description": "All Systems Operational"},
            "components": [],
            "incidents": [{"id": "i1", "name": "Slow", "status": "investigating",
                "impact": "minor", "started_at": "2026-11-26T09:00:00Z",
                "scheduled_for": "2026-11-26T09:30:00Z"}],
            "scheduled_maintenances": [{"id": "m1", "name": "Upgrade", "status": "scheduled",
                "impact": "maintenance", "started_at": "2026-11-24T10:00:00Z",
                "scheduled_for": "2026-11-26T14:00:00Z",
                "scheduled_until": "2026-11-26T15:00:00Z"}]
        });
        let s = parse_summary(
            &src("GitHub", "https://www.githubstatus.com"),
            body.to_string().as_bytes(),
        )
        .expect("parses");
        let m = &s.maintenances[0];
        assert_eq!(m.phase, Phase::Scheduled);
        assert_eq!(
            m.scheduled_for.map(|t| t.to_rfc3339()),
            Some("2026-11-26T14:00:00+00:00".to_owned())
        );
        assert_eq!(s.incidents[0].scheduled_for, None);
    }

    #[test]
    fn html_with_status_200_is_an_error() {
        let err = parse_summary(
            &src("X", "https://x"),
            b"<!DOCTYPE html><html><body>moved</body></html>",
        )
        .expect_err("HTML is not a summary");
        assert_eq!(
            err.to_string(),
            "expected Statuspage summary JSON, got an HTML page"
        );
    }

    #[test]
    fn other_json_is_an_error() {
        let err = parse_summary(&src("X", "https://x"), br#"{"items":[],"count":0}"#)
            .expect_err("not a summary");
        assert!(
            err.to_string()
                .contains("without the `page` and `status` keys"),
            "{err}"
        );
        // A `page` that is no object is no Statuspage page (an odd field inside one is fine).
        let err = parse_summary(&src("X", "https://x"), br#"{"page": 3, "status": {}}"#)
            .expect_err("page must be an object");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let err = parse_summary(&src("X", "https://x"), br#"{"page":{"#).expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    /// A hand-made summary as a vendor's small change could send it: a component whose
    /// status is a number, one whose name is null, one that is no object, a list of
    /// updates that is a string, an incident id that is a number. The page is read; each
    /// odd value is absent (or its safe default) and each odd element skipped.
    fn odd_summary() -> serde_json::Value {
        serde_json::json!({
            "page": {"id": "p", "name": "Odd", "url": "https://status.example.com", "time_zone": "Etc/UTC"},
            "status": {"indicator": "minor", "description": "Partial"},
            "components": [
                {"id": "c1", "name": "API", "status": 3, "group": false},
                {"id": "c2", "name": null, "status": "operational", "group": false},
                "not a component",
                {"id": "c3", "name": "Web", "status": "partial_outage", "group": "false"}
            ],
            "incidents": [
                {"id": "i1", "name": "Errors", "status": "investigating", "impact": "minor",
                 "created_at": "2026-11-26T05:12:00.000Z", "resolved_at": null,
                 "components": [{"name": "Web"}],
                 "incident_updates": [{"id": "u1", "status": "investigating", "body": "Looking",
                                       "created_at": "2026-11-26T05:12:00.000Z", "affected_components": 7}]},
                {"id": 42, "name": "Slow", "status": "identified", "impact": ["major"],
                 "incident_updates": "none"}
            ],
            "scheduled_maintenances": {"unexpected": true}
        })
    }

    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let body = serde_json::to_vec(&odd_summary()).expect("json");
        let s = parse_summary(&src("Odd", "https://status.example.com"), &body).expect("parses");
        let components: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        // The unknown status shows as degraded (never hidden as operational).
        assert_eq!(
            components,
            [("API", Status::Degraded), ("Web", Status::PartialOutage)]
        );
        let incidents: Vec<(&str, &str, Impact)> = s
            .incidents
            .iter()
            .map(|i| (i.id.0.as_str(), i.title.as_str(), i.impact))
            .collect();
        assert_eq!(
            incidents,
            // An impact that is no word reads as minor, like any unknown one.
            [
                ("i1", "Errors", Impact::Minor),
                ("42", "Slow", Impact::Minor)
            ]
        );
        assert_eq!(s.incidents[0].updates.len(), 1);
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::PartialOutage);
    }

    mod odd_values {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any one field of any component, incident or update replaced by any JSON value:
            /// the page still parses, and every other incident is still there.
            #[test]
            fn any_one_odd_value_keeps_the_rest(
                which in 0usize..3,
                index in 0usize..2,
                field in proptest::sample::select(vec![
                    "id", "name", "status", "impact", "created_at", "resolved_at", "components",
                    "incident_updates", "group", "shortlink", "started_at", "body",
                ]),
                value in proptest::prop_oneof![
                    proptest::strategy::Just(serde_json::Value::Null),
                    proptest::num::i64::ANY.prop_map(serde_json::Value::from),
                    proptest::bool::ANY.prop_map(serde_json::Value::from),
                    ".{0,12}".prop_map(serde_json::Value::from),
                    proptest::strategy::Just(serde_json::json!([1, {"a": null}])),
                    proptest::strategy::Just(serde_json::json!({"x": [true]})),
                ],
            ) {
                let mut page = odd_summary();
                // A component, an incident, or the first incident's first update.
                let target = match which {
                    0 => page.get_mut("components").and_then(|l| l.get_mut(index)),
                    1 => page.get_mut("incidents").and_then(|l| l.get_mut(index)),
                    _ => page
                        .get_mut("incidents")
                        .and_then(|l| l.get_mut(0))
                        .and_then(|i| i.get_mut("incident_updates"))
                        .and_then(|u| u.get_mut(0)),
                };
                if let Some(obj) = target.and_then(|t| t.as_object_mut()) {
                    obj.insert(field.to_owned(), value);
                }
                let body = serde_json::to_vec(&page).expect("json");
                let s = parse_summary(&src("Odd", "https://status.example.com"), &body)
                    .expect("one odd value never rejects the page");
                // The incident not touched is always read.
                let untouched = if which == 1 { 1 - index } else { 1 };
                let want = ["i1", "42"][untouched];
                prop_assert!(
                    s.incidents.iter().any(|i| i.id.0 == want),
                    "{want} missing from {:?}",
                    s.incidents.iter().map(|i| &i.id.0).collect::<Vec<_>>()
                );
            }
        }
    }

    #[test]
    fn handmade_nulls_and_unknown_values() {
        let body = payload("statuspage-nulls-and-unknowns.json");
        let s = parse_summary(&src("Hand", "https://status.example.com"), &body).expect("parses");
        // Unknown indicator and component status are shown, not hidden as operational.
        assert_eq!(s.status, Status::Degraded);
        assert_eq!(s.components.len(), 2, "the group row is dropped");
        assert_eq!(s.components[1].status, Status::Degraded);
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.phase, Phase::Unknown);
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.example.com/incidents/inc1")
        );
        assert_eq!(i.started_at, None, "an unreadable time is dropped");
        assert!(s.maintenances.is_empty());
    }

    #[test]
    fn github_components_list() {
        let Some(body) = fixture("statuspage/github-components-2024-09-17-trimmed.json") else {
            return;
        };
        let c = parse_components(&body).expect("parses");
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Git Operations", "Webhooks"]);
        assert_eq!(c[0].id, "8l4ygp009s5s");
        assert!(c.iter().all(|c| c.status == Status::Operational));
        let err = parse_components(b"<html><body>x</body></html>").expect_err("HTML");
        assert!(err.to_string().contains("an HTML page"), "{err}");
    }

    #[test]
    fn github_incidents_history() {
        let Some(body) = fixture("statuspage/github-incidents-2024-09-17-trimmed.json") else {
            return;
        };
        let h =
            parse_incidents(&src("GitHub", "https://www.githubstatus.com"), &body).expect("parses");
        assert!(h.maintenances.is_empty());
        let ids: Vec<&str> = h.incidents.iter().map(|i| i.id.0.as_str()).collect();
        assert_eq!(ids, ["69sb0f8lydp4", "r3x7x31k7nn1"]);
        let pages = &h.incidents[0];
        assert_eq!(pages.title, "Incident with Pages and Actions");
        assert_eq!(pages.phase, Phase::Resolved);
        assert_eq!(pages.impact, Impact::Major);
        assert_eq!(pages.components, ["Actions", "Pages"]);
        assert_eq!(pages.updates.len(), 6);
        assert_eq!(pages.updates[0].phase, Phase::Investigating, "oldest first");
        assert_eq!(pages.updates[5].phase, Phase::Resolved);
        assert_eq!(
            pages.resolved_at.map(|t| t.to_rfc3339()),
            Some("2024-09-16T22:08:39.333+00:00".to_owned())
        );
        let ssh = &h.incidents[1];
        assert_eq!(ssh.impact, Impact::Minor);
        assert_eq!(ssh.updates.len(), 6);
    }

    #[test]
    fn discord_incidents_with_offsets_and_unresolved_list() {
        let Some(body) = fixture("statuspage/discord-incidents-2022-02-15-trimmed.json") else {
            return;
        };
        let h =
            parse_incidents(&src("Discord", "https://discordstatus.com"), &body).expect("parses");
        assert_eq!(h.incidents.len(), 1);
        let i = &h.incidents[0];
        assert_eq!(i.id.0, "n4njzfn1mqy0");
        assert_eq!(i.title, "Messaging issues");
        assert_eq!(i.phase, Phase::Resolved);
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(i.components, ["API"]);
        // -08:00 in the payload, UTC here.
        assert_eq!(
            i.resolved_at.map(|t| t.to_rfc3339()),
            Some("2022-02-15T21:37:37.388+00:00".to_owned())
        );
        let Some(body) = fixture("statuspage/discord-incidents-unresolved-2022-02-15.json") else {
            return;
        };
        let h =
            parse_incidents(&src("Discord", "https://discordstatus.com"), &body).expect("parses");
        assert!(h.incidents.is_empty());
    }

    #[test]
    fn scheduled_maintenances_lists() {
        let Some(body) =
            fixture("statuspage/anthropic-claude-scheduled-maintenances-2026-09-15.json")
        else {
            return;
        };
        let h =
            parse_incidents(&src("Anthropic", "https://status.claude.com"), &body).expect("parses");
        assert!(h.incidents.is_empty());
        let ids: Vec<&str> = h.maintenances.iter().map(|m| m.id.0.as_str()).collect();
        assert_eq!(ids, ["x017628t2rl5", "16z0qdmy3qv2"]);
        let m = &h.maintenances[1];
        assert_eq!(
            m.title,
            "Scheduled maintenance for Claude.ai and Anthropic Console"
        );
        assert_eq!(m.phase, Phase::Completed);
        assert_eq!(m.impact, Impact::Maintenance);
        assert_eq!(
            m.components,
            ["claude.ai", "Claude Console (platform.claude.com)"]
        );
        let phases = |m: &Incident| m.updates.iter().map(|u| u.phase).collect::<Vec<_>>();
        // Posted twice as scheduled (a reminder), then started and finished.
        assert_eq!(
            phases(m),
            [
                Phase::Scheduled,
                Phase::Scheduled,
                Phase::InProgress,
                Phase::Completed
            ]
        );
        assert_eq!(
            phases(&h.maintenances[0]),
            [
                Phase::Scheduled,
                Phase::InProgress,
                Phase::Verifying,
                Phase::Completed
            ]
        );
        let Some(body) = fixture("statuspage/discord-scheduled-maintenances-2022-trimmed.json")
        else {
            return;
        };
        let h =
            parse_incidents(&src("Discord", "https://discordstatus.com"), &body).expect("parses");
        assert_eq!(h.maintenances.len(), 1);
        assert_eq!(h.maintenances[0].title, "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice");
        assert_eq!(h.maintenances[0].phase, Phase::Completed);
    }

    #[test]
    fn status_json_reads_as_a_summary_without_components() {
        for file in [
            "statuspage/discord-status-2022-02-15.json",
            "statuspage/github-status-2023-09-26.json",
        ] {
            let Some(body) = fixture(file) else { return };
            let s = parse_summary(&src("X", "https://x.example"), &body).expect(file);
            assert_eq!(s.status, Status::Operational, "{file}");
            assert_eq!(s.description.as_deref(), Some("All Systems Operational"));
            assert!(s.components.is_empty() && s.incidents.is_empty(), "{file}");
        }
    }

    #[test]
    fn metrics_endpoint_is_not_a_status() {
        let Some(body) = fixture("statuspage/discord-metrics-display-day-undocumented.json") else {
            return;
        };
        let err = parse_summary(&src("Discord", "https://discordstatus.com"), &body)
            .expect_err("metrics are not a summary");
        assert_eq!(
            err.to_string(),
            "expected Statuspage summary JSON, got JSON without the `page` and `status` keys"
        );
        let err = parse_incidents(&src("Discord", "https://discordstatus.com"), &body)
            .expect_err("nor an incident list");
        assert!(err.to_string().contains("`incidents`"), "{err}");
    }
}

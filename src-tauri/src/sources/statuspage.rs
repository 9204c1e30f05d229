//! Atlassian Statuspage v2 `summary.json`, including incident.io's compatible variant.

use super::timeline::{self, Listed};
use super::{from_json, missing_keys, time, History, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use serde::Deserialize;

const EXPECTED: &str = "Statuspage summary JSON";

// Every field is optional and every list may be `null`: incident.io's compatible
// API drops empty lists and keys that Atlassian always sends.
#[derive(Deserialize)]
struct Summary {
    page: Option<Page>,
    status: Option<PageStatus>,
    components: Option<Vec<RawComponent>>,
    incidents: Option<Vec<RawIncident>>,
    scheduled_maintenances: Option<Vec<RawIncident>>,
}

#[derive(Deserialize)]
struct Page {
    id: Option<String>,
    url: Option<String>,
    time_zone: Option<String>,
}

#[derive(Deserialize)]
struct PageStatus {
    indicator: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    group: Option<bool>,
}

#[derive(Deserialize)]
struct RawIncident {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    impact: Option<String>,
    created_at: Option<String>,
    started_at: Option<String>,
    updated_at: Option<String>,
    resolved_at: Option<String>,
    scheduled_for: Option<String>,
    shortlink: Option<String>,
    components: Option<Vec<NamedComponent>>,
    incident_updates: Option<Vec<RawUpdate>>,
}

#[derive(Deserialize)]
struct NamedComponent {
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawUpdate {
    id: Option<String>,
    status: Option<String>,
    body: Option<String>,
    display_at: Option<String>,
    created_at: Option<String>,
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
        .map(|c| Component {
            id: c.id.unwrap_or_default(),
            name: c.name.unwrap_or_default(),
            status: component_status(c.status.as_deref()),
        })
        .collect()
}

#[derive(Deserialize)]
struct ComponentsList {
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
    page: Option<Page>,
    incidents: Option<Vec<RawIncident>>,
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
        let err = parse_summary(&src("X", "https://x"), br#"{"page": 3, "status": {}}"#)
            .expect_err("page must be an object");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        let err = parse_summary(&src("X", "https://x"), br#"{"page":{"#).expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
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

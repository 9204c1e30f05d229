//! Heroku's status API v4 `/api/v4/current-status` turned into a [`Snapshot`].

use super::timeline::{self, Listed};
use super::{from_json, lenient, missing_keys, time, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use serde::Deserialize;
use serde_json::Value;

const EXPECTED: &str = "Heroku status API JSON";
const FORMAT: super::Format = super::Format::Heroku;

// Each field is read leniently: one odd value is absent and one odd element skipped, never
// the whole page. The systems list tells this API apart, so it must be a list.
#[derive(Deserialize)]
struct CurrentStatus {
    #[serde(default, deserialize_with = "lenient::key_list")]
    status: Option<Vec<RawSystem>>,
    #[serde(default, deserialize_with = "lenient::list")]
    incidents: Option<Vec<RawIssue>>,
    #[serde(default, deserialize_with = "lenient::list")]
    scheduled: Option<Vec<RawIssue>>,
}

#[derive(Deserialize)]
struct RawSystem {
    #[serde(default, deserialize_with = "lenient::text")]
    system: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
}

#[derive(Deserialize)]
struct RawIssue {
    id: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    state: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    resolved: Option<bool>,
    #[serde(default, deserialize_with = "lenient::text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    updated_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status_dev: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status_prod: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    full_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    updates: Option<Vec<RawUpdate>>,
}

#[derive(Deserialize)]
struct RawUpdate {
    id: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    update_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    contents: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Incident,
    Maintenance,
}

pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let current: CurrentStatus = from_json(EXPECTED, body)?;
    // The systems list is what every answer of this API has, healthy or not.
    let Some(systems) = current.status else {
        return Err(missing_keys(EXPECTED, "the `status` list of systems"));
    };
    // `{"status": []}` alone could be anyone's answer; Heroku's also has its two lists.
    if systems.is_empty() && current.incidents.is_none() && current.scheduled.is_none() {
        return Err(missing_keys(
            EXPECTED,
            "systems or the `incidents` and `scheduled` keys",
        ));
    }

    let components: Vec<Component> = systems
        .into_iter()
        .filter_map(|s| {
            let name = s.system.filter(|n| !n.trim().is_empty())?;
            Some(Component {
                id: name.clone(),
                status: system_status(s.status.as_deref()),
                name,
            })
        })
        .collect();

    let incidents = super::keep_recent(
        current
            .incidents
            .unwrap_or_default()
            .into_iter()
            .filter_map(|raw| issue(raw, Kind::Incident, src.page_url))
            .collect(),
    );
    let maintenances = super::keep_recent(
        current
            .scheduled
            .unwrap_or_default()
            .into_iter()
            .filter_map(|raw| issue(raw, Kind::Maintenance, src.page_url))
            .collect(),
    );

    let status = super::overall_status(Status::Operational, &components, &incidents, &maintenances);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: FORMAT,
        page_url: src.page_url.to_owned(),
        status,
        page_status: None,
        description: None,
        components,
        incidents,
        maintenances,
    })
}

fn issue(raw: RawIssue, kind: Kind, page_url: &str) -> Option<Incident> {
    let Some(id) = raw.id.as_ref().and_then(super::scalar_string) else {
        tracing::warn!("skipping a Heroku issue without id");
        return None;
    };

    let raw_updates = raw.updates.unwrap_or_default();
    let mut rows: Vec<(Option<String>, String, IncidentUpdate)> = raw_updates
        .into_iter()
        .map(|u| {
            let update = IncidentUpdate {
                id: String::new(),
                phase: update_phase(u.update_type.as_deref(), kind),
                body: u
                    .contents
                    .as_deref()
                    .unwrap_or_default()
                    .replace("\r\n", "\n")
                    .trim()
                    .to_owned(),
                at: time(u.created_at.as_deref()),
            };
            (
                u.id.as_ref().and_then(super::scalar_string),
                u.created_at.unwrap_or_default(),
                update,
            )
        })
        .collect();
    // Heroku lists updates newest first; the timeline reads oldest first, same-second
    // updates in posting order.
    timeline::oldest_first(&mut rows, |(_, _, u)| u.at, Listed::NewestFirst, None);
    // An update without Heroku's id is named by its time, counted among updates of the
    // same second, so that older ids do not move when a new update arrives.
    let mut stamps: Vec<String> = Vec::with_capacity(rows.len());
    let mut updates: Vec<IncidentUpdate> = Vec::with_capacity(rows.len());
    for (provider_id, stamp, mut update) in rows {
        let n = stamps.iter().filter(|s| **s == stamp).count();
        update.id = provider_id.unwrap_or_else(|| format!("{stamp}#{n}"));
        stamps.push(stamp);
        updates.push(update);
    }

    // `resolved` lags behind and `scheduled[]` keeps finished windows: the issue's own
    // `state` decides, then what its latest update says, and only then the flag.
    let phase = match raw.state.as_deref() {
        Some(state) => state_phase(state, kind),
        None => match updates.last() {
            Some(latest) => latest.phase,
            None if raw.resolved == Some(true) => closed_phase(kind),
            None if kind == Kind::Maintenance => Phase::Scheduled,
            None => Phase::Investigating,
        },
    };

    let impact = match kind {
        Kind::Maintenance => Impact::Maintenance,
        Kind::Incident => {
            let prod = color_impact(raw.status_prod.as_deref());
            let dev = color_impact(raw.status_dev.as_deref());
            prod.max(dev)
        }
    };

    let updated_at = time(raw.updated_at.as_deref());
    let resolved_at = if phase.is_closed() {
        // The update that closed it says when; without one, the last change.
        updates
            .iter()
            .rev()
            .find(|u| u.phase.is_closed())
            .and_then(|u| u.at)
            .or(updated_at)
    } else {
        None
    };
    let url = raw.full_url.filter(|u| super::is_http(u)).or_else(|| {
        super::is_http(page_url)
            .then(|| format!("{}/incidents/{id}", page_url.trim_end_matches('/')))
    });

    Some(Incident {
        id: IncidentId(id),
        title: raw.title.unwrap_or_default(),
        phase,
        impact,
        started_at: time(raw.created_at.as_deref()),
        scheduled_for: None,
        updated_at,
        resolved_at,
        url,
        components: Vec::new(),
        updates,
    })
}

fn closed_phase(kind: Kind) -> Phase {
    match kind {
        Kind::Incident => Phase::Resolved,
        Kind::Maintenance => Phase::Completed,
    }
}

/// `state` of an issue: Heroku's words, and the Statuspage-like ones it may adopt.
fn state_phase(raw: &str, kind: Kind) -> Phase {
    match raw {
        "resolved" | "completed" | "complete" | "closed" => closed_phase(kind),
        "investigating" | "issue" => Phase::Investigating,
        "identified" => Phase::Identified,
        "monitoring" => Phase::Monitoring,
        "scheduled" | "upcoming" => Phase::Scheduled,
        "in_progress" | "in-progress" | "maintenance" | "active" => Phase::InProgress,
        "verifying" => Phase::Verifying,
        "update" => match kind {
            Kind::Incident => Phase::Investigating,
            Kind::Maintenance => Phase::InProgress,
        },
        other => {
            tracing::warn!(value = other, "unknown Heroku issue state; treated as open");
            Phase::Unknown
        }
    }
}

fn update_phase(raw: Option<&str>, kind: Kind) -> Phase {
    match raw {
        Some(t) => state_phase(t, kind),
        None => {
            tracing::warn!("Heroku update without update_type; treated as open");
            Phase::Unknown
        }
    }
}

fn system_status(raw: Option<&str>) -> Status {
    match raw {
        Some("green") => Status::Operational,
        Some("yellow") => Status::Degraded,
        Some("red") => Status::MajorOutage,
        Some("blue") => Status::Maintenance,
        other => {
            tracing::warn!(value = ?other, "unknown Heroku system status; shown as degraded");
            Status::Degraded
        }
    }
}

/// What an open incident's colour says. Green still means an open incident, so it
/// counts as minor rather than as nothing.
fn color_impact(raw: Option<&str>) -> Impact {
    match raw {
        None | Some("green") | Some("yellow") => Impact::Minor,
        Some("red") => Impact::Critical,
        Some("blue") => Impact::Maintenance,
        Some(other) => {
            tracing::warn!(
                value = other,
                "unknown Heroku incident colour; treated as minor"
            );
            Impact::Minor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    fn heroku() -> Source<'static> {
        src("Heroku", "https://status.heroku.com")
    }

    #[test]
    fn maintenance_capture_2020_11() {
        let Some(body) = fixture("heroku/heroku-api-v4-current-status-maintenance.json") else {
            return;
        };
        let s = parse(&heroku(), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Heroku);
        let names: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Apps", Status::Operational),
                ("Data", Status::Maintenance),
                ("Tools", Status::Operational),
            ]
        );
        assert!(s.incidents.is_empty());
        assert_eq!(s.maintenances.len(), 1);
        let m = &s.maintenances[0];
        assert_eq!(m.id.0, "2120");
        assert_eq!(
            m.title,
            "Data Service Update on Monday, November 9 at 19:00 UTC (14:00 EST)"
        );
        // Listed in `scheduled[]`, but its last update says it is over.
        assert_eq!(m.phase, Phase::Completed);
        assert_eq!(m.impact, Impact::Maintenance);
        assert_eq!(
            m.url.as_deref(),
            Some("https://status.heroku.com/incidents/2120")
        );
        let ids: Vec<&str> = m.updates.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, vec!["6685", "6690", "6691", "6692"], "oldest first");
        let phases: Vec<Phase> = m.updates.iter().map(|u| u.phase).collect();
        assert_eq!(
            phases,
            vec![
                Phase::Scheduled,
                Phase::InProgress,
                Phase::InProgress,
                Phase::Completed
            ]
        );
        assert!(m.updates[0].body.starts_with("On Monday, November 9, 2020"));
        assert!(!m.updates[0].body.contains('\r'));
        assert_eq!(
            m.started_at.map(|t| t.to_rfc3339()),
            Some("2020-10-30T00:55:34.418+00:00".to_owned())
        );
        assert_eq!(
            m.resolved_at.map(|t| t.to_rfc3339()),
            Some("2020-11-09T19:47:23.669+00:00".to_owned())
        );
        // The window is over but the Data system is still blue: the page's own word wins.
        assert_eq!(s.status, Status::Maintenance);
    }

    #[test]
    fn html_with_status_200_is_an_error() {
        let err = parse(&heroku(), b"<html><body>Heroku | Status</body></html>")
            .expect_err("HTML is not the API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected Heroku status API JSON, got an HTML page"
        );
    }

    #[test]
    fn empty_other_and_truncated_bodies_are_errors() {
        let err = parse(&heroku(), b"  ").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected Heroku status API JSON, got an empty body"
        );
        let err = parse(&heroku(), br#"{"items":[],"count":0}"#).expect_err("other API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert!(err.to_string().contains("`status` list"), "{err}");
        let err = parse(&heroku(), br#"{"status":[]}"#).expect_err("an empty list alone");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let s = parse(&heroku(), br#"{"status":[],"incidents":[],"scheduled":[]}"#)
            .expect("no systems listed, but Heroku's shape");
        assert_eq!(s.status, Status::Operational);
        let err = parse(&heroku(), br#"{"status":{"indicator":"none"},"page":{}}"#)
            .expect_err("a Statuspage summary");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        let err = parse(&heroku(), br#"{"status":[{"system":"Apps","status":"gre"#)
            .expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    #[test]
    fn handmade_state_wins_over_resolved_and_unknowns_stay_visible() {
        let body = payload("heroku-state-and-unknowns.json");
        let s = parse(&heroku(), &body).expect("parses");
        let purple = s
            .components
            .iter()
            .find(|c| c.name == "Tools")
            .expect("Tools");
        assert_eq!(purple.status, Status::Degraded, "unknown colour");
        assert_eq!(s.components.len(), 3, "the nameless system is dropped");

        assert_eq!(s.incidents.len(), 2, "the incident without id is skipped");
        let odd = s.incidents.iter().find(|i| i.id.0 == "901").expect("901");
        assert_eq!(odd.phase, Phase::Unknown, "unknown state");
        assert_eq!(odd.impact, Impact::Minor, "unknown colour");
        assert_eq!(
            odd.url.as_deref(),
            Some("https://status.heroku.com/incidents/901")
        );
        let red = s.incidents.iter().find(|i| i.id.0 == "902").expect("902");
        assert_eq!(
            red.phase,
            Phase::Monitoring,
            "state says open though resolved=true"
        );
        assert_eq!(red.impact, Impact::Critical);
        assert_eq!(red.updates.len(), 2);
        assert_eq!(red.updates[0].id, "2024-05-01T10:00:00Z#0", "derived id");
        assert_eq!(red.updates[1].id, "77");

        let stale = s
            .maintenances
            .iter()
            .find(|m| m.id.0 == "950")
            .expect("950");
        assert_eq!(
            stale.phase,
            Phase::Completed,
            "state says completed though resolved=false"
        );
        let live = s
            .maintenances
            .iter()
            .find(|m| m.id.0 == "951")
            .expect("951");
        assert_eq!(live.phase, Phase::InProgress);

        assert_eq!(s.status, Status::MajorOutage, "the red incident");
    }

    #[test]
    fn every_cut_of_a_body_is_an_answer_not_a_panic() {
        let body = payload("heroku-state-and-unknowns.json");
        for end in 0..body.len() {
            let _ = parse(&heroku(), body.get(..end).unwrap_or_default());
        }
    }

    /// A hand-made answer as a vendor's small change could send it: a null system name, a
    /// system status that is a number, a `resolved` flag sent as a string or a number,
    /// update contents that are a number, a title that is a list, a `scheduled` list that
    /// is an object, elements that are no objects. The page is read; each odd value is
    /// absent (or its safe default) and each odd element skipped.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let body = serde_json::json!({
            "status": [
                {"system": "Apps", "status": "green"},
                {"system": null, "status": "red"},
                "Data",
                {"system": "Tools", "status": 3}
            ],
            "incidents": [
                {"id": 901, "title": "Slow builds", "state": "investigating", "resolved": "false",
                 "status_prod": "yellow", "status_dev": 2, "full_url": null,
                 "updates": [{"id": 1, "created_at": "2024-05-01T10:00:00Z",
                              "update_type": "issue", "contents": 5}, "odd"]},
                {"id": 902, "title": ["x"], "resolved": 1, "updates": "none"}
            ],
            "scheduled": {"unexpected": true}
        });
        let body = serde_json::to_vec(&body).expect("json");
        let s = parse(&heroku(), &body).expect("parses");
        let systems: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        // The status that is a number is unknown, so degraded (never operational).
        assert_eq!(
            systems,
            [("Apps", Status::Operational), ("Tools", Status::Degraded)]
        );
        let open = s.incidents.iter().find(|i| i.id.0 == "901").expect("901");
        assert_eq!(
            (open.title.as_str(), open.phase),
            ("Slow builds", Phase::Investigating)
        );
        assert_eq!(open.impact, Impact::Minor);
        let updates: Vec<(&str, &str)> = open
            .updates
            .iter()
            .map(|u| (u.id.as_str(), u.body.as_str()))
            .collect();
        assert_eq!(updates, [("1", "5")]);
        let closed = s.incidents.iter().find(|i| i.id.0 == "902").expect("902");
        assert_eq!((closed.title.as_str(), closed.phase), ("", Phase::Resolved));
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::Degraded);
    }
}

//! Slack's status API v2.0.0 `/api/v2.0.0/current` turned into a [`Snapshot`].

use super::timeline::{self, Listed};
use super::{from_json, lenient, missing_keys, time, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use serde::Deserialize;
use serde_json::Value;

const EXPECTED: &str = "Slack status API JSON";
const FORMAT: super::Format = super::Format::Slack;

// Each field is read leniently (one odd value is absent, one odd element skipped) but
// `status`: a `status` that is no string is another API's, such as Statuspage's object.
#[derive(Deserialize)]
struct Current {
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    date_created: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    active_incidents: Option<Vec<RawIncident>>,
}

#[derive(Deserialize)]
struct RawIncident {
    // A number in every capture, but nothing promises it stays one.
    id: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    date_created: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    date_updated: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    title: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "lenient::text")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "lenient::texts")]
    services: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::list")]
    notes: Option<Vec<RawNote>>,
}

#[derive(Deserialize)]
struct RawNote {
    #[serde(default, deserialize_with = "lenient::text")]
    date_created: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    body: Option<String>,
}

pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let current: Current = from_json(EXPECTED, body)?;
    // `{"status":"ok"}` alone is what many health checks answer: it must not read as
    // Slack being fine, so one of the keys only Slack's answer carries is required too.
    let Some(page_status) = current.status else {
        return Err(missing_keys(EXPECTED, "the `status` key"));
    };
    if current.active_incidents.is_none() && current.date_created.is_none() {
        return Err(missing_keys(
            EXPECTED,
            "the `active_incidents` and `date_created` keys",
        ));
    }

    let incidents: Vec<Incident> = current
        .active_incidents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| incident(raw, src.page_url))
        .collect();
    let incidents = super::keep_recent(incidents);

    // Slack publishes no component list: the services named by open incidents are it.
    let mut components: Vec<Component> = Vec::new();
    for i in incidents.iter().filter(|i| !i.phase.is_closed()) {
        let status = i.impact.implied_status();
        for name in &i.components {
            match components.iter_mut().find(|c| &c.name == name) {
                Some(c) => c.status = c.status.max(status),
                None => components.push(Component {
                    id: name.clone(),
                    name: name.clone(),
                    status,
                }),
            }
        }
    }

    let any_open = incidents.iter().any(|i| !i.phase.is_closed());
    // "active" defers to the incidents it lists: only "ok" and unknown words are the
    // page's own say.
    let own = match page_status.as_str() {
        "active" => None,
        "ok" => Some(Status::Operational),
        _ => Some(Status::Degraded),
    };
    let status = match page_status.as_str() {
        "ok" => Status::Operational,
        // "active" says something is wrong even when no incident could be read.
        "active" if !any_open => Status::Degraded,
        "active" => Status::Operational,
        other => {
            tracing::warn!(
                value = other,
                "unknown Slack page status; shown as degraded"
            );
            Status::Degraded
        }
    };
    let status = super::overall_status(status, &components, &incidents, &[]);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: FORMAT,
        page_url: src.page_url.to_owned(),
        status,
        page_status: own,
        description: None,
        components,
        incidents,
        maintenances: Vec::new(),
    })
}

fn incident(raw: RawIncident, page_url: &str) -> Option<Incident> {
    let Some(id) = raw.id.as_ref().and_then(super::scalar_string) else {
        tracing::warn!("skipping a Slack incident without id");
        return None;
    };
    let phase = phase(raw.status.as_deref());
    let impact = impact(raw.kind.as_deref());

    let notes = raw.notes.unwrap_or_default();
    let mut updates: Vec<IncidentUpdate> = Vec::with_capacity(notes.len());
    for note in notes {
        updates.push(IncidentUpdate {
            at: time(note.date_created.as_deref()),
            // The raw stamp, until `derive_update_ids` makes it unique.
            id: note.date_created.unwrap_or_default(),
            // Notes carry no state of their own; the incident's is the best there is.
            phase,
            body: note.body.unwrap_or_default().trim().to_owned(),
        });
    }
    // Slack lists notes newest first; the timeline reads oldest first, and notes posted
    // in the same second stay in the order they were posted.
    timeline::oldest_first(&mut updates, |u| u.at, Listed::NewestFirst, None);
    derive_update_ids(&mut updates);

    let updated_at = time(raw.date_updated.as_deref());
    let url = raw
        .url
        .filter(|u| super::is_http(u))
        .or_else(|| super::is_http(page_url).then(|| page_url.to_owned()));
    Some(Incident {
        id: IncidentId(id),
        title: raw.title.unwrap_or_default(),
        phase,
        impact,
        started_at: time(raw.date_created.as_deref()),
        scheduled_for: None,
        updated_at,
        // Slack gives no resolution time; its last update is when it said so.
        resolved_at: if phase.is_closed() { updated_at } else { None },
        url,
        components: raw
            .services
            .unwrap_or_default()
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
        updates,
    })
}

/// Notes have no id: the time they were posted names them, with a counter for notes
/// posted in the same second. Ids of older notes do not move when a new one arrives.
fn derive_update_ids(updates: &mut [IncidentUpdate]) {
    let mut seen: Vec<String> = Vec::with_capacity(updates.len());
    for u in updates.iter_mut() {
        let stamp = std::mem::take(&mut u.id);
        let n = seen.iter().filter(|s| **s == stamp).count();
        u.id = format!("{stamp}#{n}");
        seen.push(stamp);
    }
}

fn phase(raw: Option<&str>) -> Phase {
    match raw {
        // The API has no finer open states than "active".
        Some("active") => Phase::Investigating,
        Some("resolved") => Phase::Resolved,
        Some("scheduled") => Phase::Scheduled,
        Some("completed") => Phase::Completed,
        other => {
            tracing::warn!(value = ?other, "unknown Slack incident status; treated as open");
            Phase::Unknown
        }
    }
}

/// Slack calls something an "outage" when a service is down for some or all users;
/// that is not a statement about all of Slack (the page lists which services), so it
/// maps to a partial outage rather than a whole-page major outage.
fn impact(raw: Option<&str>) -> Impact {
    match raw {
        Some("outage") => Impact::Major,
        Some("incident") | Some("notice") => Impact::Minor,
        other => {
            tracing::warn!(value = ?other, "unknown Slack incident type; treated as minor");
            Impact::Minor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    fn slack() -> Source<'static> {
        src("Slack", "https://slack-status.com")
    }

    #[test]
    fn active_incident_2023_09_26() {
        let Some(body) = fixture("slack/slack-api-v2-current-active-2023-09-26.json") else {
            return;
        };
        let s = parse(&slack(), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Slack);
        assert_eq!(s.service, "Slack");
        assert_eq!(s.page_url, "https://slack-status.com");
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "1269");
        assert_eq!(i.title, "Can't dismiss Now you've got Later");
        assert_eq!(i.phase, Phase::Investigating);
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.slack.com/2023-09/badc5543a21e1fa7"),
            "the \\/ escapes are undone"
        );
        assert_eq!(i.components, vec!["Connections"]);
        assert_eq!(
            i.started_at.map(|t| t.to_rfc3339()),
            Some("2023-09-26T18:34:10+00:00".to_owned())
        );
        assert_eq!(
            i.updated_at.map(|t| t.to_rfc3339()),
            Some("2023-09-26T18:55:36+00:00".to_owned())
        );
        assert_eq!(i.resolved_at, None);
        // The payload lists "sample note 2" first: it is the newer one.
        let bodies: Vec<&str> = i.updates.iter().map(|u| u.body.as_str()).collect();
        assert_eq!(bodies, vec!["sample note", "sample note 2"]);
        assert_eq!(i.updates[0].id, "2023-09-26T11:34:10-07:00#0");
        assert_eq!(i.updates[1].id, "2023-09-26T11:55:36-07:00#0");
        assert_eq!(
            s.components,
            vec![Component {
                id: "Connections".to_owned(),
                name: "Connections".to_owned(),
                status: Status::Degraded,
            }]
        );
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::Degraded);
    }

    #[test]
    fn documented_ok_answer_is_operational() {
        let body = br#"{"status":"ok","active_incidents": [],"date_created":"2018-09-07T18:34:15-07:00","date_updated":"2018-09-07T18:34:15-07:00"}"#;
        let s = parse(&slack(), body).expect("parses");
        assert_eq!(s.status, Status::Operational);
        assert!(s.incidents.is_empty());
        assert!(s.components.is_empty());
    }

    #[test]
    fn active_without_a_readable_incident_is_not_operational() {
        let body = br#"{"status":"active","active_incidents":[{"title":"no id"}],"date_created":"2023-09-26T11:55:36-07:00"}"#;
        let s = parse(&slack(), body).expect("parses");
        assert!(s.incidents.is_empty(), "the entry without id is skipped");
        assert_eq!(s.status, Status::Degraded);
    }

    #[test]
    fn outage_is_a_partial_outage() {
        let body = br#"{"status":"active","date_created":"2023-01-01T00:00:00Z","active_incidents":[
            {"id":"77","type":"outage","status":"active","title":"Down","services":["Messaging","Calls"],"notes":null},
            {"id":76,"type":"incident","status":"resolved","title":"Old","services":["Messaging"],
             "date_updated":"2023-01-01T01:00:00Z"}]}"#;
        let s = parse(&slack(), body).expect("parses");
        assert_eq!(s.incidents.len(), 2);
        let down = s.incidents.iter().find(|i| i.id.0 == "77").expect("77");
        assert_eq!(down.impact, Impact::Major);
        let old = s.incidents.iter().find(|i| i.id.0 == "76").expect("76");
        assert_eq!(old.phase, Phase::Resolved);
        assert_eq!(
            old.resolved_at.map(|t| t.to_rfc3339()),
            Some("2023-01-01T01:00:00+00:00".to_owned())
        );
        assert_eq!(s.components.len(), 2, "only open incidents name components");
        assert!(s
            .components
            .iter()
            .all(|c| c.status == Status::PartialOutage));
        assert_eq!(s.status, Status::PartialOutage);
    }

    #[test]
    fn html_with_status_200_is_an_error() {
        let err = parse(&slack(), b"<!DOCTYPE html><html><body>Slack</body></html>")
            .expect_err("HTML is not the API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected Slack status API JSON, got an HTML page"
        );
    }

    #[test]
    fn empty_other_and_truncated_bodies_are_errors() {
        let err = parse(&slack(), b"").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected Slack status API JSON, got an empty body"
        );
        let err = parse(&slack(), br#"{"items":[],"count":0}"#).expect_err("other API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert!(
            err.to_string().contains("without the `status` key"),
            "{err}"
        );
        let err = parse(&slack(), br#"{"status":"ok"}"#).expect_err("a health check");
        assert!(err.to_string().contains("active_incidents"), "{err}");
        // A Statuspage summary: `status` is an object there.
        let err = parse(
            &slack(),
            br#"{"page":{"id":"x"},"status":{"indicator":"none"}}"#,
        )
        .expect_err("Statuspage");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        let err = parse(
            &slack(),
            br#"{"status":"active","active_incidents":[{"id":1"#,
        )
        .expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    #[test]
    fn handmade_unknown_values_stay_visible() {
        let body = payload("slack-unknowns-and-nulls.json");
        let s = parse(&slack(), &body).expect("parses");
        assert_eq!(s.incidents.len(), 2, "the entry without id is skipped");
        let odd = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "abc-1")
            .expect("abc-1");
        assert_eq!(odd.phase, Phase::Unknown);
        assert!(!odd.phase.is_closed());
        assert_eq!(odd.impact, Impact::Minor);
        assert_eq!(
            odd.url.as_deref(),
            Some("https://slack-status.com"),
            "a non-http link falls back to the page"
        );
        assert_eq!(odd.components, vec!["Workflows"]);
        assert_eq!(odd.updates.len(), 3);
        assert_eq!(odd.updates[0].at, None, "an unreadable time sorts first");
        assert_eq!(odd.updates[1].id, "2024-03-01T10:00:00Z#0");
        assert_eq!(odd.updates[2].id, "2024-03-01T10:00:00Z#1");
        assert_eq!(odd.updates[2].body, "second in the same second");
        let nulls = s.incidents.iter().find(|i| i.id.0 == "12").expect("12");
        assert!(nulls.components.is_empty());
        assert!(nulls.updates.is_empty());
        assert_eq!(s.status, Status::Degraded, "unknown page status");
        assert_ne!(s.status, Status::Operational);
    }

    #[test]
    fn every_cut_of_a_body_is_an_answer_not_a_panic() {
        let body = payload("slack-unknowns-and-nulls.json");
        for end in 0..body.len() {
            let _ = parse(&slack(), body.get(..end).unwrap_or_default());
        }
    }

    /// A hand-made answer as a vendor's small change could send it: a creation date that is
    /// a number, a services list with a null and an object, a note body that is a number,
    /// a link that is a boolean, a type that is a list, services that are a string,
    /// elements that are no objects. The page is read; each odd value is absent (or its
    /// safe default) and each odd element skipped.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let body = serde_json::json!({
            "status": "active",
            "date_created": 1700000000,
            "active_incidents": [
                {"id": 77, "type": "outage", "status": "active", "title": "Calls down",
                 "services": ["Calls", null, {"name": "Huddles"}], "url": false,
                 "notes": [{"date_created": "2023-01-01T00:00:00Z", "body": 3}, "odd"]},
                "not an incident",
                {"id": "78", "type": ["incident"], "status": "active", "title": null,
                 "services": "Messaging", "notes": null}
            ]
        });
        let body = serde_json::to_vec(&body).expect("json");
        let s = parse(&slack(), &body).expect("parses");
        let calls = s.incidents.iter().find(|i| i.id.0 == "77").expect("77");
        assert_eq!(calls.impact, Impact::Major);
        assert_eq!(calls.components, ["Calls"]);
        assert_eq!(calls.url.as_deref(), Some("https://slack-status.com"));
        let notes: Vec<&str> = calls.updates.iter().map(|u| u.body.as_str()).collect();
        assert_eq!(notes, ["3"]);
        let other = s.incidents.iter().find(|i| i.id.0 == "78").expect("78");
        assert_eq!((other.title.as_str(), other.impact), ("", Impact::Minor));
        assert!(other.components.is_empty());
        assert_eq!(s.incidents.len(), 2);
        assert_eq!(
            s.components
                .iter()
                .map(|c| (c.name.as_str(), c.status))
                .collect::<Vec<_>>(),
            [("Calls", Status::PartialOutage)]
        );
        assert_eq!(s.status, Status::PartialOutage);
    }
}

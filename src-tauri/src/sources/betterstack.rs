//! Better Stack status pages: the JSON:API document at `<page>/index.json`.

use super::timeline::{self, Listed};
use super::{from_json, lenient, missing_keys, time, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

const EXPECTED: &str = "Better Stack status page JSON";

// JSON:API: ids are strings at the top level of a record but numbers inside
// attributes (`status_report_id`, `status_page_resource_id`), so ids are read as any
// JSON value. `included` mixes record types, each with its own attributes. Each field
// is read leniently: one odd value is absent and one odd element skipped, never the page.
#[derive(Deserialize)]
struct Document {
    data: Option<Value>,
    #[serde(default, deserialize_with = "lenient::list")]
    included: Option<Vec<Value>>,
}

#[derive(Deserialize)]
struct Record {
    id: Option<Value>,
    #[serde(rename = "type", default, deserialize_with = "lenient::text")]
    kind: Option<String>,
    attributes: Option<Value>,
    relationships: Option<Value>,
}

#[derive(Deserialize, Default)]
struct PageAttributes {
    #[serde(default, deserialize_with = "lenient::text")]
    aggregate_state: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    updated_at: Option<String>,
}

#[derive(Deserialize, Default)]
struct ResourceAttributes {
    #[serde(default, deserialize_with = "lenient::text")]
    public_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
}

#[derive(Deserialize, Default)]
struct ReportAttributes {
    #[serde(default, deserialize_with = "lenient::text")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    report_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    starts_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    ends_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    aggregate_state: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    affected_resources: Option<Vec<Affected>>,
}

#[derive(Deserialize, Default)]
struct UpdateAttributes {
    #[serde(default, deserialize_with = "lenient::text")]
    message: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    published_at: Option<String>,
    status_report_id: Option<Value>,
    #[serde(default, deserialize_with = "lenient::list")]
    affected_resources: Option<Vec<Affected>>,
}

#[derive(Deserialize)]
struct Affected {
    status_page_resource_id: Option<Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
}

struct Report {
    id: String,
    attrs: ReportAttributes,
    /// Update ids the report lists under `relationships.status_updates`.
    update_ids: Vec<String>,
}

struct Update {
    id: Option<String>,
    report_id: Option<String>,
    message: String,
    at: Option<DateTime<Utc>>,
    affected: Vec<(String, String)>,
}

/// Parses `index.json`.
pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let doc: Document = from_json(EXPECTED, body)?;
    // Any JSON object fits the all-optional shape; only a status page record makes it ours.
    let page = doc
        .data
        .filter(Value::is_object)
        .and_then(|d| serde_json::from_value::<Record>(d).ok())
        .filter(|r| {
            r.kind.as_deref() == Some("status_page")
                || r.attributes
                    .as_ref()
                    .is_some_and(|a| a.get("aggregate_state").is_some_and(Value::is_string))
        })
        .ok_or_else(|| {
            missing_keys(
                EXPECTED,
                "a `data` record of type `status_page` or with `attributes.aggregate_state`",
            )
        })?;
    let page_attrs: PageAttributes = attributes(page.attributes, "status_page");

    let mut components: Vec<Component> = Vec::new();
    let mut reports: Vec<Report> = Vec::new();
    let mut updates: Vec<Update> = Vec::new();
    for item in doc.included.unwrap_or_default() {
        let Ok(record) = serde_json::from_value::<Record>(item) else {
            tracing::warn!("skipping an `included` entry that is not a record");
            continue;
        };
        let id = record.id.as_ref().and_then(id_string);
        match record.kind.as_deref() {
            Some("status_page_resource") => {
                let a: ResourceAttributes = attributes(record.attributes, "status_page_resource");
                let id = id.unwrap_or_default();
                let name = a
                    .public_name
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("Resource {id}"));
                components.push(Component {
                    id,
                    name,
                    status: resource_status(a.status.as_deref()),
                });
            }
            Some("status_report") => {
                let Some(id) = id else {
                    tracing::warn!("skipping a Better Stack status report without id");
                    continue;
                };
                let update_ids = record
                    .relationships
                    .as_ref()
                    .and_then(|r| r.pointer("/status_updates/data"))
                    .and_then(Value::as_array)
                    .map(|refs| {
                        refs.iter()
                            .filter_map(|r| r.get("id").and_then(id_string))
                            .collect()
                    })
                    .unwrap_or_default();
                reports.push(Report {
                    id,
                    attrs: attributes(record.attributes, "status_report"),
                    update_ids,
                });
            }
            Some("status_update") => {
                let a: UpdateAttributes = attributes(record.attributes, "status_update");
                updates.push(Update {
                    id,
                    report_id: a.status_report_id.as_ref().and_then(id_string),
                    message: a.message.unwrap_or_default().trim().to_owned(),
                    at: time(a.published_at.as_deref()),
                    affected: affected(a.affected_resources),
                });
            }
            // Sections only group resources on the page.
            _ => {}
        }
    }

    // Scheduled versus running is judged against the newest time the provider wrote.
    let newest = updates
        .iter()
        .filter_map(|u| u.at)
        .chain(time(page_attrs.updated_at.as_deref()))
        .max();
    let names: HashMap<&str, &str> = components
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let link_base = link_base(src.page_url);

    let mut incidents = Vec::new();
    let mut maintenances = Vec::new();
    for report in reports {
        let mut own: Vec<&Update> = updates
            .iter()
            .filter(|u| {
                u.report_id.as_deref() == Some(report.id.as_str())
                    || u.id
                        .as_ref()
                        .is_some_and(|id| report.update_ids.contains(id))
            })
            .collect();
        // `included` holds updates in no promised order.
        timeline::oldest_first(&mut own, |u| u.at, Listed::OldestFirst, None);
        let is_maintenance = report.attrs.report_type.as_deref() == Some("maintenance");
        let incident = incident(report, &own, is_maintenance, newest, &names, &link_base);
        if is_maintenance {
            maintenances.push(incident);
        } else {
            incidents.push(incident);
        }
    }

    let own = page_attrs
        .aggregate_state
        .as_deref()
        .map(|state| resource_status(Some(state)));
    let status = super::overall_status(
        own.unwrap_or(Status::Operational),
        &components,
        &incidents,
        &maintenances,
    );

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: crate::model::Format::Betterstack,
        page_url: src.page_url.to_owned(),
        status,
        page_status: own,
        description: None,
        components,
        incidents,
        maintenances,
    })
}

fn incident(
    report: Report,
    updates: &[&Update],
    is_maintenance: bool,
    newest: Option<DateTime<Utc>>,
    names: &HashMap<&str, &str>,
    link_base: &str,
) -> Incident {
    let a = report.attrs;
    let latest = updates.last();
    let ends_at = time(a.ends_at.as_deref());
    let open = match a.aggregate_state.as_deref() {
        Some("resolved") => Some(false),
        // `operational` is the state of the report's resources, not a word about the
        // report: one with no update and no end time has not said anything yet.
        Some("operational") => Some(updates.is_empty() && ends_at.is_none()),
        Some("degraded") | Some("downtime") | Some("maintenance") => Some(true),
        Some(other) => {
            tracing::warn!(
                value = other,
                "unknown Better Stack report state; treated as open"
            );
            None
        }
        // `ends_at` is no guide (a resolved report can leave it null): the latest update is.
        None => latest.and_then(|u| resources_open(&u.affected)),
    };
    let starts_at = time(a.starts_at.as_deref());
    let phase = match (open, is_maintenance) {
        (None, _) => Phase::Unknown,
        (Some(false), false) => Phase::Resolved,
        (Some(false), true) => Phase::Completed,
        (Some(true), false) => Phase::Investigating,
        (Some(true), true) => match (starts_at, newest) {
            (Some(start), Some(now)) if start > now => Phase::Scheduled,
            _ => Phase::InProgress,
        },
    };

    let report_affected = affected(a.affected_resources);
    let impact = if is_maintenance {
        Impact::Maintenance
    } else {
        // Open: how bad it is now. Closed: how bad it got, for the history.
        let states: Vec<&str> = if open == Some(true) {
            a.aggregate_state.iter().map(String::as_str).collect()
        } else {
            report_affected
                .iter()
                .chain(updates.iter().flat_map(|u| u.affected.iter()))
                .map(|(_, s)| s.as_str())
                .collect()
        };
        states
            .into_iter()
            .filter_map(state_impact)
            .max()
            .unwrap_or(Impact::Minor)
    };

    let mut components: Vec<String> = Vec::new();
    for (id, _) in report_affected
        .iter()
        .chain(updates.iter().flat_map(|u| u.affected.iter()))
    {
        let name = names.get(id.as_str()).map_or(id.as_str(), |n| *n);
        if !components.iter().any(|c| c == name) {
            components.push(name.to_owned());
        }
    }

    let (open_phase, closed_phase) = if is_maintenance {
        (Phase::InProgress, Phase::Completed)
    } else {
        (Phase::Investigating, Phase::Resolved)
    };
    let mut timeline: Vec<IncidentUpdate> = Vec::with_capacity(updates.len());
    let mut previous = open_phase;
    for (n, u) in updates.iter().enumerate() {
        let is_last = n + 1 == updates.len();
        let update_phase = match resources_open(&u.affected) {
            Some(true) => open_phase,
            Some(false) => closed_phase,
            None if is_last => phase,
            None => previous,
        };
        previous = update_phase;
        timeline.push(IncidentUpdate {
            id: u
                .id
                .clone()
                .unwrap_or_else(|| format!("{}-update-{n}", report.id)),
            phase: update_phase,
            body: u.message.clone(),
            at: u.at,
        });
    }

    let updated_at = latest.and_then(|u| u.at).or(starts_at);
    // When it ended: its end time, else the update that closed it. Without either it is
    // not known, and its start would make it a zero-length incident.
    let resolved_at = if phase.is_closed() {
        ends_at.or_else(|| latest.and_then(|u| u.at))
    } else {
        None
    };
    let url = Some(format!("{link_base}/incident/{}", report.id))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    Incident {
        id: IncidentId(report.id),
        title: a.title.unwrap_or_default(),
        phase,
        impact,
        started_at: starts_at.or_else(|| updates.first().and_then(|u| u.at)),
        scheduled_for: starts_at.filter(|_| is_maintenance),
        updated_at,
        resolved_at,
        url,
        components,
        updates: timeline,
    }
}

/// Whether any affected resource is still down; `None` when the list says nothing.
fn resources_open(affected: &[(String, String)]) -> Option<bool> {
    if affected.is_empty() {
        return None;
    }
    Some(
        affected
            .iter()
            .any(|(_, s)| !matches!(s.as_str(), "resolved" | "operational" | "not_affected")),
    )
}

fn affected(raw: Option<Vec<Affected>>) -> Vec<(String, String)> {
    raw.unwrap_or_default()
        .into_iter()
        .filter_map(|a| {
            let id = a.status_page_resource_id.as_ref().and_then(id_string)?;
            Some((id, a.status.unwrap_or_default()))
        })
        .collect()
}

fn state_impact(state: &str) -> Option<Impact> {
    match state {
        "downtime" => Some(Impact::Critical),
        "degraded" => Some(Impact::Minor),
        "maintenance" => Some(Impact::Maintenance),
        "resolved" | "operational" | "not_affected" | "" => None,
        other => {
            tracing::warn!(
                value = other,
                "unknown Better Stack state; treated as minor"
            );
            Some(Impact::Minor)
        }
    }
}

/// A resource's or the page's state. `downtime` is a major outage even when only some
/// resources are down: like a Statuspage component in `major_outage`, a resource that is
/// down is an outage of something the user may depend on.
fn resource_status(raw: Option<&str>) -> Status {
    match raw {
        None | Some("operational") => Status::Operational,
        // Not monitored means no data, not trouble; showing it would be a standing false alarm.
        Some("not_monitored") => Status::Operational,
        Some("degraded") => Status::Degraded,
        Some("downtime") => Status::MajorOutage,
        Some("maintenance") => Status::Maintenance,
        Some(other) => {
            tracing::warn!(
                value = other,
                "unknown Better Stack status; shown as degraded"
            );
            Status::Degraded
        }
    }
}

fn attributes<T: DeserializeOwned + Default>(raw: Option<Value>, kind: &str) -> T {
    match raw.map(serde_json::from_value::<T>) {
        None => T::default(),
        Some(Ok(a)) => a,
        Some(Err(e)) => {
            tracing::warn!(kind, error = %e, "Better Stack attributes unreadable; left empty");
            T::default()
        }
    }
}

fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn link_base(page_url: &str) -> String {
    let base = page_url.trim_end_matches('/');
    base.strip_suffix("/index.json")
        .unwrap_or(base)
        .trim_end_matches('/')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    fn page() -> Source<'static> {
        src("Acme", "https://status.acme.example")
    }

    fn rfc(t: Option<DateTime<Utc>>) -> Option<String> {
        t.map(|t| t.to_rfc3339())
    }

    #[test]
    fn incident_maintenance_and_resources() {
        let body = payload("betterstack-index-incident.json");
        let s = parse(&page(), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Betterstack);
        assert_eq!(s.service, "Acme");

        let comps: Vec<(&str, &str, Status)> = s
            .components
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            comps,
            vec![
                ("301", "Website", Status::Operational),
                ("302", "API", Status::MajorOutage),
                ("303", "Dashboard", Status::Degraded),
                ("304", "Billing", Status::Operational),
            ]
        );

        assert_eq!(s.incidents.len(), 2);
        let open = &s.incidents[0];
        assert_eq!(open.id.0, "501");
        assert_eq!(open.title, "API unavailable");
        assert_eq!(open.phase, Phase::Investigating);
        assert_eq!(open.impact, Impact::Critical);
        assert_eq!(
            open.url.as_deref(),
            Some("https://status.acme.example/incident/501")
        );
        assert_eq!(open.components, vec!["API", "Dashboard"]);
        assert_eq!(
            rfc(open.started_at),
            Some("2026-09-03T14:00:00+00:00".to_owned())
        );
        assert_eq!(
            rfc(open.updated_at),
            Some("2026-09-03T14:20:00+00:00".to_owned())
        );
        assert_eq!(open.resolved_at, None);
        let ids: Vec<&str> = open.updates.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, vec!["601", "602"], "oldest first");
        assert_eq!(
            open.updates[0].body,
            "We are investigating failing API requests."
        );
        assert!(open.updates.iter().all(|u| u.phase == Phase::Investigating));

        // Resolved although `ends_at` is null: the report's own state decides.
        let closed = &s.incidents[1];
        assert_eq!(closed.id.0, "500");
        assert_eq!(closed.title, "Login errors");
        assert_eq!(closed.phase, Phase::Resolved);
        assert_eq!(closed.impact, Impact::Minor, "it was degraded at worst");
        assert_eq!(
            rfc(closed.resolved_at),
            Some("2026-09-01T09:15:00+00:00".to_owned())
        );
        assert_eq!(closed.components, vec!["Website"]);
        let phases: Vec<Phase> = closed.updates.iter().map(|u| u.phase).collect();
        assert_eq!(phases, vec![Phase::Investigating, Phase::Resolved]);
        assert_eq!(closed.updates[0].id, "600");

        assert_eq!(s.maintenances.len(), 2);
        let running = &s.maintenances[0];
        assert_eq!(running.id.0, "502");
        assert_eq!(running.title, "Database maintenance");
        assert_eq!(running.phase, Phase::InProgress);
        assert_eq!(running.impact, Impact::Maintenance);
        assert_eq!(running.updates.len(), 1);
        assert_eq!(running.updates[0].phase, Phase::InProgress);
        let upcoming = &s.maintenances[1];
        assert_eq!(upcoming.id.0, "503");
        assert_eq!(upcoming.phase, Phase::Scheduled);

        assert_eq!(s.status, Status::MajorOutage);
        assert_eq!(s.open_incidents().count(), 1);
    }

    #[test]
    fn one_resource_down_of_several_is_a_major_outage() {
        let body = br#"{"data":{"id":"1","type":"status_page","attributes":{"aggregate_state":"downtime"}},
            "included":[
              {"id":"1","type":"status_page_resource","attributes":{"public_name":"A","status":"operational"}},
              {"id":"2","type":"status_page_resource","attributes":{"public_name":"B","status":"operational"}},
              {"id":"3","type":"status_page_resource","attributes":{"public_name":"C","status":"downtime"}}
            ]}"#;
        let s = parse(&page(), body).expect("parses");
        assert_eq!(s.status, Status::MajorOutage);
        assert_eq!(s.components[2].status, Status::MajorOutage);
    }

    #[test]
    fn operational_page_without_included() {
        let body = payload("betterstack-index-operational.json");
        let s = parse(&page(), &body).expect("parses");
        assert_eq!(s.status, Status::Operational);
        assert_eq!(s.components.len(), 2);
        assert!(s.incidents.is_empty());
        assert!(s.maintenances.is_empty());
        // `aggregate_state` alone (no `type`) also identifies the page.
        let s = parse(
            &page(),
            br#"{"data":{"attributes":{"aggregate_state":"degraded"}},"included":null}"#,
        )
        .expect("parses");
        assert_eq!(s.status, Status::Degraded);
    }

    #[test]
    fn report_without_state_is_judged_by_its_latest_update() {
        let body = br#"{"data":{"type":"status_page","attributes":{"aggregate_state":"operational"}},
            "included":[
              {"id":"9","type":"status_report","attributes":{"title":"Blip","starts_at":"2026-09-01T10:00:00Z","ends_at":null,"affected_resources":[]}},
              {"id":"91","type":"status_update","attributes":{"message":"Down","published_at":"2026-09-01T10:00:00Z","status_report_id":9,"affected_resources":[{"status_page_resource_id":1,"status":"downtime"}]}},
              {"id":"92","type":"status_update","attributes":{"message":"Back","published_at":"2026-09-01T10:30:00Z","status_report_id":"9","affected_resources":[{"status_page_resource_id":1,"status":"resolved"}]}}
            ]}"#;
        let s = parse(&page(), body).expect("parses");
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].phase, Phase::Resolved);
        assert_eq!(s.incidents[0].impact, Impact::Critical);
        assert_eq!(
            rfc(s.incidents[0].resolved_at),
            Some("2026-09-01T10:30:00+00:00".to_owned())
        );
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn reports_without_updates_are_not_zero_length_incidents() {
        let body = payload("betterstack-reports-without-updates.json");
        let s = parse(&page(), &body).expect("parses");
        let by_id = |id: &str| -> &Incident {
            s.incidents
                .iter()
                .find(|i| i.id.0 == id)
                .unwrap_or_else(|| panic!("{id}"))
        };
        // Nothing says it ended: no update, no end time. Its resources' state is not the report's.
        let open = by_id("701");
        assert_eq!(open.phase, Phase::Investigating);
        assert_eq!(open.resolved_at, None);
        assert_eq!(
            rfc(open.started_at),
            Some("2026-05-11T11:00:00+00:00".to_owned())
        );
        // Resolved, but when is not known: not at its start.
        let resolved = by_id("702");
        assert_eq!(resolved.phase, Phase::Resolved);
        assert_eq!(resolved.resolved_at, None);
        assert_eq!(
            rfc(resolved.updated_at),
            Some("2026-04-20T19:00:00+00:00".to_owned())
        );
        // An end time says both.
        let ended = by_id("703");
        assert_eq!(ended.phase, Phase::Resolved);
        assert_eq!(
            rfc(ended.resolved_at),
            Some("2026-04-10T09:30:00+00:00".to_owned())
        );
        assert_eq!(s.open_incidents().count(), 1);
    }

    #[test]
    fn html_empty_truncated_and_other_json_are_errors() {
        let err =
            parse(&page(), b"<!doctype html><html><body>app</body></html>").expect_err("html");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected Better Stack status page JSON, got an HTML page"
        );
        let err = parse(&page(), b"  ").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected Better Stack status page JSON, got an empty body"
        );
        let err = parse(&page(), br#"{"data":{"type":"status_page","attr"#).expect_err("cut");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        for other in [
            &br#"{"data":[{"id":"1","type":"monitor"}]}"#[..],
            br#"{"data":{"id":"1","type":"monitor","attributes":{"status":"up"}}}"#,
            br#"{"items":[],"count":0}"#,
        ] {
            let err = parse(&page(), other).expect_err("not a status page");
            assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
            assert!(err.to_string().contains("status_page"), "{err}");
        }
        let Some(body) = fixture("statuspage/github-summary-2022-11-25.json") else {
            return;
        };
        let err = parse(&page(), &body).expect_err("Statuspage is not Better Stack");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
    }

    #[test]
    fn handmade_unknown_values_stay_visible() {
        let body = payload("betterstack-unknowns.json");
        let s = parse(&page(), &body).expect("parses");
        assert_eq!(s.components.len(), 1);
        assert_eq!(s.components[0].status, Status::Degraded);
        assert_eq!(s.components[0].name, "Resource 7", "no public name");
        assert_eq!(s.incidents.len(), 1, "the report without id is skipped");
        let i = &s.incidents[0];
        assert_eq!(i.phase, Phase::Unknown);
        assert!(!i.phase.is_closed());
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(i.started_at, None);
        assert_eq!(s.status, Status::Degraded);
    }

    /// A hand-made `index.json` as a vendor's small change could send it: a resource status
    /// and a page time that are numbers, a null public name, an update message that is a
    /// list, affected lists with an element that is no object or that are no list. The page
    /// is read; each odd value is absent (or its safe default) and each odd element skipped,
    /// and one odd attribute no longer costs its record's other attributes.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let body = serde_json::json!({
            "data": {"id": "1", "type": "status_page",
                     "attributes": {"aggregate_state": "degraded", "updated_at": 5}},
            "included": [
                {"id": "1", "type": "status_page_resource",
                 "attributes": {"public_name": "API", "status": 7}},
                {"id": "2", "type": "status_page_resource",
                 "attributes": {"public_name": null, "status": "operational"}},
                "not a record",
                {"id": "3", "type": "status_page_resource",
                 "attributes": {"public_name": "Web", "status": "degraded"}},
                {"id": "9", "type": "status_report",
                 "attributes": {"title": "Slow", "report_type": "manual",
                                "starts_at": "2026-09-01T10:00:00Z", "aggregate_state": "degraded",
                                "affected_resources": [5, {"status_page_resource_id": 3, "status": "degraded"}]}},
                {"id": "91", "type": "status_update",
                 "attributes": {"message": ["rich"], "published_at": "2026-09-01T10:05:00Z",
                                "status_report_id": 9, "affected_resources": "none"}}
            ]
        });
        let body = serde_json::to_vec(&body).expect("json");
        let s = parse(&page(), &body).expect("parses");
        let comps: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        // The status that is a number is unknown, so degraded (never operational).
        assert_eq!(
            comps,
            [
                ("API", Status::Degraded),
                ("Resource 2", Status::Operational),
                ("Web", Status::Degraded)
            ]
        );
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!((i.id.0.as_str(), i.title.as_str()), ("9", "Slow"));
        assert_eq!(i.phase, Phase::Investigating);
        assert_eq!(i.components, ["Web"]);
        let updates: Vec<(&str, &str)> = i
            .updates
            .iter()
            .map(|u| (u.id.as_str(), u.body.as_str()))
            .collect();
        assert_eq!(updates, [("91", "")], "the update keeps its report");
        assert_eq!(s.status, Status::Degraded);
    }
}

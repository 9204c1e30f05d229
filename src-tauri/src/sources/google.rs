//! Google Cloud / Workspace `incidents.json` (a list of incidents) turned into a [`Snapshot`].

use super::timeline::{self, Listed};
use super::{from_json, lenient, missing_keys, time, ParseError, Source};
use crate::model::{
    Component, Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status,
};
use serde::Deserialize;
use serde_json::Value;

const EXPECTED: &str = "Google status incidents JSON";
const FORMAT: super::Format = super::Format::Google;
/// The location name given to incidents that name none, as AWS global services are.
const GLOBAL: &str = "global";

// Each field is read leniently: one odd value is absent and one odd element (an incident
// too) skipped, never the whole list.
#[derive(Deserialize)]
struct RawIncident {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    begin: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    end: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    modified: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    external_desc: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    updates: Option<Vec<RawUpdate>>,
    #[serde(default, deserialize_with = "lenient::object")]
    most_recent_update: Option<RawUpdate>,
    #[serde(default, deserialize_with = "lenient::text")]
    status_impact: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    severity: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    uri: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    affected_products: Option<Vec<Named>>,
    #[serde(default, deserialize_with = "lenient::list")]
    currently_affected_locations: Option<Vec<Named>>,
    #[serde(default, deserialize_with = "lenient::list")]
    previously_affected_locations: Option<Vec<Named>>,
}

#[derive(Deserialize)]
struct RawUpdate {
    #[serde(default, deserialize_with = "lenient::text")]
    when: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    created: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    text: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
}

#[derive(Deserialize)]
struct Named {
    #[serde(default, deserialize_with = "lenient::text")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
}

impl Named {
    fn names(&self) -> impl Iterator<Item = &str> {
        self.title.as_deref().into_iter().chain(self.id.as_deref())
    }
}

pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let json: Value = from_json(EXPECTED, body)?;
    let Value::Array(items) = json else {
        return Err(missing_keys(EXPECTED, "a top-level list of incidents"));
    };
    // An empty list is what a page with no history would send; a list of things that
    // are not incidents is some other API.
    if !items.is_empty() && !items.iter().any(looks_like_incident) {
        return Err(missing_keys(
            EXPECTED,
            "incidents with `begin` and `external_desc` or `affected_products`",
        ));
    }
    let raw: Vec<RawIncident> = lenient::list(Value::Array(items))
        .map_err(|e| ParseError::Malformed {
            expected: EXPECTED,
            detail: e.to_string(),
        })?
        .unwrap_or_default();

    let link_base = link_base(src.page_url);
    let mut incidents: Vec<Incident> = raw
        .into_iter()
        .filter(|raw| wanted(src, raw))
        .filter_map(|raw| incident(raw, &link_base))
        .collect();
    incidents = super::keep_recent(incidents);

    // Google publishes no component list: products with an open incident are it.
    let mut components: Vec<Component> = Vec::new();
    for i in incidents.iter().filter(|i| !i.phase.is_closed()) {
        let implied = i.impact.implied_status();
        for name in &i.components {
            match components.iter_mut().find(|c| &c.name == name) {
                Some(c) => c.status = c.status.max(implied),
                None => components.push(Component {
                    id: name.clone(),
                    name: name.clone(),
                    status: implied,
                }),
            }
        }
    }
    let status = super::overall_status(Status::Operational, &components, &incidents, &[]);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: FORMAT,
        page_url: src.page_url.to_owned(),
        status,
        page_status: None,
        description: None,
        components,
        incidents,
        maintenances: Vec::new(),
    })
}

fn looks_like_incident(v: &Value) -> bool {
    v.get("begin").is_some()
        && (v.get("external_desc").is_some() || v.get("affected_products").is_some())
}

/// Whether the user's product and region filter lets this incident through.
fn wanted(src: &Source<'_>, raw: &RawIncident) -> bool {
    let products = raw.affected_products.as_deref().unwrap_or_default();
    if !src
        .filter
        .wants_product(products.iter().flat_map(Named::names))
    {
        return false;
    }
    let locations: Vec<&str> = raw
        .currently_affected_locations
        .iter()
        .chain(raw.previously_affected_locations.iter())
        .flatten()
        .flat_map(Named::names)
        .collect();
    // Incidents before mid-2022 name no location at all: they count as global, the way
    // AWS services without a region do, rather than as every region.
    if locations.is_empty() {
        src.filter.wants_region([GLOBAL])
    } else {
        src.filter.wants_region(locations)
    }
}

fn incident(raw: RawIncident, link_base: &str) -> Option<Incident> {
    let Some(id) = raw.id.filter(|id| !id.trim().is_empty()) else {
        tracing::warn!("skipping a Google incident without id");
        return None;
    };
    // Open means no `end`: `most_recent_update` can still say SERVICE_DISRUPTION on an
    // incident that has ended.
    let ended = raw.end.as_deref().is_some_and(|e| !e.trim().is_empty());
    let phase = if ended {
        Phase::Resolved
    } else {
        match raw
            .most_recent_update
            .as_ref()
            .and_then(|u| u.status.as_deref())
        {
            // Service restored but the incident not closed yet.
            Some("AVAILABLE") => Phase::Monitoring,
            _ => Phase::Investigating,
        }
    };

    let raw_updates = raw.updates.unwrap_or_default();
    let mut rows: Vec<(String, IncidentUpdate)> = raw_updates
        .into_iter()
        .map(|u| {
            let stamp = u.when.or(u.created).unwrap_or_default();
            let update = IncidentUpdate {
                id: String::new(),
                phase: match u.status.as_deref() {
                    Some("AVAILABLE") => Phase::Monitoring,
                    _ => Phase::Investigating,
                },
                body: u.text.unwrap_or_default().trim().to_owned(),
                at: time(Some(&stamp)),
            };
            (stamp, update)
        })
        .collect();
    // Google lists updates newest first; the timeline reads oldest first, same-second
    // updates in posting order.
    timeline::oldest_first(&mut rows, |(_, u)| u.at, Listed::NewestFirst, None);
    // Updates have no id: their time names them, counted among updates of the same
    // second, so that older ids do not move when a new update arrives.
    let mut stamps: Vec<String> = Vec::with_capacity(rows.len());
    let mut updates: Vec<IncidentUpdate> = Vec::with_capacity(rows.len());
    for (stamp, mut update) in rows {
        let n = stamps.iter().filter(|s| **s == stamp).count();
        update.id = format!("{stamp}#{n}");
        stamps.push(stamp);
        updates.push(update);
    }
    if ended {
        if let Some(last) = updates.last_mut() {
            last.phase = Phase::Resolved;
        }
    }

    let url = match raw.uri.as_deref().map(str::trim) {
        Some(u) if u.starts_with("https://") || u.starts_with("http://") => Some(u.to_owned()),
        Some(u) if !u.is_empty() && !link_base.is_empty() => {
            Some(format!("{link_base}/{}", u.trim_start_matches('/')))
        }
        _ => (!link_base.is_empty()).then(|| format!("{link_base}/incidents/{id}")),
    };

    let mut components: Vec<String> = Vec::new();
    for p in raw.affected_products.unwrap_or_default() {
        if let Some(name) = p.title.or(p.id).filter(|n| !n.trim().is_empty()) {
            if !components.contains(&name) {
                components.push(name);
            }
        }
    }

    Some(Incident {
        id: IncidentId(id),
        title: raw.external_desc.unwrap_or_default().trim().to_owned(),
        phase,
        impact: impact(raw.status_impact.as_deref(), raw.severity.as_deref()),
        started_at: time(raw.begin.as_deref()),
        scheduled_for: None,
        updated_at: time(raw.modified.as_deref()),
        resolved_at: time(raw.end.as_deref()),
        url,
        components,
        updates,
    })
}

/// `status_impact` says what kind of trouble; `severity` can only make it worse.
fn impact(status_impact: Option<&str>, severity: Option<&str>) -> Impact {
    let by_kind = match status_impact {
        Some("SERVICE_INFORMATION") => Some(Impact::Minor),
        Some("SERVICE_DISRUPTION") => Some(Impact::Major),
        Some("SERVICE_OUTAGE") => Some(Impact::Critical),
        other => {
            tracing::warn!(value = ?other, "unknown Google status_impact");
            None
        }
    };
    let by_severity = match severity {
        Some("low") => Some(Impact::Minor),
        Some("medium") => Some(Impact::Major),
        Some("high") => Some(Impact::Critical),
        None => None,
        Some(other) => {
            tracing::warn!(value = other, "unknown Google severity");
            None
        }
    };
    match (by_kind, by_severity) {
        (Some(k), Some(s)) => k.max(s),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => {
            tracing::warn!("Google incident of unknown impact; treated as minor");
            Impact::Minor
        }
    }
}

/// Where incident links hang: the page, without the `incidents.json` a user may paste.
fn link_base(page_url: &str) -> String {
    if !(page_url.starts_with("https://") || page_url.starts_with("http://")) {
        return String::new();
    }
    let base = page_url.trim_end_matches('/');
    base.strip_suffix("/incidents.json")
        .unwrap_or(base)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::Filter;
    use crate::test_support::{fixture, payload, src};

    const GCP: &str = "https://status.cloud.google.com";
    const FIXTURE: &str = "gcp/gcp-status-incidents-2022-07-01.json";

    fn filtered(products: &[&str], regions: &[&str]) -> Filter {
        Filter {
            products: products.iter().map(|s| s.to_string()).collect(),
            regions: regions.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn parse_with(filter: &Filter, body: &[u8]) -> Snapshot {
        let src = Source {
            service: "Google Cloud",
            page_url: GCP,
            filter,
        };
        parse(&src, body).expect("parses")
    }

    #[test]
    fn gcp_history_2022_07_01_all_ended() {
        let Some(body) = fixture(FIXTURE) else { return };
        let s = parse(&src("Google Cloud", GCP), &body).expect("parses");
        assert_eq!(s.format, crate::model::Format::Google);
        // 157 incidents, none open: the 50 most recent are kept as history.
        assert_eq!(s.incidents.len(), 50);
        assert_eq!(s.open_incidents().count(), 0);
        assert!(s.incidents.iter().all(|i| i.phase == Phase::Resolved));
        assert!(s.components.is_empty());
        assert_eq!(s.status, Status::Operational);

        let i = &s.incidents[0];
        assert_eq!(i.id.0, "TaA75H7XA1DQyM2ReK2f");
        assert_eq!(
            i.title,
            "[Google BigQuery] Lower throughput from the Read API"
        );
        assert_eq!(i.impact, Impact::Minor, "SERVICE_INFORMATION / low");
        assert_eq!(i.components, vec!["Google BigQuery"]);
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.cloud.google.com/incidents/TaA75H7XA1DQyM2ReK2f")
        );
        assert_eq!(
            i.started_at.map(|t| t.to_rfc3339()),
            Some("2022-07-01T13:37:44+00:00".to_owned())
        );
        assert_eq!(
            i.resolved_at.map(|t| t.to_rfc3339()),
            Some("2022-07-01T19:25:45+00:00".to_owned())
        );
        assert_eq!(i.updates.len(), 5);
        assert_eq!(
            i.updates[0].id, "2022-07-01T14:04:53+00:00#0",
            "oldest first"
        );
        assert_eq!(i.updates[4].phase, Phase::Resolved);
        assert!(i.updates[4]
            .body
            .starts_with("The issue with Google BigQuery has been resolved"));
        assert!(
            i.updates.windows(2).all(|w| w[0].at <= w[1].at),
            "oldest first"
        );
        // Newest first, and the cap keeps the newest.
        assert!(s
            .incidents
            .windows(2)
            .all(|w| w[0].started_at >= w[1].started_at));
    }

    #[test]
    fn ended_incident_whose_last_update_says_disruption_is_closed() {
        let Some(body) = fixture(FIXTURE) else { return };
        // NJJp8jkNzFStMyiJZWWD: `end` is set, most_recent_update says SERVICE_DISRUPTION.
        let s = parse_with(&filtered(&["Google Cloud Networking"], &[]), &body);
        let i = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "NJJp8jkNzFStMyiJZWWD")
            .expect("NJJp8jkNzFStMyiJZWWD");
        assert_eq!(i.phase, Phase::Resolved);
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn product_and_region_filters_on_the_capture() {
        let Some(body) = fixture(FIXTURE) else { return };
        // Counted with python over the capture: 13 incidents name Google BigQuery.
        let s = parse_with(&filtered(&["google bigquery"], &[]), &body);
        assert_eq!(s.incidents.len(), 13);
        assert!(s
            .incidents
            .iter()
            .all(|i| i.components.iter().any(|c| c == "Google BigQuery")));
        // By product id too.
        let s = parse_with(&filtered(&["9CcrhHUcFevXPSVaSxkf"], &[]), &body);
        assert_eq!(s.incidents.len(), 13);
        // 49 incidents name Google Cloud Networking: under the cap, all kept.
        let s = parse_with(&filtered(&["Google Cloud Networking"], &[]), &body);
        assert_eq!(s.incidents.len(), 49);
        // 25 incidents list us-east1 (by id or by title) among their locations.
        let s = parse_with(&filtered(&[], &["us-east1"]), &body);
        assert_eq!(s.incidents.len(), 25);
        let s = parse_with(&filtered(&[], &["South Carolina (us-east1)"]), &body);
        assert_eq!(s.incidents.len(), 25);
        // Both at once: BigQuery incidents in europe-west1.
        let s = parse_with(&filtered(&["Google BigQuery"], &["europe-west1"]), &body);
        assert_eq!(s.incidents.len(), 3);
        // 105 incidents name no location and 14 name "global": 119, capped at 50.
        let s = parse_with(&filtered(&[], &["global"]), &body);
        assert_eq!(s.incidents.len(), 50);
        let s = parse_with(&filtered(&["Google BigQuery"], &["global"]), &body);
        assert_eq!(
            s.incidents.len(),
            6,
            "BigQuery incidents naming no location or global"
        );
        let s = parse_with(&filtered(&["No Such Product"], &[]), &body);
        assert!(s.incidents.is_empty());
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn html_with_status_200_is_an_error() {
        let err = parse(
            &src("Google Cloud", GCP),
            b"<!DOCTYPE html><html><body>Google Cloud Service Health</body></html>",
        )
        .expect_err("HTML is not the list");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected Google status incidents JSON, got an HTML page"
        );
    }

    #[test]
    fn empty_other_and_truncated_bodies_are_errors() {
        let s = src("Google Cloud", GCP);
        let err = parse(&s, b"").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected Google status incidents JSON, got an empty body"
        );
        let err = parse(&s, br#"{"items":[],"count":0}"#).expect_err("other API");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert!(err.to_string().contains("top-level list"), "{err}");
        // The AWS current-events list is a list too, of other things.
        let err = parse(
            &s,
            br#"[{"service":"ec2-us-east-1","summary":"x","date":"1"}]"#,
        )
        .expect_err("AWS events");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let err = parse(
            &s,
            br#"[{"id":"a","begin":"2022-07-01T13:37:44+00:00","ext"#,
        )
        .expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        // A value of another type is not the list's end: it reads as text or as absent.
        let odd = parse(&s, br#"[{"id":"a","begin":"x","external_desc":3}]"#).expect("odd type");
        assert_eq!(odd.incidents[0].title, "3");
    }

    #[test]
    fn handmade_open_incidents_and_unknown_values() {
        let body = payload("google-open-and-unknowns.json");
        let s = parse(&src("Google Cloud", GCP), &body).expect("parses");
        assert_eq!(s.incidents.len(), 3, "the incident without id is skipped");
        let odd = s.incidents.iter().find(|i| i.id.0 == "odd1").expect("odd1");
        assert_eq!(odd.phase, Phase::Investigating);
        assert_eq!(odd.impact, Impact::Minor, "unknown impact and severity");
        assert_eq!(
            odd.url.as_deref(),
            Some("https://status.cloud.google.com/incidents/odd1"),
            "no uri: a link under the page"
        );
        let sev = s.incidents.iter().find(|i| i.id.0 == "sev1").expect("sev1");
        assert_eq!(
            sev.impact,
            Impact::Critical,
            "high severity refines information"
        );
        assert_eq!(sev.phase, Phase::Monitoring, "open, last update AVAILABLE");
        assert_eq!(sev.updates.len(), 2);
        assert_eq!(sev.updates[0].body, "Looking.");
        let done = s
            .incidents
            .iter()
            .find(|i| i.id.0 == "done1")
            .expect("done1");
        assert_eq!(done.phase, Phase::Resolved);
        let names: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            names,
            vec![
                ("Mystery", Status::Degraded),
                ("Cloud Run", Status::MajorOutage)
            ]
        );
        assert_eq!(s.status, Status::MajorOutage);
    }

    #[test]
    fn workspace_links_and_pasted_incidents_json() {
        let body = br#"[{"id":"w1","begin":"2024-01-01T00:00:00+00:00","end":null,
            "external_desc":"Gmail slow","uri":"incidents/w1","status_impact":"SERVICE_DISRUPTION",
            "affected_products":[{"title":"Gmail","id":"gm"}]}]"#;
        let s = parse(
            &src(
                "Google Workspace",
                "https://www.google.com/appsstatus/dashboard/incidents.json",
            ),
            body,
        )
        .expect("parses");
        assert_eq!(
            s.incidents[0].url.as_deref(),
            Some("https://www.google.com/appsstatus/dashboard/incidents/w1")
        );
        assert_eq!(s.status, Status::PartialOutage);
        let empty = parse(&src("Google Cloud", GCP), b"[]").expect("no incidents at all");
        assert_eq!(empty.status, Status::Operational);
    }

    #[test]
    fn every_cut_of_a_body_is_an_answer_not_a_panic() {
        let body = payload("google-open-and-unknowns.json");
        for end in 0..body.len() {
            let _ = parse(
                &src("Google Cloud", GCP),
                body.get(..end).unwrap_or_default(),
            );
        }
    }

    /// A hand-made list as a vendor's small change could send it: a severity that is a
    /// number, a product without a title, a `most_recent_update` that is a string, a
    /// description that is a list, an id that is a number, elements (an incident too) that
    /// are no objects. The list is read; each odd value is absent (or its safe default)
    /// and each odd element skipped.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let body = serde_json::json!([
            {"id": "g1", "begin": "2024-01-01T00:00:00+00:00", "end": null, "external_desc": "Errors",
             "status_impact": "SERVICE_OUTAGE", "severity": 3, "most_recent_update": "none",
             "affected_products": [{"title": "Cloud Run", "id": "cr"}, "BigQuery", {"title": null, "id": "bq"}],
             "updates": [{"when": "2024-01-01T00:10:00+00:00", "text": "Looking", "status": "SERVICE_OUTAGE"}, 7]},
            "not an incident",
            {"id": 99, "begin": "2024-01-02T00:00:00+00:00", "end": "2024-01-02T01:00:00+00:00",
             "external_desc": ["x"], "affected_products": null}
        ]);
        let body = serde_json::to_vec(&body).expect("json");
        let s = parse(&src("Google Cloud", GCP), &body).expect("parses");
        let incidents: Vec<(&str, &str, Phase, Impact)> = s
            .incidents
            .iter()
            .map(|i| (i.id.0.as_str(), i.title.as_str(), i.phase, i.impact))
            .collect();
        assert_eq!(
            incidents,
            [
                ("99", "", Phase::Resolved, Impact::Minor),
                ("g1", "Errors", Phase::Investigating, Impact::Critical)
            ]
        );
        let g1 = &s.incidents[1];
        assert_eq!(g1.components, ["Cloud Run", "bq"]);
        assert_eq!(g1.updates.len(), 1);
        assert_eq!(s.status, Status::MajorOutage);
    }
}

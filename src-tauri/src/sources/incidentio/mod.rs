//! incident.io's status-page APIs (the native proxy summary and incidents, the widget, and which of its summaries a body is) read into a [`Snapshot`].

use super::{from_json, lenient, missing_keys, History, ParseError, Source};
use crate::model::{Component, Incident, Phase, Snapshot, Status};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

mod incident;
use incident::{component_status, incident, is_maintenance};

const EXPECTED_SUMMARY: &str = "incident.io proxy summary JSON";
const EXPECTED_INCIDENTS: &str = "incident.io proxy incidents JSON";
const EXPECTED_WIDGET: &str = "incident.io widget summary JSON";
const EXPECTED_ANY: &str = "incident.io summary JSON (compatible, proxy or widget)";

// These APIs are undocumented (the widget barely documented): every field is optional and
// every list may be `null`, so that a missing key costs that detail, not the whole read.
// Each field is read leniently too: one odd value is absent and one odd element skipped.
#[derive(Deserialize)]
struct ProxySummaryBody {
    // Not lenient: a `summary` that is no object is some other API, and says so.
    summary: Option<ProxySummary>,
}

#[derive(Deserialize)]
struct ProxySummary {
    #[serde(default, deserialize_with = "lenient::list")]
    components: Option<Vec<RawComponent>>,
    #[serde(default, deserialize_with = "lenient::object")]
    structure: Option<Structure>,
    #[serde(default, deserialize_with = "lenient::list")]
    affected_components: Option<Vec<ComponentRef>>,
    #[serde(default, deserialize_with = "lenient::list")]
    ongoing_incidents: Option<Vec<RawIncident>>,
    // Only the widget is known to split maintenances this way; read it here too in case.
    #[serde(default, deserialize_with = "lenient::list")]
    in_progress_maintenances: Option<Vec<RawIncident>>,
    #[serde(default, deserialize_with = "lenient::list")]
    scheduled_maintenances: Option<Vec<RawIncident>>,
}

#[derive(Deserialize)]
struct RawComponent {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    hidden: Option<bool>,
}

#[derive(Deserialize)]
struct Structure {
    #[serde(default, deserialize_with = "lenient::list")]
    items: Option<Vec<StructureItem>>,
}

#[derive(Deserialize)]
struct StructureItem {
    #[serde(default, deserialize_with = "lenient::object")]
    group: Option<Group>,
    #[serde(default, deserialize_with = "lenient::object")]
    component: Option<GroupComponent>,
}

#[derive(Deserialize)]
struct Group {
    #[serde(default, deserialize_with = "lenient::flag")]
    hidden: Option<bool>,
    #[serde(default, deserialize_with = "lenient::list")]
    components: Option<Vec<GroupComponent>>,
}

#[derive(Deserialize)]
struct GroupComponent {
    #[serde(default, deserialize_with = "lenient::text")]
    component_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::flag")]
    hidden: Option<bool>,
}

/// A component as incidents and the page-level list point at it: the native API says
/// `component_id` and `status`, the widget `id`, `name` and `current_status`.
#[derive(Deserialize)]
struct ComponentRef {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    component_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    current_status: Option<String>,
}

impl ComponentRef {
    fn key(&self) -> Option<&str> {
        self.component_id
            .as_deref()
            .or(self.id.as_deref())
            .filter(|k| !k.is_empty())
    }
}

/// One incident or maintenance, in the native shape or the widget's.
#[derive(Deserialize)]
struct RawIncident {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
    #[serde(rename = "type", default, deserialize_with = "lenient::text")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    published_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    url: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    updates: Option<Vec<RawUpdate>>,
    #[serde(default, deserialize_with = "lenient::list")]
    component_impacts: Option<Vec<RawImpact>>,
    #[serde(default, deserialize_with = "lenient::list")]
    status_summaries: Option<Vec<RawStatusSummary>>,
    #[serde(default, deserialize_with = "lenient::list")]
    affected_components: Option<Vec<ComponentRef>>,
    // The widget's flattened fields.
    #[serde(default, deserialize_with = "lenient::text")]
    current_worst_impact: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    last_update_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    last_update_message: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    started_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    starts_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    updated_at: Option<String>,
}

#[derive(Deserialize)]
struct RawUpdate {
    #[serde(default, deserialize_with = "lenient::text")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    published_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    message_string: Option<String>,
    // Elsewhere in incident.io's APIs `message` is the plain text; here it may be rich text.
    message: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "lenient::text")]
    to_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    component_statuses: Option<Vec<ComponentRef>>,
}

#[derive(Deserialize)]
struct RawImpact {
    #[serde(default, deserialize_with = "lenient::text")]
    component_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    start_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    end_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    status: Option<String>,
}

#[derive(Deserialize)]
struct RawStatusSummary {
    #[serde(default, deserialize_with = "lenient::text")]
    start_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    end_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::text")]
    worst_component_status: Option<String>,
}

/// What turning one raw incident needs to know about the page around it.
struct Ctx<'a> {
    link_base: &'a str,
    /// Component id → name, where the body gives names.
    names: &'a HashMap<String, String>,
}

/// Parses whichever of incident.io's summaries a page answered with: the Statuspage-
/// compatible `/api/v2/summary.json`, the native `/proxy/<host>`, or the widget
/// (`/proxy/widget`, `/api/v1/summary`). They are told apart by their top-level keys.
pub fn parse_main(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    #[derive(Deserialize)]
    struct Keys {
        page: Option<serde_json::Value>,
        summary: Option<serde_json::Value>,
        page_title: Option<serde_json::Value>,
        ongoing_incidents: Option<serde_json::Value>,
    }
    let keys: Keys = from_json(EXPECTED_ANY, body)?;
    if keys.page.as_ref().is_some_and(serde_json::Value::is_object) {
        return super::statuspage::parse_summary(src, body);
    }
    if keys.summary.is_some() {
        return parse_proxy_summary(src, body);
    }
    if keys.page_title.is_some() || keys.ongoing_incidents.is_some() {
        return parse_widget_summary(src, body);
    }
    Err(missing_keys(
        EXPECTED_ANY,
        "`page`, `summary`, `page_title` or `ongoing_incidents`",
    ))
}

/// Parses `/proxy/<host>`: the page's components, their current statuses and what is open.
pub fn parse_proxy_summary(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let parsed: ProxySummaryBody = from_json(EXPECTED_SUMMARY, body)?;
    // Another API's object under a `summary` key must not read as an all-clear page.
    let Some(summary) = parsed.summary.filter(|s| {
        s.components.is_some()
            || s.structure.is_some()
            || s.affected_components.is_some()
            || s.ongoing_incidents.is_some()
    }) else {
        return Err(missing_keys(
            EXPECTED_SUMMARY,
            "a `summary` object with components or incidents",
        ));
    };

    let (listed, names) = page_components(&summary);
    let mut affected: HashMap<String, Status> = HashMap::new();
    for r in summary.affected_components.iter().flatten() {
        let Some(key) = r.key() else { continue };
        let status = component_status(r.status.as_deref().or(r.current_status.as_deref()));
        let entry = affected.entry(key.to_owned()).or_insert(status);
        *entry = (*entry).max(status);
    }

    let mut components: Vec<Component> = listed
        .into_iter()
        .map(|(id, name)| Component {
            status: affected.get(&id).copied().unwrap_or(Status::Operational),
            id,
            name,
        })
        .collect();
    // An affected component the page does not list would otherwise hide an outage.
    for r in summary.affected_components.iter().flatten() {
        let Some(key) = r.key() else { continue };
        if names.hidden.contains(key) || components.iter().any(|c| c.id == key) {
            continue;
        }
        tracing::warn!(component = key, "affected component not in the page's list");
        components.push(Component {
            id: key.to_owned(),
            name: names
                .by_id
                .get(key)
                .cloned()
                .unwrap_or_else(|| key.to_owned()),
            status: affected.get(key).copied().unwrap_or(Status::Degraded),
        });
    }

    let link_base = src.page_url.trim_end_matches('/');
    let ctx = Ctx {
        link_base,
        names: &names.by_id,
    };
    let incidents: Vec<Incident> = summary
        .ongoing_incidents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| incident(raw, false, None, &ctx))
        .collect();
    let maintenances: Vec<Incident> = summary
        .in_progress_maintenances
        .unwrap_or_default()
        .into_iter()
        .map(|raw| (raw, Phase::InProgress))
        .chain(
            summary
                .scheduled_maintenances
                .unwrap_or_default()
                .into_iter()
                .map(|raw| (raw, Phase::Scheduled)),
        )
        .filter_map(|(raw, default)| incident(raw, true, Some(default), &ctx))
        .collect();

    Ok(snapshot(src, components, incidents, maintenances))
}

/// Parses `/proxy/<host>/incidents`: recent incidents and maintenances, closed ones too.
/// This body gives component ids only; they are named from `known`, the page's compatible
/// `summary.json`/`components.json` list, which uses the same ids. Unknown ids are left out.
pub fn parse_proxy_incidents(
    src: &Source<'_>,
    body: &[u8],
    known: &[Component],
) -> Result<History, ParseError> {
    #[derive(Deserialize)]
    struct IncidentsBody {
        #[serde(default, deserialize_with = "lenient::list")]
        incidents: Option<Vec<RawIncident>>,
        // Statuspage's `incidents.json` and `summary.json` also have an `incidents` list;
        // they are told apart by their `page` object, which this API does not send.
        page: Option<serde_json::Value>,
    }
    let parsed: IncidentsBody = from_json(EXPECTED_INCIDENTS, body)?;
    if parsed
        .page
        .as_ref()
        .is_some_and(serde_json::Value::is_object)
    {
        return Err(ParseError::NotTheFormat {
            expected: EXPECTED_INCIDENTS,
            got: "Statuspage JSON (it has a `page` object)".to_owned(),
        });
    }
    let Some(list) = parsed.incidents else {
        return Err(missing_keys(EXPECTED_INCIDENTS, "an `incidents` list"));
    };
    let names: HashMap<String, String> = known
        .iter()
        .filter(|c| !c.id.is_empty() && !c.name.is_empty())
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let ctx = Ctx {
        link_base: src.page_url.trim_end_matches('/'),
        names: &names,
    };
    let mut history = History::default();
    for raw in list {
        if is_maintenance(&raw) {
            history.maintenances.extend(incident(raw, true, None, &ctx));
        } else {
            history.incidents.extend(incident(raw, false, None, &ctx));
        }
    }
    Ok(history)
}

/// Parses the widget API `/api/v1/summary`: only what is open or planned, no component list,
/// so the components are those that open incidents and running maintenances name.
pub fn parse_widget_summary(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    #[derive(Deserialize)]
    struct WidgetBody {
        #[serde(default, deserialize_with = "lenient::text")]
        page_title: Option<String>,
        #[serde(default, deserialize_with = "lenient::list")]
        ongoing_incidents: Option<Vec<RawIncident>>,
        #[serde(default, deserialize_with = "lenient::list")]
        in_progress_maintenances: Option<Vec<RawIncident>>,
        #[serde(default, deserialize_with = "lenient::list")]
        scheduled_maintenances: Option<Vec<RawIncident>>,
    }
    let parsed: WidgetBody = from_json(EXPECTED_WIDGET, body)?;
    if parsed.page_title.is_none() && parsed.ongoing_incidents.is_none() {
        return Err(missing_keys(
            EXPECTED_WIDGET,
            "`page_title` or an `ongoing_incidents` list",
        ));
    }
    let ongoing = parsed.ongoing_incidents.unwrap_or_default();
    let running = parsed.in_progress_maintenances.unwrap_or_default();

    let mut components: Vec<Component> = Vec::new();
    for r in ongoing
        .iter()
        .chain(&running)
        .flat_map(|i| i.affected_components.iter().flatten())
    {
        // Without a current status the incident's own impact already tells the story.
        let (Some(name), Some(raw_status)) = (r.name.as_deref(), r.current_status.as_deref())
        else {
            continue;
        };
        let status = component_status(Some(raw_status));
        let id = r.key().unwrap_or_default();
        match components
            .iter_mut()
            .find(|c| (!id.is_empty() && c.id == id) || c.name == name)
        {
            Some(known) => known.status = known.status.max(status),
            None => components.push(Component {
                id: id.to_owned(),
                name: name.to_owned(),
                status,
            }),
        }
    }

    let names = HashMap::new();
    let ctx = Ctx {
        link_base: src.page_url.trim_end_matches('/'),
        names: &names,
    };
    let incidents: Vec<Incident> = ongoing
        .into_iter()
        .filter_map(|raw| incident(raw, false, None, &ctx))
        .collect();
    let maintenances: Vec<Incident> = running
        .into_iter()
        .map(|raw| (raw, Phase::InProgress))
        .chain(
            parsed
                .scheduled_maintenances
                .unwrap_or_default()
                .into_iter()
                .map(|raw| (raw, Phase::Scheduled)),
        )
        .filter_map(|(raw, default)| incident(raw, true, Some(default), &ctx))
        .collect();

    Ok(snapshot(src, components, incidents, maintenances))
}

fn snapshot(
    src: &Source<'_>,
    components: Vec<Component>,
    incidents: Vec<Incident>,
    maintenances: Vec<Incident>,
) -> Snapshot {
    let status = super::overall_status(Status::Operational, &components, &incidents, &maintenances);
    Snapshot {
        service: src.service.to_owned(),
        format: crate::model::Format::Incidentio,
        page_url: src.page_url.to_owned(),
        status,
        page_status: None,
        // None of these APIs carries a one-line summary of the page.
        description: None,
        components,
        incidents,
        maintenances,
    }
}

struct Names {
    by_id: HashMap<String, String>,
    hidden: HashSet<String>,
}

impl Names {
    /// Records a component's name and whether it is hidden; gives back its id if it has one.
    fn remember(&mut self, id: Option<&str>, name: Option<&str>, hidden: bool) -> Option<String> {
        let id = id.filter(|i| !i.is_empty())?;
        if let Some(name) = name.filter(|n| !n.is_empty()) {
            self.by_id
                .entry(id.to_owned())
                .or_insert_with(|| name.to_owned());
        }
        if hidden {
            self.hidden.insert(id.to_owned());
        }
        Some(id.to_owned())
    }
}

/// The components the page shows, as `(id, name)` in its own order, and every name it gives.
fn page_components(summary: &ProxySummary) -> (Vec<(String, String)>, Names) {
    let mut names = Names {
        by_id: HashMap::new(),
        hidden: HashSet::new(),
    };

    // The structure is the order and grouping the page shows; hidden entries are not shown.
    let mut shown: Vec<String> = Vec::new();
    let items = summary.structure.as_ref().and_then(|s| s.items.as_ref());
    for item in items.into_iter().flatten() {
        let (members, group_hidden): (Vec<&GroupComponent>, bool) =
            match (&item.group, &item.component) {
                (Some(g), _) => (
                    g.components.iter().flatten().collect(),
                    g.hidden == Some(true),
                ),
                (None, Some(c)) => (vec![c], false),
                (None, None) => (Vec::new(), false),
            };
        for c in members {
            let hidden = group_hidden || c.hidden == Some(true);
            if let Some(id) = names.remember(c.component_id.as_deref(), c.name.as_deref(), hidden) {
                if !hidden && !shown.contains(&id) {
                    shown.push(id);
                }
            }
        }
    }
    let mut rows_without_id: Vec<String> = Vec::new();
    for c in summary.components.iter().flatten() {
        match names.remember(c.id.as_deref(), c.name.as_deref(), c.hidden == Some(true)) {
            // Components the structure leaves out still count: the flat list is the page's.
            Some(id) if !names.hidden.contains(&id) && !shown.contains(&id) => shown.push(id),
            Some(_) => {}
            None => {
                if let Some(name) = c.name.as_deref().filter(|n| !n.is_empty()) {
                    rows_without_id.push(name.to_owned());
                }
            }
        }
    }

    let mut listed: Vec<(String, String)> = Vec::new();
    for id in shown {
        match names.by_id.get(&id) {
            Some(name) => listed.push((id, name.clone())),
            None => tracing::warn!(component = %id, "skipping a component without a name"),
        }
    }
    // Without an id a component can be shown but never matched to a status.
    listed.extend(
        rows_without_id
            .into_iter()
            .map(|name| (String::new(), name)),
    );
    (listed, names)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Impact;
    use crate::test_support::{fixture, payload, src};
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> Option<DateTime<Utc>> {
        Some(
            DateTime::parse_from_rfc3339(s)
                .expect("test time")
                .with_timezone(&Utc),
        )
    }

    #[test]
    fn pleo_history_incident_and_maintenance() {
        let Some(body) = fixture("incidentio/pleo-proxy-incidents-2026-01-trimmed.json") else {
            return;
        };
        let h = parse_proxy_incidents(&src("Pleo", "https://status.pleo.io"), &body, &[])
            .expect("parses");
        assert_eq!(h.incidents.len(), 1);
        assert_eq!(h.maintenances.len(), 1);

        let i = &h.incidents[0];
        assert_eq!(i.id.0, "01KG77ZCW3ZCZBXCRP47BT0KFG");
        assert_eq!(i.title, "Invoices page not loading for some customers");
        assert_eq!(i.phase, Phase::Resolved);
        assert_eq!(i.impact, Impact::Minor, "worst impact degraded_performance");
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.pleo.io/incidents/01KG77ZCW3ZCZBXCRP47BT0KFG")
        );
        assert!(i.components.is_empty(), "this endpoint names no component");
        assert_eq!(i.started_at, at("2026-01-30T10:42:56.002Z"));
        assert_eq!(i.updated_at, at("2026-01-30T10:42:56.002Z"));
        assert_eq!(
            i.resolved_at,
            at("2026-01-30T12:38:56.689Z"),
            "the end of the last impact window"
        );
        assert_eq!(i.updates.len(), 1);
        let u = &i.updates[0];
        assert_eq!(u.id, "01KG77ZCW3DBEXXB00VHC5GVZV");
        assert_eq!(u.phase, Phase::Identified);
        assert_eq!(u.at, at("2026-01-30T10:42:56.002Z"));
        assert!(
            u.body
                .starts_with("Some customers are unable to access the Invoices page."),
            "{}",
            u.body
        );

        let m = &h.maintenances[0];
        assert_eq!(m.id.0, "01KFGG5S6TRSJJNNBB3TQATY24");
        assert_eq!(m.title, "Scheduled Pleo Maintenance");
        assert_eq!(m.phase, Phase::Completed);
        assert_eq!(m.impact, Impact::Maintenance);
        assert_eq!(
            m.started_at,
            at("2026-01-25T00:00:00Z"),
            "the window, not the notice"
        );
        assert_eq!(m.updated_at, at("2026-01-21T14:43:41.913Z"));
        assert_eq!(m.resolved_at, at("2026-01-25T02:00:00Z"));
        assert_eq!(m.updates.len(), 1);
        assert_eq!(m.updates[0].id, "01KFGG5S6T1Q0YQFDB2YWSFBAD");
        assert_eq!(m.updates[0].phase, Phase::Scheduled);
        assert_eq!(
            m.updates[0].body,
            "We're reaching out to inform you of a scheduled maintenance window..."
        );
    }

    #[test]
    fn pleo_history_names_components_from_the_page_list() {
        let Some(body) = fixture("incidentio/pleo-proxy-incidents-2026-01-trimmed.json") else {
            return;
        };
        // Hand-made list in the shape the compat components.json gives: the ids are the
        // fixture's own, the names made up for the test.
        let known = [
            Component {
                id: "01JEV56RY027PA4NYX5H2RNAMC".to_owned(),
                name: "Invoices".to_owned(),
                status: Status::Operational,
            },
            Component {
                id: "01JEV56RY0GV18JSH8N9GECJ1G".to_owned(),
                name: "Platform".to_owned(),
                status: Status::Operational,
            },
            Component {
                id: "unrelated".to_owned(),
                name: "Cards".to_owned(),
                status: Status::MajorOutage,
            },
        ];
        let h = parse_proxy_incidents(&src("Pleo", "https://status.pleo.io"), &body, &known)
            .expect("parses");
        assert_eq!(h.incidents[0].components, vec!["Invoices"]);
        assert_eq!(h.maintenances[0].components, vec!["Platform"]);
        let unnamed =
            parse_proxy_incidents(&src("Pleo", "https://status.pleo.io"), &body, &known[2..])
                .expect("parses");
        assert!(
            unnamed.incidents[0].components.is_empty(),
            "an id the list does not give stays out"
        );
    }

    #[test]
    fn pleo_history_merges_into_the_compat_summary() {
        let (Some(main), Some(history)) = (
            fixture("incidentio/openai-statuspage-compat-summary-2026-07-09.json"),
            fixture("incidentio/pleo-proxy-incidents-2026-01-trimmed.json"),
        ) else {
            return;
        };
        // Hand-made components.json naming the id the fixture's incident points at.
        let components = br#"{"components": [{"id": "01JEV56RY027PA4NYX5H2RNAMC",
            "name": "Invoices", "status": "operational"}]}"#;
        let bodies = super::super::Bodies {
            main: &main,
            components: Some(components),
            history: Some(&history),
        };
        let s = super::super::Format::Incidentio
            .parse(&src("Pleo", "https://status.pleo.io"), &bodies)
            .expect("parses");
        assert_eq!(
            s.status,
            Status::Operational,
            "closed history changes nothing"
        );
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].id.0, "01KG77ZCW3ZCZBXCRP47BT0KFG");
        assert_eq!(
            s.incidents[0].components,
            vec!["Invoices"],
            "named from components.json"
        );
        assert_eq!(s.maintenances.len(), 1);
        assert_eq!(s.maintenances[0].id.0, "01KFGG5S6TRSJJNNBB3TQATY24");
    }

    #[test]
    fn the_main_body_may_be_any_of_the_three_summaries() {
        let page = src("Example", "https://status.example.com");
        let widget =
            parse_main(&page, &payload("incidentio-widget-summary-ongoing.json")).expect("widget");
        assert_eq!(widget.status, Status::PartialOutage);
        assert_eq!(widget.incidents[0].id.0, "01KH5GQAPENECFSECZP11HYGCP");
        assert_eq!(widget.maintenances.len(), 2);
        let proxy =
            parse_main(&page, &payload("incidentio-proxy-summary-ongoing.json")).expect("proxy");
        assert_eq!(
            proxy,
            parse_proxy_summary(&page, &payload("incidentio-proxy-summary-ongoing.json"))
                .expect("proxy")
        );
        if let Some(body) = fixture("incidentio/openai-statuspage-compat-summary-2026-07-09.json") {
            let compat = parse_main(&page, &body).expect("compatible");
            assert_eq!(compat.format, crate::model::Format::Incidentio);
            assert_eq!(compat.components.len(), 25);
            assert_eq!(
                compat.description.as_deref(),
                Some("All Systems Operational")
            );
        }
        if let Some(body) = fixture("incidentio/neon-incidentio-widget-summary-docs-example.json") {
            assert_eq!(
                parse_main(&page, &body).expect("widget").status,
                Status::Operational
            );
        }
        let err = parse_main(&page, br#"{"items": [], "count": 0}"#).expect_err("other JSON");
        assert_eq!(
            err.to_string(),
            "expected incident.io summary JSON (compatible, proxy or widget), got JSON without \
             `page`, `summary`, `page_title` or `ongoing_incidents`"
        );
        let err = parse_main(&page, b"<!DOCTYPE html><html></html>").expect_err("HTML");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
    }

    #[test]
    fn widget_items_in_the_maintenance_list_read_as_maintenances() {
        // As the peer menu-bar app's fixture has it: an in-progress maintenance whose
        // status word is an incident's, `created_at`/`updated_at` instead of our fields.
        let body = br#"{"ongoing_incidents": [], "in_progress_maintenances": [{"id": "m1",
            "name": "Upgrade", "status": "monitoring", "last_update_message": "Going on.",
            "affected_components": [], "created_at": "2024-01-15T08:00:00.000Z",
            "updated_at": "2024-01-15T09:30:00.000Z"}], "scheduled_maintenances": null}"#;
        let s = parse_main(&src("X", "https://status.example.com"), body).expect("parses");
        let m = &s.maintenances[0];
        assert_eq!(m.phase, Phase::InProgress);
        assert_eq!(m.started_at, at("2024-01-15T08:00:00Z"));
        assert_eq!(m.updated_at, at("2024-01-15T09:30:00Z"));
        assert_eq!(s.status, Status::Maintenance);
    }

    #[test]
    fn neon_widget_all_clear() {
        let Some(body) = fixture("incidentio/neon-incidentio-widget-summary-docs-example.json")
        else {
            return;
        };
        let s = parse_widget_summary(
            &src("Neon", "https://neonstatus.com/aws-europe-frankfurt"),
            &body,
        )
        .expect("parses");
        assert_eq!(s.service, "Neon");
        assert_eq!(s.format, crate::model::Format::Incidentio);
        assert_eq!(s.page_url, "https://neonstatus.com/aws-europe-frankfurt");
        assert_eq!(s.status, Status::Operational);
        assert!(s.components.is_empty());
        assert!(s.incidents.is_empty());
        assert!(s.maintenances.is_empty());
        assert_eq!(s.description, None);
    }

    #[test]
    fn handmade_proxy_summary_with_open_incident_and_maintenances() {
        let body = payload("incidentio-proxy-summary-ongoing.json");
        let s = parse_proxy_summary(&src("Example", "https://status.example.com/"), &body)
            .expect("parses");
        assert_eq!(s.format, crate::model::Format::Incidentio);
        assert_eq!(s.page_url, "https://status.example.com/");
        let listed: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("REST API", Status::PartialOutage),
                ("Webhooks", Status::Operational),
                ("Dashboard", Status::Operational),
                ("Login", Status::Maintenance),
                ("Mobile app", Status::Operational),
            ],
            "structure order; the hidden Legacy API v1 is left out"
        );
        assert_eq!(s.components[0].id, "01JQNPZX45HY43KWJRP1XPA7Z3");
        assert_eq!(s.status, Status::PartialOutage);

        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "01KH5GQAPENECFSECZP11HYGCP");
        assert_eq!(i.title, "Elevated error rates on the REST API");
        assert_eq!(i.phase, Phase::Identified);
        assert_eq!(i.impact, Impact::Major);
        assert_eq!(i.components, vec!["REST API"]);
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.example.com/incidents/01KH5GQAPENECFSECZP11HYGCP")
        );
        assert_eq!(i.started_at, at("2026-02-17T07:58:00Z"), "impact start");
        assert_eq!(i.updated_at, at("2026-02-17T08:31:40.118Z"));
        assert_eq!(i.resolved_at, None);
        let timeline: Vec<(&str, Phase)> =
            i.updates.iter().map(|u| (u.id.as_str(), u.phase)).collect();
        assert_eq!(
            timeline,
            vec![
                ("01KHWPQ5E6EYCNDY0YP57RCYBV", Phase::Investigating),
                ("01KHN5SXS5AA819X9YP981068V", Phase::Identified),
            ],
            "oldest first"
        );

        assert_eq!(s.maintenances.len(), 2);
        let running = &s.maintenances[0];
        assert_eq!(running.id.0, "01KHB9Y73MY63FCH26W14WMCHW");
        assert_eq!(running.phase, Phase::InProgress);
        assert_eq!(running.impact, Impact::Maintenance);
        assert_eq!(running.components, vec!["Login"]);
        assert_eq!(running.started_at, at("2026-02-17T06:00:00Z"));
        let planned = &s.maintenances[1];
        assert_eq!(planned.title, "Webhook queue upgrade");
        assert_eq!(planned.phase, Phase::Scheduled);
        assert_eq!(planned.components, vec!["Webhooks"]);
        assert_eq!(planned.started_at, at("2026-02-24T22:00:00Z"));
    }

    #[test]
    fn handmade_proxy_summary_unknown_values_stay_visible() {
        let body = payload("incidentio-proxy-summary-unknowns.json");
        let s =
            parse_proxy_summary(&src("Hand", "https://status.example.com"), &body).expect("parses");
        assert_eq!(s.status, Status::Degraded);
        let listed: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("Search", Status::Operational),
                ("Uploads", Status::Degraded)
            ],
            "unknown `melting` is degraded; the nameless row is dropped"
        );
        assert_eq!(s.incidents.len(), 2, "the incident without id is skipped");
        let odd = &s.incidents[0];
        assert_eq!(odd.id.0, "inc1");
        assert_eq!(odd.phase, Phase::Unknown);
        assert!(!odd.phase.is_closed());
        assert_eq!(odd.impact, Impact::Minor);
        assert_eq!(
            odd.components,
            vec!["Search"],
            "named through the page list"
        );
        assert_eq!(
            odd.url.as_deref(),
            Some("https://status.example.com/incidents/inc1"),
            "a javascript: link is not followed"
        );
        assert_eq!(odd.started_at, None, "an unreadable time is dropped");
        assert!(odd.updates.is_empty());
        let watched = &s.incidents[1];
        assert_eq!(watched.phase, Phase::Monitoring);
        assert_eq!(watched.impact, Impact::Minor, "no impacts: minor");
        assert_eq!(watched.updates.len(), 1);
        assert_eq!(watched.updates[0].id, "inc3@2026-02-01T10:00:00Z");
        assert_eq!(watched.updates[0].phase, Phase::Unknown);
        assert_eq!(watched.updates[0].body, "");
        assert_eq!(s.maintenances.len(), 1);
        assert_eq!(s.maintenances[0].phase, Phase::Unknown);
        assert_eq!(s.maintenances[0].impact, Impact::Maintenance);
    }

    #[test]
    fn handmade_history_unknown_type_and_typeless_maintenance() {
        let body = payload("incidentio-proxy-incidents-unknowns.json");
        let h = parse_proxy_incidents(&src("Hand", "https://status.example.com"), &body, &[])
            .expect("parses");
        let ids: Vec<&str> = h.incidents.iter().map(|i| i.id.0.as_str()).collect();
        assert_eq!(
            ids,
            vec!["n1", "i2"],
            "unknown type reads as incident; no id skipped"
        );
        assert_eq!(h.incidents[0].phase, Phase::Unknown);
        assert_eq!(h.incidents[0].impact, Impact::Minor);
        let i2 = &h.incidents[1];
        assert_eq!(i2.impact, Impact::Critical);
        assert_eq!(
            i2.resolved_at,
            at("2026-01-05T10:30:00Z"),
            "the resolving update"
        );
        assert_eq!(
            i2.updates.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
            vec!["u1", "u2"]
        );
        assert_eq!(h.maintenances.len(), 1);
        let m = &h.maintenances[0];
        assert_eq!(m.id.0, "m1");
        assert_eq!(m.phase, Phase::Completed);
        assert_eq!(m.started_at, at("2026-01-03T00:00:00Z"));
        assert_eq!(m.resolved_at, at("2026-01-03T01:00:00Z"));
    }

    #[test]
    fn handmade_widget_with_incident_and_maintenances() {
        let body = payload("incidentio-widget-summary-ongoing.json");
        let s = parse_widget_summary(&src("Example", "https://status.example.com"), &body)
            .expect("parses");
        assert_eq!(s.status, Status::PartialOutage);
        let listed: Vec<(&str, Status)> = s
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.status))
            .collect();
        assert_eq!(
            listed,
            vec![
                ("Webhooks", Status::PartialOutage),
                ("Dashboard", Status::Maintenance)
            ]
        );
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.id.0, "01KH5GQAPENECFSECZP11HYGCP");
        assert_eq!(i.phase, Phase::Monitoring);
        assert_eq!(i.impact, Impact::Major);
        assert_eq!(i.components, vec!["Webhooks"]);
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.example.com/incidents/01KH5GQAPENECFSECZP11HYGCP")
        );
        assert_eq!(i.updates.len(), 1);
        assert_eq!(
            i.updates[0].id,
            "01KH5GQAPENECFSECZP11HYGCP@2026-03-02T09:15:00.000Z"
        );
        assert_eq!(i.updated_at, at("2026-03-02T09:15:00Z"));
        assert_eq!(s.maintenances.len(), 2);
        assert_eq!(s.maintenances[0].phase, Phase::InProgress);
        assert_eq!(s.maintenances[0].started_at, at("2026-03-02T08:00:00Z"));
        assert_eq!(s.maintenances[1].phase, Phase::Scheduled);
        assert_eq!(s.maintenances[1].started_at, at("2026-03-09T22:00:00Z"));
        assert_eq!(s.maintenances[1].components, vec!["REST API"]);
    }

    #[test]
    fn handmade_widget_unknown_values_stay_visible() {
        let body = payload("incidentio-widget-summary-unknowns.json");
        let s = parse_widget_summary(&src("Hand", "https://status.example.com"), &body)
            .expect("parses");
        assert_eq!(s.status, Status::Degraded);
        assert_eq!(s.components.len(), 1, "Uploads has no current status");
        assert_eq!(s.components[0].name, "Search");
        assert_eq!(s.components[0].status, Status::Degraded);
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.phase, Phase::Unknown);
        assert_eq!(i.impact, Impact::Minor);
        assert_eq!(i.components, vec!["Search", "Uploads"]);
        assert_eq!(
            i.url.as_deref(),
            Some("https://status.example.com/incidents/w1")
        );
        assert_eq!(s.maintenances.len(), 1);
        assert_eq!(s.maintenances[0].phase, Phase::Scheduled, "from its list");
    }

    #[test]
    fn affected_component_missing_from_the_list_is_shown() {
        let body = br#"{"summary": {"components": [{"id": "a", "name": "API"}],
            "affected_components": [{"component_id": "zz", "status": "full_outage"}]}}"#;
        let s = parse_proxy_summary(&src("X", "https://x"), body).expect("parses");
        assert_eq!(s.status, Status::MajorOutage);
        assert_eq!(s.components.len(), 2);
        assert_eq!(s.components[1].name, "zz");
    }

    #[test]
    fn html_and_empty_bodies_are_errors() {
        let html = b"<!DOCTYPE html><html><body>Status</body></html>";
        let x = src("X", "https://x");
        for (err, expected) in [
            (
                parse_proxy_summary(&x, html).expect_err("html"),
                EXPECTED_SUMMARY,
            ),
            (
                parse_proxy_incidents(&x, html, &[]).expect_err("html"),
                EXPECTED_INCIDENTS,
            ),
            (
                parse_widget_summary(&x, html).expect_err("html"),
                EXPECTED_WIDGET,
            ),
        ] {
            assert_eq!(
                err,
                ParseError::NotTheFormat {
                    expected,
                    got: "an HTML page".to_owned()
                }
            );
            assert_eq!(
                err.to_string(),
                format!("expected {expected}, got an HTML page")
            );
        }
        for err in [
            parse_proxy_summary(&x, b"").expect_err("empty"),
            parse_proxy_incidents(&x, b"  \n", &[]).expect_err("empty"),
            parse_widget_summary(&x, b"").expect_err("empty"),
        ] {
            assert!(err.to_string().ends_with("got an empty body"), "{err}");
        }
    }

    #[test]
    fn other_apis_json_is_an_error() {
        let x = src("X", "https://x");
        if let Some(statuspage) = fixture("statuspage/github-summary-2022-11-25.json") {
            assert!(parse_proxy_summary(&x, &statuspage).is_err());
            assert!(parse_widget_summary(&x, &statuspage).is_err());
            let err = parse_proxy_incidents(&x, &statuspage, &[]).expect_err("statuspage summary");
            assert!(err.to_string().contains("`page` object"), "{err}");
        }
        if let Some(history) = fixture("statuspage/github-incidents-2024-09-17-trimmed.json") {
            assert!(parse_proxy_incidents(&x, &history, &[]).is_err());
        }
        if let Some(compat) = fixture("incidentio/openai-statuspage-compat-summary-2026-07-09.json")
        {
            assert!(parse_proxy_summary(&x, &compat).is_err());
            assert!(parse_widget_summary(&x, &compat).is_err());
        }
        // Each native shape fed to the other parsers.
        let proxy = payload("incidentio-proxy-summary-ongoing.json");
        let widget = payload("incidentio-widget-summary-ongoing.json");
        assert!(parse_widget_summary(&x, &proxy).is_err());
        assert!(parse_proxy_incidents(&x, &proxy, &[]).is_err());
        assert!(parse_proxy_summary(&x, &widget).is_err());
        assert!(parse_proxy_incidents(&x, &widget, &[]).is_err());
        let err = parse_proxy_summary(&x, br#"{"summary": {"total": 3}}"#).expect_err("other");
        assert!(
            err.to_string().contains("without a `summary` object"),
            "{err}"
        );
        let err = parse_proxy_summary(&x, br#"{"summary": 3}"#).expect_err("not an object");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
        let err =
            parse_proxy_incidents(&x, br#"{"items": [], "count": 0}"#, &[]).expect_err("other");
        assert!(err.to_string().contains("`incidents` list"), "{err}");
        let err = parse_widget_summary(&x, br#"{"page": {"name": "x"}, "activeIncidents": []}"#)
            .expect_err("instatus-like");
        assert!(err.to_string().contains("`page_title`"), "{err}");
        assert!(parse_widget_summary(&x, b"[]").is_err());
    }

    #[test]
    fn truncated_json_is_an_error_at_every_cut() {
        let x = src("X", "https://x");
        let proxy = payload("incidentio-proxy-summary-ongoing.json");
        let widget = payload("incidentio-widget-summary-ongoing.json");
        let history = fixture("incidentio/pleo-proxy-incidents-2026-01-trimmed.json")
            .unwrap_or_else(|| payload("incidentio-proxy-incidents-unknowns.json"));
        // Cutting before the closing brace leaves no complete JSON value.
        let cut = |b: &[u8]| b.len() - 1 - b.iter().rev().position(|&c| c == b'}').unwrap_or(0);
        for n in 1..cut(&proxy) {
            assert!(parse_proxy_summary(&x, &proxy[..n]).is_err(), "cut at {n}");
        }
        for n in 1..cut(&widget) {
            assert!(
                parse_widget_summary(&x, &widget[..n]).is_err(),
                "cut at {n}"
            );
        }
        for n in 1..cut(&history) {
            assert!(
                parse_proxy_incidents(&x, &history[..n], &[]).is_err(),
                "cut at {n}"
            );
        }
        let err = parse_proxy_summary(&x, br#"{"summary": {"components": ["#).expect_err("cut");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    /// A hand-made proxy summary and widget as a vendor's small change could send them: a
    /// component whose id is a number, one whose name is null, list elements that are no
    /// objects, a status that is a number, an update list that is a string, an incident
    /// name that is a list. Each page is read; each odd value is absent (or its safe
    /// default) and each odd element skipped.
    #[test]
    fn one_odd_field_never_rejects_the_page() {
        let proxy = serde_json::json!({"summary": {
            "components": [
                {"id": "c1", "name": "API", "hidden": "false"},
                {"id": "c2", "name": null},
                "not a component",
                {"id": 3, "name": "Web", "hidden": false}
            ],
            "structure": {"items": [7, {"component": {"component_id": "c1", "name": "API", "hidden": 0}}]},
            "affected_components": [
                {"component_id": "c1", "status": 500},
                {"component_id": "3", "status": "partial_outage"}
            ],
            "ongoing_incidents": [
                {"id": "i1", "name": "Errors", "status": "investigating", "updates": "none",
                 "component_impacts": [{"component_id": "3", "status": "partial_outage", "start_at": 17}]},
                {"id": 42, "name": ["Slow"], "status": "identified",
                 "affected_components": [null, {"component_id": "c1"}]}
            ],
            "scheduled_maintenances": {"unexpected": true}
        }});
        let body = serde_json::to_vec(&proxy).expect("json");
        let s =
            parse_proxy_summary(&src("Odd", "https://status.example.com"), &body).expect("parses");
        let components: Vec<(&str, &str, Status)> = s
            .components
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str(), c.status))
            .collect();
        // The nameless c2 is left out; the status that is a number is unknown, so degraded.
        assert_eq!(
            components,
            [
                ("c1", "API", Status::Degraded),
                ("3", "Web", Status::PartialOutage)
            ]
        );
        let incidents: Vec<(&str, &str, Impact, Vec<String>)> = s
            .incidents
            .iter()
            .map(|i| {
                (
                    i.id.0.as_str(),
                    i.title.as_str(),
                    i.impact,
                    i.components.clone(),
                )
            })
            .collect();
        assert_eq!(
            incidents,
            [
                ("i1", "Errors", Impact::Major, vec!["Web".to_owned()]),
                ("42", "", Impact::Minor, vec!["API".to_owned()])
            ]
        );
        assert!(s.incidents[0].updates.is_empty());
        assert!(s.maintenances.is_empty());
        assert_eq!(s.status, Status::PartialOutage);

        let widget = serde_json::json!({
            "page_title": 5,
            "ongoing_incidents": [
                "not an incident",
                {"id": "w1", "name": "Down", "status": "investigating",
                 "last_update_message": {"rich": true},
                 "affected_components": [{"id": "c1", "name": "API", "current_status": "full_outage"}, 8]}
            ],
            "in_progress_maintenances": "none"
        });
        let body = serde_json::to_vec(&widget).expect("json");
        let s =
            parse_widget_summary(&src("Odd", "https://status.example.com"), &body).expect("parses");
        assert_eq!(s.incidents.len(), 1);
        assert_eq!(s.incidents[0].components, ["API"]);
        assert_eq!(s.status, Status::MajorOutage);
    }
}

//! Status-page formats: which endpoints each reads and how its bytes become a [`Snapshot`].

pub mod aws;
pub mod betterstack;
mod dates;
mod entry_html;
pub mod feed;
pub mod google;
pub mod heroku;
mod html;
pub mod incidentio;
pub mod instatus;
mod lenient;
pub mod slack;
pub mod statusio;
pub mod statuspage;
pub mod text;
mod timeline;
mod wording;

use crate::model::Snapshot;
pub use crate::model::{Format, UnknownFormat};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// What one request of a read is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Decides the read: if it fails, the page is unreadable.
    Main,
    /// The full component list where the main body may omit some.
    Components,
    /// Recent history (resolved incidents too).
    History,
}

/// One URL a format reads, and whether it is needed on every poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub url: String,
    pub role: Role,
    /// `false`: read at the first poll and then now and then (history changes slowly).
    pub every_poll: bool,
}

/// Narrows a page that covers many products or regions to the ones the user has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Google: product names or ids (case-insensitive). Empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// AWS and Google: region or location names/ids (case-insensitive). Empty: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.products.is_empty() && self.regions.is_empty()
    }

    /// Whether any of `names` is a wanted product (true when no product filter is set).
    pub fn wants_product<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        wants(&self.products, names)
    }

    /// Whether any of `names` is a wanted region (true when no region filter is set).
    pub fn wants_region<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        wants(&self.regions, names)
    }
}

fn wants<'a>(wanted: &[String], names: impl IntoIterator<Item = &'a str>) -> bool {
    if wanted.is_empty() {
        return true;
    }
    names.into_iter().any(|n| {
        let n = n.trim();
        wanted.iter().any(|w| w.trim().eq_ignore_ascii_case(n))
    })
}

/// Who is being read: passed to every parser.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The service's display name.
    pub service: &'a str,
    /// The page URL as configured (links fall back to it).
    pub page_url: &'a str,
    pub filter: &'a Filter,
}

/// The bodies of one read, by role. `main` is always there.
#[derive(Debug, Clone, Copy)]
pub struct Bodies<'a> {
    pub main: &'a [u8],
    pub components: Option<&'a [u8]>,
    pub history: Option<&'a [u8]>,
}

impl<'a> Bodies<'a> {
    pub fn main(main: &'a [u8]) -> Self {
        Bodies {
            main,
            components: None,
            history: None,
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EndpointError {
    #[error("{0}")]
    NotAnEndpoint(String),
}

impl Format {
    /// The addresses to read for a page URL as a user pastes it, main first.
    /// `endpoint` (from the config or catalog) replaces the main address when given.
    pub fn endpoints(
        self,
        page_url: &str,
        endpoint: Option<&str>,
    ) -> Result<Vec<Endpoint>, EndpointError> {
        let base = page_url.trim_end_matches('/');
        let main = |default: String| Endpoint {
            url: endpoint.map_or(default, str::to_owned),
            role: Role::Main,
            every_poll: true,
        };
        let extra = |url: String, role: Role, every_poll: bool| Endpoint {
            url,
            role,
            every_poll,
        };
        Ok(match self {
            Format::Statuspage => vec![
                main(format!("{base}/api/v2/summary.json")),
                extra(
                    format!("{base}/api/v2/incidents.json"),
                    Role::History,
                    false,
                ),
            ],
            Format::Incidentio => {
                let host = url::Url::parse(page_url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_default();
                vec![
                    main(format!("{base}/api/v2/summary.json")),
                    // incident.io's summary can leave out components that this lists.
                    extra(
                        format!("{base}/api/v2/components.json"),
                        Role::Components,
                        true,
                    ),
                    extra(
                        format!("{base}/proxy/{host}/incidents"),
                        Role::History,
                        false,
                    ),
                ]
            }
            Format::Instatus => {
                // A page read through the legacy `/summary.json` keeps its components
                // at `/v2/components.json`; `/v3/components.json` is not there.
                let components = match endpoint.and_then(|e| e.strip_suffix("/summary.json")) {
                    Some(prefix) if prefix.ends_with("/v3") => format!("{prefix}/components.json"),
                    Some(prefix) => format!("{prefix}/v2/components.json"),
                    None => format!("{base}/v3/components.json"),
                };
                vec![
                    main(format!("{base}/v3/summary.json")),
                    extra(components, Role::Components, true),
                ]
            }
            Format::Betterstack => vec![main(format!("{base}/index.json"))],
            Format::Slack => vec![main(format!("{base}/api/v2.0.0/current"))],
            Format::Google => vec![main(if base.ends_with("incidents.json") {
                base.to_owned()
            } else {
                format!("{base}/incidents.json")
            })],
            Format::Aws => {
                // The dashboard lives at /health/status; the data at the origin's /public/.
                let origin = url::Url::parse(page_url)
                    .map(|u| u.origin().ascii_serialization())
                    .unwrap_or_else(|_| base.to_owned());
                vec![main(format!("{origin}/public/currentevents"))]
            }
            Format::Heroku => vec![main(format!("{base}/api/v4/current-status"))],
            Format::Statusio => {
                if endpoint.is_none() && !base.contains("/1.0/status/") {
                    return Err(EndpointError::NotAnEndpoint(format!(
                        "{page_url}: status.io pages are read through their API; give \
                         `endpoint = \"https://api.status.io/1.0/status/<page id>\"`"
                    )));
                }
                vec![main(base.to_owned())]
            }
            Format::Feed => vec![main(if looks_like_feed_url(base) {
                base.to_owned()
            } else {
                format!("{base}/history.atom")
            })],
        })
    }

    /// Turns the bodies of one read into a snapshot. Extra bodies that do not parse are
    /// logged and left out: only the main one decides whether the page was read.
    pub fn parse(self, src: &Source<'_>, bodies: &Bodies<'_>) -> Result<Snapshot, ParseError> {
        let mut snapshot = match self {
            Format::Statuspage => statuspage::parse_summary(src, bodies.main)?,
            Format::Incidentio => incidentio::parse_main(src, bodies.main)?,
            Format::Instatus => instatus::parse(src, bodies.main, bodies.components)?,
            Format::Betterstack => betterstack::parse(src, bodies.main)?,
            Format::Slack => slack::parse(src, bodies.main)?,
            Format::Google => google::parse(src, bodies.main)?,
            Format::Aws => aws::parse(src, bodies.main)?,
            Format::Heroku => heroku::parse(src, bodies.main)?,
            Format::Statusio => statusio::parse(src, bodies.main)?,
            Format::Feed => feed::parse(src, bodies.main)?,
        };
        if let (Format::Statuspage | Format::Incidentio, Some(body)) = (self, bodies.components) {
            match statuspage::parse_components(body) {
                Ok(all) => merge_components(&mut snapshot, all),
                Err(e) => {
                    tracing::warn!(service = src.service, error = %e, "components list ignored")
                }
            }
        }
        if let Some(body) = bodies.history {
            let history = match self {
                Format::Statuspage => statuspage::parse_incidents(src, body),
                Format::Incidentio => {
                    incidentio::parse_proxy_incidents(src, body, &snapshot.components)
                }
                _ => Ok(Default::default()),
            };
            match history {
                Ok(h) => merge_history(&mut snapshot, h),
                Err(e) => tracing::warn!(service = src.service, error = %e, "history ignored"),
            }
        }
        // The page's own word is shown only where it contradicts what is shown.
        if snapshot.page_status == Some(snapshot.status) {
            snapshot.page_status = None;
        }
        text::clean_snapshot(&mut snapshot);
        Ok(snapshot)
    }
}

/// The page's overall state, for every format: the worst of its own indicator, its
/// components, its open incidents' impact, and maintenance while one is under way
/// ([`crate::model::Phase::maintenance_running`]) — a page can say "none" while an
/// incident is open.
pub(crate) fn overall_status(
    indicator: crate::model::Status,
    components: &[crate::model::Component],
    incidents: &[crate::model::Incident],
    maintenances: &[crate::model::Incident],
) -> crate::model::Status {
    use crate::model::Status;
    let mut status = indicator;
    for c in components {
        status = status.max(c.status);
    }
    for i in incidents.iter().filter(|i| !i.phase.is_closed()) {
        status = status.max(i.impact.implied_status());
    }
    if maintenances.iter().any(|m| m.phase.maintenance_running()) {
        status = status.max(Status::Maintenance);
    }
    status
}

/// Whether a link may be shown and opened: http(s) only, whatever the case.
pub(crate) fn is_http(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// A JSON id or code that may come as a string or a number.
pub(crate) fn scalar_string(v: &serde_json::Value) -> Option<String> {
    let s = match v {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Closed incidents kept from one read: what a page's own history endpoint gives.
const MAX_CLOSED: usize = 50;

/// Open ones, then the most recent closed ones, newest first: pages that list their whole
/// history (Google, AWS) would otherwise rewrite hundreds of rows on every poll.
pub(crate) fn keep_recent(
    mut incidents: Vec<crate::model::Incident>,
) -> Vec<crate::model::Incident> {
    incidents.sort_by_key(|i| std::cmp::Reverse(i.started_at));
    let mut closed = 0;
    incidents.retain(|i| {
        if !i.phase.is_closed() {
            return true;
        }
        closed += 1;
        closed <= MAX_CLOSED
    });
    incidents
}

/// Incidents and maintenances from a history endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub incidents: Vec<crate::model::Incident>,
    pub maintenances: Vec<crate::model::Incident>,
}

/// Adds components the main body left out; the main body's statuses win.
fn merge_components(snapshot: &mut Snapshot, all: Vec<crate::model::Component>) {
    for c in all {
        let known = snapshot
            .components
            .iter()
            .any(|k| (!c.id.is_empty() && k.id == c.id) || k.name == c.name);
        if !known {
            snapshot.status = snapshot.status.max(c.status);
            snapshot.components.push(c);
        }
    }
}

/// Adds past incidents the main body does not list. What the main body says about an
/// incident is newer, so it wins; an incident the history says is open but the main
/// body (the current state) does not list is left out rather than reopened.
fn merge_history(snapshot: &mut Snapshot, history: History) {
    for (list, more) in [
        (&mut snapshot.incidents, history.incidents),
        (&mut snapshot.maintenances, history.maintenances),
    ] {
        for i in more {
            if i.phase.is_closed() && !list.iter().any(|k| k.id == i.id) {
                list.push(i);
            }
        }
    }
}

fn looks_like_feed_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    [".atom", ".rss", ".xml", "/feed", "/rss", "/atom"]
        .iter()
        .any(|s| lower.ends_with(s))
        || lower.contains("/feed/")
}

/// A body that is not what the format promises. Never read as "operational".
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ParseError {
    #[error("expected {expected}, got {got}")]
    NotTheFormat { expected: &'static str, got: String },
    #[error("{expected} is malformed: {detail}")]
    Malformed {
        expected: &'static str,
        detail: String,
    },
}

/// Deserializes JSON, naming what came instead when it is not JSON at all.
pub(crate) fn from_json<T: DeserializeOwned>(
    expected: &'static str,
    body: &[u8],
) -> Result<T, ParseError> {
    serde_json::from_slice(body).map_err(|e| {
        let got = describe_body(body);
        if got == "JSON of another shape" {
            ParseError::Malformed {
                expected,
                detail: e.to_string(),
            }
        } else {
            ParseError::NotTheFormat { expected, got }
        }
    })
}

/// The error for JSON that parsed but lacks the keys that make it this format.
pub(crate) fn missing_keys(expected: &'static str, keys: &str) -> ParseError {
    ParseError::NotTheFormat {
        expected,
        got: format!("JSON without {keys}"),
    }
}

/// RFC 3339 with any offset; a value we cannot read is dropped (and logged), not fatal.
pub(crate) fn time(raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw?.trim();
    if raw.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    // Some APIs drop the `T` or use a numeric offset without a colon.
    for fmt in [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(raw, fmt) {
            return Some(t.with_timezone(&Utc));
        }
    }
    tracing::warn!(value = raw, "unreadable timestamp");
    None
}

/// Names what a body that failed to parse looks like, for a one-line error.
pub fn describe_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() || trimmed.is_empty() {
        return "an empty body".to_owned();
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body")
    {
        return "an HTML page".to_owned();
    }
    if lower.starts_with("<?xml") || lower.starts_with("<rss") || lower.starts_with("<feed") {
        return "an XML document".to_owned();
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return "JSON of another shape".to_owned();
    }
    let preview: String = trimmed
        .chars()
        .take(40)
        .filter(|c| !c.is_control())
        .collect();
    format!("text starting {preview:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_overall_rule_for_every_format() {
        use crate::model::{Impact, Incident, IncidentId, Phase, Status};
        let story = |phase, impact| Incident {
            id: IncidentId("x".to_owned()),
            title: "x".to_owned(),
            phase,
            impact,
            started_at: None,
            scheduled_for: None,
            updated_at: None,
            resolved_at: None,
            url: None,
            components: vec![],
            updates: vec![],
        };
        let api = |status| crate::model::Component {
            id: "api".to_owned(),
            name: "API".to_owned(),
            status,
        };
        let op = Status::Operational;
        // (indicator, component, incident, maintenance) -> overall
        let table = [
            (op, op, None, None, op),
            // A page that says "none" while an incident is open is not believed.
            (
                op,
                op,
                Some((Phase::Investigating, Impact::Major)),
                None,
                Status::PartialOutage,
            ),
            (op, op, Some((Phase::Resolved, Impact::Critical)), None, op),
            (op, Status::Degraded, None, None, Status::Degraded),
            (Status::MajorOutage, op, None, None, Status::MajorOutage),
            (op, op, None, Some(Phase::Scheduled), op),
            (op, op, None, Some(Phase::InProgress), Status::Maintenance),
            (op, op, None, Some(Phase::Verifying), Status::Maintenance),
            // An unknown maintenance phase may be a running one: shown, not hidden.
            (op, op, None, Some(Phase::Unknown), Status::Maintenance),
            (op, op, None, Some(Phase::Completed), op),
            (
                op,
                Status::Degraded,
                None,
                Some(Phase::InProgress),
                Status::Degraded,
            ),
        ];
        for (indicator, component, incident, maintenance, want) in table {
            let incidents: Vec<_> = incident.map(|(p, i)| story(p, i)).into_iter().collect();
            let maintenances: Vec<_> = maintenance
                .map(|p| story(p, Impact::Maintenance))
                .into_iter()
                .collect();
            let got = overall_status(indicator, &[api(component)], &incidents, &maintenances);
            assert_eq!(
                got, want,
                "{indicator:?} {component:?} {incident:?} {maintenance:?}"
            );
        }
    }

    #[test]
    fn format_names_parse() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().ok(), Some(f));
        }
        assert_eq!(
            "incident.io".parse::<Format>().ok(),
            Some(Format::Incidentio)
        );
        assert_eq!("Atom".parse::<Format>().ok(), Some(Format::Feed));
        let err = "gopher".parse::<Format>().expect_err("unknown");
        assert!(err.to_string().contains("known: statuspage"), "{err}");
    }

    #[test]
    fn endpoints_are_under_the_page() {
        let main =
            |f: Format, page: &str| f.endpoints(page, None).expect("endpoints")[0].url.clone();
        assert_eq!(
            main(Format::Statuspage, "https://status.openai.com/"),
            "https://status.openai.com/api/v2/summary.json"
        );
        assert_eq!(
            main(Format::Aws, "https://health.aws.amazon.com/health/status"),
            "https://health.aws.amazon.com/public/currentevents"
        );
        assert_eq!(
            main(
                Format::Google,
                "https://www.google.com/appsstatus/dashboard/"
            ),
            "https://www.google.com/appsstatus/dashboard/incidents.json"
        );
        assert_eq!(
            main(Format::Feed, "https://status.claude.com"),
            "https://status.claude.com/history.atom"
        );
        assert_eq!(
            main(
                Format::Feed,
                "https://azure.status.microsoft/en-us/status/feed/"
            ),
            "https://azure.status.microsoft/en-us/status/feed"
        );
        let io = Format::Incidentio
            .endpoints("https://status.openai.com", None)
            .expect("endpoints");
        assert_eq!(
            io[2].url,
            "https://status.openai.com/proxy/status.openai.com/incidents"
        );
        assert!(!io[2].every_poll);
        let instatus = |endpoint: Option<&str>| -> Vec<String> {
            Format::Instatus
                .endpoints("https://status.example.com/", endpoint)
                .expect("endpoints")
                .into_iter()
                .map(|e| e.url)
                .collect()
        };
        assert_eq!(
            instatus(None),
            [
                "https://status.example.com/v3/summary.json",
                "https://status.example.com/v3/components.json"
            ]
        );
        assert_eq!(
            instatus(Some("https://status.example.com/summary.json")),
            [
                "https://status.example.com/summary.json",
                "https://status.example.com/v2/components.json"
            ],
            "the legacy summary's components are at /v2/"
        );
        assert_eq!(
            instatus(Some("https://status.example.com/v3/summary.json"))[1],
            "https://status.example.com/v3/components.json"
        );
        assert!(Format::Statusio
            .endpoints("https://status.gitlab.com", None)
            .is_err());
        assert_eq!(
            Format::Statusio
                .endpoints(
                    "https://status.gitlab.com",
                    Some("https://api.status.io/1.0/status/x")
                )
                .expect("override")[0]
                .url,
            "https://api.status.io/1.0/status/x"
        );
    }

    #[test]
    fn the_pages_own_word_is_kept_only_where_it_contradicts() {
        use crate::model::Status;
        use crate::test_support::{payload, src};
        let page = src("Acme", "https://status.example.com");
        let summary = payload("instatus-summary-operational.json");
        let components = payload("instatus-v2-components.json");
        let with_components = Bodies {
            main: &summary,
            components: Some(&components),
            history: None,
        };
        let s = Format::Instatus
            .parse(&page, &with_components)
            .expect("parses");
        assert_eq!(s.status, Status::MajorOutage);
        assert_eq!(s.page_status, Some(Status::Operational));
        let s = Format::Instatus
            .parse(&page, &Bodies::main(&summary))
            .expect("parses");
        assert_eq!((s.status, s.page_status), (Status::Operational, None));
        // A component only components.json lists can contradict the summary too.
        let compat = br#"{"page": {"id": "p"}, "status": {"indicator": "none"}, "components": []}"#;
        let extra =
            br#"{"components": [{"id": "c9", "name": "Search", "status": "partial_outage"}]}"#;
        let s = Format::Statuspage
            .parse(
                &page,
                &Bodies {
                    main: compat,
                    components: Some(extra),
                    history: None,
                },
            )
            .expect("parses");
        assert_eq!(
            (s.status, s.page_status),
            (Status::PartialOutage, Some(Status::Operational))
        );
        // Formats without a word of their own never claim one.
        let feed = payload("feed-slack-history.atom");
        let s = Format::Feed
            .parse(&page, &Bodies::main(&feed))
            .expect("parses");
        assert_eq!((s.status, s.page_status), (Status::Degraded, None));
    }

    #[test]
    fn filters_match_case_insensitively_and_empty_wants_all() {
        let none = Filter::default();
        assert!(none.wants_region(["us-east-1"]));
        let f = Filter {
            products: vec!["Cloud Run".to_owned()],
            regions: vec!["us-east-1".to_owned()],
        };
        assert!(f.wants_product(["BigQuery", "cloud run"]));
        assert!(!f.wants_product(["BigQuery"]));
        assert!(f.wants_region(["US-EAST-1"]));
        assert!(!f.wants_region(Vec::<&str>::new()));
    }

    #[test]
    fn times_in_the_shapes_pages_use() {
        assert!(time(Some("2022-11-25T09:19:13.337-08:00")).is_some());
        assert!(time(Some("2023-09-26T10:41:52-07:00")).is_some());
        assert!(time(Some("2023-09-26 10:41:52-0700")).is_some());
        assert_eq!(time(Some("yesterday")), None);
        assert_eq!(time(Some("")), None);
    }

    #[test]
    fn bodies_are_described() {
        assert_eq!(describe_body(b""), "an empty body");
        assert_eq!(describe_body(b"<!DOCTYPE html><html>"), "an HTML page");
        assert_eq!(describe_body(b"  <html lang=en>"), "an HTML page");
        assert_eq!(describe_body(b"<?xml version='1.0'?>"), "an XML document");
        assert_eq!(describe_body(b"{\"a\":1}"), "JSON of another shape");
        assert_eq!(describe_body(b"hello"), "text starting \"hello\"");
    }
}

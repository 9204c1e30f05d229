//! The overview the tray and the window read: each service's health, the overall state and
//! the one-line summary.

use crate::config::ServiceConfig;
use crate::history::IncidentRow;
use crate::model::{Impact, Kind, Snapshot, Status};
use crate::read::Failure;
use crate::transitions::ServiceState;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// How a service is doing as far as we can tell: its page's state, or why we cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Not read yet.
    Unknown,
    Operational,
    Maintenance,
    Degraded,
    PartialOutage,
    MajorOutage,
    /// The last read failed.
    Unreachable,
    /// Reads have failed for longer than the stale limit.
    Stale,
    /// The page answers, but no longer in its format (it moved, or changed platform).
    ChangedFormat,
}

impl Health {
    pub fn of(status: Status) -> Self {
        match status {
            Status::Operational => Health::Operational,
            Status::Maintenance => Health::Maintenance,
            Status::Degraded => Health::Degraded,
            Status::PartialOutage => Health::PartialOutage,
            Status::MajorOutage => Health::MajorOutage,
        }
    }

    /// The page's state, when the page could be read.
    pub fn status(self) -> Option<Status> {
        match self {
            Health::Operational => Some(Status::Operational),
            Health::Maintenance => Some(Status::Maintenance),
            Health::Degraded => Some(Status::Degraded),
            Health::PartialOutage => Some(Status::PartialOutage),
            Health::MajorOutage => Some(Status::MajorOutage),
            Health::Unknown | Health::Unreachable | Health::Stale | Health::ChangedFormat => None,
        }
    }

    /// Whether we cannot read the page (as opposed to not having tried yet).
    pub fn is_failing(self) -> bool {
        matches!(
            self,
            Health::Unreachable | Health::Stale | Health::ChangedFormat
        )
    }

    /// Words for people, as the tray and the summary show them.
    pub fn label(self) -> &'static str {
        match self {
            Health::Unknown => "checking…",
            Health::Unreachable => "unreachable",
            Health::Stale => "no data for a while",
            Health::ChangedFormat => "page changed format",
            other => other.status().map_or("unknown", Status::label),
        }
    }
}

/// The state the tray icon shows: the worst readable state, or why there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Overall {
    /// Nothing read yet, or nothing watched.
    #[default]
    Unknown,
    Operational,
    Maintenance,
    Degraded,
    PartialOutage,
    MajorOutage,
    /// No page could be read: the user's network, not the vendors'.
    Offline,
}

impl Overall {
    fn of(status: Status) -> Self {
        match status {
            Status::Operational => Overall::Operational,
            Status::Maintenance => Overall::Maintenance,
            Status::Degraded => Overall::Degraded,
            Status::PartialOutage => Overall::PartialOutage,
            Status::MajorOutage => Overall::MajorOutage,
        }
    }
}

/// One service as the tray and window show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub format: String,
    pub state: Health,
    pub description: Option<String>,
    pub error: Option<String>,
    pub last_ok_at: Option<DateTime<Utc>>,
    pub open_incidents: usize,
    /// The worst impact among its open incidents.
    pub worst_impact: Option<Impact>,
}

/// What the UI renders: services, recent incidents, and a one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub summary: String,
    /// Things the user must know that are not a page's state: a history file kept aside,
    /// a config that could not be read.
    pub notices: Vec<String>,
    pub overall: Overall,
    pub offline: bool,
    pub paused_until: Option<DateTime<Utc>>,
    pub services: Vec<ServiceView>,
    pub incidents: Vec<IncidentRow>,
    pub checked_at: Option<DateTime<Utc>>,
}

/// The view of one service from its state (and the snapshot just read, if any).
pub fn view_of(
    service: &ServiceConfig,
    state: &ServiceState,
    snapshot: Option<&Snapshot>,
    stale_after: chrono::Duration,
    now: DateTime<Utc>,
) -> ServiceView {
    let health = match (state.failing_since, state.failure, state.status) {
        (Some(_), Some(Failure::WrongFormat), _) if state.baselined => Health::ChangedFormat,
        (Some(since), _, _) if now - since >= stale_after => Health::Stale,
        (Some(_), _, _) => Health::Unreachable,
        (None, _, Some(s)) => Health::of(s),
        (None, _, None) => Health::Unknown,
    };
    let open: Vec<Impact> = state
        .open
        .values()
        .filter(|k| k.kind == Kind::Incident)
        .map(|k| k.impact)
        .collect();
    ServiceView {
        id: service.id.to_string(),
        name: service.name.clone(),
        url: service.url.clone(),
        format: snapshot.map_or_else(|| service.format.as_str().to_owned(), |s| s.format.clone()),
        state: health,
        description: snapshot.and_then(|s| s.description.clone()),
        error: state.last_error.clone(),
        last_ok_at: state.last_ok_at,
        open_incidents: open.len(),
        worst_impact: open.into_iter().max(),
    }
}

/// Worst readable state, offline when nothing could be read, unknown before the first poll.
pub fn overall(views: &[ServiceView], offline: bool) -> Overall {
    if offline {
        return Overall::Offline;
    }
    match views.iter().filter_map(|v| v.state.status()).max() {
        Some(s) => Overall::of(s),
        None if !views.is_empty() && views.iter().all(|v| v.state.is_failing()) => Overall::Offline,
        None => Overall::Unknown,
    }
}

/// The tray's first line: "2 incidents: OpenAI (major), GitHub (minor)".
pub fn summarize(views: &[ServiceView], offline: bool) -> String {
    if views.is_empty() {
        return "No services watched".to_owned();
    }
    if offline {
        return "Offline: no status page reachable".to_owned();
    }
    if views.iter().all(|v| v.state.is_failing()) {
        let list: Vec<String> = views
            .iter()
            .map(|v| format!("{} ({})", v.name, v.state.label()))
            .collect();
        return format!("Not readable: {}", list.join(", "));
    }
    if views.iter().all(|v| v.state == Health::Unknown) {
        return "Checking…".to_owned();
    }
    let mut with_incidents: Vec<&ServiceView> =
        views.iter().filter(|v| v.open_incidents > 0).collect();
    with_incidents.sort_by_key(|v| std::cmp::Reverse(v.worst_impact));
    let incidents: usize = with_incidents.iter().map(|v| v.open_incidents).sum();
    let mut out = if incidents > 0 {
        let list: Vec<String> = with_incidents
            .iter()
            .map(|v| format!("{} ({})", v.name, v.worst_impact.unwrap_or_default()))
            .collect();
        let noun = if incidents == 1 {
            "incident"
        } else {
            "incidents"
        };
        format!("{incidents} {noun}: {}", list.join(", "))
    } else {
        let mut troubled: Vec<(&ServiceView, Status)> = views
            .iter()
            .filter_map(|v| v.state.status().map(|s| (v, s)))
            .filter(|(_, s)| *s > Status::Operational)
            .collect();
        troubled.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
        if troubled.is_empty() {
            "All operational".to_owned()
        } else {
            let list: Vec<String> = troubled
                .iter()
                .map(|(v, s)| format!("{} ({})", v.name, s.label()))
                .collect();
            list.join(", ")
        }
    };
    let failing = views.iter().filter(|v| v.state.is_failing()).count();
    if failing > 0 {
        out.push_str(&format!(" · {failing} not readable"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str, state: Health, open: usize, worst: Option<Impact>) -> ServiceView {
        ServiceView {
            id: name.to_lowercase(),
            name: name.to_owned(),
            url: format!("https://{name}.example"),
            format: "statuspage".to_owned(),
            state,
            description: None,
            error: None,
            last_ok_at: None,
            open_incidents: open,
            worst_impact: worst,
        }
    }

    #[test]
    fn summary_lines() {
        use Health::*;
        use Impact::{Major, Minor};
        let table: Vec<(Vec<ServiceView>, bool, &str, Overall)> = vec![
            (vec![], false, "No services watched", Overall::Unknown),
            (
                vec![view("A", Unknown, 0, None), view("B", Unknown, 0, None)],
                false,
                "Checking…",
                Overall::Unknown,
            ),
            (
                vec![
                    view("A", Operational, 0, None),
                    view("B", Operational, 0, None),
                ],
                false,
                "All operational",
                Overall::Operational,
            ),
            (
                vec![view("A", Unreachable, 0, None), view("B", Stale, 0, None)],
                false,
                "Not readable: A (unreachable), B (no data for a while)",
                Overall::Offline,
            ),
            (
                vec![
                    view("GitHub", Degraded, 1, Some(Minor)),
                    view("OpenAI", MajorOutage, 1, Some(Major)),
                    view("C", Operational, 0, None),
                ],
                false,
                "2 incidents: OpenAI (major), GitHub (minor)",
                Overall::MajorOutage,
            ),
            (
                vec![
                    view("A", PartialOutage, 0, None),
                    view("B", ChangedFormat, 0, None),
                ],
                false,
                "A (partial outage) · 1 not readable",
                Overall::PartialOutage,
            ),
            (
                vec![view("A", Operational, 0, None)],
                true,
                "Offline: no status page reachable",
                Overall::Offline,
            ),
        ];
        for (views, offline, summary, worst) in table {
            assert_eq!(summarize(&views, offline), summary);
            assert_eq!(overall(&views, offline), worst, "{summary}");
        }
    }

    #[test]
    fn health_and_overall_keep_their_wire_names() {
        let names: Vec<String> = [
            Health::Unknown,
            Health::PartialOutage,
            Health::Stale,
            Health::ChangedFormat,
        ]
        .iter()
        .map(|h| serde_json::to_string(h).expect("json"))
        .collect();
        assert_eq!(
            names,
            [
                "\"unknown\"",
                "\"partial_outage\"",
                "\"stale\"",
                "\"changed_format\""
            ]
        );
        assert_eq!(
            serde_json::to_string(&Overall::Offline).expect("json"),
            "\"offline\""
        );
        for s in [Status::Operational, Status::Degraded, Status::MajorOutage] {
            assert_eq!(
                serde_json::to_value(Health::of(s)).expect("json"),
                serde_json::to_value(s).expect("json"),
                "a readable health is named like the page state"
            );
        }
    }
}

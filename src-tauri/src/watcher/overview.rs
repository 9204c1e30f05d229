//! The overview the tray and the window read: each service's health, the overall state and
//! the one-line summary.

use crate::config::ServiceConfig;
use crate::early::rules::Hold;
use crate::history::IncidentRow;
use crate::i18n::{self, Catalog};
use crate::model::Failure;
use crate::model::{Impact, Kind, Snapshot, Status};
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
    /// Every health, worst first: the order the window lists services in. A page that
    /// cannot be read ranks under a partial outage (something is wrong, we cannot say how
    /// much) and over maintenance.
    pub const WORST_FIRST: [Health; 9] = [
        Health::MajorOutage,
        Health::PartialOutage,
        Health::Degraded,
        Health::ChangedFormat,
        Health::Stale,
        Health::Unreachable,
        Health::Maintenance,
        Health::Unknown,
        Health::Operational,
    ];

    /// The wire name, as serde writes it for the window, `--json` and the metrics.
    /// Exhaustive on purpose: a new state fails to compile here, and the tests that hold
    /// [`Health::WORST_FIRST`] (and the metrics' state set) to serde's list then fail.
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Unknown => "unknown",
            Health::Operational => "operational",
            Health::Maintenance => "maintenance",
            Health::Degraded => "degraded",
            Health::PartialOutage => "partial_outage",
            Health::MajorOutage => "major_outage",
            Health::Unreachable => "unreachable",
            Health::Stale => "stale",
            Health::ChangedFormat => "changed_format",
        }
    }

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

    /// Words for people, as the tray and the summary show them, in the current language.
    pub fn label(self) -> String {
        self.label_in(i18n::current())
    }

    pub fn label_in(self, cat: &Catalog) -> String {
        cat.t(self.label_id(), &[])
    }

    /// The id of its words: the page's status, or why there is none.
    pub fn label_id(self) -> &'static str {
        match self {
            Health::Unknown => "health-unknown",
            Health::Unreachable => "health-unreachable",
            Health::Stale => "health-stale",
            Health::ChangedFormat => "health-changed-format",
            other => other.status().map_or("health-unknown", Catalog::status_id),
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
    /// Probes suggest an outage that no page shows yet (and nothing worse is known).
    Suspected,
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
    pub format: crate::model::Format,
    pub state: Health,
    pub description: Option<String>,
    /// The page's own overall word, when it is milder than what its components or
    /// incidents say (the state shown is the worse): the page contradicts itself.
    pub page_says: Option<Status>,
    pub error: Option<String>,
    pub last_ok_at: Option<DateTime<Utc>>,
    pub open_incidents: usize,
    /// The worst impact among its open incidents.
    pub worst_impact: Option<Impact>,
    /// Early warning, when the service has probes.
    pub probe: Option<ProbeView>,
    /// Down or suspected: "tell me when it's back" may be armed for it.
    pub remindable: bool,
    /// When "tell me when it's back" was armed, while it is.
    pub remind_armed_at: Option<DateTime<Utc>>,
}

/// What the service's own probes say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeView {
    /// The hosts probed: "api.openai.com".
    pub targets: Vec<String>,
    /// Set while the probes suggest an outage the page does not show.
    pub suspected_since: Option<DateTime<Utc>>,
    /// What failed, honestly: "api.openai.com answered 503 three times".
    pub evidence: Vec<String>,
    /// Why the last round counted for nothing: no other origin to compare with (`no_witness`),
    /// `offline`, only `slow` or only rate-limited (`inconclusive`) answers, or failures just
    /// after a wake or a network change (`settling`).
    pub hold: Option<Hold>,
    /// The latest rounds, oldest first.
    pub strip: Vec<StripPoint>,
}

/// One probe round of a service, for the window's latency strip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StripPoint {
    pub at: DateTime<Utc>,
    /// The slowest answer of the round, when any probe answered.
    pub ms: Option<u32>,
    pub failing: bool,
}

/// What the UI renders: services, recent incidents, and a one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Overview {
    /// The language `summary` is written in; the window follows it when it changes.
    pub lang: i18n::Lang,
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
    /// Where announced changes are forwarded, and how that is going (never a URL).
    pub webhooks: Vec<super::WebhookView>,
}

/// The view of one service from its state (and the snapshot just read, if any).
pub fn view_of(
    service: &ServiceConfig,
    state: &ServiceState,
    snapshot: Option<&Snapshot>,
    strip: &[StripPoint],
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
        format: snapshot.map_or(service.format, |s| s.format),
        state: health,
        description: snapshot.and_then(|s| s.description.clone()),
        page_says: snapshot.and_then(|s| s.page_status),
        error: state.last_error.clone(),
        last_ok_at: state.last_ok_at,
        open_incidents: open.len(),
        worst_impact: open.into_iter().max(),
        probe: (!service.probes.is_empty()).then(|| ProbeView {
            targets: service
                .probes
                .iter()
                .map(|p| crate::early::rules::target_label(p))
                .collect(),
            suspected_since: state.early.suspicion.as_ref().map(|s| s.since),
            evidence: state
                .early
                .suspicion
                .iter()
                .flat_map(|s| s.evidence.iter().map(|e| i18n::current().evidence(e)))
                .collect(),
            hold: state.early.held,
            strip: strip.to_vec(),
        }),
        remindable: crate::decide::remind::is_down(state),
        // The watcher's, not the state's: set by the caller.
        remind_armed_at: None,
    }
}

impl ServiceView {
    /// Probes suggest an outage its page does not show.
    pub fn is_suspected(&self) -> bool {
        self.probe
            .as_ref()
            .is_some_and(|p| p.suspected_since.is_some())
    }
}

/// Worst readable state, offline when nothing could be read, unknown before the first poll
/// or while a page cannot be read and every other one is fine.
pub fn overall(views: &[ServiceView], offline: bool) -> Overall {
    if offline {
        return Overall::Offline;
    }
    let suspected = views.iter().any(ServiceView::is_suspected);
    let unreadable = views.iter().any(|v| v.state.is_failing());
    match views.iter().filter_map(|v| v.state.status()).max() {
        // A page's own outage says more than a suspicion; a suspicion more than "degraded".
        Some(s) if suspected && s < Status::PartialOutage => Overall::Suspected,
        // A green icon would say "all fine" about a page nobody could read.
        Some(s) if unreadable && s <= Status::Maintenance => Overall::Unknown,
        Some(s) => Overall::of(s),
        None if !views.is_empty() && views.iter().all(|v| v.state.is_failing()) => Overall::Offline,
        None => Overall::Unknown,
    }
}

/// The tray's first line in the current language: "2 incidents: OpenAI (major), GitHub (minor)".
pub fn summarize(views: &[ServiceView], offline: bool) -> String {
    summarize_in(i18n::current(), views, offline)
}

/// "OpenAI (major)": one entry of a summary list.
fn item(cat: &Catalog, name: &str, state: String) -> String {
    cat.t(
        "summary-item",
        &[("name", name.into()), ("state", state.into())],
    )
}

pub fn summarize_in(cat: &Catalog, views: &[ServiceView], offline: bool) -> String {
    if views.is_empty() {
        return cat.t("summary-no-services", &[]);
    }
    if offline {
        return cat.t("summary-offline", &[]);
    }
    if views.iter().all(|v| v.state.is_failing()) {
        let list: Vec<String> = views
            .iter()
            .map(|v| item(cat, &v.name, v.state.label_in(cat)))
            .collect();
        return cat.t("summary-not-readable", &[("list", list.join(", ").into())]);
    }
    if views.iter().all(|v| v.state == Health::Unknown) {
        return cat.t("summary-checking", &[]);
    }
    let mut with_incidents: Vec<&ServiceView> =
        views.iter().filter(|v| v.open_incidents > 0).collect();
    with_incidents.sort_by_key(|v| std::cmp::Reverse(v.worst_impact));
    let incidents: usize = with_incidents.iter().map(|v| v.open_incidents).sum();
    let mut troubled_or_open = true;
    let mut out = if incidents > 0 {
        let list: Vec<String> = with_incidents
            .iter()
            .map(|v| item(cat, &v.name, cat.impact(v.worst_impact.unwrap_or_default())))
            .collect();
        cat.t(
            "summary-incidents",
            &[
                ("count", incidents.into()),
                ("list", list.join(", ").into()),
            ],
        )
    } else {
        let mut troubled: Vec<(&ServiceView, Status)> = views
            .iter()
            .filter_map(|v| v.state.status().map(|s| (v, s)))
            .filter(|(_, s)| *s > Status::Operational)
            .collect();
        troubled.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
        if troubled.is_empty() {
            troubled_or_open = false;
            cat.t("summary-all-operational", &[])
        } else {
            let list: Vec<String> = troubled
                .iter()
                .map(|(v, s)| item(cat, &v.name, cat.status(*s)))
                .collect();
            list.join(", ")
        }
    };
    let suspected: Vec<&str> = views
        .iter()
        .filter(|v| v.is_suspected())
        .map(|v| v.name.as_str())
        .collect();
    if !suspected.is_empty() {
        let list = suspected.join(", ");
        out = if troubled_or_open {
            cat.t(
                "summary-and-suspected",
                &[("summary", out.into()), ("list", list.into())],
            )
        } else {
            cat.t("summary-suspected", &[("list", list.into())])
        };
    }
    let failing = views.iter().filter(|v| v.state.is_failing()).count();
    if failing > 0 {
        return cat.t(
            "summary-not-readable-count",
            &[("summary", out.into()), ("count", failing.into())],
        );
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
            format: crate::model::Format::Statuspage,
            state,
            description: None,
            page_says: None,
            error: None,
            last_ok_at: None,
            open_incidents: open,
            worst_impact: worst,
            probe: None,
            remindable: false,
            remind_armed_at: None,
        }
    }

    fn suspected(mut v: ServiceView) -> ServiceView {
        v.probe = Some(ProbeView {
            targets: vec!["api.example".to_owned()],
            suspected_since: Some(crate::test_support::t(0)),
            evidence: vec!["api.example answered 503 three times".to_owned()],
            hold: None,
            strip: vec![],
        });
        v
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
                vec![
                    view("A", Operational, 0, None),
                    view("B", ChangedFormat, 0, None),
                ],
                false,
                "All operational · 1 not readable",
                Overall::Unknown,
            ),
            (
                vec![view("A", Operational, 0, None)],
                true,
                "Offline: no status page reachable",
                Overall::Offline,
            ),
            (
                vec![
                    suspected(view("OpenAI", Operational, 0, None)),
                    view("B", Operational, 0, None),
                ],
                false,
                "Possible outage: OpenAI (not on its status page yet)",
                Overall::Suspected,
            ),
            (
                vec![
                    suspected(view("OpenAI", Operational, 0, None)),
                    view("GitHub", Degraded, 1, Some(Minor)),
                ],
                false,
                "1 incident: GitHub (minor) · possible outage: OpenAI",
                Overall::Suspected,
            ),
            (
                vec![
                    suspected(view("OpenAI", Operational, 0, None)),
                    view("GitHub", MajorOutage, 1, Some(Major)),
                ],
                false,
                "1 incident: GitHub (major) · possible outage: OpenAI",
                Overall::MajorOutage,
            ),
        ];
        for (views, offline, summary, worst) in table {
            assert_eq!(summarize_in(Catalog::english(), &views, offline), summary);
            assert_eq!(overall(&views, offline), worst, "{summary}");
        }
    }

    #[test]
    fn summary_lines_in_french() {
        use Health::*;
        use Impact::{Major, Minor};
        let fr = Catalog::get(i18n::Lang::parse("fr").expect("fr"));
        // `~` is the no-break space French puts before ":" and after a count.
        let table: Vec<(Vec<ServiceView>, bool, &str)> = vec![
            (vec![], false, "Aucun service surveillé"),
            (vec![view("A", Unknown, 0, None)], false, "Vérification…"),
            (
                vec![
                    view("A", Operational, 0, None),
                    view("B", Operational, 0, None),
                ],
                false,
                "Tout est opérationnel",
            ),
            (
                vec![view("A", Unreachable, 0, None), view("B", Stale, 0, None)],
                false,
                "Pages illisibles~: A (injoignable), B (sans données depuis un moment)",
            ),
            (
                vec![
                    view("GitHub", Degraded, 1, Some(Minor)),
                    view("OpenAI", MajorOutage, 1, Some(Major)),
                    view("C", Operational, 0, None),
                ],
                false,
                "2~incidents~: OpenAI (majeur), GitHub (mineur)",
            ),
            (
                vec![view("OpenAI", MajorOutage, 1, Some(Major))],
                false,
                "1~incident~: OpenAI (majeur)",
            ),
            (
                vec![
                    view("A", PartialOutage, 0, None),
                    view("B", ChangedFormat, 0, None),
                ],
                false,
                "A (panne partielle) · 1~page illisible",
            ),
            (
                vec![
                    view("A", Maintenance, 0, None),
                    view("B", ChangedFormat, 0, None),
                    view("C", Unreachable, 0, None),
                ],
                false,
                "A (en maintenance) · 2~pages illisibles",
            ),
            (
                vec![view("A", Operational, 0, None)],
                true,
                "Hors ligne~: aucune page de statut joignable",
            ),
        ];
        for (views, offline, summary) in table {
            assert_eq!(
                summarize_in(fr, &views, offline),
                summary.replace('~', "\u{a0}")
            );
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

//! The normalized snapshot every status-page format is turned into, and the formats themselves.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Stable identity of a watched service (a slug of its configured name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceId(String);

impl ServiceId {
    /// Derives the id from a display name: lowercase ASCII alphanumerics joined by `-`.
    pub fn from_name(name: &str) -> Self {
        let mut slug = String::with_capacity(name.len());
        for ch in name.chars() {
            if ch.is_ascii_alphanumeric() {
                slug.push(ch.to_ascii_lowercase());
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        while slug.ends_with('-') {
            slug.pop();
        }
        if slug.is_empty() {
            slug.push_str("service");
        }
        Self(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The provider's own id of an incident or maintenance.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IncidentId(pub String);

impl fmt::Display for IncidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Health of a page or component, ordered so that the worst compares greatest.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Operational,
    Maintenance,
    Degraded,
    PartialOutage,
    MajorOutage,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::Maintenance => "maintenance",
            Status::Degraded => "degraded",
            Status::PartialOutage => "partial_outage",
            Status::MajorOutage => "major_outage",
        }
    }

    /// Words for people, as shown in the tray and notifications.
    pub fn label(self) -> &'static str {
        match self {
            Status::Operational => "operational",
            Status::Maintenance => "under maintenance",
            Status::Degraded => "degraded",
            Status::PartialOutage => "partial outage",
            Status::MajorOutage => "major outage",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an incident or maintenance stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
    Scheduled,
    InProgress,
    Verifying,
    Completed,
    /// A value the provider sent that we do not know; treated as still open.
    Unknown,
}

impl Phase {
    /// The phases in which an incident or maintenance is over: the one rule, also for SQL.
    pub const CLOSED: [Phase; 3] = [Phase::Resolved, Phase::Postmortem, Phase::Completed];

    /// Whether the incident or maintenance is over.
    pub fn is_closed(self) -> bool {
        Self::CLOSED.contains(&self)
    }

    /// Whether a maintenance in this phase is under way, the one rule for every format. A
    /// phase we do not know may well be a running one: shown rather than hidden.
    pub fn maintenance_running(self) -> bool {
        matches!(self, Phase::InProgress | Phase::Verifying | Phase::Unknown)
    }

    /// A stored name back to the phase; a name this build does not know is still open.
    pub fn parse(s: &str) -> Self {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or(Phase::Unknown)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Investigating => "investigating",
            Phase::Identified => "identified",
            Phase::Monitoring => "monitoring",
            Phase::Resolved => "resolved",
            Phase::Postmortem => "postmortem",
            Phase::Scheduled => "scheduled",
            Phase::InProgress => "in_progress",
            Phase::Verifying => "verifying",
            Phase::Completed => "completed",
            Phase::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::InProgress => "in progress",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad the provider says an incident is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    #[default]
    None,
    Maintenance,
    Minor,
    Major,
    Critical,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Maintenance => "maintenance",
            Impact::Minor => "minor",
            Impact::Major => "major",
            Impact::Critical => "critical",
        }
    }

    /// A stored name back to the impact; a name this build does not know counts as none.
    pub fn parse(s: &str) -> Self {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).unwrap_or_default()
    }

    /// The page state an open incident of this impact implies.
    pub fn implied_status(self) -> Status {
        match self {
            Impact::None => Status::Operational,
            Impact::Maintenance => Status::Maintenance,
            Impact::Minor => Status::Degraded,
            Impact::Major => Status::PartialOutage,
            Impact::Critical => Status::MajorOutage,
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a story is an incident or a (planned) maintenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    Maintenance,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Maintenance => "maintenance",
        }
    }

    /// A stored name back to the kind; anything but "maintenance" is an incident.
    pub fn parse(s: &str) -> Self {
        if s == "maintenance" {
            Kind::Maintenance
        } else {
            Kind::Incident
        }
    }

    /// The phase a story of this kind ends in when the page does not say.
    pub fn closing_phase(self) -> Phase {
        match self {
            Kind::Incident => Phase::Resolved,
            Kind::Maintenance => Phase::Completed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub id: String,
    pub name: String,
    pub status: Status,
}

/// One posted update of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentUpdate {
    pub id: String,
    pub phase: Phase,
    pub body: String,
    pub at: Option<DateTime<Utc>>,
}

/// An incident or a maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub id: IncidentId,
    pub title: String,
    pub phase: Phase,
    pub impact: Impact,
    pub started_at: Option<DateTime<Utc>>,
    /// A maintenance's planned start as the page announces it, where the format says it
    /// apart from `started_at` (which some pages set when the notice is posted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    /// Names of the affected components.
    pub components: Vec<String>,
    /// Oldest first.
    pub updates: Vec<IncidentUpdate>,
}

/// Everything one read of a status page says, in one shape for every format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub service: String,
    pub format: Format,
    pub page_url: String,
    /// The worst of the page's own word and what its components, open incidents and
    /// running maintenances say.
    pub status: Status,
    /// The page's own overall word (Statuspage's indicator, Instatus' `page.status`, Better
    /// Stack's `aggregate_state`, …) where it is milder than `status`: the page contradicts
    /// itself, and both are shown. `None` when they agree, or when the page has no word of
    /// its own (feeds, Google, AWS, Heroku, incident.io's native APIs). Parsers report the
    /// word whenever the page has one; `Format::parse` keeps it only
    /// where it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_status: Option<Status>,
    /// The page's own one-line summary, e.g. "All Systems Operational".
    pub description: Option<String>,
    pub components: Vec<Component>,
    /// Incidents the page lists; closed ones may be included.
    pub incidents: Vec<Incident>,
    pub maintenances: Vec<Incident>,
}

impl Snapshot {
    pub fn open_incidents(&self) -> impl Iterator<Item = &Incident> {
        self.incidents.iter().filter(|i| !i.phase.is_closed())
    }
}

/// A status-page format this build can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Atlassian Statuspage v2 (`/api/v2/summary.json` + `incidents.json`).
    #[default]
    Statuspage,
    /// incident.io: its Statuspage-compatible API (or, given as the endpoint, the native
    /// `/proxy/<host>` summary or the `/proxy/widget` widget), `components.json`, and the
    /// native `/proxy/<host>/incidents` history.
    Incidentio,
    /// Instatus `/v3/summary.json` + `/v3/components.json` (legacy `/summary.json` +
    /// `/v2/components.json` too).
    Instatus,
    /// Better Stack `/index.json` (JSON:API).
    Betterstack,
    /// Slack's status API v2.0.0.
    Slack,
    /// Google Cloud / Workspace `incidents.json`.
    Google,
    /// AWS Health `public/currentevents` (UTF-16).
    Aws,
    /// Heroku status API v4.
    Heroku,
    /// status.io public API (`api.status.io/1.0/status/<page id>`).
    Statusio,
    /// An RSS or Atom incident history feed.
    Feed,
}

impl Format {
    pub const ALL: [Format; 10] = [
        Format::Statuspage,
        Format::Incidentio,
        Format::Instatus,
        Format::Betterstack,
        Format::Slack,
        Format::Google,
        Format::Aws,
        Format::Heroku,
        Format::Statusio,
        Format::Feed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Statuspage => "statuspage",
            Format::Incidentio => "incidentio",
            Format::Instatus => "instatus",
            Format::Betterstack => "betterstack",
            Format::Slack => "slack",
            Format::Google => "google",
            Format::Aws => "aws",
            Format::Heroku => "heroku",
            Format::Statusio => "statusio",
            Format::Feed => "feed",
        }
    }

    /// The name people know it by.
    pub fn label(self) -> &'static str {
        match self {
            Format::Statuspage => "Atlassian Statuspage",
            Format::Incidentio => "incident.io",
            Format::Instatus => "Instatus",
            Format::Betterstack => "Better Stack",
            Format::Slack => "Slack status API",
            Format::Google => "Google status incidents",
            Format::Aws => "AWS Health",
            Format::Heroku => "Heroku status API",
            Format::Statusio => "status.io",
            Format::Feed => "RSS/Atom feed",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "unknown format {0:?} (known: statuspage, incidentio, instatus, betterstack, slack, \
     google, aws, heroku, statusio, feed)"
)]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let found = match lower.as_str() {
            "atlassian" => Some(Format::Statuspage),
            "incident.io" => Some(Format::Incidentio),
            "better_stack" | "betteruptime" => Some(Format::Betterstack),
            "status.io" => Some(Format::Statusio),
            "rss" | "atom" => Some(Format::Feed),
            other => Format::ALL.into_iter().find(|f| f.as_str() == other),
        };
        found.ok_or(UnknownFormat(lower))
    }
}

/// Why a read failed: the page could not be fetched, or it no longer speaks its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Failure {
    Unreachable,
    WrongFormat,
}

/// The transition rules' tunables, from the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// A component that breaks again within this time after recovering is the same story:
    /// its recovery is announced only once it has held this long.
    pub flap_window: chrono::Duration,
    /// Remind while a major or critical incident stays open; `None`: never.
    pub reminder: Option<chrono::Duration>,
    /// Remind this long before a scheduled maintenance starts, for services that do not
    /// say otherwise; `None`: never.
    pub maintenance_reminder: Option<chrono::Duration>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            flap_window: chrono::Duration::minutes(10),
            reminder: None,
            maintenance_reminder: None,
        }
    }
}

/// Early warning's tunables, from the config's `[early_warning]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyRules {
    /// Consecutive witnessed failing rounds before a suspicion.
    pub threshold_rounds: u32,
    /// Consecutive healthy rounds that clear a suspicion.
    pub recover_rounds: u32,
    /// Slow: above this many times the probe's median…
    pub slow_factor: u32,
    /// …and above this, so that a 40 ms API taking 250 ms is not "slow".
    pub slow_floor: std::time::Duration,
    /// Healthy samples needed before a median means anything.
    pub min_baseline_samples: usize,
    /// Time between probe rounds while nothing is wrong, and while a suspicion builds.
    pub interval: std::time::Duration,
    /// Longest wait the backoff reaches.
    pub backoff_cap: std::time::Duration,
}

impl Default for EarlyRules {
    fn default() -> Self {
        EarlyRules {
            threshold_rounds: 3,
            recover_rounds: 2,
            slow_factor: 5,
            slow_floor: std::time::Duration::from_secs(2),
            min_baseline_samples: 5,
            interval: std::time::Duration::from_secs(30),
            backoff_cap: std::time::Duration::from_secs(5 * 60),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_orders_worst_last() {
        let mut all = vec![
            Status::MajorOutage,
            Status::Operational,
            Status::PartialOutage,
            Status::Maintenance,
            Status::Degraded,
        ];
        all.sort();
        assert_eq!(
            all,
            vec![
                Status::Operational,
                Status::Maintenance,
                Status::Degraded,
                Status::PartialOutage,
                Status::MajorOutage
            ]
        );
    }

    #[test]
    fn service_id_is_a_slug() {
        assert_eq!(ServiceId::from_name("OpenAI").as_str(), "openai");
        assert_eq!(
            ServiceId::from_name("  Google Cloud (EU)  ").as_str(),
            "google-cloud-eu"
        );
        assert_eq!(ServiceId::from_name("!!!").as_str(), "service");
    }

    #[test]
    fn closed_phases() {
        assert!(Phase::Resolved.is_closed());
        assert!(Phase::Postmortem.is_closed());
        assert!(Phase::Completed.is_closed());
        assert!(!Phase::Monitoring.is_closed());
        assert!(!Phase::Unknown.is_closed());
        for (phase, running) in [
            (Phase::Scheduled, false),
            (Phase::InProgress, true),
            (Phase::Verifying, true),
            (Phase::Completed, false),
            (Phase::Unknown, true),
        ] {
            assert_eq!(phase.maintenance_running(), running, "{phase:?}");
        }
    }

    #[test]
    fn stored_names_round_trip_and_unknowns_are_safe() {
        for p in [Phase::Investigating, Phase::InProgress, Phase::Postmortem] {
            assert_eq!(Phase::parse(p.as_str()), p);
        }
        assert_eq!(Phase::parse("rebooting"), Phase::Unknown);
        assert_eq!(Impact::parse("critical"), Impact::Critical);
        assert_eq!(Impact::parse("apocalyptic"), Impact::None);
        assert_eq!(Kind::parse("maintenance"), Kind::Maintenance);
        assert_eq!(Kind::parse("incident"), Kind::Incident);
    }
}

//! Pure transition logic: previous state + new observation + `now` → next state + events.

use crate::early::rules::{EarlyState, Evidence};
use crate::model::{Failure, Impact, Incident, IncidentId, Kind, Phase, Rules, Snapshot, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod components;
pub use components::ComponentTrack;

/// What we remember about one service between polls (persisted as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceState {
    /// False until the first successful read: that read is a baseline, not news.
    pub baselined: bool,
    /// Page state at the last successful read.
    pub status: Option<Status>,
    /// Open incidents and running maintenances we have seen.
    #[serde(deserialize_with = "open_by_id")]
    pub open: BTreeMap<IncidentId, Tracked>,
    pub last_ok_at: Option<DateTime<Utc>>,
    /// Set while reads fail; cleared by the next good read.
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// What kind of failure `last_error` is.
    #[serde(default)]
    pub failure: Option<Failure>,
    /// Component states, keyed by name, with their flap bookkeeping.
    #[serde(default)]
    pub components: BTreeMap<String, ComponentTrack>,
    /// What the service's own probes said (early warning); [`step`] carries it unchanged.
    #[serde(default)]
    pub early: EarlyState,
    /// Incidents closed lately (our clock): one that comes back under its id was reopened,
    /// which is news, not a story already told.
    #[serde(default)]
    pub closed: BTreeMap<IncidentId, DateTime<Utc>>,
    /// Incidents followed under the service's previous source (another address, format or
    /// filter): the first read of the new one closes those it no longer shows, quietly —
    /// hidden by a narrower filter is not resolved.
    #[serde(default, skip_serializing_if = "std::collections::BTreeSet::is_empty")]
    pub unfollowed: std::collections::BTreeSet<IncidentId>,
}

impl ServiceState {
    /// The state a service starts from when its source changed: unbaselined, so its first
    /// read is a baseline (news only of what no pop-up told yet), with what the old source
    /// showed open to close quietly, and the probes' state kept (they did not change).
    pub fn resynced(&self) -> ServiceState {
        ServiceState {
            early: self.early.clone(),
            closed: self.closed.clone(),
            unfollowed: self.open.keys().chain(&self.unfollowed).cloned().collect(),
            ..ServiceState::default()
        }
    }
}

/// The result of one poll of one service.
#[derive(Debug, Clone, Copy)]
pub enum Observation<'a> {
    Read(&'a Snapshot),
    /// Fetch or parse failed; the reason is for people.
    Failed {
        failure: Failure,
        reason: &'a str,
    },
}

/// An incident or maintenance as the engine remembers it between reads and as its events
/// carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracked {
    /// Missing from states stored before it was kept here, when only `open`'s key held
    /// it: loading a [`ServiceState`] fills it from that key.
    #[serde(default)]
    pub id: IncidentId,
    pub kind: Kind,
    pub title: String,
    pub phase: Phase,
    pub impact: Impact,
    pub started_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
    /// When it was reopened, if it was: its announcements are a story of their own.
    #[serde(default)]
    pub reopened_at: Option<DateTime<Utc>>,
    /// When we first saw it open (our clock), for reminders.
    #[serde(default)]
    pub first_seen: Option<DateTime<Utc>>,
    #[serde(default)]
    pub reminders: u32,
}

impl Tracked {
    /// The page's incident as read `now`, keeping what we remembered of it (`prev`): when
    /// we first saw it, the reminders told, and whether it was reopened.
    pub fn read(i: &Incident, kind: Kind, prev: Option<&Tracked>, now: DateTime<Utc>) -> Self {
        Tracked {
            id: i.id.clone(),
            kind,
            title: i.title.clone(),
            phase: i.phase,
            impact: i.impact,
            started_at: i.started_at,
            url: i.url.clone(),
            components: i.components.clone(),
            reopened_at: prev.and_then(|p| p.reopened_at),
            first_seen: prev.and_then(|p| p.first_seen).or(Some(now)),
            reminders: prev.map_or(0, |p| p.reminders),
        }
    }

    /// An open incident with only what a test cares about; the rest is empty.
    #[cfg(test)]
    pub fn sample(id: &str, title: &str, phase: Phase, impact: Impact) -> Self {
        Tracked {
            id: IncidentId(id.to_owned()),
            kind: Kind::Incident,
            title: title.to_owned(),
            phase,
            impact,
            started_at: None,
            url: None,
            components: Vec::new(),
            reopened_at: None,
            first_seen: None,
            reminders: 0,
        }
    }
}

/// `open` as stored: states written before [`Tracked`] held its id have it only as the
/// key, and the key is the truth either way.
fn open_by_id<'de, D>(d: D) -> Result<BTreeMap<IncidentId, Tracked>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let mut open = BTreeMap::<IncidentId, Tracked>::deserialize(d)?;
    for (id, tracked) in open.iter_mut() {
        tracked.id = id.clone();
    }
    Ok(open)
}

/// Something that changed, in the order it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// First good read: what was already open (possibly nothing).
    Baseline {
        open: Vec<Tracked>,
        status: Status,
    },
    IncidentOpened {
        incident: Tracked,
        /// Seconds between the start of our suspicion and the page's acknowledgment, when
        /// probes suspected this outage first (set by the watcher, not by [`step`]).
        lead_secs: Option<i64>,
    },
    PhaseChanged {
        incident: Tracked,
        from: Phase,
    },
    IncidentResolved {
        incident: Tracked,
        resolved_at: DateTime<Utc>,
    },
    MaintenanceStarted {
        incident: Tracked,
    },
    MaintenanceCompleted {
        incident: Tracked,
        resolved_at: DateTime<Utc>,
    },
    /// A component broke (or got worse) outside any open incident; `since` is when this
    /// breakage story began.
    ComponentDegraded {
        component: String,
        status: Status,
        from: Status,
        since: DateTime<Utc>,
        /// As for [`Event::IncidentOpened`].
        lead_secs: Option<i64>,
    },
    /// A component's recovery held for the flap window, ending the story begun `since`.
    ComponentRecovered {
        component: String,
        since: DateTime<Utc>,
        /// The worst status the story reached.
        worst: Status,
    },
    /// A scheduled maintenance the user asked to hear of ahead starts soon (decided by
    /// `decide`, from the page and the ledger, not by [`step`]).
    MaintenanceUpcoming {
        incident: Tracked,
        starts_at: DateTime<Utc>,
    },
    /// A major or critical incident is still open after the reminder interval.
    Reminder {
        incident: Tracked,
        count: u32,
    },
    SourceUnreachable {
        reason: String,
    },
    /// The page answers, but no longer in its format (it moved, or a different platform).
    SourceChangedFormat {
        reason: String,
    },
    SourceRecovered,
    /// Every source failed at once: the user's network, not the vendors.
    Offline,
    Online,
    /// Probes of the service itself kept failing while its page shows nothing.
    OutageSuspected {
        since: DateTime<Utc>,
        evidence: Vec<Evidence>,
    },
    /// The probes recovered and the page never showed anything: an unconfirmed blip.
    SuspicionCleared {
        since: DateTime<Utc>,
        at: DateTime<Utc>,
        evidence: Vec<Evidence>,
    },
}

impl Event {
    /// Attaches the detection lead to the page's first word about an outage (an incident
    /// opened, else a component broken); returns whether one was found.
    pub fn attach_lead(events: &mut [Event], lead: i64) -> bool {
        let opened = events
            .iter()
            .position(|e| matches!(e, Event::IncidentOpened { .. }))
            .or_else(|| {
                events
                    .iter()
                    .position(|e| matches!(e, Event::ComponentDegraded { .. }))
            });
        match opened.and_then(|i| events.get_mut(i)) {
            Some(Event::IncidentOpened { lead_secs, .. })
            | Some(Event::ComponentDegraded { lead_secs, .. }) => {
                *lead_secs = Some(lead);
                true
            }
            _ => false,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Event::Baseline { .. } => "baseline",
            Event::IncidentOpened { .. } => "incident_opened",
            Event::PhaseChanged { .. } => "incident_updated",
            Event::IncidentResolved { .. } => "incident_resolved",
            Event::MaintenanceStarted { .. } => "maintenance_started",
            Event::MaintenanceCompleted { .. } => "maintenance_completed",
            Event::MaintenanceUpcoming { .. } => "maintenance_upcoming",
            Event::ComponentDegraded { .. } => "component_degraded",
            Event::ComponentRecovered { .. } => "component_recovered",
            Event::Reminder { .. } => "reminder",
            Event::SourceUnreachable { .. } => "source_unreachable",
            Event::SourceChangedFormat { .. } => "source_changed_format",
            Event::SourceRecovered => "source_recovered",
            Event::Offline => "offline",
            Event::Online => "online",
            Event::OutageSuspected { .. } => "suspected_outage",
            Event::SuspicionCleared { .. } => "suspicion_cleared",
        }
    }

    pub fn incident(&self) -> Option<&Tracked> {
        match self {
            Event::IncidentOpened { incident, .. }
            | Event::PhaseChanged { incident, .. }
            | Event::IncidentResolved { incident, .. }
            | Event::MaintenanceStarted { incident }
            | Event::MaintenanceCompleted { incident, .. }
            | Event::MaintenanceUpcoming { incident, .. }
            | Event::Reminder { incident, .. } => Some(incident),
            _ => None,
        }
    }
}

/// A maintenance counts once it is running; a scheduled one is not news yet.
fn maintenance_running(m: &Incident) -> bool {
    matches!(m.phase, Phase::InProgress | Phase::Verifying)
}

/// Computes the next state and the events between `prev` and `obs`.
pub fn step(
    prev: &ServiceState,
    obs: Observation<'_>,
    now: DateTime<Utc>,
    rules: &Rules,
) -> (ServiceState, Vec<Event>) {
    let mut next = prev.clone();
    let mut events = Vec::new();
    let snapshot = match obs {
        Observation::Failed { failure, reason } => {
            // Unreachable is not an outage: open incidents stay as they were.
            if prev.failing_since.is_none() {
                next.failing_since = Some(now);
            }
            if prev.failure != Some(failure) {
                events.push(match failure {
                    // Only a page we could read before can have changed its format.
                    Failure::WrongFormat if prev.baselined => Event::SourceChangedFormat {
                        reason: reason.to_owned(),
                    },
                    _ => Event::SourceUnreachable {
                        reason: reason.to_owned(),
                    },
                });
            }
            next.failure = Some(failure);
            next.last_error = Some(reason.to_owned());
            return (next, events);
        }
        Observation::Read(s) => s,
    };

    if prev.failing_since.is_some() && prev.baselined {
        events.push(Event::SourceRecovered);
    }
    next.failing_since = None;
    next.failure = None;
    next.last_error = None;
    next.last_ok_at = Some(now);
    next.status = Some(snapshot.status);

    let open_incidents = snapshot.incidents.iter().filter(|i| !i.phase.is_closed());
    let running = snapshot
        .maintenances
        .iter()
        .filter(|m| maintenance_running(m));
    let current: BTreeMap<IncidentId, (Kind, &Incident)> = open_incidents
        .map(|i| (i.id.clone(), (Kind::Incident, i)))
        .chain(running.map(|m| (m.id.clone(), (Kind::Maintenance, m))))
        .collect();

    if !prev.baselined {
        next.baselined = true;
        next.open = current
            .iter()
            .map(|(id, (kind, i))| (id.clone(), Tracked::read(i, *kind, None, now)))
            .collect();
        next.components = snapshot
            .components
            .iter()
            .map(|c| {
                let track = ComponentTrack {
                    status: c.status,
                    recovered_at: None,
                    announced: false,
                    since: None,
                    worst: c.status,
                };
                (c.name.clone(), track)
            })
            .collect();
        let open = next
            .open
            .values()
            .filter(|t| t.kind == Kind::Incident)
            .cloned()
            .collect();
        events.push(Event::Baseline {
            open,
            status: snapshot.status,
        });
        return (next, events);
    }

    // Gone from the open set: closed on the page, or dropped from the unresolved list.
    for (id, k) in &prev.open {
        if current.contains_key(id) {
            continue;
        }
        let listed = snapshot
            .incidents
            .iter()
            .chain(snapshot.maintenances.iter())
            .find(|i| &i.id == id);
        if k.kind == Kind::Maintenance && listed.is_some_and(|m| !m.phase.is_closed()) {
            // Back to "scheduled" (rescheduled): not completed, just not running.
            next.open.remove(id);
            continue;
        }
        let resolved_at = listed.and_then(|i| i.resolved_at).unwrap_or(now);
        let incident = match listed {
            Some(i) => Tracked::read(i, k.kind, Some(k), now),
            None => Tracked {
                phase: k.kind.closing_phase(),
                ..k.clone()
            },
        };
        events.push(match k.kind {
            Kind::Incident => Event::IncidentResolved {
                incident,
                resolved_at,
            },
            Kind::Maintenance => Event::MaintenanceCompleted {
                incident,
                resolved_at,
            },
        });
        if k.kind == Kind::Incident {
            next.closed.insert(id.clone(), now);
        }
        next.open.remove(id);
    }
    // Long enough for a page to reopen what it closed by mistake; not forever.
    next.closed
        .retain(|_, at| now - *at < chrono::Duration::days(30));

    for (id, (kind, i)) in &current {
        let was = prev.open.get(id);
        let mut incident = Tracked::read(i, *kind, was, now);
        if was.is_none() && *kind == Kind::Incident {
            incident.reopened_at = next.closed.remove(id).map(|_| now);
        }
        match was {
            None => {
                events.push(match kind {
                    Kind::Incident => Event::IncidentOpened {
                        incident: incident.clone(),
                        lead_secs: None,
                    },
                    Kind::Maintenance => Event::MaintenanceStarted {
                        incident: incident.clone(),
                    },
                });
            }
            Some(k) if *kind == Kind::Incident && k.phase != i.phase => {
                events.push(Event::PhaseChanged {
                    incident: incident.clone(),
                    from: k.phase,
                });
            }
            Some(_) => {}
        }
        next.open.insert(id.clone(), incident);
    }

    if let Some(every) = rules.reminder {
        for k in next.open.values_mut() {
            let due = k.first_seen.map(|f| f + every * (k.reminders as i32 + 1));
            if k.kind == Kind::Incident
                && k.impact >= Impact::Major
                && due.is_some_and(|d| now >= d)
            {
                k.reminders += 1;
                events.push(Event::Reminder {
                    incident: k.clone(),
                    count: k.reminders,
                });
            }
        }
    }

    components::components_step(prev, snapshot, &current, now, rules, &mut next, &mut events);
    (next, events)
}

/// The offline gate: every source failing in one round is the user's network.
/// With a single source there is no telling the two apart: it is just unreachable.
/// Returns whether we are offline now and the event when that changed.
pub fn network_step(was_offline: bool, failed: usize, total: usize) -> (bool, Option<Event>) {
    let offline = total >= 2 && failed == total;
    let event = match (was_offline, offline) {
        (false, true) => Some(Event::Offline),
        (true, false) => Some(Event::Online),
        _ => None,
    };
    (offline, event)
}

/// Whether the machine slept: the wall clock moved further than the monotonic clock
/// (which stands still during suspend) by more than `tolerance`.
pub fn woke_from_sleep(
    wall_elapsed: chrono::Duration,
    monotonic_elapsed: std::time::Duration,
    tolerance: std::time::Duration,
) -> bool {
    let mono = chrono::Duration::from_std(monotonic_elapsed).unwrap_or(chrono::Duration::MAX);
    let tol = chrono::Duration::from_std(tolerance).unwrap_or(chrono::Duration::MAX);
    wall_elapsed - mono > tol
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Component;
    use crate::test_support::t;

    fn inc(id: &str, phase: Phase) -> Incident {
        Incident {
            id: IncidentId(id.to_owned()),
            title: format!("Incident {id}"),
            phase,
            impact: Impact::Major,
            started_at: Some(t(0)),
            scheduled_for: None,
            updated_at: None,
            resolved_at: None,
            url: Some(format!("https://status.example.com/incidents/{id}")),
            components: vec!["API".to_owned()],
            updates: vec![],
        }
    }

    fn snap(incidents: Vec<Incident>, maintenances: Vec<Incident>) -> Snapshot {
        Snapshot {
            service: "S".to_owned(),
            format: crate::model::Format::Statuspage,
            page_url: "https://status.example.com".to_owned(),
            status: Status::Operational,
            page_status: None,
            description: None,
            components: vec![],
            incidents,
            maintenances,
        }
    }

    /// A page whose components are `(name, status)`, no incidents.
    fn comps(list: &[(&str, Status)]) -> Snapshot {
        let mut s = snap(vec![], vec![]);
        s.components = list
            .iter()
            .map(|(n, st)| Component {
                id: n.to_lowercase(),
                name: (*n).to_owned(),
                status: *st,
            })
            .collect();
        s
    }

    fn names(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(Event::name).collect()
    }

    /// One observation at a minute: a page read, or a failure.
    enum Obs {
        Ok(Snapshot),
        Down(&'static str),
        Moved(&'static str),
    }

    /// Runs observations at the given minutes from a fresh state; returns each step's event names.
    fn run_at(
        rules: &Rules,
        observations: &[(i64, Obs)],
    ) -> (ServiceState, Vec<Vec<&'static str>>) {
        let mut state = ServiceState::default();
        let mut out = Vec::new();
        for (minute, o) in observations {
            let obs = match o {
                Obs::Ok(s) => Observation::Read(s),
                Obs::Down(reason) => Observation::Failed {
                    failure: Failure::Unreachable,
                    reason,
                },
                Obs::Moved(reason) => Observation::Failed {
                    failure: Failure::WrongFormat,
                    reason,
                },
            };
            let (next, events) = step(&state, obs, t(*minute), rules);
            out.push(names(&events));
            state = next;
        }
        (state, out)
    }

    fn run(observations: Vec<Obs>) -> Vec<Vec<&'static str>> {
        let timed: Vec<(i64, Obs)> = observations
            .into_iter()
            .enumerate()
            .map(|(n, o)| (n as i64, o))
            .collect();
        run_at(&Rules::default(), &timed).1
    }

    /// Name, observations, and the event names expected after each.
    type Case = (&'static str, Vec<Obs>, Vec<Vec<&'static str>>);
    type TimedCase = (&'static str, Vec<(i64, Obs)>, Vec<Vec<&'static str>>);

    #[test]
    fn decision_table() {
        use Obs::*;
        use Phase::*;
        let ok = |i: Vec<Incident>| Ok(snap(i, vec![]));
        let cases: Vec<Case> = vec![
            (
                "first read is a silent baseline",
                vec![ok(vec![])],
                vec![vec!["baseline"]],
            ),
            (
                "first read with an open incident: baseline only, no 'opened'",
                vec![
                    ok(vec![inc("a", Investigating)]),
                    ok(vec![inc("a", Investigating)]),
                ],
                vec![vec!["baseline"], vec![]],
            ),
            (
                "open, move on, resolve by leaving the list",
                vec![
                    ok(vec![]),
                    ok(vec![inc("a", Investigating)]),
                    ok(vec![inc("a", Identified)]),
                    ok(vec![inc("a", Identified)]),
                    ok(vec![inc("a", Monitoring)]),
                    ok(vec![]),
                    ok(vec![]),
                ],
                vec![
                    vec!["baseline"],
                    vec!["incident_opened"],
                    vec!["incident_updated"],
                    vec![],
                    vec!["incident_updated"],
                    vec!["incident_resolved"],
                    vec![],
                ],
            ),
            (
                "resolved while still listed",
                vec![
                    ok(vec![]),
                    ok(vec![inc("a", Investigating)]),
                    ok(vec![inc("a", Resolved)]),
                    ok(vec![inc("a", Resolved)]),
                ],
                vec![
                    vec!["baseline"],
                    vec!["incident_opened"],
                    vec!["incident_resolved"],
                    vec![],
                ],
            ),
            (
                "an incident that appears already resolved is not news",
                vec![ok(vec![]), ok(vec![inc("a", Resolved)])],
                vec![vec!["baseline"], vec![]],
            ),
            (
                "unreachable is not an outage and not a resolve",
                vec![
                    ok(vec![]),
                    ok(vec![inc("a", Investigating)]),
                    Down("timed out"),
                    Down("timed out"),
                    ok(vec![inc("a", Investigating)]),
                ],
                vec![
                    vec!["baseline"],
                    vec!["incident_opened"],
                    vec!["source_unreachable"],
                    vec![],
                    vec!["source_recovered"],
                ],
            ),
            (
                "what changed while unreachable is announced on recovery",
                vec![
                    ok(vec![]),
                    ok(vec![inc("a", Investigating)]),
                    Down("refused"),
                    ok(vec![inc("b", Identified)]),
                ],
                vec![
                    vec!["baseline"],
                    vec!["incident_opened"],
                    vec!["source_unreachable"],
                    vec!["source_recovered", "incident_resolved", "incident_opened"],
                ],
            ),
            (
                "failing before the first read: no recovery event, then baseline",
                vec![Down("refused"), ok(vec![inc("a", Investigating)])],
                vec![vec!["source_unreachable"], vec!["baseline"]],
            ),
            (
                "a page that moved (HTML) is 'changed format', never healthy nor resolved",
                vec![
                    ok(vec![inc("a", Identified)]),
                    Moved("got an HTML page"),
                    Moved("got an HTML page"),
                    Down("refused"),
                    ok(vec![inc("a", Identified)]),
                ],
                vec![
                    vec!["baseline"],
                    vec!["source_changed_format"],
                    vec![],
                    vec!["source_unreachable"],
                    vec!["source_recovered"],
                ],
            ),
            (
                "a wrong format before any good read is plain unreachable",
                vec![Moved("got an HTML page")],
                vec![vec!["source_unreachable"]],
            ),
            (
                "unknown phase counts as open",
                vec![
                    ok(vec![]),
                    ok(vec![inc("a", Unknown)]),
                    ok(vec![inc("a", Identified)]),
                ],
                vec![
                    vec!["baseline"],
                    vec!["incident_opened"],
                    vec!["incident_updated"],
                ],
            ),
        ];
        for (name, observations, expected) in cases {
            assert_eq!(run(observations), expected, "case: {name}");
        }
    }

    #[test]
    fn component_flapping_is_one_story() {
        use Status::*;
        let rules = Rules::default(); // 10 min flap window
        let c = |s| Obs::Ok(comps(&[("API", s), ("Web", Operational)]));
        let table: Vec<TimedCase> = vec![
            (
                "break, recover for good: degraded now, recovered once it held 10 min",
                vec![
                    (0, c(Operational)),
                    (1, c(Degraded)),
                    (2, c(Operational)),
                    (5, c(Operational)),
                    (12, c(Operational)),
                    (13, c(Operational)),
                ],
                vec![
                    vec!["baseline"],
                    vec!["component_degraded"],
                    vec![],
                    vec![],
                    vec!["component_recovered"],
                    vec![],
                ],
            ),
            (
                "flapping within the window: one degraded, nothing per flap",
                vec![
                    (0, c(Operational)),
                    (1, c(Degraded)),
                    (2, c(Operational)),
                    (3, c(PartialOutage)),
                    (4, c(Operational)),
                    (5, c(Degraded)),
                    (6, c(Operational)),
                ],
                vec![
                    vec!["baseline"],
                    vec!["component_degraded"],
                    vec![],
                    vec![],
                    vec![],
                    vec![],
                    vec![],
                ],
            ),
            (
                "getting worse while broken is news",
                vec![
                    (0, c(Operational)),
                    (1, c(Degraded)),
                    (2, c(MajorOutage)),
                    (3, c(Degraded)),
                ],
                vec![
                    vec!["baseline"],
                    vec!["component_degraded"],
                    vec!["component_degraded"],
                    vec![],
                ],
            ),
            (
                "broken at baseline: silent, and its recovery too",
                vec![
                    (0, c(PartialOutage)),
                    (1, c(Operational)),
                    (20, c(Operational)),
                ],
                vec![vec!["baseline"], vec![], vec![]],
            ),
            (
                "breaking again after the window is a new story",
                vec![
                    (0, c(Operational)),
                    (1, c(Degraded)),
                    (2, c(Operational)),
                    (15, c(Operational)),
                    (16, c(Degraded)),
                ],
                vec![
                    vec!["baseline"],
                    vec!["component_degraded"],
                    vec![],
                    vec!["component_recovered"],
                    vec!["component_degraded"],
                ],
            ),
            (
                "maintenance is not breakage",
                vec![
                    (0, c(Operational)),
                    (1, c(Maintenance)),
                    (2, c(Operational)),
                ],
                vec![vec!["baseline"], vec![], vec![]],
            ),
        ];
        for (name, observations, expected) in table {
            assert_eq!(run_at(&rules, &observations).1, expected, "case: {name}");
        }
    }

    /// An incident closed and then listed open again under its id is reopened: a story of
    /// its own, carried by every event about it until it closes again. After 30 days closed
    /// its id is forgotten, and it comes back as a plain new incident.
    #[test]
    fn a_reopened_incident_is_a_story_of_its_own() {
        let r = Rules::default();
        let open = |phase| snap(vec![inc("a", phase)], vec![]);
        let none = snap(vec![], vec![]);
        let mut state = ServiceState::default();
        let mut seen = Vec::new();
        for (minute, page) in [
            (0, &none),
            (1, &open(Phase::Investigating)),
            (2, &none),
            (3, &open(Phase::Investigating)),
            (4, &open(Phase::Identified)),
            (5, &none),
            (6, &none),
            (5 + 31 * 24 * 60, &open(Phase::Investigating)),
        ] {
            let (next, events) = step(&state, Observation::Read(page), t(minute), &r);
            for e in &events {
                let reopened = match e {
                    Event::IncidentOpened { incident, .. }
                    | Event::PhaseChanged { incident, .. }
                    | Event::IncidentResolved { incident, .. } => incident.reopened_at,
                    _ => continue,
                };
                seen.push((e.name(), reopened));
            }
            state = next;
        }
        assert_eq!(
            seen,
            vec![
                ("incident_opened", None),
                ("incident_resolved", None),
                ("incident_opened", Some(t(3))),
                ("incident_updated", Some(t(3))),
                ("incident_resolved", Some(t(3))),
                ("incident_opened", None),
            ]
        );
        assert!(state.closed.is_empty(), "{:?}", state.closed);
    }

    /// Each breakage carries its own start, which the alert policy keys its story on.
    #[test]
    fn each_breakage_story_has_its_own_start() {
        use Status::*;
        let rules = Rules::default();
        let c = |s| comps(&[("API", s)]);
        let mut state = ServiceState::default();
        let mut starts = Vec::new();
        let mut worsts = Vec::new();
        for (minute, status) in [
            (0, Operational),
            (1, Degraded),
            (2, MajorOutage),
            (3, Operational),
            (5, Degraded), // within the flap window: the same story, silently
            (6, Operational),
            (20, Operational),
            (30, Degraded),
        ] {
            let (next, events) = step(&state, Observation::Read(&c(status)), t(minute), &rules);
            for e in events {
                match e {
                    Event::ComponentDegraded { since, .. } => starts.push(("broke", since)),
                    Event::ComponentRecovered { since, worst, .. } => {
                        starts.push(("back", since));
                        worsts.push(worst);
                    }
                    _ => {}
                }
            }
            state = next;
        }
        assert_eq!(
            starts,
            vec![
                ("broke", t(1)),
                ("broke", t(1)),
                ("back", t(1)),
                ("broke", t(30))
            ]
        );
        assert_eq!(state.components["API"].since, Some(t(30)));
        // The recovery ends a story that reached a major outage; the next one starts afresh.
        assert_eq!(worsts, vec![MajorOutage]);
        assert_eq!(state.components["API"].worst, Degraded);
    }

    #[test]
    fn components_named_by_an_open_incident_stay_quiet() {
        let mut with_incident = comps(&[("API", Status::PartialOutage)]);
        with_incident.incidents = vec![inc("a", Phase::Investigating)];
        let (_, got) = run_at(
            &Rules::default(),
            &[
                (0, Obs::Ok(comps(&[("API", Status::Operational)]))),
                (1, Obs::Ok(with_incident)),
                (2, Obs::Ok(comps(&[("API", Status::Operational)]))),
                (30, Obs::Ok(comps(&[("API", Status::Operational)]))),
            ],
        );
        assert_eq!(
            got,
            vec![
                vec!["baseline"],
                vec!["incident_opened"],
                vec!["incident_resolved"],
                vec![]
            ]
        );
    }

    #[test]
    fn reminders_while_a_major_incident_stays_open() {
        let rules = Rules {
            reminder: Some(chrono::Duration::minutes(60)),
            ..Rules::default()
        };
        let mut minor = inc("m", Phase::Investigating);
        minor.impact = Impact::Minor;
        let open = || {
            Obs::Ok(snap(
                vec![inc("a", Phase::Identified), minor.clone()],
                vec![],
            ))
        };
        let (state, got) = run_at(
            &rules,
            &[
                (0, Obs::Ok(snap(vec![], vec![]))),
                (1, open()),
                (30, open()),
                (61, open()),
                (62, open()),
                (121, open()),
            ],
        );
        assert_eq!(
            got,
            vec![
                vec!["baseline"],
                vec!["incident_opened", "incident_opened"],
                vec![],
                vec!["reminder"],
                vec![],
                vec!["reminder"]
            ]
        );
        assert_eq!(state.open[&IncidentId("a".to_owned())].reminders, 2);
        let (_, none) = run_at(
            &Rules::default(),
            &[
                (0, Obs::Ok(snap(vec![], vec![]))),
                (1, open()),
                (200, open()),
            ],
        );
        assert_eq!(none[2], Vec::<&str>::new(), "reminders are off by default");
    }

    #[test]
    fn offline_gate() {
        let table = [
            (false, 3, 3, true, Some("offline")),
            (true, 3, 3, true, None),
            (true, 2, 3, false, Some("online")),
            (false, 2, 3, false, None),
            (false, 0, 0, false, None),
            (false, 1, 1, false, None),
            (false, 2, 2, true, Some("offline")),
        ];
        for (was, failed, total, offline, event) in table {
            let (now, e) = network_step(was, failed, total);
            assert_eq!(
                (now, e.as_ref().map(Event::name)),
                (offline, event),
                "{was} {failed}/{total}"
            );
        }
    }

    #[test]
    fn sleep_detection() {
        use std::time::Duration as D;
        let tol = D::from_secs(30);
        let m = chrono::Duration::seconds;
        assert!(!woke_from_sleep(m(5), D::from_secs(5), tol), "awake");
        assert!(
            !woke_from_sleep(m(40), D::from_secs(15), tol),
            "small drift"
        );
        assert!(
            woke_from_sleep(m(3600), D::from_secs(5), tol),
            "an hour asleep"
        );
        assert!(
            !woke_from_sleep(m(-3600), D::from_secs(5), tol),
            "clock set back is not sleep"
        );
    }

    #[test]
    fn maintenance_lifecycle() {
        use Phase::*;
        let m = |p| Obs::Ok(snap(vec![], vec![inc("m", p)]));
        let got = run(vec![
            Obs::Ok(snap(vec![], vec![])),
            m(Scheduled),
            m(InProgress),
            m(Verifying),
            m(Completed),
            m(Completed),
        ]);
        assert_eq!(
            got,
            vec![
                vec!["baseline"],
                vec![],
                vec!["maintenance_started"],
                vec![],
                vec!["maintenance_completed"],
                vec![]
            ]
        );
    }

    #[test]
    fn baseline_lists_open_incidents_only() {
        let s = snap(
            vec![inc("a", Phase::Monitoring), inc("b", Phase::Resolved)],
            vec![inc("m", Phase::InProgress)],
        );
        let (state, events) = step(
            &ServiceState::default(),
            Observation::Read(&s),
            t(0),
            &Rules::default(),
        );
        let Event::Baseline { open, .. } = &events[0] else {
            panic!("expected baseline, got {events:?}")
        };
        assert_eq!(
            open.iter().map(|i| i.id.0.as_str()).collect::<Vec<_>>(),
            ["a"]
        );
        assert_eq!(
            state.open.len(),
            2,
            "the running maintenance is remembered too"
        );
    }

    #[test]
    fn resolve_carries_provider_time_and_known_details() {
        let r = Rules::default();
        let mut resolved = inc("a", Phase::Resolved);
        resolved.resolved_at = Some(t(117));
        let (s1, _) = step(
            &ServiceState::default(),
            Observation::Read(&snap(vec![], vec![])),
            t(0),
            &r,
        );
        let (s2, _) = step(
            &s1,
            Observation::Read(&snap(vec![inc("a", Phase::Identified)], vec![])),
            t(1),
            &r,
        );
        let (_, ev) = step(
            &s2,
            Observation::Read(&snap(vec![resolved], vec![])),
            t(200),
            &r,
        );
        assert_eq!(
            ev,
            vec![Event::IncidentResolved {
                incident: Tracked {
                    phase: Phase::Resolved,
                    ..Tracked::read(&inc("a", Phase::Identified), Kind::Incident, None, t(1))
                },
                resolved_at: t(117)
            }]
        );
        // Dropped from the list: resolved "now", with what we knew.
        let (_, ev) = step(&s2, Observation::Read(&snap(vec![], vec![])), t(300), &r);
        let Event::IncidentResolved {
            incident,
            resolved_at,
        } = &ev[0]
        else {
            panic!("{ev:?}")
        };
        assert_eq!(*resolved_at, t(300));
        assert_eq!(incident.title, "Incident a");
        assert_eq!(incident.phase, Phase::Resolved);
    }

    #[test]
    fn state_survives_serialization() {
        let r = Rules::default();
        let (s1, _) = step(
            &ServiceState::default(),
            Observation::Read(&snap(vec![inc("a", Phase::Identified)], vec![])),
            t(0),
            &r,
        );
        let json = serde_json::to_string(&s1).expect("serializes");
        let back: ServiceState = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, s1);
        let (_, ev) = step(
            &back,
            Observation::Read(&snap(vec![inc("a", Phase::Identified)], vec![])),
            t(1),
            &r,
        );
        assert!(ev.is_empty(), "a restart repeats nothing: {ev:?}");
        // State written by the first release (no component or failure fields) still loads.
        let old: ServiceState = serde_json::from_str(r#"{"baselined":true,"status":"operational","open":{},"last_ok_at":null,"failing_since":null,"last_error":null}"#).expect("old state");
        assert!(old.baselined && old.components.is_empty());
    }

    /// States stored before the open incidents held their id (the map's key did) still
    /// load, with the id from the key, and go on as if nothing had changed.
    #[test]
    fn an_old_state_takes_each_id_from_its_key() {
        let old = r#"{"baselined":true,"status":"partial_outage","open":{"a":{
            "kind":"incident","title":"Incident a","phase":"identified","impact":"major",
            "started_at":"2026-11-26T12:00:00Z","url":null,"components":["API"],
            "first_seen":"2026-11-26T12:01:00Z","reminders":1,"reopened_at":null}},
            "last_ok_at":null,"failing_since":null,"last_error":null}"#;
        let state: ServiceState = serde_json::from_str(old).expect("old state");
        let a = &state.open[&IncidentId("a".to_owned())];
        assert_eq!(a.id, IncidentId("a".to_owned()));
        assert_eq!(
            (a.kind, a.reminders, a.first_seen),
            (Kind::Incident, 1, Some(t(1)))
        );
        let (_, ev) = step(
            &state,
            Observation::Read(&snap(vec![], vec![])),
            t(2),
            &Rules::default(),
        );
        let Some(Event::IncidentResolved { incident, .. }) = ev.first() else {
            panic!("{ev:?}")
        };
        assert_eq!(
            incident.id,
            IncidentId("a".to_owned()),
            "the event names it"
        );
    }
}

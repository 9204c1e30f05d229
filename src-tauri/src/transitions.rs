//! Pure transition logic: previous state + new observation + `now` → next state + events.

use crate::model::{Impact, Incident, IncidentId, Phase, Snapshot, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What we remember about one service between polls (persisted as JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceState {
    /// False until the first successful read: that read is a baseline, not news.
    pub baselined: bool,
    /// Page state at the last successful read.
    pub status: Option<Status>,
    /// Open incidents and running maintenances we have seen.
    pub open: BTreeMap<IncidentId, Known>,
    pub last_ok_at: Option<DateTime<Utc>>,
    /// Set while reads fail; cleared by the next good read.
    pub failing_since: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub kind: Kind,
    pub title: String,
    pub phase: Phase,
    pub impact: Impact,
    pub started_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Incident,
    Maintenance,
}

/// The result of one poll of one service.
#[derive(Debug, Clone, Copy)]
pub enum Observation<'a> {
    Read(&'a Snapshot),
    /// Fetch or parse failed; the reason is for people.
    Failed(&'a str),
}

/// One incident as events carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentRef {
    pub id: IncidentId,
    pub title: String,
    pub phase: Phase,
    pub impact: Impact,
    pub started_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
}

/// Something that changed, in the order it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// First good read: what was already open (possibly nothing).
    Baseline {
        open: Vec<IncidentRef>,
        status: Status,
    },
    IncidentOpened {
        incident: IncidentRef,
    },
    PhaseChanged {
        incident: IncidentRef,
        from: Phase,
    },
    IncidentResolved {
        incident: IncidentRef,
        resolved_at: DateTime<Utc>,
    },
    MaintenanceStarted {
        incident: IncidentRef,
    },
    MaintenanceCompleted {
        incident: IncidentRef,
        resolved_at: DateTime<Utc>,
    },
    SourceUnreachable {
        reason: String,
    },
    SourceRecovered,
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Baseline { .. } => "baseline",
            Event::IncidentOpened { .. } => "incident_opened",
            Event::PhaseChanged { .. } => "incident_updated",
            Event::IncidentResolved { .. } => "incident_resolved",
            Event::MaintenanceStarted { .. } => "maintenance_started",
            Event::MaintenanceCompleted { .. } => "maintenance_completed",
            Event::SourceUnreachable { .. } => "source_unreachable",
            Event::SourceRecovered => "source_recovered",
        }
    }

    pub fn incident(&self) -> Option<&IncidentRef> {
        match self {
            Event::IncidentOpened { incident }
            | Event::PhaseChanged { incident, .. }
            | Event::IncidentResolved { incident, .. }
            | Event::MaintenanceStarted { incident }
            | Event::MaintenanceCompleted { incident, .. } => Some(incident),
            Event::Baseline { .. } | Event::SourceUnreachable { .. } | Event::SourceRecovered => {
                None
            }
        }
    }
}

fn reference(i: &Incident) -> IncidentRef {
    IncidentRef {
        id: i.id.clone(),
        title: i.title.clone(),
        phase: i.phase,
        impact: i.impact,
        started_at: i.started_at,
        url: i.url.clone(),
        components: i.components.clone(),
    }
}

fn known(i: &Incident, kind: Kind) -> Known {
    Known {
        kind,
        title: i.title.clone(),
        phase: i.phase,
        impact: i.impact,
        started_at: i.started_at,
        url: i.url.clone(),
        components: i.components.clone(),
    }
}

fn reference_of_known(id: &IncidentId, k: &Known, phase: Phase) -> IncidentRef {
    IncidentRef {
        id: id.clone(),
        title: k.title.clone(),
        phase,
        impact: k.impact,
        started_at: k.started_at,
        url: k.url.clone(),
        components: k.components.clone(),
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
) -> (ServiceState, Vec<Event>) {
    let mut next = prev.clone();
    let mut events = Vec::new();
    let snapshot = match obs {
        Observation::Failed(reason) => {
            // Unreachable is not an outage: open incidents stay as they were.
            if prev.failing_since.is_none() {
                next.failing_since = Some(now);
                events.push(Event::SourceUnreachable {
                    reason: reason.to_owned(),
                });
            }
            next.last_error = Some(reason.to_owned());
            return (next, events);
        }
        Observation::Read(s) => s,
    };

    if prev.failing_since.is_some() && prev.baselined {
        events.push(Event::SourceRecovered);
    }
    next.failing_since = None;
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
            .map(|(id, (kind, i))| (id.clone(), known(i, *kind)))
            .collect();
        let open = current
            .values()
            .filter(|(kind, _)| *kind == Kind::Incident)
            .map(|(_, i)| reference(i))
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
        let closed_phase = listed.map(|i| i.phase).filter(|p| p.is_closed());
        let resolved_at = listed.and_then(|i| i.resolved_at).unwrap_or(now);
        let incident = match listed {
            Some(i) => reference(i),
            None => reference_of_known(
                id,
                k,
                closed_phase.unwrap_or(match k.kind {
                    Kind::Incident => Phase::Resolved,
                    Kind::Maintenance => Phase::Completed,
                }),
            ),
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
        next.open.remove(id);
    }

    for (id, (kind, i)) in &current {
        match prev.open.get(id) {
            None => {
                events.push(match kind {
                    Kind::Incident => Event::IncidentOpened {
                        incident: reference(i),
                    },
                    Kind::Maintenance => Event::MaintenanceStarted {
                        incident: reference(i),
                    },
                });
            }
            Some(k) if *kind == Kind::Incident && k.phase != i.phase => {
                events.push(Event::PhaseChanged {
                    incident: reference(i),
                    from: k.phase,
                });
            }
            Some(_) => {}
        }
        next.open.insert(id.clone(), known(i, *kind));
    }
    (next, events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .expect("valid")
            + chrono::Duration::minutes(min)
    }

    fn inc(id: &str, phase: Phase) -> Incident {
        Incident {
            id: IncidentId(id.to_owned()),
            title: format!("Incident {id}"),
            phase,
            impact: Impact::Major,
            started_at: Some(t(0)),
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
            format: "statuspage".to_owned(),
            page_url: "https://status.example.com".to_owned(),
            status: Status::Operational,
            description: None,
            components: vec![],
            incidents,
            maintenances,
        }
    }

    fn names(events: &[Event]) -> Vec<&'static str> {
        events.iter().map(Event::name).collect()
    }

    /// Runs a sequence of observations from a fresh state and returns each step's event names.
    fn run(observations: &[Result<Snapshot, &str>]) -> (ServiceState, Vec<Vec<&'static str>>) {
        let mut state = ServiceState::default();
        let mut out = Vec::new();
        for (n, o) in observations.iter().enumerate() {
            let obs = match o {
                Ok(s) => Observation::Read(s),
                Err(reason) => Observation::Failed(reason),
            };
            let (next, events) = step(&state, obs, t(n as i64));
            out.push(names(&events));
            state = next;
        }
        (state, out)
    }

    /// Name, observations in order, event names expected after each.
    type Case = (
        &'static str,
        Vec<Result<Snapshot, &'static str>>,
        Vec<Vec<&'static str>>,
    );

    #[test]
    fn decision_table() {
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
                    Err("timed out"),
                    Err("timed out"),
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
                    Err("refused"),
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
                vec![Err("refused"), ok(vec![inc("a", Investigating)])],
                vec![vec!["source_unreachable"], vec!["baseline"]],
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
            let (_, got) = run(&observations);
            assert_eq!(got, expected, "case: {name}");
        }
    }

    #[test]
    fn maintenance_lifecycle() {
        use Phase::*;
        let m = |p| snap(vec![], vec![inc("m", p)]);
        let (state, got) = run(&[
            Ok(snap(vec![], vec![])),
            Ok(m(Scheduled)),
            Ok(m(InProgress)),
            Ok(m(Verifying)),
            Ok(m(Completed)),
            Ok(m(Completed)),
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
        assert!(state.open.is_empty());
    }

    #[test]
    fn baseline_lists_open_incidents_only() {
        let s = snap(
            vec![inc("a", Phase::Monitoring), inc("b", Phase::Resolved)],
            vec![inc("m", Phase::InProgress)],
        );
        let (state, events) = step(&ServiceState::default(), Observation::Read(&s), t(0));
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
        let mut resolved = inc("a", Phase::Resolved);
        resolved.resolved_at = Some(t(117));
        let (s1, _) = step(
            &ServiceState::default(),
            Observation::Read(&snap(vec![], vec![])),
            t(0),
        );
        let (s2, _) = step(
            &s1,
            Observation::Read(&snap(vec![inc("a", Phase::Identified)], vec![])),
            t(1),
        );
        let (_, ev) = step(
            &s2,
            Observation::Read(&snap(vec![resolved], vec![])),
            t(200),
        );
        assert_eq!(
            ev,
            vec![Event::IncidentResolved {
                incident: IncidentRef {
                    phase: Phase::Resolved,
                    ..reference(&inc("a", Phase::Identified))
                },
                resolved_at: t(117)
            }]
        );
        // Dropped from the list: resolved "now", with what we knew.
        let (_, ev) = step(&s2, Observation::Read(&snap(vec![], vec![])), t(300));
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
        let (s1, _) = step(
            &ServiceState::default(),
            Observation::Read(&snap(vec![inc("a", Phase::Identified)], vec![])),
            t(0),
        );
        let json = serde_json::to_string(&s1).expect("serializes");
        let back: ServiceState = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, s1);
        let (_, ev) = step(
            &back,
            Observation::Read(&snap(vec![inc("a", Phase::Identified)], vec![])),
            t(1),
        );
        assert!(ev.is_empty(), "a restart repeats nothing: {ev:?}");
    }
}

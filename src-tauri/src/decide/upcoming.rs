//! Which scheduled maintenances are due a reminder now: a pure rule of the page, the service's settings, the clock and the ledger.
//!
//! The ledger is the memory: a reminder's key names the maintenance and its start, so it
//! is told once across restarts, and a reschedule (another start) is a reminder of its own.
//! Nothing is kept in the service's state: a maintenance that leaves the page, or closes,
//! simply stops being looked at.

use crate::alerts::{IncidentStep, Key};
use crate::config::{MinImpact, ServiceConfig};
use crate::model::{Incident, Kind, Phase, Rules, Snapshot};
use crate::transitions::{Event, Tracked};
use chrono::{DateTime, Utc};

/// The reminders `snapshot` makes due at `now` for `service`, one event each, in the
/// page's order; `announced` says whether the ledger has a key already.
pub fn due(
    service: &ServiceConfig,
    rules: &Rules,
    snapshot: &Snapshot,
    now: DateTime<Utc>,
    mut announced: impl FnMut(&str) -> bool,
) -> Vec<Event> {
    let Some(ahead) = service
        .prefs
        .maintenance_reminder(rules.maintenance_reminder)
    else {
        return Vec::new();
    };
    // Muted hears nothing: no pop-up, and no event the ledger would not remember.
    if service.prefs.min_impact == MinImpact::Muted {
        return Vec::new();
    }
    snapshot
        .maintenances
        .iter()
        .filter(|m| m.phase == Phase::Scheduled && follows(&service.prefs.components, m))
        .filter_map(|m| {
            let start = m.scheduled_for?;
            let window = now < start && now >= start - ahead;
            let key = Key::Incident {
                id: m.id.clone(),
                reopened_at: None,
                step: IncidentStep::MaintenanceUpcoming(start),
            };
            (window && !announced(&key.spelled(&service.id))).then(|| Event::MaintenanceUpcoming {
                incident: Tracked::read(m, Kind::Maintenance, None, now),
                starts_at: start,
            })
        })
        .collect()
}

/// Whether the maintenance touches what the user follows: everything when the follow list
/// is empty, or when the page names no components (it may be all of them).
fn follows(followed: &[String], m: &Incident) -> bool {
    followed.is_empty()
        || m.components.is_empty()
        || m.components
            .iter()
            .any(|c| followed.iter().any(|f| f.eq_ignore_ascii_case(c)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Prefs;
    use crate::model::{Format, Impact, IncidentId, Status};
    use crate::test_support::t;

    fn service(prefs: Prefs) -> ServiceConfig {
        ServiceConfig {
            prefs,
            ..crate::history::testing::service()
        }
    }

    /// A maintenance of the API scheduled to start at minute `start`.
    fn maintenance(id: &str, phase: Phase, start: Option<i64>) -> Incident {
        Incident {
            id: IncidentId(id.to_owned()),
            title: format!("Database upgrade {id}"),
            phase,
            impact: Impact::Maintenance,
            started_at: Some(t(0)),
            scheduled_for: start.map(t),
            updated_at: None,
            resolved_at: None,
            url: None,
            components: vec!["API".to_owned()],
            updates: vec![],
        }
    }

    fn page(maintenances: Vec<Incident>) -> Snapshot {
        Snapshot {
            service: "GitHub".to_owned(),
            format: Format::Statuspage,
            page_url: "https://www.githubstatus.com".to_owned(),
            status: Status::Operational,
            page_status: None,
            description: None,
            components: vec![],
            incidents: vec![],
            maintenances,
        }
    }

    fn rules(global: Option<i64>) -> Rules {
        Rules {
            maintenance_reminder: global.map(chrono::Duration::minutes),
            ..Rules::default()
        }
    }

    fn prefs(own: Option<u32>) -> Prefs {
        Prefs {
            maintenance_reminder_minutes: own,
            ..Prefs::default()
        }
    }

    struct Case {
        name: &'static str,
        prefs: Prefs,
        global: Option<i64>,
        page: Vec<Incident>,
        now: i64,
        ledger: Vec<String>,
        /// Ids and starts (minutes) of the reminders due.
        want: Vec<(&'static str, i64)>,
    }

    fn case(
        name: &'static str,
        page: Vec<Incident>,
        now: i64,
        want: &[(&'static str, i64)],
    ) -> Case {
        Case {
            name,
            prefs: prefs(Some(60)),
            global: None,
            page,
            now,
            ledger: vec![],
            want: want.to_vec(),
        }
    }

    #[test]
    fn due_table() {
        let m = |start| maintenance("m1", Phase::Scheduled, Some(start));
        let key = |start: i64| format!("github/m1/maintenance-upcoming/{}", t(start).timestamp());
        let cases = vec![
            case("before the window", vec![m(200)], 139, &[]),
            case("the window opens", vec![m(200)], 140, &[("m1", 200)]),
            case("inside the window", vec![m(200)], 170, &[("m1", 200)]),
            case("at the start: too late", vec![m(200)], 200, &[]),
            case("after the start", vec![m(200)], 230, &[]),
            case("cancelled: gone from the page", vec![], 170, &[]),
            case(
                "cancelled: closed on the page",
                vec![maintenance("m1", Phase::Completed, Some(200))],
                170,
                &[],
            ),
            case(
                "running is not upcoming",
                vec![maintenance("m1", Phase::InProgress, Some(200))],
                170,
                &[],
            ),
            case(
                "no planned start: nothing to remind of",
                vec![maintenance("m1", Phase::Scheduled, None)],
                170,
                &[],
            ),
            Case {
                ledger: vec![key(200)],
                ..case("already announced", vec![m(200)], 170, &[])
            },
            Case {
                ledger: vec![key(200)],
                ..case(
                    "rescheduled: a new start is due again",
                    vec![m(230)],
                    175,
                    &[("m1", 230)],
                )
            },
            Case {
                ledger: vec![key(200)],
                ..case("rescheduled 3 h later: not yet", vec![m(380)], 175, &[])
            },
            Case {
                prefs: Prefs {
                    min_impact: MinImpact::Muted,
                    ..prefs(Some(60))
                },
                ..case("muted", vec![m(200)], 170, &[])
            },
            Case {
                prefs: Prefs {
                    min_impact: MinImpact::Major,
                    ..prefs(Some(60))
                },
                ..case(
                    "major only still asked for it",
                    vec![m(200)],
                    170,
                    &[("m1", 200)],
                )
            },
            Case {
                prefs: Prefs {
                    components: vec!["Git operations".to_owned()],
                    ..prefs(Some(60))
                },
                ..case("another component", vec![m(200)], 170, &[])
            },
            Case {
                prefs: Prefs {
                    components: vec!["api".to_owned()],
                    ..prefs(Some(60))
                },
                ..case("a followed component", vec![m(200)], 170, &[("m1", 200)])
            },
            Case {
                prefs: Prefs {
                    components: vec!["Git operations".to_owned()],
                    ..prefs(Some(60))
                },
                ..case(
                    "no components named: it may touch all",
                    vec![Incident {
                        components: vec![],
                        ..m(200)
                    }],
                    170,
                    &[("m1", 200)],
                )
            },
            Case {
                prefs: prefs(None),
                ..case("off unless set", vec![m(200)], 170, &[])
            },
            Case {
                prefs: prefs(None),
                global: Some(60),
                ..case("the global default", vec![m(200)], 170, &[("m1", 200)])
            },
            Case {
                prefs: prefs(Some(0)),
                global: Some(60),
                ..case("0 on the service turns it off", vec![m(200)], 170, &[])
            },
            Case {
                prefs: prefs(Some(10)),
                global: Some(60),
                ..case("the service's own overrides", vec![m(200)], 170, &[])
            },
            case(
                "two maintenances, each its own",
                vec![m(200), maintenance("m2", Phase::Scheduled, Some(210))],
                170,
                &[("m1", 200), ("m2", 210)],
            ),
        ];
        for c in cases {
            let got: Vec<(String, i64)> = due(
                &service(c.prefs.clone()),
                &rules(c.global),
                &page(c.page.clone()),
                t(c.now),
                |k| c.ledger.iter().any(|l| l == k),
            )
            .into_iter()
            .map(|e| match e {
                Event::MaintenanceUpcoming {
                    incident,
                    starts_at,
                } => {
                    assert_eq!(incident.kind, Kind::Maintenance, "{}", c.name);
                    (incident.id.0, (starts_at - t(0)).num_minutes())
                }
                other => panic!("{}: {other:?}", c.name),
            })
            .collect();
            let want: Vec<(String, i64)> = c
                .want
                .iter()
                .map(|(id, s)| ((*id).to_owned(), *s))
                .collect();
            assert_eq!(got, want, "{}", c.name);
        }
    }
}

//! Queries for the window: incident lists and search, timelines, spans and reliability.

use super::{parse_ts, ts, History, HistoryError};
use crate::model::{Impact, Kind, Phase, ServiceId};
use crate::reliability::{self, Reliability, Span};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A stored incident, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentRow {
    pub service_id: String,
    pub service_name: String,
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub phase: Phase,
    pub impact: Impact,
    pub open: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub url: Option<String>,
    pub components: Vec<String>,
}

/// One stored update of an incident, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineUpdate {
    pub id: String,
    pub phase: Phase,
    pub body: String,
    pub at: Option<DateTime<Utc>>,
}

/// The moment an incident entered a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseStep {
    pub phase: Phase,
    pub at: DateTime<Utc>,
    pub secs_since_previous: Option<i64>,
}

/// One incident with its updates and the phases it went through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeline {
    pub incident: IncidentRow,
    /// Oldest first; updates without a time last, in the order they were stored.
    pub updates: Vec<TimelineUpdate>,
    /// The first update of each new phase, in time order
    /// (investigating 05:12 → identified 05:43 → resolved 06:10).
    pub steps: Vec<PhaseStep>,
    /// Started (or first seen) to resolved; `None` while open: the caller has the clock.
    pub duration_secs: Option<i64>,
    /// Probes suspected it before the page said anything.
    pub suspicion: Option<super::SuspicionStep>,
}

/// Which incidents the list keeps by state (`"closed"` is read as resolved).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentState {
    Open,
    #[serde(alias = "closed")]
    Resolved,
}

/// What the incident list is narrowed to; `None` fields do not narrow.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFilter {
    /// A service id, exactly.
    pub service_id: Option<String>,
    /// `None`: open and resolved alike.
    pub state: Option<IncidentState>,
    /// Case-insensitive substring of the title or of any update's body.
    pub text: Option<String>,
}

/// SQL for "this incident is open" over `incident i`: no end time and not in a closed
/// phase, built from [`Phase::CLOSED`] so the rule lives in one place.
fn open_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let closed: Vec<String> = Phase::CLOSED
            .iter()
            .map(|p| format!("'{}'", p.as_str()))
            .collect();
        format!(
            "(i.resolved_at IS NULL AND i.phase NOT IN ({}))",
            closed.join(", ")
        )
    })
}

/// The window's list: incidents of one service (`?1`, or all) that are open or not (`?2`),
/// newest first, at most `?3`. Its order is the `incident_recent` index's.
pub(super) fn recent_sql() -> String {
    format!(
        "SELECT {ROW_COLUMNS}
         FROM incident i LEFT JOIN service s ON s.id = i.service_id
         WHERE NOT (i.kind = 'maintenance' AND i.phase = 'scheduled')
           AND (?1 IS NULL OR i.service_id = ?1)
           AND {} = ?2
         ORDER BY COALESCE(i.started_at, i.first_seen_at) DESC
         LIMIT ?3",
        open_sql()
    )
}

/// The columns [`incident_row`] reads, from `incident i LEFT JOIN service s`.
const ROW_COLUMNS: &str = "i.service_id, COALESCE(s.name, i.service_id), i.id, i.kind, i.title, \
     i.phase, i.impact, i.started_at, i.resolved_at, i.url, i.components";

fn incident_row(r: &Row<'_>) -> rusqlite::Result<IncidentRow> {
    let phase = Phase::parse(&r.get::<_, String>(5)?);
    let resolved_at = parse_ts(r.get(8)?);
    let components: String = r.get(10)?;
    Ok(IncidentRow {
        service_id: r.get(0)?,
        service_name: r.get(1)?,
        id: r.get(2)?,
        kind: Kind::parse(&r.get::<_, String>(3)?),
        title: r.get(4)?,
        open: resolved_at.is_none() && !phase.is_closed(),
        phase,
        impact: Impact::parse(&r.get::<_, String>(6)?),
        started_at: parse_ts(r.get(7)?),
        resolved_at,
        url: r.get(9)?,
        components: serde_json::from_str(&components).unwrap_or_default(),
    })
}

/// The phases an incident went through: the first timed update of each new phase, in
/// time order. `closed` is the closing phase and time of an incident that is over; when no
/// update says so (it left the page's list silently), it becomes the final step.
pub fn phase_steps(
    updates: &[TimelineUpdate],
    closed: Option<(Phase, DateTime<Utc>)>,
) -> Vec<PhaseStep> {
    let mut timed: Vec<(Phase, DateTime<Utc>)> = updates
        .iter()
        .filter_map(|u| u.at.map(|at| (u.phase, at)))
        .collect();
    // Stable: updates posted in the same second keep the provider's order.
    timed.sort_by_key(|(_, at)| *at);
    let mut steps: Vec<PhaseStep> = Vec::new();
    for (phase, at) in timed {
        let previous = steps.last();
        if previous.is_some_and(|p| p.phase == phase) {
            continue;
        }
        steps.push(PhaseStep {
            phase,
            at,
            secs_since_previous: previous.map(|p| (at - p.at).num_seconds()),
        });
    }
    if let Some((phase, at)) = closed {
        if !steps.iter().any(|s| s.phase.is_closed()) {
            let previous = steps.last();
            steps.push(PhaseStep {
                phase,
                at,
                // A resolution stamped before the last update is bad data, not negative time.
                secs_since_previous: previous.map(|p| (at - p.at).num_seconds().max(0)),
            });
        }
    }
    steps
}

impl History {
    /// Recent incidents and maintenances, open first, then newest.
    pub fn recent_incidents(&self, limit: usize) -> Result<Vec<IncidentRow>, HistoryError> {
        self.search_incidents(&IncidentFilter::default(), limit)
    }

    /// Like [`History::recent_incidents`], narrowed by `filter`.
    pub fn search_incidents(
        &self,
        filter: &IncidentFilter,
        limit: usize,
    ) -> Result<Vec<IncidentRow>, HistoryError> {
        let service = filter.service_id.as_deref().filter(|s| !s.is_empty());
        // Matched here, not with SQL LIKE: SQLite folds only ASCII case.
        let needle = filter
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase);
        // Open ones first, then closed ones, each newest first: two walks of the
        // `incident_recent` index that stop at the limit, not a sort of the whole table.
        let states: &[bool] = match filter.state {
            Some(IncidentState::Open) => &[true],
            Some(IncidentState::Resolved) => &[false],
            None => &[true, false],
        };
        let mut stmt = self.conn.prepare_cached(&recent_sql())?;
        let mut out = Vec::new();
        for open in states {
            // Without text the database can stop at the limit; with it, every candidate is read.
            let sql_limit = if needle.is_some() {
                -1
            } else {
                (limit - out.len()) as i64
            };
            let rows = stmt.query_map(params![service, open, sql_limit], incident_row)?;
            for row in rows {
                if out.len() >= limit {
                    break;
                }
                let row = row?;
                let keep = match &needle {
                    None => true,
                    Some(n) => {
                        row.title.to_lowercase().contains(n.as_str())
                            || self.body_contains(&row, n)?
                    }
                };
                if keep {
                    out.push(row);
                }
            }
            if out.len() >= limit {
                break;
            }
        }
        Ok(out)
    }

    fn body_contains(&self, row: &IncidentRow, needle: &str) -> Result<bool, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM incident_update WHERE service_id = ?1 AND incident_id = ?2",
        )?;
        let mut bodies = stmt.query(params![row.service_id, row.id])?;
        while let Some(r) = bodies.next()? {
            let body: String = r.get(0)?;
            if body.to_lowercase().contains(needle) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// One incident with its updates and phase steps; `None` if it is not stored.
    pub fn timeline(
        &self,
        service: &ServiceId,
        incident_id: &str,
    ) -> Result<Option<Timeline>, HistoryError> {
        let found = self
            .conn
            .query_row(
                &format!(
                    "SELECT {ROW_COLUMNS}, COALESCE(i.started_at, i.first_seen_at)
                     FROM incident i LEFT JOIN service s ON s.id = i.service_id
                     WHERE i.service_id = ?1 AND i.id = ?2"
                ),
                params![service.as_str(), incident_id],
                |r| Ok((incident_row(r)?, parse_ts(r.get(11)?))),
            )
            .optional()?;
        let Some((incident, began)) = found else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, phase, body, at FROM incident_update
             WHERE service_id = ?1 AND incident_id = ?2
             ORDER BY at IS NULL, at, rowid",
        )?;
        let updates = stmt
            .query_map(params![service.as_str(), incident_id], |r| {
                Ok(TimelineUpdate {
                    id: r.get(0)?,
                    phase: Phase::parse(&r.get::<_, String>(1)?),
                    body: r.get(2)?,
                    at: parse_ts(r.get(3)?),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let closed_at = incident.resolved_at.filter(|_| !incident.open);
        let closing_phase = if incident.phase.is_closed() {
            incident.phase
        } else {
            incident.kind.closing_phase()
        };
        let steps = phase_steps(&updates, closed_at.map(|at| (closing_phase, at)));
        let duration_secs = match (closed_at, began) {
            (Some(end), Some(start)) => Some((end - start).num_seconds().max(0)),
            _ => None,
        };
        let suspicion = self.suspicion_of(service, incident_id)?;
        Ok(Some(Timeline {
            incident,
            updates,
            steps,
            duration_secs,
            suspicion,
        }))
    }

    /// Incidents (not maintenances) of a service that overlap [since, ∞) or are open.
    /// Without a provider start time, the time we first saw it stands in.
    pub fn spans(
        &self,
        service: &ServiceId,
        since: DateTime<Utc>,
    ) -> Result<Vec<Span>, HistoryError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE(started_at, first_seen_at), resolved_at, phase, impact FROM incident
             WHERE service_id = ?1 AND kind = ?3 AND (resolved_at IS NULL OR resolved_at >= ?2)
             ORDER BY 1",
        )?;
        let rows = stmt.query_map(
            params![service.as_str(), ts(since), Kind::Incident.as_str()],
            |r| {
                Ok((
                    parse_ts(r.get(0)?),
                    parse_ts(r.get(1)?),
                    Phase::parse(&r.get::<_, String>(2)?),
                    Impact::parse(&r.get::<_, String>(3)?),
                ))
            },
        )?;
        let mut spans = Vec::new();
        for row in rows {
            let (started, resolved, phase, impact) = row?;
            let Some(started_at) = started else {
                continue;
            };
            // Closed without an end time: of unknown length, so none rather than "until now".
            let resolved_at = resolved.or_else(|| phase.is_closed().then_some(started_at));
            spans.push(Span {
                started_at,
                resolved_at,
                impact,
            });
        }
        Ok(spans)
    }

    /// The reliability figures of a service as of `now`.
    pub fn reliability(
        &self,
        service: &ServiceId,
        now: DateTime<Utc>,
    ) -> Result<Reliability, HistoryError> {
        // The strip is the widest window, so this reaches every figure.
        let since = now - chrono::Duration::days(i64::from(reliability::STRIP_DAYS));
        let spans = self.spans(service, since)?;
        let mut r = reliability::compute(&spans, now);
        r.detection = self.detection(service, since)?;
        let (acknowledged, never) = self.acknowledgments(service, since)?;
        r.acknowledgment =
            reliability::ack::AckRecord::of(&acknowledged, &never, now, &reliability::WINDOW_DAYS);
        let first: Option<String> = self.conn.query_row(
            "SELECT MIN(COALESCE(started_at, first_seen_at)) FROM incident
             WHERE service_id = ?1 AND kind = 'incident'",
            [service.as_str()],
            |r| r.get(0),
        )?;
        r.history_since = match (parse_ts(first), r.history_since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(r)
    }

    /// How many updates of an incident are stored.
    pub fn update_count(&self, service: &ServiceId, incident: &str) -> Result<usize, HistoryError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM incident_update WHERE service_id = ?1 AND incident_id = ?2",
            params![service.as_str(), incident],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::config::ServiceConfig;
    use crate::history::PollRecord;
    use crate::model::Rules;
    use crate::model::{Incident, IncidentUpdate, Snapshot};
    use crate::test_support::t;
    use crate::transitions::{step, Observation};

    #[test]
    fn open_incidents_list_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let mut old_open = incident("old-open", Phase::Monitoring, 0);
        old_open.impact = Impact::Major;
        let mut closed = incident("new-closed", Phase::Resolved, 50);
        closed.resolved_at = Some(t(60));
        poll(
            &mut h,
            &snapshot(vec![
                old_open,
                closed,
                incident("newer-open", Phase::Identified, 30),
            ]),
            t(70),
        );
        let ids: Vec<String> = h
            .recent_incidents(10)
            .expect("rows")
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["newer-open", "old-open", "new-closed"]);
    }

    fn update(id: &str, phase: Phase, body: &str, at: Option<i64>) -> IncidentUpdate {
        IncidentUpdate {
            id: id.to_owned(),
            phase,
            body: body.to_owned(),
            at: at.map(t),
        }
    }

    fn with_updates(mut i: Incident, updates: Vec<IncidentUpdate>) -> Incident {
        if let Some(last) = updates.last() {
            i.phase = last.phase;
        }
        i.updates = updates;
        i
    }

    fn other_service() -> ServiceConfig {
        ServiceConfig {
            id: ServiceId::from_name("OpenAI"),
            name: "OpenAI".to_owned(),
            url: "https://status.openai.com".to_owned(),
            ..service()
        }
    }

    fn record_for(h: &mut History, svc: &ServiceConfig, snap: &Snapshot, now: DateTime<Utc>) {
        let prev = h.load_state(&svc.id).expect("state");
        let (next, events) = step(&prev, Observation::Read(snap), now, &Rules::default());
        h.record_poll(&PollRecord::new(svc, Some(snap), &next, &events, now))
            .expect("record");
    }

    fn step_of(phase: &str, at: i64, since: Option<i64>) -> PhaseStep {
        PhaseStep {
            phase: Phase::parse(phase),
            at: t(at),
            secs_since_previous: since,
        }
    }

    /// (name, updates, closing phase and minute, expected steps)
    type StepCase = (
        &'static str,
        Vec<TimelineUpdate>,
        Option<(&'static str, i64)>,
        Vec<PhaseStep>,
    );

    #[test]
    fn phase_steps_table() {
        let u = |phase: &str, at: Option<i64>| TimelineUpdate {
            id: format!("{phase}{at:?}"),
            phase: Phase::parse(phase),
            body: String::new(),
            at: at.map(t),
        };
        let table: Vec<StepCase> = vec![
            ("no updates, open", vec![], None, vec![]),
            (
                "no updates, closed: the resolution alone",
                vec![],
                Some(("resolved", 30)),
                vec![step_of("resolved", 30, None)],
            ),
            (
                "repeats collapse into the first, untimed ones are skipped",
                vec![
                    u("investigating", Some(0)),
                    u("investigating", Some(10)),
                    u("identified", None),
                    u("identified", Some(31)),
                    u("monitoring", Some(40)),
                    u("resolved", Some(58)),
                ],
                Some(("resolved", 58)),
                vec![
                    step_of("investigating", 0, None),
                    step_of("identified", 31, Some(31 * 60)),
                    step_of("monitoring", 40, Some(9 * 60)),
                    step_of("resolved", 58, Some(18 * 60)),
                ],
            ),
            (
                "out of order input is put in time order",
                vec![u("identified", Some(20)), u("investigating", Some(5))],
                None,
                vec![
                    step_of("investigating", 5, None),
                    step_of("identified", 20, Some(15 * 60)),
                ],
            ),
            (
                "closed silently: a final step at the resolution",
                vec![u("investigating", Some(0)), u("monitoring", Some(20))],
                Some(("resolved", 50)),
                vec![
                    step_of("investigating", 0, None),
                    step_of("monitoring", 20, Some(20 * 60)),
                    step_of("resolved", 50, Some(30 * 60)),
                ],
            ),
            (
                "a postmortem update already closes it",
                vec![u("investigating", Some(0)), u("postmortem", Some(90))],
                Some(("postmortem", 60)),
                vec![
                    step_of("investigating", 0, None),
                    step_of("postmortem", 90, Some(90 * 60)),
                ],
            ),
            (
                "a resolution stamped before the last update is not negative",
                vec![u("investigating", Some(10))],
                Some(("resolved", 5)),
                vec![
                    step_of("investigating", 10, None),
                    step_of("resolved", 5, Some(0)),
                ],
            ),
            (
                "back and forth between phases is kept",
                vec![
                    u("identified", Some(0)),
                    u("monitoring", Some(10)),
                    u("identified", Some(20)),
                ],
                None,
                vec![
                    step_of("identified", 0, None),
                    step_of("monitoring", 10, Some(600)),
                    step_of("identified", 20, Some(600)),
                ],
            ),
        ];
        for (name, updates, closed, want) in table {
            let closed = closed.map(|(p, at)| (Phase::parse(p), t(at)));
            assert_eq!(phase_steps(&updates, closed), want, "{name}");
        }
    }

    #[test]
    fn timeline_of_a_stored_incident() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let id = service().id;
        poll(&mut h, &snapshot(vec![]), t(0));
        let first = vec![
            update("u1", Phase::Investigating, "Looking into errors", Some(0)),
            update("u2", Phase::Investigating, "Still looking", Some(8)),
        ];
        let a = with_updates(incident("a", Phase::Investigating, 0), first.clone());
        poll(&mut h, &snapshot(vec![a.clone()]), t(10));
        let open = h.timeline(&id, "a").expect("timeline").expect("stored");
        assert!(open.incident.open);
        assert_eq!(open.duration_secs, None, "open: the caller has the clock");
        assert_eq!(open.updates.len(), 2);
        assert_eq!(open.steps, vec![step_of("investigating", 0, None)]);

        let mut more = first;
        more.push(update("u3", Phase::Identified, "Found it", Some(31)));
        more.push(update("u4", Phase::Monitoring, "Fix deployed", Some(45)));
        let a = with_updates(a, more);
        poll(&mut h, &snapshot(vec![a]), t(46));
        // It leaves the unresolved list without a resolved update.
        poll(&mut h, &snapshot(vec![]), t(60));
        let done = h.timeline(&id, "a").expect("timeline").expect("stored");
        assert!(!done.incident.open);
        assert_eq!(done.incident.phase, Phase::Resolved);
        assert_eq!(
            done.updates
                .iter()
                .map(|u| u.id.as_str())
                .collect::<Vec<_>>(),
            ["u1", "u2", "u3", "u4"]
        );
        assert_eq!(done.updates[2].body, "Found it");
        assert_eq!(
            done.steps,
            vec![
                step_of("investigating", 0, None),
                step_of("identified", 31, Some(31 * 60)),
                step_of("monitoring", 45, Some(14 * 60)),
                step_of("resolved", 60, Some(15 * 60)),
            ]
        );
        assert_eq!(done.duration_secs, Some(3600));

        // No provider start time: measured from when it was first seen.
        let mut b = with_updates(
            incident("b", Phase::Resolved, 0),
            vec![update("b1", Phase::Resolved, "Fixed", Some(70))],
        );
        b.started_at = None;
        b.resolved_at = Some(t(70));
        poll(&mut h, &snapshot(vec![b]), t(65));
        let b = h.timeline(&id, "b").expect("timeline").expect("stored");
        assert_eq!(b.incident.started_at, None);
        assert_eq!(b.duration_secs, Some(5 * 60));
        assert_eq!(b.steps, vec![step_of("resolved", 70, None)]);

        assert_eq!(h.timeline(&id, "nope").expect("timeline"), None);
        assert_eq!(
            h.timeline(&other_service().id, "a").expect("timeline"),
            None,
            "ids are per service"
        );
    }

    #[test]
    fn spans_and_reliability_from_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let day = 24 * 60;
        let now = t(0);
        let mut old = incident("old", Phase::Resolved, -200 * day);
        old.resolved_at = Some(t(-200 * day + 60));
        let mut recent = incident("recent", Phase::Resolved, -120);
        recent.resolved_at = Some(t(-90));
        recent.impact = Impact::Major;
        let mut unknown_start = incident("no-start", Phase::Resolved, 0);
        unknown_start.started_at = None;
        unknown_start.resolved_at = Some(t(-5));
        let open = incident("open", Phase::Identified, -20);
        let mut snap = snapshot(vec![old, recent, unknown_start, open]);
        let mut maintenance = incident("m", Phase::InProgress, -30);
        maintenance.impact = Impact::Maintenance;
        snap.maintenances = vec![maintenance];
        // First seen ten minutes ago: stands in for the missing start.
        poll(&mut h, &snap, t(-10));
        record_for(
            &mut h,
            &other_service(),
            &snapshot(vec![incident("elsewhere", Phase::Identified, -30)]),
            t(-10),
        );

        let id = service().id;
        let mut spans = h.spans(&id, t(-90 * day)).expect("spans");
        spans.sort_by_key(|s| s.started_at);
        assert_eq!(
            spans,
            vec![
                Span {
                    started_at: t(-120),
                    resolved_at: Some(t(-90)),
                    impact: Impact::Major
                },
                Span {
                    started_at: t(-20),
                    resolved_at: None,
                    impact: Impact::Minor
                },
                Span {
                    started_at: t(-10),
                    resolved_at: Some(t(-5)),
                    impact: Impact::Minor
                },
            ],
            "the old one, the maintenance and the other service are left out"
        );

        let r = h.reliability(&id, now).expect("reliability");
        assert_eq!(r.history_since, Some(t(-200 * day)), "from all incidents");
        assert_eq!(r.open, 1);
        assert_eq!(r.windows[0].incidents, 3);
        // 30 min, then the open 20 min which contains the 5 min one.
        assert_eq!(r.windows[0].impacted_secs, 50 * 60);
        assert_eq!(r.mttr_secs, Some((30 * 60 + 5 * 60) / 2));
        assert_eq!(r.longest_secs, Some(30 * 60));
        assert_eq!(r.days.len(), 90);
        assert_eq!(r.days[89].worst, Some(Impact::Major));

        let none = h
            .reliability(&ServiceId::from_name("Nobody"), now)
            .expect("reliability");
        assert_eq!(none.history_since, None);
        assert_eq!(none.windows[2].availability_pct, 100.0);
    }

    #[test]
    fn search_narrows_by_service_state_and_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let mut closed = with_updates(
            incident("gh-closed", Phase::Resolved, 0),
            vec![update(
                "x",
                Phase::Resolved,
                "The DNS provider had a STÖRUNG",
                Some(5),
            )],
        );
        closed.title = "Webhooks delayed".to_owned();
        closed.resolved_at = Some(t(5));
        let mut open = incident("gh-open", Phase::Investigating, 10);
        open.title = "Elevated Git errors".to_owned();
        poll(&mut h, &snapshot(vec![closed, open]), t(20));
        let mut ai = incident("ai-open", Phase::Identified, 15);
        ai.title = "Git-like errors in the API".to_owned();
        record_for(&mut h, &other_service(), &snapshot(vec![ai]), t(20));

        let ids = |f: IncidentFilter, limit: usize| -> Vec<String> {
            h.search_incidents(&f, limit)
                .expect("search")
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        let f = |service: Option<&str>, state: Option<IncidentState>, text: Option<&str>| {
            IncidentFilter {
                service_id: service.map(str::to_owned),
                state,
                text: text.map(str::to_owned),
            }
        };
        let table: Vec<(&str, IncidentFilter, usize, Vec<&str>)> = vec![
            (
                "everything, open first",
                f(None, None, None),
                10,
                vec!["ai-open", "gh-open", "gh-closed"],
            ),
            (
                "the limit",
                f(None, None, None),
                2,
                vec!["ai-open", "gh-open"],
            ),
            (
                "one service",
                f(Some("github"), None, None),
                10,
                vec!["gh-open", "gh-closed"],
            ),
            (
                "service ids are exact",
                f(Some("git"), None, None),
                10,
                vec![],
            ),
            (
                "open",
                f(None, Some(IncidentState::Open), None),
                10,
                vec!["ai-open", "gh-open"],
            ),
            (
                "resolved",
                f(None, Some(IncidentState::Resolved), None),
                10,
                vec!["gh-closed"],
            ),
            ("all", f(None, None, None), 1, vec!["ai-open"]),
            (
                "title, any case",
                f(None, None, Some("GIT")),
                10,
                vec!["ai-open", "gh-open"],
            ),
            (
                "update body, non-ASCII case",
                f(None, None, Some("störung")),
                10,
                vec!["gh-closed"],
            ),
            (
                "text within one service",
                f(Some("openai"), None, Some("git")),
                10,
                vec!["ai-open"],
            ),
            (
                "text and state",
                f(None, Some(IncidentState::Resolved), Some("git")),
                10,
                vec![],
            ),
            (
                "text with a limit",
                f(None, None, Some("errors")),
                1,
                vec!["ai-open"],
            ),
            (
                "blank text is no filter",
                f(None, None, Some("  ")),
                10,
                vec!["ai-open", "gh-open", "gh-closed"],
            ),
            (
                "LIKE wildcards are plain text",
                f(None, None, Some("%")),
                10,
                vec![],
            ),
        ];
        for (name, filter, limit, want) in table {
            assert_eq!(ids(filter, limit), want, "{name}");
        }
        assert_eq!(
            h.recent_incidents(10).expect("recent").len(),
            3,
            "recent is the unfiltered search"
        );
        // The window's words for the states, and nothing else.
        let state = |json: &str| serde_json::from_str::<IncidentFilter>(json).map(|f| f.state);
        assert_eq!(
            state(r#"{"state":"open"}"#).ok(),
            Some(Some(IncidentState::Open))
        );
        assert_eq!(
            state(r#"{"state":"closed"}"#).ok(),
            Some(Some(IncidentState::Resolved))
        );
        assert_eq!(state(r#"{}"#).ok(), Some(None));
        assert!(state(r#"{"state":"bogus"}"#).is_err());
    }
}

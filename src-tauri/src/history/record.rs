//! Saving what a round decided: the one transaction that stores incidents, state, the
//! announced ledger and the outbox together; and reading the outbox back for delivery.

use super::{parse_ts, ts, History, HistoryError};
use crate::alerts::{Delivery, LedgerKey, Notification, Urgency};
use crate::config::ServiceConfig;
use crate::decide::{Link, Outcome, Sign};
use crate::model::{Incident, Kind, ServiceId, Snapshot};
use crate::transitions::{Event, ServiceState};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};

/// Opens, clears and links suspicion rows as the events and the link say.
fn record_suspicions(
    tx: &Transaction<'_>,
    service: &ServiceId,
    events: &[Event],
    link: Option<&Link>,
    now: DateTime<Utc>,
) -> Result<(), HistoryError> {
    for e in events {
        match e {
            Event::OutageSuspected { since, evidence } => {
                tx.execute(
                    "INSERT INTO suspicion (service_id, since, suspected_at, evidence)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (service_id, since) DO UPDATE SET evidence = excluded.evidence",
                    params![
                        service.as_str(),
                        ts(*since),
                        ts(now),
                        serde_json::to_string(evidence)?
                    ],
                )?;
            }
            Event::SuspicionCleared { since, at, .. } => {
                tx.execute(
                    "UPDATE suspicion SET outcome = 'cleared', ended_at = ?3
                     WHERE service_id = ?1 AND since = ?2 AND outcome IS NULL",
                    params![service.as_str(), ts(*since), ts(*at)],
                )?;
            }
            _ => {}
        }
    }
    match link {
        Some(l) if l.sign == Sign::Probe => {
            tx.execute(
                "UPDATE suspicion SET outcome = 'linked', ended_at = ?3, acknowledged_at = ?4,
                     lead_secs = ?5, incident_id = ?6
                 WHERE service_id = ?1 AND since = ?2",
                params![
                    service.as_str(),
                    ts(l.since),
                    ts(now),
                    ts(l.acknowledged_at),
                    l.lead_secs,
                    l.incident_id
                ],
            )?;
        }
        Some(l) => {
            tx.execute(
                "INSERT INTO component_sign (service_id, since, acknowledged_at, incident_id)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (service_id, since) DO NOTHING",
                params![
                    service.as_str(),
                    ts(l.since),
                    ts(l.acknowledged_at),
                    l.incident_id
                ],
            )?;
        }
        None => {}
    }
    Ok(())
}

/// Quiet hours never hold a pop-up longer than a day; one held further ahead was planned by
/// a clock that has been set back since, and is due now rather than days later.
fn longest_hold() -> chrono::Duration {
    chrono::Duration::hours(24)
}

/// A notification waiting in (or taken from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub outbox_id: i64,
    pub notification: Notification,
    /// Held by quiet hours until now.
    pub held: bool,
}

impl History {
    /// The remembered state of a service; default (not yet baselined) when unknown.
    pub fn load_state(&self, service: &ServiceId) -> Result<ServiceState, HistoryError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT state FROM service WHERE id = ?1",
                [service.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match json {
            Some(j) => serde_json::from_str(&j)?,
            None => ServiceState::default(),
        })
    }

    /// Whether the ledger has `key`: the decision's "already announced?" lookup. A read
    /// that fails answers no, so a change is announced again rather than never.
    pub fn is_announced(&self, key: &str) -> bool {
        let exists = self
            .conn
            .prepare_cached("SELECT 1 FROM announced WHERE key = ?1")
            .and_then(|mut s| s.exists([key]));
        exists.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "cannot read the announced ledger");
            false
        })
    }

    /// Saves what one poll (or probe round) decided, atomically: the snapshot's incidents,
    /// the next state, the suspicion it opens, clears or links, the notification with its
    /// ledger keys, and the webhook deliveries. Returns what to deliver now.
    pub fn save(
        &mut self,
        service: &ServiceConfig,
        snapshot: Option<&Snapshot>,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<Option<Pending>, HistoryError> {
        let tx = self.conn.transaction()?;
        let state = serde_json::to_string(&outcome.next)?;
        tx.execute(
            "INSERT INTO service (id, name, url, format, state, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, url = excluded.url,
                 format = excluded.format, state = excluded.state, updated_at = excluded.updated_at",
            params![service.id.as_str(), service.name, service.url, service.format.as_str(), state, ts(now)],
        )?;
        if let Some(s) = snapshot {
            for i in &s.incidents {
                upsert_incident(&tx, &service.id, i, Kind::Incident, now)?;
            }
            for m in &s.maintenances {
                upsert_incident(&tx, &service.id, m, Kind::Maintenance, now)?;
            }
        }
        for e in &outcome.events {
            if let Event::IncidentResolved {
                incident,
                resolved_at,
            }
            | Event::MaintenanceCompleted {
                incident,
                resolved_at,
            } = e
            {
                // An incident that left the unresolved list without a final update.
                tx.execute(
                    "UPDATE incident SET phase = ?3, resolved_at = COALESCE(resolved_at, ?4)
                     WHERE service_id = ?1 AND id = ?2",
                    params![
                        service.id.as_str(),
                        incident.id.0,
                        incident.phase.as_str(),
                        ts(*resolved_at)
                    ],
                )?;
            }
        }
        // A previous source's incidents the new one does not show: no longer followed, so
        // no longer open (one shown again is reopened by its next upsert).
        for id in &outcome.unfollowed {
            tx.execute(
                "UPDATE incident SET resolved_at = COALESCE(resolved_at, ?3)
                 WHERE service_id = ?1 AND id = ?2",
                params![service.id.as_str(), id.0, ts(now)],
            )?;
        }
        record_suspicions(
            &tx,
            &service.id,
            &outcome.events,
            outcome.link.as_ref(),
            now,
        )?;
        if outcome.reminded.is_some() {
            // With the pop-up's record, in the one transaction: told once, also across a kill.
            tx.execute(
                "DELETE FROM reminder WHERE service_id = ?1",
                params![service.id.as_str()],
            )?;
        }
        let mut outbox_id = None;
        let pending = match &outcome.notification {
            None => None,
            Some(n) => {
                // Dropped ones are recorded as handled, so they never pop up later.
                let (not_before, delivered_at, note) = match outcome.delivery {
                    Delivery::Now => (None, None, None),
                    Delivery::Queue { until } => (Some(ts(until)), None, None),
                    Delivery::Drop { reason } => {
                        (None, Some(ts(now)), Some(format!("dropped: {reason}")))
                    }
                };
                tx.execute(
                    "INSERT INTO outbox (service_id, title, body, urgency, url, created_at, not_before, delivered_at, last_error)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![n.service.as_str(), n.title, n.body, n.urgency.as_str(), n.url, ts(now), not_before, delivered_at, note],
                )?;
                let id = tx.last_insert_rowid();
                outbox_id = Some(id);
                for k in &n.keys {
                    tx.execute(
                        "INSERT INTO announced (key, outbox_id, at, service_id, story)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![k.key, id, ts(now), service.id.as_str(), k.story],
                    )?;
                }
                matches!(outcome.delivery, Delivery::Now).then(|| Pending {
                    outbox_id: id,
                    notification: n.clone(),
                    held: false,
                })
            }
        };
        super::webhooks::queue(
            &tx,
            outbox_id,
            service.id.as_str(),
            &outcome.deliveries,
            now,
        )?;
        tx.commit()?;
        Ok(pending)
    }

    /// Notifications recorded but not delivered: the app was killed in between, or quiet
    /// hours held them until now. Unheld ones older than `max_age` are marked expired
    /// (yesterday's news is not a pop-up); held ones never expire: the user asked for them
    /// later, not never.
    pub fn take_undelivered(
        &mut self,
        now: DateTime<Utc>,
        max_age: chrono::Duration,
    ) -> Result<Vec<Pending>, HistoryError> {
        let cutoff = ts(now - max_age);
        self.conn.execute(
            "UPDATE outbox SET delivered_at = ?2, last_error = 'expired undelivered'
             WHERE delivered_at IS NULL AND not_before IS NULL AND created_at < ?1",
            params![cutoff, ts(now)],
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT o.id, o.service_id, o.title, o.body, o.urgency, o.url, o.not_before IS NOT NULL
             FROM outbox o WHERE o.delivered_at IS NULL
               AND (COALESCE(o.not_before, '') <= ?1 OR o.not_before > ?2)
             ORDER BY o.id",
        )?;
        let rows = stmt.query_map([ts(now), ts(now + longest_hold())], |r| {
            Ok(Pending {
                held: r.get(6)?,
                outbox_id: r.get(0)?,
                notification: Notification {
                    service: ServiceId::from_name(&r.get::<_, String>(1)?),
                    title: r.get(2)?,
                    body: r.get(3)?,
                    urgency: Urgency::parse(&r.get::<_, String>(4)?),
                    url: r.get(5)?,
                    keys: Vec::new(),
                },
            })
        })?;
        let mut pending = rows.collect::<Result<Vec<_>, _>>()?;
        let mut keys = self.conn.prepare_cached(
            "SELECT key, COALESCE(story, '') FROM announced WHERE outbox_id = ?1 ORDER BY rowid",
        )?;
        for p in &mut pending {
            p.notification.keys = keys
                .query_map([p.outbox_id], |r| {
                    Ok(LedgerKey {
                        key: r.get(0)?,
                        story: r.get(1)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
        }
        Ok(pending)
    }

    /// When the next pop-up held by quiet hours may show, if one is held past `now`.
    pub fn next_held_until(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, HistoryError> {
        let next: Option<String> = self.conn.query_row(
            "SELECT MIN(not_before) FROM outbox
             WHERE delivered_at IS NULL AND not_before > ?1 AND not_before <= ?2",
            [ts(now), ts(now + longest_hold())],
            |r| r.get(0),
        )?;
        Ok(next.and_then(|t| parse_ts(Some(t))))
    }

    /// Forgets announced transitions of `service` older than `before` whose story is over
    /// (`live` names the stories that can still be announced): nobody can hit those keys
    /// again, and the ledger would otherwise grow for as long as the app is used. Delivered
    /// outbox rows no key points at go with them. Returns the ledger rows removed.
    pub fn prune_ledger(
        &mut self,
        service: &ServiceId,
        live: &[String],
        before: DateTime<Utc>,
    ) -> Result<usize, HistoryError> {
        let tx = self.conn.transaction()?;
        let live = serde_json::to_string(live)?;
        let removed = tx.execute(
            "DELETE FROM announced
             WHERE at < ?2
               AND (service_id = ?1 OR (service_id IS NULL AND key LIKE ?3))
               AND COALESCE(story, '') NOT IN (SELECT value FROM json_each(?4))",
            params![service.as_str(), ts(before), like_prefix(service), live],
        )?;
        tx.execute(
            "DELETE FROM outbox
             WHERE service_id = ?1 AND delivered_at IS NOT NULL AND created_at < ?2
               AND NOT EXISTS (SELECT 1 FROM announced a WHERE a.outbox_id = outbox.id)",
            params![service.as_str(), ts(before)],
        )?;
        tx.commit()?;
        Ok(removed)
    }

    /// Records a delivery attempt (`error` is `None` on success). A failed one stays
    /// pending for a retry until `max_attempts` attempts were made.
    pub fn mark_delivery(
        &mut self,
        outbox_id: i64,
        now: DateTime<Utc>,
        error: Option<&str>,
        max_attempts: i64,
    ) -> Result<(), HistoryError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?3,
                 delivered_at = CASE WHEN ?3 IS NULL OR attempts + 1 >= ?4 THEN ?2 END
             WHERE id = ?1",
            params![outbox_id, ts(now), error, max_attempts],
        )?;
        Ok(())
    }

    /// Notifications are paused until this time (set from the tray), if at all.
    pub fn paused_until(&self) -> Result<Option<DateTime<Utc>>, HistoryError> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'paused_until'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(parse_ts(v))
    }

    pub fn set_paused_until(&mut self, until: Option<DateTime<Utc>>) -> Result<(), HistoryError> {
        match until {
            Some(t) => self.conn.execute(
                "INSERT INTO setting (key, value) VALUES ('paused_until', ?1)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [ts(t)],
            )?,
            None => self
                .conn
                .execute("DELETE FROM setting WHERE key = 'paused_until'", [])?,
        };
        Ok(())
    }
}

/// `LIKE` pattern for keys of rows written before the ledger named its service: they all
/// start with the service id (a slug of letters, digits and `-`, so no wildcard) and a slash.
fn like_prefix(service: &ServiceId) -> String {
    format!("{service}/%")
}

fn upsert_incident(
    tx: &Transaction<'_>,
    service: &ServiceId,
    i: &Incident,
    kind: Kind,
    now: DateTime<Utc>,
) -> Result<(), HistoryError> {
    let kind = match kind {
        Kind::Incident => "incident",
        Kind::Maintenance => "maintenance",
    };
    let resolved_at = i.resolved_at.or_else(|| i.phase.is_closed().then_some(now));
    tx.prepare_cached(
        "INSERT INTO incident (service_id, id, kind, title, phase, impact, started_at, updated_at, resolved_at,
                               url, components, first_seen_at, last_seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)
         ON CONFLICT (service_id, id) DO UPDATE SET
             title = excluded.title, phase = excluded.phase, impact = excluded.impact,
             started_at = COALESCE(excluded.started_at, incident.started_at),
             updated_at = excluded.updated_at,
             resolved_at = CASE WHEN excluded.resolved_at IS NULL THEN NULL
                                ELSE COALESCE(incident.resolved_at, excluded.resolved_at) END,
             url = excluded.url, components = excluded.components, last_seen_at = excluded.last_seen_at",
    )?
    .execute(params![
        service.as_str(),
        i.id.0,
        kind,
        i.title,
        i.phase.as_str(),
        i.impact.as_str(),
        i.started_at.map(ts),
        i.updated_at.map(ts),
        resolved_at.map(ts),
        i.url,
        serde_json::to_string(&i.components)?,
        ts(now),
    ])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO incident_update (service_id, incident_id, id, phase, body, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT DO UPDATE SET phase = excluded.phase, body = excluded.body, at = excluded.at",
    )?;
    for (n, u) in i.updates.iter().enumerate() {
        // Updates without an id (rare) are keyed by position and time so they stay unique.
        let id = if u.id.is_empty() {
            format!("#{n}@{}", u.at.map(ts).unwrap_or_default())
        } else {
            u.id.clone()
        };
        stmt.execute(params![
            service.as_str(),
            i.id.0,
            id,
            u.phase.as_str(),
            u.body,
            u.at.map(ts)
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::model::Phase;
    use crate::model::Rules;
    use crate::test_support::t;
    use crate::transitions::{step, Observation};

    fn key_names(p: &Pending) -> Vec<&str> {
        p.notification.keys.iter().map(|k| k.key.as_str()).collect()
    }

    fn ledger(h: &History) -> Vec<String> {
        let mut stmt = h
            .conn
            .prepare("SELECT key FROM announced ORDER BY key")
            .expect("prepare");
        let rows = stmt.query_map([], |r| r.get(0)).expect("query");
        rows.collect::<Result<_, _>>().expect("rows")
    }

    #[test]
    fn the_ledger_forgets_stories_that_are_over_and_keeps_live_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let id = service().id;
        poll(&mut h, &snapshot(vec![]), t(0));
        poll(
            &mut h,
            &snapshot(vec![incident("old", Phase::Investigating, 1)]),
            t(1),
        );
        poll(&mut h, &snapshot(vec![]), t(2));
        poll(
            &mut h,
            &snapshot(vec![incident("live", Phase::Investigating, 3)]),
            t(3),
        );
        let day = 24 * 60;
        // A row written before rows named their service and story.
        h.conn
            .execute(
                "INSERT INTO announced (key, outbox_id, at) \
                 SELECT 'github/legacy/opened', outbox_id, at FROM announced LIMIT 1",
                [],
            )
            .expect("legacy row");
        h.conn
            .execute("UPDATE outbox SET delivered_at = created_at", [])
            .expect("delivered");
        let before = ledger(&h);
        assert_eq!(
            before,
            [
                "github/legacy/opened",
                "github/live/opened",
                "github/old/opened",
                "github/old/resolved"
            ]
        );
        let live = crate::alerts::live_stories(&h.load_state(&id).expect("state"));
        assert_eq!(live, ["incident:live"]);

        // Too recent: kept, story over or not.
        assert_eq!(h.prune_ledger(&id, &live, t(0)).expect("prune"), 0);
        // A month on: the old story and the legacy row go, the live one stays.
        assert_eq!(h.prune_ledger(&id, &live, t(30 * day)).expect("prune"), 3);
        assert_eq!(ledger(&h), ["github/live/opened"]);
        let outbox: i64 = h
            .conn
            .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
            .expect("count");
        assert_eq!(outbox, 1, "the outbox rows of pruned keys go too");
        // Another service's rows are not touched.
        assert_eq!(
            h.prune_ledger(&ServiceId::from_name("Other"), &[], t(30 * day))
                .expect("prune"),
            0
        );
    }

    #[test]
    fn state_and_ledger_survive_reopening() {
        let dir = tempfile::tempdir().expect("tempdir");
        {
            let mut h = History::open(dir.path()).expect("open");
            assert!(
                poll(&mut h, &snapshot(vec![]), t(0)).is_none(),
                "quiet baseline"
            );
            let p = poll(
                &mut h,
                &snapshot(vec![incident("a", Phase::Investigating, 1)]),
                t(1),
            )
            .expect("opened");
            assert_eq!(key_names(&p), ["github/a/opened"]);
        }
        let mut h = History::open(dir.path()).expect("reopen");
        let state = h.load_state(&service().id).expect("state");
        assert!(state.baselined);
        assert_eq!(state.open.len(), 1);
        assert!(poll(
            &mut h,
            &snapshot(vec![incident("a", Phase::Investigating, 1)]),
            t(2)
        )
        .is_none());
        let resolved = poll(&mut h, &snapshot(vec![]), t(3)).expect("resolved");
        assert_eq!(key_names(&resolved), ["github/a/resolved"]);
        assert_eq!(h.update_count(&service().id, "a").expect("count"), 1);
        let rows = h.recent_incidents(10).expect("rows");
        assert_eq!(rows.len(), 1);
        assert!(!rows[0].open);
        assert_eq!(rows[0].phase, Phase::Resolved);
        assert_eq!(rows[0].resolved_at, Some(t(3)));
    }

    #[test]
    fn the_ledger_blocks_a_repeat_even_if_state_is_lost() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let svc = service();
        let (s0, _) = step(
            &Default::default(),
            Observation::Read(&snapshot(vec![])),
            t(0),
            &Rules::default(),
        );
        let snap = snapshot(vec![incident("a", Phase::Identified, 1)]);
        let (s1, events) = step(&s0, Observation::Read(&snap), t(1), &Rules::default());
        assert!(h
            .record_poll(&PollRecord::new(&svc, Some(&snap), &s1, &events, t(1)))
            .expect("record")
            .is_some());
        assert!(
            h.record_poll(&PollRecord::new(&svc, Some(&snap), &s1, &events, t(2)))
                .expect("record")
                .is_none(),
            "the same transition is never announced twice"
        );
    }

    #[test]
    fn outbox_delivery_retry_and_expiry() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        poll(&mut h, &snapshot(vec![]), t(0));
        let first = poll(
            &mut h,
            &snapshot(vec![incident("a", Phase::Investigating, 1)]),
            t(1),
        )
        .expect("a");
        let second = poll(
            &mut h,
            &snapshot(vec![
                incident("a", Phase::Investigating, 1),
                incident("b", Phase::Investigating, 100),
            ]),
            t(100),
        )
        .expect("b");

        // Killed before delivery: both pending; an hour later the old one has expired.
        let pending = h
            .take_undelivered(t(101), chrono::Duration::minutes(60))
            .expect("pending");
        assert_eq!(
            pending.iter().map(|p| p.outbox_id).collect::<Vec<_>>(),
            vec![second.outbox_id]
        );
        assert_eq!(pending[0].notification, second.notification);
        assert!(h
            .take_undelivered(t(101), chrono::Duration::minutes(60))
            .expect("again")
            .iter()
            .all(|p| p.outbox_id != first.outbox_id));

        // A failed attempt stays pending until the last attempt.
        h.mark_delivery(second.outbox_id, t(102), Some("daemon gone"), 2)
            .expect("mark");
        assert_eq!(
            h.take_undelivered(t(102), chrono::Duration::minutes(60))
                .expect("p")
                .len(),
            1
        );
        h.mark_delivery(second.outbox_id, t(103), Some("daemon gone"), 2)
            .expect("mark");
        assert!(h
            .take_undelivered(t(103), chrono::Duration::minutes(60))
            .expect("p")
            .is_empty());
    }

    #[test]
    fn quiet_hours_queue_or_drop_and_pause_persists() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let svc = service();
        let r = Rules::default();
        let (s0, _) = step(
            &Default::default(),
            Observation::Read(&snapshot(vec![])),
            t(0),
            &r,
        );
        let a = snapshot(vec![incident("a", Phase::Investigating, 1)]);
        let (s1, ev) = step(&s0, Observation::Read(&a), t(1), &r);
        let queued = h
            .record_poll(&PollRecord {
                delivery: Delivery::Queue { until: t(300) },
                ..PollRecord::new(&svc, Some(&a), &s1, &ev, t(1))
            })
            .expect("record");
        assert!(queued.is_none(), "nothing to deliver now");
        assert!(
            h.take_undelivered(t(2), chrono::Duration::minutes(60))
                .expect("p")
                .is_empty(),
            "held back"
        );
        let later = h
            .take_undelivered(t(301), chrono::Duration::minutes(60))
            .expect("p");
        assert_eq!(
            later.len(),
            1,
            "delivered when quiet hours end, not expired"
        );

        let b = snapshot(vec![
            incident("a", Phase::Investigating, 1),
            incident("b", Phase::Identified, 2),
        ]);
        let (s2, ev) = step(&s1, Observation::Read(&b), t(2), &r);
        let dropped = h
            .record_poll(&PollRecord {
                delivery: Delivery::Drop { reason: "paused" },
                ..PollRecord::new(&svc, Some(&b), &s2, &ev, t(2))
            })
            .expect("record");
        assert!(dropped.is_none());
        assert_eq!(
            h.take_undelivered(t(301), chrono::Duration::minutes(60))
                .expect("p")
                .len(),
            1,
            "the dropped one never shows"
        );
        assert!(
            h.record_poll(&PollRecord::new(&svc, Some(&b), &s2, &ev, t(3)))
                .expect("record")
                .is_none(),
            "and is never re-announced"
        );

        assert_eq!(h.paused_until().expect("get"), None);
        h.set_paused_until(Some(t(60))).expect("set");
        drop(h);
        let mut h = History::open(dir.path()).expect("reopen");
        assert_eq!(h.paused_until().expect("get"), Some(t(60)));
        h.set_paused_until(None).expect("clear");
        assert_eq!(h.paused_until().expect("get"), None);
    }
}

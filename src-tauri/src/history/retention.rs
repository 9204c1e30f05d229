//! Retention: what the history forgets, so a year of use stays small — stories long over, and services no longer watched.

use super::{ts, History, HistoryError};
use crate::model::ServiceId;
use chrono::{DateTime, Utc};
use rusqlite::params;

/// Incidents, their updates and suspicions that ended longer ago than this are removed:
/// the reliability view looks back 90 days, a year-on-year comparison a little over 365.
pub const KEEP_DAYS: i64 = 400;
/// A service removed from the config keeps its rows this long (it may come back).
pub const REMOVED_SERVICE_DAYS: i64 = 30;

/// What one pruning removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub incidents: usize,
    pub updates: usize,
    pub suspicions: usize,
    /// Services removed from the config over [`REMOVED_SERVICE_DAYS`] ago, with all their rows.
    pub services: usize,
}

impl History {
    /// Forgets stories that ended over [`KEEP_DAYS`] ago, and every row of services not in
    /// `watched` that were last recorded over [`REMOVED_SERVICE_DAYS`] ago. Open incidents
    /// and running suspicions are never removed, however old.
    pub fn prune_history(
        &mut self,
        watched: &[ServiceId],
        now: DateTime<Utc>,
    ) -> Result<Pruned, HistoryError> {
        let tx = self.conn.transaction()?;
        let before = ts(now - chrono::Duration::days(KEEP_DAYS));
        let updates = tx.execute(
            "DELETE FROM incident_update WHERE (service_id, incident_id) IN
                 (SELECT service_id, id FROM incident WHERE resolved_at < ?1)",
            [&before],
        )?;
        let incidents = tx.execute("DELETE FROM incident WHERE resolved_at < ?1", [&before])?;
        let suspicions = tx.execute("DELETE FROM suspicion WHERE ended_at < ?1", [&before])?
            + tx.execute(
                "DELETE FROM component_sign WHERE acknowledged_at < ?1",
                [&before],
            )?;
        let watched =
            serde_json::to_string(&watched.iter().map(ServiceId::as_str).collect::<Vec<_>>())?;
        let gone_before = ts(now - chrono::Duration::days(REMOVED_SERVICE_DAYS));
        let mut services = 0;
        let gone: Vec<String> = {
            let mut stmt = tx.prepare(
                "SELECT id FROM service
                 WHERE updated_at < ?2 AND id NOT IN (SELECT value FROM json_each(?1))",
            )?;
            let rows = stmt.query_map(params![watched, gone_before], |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        for id in &gone {
            for sql in [
                "DELETE FROM incident_update WHERE service_id = ?1",
                "DELETE FROM incident WHERE service_id = ?1",
                "DELETE FROM suspicion WHERE service_id = ?1",
                "DELETE FROM component_sign WHERE service_id = ?1",
                "DELETE FROM announced WHERE service_id = ?1",
                // Delivered pop-ups only: one still waiting is delivered first.
                "DELETE FROM outbox WHERE service_id = ?1 AND delivered_at IS NOT NULL",
                "DELETE FROM service WHERE id = ?1",
            ] {
                tx.execute(sql, [id])?;
            }
            services += 1;
        }
        tx.commit()?;
        Ok(Pruned {
            incidents,
            updates,
            suspicions,
            services,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::testing::{incident, poll, service, snapshot};
    use crate::model::Phase;
    use crate::test_support::t;

    const DAY: i64 = 24 * 60;

    fn count(h: &History, table: &str) -> i64 {
        h.conn
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    }

    /// Old stories go, open and recent ones stay; a service removed long ago goes whole,
    /// one still watched (or removed lately) stays.
    #[test]
    fn old_stories_and_removed_services_are_forgotten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let svc = service();
        // An incident that opened and closed 500 days ago, one still open since then, and
        // one closed yesterday.
        poll(&mut h, &snapshot(vec![]), t(-500 * DAY));
        poll(
            &mut h,
            &snapshot(vec![
                incident("old", Phase::Investigating, -500 * DAY),
                incident("endless", Phase::Investigating, -500 * DAY),
            ]),
            t(-500 * DAY + 1),
        );
        let mut old = incident("old", Phase::Resolved, -500 * DAY);
        old.resolved_at = Some(t(-499 * DAY));
        poll(
            &mut h,
            &snapshot(vec![
                old,
                incident("endless", Phase::Investigating, -500 * DAY),
            ]),
            t(-499 * DAY),
        );
        let mut recent = incident("recent", Phase::Resolved, -2 * DAY);
        recent.resolved_at = Some(t(-DAY));
        poll(
            &mut h,
            &snapshot(vec![
                recent,
                incident("endless", Phase::Investigating, -500 * DAY),
            ]),
            t(-DAY),
        );
        assert_eq!(count(&h, "incident"), 3);

        let pruned = h
            .prune_history(std::slice::from_ref(&svc.id), t(0))
            .expect("prune");
        assert_eq!(pruned.incidents, 1, "{pruned:?}");
        assert_eq!(pruned.updates, 1, "{pruned:?}");
        assert_eq!(pruned.services, 0);
        let mut ids: Vec<String> = h
            .recent_incidents(10)
            .expect("recent")
            .into_iter()
            .map(|r| r.id)
            .collect();
        ids.sort();
        assert_eq!(ids, ["endless", "recent"]);

        // Removed from the config: kept for 30 days, then gone with all its rows.
        let lately = h.prune_history(&[], t(0)).expect("prune");
        assert_eq!(lately.services, 0, "recorded a day ago");
        let later = h.prune_history(&[], t(31 * DAY)).expect("prune");
        assert_eq!(later.services, 1);
        for table in ["incident", "incident_update", "service", "announced"] {
            assert_eq!(count(&h, table), 0, "{table}");
        }
    }

    /// The window's list walks an index newest first and stops at its limit: no sort of
    /// the whole table on every poll.
    #[test]
    fn the_recent_list_uses_the_index_not_a_sort() {
        let dir = tempfile::tempdir().expect("tempdir");
        let h = History::open(dir.path()).expect("open");
        let plan: Vec<String> = {
            let mut stmt = h
                .conn
                .prepare(&format!(
                    "EXPLAIN QUERY PLAN {}",
                    super::super::queries::recent_sql()
                ))
                .expect("plan");
            let rows = stmt
                .query_map(params![None::<String>, true, 10], |r| r.get::<_, String>(3))
                .expect("rows");
            rows.collect::<Result<_, _>>().expect("plan rows")
        };
        assert!(
            plan.iter().any(|p| p.contains("incident_recent")),
            "{plan:#?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:#?}");
    }
}

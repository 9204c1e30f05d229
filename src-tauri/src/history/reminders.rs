//! Armed "tell me when it's back" reminders: kept so a restart (or a kill) does not forget them.

use super::{parse_ts, ts, History, HistoryError};
use crate::model::ServiceId;
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension as _};
use std::collections::BTreeMap;

impl History {
    /// Arms the reminder for `service` at `now`; one already armed keeps its time, which is
    /// returned either way (with whether it was armed already).
    pub fn arm_reminder(
        &mut self,
        service: &ServiceId,
        now: DateTime<Utc>,
    ) -> Result<(DateTime<Utc>, bool), HistoryError> {
        let tx = self.conn.transaction()?;
        let had: Option<String> = tx
            .query_row(
                "SELECT armed_at FROM reminder WHERE service_id = ?1",
                [service.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(at) = parse_ts(had) {
            return Ok((at, true));
        }
        tx.execute(
            "INSERT OR REPLACE INTO reminder (service_id, armed_at) VALUES (?1, ?2)",
            params![service.as_str(), ts(now)],
        )?;
        tx.commit()?;
        Ok((now, false))
    }

    /// Cancels the reminder for `service`; false when none was armed.
    pub fn cancel_reminder(&mut self, service: &ServiceId) -> Result<bool, HistoryError> {
        let n = self.conn.execute(
            "DELETE FROM reminder WHERE service_id = ?1",
            [service.as_str()],
        )?;
        Ok(n > 0)
    }

    /// Every armed reminder, by service.
    pub fn reminders(&self) -> Result<BTreeMap<ServiceId, DateTime<Utc>>, HistoryError> {
        let mut stmt = self
            .conn
            .prepare("SELECT service_id, armed_at FROM reminder")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (id, at) = row?;
            if let Some(at) = parse_ts(Some(at)) {
                out.insert(ServiceId::from_name(&id), at);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::t;

    #[test]
    fn reminders_are_armed_once_kept_and_cancelled() {
        let dir = tempfile::tempdir().expect("tempdir");
        let id = ServiceId::from_name("GitHub");
        {
            let mut h = History::open(dir.path()).expect("open");
            assert_eq!(h.arm_reminder(&id, t(10)).expect("arm"), (t(10), false));
            assert_eq!(h.arm_reminder(&id, t(20)).expect("again"), (t(10), true));
        }
        let mut h = History::open(dir.path()).expect("reopen");
        assert_eq!(h.reminders().expect("read").get(&id), Some(&t(10)));
        assert!(h.cancel_reminder(&id).expect("cancel"));
        assert!(!h.cancel_reminder(&id).expect("cancel again"));
        assert!(h.reminders().expect("read").is_empty());
    }
}

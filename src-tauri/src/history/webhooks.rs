//! The webhook queue: deliveries recorded with the change they announce, taken oldest first
//! per target, and what each attempt came to.

use super::{parse_ts, ts, History, HistoryError};
use crate::decide::NewDelivery;
use crate::webhooks::{Delivery, DeliveryId, Next, Rendered, TargetKey, WebhookEvent};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

/// A delivery waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedDelivery {
    pub row: i64,
    pub target: TargetKey,
    pub delivery: Delivery,
    pub created_at: DateTime<Utc>,
    pub next_at: DateTime<Utc>,
    /// Attempts made so far.
    pub attempts: u32,
    pub last_error: Option<String>,
}

/// How one target's deliveries are going, as Settings shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TargetStatus {
    /// Deliveries not made yet (waiting for a retry, or for the ones before them).
    pub pending: u32,
    pub last_delivered_at: Option<DateTime<Utc>>,
    /// The latest error, when nothing was delivered since.
    pub error: Option<String>,
    pub error_at: Option<DateTime<Utc>>,
}

/// Queues `deliveries` in the transaction that records the change they announce; each is
/// due at once.
pub(super) fn queue(
    tx: &Transaction<'_>,
    outbox_id: Option<i64>,
    service_id: &str,
    deliveries: &[NewDelivery],
    now: DateTime<Utc>,
) -> Result<(), HistoryError> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO webhook_delivery
             (target, delivery_id, outbox_id, service_id, event, title, body, created_at, next_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?;
    for d in deliveries {
        insert.execute(params![
            d.target.as_str(),
            d.id.as_str(),
            outbox_id,
            service_id,
            serde_json::to_string(&d.event)?,
            d.text.title,
            d.text.body,
            ts(now),
        ])?;
    }
    Ok(())
}

/// A stored row back to a delivery; `None` when it cannot be read (written by a damaged
/// file or another build), so the caller can set it aside instead of retrying it forever.
fn delivery_of(id: &str, event: &str, title: String, body: String) -> Option<Delivery> {
    Some(Delivery {
        id: DeliveryId::parse(id)?,
        event: serde_json::from_str::<WebhookEvent>(event).ok()?,
        text: Rendered { title, body },
    })
}

impl History {
    /// After a start: pending deliveries are due by `soon` at the latest, whatever their
    /// backoff said (the app may have been down, or the machine asleep, for a while).
    pub fn webhooks_due_by(&mut self, soon: DateTime<Utc>) -> Result<usize, HistoryError> {
        Ok(self.conn.execute(
            "UPDATE webhook_delivery SET next_at = ?1 WHERE done_at IS NULL AND next_at > ?1",
            [ts(soon)],
        )?)
    }

    /// The oldest pending delivery of `target`: deliveries to one target go in order.
    pub fn next_webhook(
        &mut self,
        target: &TargetKey,
        now: DateTime<Utc>,
    ) -> Result<Option<QueuedDelivery>, HistoryError> {
        loop {
            let row = self
                .conn
                .prepare_cached(
                    "SELECT id, delivery_id, event, title, body, created_at, next_at, attempts, last_error
                     FROM webhook_delivery WHERE target = ?1 AND done_at IS NULL
                     ORDER BY id LIMIT 1",
                )?
                .query_row([target.as_str()], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, i64>(7)?,
                        r.get::<_, Option<String>>(8)?,
                    ))
                })
                .optional()?;
            let Some((row, id, event, title, body, created, next, attempts, last_error)) = row
            else {
                return Ok(None);
            };
            let times = parse_ts(Some(created)).zip(parse_ts(Some(next)));
            match (delivery_of(&id, &event, title, body), times) {
                (Some(delivery), Some((created_at, next_at))) => {
                    return Ok(Some(QueuedDelivery {
                        row,
                        target: target.clone(),
                        delivery,
                        created_at,
                        next_at,
                        attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                        last_error,
                    }))
                }
                _ => {
                    tracing::error!(row, "an unreadable webhook delivery is set aside");
                    self.finish_webhook(row, now, "failed", "unreadable in the history file")?;
                }
            }
        }
    }

    fn finish_webhook(
        &mut self,
        row: i64,
        now: DateTime<Utc>,
        outcome: &str,
        note: &str,
    ) -> Result<(), HistoryError> {
        self.conn.execute(
            "UPDATE webhook_delivery SET done_at = ?2, outcome = ?3, last_error = ?4 WHERE id = ?1",
            params![row, ts(now), outcome, note],
        )?;
        Ok(())
    }

    /// Records where delivery `row` stands at `now`; `attempted` says whether a POST was
    /// made (an expiry found before one is not an attempt). A delivered row is kept, done,
    /// so Settings can say when the target last got something. A row ended meanwhile (its
    /// target removed while the attempt was in flight) is not made pending again.
    pub fn webhook_attempted(
        &mut self,
        row: i64,
        now: DateTime<Utc>,
        attempted: bool,
        next: &Next,
    ) -> Result<(), HistoryError> {
        let (next_at, done, outcome, error) = match next {
            Next::Delivered => (None, true, Some("delivered"), None),
            Next::RetryAt { at, reason } => (Some(ts(*at)), false, None, Some(reason.as_str())),
            Next::Failed { reason } => (None, true, Some("failed"), Some(reason.as_str())),
            Next::Expired { note } => (None, true, Some("expired"), Some(note.as_str())),
        };
        self.conn.execute(
            "UPDATE webhook_delivery SET
                 attempts = attempts + ?3,
                 last_attempt_at = CASE WHEN ?3 > 0 THEN ?2 ELSE last_attempt_at END,
                 next_at = COALESCE(?4, next_at),
                 done_at = CASE WHEN ?5 THEN ?2 END,
                 outcome = ?6,
                 last_error = ?7
             WHERE id = ?1 AND (done_at IS NULL OR ?5)",
            params![
                row,
                ts(now),
                i64::from(attempted),
                next_at,
                done,
                outcome,
                error
            ],
        )?;
        Ok(())
    }

    /// Ends the pending deliveries of `target` with `note` (the target was removed).
    pub fn drop_webhooks(
        &mut self,
        target: &TargetKey,
        now: DateTime<Utc>,
        note: &str,
    ) -> Result<usize, HistoryError> {
        Ok(self.conn.execute(
            "UPDATE webhook_delivery SET done_at = ?2, outcome = 'expired', last_error = ?3
             WHERE target = ?1 AND done_at IS NULL",
            params![target.as_str(), ts(now), note],
        )?)
    }

    /// Ends the pending deliveries of targets not in `configured` that were queued before
    /// `before`: nobody will send them, and their age would forbid it anyway. Younger ones
    /// wait, in case the config that names their target is only unreadable for a while.
    pub fn expire_stray_webhooks(
        &mut self,
        configured: &[TargetKey],
        before: DateTime<Utc>,
        now: DateTime<Utc>,
        note: &str,
    ) -> Result<usize, HistoryError> {
        let keys: Vec<&str> = configured.iter().map(TargetKey::as_str).collect();
        Ok(self.conn.execute(
            "UPDATE webhook_delivery SET done_at = ?3, outcome = 'expired', last_error = ?4
             WHERE done_at IS NULL AND created_at < ?2
               AND target NOT IN (SELECT value FROM json_each(?1))",
            params![serde_json::to_string(&keys)?, ts(before), ts(now), note],
        )?)
    }

    /// How `target`'s deliveries are going.
    pub fn webhook_status(&self, target: &TargetKey) -> Result<TargetStatus, HistoryError> {
        let (pending, delivered): (i64, Option<String>) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE done_at IS NULL),
                    max(done_at) FILTER (WHERE outcome = 'delivered')
             FROM webhook_delivery WHERE target = ?1",
            [target.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let error: Option<(String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT last_error, COALESCE(last_attempt_at, done_at) AS at
                 FROM webhook_delivery
                 WHERE target = ?1 AND last_error IS NOT NULL
                 ORDER BY at DESC, id DESC LIMIT 1",
                [target.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let last_delivered_at = parse_ts(delivered);
        let (error, error_at) = match error {
            Some((e, at)) => {
                let at = parse_ts(at);
                // An error older than the last delivery is over.
                if at.is_some() && last_delivered_at.is_some_and(|d| Some(d) >= at) {
                    (None, None)
                } else {
                    (Some(e), at)
                }
            }
            None => (None, None),
        };
        Ok(TargetStatus {
            pending: u32::try_from(pending).unwrap_or(u32::MAX),
            last_delivered_at,
            error,
            error_at,
        })
    }

    /// Forgets deliveries that ended before `before` (delivered, failed or dropped).
    pub fn prune_webhooks(&mut self, before: DateTime<Utc>) -> Result<usize, HistoryError> {
        Ok(self.conn.execute(
            "DELETE FROM webhook_delivery WHERE done_at IS NOT NULL AND done_at < ?1",
            [ts(before)],
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;
    use crate::alerts::Delivery as PopUp;
    use crate::history::PollRecord;
    use crate::model::Phase;
    use crate::model::Rules;
    use crate::test_support::t;
    use crate::transitions::{step, Observation};
    use crate::webhooks::{WebhookKind, WebhookMinImpact, WebhookTarget};

    fn target(path: &str) -> WebhookTarget {
        WebhookTarget::new(&format!("https://hooks.example/{path}"), WebhookKind::Json)
            .expect("target")
    }

    /// One poll as the watcher does it, forwarding to `targets`, pop-ups as `popup` says.
    fn poll_to(
        h: &mut History,
        targets: &[WebhookTarget],
        popup: PopUp,
        snap: &crate::model::Snapshot,
        now: DateTime<Utc>,
    ) {
        let svc = service();
        let prev = h.load_state(&svc.id).expect("state");
        let (next, events) = step(&prev, Observation::Read(snap), now, &Rules::default());
        h.record_poll(&PollRecord {
            delivery: popup,
            webhooks: targets,
            ..PollRecord::new(&svc, Some(snap), &next, &events, now)
        })
        .expect("record");
    }

    fn titles(h: &mut History, key: &TargetKey, now: DateTime<Utc>) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(q) = h.next_webhook(key, now).expect("next") {
            out.push(q.delivery.text.title.clone());
            h.webhook_attempted(q.row, now, true, &Next::Delivered)
                .expect("mark");
        }
        out
    }

    #[test]
    fn changes_are_queued_per_target_with_the_change_whatever_the_pop_ups_do() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let (all, major) = (target("all"), {
            let mut t = target("major");
            t.min_impact = WebhookMinImpact::Major;
            t
        });
        let targets = [all.clone(), major.clone()];
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![]), t(0));
        let a = incident("a", Phase::Investigating, 1);
        // Paused: the pop-up is dropped, the webhooks are not.
        poll_to(
            &mut h,
            &targets,
            PopUp::Drop { reason: "paused" },
            &snapshot(vec![a.clone()]),
            t(1),
        );
        // The same change again: the ledger has it, so nothing more is queued.
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![a]), t(2));
        poll_to(
            &mut h,
            &targets,
            PopUp::Queue { until: t(600) },
            &snapshot(vec![]),
            t(3),
        );
        assert_eq!(
            titles(&mut h, &all.key(), t(4)),
            ["GitHub — incident began", "GitHub — resolved after 2 min"]
        );
        assert!(
            titles(&mut h, &major.key(), t(4)).is_empty(),
            "a minor incident is not for a major-only target"
        );
        assert!(h.next_webhook(&all.key(), t(5)).expect("next").is_none());
    }

    #[test]
    fn a_delivery_waits_retries_and_ends_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let (hook, other) = (target("hook"), target("other"));
        let targets = [hook.clone(), other.clone()];
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![]), t(0));
        let a = incident("a", Phase::Investigating, 1);
        poll_to(
            &mut h,
            &targets,
            PopUp::Now,
            &snapshot(vec![a.clone()]),
            t(1),
        );
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![]), t(2));
        let key = hook.key();

        let first = h.next_webhook(&key, t(3)).expect("next").expect("queued");
        assert_eq!(first.attempts, 0);
        assert_eq!((first.created_at, first.next_at), (t(1), t(1)));
        let retry = Next::RetryAt {
            at: t(30),
            reason: "HTTP 503".to_owned(),
        };
        h.webhook_attempted(first.row, t(3), true, &retry)
            .expect("mark");
        // Still the oldest, with the same id: the next one waits behind it.
        let again = h.next_webhook(&key, t(4)).expect("next").expect("queued");
        assert_eq!(again.delivery.id, first.delivery.id);
        assert_eq!(
            (again.attempts, again.next_at, again.last_error.as_deref()),
            (1, t(30), Some("HTTP 503"))
        );
        let status = h.webhook_status(&key).expect("status");
        assert_eq!(
            (status.pending, status.error.as_deref(), status.error_at),
            (2, Some("HTTP 503"), Some(t(3)))
        );

        // A start makes it due within seconds.
        assert_eq!(h.webhooks_due_by(t(5)).expect("due"), 1, "the one waiting");
        let due = h.next_webhook(&key, t(5)).expect("next").expect("queued");
        assert_eq!(due.next_at, t(5));

        h.webhook_attempted(due.row, t(6), true, &Next::Delivered)
            .expect("mark");
        let status = h.webhook_status(&key).expect("status");
        assert_eq!(
            (status.pending, status.error, status.last_delivered_at),
            (1, None, Some(t(6))),
            "a delivery since clears the error"
        );
        let second = h.next_webhook(&key, t(7)).expect("next").expect("queued");
        assert_ne!(second.delivery.id, first.delivery.id);
        h.webhook_attempted(
            second.row,
            t(7),
            true,
            &Next::Failed {
                reason: "HTTP 404: no_service".to_owned(),
            },
        )
        .expect("mark");
        let status = h.webhook_status(&key).expect("status");
        assert_eq!(
            (status.pending, status.error.as_deref()),
            (0, Some("HTTP 404: no_service"))
        );
        assert!(h.next_webhook(&key, t(8)).expect("next").is_none());

        // The other target's two wait for it alone; removing it drops them with a note.
        assert_eq!(h.webhook_status(&other.key()).expect("s").pending, 2);
        assert_eq!(
            h.drop_webhooks(&other.key(), t(9), "dropped: the target was removed")
                .expect("drop"),
            2
        );
        let status = h.webhook_status(&other.key()).expect("status");
        assert_eq!(
            (status.pending, status.error.as_deref(), status.error_at),
            (0, Some("dropped: the target was removed"), Some(t(9)))
        );

        // An attempt that was in flight when its target went does not revive it.
        let any_other_row: i64 = h
            .conn
            .query_row(
                "SELECT min(id) FROM webhook_delivery WHERE target = ?1",
                [other.key().as_str()],
                |r| r.get(0),
            )
            .expect("row");
        h.webhook_attempted(any_other_row, t(9), true, &retry)
            .expect("mark");
        assert_eq!(h.webhook_status(&other.key()).expect("s").pending, 0);

        // Once old enough, finished rows go.
        assert_eq!(h.prune_webhooks(t(6)).expect("prune"), 0, "too recent");
        assert_eq!(h.prune_webhooks(t(10)).expect("prune"), 4);
        assert_eq!(h.webhook_status(&key).expect("s"), TargetStatus::default());
    }

    #[test]
    fn deliveries_of_unconfigured_targets_are_dropped_only_once_too_old() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let (kept, gone) = (target("kept"), target("gone"));
        let targets = [kept.clone(), gone.clone()];
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![]), t(0));
        let a = incident("a", Phase::Investigating, 1);
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![a]), t(1));
        let configured = [kept.key()];
        // Queued after the cut-off: kept, its target may come back with the config.
        assert_eq!(
            h.expire_stray_webhooks(&configured, t(1), t(2), "stray")
                .expect("expire"),
            0
        );
        assert_eq!(
            h.expire_stray_webhooks(&configured, t(2), t(2), "stray")
                .expect("expire"),
            1
        );
        assert_eq!(h.webhook_status(&kept.key()).expect("s").pending, 1);
        assert_eq!(
            h.webhook_status(&gone.key()).expect("s").error.as_deref(),
            Some("stray")
        );
    }

    #[test]
    fn an_unreadable_row_is_set_aside_instead_of_blocking_its_target() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        let hook = target("hook");
        let targets = [hook.clone()];
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![]), t(0));
        let a = incident("a", Phase::Investigating, 1);
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![a]), t(1));
        poll_to(&mut h, &targets, PopUp::Now, &snapshot(vec![]), t(2));
        h.conn
            .execute(
                "UPDATE webhook_delivery SET event = 'not json' WHERE id = (SELECT min(id) FROM webhook_delivery)",
                [],
            )
            .expect("damage");
        let next = h
            .next_webhook(&hook.key(), t(3))
            .expect("next")
            .expect("one");
        assert_eq!(next.delivery.text.title, "GitHub — resolved after 1 min");
        assert_eq!(h.webhook_status(&hook.key()).expect("s").pending, 1);
    }
}

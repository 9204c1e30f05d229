//! Drives the webhook queue: the oldest pending delivery of each target, one at a time and off
//! the loop, with what came back written to the history.

use super::events::WatchEvent;
use super::lock;
use crate::history::{History, QueuedDelivery, TargetStatus};
use crate::webhooks::retry::{self, Next, AFTER_START, MAX_AGE};
use crate::webhooks::{Sender, TargetKey, WebhookTarget};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::JoinSet;

/// The loop looks at the queue at least this often while something waits, measured on the
/// wall clock: a machine that slept through a retry time catches up soon after it wakes.
const MAX_WAIT: Duration = Duration::from_secs(30);
/// With nothing pending there is nothing to wake for: new deliveries come with a poll.
const IDLE_WAIT: Duration = Duration::from_secs(3600);
/// How long a stop waits for attempts in flight before it abandons them (they are tried
/// again, with the same id, after the next start).
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// Why the deliveries of a removed target are dropped.
const REMOVED_NOTE: &str = "dropped: the target was removed";
const STRAY_NOTE: &str = "dropped: no configured target for it any more";

/// One target as the window's Settings and the overview show it: never its URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookView {
    /// Matches [`crate::config::WebhookSettings::key`].
    pub key: String,
    /// Host and the start of the path: `hooks.slack.com/services/T0…/…`.
    pub shown: String,
    pub kind: String,
    #[serde(flatten)]
    pub status: TargetStatus,
}

/// What one attempt came to.
struct Attempted {
    queued: QueuedDelivery,
    next: Next,
    at: DateTime<Utc>,
    shown: String,
}

pub struct Webhooks {
    sender: Sender,
    targets: Vec<WebhookTarget>,
    history: Arc<Mutex<History>>,
    events: broadcast::Sender<WatchEvent>,
    attempts: JoinSet<Attempted>,
    /// The target of each attempt in flight: one at a time per target keeps them in order.
    in_flight: HashMap<tokio::task::Id, TargetKey>,
    /// When the earliest pending delivery not in flight is due.
    next_due: Option<DateTime<Utc>>,
}

impl Webhooks {
    pub fn new(
        sender: Sender,
        targets: Vec<WebhookTarget>,
        history: Arc<Mutex<History>>,
        events: broadcast::Sender<WatchEvent>,
    ) -> Self {
        Webhooks {
            sender,
            targets,
            history,
            events,
            attempts: JoinSet::new(),
            in_flight: HashMap::new(),
            next_due: None,
        }
    }

    /// After a start: what was pending is due within seconds, whatever its backoff said;
    /// deliveries of targets no longer configured are dropped once too old to send.
    pub fn start(&mut self, now: DateTime<Utc>) {
        let soon = now + chrono::Duration::from_std(AFTER_START).unwrap_or_default();
        let before = now - chrono::Duration::from_std(MAX_AGE).unwrap_or_default();
        let keys: Vec<TargetKey> = self.targets.iter().map(WebhookTarget::key).collect();
        let mut history = lock(&self.history);
        match history.webhooks_due_by(soon) {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                pending = n,
                "webhook deliveries left from before are due now"
            ),
            Err(e) => tracing::error!(error = %e, "cannot read the webhook queue"),
        }
        match history.expire_stray_webhooks(&keys, before, now, STRAY_NOTE) {
            Ok(0) => {}
            Ok(n) => tracing::warn!(dropped = n, "webhook deliveries of removed targets dropped"),
            Err(e) => tracing::error!(error = %e, "cannot read the webhook queue"),
        }
    }

    /// Uses `targets` from now on; pending deliveries of targets that are gone are dropped.
    pub fn set_targets(&mut self, targets: Vec<WebhookTarget>, now: DateTime<Utc>) {
        let kept: HashSet<TargetKey> = targets.iter().map(WebhookTarget::key).collect();
        for gone in self.targets.iter().filter(|t| !kept.contains(&t.key())) {
            match lock(&self.history).drop_webhooks(&gone.key(), now, REMOVED_NOTE) {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(target = %gone.redacted_url(), dropped = n, "webhook target removed")
                }
                Err(e) => tracing::error!(error = %e, "cannot update the webhook queue"),
            }
        }
        self.targets = targets;
    }

    /// Starts an attempt for every target whose oldest pending delivery is due, and notes
    /// when the next one is.
    pub fn dispatch(&mut self, now: DateTime<Utc>) {
        let mut next_due: Option<DateTime<Utc>> = None;
        for target in &self.targets {
            let key = target.key();
            if self.in_flight.values().any(|k| *k == key) {
                continue;
            }
            loop {
                let queued = match lock(&self.history).next_webhook(&key, now) {
                    Ok(Some(q)) => q,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot read the webhook queue");
                        break;
                    }
                };
                if let Some(expired) =
                    retry::before_attempt(queued.created_at, now, queued.last_error.as_deref())
                {
                    // Then look at the next one of this target.
                    let shown = target.redacted_url();
                    finish(
                        &self.history,
                        &self.events,
                        queued,
                        expired,
                        now,
                        false,
                        shown,
                    );
                    continue;
                }
                if queued.next_at > now {
                    next_due = Some(next_due.map_or(queued.next_at, |d| d.min(queued.next_at)));
                    break;
                }
                let sender = self.sender.clone();
                let target = target.clone();
                let task = self.attempts.spawn(async move {
                    let sent_at = Utc::now();
                    let attempt = queued.attempts.saturating_add(1);
                    let next = match sender.send(&target, &queued.delivery, sent_at).await {
                        Ok(answer) => retry::after_attempt(
                            queued.created_at,
                            Utc::now(),
                            attempt,
                            &answer,
                            fastrand::f64(),
                        ),
                        Err(e) => Next::Failed {
                            reason: e.to_string(),
                        },
                    };
                    Attempted {
                        queued,
                        next,
                        at: Utc::now(),
                        shown: target.redacted_url(),
                    }
                });
                self.in_flight.insert(task.id(), key.clone());
                break;
            }
        }
        self.next_due = next_due;
    }

    /// How long the loop may sleep before the queue needs a look.
    pub fn wait(&self, now: DateTime<Utc>) -> Duration {
        match self.next_due {
            None => IDLE_WAIT,
            Some(due) => (due - now).to_std().unwrap_or(Duration::ZERO).min(MAX_WAIT),
        }
    }

    /// Waits for one attempt to finish and records it; pending forever while none runs
    /// (for `select!`).
    pub async fn finished(&mut self) {
        match self.attempts.join_next_with_id().await {
            Some(Ok((id, a))) => {
                self.in_flight.remove(&id);
                self.record(a);
            }
            Some(Err(e)) => {
                // Only a panic ends here: the row is as it was, and is tried again.
                tracing::error!(error = %e, "a webhook attempt failed");
                self.in_flight.remove(&e.id());
            }
            None => std::future::pending().await,
        }
    }

    fn record(&self, a: Attempted) {
        finish(
            &self.history,
            &self.events,
            a.queued,
            a.next,
            a.at,
            true,
            a.shown,
        );
    }

    /// Lets attempts in flight finish for a while, then abandons the rest: an abandoned
    /// one stays pending and is made again, with the same id, after the next start.
    pub async fn drain(&mut self) {
        let deadline = tokio::time::Instant::now() + DRAIN_TIMEOUT;
        while !self.attempts.is_empty() {
            match tokio::time::timeout_at(deadline, self.attempts.join_next_with_id()).await {
                Ok(Some(Ok((id, a)))) => {
                    self.in_flight.remove(&id);
                    self.record(a);
                }
                Ok(Some(Err(_))) => {}
                Ok(None) => break,
                Err(_) => {
                    tracing::warn!(
                        left = self.attempts.len(),
                        "webhook attempts abandoned at stop; they are retried after the next start"
                    );
                    self.attempts.shutdown().await;
                    break;
                }
            }
        }
    }

    /// Each target as Settings shows it.
    pub fn views(&self) -> Vec<WebhookView> {
        let history = lock(&self.history);
        self.targets
            .iter()
            .map(|t| WebhookView {
                key: t.key().to_string(),
                shown: t.redacted_url(),
                kind: t.kind.to_string(),
                status: history.webhook_status(&t.key()).unwrap_or_else(|e| {
                    tracing::error!(error = %e, "cannot read the webhook queue");
                    TargetStatus::default()
                }),
            })
            .collect()
    }
}

/// Writes where a delivery stands, then says so: in the log, and as an event once it is
/// over (delivered, refused or dropped). The target is named only by its redacted URL.
fn finish(
    history: &Mutex<History>,
    events: &broadcast::Sender<WatchEvent>,
    q: QueuedDelivery,
    next: Next,
    now: DateTime<Utc>,
    attempted: bool,
    shown: String,
) {
    if let Err(e) = lock(history).webhook_attempted(q.row, now, attempted, &next) {
        // The row stays as it was: the attempt is made again, with the same id.
        tracing::error!(error = %e, "cannot record a webhook attempt");
        return;
    }
    let id = q.delivery.id.as_str();
    let (delivered, reason) = match next {
        Next::Delivered => {
            tracing::info!(target = %shown, id, "webhook delivered");
            (true, None)
        }
        Next::RetryAt { at, reason } => {
            tracing::warn!(target = %shown, id, %reason, retry_at = %at, "webhook not delivered; will retry");
            return;
        }
        Next::Failed { reason } => {
            tracing::warn!(target = %shown, id, %reason, "webhook refused; not retried");
            (false, Some(reason))
        }
        Next::Expired { note } => {
            tracing::warn!(target = %shown, id, %note, "webhook dropped");
            (false, Some(note))
        }
    };
    let _ = events.send(WatchEvent::webhook(
        delivered,
        &q.delivery,
        shown,
        reason,
        now,
    ));
}

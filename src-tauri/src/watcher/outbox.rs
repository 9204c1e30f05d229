//! Delivers what the history's outbox holds: each notification once, off the loop, with its
//! outcome written back to the ledger.

use super::lock;
use crate::alerts::Notification;
use crate::decide::WatchEvent;
use crate::history::{History, Pending};
use crate::notifier::{self, Notifier};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::JoinSet;

const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);
const NOTIFY_ATTEMPTS: i64 = 3;
/// Undelivered notifications older than this are dropped at start: stale news is noise.
const REPLAY_MAX_AGE_MINUTES: i64 = 60;

pub struct Outbox {
    notifier: Arc<dyn Notifier>,
    history: Arc<Mutex<History>>,
    events: broadcast::Sender<WatchEvent>,
    /// Each gives back its outbox id (none for one the history could not save).
    deliveries: JoinSet<Option<i64>>,
    /// Outbox ids being delivered now, so a retry never sends one twice.
    in_flight: HashSet<i64>,
}

impl Outbox {
    pub fn new(
        notifier: Arc<dyn Notifier>,
        history: Arc<Mutex<History>>,
        events: broadcast::Sender<WatchEvent>,
    ) -> Self {
        Outbox {
            notifier,
            history,
            events,
            deliveries: JoinSet::new(),
            in_flight: HashSet::new(),
        }
    }

    /// Hands one notification to the notifier in the background. `service_name` is for the
    /// `notified` event.
    pub fn deliver(&mut self, p: Pending, service_name: Option<String>) {
        if !self.in_flight.insert(p.outbox_id) {
            return;
        }
        let notifier = Arc::clone(&self.notifier);
        let history = Arc::clone(&self.history);
        let events = self.events.clone();
        self.deliveries.spawn(async move {
            let Pending {
                outbox_id,
                notification,
            } = p;
            let title = notification.title.clone();
            let service_id = notification.service.to_string();
            let result = notifier::deliver(notifier, notification, NOTIFY_TIMEOUT).await;
            let now = Utc::now();
            let outcome = match &result {
                Ok(()) => {
                    tracing::info!(%title, "notified");
                    lock(&history).mark_delivery(outbox_id, now, None, NOTIFY_ATTEMPTS)
                }
                // A timeout may still have shown it: never risk showing it twice.
                Err(e @ notifier::NotifyError::Timeout(_)) => {
                    tracing::warn!(%title, error = %e, "notification not confirmed");
                    lock(&history).mark_delivery(outbox_id, now, Some(&e.to_string()), 1)
                }
                Err(e) => {
                    tracing::warn!(%title, error = %e, "notification failed");
                    lock(&history).mark_delivery(
                        outbox_id,
                        now,
                        Some(&e.to_string()),
                        NOTIFY_ATTEMPTS,
                    )
                }
            };
            match outcome {
                // Said only once the ledger has it, so a script (or test) that sees this
                // line knows a restart will not show the pop-up again.
                Ok(()) if result.is_ok() => {
                    let name = service_name.unwrap_or_else(|| service_id.clone());
                    let _ = events.send(WatchEvent::notified(name, service_id, title, now));
                }
                Ok(()) => {}
                Err(e) => tracing::error!(error = %e, "cannot record delivery"),
            }
            Some(outbox_id)
        });
    }

    /// Shows a notification the history could not save (a full disk): the user is told all
    /// the same, but no ledger remembers it, so there is no `notified` event.
    pub fn deliver_unsaved(&mut self, notification: Notification, service_name: Option<String>) {
        let notifier = Arc::clone(&self.notifier);
        self.deliveries.spawn(async move {
            let title = notification.title.clone();
            match notifier::deliver(notifier, notification, NOTIFY_TIMEOUT).await {
                Ok(()) => tracing::info!(%title, service = ?service_name, "notified (not saved)"),
                Err(e) => tracing::warn!(%title, error = %e, "notification failed"),
            }
            None
        });
    }

    /// Sends what was recorded but not delivered: killed in between, the daemon failed, or
    /// quiet hours are over. `name_of` gives a service id's display name.
    pub fn replay(&mut self, now: DateTime<Utc>, name_of: impl Fn(&str) -> Option<String>) {
        let pending = lock(&self.history)
            .take_undelivered(now, chrono::Duration::minutes(REPLAY_MAX_AGE_MINUTES));
        match pending {
            Ok(list) => {
                for p in list {
                    let name = name_of(p.notification.service.as_str());
                    self.deliver(p, name);
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
        }
    }

    /// Waits for one delivery to finish; pending forever while none runs (for `select!`).
    pub async fn finished(&mut self) {
        match self.deliveries.join_next().await {
            Some(Ok(Some(id))) => {
                self.in_flight.remove(&id);
            }
            Some(Ok(None)) => {}
            Some(Err(e)) => tracing::error!(error = %e, "a delivery task failed"),
            None => std::future::pending().await,
        }
    }

    /// Lets deliveries already handed to the daemon finish (each has its own timeout).
    pub async fn drain(&mut self) {
        while self.deliveries.join_next().await.is_some() {}
    }
}

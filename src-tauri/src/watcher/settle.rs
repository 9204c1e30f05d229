//! After a decision: save it, then tell the user and the event stream, whether or not the save worked.

use super::{lock, Watcher};
use crate::alerts;
use crate::decide::{Outcome, WatchEvent};
use chrono::{DateTime, Utc};

/// The one pop-up that says the history cannot be saved, and why.
fn history_note(error: &str) -> alerts::Notification {
    let cat = crate::i18n::current();
    crate::notifier::app_note(
        &cat.t("notify-history-unwritable-title", &[]),
        &cat.t("notify-history-unwritable-body", &[("error", error.into())]),
        alerts::Urgency::Critical,
    )
}

impl Watcher {
    /// Saves what was decided for service `index`, then tells: the pop-up, the events. A
    /// save that fails (a full disk) costs the memory of it, never the news: the pop-up is
    /// shown anyway, the state moves on in memory (so it is not announced again at every
    /// poll), and every overview says the history cannot be written until a save works.
    pub(super) fn settle(
        &mut self,
        index: usize,
        snapshot: Option<&crate::model::Snapshot>,
        outcome: Outcome,
        now: DateTime<Utc>,
    ) {
        let service = self.services[index].config.clone();
        let saved = lock(&self.history).save(&service, snapshot, &outcome, now);
        match saved {
            Ok(pending) => {
                if self.history_trouble.take().is_some() {
                    tracing::info!("the history can be written again");
                    let _ = self.events.send(WatchEvent::history(None, now));
                }
                if let Some(p) = pending {
                    self.outbox.deliver(p, Some(service.name.clone()));
                }
            }
            Err(e) => {
                // Said once when it begins (every poll fails alike until space is back).
                if self.history_trouble.is_none() {
                    tracing::error!(service = %service.name, error = %e, "cannot save the round; telling the user anyway");
                    let _ = self
                        .events
                        .send(WatchEvent::history(Some(e.to_string()), now));
                    if self.popups_off.is_none() {
                        self.outbox
                            .deliver_unsaved(history_note(&e.to_string()), None);
                    }
                } else {
                    tracing::debug!(service = %service.name, error = %e, "cannot save the round");
                }
                self.history_trouble = Some(e.to_string());
                match (&outcome.notification, outcome.delivery) {
                    (Some(n), alerts::Delivery::Now) => {
                        self.outbox
                            .deliver_unsaved(n.clone(), Some(service.name.clone()));
                    }
                    (Some(n), _) => {
                        tracing::warn!(title = %n.title, "a held pop-up is lost: the history cannot keep it");
                    }
                    (None, _) => {}
                }
                if !outcome.deliveries.is_empty() {
                    tracing::warn!(
                        count = outcome.deliveries.len(),
                        "webhook deliveries lost: the history cannot queue them"
                    );
                }
            }
        }
        for e in &outcome.events {
            let _ = self.events.send(WatchEvent::of(&service, e, now));
        }
        if let Some(armed_at) = outcome.reminded {
            tracing::info!(service = %service.name, %armed_at, "back: the reminder is disarmed");
            self.services[index].reminder = None;
        }
        self.services[index].state = outcome.next;
    }
}

//! Delivers what the history's outbox holds: each notification once, off the loop, with its
//! outcome written back to the ledger.

use super::{lock, Clock};
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
/// (Not those quiet hours held: see [`History::take_undelivered`].)
const REPLAY_MAX_AGE_MINUTES: i64 = 60;
/// Held pop-ups shown one by one when quiet hours end; more become one summary.
const HELD_ALONE: usize = 3;
/// Titles a summary lists; "and N more" says the rest.
const SUMMARY_LINES: usize = 8;

pub struct Outbox {
    notifier: Arc<dyn Notifier>,
    history: Arc<Mutex<History>>,
    events: broadcast::Sender<WatchEvent>,
    /// Each gives back the outbox ids it delivered (none for one the history could not save).
    deliveries: JoinSet<Vec<i64>>,
    /// Outbox ids being delivered now, so a retry never sends one twice.
    in_flight: HashSet<i64>,
    /// When a delivery ended, as the history records it.
    clock: Arc<dyn Clock>,
}

impl Outbox {
    pub fn new(
        notifier: Arc<dyn Notifier>,
        history: Arc<Mutex<History>>,
        events: broadcast::Sender<WatchEvent>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Outbox {
            notifier,
            history,
            events,
            deliveries: JoinSet::new(),
            in_flight: HashSet::new(),
            clock,
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
        let clock = Arc::clone(&self.clock);
        self.deliveries.spawn(async move {
            let Pending {
                outbox_id,
                notification,
                ..
            } = p;
            let title = notification.title.clone();
            let service_id = notification.service.to_string();
            let result = notifier::deliver(notifier, notification, NOTIFY_TIMEOUT).await;
            let now = clock.wall();
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
            vec![outbox_id]
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
            Vec::new()
        });
    }

    /// Shows many pop-ups held by quiet hours as one: "While quiet hours were on: 5
    /// changes", listing them. Every one is marked delivered once it is shown.
    fn deliver_summary(&mut self, held: Vec<Pending>) {
        let ids: Vec<i64> = held.iter().map(|p| p.outbox_id).collect();
        if ids.iter().any(|id| !self.in_flight.insert(*id)) {
            return;
        }
        let cat = crate::i18n::current();
        let mut lines: Vec<String> = held
            .iter()
            .take(SUMMARY_LINES)
            .map(|p| p.notification.title.clone())
            .collect();
        if held.len() > SUMMARY_LINES {
            lines.push(cat.t(
                "notify-more",
                &[("count", (held.len() - SUMMARY_LINES).into())],
            ));
        }
        let urgency = held
            .iter()
            .map(|p| p.notification.urgency)
            .max()
            .unwrap_or(crate::alerts::Urgency::Normal);
        let summary = notifier::app_note(
            &cat.t(
                "notify-quiet-summary-title",
                &[("count", held.len().into())],
            ),
            &lines.join("\n"),
            urgency,
        );
        let notifier = Arc::clone(&self.notifier);
        let history = Arc::clone(&self.history);
        let clock = Arc::clone(&self.clock);
        self.deliveries.spawn(async move {
            let title = summary.title.clone();
            let result = notifier::deliver(notifier, summary, NOTIFY_TIMEOUT).await;
            let now = clock.wall();
            let error = result.as_ref().err().map(ToString::to_string);
            match &result {
                Ok(()) => {
                    tracing::info!(%title, count = ids.len(), "notified what quiet hours held")
                }
                Err(e) => tracing::warn!(%title, error = %e, "notification failed"),
            }
            let mut h = lock(&history);
            for id in &ids {
                if let Err(e) = h.mark_delivery(*id, now, error.as_deref(), NOTIFY_ATTEMPTS) {
                    tracing::error!(error = %e, "cannot record delivery");
                }
            }
            ids
        });
    }

    /// Sends what was recorded but not delivered: killed in between, the daemon failed, or
    /// quiet hours are over. `name_of` gives a service id's display name.
    pub fn replay(&mut self, now: DateTime<Utc>, name_of: impl Fn(&str) -> Option<String>) {
        let pending = lock(&self.history)
            .take_undelivered(now, chrono::Duration::minutes(REPLAY_MAX_AGE_MINUTES));
        match pending {
            Ok(list) => {
                let (held, other): (Vec<Pending>, Vec<Pending>) =
                    list.into_iter().partition(|p| p.held);
                // A night of changes is one pop-up, not a burst at 07:00.
                if held.len() > HELD_ALONE {
                    self.deliver_summary(held);
                } else {
                    for p in held {
                        let name = name_of(p.notification.service.as_str());
                        self.deliver(p, name);
                    }
                }
                for p in other {
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
            Some(Ok(ids)) => {
                for id in ids {
                    self.in_flight.remove(&id);
                }
            }
            Some(Err(e)) => tracing::error!(error = %e, "a delivery task failed"),
            None => std::future::pending().await,
        }
    }

    /// Lets deliveries already handed to the daemon finish (each has its own timeout).
    pub async fn drain(&mut self) {
        while self.deliveries.join_next().await.is_some() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Delivery;
    use crate::history::testing::{incident, service, snapshot};
    use crate::history::PollRecord;
    use crate::model::Phase;
    use crate::notifier::NotifyError;
    use crate::test_support::t;
    use crate::transitions::{step, Observation};

    #[derive(Default)]
    struct Shown(Mutex<Vec<Notification>>);
    impl Notifier for Shown {
        fn show(&self, n: &Notification) -> Result<(), NotifyError> {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(n.clone());
            Ok(())
        }
    }

    /// `n` incidents opening one by one during quiet hours that end at `t(600)`.
    fn night(h: &mut History, n: usize) {
        let svc = service();
        let mut open = Vec::new();
        let mut prev = crate::transitions::ServiceState::default();
        for i in 0..=n {
            let snap = snapshot(open.clone());
            let now = t(i as i64 * 10);
            let (next, events) = step(&prev, Observation::Read(&snap), now, &Default::default());
            h.record_poll(&PollRecord {
                delivery: Delivery::Queue { until: t(600) },
                ..PollRecord::new(&svc, Some(&snap), &next, &events, now)
            })
            .expect("record");
            prev = next;
            open.push(incident(
                &format!("n{i}"),
                Phase::Investigating,
                now.timestamp() / 60,
            ));
        }
    }

    async fn replay_at(
        history: &Arc<Mutex<History>>,
        at: chrono::DateTime<Utc>,
    ) -> Vec<Notification> {
        let shown = Arc::new(Shown::default());
        let (events, _) = broadcast::channel(16);
        let mut outbox = Outbox::new(
            Arc::clone(&shown) as Arc<dyn Notifier>,
            Arc::clone(history),
            events,
            Arc::new(super::super::TestClock::starting_at(
                at,
                chrono::Offset::fix(&Utc),
            )),
        );
        outbox.replay(at, |_| None);
        outbox.drain().await;
        let shown = shown.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        shown
    }

    /// Held pop-ups wait for the end of quiet hours however late the app looks (a sleep
    /// over 07:00 loses none), and a night of them is one summary, not a burst.
    #[tokio::test]
    async fn quiet_hours_hold_and_summarize_never_drop() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        night(&mut h, 5);
        assert_eq!(h.next_held_until(t(100)).expect("next"), Some(t(600)));
        let history = Arc::new(Mutex::new(h));
        // Before the end: nothing. Five hours after it (asleep): all of it, as one.
        let before = replay_at(&history, t(599)).await;
        assert!(before.is_empty(), "{before:#?}");
        let shown = replay_at(&history, t(900)).await;
        assert_eq!(shown.len(), 1, "{shown:#?}");
        assert_eq!(shown[0].title, "While quiet hours were on: 5 changes");
        assert_eq!(shown[0].body.lines().count(), 5, "{}", shown[0].body);
        let mut h = lock(&history);
        assert!(h
            .take_undelivered(t(901), chrono::Duration::minutes(60))
            .expect("pending")
            .is_empty());
        assert_eq!(h.next_held_until(t(901)).expect("next"), None);
    }

    /// Held by a clock that was two days ahead (then set back): due now, not in two days.
    #[tokio::test]
    async fn a_hold_planned_by_a_clock_set_back_is_due() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        night(&mut h, 1);
        // Quiet hours "ended" at t(600) by that clock; the clock now says two days earlier.
        let early = t(600) - chrono::Duration::days(2);
        assert_eq!(h.next_held_until(early).expect("next"), None);
        let shown = replay_at(&Arc::new(Mutex::new(h)), early).await;
        assert_eq!(shown.len(), 1, "{shown:#?}");
    }

    /// A few are shown one by one, as they were.
    #[tokio::test]
    async fn a_few_held_pop_ups_show_as_they_were() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut h = History::open(dir.path()).expect("open");
        night(&mut h, 2);
        let shown = replay_at(&Arc::new(Mutex::new(h)), t(601)).await;
        let titles: Vec<&str> = shown.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(titles.iter().all(|t| t.starts_with("GitHub")), "{titles:?}");
    }
}

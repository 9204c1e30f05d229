//! Drives the webhook queue: the oldest pending delivery of each target, one at a time and off
//! the loop, with what came back written to the history.

use super::{lock, Clock};
use crate::decide::events::AttemptEnd;
use crate::decide::WatchEvent;
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
    /// When an attempt was sent and ended.
    clock: Arc<dyn Clock>,
}

impl Webhooks {
    pub fn new(
        sender: Sender,
        targets: Vec<WebhookTarget>,
        history: Arc<Mutex<History>>,
        events: broadcast::Sender<WatchEvent>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Webhooks {
            sender,
            targets,
            history,
            events,
            attempts: JoinSet::new(),
            in_flight: HashMap::new(),
            next_due: None,
            clock,
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
        match history.expire_stray_webhooks(
            &keys,
            before,
            now,
            &crate::alerts::webhook_target_gone(),
        ) {
            Ok(0) => {}
            Ok(n) => tracing::warn!(dropped = n, "webhook deliveries of removed targets dropped"),
            Err(e) => tracing::error!(error = %e, "cannot read the webhook queue"),
        }
    }

    /// Uses `targets` from now on; pending deliveries of targets that are gone are dropped.
    pub fn set_targets(&mut self, targets: Vec<WebhookTarget>, now: DateTime<Utc>) {
        let kept: HashSet<TargetKey> = targets.iter().map(WebhookTarget::key).collect();
        for gone in self.targets.iter().filter(|t| !kept.contains(&t.key())) {
            match lock(&self.history).drop_webhooks(
                &gone.key(),
                now,
                &crate::alerts::webhook_target_removed(),
            ) {
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
    /// when the next one is. `rng` spreads the retries of many clients (the watcher's one
    /// random source).
    pub fn dispatch(&mut self, now: DateTime<Utc>, rng: &mut fastrand::Rng) {
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
                if !retry::is_due(queued.next_at, now) {
                    next_due = Some(next_due.map_or(queued.next_at, |d| d.min(queued.next_at)));
                    break;
                }
                let sender = self.sender.clone();
                let target = target.clone();
                let clock = Arc::clone(&self.clock);
                let jitter = rng.f64();
                let task = self.attempts.spawn(async move {
                    let sent_at = clock.wall();
                    let attempt = queued.attempts.saturating_add(1);
                    let next = match sender.send(&target, &queued.delivery, sent_at).await {
                        Ok(answer) => retry::after_attempt(
                            queued.created_at,
                            clock.wall(),
                            attempt,
                            &answer,
                            jitter,
                        ),
                        Err(e) => Next::Failed {
                            reason: e.to_string(),
                        },
                    };
                    Attempted {
                        queued,
                        next,
                        at: clock.wall(),
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

/// Writes where a delivery stands, then says so: in the log and as an event. The target is
/// named only by its redacted URL.
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
    let (event, reason) = match next {
        Next::Delivered => {
            tracing::info!(target = %shown, id, "webhook delivered");
            (AttemptEnd::Delivered, None)
        }
        Next::RetryAt { at, reason } => {
            tracing::warn!(target = %shown, id, %reason, retry_at = %at, "webhook not delivered; will retry");
            (AttemptEnd::Retrying, Some(reason))
        }
        Next::Failed { reason } => {
            tracing::warn!(target = %shown, id, %reason, "webhook refused; not retried");
            (AttemptEnd::Failed, Some(reason))
        }
        Next::Expired { note } => {
            tracing::warn!(target = %shown, id, %note, "webhook dropped");
            (AttemptEnd::Failed, Some(note))
        }
    };
    let _ = events.send(WatchEvent::webhook(event, &q.delivery, shown, reason, now));
}

#[cfg(test)]
mod tests {
    use super::super::{Command, Pause, WatchEvent, Watcher};
    use crate::alerts::Notification;
    use crate::config::{Config, ServiceConfig};
    use crate::history::History;
    use crate::notifier::{Notifier, NotifyError};
    use crate::webhooks::{WebhookKind, WebhookTarget};
    use outage_radar_tests::eventually;
    use outage_radar_tests::fake_server::{FakeServer, Reply};
    use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    #[derive(Default)]
    struct Counting(AtomicUsize);
    impl Notifier for Counting {
        fn show(&self, _: &Notification) -> Result<(), NotifyError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    /// A running watcher: a change reaches the targets while pop-ups are paused (or off),
    /// a 404 ends its delivery with the error shown in the overview, and a reload that
    /// removes a target drops what it still had pending.
    #[tokio::test]
    async fn changes_reach_the_targets_whatever_the_pop_ups_do() {
        let page = FakeServer::start().await;
        let receiver = FakeServer::start().await;
        page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[])));
        receiver.set("/ok/SECRET", Reply::json("").status(204));
        receiver.set("/gone/SECRET", Reply::html("no_service").status(404));
        receiver.set("/slow/SECRET", Reply::json("").status(503));
        let target = |path: &str| {
            WebhookTarget::new(
                &format!("{}/{path}/SECRET", receiver.url()),
                WebhookKind::Json,
            )
            .expect("target")
        };
        let service = crate::test_support::statuspage_service("Fake", &page.url());
        let config = Config {
            poll_interval: Duration::from_secs(3600),
            services: vec![service],
            notifications: Default::default(),
            early_warning: Default::default(),
            webhooks: vec![target("ok"), target("gone"), target("slow")],
            language: None,
            path: None,
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let notifier = Arc::new(Counting::default());
        let (mut watcher, handle) = Watcher::new(
            config.clone(),
            History::open(dir.path()).expect("history"),
            notifier.clone(),
        )
        .expect("watcher");
        watcher.turn_off_popups("no notification server");
        let mut events = handle.events.subscribe();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(watcher.run(async {
            let _ = stopped.await;
        }));
        let wait = Duration::from_secs(20);
        let mut seen: Vec<WatchEvent> = Vec::new();
        let mut until = |f: &dyn Fn(&WatchEvent) -> bool| {
            while let Ok(e) = events.try_recv() {
                seen.push(e);
            }
            seen.iter().find(|e| f(e)).cloned()
        };
        eventually(wait, "the baseline", || until(&|e| e.name() == "baseline")).await;

        handle
            .commands
            .send(Command::Pause(Pause::For(Duration::from_secs(3600))))
            .await
            .expect("send");
        let incident = FakeIncident {
            id: "inc-1",
            title: "Elevated errors",
            status: "investigating",
            impact: "major",
        };
        page.set(SUMMARY_PATH, Reply::json(summary(&page.url(), &[incident])));
        handle.commands.send(Command::CheckNow).await.expect("send");
        let delivered = eventually(wait, "the delivery", || {
            until(&|e| e.name() == "webhook_delivered")
        })
        .await;
        let failed = eventually(wait, "the 404", || until(&|e| e.name() == "webhook_failed")).await;
        let delivered_attempt = delivered.attempt().expect("an attempt");
        assert_eq!(delivered.title(), Some("Fake — outage began"));
        assert_eq!(delivered_attempt.incident_id.as_deref(), Some("inc-1"));
        let shown = delivered_attempt.target.clone();
        assert!(
            shown.ends_with("/ok/SE…") && !shown.contains("SECRET"),
            "{shown}"
        );
        assert!(failed
            .attempt()
            .is_some_and(|a| a.target.contains("/gone/")));
        assert_eq!(failed.reason(), Some("HTTP 404: no_service"));
        let body: serde_json::Value =
            serde_json::from_slice(&receiver.request_bodies("/ok/SECRET")[0]).expect("json");
        assert_eq!(body["event"], "incident_opened");
        assert_eq!(
            Some(body["id"].as_str().unwrap_or("")),
            Some(delivered_attempt.delivery_id.as_str())
        );
        assert_eq!(receiver.hits("/gone/SECRET"), 1, "a 404 is not retried");

        // The overview says how each target is doing, by its redacted address only.
        let views = eventually(wait, "the status in the overview", || {
            let views = handle.overview.borrow().webhooks.clone();
            views
                .iter()
                .any(|v| v.status.error.is_some() && v.shown.contains("/slow/"))
                .then_some(views)
        })
        .await;
        let by_path = |p: &str| {
            views
                .iter()
                .find(|v| v.shown.contains(p))
                .unwrap_or_else(|| panic!("{p} in {views:?}"))
        };
        assert!(by_path("/ok/").status.last_delivered_at.is_some());
        assert_eq!(by_path("/ok/").status.error, None);
        assert_eq!(
            by_path("/gone/").status.error.as_deref(),
            Some("HTTP 404: no_service")
        );
        assert_eq!(by_path("/slow/").status.pending, 1);
        assert_eq!(by_path("/slow/").status.error.as_deref(), Some("HTTP 503"));
        let overview = serde_json::to_string(&*handle.overview.borrow()).expect("json");
        assert!(!overview.contains("SECRET"), "{overview}");

        // The slow target is removed: what it had pending is dropped with a note.
        let mut fewer = config.clone();
        fewer.webhooks.truncate(2);
        handle
            .commands
            .send(Command::Reload(Box::new(fewer)))
            .await
            .expect("send");
        eventually(wait, "the slow target gone", || {
            (handle.overview.borrow().webhooks.len() == 2).then_some(())
        })
        .await;
        let _ = stop.send(());
        running.await.expect("stops");
        assert_eq!(notifier.0.load(Ordering::SeqCst), 0, "pop-ups were off");
        let history = History::open(dir.path()).expect("history");
        let slow = history
            .webhook_status(&target("slow").key())
            .expect("status");
        assert_eq!(slow.pending, 0);
        assert_eq!(
            slow.error.as_deref(),
            Some(crate::alerts::webhook_target_removed().as_str())
        );
    }

    /// A delivery queued more than a day ago (the app was off since) is not posted late:
    /// it is dropped with a note, and said so.
    #[tokio::test]
    async fn a_delivery_older_than_a_day_is_dropped_with_a_note() {
        use crate::history::PollRecord;
        use crate::model::{Impact, Phase};
        use crate::transitions::{Event, ServiceState, Tracked};
        let receiver = FakeServer::start().await;
        receiver.set("/in", Reply::json("{}"));
        let target =
            WebhookTarget::new(&format!("{}/in", receiver.url()), WebhookKind::Json).expect("t");
        let service = ServiceConfig {
            id: crate::model::ServiceId::from_name("Fake"),
            name: "Fake".to_owned(),
            // Never read: the watcher does not poll before the test ends.
            url: "http://127.0.0.1:9".to_owned(),
            format: crate::sources::Format::Statuspage,
            endpoint: None,
            filter: Default::default(),
            enabled: false,
            prefs: Default::default(),
            probes: Vec::new(),
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let mut history = History::open(dir.path()).expect("history");
        let opened = Event::IncidentOpened {
            incident: Tracked::sample(
                "old",
                "Yesterday's news",
                Phase::Investigating,
                Impact::Major,
            ),
            lead_secs: None,
        };
        let targets = [target.clone()];
        let then = chrono::Utc::now() - chrono::Duration::hours(25);
        history
            .record_poll(&PollRecord {
                webhooks: &targets,
                ..PollRecord::new(
                    &service,
                    None,
                    &ServiceState::default(),
                    std::slice::from_ref(&opened),
                    then,
                )
            })
            .expect("record");
        let config = Config {
            poll_interval: Duration::from_secs(3600),
            services: vec![service],
            notifications: Default::default(),
            early_warning: Default::default(),
            webhooks: vec![target.clone()],
            language: None,
            path: None,
        };
        let (watcher, handle) =
            Watcher::new(config, history, Arc::new(Counting::default())).expect("watcher");
        let mut events = handle.events.subscribe();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(watcher.run(async {
            let _ = stopped.await;
        }));
        let failed = eventually(Duration::from_secs(20), "the drop", || {
            std::iter::from_fn(|| events.try_recv().ok()).find(|e| e.name() == "webhook_failed")
        })
        .await;
        let _ = stop.send(());
        running.await.expect("stops");
        assert_eq!(failed.reason(), Some("dropped: not delivered within 24 h"));
        assert_eq!(failed.title(), Some("Fake — outage began"));
        assert_eq!(receiver.total_hits(), 0, "never posted late");
        let status = History::open(dir.path())
            .expect("history")
            .webhook_status(&target.key())
            .expect("status");
        assert_eq!(
            (status.pending, status.error.as_deref()),
            (0, Some("dropped: not delivered within 24 h"))
        );
    }
}

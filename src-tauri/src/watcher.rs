//! The poll loop: schedule, fetch, parse, transition, store, notify, publish.

use crate::config::{Config, ServiceConfig};
use crate::fetch::{FetchLimits, Fetcher};
use crate::history::{History, HistoryError, IncidentRow, Pending};
use crate::model::{Snapshot, Status};
use crate::notifier::{self, Notifier};
use crate::transitions::{self, Event, Observation, ServiceState};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;

const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);
const NOTIFY_ATTEMPTS: i64 = 3;
/// Undelivered notifications older than this are dropped at start: stale news is noise.
const REPLAY_MAX_AGE_MINUTES: i64 = 60;
const RECENT_INCIDENTS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Poll every service now (tray "Check now", wake from sleep).
    CheckNow,
}

/// One service as the tray and window show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub format: String,
    /// A [`Status`] name, or `unknown` (not read yet) / `unreachable` (last read failed).
    pub state: String,
    pub description: Option<String>,
    pub error: Option<String>,
    pub last_ok_at: Option<DateTime<Utc>>,
    pub open_incidents: usize,
}

/// What the UI renders: services, recent incidents, and a one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub summary: String,
    /// Worst state among services that could be read, or `unknown`.
    pub overall: String,
    pub services: Vec<ServiceView>,
    pub incidents: Vec<IncidentRow>,
    pub checked_at: Option<DateTime<Utc>>,
}

/// One event as `watch --json` prints it and the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchEvent {
    pub event: &'static str,
    pub service: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
}

/// What the shell or CLI holds to talk to a running watcher.
#[derive(Debug, Clone)]
pub struct WatcherHandle {
    pub commands: mpsc::Sender<Command>,
    pub overview: watch::Receiver<Overview>,
    pub events: broadcast::Sender<WatchEvent>,
}

pub struct Watcher {
    config: Config,
    fetcher: Fetcher,
    history: Arc<Mutex<History>>,
    notifier: Arc<dyn Notifier>,
    states: HashMap<String, ServiceState>,
    views: Vec<ServiceView>,
    overview: watch::Sender<Overview>,
    events: broadcast::Sender<WatchEvent>,
    commands: mpsc::Receiver<Command>,
    /// Outbox ids being delivered now, so a retry never sends one twice.
    deliveries: JoinSet<i64>,
    in_flight: HashSet<i64>,
}

fn lock(h: &Mutex<History>) -> MutexGuard<'_, History> {
    // A panic while holding the lock leaves SQLite consistent (transactions), so go on.
    h.lock().unwrap_or_else(|p| p.into_inner())
}

impl Watcher {
    /// Opens history, loads every service's remembered state, and returns the watcher and its handle.
    pub fn new(
        config: Config,
        history: History,
        notifier: Arc<dyn Notifier>,
    ) -> Result<(Self, WatcherHandle), WatchError> {
        let fetcher = Fetcher::new(FetchLimits::default())?;
        let mut states = HashMap::new();
        for s in &config.services {
            states.insert(s.id.to_string(), history.load_state(&s.id)?);
        }
        let views = config
            .services
            .iter()
            .map(|s| view_of(s, states.get(s.id.as_str()), None))
            .collect();
        let (overview_tx, overview_rx) = watch::channel(Overview::default());
        let (events_tx, _) = broadcast::channel(256);
        let (commands_tx, commands_rx) = mpsc::channel(8);
        let watcher = Watcher {
            config,
            fetcher,
            history: Arc::new(Mutex::new(history)),
            notifier,
            states,
            views,
            overview: overview_tx,
            events: events_tx.clone(),
            commands: commands_rx,
            deliveries: JoinSet::new(),
            in_flight: HashSet::new(),
        };
        let handle = WatcherHandle {
            commands: commands_tx,
            overview: overview_rx,
            events: events_tx,
        };
        Ok((watcher, handle))
    }

    /// Polls on the configured interval until `shutdown` completes.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        self.publish(None);
        self.replay_undelivered();
        let mut ticker = tokio::time::interval(self.config.poll_interval);
        // After a stall, poll once, not a burst of catch-up polls.
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                _ = &mut shutdown => break,
                _ = ticker.tick() => {
                    self.poll_all().await;
                    self.replay_undelivered();
                }
                cmd = self.commands.recv() => match cmd {
                    Some(Command::CheckNow) => {
                        self.poll_all().await;
                        ticker.reset();
                    }
                    None => break,
                },
                Some(done) = self.deliveries.join_next(), if !self.deliveries.is_empty() => {
                    if let Ok(id) = done {
                        self.in_flight.remove(&id);
                    }
                }
            }
        }
        // Let notifications already handed to the daemon finish (each has its own timeout).
        while self.deliveries.join_next().await.is_some() {}
        tracing::info!("watcher stopped");
    }

    async fn poll_all(&mut self) {
        let mut polls = JoinSet::new();
        for (index, service) in self.config.services.iter().enumerate() {
            let fetcher = self.fetcher.clone();
            let service = service.clone();
            polls.spawn(async move { (index, read(&fetcher, &service).await) });
        }
        let mut results: Vec<(usize, Result<Snapshot, String>)> =
            Vec::with_capacity(self.config.services.len());
        while let Some(joined) = polls.join_next().await {
            match joined {
                Ok(r) => results.push(r),
                Err(e) => tracing::error!(error = %e, "a poll task failed"),
            }
        }
        results.sort_by_key(|(i, _)| *i);
        let now = Utc::now();
        for (index, result) in results {
            let service = self.config.services[index].clone();
            self.apply(&service, index, result, now);
        }
        self.publish(Some(now));
    }

    fn apply(
        &mut self,
        service: &ServiceConfig,
        index: usize,
        result: Result<Snapshot, String>,
        now: DateTime<Utc>,
    ) {
        let prev = self
            .states
            .get(service.id.as_str())
            .cloned()
            .unwrap_or_default();
        let observation = match &result {
            Ok(s) => Observation::Read(s),
            Err(reason) => {
                tracing::warn!(service = %service.name, %reason, "read failed");
                Observation::Failed(reason)
            }
        };
        let (next, events) = transitions::step(&prev, observation, now);
        let snapshot = result.as_ref().ok();
        let recorded = lock(&self.history).record_poll(service, snapshot, &next, &events, now);
        match recorded {
            Ok(pending) => {
                self.states.insert(service.id.to_string(), next);
                if let Some(p) = pending {
                    self.spawn_delivery(p);
                }
                for e in &events {
                    let _ = self.events.send(watch_event(service, e, now));
                }
            }
            Err(e) => {
                // Keep the old state: the same change is found and recorded on the next poll.
                tracing::error!(service = %service.name, error = %e, "cannot record poll");
            }
        }
        self.views[index] = view_of(service, self.states.get(service.id.as_str()), snapshot);
    }

    fn spawn_delivery(&mut self, p: Pending) {
        if !self.in_flight.insert(p.outbox_id) {
            return;
        }
        let notifier = Arc::clone(&self.notifier);
        let history = Arc::clone(&self.history);
        self.deliveries.spawn(async move {
            let Pending {
                outbox_id,
                notification,
            } = p;
            let title = notification.title.clone();
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
            if let Err(e) = outcome {
                tracing::error!(error = %e, "cannot record delivery");
            }
            outbox_id
        });
    }

    /// Sends what was recorded but not delivered: killed in between, or the daemon failed.
    fn replay_undelivered(&mut self) {
        let pending = lock(&self.history).take_undelivered(
            Utc::now(),
            chrono::Duration::minutes(REPLAY_MAX_AGE_MINUTES),
        );
        match pending {
            Ok(list) => {
                for p in list {
                    self.spawn_delivery(p);
                }
            }
            Err(e) => tracing::error!(error = %e, "cannot read the outbox"),
        }
    }

    fn publish(&self, checked_at: Option<DateTime<Utc>>) {
        let incidents = lock(&self.history)
            .recent_incidents(RECENT_INCIDENTS)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "cannot read recent incidents");
                Vec::new()
            });
        let checked_at = checked_at.or(self.overview.borrow().checked_at);
        let overview = Overview {
            summary: summarize(&self.views),
            overall: overall(&self.views),
            services: self.views.clone(),
            incidents,
            checked_at,
        };
        self.overview.send_replace(overview);
    }
}

/// Fetches and parses one service; the error is one line for people.
pub async fn read(fetcher: &Fetcher, service: &ServiceConfig) -> Result<Snapshot, String> {
    let endpoint = service.format.endpoint(&service.url);
    let body = fetcher.get(&endpoint).await.map_err(|e| e.to_string())?;
    service
        .format
        .parse(&service.name, &service.url, &body)
        .map_err(|e| format!("{endpoint}: {e}"))
}

fn view_of(
    service: &ServiceConfig,
    state: Option<&ServiceState>,
    snapshot: Option<&Snapshot>,
) -> ServiceView {
    let state = state.cloned().unwrap_or_default();
    let label = match (&state.failing_since, state.status) {
        (Some(_), _) => "unreachable".to_owned(),
        (None, Some(s)) => s.as_str().to_owned(),
        (None, None) => "unknown".to_owned(),
    };
    ServiceView {
        id: service.id.to_string(),
        name: service.name.clone(),
        url: service.url.clone(),
        format: snapshot.map_or_else(|| service.format.as_str().to_owned(), |s| s.format.clone()),
        state: label,
        description: snapshot.and_then(|s| s.description.clone()),
        error: state.last_error.clone(),
        last_ok_at: state.last_ok_at,
        open_incidents: state
            .open
            .values()
            .filter(|k| k.kind == transitions::Kind::Incident)
            .count(),
    }
}

fn parse_status(s: &str) -> Option<Status> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

/// Worst readable state, `offline` when nothing could be read, `unknown` before the first poll.
pub fn overall(views: &[ServiceView]) -> String {
    let worst = views.iter().filter_map(|v| parse_status(&v.state)).max();
    match worst {
        Some(s) => s.as_str().to_owned(),
        None if !views.is_empty() && views.iter().all(|v| v.state == "unreachable") => {
            "offline".to_owned()
        }
        None => "unknown".to_owned(),
    }
}

/// The tray's first line: "All operational", "2 incidents: OpenAI (major outage), GitHub (degraded)".
pub fn summarize(views: &[ServiceView]) -> String {
    if views.is_empty() {
        return "No services watched".to_owned();
    }
    let unreachable = views.iter().filter(|v| v.state == "unreachable").count();
    if unreachable == views.len() {
        return "Offline: no status page reachable".to_owned();
    }
    if views.iter().all(|v| v.state == "unknown") {
        return "Checking…".to_owned();
    }
    let mut troubled: Vec<(&ServiceView, Status)> = views
        .iter()
        .filter_map(|v| parse_status(&v.state).map(|s| (v, s)))
        .filter(|(v, s)| *s > Status::Operational || v.open_incidents > 0)
        .collect();
    troubled.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    let mut out = match troubled.len() {
        0 => "All operational".to_owned(),
        n => {
            let list: Vec<String> = troubled
                .iter()
                .map(|(v, s)| format!("{} ({})", v.name, s.label()))
                .collect();
            let noun = if n == 1 {
                "service affected"
            } else {
                "services affected"
            };
            format!("{n} {noun}: {}", list.join(", "))
        }
    };
    if unreachable > 0 {
        out.push_str(&format!(" · {unreachable} unreachable"));
    }
    out
}

fn watch_event(service: &ServiceConfig, e: &Event, at: DateTime<Utc>) -> WatchEvent {
    let incident = e.incident();
    let status = match e {
        Event::Baseline { status, .. } => Some(status.as_str().to_owned()),
        Event::SourceUnreachable { .. } => Some("unreachable".to_owned()),
        _ => incident.map(|i| i.impact.implied_status().as_str().to_owned()),
    };
    WatchEvent {
        event: e.name(),
        service: service.name.clone(),
        service_id: service.id.to_string(),
        incident_id: incident.map(|i| i.id.0.clone()),
        title: incident.map(|i| i.title.clone()),
        phase: incident.map(|i| i.phase.as_str().to_owned()),
        status,
        reason: match e {
            Event::SourceUnreachable { reason } => Some(reason.clone()),
            _ => None,
        },
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(name: &str, state: &str, open: usize) -> ServiceView {
        ServiceView {
            id: name.to_lowercase(),
            name: name.to_owned(),
            url: format!("https://{name}.example"),
            format: "statuspage".to_owned(),
            state: state.to_owned(),
            description: None,
            error: None,
            last_ok_at: None,
            open_incidents: open,
        }
    }

    #[test]
    fn summary_lines() {
        let table: Vec<(Vec<ServiceView>, &str, &str)> = vec![
            (vec![], "No services watched", "unknown"),
            (
                vec![view("A", "unknown", 0), view("B", "unknown", 0)],
                "Checking…",
                "unknown",
            ),
            (
                vec![view("A", "operational", 0), view("B", "operational", 0)],
                "All operational",
                "operational",
            ),
            (
                vec![view("A", "unreachable", 0), view("B", "unreachable", 0)],
                "Offline: no status page reachable",
                "offline",
            ),
            (
                vec![
                    view("GitHub", "degraded", 1),
                    view("OpenAI", "major_outage", 2),
                    view("C", "operational", 0),
                ],
                "2 services affected: OpenAI (major outage), GitHub (degraded)",
                "major_outage",
            ),
            (
                vec![view("A", "operational", 1), view("B", "unreachable", 0)],
                "1 service affected: A (operational) · 1 unreachable",
                "operational",
            ),
        ];
        for (views, summary, worst) in table {
            assert_eq!(summarize(&views), summary);
            assert_eq!(overall(&views), worst, "{summary}");
        }
    }
}

//! The poll loop: schedule, fetch, parse, transition, store, notify, publish.

use crate::alerts;
use crate::config::{Config, ServiceConfig};
use crate::fetch::{FetchLimits, Fetcher};
use crate::history::{History, HistoryError, IncidentRow, Pending};
use crate::model::{Impact, Snapshot, Status};
use crate::notifier::{self, Notifier};
use crate::reader::Reader;
use crate::transitions::{self, Event, Failure, Observation, ServiceState};
use chrono::{DateTime, Offset, Utc};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinSet;
use tokio::time::MissedTickBehavior;

const NOTIFY_TIMEOUT: Duration = Duration::from_secs(10);
const NOTIFY_ATTEMPTS: i64 = 3;
/// Undelivered notifications older than this are dropped at start: stale news is noise.
const REPLAY_MAX_AGE_MINUTES: i64 = 60;
const RECENT_INCIDENTS: usize = 100;
/// While offline, look again this often so the return of the network is noticed quickly.
const OFFLINE_RETRY: Duration = Duration::from_secs(15);
/// How often the wall clock is compared with the monotonic one to notice a wake from sleep.
const CLOCK_CHECK: Duration = Duration::from_secs(5);
const SLEEP_TOLERANCE: Duration = Duration::from_secs(20);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Poll every service now (tray "Check now").
    CheckNow,
    /// Pause notifications until then; `None` resumes.
    Pause(Option<DateTime<Utc>>),
    /// Use this config from now on (saved from the settings window), then poll at once.
    Reload(Box<Config>),
}

/// Where a service of a reloaded config comes from among the running ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// The same page read the same way (at this old index): state, read cache and backoff carry over.
    Keep(usize),
    /// The same service read differently (at this old index): its state carries over, but
    /// a cache or backoff of another address would be wrong, so those start afresh.
    Reread(usize),
    /// New, or enabled again: its state comes from history, as at start.
    Add,
}

/// What a reload does: every enabled service of the new config in order, and the ids
/// of running services that are gone (removed or disabled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadPlan {
    pub services: Vec<(ServiceConfig, Carry)>,
    pub removed: Vec<String>,
}

/// Whether two configs of one service read the same thing the same way.
fn same_source(a: &ServiceConfig, b: &ServiceConfig) -> bool {
    a.url == b.url && a.format == b.format && a.endpoint == b.endpoint && a.filter == b.filter
}

/// Matches the running services (`old`, all enabled) with a new config's by id.
pub fn plan_reload(old: &[ServiceConfig], new: &[ServiceConfig]) -> ReloadPlan {
    let services: Vec<(ServiceConfig, Carry)> = new
        .iter()
        .filter(|s| s.enabled)
        .map(|s| {
            let carry = match old.iter().position(|o| o.id == s.id) {
                Some(i) if same_source(&old[i], s) => Carry::Keep(i),
                Some(i) => Carry::Reread(i),
                None => Carry::Add,
            };
            (s.clone(), carry)
        })
        .collect();
    let removed = old
        .iter()
        .filter(|o| !services.iter().any(|(s, _)| s.id == o.id))
        .map(|o| o.id.to_string())
        .collect();
    ReloadPlan { services, removed }
}

/// One service as the tray and window show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub name: String,
    pub url: String,
    pub format: String,
    /// A [`Status`] name, or `unknown` (not read yet), `unreachable`, `stale` (unreachable
    /// for long), `changed_format` (answers, but not in its format).
    pub state: String,
    pub description: Option<String>,
    pub error: Option<String>,
    pub last_ok_at: Option<DateTime<Utc>>,
    pub open_incidents: usize,
    /// The worst impact among its open incidents.
    pub worst_impact: Option<Impact>,
}

/// What the UI renders: services, recent incidents, and a one-line summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Overview {
    pub summary: String,
    /// Things the user must know that are not a page's state: a history file kept aside,
    /// a config that could not be read.
    pub notices: Vec<String>,
    /// Worst state among services that could be read, `offline`, or `unknown`.
    pub overall: String,
    pub offline: bool,
    pub paused_until: Option<DateTime<Utc>>,
    pub services: Vec<ServiceView>,
    pub incidents: Vec<IncidentRow>,
    pub checked_at: Option<DateTime<Utc>>,
}

/// One event as `watch --json` prints it and the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchEvent {
    pub event: &'static str,
    /// The service's name; `*` for events about the network as a whole.
    pub service: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
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

pub use crate::reader::ReadError;

/// What the shell or CLI holds to talk to a running watcher.
#[derive(Debug, Clone)]
pub struct WatcherHandle {
    pub commands: mpsc::Sender<Command>,
    pub overview: watch::Receiver<Overview>,
    pub events: broadcast::Sender<WatchEvent>,
}

pub struct Watcher {
    config: Config,
    /// The enabled services, in config order.
    services: Vec<ServiceConfig>,
    fetcher: Fetcher,
    history: Arc<Mutex<History>>,
    notifier: Arc<dyn Notifier>,
    states: HashMap<String, ServiceState>,
    views: Vec<ServiceView>,
    offline: bool,
    paused_until: Option<DateTime<Utc>>,
    notices: Vec<String>,
    overview: watch::Sender<Overview>,
    events: broadcast::Sender<WatchEvent>,
    commands: mpsc::Receiver<Command>,
    /// Outbox ids being delivered now, so a retry never sends one twice.
    deliveries: JoinSet<i64>,
    in_flight: HashSet<i64>,
    /// Per service (same order as `services`): its read cache and its backoff.
    readers: Vec<Option<Reader>>,
    backoff: Vec<Backoff>,
}

/// The HTTP limits, with `OUTAGE_RADAR_HTTP_TIMEOUT_SECS` (1–120) replacing the 20 s total
/// timeout: for very slow links, and for tests that must see a timeout quickly.
fn limits_from_env() -> FetchLimits {
    let mut limits = FetchLimits::default();
    if let Ok(raw) = std::env::var("OUTAGE_RADAR_HTTP_TIMEOUT_SECS") {
        match raw.trim().parse::<u64>() {
            Ok(secs @ 1..=120) => {
                limits.total_timeout = Duration::from_secs(secs);
                limits.connect_timeout = limits.connect_timeout.min(limits.total_timeout);
            }
            _ => {
                tracing::warn!(value = %raw, "OUTAGE_RADAR_HTTP_TIMEOUT_SECS must be 1 to 120; ignored")
            }
        }
    }
    limits
}

/// A page that keeps failing while others answer is asked less often.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Backoff {
    failures: u32,
    next_at: Option<Instant>,
    /// The page asked us (429 / Retry-After) not to come back before this, not even for
    /// "Check now".
    not_before: Option<Instant>,
    last_read: Option<Instant>,
}

/// While a page has an open incident it is read this often, so its next phase and its end
/// are seen sooner: a quarter of the interval, not under 15 s, never slower than usual.
pub fn open_incident_interval(interval: Duration) -> Duration {
    (interval / 4).max(Duration::from_secs(15)).min(interval)
}

/// The wait after `failures` failed reads in a row: doubling from the poll interval up to
/// 15 minutes, times `jitter` (0.8–1.2) so that many clients do not retry in step.
pub fn backoff_delay(failures: u32, interval: Duration, jitter: f64) -> Duration {
    const CAP: Duration = Duration::from_secs(15 * 60);
    if failures <= 1 {
        return interval;
    }
    let factor = 2u32.saturating_pow((failures - 1).min(16));
    let base = interval.saturating_mul(factor).min(CAP.max(interval));
    base.mul_f64(jitter.clamp(0.8, 1.2))
}

/// The poll interval give or take 10%, so that clients started together drift apart.
pub fn jittered(interval: Duration, unit: f64) -> Duration {
    interval.mul_f64(0.9 + 0.2 * unit.clamp(0.0, 1.0))
}

fn lock(h: &Mutex<History>) -> MutexGuard<'_, History> {
    // A panic while holding the lock leaves SQLite consistent (transactions), so go on.
    h.lock().unwrap_or_else(|p| p.into_inner())
}

impl Watcher {
    /// Loads every service's remembered state and returns the watcher and its handle.
    pub fn new(
        config: Config,
        history: History,
        notifier: Arc<dyn Notifier>,
    ) -> Result<(Self, WatcherHandle), WatchError> {
        let fetcher = Fetcher::new(limits_from_env())?;
        let services: Vec<ServiceConfig> = config
            .services
            .iter()
            .filter(|s| s.enabled)
            .cloned()
            .collect();
        let mut states = HashMap::new();
        for s in &services {
            states.insert(s.id.to_string(), history.load_state(&s.id)?);
        }
        let paused_until = history.paused_until()?;
        let views = services
            .iter()
            .map(|s| view_of(s, states.get(s.id.as_str()), None, &config, Utc::now()))
            .collect();
        let (overview_tx, overview_rx) = watch::channel(Overview::default());
        let (events_tx, _) = broadcast::channel(256);
        let (commands_tx, commands_rx) = mpsc::channel(8);
        let watcher = Watcher {
            config,
            services,
            fetcher,
            history: Arc::new(Mutex::new(history)),
            notifier,
            states,
            views,
            offline: false,
            paused_until,
            notices: Vec::new(),
            overview: overview_tx,
            events: events_tx.clone(),
            commands: commands_rx,
            deliveries: JoinSet::new(),
            in_flight: HashSet::new(),
            readers: Vec::new(),
            backoff: Vec::new(),
        };
        let mut watcher = watcher;
        watcher.readers = watcher
            .services
            .iter()
            .map(|_| Some(Reader::default()))
            .collect();
        watcher.backoff = vec![Backoff::default(); watcher.services.len()];
        let handle = WatcherHandle {
            commands: commands_tx,
            overview: overview_rx,
            events: events_tx,
        };
        // The tray and window can show the services before the first poll.
        watcher.publish(None);
        Ok((watcher, handle))
    }

    /// Shows `text` with every overview (the window's banner) until the app stops.
    pub fn add_notice(&mut self, text: String) {
        self.notices.push(text);
        self.publish(None);
    }

    /// Polls on the configured interval until `shutdown` completes.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        self.replay_undelivered();
        let mut ticker = tokio::time::interval(self.config.poll_interval);
        // After a stall, poll once, not a burst of catch-up polls.
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut interval = self.config.poll_interval;
        let mut clock = tokio::time::interval(CLOCK_CHECK);
        clock.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut last_clock = (SystemTime::now(), Instant::now());
        loop {
            let poll = tokio::select! {
                _ = &mut shutdown => break,
                _ = ticker.tick() => Some(false),
                _ = clock.tick() => {
                    let now = (SystemTime::now(), Instant::now());
                    let wall = now.0.duration_since(last_clock.0).map_or(chrono::Duration::zero(), |d| {
                        chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
                    });
                    let woke = transitions::woke_from_sleep(wall, now.1 - last_clock.1, SLEEP_TOLERANCE);
                    last_clock = now;
                    if woke {
                        tracing::info!("woke from sleep: checking now");
                    }
                    woke.then_some(true)
                }
                cmd = self.commands.recv() => match cmd {
                    Some(Command::CheckNow) => Some(true),
                    Some(Command::Pause(until)) => {
                        self.set_pause(until);
                        None
                    }
                    Some(Command::Reload(config)) => {
                        self.reload(*config);
                        Some(true)
                    }
                    None => break,
                },
                Some(done) = self.deliveries.join_next(), if !self.deliveries.is_empty() => {
                    if let Ok(id) = done {
                        self.in_flight.remove(&id);
                    }
                    None
                }
            };
            if self.config.poll_interval != interval {
                interval = self.config.poll_interval;
                // The next tick is set after the poll below; the period is the fallback.
                ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
                ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
            }
            // `Some(true)`: asked for (or just woke): every page now, backoff or not.
            if let Some(forced) = poll {
                self.poll_all(forced).await;
                self.replay_undelivered();
                let next = if self.offline {
                    OFFLINE_RETRY.min(self.config.poll_interval)
                } else if self.services.iter().any(|s| self.has_open_incident(s)) {
                    jittered(
                        open_incident_interval(self.config.poll_interval),
                        fastrand::f64(),
                    )
                } else {
                    jittered(self.config.poll_interval, fastrand::f64())
                };
                ticker.reset_after(next);
            }
        }
        // Let notifications already handed to the daemon finish (each has its own timeout).
        while self.deliveries.join_next().await.is_some() {}
        tracing::info!("watcher stopped");
    }

    /// Swaps in a new config. Unchanged services keep everything; see [`Carry`].
    fn reload(&mut self, config: Config) {
        let plan = plan_reload(&self.services, &config.services);
        let now = Utc::now();
        let mut old_readers = std::mem::take(&mut self.readers);
        let old_backoff = std::mem::take(&mut self.backoff);
        let old_views = std::mem::take(&mut self.views);
        let mut old_states = std::mem::take(&mut self.states);
        let count = plan.services.len();
        let mut services = Vec::with_capacity(count);
        let (mut kept, mut reread, mut added) = (0, 0, 0);
        for (service, carry) in plan.services {
            let carried_state = match carry {
                Carry::Keep(_) | Carry::Reread(_) => old_states.remove(service.id.as_str()),
                Carry::Add => None,
            };
            let state = match carried_state {
                Some(state) => state,
                None => lock(&self.history)
                    .load_state(&service.id)
                    .unwrap_or_else(|e| {
                        // Unbaselined: its first read is a quiet baseline, not a burst of news.
                        tracing::error!(service = %service.name, error = %e, "cannot load stored state");
                        ServiceState::default()
                    }),
            };
            let mut view = view_of(&service, Some(&state), None, &config, now);
            let (reader, backoff) = match carry {
                Carry::Keep(i) => {
                    kept += 1;
                    if let Some(old) = old_views.get(i) {
                        // Not in the state: they come from the last snapshot.
                        view.description.clone_from(&old.description);
                        view.format.clone_from(&old.format);
                    }
                    (
                        old_readers.get_mut(i).and_then(Option::take),
                        old_backoff.get(i).copied().unwrap_or_default(),
                    )
                }
                Carry::Reread(_) => {
                    reread += 1;
                    (None, Backoff::default())
                }
                Carry::Add => {
                    added += 1;
                    (None, Backoff::default())
                }
            };
            self.states.insert(service.id.to_string(), state);
            self.readers.push(Some(reader.unwrap_or_default()));
            self.backoff.push(backoff);
            self.views.push(view);
            services.push(service);
        }
        tracing::info!(
            kept,
            reread,
            added,
            removed = ?plan.removed,
            poll_secs = config.poll_interval.as_secs(),
            "config reloaded"
        );
        self.services = services;
        self.config = config;
        self.publish(None);
    }

    fn set_pause(&mut self, until: Option<DateTime<Utc>>) {
        if let Err(e) = lock(&self.history).set_paused_until(until) {
            tracing::error!(error = %e, "cannot store the pause");
        }
        tracing::info!(?until, "notifications paused");
        self.paused_until = until;
        self.publish(None);
    }

    async fn poll_all(&mut self, forced: bool) {
        let mut polls = JoinSet::new();
        let started = Instant::now();
        for (index, service) in self.services.iter().enumerate() {
            let b = &self.backoff[index];
            if b.not_before.is_some_and(|at| at > started) {
                continue;
            }
            let backed_off = b.next_at.is_some_and(|at| at > started);
            // A tenth of slack: ticks are jittered, and a page just short of its interval
            // would otherwise wait a whole extra tick.
            let interval_passed = b.last_read.is_none_or(|t| {
                started.duration_since(t) + self.config.poll_interval / 10
                    >= self.config.poll_interval
            });
            let due = !backed_off && (interval_passed || self.has_open_incident(service));
            if !(forced || due || self.offline) {
                continue;
            }
            let Some(mut reader) = self.readers[index].take() else {
                continue;
            };
            let fetcher = self.fetcher.clone();
            let service = service.clone();
            polls.spawn(async move {
                let result = reader.read(&fetcher, &service).await;
                (index, reader, result)
            });
        }
        let mut results: Vec<(usize, Result<Snapshot, ReadError>)> =
            Vec::with_capacity(self.services.len());
        while let Some(joined) = polls.join_next().await {
            match joined {
                Ok((index, reader, result)) => {
                    self.readers[index] = Some(reader);
                    results.push((index, result));
                }
                Err(e) => tracing::error!(error = %e, "a poll task failed"),
            }
        }
        // A task that panicked lost its cache: start that one afresh.
        for r in &mut self.readers {
            r.get_or_insert_with(Reader::default);
        }
        if results.is_empty() {
            return;
        }
        results.sort_by_key(|(i, _)| *i);
        let now = Utc::now();
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        let was_offline = self.offline;
        let (offline, network_event) =
            transitions::network_step(was_offline, failed, results.len());
        self.offline = offline;
        if let Some(e) = network_event {
            tracing::warn!(event = e.name(), "network state changed");
            let _ = self.events.send(global_event(&e, now));
        }
        let interval = self.config.poll_interval;
        for (index, result) in results {
            let b = &mut self.backoff[index];
            let asked_to_wait = result.as_ref().err().and_then(|e| e.retry_after);
            if asked_to_wait.is_none() && (result.is_ok() || offline) {
                // Offline has its own retry; a page's own backoff starts once others answer.
                *b = Backoff::default();
            } else {
                b.failures += 1;
                let mut next =
                    started + backoff_delay(b.failures, interval, 0.8 + 0.4 * fastrand::f64());
                if let Some(wait) = asked_to_wait {
                    tracing::info!(service = %self.services[index].name, wait_secs = wait.as_secs(), "page asked us to wait");
                    b.not_before = Some(started + wait);
                    next = next.max(started + wait);
                }
                b.next_at = Some(next);
            }
            b.last_read = Some(started);
            let service = self.services[index].clone();
            self.apply(&service, index, result, now, was_offline || offline);
        }
        self.publish(Some(now));
    }

    fn has_open_incident(&self, service: &ServiceConfig) -> bool {
        self.states.get(service.id.as_str()).is_some_and(|s| {
            s.open
                .values()
                .any(|k| k.kind == transitions::Kind::Incident)
        })
    }

    fn apply(
        &mut self,
        service: &ServiceConfig,
        index: usize,
        result: Result<Snapshot, ReadError>,
        now: DateTime<Utc>,
        network_trouble: bool,
    ) {
        let prev = self
            .states
            .get(service.id.as_str())
            .cloned()
            .unwrap_or_default();
        let observation = match &result {
            Ok(s) => Observation::Read(s),
            Err(e) => {
                // While offline every page fails: one warning (the offline event) is enough.
                if network_trouble {
                    tracing::debug!(service = %service.name, reason = %e.message, "read failed");
                } else {
                    tracing::warn!(service = %service.name, reason = %e.message, "read failed");
                }
                Observation::Failed {
                    failure: e.failure,
                    reason: &e.message,
                }
            }
        };
        let (next, mut events) =
            transitions::step(&prev, observation, now, &self.config.notifications.rules);
        if network_trouble {
            // One offline state says it all; per-service reachability noise is left out.
            events.retain(|e| {
                !matches!(
                    e,
                    Event::SourceUnreachable { .. }
                        | Event::SourceChangedFormat { .. }
                        | Event::SourceRecovered
                )
            });
        }
        let snapshot = result.as_ref().ok();
        let delivery = alerts::delivery(
            now,
            chrono::Local::now().offset().fix(),
            self.config.notifications.quiet_hours.as_ref(),
            self.paused_until,
        );
        let recorded =
            lock(&self.history).record_poll(service, snapshot, &next, &events, now, delivery);
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
        self.views[index] = view_of(
            service,
            self.states.get(service.id.as_str()),
            snapshot,
            &self.config,
            now,
        );
    }

    fn spawn_delivery(&mut self, p: Pending) {
        if !self.in_flight.insert(p.outbox_id) {
            return;
        }
        let notifier = Arc::clone(&self.notifier);
        let history = Arc::clone(&self.history);
        let events = self.events.clone();
        let service = self
            .services
            .iter()
            .find(|s| s.id == p.notification.service)
            .map(|s| s.name.clone());
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
                    let _ = events.send(WatchEvent {
                        event: "notified",
                        service: service.unwrap_or_else(|| service_id.clone()),
                        service_id,
                        incident_id: None,
                        title: Some(title),
                        phase: None,
                        component: None,
                        status: None,
                        reason: None,
                        at: now,
                    });
                }
                Ok(()) => {}
                Err(e) => tracing::error!(error = %e, "cannot record delivery"),
            }
            outbox_id
        });
    }

    /// Sends what was recorded but not delivered: killed in between, the daemon failed,
    /// or quiet hours are over.
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
        let paused_until = self.paused_until.filter(|u| *u > Utc::now());
        let mut summary = summarize(&self.views, self.offline);
        if let Some(until) = paused_until {
            let local = until.with_timezone(&chrono::Local);
            summary = format!("Paused until {} · {summary}", local.format("%a %H:%M"));
        }
        let overview = Overview {
            summary,
            notices: self.notices.clone(),
            overall: if self.offline {
                "offline".to_owned()
            } else {
                overall(&self.views)
            },
            offline: self.offline,
            paused_until,
            services: self.views.clone(),
            incidents,
            checked_at,
        };
        self.overview.send_replace(overview);
    }
}

/// Fetches and parses one service once; the error is one line for people.
pub async fn read(fetcher: &Fetcher, service: &ServiceConfig) -> Result<Snapshot, ReadError> {
    crate::reader::read_once(fetcher, service).await
}

fn view_of(
    service: &ServiceConfig,
    state: Option<&ServiceState>,
    snapshot: Option<&Snapshot>,
    config: &Config,
    now: DateTime<Utc>,
) -> ServiceView {
    let state = state.cloned().unwrap_or_default();
    let label = match (state.failing_since, state.failure, state.status) {
        (Some(_), Some(Failure::WrongFormat), _) if state.baselined => "changed_format".to_owned(),
        (Some(since), _, _) if now - since >= config.notifications.stale_after => {
            "stale".to_owned()
        }
        (Some(_), _, _) => "unreachable".to_owned(),
        (None, _, Some(s)) => s.as_str().to_owned(),
        (None, _, None) => "unknown".to_owned(),
    };
    let open: Vec<&transitions::Known> = state
        .open
        .values()
        .filter(|k| k.kind == transitions::Kind::Incident)
        .collect();
    ServiceView {
        id: service.id.to_string(),
        name: service.name.clone(),
        url: service.url.clone(),
        format: snapshot.map_or_else(|| service.format.as_str().to_owned(), |s| s.format.clone()),
        state: label,
        description: snapshot.and_then(|s| s.description.clone()),
        error: state.last_error.clone(),
        last_ok_at: state.last_ok_at,
        open_incidents: open.len(),
        worst_impact: open.iter().map(|k| k.impact).max(),
    }
}

fn parse_status(s: &str) -> Option<Status> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

fn failing_label(state: &str) -> &'static str {
    match state {
        "stale" => "no data for a while",
        "changed_format" => "page changed format",
        _ => "unreachable",
    }
}

fn is_failing(v: &ServiceView) -> bool {
    matches!(v.state.as_str(), "unreachable" | "stale" | "changed_format")
}

/// Worst readable state, `offline` when nothing could be read, `unknown` before the first poll.
pub fn overall(views: &[ServiceView]) -> String {
    let worst = views.iter().filter_map(|v| parse_status(&v.state)).max();
    match worst {
        Some(s) => s.as_str().to_owned(),
        None if !views.is_empty() && views.iter().all(is_failing) => "offline".to_owned(),
        None => "unknown".to_owned(),
    }
}

/// The tray's first line: "2 incidents: OpenAI (major), GitHub (minor)".
pub fn summarize(views: &[ServiceView], offline: bool) -> String {
    if views.is_empty() {
        return "No services watched".to_owned();
    }
    if offline {
        return "Offline: no status page reachable".to_owned();
    }
    if views.iter().all(is_failing) {
        let list: Vec<String> = views
            .iter()
            .map(|v| format!("{} ({})", v.name, failing_label(&v.state)))
            .collect();
        return format!("Not readable: {}", list.join(", "));
    }
    if views.iter().all(|v| v.state == "unknown") {
        return "Checking…".to_owned();
    }
    let mut with_incidents: Vec<&ServiceView> =
        views.iter().filter(|v| v.open_incidents > 0).collect();
    with_incidents.sort_by_key(|v| std::cmp::Reverse(v.worst_impact));
    let incidents: usize = with_incidents.iter().map(|v| v.open_incidents).sum();
    let mut out = if incidents > 0 {
        let list: Vec<String> = with_incidents
            .iter()
            .map(|v| format!("{} ({})", v.name, v.worst_impact.unwrap_or_default()))
            .collect();
        let noun = if incidents == 1 {
            "incident"
        } else {
            "incidents"
        };
        format!("{incidents} {noun}: {}", list.join(", "))
    } else {
        let mut troubled: Vec<(&ServiceView, Status)> = views
            .iter()
            .filter_map(|v| parse_status(&v.state).map(|s| (v, s)))
            .filter(|(_, s)| *s > Status::Operational)
            .collect();
        troubled.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
        if troubled.is_empty() {
            "All operational".to_owned()
        } else {
            let list: Vec<String> = troubled
                .iter()
                .map(|(v, s)| format!("{} ({})", v.name, s.label()))
                .collect();
            list.join(", ")
        }
    };
    let failing = views.iter().filter(|v| is_failing(v)).count();
    if failing > 0 {
        out.push_str(&format!(" · {failing} not readable"));
    }
    out
}

fn global_event(e: &Event, at: DateTime<Utc>) -> WatchEvent {
    WatchEvent {
        event: e.name(),
        service: "*".to_owned(),
        service_id: "*".to_owned(),
        incident_id: None,
        title: None,
        phase: None,
        component: None,
        status: Some(e.name().to_owned()),
        reason: None,
        at,
    }
}

fn watch_event(service: &ServiceConfig, e: &Event, at: DateTime<Utc>) -> WatchEvent {
    let incident = e.incident();
    let status = match e {
        Event::Baseline { status, .. } => Some(status.as_str().to_owned()),
        Event::SourceUnreachable { .. } => Some("unreachable".to_owned()),
        Event::SourceChangedFormat { .. } => Some("changed_format".to_owned()),
        Event::ComponentDegraded { status, .. } => Some(status.as_str().to_owned()),
        Event::ComponentRecovered { .. } => Some(Status::Operational.as_str().to_owned()),
        _ => incident.map(|i| i.impact.implied_status().as_str().to_owned()),
    };
    WatchEvent {
        event: e.name(),
        service: service.name.clone(),
        service_id: service.id.to_string(),
        incident_id: incident.map(|i| i.id.0.clone()),
        title: incident.map(|i| i.title.clone()),
        phase: incident.map(|i| i.phase.as_str().to_owned()),
        component: match e {
            Event::ComponentDegraded { component, .. }
            | Event::ComponentRecovered { component } => Some(component.clone()),
            _ => None,
        },
        status,
        reason: match e {
            Event::SourceUnreachable { reason } | Event::SourceChangedFormat { reason } => {
                Some(reason.clone())
            }
            _ => None,
        },
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_to_a_cap_with_bounded_jitter() {
        let min = Duration::from_secs(60);
        let table = [
            (0, 1.0, 60),
            (1, 1.0, 60),
            (2, 1.0, 120),
            (3, 1.0, 240),
            (4, 1.0, 480),
            (5, 1.0, 900),
            (40, 1.0, 900),
            (3, 1.2, 288),
            (3, 0.8, 192),
            (3, 5.0, 288),
        ];
        for (failures, jitter, secs) in table {
            assert_eq!(
                backoff_delay(failures, min, jitter),
                Duration::from_secs(secs),
                "{failures} failures, jitter {jitter}"
            );
        }
        // A long interval is never shortened by the cap.
        let hour = Duration::from_secs(3600);
        assert_eq!(backoff_delay(3, hour, 1.0), hour);
    }

    fn svc(name: &str, url: &str) -> ServiceConfig {
        ServiceConfig {
            id: crate::model::ServiceId::from_name(name),
            name: name.to_owned(),
            url: url.to_owned(),
            format: crate::sources::Format::Statuspage,
            endpoint: None,
            filter: Default::default(),
            enabled: true,
            prefs: Default::default(),
        }
    }

    /// (name, new services, expected (id, carry), expected removed ids)
    type PlanCase = (
        &'static str,
        Vec<ServiceConfig>,
        Vec<(&'static str, Carry)>,
        Vec<&'static str>,
    );

    #[test]
    fn reload_plans_keep_reread_add_remove() {
        let a = svc("A", "https://a.example");
        let b = svc("B", "https://b.example");
        let c = svc("C", "https://c.example");
        let old = vec![a.clone(), b.clone(), c.clone()];
        let with = |s: &ServiceConfig, f: &dyn Fn(&mut ServiceConfig)| {
            let mut s = s.clone();
            f(&mut s);
            s
        };
        let table: Vec<PlanCase> = vec![
            (
                "nothing changed",
                old.clone(),
                vec![
                    ("a", Carry::Keep(0)),
                    ("b", Carry::Keep(1)),
                    ("c", Carry::Keep(2)),
                ],
                vec![],
            ),
            (
                "reordered, one removed, one added",
                vec![c.clone(), svc("D", "https://d.example"), a.clone()],
                vec![
                    ("c", Carry::Keep(2)),
                    ("d", Carry::Add),
                    ("a", Carry::Keep(0)),
                ],
                vec!["b"],
            ),
            (
                "disabled is removed",
                vec![a.clone(), with(&b, &|s| s.enabled = false), c.clone()],
                vec![("a", Carry::Keep(0)), ("c", Carry::Keep(2))],
                vec!["b"],
            ),
            (
                "notification prefs and name case are not the source",
                vec![
                    with(&a, &|s| {
                        s.prefs.min_impact = crate::alerts::MinImpact::Muted
                    }),
                    with(&b, &|s| s.name = "b".to_owned()),
                ],
                vec![("a", Carry::Keep(0)), ("b", Carry::Keep(1))],
                vec!["c"],
            ),
            (
                "url, format, endpoint or filter changed: read afresh",
                vec![
                    with(&a, &|s| s.url = "https://a2.example".to_owned()),
                    with(&b, &|s| s.format = crate::sources::Format::Incidentio),
                    with(&c, &|s| {
                        s.endpoint = Some("https://c.example/feed".to_owned())
                    }),
                    with(&svc("E", "https://e.example"), &|_| {}),
                ],
                vec![
                    ("a", Carry::Reread(0)),
                    ("b", Carry::Reread(1)),
                    ("c", Carry::Reread(2)),
                    ("e", Carry::Add),
                ],
                vec![],
            ),
            (
                "a filter change",
                vec![with(&a, &|s| s.filter.regions = vec!["eu".to_owned()])],
                vec![("a", Carry::Reread(0))],
                vec!["b", "c"],
            ),
            ("everything removed", vec![], vec![], vec!["a", "b", "c"]),
        ];
        for (name, new, want, removed) in table {
            let plan = plan_reload(&old, &new);
            let got: Vec<(&str, Carry)> = plan
                .services
                .iter()
                .map(|(s, c)| (s.id.as_str(), *c))
                .collect();
            assert_eq!(got, want, "{name}");
            assert_eq!(plan.removed, removed, "{name}");
        }
        let fresh = plan_reload(&[], &old);
        assert!(fresh.services.iter().all(|(_, c)| *c == Carry::Add));
    }

    struct Silent;
    impl Notifier for Silent {
        fn show(&self, _: &alerts::Notification) -> Result<(), notifier::NotifyError> {
            Ok(())
        }
    }

    /// A running watcher against a fake server: reload keeps, rereads, adds and removes.
    #[tokio::test]
    async fn reload_takes_effect_without_restart() {
        use outage_radar_tests::eventually;
        use outage_radar_tests::fake_server::{FakeServer, Reply};
        use outage_radar_tests::payloads::summary;

        let server = FakeServer::start().await;
        let base = server.url();
        let summary_of = |page: &str| format!("/{page}/api/v2/summary.json");
        let history_of = |page: &str| format!("/{page}/api/v2/incidents.json");
        for page in ["a", "b", "d", "d2", "c"] {
            server.set(
                &summary_of(page),
                Reply::json(summary(&format!("{base}/{page}"), &[])),
            );
        }
        let config = |services: Vec<ServiceConfig>| Config {
            // Long enough that only the first tick and the commands cause polls.
            poll_interval: Duration::from_secs(3600),
            services,
            notifications: Default::default(),
            path: None,
        };
        let page = |name: &str, p: &str| svc(name, &format!("{base}/{p}"));
        let dir = tempfile::tempdir().expect("tempdir");
        let history = History::open(dir.path()).expect("history");
        let (watcher, handle) = Watcher::new(
            config(vec![page("A", "a"), page("B", "b"), page("D", "d")]),
            history,
            Arc::new(Silent),
        )
        .expect("watcher");
        let mut events = handle.events.subscribe();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(watcher.run(async {
            let _ = stopped.await;
        }));

        let wait = Duration::from_secs(20);
        let states = |h: &WatcherHandle| -> Vec<(String, String)> {
            h.overview
                .borrow()
                .services
                .iter()
                .map(|v| (v.id.clone(), v.state.clone()))
                .collect()
        };
        let operational = |ids: &[&str]| -> Vec<(String, String)> {
            ids.iter()
                .map(|id| ((*id).to_owned(), "operational".to_owned()))
                .collect()
        };
        let want = operational(&["a", "b", "d"]);
        eventually(wait, "the first poll", || {
            (states(&handle) == want).then_some(())
        })
        .await;
        let baselines = |events: &mut broadcast::Receiver<WatchEvent>| {
            let mut ids = Vec::new();
            while let Ok(e) = events.try_recv() {
                if e.event == "baseline" {
                    ids.push(e.service_id);
                }
            }
            ids.sort();
            ids
        };
        assert_eq!(baselines(&mut events), ["a", "b", "d"]);
        assert_eq!(server.hits(&history_of("a")), 1);
        let a_polls = server.hits(&summary_of("a"));
        let b_polls = server.hits(&summary_of("b"));

        // A as it was, B removed, D moved to another address, C new and E disabled.
        let mut e = page("E", "e");
        e.enabled = false;
        let reloaded = config(vec![page("C", "c"), page("A", "a"), page("D", "d2"), e]);
        handle
            .commands
            .send(Command::Reload(Box::new(reloaded.clone())))
            .await
            .expect("send");
        let want = operational(&["c", "a", "d"]);
        eventually(wait, "the forced poll after the reload", || {
            (states(&handle) == want
                && server.hits(&summary_of("a")) > a_polls
                && server.hits(&summary_of("d2")) > 0)
                .then_some(())
        })
        .await;
        assert_eq!(
            server.hits(&history_of("a")),
            1,
            "A kept its reader: history is not due again"
        );
        assert_eq!(server.hits(&history_of("d2")), 1, "D reads afresh");
        assert_eq!(
            server.hits(&summary_of("b")),
            b_polls,
            "B is no longer read"
        );
        assert_eq!(server.hits(&summary_of("e")), 0, "E is disabled");
        assert_eq!(
            baselines(&mut events),
            ["c"],
            "A and D keep their state; only C starts from nothing"
        );

        // B comes back with the state history kept for it: no second baseline.
        let checked = handle.overview.borrow().checked_at;
        let mut again = reloaded;
        again.services.push(page("B", "b"));
        handle
            .commands
            .send(Command::Reload(Box::new(again)))
            .await
            .expect("send");
        let want = operational(&["c", "a", "d", "b"]);
        eventually(wait, "B polled again", || {
            // Its stored state already says operational: wait for the poll to be published.
            (states(&handle) == want
                && server.hits(&summary_of("b")) > b_polls
                && handle.overview.borrow().checked_at > checked)
                .then_some(())
        })
        .await;
        assert_eq!(baselines(&mut events), Vec::<String>::new());

        let _ = stop.send(());
        running.await.expect("stops");
    }

    #[test]
    fn open_incidents_are_read_faster_within_bounds() {
        let table = [(60, 15), (300, 75), (20, 15), (10, 10), (3600, 900)];
        for (interval, fast) in table {
            assert_eq!(
                open_incident_interval(Duration::from_secs(interval)),
                Duration::from_secs(fast),
                "{interval}"
            );
        }
    }

    #[test]
    fn jitter_stays_within_ten_percent() {
        let i = Duration::from_secs(60);
        assert_eq!(jittered(i, 0.0), Duration::from_secs(54));
        assert_eq!(jittered(i, 0.5), Duration::from_secs(60));
        assert_eq!(jittered(i, 1.0), Duration::from_secs(66));
        assert_eq!(jittered(i, 7.0), Duration::from_secs(66));
    }

    fn view(name: &str, state: &str, open: usize, worst: Option<Impact>) -> ServiceView {
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
            worst_impact: worst,
        }
    }

    #[test]
    fn summary_lines() {
        use Impact::{Major, Minor};
        let table: Vec<(Vec<ServiceView>, bool, &str, &str)> = vec![
            (vec![], false, "No services watched", "unknown"),
            (
                vec![view("A", "unknown", 0, None), view("B", "unknown", 0, None)],
                false,
                "Checking…",
                "unknown",
            ),
            (
                vec![
                    view("A", "operational", 0, None),
                    view("B", "operational", 0, None),
                ],
                false,
                "All operational",
                "operational",
            ),
            (
                vec![
                    view("A", "unreachable", 0, None),
                    view("B", "stale", 0, None),
                ],
                false,
                "Not readable: A (unreachable), B (no data for a while)",
                "offline",
            ),
            (
                vec![
                    view("GitHub", "degraded", 1, Some(Minor)),
                    view("OpenAI", "major_outage", 1, Some(Major)),
                    view("C", "operational", 0, None),
                ],
                false,
                "2 incidents: OpenAI (major), GitHub (minor)",
                "major_outage",
            ),
            (
                vec![
                    view("A", "partial_outage", 0, None),
                    view("B", "changed_format", 0, None),
                ],
                false,
                "A (partial outage) · 1 not readable",
                "partial_outage",
            ),
            (
                vec![view("A", "operational", 0, None)],
                true,
                "Offline: no status page reachable",
                "operational",
            ),
        ];
        for (views, offline, summary, worst) in table {
            assert_eq!(summarize(&views, offline), summary);
            assert_eq!(overall(&views), worst, "{summary}");
        }
    }
}

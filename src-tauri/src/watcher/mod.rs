//! The watch loop: on each turn read the clock once, then poll what is due, apply commands,
//! and publish the overview. The rooms beside it each hold one step of that flow.

mod clock;
mod command;
mod config_file;
mod outbox;
mod overview;
mod pause;
#[cfg(test)]
mod paused;
mod probes;
mod reload;
mod remind;
mod round;
mod schedule;
mod settle;
mod webhooks;

pub use crate::decide::WatchEvent;

use crate::decide::Ctx;
pub use command::{Command, Pause};
pub use overview::{Health, Overall, Overview, ProbeView, ServiceView, StripPoint};
use pause::{deadline_of, pause_in_force};
pub use remind::{RemindError, Reminded};
pub use webhooks::WebhookView;

use crate::alerts;
use crate::config::{Config, ServiceConfig};
use crate::early::probe::{Prober, DEFAULT_PROBE_TIMEOUT};
use crate::early::witness::Origin;
use crate::fetch::{FetchLimits, Fetcher};
use crate::history::{History, HistoryError};
use crate::model::Kind;
use crate::notifier::Notifier;
use crate::read::Reader;
use crate::transitions::{self, ServiceState};
use chrono::{DateTime, Utc};
use outbox::Outbox;
use schedule::Schedule;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};

const RECENT_INCIDENTS: usize = 100;
/// How often the wall clock is compared with the monotonic one to notice a wake from sleep.
const CLOCK_CHECK: Duration = Duration::from_secs(5);
const SLEEP_TOLERANCE: Duration = Duration::from_secs(20);
/// How often the config file is looked at for a hand edit (a read and a hash of a small
/// file: cheaper than a file watcher's thread, and the same on every system).
const CONFIG_CHECK: Duration = Duration::from_secs(2);
/// How often announced transitions of stories that are over are pruned from the ledger, and
/// how old they must be.
const PRUNE_EVERY: Duration = Duration::from_secs(24 * 60 * 60);
const PRUNE_AFTER_DAYS: i64 = 30;
/// Finished webhook deliveries are kept this long, for the last error Settings shows.
const PRUNE_WEBHOOKS_AFTER_DAYS: i64 = 7;

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Fetch(#[from] crate::fetch::FetchError),
    #[error(transparent)]
    Probe(#[from] crate::early::probe::ProbeError),
    #[error(transparent)]
    Webhook(#[from] crate::webhooks::SendError),
}

/// What the shell or CLI holds to talk to a running watcher.
#[derive(Debug, Clone)]
pub struct WatcherHandle {
    pub commands: mpsc::Sender<Command>,
    pub overview: watch::Receiver<Overview>,
    pub events: broadcast::Sender<WatchEvent>,
}

/// The clock as read once at the top of a turn, and handed down: wall time, monotonic
/// time and the user's UTC offset (which a trip or a DST change moves).
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub wall: DateTime<Utc>,
    pub mono: Instant,
    pub offset: chrono::FixedOffset,
}

#[cfg(test)]
pub use clock::TestClock;
pub use clock::{Clock, SystemClock};

/// What a view is refreshed after.
#[derive(Debug, Clone, Copy)]
enum PageRead<'a> {
    Read(&'a crate::model::Snapshot),
    /// The page could not be read: its last words no longer hold.
    Failed,
    /// Something else changed (probes, a reload): the page's last words still hold.
    NotRead,
}

/// One watched service: its config, what we remember, its read cache, when it is due next
/// and how it is shown.
struct Watched {
    config: ServiceConfig,
    state: ServiceState,
    /// Taken while a read is in flight.
    reader: Option<Reader>,
    schedule: Schedule,
    view: ServiceView,
    /// When its probes are due next (`None`: now).
    next_probe_at: Option<Instant>,
    /// Its latest probe rounds, for the window's latency strip.
    strip: VecDeque<StripPoint>,
    /// When "tell me when it's back" was armed for it, if it is (the history keeps it too).
    reminder: Option<DateTime<Utc>>,
}

impl Watched {
    fn new(
        config: ServiceConfig,
        state: ServiceState,
        reminder: Option<DateTime<Utc>>,
        stale_after: chrono::Duration,
        now: DateTime<Utc>,
    ) -> Self {
        let mut view = overview::view_of(&config, &state, None, &[], stale_after, now);
        view.remind_armed_at = reminder;
        Watched {
            config,
            state,
            reader: Some(Reader::default()),
            schedule: Schedule::default(),
            view,
            next_probe_at: None,
            strip: VecDeque::new(),
            reminder,
        }
    }

    /// Shows its current state after `page`.
    fn refresh_view(
        &mut self,
        page: PageRead<'_>,
        stale_after: chrono::Duration,
        now: DateTime<Utc>,
    ) {
        let snapshot = match page {
            PageRead::Read(s) => Some(s),
            PageRead::Failed | PageRead::NotRead => None,
        };
        let previous = std::mem::replace(
            &mut self.view,
            overview::view_of(
                &self.config,
                &self.state,
                snapshot,
                self.strip.make_contiguous(),
                stale_after,
                now,
            ),
        );
        self.view.remind_armed_at = self.reminder;
        if matches!(page, PageRead::NotRead) {
            // Not in the state: they come from the last snapshot.
            self.view.description = previous.description;
            self.view.page_says = previous.page_says;
            self.view.format = previous.format;
        }
    }

    fn has_open_incident(&self) -> bool {
        self.state.open.values().any(|k| k.kind == Kind::Incident)
    }
}

pub struct Watcher {
    config: Config,
    /// The enabled services, in config order.
    services: Vec<Watched>,
    fetcher: Fetcher,
    prober: Prober,
    /// When each origin last gave an HTTP answer to a page read: witnesses that this
    /// machine's network works, for the early-warning rounds.
    page_answers: HashMap<Origin, Instant>,
    history: Arc<Mutex<History>>,
    outbox: Outbox,
    webhooks: webhooks::Webhooks,
    /// Why pop-ups are off for this run (no notification server), if they are.
    popups_off: Option<&'static str>,
    offline: bool,
    /// The last probe round reached nothing at all (its own offline, between page reads).
    probes_offline: bool,
    /// Probe failures are not counted before this: the machine just woke or its network
    /// just came back.
    settle_until: Option<Instant>,
    paused_until: Option<DateTime<Utc>>,
    /// The pause's end on the monotonic clock: a wall clock set back during a pause does
    /// not make it last longer than chosen.
    pause_deadline: Option<Instant>,
    notices: Vec<String>,
    /// The config file a person may edit by hand, and the fingerprint of what was last read
    /// from it: a change is reloaded within a clock check.
    config_file: Option<(std::path::PathBuf, Option<u64>)>,
    /// The config file's last hand edit cannot be read: the last good config stays in force
    /// and every overview says why until the file is fixed.
    config_trouble: Option<String>,
    /// The last save of a round failed (a full disk, a read-only folder): said in every
    /// overview until a save succeeds again.
    history_trouble: Option<String>,
    /// Jitter and delivery ids: one source, seeded once, so a test can fix it.
    rng: fastrand::Rng,
    /// Read once at the top of a turn (and by the background tasks when they finish).
    clock: Arc<dyn Clock>,
    overview: watch::Sender<Overview>,
    events: broadcast::Sender<WatchEvent>,
    commands: mpsc::Receiver<Command>,
}

/// What a decision this turn may know: built from the config's fields alone (and the
/// service's armed reminder), so the watcher's random source can be lent beside it.
fn ctx(
    config: &Config,
    delivery: alerts::Delivery,
    now: Now,
    reminder: Option<DateTime<Utc>>,
) -> Ctx<'_> {
    Ctx {
        now: now.wall,
        offset: now.offset,
        catalog: crate::i18n::current(),
        delivery,
        webhooks: &config.webhooks,
        reminder,
    }
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
        Watcher::with_clock(config, history, notifier, Arc::new(SystemClock))
    }

    /// As [`Watcher::new`], reading the time from `clock`.
    pub fn with_clock(
        config: Config,
        history: History,
        notifier: Arc<dyn Notifier>,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, WatcherHandle), WatchError> {
        let limits = FetchLimits::from_env();
        let fetcher = Fetcher::new(limits.clone())?;
        let sender = crate::webhooks::Sender::new(&limits)?;
        let targets = config.webhooks.clone();
        let prober = Prober::new(&fetcher, DEFAULT_PROBE_TIMEOUT)?;
        let now = clock.now();
        let reminders = history.reminders()?;
        let mut services = Vec::new();
        for s in config.services.iter().filter(|s| s.enabled) {
            let state = history.load_state(&s.id)?;
            services.push(Watched::new(
                s.clone(),
                state,
                reminders.get(&s.id).copied(),
                config.notifications.stale_after,
                now.wall,
            ));
        }
        let paused_until = history.paused_until()?;
        let (overview_tx, overview_rx) = watch::channel(Overview::default());
        let (events_tx, _) = broadcast::channel(256);
        let (commands_tx, commands_rx) = mpsc::channel(8);
        let history = Arc::new(Mutex::new(history));
        let watcher = Watcher {
            config,
            services,
            fetcher,
            prober,
            page_answers: HashMap::new(),
            outbox: Outbox::new(
                notifier,
                Arc::clone(&history),
                events_tx.clone(),
                Arc::clone(&clock),
            ),
            webhooks: webhooks::Webhooks::new(
                sender,
                targets,
                Arc::clone(&history),
                events_tx.clone(),
                Arc::clone(&clock),
            ),
            popups_off: None,
            history,
            offline: false,
            probes_offline: false,
            settle_until: None,
            paused_until,
            pause_deadline: paused_until.map(|u| deadline_of(u, now)),
            notices: Vec::new(),
            history_trouble: None,
            config_file: None,
            config_trouble: None,
            rng: fastrand::Rng::new(),
            clock,
            overview: overview_tx,
            events: events_tx.clone(),
            commands: commands_rx,
        };
        let handle = WatcherHandle {
            commands: commands_tx,
            overview: overview_rx,
            events: events_tx,
        };
        // The tray and window can show the services before the first poll.
        watcher.publish(now, None);
        Ok((watcher, handle))
    }

    /// Shows `text` with every overview (the window's banner) until the app stops.
    pub fn add_notice(&mut self, text: String) {
        self.notices.push(text);
        self.publish(self.clock.now(), None);
    }

    /// Turns desktop pop-ups off for this run (webhooks go on): what they announce is
    /// recorded as dropped for `reason`, so nothing retries a notification server that is
    /// not there.
    pub fn turn_off_popups(&mut self, reason: &'static str) {
        self.popups_off = Some(reason);
    }

    /// Polls on the configured interval until `shutdown` completes.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let start = self.clock.now();
        self.replay_outbox(start.wall);
        self.webhooks.start(start.wall);
        self.prune_ledger(start.wall);
        let mut interval = self.config.poll_interval;
        let mut ticker = tokio::time::interval(interval);
        // After a stall, poll once, not a burst of catch-up polls.
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut clock = tokio::time::interval(CLOCK_CHECK);
        clock.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut config_check = tokio::time::interval(CONFIG_CHECK);
        config_check.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut prune = tokio::time::interval_at(start.mono + PRUNE_EVERY, PRUNE_EVERY);
        let probe_timer = tokio::time::sleep_until(self.next_probe_due(start.mono));
        tokio::pin!(probe_timer);
        let webhook_timer = tokio::time::sleep_until(start.mono);
        tokio::pin!(webhook_timer);
        // Quiet hours end on their own time, not at the next poll.
        let held_timer = tokio::time::sleep_until(self.next_held_due(start));
        tokio::pin!(held_timer);
        let mut last_clock = start;
        loop {
            // The clock is read once here, for what this turn's wait ends in; a poll reads
            // it again after its pages came back.
            let turn = self.clock.now();
            // Whatever the last turn did (a poll queued deliveries, an attempt ended, a
            // retry came due), the queue is looked at again.
            self.webhooks.dispatch(turn.wall, &mut self.rng);
            webhook_timer
                .as_mut()
                .reset(turn.mono + self.webhooks.wait(turn.wall));
            // `Some(forced)`: poll; forced (asked for, or just woke) reads every page.
            let poll = tokio::select! {
                _ = &mut shutdown => break,
                _ = ticker.tick() => Some(false),
                _ = clock.tick() => {
                    let now = self.clock.now();
                    let wall = (now.wall - last_clock.wall).max(chrono::Duration::zero());
                    let woke = transitions::woke_from_sleep(wall, now.mono - last_clock.mono, SLEEP_TOLERANCE);
                    last_clock = now;
                    if woke {
                        tracing::info!("woke from sleep: checking now");
                        self.network_changed(now.mono, "woke from sleep");
                    }
                    // A pause over by the monotonic clock is over for good (and stored so).
                    if self.paused_until.is_some()
                        && pause_in_force(self.paused_until, self.pause_deadline, now).is_none()
                    {
                        self.set_pause(Pause::Resume, now);
                    }
                    woke.then_some(true)
                }
                _ = config_check.tick() => self.check_config_file(self.clock.now()).then_some(true),
                _ = prune.tick() => {
                    self.prune_ledger(self.clock.wall());
                    None
                }
                _ = &mut probe_timer => {
                    self.probe_round(self.clock.now()).await;
                    None
                }
                cmd = self.commands.recv() => match cmd {
                    None => break,
                    Some(cmd) => self.command(cmd, self.clock.now()),
                },
                _ = self.outbox.finished() => None,
                _ = &mut webhook_timer => None,
                _ = &mut held_timer => {
                    self.replay_outbox(self.clock.wall());
                    None
                }
                _ = self.webhooks.finished() => {
                    self.publish(self.clock.now(), None);
                    None
                }
            };
            let after = self.clock.now();
            // Probes of a service just added (or re-read) are due at once.
            probe_timer.as_mut().reset(self.next_probe_due(after.mono));
            held_timer.as_mut().reset(self.next_held_due(after));
            let Some(forced) = poll else { continue };
            let now = after;
            if self.config.poll_interval != interval {
                interval = self.config.poll_interval;
                // The next tick is set after the poll below; the period is the fallback.
                ticker = tokio::time::interval_at(now.mono + interval, interval);
                ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
            }
            self.poll_round(forced, now).await;
            self.replay_outbox(now.wall);
            let any_open = self.services.iter().any(Watched::has_open_incident);
            ticker.reset_after(schedule::next_round(
                interval,
                self.offline,
                any_open,
                self.rng.f64(),
            ));
        }
        self.outbox.drain().await;
        self.webhooks.drain().await;
        tracing::info!("watcher stopped");
    }

    /// When pop-ups held by quiet hours are due. Looked at again within the hour whatever
    /// it says, so a wall clock that jumps (a sleep, a manual change) is caught up with.
    fn next_held_due(&self, now: Now) -> Instant {
        const RECHECK: Duration = Duration::from_secs(3600);
        let wait = match lock(&self.history).next_held_until(now.wall) {
            Ok(Some(at)) => (at - now.wall)
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(RECHECK),
            Ok(None) => RECHECK,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the held pop-ups");
                RECHECK
            }
        };
        now.mono + wait
    }

    fn replay_outbox(&mut self, now: DateTime<Utc>) {
        let services = &self.services;
        self.outbox.replay(now, |id| {
            services
                .iter()
                .find(|w| w.config.id.as_str() == id)
                .map(|w| w.config.name.clone())
        });
    }

    /// Forgets ledger rows of stories that are over (see [`History::prune_ledger`]).
    fn prune_ledger(&mut self, now: DateTime<Utc>) {
        let before = now - chrono::Duration::days(PRUNE_AFTER_DAYS);
        let mut history = lock(&self.history);
        let mut removed = 0;
        for w in &self.services {
            match history.prune_ledger(&w.config.id, &alerts::live_stories(&w.state), before) {
                Ok(n) => removed += n,
                Err(e) => {
                    tracing::warn!(service = %w.config.name, error = %e, "cannot prune the ledger")
                }
            }
        }
        if removed > 0 {
            tracing::info!(removed, "pruned announced transitions of past stories");
        }
        match history.prune_webhooks(now - chrono::Duration::days(PRUNE_WEBHOOKS_AFTER_DAYS)) {
            Ok(0) => {}
            Ok(n) => tracing::info!(removed = n, "pruned finished webhook deliveries"),
            Err(e) => tracing::warn!(error = %e, "cannot prune webhook deliveries"),
        }
        // Every configured service counts as watched, enabled or not: disabling one keeps
        // its history.
        let watched: Vec<crate::model::ServiceId> =
            self.config.services.iter().map(|s| s.id.clone()).collect();
        match history.prune_history(&watched, now) {
            Ok(p) if p == Default::default() => {}
            Ok(p) => tracing::info!(
                incidents = p.incidents,
                updates = p.updates,
                suspicions = p.suspicions,
                services = p.services,
                "pruned stories long over and services no longer watched"
            ),
            Err(e) => tracing::warn!(error = %e, "cannot prune the history"),
        }
    }

    fn publish(&self, now: Now, checked_at: Option<DateTime<Utc>>) {
        let incidents = lock(&self.history)
            .recent_incidents(RECENT_INCIDENTS)
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "cannot read recent incidents");
                Vec::new()
            });
        let views: Vec<ServiceView> = self.services.iter().map(|w| w.view.clone()).collect();
        let checked_at = checked_at.or(self.overview.borrow().checked_at);
        let paused_until = pause_in_force(self.paused_until, self.pause_deadline, now);
        let mut summary = overview::summarize(&views, self.offline);
        if let Some(until) = paused_until {
            let cat = crate::i18n::current();
            let local = until.with_timezone(&now.offset).naive_local();
            summary = cat.t(
                "summary-paused",
                &[
                    ("until", cat.weekday_time(local).into()),
                    ("summary", summary.into()),
                ],
            );
        }
        if self.history_trouble.is_some() {
            // The tray's line and tooltip say it too: the window may never be opened.
            let cat = crate::i18n::current();
            summary = cat.t("summary-history-unwritable", &[("summary", summary.into())]);
        }
        let mut notices = self.notices.clone();
        notices.extend(self.config_trouble.clone());
        if let Some(error) = &self.history_trouble {
            let cat = crate::i18n::current();
            notices.push(cat.t("notice-history-unwritable", &[("error", error.into())]));
        }
        let overview = Overview {
            lang: crate::i18n::current_lang(),
            summary,
            notices,
            overall: overview::overall(&views, self.offline),
            offline: self.offline,
            paused_until,
            services: views,
            incidents,
            checked_at,
            webhooks: self.webhooks.views(),
        };
        self.overview.send_replace(overview);
    }
}

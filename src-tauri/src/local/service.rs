//! What the engine answers over the local channel: the window's commands, validated and run on the engine's side.

use super::choices::Choices;
use super::protocol::{IpcError, Request};
use super::shell::Shell;
use crate::config::{self, CatalogEntry, Config, Settings};
use crate::fetch::{FetchLimits, Fetcher};
use crate::history::{History, IncidentFilter, IncidentRow, Timeline};
use crate::i18n;
use crate::i18n::Describe as _;
use crate::model::ServiceId;
use crate::platform::LoginItem;
use crate::read::detect;
use crate::reliability::Reliability;
use crate::watcher::{Command, Overview, RemindError, Reminded, WatcherHandle};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use tokio::sync::{broadcast, mpsc, watch};

/// Longest text accepted for a search or an id.
const MAX_TEXT: usize = 512;
const MAX_LISTED: usize = 200;

/// The engine as its local clients see it: the watcher's handle, a read connection of its
/// own to the history (WAL lets it read while the watcher writes, so a long query never
/// stalls a poll) and the config as last saved.
pub struct Service {
    /// Only the watcher's command and overview ends: holding its event sender would keep
    /// event listeners (`watch --json`'s printer) from ever seeing the end.
    commands: mpsc::Sender<Command>,
    overview: watch::Receiver<Overview>,
    history: Mutex<History>,
    config: Mutex<Config>,
    /// Where Settings are saved: `--config`, else the platform default.
    config_path: Option<PathBuf>,
    /// The file at `config_path` could not be parsed at start: set it aside before saving.
    config_broken: Mutex<bool>,
    login: OnceLock<Box<dyn LoginItem>>,
    focus: broadcast::Sender<()>,
    shell: Mutex<Shell>,
    /// Opens the window; only the tray app has one.
    window: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

/// One watched service's record.
#[derive(Debug, Serialize)]
pub struct ServiceReliability {
    pub service_id: String,
    pub name: String,
    pub reliability: Reliability,
}

/// The Settings view's data.
#[derive(Debug, Serialize)]
pub struct SettingsView {
    pub settings: Settings,
    /// Where they are saved.
    pub path: Option<String>,
    pub launch_at_login: bool,
}

/// What the window renders with: the words of the language in force, and the values its
/// lists offer (so the page hard-codes none of the engine's names).
#[derive(Debug, Serialize)]
pub struct WindowWords {
    #[serde(flatten)]
    pub words: i18n::WindowMessages,
    pub choices: Choices,
}

/// What arming or cancelling a reminder did, for which service.
#[derive(Debug, Serialize)]
pub struct ReminderView {
    pub service_id: String,
    pub name: String,
    #[serde(flatten)]
    pub reminded: Reminded,
}

/// What pasting a URL in Settings shows before saving.
#[derive(Debug, Serialize)]
pub struct DetectedView {
    pub format: String,
    pub format_label: String,
    pub endpoint: String,
    pub endpoint_override: Option<String>,
    /// The page URL to save (normalized).
    pub url: String,
    pub name: String,
    pub status: String,
    pub components: Vec<String>,
    pub open_incidents: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn storage(e: impl std::fmt::Display) -> IpcError {
    tracing::error!(error = %e, "history read failed");
    IpcError::Storage(e.to_string())
}

/// Words for the window, in the language in force.
fn say(id: &str, args: &[(&str, i18n::Arg<'_>)]) -> String {
    i18n::current().t(id, args)
}

/// `what` is the id of the field's name (`error-field-url`).
fn bounded(what: &str, text: &str) -> Result<(), IpcError> {
    if text.is_empty() || text.len() > MAX_TEXT {
        return Err(IpcError::Invalid(say(
            "error-text-length",
            &[("what", say(what, &[]).into()), ("max", MAX_TEXT.into())],
        )));
    }
    Ok(())
}

fn watcher_stopped() -> IpcError {
    IpcError::Unavailable(say("error-watcher-stopped", &[]))
}

/// A request's arguments as the window wrote them, read into their type here: the window
/// process forwards them untouched (a webhook's new URL and secret are never serialized by
/// the engine, so they must not go through its types on the way).
fn read_args<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, IpcError> {
    serde_json::from_value(value).map_err(|e| IpcError::Invalid(e.to_string()))
}

fn json(value: impl Serialize) -> Result<serde_json::Value, IpcError> {
    serde_json::to_value(value)
        .map_err(|e| IpcError::Unavailable(say("error-encode", &[("error", e.to_string().into())])))
}

impl Service {
    pub fn new(
        watcher: WatcherHandle,
        history: History,
        config: Config,
        config_path: Option<PathBuf>,
        config_broken: bool,
    ) -> Self {
        Service {
            commands: watcher.commands,
            overview: watcher.overview,
            history: Mutex::new(history),
            config: Mutex::new(config),
            config_path,
            config_broken: Mutex::new(config_broken),
            login: OnceLock::new(),
            focus: broadcast::channel(4).0,
            shell: Mutex::new(Shell::default()),
            window: OnceLock::new(),
        }
    }

    /// Lets `OpenWindow` open the tray app's window.
    pub fn set_window_opener(&self, open: Box<dyn Fn() + Send + Sync>) {
        if self.window.set(open).is_err() {
            tracing::warn!("the window opener was set twice");
        }
    }

    /// Keeps the shell's one-time notes in `data_dir` (the tray app's; a headless engine
    /// has none).
    pub fn load_shell_notes(&self, data_dir: &std::path::Path) {
        *lock(&self.shell) = Shell::load(data_dir);
    }

    /// What the tray host watch found.
    pub fn set_tray(&self, present: bool) {
        lock(&self.shell).tray = Some(present);
    }

    pub fn tray(&self) -> Option<bool> {
        lock(&self.shell).tray
    }

    /// Whether to tell the user, now that the window closed with no tray, that the app keeps
    /// running: true once, ever (remembered in the notes).
    pub fn take_still_running_note(&self) -> bool {
        let mut shell = lock(&self.shell);
        if shell.notes.told_still_running {
            return false;
        }
        shell.update(|n| n.told_still_running = true);
        true
    }

    /// Lets `get_settings` and `set_launch_at_login` reach the login item (the tray's).
    pub fn set_login_item(&self, login: Box<dyn LoginItem>) {
        if self.login.set(login).is_err() {
            tracing::warn!("the login item was set twice");
        }
    }

    /// Asks an open window to come forward; false when no window listens.
    pub fn focus_window(&self) -> bool {
        self.focus.send(()).is_ok()
    }

    pub fn overview(&self) -> Overview {
        self.overview.borrow().clone()
    }

    /// The overview as it changes, and the focus requests: what a subscription sends.
    pub fn subscribe(&self) -> (watch::Receiver<Overview>, broadcast::Receiver<()>) {
        (self.overview.clone(), self.focus.subscribe())
    }

    /// Runs one request; history queries run off the async threads.
    pub async fn handle(self: &Arc<Self>, request: Request) -> Result<serde_json::Value, IpcError> {
        match request {
            Request::GetOverview => json(self.overview()),
            Request::CheckNow => self.check_now().await.map(|()| serde_json::Value::Null),
            Request::ListIncidents { filter } => {
                self.blocking(move |s| s.list_incidents(&filter).and_then(json))
                    .await
            }
            Request::GetTimeline {
                service_id,
                incident_id,
            } => {
                self.blocking(move |s| s.timeline(&service_id, &incident_id).and_then(json))
                    .await
            }
            Request::GetReliability => self.blocking(|s| s.reliability().and_then(json)).await,
            Request::GetSettings => json(self.settings_view()),
            Request::SaveSettings { settings } => {
                json(self.save_settings(read_args(settings)?).await?)
            }
            Request::SendTestWebhook { webhook } => {
                json(self.send_test_webhook(read_args(webhook)?).await?)
            }
            Request::GetMessages => json(WindowWords {
                words: i18n::for_window(),
                choices: Choices::new(),
            }),
            Request::DetectUrl { url } => json(detect_url(&url).await?),
            Request::GetCatalog => json(config::catalog()),
            Request::SetLaunchAtLogin { enabled } => json(self.set_launch_at_login(enabled)?),
            Request::GetShell => json(lock(&self.shell).view()),
            Request::DismissNoTray => {
                lock(&self.shell).update(|n| n.no_tray_dismissed = true);
                Ok(serde_json::Value::Null)
            }
            Request::Remind { service_id } => json(self.remind(&service_id, true).await?),
            Request::CancelReminder { service_id } => json(self.remind(&service_id, false).await?),
            Request::OpenWindow => match self.window.get() {
                Some(open) => {
                    open();
                    Ok(serde_json::Value::Null)
                }
                None => Err(IpcError::Unavailable(say("error-headless-no-window", &[]))),
            },
            Request::Subscribe => Err(IpcError::Invalid(say("error-subscribe-reply", &[]))),
        }
    }

    async fn blocking(
        self: &Arc<Self>,
        work: impl FnOnce(&Service) -> Result<serde_json::Value, IpcError> + Send + 'static,
    ) -> Result<serde_json::Value, IpcError> {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || work(&me))
            .await
            .map_err(|e| {
                IpcError::Unavailable(say(
                    "error-query-failed",
                    &[("error", e.to_string().into())],
                ))
            })?
    }

    pub async fn check_now(&self) -> Result<(), IpcError> {
        self.commands
            .send(Command::CheckNow)
            .await
            .map_err(|_| watcher_stopped())
    }

    /// Arms (`arm`) or cancels "tell me when it's back" for the watched service whose id or
    /// name is `wanted` (any case), as the watcher saved it.
    pub async fn remind(&self, wanted: &str, arm: bool) -> Result<ReminderView, IpcError> {
        bounded("error-field-service-id", wanted)?;
        let services = self.overview().services;
        let wanted = wanted.trim();
        let Some(found) = services
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(wanted) || s.name.eq_ignore_ascii_case(wanted))
        else {
            let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
            return Err(IpcError::NotFound(say(
                "error-remind-unknown",
                &[
                    ("service", wanted.into()),
                    ("names", names.join(", ").into()),
                ],
            )));
        };
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.commands
            .send(Command::Remind {
                service: ServiceId::from_name(&found.id),
                arm,
                reply: Some(reply),
            })
            .await
            .map_err(|_| watcher_stopped())?;
        let name = found.name.clone();
        let reminded = answer.await.map_err(|_| watcher_stopped())?.map_err(|e| {
            let service = name.as_str().into();
            match e {
                RemindError::NotDown(_) => {
                    IpcError::Invalid(say("error-remind-not-down", &[("service", service)]))
                }
                RemindError::UnknownService(_) => {
                    IpcError::NotFound(say("error-remind-gone", &[("service", service)]))
                }
                RemindError::Storage(error) => {
                    IpcError::Storage(say("error-remind-storage", &[("error", error.into())]))
                }
            }
        })?;
        Ok(ReminderView {
            service_id: found.id.clone(),
            name,
            reminded,
        })
    }

    pub fn list_incidents(&self, filter: &IncidentFilter) -> Result<Vec<IncidentRow>, IpcError> {
        if let Some(t) = &filter.text {
            if t.len() > MAX_TEXT {
                return Err(IpcError::Invalid(say("error-search-too-long", &[])));
            }
        }
        lock(&self.history)
            .search_incidents(filter, MAX_LISTED)
            .map_err(storage)
    }

    pub fn timeline(&self, service_id: &str, incident_id: &str) -> Result<Timeline, IpcError> {
        bounded("error-field-service-id", service_id)?;
        bounded("error-field-incident-id", incident_id)?;
        let service = ServiceId::from_name(service_id);
        lock(&self.history)
            .timeline(&service, incident_id)
            .map_err(storage)?
            .ok_or_else(|| {
                IpcError::NotFound(say(
                    "error-no-incident",
                    &[
                        ("incident", incident_id.into()),
                        ("service", service_id.into()),
                    ],
                ))
            })
    }

    pub fn reliability(&self) -> Result<Vec<ServiceReliability>, IpcError> {
        let services = lock(&self.config).services.clone();
        let history = lock(&self.history);
        let now = chrono::Utc::now();
        services
            .iter()
            .filter(|s| s.enabled)
            .map(|s| {
                Ok(ServiceReliability {
                    service_id: s.id.to_string(),
                    name: s.name.clone(),
                    reliability: history.reliability(&s.id, now).map_err(storage)?,
                })
            })
            .collect()
    }

    /// The settings as the config file holds them now (a hand edit included), with the
    /// file's revision; the last good ones while the file cannot be read.
    pub fn settings_view(&self) -> SettingsView {
        let mut revision = String::new();
        if let Some(path) = self.config_path.as_deref().filter(|p| p.exists()) {
            match Config::load(Some(path)) {
                Ok(c) => {
                    *lock(&self.config) = c;
                    *lock(&self.config_broken) = false;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "the config file cannot be read; Settings show the last good one");
                    *lock(&self.config_broken) = true;
                }
            }
            revision = config::revision(path);
        }
        let mut settings = lock(&self.config).settings();
        settings.revision = revision;
        SettingsView {
            settings,
            path: self.config_path.as_ref().map(|p| p.display().to_string()),
            launch_at_login: self.login.get().is_some_and(|l| l.is_enabled()),
        }
    }

    /// Validates and saves the settings, then hands them to the running watcher.
    pub async fn save_settings(&self, mut settings: Settings) -> Result<SettingsView, IpcError> {
        let Some(path) = self.config_path.clone() else {
            return Err(IpcError::Unavailable(say("error-no-config-location", &[])));
        };
        if *lock(&self.config_broken) && path.exists() {
            // The unreadable file is kept aside, not lost; what the window shows (the last
            // good settings) becomes the file.
            settings.revision.clear();
            let aside = config::set_aside(&path)
                .map_err(|e| IpcError::Unavailable(e.message(i18n::current())))?;
            tracing::warn!(kept_as = %aside.display(), "the unreadable config was set aside");
            *lock(&self.config_broken) = false;
        }
        let config = config::save_settings(&settings, &path).map_err(|e| {
            tracing::warn!(error = %e, "settings not saved");
            let message = e.message(i18n::current());
            match e {
                config::ConfigError::Write { .. } => IpcError::Unavailable(message),
                _ => IpcError::Invalid(message),
            }
        })?;
        tracing::info!(path = %path.display(), services = config.services.len(), "settings saved");
        *lock(&self.config) = config.clone();
        self.commands
            .send(Command::Reload(Box::new(config)))
            .await
            .map_err(|_| watcher_stopped())?;
        Ok(self.settings_view())
    }

    /// Settings' **Send test**: the engine sends the sample and says how it went.
    pub async fn send_test_webhook(
        &self,
        webhook: config::WebhookSettings,
    ) -> Result<super::sample::TestReport, IpcError> {
        let config = lock(&self.config).clone();
        super::sample::send_test_from_settings(&config, &webhook)
            .await
            .map_err(|e| match e {
                super::sample::TestError::Target(e) => IpcError::Invalid(e.to_string()),
                super::sample::TestError::Send(e) => IpcError::Unavailable(e.to_string()),
            })
    }

    pub fn set_launch_at_login(&self, enabled: bool) -> Result<bool, IpcError> {
        let Some(login) = self.login.get() else {
            return Err(IpcError::Unavailable(say("error-headless-login-item", &[])));
        };
        login.set_enabled(enabled).map_err(|e| {
            IpcError::Unavailable(say(
                "error-launch-at-login",
                &[("error", e.to_string().into())],
            ))
        })
    }
}

/// Reads a pasted page once and says what it is.
pub async fn detect_url(url: &str) -> Result<DetectedView, IpcError> {
    bounded("error-field-url", url)?;
    let parsed = crate::fetch::validate_url(url.trim())
        .map_err(|e| IpcError::Invalid(e.message(i18n::current())))?;
    let page = parsed.as_str().trim_end_matches('/').to_owned();
    let fetcher = Fetcher::new(FetchLimits::default())
        .map_err(|e| IpcError::Unavailable(e.message(i18n::current())))?;
    let found = detect::detect(&fetcher, &page).await.map_err(|e| {
        tracing::info!(error = %e, "detection failed");
        IpcError::NotFound(e.message(i18n::current()))
    })?;
    let name = found.catalog_name.clone().unwrap_or_else(|| {
        parsed
            .host_str()
            .map_or_else(|| say("settings-unnamed-service", &[]), str::to_owned)
    });
    Ok(DetectedView {
        format: found.format.as_str().to_owned(),
        format_label: found.format.label().to_owned(),
        endpoint: found.endpoint,
        endpoint_override: found.endpoint_override,
        url: page,
        name,
        status: found.snapshot.status.as_str().to_owned(),
        components: found
            .snapshot
            .components
            .iter()
            .map(|c| c.name.clone())
            .collect(),
        open_incidents: found.snapshot.open_incidents().count(),
    })
}

/// The catalog, as the Settings view lists it.
pub fn catalog() -> Vec<CatalogEntry> {
    config::catalog()
}

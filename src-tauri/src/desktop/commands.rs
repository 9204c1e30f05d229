//! IPC commands: validate input, call the engine, map errors to `{kind, message}`.

use crate::config::{self, CatalogEntry, Config, Settings};
use crate::fetch::{FetchLimits, Fetcher};
use crate::history::{History, IncidentFilter, IncidentRow, Timeline};
use crate::i18n;
use crate::model::ServiceId;
use crate::read::detect;
use crate::reliability::Reliability;
use crate::watcher::{Command, Overview, WatcherHandle};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt as _;

/// Longest text accepted from the window for a search or an id.
const MAX_TEXT: usize = 512;
const MAX_LISTED: usize = 200;

/// What the window receives when a command fails.
#[derive(Debug, thiserror::Error, Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum IpcError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Storage(String),
}

/// The shell's own read connection to the history (WAL lets it read while the watcher
/// writes) and the config as last saved.
pub struct Store {
    pub history: Mutex<History>,
    pub config: Mutex<Config>,
    /// Where Settings are saved: `--config`, else the platform default.
    pub config_path: Option<PathBuf>,
    /// The file at `config_path` could not be parsed at start: set it aside before saving.
    pub config_broken: Mutex<bool>,
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

#[tauri::command]
pub fn get_overview(watcher: State<'_, WatcherHandle>) -> Overview {
    watcher.overview.borrow().clone()
}

#[tauri::command]
pub async fn check_now(watcher: State<'_, WatcherHandle>) -> Result<(), IpcError> {
    watcher
        .commands
        .send(Command::CheckNow)
        .await
        .map_err(|_| watcher_stopped())
}

/// Opens an incident link in the system browser; only http(s), checked here again.
#[tauri::command]
pub fn open_url(url: String) -> Result<(), IpcError> {
    let parsed = url::Url::parse(&url).map_err(|e| {
        IpcError::Invalid(say("error-not-a-url", &[("error", e.to_string().into())]))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(IpcError::Invalid(say(
            "error-refused-scheme",
            &[("scheme", parsed.scheme().into())],
        )));
    }
    if crate::notifier::open_in_browser(parsed.as_str()) {
        Ok(())
    } else {
        Err(IpcError::Unavailable(say("error-no-browser", &[])))
    }
}

#[tauri::command]
pub fn list_incidents(
    filter: IncidentFilter,
    store: State<'_, Store>,
) -> Result<Vec<IncidentRow>, IpcError> {
    if let Some(t) = &filter.text {
        if t.len() > MAX_TEXT {
            return Err(IpcError::Invalid(say("error-search-too-long", &[])));
        }
    }
    if let Some(s) = &filter.state {
        if !matches!(s.as_str(), "open" | "resolved") {
            return Err(IpcError::Invalid(say(
                "error-unknown-state-filter",
                &[("state", format!("{s:?}").into())],
            )));
        }
    }
    lock(&store.history)
        .search_incidents(&filter, MAX_LISTED)
        .map_err(storage)
}

#[tauri::command]
pub fn get_timeline(
    service_id: String,
    incident_id: String,
    store: State<'_, Store>,
) -> Result<Timeline, IpcError> {
    bounded("error-field-service-id", &service_id)?;
    bounded("error-field-incident-id", &incident_id)?;
    let service = ServiceId::from_name(&service_id);
    lock(&store.history)
        .timeline(&service, &incident_id)
        .map_err(storage)?
        .ok_or_else(|| {
            IpcError::NotFound(say(
                "error-no-incident",
                &[
                    ("incident", incident_id.as_str().into()),
                    ("service", service_id.as_str().into()),
                ],
            ))
        })
}

/// One watched service's record.
#[derive(Debug, Serialize)]
pub struct ServiceReliability {
    pub service_id: String,
    pub name: String,
    pub reliability: Reliability,
}

#[tauri::command]
pub fn get_reliability(store: State<'_, Store>) -> Result<Vec<ServiceReliability>, IpcError> {
    let services = lock(&store.config).services.clone();
    let history = lock(&store.history);
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

/// The Settings view's data.
#[derive(Debug, Serialize)]
pub struct SettingsView {
    pub settings: Settings,
    /// Where they are saved.
    pub path: Option<String>,
    pub launch_at_login: bool,
}

fn settings_view(app: &AppHandle, store: &Store) -> SettingsView {
    SettingsView {
        settings: lock(&store.config).settings(),
        path: store.config_path.as_ref().map(|p| p.display().to_string()),
        launch_at_login: app.autolaunch().is_enabled().unwrap_or(false),
    }
}

#[tauri::command]
pub fn get_settings(app: AppHandle, store: State<'_, Store>) -> SettingsView {
    settings_view(&app, &store)
}

/// Validates and saves the settings, then hands them to the running watcher.
#[tauri::command]
pub async fn save_settings(
    settings: Settings,
    app: AppHandle,
    store: State<'_, Store>,
    watcher: State<'_, WatcherHandle>,
) -> Result<SettingsView, IpcError> {
    let Some(path) = store.config_path.clone() else {
        return Err(IpcError::Unavailable(say("error-no-config-location", &[])));
    };
    if *lock(&store.config_broken) && path.exists() {
        let aside = config::set_aside(&path)
            .map_err(|e| IpcError::Unavailable(e.message(i18n::current())))?;
        tracing::warn!(kept_as = %aside.display(), "the unreadable config was set aside");
        *lock(&store.config_broken) = false;
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
    *lock(&store.config) = config.clone();
    watcher
        .commands
        .send(Command::Reload(Box::new(config)))
        .await
        .map_err(|_| watcher_stopped())?;
    Ok(settings_view(&app, &store))
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

#[tauri::command]
pub async fn detect_url(url: String) -> Result<DetectedView, IpcError> {
    bounded("error-field-url", &url)?;
    let parsed = crate::fetch::validate_url(url.trim())
        .map_err(|e| IpcError::Invalid(e.message(i18n::current())))?;
    let page = parsed.as_str().trim_end_matches('/').to_owned();
    let fetcher = Fetcher::new(FetchLimits::default())
        .map_err(|e| IpcError::Unavailable(e.message(i18n::current())))?;
    let found = detect::detect(&fetcher, &page).await.map_err(|e| {
        tracing::info!(error = %e, "detection failed");
        IpcError::NotFound(e.message(i18n::current()))
    })?;
    let name = found
        .catalog_name
        .clone()
        .unwrap_or_else(|| parsed.host_str().unwrap_or("Service").to_owned());
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

#[tauri::command]
pub fn get_catalog() -> Vec<CatalogEntry> {
    config::catalog()
}

/// Settings' **Send test**: the engine sends the sample and says how it went.
#[tauri::command]
pub async fn send_test_webhook(
    webhook: config::WebhookSettings,
    store: State<'_, Store>,
) -> Result<crate::webhooks::sample::TestReport, IpcError> {
    let config = lock(&store.config).clone();
    crate::webhooks::sample::send_test_from_settings(&config, &webhook)
        .await
        .map_err(|e| match e {
            crate::webhooks::sample::TestError::Target(e) => IpcError::Invalid(e.to_string()),
            crate::webhooks::sample::TestError::Send(e) => IpcError::Unavailable(e.to_string()),
        })
}

#[tauri::command]
pub fn set_launch_at_login(enabled: bool, app: AppHandle) -> Result<bool, IpcError> {
    let launcher = app.autolaunch();
    let result = if enabled {
        launcher.enable()
    } else {
        launcher.disable()
    };
    result.map_err(|e| {
        IpcError::Unavailable(say(
            "error-launch-at-login",
            &[("error", e.to_string().into())],
        ))
    })?;
    super::tray::sync_autostart(&app);
    Ok(launcher.is_enabled().unwrap_or(enabled))
}

/// The words of the language in force, for the window to render.
#[tauri::command]
pub fn get_messages() -> crate::i18n::WindowMessages {
    crate::i18n::for_window()
}

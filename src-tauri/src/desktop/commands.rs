//! The window process's IPC commands: each forwards its request over the local socket to the engine, except opening a link.

use crate::history::IncidentFilter;
use crate::i18n;
use crate::local::client;
use crate::local::protocol::{IpcError, Request};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::State;

/// Where the engine listens, as the window process was told.
pub struct Link {
    pub socket: PathBuf,
    /// Open on the welcome view: said to the page once, by the first `get_shell`.
    pub welcome: AtomicBool,
}

impl Link {
    /// One connection per command: commands run concurrently (a slow `detect_url` never
    /// holds up the overview), and connecting to a local socket costs microseconds.
    async fn ask(&self, request: Request) -> Result<serde_json::Value, IpcError> {
        client::ask(&self.socket, "window", &request)
            .await
            .map_err(client::ClientError::into_ipc)
    }
}

type Answer = Result<serde_json::Value, IpcError>;

#[tauri::command]
pub async fn get_overview(link: State<'_, Link>) -> Answer {
    link.ask(Request::GetOverview).await
}

#[tauri::command]
pub async fn check_now(link: State<'_, Link>) -> Answer {
    link.ask(Request::CheckNow).await
}

/// Opens an incident link in the system browser; only http(s), checked here again. Done in
/// the window's own process: the browser is the user's session either way.
#[tauri::command]
pub fn open_url(url: String) -> Result<(), IpcError> {
    let say = |id: &str, args: &[(&str, i18n::Arg<'_>)]| i18n::current().t(id, args);
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
pub async fn list_incidents(filter: IncidentFilter, link: State<'_, Link>) -> Answer {
    link.ask(Request::ListIncidents { filter }).await
}

#[tauri::command]
pub async fn get_timeline(
    service_id: String,
    incident_id: String,
    link: State<'_, Link>,
) -> Answer {
    link.ask(Request::GetTimeline {
        service_id,
        incident_id,
    })
    .await
}

#[tauri::command]
pub async fn get_reliability(link: State<'_, Link>) -> Answer {
    link.ask(Request::GetReliability).await
}

#[tauri::command]
pub async fn get_settings(link: State<'_, Link>) -> Answer {
    link.ask(Request::GetSettings).await
}

/// `settings` goes to the engine as the page wrote it (a webhook's new URL and secret are
/// in it only on the way in), and is checked there.
#[tauri::command]
pub async fn save_settings(settings: serde_json::Value, link: State<'_, Link>) -> Answer {
    link.ask(Request::SaveSettings { settings }).await
}

/// Settings' **Send test**; the engine sends it.
#[tauri::command]
pub async fn send_test_webhook(webhook: serde_json::Value, link: State<'_, Link>) -> Answer {
    link.ask(Request::SendTestWebhook { webhook }).await
}

/// The words of the engine's language in force (Settings may switch it).
#[tauri::command]
pub async fn get_messages(link: State<'_, Link>) -> Answer {
    link.ask(Request::GetMessages).await
}

#[tauri::command]
pub async fn detect_url(url: String, link: State<'_, Link>) -> Answer {
    link.ask(Request::DetectUrl { url }).await
}

#[tauri::command]
pub async fn get_catalog(link: State<'_, Link>) -> Answer {
    link.ask(Request::GetCatalog).await
}

/// The login item belongs to the tray process, whose menu shows it too.
#[tauri::command]
pub async fn set_launch_at_login(enabled: bool, link: State<'_, Link>) -> Answer {
    link.ask(Request::SetLaunchAtLogin { enabled }).await
}

/// Whether there is a tray and the no-tray message is due (the engine's), and whether this
/// window opens on the welcome (its own, once).
#[tauri::command]
pub async fn get_shell(link: State<'_, Link>) -> Answer {
    let mut shell = link.ask(Request::GetShell).await?;
    if let Some(object) = shell.as_object_mut() {
        let welcome = link.welcome.swap(false, Ordering::SeqCst);
        object.insert("welcome".to_owned(), serde_json::Value::Bool(welcome));
    }
    Ok(shell)
}

#[tauri::command]
pub async fn dismiss_no_tray(link: State<'_, Link>) -> Answer {
    link.ask(Request::DismissNoTray).await
}

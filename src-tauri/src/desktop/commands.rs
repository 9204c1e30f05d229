//! IPC commands: validate input, call the engine, map errors to `{kind, message}`.

use crate::watcher::{Command, Overview, WatcherHandle};
use serde::Serialize;
use tauri::State;

/// What the window receives when a command fails.
#[derive(Debug, thiserror::Error, Serialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum IpcError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String),
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
        .map_err(|_| IpcError::Unavailable("the watcher has stopped".to_owned()))
}

/// Opens an incident link in the system browser; only http(s), checked here again.
#[tauri::command]
pub fn open_url(url: String) -> Result<(), IpcError> {
    let parsed = url::Url::parse(&url).map_err(|e| IpcError::Invalid(format!("not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(IpcError::Invalid(format!(
            "refusing to open a {} link",
            parsed.scheme()
        )));
    }
    if crate::notifier::open_in_browser(parsed.as_str()) {
        Ok(())
    } else {
        Err(IpcError::Unavailable(
            "cannot start the system browser".to_owned(),
        ))
    }
}

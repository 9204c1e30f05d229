//! The window process's two IPC commands: `engine` forwards a typed request over the local socket, `open_url` opens a link.

use outage_radar::i18n;
use outage_radar::local::client;
use outage_radar::local::protocol::{IpcError, Request};
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

/// Every question the page asks of the engine: one [`Request`], checked for being one the
/// window may send, forwarded untouched. `get_shell` learns here, once, whether this window
/// opens on the welcome view (the window process's own fact, not the engine's).
#[tauri::command]
pub async fn engine(request: Request, link: State<'_, Link>) -> Answer {
    if !request.window_may_send() {
        return Err(IpcError::Invalid(i18n::current().t(
            "error-not-for-window",
            &[("command", request.name().into())],
        )));
    }
    let shell = matches!(request, Request::GetShell);
    let mut answer = link.ask(request).await?;
    if shell {
        if let Some(object) = answer.as_object_mut() {
            let welcome = link.welcome.swap(false, Ordering::SeqCst);
            object.insert("welcome".to_owned(), serde_json::Value::Bool(welcome));
        }
    }
    Ok(answer)
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
    if outage_radar::notifier::open_in_browser(parsed.as_str()) {
        Ok(())
    } else {
        Err(IpcError::Unavailable(say("error-no-browser", &[])))
    }
}

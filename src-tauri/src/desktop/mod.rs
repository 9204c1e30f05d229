//! The Tauri shell in two processes: the tray process runs the engine, the tray and the local socket and never a webview; the window process shows the UI.
//!
//! The window lives in a process of its own so that closing it gives every page WebKit
//! paged in back to the system: a tray app runs for weeks, and a glance at its window must
//! not cost it memory for the rest of that time.

mod child;
mod commands;
pub mod ipc;
mod tray;
mod tray_host;
mod window;

use crate::engine::{self, EngineError};
use crate::history::{History, HistoryError};
use crate::local::client::ClientError;
use crate::local::service::Service;
use crate::local::{server, LocalError};
use crate::platform::login::Login;
use crate::platform::{LoginError, LoginItem};
use crate::watcher::WatcherHandle;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::Manager as _;
use tauri::{AppHandle, RunEvent};

/// How long quitting waits for notifications already handed to the daemon.
const STOP_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Local(#[from] LocalError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
}

/// The one context (config, assets, capabilities) both processes are built from.
fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// The window process: see [`window::run`].
pub fn run_window(socket: &Path, welcome: bool) -> Result<(), DesktopError> {
    window::run(socket, welcome)
}

/// How the tray app was asked to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// From the application menu or a terminal.
    Default,
    /// `--show`: with the window open.
    Show,
    /// `--background` (the login item): never a window.
    Background,
    /// `outage-radar demo`: the window open on Now, beside the user's own instance rather
    /// than handing over to it (its data dir, and so its socket, is a throw-away one).
    Demo,
}

/// Which window, if any, opens at start. A start that shows nothing must have an icon to
/// show instead; the first start ever says hello.
pub fn window_at_start(start: Start, first_run: bool, tray: bool) -> Option<child::Opening> {
    match start {
        Start::Background => None,
        // A demo's history is always new; the story is on Now, not in a welcome.
        Start::Demo => Some(child::Opening::Plain),
        _ if first_run => Some(child::Opening::Welcome),
        Start::Show => Some(child::Opening::Plain),
        Start::Default if !tray => Some(child::Opening::Plain),
        Start::Default => None,
    }
}

/// The login item as Settings sees it: the same one the tray's check item shows, which
/// follows every change.
struct TrayLogin(AppHandle);

impl LoginItem for TrayLogin {
    fn is_enabled(&self) -> bool {
        tray::launch_at_login(&self.0)
    }

    fn set_enabled(&self, enabled: bool) -> Result<bool, LoginError> {
        let login = self.0.try_state::<Login>().ok_or(LoginError::Unsupported)?;
        let now = login.set_enabled(enabled)?;
        tray::sync_autostart(&self.0);
        Ok(now)
    }
}

/// Starts the tray app; returns when the user quits.
pub fn run(options: &engine::Options, start: Start) -> Result<(), DesktopError> {
    // Bound before the engine opens the history: a second engine on the same data stops here,
    // and a second start from the menu opens the running app's window instead.
    let listener = match server::listen(options.data_dir.as_deref()) {
        Err(LocalError::AlreadyRunning(socket)) => return second_start(&socket, start),
        other => other?,
    };
    // No history yet: the very first start (the engine is about to create it).
    let first_run = options
        .data_dir
        .clone()
        .or_else(crate::config::default_data_dir)
        .is_some_and(|d| !d.join(crate::history::DB_FILE).exists());
    let tray = tauri::async_runtime::block_on(async {
        tokio::time::timeout(Duration::from_secs(3), tray_host::present())
            .await
            .unwrap_or(false)
    });
    if tray {
        tracing::info!("a system tray is there: the icon shows in it");
    } else {
        tracing::warn!(
            "no system tray (no StatusNotifierItem host, no XEmbed tray): the window is the app; \
             on GNOME the AppIndicator and KStatusNotifierItem Support extension adds one"
        );
    }
    let opening = window_at_start(start, first_run, tray);
    tracing::info!(?start, first_run, tray, window = ?opening, "starting");
    let started = engine::start(options)?;
    let service = Arc::new(Service::new(
        started.handle.clone(),
        History::open(&started.data_dir)?,
        started.config,
        started.config_path,
        started.config_error.is_some(),
    ));
    service.load_shell_notes(&started.data_dir);
    service.set_tray(tray);
    let socket = listener.as_ref().map(|l| l.path().to_path_buf());
    let (watcher, handle, data_dir) = (started.watcher, started.handle, started.data_dir);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop = Some(stop);
    let child_state = socket.map(|socket| child::WindowChild {
        socket,
        data_dir: options.data_dir.clone(),
        private_home: (start == Start::Demo).then(|| data_dir.join("window_home")),
        service: Arc::clone(&service),
        running: Arc::new(Mutex::new(false)),
    });

    let mut builder = tauri::Builder::default();
    if start != Start::Demo {
        // A second launch opens the window of the running instance instead of starting
        // another poller.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            child::open(app, child::Opening::Plain)
        }));
    }
    let mut builder = builder.manage(handle.clone());
    // Off until the user turns it on; the login item starts the app in the background, so it
    // never shows a window, not even at the first start after an update.
    match Login::new() {
        Ok(login) => builder = builder.manage(login),
        Err(e) => tracing::error!(error = %e, "no login item: Launch at login is off"),
    }
    if let Some(state) = child_state {
        builder = builder.manage(state);
    }
    let serving = Arc::clone(&service);
    let app = builder
        .setup(move |app| {
            // A tray app: no Dock icon on macOS.
            #[cfg(target_os = "macos")]
            app.set_activation_policy(tauri::ActivationPolicy::Accessory);
            serving.set_login_item(Box::new(TrayLogin(app.handle().clone())));
            let opener = app.handle().clone();
            serving.set_window_opener(Box::new(move || {
                child::open(&opener, child::Opening::Plain)
            }));
            tray::create_tray(app.handle(), &handle.overview.borrow(), &data_dir)?;
            tauri::async_runtime::spawn(forward_overview(app.handle().clone(), handle));
            let watched = Arc::clone(&serving);
            tauri::async_runtime::spawn(tray_host::watch(tray, move |now| {
                if now {
                    tracing::info!("a system tray appeared: the icon shows in it now");
                    tray_host::make_sure_registered();
                } else {
                    tracing::warn!(
                        "the system tray went away: open the window from the application menu"
                    );
                }
                watched.set_tray(now);
            }));
            // The window first: once the socket answers, a window due at start has been
            // started (its connection waits in the socket's backlog meanwhile).
            if let Some(opening) = opening {
                child::open(app.handle(), opening);
            }
            if let Some(listener) = listener {
                tauri::async_runtime::spawn(server::serve(listener, serving));
            }
            Ok(())
        })
        .build(context())?;
    let mut running = Some(tauri::async_runtime::spawn(watcher.run(async {
        let _ = stopped.await;
    })));

    app.run(move |_app, event| match event {
        // The tray process has no window; nothing but Quit ends it.
        RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        // Quitting: the watcher stops polling and lets pending notifications finish.
        RunEvent::Exit => {
            if let Some(stop) = stop.take() {
                let _ = stop.send(());
            }
            if let Some(task) = running.take() {
                let waited = tauri::async_runtime::block_on(async {
                    tokio::time::timeout(STOP_GRACE, task).await
                });
                if waited.is_err() {
                    tracing::warn!("the watcher did not stop in time");
                }
            }
        }
        _ => {}
    });
    Ok(())
}

/// The app already runs on this data: open its window (a start from the menu) or leave it
/// be (the login item), and end this process.
fn second_start(socket: &Path, start: Start) -> Result<(), DesktopError> {
    if start == Start::Background {
        tracing::info!("Outage Radar is already running");
        return Ok(());
    }
    let request = crate::local::protocol::Request::OpenWindow;
    tauri::async_runtime::block_on(crate::local::client::ask(socket, "second start", &request))?;
    tracing::info!("Outage Radar is already running: its window was asked to open");
    Ok(())
}

/// Shows every new overview in the tray (the window gets it over the socket).
async fn forward_overview(app: tauri::AppHandle, handle: WatcherHandle) {
    let mut overview = handle.overview;
    loop {
        let current = overview.borrow_and_update().clone();
        tray::update(&app, &current);
        if overview.changed().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::child::Opening::{Plain, Welcome};
    use super::*;

    #[test]
    fn a_start_never_shows_nothing_and_the_login_item_never_shows_a_window() {
        use Start::{Background, Default, Demo, Show};
        // (start, first run, tray) -> window
        let table = [
            (Default, false, true, None),
            (Default, false, false, Some(Plain)),
            (Default, true, true, Some(Welcome)),
            (Default, true, false, Some(Welcome)),
            (Show, false, true, Some(Plain)),
            (Show, true, true, Some(Welcome)),
            (Background, true, false, None),
            (Background, false, false, None),
            (Background, true, true, None),
            (Demo, true, true, Some(Plain)),
            (Demo, true, false, Some(Plain)),
        ];
        for (start, first, tray, want) in table {
            assert_eq!(
                window_at_start(start, first, tray),
                want,
                "{start:?} first={first} tray={tray}"
            );
        }
    }
}

//! The Tauri shell in two processes: the tray process runs the engine, the tray and the local socket and never a webview; the window process shows the UI.
//!
//! The window lives in a process of its own so that closing it gives every page WebKit
//! paged in back to the system: a tray app runs for weeks, and a glance at its window must
//! not cost it memory for the rest of that time.

mod child;
mod commands;
pub mod ipc;
mod tray;
mod window;

use crate::engine::{self, EngineError};
use crate::history::{History, HistoryError};
use crate::local::client::ClientError;
use crate::local::service::{LoginItem, Service};
use crate::local::{server, LocalError};
use crate::watcher::WatcherHandle;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, RunEvent};
use tauri_plugin_autostart::ManagerExt as _;

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
pub fn run_window(socket: &Path) -> Result<(), DesktopError> {
    window::run(socket)
}

/// The tray's login item, for the Settings view.
struct TrayLogin(AppHandle);

impl LoginItem for TrayLogin {
    fn is_enabled(&self) -> bool {
        self.0.autolaunch().is_enabled().unwrap_or(false)
    }

    fn set_enabled(&self, enabled: bool) -> Result<bool, String> {
        let launcher = self.0.autolaunch();
        let result = if enabled {
            launcher.enable()
        } else {
            launcher.disable()
        };
        result.map_err(|e| e.to_string())?;
        tray::sync_autostart(&self.0);
        Ok(launcher.is_enabled().unwrap_or(enabled))
    }
}

/// Starts the tray app; returns when the user quits.
pub fn run(options: &engine::Options, show: bool) -> Result<(), DesktopError> {
    // Bound before the engine opens the history: a second engine on the same data stops here.
    let listener = server::listen(options.data_dir.as_deref())?;
    let started = engine::start(options)?;
    let service = Arc::new(Service::new(
        started.handle.clone(),
        History::open(&started.data_dir)?,
        started.config,
        started.config_path,
        started.config_error.is_some(),
    ));
    let socket = listener.as_ref().map(|l| l.path().to_path_buf());
    let (watcher, handle, data_dir) = (started.watcher, started.handle, started.data_dir);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop = Some(stop);
    let child_state = socket.map(|socket| child::WindowChild {
        socket,
        data_dir: options.data_dir.clone(),
        service: Arc::clone(&service),
        running: Arc::new(Mutex::new(false)),
    });

    let mut builder = tauri::Builder::default()
        // A second launch opens the window of the running instance instead of starting
        // another poller.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            child::open(app)
        }))
        // Off until the user turns it on; the login item starts the app in the tray.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(handle.clone());
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
            tray::create_tray(app.handle(), &handle.overview.borrow(), &data_dir)?;
            tauri::async_runtime::spawn(forward_overview(app.handle().clone(), handle));
            if let Some(listener) = listener {
                tauri::async_runtime::spawn(server::serve(listener, serving));
            }
            if show {
                child::open(app.handle());
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

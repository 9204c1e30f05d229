//! The Tauri shell: wires the engine's watcher to the tray, the window and notifications.

mod commands;
pub mod ipc;
mod tray;
mod window;

use crate::engine::{self, EngineError};
use crate::history::{History, HistoryError};
use crate::watcher::WatcherHandle;
use ipc::AppEvent;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{Emitter, Manager, RunEvent};

/// Registers every command of [`ipc::with_commands`] from [`commands`].
macro_rules! handlers {
    ($($command:ident),*) => {
        tauri::generate_handler![$(commands::$command),*]
    };
}

/// How long quitting waits for notifications already handed to the daemon.
const STOP_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
}

/// How the tray app is started.
#[derive(Debug, Clone, Copy, Default)]
pub struct Launch {
    /// Open the window at start.
    pub show: bool,
    /// `outage-radar demo`: runs beside the user's own instance instead of handing over to it.
    pub demo: bool,
}

/// Starts the tray app; returns when the user quits.
pub fn run(options: &engine::Options, launch: Launch) -> Result<(), DesktopError> {
    let show = launch.show;
    let started = engine::start(options)?;
    // The window reads through its own connection, so a long query never stalls a poll.
    let store = commands::Store {
        history: Mutex::new(History::open(&started.data_dir)?),
        config: Mutex::new(started.config),
        config_path: started.config_path,
        config_broken: Mutex::new(started.config_error.is_some()),
    };
    let (watcher, handle, data_dir) = (started.watcher, started.handle, started.data_dir);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut stop = Some(stop);

    let mut builder = tauri::Builder::default();
    if !launch.demo {
        // A second launch focuses the running instance instead of starting another poller.
        builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::show(app)
        }));
    }
    let app = builder
        // Off until the user turns it on; the login item starts the app in the tray.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(handle.clone())
        .manage(store)
        .invoke_handler(ipc::with_commands!(handlers))
        .setup(move |app| {
            // A tray app: no Dock icon on macOS.
            #[cfg(target_os = "macos")]
            app.set_activation_policy(tauri::ActivationPolicy::Accessory);
            tray::create_tray(app.handle(), &handle.overview.borrow(), &data_dir)?;
            tauri::async_runtime::spawn(forward_overview(app.handle().clone(), handle));
            if show {
                window::show(app.handle());
            }
            Ok(())
        })
        .build(tauri::generate_context!())?;
    let mut running = Some(tauri::async_runtime::spawn(watcher.run(async {
        let _ = stopped.await;
    })));

    app.run(move |_app, event| match event {
        // Closing the last window must not end the app: it lives in the tray.
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

/// Pushes every new overview to the tray and, when open, the window.
async fn forward_overview(app: tauri::AppHandle, handle: WatcherHandle) {
    let mut overview = handle.overview;
    loop {
        let current = overview.borrow_and_update().clone();
        tray::update(&app, &current);
        if app.get_webview_window(ipc::MAIN_WINDOW).is_some() {
            if let Err(e) = app.emit(AppEvent::OverviewChanged.name(), &current) {
                tracing::warn!(error = %e, "cannot send the overview to the window");
            }
        }
        if overview.changed().await.is_err() {
            break;
        }
    }
}

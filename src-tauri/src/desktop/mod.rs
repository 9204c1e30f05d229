//! The Tauri shell: wires the engine's watcher to the tray, the window and notifications.

mod commands;
pub mod ipc;
mod tray;
mod window;

use crate::cli::AppOptions;
use crate::history::{History, HistoryError};
use crate::notifier::DesktopNotifier;
use crate::watcher::{WatchError, Watcher, WatcherHandle};
use ipc::AppEvent;
use std::sync::{Arc, Mutex};
use tauri::{Emitter, Manager, RunEvent};

#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Watch(#[from] WatchError),
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
}

/// Starts the tray app; returns when the user quits.
pub fn run(options: AppOptions) -> Result<(), DesktopError> {
    let (history, recovered) = History::open_or_recover(&options.data_dir)?;
    tracing::info!(services = options.config.services.len(), history = %history.path().display(), "starting desktop app");
    // The window reads through its own connection, so a long query never stalls a poll.
    let store = commands::Store {
        history: Mutex::new(History::open(&options.data_dir)?),
        config: Mutex::new(options.config.clone()),
        config_path: options
            .config
            .path
            .clone()
            .or_else(crate::config::default_config_path),
        config_broken: Mutex::new(options.config_error.is_some()),
    };
    let (mut watcher, handle) =
        Watcher::new(options.config, history, Arc::new(DesktopNotifier::new()))?;
    if let Some(r) = recovered {
        watcher.add_notice(crate::cli::recovered_notice(&r));
    }
    if let Some(e) = &options.config_error {
        watcher.add_notice(format!(
            "Your config could not be read, so the built-in services are watched until it is fixed: {e}"
        ));
    }
    let show = options.show;
    let data_dir = options.data_dir.clone();

    let app = tauri::Builder::default()
        // A second launch focuses the running instance instead of starting another poller.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::show(app)
        }))
        // Off until the user turns it on; the login item starts the app in the tray.
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .manage(handle.clone())
        .manage(store)
        .invoke_handler(tauri::generate_handler![
            commands::get_overview,
            commands::check_now,
            commands::open_url,
            commands::list_incidents,
            commands::get_timeline,
            commands::get_reliability,
            commands::get_settings,
            commands::save_settings,
            commands::detect_url,
            commands::get_catalog,
            commands::set_launch_at_login
        ])
        .setup(move |app| {
            // A tray app: no Dock icon on macOS.
            #[cfg(target_os = "macos")]
            app.set_activation_policy(tauri::ActivationPolicy::Accessory);
            tray::create_tray(app.handle(), &handle.overview.borrow(), &data_dir)?;
            tauri::async_runtime::spawn(watcher.run(std::future::pending()));
            tauri::async_runtime::spawn(forward_overview(app.handle().clone(), handle));
            if show {
                window::show(app.handle());
            }
            Ok(())
        })
        .build(tauri::generate_context!())?;

    app.run(|_app, event| {
        // Closing the last window must not end the app: it lives in the tray.
        if let RunEvent::ExitRequested {
            code: None, api, ..
        } = event
        {
            api.prevent_exit();
        }
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

//! The window process: the webview and nothing else; it talks to the tray's engine over the local socket and ends when its window closes.

use crate::commands::{self, Link};
use crate::ipc::{AppEvent, MAIN_WINDOW};
use outage_radar::local::client::{self, ClientError};
use outage_radar::local::protocol::Push;
use std::path::Path;
use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindowBuilder};

#[derive(Debug, thiserror::Error)]
pub enum WindowError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Tauri(#[from] tauri::Error),
    #[error("no data directory: set --data-dir or OUTAGE_RADAR_DATA_DIR")]
    NoDataDir,
    #[error("cannot start the app beside this window: {0}")]
    App(std::io::Error),
}

/// Registers every command of [`crate::ipc::with_commands`] from [`commands`].
macro_rules! handlers {
    ($($command:ident),*) => {
        tauri::generate_handler![$(commands::$command),*]
    };
}

/// Runs the window against the engine at `socket` (on the welcome view with `welcome`);
/// returns when the window is closed or the engine goes away. With no engine running it says
/// so and starts nothing.
pub fn run(socket: &Path, welcome: bool) -> Result<(), WindowError> {
    software_compositing();
    // Checked before any GTK or WebKit start: no engine, no window.
    let subscription = tauri::async_runtime::block_on(async {
        client::connect(socket, "window").await?.subscribe().await
    })?;
    let app = tauri::Builder::default()
        .manage(Link {
            socket: socket.to_path_buf(),
            welcome: std::sync::atomic::AtomicBool::new(welcome),
        })
        .invoke_handler(crate::ipc::with_commands!(handlers))
        .setup(move |app| {
            build(app.handle())?;
            tauri::async_runtime::spawn(forward(app.handle().clone(), subscription));
            Ok(())
        })
        .build(tauri::generate_context!())?;
    app.run(|_, _| {});
    Ok(())
}

fn build(app: &AppHandle) -> tauri::Result<()> {
    WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Outage Radar")
        .inner_size(440.0, 640.0)
        .min_inner_size(360.0, 400.0)
        // The benchmark reads this line: the time from "Open" to a page on screen.
        .on_page_load(|_, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                tracing::info!("window page loaded");
            }
        })
        .build()?;
    Ok(())
}

/// Brings the window to the front (the user opened it again from the tray).
fn focus(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

/// Hands the engine's pushes to the page; ends the window when the engine goes away.
async fn forward(app: AppHandle, mut subscription: client::Subscription) {
    loop {
        match subscription.next().await {
            Ok(Some(Push::Overview(overview))) => {
                // This process's own words (a refused link) follow the engine's language.
                if let Some(lang) = overview["lang"]
                    .as_str()
                    .and_then(outage_radar::i18n::Lang::parse)
                {
                    outage_radar::i18n::set_current(lang);
                }
                if let Err(e) = app.emit(AppEvent::OverviewChanged.name(), overview) {
                    tracing::warn!(error = %e, "cannot send the overview to the page");
                }
            }
            Ok(Some(Push::Focus)) => focus(&app),
            Ok(None) => {
                tracing::info!("the engine has gone: closing the window");
                break;
            }
            Err(e) => {
                tracing::error!(error = %e, "lost the engine: closing the window");
                break;
            }
        }
    }
    app.exit(0);
}

/// WebKitGTK's own switch for accelerated compositing, unless the user set it. A status
/// window needs no GPU compositing, and without it WebKit's web process sets up no GL
/// surfaces and buffers: about 60 MiB less with the window open (BENCHMARKS.md). Set before
/// GTK or any thread starts, so every WebKit process inherits it.
fn software_compositing() {
    #[cfg(target_os = "linux")]
    {
        const SWITCH: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
        if std::env::var_os(SWITCH).is_none() {
            std::env::set_var(SWITCH, "1");
        }
    }
}

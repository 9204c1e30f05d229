//! The main window, created on demand and destroyed on close so WebKit's memory is given back.

use super::ipc::MAIN_WINDOW;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindowBuilder};

/// Focuses the window, creating it if it does not exist.
pub fn show(app: &AppHandle) {
    if let Some(w) = app.get_webview_window(MAIN_WINDOW) {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
        return;
    }
    let built = WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Outage Radar")
        .inner_size(440.0, 640.0)
        .min_inner_size(360.0, 400.0)
        .build();
    if let Err(e) = built {
        tracing::error!(error = %e, "cannot open the window");
    }
}

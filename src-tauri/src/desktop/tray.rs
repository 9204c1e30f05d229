//! The tray icon and its menu: one icon per overall state, the summary as the first line.

use super::ipc::{MENU_CHECK_NOW, MENU_OPEN, MENU_QUIT, MENU_SUMMARY, TRAY_ID};
use super::window;
use crate::watcher::{Command, Overview, WatcherHandle};
use tauri::image::Image;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

/// The summary line, kept so its text can change.
struct SummaryItem(MenuItem<Wry>);

fn icon_bytes(overall: &str) -> &'static [u8] {
    match overall {
        "operational" => include_bytes!("../../../icons/tray-operational.png"),
        "maintenance" => include_bytes!("../../../icons/tray-maintenance.png"),
        "degraded" => include_bytes!("../../../icons/tray-degraded.png"),
        "partial_outage" => include_bytes!("../../../icons/tray-partial.png"),
        "major_outage" => include_bytes!("../../../icons/tray-major.png"),
        _ => include_bytes!("../../../icons/tray-unknown.png"),
    }
}

fn icon(overall: &str) -> Option<Image<'static>> {
    match Image::from_bytes(icon_bytes(overall)) {
        Ok(i) => Some(i),
        Err(e) => {
            tracing::error!(error = %e, overall, "tray icon unreadable");
            None
        }
    }
}

pub fn create_tray(app: &AppHandle) -> tauri::Result<()> {
    let summary = MenuItem::with_id(app, MENU_SUMMARY, "Checking…", false, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &summary,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, MENU_OPEN, "Open Outage Radar", true, None::<&str>)?,
            &MenuItem::with_id(app, MENU_CHECK_NOW, "Check now", true, None::<&str>)?,
            &PredefinedMenuItem::separator(app)?,
            &MenuItem::with_id(app, MENU_QUIT, "Quit", true, None::<&str>)?,
        ],
    )?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Outage Radar")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| match event.id().as_ref() {
            MENU_OPEN => window::show(app),
            MENU_CHECK_NOW => {
                let handle = app.state::<WatcherHandle>();
                if handle.commands.try_send(Command::CheckNow).is_err() {
                    tracing::warn!("a check is already queued");
                }
            }
            MENU_QUIT => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            // Linux trays only show the menu; elsewhere a left click opens the window.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                window::show(tray.app_handle());
            }
        });
    if let Some(i) = icon("unknown") {
        builder = builder.icon(i);
    }
    builder.build(app)?;
    app.manage(SummaryItem(summary));
    Ok(())
}

/// Shows the overview's state in the icon, tooltip and first menu line.
pub fn update(app: &AppHandle, overview: &Overview) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Err(e) = tray.set_icon(icon(&overview.overall)) {
        tracing::warn!(error = %e, "cannot set the tray icon");
    }
    let _ = tray.set_tooltip(Some(format!("Outage Radar — {}", overview.summary)));
    if let Some(item) = app.try_state::<SummaryItem>() {
        if let Err(e) = item.0.set_text(&overview.summary) {
            tracing::warn!(error = %e, "cannot set the tray summary");
        }
    }
}

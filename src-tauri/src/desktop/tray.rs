//! The tray icon and its menu: one icon per overall state, the summary, each service, pause.

use super::child;
use super::ipc::{
    MENU_AUTOSTART, MENU_CHECK_NOW, MENU_OPEN, MENU_PAUSE_1H, MENU_PAUSE_8H, MENU_PAUSE_TOMORROW,
    MENU_QUIT, MENU_RESUME, MENU_SERVICE_PREFIX, MENU_SUMMARY, TRAY_ID,
};
use crate::watcher::{Command, Health, Overall, Overview, Pause, ServiceView, WatcherHandle};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};
use tauri_plugin_autostart::ManagerExt as _;

/// Menu lines whose text changes with the overview.
struct Lines {
    summary: MenuItem<Wry>,
    autostart: CheckMenuItem<Wry>,
    services: Vec<(String, MenuItem<Wry>)>,
    resume: MenuItem<Wry>,
}

/// The icon for an overview: paused wins, then the worst state.
fn icon_bytes(overview: &Overview) -> &'static [u8] {
    if overview.paused_until.is_some() {
        return include_bytes!("../../../icons/tray-paused.png");
    }
    match overview.overall {
        Overall::Operational => include_bytes!("../../../icons/tray-operational.png"),
        Overall::Maintenance => include_bytes!("../../../icons/tray-maintenance.png"),
        Overall::Degraded => include_bytes!("../../../icons/tray-degraded.png"),
        Overall::PartialOutage => include_bytes!("../../../icons/tray-partial.png"),
        Overall::MajorOutage => include_bytes!("../../../icons/tray-major.png"),
        Overall::Unknown | Overall::Offline => include_bytes!("../../../icons/tray-unknown.png"),
    }
}

fn icon(overview: &Overview) -> Option<Image<'static>> {
    match Image::from_bytes(icon_bytes(overview)) {
        Ok(i) => Some(i),
        Err(e) => {
            tracing::error!(error = %e, overall = ?overview.overall, "tray icon unreadable");
            None
        }
    }
}

fn service_line(v: &ServiceView) -> String {
    let state = match v.state {
        // The menu is narrow: "under maintenance" reads as plain "maintenance" there.
        Health::Maintenance => "maintenance",
        other => other.label(),
    };
    format!("{}: {state}", v.name)
}

fn pause(app: &AppHandle, choice: Pause) {
    if app
        .state::<WatcherHandle>()
        .commands
        .try_send(Command::Pause(choice))
        .is_err()
    {
        tracing::warn!("the watcher is busy; pause not applied");
    }
}

fn toggle_autostart(app: &AppHandle) {
    let launcher = app.autolaunch();
    let enabled = launcher.is_enabled().unwrap_or(false);
    let result = if enabled {
        launcher.disable()
    } else {
        launcher.enable()
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "cannot change launch at login");
    }
    sync_autostart(app);
}

/// Makes the tray's check item say what the system has (also after the window changed it).
pub fn sync_autostart(app: &AppHandle) {
    let now = app.autolaunch().is_enabled().unwrap_or(false);
    tracing::info!(enabled = now, "launch at login");
    if let Some(lines) = app.try_state::<Lines>() {
        let _ = lines.autostart.set_checked(now);
    }
}

pub fn create_tray(app: &AppHandle, overview: &Overview, data_dir: &Path) -> tauri::Result<()> {
    let icon_dir = icon_dir(data_dir);
    let none = None::<&str>;
    let summary = MenuItem::with_id(app, MENU_SUMMARY, &overview.summary, false, none)?;
    let services: Vec<(String, MenuItem<Wry>)> = overview
        .services
        .iter()
        .map(|v| {
            let id = format!("{MENU_SERVICE_PREFIX}{}", v.id);
            MenuItem::with_id(app, &id, service_line(v), true, none)
                .map(|item| (v.id.clone(), item))
        })
        .collect::<Result<_, _>>()?;
    let resume = MenuItem::with_id(
        app,
        MENU_RESUME,
        "Resume notifications",
        overview.paused_until.is_some(),
        none,
    )?;
    let pause_menu = Submenu::with_items(
        app,
        "Pause notifications",
        true,
        &[
            &MenuItem::with_id(app, MENU_PAUSE_1H, "For 1 hour", true, none)?,
            &MenuItem::with_id(app, MENU_PAUSE_8H, "For 8 hours", true, none)?,
            &MenuItem::with_id(app, MENU_PAUSE_TOMORROW, "Until tomorrow 08:00", true, none)?,
            &resume,
        ],
    )?;
    let launch_at_login = app.autolaunch().is_enabled().unwrap_or(false);
    let autostart = CheckMenuItem::with_id(
        app,
        MENU_AUTOSTART,
        "Launch at login",
        true,
        launch_at_login,
        none,
    )?;
    let menu = Menu::with_items(app, &[&summary, &PredefinedMenuItem::separator(app)?])?;
    for (_, item) in &services {
        menu.append(item)?;
    }
    menu.append_items(&[
        &PredefinedMenuItem::separator(app)?,
        &MenuItem::with_id(app, MENU_OPEN, "Open Outage Radar", true, none)?,
        &MenuItem::with_id(app, MENU_CHECK_NOW, "Check now", true, none)?,
        &pause_menu,
        &autostart,
        &PredefinedMenuItem::separator(app)?,
        &MenuItem::with_id(app, MENU_QUIT, "Quit", true, none)?,
    ])?;

    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .temp_dir_path(icon_dir)
        .tooltip(format!("Outage Radar — {}", overview.summary))
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| {
            const HOUR: Duration = Duration::from_secs(3600);
            match event.id().as_ref() {
                MENU_OPEN => child::open(app, child::Opening::Plain),
                id if id.starts_with(MENU_SERVICE_PREFIX) => {
                    child::open(app, child::Opening::Plain)
                }
                MENU_CHECK_NOW
                    if app
                        .state::<WatcherHandle>()
                        .commands
                        .try_send(Command::CheckNow)
                        .is_err() =>
                {
                    tracing::warn!("a check is already queued");
                }
                MENU_CHECK_NOW => {}
                MENU_PAUSE_1H => pause(app, Pause::For(HOUR)),
                MENU_PAUSE_8H => pause(app, Pause::For(8 * HOUR)),
                MENU_PAUSE_TOMORROW => pause(app, Pause::UntilTomorrowMorning),
                MENU_RESUME => pause(app, Pause::Resume),
                MENU_AUTOSTART => toggle_autostart(app),
                MENU_QUIT => app.exit(0),
                _ => {}
            }
        })
        .on_tray_icon_event(|tray, event| {
            // Linux trays only show the menu; elsewhere a left click opens the window.
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                child::open(tray.app_handle(), child::Opening::Plain);
            }
        });
    if let Some(i) = icon(overview) {
        builder = builder.icon(i);
    }
    builder.build(app)?;
    app.manage(Lines {
        summary,
        autostart,
        services,
        resume,
    });
    Ok(())
}

/// Where the tray writes its icon files. Linux trays load the icon from a file, and the
/// default (`$XDG_RUNTIME_DIR/tray-icon` or `/tmp/tray-icon`) is shared by every Tauri app
/// using the same tray id: a second instance on another display, or another user's, would
/// delete or fail to write the file this one points at, and its icon would vanish. The data
/// dir is this user's and this instance's; icons left by a killed run are cleared first.
fn icon_dir(data_dir: &Path) -> PathBuf {
    let dir = data_dir.join("tray");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "png") {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    dir
}

/// Shows the overview's state in the icon, tooltip and menu lines.
pub fn update(app: &AppHandle, overview: &Overview) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    if let Err(e) = tray.set_icon(icon(overview)) {
        tracing::warn!(error = %e, "cannot set the tray icon");
    }
    let _ = tray.set_tooltip(Some(format!("Outage Radar — {}", overview.summary)));
    let Some(lines) = app.try_state::<Lines>() else {
        return;
    };
    let mut results = vec![
        lines.summary.set_text(&overview.summary),
        lines.resume.set_enabled(overview.paused_until.is_some()),
    ];
    for (id, item) in &lines.services {
        if let Some(v) = overview.services.iter().find(|v| &v.id == id) {
            results.push(item.set_text(service_line(v)));
        }
    }
    for r in results {
        if let Err(e) = r {
            tracing::warn!(error = %e, "cannot update the tray menu");
        }
    }
}

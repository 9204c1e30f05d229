//! The tray icon and its menu: one icon per overall state, the summary, each service, its "tell me when it's back", pause.

use super::child;
use super::ipc::{
    MENU_AUTOSTART, MENU_CHECK_NOW, MENU_OPEN, MENU_PAUSE_1H, MENU_PAUSE_8H, MENU_PAUSE_TOMORROW,
    MENU_QUIT, MENU_REMIND_PREFIX, MENU_RESUME, MENU_SERVICE_PREFIX, MENU_SUMMARY, TRAY_ID,
};
use crate::i18n::{self, Catalog, Lang};
use crate::platform::login::Login;
use crate::platform::LoginItem as _;
use crate::watcher::{Command, Health, Overall, Overview, Pause, ServiceView, WatcherHandle};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use tauri::image::Image;
use tauri::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Wry};

/// Menu lines whose text changes with the overview or the language.
struct Lines {
    menu: Menu<Wry>,
    summary: MenuItem<Wry>,
    autostart: CheckMenuItem<Wry>,
    /// One line per watched service, by id, in the overview's order (a reload may change
    /// which services there are).
    services: Mutex<Vec<(String, MenuItem<Wry>)>>,
    /// One "tell me when it's back" check item per service down, suspected or armed, by
    /// id, after the service lines.
    reminders: Mutex<Vec<(String, CheckMenuItem<Wry>)>>,
    resume: MenuItem<Wry>,
    fixed: Fixed,
    /// The language the fixed lines are written in.
    lang: Mutex<Lang>,
}

/// The lines whose words change only with the language.
struct Fixed {
    open: MenuItem<Wry>,
    check_now: MenuItem<Wry>,
    pause: Submenu<Wry>,
    pause_1h: MenuItem<Wry>,
    pause_8h: MenuItem<Wry>,
    pause_tomorrow: MenuItem<Wry>,
    quit: MenuItem<Wry>,
}

/// The fixed lines' words: open, check now, pause, 1 h, 8 h, tomorrow, resume, launch at
/// login, quit.
struct Words {
    open: String,
    check_now: String,
    pause: String,
    pause_1h: String,
    pause_8h: String,
    pause_tomorrow: String,
    resume: String,
    autostart: String,
    quit: String,
}

impl Words {
    fn of(cat: &Catalog) -> Self {
        let hours = |h: u32| cat.t("tray-pause-hours", &[("hours", h.into())]);
        let eight = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
        Words {
            open: cat.t("tray-open", &[]),
            check_now: cat.t("tray-check-now", &[]),
            pause: cat.t("tray-pause", &[]),
            pause_1h: hours(1),
            pause_8h: hours(8),
            pause_tomorrow: cat.t("tray-pause-tomorrow", &[("time", cat.clock(eight).into())]),
            resume: cat.t("tray-resume", &[]),
            autostart: cat.t("tray-launch-at-login", &[]),
            quit: cat.t("tray-quit", &[]),
        }
    }
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
        Overall::Suspected => include_bytes!("../../../icons/tray-suspected.png"),
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

fn service_line(cat: &Catalog, v: &ServiceView) -> String {
    let state = match v.state {
        // The menu is narrow: "under maintenance" reads as plain "maintenance" there.
        Health::Maintenance => cat.t("tray-maintenance", &[]),
        other => other.label_in(cat),
    };
    let id = if v.is_suspected() {
        "tray-service-suspected"
    } else {
        "tray-service"
    };
    cat.t(id, &[("name", (&v.name).into()), ("state", state.into())])
}

/// The services that get a "tell me when it's back" item: down, suspected, or armed.
fn remindable(overview: &Overview) -> impl Iterator<Item = &ServiceView> {
    overview
        .services
        .iter()
        .filter(|v| v.remindable || v.remind_armed_at.is_some())
}

fn remind_item(
    app: &AppHandle,
    cat: &Catalog,
    v: &ServiceView,
) -> tauri::Result<CheckMenuItem<Wry>> {
    CheckMenuItem::with_id(
        app,
        format!("{MENU_REMIND_PREFIX}{}", v.id),
        cat.t("tray-remind", &[("name", (&v.name).into())]),
        true,
        v.remind_armed_at.is_some(),
        None::<&str>,
    )
}

/// Arms the reminder of service `id`, or cancels it when armed: the watcher saves it and
/// the next overview shows it (the check mark follows that, not the click).
fn toggle_reminder(app: &AppHandle, id: &str) {
    let handle = app.state::<WatcherHandle>();
    let armed = handle
        .overview
        .borrow()
        .services
        .iter()
        .any(|v| v.id == id && v.remind_armed_at.is_some());
    let command = Command::Remind {
        service: crate::model::ServiceId::from_name(id),
        arm: !armed,
        reply: None,
    };
    if handle.commands.try_send(command).is_err() {
        tracing::warn!("the watcher is busy; reminder not changed");
    }
    // The click toggled the mark; the overview says what holds.
    let current = handle.overview.borrow().clone();
    update(app, &current);
}

fn tooltip(cat: &Catalog, overview: &Overview) -> String {
    cat.t("tray-tooltip", &[("summary", (&overview.summary).into())])
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
    match app.try_state::<Login>() {
        Some(login) => {
            if let Err(e) = login.set_enabled(!login.is_enabled()) {
                tracing::error!(error = %e, "cannot change launch at login");
            }
        }
        None => tracing::error!("no login item on this system"),
    }
    sync_autostart(app);
}

/// Whether the system starts the app at login.
pub fn launch_at_login(app: &AppHandle) -> bool {
    app.try_state::<Login>().is_some_and(|l| l.is_enabled())
}

/// Makes the tray's check item say what the system has (also after the window changed it).
pub fn sync_autostart(app: &AppHandle) {
    let now = launch_at_login(app);
    tracing::info!(enabled = now, "launch at login");
    if let Some(lines) = app.try_state::<Lines>() {
        let _ = lines.autostart.set_checked(now);
    }
}

pub fn create_tray(app: &AppHandle, overview: &Overview, data_dir: &Path) -> tauri::Result<()> {
    let icon_dir = icon_dir(data_dir);
    let none = None::<&str>;
    let lang = i18n::current_lang();
    let cat = Catalog::get(lang);
    let words = Words::of(cat);
    let summary = MenuItem::with_id(app, MENU_SUMMARY, &overview.summary, false, none)?;
    let services: Vec<(String, MenuItem<Wry>)> = overview
        .services
        .iter()
        .map(|v| {
            let id = format!("{MENU_SERVICE_PREFIX}{}", v.id);
            MenuItem::with_id(app, &id, service_line(cat, v), true, none)
                .map(|item| (v.id.clone(), item))
        })
        .collect::<Result<_, _>>()?;
    let reminders: Vec<(String, CheckMenuItem<Wry>)> = remindable(overview)
        .map(|v| remind_item(app, cat, v).map(|item| (v.id.clone(), item)))
        .collect::<Result<_, _>>()?;
    let resume = MenuItem::with_id(
        app,
        MENU_RESUME,
        &words.resume,
        overview.paused_until.is_some(),
        none,
    )?;
    let fixed = Fixed {
        open: MenuItem::with_id(app, MENU_OPEN, &words.open, true, none)?,
        check_now: MenuItem::with_id(app, MENU_CHECK_NOW, &words.check_now, true, none)?,
        pause: Submenu::new(app, &words.pause, true)?,
        pause_1h: MenuItem::with_id(app, MENU_PAUSE_1H, &words.pause_1h, true, none)?,
        pause_8h: MenuItem::with_id(app, MENU_PAUSE_8H, &words.pause_8h, true, none)?,
        pause_tomorrow: MenuItem::with_id(
            app,
            MENU_PAUSE_TOMORROW,
            &words.pause_tomorrow,
            true,
            none,
        )?,
        quit: MenuItem::with_id(app, MENU_QUIT, &words.quit, true, none)?,
    };
    fixed.pause.append_items(&[
        &fixed.pause_1h,
        &fixed.pause_8h,
        &fixed.pause_tomorrow,
        &resume,
    ])?;
    let launch_at_login = launch_at_login(app);
    let autostart = CheckMenuItem::with_id(
        app,
        MENU_AUTOSTART,
        &words.autostart,
        true,
        launch_at_login,
        none,
    )?;
    let menu = Menu::with_items(app, &[&summary, &PredefinedMenuItem::separator(app)?])?;
    for (_, item) in &services {
        menu.append(item)?;
    }
    for (_, item) in &reminders {
        menu.append(item)?;
    }
    menu.append_items(&[
        &PredefinedMenuItem::separator(app)?,
        &fixed.open,
        &fixed.check_now,
        &fixed.pause,
        &autostart,
        &PredefinedMenuItem::separator(app)?,
        &fixed.quit,
    ])?;

    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .temp_dir_path(icon_dir)
        .tooltip(tooltip(cat, overview))
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(|app, event| {
            const HOUR: Duration = Duration::from_secs(3600);
            match event.id().as_ref() {
                MENU_OPEN => child::open(app, child::Opening::Plain),
                id if id.starts_with(MENU_SERVICE_PREFIX) => {
                    child::open(app, child::Opening::Plain)
                }
                id if id.starts_with(MENU_REMIND_PREFIX) => {
                    toggle_reminder(app, &id[MENU_REMIND_PREFIX.len()..]);
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
        menu,
        summary,
        autostart,
        services: Mutex::new(services),
        reminders: Mutex::new(reminders),
        resume,
        fixed,
        lang: Mutex::new(lang),
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

/// Where the service lines start in the menu: after the summary and its separator.
const FIRST_SERVICE_LINE: usize = 2;

/// Settings added or removed services: their lines are replaced, in the overview's order.
fn replace_service_lines(
    app: &AppHandle,
    menu: &Menu<Wry>,
    services: &mut Vec<(String, MenuItem<Wry>)>,
    overview: &Overview,
    cat: &Catalog,
) -> tauri::Result<()> {
    for (_, item) in services.drain(..) {
        menu.remove(&item)?;
    }
    for (n, v) in overview.services.iter().enumerate() {
        let id = format!("{MENU_SERVICE_PREFIX}{}", v.id);
        let item = MenuItem::with_id(app, &id, service_line(cat, v), true, None::<&str>)?;
        menu.insert(&item, FIRST_SERVICE_LINE + n)?;
        services.push((v.id.clone(), item));
    }
    Ok(())
}

/// The reminder items follow the service lines: the same services keep their items (text
/// and check mark set), another set is rewritten.
fn sync_reminders(
    app: &AppHandle,
    lines: &Lines,
    first: usize,
    overview: &Overview,
    cat: &Catalog,
) -> tauri::Result<()> {
    let mut items = lines.reminders.lock().unwrap_or_else(|p| p.into_inner());
    let wanted: Vec<&ServiceView> = remindable(overview).collect();
    let same =
        items.len() == wanted.len() && items.iter().zip(&wanted).all(|((id, _), v)| *id == v.id);
    if same {
        for ((_, item), v) in items.iter().zip(&wanted) {
            item.set_text(cat.t("tray-remind", &[("name", (&v.name).into())]))?;
            item.set_checked(v.remind_armed_at.is_some())?;
        }
        return Ok(());
    }
    for (_, item) in items.drain(..) {
        lines.menu.remove(&item)?;
    }
    for (n, v) in wanted.into_iter().enumerate() {
        let item = remind_item(app, cat, v)?;
        lines.menu.insert(&item, first + n)?;
        items.push((v.id.clone(), item));
    }
    Ok(())
}

/// Shows the overview's state in the icon, tooltip and menu lines, and rewrites the fixed
/// lines when the language changed since they were written.
pub fn update(app: &AppHandle, overview: &Overview) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let cat = i18n::current();
    if let Err(e) = tray.set_icon(icon(overview)) {
        tracing::warn!(error = %e, "cannot set the tray icon");
    }
    let _ = tray.set_tooltip(Some(tooltip(cat, overview)));
    let Some(lines) = app.try_state::<Lines>() else {
        return;
    };
    let mut results = vec![
        lines.summary.set_text(&overview.summary),
        lines.resume.set_enabled(overview.paused_until.is_some()),
    ];
    let mut services = lines.services.lock().unwrap_or_else(|p| p.into_inner());
    let same_services = services.len() == overview.services.len()
        && services
            .iter()
            .zip(&overview.services)
            .all(|((id, _), v)| *id == v.id);
    if same_services {
        for ((_, item), v) in services.iter().zip(&overview.services) {
            results.push(item.set_text(service_line(cat, v)));
        }
    } else if let Err(e) = replace_service_lines(app, &lines.menu, &mut services, overview, cat) {
        tracing::warn!(error = %e, "cannot rewrite the tray's service lines");
    }
    let after_services = FIRST_SERVICE_LINE + services.len();
    drop(services);
    if let Err(e) = sync_reminders(app, &lines, after_services, overview, cat) {
        tracing::warn!(error = %e, "cannot rewrite the tray's reminder lines");
    }
    let mut written_in = lines.lang.lock().unwrap_or_else(|p| p.into_inner());
    if *written_in != cat.lang() {
        *written_in = cat.lang();
        let w = Words::of(cat);
        let f = &lines.fixed;
        results.extend([
            f.open.set_text(w.open),
            f.check_now.set_text(w.check_now),
            f.pause.set_text(w.pause),
            f.pause_1h.set_text(w.pause_1h),
            f.pause_8h.set_text(w.pause_8h),
            f.pause_tomorrow.set_text(w.pause_tomorrow),
            lines.resume.set_text(w.resume),
            lines.autostart.set_text(w.autostart),
            f.quit.set_text(w.quit),
        ]);
    }
    for r in results {
        if let Err(e) = r {
            tracing::warn!(error = %e, "cannot update the tray menu");
        }
    }
}

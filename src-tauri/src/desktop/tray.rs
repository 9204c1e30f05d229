//! The tray icon and its menu: one icon per overall state, the summary, each service, its "tell me when it's back", pause.

use super::ids::{
    MENU_AUTOSTART, MENU_CHECK_NOW, MENU_OPEN, MENU_PAUSE_1H, MENU_PAUSE_8H, MENU_PAUSE_TOMORROW,
    MENU_QUIT, MENU_REMIND_PREFIX, MENU_RESUME, MENU_SERVICE_PREFIX, MENU_SUMMARY, TRAY_ID,
};
use crate::i18n::{self, Catalog, Lang};
use crate::watcher::{Command, Health, Overall, Overview, Pause, ServiceView, WatcherHandle};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tray_icon::menu::{CheckMenuItem, Menu, MenuItem, PredefinedMenuItem, Submenu};
use tray_icon::{Icon, TrayIcon, TrayIconBuilder};

#[derive(Debug, thiserror::Error)]
pub enum TrayError {
    #[error("tray icon: {0}")]
    Icon(#[from] tray_icon::Error),
    #[error("tray menu: {0}")]
    Menu(#[from] tray_icon::menu::Error),
}

/// What a menu line asks for, by its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Open,
    /// Toggle the reminder of this service id.
    Remind(String),
    CheckNow,
    Pause(Pause),
    ToggleAutostart,
    Quit,
    /// The summary, or a line that went away meanwhile.
    Nothing,
}

impl Action {
    /// The action of the menu line `id`.
    pub fn of(id: &str) -> Self {
        const HOUR: Duration = Duration::from_secs(3600);
        match id {
            MENU_OPEN => Action::Open,
            id if id.starts_with(MENU_SERVICE_PREFIX) => Action::Open,
            id if id.starts_with(MENU_REMIND_PREFIX) => {
                Action::Remind(id[MENU_REMIND_PREFIX.len()..].to_owned())
            }
            MENU_CHECK_NOW => Action::CheckNow,
            MENU_PAUSE_1H => Action::Pause(Pause::For(HOUR)),
            MENU_PAUSE_8H => Action::Pause(Pause::For(8 * HOUR)),
            MENU_PAUSE_TOMORROW => Action::Pause(Pause::UntilTomorrowMorning),
            MENU_RESUME => Action::Pause(Pause::Resume),
            MENU_AUTOSTART => Action::ToggleAutostart,
            MENU_QUIT => Action::Quit,
            _ => Action::Nothing,
        }
    }
}

/// The tray icon and the menu lines whose text changes with the overview or the language.
/// Lives on the event loop's thread, as the platforms' menus require.
pub struct Tray {
    icon: TrayIcon,
    menu: Menu,
    summary: MenuItem,
    autostart: CheckMenuItem,
    /// One line per watched service, by id, in the overview's order (a reload may change
    /// which services there are).
    services: Vec<(String, MenuItem)>,
    /// One "tell me when it's back" check item per service down, suspected or armed, by
    /// id, after the service lines.
    reminders: Vec<(String, CheckMenuItem)>,
    resume: MenuItem,
    fixed: Fixed,
    /// The language the fixed lines are written in.
    lang: Lang,
}

/// The lines whose words change only with the language.
struct Fixed {
    open: MenuItem,
    check_now: MenuItem,
    pause: Submenu,
    pause_1h: MenuItem,
    pause_8h: MenuItem,
    pause_tomorrow: MenuItem,
    quit: MenuItem,
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

fn icon(overview: &Overview) -> Option<Icon> {
    match super::icon::decode(icon_bytes(overview)) {
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

fn remind_item(cat: &Catalog, v: &ServiceView) -> CheckMenuItem {
    CheckMenuItem::with_id(
        format!("{MENU_REMIND_PREFIX}{}", v.id),
        cat.t("tray-remind", &[("name", (&v.name).into())]),
        true,
        v.remind_armed_at.is_some(),
        None,
    )
}

fn service_item(cat: &Catalog, v: &ServiceView) -> MenuItem {
    let id = format!("{MENU_SERVICE_PREFIX}{}", v.id);
    MenuItem::with_id(id, service_line(cat, v), true, None)
}

/// Arms the reminder of service `id`, or cancels it when armed: the watcher saves it and
/// the next overview shows it (the check mark follows that, not the click).
pub fn toggle_reminder(handle: &WatcherHandle, id: &str) {
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
}

pub fn pause(handle: &WatcherHandle, choice: Pause) {
    if handle.commands.try_send(Command::Pause(choice)).is_err() {
        tracing::warn!("the watcher is busy; pause not applied");
    }
}

pub fn check_now(handle: &WatcherHandle) {
    if handle.commands.try_send(Command::CheckNow).is_err() {
        tracing::warn!("a check is already queued");
    }
}

fn tooltip(cat: &Catalog, overview: &Overview) -> String {
    cat.t("tray-tooltip", &[("summary", (&overview.summary).into())])
}

impl Tray {
    /// Builds the icon and its menu for `overview`; `launch_at_login` is the login item's
    /// state now.
    pub fn create(
        overview: &Overview,
        data_dir: &Path,
        launch_at_login: bool,
    ) -> Result<Self, TrayError> {
        let lang = i18n::current_lang();
        let cat = Catalog::get(lang);
        let words = Words::of(cat);
        let summary = MenuItem::with_id(MENU_SUMMARY, &overview.summary, false, None);
        let services: Vec<(String, MenuItem)> = overview
            .services
            .iter()
            .map(|v| (v.id.clone(), service_item(cat, v)))
            .collect();
        let reminders: Vec<(String, CheckMenuItem)> = remindable(overview)
            .map(|v| (v.id.clone(), remind_item(cat, v)))
            .collect();
        let paused = overview.paused_until.is_some();
        let resume = MenuItem::with_id(MENU_RESUME, &words.resume, paused, None);
        let fixed = Fixed {
            open: MenuItem::with_id(MENU_OPEN, &words.open, true, None),
            check_now: MenuItem::with_id(MENU_CHECK_NOW, &words.check_now, true, None),
            pause: Submenu::new(&words.pause, true),
            pause_1h: MenuItem::with_id(MENU_PAUSE_1H, &words.pause_1h, true, None),
            pause_8h: MenuItem::with_id(MENU_PAUSE_8H, &words.pause_8h, true, None),
            pause_tomorrow: MenuItem::with_id(
                MENU_PAUSE_TOMORROW,
                &words.pause_tomorrow,
                true,
                None,
            ),
            quit: MenuItem::with_id(MENU_QUIT, &words.quit, true, None),
        };
        fixed.pause.append_items(&[
            &fixed.pause_1h,
            &fixed.pause_8h,
            &fixed.pause_tomorrow,
            &resume,
        ])?;
        let autostart = CheckMenuItem::with_id(
            MENU_AUTOSTART,
            &words.autostart,
            true,
            launch_at_login,
            None,
        );
        let menu = Menu::with_items(&[&summary, &PredefinedMenuItem::separator()])?;
        for (_, item) in &services {
            menu.append(item)?;
        }
        for (_, item) in &reminders {
            menu.append(item)?;
        }
        menu.append_items(&[
            &PredefinedMenuItem::separator(),
            &fixed.open,
            &fixed.check_now,
            &fixed.pause,
            &autostart,
            &PredefinedMenuItem::separator(),
            &fixed.quit,
        ])?;
        let mut builder = TrayIconBuilder::new()
            .with_id(TRAY_ID)
            .with_temp_dir_path(icon_dir(data_dir))
            .with_tooltip(tooltip(cat, overview))
            .with_menu(Box::new(menu.clone()))
            // Linux trays only show the menu; elsewhere a left click opens the window.
            .with_menu_on_left_click(false);
        if let Some(i) = icon(overview) {
            builder = builder.with_icon(i);
        }
        Ok(Tray {
            icon: builder.build()?,
            menu,
            summary,
            autostart,
            services,
            reminders,
            resume,
            fixed,
            lang,
        })
    }

    /// Makes the check item say what the system has (also after the window changed it).
    pub fn set_launch_at_login(&self, enabled: bool) {
        tracing::info!(enabled, "launch at login");
        self.autostart.set_checked(enabled);
    }

    /// Settings added or removed services: their lines are replaced, in the overview's order.
    fn replace_service_lines(
        &mut self,
        overview: &Overview,
        cat: &Catalog,
    ) -> Result<(), TrayError> {
        for (_, item) in self.services.drain(..) {
            self.menu.remove(&item)?;
        }
        for (n, v) in overview.services.iter().enumerate() {
            let item = service_item(cat, v);
            self.menu.insert(&item, FIRST_SERVICE_LINE + n)?;
            self.services.push((v.id.clone(), item));
        }
        Ok(())
    }

    /// The reminder items follow the service lines: the same services keep their items
    /// (text and check mark set), another set is rewritten.
    fn sync_reminders(&mut self, overview: &Overview, cat: &Catalog) -> Result<(), TrayError> {
        let first = FIRST_SERVICE_LINE + self.services.len();
        let wanted: Vec<&ServiceView> = remindable(overview).collect();
        let same = self.reminders.len() == wanted.len()
            && self
                .reminders
                .iter()
                .zip(&wanted)
                .all(|((id, _), v)| *id == v.id);
        if same {
            for ((_, item), v) in self.reminders.iter().zip(&wanted) {
                item.set_text(cat.t("tray-remind", &[("name", (&v.name).into())]));
                item.set_checked(v.remind_armed_at.is_some());
            }
            return Ok(());
        }
        for (_, item) in self.reminders.drain(..) {
            self.menu.remove(&item)?;
        }
        for (n, v) in wanted.into_iter().enumerate() {
            let item = remind_item(cat, v);
            self.menu.insert(&item, first + n)?;
            self.reminders.push((v.id.clone(), item));
        }
        Ok(())
    }

    /// Shows the overview's state in the icon, tooltip and menu lines, and rewrites the
    /// fixed lines when the language changed since they were written.
    pub fn update(&mut self, overview: &Overview) {
        let cat = i18n::current();
        if let Err(e) = self.icon.set_icon(icon(overview)) {
            tracing::warn!(error = %e, "cannot set the tray icon");
        }
        if let Err(e) = self.icon.set_tooltip(Some(tooltip(cat, overview))) {
            tracing::warn!(error = %e, "cannot set the tray tooltip");
        }
        self.summary.set_text(&overview.summary);
        self.resume.set_enabled(overview.paused_until.is_some());
        let same_services = self.services.len() == overview.services.len()
            && self
                .services
                .iter()
                .zip(&overview.services)
                .all(|((id, _), v)| *id == v.id);
        if same_services {
            for ((_, item), v) in self.services.iter().zip(&overview.services) {
                item.set_text(service_line(cat, v));
            }
        } else if let Err(e) = self.replace_service_lines(overview, cat) {
            tracing::warn!(error = %e, "cannot rewrite the tray's service lines");
        }
        if let Err(e) = self.sync_reminders(overview, cat) {
            tracing::warn!(error = %e, "cannot rewrite the tray's reminder lines");
        }
        if self.lang != cat.lang() {
            self.lang = cat.lang();
            let w = Words::of(cat);
            let f = &self.fixed;
            f.open.set_text(w.open);
            f.check_now.set_text(w.check_now);
            f.pause.set_text(w.pause);
            f.pause_1h.set_text(w.pause_1h);
            f.pause_8h.set_text(w.pause_8h);
            f.pause_tomorrow.set_text(w.pause_tomorrow);
            self.resume.set_text(w.resume);
            self.autostart.set_text(w.autostart);
            f.quit.set_text(w.quit);
        }
    }
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

#[cfg(test)]
mod tests {
    use super::super::icon::decode;
    use super::*;

    #[test]
    fn every_tray_icon_decodes_to_64_px_rgba() {
        for overall in [
            Overall::Operational,
            Overall::Maintenance,
            Overall::Degraded,
            Overall::PartialOutage,
            Overall::MajorOutage,
            Overall::Suspected,
            Overall::Unknown,
        ] {
            let mut reader = png::Decoder::new(std::io::Cursor::new(icon_bytes(&Overview {
                overall,
                ..Overview::default()
            })))
            .read_info()
            .expect("png");
            let mut buf = vec![0; reader.output_buffer_size().expect("size")];
            let frame = reader.next_frame(&mut buf).expect("frame");
            assert_eq!((frame.width, frame.height), (64, 64), "{overall:?}");
            assert!(decode(icon_bytes(&Overview {
                overall,
                ..Overview::default()
            }))
            .is_ok());
        }
        assert!(decode(b"not a png").is_err());
    }

    #[test]
    fn each_menu_line_asks_for_its_own_action() {
        let hour = Duration::from_secs(3600);
        let table = [
            (MENU_OPEN.to_owned(), Action::Open),
            (format!("{MENU_SERVICE_PREFIX}openai"), Action::Open),
            (
                format!("{MENU_REMIND_PREFIX}openai"),
                Action::Remind("openai".into()),
            ),
            (MENU_CHECK_NOW.to_owned(), Action::CheckNow),
            (MENU_PAUSE_1H.to_owned(), Action::Pause(Pause::For(hour))),
            (
                MENU_PAUSE_8H.to_owned(),
                Action::Pause(Pause::For(8 * hour)),
            ),
            (
                MENU_PAUSE_TOMORROW.to_owned(),
                Action::Pause(Pause::UntilTomorrowMorning),
            ),
            (MENU_RESUME.to_owned(), Action::Pause(Pause::Resume)),
            (MENU_AUTOSTART.to_owned(), Action::ToggleAutostart),
            (MENU_QUIT.to_owned(), Action::Quit),
            (MENU_SUMMARY.to_owned(), Action::Nothing),
        ];
        for (id, want) in table {
            assert_eq!(Action::of(&id), want, "{id}");
        }
    }
}

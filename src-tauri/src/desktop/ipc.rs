//! The names shared with the web UI: IPC commands, events, tray and menu ids (also read by build.rs).

/// Every command the window may invoke; build.rs generates an `allow-…` permission for each.
pub const COMMANDS: &[&str] = &[
    "get_overview",
    "check_now",
    "open_url",
    "list_incidents",
    "get_timeline",
    "get_reliability",
    "get_settings",
    "save_settings",
    "detect_url",
    "get_catalog",
    "set_launch_at_login",
];

/// Events the Rust side emits to the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEvent {
    /// Payload: the whole [`crate::watcher::Overview`].
    OverviewChanged,
}

impl AppEvent {
    pub const fn name(self) -> &'static str {
        match self {
            AppEvent::OverviewChanged => "overview-changed",
        }
    }
}

pub const MAIN_WINDOW: &str = "main";
pub const TRAY_ID: &str = "outage-radar";
pub const MENU_SUMMARY: &str = "summary";
/// Followed by the service id.
pub const MENU_SERVICE_PREFIX: &str = "service:";
pub const MENU_OPEN: &str = "open";
pub const MENU_CHECK_NOW: &str = "check-now";
pub const MENU_PAUSE_1H: &str = "pause-1h";
pub const MENU_PAUSE_8H: &str = "pause-8h";
pub const MENU_PAUSE_TOMORROW: &str = "pause-tomorrow";
pub const MENU_RESUME: &str = "resume";
pub const MENU_AUTOSTART: &str = "autostart";
pub const MENU_QUIT: &str = "quit";

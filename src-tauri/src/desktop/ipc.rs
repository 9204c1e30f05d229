//! The names shared with the web UI: IPC commands, events, tray and menu ids (also read by build.rs).

/// Every command the window may invoke; build.rs generates an `allow-…` permission for each.
pub const COMMANDS: &[&str] = &["get_overview", "check_now", "open_url"];

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
pub const MENU_OPEN: &str = "open";
pub const MENU_CHECK_NOW: &str = "check-now";
pub const MENU_QUIT: &str = "quit";

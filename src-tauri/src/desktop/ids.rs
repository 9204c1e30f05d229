//! The tray's and its menu's ids, named in one place.

pub const TRAY_ID: &str = "outage-radar";
pub const MENU_SUMMARY: &str = "summary";
/// Followed by the service id.
pub const MENU_SERVICE_PREFIX: &str = "service:";
/// Followed by the service id: its "Tell me when it's back" check item.
pub const MENU_REMIND_PREFIX: &str = "remind:";
pub const MENU_OPEN: &str = "open";
pub const MENU_CHECK_NOW: &str = "check-now";
pub const MENU_PAUSE_1H: &str = "pause-1h";
pub const MENU_PAUSE_8H: &str = "pause-8h";
pub const MENU_PAUSE_TOMORROW: &str = "pause-tomorrow";
pub const MENU_RESUME: &str = "resume";
pub const MENU_AUTOSTART: &str = "autostart";
pub const MENU_QUIT: &str = "quit";

//! The names shared with the web UI: IPC commands, events, tray and menu ids (also read by build.rs).

/// Calls `$callback!` with every command the window may invoke: the one list behind the
/// handlers the shell registers, [`COMMANDS`] (build.rs generates an `allow-…` permission
/// for each), and the test that holds the capability file and `ui/api.js` to it.
macro_rules! with_commands {
    ($callback:ident) => {
        $callback!(
            get_overview,
            check_now,
            open_url,
            list_incidents,
            get_timeline,
            get_reliability,
            get_settings,
            save_settings,
            detect_url,
            get_catalog,
            set_launch_at_login,
            send_test_webhook,
            get_messages,
            get_shell,
            dismiss_no_tray
        )
    };
}
pub(crate) use with_commands;

macro_rules! names {
    ($($command:ident),*) => {
        &[$(stringify!($command)),*]
    };
}

/// Every command's name, as the window invokes it.
pub const COMMANDS: &[&str] = with_commands!(names);

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

#[cfg(test)]
mod tests {
    use super::COMMANDS;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn read(rel: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The handlers come from the same macro as [`COMMANDS`]; the capability file and the
    /// window's API module are written by hand and must name exactly the same commands.
    #[test]
    fn capability_and_ui_name_the_same_commands() {
        let want: BTreeSet<String> = COMMANDS.iter().map(|c| (*c).to_owned()).collect();
        assert_eq!(want.len(), COMMANDS.len(), "a command is listed twice");

        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capability JSON");
        let granted: BTreeSet<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(|p| p.replace('-', "_"))
            .collect();
        assert_eq!(granted, want, "capabilities/main.json");

        let api = read("../ui/api.js");
        let block = api
            .split("const Commands = Object.freeze({")
            .nth(1)
            .and_then(|rest| rest.split("});").next())
            .expect("ui/api.js has a Commands table");
        let invoked: BTreeSet<String> = block
            .lines()
            .filter_map(|l| l.split('"').nth(1))
            .map(str::to_owned)
            .collect();
        assert_eq!(invoked, want, "ui/api.js Commands");
    }
}

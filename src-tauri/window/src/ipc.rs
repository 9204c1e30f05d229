//! The names shared with the web UI: IPC commands, events and the window's label (also read by build.rs).

/// Calls `$callback!` with every command the window may invoke: `engine`, which carries
/// every [`outage_radar::local::protocol::Request`], and `open_url`, which the window's own process
/// does. The one list behind the handlers the shell registers, [`COMMANDS`] (build.rs
/// generates an `allow-…` permission for each), and the test that holds the capability file
/// and `ui/api.js` to it.
macro_rules! with_commands {
    ($callback:ident) => {
        $callback!(engine, open_url)
    };
}
pub(crate) use with_commands;

macro_rules! names {
    ($($command:ident),*) => {
        &[$(stringify!($command)),*]
    };
}

/// Every command's name, as the window invokes it (read by build.rs and the tests).
#[cfg_attr(not(test), allow(dead_code))]
pub const COMMANDS: &[&str] = with_commands!(names);

/// Events the Rust side emits to the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEvent {
    /// Payload: the whole [`outage_radar::watcher::Overview`].
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

#[cfg(test)]
mod tests {
    use super::COMMANDS;
    use outage_radar::local::protocol::Request;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn read(rel: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn set<'a>(names: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
        names.into_iter().map(str::to_owned).collect()
    }

    /// The quoted values of `ui/api.js`'s frozen table `name`.
    fn js_table(api: &str, name: &str) -> BTreeSet<String> {
        let block = api
            .split(&format!("const {name} = Object.freeze({{"))
            .nth(1)
            .and_then(|rest| rest.split("});").next())
            .unwrap_or_else(|| panic!("ui/api.js has no {name} table"));
        set(block.lines().filter_map(|l| l.split('"').nth(1)))
    }

    /// The handlers come from the same macro as [`COMMANDS`], the requests from
    /// [`Request::TABLE`]; the capability file and the window's API module are written by
    /// hand and must name exactly the same.
    #[test]
    fn capability_and_ui_follow_the_command_and_request_lists() {
        let commands = set(COMMANDS.iter().copied());
        assert_eq!(commands.len(), COMMANDS.len(), "a command is listed twice");

        let capability: serde_json::Value =
            serde_json::from_str(&read("capabilities/main.json")).expect("capability JSON");
        let granted = set(capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str())
            .filter(|p| !p.starts_with("core:")))
        .into_iter()
        .map(|p| p.strip_prefix("allow-").unwrap_or(&p).replace('-', "_"))
        .collect::<BTreeSet<_>>();
        assert_eq!(
            granted, commands,
            "capabilities/main.json grants exactly the commands"
        );

        let api = read("../../ui/api.js");
        assert_eq!(js_table(&api, "Commands"), commands, "ui/api.js Commands");
        let window = set(Request::TABLE.iter().filter(|(_, w)| *w).map(|(n, _)| *n));
        assert_eq!(js_table(&api, "Requests"), window, "ui/api.js Requests");
    }
}

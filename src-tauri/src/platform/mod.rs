//! What differs per operating system behind one call each: the console a CLI run writes to, the identity notifications are shown under, the login item.

#[cfg(feature = "desktop")]
pub mod login;
#[cfg(windows)]
pub mod windows;

use std::path::Path;

/// The login item lives with the tray; the engine's Settings only ask it.
pub trait LoginItem: Send + Sync {
    fn is_enabled(&self) -> bool;
    /// Turns it on or off; the state afterwards.
    fn set_enabled(&self, enabled: bool) -> Result<bool, LoginError>;
}

/// Why the login item could not be changed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("no login item on this system")]
    Unsupported,
    #[error(transparent)]
    System(Box<dyn std::error::Error + Send + Sync>),
}

/// The app's notification identity (AppUserModelID on Windows, bundle id on macOS).
pub const APP_ID: &str = "dev.outageradar.app";
/// The name notifications are shown under.
pub const APP_NAME: &str = "Outage Radar";

/// Makes a command-line run print where it was typed. The Windows binary is a GUI program
/// (started from the Start menu or at login, it must open no console window), so it has no
/// console of its own: a subcommand attaches to the one of the shell that started it, if
/// any. Output already redirected to a file or pipe is left as it is. Elsewhere a no-op.
pub fn attach_console() {
    #[cfg(windows)]
    windows::attach_parent_console();
}

/// Registers the notification identity where the system needs it before it shows anything:
/// on Windows an unpackaged app's toasts are dropped silently unless its AppUserModelID is
/// registered under HKCU (display name and icon). Idempotent; a failure is logged once
/// (`Err` says why) and notifications are still tried. `data_dir` holds the icon file.
pub fn register_notifications(data_dir: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        windows::register_app_id(data_dir).map_err(std::io::Error::from)
    }
    #[cfg(not(windows))]
    {
        let _ = data_dir;
        Ok(())
    }
}

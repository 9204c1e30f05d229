//! The login item: starts the tray app with `--background` when the user logs in (XDG autostart entry, LaunchAgent, or the per-user Run key).

use super::{LoginError, LoginItem};
use auto_launch::{AutoLaunch, AutoLaunchBuilder};

/// The entry's name: `~/.config/autostart/Outage Radar.desktop`, the Run key's value name.
const NAME: &str = super::APP_NAME;

/// The login item of this binary.
#[derive(Debug)]
pub struct Login(AutoLaunch);

impl Login {
    pub fn new() -> Result<Self, auto_launch::Error> {
        let exe = std::env::current_exe()?;
        let exe = exe.display().to_string();
        let mut builder = AutoLaunchBuilder::new();
        builder.set_app_name(NAME).set_args(&["--background"]);
        #[cfg(windows)]
        {
            // The user's own Run key, never the machine's (an elevated start would otherwise
            // start it for every user); quoted, as a path under Program Files has spaces.
            builder
                .set_app_path(&format!("\"{exe}\""))
                .set_windows_enable_mode(auto_launch::WindowsEnableMode::CurrentUser);
        }
        #[cfg(target_os = "macos")]
        {
            builder
                .set_app_path(&exe)
                .set_macos_launch_mode(auto_launch::MacOSLaunchMode::LaunchAgent);
        }
        #[cfg(not(any(windows, target_os = "macos")))]
        builder.set_app_path(&exe);
        builder.build().map(Login)
    }
}

impl LoginItem for Login {
    fn is_enabled(&self) -> bool {
        self.0.is_enabled().unwrap_or(false)
    }

    fn set_enabled(&self, enabled: bool) -> Result<bool, LoginError> {
        if enabled {
            self.0.enable().map_err(system)?;
        } else {
            self.0.disable().map_err(system)?;
        }
        Ok(self.0.is_enabled().unwrap_or(enabled))
    }
}

fn system(e: auto_launch::Error) -> LoginError {
    LoginError::System(Box::new(e))
}

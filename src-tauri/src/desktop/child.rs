//! The tray's side of the window: starts the window process on demand, focuses it when open, and reaps it when it ends.

use crate::local::service::Service;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

/// Which view the window opens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    Plain,
    /// The first start: the welcome view.
    Welcome,
}

/// What the tray knows about its window process.
pub struct WindowChild {
    /// Passed to the window process.
    pub socket: PathBuf,
    /// Passed on so the window process is found by the same marker as the tray (tests).
    pub data_dir: Option<PathBuf>,
    /// The demo's: the window's webview keeps its storage and caches here, not under the
    /// user's home, which the demo promises not to touch.
    pub private_home: Option<PathBuf>,
    pub service: Arc<Service>,
    /// Whether a window process runs (or is starting).
    pub running: Arc<Mutex<bool>>,
}

/// The window's binary: `outage-radar-window` beside this one, also after a package update
/// replaced this one on disk (Linux then reports the old file's path with " (deleted)", in
/// the same directory). The new window speaks the protocol of its version, and the hello
/// says clearly if that is not ours.
fn window_binary() -> std::io::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    Ok(exe.with_file_name(format!(
        "outage-radar-window{}",
        std::env::consts::EXE_SUFFIX
    )))
}

fn spawn(
    socket: &Path,
    data_dir: Option<&Path>,
    private_home: Option<&Path>,
    opening: Opening,
) -> std::io::Result<std::process::Child> {
    let mut cmd = Command::new(window_binary()?);
    if let Some(home) = private_home {
        for (var, dir) in [
            ("XDG_DATA_HOME", "data"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "config"),
        ] {
            cmd.env(var, home.join(dir));
        }
    }
    cmd.arg("--socket").arg(socket);
    if opening == Opening::Welcome {
        cmd.arg("--welcome");
    }
    if let Some(d) = data_dir {
        cmd.arg("--data-dir").arg(d);
    }
    cmd.stdin(Stdio::null()).spawn()
}

/// Opens the window: starts the window process, or asks the running one to come forward.
/// `None`: the engine has no local socket, so no window can reach it.
pub fn open(state: Option<&WindowChild>, opening: Opening) {
    let Some(state) = state else {
        tracing::error!("the window cannot open: the engine has no local socket (see above)");
        return;
    };
    let mut running = state.running.lock().unwrap_or_else(|p| p.into_inner());
    if *running {
        if !state.service.focus_window() {
            tracing::debug!("the window is still starting");
        }
        return;
    }
    let mut child = match spawn(
        &state.socket,
        state.data_dir.as_deref(),
        state.private_home.as_deref(),
        opening,
    ) {
        Ok(c) => c,
        Err(e) => {
            // Most often a build or install without the window binary beside this one.
            let binary = window_binary().map(|b| b.display().to_string());
            tracing::error!(error = %e, ?binary, "cannot start the window process");
            return;
        }
    };
    *running = true;
    let pid = child.id();
    tracing::info!(pid, "window process started");
    let flag = Arc::clone(&state.running);
    let service = Arc::clone(&state.service);
    // A thread that only waits: the child is reaped the moment it ends, however it ends.
    let reaper = std::thread::Builder::new()
        .name("window-reaper".into())
        .spawn(move || {
            match child.wait() {
                Ok(status) if status.success() => {
                    tracing::info!(pid, "window closed");
                    if service.tray() == Some(false) && service.take_still_running_note() {
                        still_running();
                    }
                }
                Ok(status) => tracing::warn!(
                    pid,
                    %status,
                    "the window process ended abnormally; the tray and the engine carry on"
                ),
                Err(e) => tracing::error!(pid, error = %e, "cannot wait for the window process"),
            }
            *flag.lock().unwrap_or_else(|p| p.into_inner()) = false;
        });
    if let Err(e) = reaper {
        tracing::error!(error = %e, "cannot watch the window process");
        *running = false;
    }
}

/// Says, once, that closing the window did not quit the app: with no tray icon, nothing
/// else would show that it still watches.
fn still_running() {
    let cat = crate::i18n::current();
    let shown = crate::notifier::show_note(
        &cat.t("notray-still-running-title", &[]),
        &cat.t("notray-still-running-body", &[]),
    );
    match shown {
        Ok(_) => tracing::info!("told the user that the app keeps running without its window"),
        Err(e) => tracing::warn!(error = %e, "cannot say that the app keeps running"),
    }
}

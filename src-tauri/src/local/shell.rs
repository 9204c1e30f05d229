//! What the window shows about the shell itself: whether a tray is there, and the one-time notes the user has seen, kept in the data dir.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The notes' file in the data dir.
pub const NOTES_FILE: &str = "shell.json";

/// One-time notes, remembered across starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notes {
    /// The user closed the "the icon needs a tray" message.
    pub no_tray_dismissed: bool,
    /// The user was told, on closing the window without a tray, that the app keeps running.
    pub told_still_running: bool,
}

/// What the window asks for with `get_shell`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShellView {
    /// `None`: not known (a headless engine has no tray of its own).
    pub tray: Option<bool>,
    /// Show the no-tray message: no tray, and not dismissed.
    pub show_no_tray: bool,
}

/// The shell's state on the engine's side.
#[derive(Debug, Default)]
pub struct Shell {
    file: Option<PathBuf>,
    pub tray: Option<bool>,
    pub notes: Notes,
}

impl Shell {
    /// Reads the notes kept in `data_dir`; a missing or unreadable file is no notes.
    pub fn load(data_dir: &Path) -> Self {
        let file = data_dir.join(NOTES_FILE);
        let notes = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(error = %e, file = %file.display(), "shell notes unreadable: starting afresh");
                Notes::default()
            }),
            Err(_) => Notes::default(),
        };
        Shell {
            file: Some(file),
            tray: None,
            notes,
        }
    }

    pub fn view(&self) -> ShellView {
        ShellView {
            tray: self.tray,
            show_no_tray: self.tray == Some(false) && !self.notes.no_tray_dismissed,
        }
    }

    /// Changes the notes and writes them (temporary file, rename); a failed write is logged
    /// and the note is kept for this run.
    pub fn update(&mut self, change: impl FnOnce(&mut Notes)) {
        change(&mut self.notes);
        let Some(file) = &self.file else { return };
        let tmp = file.with_extension("json.tmp");
        let written = serde_json::to_vec(&self.notes)
            .map_err(std::io::Error::other)
            .and_then(|bytes| std::fs::write(&tmp, bytes))
            .and_then(|()| std::fs::rename(&tmp, file));
        if let Err(e) = written {
            tracing::warn!(error = %e, file = %file.display(), "cannot keep the shell notes");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_tray_message_shows_until_dismissed_and_stays_dismissed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let table = [
            (None, false, false),
            (Some(true), false, false),
            (Some(false), false, true),
            (Some(false), true, false),
        ];
        for (tray, dismissed, want) in table {
            let mut s = Shell::load(dir.path());
            s.tray = tray;
            s.notes.no_tray_dismissed = dismissed;
            assert_eq!(s.view().show_no_tray, want, "{tray:?} {dismissed}");
        }

        let mut s = Shell::load(dir.path());
        s.tray = Some(false);
        s.update(|n| n.no_tray_dismissed = true);
        let mut again = Shell::load(dir.path());
        again.tray = Some(false);
        assert!(!again.view().show_no_tray, "remembered across starts");
        assert!(again.notes.no_tray_dismissed);

        std::fs::write(dir.path().join(NOTES_FILE), b"{broken").expect("write");
        assert_eq!(Shell::load(dir.path()).notes, Notes::default());
    }
}

//! The config file a person edits by hand: looked at every few seconds, reloaded when it changed, and its trouble said when it cannot be read.

use super::{Now, Watcher};
use crate::alerts;
use crate::config::Config;

/// What a config file holds now, to notice a change: a hash of its bytes (`None`: no file).
/// Bytes, not the modification time, which a coarse file system or a quick second save
/// could leave unchanged.
fn fingerprint(path: &std::path::Path) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let bytes = std::fs::read(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

impl Watcher {
    /// Reloads the config whenever the file at `path` changes (a hand edit, another
    /// editor's save). What it holds now is taken as read. `trouble`: why the file could not
    /// be used at start, shown until it is fixed.
    pub fn watch_config_file(&mut self, path: std::path::PathBuf, trouble: Option<String>) {
        let seen = fingerprint(&path);
        self.config_file = Some((path, seen));
        self.config_trouble = trouble;
        self.publish(self.clock.now(), None);
    }

    /// Reads the config file again if it changed; returns whether a reload calls for a
    /// forced poll. A file that cannot be read keeps the config in force, and says why.
    pub(super) fn check_config_file(&mut self, now: Now) -> bool {
        let Some((path, seen)) = &mut self.config_file else {
            return false;
        };
        let print = fingerprint(path);
        if print == *seen {
            return false;
        }
        *seen = print;
        if print.is_none() {
            // Removed (or being replaced): what is in force stays.
            tracing::info!(path = %path.display(), "the config file is gone; the config in force stays");
            return false;
        }
        let path = path.clone();
        match Config::load(Some(&path)) {
            Ok(config) => {
                let was_broken = self.config_trouble.take().is_some();
                // Saved from Settings (and reloaded from there already), or touched: nothing new.
                // The file is never taken as read by a reload: an edit right after a save
                // would be missed.
                if config == self.config {
                    if was_broken {
                        self.publish(now, None);
                    }
                    return false;
                }
                tracing::info!(path = %path.display(), "the config file changed: reloaded");
                self.reload(config, now);
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "the config file changed but cannot be read; the config in force stays");
                let cat = crate::i18n::current();
                let why = e.message(cat);
                self.config_trouble = Some(cat.t(
                    "notice-config-edit-unreadable",
                    &[("error", why.as_str().into())],
                ));
                // One pop-up per broken edit: the banner is in a window that may be closed.
                if self.popups_off.is_none() {
                    let title = cat.t("notify-config-unreadable-title", &[]);
                    self.outbox.deliver_unsaved(
                        crate::notifier::app_note(&title, &why, alerts::Urgency::Normal),
                        None,
                    );
                }
                self.publish(now, None);
                false
            }
        }
    }
}

//! The Settings round-trip: the config as the window edits it, rendered back to file text,
//! validated by the file parser and written atomically.

use super::{catalog_entry, Config, ConfigError, MinImpact, QuietMode, Updates};
use crate::i18n::Lang;
use crate::model::Format;
use crate::webhooks::{Secret, WebhookKind, WebhookMinImpact, WebhookTarget};
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Renames a file that could not be read to `<name>.broken-<UTC time>` beside it, so saving
/// new settings never destroys what the user wrote.
pub fn set_aside(path: &Path) -> Result<PathBuf, ConfigError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = path.file_name().map_or_else(
        || "config.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let to = path.with_file_name(format!("{name}.broken-{stamp}"));
    std::fs::rename(path, &to).map_err(|source| ConfigError::Write {
        path: to.clone(),
        source,
    })?;
    Ok(to)
}

/// The whole configuration as plain data, for the settings window to edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub poll_interval_secs: u64,
    pub services: Vec<ServiceSettings>,
    pub quiet_hours: Option<QuietHoursSettings>,
    /// `None` or 0: no reminders.
    pub reminder_minutes: Option<u32>,
    /// Services' default `maintenance_reminder_minutes`; `None` or 0: no reminders.
    #[serde(default)]
    pub maintenance_reminder_minutes: Option<u32>,
    /// `None`: the default (10). [`Config::settings`] always gives the value in force.
    pub flap_window_minutes: Option<u32>,
    /// `None`: the default (15). [`Config::settings`] always gives the value in force.
    pub stale_after_minutes: Option<u32>,
    #[serde(default)]
    pub early_warning: EarlyWarningSettings,
    #[serde(default)]
    pub webhooks: Vec<WebhookSettings>,
    /// `None`: the system's; "system" in JSON, else a language tag ("fr").
    #[serde(default, with = "super::names::language")]
    pub language: Option<Lang>,
    /// What the config file held when these settings were read from it ([`revision`]):
    /// a save over a file changed since (a hand edit) is refused rather than undoing it.
    /// Empty: not checked.
    #[serde(default)]
    pub revision: String,
}

/// One `[[webhooks]]` table as the window edits it. Its URL and secret are credentials:
/// they are never sent to the window (`key`, `shown` and `has_secret` stand for them) and
/// come back from it only when the user types new ones; [`save_settings`] takes the rest
/// from the file. Its `Debug` leaves them out too.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookSettings {
    /// The target this entry is (see [`crate::webhooks::TargetKey`]); empty for a new one.
    #[serde(default)]
    pub key: String,
    /// Host and the start of the path, for the window to show.
    #[serde(default)]
    pub shown: String,
    /// Empty: the URL of the target `key` names, unchanged.
    #[serde(default, skip_serializing)]
    pub url: String,
    /// `""` in JSON: the default (json).
    #[serde(with = "super::names::blank_parsed")]
    pub kind: Option<WebhookKind>,
    /// Only these services; empty: all.
    #[serde(default)]
    pub services: Vec<String>,
    /// `""` in JSON (or absent): the default (all).
    #[serde(default, with = "super::names::blank_parsed")]
    pub min_impact: Option<WebhookMinImpact>,
    /// `None`: the secret of the target `key` names, unchanged; `Some("")`: none.
    #[serde(default, skip_serializing)]
    pub secret: Option<String>,
    /// Whether it signs its requests (for the window, which never sees the secret).
    #[serde(default)]
    pub has_secret: bool,
}

/// The `[early_warning]` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EarlyWarningSettings {
    pub enabled: bool,
    pub probe_interval_secs: u64,
    pub threshold_rounds: u32,
    pub recover_rounds: u32,
}

impl Default for EarlyWarningSettings {
    fn default() -> Self {
        EarlyWarningSettings::of(&super::EarlyWarning::default())
    }
}

impl EarlyWarningSettings {
    fn of(e: &super::EarlyWarning) -> Self {
        EarlyWarningSettings {
            enabled: e.enabled,
            probe_interval_secs: e.rules.interval.as_secs(),
            threshold_rounds: e.rules.threshold_rounds,
            recover_rounds: e.rules.recover_rounds,
        }
    }
}

/// One `[[services]]` entry. Empty `url`, `format`, `notify` or `updates` are left out of
/// the file, so the catalog or the default fills them in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSettings {
    pub name: String,
    pub url: String,
    /// `""` in JSON: the catalog's (or the default) format.
    #[serde(with = "super::names::blank")]
    pub format: Option<Format>,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    pub enabled: bool,
    /// "all", "major" or "muted"; `""`: the default.
    #[serde(with = "super::names::blank")]
    pub notify: Option<MinImpact>,
    #[serde(default)]
    pub components: Vec<String>,
    /// "all" or "begin_end"; `""`: the default.
    #[serde(with = "super::names::blank")]
    pub updates: Option<Updates>,
    /// Early-warning probes; `None`: the catalog's (left out of the file), `[]`: none.
    #[serde(default)]
    pub probes: Option<Vec<String>>,
    /// `None`: the `[notifications]` default (left out of the file); 0: no reminders.
    #[serde(default)]
    pub maintenance_reminder_minutes: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHoursSettings {
    /// Local time, "22:00".
    pub start: String,
    pub end: String,
    /// "queue" or "drop"; `""`: the default.
    #[serde(with = "super::names::blank")]
    pub mode: Option<QuietMode>,
}

/// The name an enum has in the config file, from the same serde attributes that parse it.
fn file_name_of<T: Serialize>(value: &T) -> String {
    match toml::Value::try_from(value) {
        Ok(toml::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn whole_minutes(d: chrono::Duration) -> u32 {
    u32::try_from(d.num_minutes().max(0)).unwrap_or(u32::MAX)
}

impl Config {
    /// This configuration as the settings window edits it.
    pub fn settings(&self) -> Settings {
        let n = &self.notifications;
        Settings {
            poll_interval_secs: self.poll_interval.as_secs(),
            services: self
                .services
                .iter()
                .map(|s| ServiceSettings {
                    name: s.name.clone(),
                    url: s.url.clone(),
                    format: Some(s.format),
                    endpoint: s.endpoint.clone(),
                    products: s.filter.products.clone(),
                    regions: s.filter.regions.clone(),
                    enabled: s.enabled,
                    notify: Some(s.prefs.min_impact),
                    components: s.prefs.components.clone(),
                    updates: Some(s.prefs.updates),
                    probes: Some(s.probes.clone()),
                    maintenance_reminder_minutes: s.prefs.maintenance_reminder_minutes,
                })
                .collect(),
            quiet_hours: n.quiet_hours.map(|q| QuietHoursSettings {
                start: q.start.format("%H:%M").to_string(),
                end: q.end.format("%H:%M").to_string(),
                mode: Some(q.mode),
            }),
            reminder_minutes: n.rules.reminder.map(whole_minutes),
            maintenance_reminder_minutes: n.rules.maintenance_reminder.map(whole_minutes),
            flap_window_minutes: Some(whole_minutes(n.rules.flap_window)),
            stale_after_minutes: Some(whole_minutes(n.stale_after)),
            early_warning: EarlyWarningSettings::of(&self.early_warning),
            webhooks: self.webhooks.iter().map(WebhookSettings::of).collect(),
            language: self.language,
            revision: String::new(),
        }
    }
}

/// A fingerprint of the config file's bytes (SHA-256, hex); empty when there is no file.
pub fn revision(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    std::fs::read(path)
        .map(|bytes| {
            Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .unwrap_or_default()
}

impl std::fmt::Debug for WebhookSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSettings")
            .field("key", &self.key)
            .field("shown", &self.shown)
            .field("url", &if self.url.is_empty() { "" } else { "…" })
            .field("kind", &self.kind)
            .field("services", &self.services)
            .field("min_impact", &self.min_impact)
            .field("secret", &self.secret.as_ref().map(|_| "…"))
            .field("has_secret", &self.has_secret)
            .finish()
    }
}

impl WebhookSettings {
    /// A configured target, complete: what the file says (the window sees only the
    /// fields that are not credentials).
    pub fn of(t: &WebhookTarget) -> Self {
        WebhookSettings {
            key: t.key().to_string(),
            shown: t.redacted_url(),
            url: t.url().to_string(),
            kind: Some(t.kind),
            services: t.services.clone(),
            min_impact: Some(t.min_impact),
            secret: t.secret.as_ref().map(|s| s.expose().to_owned()),
            has_secret: t.secret.is_some(),
        }
    }

    /// Fills in what the window left out: the URL and secret of the target `key` names
    /// among `existing`. `index` (from 1) names the entry in errors.
    pub fn resolve(
        &self,
        existing: &[WebhookTarget],
        index: usize,
    ) -> Result<WebhookSettings, ConfigError> {
        let mut out = self.clone();
        let known = existing.iter().find(|t| t.key().as_str() == self.key);
        if out.url.trim().is_empty() {
            let Some(t) = known else {
                return Err(ConfigError::Webhook {
                    index,
                    message: "its address is not in the config file any more: enter it again"
                        .to_owned(),
                });
            };
            out.url = t.url().to_string();
        }
        if out.secret.is_none() {
            // The same target keeps its secret; a new URL starts without one.
            out.secret = known
                .filter(|t| t.url().as_str() == out.url.trim())
                .and_then(|t| t.secret.as_ref())
                .map(|s| s.expose().to_owned());
        }
        Ok(out)
    }

    /// The target this entry describes, checked as the file would be (for a test send).
    pub fn target(&self, existing: &[WebhookTarget]) -> Result<WebhookTarget, ConfigError> {
        let full = self.resolve(existing, 1)?;
        let invalid = |e: crate::webhooks::FieldError| ConfigError::Webhook {
            index: 1,
            message: e.to_string(),
        };
        let mut target =
            WebhookTarget::new(full.url.trim(), full.kind.unwrap_or_default()).map_err(invalid)?;
        target.services = full.services.clone();
        target.min_impact = full.min_impact.unwrap_or_default();
        if let Some(secret) = full.secret.as_deref().filter(|s| !s.trim().is_empty()) {
            target.secret = Some(Secret::new(secret).map_err(|message| ConfigError::Webhook {
                index: 1,
                message: format!("webhook `secret`: {message}"),
            })?);
        }
        Ok(target)
    }
}

/// A TOML string literal, escaped by the toml crate: user text never goes in raw.
fn toml_str(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn toml_list(items: &[String]) -> String {
    toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect()).to_string()
}

/// Settings as config file text, in the layout of a hand-written file.
pub fn render(settings: &Settings) -> String {
    let mut out = String::from(
        "# Outage Radar configuration, saved from the settings window.\n\
         # Hand edits are read within seconds; the next save from Settings rewrites this file\n\
         # without comments.\n\n",
    );
    out.push_str(&format!(
        "poll_interval_secs = {}\n",
        settings.poll_interval_secs
    ));
    if let Some(language) = settings.language {
        out.push_str(&format!("language = {}\n", toml_str(language.tag())));
    }
    let has_notifications = settings.quiet_hours.is_some()
        || settings.reminder_minutes.is_some()
        || settings.maintenance_reminder_minutes.is_some()
        || settings.flap_window_minutes.is_some()
        || settings.stale_after_minutes.is_some();
    if has_notifications {
        out.push_str("\n[notifications]\n");
        if let Some(q) = &settings.quiet_hours {
            let mut fields = vec![
                format!("start = {}", toml_str(&q.start)),
                format!("end = {}", toml_str(&q.end)),
            ];
            if let Some(mode) = &q.mode {
                fields.push(format!("mode = {}", toml_str(&file_name_of(mode))));
            }
            out.push_str(&format!("quiet_hours = {{ {} }}\n", fields.join(", ")));
        }
        let numbers = [
            ("reminder_minutes", settings.reminder_minutes),
            (
                "maintenance_reminder_minutes",
                settings.maintenance_reminder_minutes,
            ),
            ("flap_window_minutes", settings.flap_window_minutes),
            ("stale_after_minutes", settings.stale_after_minutes),
        ];
        for (key, value) in numbers {
            if let Some(v) = value {
                out.push_str(&format!("{key} = {v}\n"));
            }
        }
    }
    let e = &settings.early_warning;
    let defaults = EarlyWarningSettings::default();
    if *e != defaults {
        out.push_str("\n[early_warning]\n");
        out.push_str(&format!("enabled = {}\n", e.enabled));
        let numbers = [
            (
                "probe_interval_secs",
                e.probe_interval_secs,
                defaults.probe_interval_secs,
            ),
            (
                "threshold_rounds",
                u64::from(e.threshold_rounds),
                u64::from(defaults.threshold_rounds),
            ),
            (
                "recover_rounds",
                u64::from(e.recover_rounds),
                u64::from(defaults.recover_rounds),
            ),
        ];
        for (key, value, default) in numbers {
            if value != default {
                out.push_str(&format!("{key} = {value}\n"));
            }
        }
    }
    for s in &settings.services {
        out.push_str("\n[[services]]\n");
        out.push_str(&format!("name = {}\n", toml_str(&s.name)));
        let url = s.url.trim();
        if !url.is_empty() {
            out.push_str(&format!("url = {}\n", toml_str(url)));
        }
        if let Some(format) = &s.format {
            out.push_str(&format!("format = {}\n", toml_str(format.as_str())));
        }
        if let Some(e) = s.endpoint.as_deref().filter(|e| !e.trim().is_empty()) {
            out.push_str(&format!("endpoint = {}\n", toml_str(e)));
        }
        // A missing list means "the catalog's", so an emptied one must be written out.
        let catalog = catalog_entry(&s.name).filter(|e| url.is_empty() || e.url == url);
        let lists = [
            (
                "products",
                &s.products,
                catalog.as_ref().map(|e| &e.products),
            ),
            ("regions", &s.regions, catalog.as_ref().map(|e| &e.regions)),
        ];
        for (key, list, from_catalog) in lists {
            if !list.is_empty() || from_catalog.is_some_and(|c| !c.is_empty()) {
                out.push_str(&format!("{key} = {}\n", toml_list(list)));
            }
        }
        out.push_str(&format!("enabled = {}\n", s.enabled));
        if let Some(notify) = &s.notify {
            out.push_str(&format!("notify = {}\n", toml_str(&file_name_of(notify))));
        }
        if !s.components.is_empty() {
            out.push_str(&format!("components = {}\n", toml_list(&s.components)));
        }
        if let Some(updates) = &s.updates {
            out.push_str(&format!("updates = {}\n", toml_str(&file_name_of(updates))));
        }
        if let Some(m) = s.maintenance_reminder_minutes {
            out.push_str(&format!("maintenance_reminder_minutes = {m}\n"));
        }
        // Written only when they differ from the catalog's, so a catalog update reaches
        // the user's file.
        let catalog_probes = catalog.as_ref().map(|e| &e.probes);
        if let Some(probes) = &s.probes {
            if catalog_probes != Some(probes) && !(probes.is_empty() && catalog_probes.is_none()) {
                out.push_str(&format!("probes = {}\n", toml_list(probes)));
            }
        }
    }
    for w in &settings.webhooks {
        out.push_str("\n[[webhooks]]\n");
        out.push_str(&format!("url = {}\n", toml_str(w.url.trim())));
        if let Some(kind) = w.kind {
            out.push_str(&format!("kind = {}\n", toml_str(kind.as_str())));
        }
        if !w.services.is_empty() {
            out.push_str(&format!("services = {}\n", toml_list(&w.services)));
        }
        if let Some(min_impact) = w.min_impact {
            out.push_str(&format!("min_impact = {}\n", toml_str(min_impact.as_str())));
        }
        if let Some(secret) = w.secret.as_deref().filter(|s| !s.trim().is_empty()) {
            out.push_str(&format!("secret = {}\n", toml_str(secret.trim())));
        }
    }
    out
}

/// Renders `settings` as config TOML, checks it with the file parser (same errors, line
/// numbers of the rendered text), then replaces `path` atomically and returns the config.
/// On any error the file at `path` is left as it was.
///
/// Webhook URLs and secrets the window did not send are taken from the file at `path`
/// (see [`WebhookSettings`]). The file is written readable by its owner alone when it is
/// new, and when it holds webhooks.
pub fn save_settings(settings: &Settings, path: &Path) -> Result<Config, ConfigError> {
    if !settings.revision.is_empty() && settings.revision != revision(path) {
        return Err(ConfigError::ChangedOnDisk {
            path: path.to_path_buf(),
        });
    }
    let existing = match Config::load(Some(path)) {
        Ok(c) => c.webhooks,
        // No file yet, or one that cannot be read: no target is known.
        Err(_) => Vec::new(),
    };
    let mut full = settings.clone();
    full.webhooks = settings
        .webhooks
        .iter()
        .enumerate()
        .map(|(i, w)| w.resolve(&existing, i + 1))
        .collect::<Result<_, _>>()?;
    let text = render(&full);
    let config = Config::parse(&text, path)?;
    let private = !config.webhooks.is_empty();
    write_atomically(path, text.as_bytes(), private).map_err(|source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(config)
}

/// Write to a temp file beside the target, fsync, rename over it, fsync the directory:
/// a crash leaves the old file or the new one, never half of one. A new file is readable
/// by its owner alone; an existing one keeps its permissions, without the group's and
/// others' when `private` (it holds credentials).
fn write_atomically(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    // A symlinked config (dotfiles repos) stays a symlink: its target is replaced instead.
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let file_name = target.file_name().map_or_else(
        || "config.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let temp = dir.join(format!(
        ".{file_name}.{}.{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(bytes)?;
        // Kept from the old file (after writing, so a read-only one can still be filled).
        if let Ok(old) = std::fs::metadata(&target) {
            #[allow(unused_mut)]
            let mut permissions = old.permissions();
            #[cfg(unix)]
            if private {
                use std::os::unix::fs::PermissionsExt;
                permissions.set_mode(permissions.mode() & !0o077);
            }
            #[cfg(not(unix))]
            let _ = private;
            file.set_permissions(permissions)?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(&dir);
    Ok(())
}

/// Makes the rename itself durable. The new file is already in place, so a failure here
/// is logged rather than reported as a failed save.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(e) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::warn!(dir = %dir.display(), error = %e, "cannot fsync the config directory");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window sends and gets the config file's names, and `""` for "not set"; any
    /// other name is refused when the settings arrive, saying which names there are.
    #[test]
    fn the_window_speaks_the_file_names_of_the_enums() {
        let json = |notify: &str, format: &str| {
            serde_json::json!({
                "name": "Acme", "url": "", "format": format, "enabled": true,
                "notify": notify, "updates": "", "components": []
            })
        };
        let s: ServiceSettings = serde_json::from_value(json("major", "")).expect("valid");
        assert_eq!(
            (s.notify, s.format, s.updates),
            (Some(MinImpact::Major), None, None)
        );
        let back = serde_json::to_value(&s).expect("json");
        assert_eq!(
            (&back["notify"], &back["format"], &back["updates"]),
            (&"major".into(), &"".into(), &"".into())
        );
        let s: ServiceSettings = serde_json::from_value(json(" ", "google")).expect("valid");
        assert_eq!((s.notify, s.format), (None, Some(Format::Google)));
        for (notify, format, says) in [("loud", "", "`loud`"), ("all", "gopher", "`gopher`")] {
            let err = serde_json::from_value::<ServiceSettings>(json(notify, format))
                .expect_err("refused")
                .to_string();
            assert!(
                err.contains(says) && err.contains("expected one of"),
                "{err}"
            );
        }
    }
    use crate::config::NotifySettings;
    use crate::config::Prefs;
    use crate::sources::Format;
    use std::time::Duration;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/tmp/c.toml"))
    }

    const EVERY_KEY: &str = r#"
poll_interval_secs = 90

[notifications]
quiet_hours = { start = "22:00", end = "07:30", mode = "drop" }
reminder_minutes = 120
maintenance_reminder_minutes = 45
flap_window_minutes = 5
stale_after_minutes = 30

[early_warning]
enabled = false
probe_interval_secs = 45
recover_rounds = 3

[[services]]
name = "GitHub"
url = "https://www.githubstatus.com"
notify = "major"
components = ["Git \"Operations\"", "Actions\\CI", "Ünïcode ✓"]
updates = "begin_end"
maintenance_reminder_minutes = 0
probes = []

[[services]]
name = "Google Cloud"
url = "https://status.cloud.google.com/incidents.json"
format = "google"
products = ["Compute Engine"]
regions = ["europe-west1", "us-central1"]
enabled = false
notify = "muted"

[[services]]
name = "GitLab"
probes = ["https://gitlab.com/api/v4/version"]
maintenance_reminder_minutes = 90

[[services]]
name = "AWS us-east-1"
regions = []

[[services]]
name = "Private 'page' \\ with \n newline"
url = "http://127.0.0.1:8080/status?x=\"1\""
format = "statusio"
endpoint = "http://127.0.0.1:8080/api/1.0/status/abc"

[[webhooks]]
url = "https://hooks.slack.com/services/T000/B000/SECRETTOKEN"
kind = "slack"
services = ["GitLab", "Google Cloud"]
min_impact = "major"
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

[[webhooks]]
url = "http://127.0.0.1:9000/in?token=\"SECRETTOKEN\""
"#;

    fn without_path(mut c: Config) -> Config {
        c.path = None;
        c
    }

    #[test]
    fn settings_round_trip_through_the_file_text() {
        let c = parse(EVERY_KEY).expect("valid");
        assert_eq!(c.services.len(), 5);
        assert!(
            c.services[3].filter.regions.is_empty(),
            "an emptied catalog list"
        );
        let text = render(&c.settings());
        let back = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(
            without_path(back.clone()),
            without_path(c.clone()),
            "{text}"
        );
        assert_eq!(back.settings(), c.settings());

        let defaults = parse("[[services]]\nname = \"Slack\"\n").expect("valid");
        let back = parse(&render(&defaults.settings())).expect("valid");
        assert_eq!(without_path(back), without_path(defaults));
        let builtin = Config::builtin();
        let back = parse(&render(&builtin.settings())).expect("valid");
        assert_eq!(without_path(back), builtin);
    }

    #[test]
    fn settings_as_the_window_sees_them() {
        let c = parse(EVERY_KEY).expect("valid");
        let s = c.settings();
        assert_eq!(s.poll_interval_secs, 90);
        assert_eq!(
            s.quiet_hours,
            Some(QuietHoursSettings {
                start: "22:00".to_owned(),
                end: "07:30".to_owned(),
                mode: Some(QuietMode::Drop)
            })
        );
        assert_eq!(
            (
                s.reminder_minutes,
                s.flap_window_minutes,
                s.stale_after_minutes
            ),
            (Some(120), Some(5), Some(30))
        );
        let names: Vec<(Option<MinImpact>, Option<Updates>)> =
            s.services.iter().map(|x| (x.notify, x.updates)).collect();
        assert_eq!(names[0], (Some(MinImpact::Major), Some(Updates::BeginEnd)));
        assert_eq!(names[1], (Some(MinImpact::Muted), Some(Updates::Every)));
        assert_eq!(s.services[1].format, Some(Format::Google));
        assert!(!s.services[1].enabled);
        assert_eq!(
            s.services[2].endpoint.as_deref(),
            Some("https://api.status.io/1.0/status/5b36dc6502d06804c08349f7"),
            "catalog values are made explicit"
        );
        let plain = parse("").expect("valid").settings();
        assert_eq!(plain.reminder_minutes, None);
        assert_eq!(plain.quiet_hours, None);
    }

    #[test]
    fn empty_fields_fall_back_to_catalog_and_defaults() {
        let s = Settings {
            poll_interval_secs: 60,
            services: vec![ServiceSettings {
                name: "Slack".to_owned(),
                url: String::new(),
                format: None,
                endpoint: Some(String::new()),
                products: vec![],
                regions: vec![],
                enabled: true,
                notify: None,
                components: vec![],
                updates: None,
                probes: None,
                maintenance_reminder_minutes: None,
            }],
            quiet_hours: None,
            reminder_minutes: None,
            maintenance_reminder_minutes: None,
            flap_window_minutes: None,
            stale_after_minutes: None,
            early_warning: EarlyWarningSettings::default(),
            webhooks: vec![],
            language: None,
            revision: String::new(),
        };
        let c = parse(&render(&s)).expect("valid");
        assert_eq!(c.language, None);
        assert!(
            !render(&s).contains("language"),
            "the system's is the default"
        );
        assert_eq!(c.services[0].url, "https://slack-status.com");
        assert_eq!(c.services[0].format, Format::Slack);
        assert_eq!(c.services[0].prefs, Prefs::default());
        assert_eq!(c.notifications, NotifySettings::default());
    }

    #[test]
    fn the_language_round_trips() {
        let s = parse("").expect("valid").settings();
        assert_eq!(s.language, None);
        let mut json = serde_json::to_value(&s).expect("json");
        assert_eq!(
            json["language"], "system",
            "the window's word for the system's"
        );
        json["language"] = "fr".into();
        let s: Settings = serde_json::from_value(json.clone()).expect("fr");
        let c = parse(&render(&s)).expect("valid");
        assert_eq!(c.language.map(|l| l.tag()), Some("fr"));
        assert_eq!(c.settings().language.map(|l| l.tag()), Some("fr"));
        // The window only offers languages the app has; another is refused on arrival,
        // naming the ones there are (the file itself still falls back to the system's).
        json["language"] = "klingon".into();
        let err = serde_json::from_value::<Settings>(json).expect_err("klingon");
        assert!(
            err.to_string()
                .contains(r#""klingon" is not a language of this app (en, fr, or system)"#),
            "{err}"
        );
        let c = parse("language = \"klingon\"").expect("an unknown language is no error");
        assert_eq!(c.language, None);
    }

    fn temp_files(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn save_replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested/config.toml");
        let first = parse(EVERY_KEY).expect("valid").settings();
        let saved = save_settings(&first, &path).expect("saved into a new dir");
        assert_eq!(saved.path.as_deref(), Some(path.as_path()));
        assert_eq!(saved.settings(), first);
        let on_disk = Config::load(Some(&path)).expect("load");
        assert_eq!(on_disk, saved);
        assert!(std::fs::read_to_string(&path)
            .expect("read")
            .starts_with("# Outage Radar"));

        let mut second = first.clone();
        second.poll_interval_secs = 300;
        second.services.truncate(1);
        // Its filter names services that are gone now.
        second.webhooks.clear();
        let saved = save_settings(&second, &path).expect("saved over");
        assert_eq!(saved.poll_interval, Duration::from_secs(300));
        assert_eq!(Config::load(Some(&path)).expect("load"), saved);
        assert!(temp_files(&path.with_file_name("")).is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn save_keeps_permissions_and_symlinks() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.toml");
        std::fs::write(&real, "").expect("write");
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let link = dir.path().join("config.toml");
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let s = parse(EVERY_KEY).expect("valid").settings();
        save_settings(&s, &link).expect("saved");
        assert!(std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink());
        let meta = std::fs::metadata(&real).expect("meta");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(
            parse(&std::fs::read_to_string(&real).expect("read"))
                .expect("valid")
                .settings(),
            s
        );
    }

    #[test]
    fn invalid_settings_are_refused_and_the_file_is_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        let good = parse(EVERY_KEY).expect("valid").settings();
        save_settings(&good, &path).expect("saved");
        let before = std::fs::read(&path).expect("read");

        let edit = |f: &dyn Fn(&mut Settings)| {
            let mut s = good.clone();
            f(&mut s);
            s
        };
        let table: Vec<(&str, Settings, &str)> = vec![
            (
                "plain http to a remote host",
                edit(&|s| s.services[0].url = "http://example.com".to_owned()),
                "only https://",
            ),
            (
                "not a URL",
                edit(&|s| s.services[0].url = "status page".to_owned()),
                "not a URL",
            ),
            (
                "duplicate names",
                edit(&|s| s.services[1].name = "github".to_owned()),
                "two services are named",
            ),
            (
                "an hour that does not exist",
                edit(&|s| {
                    if let Some(q) = &mut s.quiet_hours {
                        q.start = "25:00".to_owned();
                    }
                }),
                "not a time",
            ),
            (
                "poll 0",
                edit(&|s| s.poll_interval_secs = 0),
                "poll_interval_secs must be",
            ),
        ];
        for (name, settings, message) in table {
            let err = save_settings(&settings, &path).expect_err(name);
            assert!(
                matches!(err, ConfigError::Invalid { .. }),
                "{name}: {err:?}"
            );
            let msg = err.to_string();
            assert!(msg.contains(message), "{name}: {msg}");
            assert!(msg.contains("line "), "{name}: {msg}");
            assert_eq!(std::fs::read(&path).expect("read"), before, "{name}");
        }
        assert!(temp_files(dir.path()).is_empty());

        // Text that would break out of a raw string stays inside the escaped one.
        let sneaky = "X\"\npoll_interval_secs = 0\n[[services]]\nname = \"Y";
        let saved = save_settings(&edit(&|s| s.services[0].name = sneaky.to_owned()), &path)
            .expect("saved");
        assert_eq!(saved.services[0].name, sneaky);
        assert_eq!(saved.services.len(), good.services.len());
        assert_eq!(saved.poll_interval, Duration::from_secs(90));
    }

    /// The reminder of scheduled maintenances survives the window: the default, a
    /// service's own, a service's 0 (off despite the default) and a service without one
    /// (the default's) stay as the file has them.
    #[test]
    fn maintenance_reminders_survive_the_round_trip() {
        let c = parse(EVERY_KEY).expect("valid");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        save_settings(&c.settings(), &path).expect("saved");
        let saved = save_settings(&through_the_window(&c.settings()), &path).expect("saved");
        let s = saved.settings();
        assert_eq!(s.maintenance_reminder_minutes, Some(45));
        let own: Vec<Option<u32>> = s
            .services
            .iter()
            .map(|x| x.maintenance_reminder_minutes)
            .collect();
        assert_eq!(own, [Some(0), None, Some(90), None, None]);
        let default = saved.notifications.rules.maintenance_reminder;
        let ahead: Vec<Option<i64>> = saved
            .services
            .iter()
            .map(|x| {
                x.prefs
                    .maintenance_reminder(default)
                    .map(|d| d.num_minutes())
            })
            .collect();
        assert_eq!(ahead, [None, Some(45), Some(90), Some(45), Some(45)]);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            text.contains("maintenance_reminder_minutes = 45\n"),
            "{text}"
        );
        assert!(
            text.contains("maintenance_reminder_minutes = 0\n"),
            "{text}"
        );

        // Absent from the window's JSON (an older window): not set, not an error.
        let mut json = serde_json::to_value(c.settings()).expect("json");
        json.as_object_mut()
            .expect("object")
            .remove("maintenance_reminder_minutes");
        let older: Settings = serde_json::from_value(json).expect("back");
        assert_eq!(older.maintenance_reminder_minutes, None);

        let too_long = "[notifications]\nmaintenance_reminder_minutes = 20000\n";
        let e = parse(too_long).expect_err("over a week");
        assert!(e.to_string().contains("line 2"), "{e}");
    }

    /// What the window gets back from `get_settings` and sends to `save_settings`.
    fn through_the_window(s: &Settings) -> Settings {
        let json = serde_json::to_string(s).expect("json");
        assert!(
            !json.contains("SECRETTOKEN") && !json.contains("whsec_"),
            "credentials never reach the window: {json}"
        );
        serde_json::from_str(&json).expect("back")
    }

    #[test]
    fn webhook_credentials_stay_in_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        let first = parse(EVERY_KEY).expect("valid");
        assert_eq!(first.webhooks.len(), 2);
        save_settings(&first.settings(), &path).expect("saved");

        // Saved back from the window untouched: URLs and secret come from the file.
        let seen = through_the_window(&first.settings());
        assert_eq!(seen.webhooks[0].shown, "hooks.slack.com/services/T0…/…");
        assert!(seen.webhooks[0].has_secret && !seen.webhooks[1].has_secret);
        assert_eq!(seen.webhooks[0].url, "");
        let saved = save_settings(&seen, &path).expect("saved");
        assert_eq!(saved.webhooks, first.webhooks);

        // The user edits: a new target, a new secret on one, the secret cleared on another.
        let mut edited = through_the_window(&saved.settings());
        edited.webhooks[0].secret = Some(String::new());
        edited.webhooks[0].min_impact = Some(WebhookMinImpact::All);
        edited.webhooks[1].secret = Some("plain-secret".to_owned());
        edited.webhooks.push(WebhookSettings {
            key: String::new(),
            shown: String::new(),
            url: "https://ntfy.sh/team-alerts".to_owned(),
            kind: Some(WebhookKind::Ntfy),
            services: vec![],
            min_impact: None,
            secret: None,
            has_secret: false,
        });
        let saved = save_settings(&edited, &path).expect("saved");
        assert_eq!(saved.webhooks.len(), 3);
        assert_eq!(saved.webhooks[0].url(), first.webhooks[0].url());
        assert_eq!(saved.webhooks[0].secret, None);
        assert_eq!(saved.webhooks[0].min_impact, WebhookMinImpact::All);
        assert_eq!(
            saved.webhooks[1].secret.as_ref().map(Secret::expose),
            Some("plain-secret")
        );
        assert_eq!(saved.webhooks[2].kind, WebhookKind::Ntfy);
        assert_eq!(Config::load(Some(&path)).expect("load"), saved);

        // A target the file no longer has cannot be saved without its address.
        let mut stale = through_the_window(&saved.settings());
        stale.webhooks[1].key = "json:0000000000000000".to_owned();
        let err = save_settings(&stale, &path).expect_err("unknown target");
        assert_eq!(
            err.to_string(),
            "webhook 2: its address is not in the config file any more: enter it again"
        );
        // And a bad new one is refused like the file would refuse it, without its URL.
        let mut bad = through_the_window(&saved.settings());
        bad.webhooks[0].url = "http://hooks.example.com/SECRETTOKEN".to_owned();
        let err = save_settings(&bad, &path).expect_err("http");
        assert!(err.to_string().contains("must be https://"), "{err}");
        assert!(!err.to_string().contains("SECRETTOKEN"), "{err}");
        assert_eq!(Config::load(Some(&path)).expect("load"), saved);
    }

    #[test]
    fn a_test_send_finds_its_target_with_or_without_the_window_s_edits() {
        let c = parse(EVERY_KEY).expect("valid");
        let debug = format!("{:?}", c.settings());
        assert!(
            !debug.contains("SECRETTOKEN") && !debug.contains("whsec_"),
            "{debug}"
        );
        let seen = through_the_window(&c.settings());
        let t = seen.webhooks[0].target(&c.webhooks).expect("target");
        assert_eq!(t, c.webhooks[0]);
        let mut fresh = seen.webhooks[1].clone();
        fresh.key = String::new();
        fresh.url = "https://discord.com/api/webhooks/1/SECRETTOKEN".to_owned();
        fresh.kind = Some(WebhookKind::Discord);
        fresh.secret = Some("s3cret".to_owned());
        let t = fresh.target(&[]).expect("target");
        assert_eq!(t.kind, WebhookKind::Discord);
        assert!(t.secret.is_some());
        // A kind or reach that is no value is refused as the window's JSON arrives.
        let mut json = serde_json::json!({"url": "https://x.example", "kind": "mattermost"});
        let err = serde_json::from_value::<WebhookSettings>(json.clone()).expect_err("kind");
        assert!(err.to_string().contains("mattermost"), "{err}");
        json["kind"] = "".into();
        json["min_impact"] = "some".into();
        let err = serde_json::from_value::<WebhookSettings>(json.clone()).expect_err("reach");
        assert!(
            err.to_string()
                .contains(r#""some" is not "all" or "major""#),
            "{err}"
        );
        json["min_impact"] = "".into();
        let blank: WebhookSettings = serde_json::from_value(json).expect("blank is unset");
        assert_eq!((blank.kind, blank.min_impact), (None, None));
        assert!(
            seen.webhooks[0].target(&[]).is_err(),
            "unknown without its URL"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_config_with_webhooks_is_readable_by_its_owner_alone() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        let dir = tempfile::tempdir().expect("tempdir");
        let with = parse(EVERY_KEY).expect("valid").settings();
        let mut without = with.clone();
        without.webhooks.clear();

        let new = dir.path().join("new.toml");
        save_settings(&without, &new).expect("saved");
        assert_eq!(mode(&new), 0o600, "a new file");

        let shared = dir.path().join("shared.toml");
        std::fs::write(&shared, "").expect("write");
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        save_settings(&without, &shared).expect("saved");
        assert_eq!(mode(&shared), 0o644, "kept while it holds no credentials");
        save_settings(&with, &shared).expect("saved");
        assert_eq!(mode(&shared), 0o600, "narrowed once it does");
    }

    #[test]
    fn set_aside_keeps_the_file_under_a_new_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "poll_interval_secs = [\n").expect("write");
        let to = set_aside(&path).expect("renamed");
        assert!(!path.exists());
        let name = to.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(name.starts_with("config.toml.broken-"), "{name}");
        assert_eq!(
            std::fs::read_to_string(&to).expect("kept"),
            "poll_interval_secs = [\n"
        );
    }
}

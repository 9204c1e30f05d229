//! User configuration and the built-in catalog: where they live, how they are read and checked.

use crate::alerts::{MinImpact, Prefs, QuietHours, QuietMode, Updates};
use crate::model::ServiceId;
use crate::sources::{Filter, Format};
use crate::transitions::Rules;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::{Host, Url};

pub const DEFAULT_POLL_SECS: u64 = 60;
/// Below this a public page may rate-limit us; accepted for tests and demos, with a warning.
const POLITE_POLL_SECS: u64 = 30;
const MAX_POLL_SECS: u64 = 24 * 60 * 60;

const CATALOG_TOML: &str = include_str!("../catalog.toml");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceConfig {
    pub id: ServiceId,
    pub name: String,
    /// The page address as a user pastes it; each format knows its endpoints below it.
    pub url: String,
    pub format: Format,
    /// Replaces the format's main address (status.io's API URL, a feed elsewhere).
    pub endpoint: Option<String>,
    /// Products and regions of a page that covers many (Google, AWS).
    pub filter: Filter,
    /// Disabled services are kept in the config but not polled.
    pub enabled: bool,
    pub prefs: Prefs,
}

/// Global notification settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotifySettings {
    pub quiet_hours: Option<QuietHours>,
    pub rules: Rules,
    /// A source failing this long shows as stale.
    pub stale_after: chrono::Duration,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            quiet_hours: None,
            rules: Rules::default(),
            stale_after: chrono::Duration::minutes(15),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub poll_interval: Duration,
    pub services: Vec<ServiceConfig>,
    pub notifications: NotifySettings,
    /// The file it came from; `None` for the built-in defaults.
    pub path: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {}, line {line}, column {column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot save config {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("{0:?} is not a URL: {1}")]
    Unparsable(String, String),
    #[error("{0:?}: only https:// is allowed (plain http:// only for loopback addresses)")]
    Insecure(String),
    #[error("{0:?}: unsupported scheme {1:?}")]
    Scheme(String, String),
}

/// Checks a page URL: https anywhere, http only on this machine (for tests and local mirrors).
pub fn validate_url(raw: &str) -> Result<Url, UrlError> {
    let url =
        Url::parse(raw.trim()).map_err(|e| UrlError::Unparsable(raw.to_owned(), e.to_string()))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(UrlError::Insecure(raw.to_owned())),
        other => Err(UrlError::Scheme(raw.to_owned(), other.to_owned())),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

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

/// One entry of the built-in catalog.
#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CatalogEntry {
    pub name: String,
    /// "ai", "developer", "cloud", "communication", "productivity", "payments".
    pub category: String,
    pub url: String,
    pub format: Format,
    pub endpoint: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub default: bool,
}

impl CatalogEntry {
    pub fn filter(&self) -> Filter {
        Filter {
            products: self.products.clone(),
            regions: self.regions.clone(),
        }
    }

    pub fn to_service(&self) -> ServiceConfig {
        ServiceConfig {
            id: ServiceId::from_name(&self.name),
            name: self.name.clone(),
            url: self.url.clone(),
            format: self.format,
            endpoint: self.endpoint.clone(),
            filter: self.filter(),
            enabled: true,
            prefs: Prefs::default(),
        }
    }
}

/// The catalog entry with this name (case-insensitive).
pub fn catalog_entry(name: &str) -> Option<CatalogEntry> {
    catalog_entries()
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name.trim()))
        .cloned()
}

#[derive(Deserialize)]
struct CatalogFile {
    service: Vec<CatalogEntry>,
}

/// The services compiled into the binary.
pub fn catalog() -> Vec<CatalogEntry> {
    catalog_entries().to_vec()
}

/// Parsed once: a config names catalog services one by one, and detection looks pages up.
fn catalog_entries() -> &'static [CatalogEntry] {
    static CATALOG: std::sync::OnceLock<Vec<CatalogEntry>> = std::sync::OnceLock::new();
    CATALOG.get_or_init(|| {
        // The file is ours and a unit test parses it, so failure here is a build defect.
        #[allow(clippy::expect_used)]
        let file: CatalogFile = toml::from_str(CATALOG_TOML).expect("catalog.toml is valid");
        file.service
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    poll_interval_secs: Option<toml::Spanned<u64>>,
    #[serde(default)]
    services: Vec<RawService>,
    notifications: Option<RawNotifications>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotifications {
    quiet_hours: Option<RawQuietHours>,
    reminder_minutes: Option<u32>,
    flap_window_minutes: Option<u32>,
    stale_after_minutes: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuietHours {
    start: toml::Spanned<String>,
    end: toml::Spanned<String>,
    #[serde(default)]
    mode: QuietMode,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawService {
    name: toml::Spanned<String>,
    /// Absent: the catalog entry of that name.
    url: Option<toml::Spanned<String>>,
    format: Option<toml::Spanned<String>>,
    endpoint: Option<toml::Spanned<String>>,
    products: Option<Vec<String>>,
    regions: Option<Vec<String>>,
    enabled: Option<bool>,
    notify: Option<MinImpact>,
    components: Option<Vec<String>>,
    updates: Option<Updates>,
}

/// `~/.config/outage-radar/config.toml` on Linux, the platform's equivalent elsewhere.
pub fn default_config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// `~/.local/share/outage-radar` on Linux, the platform's equivalent elsewhere.
pub fn default_data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "outage-radar")
}

impl Config {
    /// The embedded default catalog, used when the user has no config file.
    pub fn builtin() -> Self {
        let services = catalog()
            .into_iter()
            .filter(|e| e.default)
            .map(|e| e.to_service())
            .collect();
        Config {
            poll_interval: Duration::from_secs(DEFAULT_POLL_SECS),
            services,
            notifications: NotifySettings::default(),
            path: None,
        }
    }

    /// Reads `explicit` (which must exist) or the default path (the built-in catalog when absent).
    pub fn load(explicit: Option<&Path>) -> Result<Self, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => match default_config_path() {
                Some(p) if p.exists() => p,
                _ => return Ok(Self::builtin()),
            },
        };
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        Self::parse(&text, &path)
    }

    /// Parses and checks config text; errors name the line and column.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let invalid = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, column) = span.map_or((1, 1), |s| line_col(text, s.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| invalid(e.span(), e.message().to_owned()))?;

        let poll_interval = match raw.poll_interval_secs {
            None => Duration::from_secs(DEFAULT_POLL_SECS),
            Some(v) => {
                let secs = *v.get_ref();
                if secs == 0 || secs > MAX_POLL_SECS {
                    return Err(invalid(
                        Some(v.span()),
                        format!(
                            "poll_interval_secs must be between 1 and {MAX_POLL_SECS}, not {secs}"
                        ),
                    ));
                }
                if secs < POLITE_POLL_SECS {
                    tracing::warn!(secs, "poll_interval_secs below {POLITE_POLL_SECS}: status pages may rate-limit you");
                }
                Duration::from_secs(secs)
            }
        };

        let mut services: Vec<ServiceConfig> = Vec::with_capacity(raw.services.len());
        for s in raw.services {
            let name = s.name.get_ref().trim().to_owned();
            if name.is_empty() {
                return Err(invalid(
                    Some(s.name.span()),
                    "service name is empty".to_owned(),
                ));
            }
            // A name from the catalog needs nothing else; anything given overrides it.
            let entry = catalog_entry(&name);
            let (url, url_span) = match (&s.url, &entry) {
                (Some(u), _) => (u.get_ref().trim().to_owned(), u.span()),
                (None, Some(e)) => (e.url.clone(), s.name.span()),
                (None, None) => {
                    return Err(invalid(
                        Some(s.name.span()),
                        format!(
                            "{name:?} has no `url` and is not in the built-in catalog \
                             (`outage-radar catalog` lists it)"
                        ),
                    ))
                }
            };
            validate_url(&url).map_err(|e| invalid(Some(url_span.clone()), e.to_string()))?;
            let from_catalog = entry.as_ref().filter(|e| s.url.is_none() || e.url == url);
            let format = match &s.format {
                None => from_catalog.map_or(Format::default(), |e| e.format),
                Some(f) => f
                    .get_ref()
                    .parse::<Format>()
                    .map_err(|e| invalid(Some(f.span()), e.to_string()))?,
            };
            let endpoint = match &s.endpoint {
                Some(e) => {
                    validate_url(e.get_ref())
                        .map_err(|err| invalid(Some(e.span()), err.to_string()))?;
                    Some(e.get_ref().trim().to_owned())
                }
                None => from_catalog.and_then(|e| e.endpoint.clone()),
            };
            let catalog_filter = from_catalog.map(CatalogEntry::filter).unwrap_or_default();
            let filter = Filter {
                products: s.products.unwrap_or(catalog_filter.products),
                regions: s.regions.unwrap_or(catalog_filter.regions),
            };
            if let Err(e) = format.endpoints(&url, endpoint.as_deref()) {
                return Err(invalid(Some(url_span), e.to_string()));
            }
            let id = ServiceId::from_name(&name);
            if services.iter().any(|other| other.id == id) {
                return Err(invalid(
                    Some(s.name.span()),
                    format!("two services are named {name:?} (names must differ)"),
                ));
            }
            services.push(ServiceConfig {
                id,
                name,
                url,
                format,
                endpoint,
                filter,
                enabled: s.enabled.unwrap_or(true),
                prefs: Prefs {
                    min_impact: s.notify.unwrap_or_default(),
                    components: s.components.unwrap_or_default(),
                    updates: s.updates.unwrap_or_default(),
                },
            });
        }
        let mut notifications = NotifySettings::default();
        if let Some(n) = raw.notifications {
            let minutes = |m: u32| chrono::Duration::minutes(i64::from(m));
            if let Some(q) = n.quiet_hours {
                let time = |v: &toml::Spanned<String>| {
                    chrono::NaiveTime::parse_from_str(v.get_ref(), "%H:%M").map_err(|_| {
                        invalid(
                            Some(v.span()),
                            format!("{:?} is not a time like \"22:30\"", v.get_ref()),
                        )
                    })
                };
                notifications.quiet_hours = Some(QuietHours {
                    start: time(&q.start)?,
                    end: time(&q.end)?,
                    mode: q.mode,
                });
            }
            notifications.rules.reminder = n.reminder_minutes.filter(|m| *m > 0).map(minutes);
            if let Some(m) = n.flap_window_minutes {
                notifications.rules.flap_window = minutes(m);
            }
            if let Some(m) = n.stale_after_minutes {
                notifications.stale_after = minutes(m.max(1));
            }
        }
        Ok(Config {
            poll_interval,
            services,
            notifications,
            path: Some(path.to_path_buf()),
        })
    }
}

/// The whole configuration as plain data, for the settings window to edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub poll_interval_secs: u64,
    pub services: Vec<ServiceSettings>,
    pub quiet_hours: Option<QuietHoursSettings>,
    /// `None` or 0: no reminders.
    pub reminder_minutes: Option<u32>,
    /// `None`: the default (10). [`Config::settings`] always gives the value in force.
    pub flap_window_minutes: Option<u32>,
    /// `None`: the default (15). [`Config::settings`] always gives the value in force.
    pub stale_after_minutes: Option<u32>,
}

/// One `[[services]]` entry. Empty `url`, `format`, `notify` or `updates` are left out of
/// the file, so the catalog or the default fills them in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceSettings {
    pub name: String,
    pub url: String,
    /// A [`Format`] name, e.g. "statuspage".
    pub format: String,
    #[serde(default)]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub products: Vec<String>,
    #[serde(default)]
    pub regions: Vec<String>,
    pub enabled: bool,
    /// "all", "major" or "muted".
    pub notify: String,
    #[serde(default)]
    pub components: Vec<String>,
    /// "all" or "begin_end".
    pub updates: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuietHoursSettings {
    /// Local time, "22:00".
    pub start: String,
    pub end: String,
    /// "queue" or "drop".
    pub mode: String,
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
                    format: s.format.as_str().to_owned(),
                    endpoint: s.endpoint.clone(),
                    products: s.filter.products.clone(),
                    regions: s.filter.regions.clone(),
                    enabled: s.enabled,
                    notify: file_name_of(&s.prefs.min_impact),
                    components: s.prefs.components.clone(),
                    updates: file_name_of(&s.prefs.updates),
                })
                .collect(),
            quiet_hours: n.quiet_hours.map(|q| QuietHoursSettings {
                start: q.start.format("%H:%M").to_string(),
                end: q.end.format("%H:%M").to_string(),
                mode: file_name_of(&q.mode),
            }),
            reminder_minutes: n.rules.reminder.map(whole_minutes),
            flap_window_minutes: Some(whole_minutes(n.rules.flap_window)),
            stale_after_minutes: Some(whole_minutes(n.stale_after)),
        }
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
         # Hand edits are read too, but the next save rewrites this file without comments.\n\n",
    );
    out.push_str(&format!(
        "poll_interval_secs = {}\n",
        settings.poll_interval_secs
    ));
    let has_notifications = settings.quiet_hours.is_some()
        || settings.reminder_minutes.is_some()
        || settings.flap_window_minutes.is_some()
        || settings.stale_after_minutes.is_some();
    if has_notifications {
        out.push_str("\n[notifications]\n");
        if let Some(q) = &settings.quiet_hours {
            let mut fields = vec![
                format!("start = {}", toml_str(&q.start)),
                format!("end = {}", toml_str(&q.end)),
            ];
            if !q.mode.is_empty() {
                fields.push(format!("mode = {}", toml_str(&q.mode)));
            }
            out.push_str(&format!("quiet_hours = {{ {} }}\n", fields.join(", ")));
        }
        let numbers = [
            ("reminder_minutes", settings.reminder_minutes),
            ("flap_window_minutes", settings.flap_window_minutes),
            ("stale_after_minutes", settings.stale_after_minutes),
        ];
        for (key, value) in numbers {
            if let Some(v) = value {
                out.push_str(&format!("{key} = {v}\n"));
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
        if !s.format.trim().is_empty() {
            out.push_str(&format!("format = {}\n", toml_str(&s.format)));
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
        if !s.notify.is_empty() {
            out.push_str(&format!("notify = {}\n", toml_str(&s.notify)));
        }
        if !s.components.is_empty() {
            out.push_str(&format!("components = {}\n", toml_list(&s.components)));
        }
        if !s.updates.is_empty() {
            out.push_str(&format!("updates = {}\n", toml_str(&s.updates)));
        }
    }
    out
}

/// Renders `settings` as config TOML, checks it with the file parser (same errors, line
/// numbers of the rendered text), then replaces `path` atomically and returns the config.
/// On any error the file at `path` is left as it was.
pub fn save_settings(settings: &Settings, path: &Path) -> Result<Config, ConfigError> {
    let text = render(settings);
    let config = Config::parse(&text, path)?;
    write_atomically(path, text.as_bytes()).map_err(|source| ConfigError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(config)
}

/// Write to a temp file beside the target, fsync, rename over it, fsync the directory:
/// a crash leaves the old file or the new one, never half of one.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
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
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        // Kept from the old file (after writing, so a read-only one can still be filled).
        if let Ok(old) = std::fs::metadata(&target) {
            file.set_permissions(old.permissions())?;
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

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/tmp/c.toml"))
    }

    #[test]
    fn catalog_has_the_default_five() {
        let cat = catalog();
        let defaults: Vec<&str> = cat
            .iter()
            .filter(|e| e.default)
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(
            defaults,
            ["OpenAI", "Anthropic", "GitHub", "Cloudflare", "Discord"]
        );
        for e in &cat {
            validate_url(&e.url).unwrap_or_else(|err| panic!("{}: {err}", e.name));
        }
        let builtin = Config::builtin();
        assert_eq!(builtin.services.len(), 5);
        assert_eq!(builtin.services[0].url, "https://status.openai.com");
        assert_eq!(builtin.poll_interval, Duration::from_secs(60));
    }

    #[test]
    fn reads_a_full_config() {
        let c = parse(
            "poll_interval_secs = 2\n[[services]]\nname = \"Fake\"\nurl = \"http://127.0.0.1:9/\"\nformat = \"incidentio\"\n",
        )
        .expect("valid");
        assert_eq!(c.poll_interval, Duration::from_secs(2));
        assert_eq!(c.services.len(), 1);
        assert_eq!(c.services[0].id.as_str(), "fake");
        assert_eq!(c.services[0].format, Format::Incidentio);
    }

    #[test]
    fn catalog_is_large_consistent_and_covers_every_format() {
        let cat = catalog();
        assert!(cat.len() >= 40, "{} entries", cat.len());
        let mut names = std::collections::HashSet::new();
        for e in &cat {
            assert!(names.insert(e.name.to_lowercase()), "duplicate {}", e.name);
            assert!(
                [
                    "ai",
                    "developer",
                    "cloud",
                    "communication",
                    "productivity",
                    "payments"
                ]
                .contains(&e.category.as_str()),
                "{}: category {}",
                e.name,
                e.category
            );
            let endpoints = e
                .format
                .endpoints(&e.url, e.endpoint.as_deref())
                .unwrap_or_else(|err| panic!("{}: {err}", e.name));
            for ep in endpoints {
                validate_url(&ep.url).unwrap_or_else(|err| panic!("{}: {err}", e.name));
            }
        }
        for f in Format::ALL {
            assert!(
                cat.iter().any(|e| e.format == f),
                "no catalog entry reads {f}"
            );
        }
        let ai = cat.iter().filter(|e| e.category == "ai").count();
        assert!(ai >= 5, "{ai} AI providers");
    }

    #[test]
    fn a_catalog_name_is_enough_and_fields_override_it() {
        let c = parse(
            "[[services]]\nname = \"slack\"\n[[services]]\nname = \"AWS us-east-1\"\nregions = [\"eu-west-1\"]\n[[services]]\nname = \"GitLab\"\n",
        )
        .expect("valid");
        assert_eq!(c.services[0].name, "slack");
        assert_eq!(c.services[0].url, "https://slack-status.com");
        assert_eq!(c.services[0].format, Format::Slack);
        assert_eq!(c.services[1].format, Format::Aws);
        assert_eq!(c.services[1].filter.regions, vec!["eu-west-1"]);
        assert_eq!(
            c.services[2].endpoint.as_deref(),
            Some("https://api.status.io/1.0/status/5b36dc6502d06804c08349f7")
        );
        let err = parse("[[services]]\nname = \"Nowhere Inc\"\n").expect_err("unknown name");
        assert!(
            err.to_string().contains("not in the built-in catalog"),
            "{err}"
        );
        let err = parse(
            "[[services]]\nname = \"X\"\nurl = \"https://status.x.com\"\nformat = \"statusio\"\n",
        )
        .expect_err("status.io needs its API address");
        assert!(err.to_string().contains("line 3"), "{err}");
        assert!(err.to_string().contains("endpoint"), "{err}");
    }

    #[test]
    fn errors_name_line_and_problem() {
        let err = parse(
            "poll_interval_secs = 60\n[[services]]\nname = \"X\"\nurl = \"http://example.com\"\n",
        )
        .expect_err("plain http to a remote host");
        let msg = err.to_string();
        assert!(
            msg.starts_with("config /tmp/c.toml, line 4, column 7:"),
            "{msg}"
        );
        assert!(msg.contains("only https://"), "{msg}");

        let err = parse("poll_interval_secs = 0\n").expect_err("zero");
        assert!(err.to_string().contains("line 1, column 22"), "{err}");

        let err = parse("poll_interval_secs = 60\nbogus = 1\n").expect_err("unknown key");
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(err.to_string().contains("bogus"), "{err}");

        let err = parse("[[services]]\nname = \"A\"\nurl = \"https://a\"\nformat = \"gopher\"\n")
            .expect_err("unknown format");
        assert!(err.to_string().contains("line 4"), "{err}");

        let err = parse("[[services]\n").expect_err("syntax");
        assert!(err.to_string().contains("line 1"), "{err}");

        let err = parse(
            "[[services]]\nname = \"A\"\nurl = \"https://a\"\n[[services]]\nname = \"a\"\nurl = \"https://b\"\n",
        )
        .expect_err("duplicate");
        assert!(err.to_string().contains("line 5"), "{err}");
    }

    #[test]
    fn notification_preferences() {
        let c = parse(
            r#"
[notifications]
quiet_hours = { start = "22:00", end = "07:30", mode = "drop" }
reminder_minutes = 120
flap_window_minutes = 5
stale_after_minutes = 30

[[services]]
name = "GitHub"
url = "https://www.githubstatus.com"
notify = "major"
components = ["Git Operations", "Actions"]
updates = "begin_end"

[[services]]
name = "Discord"
url = "https://discordstatus.com"
enabled = false
notify = "muted"
"#,
        )
        .expect("valid");
        let q = c.notifications.quiet_hours.expect("quiet hours");
        assert_eq!(q.start.to_string(), "22:00:00");
        assert_eq!(q.end.to_string(), "07:30:00");
        assert_eq!(q.mode, QuietMode::Drop);
        assert_eq!(
            c.notifications.rules.reminder,
            Some(chrono::Duration::minutes(120))
        );
        assert_eq!(
            c.notifications.rules.flap_window,
            chrono::Duration::minutes(5)
        );
        assert_eq!(c.notifications.stale_after, chrono::Duration::minutes(30));
        let gh = &c.services[0];
        assert!(gh.enabled);
        assert_eq!(gh.prefs.min_impact, MinImpact::Major);
        assert_eq!(gh.prefs.components, ["Git Operations", "Actions"]);
        assert_eq!(gh.prefs.updates, Updates::BeginEnd);
        assert!(!c.services[1].enabled);
        assert_eq!(c.services[1].prefs.min_impact, MinImpact::Muted);

        let err = parse("[notifications]\nquiet_hours = { start = \"25:00\", end = \"07:00\" }\n")
            .expect_err("bad time");
        assert!(err.to_string().contains("line 2"), "{err}");
        assert!(err.to_string().contains("not a time"), "{err}");
        let err = parse("[[services]]\nname = \"A\"\nurl = \"https://a\"\nnotify = \"loud\"\n")
            .expect_err("bad enum");
        assert!(err.to_string().contains("line 4"), "{err}");
    }

    /// Every key the file knows, with text that needs escaping.
    const EVERY_KEY: &str = r#"
poll_interval_secs = 90

[notifications]
quiet_hours = { start = "22:00", end = "07:30", mode = "drop" }
reminder_minutes = 120
flap_window_minutes = 5
stale_after_minutes = 30

[[services]]
name = "GitHub"
url = "https://www.githubstatus.com"
notify = "major"
components = ["Git \"Operations\"", "Actions\\CI", "Ünïcode ✓"]
updates = "begin_end"

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

[[services]]
name = "AWS us-east-1"
regions = []

[[services]]
name = "Private 'page' \\ with \n newline"
url = "http://127.0.0.1:8080/status?x=\"1\""
format = "statusio"
endpoint = "http://127.0.0.1:8080/api/1.0/status/abc"
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
                mode: "drop".to_owned()
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
        let names: Vec<(&str, &str)> = s
            .services
            .iter()
            .map(|x| (x.notify.as_str(), x.updates.as_str()))
            .collect();
        assert_eq!(names[0], ("major", "begin_end"));
        assert_eq!(names[1], ("muted", "all"));
        assert_eq!(s.services[1].format, "google");
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
                format: String::new(),
                endpoint: Some(String::new()),
                products: vec![],
                regions: vec![],
                enabled: true,
                notify: String::new(),
                components: vec![],
                updates: String::new(),
            }],
            quiet_hours: None,
            reminder_minutes: None,
            flap_window_minutes: None,
            stale_after_minutes: None,
        };
        let c = parse(&render(&s)).expect("valid");
        assert_eq!(c.services[0].url, "https://slack-status.com");
        assert_eq!(c.services[0].format, Format::Slack);
        assert_eq!(c.services[0].prefs, Prefs::default());
        assert_eq!(c.notifications, NotifySettings::default());
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
            (
                "unknown notify",
                edit(&|s| s.services[0].notify = "loud".to_owned()),
                "loud",
            ),
            (
                "unknown format",
                edit(&|s| s.services[0].format = "gopher".to_owned()),
                "unknown format",
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

    #[test]
    fn missing_explicit_file_is_an_error() {
        let err =
            Config::load(Some(Path::new("/nonexistent/outage-radar.toml"))).expect_err("missing");
        assert!(matches!(err, ConfigError::Read { .. }));
    }

    #[test]
    fn urls() {
        assert!(validate_url("https://status.openai.com").is_ok());
        assert!(validate_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_url("http://localhost:8080/x").is_ok());
        assert!(validate_url("http://[::1]:8080/").is_ok());
        assert!(matches!(
            validate_url("http://status.openai.com"),
            Err(UrlError::Insecure(_))
        ));
        assert!(matches!(
            validate_url("javascript:alert(1)"),
            Err(UrlError::Scheme(..))
        ));
        assert!(matches!(
            validate_url("status.openai.com"),
            Err(UrlError::Unparsable(..))
        ));
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

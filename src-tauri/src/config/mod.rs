//! The config file: its model, where it lives, and how its text is parsed and checked.

mod catalog;
mod names;
mod prefs;
mod settings;

pub use catalog::{catalog, catalog_entry, CatalogEntry};
pub use prefs::{MinImpact, Prefs, QuietHours, QuietMode, Updates};
pub use settings::{
    render, revision, save_settings, set_aside, QuietHoursSettings, ServiceSettings, Settings,
    WebhookSettings,
};

use crate::early::probe::validate_probe_url;
use crate::early::rules::EarlyRules;
use crate::fetch::validate_url;
use crate::i18n::Lang;
use crate::model::{Rules, ServiceId};
use crate::sources::{Filter, Format};
use crate::webhooks::{target::check_all, RawWebhook, WebhookTarget};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_POLL_SECS: u64 = 60;
/// Below this a public page (or API, for probes) may rate-limit us; accepted for tests and
/// demos, with a warning.
const POLITE_POLL_SECS: u64 = 30;
const MAX_POLL_SECS: u64 = 24 * 60 * 60;

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
    /// Addresses of the service itself that early warning probes; empty: none.
    pub probes: Vec<String>,
}

impl ServiceConfig {
    /// The address its page is read from (the format's main endpoint, or the override).
    pub fn main_endpoint(&self) -> Option<String> {
        let endpoints = self
            .format
            .endpoints(&self.url, self.endpoint.as_deref())
            .ok()?;
        endpoints.into_iter().next().map(|e| e.url)
    }
}

/// Early warning: probing the services themselves before their pages say anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyWarning {
    /// The global switch; each service can also turn its probes off with `probes = []`.
    pub enabled: bool,
    pub rules: EarlyRules,
}

impl Default for EarlyWarning {
    fn default() -> Self {
        EarlyWarning {
            enabled: true,
            rules: EarlyRules::default(),
        }
    }
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
    pub early_warning: EarlyWarning,
    /// Where announced changes are forwarded (`[[webhooks]]`).
    pub webhooks: Vec<WebhookTarget>,
    /// `language = "fr"`; `None`: the system's (absent, "system", or a language there is
    /// no message file for).
    pub language: Option<Lang>,
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
    /// A webhook entry from Settings (numbered from 1) that cannot be saved as it is.
    #[error("webhook {index}: {message}")]
    Webhook { index: usize, message: String },
    /// The file changed (by hand, or another window) since Settings read it.
    #[error("config {} changed since the settings were opened", path.display())]
    ChangedOnDisk { path: PathBuf },
}

impl ConfigError {
    /// What people read (`Display` stays English for logs; the parser's own message about
    /// a line is passed through as it is).
    pub fn message(&self, cat: &crate::i18n::Catalog) -> String {
        match self {
            ConfigError::Read { path, source } => cat.t(
                "error-config-read",
                &[
                    ("path", path.display().to_string().into()),
                    ("error", source.to_string().into()),
                ],
            ),
            ConfigError::Invalid {
                path,
                line,
                column,
                message,
            } => cat.t(
                "error-config-invalid",
                &[
                    ("path", path.display().to_string().into()),
                    ("line", line.to_string().into()),
                    ("column", column.to_string().into()),
                    ("message", message.into()),
                ],
            ),
            ConfigError::Write { path, source } => cat.t(
                "error-config-write",
                &[
                    ("path", path.display().to_string().into()),
                    ("error", source.to_string().into()),
                ],
            ),
            ConfigError::Webhook { index, message } => cat.t(
                "error-config-webhook",
                &[
                    ("index", index.to_string().into()),
                    ("message", message.into()),
                ],
            ),
            ConfigError::ChangedOnDisk { path } => cat.t(
                "error-config-changed-on-disk",
                &[("path", path.display().to_string().into())],
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    poll_interval_secs: Option<toml::Spanned<u64>>,
    language: Option<String>,
    #[serde(default)]
    services: Vec<RawService>,
    notifications: Option<RawNotifications>,
    early_warning: Option<RawEarlyWarning>,
    #[serde(default)]
    webhooks: Vec<RawWebhook>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEarlyWarning {
    enabled: Option<bool>,
    probe_interval_secs: Option<toml::Spanned<u64>>,
    threshold_rounds: Option<toml::Spanned<u32>>,
    recover_rounds: Option<toml::Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotifications {
    quiet_hours: Option<RawQuietHours>,
    reminder_minutes: Option<u32>,
    maintenance_reminder_minutes: Option<toml::Spanned<u32>>,
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
    maintenance_reminder_minutes: Option<toml::Spanned<u32>>,
    /// Absent: the catalog's probes (when the page is the catalog's); `[]`: none.
    probes: Option<toml::Spanned<Vec<String>>>,
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
            early_warning: EarlyWarning::default(),
            webhooks: Vec::new(),
            language: None,
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
        let config = Self::parse(&text, &path)?;
        if !config.webhooks.is_empty() && readable_by_others(&path) {
            tracing::warn!(
                path = %path.display(),
                "the config file holds webhook URLs (credentials) and others can read it: chmod 600 it"
            );
        }
        Ok(config)
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
            let probes = match &s.probes {
                Some(list) => {
                    let mut probes = Vec::with_capacity(list.get_ref().len());
                    for raw in list.get_ref() {
                        let url = validate_probe_url(raw)
                            .map_err(|e| invalid(Some(list.span()), e.to_string()))?;
                        probes.push(url.to_string());
                    }
                    probes
                }
                None => from_catalog.map(|e| e.probes.clone()).unwrap_or_default(),
            };
            let maintenance_reminder_minutes = match &s.maintenance_reminder_minutes {
                Some(m) => Some(reminder_minutes(m).map_err(|e| invalid(Some(m.span()), e))?),
                None => None,
            };
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
                    maintenance_reminder_minutes,
                },
                probes,
            });
        }
        let mut early_warning = EarlyWarning::default();
        if let Some(e) = raw.early_warning {
            let rules = &mut early_warning.rules;
            early_warning.enabled = e.enabled.unwrap_or(true);
            if let Some(v) = e.probe_interval_secs {
                let secs = *v.get_ref();
                if secs == 0 || secs > MAX_POLL_SECS {
                    return Err(invalid(
                        Some(v.span()),
                        format!(
                            "probe_interval_secs must be between 1 and {MAX_POLL_SECS}, not {secs}"
                        ),
                    ));
                }
                if secs < POLITE_POLL_SECS {
                    tracing::warn!(
                        secs,
                        "probe_interval_secs below {POLITE_POLL_SECS}: services may rate-limit you"
                    );
                }
                rules.interval = Duration::from_secs(secs);
            }
            for (value, field, target) in [
                (
                    e.threshold_rounds,
                    "threshold_rounds",
                    &mut rules.threshold_rounds,
                ),
                (
                    e.recover_rounds,
                    "recover_rounds",
                    &mut rules.recover_rounds,
                ),
            ] {
                if let Some(v) = value {
                    if !(1..=100).contains(v.get_ref()) {
                        return Err(invalid(
                            Some(v.span()),
                            format!("{field} must be between 1 and 100, not {}", v.get_ref()),
                        ));
                    }
                    *target = *v.get_ref();
                }
            }
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
            if let Some(m) = &n.maintenance_reminder_minutes {
                let m = reminder_minutes(m).map_err(|e| invalid(Some(m.span()), e))?;
                notifications.rules.maintenance_reminder = Some(m).filter(|m| *m > 0).map(minutes);
            }
            if let Some(m) = n.flap_window_minutes {
                notifications.rules.flap_window = minutes(m);
            }
            if let Some(m) = n.stale_after_minutes {
                notifications.stale_after = minutes(m.max(1));
            }
        }
        // A `services` entry must name a configured service: a typo would forward nothing.
        let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
        let webhooks =
            check_all(raw.webhooks, &names).map_err(|e| invalid(e.span.clone(), e.to_string()))?;
        Ok(Config {
            poll_interval,
            services,
            notifications,
            early_warning,
            webhooks,
            language: raw.language.as_deref().and_then(language),
            path: Some(path.to_path_buf()),
        })
    }
}

/// The longest `maintenance_reminder_minutes`: a week. The ledger forgets a told reminder
/// a month after it was told, which must stay after the maintenance starts.
const MAX_MAINTENANCE_REMINDER_MINUTES: u32 = 7 * 24 * 60;

/// A `maintenance_reminder_minutes` value, checked (0 turns reminders off).
fn reminder_minutes(v: &toml::Spanned<u32>) -> Result<u32, String> {
    let m = *v.get_ref();
    if m > MAX_MAINTENANCE_REMINDER_MINUTES {
        return Err(format!(
            "maintenance_reminder_minutes must be at most {MAX_MAINTENANCE_REMINDER_MINUTES} \
             (a week), not {m}"
        ));
    }
    Ok(m)
}

/// Whether users other than the owner may read `path`.
fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o044 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// The config's `language`: a supported one, else the system's. An unsupported language is
/// no reason to refuse the whole file: it is logged and the system's is used.
fn language(setting: &str) -> Option<Lang> {
    let setting = setting.trim();
    if setting.is_empty() || setting.eq_ignore_ascii_case("system") {
        return None;
    }
    let lang = Lang::parse(setting);
    if lang.is_none() {
        tracing::warn!(
            language = setting,
            "no messages in this language: using the system's"
        );
    }
    lang
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
    fn probes_from_the_catalog_or_the_file_and_the_early_warning_table() {
        let c = parse(
            "[[services]]\nname = \"OpenAI\"\n\n[[services]]\nname = \"GitHub\"\nprobes = []\n\n\
             [[services]]\nname = \"Mine\"\nurl = \"https://status.example.com\"\n\
             probes = [\"https://api.example.com/health\"]\n\n\
             [early_warning]\nprobe_interval_secs = 45\nthreshold_rounds = 4\n",
        )
        .expect("valid");
        assert_eq!(c.services[0].probes, ["https://api.openai.com/v1/models"]);
        assert!(
            c.services[1].probes.is_empty(),
            "probes = [] turns them off"
        );
        assert_eq!(c.services[2].probes, ["https://api.example.com/health"]);
        assert!(c.early_warning.enabled);
        assert_eq!(c.early_warning.rules.interval, Duration::from_secs(45));
        assert_eq!(c.early_warning.rules.threshold_rounds, 4);
        assert_eq!(c.early_warning.rules.recover_rounds, 2, "the default");
        // A catalog name with another page keeps no catalog probes.
        let other =
            parse("[[services]]\nname = \"OpenAI\"\nurl = \"https://status.example.org\"\n")
                .expect("valid");
        assert!(other.services[0].probes.is_empty());
        let off = parse("[early_warning]\nenabled = false\n").expect("valid");
        assert!(!off.early_warning.enabled);
        assert!(Config::builtin()
            .services
            .iter()
            .any(|s| !s.probes.is_empty()));

        for (text, want) in [
            (
                "[[services]]\nname = \"X\"\nurl = \"https://x.example\"\nprobes = [\"http://api.example.com\"]\n",
                "only https",
            ),
            (
                "[[services]]\nname = \"X\"\nurl = \"https://x.example\"\nprobes = [\"https://user:key@api.example.com\"]\n",
                "credentials",
            ),
            ("[early_warning]\nprobe_interval_secs = 0\n", "between 1 and"),
            ("[early_warning]\nrecover_rounds = 0\n", "recover_rounds"),
            ("[early_warning]\nspeed = 9\n", "unknown field"),
        ] {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.contains(want), "{text}: {err}");
        }
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
    fn the_language_key() {
        let fr = crate::i18n::Lang::parse("fr");
        for (text, want) in [
            ("language = \"fr\"\n", fr),
            ("language = \"fr_CA\"\n", fr),
            ("language = \"en\"\n", Some(crate::i18n::Lang::ENGLISH)),
            ("language = \"system\"\n", None),
            ("language = \"de\"\n", None),
            ("", None),
        ] {
            assert_eq!(parse(text).expect("valid").language, want, "{text}");
        }
        assert!(parse("language = 3\n").is_err(), "a language is text");
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

    #[test]
    fn webhooks_are_read_and_their_errors_name_the_line() {
        let c = parse(
            "[[services]]\nname = \"OpenAI\"\n\n[[webhooks]]\n\
             url = \"https://hooks.slack.com/services/T/B/TOKEN\"\nkind = \"slack\"\n\
             services = [\"openai\"]\n\n[[webhooks]]\nurl = \"http://127.0.0.1:9/in\"\n",
        )
        .expect("valid");
        assert_eq!(c.webhooks.len(), 2);
        assert_eq!(c.webhooks[0].kind, crate::webhooks::WebhookKind::Slack);
        assert_eq!(c.webhooks[0].services, ["openai"]);
        assert!(Config::builtin().webhooks.is_empty());
        let table = [
            (
                "[[webhooks]]\nurl = \"http://hooks.example.com/TOKEN\"\n",
                "line 5, column 7",
                "must be https://",
            ),
            (
                "[[webhooks]]\nurl = \"https://a.example/TOKEN\"\nservices = [\"OpenAl\"]\n",
                "line 6",
                "\"OpenAl\" is not a watched service",
            ),
            (
                "[[webhooks]]\nurl = \"https://a.example/TOKEN\"\nsecret = \"\"\n",
                "line 6",
                "webhook `secret`: is empty",
            ),
            (
                "[[webhooks]]\nurl = \"https://a.example/TOKEN\"\nchannel = \"#ops\"\n",
                "line 6",
                "unknown field `channel`",
            ),
        ];
        for (tail, at, says) in table {
            let text = format!("[[services]]\nname = \"OpenAI\"\n\n{tail}");
            let err = parse(&text).expect_err(tail).to_string();
            assert!(err.contains(at) && err.contains(says), "{tail}: {err}");
            assert!(!err.contains("TOKEN"), "{err}");
        }
    }

    /// Every key the file knows, with text that needs escaping.
    #[test]
    fn missing_explicit_file_is_an_error() {
        let err =
            Config::load(Some(Path::new("/nonexistent/outage-radar.toml"))).expect_err("missing");
        assert!(matches!(err, ConfigError::Read { .. }));
    }
}

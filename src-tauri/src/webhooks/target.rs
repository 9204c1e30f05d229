//! One `[[webhooks]]` target: its config model, how it is checked, shown redacted and filtered.

use crate::fetch::{validate_url, UrlError};
use crate::model::{Impact, ServiceId};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use url::Url;

/// The body a receiver expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WebhookKind {
    /// The `watch --json` event plus a delivery `id`: for any JSON receiver.
    #[default]
    Json,
    /// A Slack incoming webhook: `text` and Block Kit `blocks`.
    Slack,
    /// A Discord channel webhook: `content`.
    Discord,
    /// An ntfy topic, published as JSON to the server's root.
    Ntfy,
    /// A Microsoft Teams Workflows webhook: an Adaptive Card.
    Teams,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 5] = [
        WebhookKind::Json,
        WebhookKind::Slack,
        WebhookKind::Discord,
        WebhookKind::Ntfy,
        WebhookKind::Teams,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::Json => "json",
            WebhookKind::Slack => "slack",
            WebhookKind::Discord => "discord",
            WebhookKind::Ntfy => "ntfy",
            WebhookKind::Teams => "teams",
        }
    }
}

impl fmt::Display for WebhookKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WebhookKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        WebhookKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!("{s:?} is not a webhook kind (json, slack, discord, ntfy or teams)")
            })
    }
}

/// The least a change must matter to reach a target; like a service's `notify`, without
/// `muted` (remove the target instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WebhookMinImpact {
    #[default]
    All,
    /// Major and critical incidents, partial and major component outages.
    Major,
}

impl WebhookMinImpact {
    pub const ALL: [WebhookMinImpact; 2] = [WebhookMinImpact::All, WebhookMinImpact::Major];

    /// The config file's name.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookMinImpact::All => "all",
            WebhookMinImpact::Major => "major",
        }
    }
}

impl fmt::Display for WebhookMinImpact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WebhookMinImpact {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "all" => Ok(WebhookMinImpact::All),
            "major" => Ok(WebhookMinImpact::Major),
            other => Err(format!("{other:?} is not \"all\" or \"major\"")),
        }
    }
}

/// A signing key. Debug and Display never show it: it must not reach a log or the UI.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Checks the form: not empty, and a `whsec_` secret must be valid base64.
    pub fn new(raw: &str) -> Result<Self, String> {
        let secret = Secret(raw.trim().to_owned());
        if secret.0.is_empty() {
            return Err("is empty".to_owned());
        }
        if secret.key().is_none() {
            return Err("starts with whsec_ but the rest is not base64".to_owned());
        }
        Ok(secret)
    }

    /// The HMAC key: a `whsec_<base64>` secret (as Standard Webhooks receivers hand them
    /// out) is its decoded bytes; any other secret is used as its UTF-8 bytes.
    pub fn key(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        match self.0.strip_prefix("whsec_") {
            Some(b64) => base64::engine::general_purpose::STANDARD
                .decode(b64)
                .ok()
                .filter(|k| !k.is_empty()),
            None => Some(self.0.as_bytes().to_vec()),
        }
    }

    /// The secret as configured, for writing the config file back.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("…")
    }
}

/// Which target a queued delivery belongs to, without the URL itself: a hash of the URL,
/// so the history file never holds the credential and a changed URL is a new target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TargetKey(String);

impl TargetKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key read back from the history.
    pub fn from_stored(s: String) -> Self {
        TargetKey(s)
    }
}

impl fmt::Display for TargetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One place announced changes are forwarded to.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    url: Url,
    pub kind: WebhookKind,
    /// Service names (or ids) to forward; empty forwards all.
    pub services: Vec<String>,
    pub min_impact: WebhookMinImpact,
    pub secret: Option<Secret>,
}

impl fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &self.redacted_url())
            .field("kind", &self.kind)
            .field("services", &self.services)
            .field("min_impact", &self.min_impact)
            .field("secret", &self.secret)
            .finish()
    }
}

/// What is wrong with a target, naming the field (and where it is, for the config parser).
/// The message never contains the URL or the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("webhook `{field}`: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
    /// Byte range in the config text, when parsed from it.
    pub span: Option<Range<usize>>,
}

impl FieldError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field,
            message: message.into(),
            span: None,
        }
    }

    fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }
}

/// An ntfy topic: what ntfy.sh accepts.
fn valid_topic(t: &str) -> bool {
    (1..=64).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl WebhookTarget {
    /// A checked target: https (plain http only on loopback), and for ntfy a topic as the
    /// last path segment.
    pub fn new(url: &str, kind: WebhookKind) -> Result<Self, FieldError> {
        // The URL is a credential: the error says what is wrong, never the URL itself.
        let parsed = validate_url(url).map_err(|e| {
            FieldError::new(
                "url",
                match e {
                    UrlError::Unparsable(_, why) => format!("not a URL ({why})"),
                    UrlError::Insecure(_) => {
                        "must be https:// (plain http:// only for loopback addresses)".to_owned()
                    }
                    UrlError::Scheme(_, scheme) => {
                        format!("must be https://, not {scheme}:")
                    }
                },
            )
        })?;
        if kind == WebhookKind::Ntfy {
            let topic = parsed
                .path_segments()
                .and_then(|mut s| s.next_back())
                .unwrap_or("");
            if !valid_topic(topic) {
                return Err(FieldError::new(
                    "url",
                    "an ntfy URL ends with its topic (letters, digits, - and _), like https://ntfy.sh/my-team-alerts",
                ));
            }
        }
        Ok(WebhookTarget {
            url: parsed,
            kind,
            services: Vec::new(),
            min_impact: WebhookMinImpact::All,
            secret: None,
        })
    }

    /// The URL as configured. It is a credential: for the config file and the request only.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Where the request goes: the URL itself, except for ntfy, whose JSON publishing
    /// goes to the server's root with the topic in the body.
    pub fn post_url(&self) -> Url {
        let mut url = self.url.clone();
        if self.kind == WebhookKind::Ntfy {
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.pop();
                // Keep the trailing slash so a server under a path prefix gets its root.
                segments.push("");
            }
            url.set_query(None);
        }
        url
    }

    /// The ntfy topic (the URL's last path segment); `None` for other kinds.
    pub fn ntfy_topic(&self) -> Option<&str> {
        (self.kind == WebhookKind::Ntfy)
            .then(|| self.url.path_segments().and_then(|mut s| s.next_back()))
            .flatten()
    }

    /// The stable identity of this target for the outbox (see [`TargetKey`]).
    pub fn key(&self) -> TargetKey {
        let digest = Sha256::digest(self.url.as_str().as_bytes());
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        TargetKey(format!("{}:{hex}", self.kind))
    }

    /// The URL as it may be shown or logged: host and the start of the path, never the
    /// token: `hooks.slack.com/services/T0…/…`. Query, fragment and user info are left out.
    pub fn redacted_url(&self) -> String {
        redact(&self.url)
    }

    /// Whether a change of `service` (its display name) with `impact` goes to this target.
    /// A change without an impact (none known) passes only `min_impact = "all"`.
    pub fn wants(&self, service: &str, impact: Option<Impact>) -> bool {
        let id = ServiceId::from_name(service);
        let service_ok =
            self.services.is_empty() || self.services.iter().any(|s| ServiceId::from_name(s) == id);
        let impact_ok = match self.min_impact {
            WebhookMinImpact::All => true,
            // As for a service's `notify = "major"`: maintenance is never an outage.
            WebhookMinImpact::Major => {
                impact.is_some_and(|i| i >= Impact::Major && i != Impact::Maintenance)
            }
        };
        service_ok && impact_ok
    }
}

/// A domain with the labels before its last two shortened when they look like a token
/// (services such as Pipedream or tunnels put the secret there: `eo4f…2b.m.pipedream.net`).
fn redact_host(domain: &str) -> String {
    let labels: Vec<&str> = domain.split('.').collect();
    let named = labels.len().saturating_sub(2);
    labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let digits = label.chars().any(|c| c.is_ascii_digit());
            let letters = label.chars().any(|c| c.is_ascii_alphabetic());
            let token = label.len() >= 16 || (label.len() >= 8 && digits && letters);
            if i < named && token {
                let head: String = label.chars().take(2).collect();
                format!("{head}…")
            } else {
                (*label).to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Host and port, the first path segment whole when more follow, the next one's first two
/// characters, then an ellipsis for anything else.
fn redact(url: &Url) -> String {
    let mut out = match url.host() {
        Some(url::Host::Domain(d)) => redact_host(d),
        Some(other) => other.to_string(),
        None => "?".to_owned(),
    };
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    let start = |s: &str| -> String {
        let head: String = s.chars().take(2).collect();
        format!("{head}…")
    };
    match segments.as_slice() {
        [] => {}
        [only] => out.push_str(&format!("/{}", start(only))),
        [first, second] => out.push_str(&format!("/{first}/{}", start(second))),
        [first, second, ..] => out.push_str(&format!("/{first}/{}/…", start(second))),
    }
    if segments.len() < 3 && (url.query().is_some() || url.fragment().is_some()) {
        out.push_str("?…");
    }
    out
}

/// One `[[webhooks]]` table as it is written in the config file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWebhook {
    pub url: toml::Spanned<String>,
    pub kind: Option<toml::Spanned<String>>,
    pub services: Option<toml::Spanned<Vec<String>>>,
    pub min_impact: Option<toml::Spanned<String>>,
    pub secret: Option<toml::Spanned<String>>,
}

impl RawWebhook {
    /// Checks one table. `known` are the watched services' names: a `services` entry that
    /// names none of them is a typo that would silently forward nothing.
    pub fn check(self, known: &[&str]) -> Result<WebhookTarget, FieldError> {
        let kind = match &self.kind {
            None => WebhookKind::default(),
            Some(k) => k
                .get_ref()
                .parse()
                .map_err(|m| FieldError::new("kind", m).at(k.span()))?,
        };
        let mut target =
            WebhookTarget::new(self.url.get_ref(), kind).map_err(|e| e.at(self.url.span()))?;
        if let Some(list) = &self.services {
            let known_ids: Vec<ServiceId> = known.iter().map(|n| ServiceId::from_name(n)).collect();
            for name in list.get_ref() {
                if name.trim().is_empty() {
                    return Err(FieldError::new("services", "has an empty name").at(list.span()));
                }
                if !known_ids.contains(&ServiceId::from_name(name)) {
                    return Err(FieldError::new(
                        "services",
                        format!("{name:?} is not a watched service"),
                    )
                    .at(list.span()));
                }
            }
            target.services = list.get_ref().iter().map(|s| s.trim().to_owned()).collect();
        }
        if let Some(m) = &self.min_impact {
            target.min_impact = m
                .get_ref()
                .parse()
                .map_err(|msg| FieldError::new("min_impact", msg).at(m.span()))?;
        }
        if let Some(s) = &self.secret {
            // The message never repeats the secret.
            target.secret = Some(
                Secret::new(s.get_ref())
                    .map_err(|msg| FieldError::new("secret", msg).at(s.span()))?,
            );
        }
        Ok(target)
    }
}

/// Checks every `[[webhooks]]` table; the same URL twice is an error, since deliveries are
/// queued per target.
pub fn check_all(raw: Vec<RawWebhook>, known: &[&str]) -> Result<Vec<WebhookTarget>, FieldError> {
    let mut out: Vec<WebhookTarget> = Vec::with_capacity(raw.len());
    for r in raw {
        let span = r.url.span();
        let target = r.check(known)?;
        if out.iter().any(|t| t.url == target.url) {
            return Err(
                FieldError::new("url", "the same webhook URL is configured twice").at(span),
            );
        }
        out.push(target);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, kind: WebhookKind) -> WebhookTarget {
        WebhookTarget::new(url, kind).expect("valid target")
    }

    #[test]
    fn urls_are_checked_without_being_repeated() {
        let secret_path = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX";
        assert!(WebhookTarget::new(secret_path, WebhookKind::Slack).is_ok());
        assert!(WebhookTarget::new("http://127.0.0.1:9/hook", WebhookKind::Json).is_ok());
        let table = [
            ("http://hooks.example.com/SECRETTOKEN", "must be https://"),
            ("ftp://hooks.example.com/SECRETTOKEN", "not ftp:"),
            ("hooks.example.com/SECRETTOKEN", "not a URL"),
        ];
        for (url, says) in table {
            let err = WebhookTarget::new(url, WebhookKind::Json).expect_err(url);
            assert_eq!(err.field, "url");
            assert!(err.to_string().contains(says), "{err}");
            assert!(!err.to_string().contains("SECRETTOKEN"), "{err}");
        }
    }

    #[test]
    fn redaction_keeps_host_and_path_start_only() {
        let table = [
            (
                "https://hooks.slack.com/services/T0123/B0456/abcdefSECRET",
                "hooks.slack.com/services/T0…/…",
            ),
            (
                "https://discord.com/api/webhooks/1234567/tokenSECRET",
                "discord.com/api/we…/…",
            ),
            ("https://ntfy.sh/team-SECRET-topic", "ntfy.sh/te…"),
            (
                "https://prod-01.westus.logic.azure.com:443/workflows/abcSECRET/triggers/manual/paths/invoke?sig=SECRET",
                "prod-01.westus.logic.azure.com/workflows/ab…/…",
            ),
            ("http://127.0.0.1:8080/hook?token=SECRET", "127.0.0.1:8080/ho…?…"),
            ("https://user:SECRET@example.com/", "example.com"),
            ("https://example.com/a/SECRET", "example.com/a/SE…"),
            // A token in the host name is shortened too; a short label or the domain is not.
            (
                "https://eo1secret2token3abc.m.pipedream.net/",
                "eo….m.pipedream.net",
            ),
            (
                "https://a1b2c3SECRET.ngrok-free.app/hook",
                "a1….ngrok-free.app/ho…",
            ),
        ];
        for (url, shown) in table {
            let t = target(url, WebhookKind::Json);
            assert_eq!(t.redacted_url(), shown, "{url}");
            assert!(!format!("{t:?}").contains("SECRET"), "{t:?}");
        }
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("valid");
        assert_eq!(format!("{s}"), "…");
        assert_eq!(format!("{s:?}"), "Secret(…)");
        assert_eq!(s.key().map(|k| k.len()), Some(24));
        assert_eq!(
            Secret::new("plain").expect("ok").key(),
            Some(b"plain".to_vec())
        );
        assert!(Secret::new("  ").is_err());
        assert!(Secret::new("whsec_!!!").is_err());
        assert!(Secret::new("whsec_").is_err());
    }

    #[test]
    fn ntfy_posts_to_the_root_with_the_topic_in_the_body() {
        let t = target("https://ntfy.sh/my-team_alerts", WebhookKind::Ntfy);
        assert_eq!(t.post_url().as_str(), "https://ntfy.sh/");
        assert_eq!(t.ntfy_topic(), Some("my-team_alerts"));
        let t = target("https://push.example.com/ntfy/ops", WebhookKind::Ntfy);
        assert_eq!(t.post_url().as_str(), "https://push.example.com/ntfy/");
        for bad in [
            "https://ntfy.sh/",
            "https://ntfy.sh",
            "https://ntfy.sh/a%20b",
        ] {
            let e = WebhookTarget::new(bad, WebhookKind::Ntfy).expect_err(bad);
            assert_eq!(e.field, "url");
        }
        let slack = target("https://hooks.slack.com/services/T/B/X", WebhookKind::Slack);
        assert_eq!(slack.post_url(), *slack.url());
        assert_eq!(slack.ntfy_topic(), None);
    }

    #[test]
    fn keys_are_stable_and_hide_the_url() {
        let a = target(
            "https://hooks.slack.com/services/T/B/SECRET",
            WebhookKind::Slack,
        );
        let b = target(
            "https://hooks.slack.com/services/T/B/SECRET",
            WebhookKind::Slack,
        );
        let c = target(
            "https://hooks.slack.com/services/T/B/OTHER",
            WebhookKind::Slack,
        );
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        assert!(a.key().as_str().starts_with("slack:"));
        assert!(!a.key().as_str().contains("SECRET"));
    }

    #[test]
    fn filters_by_service_and_impact() {
        let mut t = target("https://example.com/hook", WebhookKind::Json);
        use Impact::{Critical, Maintenance, Major, Minor};
        let all: Vec<Option<Impact>> = vec![
            None,
            Some(Impact::None),
            Some(Maintenance),
            Some(Minor),
            Some(Major),
            Some(Critical),
        ];
        assert!(all.iter().all(|i| t.wants("GitHub", *i)));
        t.min_impact = WebhookMinImpact::Major;
        let passed: Vec<Option<Impact>> = all
            .iter()
            .copied()
            .filter(|i| t.wants("GitHub", *i))
            .collect();
        assert_eq!(passed, vec![Some(Major), Some(Critical)]);
        t.min_impact = WebhookMinImpact::All;
        t.services = vec!["OpenAI".to_owned(), "google cloud".to_owned()];
        let table = [
            ("OpenAI", true),
            ("openai", true),
            ("Google Cloud", true),
            ("GitHub", false),
        ];
        for (service, wanted) in table {
            assert_eq!(t.wants(service, Some(Minor)), wanted, "{service}");
        }
    }

    #[derive(Debug, Deserialize)]
    struct File {
        webhooks: Vec<RawWebhook>,
    }

    fn parse(text: &str) -> Result<Vec<WebhookTarget>, FieldError> {
        let file: File = toml::from_str(text).expect("toml");
        check_all(file.webhooks, &["OpenAI", "GitHub"])
    }

    #[test]
    fn parses_tables_and_names_the_bad_field() {
        let ok = parse(
            r#"
[[webhooks]]
url = "https://hooks.slack.com/services/T/B/X"
kind = "slack"
services = ["OpenAI"]
min_impact = "major"
secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

[[webhooks]]
url = "http://127.0.0.1:9000/in"
"#,
        )
        .expect("valid");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].kind, WebhookKind::Slack);
        assert_eq!(ok[0].services, vec!["OpenAI".to_owned()]);
        assert_eq!(ok[0].min_impact, WebhookMinImpact::Major);
        assert!(ok[0].secret.is_some());
        assert_eq!(ok[1].kind, WebhookKind::Json);
        assert_eq!(ok[1].min_impact, WebhookMinImpact::All);

        let table = [
            ("url = \"http://example.com/TOKEN\"", "url", "https"),
            (
                "url = \"https://a.example/x\"\nkind = \"mattermost\"",
                "kind",
                "mattermost",
            ),
            (
                "url = \"https://a.example/x\"\nmin_impact = \"muted\"",
                "min_impact",
                "muted",
            ),
            (
                "url = \"https://a.example/x\"\nservices = [\"OpenAl\"]",
                "services",
                "OpenAl",
            ),
            (
                "url = \"https://a.example/x\"\nsecret = \"whsec_%%\"",
                "secret",
                "base64",
            ),
            (
                "url = \"https://ntfy.sh/\"\nkind = \"ntfy\"",
                "url",
                "topic",
            ),
            (
                "url = \"https://a.example/x\"\n[[webhooks]]\nurl = \"https://a.example/x\"",
                "url",
                "twice",
            ),
        ];
        for (body, field, says) in table {
            let text = format!("[[webhooks]]\n{body}\n");
            let err = parse(&text).expect_err(body);
            assert_eq!(err.field, field, "{body}");
            assert!(err.message.contains(says), "{body}: {err}");
            let span = err.span.clone().expect("span");
            assert!(span.end <= text.len() && span.start < span.end, "{body}");
            assert!(!err.to_string().contains("TOKEN"), "{err}");
        }
        let unknown: Result<File, _> =
            toml::from_str("[[webhooks]]\nurl = \"https://a.example/x\"\nchannel = \"#ops\"\n");
        assert!(unknown.is_err(), "unknown keys are refused");
    }
}

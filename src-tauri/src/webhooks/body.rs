//! What a webhook POSTs: one delivery rendered as each kind of receiver expects it.

// Bodies are typed structs, not `json!` maps: the bytes must not depend on whether some
// other crate turned on serde_json's `preserve_order`, because the signature covers them.

use super::target::{WebhookKind, WebhookTarget};
use crate::model::Impact;
use crate::sources::text::escape_markup;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Discord refuses a `content` longer than this (in characters).
pub const DISCORD_MAX_CONTENT: usize = 2000;
/// Slack truncates a section's text beyond this.
const SLACK_MAX_SECTION: usize = 3000;
/// ntfy's default message limit is 4096 bytes; longer ones become attachments.
const NTFY_MAX_MESSAGE_BYTES: usize = 4000;

/// Identifies one delivery: the same on every retry of it, different for every other one,
/// so a receiver can drop duplicates. Random, and stored with the queued delivery.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeliveryId(String);

impl DeliveryId {
    /// `msg_` and 32 hex digits (128 random bits).
    pub fn generate(rng: &mut fastrand::Rng) -> Self {
        DeliveryId(format!("msg_{:032x}", rng.u128(..)))
    }

    /// An id read back from the outbox. Only `[A-Za-z0-9_-]`: it is part of the signed
    /// content, where `.` separates the parts.
    pub fn parse(s: &str) -> Option<Self> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        ok.then(|| DeliveryId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DeliveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One announced change, with the fields `watch --json` prints for it (and the ones the
/// issue adds: `impact`, `url`, `lead_secs`). Stored with the queued delivery, so it is
/// also read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookEvent {
    /// `incident_opened`, `incident_updated`, `incident_resolved`, `component_degraded`, …
    pub event: String,
    pub service: String,
    pub service_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// The page state the change implies; `null` when none, as `watch --json` prints it.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The incident's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// How long before the status page we suspected it (early warning), in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_secs: Option<u64>,
    /// When a scheduled maintenance starts (`maintenance_upcoming`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

/// The words, exactly as the pop-up has them (the alert policy's notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendered {
    pub title: String,
    pub body: String,
}

/// One queued delivery to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: DeliveryId,
    pub event: WebhookEvent,
    pub text: Rendered,
}

/// How a change looks: colours, ntfy priority and tags follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A major or critical incident, a partial or major component outage.
    Outage,
    /// Something smaller going wrong, or news of an ongoing incident.
    Trouble,
    Maintenance,
    /// Resolved, recovered, completed.
    Good,
}

impl Tone {
    pub fn of(e: &WebhookEvent) -> Tone {
        match e.event.as_str() {
            "incident_resolved" | "component_recovered" | "maintenance_completed" => Tone::Good,
            "maintenance_started" => Tone::Maintenance,
            _ => match e.impact {
                Some(Impact::Major | Impact::Critical) => Tone::Outage,
                Some(Impact::Maintenance) => Tone::Maintenance,
                _ => Tone::Trouble,
            },
        }
    }
}

/// The incident link, only when it is a web address (status text is untrusted).
fn web_link(e: &WebhookEvent) -> Option<String> {
    let url = url::Url::parse(e.url.as_deref()?.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// At most `max` characters, cut on a character boundary, ending in `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// At most `max` bytes, cut on a character boundary, ending in `…` when cut.
fn cut_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_owned();
    }
    let room = max.saturating_sub('…'.len_utf8());
    let end = (0..=room)
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0);
    format!("{}…", &s[..end])
}

#[derive(Serialize)]
struct JsonBody<'a> {
    id: &'a DeliveryId,
    #[serde(flatten)]
    event: &'a WebhookEvent,
}

// Slack: an incoming webhook takes `text` and Block Kit `blocks`.
#[derive(Serialize)]
struct SlackBody {
    /// The notification and accessibility fallback for the blocks.
    text: String,
    blocks: Vec<SlackBlock>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum SlackBlock {
    Section { text: SlackText },
    Context { elements: Vec<SlackText> },
}

#[derive(Serialize)]
struct SlackText {
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
}

fn slack(d: &Delivery) -> SlackBody {
    let title = escape_markup(&d.text.title);
    let section = cut(
        &format!("*{title}*\n{}", escape_markup(&d.text.body)),
        SLACK_MAX_SECTION,
    );
    let mut blocks = vec![SlackBlock::Section {
        text: SlackText {
            kind: "mrkdwn",
            text: section,
        },
    }];
    if let Some(url) = web_link(&d.event) {
        // `|` and `>` would end the link early; a parsed URL has `>` encoded already.
        let url = url.replace('|', "%7C").replace('>', "%3E");
        blocks.push(SlackBlock::Context {
            elements: vec![SlackText {
                kind: "mrkdwn",
                text: format!("<{url}|View incident>"),
            }],
        });
    }
    SlackBody {
        text: title,
        blocks,
    }
}

// Discord: "execute webhook" takes `content` and `allowed_mentions`.
#[derive(Serialize)]
struct DiscordBody {
    content: String,
    /// Nobody is pinged, whatever `@everyone` or `<@id>` the status text contains.
    allowed_mentions: DiscordMentions,
}

#[derive(Serialize)]
struct DiscordMentions {
    parse: [&'static str; 0],
}

/// A backslash before Markdown punctuation shows it literally (CommonMark, as Discord).
fn discord_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '[' | ']' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn discord(d: &Delivery) -> DiscordBody {
    // The link comes last and is never cut; `<…>` keeps Discord from embedding a preview.
    let link = web_link(&d.event)
        .map(|u| format!("\n<{u}>"))
        .unwrap_or_default();
    let words = format!(
        "**{}**\n{}",
        discord_escape(&d.text.title),
        discord_escape(&d.text.body)
    );
    let room = DISCORD_MAX_CONTENT.saturating_sub(link.chars().count());
    DiscordBody {
        content: format!("{}{link}", cut(&words, room)),
        allowed_mentions: DiscordMentions { parse: [] },
    }
}

// ntfy: "publish as JSON" goes to the server root with the topic in the body.
#[derive(Serialize)]
struct NtfyBody<'a> {
    topic: &'a str,
    title: &'a str,
    message: String,
    /// 1 (min) to 5 (max); 3 is the default.
    priority: u8,
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    click: Option<String>,
}

fn ntfy<'a>(d: &'a Delivery, topic: &'a str) -> NtfyBody<'a> {
    let tone = Tone::of(&d.event);
    // Emoji short codes ntfy shows in front of the title.
    let emoji = match tone {
        Tone::Outage => "rotating_light",
        Tone::Trouble => "warning",
        Tone::Maintenance => "wrench",
        Tone::Good => "white_check_mark",
    };
    NtfyBody {
        topic,
        title: &d.text.title,
        message: cut_bytes(&d.text.body, NTFY_MAX_MESSAGE_BYTES),
        priority: if tone == Tone::Outage { 5 } else { 3 },
        tags: vec![emoji, &d.event.service_id],
        click: web_link(&d.event),
    }
}

// Teams Workflows ("When a Teams webhook request is received"): a message with one
// Adaptive Card attachment.
#[derive(Serialize)]
struct TeamsBody {
    #[serde(rename = "type")]
    kind: &'static str,
    attachments: [TeamsAttachment; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TeamsAttachment {
    content_type: &'static str,
    content_url: Option<String>,
    content: AdaptiveCard,
}

#[derive(Serialize)]
struct AdaptiveCard {
    #[serde(rename = "$schema")]
    schema: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    version: &'static str,
    body: Vec<TextBlock>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    actions: Vec<OpenUrl>,
}

#[derive(Serialize)]
struct TextBlock {
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
    wrap: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    color: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spacing: Option<&'static str>,
}

#[derive(Serialize)]
struct OpenUrl {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    url: String,
}

fn teams(d: &Delivery) -> TeamsBody {
    let color = match Tone::of(&d.event) {
        Tone::Outage => "Attention",
        Tone::Trouble => "Warning",
        Tone::Maintenance => "Accent",
        Tone::Good => "Good",
    };
    let mut body = vec![TextBlock {
        kind: "TextBlock",
        text: d.text.title.clone(),
        wrap: true,
        weight: Some("Bolder"),
        size: Some("Medium"),
        color: Some(color),
        spacing: None,
    }];
    // One block per line: hosts differ on whether a lone "\n" breaks a line.
    body.extend(d.text.body.lines().map(|line| TextBlock {
        kind: "TextBlock",
        text: line.to_owned(),
        wrap: true,
        weight: None,
        size: None,
        color: None,
        spacing: Some("None"),
    }));
    TeamsBody {
        kind: "message",
        attachments: [TeamsAttachment {
            content_type: "application/vnd.microsoft.card.adaptive",
            content_url: None,
            content: AdaptiveCard {
                schema: "http://adaptivecards.io/schemas/adaptive-card.json",
                kind: "AdaptiveCard",
                version: "1.4",
                body,
                actions: web_link(&d.event)
                    .map(|url| OpenUrl {
                        kind: "Action.OpenUrl",
                        title: "View incident",
                        url,
                    })
                    .into_iter()
                    .collect(),
            },
        }],
    }
}

/// The request body for `target`, as bytes (the signature covers exactly these).
pub fn render(target: &WebhookTarget, d: &Delivery) -> Result<Vec<u8>, serde_json::Error> {
    match target.kind {
        WebhookKind::Json => serde_json::to_vec(&JsonBody {
            id: &d.id,
            event: &d.event,
        }),
        WebhookKind::Slack => serde_json::to_vec(&slack(d)),
        WebhookKind::Discord => serde_json::to_vec(&discord(d)),
        WebhookKind::Ntfy => serde_json::to_vec(&ntfy(d, target.ntfy_topic().unwrap_or(""))),
        WebhookKind::Teams => serde_json::to_vec(&teams(d)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn opened() -> Delivery {
        Delivery {
            id: DeliveryId::parse("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W").expect("id"),
            event: WebhookEvent {
                event: "incident_opened".to_owned(),
                service: "OpenAI".to_owned(),
                service_id: "openai".to_owned(),
                incident_id: Some("x1".to_owned()),
                title: Some("Elevated errors".to_owned()),
                phase: Some("investigating".to_owned()),
                impact: Some(Impact::Critical),
                status: Some("major_outage".to_owned()),
                component: None,
                url: Some("https://status.openai.com/incidents/x1".to_owned()),
                lead_secs: None,
                starts_at: None,
                at: Utc
                    .with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
                    .single()
                    .expect("time"),
            },
            text: Rendered {
                title: "OpenAI — outage began".to_owned(),
                body: "Elevated errors\nInvestigating · critical impact\nAffects: API, ChatGPT"
                    .to_owned(),
            },
        }
    }

    pub(crate) fn target(kind: WebhookKind) -> WebhookTarget {
        let url = match kind {
            WebhookKind::Json => "https://receiver.example/outage-radar",
            WebhookKind::Slack => "https://hooks.slack.com/services/T000/B000/XXXX",
            WebhookKind::Discord => "https://discord.com/api/webhooks/1/XXXX",
            WebhookKind::Ntfy => "https://ntfy.sh/team-alerts",
            WebhookKind::Teams => {
                "https://prod-01.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke"
            }
        };
        WebhookTarget::new(url, kind).expect("target")
    }

    /// A kind's golden file: its headers (with the secret and time they were signed with)
    /// and body.
    pub(crate) fn golden(kind: WebhookKind) -> serde_json::Value {
        let text = match kind {
            WebhookKind::Json => include_str!("../../../tests/golden/webhooks/json.json"),
            WebhookKind::Slack => include_str!("../../../tests/golden/webhooks/slack.json"),
            WebhookKind::Discord => include_str!("../../../tests/golden/webhooks/discord.json"),
            WebhookKind::Ntfy => include_str!("../../../tests/golden/webhooks/ntfy.json"),
            WebhookKind::Teams => include_str!("../../../tests/golden/webhooks/teams.json"),
        };
        serde_json::from_str(text).expect("golden file is JSON")
    }

    /// The JSON pointers at which two values differ, with both sides.
    pub(crate) fn differences(
        path: &str,
        want: &serde_json::Value,
        got: &serde_json::Value,
        out: &mut Vec<String>,
    ) {
        use serde_json::Value;
        match (want, got) {
            (Value::Object(w), Value::Object(g)) => {
                for (k, wv) in w {
                    match g.get(k) {
                        Some(gv) => differences(&format!("{path}/{k}"), wv, gv, out),
                        None => out.push(format!("{path}/{k}: missing")),
                    }
                }
                for k in g.keys().filter(|k| !w.contains_key(*k)) {
                    out.push(format!("{path}/{k}: not in the golden file"));
                }
            }
            (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
                for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                    differences(&format!("{path}/{i}"), wv, gv, out);
                }
            }
            (w, g) if w != g => out.push(format!("{path}: want {w}, got {g}")),
            _ => {}
        }
    }

    #[test]
    fn each_kind_matches_its_golden_body() {
        let d = opened();
        for kind in WebhookKind::ALL {
            let bytes = render(&target(kind), &d).expect("renders");
            let got: serde_json::Value = serde_json::from_slice(&bytes).expect("valid JSON");
            let want = golden(kind);
            let mut diffs = Vec::new();
            differences("", &want["body"], &got, &mut diffs);
            assert!(diffs.is_empty(), "{kind}: {diffs:#?}");
            // Rendering twice gives the same bytes: retries sign the same body.
            assert_eq!(render(&target(kind), &d).expect("renders"), bytes, "{kind}");
        }
    }

    #[test]
    fn json_body_is_the_event_plus_id_and_reads_back() {
        let d = opened();
        let bytes = render(&target(WebhookKind::Json), &d).expect("renders");
        let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
        assert_eq!(v["id"], "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        let back: WebhookEvent = serde_json::from_value(v).expect("reads back");
        assert_eq!(back, d.event);
        // A quiet event keeps `status: null` and leaves the absent fields out.
        let mut quiet = d.event.clone();
        quiet.status = None;
        quiet.url = None;
        quiet.impact = None;
        let v = serde_json::to_value(&quiet).expect("json");
        assert!(v.get("status").is_some_and(serde_json::Value::is_null));
        assert!(v.get("url").is_none() && v.get("impact").is_none());
        assert!(v.get("lead_secs").is_none());
    }

    #[test]
    fn untrusted_text_is_escaped_and_links_are_web_only() {
        let mut d = opened();
        d.text.title = "A <b>&</b> @everyone **x**".to_owned();
        d.event.url = Some("javascript:alert(1)".to_owned());
        let slack: serde_json::Value =
            serde_json::from_slice(&render(&target(WebhookKind::Slack), &d).expect("r"))
                .expect("json");
        assert_eq!(slack["text"], "A &lt;b&gt;&amp;&lt;/b&gt; @everyone **x**");
        assert_eq!(slack["blocks"].as_array().map(Vec::len), Some(1), "no link");
        let discord: serde_json::Value =
            serde_json::from_slice(&render(&target(WebhookKind::Discord), &d).expect("r"))
                .expect("json");
        let content = discord["content"].as_str().expect("content");
        assert!(
            content.starts_with(r"**A <b\>&</b\> @everyone \*\*x\*\***"),
            "{content}"
        );
        assert!(!content.contains("javascript"), "{content}");
        assert_eq!(discord["allowed_mentions"]["parse"], serde_json::json!([]));
        for kind in [WebhookKind::Ntfy, WebhookKind::Teams] {
            let bytes = render(&target(kind), &d).expect("r");
            let text = String::from_utf8(bytes).expect("utf-8");
            assert!(!text.contains("javascript"), "{kind}: {text}");
        }
        // A `|` in the link would end Slack's link early.
        d.event.url = Some("https://status.example/i?a=1|2".to_owned());
        let slack: serde_json::Value =
            serde_json::from_slice(&render(&target(WebhookKind::Slack), &d).expect("r"))
                .expect("json");
        assert_eq!(
            slack["blocks"][1]["elements"][0]["text"],
            "<https://status.example/i?a=1%7C2|View incident>"
        );
    }

    #[test]
    fn discord_content_fits_and_keeps_the_link() {
        let mut d = opened();
        // Multi-byte characters right at the limit: the cut must fall between characters.
        d.text.body = "é🚨".repeat(1500);
        let v: serde_json::Value =
            serde_json::from_slice(&render(&target(WebhookKind::Discord), &d).expect("r"))
                .expect("json");
        let content = v["content"].as_str().expect("content");
        assert_eq!(content.chars().count(), DISCORD_MAX_CONTENT);
        assert!(content.ends_with("…\n<https://status.openai.com/incidents/x1>"));
        let short = opened();
        let v: serde_json::Value =
            serde_json::from_slice(&render(&target(WebhookKind::Discord), &short).expect("r"))
                .expect("json");
        assert!(!v["content"].as_str().expect("content").contains('…'));
    }

    #[test]
    fn ntfy_priority_and_tags_follow_the_tone() {
        let table = [
            (
                "incident_opened",
                Some(Impact::Critical),
                5,
                "rotating_light",
            ),
            ("incident_updated", Some(Impact::Major), 5, "rotating_light"),
            (
                "component_degraded",
                Some(Impact::Major),
                5,
                "rotating_light",
            ),
            ("incident_opened", Some(Impact::Minor), 3, "warning"),
            ("incident_opened", None, 3, "warning"),
            (
                "incident_resolved",
                Some(Impact::Critical),
                3,
                "white_check_mark",
            ),
            (
                "component_recovered",
                Some(Impact::Minor),
                3,
                "white_check_mark",
            ),
            (
                "maintenance_started",
                Some(Impact::Maintenance),
                3,
                "wrench",
            ),
        ];
        for (event, impact, priority, tag) in table {
            let mut d = opened();
            d.event.event = event.to_owned();
            d.event.impact = impact;
            let v: serde_json::Value =
                serde_json::from_slice(&render(&target(WebhookKind::Ntfy), &d).expect("r"))
                    .expect("json");
            assert_eq!(v["priority"], priority, "{event} {impact:?}");
            assert_eq!(v["tags"][0], tag, "{event} {impact:?}");
            assert_eq!(v["topic"], "team-alerts");
        }
        let mut d = opened();
        d.text.body = "ü".repeat(5000);
        let v: serde_json::Value =
            serde_json::from_slice(&render(&target(WebhookKind::Ntfy), &d).expect("r"))
                .expect("json");
        let message = v["message"].as_str().expect("message");
        assert!(message.len() <= NTFY_MAX_MESSAGE_BYTES && message.ends_with('…'));
    }

    #[test]
    fn delivery_ids_are_unique_and_safe_to_sign() {
        let mut rng = fastrand::Rng::with_seed(7);
        let ids: std::collections::HashSet<DeliveryId> =
            (0..1000).map(|_| DeliveryId::generate(&mut rng)).collect();
        assert_eq!(ids.len(), 1000);
        for id in &ids {
            assert_eq!(DeliveryId::parse(id.as_str()).as_ref(), Some(id));
            assert_eq!(id.as_str().len(), 36);
        }
        for bad in ["", "msg.1", "msg 1", "msg/1"] {
            assert_eq!(DeliveryId::parse(bad), None, "{bad:?}");
        }
    }
}

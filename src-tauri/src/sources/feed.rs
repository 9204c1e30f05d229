//! RSS and Atom incident-history feeds: each entry becomes one incident, its phase read from the entry's HTML.

use super::{describe_body, ParseError, Source};
use crate::model::{Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status};
use chrono::{
    DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc,
};
use feed_rs::model::{Entry, FeedType};

const EXPECTED: &str = "an RSS or Atom feed";

/// An entry whose phase cannot be read is taken as over once the feed has moved on this
/// far past it (measured between the provider's own times, never the local clock).
const STALE_AFTER_HOURS: i64 = 24;

/// Parses an RSS 2.0 (or 0.9x/1.0) or Atom feed.
pub fn parse(src: &Source<'_>, body: &[u8]) -> Result<Snapshot, ParseError> {
    let not_the_format = || ParseError::NotTheFormat {
        expected: EXPECTED,
        got: describe_body(body),
    };
    // feed-rs also reads JSON Feed; a JSON body here is some other API's answer.
    let first = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| body.get(i));
    if matches!(first, None | Some(b'{') | Some(b'[')) {
        return Err(not_the_format());
    }
    let parser = feed_rs::parser::Builder::new()
        // The default invents a random id for entries with neither id nor link; an
        // unstable id would announce the same incident on every poll. Empty: skipped.
        .id_generator(|links, _title, _base| {
            links.first().map(|l| l.href.clone()).unwrap_or_default()
        })
        .build();
    let feed = parser.parse(body).map_err(|e| {
        if looks_like_feed(body) {
            ParseError::Malformed {
                expected: EXPECTED,
                detail: e.to_string(),
            }
        } else {
            not_the_format()
        }
    })?;
    if !matches!(
        feed.feed_type,
        FeedType::Atom | FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    ) {
        return Err(not_the_format());
    }
    let newest = feed
        .updated
        .into_iter()
        .chain(feed.entries.iter().filter_map(entry_time))
        .max();

    let mut drafts: Vec<Draft> = feed
        .entries
        .iter()
        .filter_map(|e| draft(e, newest))
        .collect();
    resolve_aws_items(&mut drafts);

    let mut incidents = Vec::new();
    let mut maintenances = Vec::new();
    for d in drafts {
        if d.maintenance {
            maintenances.push(d.incident);
        } else {
            incidents.push(d.incident);
        }
    }

    // A feed has no current state of its own: only what is still open says anything.
    let status = super::overall_status(Status::Operational, &[], &incidents, &maintenances);

    Ok(Snapshot {
        service: src.service.to_owned(),
        format: "feed".to_owned(),
        page_url: src.page_url.to_owned(),
        status,
        description: None,
        components: Vec::new(),
        incidents,
        maintenances,
    })
}

/// One entry on its way to an incident.
struct Draft {
    incident: Incident,
    maintenance: bool,
    /// Set for AWS items: what the title prefix says, and when the item was posted.
    aws: Option<(AwsState, Option<DateTime<Utc>>)>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AwsState {
    Normal,
    Issue,
}

fn draft(entry: &Entry, newest: Option<DateTime<Utc>>) -> Option<Draft> {
    let raw_id = entry.id.trim();
    let id = if raw_id.is_empty() {
        entry_link(entry).unwrap_or_default()
    } else if super::is_http(raw_id) {
        // incident.io writes `https://host//incidents/…`; should it fix that, the ids
        // must not change or every incident would be announced again.
        collapse_slashes(raw_id)
    } else {
        raw_id.to_owned()
    };
    if id.is_empty() {
        tracing::warn!("skipping a feed entry with neither id nor link");
        return None;
    }
    let title = entry
        .title
        .as_ref()
        .map(|t| {
            if t.content_type.as_str().contains("html") {
                html_to_text(&t.content)
            } else {
                t.content.trim().to_owned()
            }
        })
        .unwrap_or_default();
    let bodies: Vec<&str> = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .into_iter()
        .chain(entry.summary.as_ref().map(|s| s.content.as_str()))
        .filter(|b| !b.trim().is_empty())
        .collect();
    let at = entry_time(entry);
    let base = Base {
        id,
        title,
        url: entry_link(entry),
        at,
        published: entry.published,
    };

    if let Some(updates) = bodies
        .iter()
        .map(|b| statuspage_updates(b))
        .find(|u| !u.is_empty())
    {
        return Some(from_statuspage(base, updates));
    }
    if let Some((i, (word, text))) = bodies
        .iter()
        .enumerate()
        .find_map(|(i, b)| incidentio_status(b).map(|s| (i, s)))
    {
        // The components list may sit in the summary while the status is in the content.
        let components = bodies
            .get(i)
            .map(|b| incidentio_components(b))
            .filter(|c| !c.is_empty())
            .or_else(|| {
                bodies
                    .iter()
                    .map(|b| incidentio_components(b))
                    .find(|c| !c.is_empty())
            })
            .unwrap_or_default();
        return Some(from_incidentio(base, &word, text, components));
    }
    let text = bodies.first().map(|b| html_to_text(b)).unwrap_or_default();
    if let Some((state, impact, rest)) = aws_title(&base.title) {
        return Some(from_aws(base, state, impact, rest, text));
    }
    Some(unrecovered(base, text, newest))
}

struct Base {
    id: String,
    title: String,
    url: Option<String>,
    at: Option<DateTime<Utc>>,
    published: Option<DateTime<Utc>>,
}

fn single_update(base: &Base, phase: Phase, body: String) -> IncidentUpdate {
    // One entry shows one (the latest) update: its time tells updates apart.
    let stamp = base
        .at
        .map_or_else(|| "undated".to_owned(), |t| t.to_rfc3339());
    IncidentUpdate {
        id: format!("{}@{stamp}", base.id),
        phase,
        body,
        at: base.at,
    }
}

fn incident(
    base: Base,
    phase: Phase,
    impact: Impact,
    updates: Vec<IncidentUpdate>,
    started_at: Option<DateTime<Utc>>,
) -> Incident {
    let last_at = updates.iter().rev().find_map(|u| u.at);
    let updated_at = base.at.or(last_at);
    Incident {
        id: IncidentId(base.id),
        title: base.title,
        phase,
        impact,
        started_at,
        updated_at,
        resolved_at: if phase.is_closed() {
            last_at.or(updated_at)
        } else {
            None
        },
        url: base.url,
        components: Vec::new(),
        updates,
    }
}

fn from_statuspage(base: Base, newest_first: Vec<Posted>) -> Draft {
    let words: Vec<Word> = newest_first.iter().rev().map(|p| word(&p.word)).collect();
    let maintenance = words.iter().any(|w| {
        matches!(
            w,
            Word::Phase(Phase::Scheduled | Phase::InProgress | Phase::Verifying | Phase::Completed)
        )
    });
    let mut known: Option<Phase> = None;
    let mut updates = Vec::with_capacity(words.len());
    for (n, (p, w)) in newest_first.iter().rev().zip(words).enumerate() {
        let phase = match w {
            Word::Phase(phase) => {
                known = Some(phase);
                phase
            }
            // "Update" repeats whatever phase the incident was already in.
            Word::NotAPhase => known.unwrap_or(if maintenance {
                Phase::Scheduled
            } else {
                Phase::Investigating
            }),
        };
        updates.push(IncidentUpdate {
            // Updates are only ever added on top, so counting from the oldest is stable.
            id: format!("{}#{n}", base.id),
            phase,
            body: p.body.clone(),
            at: p
                .date
                .as_deref()
                .and_then(|d| statuspage_date(d, base.at.or(base.published))),
        });
    }
    let phase = updates.last().map_or(Phase::Unknown, |u| u.phase);
    // The feed does not say how bad it is: an open incident is shown as at least minor.
    let impact = if maintenance {
        Impact::Maintenance
    } else {
        Impact::Minor
    };
    let started_at = updates.iter().find_map(|u| u.at).or(base.published);
    Draft {
        incident: incident(base, phase, impact, updates, started_at),
        maintenance,
        aws: None,
    }
}

fn from_incidentio(
    base: Base,
    status_word: &str,
    text: String,
    components: Vec<(String, Option<Impact>)>,
) -> Draft {
    let phase = match word(status_word) {
        Word::Phase(p) => p,
        Word::NotAPhase => {
            tracing::warn!(value = status_word, "incident.io status without a phase");
            Phase::Unknown
        }
    };
    let maintenance = matches!(
        phase,
        Phase::Scheduled | Phase::InProgress | Phase::Verifying | Phase::Completed
    );
    let impact = if maintenance {
        Impact::Maintenance
    } else {
        components
            .iter()
            .filter_map(|(_, i)| *i)
            .max()
            .unwrap_or(Impact::Minor)
    };
    let update = single_update(&base, phase, text);
    let started_at = base.published;
    let mut i = incident(base, phase, impact, vec![update], started_at);
    i.components = components.into_iter().map(|(name, _)| name).collect();
    Draft {
        incident: i,
        maintenance,
        aws: None,
    }
}

fn from_aws(mut base: Base, state: AwsState, impact: Impact, rest: String, text: String) -> Draft {
    // "[RESOLVED]" in the title closes that item whatever its prefix says.
    let resolved = state == AwsState::Normal || rest.to_ascii_uppercase().contains("[RESOLVED]");
    let phase = if resolved {
        Phase::Resolved
    } else {
        Phase::Investigating
    };
    let at = base.at;
    let update = single_update(&base, phase, text);
    base.title = rest;
    let started_at = base.published;
    Draft {
        incident: incident(base, phase, impact, vec![update], started_at),
        maintenance: false,
        aws: Some((state, at)),
    }
}

fn unrecovered(base: Base, text: String, newest: Option<DateTime<Utc>>) -> Draft {
    let stale = match (base.at, newest) {
        (Some(at), Some(newest)) => newest - at > Duration::hours(STALE_AFTER_HOURS),
        _ => false,
    };
    let phase = if stale {
        Phase::Resolved
    } else {
        tracing::warn!(id = %base.id, "feed entry without a readable state; treated as open");
        Phase::Unknown
    };
    let update = single_update(&base, phase, text);
    let started_at = base.published;
    Draft {
        incident: incident(base, phase, Impact::Minor, vec![update], started_at),
        maintenance: false,
        aws: None,
    }
}

/// AWS posts every change of an event as a new item and never closes the old ones: an
/// "operating normally" item closes every item of the feed posted before it.
fn resolve_aws_items(drafts: &mut [Draft]) {
    let normal_times: Vec<DateTime<Utc>> = drafts
        .iter()
        .filter_map(|d| match d.aws {
            Some((AwsState::Normal, Some(at))) => Some(at),
            _ => None,
        })
        .collect();
    for d in drafts.iter_mut() {
        let Some((AwsState::Issue, Some(at))) = d.aws else {
            continue;
        };
        if d.incident.phase.is_closed() {
            continue;
        }
        if let Some(closed_by) = normal_times.iter().filter(|t| **t > at).min() {
            d.incident.phase = Phase::Resolved;
            d.incident.resolved_at = Some(*closed_by);
        }
    }
}

/// The AWS title prefix: what state it says, how bad, and the title without it.
fn aws_title(title: &str) -> Option<(AwsState, Impact, String)> {
    let (prefix, rest) = title.split_once(':')?;
    let (state, impact) = match prefix.trim().to_ascii_lowercase().as_str() {
        "service is operating normally" => (AwsState::Normal, Impact::None),
        "informational message" => (AwsState::Issue, Impact::Minor),
        "service degradation" => (AwsState::Issue, Impact::Major),
        "service disruption" => (AwsState::Issue, Impact::Critical),
        _ => return None,
    };
    Some((state, impact, rest.trim().to_owned()))
}

enum Word {
    Phase(Phase),
    NotAPhase,
}

/// A phase word as Statuspage (`<strong>Identified</strong>`) or incident.io
/// (`Status: Identified`) writes it.
fn word(raw: &str) -> Word {
    let lower = raw.trim().to_lowercase();
    let phase = match lower.as_str() {
        "update" => return Word::NotAPhase,
        "investigating" => Phase::Investigating,
        "identified" => Phase::Identified,
        "monitoring" => Phase::Monitoring,
        "resolved" => Phase::Resolved,
        "postmortem" | "post-mortem" => Phase::Postmortem,
        "scheduled" | "maintenance scheduled" => Phase::Scheduled,
        "in progress" | "maintenance in progress" => Phase::InProgress,
        "verifying" => Phase::Verifying,
        "completed" | "complete" | "maintenance complete" | "maintenance completed" => {
            Phase::Completed
        }
        _ => {
            tracing::warn!(
                value = raw,
                "unknown phase in a feed entry; treated as open"
            );
            Phase::Unknown
        }
    };
    Word::Phase(phase)
}

/// One `<p><small>date</small><br><strong>Phase</strong> - text</p>` of a Statuspage entry.
struct Posted {
    word: String,
    date: Option<String>,
    body: String,
}

/// Statuspage's updates, newest first as the entry lists them. Empty when the HTML is
/// not in that shape.
fn statuspage_updates(html: &str) -> Vec<Posted> {
    let mut out = Vec::new();
    for chunk in html.split("</p>") {
        let para = chunk.rfind("<p>").map_or(chunk, |i| &chunk[i + 3..]);
        let Some(open) = para.find("<strong>") else {
            continue;
        };
        let inner = &para[open + "<strong>".len()..];
        let Some(close) = inner.find("</strong>") else {
            continue;
        };
        let word = html_to_text(&inner[..close]);
        let rest = inner[close + "</strong>".len()..].trim_start();
        // Only a dash after the word marks it as the phase, not some bold text.
        let Some(rest) = rest
            .strip_prefix('-')
            .or_else(|| rest.strip_prefix('\u{2013}'))
        else {
            continue;
        };
        let before = &para[..open];
        let date = between(before, "<small>", "</small>").map(html_to_text);
        let lead = html_to_text(before);
        if !lead.is_empty() && Some(&lead) != date.as_ref() {
            continue;
        }
        if word.is_empty() {
            continue;
        }
        out.push(Posted {
            word,
            date,
            body: html_to_text(rest),
        });
    }
    out
}

/// incident.io's `<b>Status: X</b>` and the text after it (up to the components list).
fn incidentio_status(html: &str) -> Option<(String, String)> {
    let mut from = 0;
    while let Some(i) = html.get(from..).and_then(|s| s.find("<b>")) {
        let start = from + i + "<b>".len();
        let inner = html.get(start..)?;
        let end = inner.find("</b>")?;
        let label = html_to_text(&inner[..end]);
        if let Some(word) = strip_prefix_ignore_case(&label, "status:") {
            let after = &inner[end + "</b>".len()..];
            let text_html = after
                .find("<b>Affected components")
                .map_or(after, |j| &after[..j]);
            return Some((word.trim().to_owned(), html_to_text(text_html)));
        }
        from = start + end;
    }
    None
}

/// The `<li>Name (Degraded performance)</li>` rows after incident.io's "Affected components".
fn incidentio_components(html: &str) -> Vec<(String, Option<Impact>)> {
    let Some(i) = html.find("Affected components") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in html[i..].split("<li>").skip(1) {
        let item = chunk.find("</li>").map_or(chunk, |j| &chunk[..j]);
        let text = html_to_text(item);
        let (name, impact) = match text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
            Some((name, state)) => (name.trim().to_owned(), component_impact(state)),
            None => (text.clone(), None),
        };
        if !name.is_empty() && !out.iter().any(|(n, _)| *n == name) {
            out.push((name, impact));
        }
    }
    out
}

fn component_impact(state: &str) -> Option<Impact> {
    match state.trim().to_lowercase().as_str() {
        "operational" => None,
        "degraded performance" | "degraded" => Some(Impact::Minor),
        "partial outage" => Some(Impact::Major),
        "full outage" | "major outage" => Some(Impact::Critical),
        "under maintenance" | "maintenance" => Some(Impact::Maintenance),
        _ => {
            tracing::warn!(
                value = state,
                "unknown component state in a feed; treated as minor"
            );
            Some(Impact::Minor)
        }
    }
}

/// Statuspage's `<small>` date, e.g. "Sep 3, 14:49 UTC" or "Dec 31, 2025 - 23:10 PST".
/// The year is often left out: it is taken from the entry's own time.
fn statuspage_date(text: &str, reference: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    let mut month = None;
    let mut day = None;
    let mut year = None;
    let mut clock = None;
    let mut pm = None;
    let mut zone = None;
    for token in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty() && *t != "-")
    {
        let lower = token.to_ascii_lowercase();
        if token.contains(':') {
            clock = NaiveTime::parse_from_str(token, "%H:%M")
                .or_else(|_| NaiveTime::parse_from_str(token, "%H:%M:%S"))
                .ok();
        } else if token.chars().all(|c| c.is_ascii_digit()) {
            match (token.len(), day) {
                (4, _) => year = token.parse::<i32>().ok(),
                (1 | 2, None) => day = token.parse::<u32>().ok(),
                _ => {}
            }
        } else if lower == "am" || lower == "pm" {
            pm = Some(lower == "pm");
        } else if month.is_none() && clock.is_none() {
            month = month_number(&lower);
        } else if clock.is_some() {
            zone = zone_offset(token);
            if zone.is_none() {
                tracing::debug!(zone = token, "unknown time zone in a feed date");
                return None;
            }
        }
    }
    let (month, day, mut clock) = (month?, day?, clock?);
    if let Some(pm) = pm {
        clock = clock.with_hour(clock.hour() % 12 + if pm { 12 } else { 0 })?;
    }
    let zone = zone.unwrap_or(0);
    let offset = FixedOffset::east_opt(zone)?;
    let at = |y: i32| -> Option<DateTime<Utc>> {
        let date = NaiveDate::from_ymd_opt(y, month, day)?;
        offset
            .from_local_datetime(&date.and_time(clock))
            .single()
            .map(|t| t.with_timezone(&Utc))
    };
    match (year, reference) {
        (Some(y), _) => at(y),
        (None, Some(r)) => {
            let guess = at(r.year())?;
            // An update from late December inside an entry updated in January.
            if r.checked_add_signed(Duration::days(2))
                .is_some_and(|limit| guess > limit)
            {
                at(r.year() - 1)
            } else {
                Some(guess)
            }
        }
        (None, None) => None,
    }
}

fn month_number(lower: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head: String = lower.chars().take(3).collect();
    MONTHS
        .iter()
        .position(|m| *m == head)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Seconds east of UTC for the abbreviations status pages print. `CST` is read as US
/// Central (Statuspage's customers are mostly American); `IST` as India.
fn zone_offset(abbr: &str) -> Option<i32> {
    let minutes = match abbr.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" | "UT" | "WET" => 0,
        "BST" | "CET" | "WEST" => 60,
        "CEST" | "EET" | "SAST" => 120,
        "EEST" | "MSK" => 180,
        "IST" => 330,
        "SGT" | "HKT" | "AWST" => 480,
        "JST" | "KST" => 540,
        "ACST" => 570,
        "AEST" => 600,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        "HST" => -600,
        "AKST" => -540,
        "AKDT" | "PST" => -480,
        "PDT" | "MST" => -420,
        "MDT" | "CST" => -360,
        "CDT" | "EST" => -300,
        "EDT" => -240,
        _ => return None,
    };
    Some(minutes * 60)
}

fn entry_time(entry: &Entry) -> Option<DateTime<Utc>> {
    entry.updated.or(entry.published)
}

fn entry_link(entry: &Entry) -> Option<String> {
    entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| l.href.trim())
        .find(|h| super::is_http(h))
        .map(collapse_slashes)
}

/// `https://host//incidents/x` → `https://host/incidents/x`; the query is left alone.
fn collapse_slashes(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let cut = rest.find(['?', '#']).unwrap_or(rest.len());
    let (path, tail) = rest.split_at(cut);
    let mut out = String::with_capacity(url.len());
    out.push_str(scheme);
    out.push_str("://");
    let mut last_slash = false;
    for c in path.chars() {
        if c == '/' && last_slash {
            continue;
        }
        last_slash = c == '/';
        out.push(c);
    }
    out.push_str(tail);
    out
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let len = s.get(start..)?.find(close)?;
    s.get(start..start + len)
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn looks_like_feed(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(body.get(..body.len().min(1024)).unwrap_or_default())
        .to_ascii_lowercase();
    head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf")
}

/// Plain text from an entry's HTML: tags out, entities decoded, blank runs squeezed.
pub(crate) fn html_to_text(html: &str) -> String {
    let decoded = decode_entities(&strip_tags(html, |_| true));
    // AWS escapes its HTML once more inside CDATA: decoding it leaves real tags behind.
    let text = if decoded.contains('<') {
        strip_tags(&decoded, is_known_tag)
    } else {
        decoded
    };
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_known_tag(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "br"
            | "div"
            | "em"
            | "i"
            | "li"
            | "ol"
            | "p"
            | "small"
            | "span"
            | "strong"
            | "ul"
            | "code"
            | "pre"
            | "var"
    )
}

fn breaks_line(name: &str) -> bool {
    matches!(
        name,
        "br" | "p" | "div" | "li" | "ul" | "ol" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

/// Removes `<tag …>` and `<!-- … -->` where `keep_out(name)` says so; a `<` that does
/// not open a tag stays as text.
fn strip_tags(html: &str, keep_out: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            match comment.find("-->") {
                Some(end) => {
                    rest = &comment[end + 3..];
                    continue;
                }
                None => return out,
            }
        }
        let name: String = after
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let starts_tag = after
            .trim_start_matches('/')
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '?');
        match after.find('>') {
            Some(gt) if starts_tag && keep_out(&name) => {
                if breaks_line(&name) {
                    out.push('\n');
                }
                rest = &after[gt + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|semi| *semi <= 10)
            .and_then(|semi| entity(&after[..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "laquo" => '\u{ab}',
        "raquo" => '\u{bb}',
        "bull" => '\u{2022}',
        "middot" => '\u{b7}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "trade" => '\u{2122}',
        "deg" => '\u{b0}',
        "times" => '\u{d7}',
        "euro" => '\u{20ac}',
        "pound" => '\u{a3}',
        "rarr" => '\u{2192}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fixture, payload, src};

    fn rfc(t: Option<DateTime<Utc>>) -> Option<String> {
        t.map(|t| t.to_rfc3339())
    }

    #[test]
    fn claude_statuspage_history() {
        let Some(body) = fixture("atom/claude-statuspage-history-2026-09-03-trimmed.atom") else {
            return;
        };
        let s = parse(&src("Claude", "https://status.claude.com"), &body).expect("parses");
        assert_eq!(s.service, "Claude");
        assert_eq!(s.format, "feed");
        assert_eq!(s.page_url, "https://status.claude.com");
        assert!(s.components.is_empty());
        assert!(s.maintenances.is_empty());
        assert_eq!(s.incidents.len(), 2);

        let open = &s.incidents[0];
        assert_eq!(open.id.0, "tag:status.claude.com,2005:Incident/31343579");
        assert_eq!(open.title, "Elevated errors for multiple models");
        // The newest update says only "Update": the phase before it stands.
        assert_eq!(open.phase, Phase::Investigating);
        assert_eq!(open.impact, Impact::Minor);
        assert_eq!(
            open.url.as_deref(),
            Some("https://status.claude.com/incidents/461yvfrzpwtt")
        );
        assert_eq!(
            rfc(open.updated_at),
            Some("2026-09-03T14:49:48+00:00".to_owned())
        );
        assert_eq!(open.resolved_at, None);
        assert_eq!(open.updates.len(), 2);
        assert_eq!(
            open.updates[0].id,
            "tag:status.claude.com,2005:Incident/31343579#0"
        );
        assert_eq!(open.updates[0].phase, Phase::Investigating);
        assert_eq!(open.updates[0].body, "We are investigating.");
        assert_eq!(open.updates[0].at, None, "no <small> date in this update");
        assert_eq!(
            open.updates[1].id,
            "tag:status.claude.com,2005:Incident/31343579#1"
        );
        assert_eq!(open.updates[1].phase, Phase::Investigating);
        assert_eq!(open.updates[1].body, "We are continuing to work on a fix.");
        assert_eq!(
            rfc(open.updates[1].at),
            Some("2026-09-03T14:49:00+00:00".to_owned())
        );
        assert_eq!(rfc(open.started_at), rfc(open.updates[1].at));

        let done = &s.incidents[1];
        assert_eq!(done.id.0, "tag:status.claude.com,2005:Incident/31343296");
        assert_eq!(done.title, "Elevated errors for Claude Sonnet 5");
        assert_eq!(done.phase, Phase::Resolved);
        let phases: Vec<Phase> = done.updates.iter().map(|u| u.phase).collect();
        assert_eq!(phases, vec![Phase::Monitoring, Phase::Resolved]);
        assert_eq!(done.updates[1].body, "This incident has been resolved.");
        assert_eq!(
            rfc(done.resolved_at),
            Some("2026-09-03T12:56:26+00:00".to_owned())
        );

        assert_eq!(s.status, Status::Degraded);
        assert_eq!(s.open_incidents().count(), 1);
    }

    #[test]
    fn openai_incidentio_history() {
        let Some(body) = fixture("atom/openai-incidentio-history-2026-09-03-trimmed.atom") else {
            return;
        };
        let s = parse(&src("OpenAI", "https://status.openai.com"), &body).expect("parses");
        assert_eq!(s.incidents.len(), 2);
        let open = &s.incidents[0];
        // The doubled slash is gone from both id and link.
        assert_eq!(
            open.id.0,
            "https://status.openai.com/incidents/01M1KWEDH417T2CF44YYHZDFCR"
        );
        assert_eq!(
            open.url.as_deref(),
            Some("https://status.openai.com/incidents/01M1KWEDH417T2CF44YYHZDFCR")
        );
        assert_eq!(open.title, "Elevated errors across ChatGPT and Codex");
        assert_eq!(open.phase, Phase::Investigating);
        assert_eq!(open.components, vec!["Search"]);
        assert_eq!(open.impact, Impact::Minor, "Search is degraded");
        assert_eq!(open.updates.len(), 1);
        assert_eq!(open.updates[0].body, "We are investigating.");
        assert_eq!(open.updates[0].phase, Phase::Investigating);
        assert_eq!(
            open.updates[0].id,
            "https://status.openai.com/incidents/01M1KWEDH417T2CF44YYHZDFCR@2026-09-03T14:58:23.907+00:00"
        );
        assert_eq!(
            rfc(open.updates[0].at),
            Some("2026-09-03T14:58:23.907+00:00".to_owned())
        );

        let done = &s.incidents[1];
        assert_eq!(done.id.0, "https://status.openai.com/incidents/01M1K0");
        assert_eq!(done.title, "Increased latency on the Responses API");
        assert_eq!(done.phase, Phase::Resolved);
        assert_eq!(done.updates[0].body, "This incident has been resolved.");
        assert_eq!(
            rfc(done.resolved_at),
            Some("2026-09-02T10:00:00+00:00".to_owned())
        );
        assert_eq!(s.status, Status::Degraded);
    }

    const AWS: &str = "rss/aws-shd-ec2-ap-northeast-1-2019-09-07.rss";

    #[test]
    fn aws_items_are_closed_by_a_later_operating_normally() {
        let Some(body) = fixture(AWS) else {
            return;
        };
        let s = parse(&src("EC2 Tokyo", "https://status.aws.amazon.com"), &body).expect("parses");
        assert_eq!(s.incidents.len(), 15);
        assert!(s.incidents.iter().all(|i| i.phase == Phase::Resolved));
        assert_eq!(s.status, Status::Operational);

        let newest = &s.incidents[0];
        assert_eq!(
            newest.id.0,
            "http://status.aws.amazon.com/#ec2-ap-northeast-1_1566559115"
        );
        assert_eq!(
            newest.title,
            "インスタンスの接続性について | Instance Availability"
        );
        assert_eq!(newest.impact, Impact::None);
        assert_eq!(newest.url.as_deref(), Some("http://status.aws.amazon.com/"));
        assert_eq!(
            rfc(newest.updated_at),
            Some("2019-08-23T11:18:35+00:00".to_owned()),
            "04:18:35 PDT"
        );
        let body = &newest.updates[0].body;
        assert!(body.contains("Beginning at 8:36 PM PDT"), "{body}");
        assert!(
            body.contains("Additional details are available here."),
            "{body}"
        );
        assert!(!body.contains('<') && !body.contains("&lt;"), "{body}");

        // A degradation that AWS never closed itself: the 04:18 item closed it.
        let degraded = &s.incidents[2];
        assert_eq!(
            degraded.id.0,
            "http://status.aws.amazon.com/#ec2-ap-northeast-1_1566550491"
        );
        assert_eq!(degraded.impact, Impact::Major);
        assert_eq!(degraded.phase, Phase::Resolved);
        assert_eq!(degraded.updates[0].phase, Phase::Investigating);
        assert_eq!(
            rfc(degraded.resolved_at),
            Some("2019-08-23T11:18:35+00:00".to_owned())
        );
        assert_eq!(
            rfc(degraded.started_at),
            Some("2019-08-23T08:54:51+00:00".to_owned())
        );

        let impacts: Vec<Impact> = s.incidents.iter().map(|i| i.impact).collect();
        assert_eq!(
            impacts.iter().filter(|i| **i == Impact::Major).count(),
            3,
            "three 'Service degradation' items"
        );
        assert_eq!(
            impacts.iter().filter(|i| **i == Impact::Minor).count(),
            6,
            "six 'Informational message' items"
        );
        assert_eq!(
            impacts.iter().filter(|i| **i == Impact::None).count(),
            6,
            "six 'Service is operating normally' items"
        );
        // Closed by the 2016 "operating normally" 33 minutes later.
        let ebs = &s.incidents[9];
        assert_eq!(
            ebs.title,
            "Degraded volume performance for some EBS volumes"
        );
        assert_eq!(
            rfc(ebs.resolved_at),
            Some("2016-07-06T04:24:03+00:00".to_owned())
        );
    }

    #[test]
    fn aws_degradation_without_a_later_all_clear_stays_open() {
        let Some(body) = fixture(AWS) else {
            return;
        };
        // The same feed one poll earlier: before the "operating normally" item.
        let text = String::from_utf8(body).expect("utf-8");
        let first = text.find("<item>").expect("an item");
        let end = text[first..].find("</item>").expect("its end") + first + "</item>".len();
        let earlier = format!("{}{}", &text[..first], &text[end..]);
        let s = parse(
            &src("EC2 Tokyo", "https://status.aws.amazon.com"),
            earlier.as_bytes(),
        )
        .expect("parses");
        assert_eq!(s.incidents.len(), 14);
        let open: Vec<&Incident> = s.open_incidents().collect();
        assert_eq!(open.len(), 6, "Aug 22-23 items since the last all-clear");
        assert_eq!(
            open[0].title,
            "インスタンスの接続性について | Instance Availability"
        );
        assert_eq!(open[0].impact, Impact::Minor);
        assert_eq!(s.status, Status::PartialOutage, "a degradation is open");
    }

    #[test]
    fn handmade_statuspage_rss_with_maintenance_and_new_year() {
        let body = payload("feed-statuspage-maintenance.rss");
        let s = parse(&src("Hand", "https://status.example.com"), &body).expect("parses");
        assert_eq!(s.maintenances.len(), 1);
        let m = &s.maintenances[0];
        assert_eq!(m.id.0, "https://status.example.com/incidents/mnt1");
        assert_eq!(m.phase, Phase::InProgress);
        assert_eq!(m.impact, Impact::Maintenance);
        let phases: Vec<Phase> = m.updates.iter().map(|u| u.phase).collect();
        assert_eq!(phases, vec![Phase::Scheduled, Phase::InProgress]);
        assert_eq!(
            rfc(m.updates[0].at),
            Some("2025-12-30T19:00:00+00:00".to_owned())
        );
        assert_eq!(
            rfc(m.updates[1].at),
            Some("2026-01-02T17:30:00+00:00".to_owned())
        );

        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.title, "Year-end login errors");
        assert_eq!(i.phase, Phase::Resolved);
        let got: Vec<(Phase, Option<String>)> =
            i.updates.iter().map(|u| (u.phase, rfc(u.at))).collect();
        assert_eq!(
            got,
            vec![
                (
                    Phase::Identified,
                    Some("2026-01-01T07:10:00+00:00".to_owned())
                ),
                (
                    Phase::Identified,
                    Some("2026-01-01T07:50:00+00:00".to_owned())
                ),
                (
                    Phase::Resolved,
                    Some("2026-01-01T08:20:00+00:00".to_owned())
                ),
            ]
        );
        assert_eq!(i.updates[1].body, "See our blog.\nMore soon.");
        assert_eq!(
            rfc(i.started_at),
            Some("2026-01-01T07:10:00+00:00".to_owned())
        );
        assert_eq!(
            rfc(i.resolved_at),
            Some("2026-01-01T08:20:00+00:00".to_owned())
        );

        assert_eq!(s.status, Status::Maintenance);
    }

    #[test]
    fn handmade_unknown_phases_stay_visible() {
        let body = payload("feed-unknowns.atom");
        let s = parse(&src("Hand", "https://status.example.com"), &body).expect("parses");
        assert_eq!(
            s.incidents.len(),
            3,
            "the entry with neither id nor link is skipped"
        );
        let odd = &s.incidents[0];
        assert_eq!(odd.phase, Phase::Unknown);
        assert_eq!(odd.impact, Impact::Minor);
        assert_eq!(odd.updates[0].phase, Phase::Identified);
        assert_eq!(odd.updates[1].phase, Phase::Unknown);
        assert_eq!(odd.updates[1].body, "Handed to \"tier 3\" & the vendor.");
        assert_eq!(
            rfc(odd.updates[1].at),
            Some("2026-09-03T14:50:00+00:00".to_owned())
        );
        // No state at all: open within 24 hours of the feed's newest time, over after.
        let recent = &s.incidents[1];
        assert_eq!(recent.title, "Heads-up");
        assert_eq!(recent.phase, Phase::Unknown);
        assert_eq!(recent.updates[0].body, "Something is happening.");
        let old = &s.incidents[2];
        assert_eq!(old.title, "Old notice");
        assert_eq!(old.phase, Phase::Resolved);
        assert_eq!(old.url, None, "a javascript: link is dropped");
        assert_eq!(s.status, Status::Degraded);
        assert_eq!(s.open_incidents().count(), 2);
    }

    #[test]
    fn empty_feed_is_operational() {
        let body = br#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Azure Status</title><link>https://azure.status.microsoft/en-us/status/</link><description>Azure Status</description></channel></rss>
<!-- served from cache -->
"#;
        let s = parse(&src("Azure", "https://azure.status.microsoft"), body).expect("parses");
        assert_eq!(s.status, Status::Operational);
        assert!(s.incidents.is_empty());
        assert!(s.maintenances.is_empty());
        let s = parse(
            &src("X", "https://x"),
            br#"<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>"#,
        )
        .expect("parses");
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn what_is_not_a_feed_is_an_error() {
        let err = parse(
            &src("X", "https://x"),
            b"<!DOCTYPE html><html><head><title>Status</title></head><body>hi</body></html>",
        )
        .expect_err("HTML");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "expected an RSS or Atom feed, got an HTML page"
        );
        let err = parse(&src("X", "https://x"), b"").expect_err("empty");
        assert_eq!(
            err.to_string(),
            "expected an RSS or Atom feed, got an empty body"
        );
        let err = parse(
            &src("X", "https://x"),
            br#"{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}"#,
        )
        .expect_err("JSON Feed / other JSON");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
        let err = parse(
            &src("X", "https://x"),
            br#"<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>"#,
        )
        .expect_err("other XML");
        assert_eq!(
            err.to_string(),
            "expected an RSS or Atom feed, got an XML document"
        );
        let err = parse(&src("X", "https://x"), b"status: ok").expect_err("text");
        assert!(matches!(err, ParseError::NotTheFormat { .. }), "{err}");
    }

    #[test]
    fn truncated_feeds_are_errors_and_never_panic() {
        let Some(body) = fixture(AWS) else {
            return;
        };
        // Every cut, including ones inside a multi-byte character, is an error.
        for cut in (100..body.len() - 1).step_by(97) {
            let err = parse(&src("X", "https://x"), &body[..cut]).expect_err("truncated");
            assert!(
                matches!(err, ParseError::Malformed { .. }),
                "cut at {cut}: {err}"
            );
        }
        let Some(body) = fixture("atom/claude-statuspage-history-2026-09-03-trimmed.atom") else {
            return;
        };
        let err = parse(&src("X", "https://x"), &body[..body.len() / 2]).expect_err("truncated");
        assert!(matches!(err, ParseError::Malformed { .. }), "{err}");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_to_text(
                "<p><b>Status: X</b><br/>a &amp; b &lt;c&gt; &#39;d&#x27; &bogus; 5 < 6</p>"
            ),
            "Status: X\na & b <c> 'd' &bogus; 5 < 6"
        );
        assert_eq!(
            html_to_text("<!-- hidden -->Hello <em>world</em>!"),
            "Hello world!"
        );
        assert_eq!(
            html_to_text("a &lt;br&gt;b"),
            "a\nb",
            "escaped twice, as AWS does"
        );
        assert_eq!(html_to_text("é<"), "é<");
        assert_eq!(
            collapse_slashes("https://status.openai.com//incidents//x?next=//y"),
            "https://status.openai.com/incidents/x?next=//y"
        );
    }
}

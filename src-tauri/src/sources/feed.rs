//! RSS and Atom incident-history feeds: each entry becomes one incident, its phase read from the entry's HTML.

use super::entry_html::{
    incidentio_components, incidentio_status, statuspage_updates, timed_blocks, Posted, Timed,
};
use super::timeline::{self, Listed};
use super::{dates, describe_body, html, wording, ParseError, Source};
use crate::model::{Impact, Incident, IncidentId, IncidentUpdate, Phase, Snapshot, Status};
use chrono::{DateTime, Duration, Utc};
use feed_rs::model::{Entry, FeedType};
use scraper::Html;

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
        format: crate::model::Format::Feed,
        page_url: src.page_url.to_owned(),
        status,
        page_status: None,
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
    aws: Option<Aws>,
}

/// What an AWS item says, for closing items that AWS itself never closes.
struct Aws {
    state: AwsState,
    /// When the item was posted.
    at: Option<DateTime<Utc>>,
    /// The service and region the item is about (`rds-us-east-1`), from its guid.
    scope: Option<String>,
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
                html::to_text(&t.content)
            } else {
                t.content.trim().to_owned()
            }
        })
        .unwrap_or_default();
    let docs: Vec<Html> = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .into_iter()
        .chain(entry.summary.as_ref().map(|s| s.content.as_str()))
        .filter(|b| !b.trim().is_empty())
        .map(html::fragment)
        .collect();
    let base = Base {
        id,
        title,
        url: entry_link(entry),
        at: entry_time(entry),
        published: entry.published,
    };

    if let Some(updates) = docs.iter().map(statuspage_updates).find(|u| !u.is_empty()) {
        return Some(from_statuspage(base, updates));
    }
    if let Some((i, (word, text))) = docs
        .iter()
        .enumerate()
        .find_map(|(i, d)| incidentio_status(d).map(|s| (i, s)))
    {
        // The components list may sit in the summary while the status is in the content.
        let components = docs
            .get(i)
            .map(incidentio_components)
            .filter(|c| !c.is_empty())
            .or_else(|| {
                docs.iter()
                    .map(incidentio_components)
                    .find(|c| !c.is_empty())
            })
            .unwrap_or_default();
        return Some(from_incidentio(base, &word, text, components));
    }
    if let Some(blocks) = docs
        .iter()
        .map(|d| timed_blocks(d, base.at.or(base.published), base.published.or(base.at)))
        .find(|b| !b.is_empty())
    {
        return Some(from_timed_blocks(base, blocks, newest));
    }
    let text = docs.first().map(html::doc_text).unwrap_or_default();
    if let Some((state, impact, rest)) = aws_title(&base.title) {
        let scope = aws_scope(raw_id);
        return Some(from_aws(base, state, impact, rest, text, scope));
    }
    Some(unrecovered(base, text, newest))
}

struct Base {
    id: String,
    title: String,
    url: Option<String>,
    /// The entry's updated time, else its published time.
    at: Option<DateTime<Utc>>,
    published: Option<DateTime<Utc>>,
}

impl Base {
    /// The entry's first and last dates, when it gives two different ones.
    fn span(&self) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.published
            .zip(self.at)
            .filter(|(first, last)| first < last)
    }

    /// Whether the feed has moved on far past this entry (see [`STALE_AFTER_HOURS`]).
    fn is_stale(&self, newest: Option<DateTime<Utc>>) -> bool {
        match (self.at, newest) {
            (Some(at), Some(newest)) => newest - at > Duration::hours(STALE_AFTER_HOURS),
            _ => false,
        }
    }
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
        scheduled_for: None,
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

fn from_statuspage(base: Base, posted: Vec<Posted>) -> Draft {
    // The year a date leaves out is the entry's own.
    let reference = base.at.or(base.published);
    let mut rows: Vec<(Word, Posted, Option<DateTime<Utc>>)> = posted
        .into_iter()
        .map(|p| {
            let at = p
                .date
                .as_deref()
                .and_then(|d| dates::printed_date(d, reference));
            (word(&p.word), p, at)
        })
        .collect();
    // Statuspage lists the newest first; Instatus lists some (early-announced
    // maintenances) oldest first. The phase is the newest update's, so order first.
    timeline::oldest_first(&mut rows, |r| r.2, Listed::NewestFirst, base.span());
    let maintenance = rows.iter().any(|(w, _, _)| {
        matches!(
            w,
            Word::Phase(Phase::Scheduled | Phase::InProgress | Phase::Verifying | Phase::Completed)
        )
    });
    let mut known: Option<Phase> = None;
    let mut updates = Vec::with_capacity(rows.len());
    for (n, (w, p, at)) in rows.into_iter().enumerate() {
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
            // Updates are only ever added after the newest, so counting from the oldest is stable.
            id: format!("{}#{n}", base.id),
            phase,
            body: p.body,
            at,
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

/// Updates that carry a time but no status word (Slack writes `<small>3:23pm PST</small>
/// text`): the incident is over when the newest one says so in words.
fn from_timed_blocks(base: Base, blocks: Vec<Timed>, newest: Option<DateTime<Utc>>) -> Draft {
    let mut blocks = blocks;
    timeline::oldest_first(&mut blocks, |b| b.at, Listed::OldestFirst, base.span());
    let closed = blocks
        .last()
        .is_some_and(|b| wording::says_resolved(&b.body));
    let stale = !closed && base.is_stale(newest);
    let count = blocks.len();
    let updates: Vec<IncidentUpdate> = blocks
        .into_iter()
        .enumerate()
        .map(|(n, b)| IncidentUpdate {
            id: format!("{}#{n}", base.id),
            phase: if closed && n + 1 == count {
                Phase::Resolved
            } else {
                Phase::Investigating
            },
            body: b.body,
            at: b.at,
        })
        .collect();
    let phase = if closed || stale {
        Phase::Resolved
    } else {
        Phase::Investigating
    };
    let started_at = updates.iter().find_map(|u| u.at).or(base.published);
    Draft {
        incident: incident(base, phase, Impact::Minor, updates, started_at),
        maintenance: false,
        aws: None,
    }
}

fn from_aws(
    mut base: Base,
    state: AwsState,
    impact: Impact,
    rest: String,
    text: String,
    scope: Option<String>,
) -> Draft {
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
    let mut incident = incident(base, phase, impact, vec![update], started_at);
    incident.components = scope.iter().cloned().collect();
    Draft {
        incident,
        maintenance: false,
        aws: Some(Aws { state, at, scope }),
    }
}

fn unrecovered(base: Base, text: String, newest: Option<DateTime<Utc>>) -> Draft {
    let phase = if base.is_stale(newest) {
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
/// "operating normally" item closes the items posted before it about the same service
/// and region. A feed of one service (`ec2-ap-northeast-1.rss`) names one throughout;
/// `all.rss` mixes them, and one service's all-clear says nothing of another's outage.
fn resolve_aws_items(drafts: &mut [Draft]) {
    let all_clears: Vec<(Option<String>, DateTime<Utc>)> = drafts
        .iter()
        .filter_map(|d| match &d.aws {
            Some(Aws {
                state: AwsState::Normal,
                at: Some(at),
                scope,
            }) => Some((scope.clone(), *at)),
            _ => None,
        })
        .collect();
    for d in drafts.iter_mut() {
        let Some(Aws {
            state: AwsState::Issue,
            at: Some(at),
            scope,
        }) = &d.aws
        else {
            continue;
        };
        if d.incident.phase.is_closed() {
            continue;
        }
        let closed_by = all_clears
            .iter()
            .filter(|(s, t)| s == scope && t > at)
            .map(|(_, t)| *t)
            .min();
        if let Some(closed_by) = closed_by {
            d.incident.phase = Phase::Resolved;
            d.incident.resolved_at = Some(closed_by);
        }
    }
}

/// The service and region an AWS item is about, from its guid
/// (`https://status.aws.amazon.com/#rds-us-east-1_1566559115` → `rds-us-east-1`).
fn aws_scope(guid: &str) -> Option<String> {
    let (_, fragment) = guid.rsplit_once('#')?;
    let scope = match fragment.rsplit_once('_') {
        Some((scope, stamp)) if stamp.chars().all(|c| c.is_ascii_digit()) => scope,
        _ => fragment,
    };
    let scope = scope.trim().to_ascii_lowercase();
    (!scope.is_empty()).then_some(scope)
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

/// A phase word as Statuspage and Instatus (`<strong>Identified</strong>`) or incident.io
/// (`Status: Identified`) write it.
fn word(raw: &str) -> Word {
    let lower = raw.trim().to_lowercase();
    let phase = match lower.as_str() {
        "update" => return Word::NotAPhase,
        "investigating" => Phase::Investigating,
        "identified" => Phase::Identified,
        "monitoring" => Phase::Monitoring,
        "resolved" => Phase::Resolved,
        "postmortem" | "post-mortem" => Phase::Postmortem,
        "scheduled" | "maintenance scheduled" | "planned" | "not started yet" | "notstartedyet" => {
            Phase::Scheduled
        }
        "in progress" | "inprogress" | "maintenance in progress" => Phase::InProgress,
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

fn looks_like_feed(body: &[u8]) -> bool {
    let head = String::from_utf8_lossy(body.get(..body.len().min(1024)).unwrap_or_default())
        .to_ascii_lowercase();
    head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf")
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
        assert_eq!(s.format, crate::model::Format::Feed);
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

    fn times(i: &Incident) -> Vec<(Phase, Option<String>)> {
        i.updates.iter().map(|u| (u.phase, rfc(u.at))).collect()
    }

    #[test]
    fn instatus_gmt_dates_and_oldest_first_updates() {
        let body = payload("feed-instatus-dates-and-order.rss");
        let s = parse(&src("Hand", "https://status.example.com"), &body).expect("parses");

        // Announced early and listed oldest first: the newest update, "Completed", decides.
        assert_eq!(s.maintenances.len(), 1);
        let m = &s.maintenances[0];
        assert_eq!(m.phase, Phase::Completed);
        assert_eq!(
            times(m),
            vec![
                (
                    Phase::Scheduled,
                    Some("2025-06-01T09:00:00+00:00".to_owned())
                ),
                (
                    Phase::InProgress,
                    Some("2025-06-05T01:00:00+00:00".to_owned())
                ),
                (
                    Phase::Completed,
                    Some("2025-06-05T01:40:38+00:00".to_owned())
                ),
            ]
        );
        assert_eq!(m.updates[0].body, "We will upgrade the database.");
        assert_eq!(
            m.updates[2].id,
            "https://status.example.com/maintenance/cm-upgrade#2"
        );
        assert_eq!(
            rfc(m.started_at),
            Some("2025-06-01T09:00:00+00:00".to_owned())
        );
        assert_eq!(
            rfc(m.resolved_at),
            Some("2025-06-05T01:40:38+00:00".to_owned())
        );

        // GMT-5, UTC+05:30 and GMT+2 in one entry, listed oldest first.
        assert_eq!(s.incidents.len(), 1);
        let i = &s.incidents[0];
        assert_eq!(i.phase, Phase::Resolved, "not stuck on its first update");
        assert_eq!(
            times(i),
            vec![
                (
                    Phase::Identified,
                    Some("2025-06-05T03:10:00+00:00".to_owned())
                ),
                (
                    Phase::Identified,
                    Some("2025-06-05T03:15:00+00:00".to_owned())
                ),
                (
                    Phase::Resolved,
                    Some("2025-06-05T03:40:38+00:00".to_owned())
                ),
            ]
        );
        assert_eq!(i.updates[1].body, "The index is being rebuilt.");
        assert_eq!(
            rfc(i.resolved_at),
            Some("2025-06-05T03:40:38+00:00".to_owned())
        );
        assert_eq!(s.status, Status::Operational);
    }

    #[test]
    fn aws_all_services_feed_closes_per_service_and_region() {
        let body = payload("feed-aws-all-services.rss");
        let s = parse(&src("AWS", "https://status.aws.amazon.com"), &body).expect("parses");
        assert_eq!(s.incidents.len(), 5);
        let by_id = |suffix: &str| -> &Incident {
            s.incidents
                .iter()
                .find(|i| i.id.0.ends_with(suffix))
                .unwrap_or_else(|| panic!("{suffix}"))
        };
        // EC2's all-clear at 11:00 says nothing about RDS, open since 10:00.
        let rds = by_id("#rds-us-east-1_1764180000");
        assert_eq!(rds.phase, Phase::Investigating);
        assert_eq!(rds.resolved_at, None);
        assert_eq!(rds.impact, Impact::Major);
        assert_eq!(rds.components, vec!["rds-us-east-1"]);
        let ec2 = by_id("#ec2-us-west-2_1764176400");
        assert_eq!(ec2.phase, Phase::Resolved);
        assert_eq!(
            rfc(ec2.resolved_at),
            Some("2025-11-26T19:00:00+00:00".to_owned())
        );
        let billing = by_id("#billingconsole_1764172800");
        assert_eq!(billing.phase, Phase::Resolved);
        assert_eq!(
            rfc(billing.resolved_at),
            Some("2025-11-26T16:30:00+00:00".to_owned())
        );
        assert_eq!(s.open_incidents().count(), 1);
        assert_eq!(s.status, Status::PartialOutage, "RDS is degraded");
        assert_eq!(
            aws_scope("https://status.aws.amazon.com/#BillingConsole_1"),
            Some("billingconsole".to_owned())
        );
        assert_eq!(aws_scope("https://status.aws.amazon.com/"), None);
    }

    #[test]
    fn slack_updates_split_on_time_markers_and_close_in_words() {
        let body = payload("feed-slack-history.atom");
        let s = parse(&src("Slack", "https://status.slack.example"), &body).expect("parses");
        assert_eq!(s.incidents.len(), 2);

        let threads = &s.incidents[0];
        assert_eq!(threads.title, "Incident: Issues loading or viewing threads");
        assert_eq!(threads.phase, Phase::Resolved);
        assert_eq!(
            times(threads),
            vec![
                (
                    Phase::Investigating,
                    Some("2025-12-08T23:23:00+00:00".to_owned())
                ),
                (
                    Phase::Investigating,
                    Some("2025-12-09T06:55:00+00:00".to_owned())
                ),
                (
                    Phase::Investigating,
                    Some("2025-12-09T16:55:00+00:00".to_owned())
                ),
                (
                    Phase::Resolved,
                    Some("2025-12-09T17:34:00+00:00".to_owned())
                ),
            ]
        );
        assert_eq!(
            threads.updates[3].body,
            "We have resolved the issue with threads. Thanks for your patience."
        );
        assert_eq!(
            threads.updates[0].id,
            "https://status.slack.example/2025-12/threads#0"
        );
        assert_eq!(
            rfc(threads.started_at),
            Some("2025-12-08T23:23:00+00:00".to_owned())
        );
        assert_eq!(
            rfc(threads.resolved_at),
            Some("2025-12-09T17:34:00+00:00".to_owned())
        );

        // Mentions "resolved" and "fixed" only in passing: still open.
        let uploads = &s.incidents[1];
        assert_eq!(uploads.phase, Phase::Investigating);
        assert_eq!(uploads.resolved_at, None);
        assert_eq!(uploads.updates.len(), 2);
        assert_eq!(uploads.updates[0].body, "Some users can't upload files.");
        assert_eq!(s.open_incidents().count(), 1);
        assert_eq!(s.status, Status::Degraded);
    }

    #[test]
    fn a_bold_date_is_not_the_phase_word() {
        let body = br#"<rss version="2.0"><channel><title>t</title><item><guid>g1</guid>
            <pubDate>Thu, 05 Jun 2025 03:40:38 +0000</pubDate><title>Bold dates</title>
            <description><![CDATA[<p><small><b>Jun 5</b>, 03:40 UTC</small><br><strong>Resolved</strong> - Done.</p>]]></description>
            </item></channel></rss>"#;
        let s = parse(&src("X", "https://x"), body).expect("parses");
        let i = &s.incidents[0];
        assert_eq!(i.phase, Phase::Resolved);
        assert_eq!(
            times(i),
            vec![(
                Phase::Resolved,
                Some("2025-06-05T03:40:00+00:00".to_owned())
            )]
        );
        assert_eq!(i.updates[0].body, "Done.");
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
    fn doubled_slashes_in_links_collapse() {
        assert_eq!(
            collapse_slashes("https://status.openai.com//incidents//x?next=//y"),
            "https://status.openai.com/incidents/x?next=//y"
        );
    }
}

//! What a feed entry's HTML says, read from its DOM: Statuspage's and Instatus' dated updates, incident.io's status and components, updates marked only by a time (Slack).

use super::{dates, html};
use crate::model::Impact;
use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html};

/// One `<p><small>date</small><br><strong>Phase</strong> - text</p>` of a Statuspage or
/// Instatus entry.
pub(super) struct Posted {
    pub word: String,
    pub date: Option<String>,
    pub body: String,
}

/// Where a date is printed: never part of an update's words.
const DATE_MARKUP: [&str; 2] = ["small", "var"];

/// Statuspage's and Instatus' updates, in the order the entry lists them. Empty when the
/// HTML is not in that shape.
pub(super) fn statuspage_updates(doc: &Html) -> Vec<Posted> {
    let mut out = Vec::new();
    for p in html::elements(doc.root_element(), &["p"]) {
        // A bold date inside `<small>` is not the phase word.
        let Some(strong) = html::elements(p, &["strong", "b"]).find(|b| {
            !b.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|a| a.value().name() == "small")
        }) else {
            continue;
        };
        let word = html::text(strong);
        // Only a dash after the word marks it as the phase, not some bold text.
        let after = html::text_of(strong.next_siblings(), &DATE_MARKUP);
        let Some(body) = after.strip_prefix(['-', '\u{2013}']) else {
            continue;
        };
        let before: Vec<_> = strong.prev_siblings().collect();
        let lead = html::text_of(before.into_iter().rev(), &DATE_MARKUP);
        if !lead.is_empty() || word.is_empty() {
            continue;
        }
        out.push(Posted {
            word,
            date: printed_date_of(p),
            // A date printed outside `<small>` leaves its commas behind.
            body: body
                .lines()
                .filter(|l| l.chars().any(char::is_alphanumeric))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_owned(),
        });
    }
    out
}

/// The date of one update: its `<small>`, else Instatus' `<var data-var='date'>` and
/// `<var data-var='time'>` ("Jun 5", "01:40:38 GMT+0").
fn printed_date_of(p: ElementRef<'_>) -> Option<String> {
    if let Some(small) = html::first(p, &["small"]) {
        return Some(html::text(small)).filter(|t| !t.is_empty());
    }
    let parts: Vec<String> = html::elements(p, &["var"])
        .filter(|v| matches!(v.value().attr("data-var"), Some("date" | "year" | "time")))
        .map(html::text)
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// An update known only by its time and words.
pub(super) struct Timed {
    pub at: Option<DateTime<Utc>>,
    pub body: String,
}

/// Updates split on `<small>` time markers, each marker dated: a full date ("Jun 5, 17:25
/// UTC") as printed, a bare clock ("3:23pm PST") from the entry's start on, oldest first.
/// Empty when no marker holds a time.
/// `reference` is the entry's own time (for a year left out), `start` when it began.
pub(super) fn timed_blocks(
    doc: &Html,
    reference: Option<DateTime<Utc>>,
    start: Option<DateTime<Utc>>,
) -> Vec<Timed> {
    let blocks = html::split_at(doc, "small");
    let clocks: Vec<_> = blocks
        .iter()
        .map(|(marker, _)| dates::printed_clock(marker))
        .collect();
    let full: Vec<_> = blocks
        .iter()
        .map(|(marker, _)| dates::printed_date(marker, reference))
        .collect();
    let at: Vec<Option<DateTime<Utc>>> = if clocks.iter().all(Option::is_some) {
        match start {
            Some(start) => dates::clocks_from(&clocks, start),
            None => vec![None; clocks.len()],
        }
    } else if full.iter().any(Option::is_some) {
        full
    } else {
        return Vec::new();
    };
    blocks
        .into_iter()
        .zip(at)
        .filter(|((_, body), _)| !body.is_empty())
        .map(|((_, body), at)| Timed { at, body })
        .collect()
}

/// incident.io's `<b>Status: X</b>` and the text after it (up to the components list).
pub(super) fn incidentio_status(doc: &Html) -> Option<(String, String)> {
    let label = html::elements(doc.root_element(), &["b", "strong"])
        .find(|b| strip_prefix_ignore_case(&html::text(*b), "status:").is_some())?;
    let label_text = html::text(label);
    let word = strip_prefix_ignore_case(&label_text, "status:")?
        .trim()
        .to_owned();
    let rest: Vec<_> = label
        .next_siblings()
        .take_while(|n| ElementRef::wrap(*n).is_none_or(|e| !is_components_label(e)))
        .collect();
    Some((word, html::text_of(rest, &[])))
}

fn is_components_label(e: ElementRef<'_>) -> bool {
    matches!(e.value().name(), "b" | "strong") && html::text(e).starts_with("Affected components")
}

/// The `<li>Name (Degraded performance)</li>` rows after incident.io's "Affected components".
pub(super) fn incidentio_components(doc: &Html) -> Vec<(String, Option<Impact>)> {
    let mut seen_label = false;
    let mut out: Vec<(String, Option<Impact>)> = Vec::new();
    for e in doc.root_element().descendent_elements() {
        if is_components_label(e) {
            seen_label = true;
            continue;
        }
        if !seen_label || e.value().name() != "li" {
            continue;
        }
        let text = html::text(e);
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

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

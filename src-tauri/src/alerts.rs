//! Alert policy: which events become a notification, its words, and its dedup keys.

use crate::model::{Impact, ServiceId};
use crate::transitions::{Event, IncidentRef};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Low,
    Normal,
    Critical,
}

impl Urgency {
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "low" => Urgency::Low,
            "critical" => Urgency::Critical,
            _ => Urgency::Normal,
        }
    }
}

/// A notification to deliver, with the ledger keys that make it exactly-once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub service: ServiceId,
    pub title: String,
    pub body: String,
    pub urgency: Urgency,
    /// Opened when the user clicks the notification.
    pub url: Option<String>,
    /// One per announced transition; a key already in the ledger is never announced again.
    pub keys: Vec<String>,
}

struct Line {
    key: String,
    title: String,
    summary: String,
    detail: String,
    urgency: Urgency,
    url: Option<String>,
}

fn key(service: &ServiceId, incident: &IncidentRef, what: &str) -> String {
    format!("{service}/{}/{what}", incident.id)
}

fn urgency_of(impact: Impact) -> Urgency {
    match impact {
        Impact::Critical => Urgency::Critical,
        Impact::None | Impact::Maintenance => Urgency::Low,
        Impact::Minor | Impact::Major => Urgency::Normal,
    }
}

fn detail(i: &IncidentRef) -> String {
    let mut out = format!("{} · {} impact", capitalize(i.phase.label()), i.impact);
    if !i.components.is_empty() {
        out.push_str("\nAffects: ");
        out.push_str(&i.components.join(", "));
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "1 h 57 min", "12 min", "3 d 4 h".
pub fn human_duration(d: chrono::Duration) -> String {
    let mins = d.num_minutes().max(0);
    let (days, hours, m) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    match (days, hours) {
        (0, 0) => format!("{m} min"),
        (0, h) if m == 0 => format!("{h} h"),
        (0, h) => format!("{h} h {m} min"),
        (d, 0) => format!("{d} d"),
        (d, h) => format!("{d} d {h} h"),
    }
}

fn line(service: &ServiceId, event: &Event) -> Vec<Line> {
    let one = |i: &IncidentRef, what: &str, summary: String, urgency: Urgency| Line {
        key: key(service, i, what),
        title: i.title.clone(),
        summary,
        detail: detail(i),
        urgency,
        url: i.url.clone(),
    };
    let since = |i: &IncidentRef, end: &DateTime<Utc>| match i.started_at {
        Some(start) if *end > start => format!(" after {}", human_duration(*end - start)),
        _ => String::new(),
    };
    match event {
        Event::Baseline { open, .. } => open
            .iter()
            .map(|i| one(i, "opened", "Ongoing".to_owned(), urgency_of(i.impact)))
            .collect(),
        Event::IncidentOpened { incident } => vec![one(
            incident,
            "opened",
            "New incident".to_owned(),
            urgency_of(incident.impact),
        )],
        Event::PhaseChanged { incident, .. } => vec![one(
            incident,
            &format!("phase/{}", incident.phase),
            capitalize(incident.phase.label()),
            urgency_of(incident.impact),
        )],
        Event::IncidentResolved {
            incident,
            resolved_at,
        } => vec![one(
            incident,
            "resolved",
            format!("Resolved{}", since(incident, resolved_at)),
            Urgency::Low,
        )],
        Event::MaintenanceStarted { incident } => vec![one(
            incident,
            "maintenance-started",
            "Maintenance started".to_owned(),
            Urgency::Low,
        )],
        Event::MaintenanceCompleted {
            incident,
            resolved_at,
        } => vec![one(
            incident,
            "maintenance-completed",
            format!("Maintenance completed{}", since(incident, resolved_at)),
            Urgency::Low,
        )],
        // Our own reachability is shown in the tray, never announced as the vendor's outage.
        Event::SourceUnreachable { .. } | Event::SourceRecovered => vec![],
    }
}

/// Groups one poll's events for one service into at most one notification, leaving out
/// every transition whose key `announced` says the ledger already holds.
pub fn plan(
    service: &ServiceId,
    service_name: &str,
    events: &[Event],
    mut announced: impl FnMut(&str) -> bool,
) -> Option<Notification> {
    let lines: Vec<Line> = events
        .iter()
        .flat_map(|e| line(service, e))
        .filter(|l| !announced(&l.key))
        .collect();
    let urgency = lines.iter().map(|l| l.urgency).max_by_key(|u| *u as u8)?;
    let keys = lines.iter().map(|l| l.key.clone()).collect();
    let (title, body, url) = match lines.as_slice() {
        [l] => (
            format!("{service_name} — {}", l.title),
            format!("{}\n{}", l.summary, l.detail),
            l.url.clone(),
        ),
        many => (
            format!("{service_name} — {} updates", many.len()),
            many.iter()
                .map(|l| format!("{}: {}", l.summary, l.title))
                .collect::<Vec<_>>()
                .join("\n"),
            many.first().and_then(|l| l.url.clone()),
        ),
    };
    Some(Notification {
        service: service.clone(),
        title,
        body,
        urgency,
        url,
        keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IncidentId, Phase};
    use chrono::TimeZone;

    fn incident(phase: Phase, impact: Impact) -> IncidentRef {
        IncidentRef {
            id: IncidentId("x1".to_owned()),
            title: "Elevated errors".to_owned(),
            phase,
            impact,
            started_at: Utc.with_ymd_and_hms(2026, 11, 26, 5, 12, 0).single(),
            url: Some("https://status.openai.com/incidents/x1".to_owned()),
            components: vec!["API".to_owned(), "ChatGPT".to_owned()],
        }
    }

    #[test]
    fn words_and_keys_per_event() {
        let s = ServiceId::from_name("OpenAI");
        let resolved_at = Utc
            .with_ymd_and_hms(2026, 11, 26, 7, 9, 0)
            .single()
            .expect("valid");
        let table: Vec<(Event, &str, &str, Urgency, &str)> = vec![
            (
                Event::IncidentOpened {
                    incident: incident(Phase::Investigating, Impact::Critical),
                },
                "OpenAI — Elevated errors",
                "New incident\nInvestigating · critical impact\nAffects: API, ChatGPT",
                Urgency::Critical,
                "openai/x1/opened",
            ),
            (
                Event::PhaseChanged {
                    incident: incident(Phase::Identified, Impact::Major),
                    from: Phase::Investigating,
                },
                "OpenAI — Elevated errors",
                "Identified\nIdentified · major impact\nAffects: API, ChatGPT",
                Urgency::Normal,
                "openai/x1/phase/identified",
            ),
            (
                Event::IncidentResolved {
                    incident: incident(Phase::Resolved, Impact::Major),
                    resolved_at,
                },
                "OpenAI — Elevated errors",
                "Resolved after 1 h 57 min\nResolved · major impact\nAffects: API, ChatGPT",
                Urgency::Low,
                "openai/x1/resolved",
            ),
        ];
        for (event, title, body, urgency, key) in table {
            let n = plan(&s, "OpenAI", std::slice::from_ref(&event), |_| false).expect("notifies");
            assert_eq!(n.title, title, "{event:?}");
            assert_eq!(n.body, body, "{event:?}");
            assert_eq!(n.urgency, urgency, "{event:?}");
            assert_eq!(n.keys, vec![key.to_owned()], "{event:?}");
            assert_eq!(
                n.url.as_deref(),
                Some("https://status.openai.com/incidents/x1")
            );
        }
    }

    #[test]
    fn silent_events() {
        let s = ServiceId::from_name("GitHub");
        for e in [
            Event::Baseline {
                open: vec![],
                status: crate::model::Status::Operational,
            },
            Event::SourceUnreachable {
                reason: "timed out".to_owned(),
            },
            Event::SourceRecovered,
        ] {
            assert_eq!(
                plan(&s, "GitHub", std::slice::from_ref(&e), |_| false),
                None,
                "{e:?}"
            );
        }
    }

    #[test]
    fn one_poll_is_one_grouped_notification() {
        let s = ServiceId::from_name("GitHub");
        let mut second = incident(Phase::Investigating, Impact::Minor);
        second.id = IncidentId("x2".to_owned());
        second.title = "Slow Actions".to_owned();
        let events = vec![Event::Baseline {
            open: vec![incident(Phase::Identified, Impact::Major), second],
            status: crate::model::Status::PartialOutage,
        }];
        let n = plan(&s, "GitHub", &events, |_| false).expect("one notification");
        assert_eq!(n.title, "GitHub — 2 updates");
        assert_eq!(n.body, "Ongoing: Elevated errors\nOngoing: Slow Actions");
        assert_eq!(n.keys, vec!["github/x1/opened", "github/x2/opened"]);

        // A line already in the ledger is left out; the rest reads as a single notification.
        let n = plan(&s, "GitHub", &events, |k| k == "github/x1/opened").expect("one left");
        assert_eq!(n.title, "GitHub — Slow Actions");
        assert_eq!(n.keys, vec!["github/x2/opened"]);
        assert_eq!(plan(&s, "GitHub", &events, |_| true), None, "all announced");
    }

    #[test]
    fn durations() {
        let m = chrono::Duration::minutes;
        assert_eq!(human_duration(m(0)), "0 min");
        assert_eq!(human_duration(m(12)), "12 min");
        assert_eq!(human_duration(m(60)), "1 h");
        assert_eq!(human_duration(m(117)), "1 h 57 min");
        assert_eq!(human_duration(m(1440 * 3 + 240 + 5)), "3 d 4 h");
        assert_eq!(human_duration(m(-5)), "0 min");
    }
}

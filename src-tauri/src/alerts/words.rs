//! The words of each announced change: one line per event, in the catalog's language.

use super::key::{ComponentStep, IncidentStep, Key};
use super::Urgency;
use crate::early::rules::Evidence;
use crate::i18n::{self, capitalize, Catalog};
use crate::model::{Impact, Phase, Status};
use crate::transitions::{Event, Tracked};
use chrono::{DateTime, Utc};

/// One announced change, before grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    pub(super) key: Key,
    /// The whole title when this line is the notification's only one (else
    /// "{service} — {what}").
    pub(super) title: Option<String>,
    /// "outage began", "resolved after 1 h 57 min", "API recovered".
    pub(super) what: String,
    /// The incident title or component name.
    pub(super) subject: String,
    pub(super) detail: String,
    pub(super) urgency: Urgency,
    pub(super) url: Option<String>,
    /// How much it matters, for [`MinImpact`].
    pub(super) impact: Impact,
    /// Components it concerns, for the follow list (empty: unknown, always kept).
    pub(super) components: Vec<String>,
    pub(super) phase_update: bool,
    /// The incident it is about, when it is about one.
    pub(super) incident: Option<Tracked>,
}

impl Line {
    /// Whether the line is about one component, named in its words already.
    pub(super) fn is_component(&self) -> bool {
        self.components.first() == Some(&self.subject)
    }

    /// The line as one of the list under a grouped notification's lead: "Resolved: Slow
    /// Actions", "API: operational → partial outage", "API recovered".
    pub(super) fn grouped(&self, cat: &Catalog) -> String {
        if self.is_component() {
            if self.key.is_recovery() {
                return capitalize(&self.what);
            }
            return self.detail.lines().next().unwrap_or_default().to_owned();
        }
        cat.t(
            "notify-grouped-line",
            &[
                ("what", capitalize(&self.what).into()),
                ("subject", self.subject.as_str().into()),
            ],
        )
    }
}

fn key(incident: &Tracked, step: IncidentStep) -> Key {
    Key::Incident {
        id: incident.id.clone(),
        reopened_at: incident.reopened_at,
        step,
    }
}

fn urgency_of(impact: Impact) -> Urgency {
    match impact {
        Impact::Critical => Urgency::Critical,
        Impact::None | Impact::Maintenance => Urgency::Low,
        Impact::Minor | Impact::Major => Urgency::Normal,
    }
}

fn impact_of(status: Status) -> Impact {
    match status {
        Status::Operational => Impact::None,
        Status::Maintenance => Impact::Maintenance,
        Status::Degraded => Impact::Minor,
        Status::PartialOutage => Impact::Major,
        Status::MajorOutage => Impact::Critical,
    }
}

/// "Investigating · major impact", then "Affects: API, ChatGPT" when the page says.
fn detail(cat: &Catalog, i: &Tracked) -> String {
    let impact = cat.t("impact-phrase", &[("impact", cat.impact(i.impact).into())]);
    let mut out = cat.t(
        "notify-detail",
        &[
            ("phase", capitalize(&cat.phase(i.phase)).into()),
            ("impact", impact.into()),
        ],
    );
    if !i.components.is_empty() {
        out.push('\n');
        out.push_str(&cat.t("affects", &[("components", i.components.join(", ").into())]));
    }
    out
}

/// "1 h 57 min", "12 min", "3 d 4 h", "45 s", in English (logs and webhooks); people read
/// [`Catalog::duration`].
pub fn human_duration(d: chrono::Duration) -> String {
    Catalog::english().duration(d)
}

fn began(cat: &Catalog, impact: Impact) -> String {
    if impact >= Impact::Major {
        cat.t("notify-outage-began", &[])
    } else {
        cat.t("notify-incident-began", &[])
    }
}

fn phase_words(cat: &Catalog, i: &Tracked) -> String {
    match i.phase {
        Phase::Identified => cat.t("notify-cause-identified", &[]),
        Phase::Monitoring => cat.t("notify-fix-monitored", &[]),
        other => cat.phase(other),
    }
}

/// "Outage Radar suspected it 22 min before the status page." when probes were first.
fn lead_words(cat: &Catalog, lead_secs: Option<i64>) -> Option<String> {
    let lead = lead_secs.filter(|l| *l > 0)?;
    let duration = cat.duration(chrono::Duration::seconds(lead));
    Some(cat.t("early-lead", &[("duration", duration.into())]))
}

fn with_lead(cat: &Catalog, detail: String, lead_secs: Option<i64>) -> String {
    match lead_words(cat, lead_secs) {
        Some(words) => format!("{detail}\n{words}"),
        None => detail,
    }
}

/// "14:05" in the user's time zone.
pub(super) fn local_time(cat: &Catalog, t: DateTime<Utc>, offset: chrono::FixedOffset) -> String {
    cat.clock(t.with_timezone(&offset).time())
}

/// "api.openai.com answered 503 three times since 04:50", one line per probe.
fn evidence_lines(cat: &Catalog, evidence: &[Evidence], offset: chrono::FixedOffset) -> String {
    evidence
        .iter()
        .map(|e| {
            cat.t(
                "early-evidence-since",
                &[
                    ("evidence", cat.evidence(e).into()),
                    ("time", local_time(cat, e.since, offset).into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Who a line is about and when, for its words.
pub(super) struct Context<'a> {
    pub(super) name: &'a str,
    pub(super) now: DateTime<Utc>,
    pub(super) offset: chrono::FixedOffset,
    pub(super) cat: &'a Catalog,
}

pub(super) fn lines(cx: &Context<'_>, event: &Event) -> Vec<Line> {
    let (now, cat) = (cx.now, cx.cat);
    let incident_line = |i: &Tracked, step: IncidentStep, what: String, urgency: Urgency| Line {
        key: key(i, step),
        title: None,
        what,
        subject: i.title.clone(),
        detail: detail(cat, i),
        urgency,
        url: i.url.clone(),
        impact: i.impact,
        components: i.components.clone(),
        phase_update: false,
        incident: Some(i.clone()),
    };
    // "resolved" or "resolved after 1 h 57 min": `id` and `id-after`.
    let ended = |i: &Tracked, end: &DateTime<Utc>, id: &str| match i.started_at {
        Some(start) if *end > start => cat.t(
            &format!("{id}-after"),
            &[("duration", cat.duration(*end - start).into())],
        ),
        _ => cat.t(id, &[]),
    };
    match event {
        Event::Baseline { open, .. } => open
            .iter()
            .map(|i| {
                let what = cat.t("notify-ongoing", &[]);
                incident_line(i, IncidentStep::Opened, what, urgency_of(i.impact))
            })
            .collect(),
        Event::IncidentOpened {
            incident,
            lead_secs,
        } => {
            let what = match incident.reopened_at {
                Some(_) => cat.t("notify-reopened", &[]),
                None => began(cat, incident.impact),
            };
            let line = incident_line(
                incident,
                IncidentStep::Opened,
                what,
                urgency_of(incident.impact),
            );
            vec![Line {
                detail: with_lead(cat, line.detail.clone(), *lead_secs),
                ..line
            }]
        }
        Event::PhaseChanged { incident, .. } => vec![Line {
            phase_update: true,
            ..incident_line(
                incident,
                IncidentStep::Phase(incident.phase),
                phase_words(cat, incident),
                urgency_of(incident.impact),
            )
        }],
        Event::IncidentResolved {
            incident,
            resolved_at,
        } => vec![incident_line(
            incident,
            IncidentStep::Resolved,
            ended(incident, resolved_at, "notify-resolved"),
            Urgency::Low,
        )],
        Event::MaintenanceStarted { incident } => vec![Line {
            impact: Impact::Maintenance,
            ..incident_line(
                incident,
                IncidentStep::MaintenanceStarted(incident.started_at),
                cat.t("notify-maintenance-started", &[]),
                Urgency::Low,
            )
        }],
        Event::MaintenanceCompleted {
            incident,
            resolved_at,
        } => vec![Line {
            impact: Impact::Maintenance,
            ..incident_line(
                incident,
                IncidentStep::MaintenanceCompleted(incident.started_at),
                ended(incident, resolved_at, "notify-maintenance-completed"),
                Urgency::Low,
            )
        }],
        Event::MaintenanceUpcoming {
            incident,
            starts_at,
        } => vec![Line {
            impact: Impact::Maintenance,
            ..incident_line(
                incident,
                IncidentStep::MaintenanceUpcoming(*starts_at),
                cat.t(
                    "notify-maintenance-upcoming",
                    &[
                        ("duration", cat.duration(*starts_at - now).into()),
                        ("time", local_time(cat, *starts_at, cx.offset).into()),
                    ],
                ),
                Urgency::Low,
            )
        }],
        Event::Reminder { incident, count } => {
            let what = match incident.started_at {
                Some(s) => cat.t(
                    "notify-still-ongoing-for",
                    &[("duration", cat.duration(now - s).into())],
                ),
                None => cat.t("notify-still-ongoing", &[]),
            };
            vec![incident_line(
                incident,
                IncidentStep::Reminder(*count),
                what,
                Urgency::Normal,
            )]
        }
        Event::ComponentDegraded {
            component,
            status,
            from,
            since,
            lead_secs,
        } => vec![Line {
            // Each breakage is its own story: without its start, a component that breaks
            // again days later would find its old key and never be announced.
            key: Key::Component {
                name: component.clone(),
                since: *since,
                step: ComponentStep::Broke(*status),
            },
            title: None,
            what: cat.t(
                "notify-component-status",
                &[
                    ("component", component.as_str().into()),
                    ("status", cat.status(*status).into()),
                ],
            ),
            subject: component.clone(),
            detail: with_lead(
                cat,
                cat.t(
                    "notify-component-change",
                    &[
                        ("component", component.as_str().into()),
                        ("from", cat.status(*from).into()),
                        ("to", cat.status(*status).into()),
                    ],
                ),
                *lead_secs,
            ),
            urgency: urgency_of(impact_of(*status)),
            url: None,
            impact: impact_of(*status),
            components: vec![component.clone()],
            phase_update: false,
            incident: None,
        }],
        Event::ComponentRecovered {
            component,
            since,
            worst,
        } => vec![Line {
            key: Key::Component {
                name: component.clone(),
                since: *since,
                step: ComponentStep::Recovered,
            },
            title: None,
            what: cat.t(
                "notify-component-recovered",
                &[("component", component.as_str().into())],
            ),
            subject: component.clone(),
            detail: cat.t(
                "notify-component-operational-again",
                &[("component", component.as_str().into())],
            ),
            urgency: Urgency::Low,
            url: None,
            // A state saved before the worst status was kept knows only that it broke.
            impact: impact_of(*worst).max(Impact::Minor),
            components: vec![component.clone()],
            phase_update: false,
            incident: None,
        }],
        Event::OutageSuspected { since, evidence } => vec![Line {
            key: Key::Suspicion {
                since: *since,
                cleared: false,
            },
            title: Some(cat.t("early-title", &[("service", cx.name.into())])),
            what: cat.t("early-what", &[]),
            subject: evidence_lines(cat, evidence, cx.offset),
            // Honest about what was measured: an unauthenticated probe sees the front door.
            detail: cat.t("early-caveat", &[]),
            urgency: Urgency::Normal,
            url: None,
            // Whoever wants to hear of a major outage wants to hear of a possible one.
            impact: Impact::Major,
            components: vec![],
            phase_update: false,
            incident: None,
        }],
        Event::SuspicionCleared { since, .. } => vec![Line {
            key: Key::Suspicion {
                since: *since,
                cleared: true,
            },
            title: Some(cat.t("early-cleared-title", &[("service", cx.name.into())])),
            what: cat.t("early-cleared-what", &[]),
            subject: cat.t(
                "early-cleared-body",
                &[("time", local_time(cat, *since, cx.offset).into())],
            ),
            detail: cat.t("early-cleared-kept", &[]),
            // A quiet note, never a second alarm; heard by whoever heard the alarm.
            urgency: Urgency::Low,
            url: None,
            impact: Impact::Major,
            components: vec![],
            phase_update: false,
            incident: None,
        }],
        // Our own reachability shows in the tray and window, never as the vendor's outage.
        Event::SourceUnreachable { .. }
        | Event::SourceChangedFormat { .. }
        | Event::SourceRecovered
        | Event::Offline
        | Event::Online => vec![],
    }
}

/// The note on the pending deliveries of a target removed in Settings (Settings shows it as
/// that target's last error).
pub fn webhook_target_removed() -> String {
    i18n::current().t("webhook-note-target-removed", &[])
}

/// The note on old pending deliveries of a target that is no longer configured.
pub fn webhook_target_gone() -> String {
    i18n::current().t("webhook-note-target-gone", &[])
}

/// The title and body of a webhook's test message (Settings' **Send test**), sent at
/// `now` in the user's time zone `offset`, in the language in force.
pub fn test_words(now: DateTime<Utc>, offset: chrono::FixedOffset) -> (String, String) {
    let cat = i18n::current();
    (
        cat.t("webhook-test-title", &[]),
        cat.t(
            "webhook-test-body",
            &[("time", local_time(cat, now, offset).into())],
        ),
    )
}

/// What Settings shows after a test: delivered, or why not (and whether a real alert
/// would be retried).
pub fn test_result(delivered: Option<u16>, reason: Option<&str>, would_retry: bool) -> String {
    let cat = i18n::current();
    match (delivered, reason) {
        (Some(code), _) => cat.t("webhook-delivered", &[("status", code.into())]),
        (None, Some(r)) if would_retry => {
            cat.t("webhook-not-delivered-retry", &[("reason", r.into())])
        }
        (None, Some(r)) => cat.t("webhook-not-delivered-final", &[("reason", r.into())]),
        (None, None) => cat.t("webhook-not-delivered", &[]),
    }
}

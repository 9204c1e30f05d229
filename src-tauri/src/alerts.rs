//! Alert policy: which events become a notification for whom, its words, and its dedup keys.

use crate::early::rules::Evidence;
use crate::i18n::{self, capitalize, Catalog};
use crate::model::{Impact, Phase, ServiceId, Status};
use crate::transitions::{Event, IncidentRef};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
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

/// The least a change must matter to be announced for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinImpact {
    /// Every incident, component change and maintenance.
    #[default]
    All,
    /// Only major and critical incidents, partial and major component outages.
    Major,
    /// Nothing: the service still shows in the tray and window.
    Muted,
}

/// Whether every phase change is announced, or only the beginning and the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Updates {
    #[default]
    #[serde(rename = "all")]
    Every,
    BeginEnd,
}

/// A service's notification preferences.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prefs {
    pub min_impact: MinImpact,
    /// Components to follow; empty follows all.
    pub components: Vec<String>,
    pub updates: Updates,
}

/// What to do with notifications during quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuietMode {
    /// Hold them and deliver when quiet hours end.
    #[default]
    Queue,
    /// Record them in history but never pop them up.
    Drop,
}

/// A daily window in local time; it may wrap midnight (22:00–07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: chrono::NaiveTime,
    pub end: chrono::NaiveTime,
    pub mode: QuietMode,
}

/// When a recorded notification may pop up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Now,
    Queue {
        until: DateTime<Utc>,
    },
    /// `reason`: a machine word ("paused", "quiet_hours") kept in the outbox row.
    Drop {
        reason: &'static str,
    },
}

/// Decides delivery from the pause and quiet hours; `offset` is the local UTC offset now.
pub fn delivery(
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
    quiet: Option<&QuietHours>,
    paused_until: Option<DateTime<Utc>>,
) -> Delivery {
    if paused_until.is_some_and(|until| now < until) {
        return Delivery::Drop { reason: "paused" };
    }
    let Some(q) = quiet else { return Delivery::Now };
    if q.start == q.end {
        return Delivery::Now;
    }
    let local = now.with_timezone(&offset).naive_local();
    let t = local.time();
    let inside = if q.start < q.end {
        q.start <= t && t < q.end
    } else {
        t >= q.start || t < q.end
    };
    if !inside {
        return Delivery::Now;
    }
    match q.mode {
        QuietMode::Drop => Delivery::Drop {
            reason: "quiet_hours",
        },
        QuietMode::Queue => {
            let mut end = local.date().and_time(q.end);
            if end <= local {
                end += chrono::Duration::days(1);
            }
            let until =
                (end - chrono::Duration::seconds(i64::from(offset.local_minus_utc()))).and_utc();
            Delivery::Queue { until }
        }
    }
}

/// "Until tomorrow" in the pause menu: 08:00 local time on the next day.
pub fn tomorrow_morning(now: DateTime<Utc>, offset: chrono::FixedOffset) -> DateTime<Utc> {
    let local = now.with_timezone(&offset).date_naive() + chrono::Duration::days(1);
    let eight = chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default();
    (local.and_time(eight) - chrono::Duration::seconds(i64::from(offset.local_minus_utc())))
        .and_utc()
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
    pub keys: Vec<LedgerKey>,
}

/// One announced transition in the ledger: its dedup key, and the story (an incident, or
/// one breakage of a component) it belongs to, so that rows of stories that are over can
/// be pruned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LedgerKey {
    pub key: String,
    pub story: String,
}

/// The story of an incident or maintenance, by its provider id.
pub fn incident_story(id: &crate::model::IncidentId) -> String {
    format!("incident:{id}")
}

/// The story of one breakage of a component, from its start.
pub fn component_story(component: &str, since: DateTime<Utc>) -> String {
    format!("component:{component}@{}", since.timestamp())
}

/// The stories of a service that can still produce announcements: its open incidents and
/// maintenances, and its components' current breakages. Ledger rows of other stories are
/// never hit again.
pub fn live_stories(state: &crate::transitions::ServiceState) -> Vec<String> {
    let incidents = state.open.keys().map(incident_story);
    let suspicion = state
        .early
        .suspicion
        .as_ref()
        .map(|s| suspicion_story(s.since));
    let components = state
        .components
        .iter()
        .filter_map(|(name, track)| track.since.map(|since| component_story(name, since)));
    incidents.chain(components).chain(suspicion).collect()
}

/// The story of one suspicion, by its start.
pub fn suspicion_story(since: DateTime<Utc>) -> String {
    format!("suspicion@{}", since.timestamp())
}

/// One announced change, before grouping.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    key: String,
    story: String,
    /// The whole title when this line is the notification's only one (else
    /// "{service} — {what}").
    title: Option<String>,
    /// "outage began", "resolved after 1 h 57 min", "API recovered".
    what: String,
    /// The incident title or component name.
    subject: String,
    detail: String,
    urgency: Urgency,
    url: Option<String>,
    /// How much it matters, for [`MinImpact`].
    impact: Impact,
    /// Components it concerns, for the follow list (empty: unknown, always kept).
    components: Vec<String>,
    phase_update: bool,
    /// The incident it is about, when it is about one.
    incident: Option<IncidentRef>,
}

impl Line {
    /// Whether the line is about one component, named in its words already.
    fn is_component(&self) -> bool {
        self.components.first() == Some(&self.subject)
    }

    /// The line as one of the list under a grouped notification's lead: "Resolved: Slow
    /// Actions", "API: operational → partial outage", "API recovered".
    fn grouped(&self, cat: &Catalog) -> String {
        if self.is_component() {
            if self.key.ends_with("/recovered") {
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

fn key(service: &ServiceId, incident: &IncidentRef, what: &str) -> String {
    format!("{service}/{}/{what}", incident.id)
}

/// A maintenance that recurs under the same id (a weekly window) is a new story each time
/// it starts: its start time is part of the key.
fn maintenance_key(service: &ServiceId, m: &IncidentRef, what: &str) -> String {
    let start = m
        .started_at
        .map_or_else(|| "unscheduled".to_owned(), |t| t.timestamp().to_string());
    key(service, m, &format!("{what}/{start}"))
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
fn detail(cat: &Catalog, i: &IncidentRef) -> String {
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

fn phase_words(cat: &Catalog, i: &IncidentRef) -> String {
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
fn local_time(cat: &Catalog, t: DateTime<Utc>, offset: chrono::FixedOffset) -> String {
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
struct Context<'a> {
    service: &'a ServiceId,
    name: &'a str,
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
    cat: &'a Catalog,
}

fn lines(cx: &Context<'_>, event: &Event) -> Vec<Line> {
    let (service, now, cat) = (cx.service, cx.now, cx.cat);
    let incident_line = |i: &IncidentRef, what_key: &str, what: String, urgency: Urgency| Line {
        key: key(service, i, what_key),
        story: incident_story(&i.id),
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
    let ended = |i: &IncidentRef, end: &DateTime<Utc>, id: &str| match i.started_at {
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
                incident_line(i, "opened", what, urgency_of(i.impact))
            })
            .collect(),
        Event::IncidentOpened {
            incident,
            lead_secs,
        } => {
            let line = incident_line(
                incident,
                "opened",
                began(cat, incident.impact),
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
                &format!("phase/{}", incident.phase),
                phase_words(cat, incident),
                urgency_of(incident.impact),
            )
        }],
        Event::IncidentResolved {
            incident,
            resolved_at,
        } => vec![incident_line(
            incident,
            "resolved",
            ended(incident, resolved_at, "notify-resolved"),
            Urgency::Low,
        )],
        Event::MaintenanceStarted { incident } => vec![Line {
            key: maintenance_key(service, incident, "maintenance-started"),
            impact: Impact::Maintenance,
            ..incident_line(
                incident,
                "maintenance-started",
                cat.t("notify-maintenance-started", &[]),
                Urgency::Low,
            )
        }],
        Event::MaintenanceCompleted {
            incident,
            resolved_at,
        } => vec![Line {
            key: maintenance_key(service, incident, "maintenance-completed"),
            impact: Impact::Maintenance,
            ..incident_line(
                incident,
                "maintenance-completed",
                ended(incident, resolved_at, "notify-maintenance-completed"),
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
                &format!("reminder/{count}"),
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
            key: format!(
                "{service}/component/{component}/{}/{status}",
                since.timestamp()
            ),
            story: component_story(component, *since),
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
        Event::ComponentRecovered { component, since } => vec![Line {
            key: format!(
                "{service}/component/{component}/{}/recovered",
                since.timestamp()
            ),
            story: component_story(component, *since),
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
            impact: Impact::Minor,
            components: vec![component.clone()],
            phase_update: false,
            incident: None,
        }],
        Event::OutageSuspected { since, evidence } => vec![Line {
            key: format!("{service}/suspected/{}", since.timestamp()),
            story: suspicion_story(*since),
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
            key: format!("{service}/suspected/{}/cleared", since.timestamp()),
            story: suspicion_story(*since),
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

/// Whether `prefs` let this line through.
fn wanted(prefs: &Prefs, l: &Line) -> bool {
    let impact_ok = match prefs.min_impact {
        MinImpact::All => true,
        MinImpact::Major => l.impact >= Impact::Major && l.impact != Impact::Maintenance,
        MinImpact::Muted => false,
    };
    let followed = prefs.components.is_empty()
        || l.components.is_empty()
        || l.components
            .iter()
            .any(|c| prefs.components.iter().any(|f| f.eq_ignore_ascii_case(c)));
    let update_ok = !(l.phase_update && prefs.updates == Updates::BeginEnd);
    impact_ok && followed && update_ok
}

/// One announced change on its own: a line that passed the preferences and the ledger,
/// with its own words. A poll's announcements are grouped into one pop-up by [`group`];
/// each is forwarded to the webhooks on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// Which of the poll's events it comes from.
    pub event: usize,
    /// The change alone as a notification, with its one ledger key.
    pub notification: Notification,
    line: Line,
}

impl Announcement {
    /// How much it matters, as a service's `notify` and a webhook's `min_impact` judge it.
    pub fn impact(&self) -> Impact {
        self.line.impact
    }

    /// The incident it is about, when it is about one (a baseline announces each open one).
    pub fn incident(&self) -> Option<&IncidentRef> {
        self.line.incident.as_ref()
    }
}

/// Lines a grouped notification lists under its lead; past this, "and 3 more changes".
const MAX_GROUPED_LINES: usize = 10;

/// How much a line matters for leading a grouped notification: what it is first (an
/// incident that opens, then a suspicion, then a component that breaks, then news of an
/// open story, then endings), then its urgency. An outage leads the components it takes down.
fn weight(l: &Line) -> (u8, Urgency, Impact) {
    let k = l.key.as_str();
    let tier = if k.ends_with("/opened") {
        4
    } else if k.contains("/suspected/") && !k.ends_with("/cleared") {
        3
    } else if k.contains("/component/") && !k.ends_with("/recovered") {
        2
    } else if k.contains("/phase/") || k.contains("/reminder/") {
        1
    } else {
        0
    };
    (tier, l.urgency, l.impact)
}

/// The title of a line that is a notification on its own.
fn single_title(cat: &Catalog, service_name: &str, l: &Line) -> String {
    l.title.clone().unwrap_or_else(|| {
        cat.t(
            "notify-title",
            &[
                ("service", service_name.into()),
                ("what", l.what.as_str().into()),
            ],
        )
    })
}

/// One poll's events for one service, one item per change that is news, in `cat`'s words:
/// what the preferences filter and every transition whose key `announced` says the ledger
/// holds are left out. `offset` is the user's UTC offset now, for the times in the words.
#[allow(clippy::too_many_arguments)]
pub fn plan_each(
    cat: &Catalog,
    service: &ServiceId,
    service_name: &str,
    prefs: &Prefs,
    events: &[Event],
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
    mut announced: impl FnMut(&str) -> bool,
) -> Vec<Announcement> {
    let cx = Context {
        service,
        name: service_name,
        now,
        offset,
        cat,
    };
    events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| lines(&cx, e).into_iter().map(move |l| (i, l)))
        .filter(|(_, l)| wanted(prefs, l) && !announced(&l.key))
        .map(|(event, line)| Announcement {
            event,
            notification: Notification {
                service: service.clone(),
                title: single_title(cat, service_name, &line),
                body: format!("{}\n{}", line.subject, line.detail),
                urgency: line.urgency,
                url: line.url.clone(),
                keys: vec![LedgerKey {
                    key: line.key.clone(),
                    story: line.story.clone(),
                }],
            },
            line,
        })
        .collect()
}

/// A poll's announcements as at most one pop-up: one change in its own words; several lead
/// with the most important one (an outage before the components it takes down) and list
/// the others below it.
pub fn group(
    cat: &Catalog,
    service: &ServiceId,
    service_name: &str,
    each: &[Announcement],
) -> Option<Notification> {
    let urgency = each.iter().map(|a| a.line.urgency).max()?;
    if let [one] = each {
        return Some(one.notification.clone());
    }
    // The first of the weightiest: the order of the page's events breaks ties.
    let lead_at = each
        .iter()
        .enumerate()
        .rev()
        .max_by_key(|(_, a)| weight(&a.line))
        .map_or(0, |(i, _)| i);
    let lead = &each[lead_at].line;
    // A component's line names it in its words already: "OpenAI — API recovered".
    let title = if lead.title.is_some() || lead.is_component() {
        single_title(cat, service_name, lead)
    } else {
        cat.t(
            "notify-lead-title",
            &[
                ("service", service_name.into()),
                ("what", lead.what.as_str().into()),
                ("subject", lead.subject.as_str().into()),
            ],
        )
    };
    let others: Vec<&Line> = each
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != lead_at)
        .map(|(_, a)| &a.line)
        .collect();
    let mut body: Vec<String> = others
        .iter()
        .take(MAX_GROUPED_LINES)
        .map(|l| l.grouped(cat))
        .collect();
    if others.len() > MAX_GROUPED_LINES {
        let more = others.len() - MAX_GROUPED_LINES;
        body.push(cat.t("notify-more", &[("count", more.into())]));
    }
    let url = lead
        .url
        .clone()
        .or_else(|| each.iter().find_map(|a| a.line.url.clone()));
    Some(Notification {
        service: service.clone(),
        title,
        body: body.join("\n"),
        urgency,
        url,
        keys: each
            .iter()
            .flat_map(|a| a.notification.keys.iter().cloned())
            .collect(),
    })
}

/// Groups one poll's events for one service into at most one notification, in the language
/// in force; see [`plan_in`].
pub fn plan(
    service: &ServiceId,
    service_name: &str,
    prefs: &Prefs,
    events: &[Event],
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
    announced: impl FnMut(&str) -> bool,
) -> Option<Notification> {
    plan_in(
        i18n::current(),
        service,
        service_name,
        prefs,
        events,
        now,
        offset,
        announced,
    )
}

/// Groups one poll's events for one service into at most one notification in `cat`'s words
/// ([`plan_each`], then [`group`]).
#[allow(clippy::too_many_arguments)]
pub fn plan_in(
    cat: &Catalog,
    service: &ServiceId,
    service_name: &str,
    prefs: &Prefs,
    events: &[Event],
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
    announced: impl FnMut(&str) -> bool,
) -> Option<Notification> {
    let each = plan_each(
        cat,
        service,
        service_name,
        prefs,
        events,
        now,
        offset,
        announced,
    );
    group(cat, service, service_name, &each)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::model::{IncidentId, Phase};
    use chrono::TimeZone;

    /// The English words, whatever language the process is in.
    fn plan(
        service: &ServiceId,
        service_name: &str,
        prefs: &Prefs,
        events: &[Event],
        now: DateTime<Utc>,
        offset: chrono::FixedOffset,
        announced: impl FnMut(&str) -> bool,
    ) -> Option<Notification> {
        plan_in(
            Catalog::english(),
            service,
            service_name,
            prefs,
            events,
            now,
            offset,
            announced,
        )
    }

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

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0)
            .single()
            .expect("valid")
    }

    fn utc() -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(0).expect("offset")
    }

    fn all() -> Prefs {
        Prefs::default()
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
                    lead_secs: None,
                },
                "OpenAI — outage began",
                "Elevated errors\nInvestigating · critical impact\nAffects: API, ChatGPT",
                Urgency::Critical,
                "openai/x1/opened",
            ),
            (
                Event::IncidentOpened {
                    incident: incident(Phase::Investigating, Impact::Minor),
                    lead_secs: None,
                },
                "OpenAI — incident began",
                "Elevated errors\nInvestigating · minor impact\nAffects: API, ChatGPT",
                Urgency::Normal,
                "openai/x1/opened",
            ),
            (
                Event::PhaseChanged {
                    incident: incident(Phase::Identified, Impact::Major),
                    from: Phase::Investigating,
                },
                "OpenAI — cause identified",
                "Elevated errors\nIdentified · major impact\nAffects: API, ChatGPT",
                Urgency::Normal,
                "openai/x1/phase/identified",
            ),
            (
                Event::IncidentResolved {
                    incident: incident(Phase::Resolved, Impact::Major),
                    resolved_at,
                },
                "OpenAI — resolved after 1 h 57 min",
                "Elevated errors\nResolved · major impact\nAffects: API, ChatGPT",
                Urgency::Low,
                "openai/x1/resolved",
            ),
            (
                Event::ComponentDegraded {
                    component: "API".to_owned(),
                    status: Status::PartialOutage,
                    from: Status::Operational,
                    since: since(),
                    lead_secs: None,
                },
                "OpenAI — API partial outage",
                "API\nAPI: operational → partial outage",
                Urgency::Normal,
                "openai/component/API/1795672800/partial_outage",
            ),
            (
                Event::ComponentRecovered {
                    component: "API".to_owned(),
                    since: since(),
                },
                "OpenAI — API recovered",
                "API\nAPI is operational again",
                Urgency::Low,
                "openai/component/API/1795672800/recovered",
            ),
            (
                Event::MaintenanceStarted {
                    incident: incident(Phase::InProgress, Impact::Maintenance),
                },
                "OpenAI — maintenance started",
                "Elevated errors\nIn progress · maintenance impact\nAffects: API, ChatGPT",
                Urgency::Low,
                "openai/x1/maintenance-started/1795669920",
            ),
        ];
        for (event, title, body, urgency, key) in table {
            let n = plan(
                &s,
                "OpenAI",
                &all(),
                std::slice::from_ref(&event),
                now(),
                utc(),
                |_| false,
            )
            .expect("notifies");
            assert_eq!(n.title, title, "{event:?}");
            assert_eq!(n.body, body, "{event:?}");
            assert_eq!(n.urgency, urgency, "{event:?}");
            let keys: Vec<&str> = n.keys.iter().map(|k| k.key.as_str()).collect();
            assert_eq!(keys, vec![key], "{event:?}");
        }
    }

    /// Each change on its own keeps its own words and key; the pop-up groups the same ones.
    #[test]
    fn each_change_alone_and_grouped() {
        let s = ServiceId::from_name("OpenAI");
        let events = vec![
            Event::IncidentOpened {
                incident: incident(Phase::Investigating, Impact::Critical),
                lead_secs: None,
            },
            Event::ComponentDegraded {
                component: "Files".to_owned(),
                status: Status::Degraded,
                from: Status::Operational,
                since: since(),
                lead_secs: None,
            },
        ];
        let en = Catalog::english();
        let each = plan_each(en, &s, "OpenAI", &all(), &events, now(), utc(), |_| false);
        let alone: Vec<(usize, &str, Impact)> = each
            .iter()
            .map(|a| (a.event, a.notification.title.as_str(), a.impact()))
            .collect();
        assert_eq!(
            alone,
            [
                (0, "OpenAI — outage began", Impact::Critical),
                (1, "OpenAI — Files degraded", Impact::Minor)
            ]
        );
        assert_eq!(each[0].notification.keys.len(), 1);
        assert_eq!(each[0].incident().map(|i| i.id.0.as_str()), Some("x1"));
        assert_eq!(each[1].incident(), None);
        let grouped = group(en, &s, "OpenAI", &each).expect("grouped");
        assert_eq!(grouped.title, "OpenAI: outage began — Elevated errors");
        assert_eq!(grouped.body, "Files: operational → degraded");
        assert_eq!(grouped.keys.len(), 2);
        assert_eq!(grouped.urgency, Urgency::Critical);
        assert_eq!(
            Some(grouped),
            plan(&s, "OpenAI", &all(), &events, now(), utc(), |_| false)
        );
        assert_eq!(group(en, &s, "OpenAI", &[]), None);
    }

    fn since() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 6, 0, 0)
            .single()
            .expect("valid")
    }

    /// The ledger keeps one row per announced key; each story must bring keys of its own.
    #[test]
    fn recurring_stories_get_keys_of_their_own() {
        let s = ServiceId::from_name("OpenAI");
        let plan_one = |e: Event, ledger: &[String]| {
            plan(&s, "OpenAI", &all(), &[e], now(), utc(), |k| {
                ledger.iter().any(|l| l == k)
            })
        };
        let broke = |since| Event::ComponentDegraded {
            component: "API".to_owned(),
            status: Status::Degraded,
            from: Status::Operational,
            since,
            lead_secs: None,
        };
        let recovered = |since| Event::ComponentRecovered {
            component: "API".to_owned(),
            since,
        };
        let later = since() + chrono::Duration::days(3);
        let mut ledger = Vec::new();
        for e in [
            broke(since()),
            recovered(since()),
            broke(later),
            recovered(later),
        ] {
            let n = plan_one(e.clone(), &ledger).unwrap_or_else(|| panic!("{e:?} is news"));
            ledger.extend(n.keys.into_iter().map(|k| k.key));
        }
        assert_eq!(ledger.len(), 4, "{ledger:?}");
        assert_eq!(plan_one(broke(later), &ledger), None, "the same story once");

        // A weekly maintenance that keeps its id: each window starts a new story.
        let week = |start: DateTime<Utc>| {
            let mut m = incident(Phase::InProgress, Impact::Maintenance);
            m.started_at = Some(start);
            Event::MaintenanceStarted { incident: m }
        };
        let first = plan_one(week(since()), &[]).expect("first window");
        let first_keys: Vec<String> = first.keys.into_iter().map(|k| k.key).collect();
        assert!(plan_one(week(since() + chrono::Duration::days(7)), &first_keys).is_some());
        assert_eq!(plan_one(week(since()), &first_keys), None);
    }

    #[test]
    fn live_stories_name_open_incidents_and_current_breakages() {
        use crate::transitions::{ComponentTrack, Known, ServiceState};
        let mut state = ServiceState::default();
        state.open.insert(
            IncidentId("x1".to_owned()),
            Known {
                kind: crate::model::Kind::Incident,
                title: "t".to_owned(),
                phase: Phase::Investigating,
                impact: Impact::Minor,
                started_at: None,
                url: None,
                components: vec![],
                first_seen: None,
                reminders: 0,
            },
        );
        let track = |since| ComponentTrack {
            status: Status::Degraded,
            recovered_at: None,
            announced: true,
            since,
        };
        state
            .components
            .insert("API".to_owned(), track(Some(since())));
        state.components.insert("Web".to_owned(), track(None));
        assert_eq!(
            live_stories(&state),
            vec![
                "incident:x1".to_owned(),
                format!("component:API@{}", since().timestamp())
            ]
        );
    }

    /// The early-warning words: the alarm, its quiet all-clear, and the lead on the
    /// official notification, with times in the user's zone.
    #[test]
    fn early_warning_words() {
        use crate::early::rules::Evidence;
        use crate::early::verdict::FailReason;
        let s = ServiceId::from_name("OpenAI");
        let at = |h, m| {
            Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0)
                .single()
                .expect("valid")
        };
        let evidence = vec![Evidence {
            target: "api.openai.com".to_owned(),
            url: "https://api.openai.com/v1/models".to_owned(),
            reasons: vec![FailReason::Status(503)],
            times: 3,
            since: at(4, 50),
        }];
        let cet = chrono::FixedOffset::east_opt(3600).expect("offset");
        let one = |e: Event, offset| {
            plan(&s, "OpenAI", &all(), &[e], now(), offset, |_| false).expect("notifies")
        };
        let n = one(
            Event::OutageSuspected {
                since: at(4, 50),
                evidence: evidence.clone(),
            },
            utc(),
        );
        assert_eq!(
            n.title,
            "Possible outage of OpenAI — not on its status page yet"
        );
        assert_eq!(
            n.body,
            "api.openai.com answered 503 three times since 04:50\nA probe without a key sees \
             the front door only: an outage behind it can still be missed."
        );
        assert_eq!(n.urgency, Urgency::Normal);
        assert_eq!(
            n.keys[0].key,
            format!("openai/suspected/{}", at(4, 50).timestamp())
        );
        assert_eq!(
            one(
                Event::OutageSuspected {
                    since: at(4, 50),
                    evidence: evidence.clone()
                },
                cet
            )
            .body
            .lines()
            .next(),
            Some("api.openai.com answered 503 three times since 05:50"),
            "local time"
        );

        let n = one(
            Event::SuspicionCleared {
                since: at(4, 50),
                at: at(5, 0),
                evidence,
            },
            utc(),
        );
        assert_eq!(n.title, "OpenAI answers again");
        assert_eq!(
            n.body,
            "The possible outage since 04:50 never showed on the status page.\nKept in \
             history as an unconfirmed blip."
        );
        assert_eq!(n.urgency, Urgency::Low, "a quiet note, not a second alarm");

        let opened = |lead_secs| Event::IncidentOpened {
            incident: incident(Phase::Investigating, Impact::Critical),
            lead_secs,
        };
        assert!(one(opened(Some(22 * 60)), utc())
            .body
            .ends_with("\nOutage Radar suspected it 22 min before the status page."));
        for no_lead in [None, Some(0), Some(-30)] {
            assert!(
                !one(opened(no_lead), utc()).body.contains("Outage Radar"),
                "{no_lead:?}: the page was first, nothing to boast"
            );
        }
        // Whoever hears of major outages hears of a possible one; muted hears nothing.
        let major = Prefs {
            min_impact: MinImpact::Major,
            ..Prefs::default()
        };
        let suspected = Event::OutageSuspected {
            since: at(4, 50),
            evidence: vec![],
        };
        assert!(plan(
            &s,
            "OpenAI",
            &major,
            std::slice::from_ref(&suspected),
            now(),
            utc(),
            |_| false
        )
        .is_some());
        let muted = Prefs {
            min_impact: MinImpact::Muted,
            ..Prefs::default()
        };
        assert!(plan(&s, "OpenAI", &muted, &[suspected], now(), utc(), |_| false).is_none());
    }

    #[test]
    fn silent_events() {
        let s = ServiceId::from_name("GitHub");
        for e in [
            Event::Baseline {
                open: vec![],
                status: Status::Operational,
            },
            Event::SourceUnreachable {
                reason: "timed out".to_owned(),
            },
            Event::SourceChangedFormat {
                reason: "got an HTML page".to_owned(),
            },
            Event::SourceRecovered,
            Event::Offline,
            Event::Online,
        ] {
            assert_eq!(
                plan(
                    &s,
                    "GitHub",
                    &all(),
                    std::slice::from_ref(&e),
                    now(),
                    utc(),
                    |_| false
                ),
                None,
                "{e:?}"
            );
        }
    }

    #[test]
    fn preferences_table() {
        let s = ServiceId::from_name("GitHub");
        let opened = |impact| Event::IncidentOpened {
            incident: incident(Phase::Investigating, impact),
            lead_secs: None,
        };
        let phase = Event::PhaseChanged {
            incident: incident(Phase::Monitoring, Impact::Critical),
            from: Phase::Identified,
        };
        let comp = |name: &str, status| Event::ComponentDegraded {
            component: name.to_owned(),
            status,
            from: Status::Operational,
            since: now(),
            lead_secs: None,
        };
        let maint = Event::MaintenanceStarted {
            incident: incident(Phase::InProgress, Impact::Maintenance),
        };
        let prefs = |min_impact, components: &[&str], updates| Prefs {
            min_impact,
            components: components.iter().map(|c| (*c).to_owned()).collect(),
            updates,
        };
        use MinImpact::*;
        use Updates::*;
        let table: Vec<(&str, Prefs, Event, bool)> = vec![
            (
                "all: minor incident",
                prefs(All, &[], Every),
                opened(Impact::Minor),
                true,
            ),
            (
                "major: minor incident dropped",
                prefs(Major, &[], Every),
                opened(Impact::Minor),
                false,
            ),
            (
                "major: major incident kept",
                prefs(Major, &[], Every),
                opened(Impact::Major),
                true,
            ),
            (
                "major: degraded component dropped",
                prefs(Major, &[], Every),
                comp("Git", Status::Degraded),
                false,
            ),
            (
                "major: partial outage kept",
                prefs(Major, &[], Every),
                comp("Git", Status::PartialOutage),
                true,
            ),
            (
                "major: maintenance dropped",
                prefs(Major, &[], Every),
                maint.clone(),
                false,
            ),
            ("all: maintenance kept", prefs(All, &[], Every), maint, true),
            (
                "muted: nothing",
                prefs(Muted, &[], Every),
                opened(Impact::Critical),
                false,
            ),
            (
                "follow list: other component dropped",
                prefs(All, &["Git"], Every),
                comp("Pages", Status::MajorOutage),
                false,
            ),
            (
                "follow list: followed component kept (any case)",
                prefs(All, &["git"], Every),
                comp("Git", Status::MajorOutage),
                true,
            ),
            (
                "follow list: incident on a followed component",
                prefs(All, &["chatgpt"], Every),
                opened(Impact::Minor),
                true,
            ),
            (
                "follow list: incident elsewhere",
                prefs(All, &["Git"], Every),
                opened(Impact::Critical),
                false,
            ),
            (
                "begin/end: phase update dropped",
                prefs(All, &[], BeginEnd),
                phase.clone(),
                false,
            ),
            (
                "every update: phase update kept",
                prefs(All, &[], Every),
                phase,
                true,
            ),
        ];
        for (name, p, event, notifies) in table {
            let got = plan(
                &s,
                "GitHub",
                &p,
                std::slice::from_ref(&event),
                now(),
                utc(),
                |_| false,
            )
            .is_some();
            assert_eq!(got, notifies, "case: {name}");
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
            status: Status::PartialOutage,
        }];
        let n =
            plan(&s, "GitHub", &all(), &events, now(), utc(), |_| false).expect("one notification");
        assert_eq!(
            n.title, "GitHub: ongoing — Elevated errors",
            "the major one leads"
        );
        assert_eq!(n.body, "Ongoing: Slow Actions");
        let keys: Vec<&str> = n.keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(keys, vec!["github/x1/opened", "github/x2/opened"]);
        assert_eq!(n.keys[1].story, "incident:x2");

        // A line already in the ledger is left out; the rest reads as a single notification.
        let n = plan(&s, "GitHub", &all(), &events, now(), utc(), |k| {
            k == "github/x1/opened"
        })
        .expect("one left");
        assert_eq!(n.title, "GitHub — ongoing");
        assert_eq!(
            n.body,
            "Slow Actions\nInvestigating · minor impact\nAffects: API, ChatGPT"
        );
        let keys: Vec<&str> = n.keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(keys, vec!["github/x2/opened"]);
        assert_eq!(
            plan(&s, "GitHub", &all(), &events, now(), utc(), |_| true),
            None,
            "all announced"
        );
    }

    /// Name, now, local offset, quiet hours, paused until, expected delivery.
    type QuietCase = (
        &'static str,
        DateTime<Utc>,
        chrono::FixedOffset,
        Option<QuietHours>,
        Option<DateTime<Utc>>,
        Delivery,
    );

    #[test]
    fn quiet_hours_and_pause() {
        use chrono::NaiveTime;
        let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("time");
        let at = |h, m| {
            Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0)
                .single()
                .expect("valid")
        };
        let night = QuietHours {
            start: hm(22, 0),
            end: hm(7, 0),
            mode: QuietMode::Queue,
        };
        let lunch = QuietHours {
            start: hm(12, 0),
            end: hm(13, 0),
            mode: QuietMode::Drop,
        };
        let utc = chrono::FixedOffset::east_opt(0).expect("offset");
        let cet = chrono::FixedOffset::east_opt(3600).expect("offset");
        let table: Vec<QuietCase> = vec![
            ("no quiet hours", at(23, 0), utc, None, None, Delivery::Now),
            (
                "before the night",
                at(21, 59),
                utc,
                Some(night),
                None,
                Delivery::Now,
            ),
            (
                "night, before midnight: queued until 07:00 tomorrow",
                at(23, 0),
                utc,
                Some(night),
                None,
                Delivery::Queue {
                    until: at(7, 0) + chrono::Duration::days(1),
                },
            ),
            (
                "night, after midnight: queued until 07:00 today",
                at(3, 0),
                utc,
                Some(night),
                None,
                Delivery::Queue { until: at(7, 0) },
            ),
            (
                "local time decides: 21:30 UTC is 22:30 CET",
                at(21, 30),
                cet,
                Some(night),
                None,
                Delivery::Queue {
                    until: at(6, 0) + chrono::Duration::days(1),
                },
            ),
            (
                "morning is free",
                at(7, 0),
                utc,
                Some(night),
                None,
                Delivery::Now,
            ),
            (
                "drop mode",
                at(12, 30),
                utc,
                Some(lunch),
                None,
                Delivery::Drop {
                    reason: "quiet_hours",
                },
            ),
            (
                "paused beats everything",
                at(9, 0),
                utc,
                None,
                Some(at(10, 0)),
                Delivery::Drop { reason: "paused" },
            ),
            (
                "pause over",
                at(10, 0),
                utc,
                None,
                Some(at(10, 0)),
                Delivery::Now,
            ),
        ];
        for (name, now, offset, quiet, paused, expected) in table {
            assert_eq!(
                delivery(now, offset, quiet.as_ref(), paused),
                expected,
                "case: {name}"
            );
        }
    }

    #[test]
    fn pause_until_tomorrow_morning() {
        let at = |d, h| {
            Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0)
                .single()
                .expect("valid")
        };
        let utc = chrono::FixedOffset::east_opt(0).expect("offset");
        let pst = chrono::FixedOffset::west_opt(8 * 3600).expect("offset");
        assert_eq!(tomorrow_morning(at(26, 17), utc), at(27, 8));
        assert_eq!(tomorrow_morning(at(26, 0), utc), at(27, 8));
        // 02:00 UTC on the 27th is 18:00 on the 26th in PST: tomorrow is the 27th, 08:00 PST.
        assert_eq!(tomorrow_morning(at(27, 2), pst), at(27, 16));
    }

    #[test]
    fn durations() {
        let m = chrono::Duration::minutes;
        assert_eq!(human_duration(m(0)), "0 s");
        assert_eq!(human_duration(chrono::Duration::seconds(59)), "59 s");
        assert_eq!(human_duration(m(1)), "1 min");
        assert_eq!(human_duration(m(12)), "12 min");
        assert_eq!(human_duration(m(60)), "1 h");
        assert_eq!(human_duration(m(117)), "1 h 57 min");
        assert_eq!(human_duration(m(1440 * 3 + 240 + 5)), "3 d 4 h");
        assert_eq!(human_duration(m(-5)), "0 s");
    }

    /// `~` stands for the no-break space French puts before `:`.
    fn nb(s: &str) -> String {
        s.replace('~', "\u{a0}")
    }

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0)
            .single()
            .expect("valid")
    }

    /// The same events, in English and in French: (title, body) of each.
    fn both(events: &[Event], offset: chrono::FixedOffset) -> [(String, String); 2] {
        let s = ServiceId::from_name("OpenAI");
        let fr = Catalog::get(Lang::parse("fr").expect("fr"));
        [Catalog::english(), fr].map(|cat| {
            let n = plan_in(cat, &s, "OpenAI", &all(), events, now(), offset, |_| false)
                .expect("notifies");
            (n.title, n.body)
        })
    }

    fn pair(title: &str, body: &str) -> (String, String) {
        (nb(title), nb(body))
    }

    #[test]
    fn golden_single_notifications_in_english_and_french() {
        let opened = Event::IncidentOpened {
            incident: incident(Phase::Investigating, Impact::Critical),
            lead_secs: Some(22 * 60),
        };
        assert_eq!(
            both(&[opened], utc()),
            [
                pair(
                    "OpenAI — outage began",
                    "Elevated errors\nInvestigating · critical impact\nAffects: API, ChatGPT\n\
                     Outage Radar suspected it 22 min before the status page."
                ),
                pair(
                    "OpenAI — début de panne",
                    "Elevated errors\nEnquête en cours · impact critique\nConcerne~: API, ChatGPT\n\
                     Outage Radar l’a soupçonnée 22~min avant la page de statut."
                ),
            ]
        );
        let resolved = Event::IncidentResolved {
            incident: incident(Phase::Resolved, Impact::Major),
            resolved_at: at(7, 9),
        };
        assert_eq!(
            both(&[resolved], utc()),
            [
                pair(
                    "OpenAI — resolved after 1 h 57 min",
                    "Elevated errors\nResolved · major impact\nAffects: API, ChatGPT"
                ),
                pair(
                    "OpenAI — résolu en 1~h~57~min",
                    "Elevated errors\nRésolu · impact majeur\nConcerne~: API, ChatGPT"
                ),
            ]
        );
        let reminder = Event::Reminder {
            incident: incident(Phase::Identified, Impact::Major),
            count: 1,
        };
        let [en, fr] = both(&[reminder], utc());
        assert_eq!(en.0, "OpenAI — still ongoing (2 h 48 min so far)");
        assert_eq!(fr.0, nb("OpenAI — toujours en cours (depuis 2~h~48~min)"));
    }

    #[test]
    fn golden_grouped_notification_leads_with_the_outage() {
        let component = |name: &str, status| Event::ComponentDegraded {
            component: name.to_owned(),
            status,
            from: Status::Operational,
            since: since(),
            lead_secs: None,
        };
        // The page lists the components first; the incident still leads.
        let events = [
            component("API", Status::MajorOutage),
            component("ChatGPT", Status::PartialOutage),
            component("Sora", Status::Degraded),
            Event::IncidentOpened {
                incident: incident(Phase::Investigating, Impact::Major),
                lead_secs: None,
            },
        ];
        assert_eq!(
            both(&events, utc()),
            [
                pair(
                    "OpenAI: outage began — Elevated errors",
                    "API: operational → major outage\nChatGPT: operational → partial outage\n\
                     Sora: operational → degraded"
                ),
                pair(
                    "OpenAI~: début de panne — Elevated errors",
                    "API~: opérationnel → panne majeure\nChatGPT~: opérationnel → panne partielle\n\
                     Sora~: opérationnel → dégradé"
                ),
            ]
        );
        // More changes than a pop-up can list: the rest is counted.
        let many: Vec<Event> = (0..13)
            .map(|n| component(&format!("C{n:02}"), Status::Degraded))
            .collect();
        let [en, fr] = both(&many, utc());
        assert_eq!(
            en.0, "OpenAI — C00 degraded",
            "a component leads by its own words"
        );
        assert_eq!(fr.0, nb("OpenAI — C00~: dégradé"));
        assert_eq!(en.1.lines().count(), MAX_GROUPED_LINES + 1);
        assert_eq!(en.1.lines().last(), Some("and 2 more changes"));
        assert_eq!(
            fr.1.lines().last(),
            Some(nb("et 2~autres changements").as_str())
        );
    }

    #[test]
    fn golden_early_warning_in_english_and_french() {
        use crate::early::probe::FailureKind;
        use crate::early::rules::Evidence;
        use crate::early::verdict::FailReason;
        let evidence = vec![
            Evidence {
                target: "api.openai.com".to_owned(),
                url: "https://api.openai.com/v1/models".to_owned(),
                reasons: vec![FailReason::Status(503)],
                times: 3,
                since: at(4, 50),
            },
            Evidence {
                target: "chatgpt.com".to_owned(),
                url: "https://chatgpt.com/".to_owned(),
                reasons: vec![
                    FailReason::Status(502),
                    FailReason::NoAnswer(FailureKind::Timeout),
                ],
                times: 2,
                since: at(4, 51),
            },
        ];
        let paris = chrono::FixedOffset::east_opt(3600).expect("offset");
        let suspected = Event::OutageSuspected {
            since: at(4, 50),
            evidence: evidence.clone(),
        };
        assert_eq!(
            both(&[suspected], paris),
            [
                pair(
                    "Possible outage of OpenAI — not on its status page yet",
                    "api.openai.com answered 503 three times since 05:50\n\
                     chatgpt.com failed twice (answered 502, did not answer in time) since 05:51\n\
                     A probe without a key sees the front door only: an outage behind it can still be missed."
                ),
                pair(
                    "Panne possible de OpenAI — pas encore sur sa page de statut",
                    "api.openai.com a répondu 503 trois fois depuis 05:50\n\
                     chatgpt.com a échoué deux fois (a répondu 502, n’a pas répondu à temps) depuis 05:51\n\
                     Une sonde sans clé ne voit que la porte d’entrée~: une panne derrière peut encore lui échapper."
                ),
            ]
        );
        let cleared = Event::SuspicionCleared {
            since: at(4, 50),
            at: at(5, 0),
            evidence,
        };
        assert_eq!(
            both(&[cleared], paris),
            [
                pair(
                    "OpenAI answers again",
                    "The possible outage since 05:50 never showed on the status page.\n\
                     Kept in history as an unconfirmed blip."
                ),
                pair(
                    "OpenAI répond de nouveau",
                    "La panne possible depuis 05:50 n’est jamais apparue sur la page de statut.\n\
                     Gardée dans l’historique comme une alerte non confirmée."
                ),
            ]
        );
    }
}

//! Alert policy: which of a poll's changes are news for a service, its dedup keys and stories, and how they group into one pop-up.

mod key;
mod prefs;
mod words;

pub use key::{component_story, incident_story, suspicion_story, ComponentStep, IncidentStep, Key};
pub use prefs::{delivery, tomorrow_morning, Delivery};
pub use words::{
    human_duration, test_result, test_words, webhook_target_gone, webhook_target_removed,
};
use words::{lines, Context, Line};

use crate::config::{MinImpact, Prefs, Updates};
use crate::i18n::Catalog;
use crate::model::{Impact, ServiceId};
use crate::transitions::{Event, Tracked};
use chrono::{DateTime, Utc};
use serde::Serialize;

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

/// Whether `prefs` let this line through.
fn wanted(prefs: &Prefs, l: &Line) -> bool {
    let impact_ok = match prefs.min_impact {
        MinImpact::All => true,
        // The user asked for maintenance reminders by their own setting: that says more
        // than a level meant for unplanned trouble.
        MinImpact::Major => {
            (l.impact >= Impact::Major && l.impact != Impact::Maintenance) || l.key.is_upcoming()
        }
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
    pub fn incident(&self) -> Option<&Tracked> {
        self.line.incident.as_ref()
    }
}

/// Lines a grouped notification lists under its lead; past this, "and 3 more changes".
const MAX_GROUPED_LINES: usize = 10;

/// How much a line matters for leading a grouped notification: what it is first (an
/// incident that opens, then a suspicion, then a component that breaks, then news of an
/// open story, then endings), then its urgency. An outage leads the components it takes down.
fn weight(l: &Line) -> (u8, Urgency, Impact) {
    (l.key.tier(), l.urgency, l.impact)
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
        name: service_name,
        now,
        offset,
        cat,
    };
    events
        .iter()
        .enumerate()
        .flat_map(|(i, e)| lines(&cx, e).into_iter().map(move |l| (i, l)))
        .filter(|(_, l)| wanted(prefs, l) && !announced(&l.key.spelled(service)))
        .map(|(event, line)| Announcement {
            event,
            notification: Notification {
                service: service.clone(),
                title: single_title(cat, service_name, &line),
                body: format!("{}\n{}", line.subject, line.detail),
                urgency: line.urgency,
                url: line.url.clone(),
                keys: vec![line.key.ledger(service)],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{QuietHours, QuietMode};
    use crate::i18n::Lang;
    use crate::model::{IncidentId, Phase, Status};
    use crate::test_support::now;
    use chrono::TimeZone;

    /// One poll's events for one service as at most one notification in `cat`'s words: what
    /// recording a poll does ([`plan_each`], then [`group`]).
    #[allow(clippy::too_many_arguments)]
    fn plan_in(
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

    /// [`plan_in`] in English, whatever language the process is in.
    fn plan(
        service: &ServiceId,
        service_name: &str,
        prefs: &Prefs,
        events: &[Event],
        now: DateTime<Utc>,
        offset: chrono::FixedOffset,
        announced: impl FnMut(&str) -> bool,
    ) -> Option<Notification> {
        let en = Catalog::english();
        plan_in(
            en,
            service,
            service_name,
            prefs,
            events,
            now,
            offset,
            announced,
        )
    }

    fn incident(phase: Phase, impact: Impact) -> Tracked {
        Tracked {
            started_at: Utc.with_ymd_and_hms(2026, 11, 26, 5, 12, 0).single(),
            url: Some("https://status.openai.com/incidents/x1".to_owned()),
            components: vec!["API".to_owned(), "ChatGPT".to_owned()],
            ..Tracked::sample("x1", "Elevated errors", phase, impact)
        }
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
                    worst: Status::PartialOutage,
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
            worst: Status::Degraded,
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

        // Reopened under its old id: told again, as reopened, and its end too.
        let reopened_at = Some(since() + chrono::Duration::days(1));
        let again = |incident: Tracked| Tracked {
            reopened_at,
            ..incident
        };
        let first = [
            Event::IncidentOpened {
                incident: incident(Phase::Investigating, Impact::Major),
                lead_secs: None,
            },
            Event::IncidentResolved {
                incident: incident(Phase::Resolved, Impact::Major),
                resolved_at: now(),
            },
        ];
        let told: Vec<String> = first
            .iter()
            .filter_map(|e| plan_one(e.clone(), &[]))
            .flat_map(|n| n.keys.into_iter().map(|k| k.key))
            .collect();
        assert_eq!(told.len(), 2, "{told:?}");
        let reopen = Event::IncidentOpened {
            incident: again(incident(Phase::Investigating, Impact::Major)),
            lead_secs: None,
        };
        let n = plan_one(reopen, &told).expect("a reopening is news");
        assert_eq!(n.title, "OpenAI — reopened");
        let closed = Event::IncidentResolved {
            incident: again(incident(Phase::Resolved, Impact::Major)),
            resolved_at: now(),
        };
        assert!(plan_one(closed, &told).is_some(), "and so is its end");

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
        use crate::transitions::{ComponentTrack, ServiceState};
        let mut state = ServiceState::default();
        state.open.insert(
            IncidentId("x1".to_owned()),
            Tracked::sample("x1", "t", Phase::Investigating, Impact::Minor),
        );
        let track = |since| ComponentTrack {
            status: Status::Degraded,
            recovered_at: None,
            announced: true,
            since,
            worst: Status::Degraded,
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
        let back = |name: &str, worst| Event::ComponentRecovered {
            component: name.to_owned(),
            since: now(),
            worst,
        };
        let maint = Event::MaintenanceStarted {
            incident: incident(Phase::InProgress, Impact::Maintenance),
        };
        let prefs = |min_impact, components: &[&str], updates| Prefs {
            min_impact,
            components: components.iter().map(|c| (*c).to_owned()).collect(),
            updates,
            maintenance_reminder_minutes: None,
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
                "major: the recovery of a partial outage kept",
                prefs(Major, &[], Every),
                back("Git", Status::PartialOutage),
                true,
            ),
            (
                "major: the recovery of a degradation dropped",
                prefs(Major, &[], Every),
                back("Git", Status::Degraded),
                false,
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

//! What each announced transition is, typed: its ledger key and its story, spelled once for the database.
//!
//! The spellings are stored (the `announced` table) and compared across versions, so they
//! never change: a key spelled differently would announce an old change again.

use crate::model::{IncidentId, Phase, ServiceId, Status};
use chrono::{DateTime, Utc};

/// One step of an incident's or maintenance's story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentStep {
    /// Opened, or already open at the baseline.
    Opened,
    Phase(Phase),
    Resolved,
    /// The `n`th reminder that it is still open.
    Reminder(u32),
    /// A maintenance that recurs under one id (a weekly window) is a new story each time
    /// it starts: its scheduled start is part of the key.
    MaintenanceStarted(Option<DateTime<Utc>>),
    MaintenanceCompleted(Option<DateTime<Utc>>),
    /// A scheduled maintenance is about to start at this time: a reschedule is another
    /// start, so a reminder of its own.
    MaintenanceUpcoming(DateTime<Utc>),
}

/// One step of a component's breakage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentStep {
    /// It reached this status.
    Broke(Status),
    Recovered,
}

/// An announced transition of one service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Incident {
        id: IncidentId,
        /// Reopened under its old id: without keys of its own it would find the first
        /// telling's.
        reopened_at: Option<DateTime<Utc>>,
        step: IncidentStep,
    },
    /// Each breakage is its own story, from its start: a component that breaks again days
    /// later must not find its old key.
    Component {
        name: String,
        since: DateTime<Utc>,
        step: ComponentStep,
    },
    Suspicion {
        since: DateTime<Utc>,
        cleared: bool,
    },
    /// "Tell me when it's back", armed at this time (to the millisecond: one armed again
    /// within a second is another request).
    Back {
        armed_at: DateTime<Utc>,
    },
}

impl Key {
    /// The ledger's spelling, `{service}/…`.
    pub fn spelled(&self, service: &ServiceId) -> String {
        match self {
            Key::Incident {
                id,
                reopened_at,
                step,
            } => {
                let what = match step {
                    IncidentStep::Opened => "opened".to_owned(),
                    IncidentStep::Phase(p) => format!("phase/{p}"),
                    IncidentStep::Resolved => "resolved".to_owned(),
                    IncidentStep::Reminder(n) => format!("reminder/{n}"),
                    IncidentStep::MaintenanceStarted(start) => {
                        format!("maintenance-started/{}", start_of(*start))
                    }
                    IncidentStep::MaintenanceCompleted(start) => {
                        format!("maintenance-completed/{}", start_of(*start))
                    }
                    IncidentStep::MaintenanceUpcoming(start) => {
                        format!("maintenance-upcoming/{}", start.timestamp())
                    }
                };
                match reopened_at {
                    Some(at) => format!("{service}/{id}/reopened-{}/{what}", at.timestamp()),
                    None => format!("{service}/{id}/{what}"),
                }
            }
            Key::Component { name, since, step } => {
                let what = match step {
                    ComponentStep::Broke(status) => status.as_str(),
                    ComponentStep::Recovered => "recovered",
                };
                format!("{service}/component/{name}/{}/{what}", since.timestamp())
            }
            Key::Suspicion { since, cleared } => {
                let end = if *cleared { "/cleared" } else { "" };
                format!("{service}/suspected/{}{end}", since.timestamp())
            }
            Key::Back { armed_at } => format!("{service}/back/{}", armed_at.timestamp_millis()),
        }
    }

    /// The row the ledger keeps for it.
    pub fn ledger(&self, service: &ServiceId) -> super::LedgerKey {
        super::LedgerKey {
            key: self.spelled(service),
            story: self.story(),
        }
    }

    /// The story it belongs to, so the ledger rows of stories that are over can be pruned.
    pub fn story(&self) -> String {
        match self {
            Key::Incident { id, .. } => incident_story(id),
            Key::Component { name, since, .. } => component_story(name, *since),
            Key::Suspicion { since, .. } => suspicion_story(*since),
            Key::Back { armed_at } => format!("back/{}", armed_at.timestamp_millis()),
        }
    }

    /// What a grouped pop-up leads with: an incident that opens, then a suspicion, then a
    /// component that breaks, then news of an open story, then endings.
    pub fn tier(&self) -> u8 {
        match self {
            Key::Incident {
                step: IncidentStep::Opened,
                ..
            } => 4,
            Key::Suspicion { cleared: false, .. } => 3,
            Key::Component {
                step: ComponentStep::Broke(_),
                ..
            } => 2,
            Key::Incident {
                step: IncidentStep::Phase(_) | IncidentStep::Reminder(_),
                ..
            } => 1,
            _ => 0,
        }
    }

    /// A reminder of a scheduled maintenance, which the user asked for by its own setting.
    pub fn is_upcoming(&self) -> bool {
        matches!(
            self,
            Key::Incident {
                step: IncidentStep::MaintenanceUpcoming(_),
                ..
            }
        )
    }

    /// A component's recovery.
    pub fn is_recovery(&self) -> bool {
        matches!(
            self,
            Key::Component {
                step: ComponentStep::Recovered,
                ..
            }
        )
    }
}

fn start_of(start: Option<DateTime<Utc>>) -> String {
    start.map_or_else(|| "unscheduled".to_owned(), |t| t.timestamp().to_string())
}

/// The story of an incident or maintenance, by its provider id.
pub fn incident_story(id: &IncidentId) -> String {
    format!("incident:{id}")
}

/// The story of one breakage of a component, from its start.
pub fn component_story(component: &str, since: DateTime<Utc>) -> String {
    format!("component:{component}@{}", since.timestamp())
}

/// The story of one suspicion, by its start.
pub fn suspicion_story(since: DateTime<Utc>) -> String {
    format!("suspicion@{}", since.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::t;

    /// The spellings the ledgers of earlier versions hold: a change here would announce
    /// their changes again.
    #[test]
    fn keys_are_spelled_as_the_ledger_has_them() {
        let svc = ServiceId::from_name("OpenAI");
        let id = IncidentId("x1".to_owned());
        let incident = |reopened_at, step| Key::Incident {
            id: id.clone(),
            reopened_at,
            step,
        };
        let component = |step| Key::Component {
            name: "API".to_owned(),
            since: t(0),
            step,
        };
        let s = t(0).timestamp();
        let table: Vec<(Key, String, &str)> = vec![
            (
                incident(None, IncidentStep::Opened),
                "openai/x1/opened".to_owned(),
                "incident:x1",
            ),
            (
                incident(Some(t(5)), IncidentStep::Opened),
                format!("openai/x1/reopened-{}/opened", t(5).timestamp()),
                "incident:x1",
            ),
            (
                incident(None, IncidentStep::Phase(Phase::Identified)),
                "openai/x1/phase/identified".to_owned(),
                "incident:x1",
            ),
            (
                incident(None, IncidentStep::Resolved),
                "openai/x1/resolved".to_owned(),
                "incident:x1",
            ),
            (
                incident(None, IncidentStep::Reminder(2)),
                "openai/x1/reminder/2".to_owned(),
                "incident:x1",
            ),
            (
                incident(None, IncidentStep::MaintenanceStarted(Some(t(0)))),
                format!("openai/x1/maintenance-started/{s}"),
                "incident:x1",
            ),
            (
                incident(None, IncidentStep::MaintenanceCompleted(None)),
                "openai/x1/maintenance-completed/unscheduled".to_owned(),
                "incident:x1",
            ),
            (
                incident(None, IncidentStep::MaintenanceUpcoming(t(0))),
                format!("openai/x1/maintenance-upcoming/{s}"),
                "incident:x1",
            ),
            (
                component(ComponentStep::Broke(Status::PartialOutage)),
                format!("openai/component/API/{s}/partial_outage"),
                "",
            ),
            (
                component(ComponentStep::Recovered),
                format!("openai/component/API/{s}/recovered"),
                "",
            ),
            (
                Key::Suspicion {
                    since: t(0),
                    cleared: false,
                },
                format!("openai/suspected/{s}"),
                "",
            ),
            (
                Key::Suspicion {
                    since: t(0),
                    cleared: true,
                },
                format!("openai/suspected/{s}/cleared"),
                "",
            ),
            (
                Key::Back { armed_at: t(0) },
                format!("openai/back/{}", t(0).timestamp_millis()),
                "",
            ),
        ];
        for (key, spelled, story) in table {
            assert_eq!(key.spelled(&svc), spelled);
            let want_story = match &key {
                Key::Component { .. } => format!("component:API@{s}"),
                Key::Suspicion { .. } => format!("suspicion@{s}"),
                Key::Incident { .. } => story.to_owned(),
                Key::Back { .. } => format!("back/{}", t(0).timestamp_millis()),
            };
            assert_eq!(key.story(), want_story, "{spelled}");
        }
    }
}

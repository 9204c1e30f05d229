//! Events as `watch --json` prints them and the window receives them: one flat JSON object each, tagged by `event`.
//!
//! Each kind carries exactly its fields, so an event that cannot happen (a baseline with a
//! delivery id, a webhook attempt without a target) cannot be built. The JSON is the
//! scripts' and the window's contract: `tests/golden/watch/events.jsonl` pins its bytes.

pub use super::event_parts::{About, Attempt, AttemptEnd, IncidentView, NoStatus, StatusWord};
use crate::config::ServiceConfig;
use crate::model::Status;
use crate::transitions::Event;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One event as `watch --json` prints it and the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum WatchEvent {
    /// The first good read of a page.
    Baseline {
        #[serde(flatten)]
        about: About,
        status: Status,
        at: DateTime<Utc>,
    },
    IncidentOpened {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        /// How many seconds before the page's acknowledgment the probes suspected it.
        #[serde(skip_serializing_if = "Option::is_none")]
        lead_secs: Option<i64>,
        at: DateTime<Utc>,
    },
    /// Its phase changed (investigating → identified …).
    IncidentUpdated {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        at: DateTime<Utc>,
    },
    IncidentResolved {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        at: DateTime<Utc>,
    },
    MaintenanceStarted {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        at: DateTime<Utc>,
    },
    MaintenanceCompleted {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        at: DateTime<Utc>,
    },
    /// A scheduled maintenance starts within the reminder the user set.
    MaintenanceUpcoming {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        starts_at: DateTime<Utc>,
        at: DateTime<Utc>,
    },
    ComponentDegraded {
        #[serde(flatten)]
        about: About,
        component: String,
        status: Status,
        #[serde(skip_serializing_if = "Option::is_none")]
        lead_secs: Option<i64>,
        at: DateTime<Utc>,
    },
    ComponentRecovered {
        #[serde(flatten)]
        about: About,
        component: String,
        status: Status,
        at: DateTime<Utc>,
    },
    /// A major incident still open after the reminder interval.
    Reminder {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        incident: IncidentView,
        at: DateTime<Utc>,
    },
    SourceUnreachable {
        #[serde(flatten)]
        about: About,
        status: StatusWord,
        reason: String,
        at: DateTime<Utc>,
    },
    SourceChangedFormat {
        #[serde(flatten)]
        about: About,
        status: StatusWord,
        reason: String,
        at: DateTime<Utc>,
    },
    SourceRecovered {
        #[serde(flatten)]
        about: About,
        status: NoStatus,
        at: DateTime<Utc>,
    },
    /// The probes suspect an outage the page does not show; `reason` is their evidence.
    #[serde(rename = "suspected_outage")]
    OutageSuspected {
        #[serde(flatten)]
        about: About,
        status: StatusWord,
        reason: String,
        at: DateTime<Utc>,
    },
    SuspicionCleared {
        #[serde(flatten)]
        about: About,
        status: NoStatus,
        reason: String,
        at: DateTime<Utc>,
    },
    /// Every page failed at once: this machine's network.
    Offline {
        #[serde(flatten)]
        about: About,
        status: StatusWord,
        at: DateTime<Utc>,
    },
    Online {
        #[serde(flatten)]
        about: About,
        status: StatusWord,
        at: DateTime<Utc>,
    },
    /// A pop-up was shown and the ledger has it.
    Notified {
        #[serde(flatten)]
        about: About,
        title: String,
        status: NoStatus,
        at: DateTime<Utc>,
    },
    WebhookDelivered {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        attempt: Attempt,
        at: DateTime<Utc>,
    },
    WebhookRetrying {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        attempt: Attempt,
        at: DateTime<Utc>,
    },
    WebhookFailed {
        #[serde(flatten)]
        about: About,
        #[serde(flatten)]
        attempt: Attempt,
        at: DateTime<Utc>,
    },
    /// The history cannot be written (a full disk, a read-only folder): changes are still
    /// told, but not remembered until it can.
    HistoryUnwritable {
        #[serde(flatten)]
        about: About,
        error: String,
        at: DateTime<Utc>,
    },
    /// The history is written again.
    HistoryRecovered {
        #[serde(flatten)]
        about: About,
        at: DateTime<Utc>,
    },
}

/// `$field` of whichever kind `$e` is (every kind has `about` and `at`).
macro_rules! common {
    ($e:expr, $field:ident) => {
        match $e {
            WatchEvent::Baseline { $field, .. }
            | WatchEvent::IncidentOpened { $field, .. }
            | WatchEvent::IncidentUpdated { $field, .. }
            | WatchEvent::IncidentResolved { $field, .. }
            | WatchEvent::MaintenanceStarted { $field, .. }
            | WatchEvent::MaintenanceCompleted { $field, .. }
            | WatchEvent::MaintenanceUpcoming { $field, .. }
            | WatchEvent::ComponentDegraded { $field, .. }
            | WatchEvent::ComponentRecovered { $field, .. }
            | WatchEvent::Reminder { $field, .. }
            | WatchEvent::SourceUnreachable { $field, .. }
            | WatchEvent::SourceChangedFormat { $field, .. }
            | WatchEvent::SourceRecovered { $field, .. }
            | WatchEvent::OutageSuspected { $field, .. }
            | WatchEvent::SuspicionCleared { $field, .. }
            | WatchEvent::Offline { $field, .. }
            | WatchEvent::Online { $field, .. }
            | WatchEvent::Notified { $field, .. }
            | WatchEvent::WebhookDelivered { $field, .. }
            | WatchEvent::WebhookRetrying { $field, .. }
            | WatchEvent::WebhookFailed { $field, .. }
            | WatchEvent::HistoryUnwritable { $field, .. }
            | WatchEvent::HistoryRecovered { $field, .. } => $field,
        }
    };
}

impl WatchEvent {
    /// An event about the network as a whole (offline, online); `None` for any other.
    pub fn global(e: &Event, at: DateTime<Utc>) -> Option<Self> {
        let about = About::everything();
        match e {
            Event::Offline => Some(WatchEvent::Offline {
                about,
                status: StatusWord::Offline,
                at,
            }),
            Event::Online => Some(WatchEvent::Online {
                about,
                status: StatusWord::Online,
                at,
            }),
            _ => None,
        }
    }

    /// The history cannot be written (`Some(error)`), or can again (`None`).
    pub fn history(error: Option<String>, at: DateTime<Utc>) -> Self {
        let about = About::everything();
        match error {
            Some(error) => WatchEvent::HistoryUnwritable { about, error, at },
            None => WatchEvent::HistoryRecovered { about, at },
        }
    }

    /// A notification was delivered and the ledger has it.
    pub fn notified(service: String, service_id: String, title: String, at: DateTime<Utc>) -> Self {
        WatchEvent::Notified {
            about: About {
                service,
                service_id,
            },
            title,
            status: NoStatus,
            at,
        }
    }

    /// A change of one service.
    pub fn of(service: &ServiceConfig, e: &Event, at: DateTime<Utc>) -> Self {
        let about = About::of(service);
        let view = IncidentView::of;
        let evidence = |evidence: &[crate::early::rules::Evidence]| {
            evidence
                .iter()
                .map(|e| e.summary())
                .collect::<Vec<_>>()
                .join("; ")
        };
        match e {
            Event::Baseline { status, .. } => WatchEvent::Baseline {
                about,
                status: *status,
                at,
            },
            Event::IncidentOpened {
                incident,
                lead_secs,
            } => WatchEvent::IncidentOpened {
                about,
                incident: view(incident),
                lead_secs: *lead_secs,
                at,
            },
            Event::PhaseChanged { incident, .. } => WatchEvent::IncidentUpdated {
                about,
                incident: view(incident),
                at,
            },
            Event::IncidentResolved { incident, .. } => WatchEvent::IncidentResolved {
                about,
                incident: view(incident),
                at,
            },
            Event::MaintenanceStarted { incident } => WatchEvent::MaintenanceStarted {
                about,
                incident: view(incident),
                at,
            },
            Event::MaintenanceCompleted { incident, .. } => WatchEvent::MaintenanceCompleted {
                about,
                incident: view(incident),
                at,
            },
            Event::MaintenanceUpcoming {
                incident,
                starts_at,
            } => WatchEvent::MaintenanceUpcoming {
                about,
                incident: view(incident),
                starts_at: *starts_at,
                at,
            },
            Event::ComponentDegraded {
                component,
                status,
                lead_secs,
                ..
            } => WatchEvent::ComponentDegraded {
                about,
                component: component.clone(),
                status: *status,
                lead_secs: *lead_secs,
                at,
            },
            Event::ComponentRecovered { component, .. } => WatchEvent::ComponentRecovered {
                about,
                component: component.clone(),
                status: Status::Operational,
                at,
            },
            Event::Reminder { incident, .. } => WatchEvent::Reminder {
                about,
                incident: view(incident),
                at,
            },
            Event::SourceUnreachable { reason } => WatchEvent::SourceUnreachable {
                about,
                status: StatusWord::Unreachable,
                reason: reason.clone(),
                at,
            },
            Event::SourceChangedFormat { reason } => WatchEvent::SourceChangedFormat {
                about,
                status: StatusWord::ChangedFormat,
                reason: reason.clone(),
                at,
            },
            Event::SourceRecovered => WatchEvent::SourceRecovered {
                about,
                status: NoStatus,
                at,
            },
            Event::OutageSuspected { evidence: e, .. } => WatchEvent::OutageSuspected {
                about,
                status: StatusWord::Suspected,
                reason: evidence(e),
                at,
            },
            Event::SuspicionCleared { evidence: e, .. } => WatchEvent::SuspicionCleared {
                about,
                status: NoStatus,
                reason: evidence(e),
                at,
            },
            // The network's events are no one service's; said for it all the same.
            Event::Offline => WatchEvent::Offline {
                about,
                status: StatusWord::Offline,
                at,
            },
            Event::Online => WatchEvent::Online {
                about,
                status: StatusWord::Online,
                at,
            },
        }
    }

    /// A webhook attempt and what it came to; `target` is redacted.
    pub fn webhook(
        end: AttemptEnd,
        d: &crate::webhooks::Delivery,
        target: String,
        reason: Option<String>,
        at: DateTime<Utc>,
    ) -> Self {
        let about = About {
            service: d.event.service.clone(),
            service_id: d.event.service_id.clone(),
        };
        let attempt = Attempt {
            incident_id: d.event.incident_id.clone(),
            title: d.text.title.clone(),
            status: NoStatus,
            reason,
            target,
            delivery_id: d.id.to_string(),
        };
        match end {
            AttemptEnd::Delivered => WatchEvent::WebhookDelivered { about, attempt, at },
            AttemptEnd::Retrying => WatchEvent::WebhookRetrying { about, attempt, at },
            AttemptEnd::Failed => WatchEvent::WebhookFailed { about, attempt, at },
        }
    }

    /// The kind, as the `event` key says it.
    pub fn name(&self) -> &'static str {
        match self {
            WatchEvent::Baseline { .. } => "baseline",
            WatchEvent::IncidentOpened { .. } => "incident_opened",
            WatchEvent::IncidentUpdated { .. } => "incident_updated",
            WatchEvent::IncidentResolved { .. } => "incident_resolved",
            WatchEvent::MaintenanceStarted { .. } => "maintenance_started",
            WatchEvent::MaintenanceCompleted { .. } => "maintenance_completed",
            WatchEvent::MaintenanceUpcoming { .. } => "maintenance_upcoming",
            WatchEvent::ComponentDegraded { .. } => "component_degraded",
            WatchEvent::ComponentRecovered { .. } => "component_recovered",
            WatchEvent::Reminder { .. } => "reminder",
            WatchEvent::SourceUnreachable { .. } => "source_unreachable",
            WatchEvent::SourceChangedFormat { .. } => "source_changed_format",
            WatchEvent::SourceRecovered { .. } => "source_recovered",
            WatchEvent::OutageSuspected { .. } => "suspected_outage",
            WatchEvent::SuspicionCleared { .. } => "suspicion_cleared",
            WatchEvent::Offline { .. } => "offline",
            WatchEvent::Online { .. } => "online",
            WatchEvent::Notified { .. } => "notified",
            WatchEvent::WebhookDelivered { .. } => "webhook_delivered",
            WatchEvent::WebhookRetrying { .. } => "webhook_retrying",
            WatchEvent::WebhookFailed { .. } => "webhook_failed",
            WatchEvent::HistoryUnwritable { .. } => "history_unwritable",
            WatchEvent::HistoryRecovered { .. } => "history_recovered",
        }
    }

    pub fn about(&self) -> &About {
        common!(self, about)
    }

    pub fn at(&self) -> DateTime<Utc> {
        *common!(self, at)
    }

    /// The incident's view, for the kinds about one.
    pub fn incident(&self) -> Option<&IncidentView> {
        match self {
            WatchEvent::IncidentOpened { incident, .. }
            | WatchEvent::IncidentUpdated { incident, .. }
            | WatchEvent::IncidentResolved { incident, .. }
            | WatchEvent::MaintenanceStarted { incident, .. }
            | WatchEvent::MaintenanceCompleted { incident, .. }
            | WatchEvent::MaintenanceUpcoming { incident, .. }
            | WatchEvent::Reminder { incident, .. } => Some(incident),
            _ => None,
        }
    }

    /// The webhook attempt, for the kinds about one.
    pub fn attempt(&self) -> Option<&Attempt> {
        match self {
            WatchEvent::WebhookDelivered { attempt, .. }
            | WatchEvent::WebhookRetrying { attempt, .. }
            | WatchEvent::WebhookFailed { attempt, .. } => Some(attempt),
            _ => None,
        }
    }

    /// What the event is called by: the incident's title, the pop-up's, or the attempt's.
    pub fn title(&self) -> Option<&str> {
        match self {
            WatchEvent::Notified { title, .. } => Some(title),
            _ => self
                .incident()
                .map(|i| i.title.as_str())
                .or_else(|| self.attempt().map(|a| a.title.as_str())),
        }
    }

    /// Why: the read's failure, the probes' evidence, the attempt's answer.
    pub fn reason(&self) -> Option<&str> {
        match self {
            WatchEvent::SourceUnreachable { reason, .. }
            | WatchEvent::SourceChangedFormat { reason, .. }
            | WatchEvent::OutageSuspected { reason, .. }
            | WatchEvent::SuspicionCleared { reason, .. } => Some(reason),
            _ => self.attempt().and_then(|a| a.reason.as_deref()),
        }
    }

    /// The `status` value as printed (`None` where it prints `null`).
    pub fn status(&self) -> Option<&'static str> {
        match self {
            WatchEvent::Baseline { status, .. }
            | WatchEvent::ComponentDegraded { status, .. }
            | WatchEvent::ComponentRecovered { status, .. } => Some(status.as_str()),
            WatchEvent::SourceUnreachable { status, .. }
            | WatchEvent::SourceChangedFormat { status, .. }
            | WatchEvent::OutageSuspected { status, .. }
            | WatchEvent::Offline { status, .. }
            | WatchEvent::Online { status, .. } => Some(status.as_str()),
            _ => self.incident().map(|i| i.status.as_str()),
        }
    }

    /// The component, for the kinds about one.
    pub fn component(&self) -> Option<&str> {
        match self {
            WatchEvent::ComponentDegraded { component, .. }
            | WatchEvent::ComponentRecovered { component, .. } => Some(component),
            _ => None,
        }
    }

    /// When a scheduled maintenance starts, for the kind that reminds of one.
    pub fn starts_at(&self) -> Option<DateTime<Utc>> {
        match self {
            WatchEvent::MaintenanceUpcoming { starts_at, .. } => Some(*starts_at),
            _ => None,
        }
    }

    /// How long before the page the probes knew.
    pub fn lead_secs(&self) -> Option<i64> {
        match self {
            WatchEvent::IncidentOpened { lead_secs, .. }
            | WatchEvent::ComponentDegraded { lead_secs, .. } => *lead_secs,
            _ => None,
        }
    }
}

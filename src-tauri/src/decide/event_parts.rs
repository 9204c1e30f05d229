//! The pieces a `watch --json` event is made of: which service, the incident as shown, a webhook attempt, and the status words.

use crate::config::ServiceConfig;
use crate::model::{Impact, Phase, Status};
use crate::transitions::Tracked;
use serde::Serialize;

/// Which service an event is about; `*` for the network as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct About {
    pub service: String,
    pub service_id: String,
}

impl About {
    pub(super) fn of(service: &ServiceConfig) -> Self {
        About {
            service: service.name.clone(),
            service_id: service.id.to_string(),
        }
    }

    pub(super) fn everything() -> Self {
        About {
            service: "*".to_owned(),
            service_id: "*".to_owned(),
        }
    }
}

/// An incident or maintenance as an event shows it, with the page state its impact implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IncidentView {
    pub incident_id: String,
    pub title: String,
    pub phase: Phase,
    pub status: Status,
    pub impact: Impact,
    /// The incident's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl IncidentView {
    pub(super) fn of(i: &Tracked) -> Self {
        IncidentView {
            incident_id: i.id.0.clone(),
            title: i.title.clone(),
            phase: i.phase,
            status: i.impact.implied_status(),
            impact: i.impact,
            url: i.url.clone(),
        }
    }
}

/// The `status` word of events that are not about the page's own status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusWord {
    Unreachable,
    ChangedFormat,
    Suspected,
    Offline,
    Online,
}

impl StatusWord {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusWord::Unreachable => "unreachable",
            StatusWord::ChangedFormat => "changed_format",
            StatusWord::Suspected => "suspected",
            StatusWord::Offline => "offline",
            StatusWord::Online => "online",
        }
    }
}

/// `"status": null`, which some kinds print (scripts may test for the key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct NoStatus;

/// One webhook attempt as its events show it. `target` is redacted (its URL is a
/// credential): `hooks.slack.com/services/T0…/…`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    pub title: String,
    pub status: NoStatus,
    /// Why it is retried or failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub target: String,
    /// The delivery's id (its `webhook-id` header).
    pub delivery_id: String,
}

/// What a webhook attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptEnd {
    Delivered,
    /// It will be sent again.
    Retrying,
    /// Refused for good, or dropped unsent.
    Failed,
}

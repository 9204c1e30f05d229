//! Events as `watch --json` prints them and the window receives them: one flat JSON object each.

use crate::config::ServiceConfig;
use crate::model::Status;
use crate::transitions::Event;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// One event as `watch --json` prints it and the window receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WatchEvent {
    pub event: &'static str,
    /// The service's name; `*` for events about the network as a whole.
    pub service: String,
    pub service_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    pub status: Option<String>,
    /// The incident's impact as the page says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    /// The incident's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// How many seconds before the page's acknowledgment the probes suspected it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_secs: Option<i64>,
    /// A webhook target, redacted (its URL is a credential): `hooks.slack.com/services/T0…/…`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// A webhook delivery's id (its `webhook-id` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_id: Option<String>,
    pub at: DateTime<Utc>,
}

impl WatchEvent {
    /// An event about the network as a whole (offline, online).
    pub fn global(e: &Event, at: DateTime<Utc>) -> Self {
        WatchEvent {
            event: e.name(),
            service: "*".to_owned(),
            service_id: "*".to_owned(),
            incident_id: None,
            title: None,
            phase: None,
            component: None,
            status: Some(e.name().to_owned()),
            impact: None,
            url: None,
            reason: None,
            lead_secs: None,
            target: None,
            delivery_id: None,
            at,
        }
    }

    /// A notification was delivered and the ledger has it.
    pub fn notified(service: String, service_id: String, title: String, at: DateTime<Utc>) -> Self {
        WatchEvent {
            event: "notified",
            service,
            service_id,
            incident_id: None,
            title: Some(title),
            phase: None,
            component: None,
            status: None,
            impact: None,
            url: None,
            reason: None,
            lead_secs: None,
            target: None,
            delivery_id: None,
            at,
        }
    }

    /// A change of one service.
    pub fn of(service: &ServiceConfig, e: &Event, at: DateTime<Utc>) -> Self {
        let incident = e.incident();
        let status = match e {
            Event::Baseline { status, .. } => Some(status.as_str().to_owned()),
            Event::SourceUnreachable { .. } => Some("unreachable".to_owned()),
            Event::SourceChangedFormat { .. } => Some("changed_format".to_owned()),
            Event::ComponentDegraded { status, .. } => Some(status.as_str().to_owned()),
            Event::ComponentRecovered { .. } => Some(Status::Operational.as_str().to_owned()),
            Event::OutageSuspected { .. } => Some("suspected".to_owned()),
            _ => incident.map(|i| i.impact.implied_status().as_str().to_owned()),
        };
        WatchEvent {
            event: e.name(),
            service: service.name.clone(),
            service_id: service.id.to_string(),
            incident_id: incident.map(|i| i.id.0.clone()),
            title: incident.map(|i| i.title.clone()),
            phase: incident.map(|i| i.phase.as_str().to_owned()),
            component: match e {
                Event::ComponentDegraded { component, .. }
                | Event::ComponentRecovered { component, .. } => Some(component.clone()),
                _ => None,
            },
            status,
            impact: incident.map(|i| i.impact.as_str().to_owned()),
            url: incident.and_then(|i| i.url.clone()),
            reason: match e {
                Event::SourceUnreachable { reason } | Event::SourceChangedFormat { reason } => {
                    Some(reason.clone())
                }
                Event::OutageSuspected { evidence, .. }
                | Event::SuspicionCleared { evidence, .. } => Some(
                    evidence
                        .iter()
                        .map(|e| e.summary())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                _ => None,
            },
            lead_secs: match e {
                Event::IncidentOpened { lead_secs, .. }
                | Event::ComponentDegraded { lead_secs, .. } => *lead_secs,
                _ => None,
            },
            target: None,
            delivery_id: None,
            at,
        }
    }

    /// A webhook attempt: `webhook_delivered`, `webhook_retrying` (with why, and a retry
    /// to come) or `webhook_failed` (with why: refused for good, or dropped unsent).
    /// `target` is redacted.
    pub fn webhook(
        event: &'static str,
        d: &crate::webhooks::Delivery,
        target: String,
        reason: Option<String>,
        at: DateTime<Utc>,
    ) -> Self {
        WatchEvent {
            event,
            service: d.event.service.clone(),
            service_id: d.event.service_id.clone(),
            incident_id: d.event.incident_id.clone(),
            title: Some(d.text.title.clone()),
            phase: None,
            component: None,
            status: None,
            impact: None,
            url: None,
            reason,
            lead_secs: None,
            target: Some(target),
            delivery_id: Some(d.id.to_string()),
            at,
        }
    }
}

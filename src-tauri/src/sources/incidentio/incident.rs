//! One incident.io incident or maintenance, native or widget shape, into the model: its phase, impact, components and updates.

use super::{ComponentRef, Ctx, RawImpact, RawIncident, RawUpdate};
use crate::model::{Impact, Incident, IncidentId, IncidentUpdate, Phase, Status};
use crate::sources::time;
use crate::sources::timeline::{self, Listed};
use chrono::{DateTime, Utc};

pub(super) fn is_maintenance(raw: &RawIncident) -> bool {
    match raw.kind.as_deref() {
        Some("maintenance") => true,
        Some("incident") => false,
        None => raw
            .status
            .as_deref()
            .is_some_and(|s| s.starts_with("maintenance_")),
        Some(other) => {
            tracing::warn!(value = other, "unknown incident type; read as an incident");
            false
        }
    }
}

/// `default_phase` is what the list an item sits in says when the item itself does not.
pub(super) fn incident(
    raw: RawIncident,
    maintenance: bool,
    default_phase: Option<Phase>,
    ctx: &Ctx<'_>,
) -> Option<Incident> {
    let Some(id) = raw.id.filter(|id| !id.trim().is_empty()) else {
        tracing::warn!(name = ?raw.name, "skipping an incident without id");
        return None;
    };
    let phase = match (raw.status.as_deref(), default_phase) {
        (None, Some(default)) => default,
        (status, _) => match (phase(status), default_phase) {
            // An incident's word on an item of a maintenance list: the list says where
            // the maintenance stands.
            (Phase::Investigating | Phase::Identified | Phase::Monitoring, Some(default))
                if maintenance =>
            {
                default
            }
            (p, _) => p,
        },
    };

    let mut updates: Vec<IncidentUpdate> = Vec::new();
    let mut closed_at: Option<DateTime<Utc>> = None;
    for (n, u) in raw.updates.iter().flatten().enumerate() {
        let at = time(u.published_at.as_deref());
        let update_phase = u.to_status.as_deref().map_or(Phase::Unknown, phase_of);
        if update_phase.is_closed() {
            closed_at = closed_at.or(at);
        }
        let body = u
            .message_string
            .clone()
            .or_else(|| {
                u.message
                    .as_ref()
                    .and_then(|m| m.as_str().map(str::to_owned))
            })
            .unwrap_or_default();
        updates.push(IncidentUpdate {
            id: update_id(&id, u.id.as_deref(), u.published_at.as_deref(), n),
            phase: update_phase,
            body,
            at,
        });
    }
    // The widget gives only the latest update; its time makes a stable id, so a new one
    // reads as a new update.
    if updates.is_empty() {
        if let Some(message) = raw.last_update_message.as_deref().filter(|m| !m.is_empty()) {
            updates.push(IncidentUpdate {
                id: update_id(&id, None, raw.last_update_at.as_deref(), 0),
                phase,
                body: message.to_owned(),
                at: time(raw.last_update_at.as_deref()),
            });
        }
    }
    // Updates come newest first; the timeline reads oldest first.
    timeline::oldest_first(&mut updates, |u| u.at, Listed::NewestFirst, None);

    let impacts = raw.component_impacts.as_deref().unwrap_or_default();
    let summaries = raw.status_summaries.as_deref().unwrap_or_default();
    let affected = raw.affected_components.as_deref().unwrap_or_default();

    let impact = if maintenance {
        Impact::Maintenance
    } else {
        let statuses = impacts
            .iter()
            .map(|i| i.status.as_deref())
            .chain(
                summaries
                    .iter()
                    .map(|s| s.worst_component_status.as_deref()),
            )
            .chain(
                affected
                    .iter()
                    .flat_map(|a| [a.status.as_deref(), a.current_status.as_deref()]),
            )
            .chain([raw.current_worst_impact.as_deref()])
            .flatten();
        // An incident with no component impact still is one: at least minor.
        statuses.map(status_impact).fold(Impact::Minor, Impact::max)
    };

    let components = incident_components(raw.updates.as_deref(), impacts, affected, ctx);

    let impact_start = impacts
        .iter()
        .map(|i| i.start_at.as_deref())
        .chain(summaries.iter().map(|s| s.start_at.as_deref()))
        .filter_map(time)
        .min();
    let impact_end = impacts
        .iter()
        .map(|i| i.end_at.as_deref())
        .chain(summaries.iter().map(|s| s.end_at.as_deref()))
        .filter_map(time)
        .max();
    let published = time(raw.published_at.as_deref());
    let started_at = time(raw.started_at.as_deref())
        .or_else(|| time(raw.starts_at.as_deref()))
        .or(impact_start)
        .or(published)
        .or_else(|| time(raw.created_at.as_deref()));
    let updated_at = updates
        .iter()
        .filter_map(|u| u.at)
        .max()
        .or_else(|| time(raw.last_update_at.as_deref()))
        .or_else(|| time(raw.updated_at.as_deref()))
        .or(published);
    let resolved_at = if phase.is_closed() {
        closed_at.or(impact_end)
    } else {
        None
    };

    let url = raw
        .url
        .filter(|u| crate::sources::is_http(u))
        .unwrap_or_else(|| format!("{}/incidents/{id}", ctx.link_base));
    Some(Incident {
        id: IncidentId(id),
        title: raw.name.unwrap_or_default(),
        phase,
        impact,
        started_at,
        scheduled_for: None,
        updated_at,
        resolved_at,
        url: Some(url),
        components,
        updates,
    })
}

pub(super) fn update_id(
    incident: &str,
    id: Option<&str>,
    published: Option<&str>,
    n: usize,
) -> String {
    match (id.filter(|i| !i.is_empty()), published) {
        (Some(id), _) => id.to_owned(),
        (None, Some(at)) if !at.trim().is_empty() => format!("{incident}@{}", at.trim()),
        (None, _) => format!("{incident}#{n}"),
    }
}

/// Names of the components an incident touched: the affected list first, then the impact
/// windows, then what updates set. Ids the body never names are left out.
pub(super) fn incident_components(
    updates: Option<&[RawUpdate]>,
    impacts: &[RawImpact],
    affected: &[ComponentRef],
    ctx: &Ctx<'_>,
) -> Vec<String> {
    let name_of = |id: Option<&str>, name: Option<&str>| -> Option<String> {
        name.filter(|n| !n.is_empty())
            .map(str::to_owned)
            .or_else(|| id.and_then(|id| ctx.names.get(id).cloned()))
    };
    let from_affected: Vec<Option<String>> = affected
        .iter()
        .map(|a| name_of(a.key(), a.name.as_deref()))
        .collect();
    let refs: Vec<Option<String>> = if !affected.is_empty() {
        from_affected
    } else if !impacts.is_empty() {
        impacts
            .iter()
            .map(|i| name_of(i.component_id.as_deref(), None))
            .collect()
    } else {
        updates
            .into_iter()
            .flatten()
            .flat_map(|u| u.component_statuses.iter().flatten())
            .map(|c| name_of(c.key(), c.name.as_deref()))
            .collect()
    };
    let mut names: Vec<String> = Vec::new();
    for name in refs.into_iter().flatten() {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

pub(super) fn phase(raw: Option<&str>) -> Phase {
    match raw {
        Some(s) => phase_of(s),
        None => {
            tracing::warn!("incident without a status; treated as open");
            Phase::Unknown
        }
    }
}

pub(super) fn phase_of(raw: &str) -> Phase {
    match raw {
        "investigating" => Phase::Investigating,
        "identified" => Phase::Identified,
        "monitoring" => Phase::Monitoring,
        "resolved" => Phase::Resolved,
        "maintenance_scheduled" => Phase::Scheduled,
        "maintenance_in_progress" => Phase::InProgress,
        "maintenance_complete" => Phase::Completed,
        other => {
            tracing::warn!(value = other, "unknown incident status; treated as open");
            Phase::Unknown
        }
    }
}

pub(super) fn component_status(raw: Option<&str>) -> Status {
    match raw {
        Some("operational") => Status::Operational,
        Some("degraded_performance") => Status::Degraded,
        Some("partial_outage") => Status::PartialOutage,
        Some("full_outage") | Some("major_outage") => Status::MajorOutage,
        Some("under_maintenance") => Status::Maintenance,
        // Only components the page lists as affected get here: without a status, still affected.
        other => {
            tracing::warn!(value = ?other, "unknown component status; shown as degraded");
            Status::Degraded
        }
    }
}

/// How bad an incident is from one component status it caused.
pub(super) fn status_impact(raw: &str) -> Impact {
    match raw {
        "operational" | "none" => Impact::None,
        "under_maintenance" => Impact::Maintenance,
        "degraded_performance" => Impact::Minor,
        "partial_outage" => Impact::Major,
        "full_outage" | "major_outage" => Impact::Critical,
        other => {
            tracing::warn!(value = other, "unknown impact status; treated as minor");
            Impact::Minor
        }
    }
}

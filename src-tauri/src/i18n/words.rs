//! The catalog's words for the model's states, impacts and phases (the wire names stay English).

use super::Catalog;
use crate::model::{Impact, Phase, Status};

impl Catalog {
    /// A page's or component's state inside a sentence: "partial outage".
    pub fn status(&self, s: Status) -> String {
        let id = match s {
            Status::Operational => "status-operational",
            Status::Maintenance => "status-maintenance",
            Status::Degraded => "status-degraded",
            Status::PartialOutage => "status-partial-outage",
            Status::MajorOutage => "status-major-outage",
        };
        self.t(id, &[])
    }

    /// An incident's impact: "major".
    pub fn impact(&self, i: Impact) -> String {
        let id = match i {
            Impact::None => "impact-none",
            Impact::Maintenance => "impact-maintenance",
            Impact::Minor => "impact-minor",
            Impact::Major => "impact-major",
            Impact::Critical => "impact-critical",
        };
        self.t(id, &[])
    }

    /// Where an incident stands: "in progress".
    pub fn phase(&self, p: Phase) -> String {
        let id = match p {
            Phase::Investigating => "phase-investigating",
            Phase::Identified => "phase-identified",
            Phase::Monitoring => "phase-monitoring",
            Phase::Resolved => "phase-resolved",
            Phase::Postmortem => "phase-postmortem",
            Phase::Scheduled => "phase-scheduled",
            Phase::InProgress => "phase-in-progress",
            Phase::Verifying => "phase-verifying",
            Phase::Completed => "phase-completed",
            Phase::Unknown => "phase-unknown",
        };
        self.t(id, &[])
    }
}

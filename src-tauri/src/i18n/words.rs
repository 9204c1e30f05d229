//! The catalog's words for the model's states, impacts and phases (the wire names stay English).

use super::Catalog;
use crate::early::probe::FailureKind;
use crate::early::rules::Evidence;
use crate::early::verdict::FailReason;
use crate::model::{Impact, Phase, Status};

impl Catalog {
    /// A page's or component's state inside a sentence: "partial outage".
    pub fn status(&self, s: Status) -> String {
        self.t(Catalog::status_id(s), &[])
    }

    /// The id of a status's words, for the window to look up.
    pub fn status_id(s: Status) -> &'static str {
        match s {
            Status::Operational => "status-operational",
            Status::Maintenance => "status-maintenance",
            Status::Degraded => "status-degraded",
            Status::PartialOutage => "status-partial-outage",
            Status::MajorOutage => "status-major-outage",
        }
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

    /// What a probe did, after its target's name: "answered 503", "did not answer in time".
    /// (`FailReason`'s `Display` stays English for logs.)
    pub fn fail_reason(&self, r: &FailReason) -> String {
        match r {
            FailReason::Status(code) => {
                self.t("early-reason-status", &[("status", (*code).into())])
            }
            FailReason::NoAnswer(kind) => {
                let id = match kind {
                    FailureKind::Refused => "early-reason-refused",
                    FailureKind::Reset => "early-reason-reset",
                    FailureKind::Tls => "early-reason-tls",
                    FailureKind::Timeout => "early-reason-timeout",
                    FailureKind::Dns => "early-reason-dns",
                    FailureKind::Other => "early-reason-other",
                };
                self.t(id, &[])
            }
        }
    }

    /// One failing probe: "api.openai.com answered 503 three times", "api.openai.com
    /// failed twice (answered 503, did not answer in time)".
    pub fn evidence(&self, e: &Evidence) -> String {
        let times = self.t("early-times", &[("count", e.times.into())]);
        match e.reasons.as_slice() {
            [one] => self.t(
                "early-evidence",
                &[
                    ("target", e.target.as_str().into()),
                    ("reason", self.fail_reason(one).into()),
                    ("times", times.into()),
                ],
            ),
            many => {
                let reasons: Vec<String> = many.iter().map(|r| self.fail_reason(r)).collect();
                self.t(
                    "early-evidence-mixed",
                    &[
                        ("target", e.target.as_str().into()),
                        ("times", times.into()),
                        ("reasons", reasons.join(", ").into()),
                    ],
                )
            }
        }
    }
}

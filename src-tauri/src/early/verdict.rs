//! The verdict on one probe's reply: healthy, slow against its own baseline, failing, or inconclusive.

use super::probe::{FailureKind, ProbeReply};
use crate::model::EarlyRules;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

/// Healthy latencies kept per probe; the median of these is the baseline.
const BASELINE_SAMPLES: usize = 20;
/// Why a probe counts as failing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailReason {
    /// A 5xx answer (Cloudflare's 52x included).
    Status(u16),
    /// No HTTP answer at all.
    NoAnswer(FailureKind),
}

impl fmt::Display for FailReason {
    /// Words for what was measured, after the target's name: "api.openai.com answered 503".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailReason::Status(code) => write!(f, "answered {code}"),
            FailReason::NoAnswer(kind) => f.write_str(match kind {
                FailureKind::Refused => "refused the connection",
                FailureKind::Reset => "dropped the connection",
                FailureKind::Tls => "failed the TLS handshake",
                FailureKind::Timeout => "did not answer in time",
                FailureKind::Dns => "did not resolve (DNS)",
                FailureKind::Other => "could not be reached",
            }),
        }
    }
}

/// Why a probe's answer says nothing either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InconclusiveReason {
    /// 429: the door is there but rate-limits us; `Retry-After` is honoured by the schedule.
    RateLimited { retry_after_secs: Option<u64> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum ProbeVerdict {
    Healthy,
    /// Answered, but far slower than its own recent median: shown, never a suspicion by itself.
    Slow {
        latency_ms: u64,
        median_ms: u64,
    },
    Failing {
        reason: FailReason,
    },
    Inconclusive {
        reason: InconclusiveReason,
    },
}

/// The median of a probe's recent healthy latencies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LatencyBaseline {
    samples_ms: VecDeque<u64>,
}

impl LatencyBaseline {
    /// Slow answers are recorded too, so a service that became slower for good becomes
    /// the new normal after about half the window instead of "slow" forever.
    pub fn record(&mut self, latency: Duration) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.samples_ms.push_back(ms);
        while self.samples_ms.len() > BASELINE_SAMPLES {
            self.samples_ms.pop_front();
        }
    }

    pub fn len(&self) -> usize {
        self.samples_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples_ms.is_empty()
    }

    pub fn median(&self) -> Option<Duration> {
        let mut sorted: Vec<u64> = self.samples_ms.iter().copied().collect();
        sorted.sort_unstable();
        let n = sorted.len();
        let ms = match n {
            0 => return None,
            _ if n % 2 == 1 => sorted[n / 2],
            _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
        };
        Some(Duration::from_millis(ms))
    }
}

/// The verdict on one reply, judged against that probe's own baseline.
pub fn classify(
    reply: &ProbeReply,
    baseline: &LatencyBaseline,
    rules: &EarlyRules,
) -> ProbeVerdict {
    match reply {
        ProbeReply::Failed { kind, .. } => ProbeVerdict::Failing {
            reason: FailReason::NoAnswer(*kind),
        },
        ProbeReply::Answered { status, .. } if *status >= 500 => ProbeVerdict::Failing {
            reason: FailReason::Status(*status),
        },
        ProbeReply::Answered {
            status: 429,
            retry_after,
            ..
        } => ProbeVerdict::Inconclusive {
            reason: InconclusiveReason::RateLimited {
                retry_after_secs: retry_after.map(|d| d.as_secs()),
            },
        },
        ProbeReply::Answered { latency, .. } => {
            let slow = baseline.len() >= rules.min_baseline_samples.max(1)
                && baseline.median().is_some_and(|median| {
                    *latency > rules.slow_floor
                        && *latency > median.saturating_mul(rules.slow_factor)
                });
            if slow {
                ProbeVerdict::Slow {
                    latency_ms: millis(*latency),
                    median_ms: baseline.median().map_or(0, millis),
                }
            } else {
                ProbeVerdict::Healthy
            }
        }
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

//! Whether this machine's network worked in a round: the origins tried and the ones that answered.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

/// After a wake from sleep or the network coming back, failures are not counted for this
/// long at least: Wi-Fi still joining, a VPN reconnecting or DNS caches refilling make
/// single hosts fail for a while, and that is this machine, not the service.
const SETTLE_AT_LEAST: Duration = Duration::from_secs(30);

/// How long probe failures are not counted after a wake or a network change: a couple of
/// rounds, and never less than half a minute.
pub fn settle_time(probe_interval: Duration) -> Duration {
    probe_interval.saturating_mul(2).max(SETTLE_AT_LEAST)
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OriginError {
    #[error("{0:?} is not a URL: {1}")]
    Unparsable(String, String),
    #[error("{0:?} has no host")]
    NoHost(String),
}

/// `scheme://host:port`, the port always written: two servers on one host but different
/// ports are two witnesses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Origin(String);

impl Origin {
    pub fn of(url: &str) -> Result<Origin, OriginError> {
        let parsed = url::Url::parse(url.trim())
            .map_err(|e| OriginError::Unparsable(url.to_owned(), e.to_string()))?;
        let host = parsed
            .host_str()
            .ok_or_else(|| OriginError::NoHost(url.to_owned()))?;
        let port = parsed
            .port_or_known_default()
            .ok_or_else(|| OriginError::NoHost(url.to_owned()))?;
        Ok(Origin(format!(
            "{}://{}:{port}",
            parsed.scheme(),
            host.to_ascii_lowercase()
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether this machine's network demonstrably worked in a round, as seen from one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Connectivity {
    /// Some other origin answered: failures here are theirs.
    Witnessed,
    /// Other origins were tried and none answered: this machine is offline.
    Offline,
    /// Nothing else was tried this round: no way to tell their outage from ours.
    NoWitness,
    /// Others answered, but this machine just woke or its network just came back: too
    /// early to blame them.
    Settling,
}

/// Every origin tried in one round and the ones that gave any HTTP answer: watched pages
/// read (any status) and probes that answered (any status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundWitnesses {
    tried: BTreeSet<Origin>,
    answered: BTreeSet<Origin>,
    settling: bool,
}

impl RoundWitnesses {
    pub fn note(&mut self, origin: Origin, answered: bool) {
        if answered {
            self.answered.insert(origin.clone());
        }
        self.tried.insert(origin);
    }

    /// Notes a URL's origin; an unparsable URL witnesses nothing.
    pub fn note_url(&mut self, url: &str, answered: bool) {
        if let Ok(origin) = Origin::of(url) {
            self.note(origin, answered);
        }
    }

    /// Marks the round as one just after a wake or a network change.
    pub fn settling(&mut self) {
        self.settling = true;
    }

    /// Two or more origins tried and none answered: this machine is offline, whatever
    /// the pages say (they may not have been read since).
    pub fn nothing_answered(&self) -> bool {
        self.answered.is_empty() && self.tried.len() >= 2
    }

    /// Whether any origin answered at all.
    pub fn any_answered(&self) -> bool {
        !self.answered.is_empty()
    }

    /// Whether an origin other than `own` answered this round.
    pub fn connectivity(&self, own: &BTreeSet<Origin>) -> Connectivity {
        if self.answered.iter().any(|o| !own.contains(o)) {
            if self.settling {
                Connectivity::Settling
            } else {
                Connectivity::Witnessed
            }
        } else if self.tried.iter().any(|o| !own.contains(o)) {
            Connectivity::Offline
        } else {
            Connectivity::NoWitness
        }
    }
}

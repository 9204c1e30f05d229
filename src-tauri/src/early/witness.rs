//! Whether this machine's network worked in a round: the origins tried and the ones that answered.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

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
}

/// Every origin tried in one round and the ones that gave any HTTP answer: watched pages
/// read (any status) and probes that answered (any status).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundWitnesses {
    tried: BTreeSet<Origin>,
    answered: BTreeSet<Origin>,
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

    /// Whether an origin other than `own` answered this round.
    pub fn connectivity(&self, own: &BTreeSet<Origin>) -> Connectivity {
        if self.answered.iter().any(|o| !own.contains(o)) {
            Connectivity::Witnessed
        } else if self.tried.iter().any(|o| !own.contains(o)) {
            Connectivity::Offline
        } else {
            Connectivity::NoWitness
        }
    }
}

//! Reads one service: fetches its endpoints and parses them, skipping the parse when nothing changed.

pub mod detect;

use crate::config::ServiceConfig;
use crate::fetch::Fetcher;
use crate::model::{Failure, Snapshot};
use crate::sources::{Bodies, Role, Source};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// History endpoints (50 recent incidents) change slowly: re-read them this often.
pub const HISTORY_EVERY: Duration = Duration::from_secs(60 * 60);

/// A failed read, classified for the transition rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub failure: Failure,
    pub message: String,
    /// The page asked us to wait this long (429 / Retry-After).
    pub retry_after: Option<Duration>,
    /// The server gave an HTTP answer (an error status, a body in the wrong format): this
    /// machine's network reached it, which early warning counts as a witness.
    pub answered: bool,
}

/// What one service's reads remember between polls.
#[derive(Debug, Default)]
pub struct Reader {
    /// Hash of the bodies the last snapshot was parsed from.
    last_hash: Option<u64>,
    last: Option<Snapshot>,
    /// Extra bodies by role, kept so every snapshot is parsed from the same set.
    components: Option<Arc<Vec<u8>>>,
    history: Option<Arc<Vec<u8>>>,
    history_read_at: Option<Instant>,
    /// Parses done, and reads answered from the last parse (for benchmarks and logs).
    pub parses: u64,
    pub reused: u64,
}

impl Reader {
    /// Fetches what is due and returns the page's snapshot.
    pub async fn read(
        &mut self,
        fetcher: &Fetcher,
        service: &ServiceConfig,
    ) -> Result<Snapshot, ReadError> {
        let unreachable = |message: String| ReadError {
            failure: Failure::Unreachable,
            message,
            retry_after: None,
            answered: false,
        };
        let endpoints = service
            .format
            .endpoints(&service.url, service.endpoint.as_deref())
            .map_err(|e| unreachable(e.to_string()))?;
        let history_due = self
            .history_read_at
            .is_none_or(|at| at.elapsed() >= HISTORY_EVERY);
        let mut main = None;
        let mut main_url = String::new();
        for e in endpoints {
            if !e.every_poll && e.role != Role::Main && !history_due {
                continue;
            }
            let fetched = fetcher.fetch(&e.url).await;
            match (e.role, fetched) {
                (Role::Main, Ok(f)) => {
                    main = Some(f.body);
                    main_url = e.url;
                }
                (Role::Main, Err(err)) => {
                    return Err(ReadError {
                        retry_after: err.retry_after(),
                        answered: err.is_http_answer(),
                        ..unreachable(err.to_string())
                    })
                }
                (Role::Components, Ok(f)) => self.components = Some(f.body),
                (Role::History, Ok(f)) => {
                    self.history = Some(f.body);
                    self.history_read_at = Some(Instant::now());
                }
                // Extras are extras: the page is still read from its main body.
                (role, Err(err)) => {
                    tracing::debug!(service = %service.name, ?role, error = %err, "extra endpoint failed");
                    if role == Role::History {
                        self.history_read_at = Some(Instant::now());
                    }
                }
            }
        }
        let Some(main) = main else {
            return Err(unreachable(format!("{}: no main endpoint", service.name)));
        };
        let hash = {
            let mut h = DefaultHasher::new();
            main.hash(&mut h);
            self.components.hash(&mut h);
            self.history.hash(&mut h);
            h.finish()
        };
        if self.last_hash == Some(hash) {
            if let Some(last) = &self.last {
                self.reused += 1;
                return Ok(last.clone());
            }
        }
        let src = Source {
            service: &service.name,
            page_url: &service.url,
            filter: &service.filter,
        };
        let bodies = Bodies {
            main: &main,
            components: self.components.as_deref().map(Vec::as_slice),
            history: self.history.as_deref().map(Vec::as_slice),
        };
        self.parses += 1;
        match service.format.parse(&src, &bodies) {
            Ok(snapshot) => {
                self.last_hash = Some(hash);
                self.last = Some(snapshot.clone());
                Ok(snapshot)
            }
            Err(e) => {
                self.last_hash = None;
                self.last = None;
                Err(ReadError {
                    failure: Failure::WrongFormat,
                    message: format!("{main_url}: {e}"),
                    retry_after: None,
                    answered: true,
                })
            }
        }
    }
}

/// One read with no memory (the `check` command).
pub async fn read_once(fetcher: &Fetcher, service: &ServiceConfig) -> Result<Snapshot, ReadError> {
    Reader::default().read(fetcher, service).await
}

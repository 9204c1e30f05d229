//! The one HTTP client: timeouts, redirect and body limits, User-Agent, https-only except loopback.

use crate::config::{validate_url, UrlError};
use std::time::Duration;

pub const USER_AGENT: &str = concat!(
    "OutageRadar/",
    env!("CARGO_PKG_VERSION"),
    " (desktop status notifier)"
);
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, Clone)]
pub struct FetchLimits {
    pub connect_timeout: Duration,
    /// Whole request, body included: a page that trickles bytes is cut here.
    pub total_timeout: Duration,
    pub max_body_bytes: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(20),
            // The largest real page we read (Google Cloud's history) is ~1.3 MB.
            max_body_bytes: 8 * 1024 * 1024,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error("{url}: timed out")]
    Timeout { url: String },
    #[error("{url}: cannot connect ({reason})")]
    Connect { url: String, reason: String },
    #[error("{url}: {reason}")]
    Request { url: String, reason: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: response larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    limits: FetchLimits,
}

impl Fetcher {
    pub fn new(limits: FetchLimits) -> Result<Self, FetchError> {
        let redirect = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= MAX_REDIRECTS {
                attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
            } else if let Err(e) = validate_url(attempt.url().as_str()) {
                // A redirect must not downgrade us to plain http on the open internet.
                attempt.error(e)
            } else {
                attempt.follow()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.total_timeout)
            .redirect(redirect)
            .https_only(false)
            .build()
            .map_err(|e| FetchError::Client(chain(&e)))?;
        Ok(Fetcher { client, limits })
    }

    /// GETs `url` and returns the body, counting bytes while they stream in.
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let parsed = validate_url(url)?;
        let classify = |e: reqwest::Error| {
            let url = url.to_owned();
            if e.is_timeout() {
                FetchError::Timeout { url }
            } else if e.is_connect() {
                FetchError::Connect {
                    url,
                    reason: root_cause(&e),
                }
            } else {
                FetchError::Request {
                    url,
                    reason: chain(&e),
                }
            }
        };
        let mut response = self
            .client
            .get(parsed)
            .header(reqwest::header::ACCEPT, "application/json, */*;q=0.5")
            .send()
            .await
            .map_err(classify)?;
        let status = response.status();
        if !status.is_success() {
            return Err(FetchError::Status {
                url: url.to_owned(),
                status: status.as_u16(),
            });
        }
        let limit = self.limits.max_body_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(FetchError::TooLarge {
                url: url.to_owned(),
                limit,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge {
                    url: url.to_owned(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

fn root_cause(e: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

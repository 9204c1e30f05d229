//! The one HTTP client: timeouts, redirect and body limits, User-Agent, https-only except
//! loopback, conditional requests and a global concurrency bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::{Host, Url};

pub const USER_AGENT: &str = concat!(
    "OutageRadar/",
    env!("CARGO_PKG_VERSION"),
    " (desktop status notifier)"
);
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UrlError {
    #[error("{0:?} is not a URL: {1}")]
    Unparsable(String, String),
    #[error("{0:?}: only https:// is allowed (plain http:// only for loopback addresses)")]
    Insecure(String),
    #[error("{0:?}: unsupported scheme {1:?}")]
    Scheme(String, String),
}

/// Checks a page URL: https anywhere, http only on this machine (for tests and local mirrors).
pub fn validate_url(raw: &str) -> Result<Url, UrlError> {
    let url =
        Url::parse(raw.trim()).map_err(|e| UrlError::Unparsable(raw.to_owned(), e.to_string()))?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(UrlError::Insecure(raw.to_owned())),
        other => Err(UrlError::Scheme(raw.to_owned(), other.to_owned())),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[derive(Debug, Clone)]
pub struct FetchLimits {
    pub connect_timeout: Duration,
    /// Whole request, body included: a page that trickles bytes is cut here.
    pub total_timeout: Duration,
    pub max_body_bytes: usize,
    /// Requests in flight at once, over all services.
    pub max_concurrent: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(20),
            // The largest real page we read (Google Cloud's history) is ~1.3 MB.
            max_body_bytes: 8 * 1024 * 1024,
            max_concurrent: 6,
        }
    }
}

impl FetchLimits {
    /// The defaults, with `OUTAGE_RADAR_HTTP_TIMEOUT_SECS` (1–120) replacing the 20 s total
    /// timeout: for very slow links, and for tests that must see a timeout quickly.
    pub fn from_env() -> Self {
        let mut limits = FetchLimits::default();
        if let Ok(raw) = std::env::var("OUTAGE_RADAR_HTTP_TIMEOUT_SECS") {
            match raw.trim().parse::<u64>() {
                Ok(secs @ 1..=120) => {
                    limits.total_timeout = Duration::from_secs(secs);
                    limits.connect_timeout = limits.connect_timeout.min(limits.total_timeout);
                }
                _ => {
                    tracing::warn!(value = %raw, "OUTAGE_RADAR_HTTP_TIMEOUT_SECS must be 1 to 120; ignored")
                }
            }
        }
        limits
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
    /// 429, or 503 with a `Retry-After`: the page asks us to come back later.
    #[error("{url}: rate limited (HTTP {status}){}", retry_after.map(|d| format!(", retry after {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("{url}: response larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// One answer: the body (from the cache when the server said 304) and where it came from.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub body: Arc<Vec<u8>>,
    /// The address after redirects.
    pub final_url: String,
    /// The server answered 304 Not Modified: the body is the one we had.
    pub not_modified: bool,
}

/// What a server gave us to ask "changed since?" next time, and the body it was for.
#[derive(Debug)]
struct Cached {
    etag: Option<String>,
    last_modified: Option<String>,
    body: Arc<Vec<u8>>,
    final_url: String,
}

/// Cheap to clone: clones share the client, the validator cache and the concurrency bound.
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    limits: FetchLimits,
    cache: Arc<Mutex<HashMap<String, Cached>>>,
    slots: Arc<Semaphore>,
    /// In unit tests: pages answered from memory, without a socket, so the watch loop can
    /// run on tokio's paused clock (a real socket's wait would let it jump ahead).
    #[cfg(test)]
    canned: Option<Canned>,
}

/// Bodies by URL for a test's [`Fetcher::canned`]; a URL it lacks does not connect.
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub struct Canned(Arc<Mutex<HashMap<String, Vec<u8>>>>);

#[cfg(test)]
impl Canned {
    pub fn set(&self, url: &str, body: Vec<u8>) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(url.to_owned(), body);
    }

    fn answer(&self, url: &str) -> Result<Fetched, FetchError> {
        let pages = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match pages.get(url) {
            Some(body) => Ok(Fetched {
                body: Arc::new(body.clone()),
                final_url: url.to_owned(),
                not_modified: false,
            }),
            None => Err(FetchError::Connect {
                url: url.to_owned(),
                reason: "no canned page".to_owned(),
            }),
        }
    }
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
        let slots = Arc::new(Semaphore::new(limits.max_concurrent.max(1)));
        Ok(Fetcher {
            client,
            limits,
            cache: Arc::default(),
            slots,
            #[cfg(test)]
            canned: None,
        })
    }

    /// A fetcher that answers from `pages` alone.
    #[cfg(test)]
    pub fn canned(pages: Canned) -> Self {
        let mut fetcher = Fetcher::new(FetchLimits::default()).expect("client");
        fetcher.canned = Some(pages);
        fetcher
    }

    /// GETs `url` and returns the body, counting bytes while they stream in.
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let fetched = self.fetch(url).await?;
        Ok(Arc::try_unwrap(fetched.body).unwrap_or_else(|shared| shared.as_ref().clone()))
    }

    /// GETs `url`, asking "changed since?" when the last answer gave validators.
    pub async fn fetch(&self, url: &str) -> Result<Fetched, FetchError> {
        let parsed = validate_url(url)?;
        // Closed only when the fetcher is dropped, which cannot happen while we hold it.
        let _slot = self
            .slots
            .acquire()
            .await
            .map_err(|e| FetchError::Client(e.to_string()))?;
        #[cfg(test)]
        if let Some(pages) = &self.canned {
            return pages.answer(url);
        }
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
        let mut request = self
            .client
            .get(parsed)
            .header(reqwest::header::ACCEPT, "application/json, */*;q=0.5");
        if let Some(c) = self.cached(url) {
            if let Some(etag) = &c.0 {
                request = request.header(reqwest::header::IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &c.1 {
                request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm);
            }
        }
        let mut response = request.send().await.map_err(classify)?;
        let status = response.status();
        let final_url = response.url().to_string();
        if status == reqwest::StatusCode::NOT_MODIFIED {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(c) = cache.get(url) {
                return Ok(Fetched {
                    body: Arc::clone(&c.body),
                    final_url: c.final_url.clone(),
                    not_modified: true,
                });
            }
            // A 304 to a request without validators: nothing to reuse.
            return Err(FetchError::Status {
                url: url.to_owned(),
                status: status.as_u16(),
            });
        }
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS
            || (status == reqwest::StatusCode::SERVICE_UNAVAILABLE
                && response
                    .headers()
                    .contains_key(reqwest::header::RETRY_AFTER))
        {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after(v, chrono::Utc::now()));
            return Err(FetchError::RateLimited {
                url: url.to_owned(),
                status: status.as_u16(),
                retry_after,
            });
        }
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
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        let body = Arc::new(body);
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if etag.is_some() || last_modified.is_some() {
            cache.insert(
                url.to_owned(),
                Cached {
                    etag,
                    last_modified,
                    body: Arc::clone(&body),
                    final_url: final_url.clone(),
                },
            );
        } else {
            cache.remove(url);
        }
        Ok(Fetched {
            body,
            final_url,
            not_modified: false,
        })
    }

    /// One of the global request slots, held until dropped: probes share the bound on
    /// requests in flight with page reads, so probing never adds to the peak.
    pub async fn slot(&self) -> Result<tokio::sync::SemaphorePermit<'_>, FetchError> {
        // Closed only when the fetcher is dropped, which cannot happen while we hold it.
        self.slots
            .acquire()
            .await
            .map_err(|e| FetchError::Client(e.to_string()))
    }

    fn cached(&self, url: &str) -> Option<(Option<String>, Option<String>)> {
        let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        cache
            .get(url)
            .map(|c| (c.etag.clone(), c.last_modified.clone()))
    }
}

impl FetchError {
    /// Whether the server answered over HTTP at all (an error status or an oversized
    /// body), as opposed to never being reached.
    pub fn is_http_answer(&self) -> bool {
        matches!(
            self,
            FetchError::Status { .. }
                | FetchError::RateLimited { .. }
                | FetchError::TooLarge { .. }
        )
    }

    /// How long the page asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// `Retry-After` as seconds or an HTTP date; capped at a day so a bad header cannot park a
/// page forever.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    const MAX: Duration = Duration::from_secs(24 * 60 * 60);
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(MAX));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.with_timezone(&chrono::Utc) - now;
    Some(wait.to_std().unwrap_or(Duration::ZERO).min(MAX))
}

/// An error and its causes, "a: b: c": what the log and a read's reason say.
pub(crate) fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The innermost cause: "connection refused" rather than reqwest's wrapping of it.
pub(crate) fn root_cause(e: &reqwest::Error) -> String {
    let mut last: &dyn std::error::Error = e;
    while let Some(s) = last.source() {
        last = s;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(validate_url("https://status.openai.com").is_ok());
        assert!(validate_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_url("http://localhost:8080/x").is_ok());
        assert!(validate_url("http://[::1]:8080/").is_ok());
        assert!(matches!(
            validate_url("http://status.openai.com"),
            Err(UrlError::Insecure(_))
        ));
        assert!(matches!(
            validate_url("javascript:alert(1)"),
            Err(UrlError::Scheme(..))
        ));
        assert!(matches!(
            validate_url("status.openai.com"),
            Err(UrlError::Unparsable(..))
        ));
    }

    use chrono::TimeZone;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 26, 12, 0, 0)
            .single()
            .expect("time");
        let table = [
            ("120", Some(120)),
            (" 5 ", Some(5)),
            ("99999999", Some(86_400)),
            ("Thu, 26 Nov 2026 12:01:30 GMT", Some(90)),
            ("Thu, 26 Nov 2026 11:00:00 GMT", Some(0)),
            ("soon", None),
            ("-3", None),
        ];
        for (header, secs) in table {
            assert_eq!(
                retry_after(header, now),
                secs.map(Duration::from_secs),
                "{header:?}"
            );
        }
    }
}

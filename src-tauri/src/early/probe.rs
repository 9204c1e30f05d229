//! One probe of a service's own front door: a single GET or HEAD, what answered and how long it took.

use crate::fetch::{chain, retry_after, root_cause, FetchError, Fetcher, USER_AGENT};
use crate::fetch::{validate_url, UrlError};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::time::Instant;

/// A probe that has not answered by then is a failure: a front door that is up answers in
/// well under a second.
pub const DEFAULT_PROBE_TIMEOUT: Duration = Duration::from_secs(10);

/// Bytes of the body read before dropping it. Reading a short error body to its end lets
/// the connection go back to the pool (no new TLS handshake next round); more is never
/// needed, since only the status line matters.
const BODY_READ_LIMIT: usize = 4 * 1024;

/// Longest failure detail kept: it ends up in notifications and logs.
const DETAIL_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProbeMethod {
    #[default]
    Get,
    /// Lighter still, but some APIs answer 405 to it (which is an answer, hence healthy).
    Head,
}

/// How a probe failed to get any HTTP answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    Refused,
    Reset,
    Tls,
    Timeout,
    Dns,
    Other,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Refused => "refused",
            FailureKind::Reset => "reset",
            FailureKind::Tls => "tls",
            FailureKind::Timeout => "timeout",
            FailureKind::Dns => "dns",
            FailureKind::Other => "other",
        }
    }
}

/// What one probe saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeReply {
    /// Some HTTP status came back (3xx included: redirects are not followed).
    Answered {
        status: u16,
        /// Until the response head arrived.
        latency: Duration,
        /// The server's `Retry-After`, on any status.
        retry_after: Option<Duration>,
        /// The request quota the server published with its answer, if it did.
        quota: Option<Quota>,
    },
    /// No HTTP answer at all.
    Failed { kind: FailureKind, detail: String },
}

/// A request quota as servers publish it: GitHub's `x-ratelimit-*` fields (an hour's 60
/// unauthenticated requests per address, shared with everything else the user runs), or
/// the IETF `ratelimit-*` ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub limit: u64,
    pub remaining: u64,
    /// Until the count starts over.
    pub reset_in: Duration,
}

/// Longest reset believed: a quota window of more than a day is a misreading.
const QUOTA_RESET_MAX: Duration = Duration::from_secs(24 * 3600);
/// Resets above this are Unix times (GitHub), below it seconds from now (IETF, Discord).
const EPOCH_FROM: f64 = 1_000_000_000.0;

impl Quota {
    /// The quota in `headers`, when limit, remaining and reset are all there and readable.
    pub fn from_headers(
        headers: &reqwest::header::HeaderMap,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Option<Quota> {
        let field = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| headers.get(*n).and_then(|v| v.to_str().ok()))
        };
        // Structured forms ("60, 60;w=3600") lead with the number that matters.
        let leading = |v: &str| {
            v.split([',', ';'])
                .next()
                .and_then(|n| n.trim().parse::<f64>().ok())
                .filter(|n| n.is_finite() && *n >= 0.0)
        };
        let limit = leading(field(&["x-ratelimit-limit", "ratelimit-limit"])?)?;
        let remaining = leading(field(&["x-ratelimit-remaining", "ratelimit-remaining"])?)?;
        let reset_in = if let Some(after) = field(&["x-ratelimit-reset-after", "ratelimit-reset"]) {
            leading(after)?
        } else {
            let reset = leading(field(&["x-ratelimit-reset"])?)?;
            if reset >= EPOCH_FROM {
                (reset - now.timestamp() as f64).max(0.0)
            } else {
                reset
            }
        };
        let reset_in = Duration::try_from_secs_f64(reset_in)
            .ok()?
            .min(QUOTA_RESET_MAX);
        Some(Quota {
            // Whole requests: a fractional count is nobody's, and `as` saturates.
            limit: limit as u64,
            remaining: remaining as u64,
            reset_in,
        })
    }
}

impl ProbeReply {
    /// Any HTTP status proves the path to that origin works: a connectivity witness.
    pub fn answered(&self) -> bool {
        matches!(self, ProbeReply::Answered { .. })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error(transparent)]
    Url(#[from] UrlError),
    #[error("{0:?}: a probe never sends credentials; remove the user name and password")]
    Credentials(String),
    #[error("cannot build the probe client: {0}")]
    Client(String),
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

/// Checks a probe address: the page URL policy (https, plain http only on loopback), and
/// no credentials, since a probe only knocks on the front door.
pub fn validate_probe_url(raw: &str) -> Result<url::Url, ProbeError> {
    let url = validate_url(raw)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ProbeError::Credentials(raw.to_owned()));
    }
    Ok(url)
}

/// Sends probes. Its own client because reqwest sets the redirect policy per client and a
/// probe must not follow redirects; the concurrency bound is the page fetcher's.
#[derive(Debug, Clone)]
pub struct Prober {
    client: reqwest::Client,
    fetcher: Fetcher,
    timeout: Duration,
}

impl Prober {
    pub fn new(fetcher: &Fetcher, timeout: Duration) -> Result<Self, ProbeError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(timeout)
            .https_only(false)
            .build()
            .map_err(|e| ProbeError::Client(chain(&e)))?;
        Ok(Prober {
            client,
            fetcher: fetcher.clone(),
            timeout,
        })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// One request to `url`. `Err` only when the address breaks the policy (a config
    /// mistake, never the service's fault); every network outcome is a [`ProbeReply`].
    pub async fn probe(&self, url: &str, method: ProbeMethod) -> Result<ProbeReply, ProbeError> {
        let parsed = validate_probe_url(url)?;
        let _slot = self.fetcher.slot().await?;
        let request = match method {
            ProbeMethod::Get => self.client.get(parsed),
            ProbeMethod::Head => self.client.head(parsed),
        }
        .header(reqwest::header::ACCEPT, "*/*");
        // The clock starts once we hold a slot: waiting for our own bound is not their latency.
        let started = Instant::now();
        let deadline = started + self.timeout;
        let mut response = match tokio::time::timeout_at(deadline, request.send()).await {
            Err(_) => return Ok(timed_out(self.timeout)),
            Ok(Err(e)) if e.is_timeout() => return Ok(timed_out(self.timeout)),
            Ok(Err(e)) => {
                let (kind, detail) = failure_of(&e);
                return Ok(ProbeReply::Failed { kind, detail });
            }
            Ok(Ok(r)) => r,
        };
        let latency = started.elapsed();
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| retry_after(v, chrono::Utc::now()));
        let quota = Quota::from_headers(response.headers(), chrono::Utc::now());
        // The status is what we came for; the body only gets a bounded chance to finish.
        let mut read = 0;
        while read < BODY_READ_LIMIT {
            match tokio::time::timeout_at(deadline, response.chunk()).await {
                Ok(Ok(Some(chunk))) => read += chunk.len(),
                _ => break,
            }
        }
        Ok(ProbeReply::Answered {
            status,
            latency,
            retry_after,
            quota,
        })
    }
}

fn timed_out(limit: Duration) -> ProbeReply {
    ProbeReply::Failed {
        kind: FailureKind::Timeout,
        detail: format!("no answer within {} s", limit.as_secs_f64()),
    }
}

/// Sorts a transport error into what people recognize. The I/O error kinds are exact; TLS
/// and DNS failures come from libraries whose error types we do not depend on, so their
/// messages are matched.
fn failure_of(e: &reqwest::Error) -> (FailureKind, String) {
    let detail = truncate(root_cause(e));
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind as K;
            let kind = match io.kind() {
                K::ConnectionRefused => Some(FailureKind::Refused),
                K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                    Some(FailureKind::Reset)
                }
                K::TimedOut => Some(FailureKind::Timeout),
                _ => None,
            };
            if let Some(kind) = kind {
                return (kind, detail);
            }
        }
        source = s.source();
    }
    let text = chain(e).to_ascii_lowercase();
    let kind = if text.contains("dns error") || text.contains("failed to lookup address") {
        FailureKind::Dns
    } else if [
        "certificate",
        "tls",
        "handshake",
        "corrupt message",
        "alert",
    ]
    .iter()
    .any(|w| text.contains(w))
    {
        FailureKind::Tls
    } else if text.contains("connection closed before message completed")
        || text.contains("connection reset")
    {
        FailureKind::Reset
    } else if e.is_connect() && text.contains("refused") {
        FailureKind::Refused
    } else {
        FailureKind::Other
    };
    (kind, detail)
}

fn truncate(s: String) -> String {
    if s.chars().count() <= DETAIL_MAX_CHARS {
        return s;
    }
    let mut cut: String = s.chars().take(DETAIL_MAX_CHARS).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::FetchLimits;
    use outage_radar_tests::fake_server::{FakeServer, Reply};
    use tokio::io::AsyncWriteExt;

    fn prober(timeout: Duration) -> Prober {
        let fetcher = Fetcher::new(FetchLimits::default()).expect("fetcher");
        Prober::new(&fetcher, timeout).expect("prober")
    }

    async fn probe(p: &Prober, url: &str) -> ProbeReply {
        p.probe(url, ProbeMethod::Get).await.expect("valid url")
    }

    fn status_of(reply: &ProbeReply) -> Option<u16> {
        match reply {
            ProbeReply::Answered { status, .. } => Some(*status),
            ProbeReply::Failed { .. } => None,
        }
    }

    fn kind_of(reply: &ProbeReply) -> Option<FailureKind> {
        match reply {
            ProbeReply::Failed { kind, .. } => Some(*kind),
            ProbeReply::Answered { .. } => None,
        }
    }

    #[tokio::test]
    async fn every_status_is_an_answer_and_redirects_are_not_followed() {
        let server = FakeServer::start().await;
        server.set("/ok", Reply::json("{}"));
        server.set("/401", Reply::json(r#"{"error":"no key"}"#).status(401));
        server.set("/503", Reply::html("down").status(503));
        server.set("/520", Reply::html("cloudflare").status(520));
        server.set("/moved", Reply::redirect("/target"));
        server.set("/target", Reply::json("{}"));
        let p = prober(DEFAULT_PROBE_TIMEOUT);
        for (path, want) in [
            ("/ok", 200),
            ("/401", 401),
            ("/missing", 404),
            ("/503", 503),
            ("/520", 520),
            ("/moved", 302),
        ] {
            let reply = probe(&p, &format!("{}{path}", server.url())).await;
            assert_eq!(status_of(&reply), Some(want), "{path}: {reply:?}");
        }
        assert_eq!(server.hits("/target"), 0, "the redirect was not followed");
    }

    #[tokio::test]
    async fn sends_our_user_agent_no_credentials_and_head_when_asked() {
        let server = FakeServer::start().await;
        server.set("/v1/models", Reply::json("{}").status(401));
        let p = prober(DEFAULT_PROBE_TIMEOUT);
        let url = format!("{}/v1/models", server.url());
        let reply = p.probe(&url, ProbeMethod::Head).await.expect("valid");
        assert_eq!(status_of(&reply), Some(401));
        assert_eq!(
            server.request_headers("/v1/models", "user-agent"),
            vec![Some(USER_AGENT.to_owned())]
        );
        assert_eq!(
            server.request_headers("/v1/models", "authorization"),
            vec![None]
        );
        let with_user = url.replace("http://", "http://me:secret@");
        assert!(matches!(
            p.probe(&with_user, ProbeMethod::Get).await,
            Err(ProbeError::Credentials(_))
        ));
        assert!(matches!(
            p.probe("http://example.com/v1/models", ProbeMethod::Get)
                .await,
            Err(ProbeError::Url(UrlError::Insecure(_)))
        ));
        assert_eq!(server.total_hits(), 1, "refused addresses are never sent");
    }

    #[tokio::test]
    async fn rate_limits_carry_retry_after_when_given() {
        let server = FakeServer::start().await;
        server.set("/bare", Reply::json("{}").status(429));
        server.set(
            "/wait",
            Reply::json("{}").status(429).header("Retry-After", "120"),
        );
        server.set(
            "/maint",
            Reply::html("later").status(503).header("Retry-After", "30"),
        );
        let p = prober(DEFAULT_PROBE_TIMEOUT);
        let retry = |r: ProbeReply| match r {
            ProbeReply::Answered {
                status,
                retry_after,
                ..
            } => (status, retry_after),
            other => panic!("no answer: {other:?}"),
        };
        let base = server.url();
        assert_eq!(retry(probe(&p, &format!("{base}/bare")).await), (429, None));
        assert_eq!(
            retry(probe(&p, &format!("{base}/wait")).await),
            (429, Some(Duration::from_secs(120)))
        );
        assert_eq!(
            retry(probe(&p, &format!("{base}/maint")).await),
            (503, Some(Duration::from_secs(30)))
        );
    }

    #[test]
    fn quotas_in_the_spellings_servers_use() {
        use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let quota = |fields: &[(&'static str, &str)]| {
            let mut h = HeaderMap::new();
            for (name, value) in fields {
                h.insert(
                    HeaderName::from_static(name),
                    HeaderValue::from_str(value).expect("value"),
                );
            }
            Quota::from_headers(&h, now)
        };
        let q = |limit, remaining, reset_ms| {
            Some(Quota {
                limit,
                remaining,
                reset_in: Duration::from_millis(reset_ms),
            })
        };
        let github = [
            ("x-ratelimit-limit", "60"),
            ("x-ratelimit-remaining", "59"),
            ("x-ratelimit-reset", "1800003600"),
        ];
        assert_eq!(quota(&github), q(60, 59, 3_600_000), "GitHub: a Unix time");
        assert_eq!(
            quota(&[
                ("x-ratelimit-limit", "5"),
                ("x-ratelimit-remaining", "4"),
                ("x-ratelimit-reset", "1800000001.5"),
                ("x-ratelimit-reset-after", "1.5"),
            ]),
            q(5, 4, 1500),
            "Discord: seconds from now preferred"
        );
        assert_eq!(
            quota(&[
                ("ratelimit-limit", "100, 100;w=60"),
                ("ratelimit-remaining", "42"),
                ("ratelimit-reset", "30"),
            ]),
            q(100, 42, 30_000),
            "IETF fields, structured limit"
        );
        assert_eq!(
            quota(&[
                ("x-ratelimit-limit", "60"),
                ("x-ratelimit-remaining", "0"),
                ("x-ratelimit-reset", "1799999000"),
            ]),
            q(60, 0, 0),
            "a reset in the past is now"
        );
        assert_eq!(
            quota(&[
                ("x-ratelimit-limit", "60"),
                ("x-ratelimit-remaining", "10"),
                ("x-ratelimit-reset", "1900000000"),
            ]),
            q(60, 10, 24 * 3_600_000),
            "a reset years away is capped at a day"
        );
        for broken in [
            &github[..2],
            &[("x-ratelimit-limit", "60"), ("x-ratelimit-reset", "30")][..],
            &[
                ("x-ratelimit-limit", "lots"),
                ("x-ratelimit-remaining", "59"),
                ("x-ratelimit-reset", "30"),
            ][..],
            &[
                ("x-ratelimit-limit", "60"),
                ("x-ratelimit-remaining", "-1"),
                ("x-ratelimit-reset", "30"),
            ][..],
            &[
                ("x-ratelimit-limit", "60"),
                ("x-ratelimit-remaining", "5"),
                ("x-ratelimit-reset", "NaN"),
            ][..],
        ] {
            assert_eq!(quota(broken), None, "{broken:?}");
        }
    }

    #[tokio::test]
    async fn a_published_quota_comes_with_the_answer() {
        let server = FakeServer::start().await;
        server.set(
            "/",
            Reply::json(r#"{"message":"API rate limit exceeded"}"#)
                .status(403)
                .header("x-ratelimit-limit", "60")
                .header("x-ratelimit-remaining", "0")
                .header("x-ratelimit-reset-after", "900"),
        );
        let reply = probe(
            &prober(DEFAULT_PROBE_TIMEOUT),
            &format!("{}/", server.url()),
        )
        .await;
        let ProbeReply::Answered { status, quota, .. } = reply else {
            panic!("no answer: {reply:?}");
        };
        assert_eq!(status, 403, "a rate-limited door is still a door");
        assert_eq!(
            quota,
            Some(Quota {
                limit: 60,
                remaining: 0,
                reset_in: Duration::from_secs(900)
            })
        );
    }

    #[tokio::test]
    async fn a_closed_port_is_refused() {
        // Bind then drop: the port is free and nothing listens on it.
        let port = {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            l.local_addr().expect("addr").port()
        };
        let reply = probe(
            &prober(DEFAULT_PROBE_TIMEOUT),
            &format!("http://127.0.0.1:{port}/"),
        )
        .await;
        assert_eq!(kind_of(&reply), Some(FailureKind::Refused), "{reply:?}");
    }

    #[tokio::test]
    async fn a_reply_beyond_the_timeout_is_a_timeout() {
        let server = FakeServer::start().await;
        server.set("/slow", Reply::json("{}").delay(Duration::from_secs(5)));
        let p = prober(Duration::from_millis(300));
        let reply = probe(&p, &format!("{}/slow", server.url())).await;
        assert_eq!(kind_of(&reply), Some(FailureKind::Timeout), "{reply:?}");
    }

    #[tokio::test]
    async fn a_connection_dropped_without_an_answer_is_a_reset() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = tokio::spawn(async move {
            // Accept, read nothing, hang up: the request gets no answer at all.
            while let Ok((stream, _)) = listener.accept().await {
                drop(stream);
            }
        });
        let reply = probe(
            &prober(DEFAULT_PROBE_TIMEOUT),
            &format!("http://127.0.0.1:{port}/"),
        )
        .await;
        server.abort();
        assert_eq!(kind_of(&reply), Some(FailureKind::Reset), "{reply:?}");
    }

    #[tokio::test]
    async fn plain_http_behind_an_https_address_is_a_tls_failure() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let server = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let _ = stream
                    .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                    .await;
            }
        });
        let reply = probe(
            &prober(DEFAULT_PROBE_TIMEOUT),
            &format!("https://127.0.0.1:{port}/"),
        )
        .await;
        server.abort();
        assert_eq!(kind_of(&reply), Some(FailureKind::Tls), "{reply:?}");
    }

    #[tokio::test]
    async fn the_body_is_not_read_past_the_limit() {
        let server = FakeServer::start().await;
        // Trickled (64 bytes every 10 ms, about 10 s in all), so the server is still
        // writing when we hang up, and counts what it got out.
        let big = vec![b'x'; 64 * 1024];
        server.set("/big", Reply::html(big).trickle(Duration::from_millis(10)));
        let p = prober(Duration::from_secs(60));
        let reply = probe(&p, &format!("{}/big", server.url())).await;
        assert_eq!(status_of(&reply), Some(200), "{reply:?}");
        // The server tallies when its writes fail, shortly after we hung up.
        for _ in 0..500 {
            if server.bytes_sent() > 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let sent = server.bytes_sent();
        assert!(sent > 0, "the server noticed the hang-up");
        assert!(sent < 16 * 1024, "stopped reading early: {sent} bytes sent");
    }
}

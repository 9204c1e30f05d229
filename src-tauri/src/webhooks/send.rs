//! The POST: one delivery, rendered and signed, to its target, and what came back.

use super::body::{self, Delivery};
use super::retry::Answer;
use super::sign;
use super::target::WebhookTarget;
use crate::fetch::{FetchLimits, USER_AGENT};
use chrono::{DateTime, Utc};

/// How much of an error answer is read, and shown: Slack and Discord say why in a few words.
const DETAIL_READ_BYTES: usize = 1024;
const DETAIL_SHOWN_CHARS: usize = 200;
const MAX_REDIRECTS: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
    #[error("cannot render the webhook body: {0}")]
    Render(#[from] serde_json::Error),
}

/// The webhook client. Cheap to clone (clones share the connection pool).
#[derive(Debug, Clone)]
pub struct Sender {
    client: reqwest::Client,
}

impl Sender {
    /// Timeouts from `limits` (as the page client, so `OUTAGE_RADAR_HTTP_TIMEOUT_SECS`
    /// applies), rustls, our User-Agent. Redirects are followed only when they keep the
    /// method and body (307, 308) and stay on the same scheme, host and port: anything else
    /// comes back as the 3xx, which stops the target with an error.
    pub fn new(limits: &FetchLimits) -> Result<Self, SendError> {
        let redirect = reqwest::redirect::Policy::custom(|attempt| {
            let same_origin = attempt
                .previous()
                .first()
                .is_some_and(|first| first.origin() == attempt.url().origin());
            let keeps_body = matches!(attempt.status().as_u16(), 307 | 308);
            if same_origin && keeps_body && attempt.previous().len() <= MAX_REDIRECTS {
                attempt.follow()
            } else {
                attempt.stop()
            }
        });
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(limits.connect_timeout)
            .timeout(limits.total_timeout)
            .redirect(redirect)
            .build()
            .map_err(|e| SendError::Client(e.without_url().to_string()))?;
        Ok(Sender { client })
    }

    /// POSTs `d` to `target`, signed with the time `now`. Never fails for the network:
    /// what happened is the [`Answer`]. Logs name the target by its redacted URL only.
    pub async fn send(
        &self,
        target: &WebhookTarget,
        d: &Delivery,
        now: DateTime<Utc>,
    ) -> Result<Answer, SendError> {
        let body = body::render(target, d)?;
        let mut request = self
            .client
            .post(target.post_url())
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (name, value) in sign::headers(target.secret.as_ref(), &d.id, now.timestamp(), &body) {
            request = request.header(name, value);
        }
        let answer = match request.body(body).send().await {
            Ok(response) => answered(response, now).await,
            Err(e) => transport(e),
        };
        tracing::debug!(target = %target.redacted_url(), id = %d.id, ?answer, "webhook attempt");
        Ok(answer)
    }
}

async fn answered(mut response: reqwest::Response, now: DateTime<Utc>) -> Answer {
    let code = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| crate::fetch::retry_after(v, now));
    if response.status().is_success() {
        return Answer::Status {
            code,
            retry_after,
            detail: None,
        };
    }
    let mut read = Vec::new();
    // An error while reading the reason does not change the status we already have.
    while read.len() < DETAIL_READ_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => read.extend_from_slice(&chunk),
            _ => break,
        }
    }
    read.truncate(DETAIL_READ_BYTES);
    Answer::Status {
        code,
        retry_after,
        detail: detail(&read),
    }
}

/// The start of an error answer as one clean line: no control characters, no markup soup.
fn detail(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .take(DETAIL_SHOWN_CHARS)
        .collect();
    (!line.is_empty()).then_some(line)
}

/// reqwest's own message names the URL, which is a credential: only the cause is kept.
fn transport(e: reqwest::Error) -> Answer {
    let e = e.without_url();
    let root = {
        let mut last: &dyn std::error::Error = &e;
        while let Some(s) = last.source() {
            last = s;
        }
        last.to_string()
    };
    if e.is_timeout() {
        Answer::Timeout
    } else if e.is_connect() {
        Answer::Unreachable(root)
    } else {
        Answer::Broken(root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::body::tests::opened;
    use crate::webhooks::body::DeliveryId;
    use crate::webhooks::target::{Secret, WebhookKind};
    use outage_radar_tests::fake_server::{FakeServer, Reply};
    use std::time::Duration;

    fn sender(total: Duration) -> Sender {
        Sender::new(&FetchLimits {
            connect_timeout: total,
            total_timeout: total,
            ..FetchLimits::default()
        })
        .expect("client")
    }

    fn now() -> DateTime<Utc> {
        opened().event.at
    }

    fn target(server: &FakeServer, path: &str, kind: WebhookKind) -> WebhookTarget {
        WebhookTarget::new(&format!("{}{path}", server.url()), kind).expect("target")
    }

    #[tokio::test]
    async fn posts_the_signed_body_with_the_standard_headers() {
        let server = FakeServer::start().await;
        server.set("/hook/SECRET", Reply::json("").status(204));
        let mut t = target(&server, "/hook/SECRET", WebhookKind::Json);
        let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        t.secret = Some(secret.clone());
        let d = opened();
        let answer = sender(Duration::from_secs(10))
            .send(&t, &d, now())
            .await
            .expect("sent");
        assert_eq!(
            answer,
            Answer::Status {
                code: 204,
                retry_after: None,
                detail: None
            }
        );
        let bodies = server.request_bodies("/hook/SECRET");
        assert_eq!(bodies.len(), 1);
        assert_eq!(bodies[0], body::render(&t, &d).expect("render"));
        let header = |name| {
            server.request_headers("/hook/SECRET", name)[0]
                .clone()
                .unwrap_or_default()
        };
        assert_eq!(header("content-type"), "application/json");
        assert_eq!(header("user-agent"), USER_AGENT);
        assert_eq!(header("webhook-id"), "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W");
        assert_eq!(header("webhook-timestamp"), now().timestamp().to_string());
        assert!(sign::verify(
            &secret,
            &d.id,
            now().timestamp(),
            &bodies[0],
            &header("webhook-signature")
        ));
        assert!(server.request_heads("/hook/SECRET")[0].starts_with("POST "));
    }

    #[tokio::test]
    async fn ntfy_publishes_to_the_server_root() {
        let server = FakeServer::start().await;
        server.set("/", Reply::json("{}"));
        let t = target(&server, "/team-alerts", WebhookKind::Ntfy);
        let answer = sender(Duration::from_secs(10))
            .send(&t, &opened(), now())
            .await
            .expect("sent");
        assert!(matches!(answer, Answer::Status { code: 200, .. }));
        let body: serde_json::Value =
            serde_json::from_slice(&server.request_bodies("/")[0]).expect("json");
        assert_eq!(body["topic"], "team-alerts");
        assert_eq!(server.hits("/team-alerts"), 0);
    }

    #[tokio::test]
    async fn error_answers_carry_their_status_reason_and_retry_after() {
        let server = FakeServer::start().await;
        server.set(
            "/busy",
            Reply::html("<h1>busy</h1>")
                .status(503)
                .header("Retry-After", "7"),
        );
        server.set("/gone", Reply::html("no_service\n").status(404));
        let s = sender(Duration::from_secs(10));
        let busy = s
            .send(
                &target(&server, "/busy", WebhookKind::Slack),
                &opened(),
                now(),
            )
            .await
            .expect("sent");
        assert_eq!(
            busy,
            Answer::Status {
                code: 503,
                retry_after: Some(Duration::from_secs(7)),
                detail: Some("<h1>busy</h1>".to_owned())
            }
        );
        let gone = s
            .send(
                &target(&server, "/gone", WebhookKind::Slack),
                &opened(),
                now(),
            )
            .await
            .expect("sent");
        assert_eq!(
            gone,
            Answer::Status {
                code: 404,
                retry_after: None,
                detail: Some("no_service".to_owned())
            }
        );
    }

    #[tokio::test]
    async fn refused_and_slow_receivers_are_told_apart_without_the_url() {
        let closed = {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
                .await
                .expect("bind");
            listener.local_addr().expect("addr").port()
        };
        let t = WebhookTarget::new(
            &format!("http://127.0.0.1:{closed}/SECRET"),
            WebhookKind::Json,
        )
        .expect("target");
        let s = sender(Duration::from_secs(1));
        match s.send(&t, &opened(), now()).await.expect("sent") {
            Answer::Unreachable(why) => assert!(!why.contains("SECRET"), "{why}"),
            other => panic!("want unreachable, got {other:?}"),
        }
        let server = FakeServer::start().await;
        server.set(
            "/slow/SECRET",
            Reply::json("{}").delay(Duration::from_secs(5)),
        );
        let slow = target(&server, "/slow/SECRET", WebhookKind::Json);
        assert_eq!(
            s.send(&slow, &opened(), now()).await.expect("sent"),
            Answer::Timeout
        );
    }

    #[tokio::test]
    async fn redirects_are_followed_only_in_place() {
        let server = FakeServer::start().await;
        let elsewhere = FakeServer::start().await;
        elsewhere.set("/in", Reply::json("{}"));
        server.set(
            "/away",
            Reply::json("")
                .status(308)
                .header("Location", &format!("{}/in", elsewhere.url())),
        );
        server.set(
            "/moved",
            Reply::json("").status(308).header("Location", "/new"),
        );
        server.set(
            "/found",
            Reply::json("").status(302).header("Location", "/new"),
        );
        server.set("/new", Reply::json("{}"));
        let s = sender(Duration::from_secs(10));
        let d = Delivery {
            id: DeliveryId::parse("msg_redirect").expect("id"),
            ..opened()
        };
        let away = s
            .send(&target(&server, "/away", WebhookKind::Json), &d, now())
            .await
            .expect("sent");
        assert!(matches!(away, Answer::Status { code: 308, .. }), "{away:?}");
        assert_eq!(elsewhere.total_hits(), 0, "never posted to another host");
        // A 302 would turn the POST into a GET without the body: not followed either.
        let found = s
            .send(&target(&server, "/found", WebhookKind::Json), &d, now())
            .await
            .expect("sent");
        assert!(
            matches!(found, Answer::Status { code: 302, .. }),
            "{found:?}"
        );
        assert_eq!(server.hits("/new"), 0);
        let moved = s
            .send(&target(&server, "/moved", WebhookKind::Json), &d, now())
            .await
            .expect("sent");
        assert!(
            matches!(moved, Answer::Status { code: 200, .. }),
            "{moved:?}"
        );
        let body = &server.request_bodies("/new")[0];
        assert_eq!(
            *body,
            body::render(&target(&server, "/moved", WebhookKind::Json), &d).expect("r")
        );
    }

    #[test]
    fn details_are_one_short_clean_line() {
        assert_eq!(detail(b""), None);
        assert_eq!(detail(b"  \n\t "), None);
        assert_eq!(
            detail(b"invalid_token\r\n").as_deref(),
            Some("invalid_token")
        );
        assert_eq!(
            detail(b"a\x1b[31m b\x00").as_deref(),
            Some("a[31m b"),
            "escape sequences cannot reach a terminal"
        );
        let long = "x".repeat(5000);
        assert_eq!(
            detail(long.as_bytes()).map(|d| d.len()),
            Some(DETAIL_SHOWN_CHARS)
        );
    }
}

//! Forwarding announced changes to where teams are: targets, bodies, signatures, retry policy and the POST.
//!
//! [`target`] is one `[[webhooks]]` table (checked, redacted, filtered), [`body`] renders a
//! [`body::Delivery`] for its kind, [`sign`] adds the Standard Webhooks headers, [`retry`]
//! decides what an attempt's answer means, and [`send`] makes the attempt. What an announced
//! change queues is decided with the change; the watcher drives the retries.

pub mod body;
pub mod retry;
pub mod send;
pub mod sign;
pub mod target;

pub use body::{Delivery, DeliveryId, Rendered, WebhookEvent};
pub use retry::{Answer, Next, Outcome};
pub use send::{SendError, Sender};
pub use target::{
    FieldError, RawWebhook, Secret, TargetKey, WebhookKind, WebhookMinImpact, WebhookTarget,
};

#[cfg(test)]
mod tests {
    use super::body::tests::{differences, golden, opened, target};
    use super::*;

    /// The headers of each kind's request, signature included, against the golden files,
    /// whose signatures were computed by a separate HMAC implementation over the same body.
    #[test]
    fn each_kind_matches_its_golden_headers() {
        let d = opened();
        for kind in WebhookKind::ALL {
            let want = golden(kind);
            let mut t = target(kind);
            t.secret = Some(Secret::new(want["secret"].as_str().expect("secret")).expect("secret"));
            let timestamp = want["timestamp"].as_i64().expect("timestamp");
            let bytes = body::render(&t, &d).expect("renders");
            let mut got = serde_json::Map::new();
            got.insert("content-type".to_owned(), "application/json".into());
            for (name, value) in sign::headers(t.secret.as_ref(), &d.id, timestamp, &bytes) {
                got.insert(name.to_owned(), value.into());
            }
            let mut diffs = Vec::new();
            differences(
                "",
                &want["headers"],
                &serde_json::Value::Object(got),
                &mut diffs,
            );
            assert!(diffs.is_empty(), "{kind}: {diffs:#?}");
        }
    }

    /// The pieces together against a receiver on 127.0.0.1 that is down for a while: each
    /// attempt carries the same id and body until the 2xx, and a 404 target stops at once.
    /// (The waits are the policy's to decide, not this test's: it resends right away.)
    #[tokio::test]
    async fn a_receiver_down_for_a_while_gets_one_id_until_it_answers() {
        use outage_radar_tests::fake_server::{FakeServer, Reply};
        let server = FakeServer::start().await;
        let sender = Sender::new(&crate::fetch::FetchLimits::default()).expect("client");
        let mut t =
            WebhookTarget::new(&format!("{}/in", server.url()), WebhookKind::Json).expect("target");
        t.secret = Some(Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret"));
        let d = opened();
        let created = d.event.at;
        let mut now = created;
        server.set("/in", Reply::json("busy").status(503));
        let mut attempts = 0;
        let next = loop {
            attempts += 1;
            if attempts == 4 {
                server.set("/in", Reply::json("{}").status(200));
            }
            let answer = sender.send(&t, &d, now).await.expect("sent");
            match retry::after_attempt(created, now, attempts, &answer, 0.5) {
                Next::RetryAt { at, .. } => now = at,
                done => break done,
            }
        };
        assert_eq!(next, Next::Delivered);
        assert_eq!(server.hits("/in"), 4);
        let ids = server.request_headers("/in", "webhook-id");
        assert!(
            ids.iter().all(|id| id.as_deref() == Some(d.id.as_str())),
            "{ids:?}"
        );
        let bodies = server.request_bodies("/in");
        assert!(
            bodies.windows(2).all(|w| w[0] == w[1]),
            "the same body every time"
        );
        let stamps = server.request_headers("/in", "webhook-timestamp");
        let signatures = server.request_headers("/in", "webhook-signature");
        for ((stamp, sig), body) in stamps.iter().zip(&signatures).zip(&bodies) {
            let stamp: i64 = stamp.as_deref().unwrap_or("").parse().expect("timestamp");
            let secret = t.secret.as_ref().expect("secret");
            assert!(sign::verify(
                secret,
                &d.id,
                stamp,
                body,
                sig.as_deref().unwrap_or("")
            ));
        }
        // Backoff took the clock forward: 15 s, 30 s, 60 s (jitter 0.5).
        assert_eq!((now - created).num_seconds(), 15 + 30 + 60);

        let gone = WebhookTarget::new(&format!("{}/gone", server.url()), WebhookKind::Slack)
            .expect("target");
        let answer = sender.send(&gone, &d, created).await.expect("sent");
        assert!(
            matches!(
                retry::after_attempt(created, created, 1, &answer, 0.5),
                Next::Failed { reason } if reason.starts_with("HTTP 404: ") && reason.contains("not found")
            ),
            "{answer:?}"
        );
        assert_eq!(server.hits("/gone"), 1);
    }
}

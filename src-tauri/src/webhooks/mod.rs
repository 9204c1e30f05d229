//! Forwarding announced changes to where teams are: targets, bodies, signatures, retry policy and the POST.
//!
//! [`target`] is one `[[webhooks]]` table (checked, redacted, filtered), [`body`] renders a
//! [`body::Delivery`] for its kind, [`sign`] adds the Standard Webhooks headers, [`retry`]
//! decides what an attempt's answer means, and [`send`] makes the attempt. Queuing in the
//! history's outbox and the loop that drives retries live with the watcher.

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
}

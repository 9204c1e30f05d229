//! Settings' **Send test**: one sample message to one target, sent at once and reported, never queued.

use crate::alerts;
use crate::config::{Config, ConfigError, WebhookSettings};
use crate::fetch::FetchLimits;
use crate::webhooks::retry::{self, Outcome};
use crate::webhooks::{
    Delivery, DeliveryId, Rendered, SendError, Sender, WebhookEvent, WebhookTarget,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What a test send came to, for the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestReport {
    pub delivered: bool,
    /// "Delivered (HTTP 204)", or why not.
    pub message: String,
    /// The sample's `webhook-id`, to find it at the receiver.
    pub delivery_id: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TestError {
    #[error(transparent)]
    Target(#[from] ConfigError),
    #[error(transparent)]
    Send(#[from] SendError),
}

/// The sample: an event named `test` from "Outage Radar", in the words of the alerts.
pub fn sample(now: DateTime<Utc>, offset: chrono::FixedOffset) -> Delivery {
    let (title, body) = alerts::test_words(now, offset);
    Delivery {
        id: DeliveryId::generate(&mut fastrand::Rng::new()),
        event: WebhookEvent {
            event: "test".to_owned(),
            service: "Outage Radar".to_owned(),
            service_id: "outage-radar".to_owned(),
            incident_id: None,
            title: None,
            phase: None,
            impact: None,
            status: None,
            component: None,
            url: None,
            lead_secs: None,
            starts_at: None,
            at: now,
        },
        text: Rendered { title, body },
    }
}

/// Sends the sample to `target` once (signed when it has a secret) and says how it went.
pub async fn send_test(
    target: &WebhookTarget,
    limits: &FetchLimits,
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
) -> Result<TestReport, SendError> {
    let d = sample(now, offset);
    let answer = Sender::new(limits)?.send(target, &d, now).await?;
    let code = match &answer {
        retry::Answer::Status { code, .. } => Some(*code),
        _ => None,
    };
    let (delivered, message) = match retry::classify(&answer, 1, 0.0) {
        Outcome::Delivered => (true, alerts::test_result(code, None, false)),
        Outcome::Retry { reason, .. } => (false, alerts::test_result(None, Some(&reason), true)),
        Outcome::Failed { reason } => (false, alerts::test_result(None, Some(&reason), false)),
    };
    tracing::info!(target = %target.redacted_url(), delivered, "webhook test sent");
    Ok(TestReport {
        delivered,
        message,
        delivery_id: d.id.to_string(),
    })
}

/// What the window's **Send test** does: the target as the window describes it (a saved
/// one by its key, with the URL and secret from `config`; a new one with its own), tested.
pub async fn send_test_from_settings(
    config: &Config,
    w: &WebhookSettings,
) -> Result<TestReport, TestError> {
    use chrono::Offset;
    let target = w.target(&config.webhooks)?;
    Ok(send_test(
        &target,
        &FetchLimits::from_env(),
        Utc::now(),
        chrono::Local::now().offset().fix(),
    )
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::{sign, Secret, WebhookKind};
    use outage_radar_tests::fake_server::{FakeServer, Reply};

    fn utc() -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(0).expect("offset")
    }

    #[tokio::test]
    async fn a_test_says_what_the_receiver_answered() {
        let server = FakeServer::start().await;
        server.set("/ok", Reply::json("").status(204));
        server.set("/gone", Reply::html("no_service").status(404));
        server.set("/busy", Reply::html("later").status(503));
        let now = Utc::now();
        let mut ok = WebhookTarget::new(&format!("{}/ok", server.url()), WebhookKind::Slack)
            .expect("target");
        let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").expect("secret");
        ok.secret = Some(secret.clone());
        let report = send_test(&ok, &FetchLimits::default(), now, utc())
            .await
            .expect("sent");
        assert_eq!(
            (report.delivered, report.message.as_str()),
            (true, "Delivered (HTTP 204)")
        );
        let body: serde_json::Value =
            serde_json::from_slice(&server.request_bodies("/ok")[0]).expect("json");
        assert_eq!(body["text"], "Outage Radar — test message");
        let header = |name| {
            server.request_headers("/ok", name)[0]
                .clone()
                .unwrap_or_default()
        };
        assert_eq!(header("webhook-id"), report.delivery_id);
        let id = DeliveryId::parse(&report.delivery_id).expect("id");
        assert!(sign::verify(
            &secret,
            &id,
            now.timestamp(),
            &server.request_bodies("/ok")[0],
            &header("webhook-signature")
        ));

        let target = |path: &str| {
            WebhookTarget::new(&format!("{}{path}", server.url()), WebhookKind::Json)
                .expect("target")
        };
        let gone = send_test(&target("/gone"), &FetchLimits::default(), now, utc())
            .await
            .expect("sent");
        assert_eq!(
            (gone.delivered, gone.message.as_str()),
            (
                false,
                "Not delivered: HTTP 404: no_service. A real alert would not be retried."
            )
        );
        let busy = send_test(&target("/busy"), &FetchLimits::default(), now, utc())
            .await
            .expect("sent");
        assert_eq!(
            busy.message,
            "Not delivered: HTTP 503: later. A real alert would be tried again."
        );
        let json: serde_json::Value =
            serde_json::from_slice(&server.request_bodies("/gone")[0]).expect("json");
        assert_eq!(json["event"], "test");
        assert_eq!(json["service"], "Outage Radar");
        assert_eq!(json["id"].as_str(), Some(gone.delivery_id.as_str()));
    }
}

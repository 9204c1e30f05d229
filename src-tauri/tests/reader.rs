//! One service's reads against a fake server: extra endpoints, history cadence, no re-parse.

use outage_radar::config::ServiceConfig;
use outage_radar::fetch::{FetchLimits, Fetcher};
use outage_radar::model::Failure;
use outage_radar::model::{Phase, ServiceId, Status};
use outage_radar::read::Reader;
use outage_radar::sources::Format;
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use serde_json::json;

const INCIDENTS_PATH: &str = "/api/v2/incidents.json";

fn service(url: &str, format: Format) -> ServiceConfig {
    ServiceConfig {
        id: ServiceId::from_name("Fake"),
        name: "Fake".to_owned(),
        url: url.to_owned(),
        format,
        endpoint: None,
        filter: Default::default(),
        enabled: true,
        prefs: Default::default(),
        probes: Vec::new(),
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(FetchLimits::default()).expect("client")
}

/// Hand-made `incidents.json`: one resolved incident and one still open.
fn incidents_json(page: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "page": {"id": "fakepage", "url": page},
        "incidents": [
            {"id": "old-1", "name": "Slow builds", "status": "resolved", "impact": "minor",
             "created_at": "2026-11-20T08:00:00Z", "resolved_at": "2026-11-20T09:00:00Z",
             "incident_updates": []},
            {"id": "inc-9", "name": "Open one", "status": "investigating", "impact": "major",
             "created_at": "2026-11-26T05:00:00Z", "incident_updates": []}
        ]
    }))
    .expect("json")
}

#[tokio::test]
async fn statuspage_history_is_merged_and_read_hourly_not_every_poll() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    server.set(INCIDENTS_PATH, Reply::json(incidents_json(&page)));
    let f = fetcher();
    let s = service(&page, Format::Statuspage);
    let mut r = Reader::default();

    let snap = r.read(&f, &s).await.expect("read");
    let ids: Vec<&str> = snap.incidents.iter().map(|i| i.id.0.as_str()).collect();
    // The resolved one is history; the open one is not in the summary (the current
    // state), so it is not reopened from the older list.
    assert_eq!(ids, ["old-1"]);
    assert_eq!(snap.incidents[0].phase, Phase::Resolved);
    assert_eq!(snap.status, Status::Operational);

    r.read(&f, &s).await.expect("read");
    r.read(&f, &s).await.expect("read");
    assert_eq!(server.hits(SUMMARY_PATH), 3);
    assert_eq!(server.hits(INCIDENTS_PATH), 1, "history once an hour");
    assert_eq!(r.parses, 1, "same bodies: parsed once");
    assert_eq!(r.reused, 2);

    let open = FakeIncident {
        id: "inc-9",
        title: "Open one",
        status: "investigating",
        impact: "major",
    };
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[open])));
    let snap = r.read(&f, &s).await.expect("read");
    assert_eq!(r.parses, 2, "a changed body is parsed");
    assert_eq!(snap.open_incidents().count(), 1);
    assert_eq!(snap.incidents.len(), 2);
}

#[tokio::test]
async fn a_failing_extra_endpoint_does_not_fail_the_read() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    server.set(
        INCIDENTS_PATH,
        Reply::html("<html><body>oops</body></html>"),
    );
    let snap = Reader::default()
        .read(&fetcher(), &service(&page, Format::Statuspage))
        .await
        .expect("the summary decides");
    assert_eq!(snap.status, Status::Operational);
    assert!(snap.incidents.is_empty());
}

#[tokio::test]
async fn incidentio_components_fill_in_what_the_summary_omits() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(SUMMARY_PATH, Reply::json(summary(&page, &[])));
    server.set(
        "/api/v2/components.json",
        Reply::json(
            serde_json::to_vec(&json!({"components": [
                {"id": "c0", "name": "API", "status": "operational"},
                {"id": "fine-tuning", "name": "Fine-tuning", "status": "degraded_performance"}
            ]}))
            .expect("json"),
        ),
    );
    let snap = Reader::default()
        .read(&fetcher(), &service(&page, Format::Incidentio))
        .await
        .expect("read");
    let names: Vec<&str> = snap.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["API", "Web", "Fine-tuning"]);
    assert_eq!(
        snap.status,
        Status::Degraded,
        "the omitted component counts"
    );
}

#[tokio::test]
async fn a_page_answering_html_is_a_wrong_format_not_an_outage() {
    let server = FakeServer::start().await;
    let page = server.url();
    server.set(
        SUMMARY_PATH,
        Reply::html("<!DOCTYPE html><html><body>We moved!</body></html>"),
    );
    let err = Reader::default()
        .read(&fetcher(), &service(&page, Format::Statuspage))
        .await
        .expect_err("HTML");
    assert_eq!(err.failure, Failure::WrongFormat);
    assert_eq!(
        err.message,
        format!("{page}{SUMMARY_PATH}: expected Statuspage summary JSON, got an HTML page")
    );
    drop(server);
    let err = Reader::default()
        .read(&fetcher(), &service(&page, Format::Statuspage))
        .await
        .expect_err("gone");
    assert_eq!(err.failure, Failure::Unreachable);
}

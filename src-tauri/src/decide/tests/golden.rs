//! The golden files: the stories every kind of event tells, with each optional field both present and absent somewhere, as `watch --json`, the window and the webhook bodies print them.

use super::*;
use crate::early::rules::Evidence;
use crate::early::verdict::FailReason;
use crate::model::Impact;
use crate::transitions::Tracked;
use crate::webhooks::{Delivery, DeliveryId, Rendered};

fn incident(url: Option<&str>) -> Tracked {
    Tracked {
        started_at: Some(t(1)),
        url: url.map(str::to_owned),
        components: vec!["API".to_owned()],
        ..Tracked::sample("inc-7", "Elevated errors", Phase::Identified, Impact::Major)
    }
}

fn evidence() -> Vec<Evidence> {
    vec![Evidence {
        target: "api.example.com".to_owned(),
        url: "https://api.example.com/v1/models".to_owned(),
        reasons: vec![FailReason::Status(503)],
        times: 3,
        since: t(2),
    }]
}

/// One of each event the engine tells about a service.
fn service_events() -> Vec<Event> {
    let linked = incident(Some("https://status.example.com/incidents/inc-7"));
    vec![
        Event::Baseline {
            open: vec![],
            status: Status::Operational,
        },
        Event::Baseline {
            open: vec![linked.clone()],
            status: Status::PartialOutage,
        },
        Event::IncidentOpened {
            incident: linked.clone(),
            lead_secs: None,
        },
        Event::IncidentOpened {
            incident: incident(None),
            lead_secs: Some(540),
        },
        Event::PhaseChanged {
            incident: linked.clone(),
            from: Phase::Investigating,
        },
        Event::IncidentResolved {
            incident: Tracked {
                phase: Phase::Resolved,
                ..linked.clone()
            },
            resolved_at: t(90),
        },
        Event::MaintenanceStarted {
            incident: Tracked {
                impact: Impact::Maintenance,
                phase: Phase::InProgress,
                ..incident(None)
            },
        },
        Event::MaintenanceCompleted {
            incident: Tracked {
                impact: Impact::Maintenance,
                phase: Phase::Completed,
                ..incident(None)
            },
            resolved_at: t(120),
        },
        Event::MaintenanceUpcoming {
            incident: Tracked {
                impact: Impact::Maintenance,
                phase: Phase::Scheduled,
                ..incident(Some("https://status.example.com/incidents/inc-7"))
            },
            starts_at: t(40),
        },
        Event::ComponentDegraded {
            component: "Web".to_owned(),
            status: Status::MajorOutage,
            from: Status::Operational,
            since: t(3),
            lead_secs: None,
        },
        Event::ComponentDegraded {
            component: "Web".to_owned(),
            status: Status::Degraded,
            from: Status::Operational,
            since: t(3),
            lead_secs: Some(60),
        },
        Event::ComponentRecovered {
            component: "Web".to_owned(),
            since: t(3),
            worst: Status::MajorOutage,
        },
        Event::Reminder {
            incident: linked,
            count: 2,
        },
        Event::SourceUnreachable {
            reason: "status.example.com: timed out".to_owned(),
        },
        Event::SourceChangedFormat {
            reason: "not a Statuspage summary".to_owned(),
        },
        Event::SourceRecovered,
        Event::OutageSuspected {
            since: t(2),
            evidence: evidence(),
        },
        Event::SuspicionCleared {
            since: t(2),
            at: t(9),
            evidence: evidence(),
        },
    ]
}

fn delivery(incident_id: Option<&str>) -> Delivery {
    Delivery {
        id: DeliveryId::generate(&mut fastrand::Rng::with_seed(5)),
        event: crate::webhooks::WebhookEvent {
            event: "incident_opened".to_owned(),
            service: "GitHub".to_owned(),
            service_id: "github".to_owned(),
            incident_id: incident_id.map(str::to_owned),
            title: Some("Elevated errors".to_owned()),
            phase: None,
            impact: None,
            status: None,
            component: None,
            url: None,
            lead_secs: None,
            starts_at: None,
            at: t(10),
        },
        text: Rendered {
            title: "GitHub — outage began".to_owned(),
            body: "Elevated errors".to_owned(),
        },
    }
}

/// Every `watch --json` line the engine can print, as it prints them.
fn watch_lines() -> Vec<String> {
    watch_events()
        .iter()
        .map(|e| serde_json::to_string(e).expect("serializes"))
        .collect()
}

/// One event of each kind, most kinds with and without their optional fields.
fn watch_events() -> Vec<WatchEvent> {
    let svc = service();
    let mut out: Vec<WatchEvent> = service_events()
        .iter()
        .map(|e| WatchEvent::of(&svc, e, t(10)))
        .collect();
    out.extend(WatchEvent::global(&Event::Offline, t(11)));
    out.extend(WatchEvent::global(&Event::Online, t(12)));
    out.push(WatchEvent::history(
        Some("history database: database or disk is full".to_owned()),
        t(12),
    ));
    out.push(WatchEvent::history(None, t(13)));
    out.push(WatchEvent::notified(
        "GitHub".to_owned(),
        "github".to_owned(),
        "GitHub — outage began".to_owned(),
        t(13),
    ));
    let target = "hooks.slack.com/services/T0…/…".to_owned();
    out.push(WatchEvent::webhook(
        crate::decide::events::AttemptEnd::Delivered,
        &delivery(Some("inc-7")),
        target.clone(),
        None,
        t(14),
    ));
    out.push(WatchEvent::webhook(
        crate::decide::events::AttemptEnd::Retrying,
        &delivery(None),
        target.clone(),
        Some("HTTP 503".to_owned()),
        t(15),
    ));
    out.push(WatchEvent::webhook(
        crate::decide::events::AttemptEnd::Failed,
        &delivery(Some("inc-7")),
        target,
        Some("HTTP 404".to_owned()),
        t(16),
    ));
    out
}

/// Every event a webhook receiver can get, as the JSON body carries it.
fn webhook_lines() -> Vec<String> {
    let svc = service();
    let targets = [target(WebhookKind::Json)];
    let mut out = Vec::new();
    for e in service_events() {
        let decided = announce(
            &svc,
            baselined(),
            vec![e],
            None,
            &ctx(t(10), &targets),
            |_| false,
            &mut fastrand::Rng::with_seed(1),
        );
        for d in decided.deliveries {
            out.push(serde_json::to_string(&d.event).expect("serializes"));
        }
    }
    out
}

/// Compares with the golden file; `OUTAGE_RADAR_BLESS=1` writes it instead (only ever
/// on purpose: these are the bytes scripts and receivers depend on).
fn check(name: &str, lines: &[String]) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/golden/watch")
        .join(name);
    let got = lines.join("\n") + "\n";
    if std::env::var_os("OUTAGE_RADAR_BLESS").is_some() {
        std::fs::write(&path, &got).expect("write the golden file");
    }
    let want = std::fs::read_to_string(&path).expect("the golden file");
    for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        assert_eq!(g, w, "{name} line {}", n + 1);
    }
    assert_eq!(got.lines().count(), want.lines().count(), "{name}");
}

#[test]
fn watch_json_lines_are_byte_identical() {
    check("events.jsonl", &watch_lines());
}

/// The name code matches on is the name scripts read, for every kind.
#[test]
fn each_kind_is_named_as_it_prints() {
    let events = watch_events();
    let mut kinds = std::collections::BTreeSet::new();
    for e in &events {
        let json = serde_json::to_value(e).expect("serializes");
        assert_eq!(json["event"], e.name(), "{json}");
        assert_eq!(json["service"], e.about().service.as_str(), "{json}");
        assert_eq!(json["title"].as_str(), e.title(), "{json}");
        kinds.insert(e.name());
    }
    assert_eq!(
        kinds.len(),
        23,
        "every kind is in the golden file: {kinds:?}"
    );
}

#[test]
fn webhook_events_are_byte_identical() {
    check("webhook_events.jsonl", &webhook_lines());
}

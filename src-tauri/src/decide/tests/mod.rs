//! Table tests of the decision: what the user is told follows from the state, the page and the context alone.

use super::*;
use crate::alerts::Delivery;
use crate::history::testing::{incident, service, snapshot};
use crate::i18n::{Catalog, Lang};
use crate::model::{Failure, Phase, Status};
use crate::test_support::t;
use crate::webhooks::body::tests::target;
use crate::webhooks::WebhookKind;
use chrono::{Offset, Utc};
use std::collections::BTreeSet;

fn catalog() -> &'static Catalog {
    Catalog::get(Lang::ENGLISH)
}

fn ctx<'a>(now: chrono::DateTime<Utc>, webhooks: &'a [WebhookTarget]) -> Ctx<'a> {
    Ctx {
        now,
        offset: Utc.fix(),
        catalog: catalog(),
        delivery: Delivery::Now,
        webhooks,
        reminder: None,
    }
}

/// A service that has seen an all-clear page (its baseline).
fn baselined() -> ServiceState {
    let svc = service();
    let ledger: BTreeSet<String> = BTreeSet::new();
    page(
        &ServiceState::default(),
        &svc,
        Observation::Read(&snapshot(vec![])),
        false,
        &Rules::default(),
        &ctx(t(0), &[]),
        |k| ledger.contains(k),
        &mut fastrand::Rng::with_seed(1),
    )
    .next
}

fn opened() -> Snapshot {
    Snapshot {
        status: Status::PartialOutage,
        ..snapshot(vec![incident("inc-1", Phase::Investigating, 5)])
    }
}

/// A first read is a baseline: an all-clear page says nothing, and an incident already
/// open is told once as ongoing (never as "began": we did not see it begin).
#[test]
fn a_first_read_is_a_baseline() {
    let svc = service();
    let first = |snap: Snapshot| {
        page(
            &ServiceState::default(),
            &svc,
            Observation::Read(&snap),
            false,
            &Rules::default(),
            &ctx(t(10), &[target(WebhookKind::Json)]),
            |_| false,
            &mut fastrand::Rng::with_seed(1),
        )
    };
    let quiet = first(snapshot(vec![]));
    assert!(quiet.next.baselined);
    assert_eq!(quiet.notification, None, "{quiet:#?}");
    assert!(quiet.deliveries.is_empty(), "{quiet:#?}");

    let open = first(opened());
    let n = open.notification.expect("the open incident");
    assert_eq!(n.title, "GitHub — ongoing");
    assert_eq!(open.deliveries.len(), 1);
}

/// The ledger decides: the same change is told once, and not again after a restart that
/// found it already announced.
#[test]
fn an_opened_incident_is_told_once_and_the_ledger_keeps_it_told() {
    let svc = service();
    let prev = baselined();
    let targets = [target(WebhookKind::Json)];
    let decide_with = |ledger: &BTreeSet<String>| {
        page(
            &prev,
            &svc,
            Observation::Read(&opened()),
            false,
            &Rules::default(),
            &ctx(t(10), &targets),
            |k| ledger.contains(k),
            &mut fastrand::Rng::with_seed(1),
        )
    };
    let first = decide_with(&BTreeSet::new());
    assert!(
        first
            .events
            .iter()
            .any(|e| matches!(e, Event::IncidentOpened { .. })),
        "{:#?}",
        first.events
    );
    let n = first.notification.clone().expect("a pop-up");
    assert_eq!(n.title, "GitHub — incident began", "{n:#?}");
    assert!(!n.keys.is_empty());
    assert_eq!(first.delivery, Delivery::Now);
    assert_eq!(first.deliveries.len(), 1, "{:#?}", first.deliveries);
    assert_eq!(first.deliveries[0].event.event, "incident_opened");

    let ledger: BTreeSet<String> = n.keys.iter().map(|k| k.key.clone()).collect();
    let again = decide_with(&ledger);
    assert_eq!(
        again.events, first.events,
        "the events are the page's story"
    );
    assert_eq!(again.notification, None, "told already");
    assert!(again.deliveries.is_empty(), "forwarded already");
}

/// Nothing but the arguments goes in: the same inputs give the same outcome, delivery ids
/// included, and another seed gives other ids.
#[test]
fn the_same_inputs_give_the_same_outcome() {
    let svc = service();
    let prev = baselined();
    let targets = [target(WebhookKind::Json), target(WebhookKind::Slack)];
    let run = |seed| {
        page(
            &prev,
            &svc,
            Observation::Read(&opened()),
            false,
            &Rules::default(),
            &ctx(t(10), &targets),
            |_| false,
            &mut fastrand::Rng::with_seed(seed),
        )
    };
    assert_eq!(run(3), run(3));
    let ids = |o: &Outcome| {
        o.deliveries
            .iter()
            .map(|d| d.id.clone())
            .collect::<Vec<_>>()
    };
    assert_ne!(ids(&run(3)), ids(&run(4)));
}

/// Quiet hours and the pause hold pop-ups, never webhooks; a network-wide failure keeps
/// one page's "unreachable" out of the story.
#[test]
fn delivery_and_network_trouble_shape_what_is_told() {
    let svc = service();
    let prev = baselined();
    let targets = [target(WebhookKind::Json)];
    let held = Ctx {
        delivery: Delivery::Queue { until: t(60) },
        ..ctx(t(10), &targets)
    };
    let out = page(
        &prev,
        &svc,
        Observation::Read(&opened()),
        false,
        &Rules::default(),
        &held,
        |_| false,
        &mut fastrand::Rng::with_seed(1),
    );
    assert!(out.notification.is_some());
    assert_eq!(out.delivery, Delivery::Queue { until: t(60) });
    assert_eq!(out.deliveries.len(), 1);

    let failed = |network_trouble| {
        page(
            &prev,
            &svc,
            Observation::Failed {
                failure: Failure::Unreachable,
                reason: "timed out",
            },
            network_trouble,
            &Rules::default(),
            &ctx(t(10), &targets),
            |_| false,
            &mut fastrand::Rng::with_seed(1),
        )
    };
    let alone = failed(false);
    assert!(
        alone
            .events
            .iter()
            .any(|e| matches!(e, Event::SourceUnreachable { .. })),
        "{:#?}",
        alone.events
    );
    let offline = failed(true);
    assert!(offline.events.is_empty(), "{:#?}", offline.events);
    assert_eq!(
        offline.next.failing_since,
        Some(t(10)),
        "the state still knows"
    );
}

/// The stories every kind of event tells, with each optional field both present and absent
/// somewhere: what `watch --json`, the window and the webhook bodies are made from.
mod golden;

/// A changed source (another address, format or filter) starts from a quiet baseline: what
/// it no longer shows is closed without a "resolved" (a narrower filter hides, it does not
/// resolve), what was told is not told again, and only what no pop-up told is news.
#[test]
fn a_changed_source_is_a_quiet_baseline() {
    let svc = service();
    let both = snapshot(vec![
        incident("inc-1", Phase::Investigating, 5),
        incident("inc-2", Phase::Investigating, 6),
    ]);
    let mut ledger: BTreeSet<String> = BTreeSet::new();
    let read = |prev: &ServiceState, snap: &Snapshot, at, ledger: &mut BTreeSet<String>| {
        let out = page(
            prev,
            &svc,
            Observation::Read(snap),
            false,
            &Rules::default(),
            &ctx(at, &[]),
            |k| ledger.contains(k),
            &mut fastrand::Rng::with_seed(1),
        );
        if let Some(n) = &out.notification {
            ledger.extend(n.keys.iter().map(|k| k.key.clone()));
        }
        out
    };
    let opened = read(&baselined(), &both, t(10), &mut ledger);
    assert!(opened.notification.is_some(), "both opened: told");

    // The filter narrowed: inc-1 is hidden, inc-2 still shown, inc-3 shown for the first time.
    let resynced = opened.next.resynced();
    assert!(!resynced.baselined);
    let narrower = snapshot(vec![
        incident("inc-2", Phase::Investigating, 6),
        incident("inc-3", Phase::Identified, 7),
    ]);
    let out = read(&resynced, &narrower, t(20), &mut ledger);
    assert!(
        !out.events
            .iter()
            .any(|e| matches!(e, Event::IncidentResolved { .. })),
        "{:#?}",
        out.events
    );
    assert_eq!(
        out.unfollowed,
        [crate::model::IncidentId("inc-1".to_owned())]
    );
    assert!(out.next.unfollowed.is_empty() && out.next.baselined);
    let n = out.notification.expect("inc-3 is news");
    assert_eq!(n.body.lines().next(), Some("Incident inc-3"), "{n:#?}");
    assert_eq!(n.keys.len(), 1, "inc-2 was told already: {n:#?}");
    assert!(out.deliveries.is_empty());
}

/// A component that broke before the page posted an incident is the first sign: the post
/// links to it with the delay. A component broken in the same read as the incident, or
/// already broken at the first read, is no earlier sign; nor is an incident in a baseline.
#[test]
fn a_component_broken_first_is_the_sign_the_incident_acknowledges() {
    let svc = service();
    let ledger: BTreeSet<String> = BTreeSet::new();
    let git = |status| crate::model::Component {
        id: "c1".to_owned(),
        name: "Git".to_owned(),
        status,
    };
    let read = |prev: &ServiceState, snap: Snapshot, at: i64| {
        page(
            prev,
            &svc,
            Observation::Read(&snap),
            false,
            &Rules::default(),
            &ctx(t(at), &[]),
            |k| ledger.contains(k),
            &mut fastrand::Rng::with_seed(1),
        )
    };
    let broken = Snapshot {
        status: Status::PartialOutage,
        components: vec![git(Status::PartialOutage)],
        ..snapshot(vec![])
    };
    let posted = Snapshot {
        components: vec![git(Status::PartialOutage)],
        ..opened()
    };
    // Broken at 10, posted at 40: a 30-minute delay.
    let first = read(&baselined(), broken.clone(), 10);
    assert_eq!(first.link, None);
    let acknowledged = read(&first.next, posted.clone(), 40);
    assert_eq!(
        acknowledged.link,
        Some(Link {
            sign: Sign::Component,
            since: t(10),
            acknowledged_at: t(40),
            lead_secs: 30 * 60,
            incident_id: Some("inc-1".to_owned()),
        })
    );
    // Both at once: nothing came first.
    assert_eq!(read(&baselined(), posted.clone(), 40).link, None);
    // Already broken at the first read: when it broke is unknown, so it measures nothing.
    let baseline = read(&ServiceState::default(), broken, 10);
    assert_eq!(read(&baseline.next, posted, 40).link, None);
    let fresh = read(&ServiceState::default(), opened(), 40);
    assert_eq!(fresh.link, None);
}

/// A scheduled maintenance the user asked to hear of ahead: one reminder, its pop-up and
/// its webhook, told once (the ledger keeps it told), held by quiet hours like any pop-up.
#[test]
fn a_maintenance_reminder_is_told_once_through_the_policy() {
    let svc = ServiceConfig {
        prefs: crate::config::Prefs {
            maintenance_reminder_minutes: Some(60),
            ..Default::default()
        },
        ..service()
    };
    let planned = Snapshot {
        maintenances: vec![crate::model::Incident {
            impact: crate::model::Impact::Maintenance,
            scheduled_for: Some(t(40)),
            url: Some("https://www.githubstatus.com/incidents/m1".to_owned()),
            ..incident("m1", Phase::Scheduled, 0)
        }],
        ..snapshot(vec![])
    };
    let targets = [target(WebhookKind::Json)];
    let decide_with = |prev: &ServiceState, at, ledger: &BTreeSet<String>, delivery| {
        page(
            prev,
            &svc,
            Observation::Read(&planned),
            false,
            &Rules::default(),
            &Ctx {
                delivery,
                ..ctx(at, &targets)
            },
            |k| ledger.contains(k),
            &mut fastrand::Rng::with_seed(1),
        )
    };
    let mut ledger = BTreeSet::new();
    // Even a first read (a baseline) reminds: the maintenance is ahead, not past news.
    let first = decide_with(&ServiceState::default(), t(10), &ledger, Delivery::Now);
    let names: Vec<&str> = first.events.iter().map(Event::name).collect();
    assert_eq!(names, ["baseline", "maintenance_upcoming"]);
    let n = first.notification.clone().expect("a pop-up");
    assert_eq!(n.title, "GitHub — maintenance in 30 min (at 12:40)");
    assert_eq!(
        n.body,
        "Incident m1\nScheduled · maintenance impact\nAffects: Git"
    );
    let start = t(40).timestamp();
    let keys: Vec<&str> = n.keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, [format!("github/m1/maintenance-upcoming/{start}")]);
    assert_eq!(first.deliveries.len(), 1);
    assert_eq!(first.deliveries[0].event.event, "maintenance_upcoming");
    assert_eq!(first.deliveries[0].event.starts_at, Some(t(40)));
    ledger.extend(n.keys.into_iter().map(|k| k.key));

    // The next polls, and a restart (a fresh state, the same ledger): nothing more.
    for prev in [first.next.clone(), ServiceState::default()] {
        let again = decide_with(&prev, t(12), &ledger, Delivery::Now);
        assert!(
            !again
                .events
                .iter()
                .any(|e| e.name() == "maintenance_upcoming"),
            "{:#?}",
            again.events
        );
        assert_eq!(again.notification, None);
        assert!(again.deliveries.is_empty());
    }

    // Quiet hours hold it like any pop-up; its key is recorded with it all the same.
    let until = t(600);
    let held = decide_with(
        &first.next,
        t(10),
        &BTreeSet::new(),
        Delivery::Queue { until },
    );
    assert_eq!(held.delivery, Delivery::Queue { until });
    assert_eq!(held.notification.map(|n| n.keys.len()), Some(1));
}

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

//! What an announced change queues: the event a receiver gets, once for each target that wants it.

use super::events::WatchEvent;
use crate::alerts::Announcement;
use crate::config::ServiceConfig;
use crate::transitions::Event;
use crate::webhooks::{DeliveryId, Rendered, TargetKey, WebhookEvent, WebhookTarget};
use chrono::{DateTime, Utc};

/// One delivery to put in the queue, in the transaction that records the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    pub target: TargetKey,
    pub id: DeliveryId,
    pub event: WebhookEvent,
    pub text: Rendered,
}

/// The event a receiver gets for the change `a` announces among `events`: the fields of its
/// `watch --json` object. A baseline announces each incident that was already open: its
/// object is the baseline's, with that incident's fields.
pub fn event_of(
    service: &ServiceConfig,
    events: &[Event],
    a: &Announcement,
    at: DateTime<Utc>,
) -> Option<WebhookEvent> {
    let event = events.get(a.event)?;
    let watch = match (event, a.incident()) {
        (Event::Baseline { .. }, Some(incident)) => WatchEvent::of(
            service,
            &Event::IncidentOpened {
                incident: incident.clone(),
                lead_secs: None,
            },
            at,
        ),
        _ => WatchEvent::of(service, event, at),
    };
    // Changes without an incident still say how much they matter, so a receiver (and the
    // ntfy priority) can tell a component's outage from its slowness.
    let impact = match event {
        Event::ComponentDegraded { .. } | Event::OutageSuspected { .. } => Some(a.impact()),
        _ => a.incident().map(|i| i.impact),
    };
    let incident = watch.incident();
    let about = watch.about();
    Some(WebhookEvent {
        event: event.name().to_owned(),
        service: about.service.clone(),
        service_id: about.service_id.clone(),
        incident_id: incident.map(|i| i.incident_id.clone()),
        title: watch.title().map(str::to_owned),
        phase: incident.map(|i| i.phase.as_str().to_owned()),
        impact,
        status: watch.status().map(str::to_owned),
        component: watch.component().map(str::to_owned),
        url: incident.and_then(|i| i.url.clone()),
        lead_secs: watch.lead_secs().and_then(|l| u64::try_from(l).ok()),
        starts_at: watch.starts_at(),
        at,
    })
}

/// The deliveries one poll's announcements make: one per announcement and target whose
/// `services` and `min_impact` let it through, each with a fresh id.
pub fn deliveries(
    targets: &[WebhookTarget],
    service: &ServiceConfig,
    events: &[Event],
    announced: &[Announcement],
    at: DateTime<Utc>,
    rng: &mut fastrand::Rng,
) -> Vec<NewDelivery> {
    let mut out = Vec::new();
    for a in announced {
        let wanting: Vec<&WebhookTarget> = targets
            .iter()
            .filter(|t| t.wants(&service.name, Some(a.impact())))
            .collect();
        if wanting.is_empty() {
            continue;
        }
        let Some(event) = event_of(service, events, a, at) else {
            continue;
        };
        let text = Rendered {
            title: a.notification.title.clone(),
            body: a.notification.body.clone(),
        };
        for t in wanting {
            out.push(NewDelivery {
                target: t.key(),
                id: DeliveryId::generate(rng),
                event: event.clone(),
                text: text.clone(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::plan_each;
    use crate::config::Prefs;
    use crate::model::{Impact, Phase, ServiceId, Status};
    use crate::test_support::now;
    use crate::transitions::Tracked;
    use crate::webhooks::{WebhookKind, WebhookMinImpact};
    use chrono::Offset;

    fn service() -> ServiceConfig {
        ServiceConfig {
            id: ServiceId::from_name("OpenAI"),
            name: "OpenAI".to_owned(),
            url: "https://status.openai.com".to_owned(),
            format: crate::sources::Format::Statuspage,
            endpoint: None,
            filter: Default::default(),
            enabled: true,
            prefs: Prefs::default(),
            probes: Vec::new(),
        }
    }

    fn incident(id: &str, impact: Impact) -> Tracked {
        Tracked {
            started_at: Some(now()),
            url: Some(format!("https://status.openai.com/incidents/{id}")),
            components: vec!["API".to_owned()],
            ..Tracked::sample(id, &format!("Incident {id}"), Phase::Investigating, impact)
        }
    }

    fn target(path: &str, f: impl FnOnce(&mut WebhookTarget)) -> WebhookTarget {
        let mut t = WebhookTarget::new(&format!("https://hooks.example/{path}"), WebhookKind::Json)
            .expect("target");
        f(&mut t);
        t
    }

    fn queued(targets: &[WebhookTarget], events: &[Event]) -> Vec<NewDelivery> {
        let s = service();
        let each = plan_each(
            crate::i18n::Catalog::english(),
            &s.id,
            &s.name,
            &s.prefs,
            events,
            now(),
            Utc.fix(),
            |_| false,
        );
        deliveries(
            targets,
            &s,
            events,
            &each,
            now(),
            &mut fastrand::Rng::with_seed(1),
        )
    }

    #[test]
    fn each_change_goes_to_each_target_that_wants_it_with_its_own_id() {
        let all = target("all", |_| {});
        let major = target("major", |t| t.min_impact = WebhookMinImpact::Major);
        let other = target("other", |t| t.services = vec!["GitHub".to_owned()]);
        let events = vec![
            Event::IncidentOpened {
                incident: incident("a", Impact::Critical),
                lead_secs: Some(90),
            },
            Event::IncidentOpened {
                incident: incident("b", Impact::Minor),
                lead_secs: None,
            },
            Event::ComponentDegraded {
                component: "Files".to_owned(),
                status: Status::PartialOutage,
                from: Status::Operational,
                since: now(),
                lead_secs: None,
            },
        ];
        let got = queued(&[all.clone(), major.clone(), other], &events);
        let summary: Vec<(String, String)> = got
            .iter()
            .map(|d| {
                let what = d
                    .event
                    .incident_id
                    .clone()
                    .or(d.event.component.clone())
                    .unwrap_or_default();
                (d.target.to_string(), what)
            })
            .collect();
        let (a, m) = (all.key().to_string(), major.key().to_string());
        assert_eq!(
            summary,
            vec![
                (a.clone(), "a".to_owned()),
                (m.clone(), "a".to_owned()),
                (a, "b".to_owned()),
                (all.key().to_string(), "Files".to_owned()),
                (m, "Files".to_owned()),
            ]
        );
        let ids: std::collections::HashSet<&str> = got.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids.len(), got.len(), "a fresh id for every delivery");

        // The change's own words, not the grouped pop-up's.
        assert_eq!(got[0].text.title, "OpenAI — outage began");
        assert!(got[0]
            .text
            .body
            .ends_with("Outage Radar suspected it 1 min before the status page."));
        assert_eq!(got[0].event.event, "incident_opened");
        assert_eq!(got[0].event.impact, Some(Impact::Critical));
        assert_eq!(got[0].event.status.as_deref(), Some("major_outage"));
        assert_eq!(got[0].event.lead_secs, Some(90));
        assert_eq!(got[3].event.event, "component_degraded");
        assert_eq!(got[3].event.impact, Some(Impact::Major));
        assert_eq!(got[3].event.status.as_deref(), Some("partial_outage"));
        assert_eq!(got[3].text.title, "OpenAI — Files partial outage");
    }

    #[test]
    fn a_baseline_forwards_each_open_incident_with_its_fields() {
        let all = target("all", |_| {});
        let events = vec![Event::Baseline {
            open: vec![incident("a", Impact::Major), incident("b", Impact::Minor)],
            status: Status::PartialOutage,
        }];
        let got = queued(&[all], &events);
        assert_eq!(got.len(), 2);
        for (d, (id, impact)) in got.iter().zip([("a", Impact::Major), ("b", Impact::Minor)]) {
            assert_eq!(d.event.event, "baseline");
            assert_eq!(d.event.incident_id.as_deref(), Some(id));
            assert_eq!(d.event.impact, Some(impact));
            assert_eq!(
                d.event.url.as_deref(),
                Some(format!("https://status.openai.com/incidents/{id}").as_str())
            );
            assert_eq!(d.text.title, "OpenAI — ongoing");
        }
        assert!(
            queued(&[], &events).is_empty(),
            "no targets, nothing queued"
        );
    }
}

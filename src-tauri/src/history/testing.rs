//! Shared by the history's tests: a service, snapshots and incidents, and one poll as the watcher does it.

use super::{History, HistoryError, Pending};

use crate::alerts::Delivery;
use crate::config::ServiceConfig;
use crate::decide::{self, Ctx, Link};
use crate::model::Rules;
use crate::model::{
    Impact, Incident, IncidentId, IncidentUpdate, Phase, ServiceId, Snapshot, Status,
};
use crate::sources::Format;
use crate::test_support::t;
use crate::transitions::{step, Observation};
use crate::transitions::{Event, ServiceState};
use crate::webhooks::WebhookTarget;
use chrono::{DateTime, Offset, Utc};

/// What the history's tests record in one go: a round's result, decided as the watcher
/// decides it ([`decide::announce`]) and then saved.
#[derive(Debug, Clone)]
pub struct PollRecord<'a> {
    pub service: &'a ServiceConfig,
    pub snapshot: Option<&'a Snapshot>,
    pub next: &'a ServiceState,
    pub events: &'a [Event],
    pub now: DateTime<Utc>,
    pub delivery: Delivery,
    pub offset: chrono::FixedOffset,
    pub link: Option<Link>,
    pub webhooks: &'a [WebhookTarget],
}

impl<'a> PollRecord<'a> {
    /// A page poll delivered now, with times in UTC (what tests mostly need).
    pub fn new(
        service: &'a ServiceConfig,
        snapshot: Option<&'a Snapshot>,
        next: &'a ServiceState,
        events: &'a [Event],
        now: DateTime<Utc>,
    ) -> Self {
        PollRecord {
            service,
            snapshot,
            next,
            events,
            now,
            delivery: Delivery::Now,
            offset: Utc.fix(),
            link: None,
            webhooks: &[],
        }
    }
}

impl History {
    /// Decides what `r` announces against this ledger, then saves it.
    pub fn record_poll(&mut self, r: &PollRecord<'_>) -> Result<Option<Pending>, HistoryError> {
        let ctx = Ctx {
            now: r.now,
            offset: r.offset,
            catalog: crate::i18n::current(),
            delivery: r.delivery,
            webhooks: r.webhooks,
            reminder: None,
        };
        let outcome = decide::announce(
            r.service,
            r.next.clone(),
            r.events.to_vec(),
            r.link.clone(),
            &ctx,
            |k| self.is_announced(k),
            &mut fastrand::Rng::new(),
        );
        self.save(r.service, r.snapshot, &outcome, r.now)
    }
}

pub fn service() -> ServiceConfig {
    ServiceConfig {
        id: ServiceId::from_name("GitHub"),
        name: "GitHub".to_owned(),
        url: "https://www.githubstatus.com".to_owned(),
        format: Format::Statuspage,
        endpoint: None,
        filter: Default::default(),
        enabled: true,
        prefs: Default::default(),
        probes: Vec::new(),
    }
}

pub fn snapshot(incidents: Vec<Incident>) -> Snapshot {
    Snapshot {
        service: "GitHub".to_owned(),
        format: crate::model::Format::Statuspage,
        page_url: "https://www.githubstatus.com".to_owned(),
        status: Status::Operational,
        page_status: None,
        description: None,
        components: vec![],
        incidents,
        maintenances: vec![],
    }
}

pub fn incident(id: &str, phase: Phase, started: i64) -> Incident {
    Incident {
        id: IncidentId(id.to_owned()),
        title: format!("Incident {id}"),
        phase,
        impact: Impact::Minor,
        started_at: Some(t(started)),
        scheduled_for: None,
        updated_at: None,
        resolved_at: None,
        url: None,
        components: vec!["Git".to_owned()],
        updates: vec![IncidentUpdate {
            id: format!("{id}-u1"),
            phase,
            body: "Looking".to_owned(),
            at: Some(t(started)),
        }],
    }
}

/// One poll through the pure step and the store, as the watcher does it.
pub fn poll(h: &mut History, snap: &Snapshot, now: DateTime<Utc>) -> Option<Pending> {
    let svc = service();
    let prev = h.load_state(&svc.id).expect("state");
    let (next, events) = step(&prev, Observation::Read(snap), now, &Rules::default());
    h.record_poll(&PollRecord::new(&svc, Some(snap), &next, &events, now))
        .expect("record")
}

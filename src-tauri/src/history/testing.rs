//! Shared by the history's tests: a service, snapshots and incidents, and one poll as the watcher does it.

use super::{History, Pending, PollRecord};

use crate::config::ServiceConfig;
use crate::model::Rules;
use crate::model::{
    Impact, Incident, IncidentId, IncidentUpdate, Phase, ServiceId, Snapshot, Status,
};
use crate::sources::Format;
use crate::test_support::t;
use crate::transitions::{step, Observation};
use chrono::{DateTime, Utc};

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

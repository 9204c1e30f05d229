//! Component changes outside open incidents, with flapping folded into one story.

use super::{Event, Rules, ServiceState};
use crate::model::{Incident, IncidentId, Kind, Snapshot, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One component as we remember it between polls, with its flap bookkeeping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentTrack {
    pub status: Status,
    /// Set when it came back; the recovery is announced once it held for the flap window.
    #[serde(default)]
    pub recovered_at: Option<DateTime<Utc>>,
    /// Whether its breakage was announced (only then is its recovery).
    #[serde(default)]
    pub announced: bool,
    /// When the current breakage story began: a component that breaks again after its
    /// recovery held is a new story with a new start, and so a new announcement.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// The worst status of the current story: its recovery matters as much as that did,
    /// so whoever heard "partial outage" also hears "recovered".
    #[serde(default)]
    pub worst: Status,
}

fn is_broken(s: Status) -> bool {
    s >= Status::Degraded
}

/// Component changes outside open incidents, with flapping folded into one story.
pub(super) fn components_step(
    prev: &ServiceState,
    snapshot: &Snapshot,
    current: &BTreeMap<IncidentId, (Kind, &Incident)>,
    now: DateTime<Utc>,
    rules: &Rules,
    next: &mut ServiceState,
    events: &mut Vec<Event>,
) {
    // An open incident naming a component tells its story; the component adds nothing.
    let covered: BTreeSet<&str> = current
        .values()
        .flat_map(|(_, i)| i.components.iter().map(String::as_str))
        .collect();
    next.components.clear();
    for c in &snapshot.components {
        let old = prev.components.get(&c.name);
        let mut track = ComponentTrack {
            status: c.status,
            recovered_at: None,
            announced: false,
            since: None,
            worst: Status::Operational,
        };
        if !covered.contains(c.name.as_str()) {
            component_change(c, old, now, rules, &mut track, events);
        }
        next.components.insert(c.name.clone(), track);
    }
}

fn component_change(
    c: &crate::model::Component,
    old: Option<&ComponentTrack>,
    now: DateTime<Utc>,
    rules: &Rules,
    track: &mut ComponentTrack,
    events: &mut Vec<Event>,
) {
    let degraded = |from, since| Event::ComponentDegraded {
        component: c.name.clone(),
        status: c.status,
        from,
        since,
        lead_secs: None,
    };
    match old {
        None if is_broken(c.status) => {
            track.announced = true;
            track.since = Some(now);
            track.worst = c.status;
            events.push(degraded(Status::Operational, now));
        }
        None => {}
        Some(o) if is_broken(c.status) => {
            track.announced = o.announced;
            track.since = o.since;
            track.worst = o.worst.max(c.status);
            if is_broken(o.status) {
                if c.status > o.status {
                    // Worse within the same story (or one already broken at baseline).
                    let since = o.since.unwrap_or(now);
                    track.announced = true;
                    track.since = Some(since);
                    events.push(degraded(o.status, since));
                }
            } else if o
                .recovered_at
                .is_some_and(|at| now - at < rules.flap_window)
            {
                // Broke again soon after coming back: the same story goes on, silently.
            } else {
                track.announced = true;
                track.since = Some(now);
                track.worst = c.status;
                events.push(degraded(o.status, now));
            }
        }
        Some(o) => {
            track.announced = o.announced;
            track.since = o.since;
            track.worst = o.worst;
            track.recovered_at = if is_broken(o.status) {
                Some(now)
            } else {
                o.recovered_at
            };
            if track
                .recovered_at
                .is_some_and(|at| now - at >= rules.flap_window)
            {
                if track.announced {
                    events.push(Event::ComponentRecovered {
                        component: c.name.clone(),
                        since: o.since.unwrap_or(now),
                        worst: o.worst,
                    });
                }
                track.recovered_at = None;
                track.announced = false;
                track.since = None;
                track.worst = Status::Operational;
            }
        }
    }
}

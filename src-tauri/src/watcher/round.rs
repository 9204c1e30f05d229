//! One polling round: read every due page at once, gate on the network, then for each page
//! in config order: transition, record (the one transaction), deliver, tell.

use super::schedule::Round;
use super::{lock, Now, PageRead, Watcher};
use crate::decide::WatchEvent;
use crate::early::rules::{page_step, page_view, EarlyEvent, PageView};
use crate::history::{Link, PollRecord};
use crate::model::{Kind, Snapshot};
use crate::read::ReadError;
use crate::transitions::{self, Event, Observation, ServiceState};
use chrono::{DateTime, Offset, Utc};
use tokio::task::JoinSet;

impl Watcher {
    /// Reads the pages that are due (every page when `forced`) and applies what they say.
    pub(super) async fn poll_round(&mut self, forced: bool, now: Now) {
        let round = Round {
            forced,
            offline: self.offline,
            interval: self.config.poll_interval,
        };
        let mut polls = JoinSet::new();
        for (index, w) in self.services.iter_mut().enumerate() {
            if !w.schedule.is_due(now.mono, round, w.has_open_incident()) {
                continue;
            }
            let Some(mut reader) = w.reader.take() else {
                continue;
            };
            let fetcher = self.fetcher.clone();
            let service = w.config.clone();
            polls.spawn(async move {
                let result = reader.read(&fetcher, &service).await;
                (index, reader, result)
            });
        }
        let mut results: Vec<(usize, Result<Snapshot, ReadError>)> = Vec::new();
        while let Some(joined) = polls.join_next().await {
            match joined {
                Ok((index, reader, result)) => {
                    if let Some(w) = self.services.get_mut(index) {
                        w.reader = Some(reader);
                    }
                    results.push((index, result));
                }
                Err(e) => tracing::error!(error = %e, "a poll task failed"),
            }
        }
        // A task that panicked lost its cache: start that one afresh.
        for w in &mut self.services {
            w.reader.get_or_insert_with(Default::default);
        }
        if results.is_empty() {
            return;
        }
        results.sort_by_key(|(i, _)| *i);
        let failed = results.iter().filter(|(_, r)| r.is_err()).count();
        let was_offline = self.offline;
        let (offline, network_event) =
            transitions::network_step(was_offline, failed, results.len());
        self.offline = offline;
        if was_offline && !offline {
            self.network_changed(now.mono, "network back");
        }
        if let Some(e) = network_event {
            tracing::warn!(event = e.name(), "network state changed");
            let _ = self.events.send(WatchEvent::global(&e, now.wall));
        }
        for (index, result) in &results {
            let answered = result.as_ref().map_or_else(|e| e.answered, |_| true);
            if answered {
                if let Some(url) = self.services[*index].config.main_endpoint() {
                    self.page_answered(&url, now.mono);
                }
            }
        }
        let interval = self.config.poll_interval;
        for (index, result) in results {
            let retry_after = result.as_ref().err().and_then(|e| e.retry_after);
            if let Some(wait) = retry_after {
                tracing::info!(service = %self.services[index].config.name, wait_secs = wait.as_secs(), "page asked us to wait");
            }
            self.services[index].schedule.record(
                now.mono,
                result.is_err() && !offline,
                retry_after,
                interval,
                0.8 + 0.4 * fastrand::f64(),
            );
            self.apply(index, result, now.wall, was_offline || offline);
        }
        self.publish(now.wall, Some(now.wall));
    }

    /// One page's answer through the pure step, into the history, out to the user.
    fn apply(
        &mut self,
        index: usize,
        result: Result<Snapshot, ReadError>,
        now: DateTime<chrono::Utc>,
        network_trouble: bool,
    ) {
        let w = &self.services[index];
        let service = w.config.clone();
        let observation = match &result {
            Ok(s) => Observation::Read(s),
            Err(e) => {
                // While offline every page fails: one warning (the offline event) is enough.
                if network_trouble {
                    tracing::debug!(service = %service.name, reason = %e.message, "read failed");
                } else {
                    tracing::warn!(service = %service.name, reason = %e.message, "read failed");
                }
                Observation::Failed {
                    failure: e.failure,
                    reason: &e.message,
                }
            }
        };
        let (mut next, mut events) =
            transitions::step(&w.state, observation, now, &self.config.notifications.rules);
        if network_trouble {
            // One offline state says it all; per-service reachability noise is left out.
            events.retain(|e| {
                !matches!(
                    e,
                    Event::SourceUnreachable { .. }
                        | Event::SourceChangedFormat { .. }
                        | Event::SourceRecovered
                )
            });
        }
        let snapshot = result.as_ref().ok();
        let link = link_suspicion(&mut next, snapshot, &mut events, now);
        if let Some(l) = &link {
            tracing::info!(service = %service.name, lead_secs = l.lead_secs, "the page confirmed the suspicion");
        }
        let record = PollRecord {
            delivery: self.delivery(now),
            offset: chrono::Local::now().offset().fix(),
            webhooks: &self.config.webhooks,
            link,
            ..PollRecord::new(&service, snapshot, &next, &events, now)
        };
        let recorded = lock(&self.history).record_poll(&record);
        match recorded {
            Ok(pending) => {
                self.services[index].state = next;
                if let Some(p) = pending {
                    self.outbox.deliver(p, Some(service.name.clone()));
                }
                for e in &events {
                    let _ = self.events.send(WatchEvent::of(&service, e, now));
                }
            }
            Err(e) => {
                // Keep the old state: the same change is found and recorded on the next poll.
                tracing::error!(service = %service.name, error = %e, "cannot record poll");
            }
        }
        let stale_after = self.config.notifications.stale_after;
        let page = snapshot.map_or(PageRead::Failed, PageRead::Read);
        self.services[index].refresh_view(page, stale_after, now);
    }
}

/// Folds what the page shows into the probes' state; when the page speaks while the probes
/// suspect an outage, the lead rides on its first word (the incident opened, else the
/// component broken) and the link is returned for the history.
fn link_suspicion(
    next: &mut ServiceState,
    snapshot: Option<&Snapshot>,
    events: &mut [Event],
    now: DateTime<Utc>,
) -> Option<Link> {
    let page = match snapshot {
        Some(s) => {
            // Our first sight of what is open: the earliest of the incidents we know.
            let first_seen = next
                .open
                .values()
                .filter(|k| k.kind == Kind::Incident)
                .filter_map(|k| k.first_seen)
                .min()
                .unwrap_or(now);
            page_view(s, first_seen)
        }
        None => PageView::Unknown,
    };
    let (early, linked) = page_step(&next.early, page);
    next.early = early;
    let Some(EarlyEvent::Linked {
        since,
        acknowledged_at,
        lead_secs,
        ..
    }) = linked
    else {
        return None;
    };
    Event::attach_lead(events, lead_secs);
    let incident_id = events.iter().find_map(|e| match e {
        Event::IncidentOpened { incident, .. } => Some(incident.id.0.clone()),
        _ => None,
    });
    Some(Link {
        since,
        acknowledged_at,
        lead_secs,
        incident_id,
    })
}

//! One polling round: read every due page at once, gate on the network, then for each page
//! in config order: decide, save (the one transaction), deliver, tell.

use super::schedule::Round;
use super::{lock, Now, PageRead, Watcher};
use crate::decide::{self, WatchEvent};
use crate::model::Snapshot;
use crate::read::ReadError;
use crate::transitions::{self, Observation};
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
            if let Some(global) = WatchEvent::global(&e, now.wall) {
                let _ = self.events.send(global);
            }
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
                0.8 + 0.4 * self.rng.f64(),
            );
            self.apply(index, result, now, was_offline || offline);
        }
        self.publish(now, Some(now.wall));
    }

    /// One page's answer through the pure decision, into the history, out to the user.
    fn apply(
        &mut self,
        index: usize,
        result: Result<Snapshot, ReadError>,
        now: Now,
        network_trouble: bool,
    ) {
        let service = self.services[index].config.clone();
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
        let reminder = self.services[index].reminder;
        let ctx = super::ctx(&self.config, self.delivery(now), now, reminder);
        let outcome = {
            let history = lock(&self.history);
            decide::page(
                &self.services[index].state,
                &service,
                observation,
                network_trouble,
                &self.config.notifications.rules,
                &ctx,
                |key| history.is_announced(key),
                &mut self.rng,
            )
        };
        if let Some(l) = &outcome.link {
            tracing::info!(service = %service.name, lead_secs = l.lead_secs, "the page confirmed the suspicion");
        }
        let snapshot = result.as_ref().ok();
        self.settle(index, snapshot, outcome, now.wall);
        let stale_after = self.config.notifications.stale_after;
        let page = snapshot.map_or(PageRead::Failed, PageRead::Read);
        self.services[index].refresh_view(page, stale_after, now.wall);
    }
}

//! One early-warning round: probe the services that are due, gate their failures on other
//! origins answering, fold each into its state, then record and announce like a page poll.

use super::overview::StripPoint;
use super::{lock, Now, PageRead, Watched, Watcher};
use crate::decide;
use crate::early::probe::{ProbeMethod, ProbeReply};
use crate::early::rules::{next_probe_delay, EarlyInput, PageView, ProbeResult};
use crate::early::verdict::ProbeVerdict;
use crate::early::witness::{settle_time, Origin, RoundWitnesses};
use std::time::Duration;
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Rounds kept per service for the latency strip (an hour at the default 30 s).
const STRIP_POINTS: usize = 120;
/// When nothing is probed, the timer still wakes now and then (a reload may add probes).
const IDLE_PROBE_CHECK: Duration = Duration::from_secs(3600);

impl Watched {
    fn probes_due(&self, now: Instant) -> bool {
        !self.config.probes.is_empty() && self.next_probe_at.is_none_or(|at| at <= now)
    }
}

impl Watcher {
    /// When the next probe round is due.
    pub(super) fn next_probe_due(&self, now: Instant) -> Instant {
        if !self.config.early_warning.enabled {
            return now + IDLE_PROBE_CHECK;
        }
        self.services
            .iter()
            .filter(|w| !w.config.probes.is_empty())
            .map(|w| w.next_probe_at.unwrap_or(now))
            .min()
            .unwrap_or(now + IDLE_PROBE_CHECK)
    }

    /// Probes every service that is due, all at once, and applies what they say.
    pub(super) async fn probe_round(&mut self, now: Now) {
        if !self.config.early_warning.enabled {
            return;
        }
        let mut probes = JoinSet::new();
        for (index, w) in self.services.iter().enumerate() {
            if !w.probes_due(now.mono) {
                continue;
            }
            for url in &w.config.probes {
                let prober = self.prober.clone();
                let url = url.clone();
                probes.spawn(async move {
                    let reply = prober.probe(&url, ProbeMethod::Get).await;
                    (index, url, reply)
                });
            }
        }
        let mut results: Vec<Vec<ProbeResult>> = vec![Vec::new(); self.services.len()];
        while let Some(joined) = probes.join_next().await {
            match joined {
                Ok((index, url, Ok(reply))) => {
                    if let Some(list) = results.get_mut(index) {
                        list.push(ProbeResult { url, reply });
                    }
                }
                // Only a URL the config should have refused ends here.
                Ok((_, url, Err(e))) => tracing::warn!(%url, error = %e, "probe not sent"),
                Err(e) => tracing::error!(error = %e, "a probe task failed"),
            }
        }
        let mut witnesses = self.witnesses(&results, now.mono);
        if witnesses.nothing_answered() {
            self.probes_offline = true;
        } else if witnesses.any_answered() && std::mem::take(&mut self.probes_offline) {
            self.network_changed(now.mono, "network back");
        }
        if self.settle_until.is_some_and(|until| now.mono < until) {
            witnesses.settling();
        }
        let rules = self.config.early_warning.rules.clone();
        for (index, probed) in results.into_iter().enumerate() {
            if probed.is_empty() {
                continue;
            }
            self.apply_probes(index, &probed, &witnesses, now);
            let w = &mut self.services[index];
            let delay = next_probe_delay(&w.state.early, now.wall, &rules, self.rng.f64());
            w.next_probe_at = Some(now.mono + delay);
        }
        self.publish(now, None);
    }

    /// This round's witnesses: every probe that gave an HTTP answer, and the pages that
    /// answered within the last probe interval (page reads run on their own schedule).
    fn witnesses(&mut self, results: &[Vec<ProbeResult>], now: Instant) -> RoundWitnesses {
        let window = self.config.early_warning.rules.interval;
        self.page_answers
            .retain(|_, at| now.saturating_duration_since(*at) <= window);
        let mut witnesses = RoundWitnesses::default();
        for origin in self.page_answers.keys() {
            witnesses.note(origin.clone(), true);
        }
        for p in results.iter().flatten() {
            witnesses.note_url(&p.url, p.reply.answered());
        }
        witnesses
    }

    /// The machine woke or its network came back: the next probe failures are likely
    /// ours (Wi-Fi joining, VPN reconnecting), so they wait a couple of rounds.
    pub(super) fn network_changed(&mut self, now: Instant, why: &'static str) {
        let settle = settle_time(self.config.early_warning.rules.interval);
        tracing::info!(
            why,
            settle_secs = settle.as_secs(),
            "probe failures not counted for a while"
        );
        self.settle_until = Some(now + settle);
    }

    /// Notes that a page read got an HTTP answer from `url`'s origin.
    pub(super) fn page_answered(&mut self, url: &str, at: Instant) {
        if let Ok(origin) = Origin::of(url) {
            self.page_answers.insert(origin, at);
        }
    }

    fn apply_probes(
        &mut self,
        index: usize,
        probed: &[ProbeResult],
        witnesses: &RoundWitnesses,
        now: Now,
    ) {
        let service = self.services[index].config.clone();
        let input = EarlyInput {
            probes: probed,
            witnesses,
            page: PageView::Unknown,
        };
        let reminder = self.services[index].reminder;
        let ctx = super::ctx(&self.config, self.delivery(now), now, reminder);
        let outcome = {
            let history = lock(&self.history);
            decide::probes(
                &self.services[index].state,
                &service,
                input,
                &self.config.early_warning.rules,
                &ctx,
                |key| history.is_announced(key),
                &mut self.rng,
            )
        };
        for e in &outcome.events {
            tracing::info!(service = %service.name, event = e.name(), "early warning");
        }
        self.settle(index, None, outcome, now.wall);
        let w = &mut self.services[index];
        if w.strip.len() >= STRIP_POINTS {
            w.strip.pop_front();
        }
        w.strip
            .push_back(strip_point(probed, &w.state.early, now.wall));
        w.refresh_view(
            PageRead::NotRead,
            self.config.notifications.stale_after,
            now.wall,
        );
    }
}

/// The round as the latency strip shows it.
fn strip_point(
    probed: &[ProbeResult],
    early: &crate::early::rules::EarlyState,
    at: chrono::DateTime<chrono::Utc>,
) -> StripPoint {
    let ms = probed
        .iter()
        .filter_map(|p| match &p.reply {
            ProbeReply::Answered { latency, .. } => {
                Some(u32::try_from(latency.as_millis()).unwrap_or(u32::MAX))
            }
            ProbeReply::Failed { .. } => None,
        })
        .max();
    let failing = probed.iter().any(|p| {
        early
            .probes
            .get(&p.url)
            .and_then(|t| t.last)
            .is_some_and(|v| matches!(v, ProbeVerdict::Failing { .. }))
    });
    StripPoint { at, ms, failing }
}

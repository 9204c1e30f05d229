//! The per-service suspicion state machine: rounds of verdicts and what the page shows in, alarms, links and clears out.

use super::probe::{ProbeReply, Quota};
use super::verdict::{classify, FailReason, LatencyBaseline, ProbeVerdict};
use super::witness::{Connectivity, Origin, RoundWitnesses};
pub use crate::model::EarlyRules;
use crate::model::{Incident, Phase, Snapshot, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// One probe's outcome in a round, as the input of [`early_step`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeResult {
    pub url: String,
    pub reply: ProbeReply,
}

/// What the service's status page shows this round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageView {
    /// Nothing open, every component operational.
    Quiet,
    /// An incident open or a component not operational.
    Open {
        /// The incident's first posted update, when the page gives one.
        first_update_at: Option<DateTime<Utc>>,
        /// When we first saw it (a component change has only this).
        first_seen_at: DateTime<Utc>,
    },
    /// The page could not be read this round: what it showed last still holds.
    Unknown,
}

/// What a page read shows, for [`EarlyInput::page`]: open when an incident is open, a
/// maintenance is under way or a component is not operational. `first_seen_at` is when we
/// first saw it so (our clock); the page's own first-update time comes from the snapshot.
pub fn page_view(snapshot: &Snapshot, first_seen_at: DateTime<Utc>) -> PageView {
    let open: Vec<&Incident> = snapshot.open_incidents().collect();
    let maintenance = snapshot
        .maintenances
        .iter()
        .any(|m| matches!(m.phase, Phase::InProgress | Phase::Verifying));
    let component = snapshot
        .components
        .iter()
        .any(|c| c.status != Status::Operational);
    if open.is_empty() && !maintenance && !component {
        return PageView::Quiet;
    }
    let first_update_at = open
        .iter()
        .filter_map(|i| i.updates.iter().filter_map(|u| u.at).min().or(i.started_at))
        .min();
    PageView::Open {
        first_update_at,
        first_seen_at,
    }
}

/// What one failing probe did, in words a notification can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Host, with the port when it is not the scheme's: "api.openai.com".
    pub target: String,
    pub url: String,
    /// Every distinct reason of the streak, in order of appearance.
    pub reasons: Vec<FailReason>,
    /// Witnessed failing rounds in a row.
    pub times: u32,
    pub since: DateTime<Utc>,
}

impl Evidence {
    /// "api.openai.com answered 503 three times"; the caller adds "since 04:50" in the
    /// user's time zone.
    pub fn summary(&self) -> String {
        let times = times_words(self.times);
        match self.reasons.as_slice() {
            [one] => format!("{} {one} {times}", self.target),
            many => {
                let what: Vec<String> = many.iter().map(ToString::to_string).collect();
                format!("{} failed {times} ({})", self.target, what.join(", "))
            }
        }
    }
}

fn times_words(n: u32) -> String {
    const WORDS: [&str; 11] = [
        "zero times",
        "once",
        "twice",
        "three times",
        "four times",
        "five times",
        "six times",
        "seven times",
        "eight times",
        "nine times",
        "ten times",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| WORDS.get(i))
        .map_or_else(|| format!("{n} times"), |w| (*w).to_owned())
}

/// Per probe URL: its baseline and its current failing streak.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProbeTrack {
    pub baseline: LatencyBaseline,
    pub last: Option<ProbeVerdict>,
    pub failures: u32,
    pub failing_since: Option<DateTime<Utc>>,
    pub reasons: Vec<FailReason>,
}

/// An alarm raised and not yet linked or cleared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspicion {
    /// The first failing round: the start the detection lead is measured from.
    pub since: DateTime<Utc>,
    /// When the threshold was reached and the alarm raised.
    pub suspected_at: DateTime<Utc>,
    /// Refreshed on every witnessed failing round.
    #[serde(default)]
    pub evidence: Vec<Evidence>,
}

/// Why the last round neither advanced nor reset the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hold {
    /// Failures, but no other origin answered: this machine is offline.
    Offline,
    /// Failures, and nothing else to compare against.
    NoWitness,
    /// Only slow answers.
    Slow,
    /// Only rate-limited answers.
    Inconclusive,
    /// Failures just after a wake from sleep or a network change: not counted yet.
    Settling,
}

/// What we remember about one service's probes between rounds (persisted as JSON; every
/// field has a default so that older saved states load).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EarlyState {
    pub probes: BTreeMap<String, ProbeTrack>,
    /// Witnessed failing rounds in a row while the page is quiet: the count toward a suspicion.
    pub failing_rounds: u32,
    pub failing_since: Option<DateTime<Utc>>,
    /// Witnessed failing rounds in a row whatever the page says: drives the backoff.
    pub failing_streak: u32,
    /// Healthy rounds in a row while suspected.
    pub healthy_rounds: u32,
    pub suspicion: Option<Suspicion>,
    /// The page showed something open at its last read.
    pub page_open: bool,
    pub held: Option<Hold>,
    /// No probe before this: the service's `Retry-After`, or the pace its quota allows.
    pub not_before: Option<DateTime<Utc>>,
    pub last_round_at: Option<DateTime<Utc>>,
}

impl EarlyState {
    /// Forgets probes no longer configured.
    pub fn retain_probes(&mut self, urls: &[&str]) {
        self.probes.retain(|url, _| urls.contains(&url.as_str()));
    }
}

/// One service's round: its probes' replies, the round's witnesses, its page.
#[derive(Debug, Clone, Copy)]
pub struct EarlyInput<'a> {
    pub probes: &'a [ProbeResult],
    pub witnesses: &'a RoundWitnesses,
    pub page: PageView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EarlyEvent {
    /// The alarm: failing for the threshold while the page shows nothing.
    #[serde(rename = "suspected_outage")]
    Suspected {
        since: DateTime<Utc>,
        evidence: Vec<Evidence>,
    },
    /// Probes recovered with no page change: a quiet note, kept as an unconfirmed blip.
    #[serde(rename = "suspicion_cleared")]
    Cleared {
        since: DateTime<Utc>,
        at: DateTime<Utc>,
        reason: ClearReason,
        evidence: Vec<Evidence>,
    },
    /// The page acknowledged what we suspected.
    #[serde(rename = "suspicion_linked")]
    Linked {
        since: DateTime<Utc>,
        suspected_at: DateTime<Utc>,
        acknowledged_at: DateTime<Utc>,
        /// `acknowledged_at - since`. Negative when the page's first update predates our
        /// first failing round (we read it late).
        lead_secs: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClearReason {
    Recovered { rounds: u32 },
}

/// Folds what a page read shows into the state, linking a running suspicion when the page
/// speaks: what a page poll does between probe rounds. [`early_step`] does it first.
pub fn page_step(prev: &EarlyState, page: PageView) -> (EarlyState, Option<EarlyEvent>) {
    let mut s = prev.clone();
    let linked = page_into(&mut s, page);
    (s, linked)
}

fn page_into(s: &mut EarlyState, page: PageView) -> Option<EarlyEvent> {
    match page {
        PageView::Quiet => {
            s.page_open = false;
            None
        }
        PageView::Open {
            first_update_at,
            first_seen_at,
        } => {
            s.page_open = true;
            // The page already says it: nothing counts toward a suspicion of our own.
            s.failing_rounds = 0;
            s.failing_since = None;
            let susp = s.suspicion.take()?;
            s.healthy_rounds = 0;
            let acknowledged_at = first_update_at.map_or(first_seen_at, |u| u.min(first_seen_at));
            Some(EarlyEvent::Linked {
                since: susp.since,
                suspected_at: susp.suspected_at,
                acknowledged_at,
                lead_secs: (acknowledged_at - susp.since).num_seconds(),
            })
        }
        PageView::Unknown => None,
    }
}

/// Folds one round into a service's state. Never reads the clock: `now` is the round's time.
pub fn early_step(
    prev: &EarlyState,
    input: EarlyInput<'_>,
    now: DateTime<Utc>,
    rules: &EarlyRules,
) -> (EarlyState, Vec<EarlyEvent>) {
    let mut s = prev.clone();
    let mut events = Vec::new();
    s.last_round_at = Some(now);
    s.held = None;
    s.not_before = s.not_before.filter(|t| *t > now);

    // The page first: when it speaks in the same round the probes would clear or alarm,
    // the page's word wins.
    if let Some(linked) = page_into(&mut s, input.page) {
        events.push(linked);
    }

    let verdicts: Vec<(&ProbeResult, ProbeVerdict)> = input
        .probes
        .iter()
        .map(|p| {
            let baseline = s.probes.get(&p.url).map(|t| &t.baseline);
            let verdict = classify(
                &p.reply,
                baseline.unwrap_or(&LatencyBaseline::default()),
                rules,
            );
            (p, verdict)
        })
        .collect();
    for (p, verdict) in &verdicts {
        let track = s.probes.entry(p.url.clone()).or_default();
        track.last = Some(*verdict);
        if let (
            ProbeVerdict::Healthy | ProbeVerdict::Slow { .. },
            ProbeReply::Answered { latency, .. },
        ) = (verdict, &p.reply)
        {
            track.baseline.record(*latency);
        }
        if let ProbeReply::Answered {
            retry_after, quota, ..
        } = &p.reply
        {
            let waits = [*retry_after, quota.as_ref().map(quota_pace)];
            for wait in waits.into_iter().flatten() {
                let until =
                    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::zero());
                s.not_before = Some(s.not_before.map_or(until, |t| t.max(until)));
            }
        }
    }

    let failing: BTreeSet<Origin> = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, ProbeVerdict::Failing { .. }))
        .filter_map(|(p, _)| Origin::of(&p.url).ok())
        .collect();
    let any = |f: fn(&ProbeVerdict) -> bool| verdicts.iter().any(|(_, v)| f(v));

    if any(|v| matches!(v, ProbeVerdict::Failing { .. })) {
        match input.witnesses.connectivity(&failing) {
            Connectivity::Witnessed => failing_round(&mut s, &mut events, &verdicts, now, rules),
            Connectivity::Offline => s.held = Some(Hold::Offline),
            Connectivity::NoWitness => s.held = Some(Hold::NoWitness),
            Connectivity::Settling => s.held = Some(Hold::Settling),
        }
    } else if any(|v| matches!(v, ProbeVerdict::Healthy)) {
        healthy_round(&mut s, &mut events, &verdicts, now, rules);
    } else if any(|v| matches!(v, ProbeVerdict::Slow { .. })) {
        s.held = Some(Hold::Slow);
    } else if any(|v| matches!(v, ProbeVerdict::Inconclusive { .. })) {
        s.held = Some(Hold::Inconclusive);
    }
    (s, events)
}

fn failing_round(
    s: &mut EarlyState,
    events: &mut Vec<EarlyEvent>,
    verdicts: &[(&ProbeResult, ProbeVerdict)],
    now: DateTime<Utc>,
    rules: &EarlyRules,
) {
    s.failing_streak = s.failing_streak.saturating_add(1);
    s.healthy_rounds = 0;
    for (p, verdict) in verdicts {
        let Some(track) = s.probes.get_mut(&p.url) else {
            continue;
        };
        match verdict {
            ProbeVerdict::Failing { reason } => {
                track.failures = track.failures.saturating_add(1);
                track.failing_since.get_or_insert(now);
                if !track.reasons.contains(reason) {
                    track.reasons.push(*reason);
                }
            }
            // While suspected, a probe's record runs until the suspicion ends: one good
            // answer in the middle of an outage is not its end.
            ProbeVerdict::Healthy | ProbeVerdict::Slow { .. } if s.suspicion.is_none() => {
                reset_track(track)
            }
            _ => {}
        }
    }
    let evidence = evidence(s);
    if let Some(susp) = &mut s.suspicion {
        susp.evidence = evidence;
        return;
    }
    if s.page_open {
        return;
    }
    s.failing_rounds = s.failing_rounds.saturating_add(1);
    let since = *s.failing_since.get_or_insert(now);
    if s.failing_rounds >= rules.threshold_rounds.max(1) {
        s.suspicion = Some(Suspicion {
            since,
            suspected_at: now,
            evidence: evidence.clone(),
        });
        events.push(EarlyEvent::Suspected { since, evidence });
    }
}

fn healthy_round(
    s: &mut EarlyState,
    events: &mut Vec<EarlyEvent>,
    verdicts: &[(&ProbeResult, ProbeVerdict)],
    now: DateTime<Utc>,
    rules: &EarlyRules,
) {
    s.failing_rounds = 0;
    s.failing_since = None;
    s.failing_streak = 0;
    let Some(susp) = &s.suspicion else {
        for (p, verdict) in verdicts {
            if matches!(verdict, ProbeVerdict::Healthy | ProbeVerdict::Slow { .. }) {
                if let Some(track) = s.probes.get_mut(&p.url) {
                    reset_track(track);
                }
            }
        }
        return;
    };
    s.healthy_rounds = s.healthy_rounds.saturating_add(1);
    if s.healthy_rounds >= rules.recover_rounds.max(1) {
        events.push(EarlyEvent::Cleared {
            since: susp.since,
            at: now,
            reason: ClearReason::Recovered {
                rounds: s.healthy_rounds,
            },
            evidence: susp.evidence.clone(),
        });
        s.suspicion = None;
        s.healthy_rounds = 0;
        s.probes.values_mut().for_each(reset_track);
    }
}

fn reset_track(track: &mut ProbeTrack) {
    track.failures = 0;
    track.failing_since = None;
    track.reasons.clear();
}

fn evidence(s: &EarlyState) -> Vec<Evidence> {
    s.probes
        .iter()
        .filter(|(_, t)| t.failures > 0)
        .filter_map(|(url, t)| {
            Some(Evidence {
                target: target_label(url),
                url: url.clone(),
                reasons: t.reasons.clone(),
                times: t.failures,
                since: t.failing_since?,
            })
        })
        .collect()
}

/// The host people recognize, with the port only when it is not the scheme's default.
pub fn target_label(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    match (parsed.host_str(), parsed.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        (None, _) => url.to_owned(),
    }
}

/// The wait between probes that a published quota asks for: probes take at most half of
/// the quota, spread evenly until it starts over, and the other half stays with the user's
/// own use of that API (GitHub gives 60 requests an hour per address without a key; a probe
/// every 30 s would take them all). With our half spent, nothing until the reset.
pub fn quota_pace(quota: &Quota) -> Duration {
    let ours = quota.remaining.saturating_sub(quota.limit.div_ceil(2));
    match u32::try_from(ours) {
        Ok(0) => quota.reset_in,
        Ok(n) => quota.reset_in / n,
        Err(_) => Duration::ZERO,
    }
}

/// How long until this service's next probe round. Keeps the normal interval while a
/// suspicion builds (a slower cadence would delay the alarm), then doubles per failing
/// round up to the cap; never earlier than the service's `Retry-After` or its quota's pace. `jitter` is a
/// uniform draw in [0, 1) passed in, so that many clients do not retry in step.
pub fn next_probe_delay(
    state: &EarlyState,
    now: DateTime<Utc>,
    rules: &EarlyRules,
    jitter: f64,
) -> Duration {
    // 0 while building; 1 once the threshold round is reached, then one more per round.
    let past_threshold = state
        .failing_streak
        .saturating_sub(rules.threshold_rounds.max(1).saturating_sub(1));
    let mut delay = if past_threshold == 0 {
        rules.interval
    } else {
        let doubled = rules
            .interval
            .saturating_mul(2u32.saturating_pow(past_threshold.min(16)));
        let spread = 0.9 + 0.2 * jitter.clamp(0.0, 1.0);
        doubled
            .mul_f64(spread)
            .min(rules.backoff_cap.max(rules.interval))
    };
    if let Some(wait) = state.not_before.and_then(|t| (t - now).to_std().ok()) {
        delay = delay.max(wait);
    }
    delay
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::early::probe::FailureKind;
    use crate::early::verdict::*;
    use crate::early::witness::*;
    use crate::test_support::t;

    const API: &str = "https://api.example.com/v1/models";
    const OTHER: &str = "https://status.other.com/api/v2/summary.json";

    fn answered(status: u16, ms: u64) -> ProbeReply {
        ProbeReply::Answered {
            status,
            latency: Duration::from_millis(ms),
            retry_after: None,
            quota: None,
        }
    }

    fn failed(kind: FailureKind) -> ProbeReply {
        ProbeReply::Failed {
            kind,
            detail: String::new(),
        }
    }

    /// The round's witnesses: the probe's own origin always tried; `other` says how
    /// another origin fared (`None`: none was tried).
    fn witnesses(own: &ProbeReply, other: Option<bool>) -> RoundWitnesses {
        let mut w = RoundWitnesses::default();
        w.note_url(API, own.answered());
        if let Some(ok) = other {
            w.note_url(OTHER, ok);
        }
        w
    }

    /// Runs one round per entry, a minute apart from t(0); returns the final state and
    /// each round's events.
    fn run(
        start: &EarlyState,
        rounds: &[(ProbeReply, Option<bool>, PageView)],
    ) -> (EarlyState, Vec<Vec<EarlyEvent>>) {
        let rules = EarlyRules::default();
        let mut state = start.clone();
        let mut all = Vec::new();
        for (i, (reply, other, page)) in rounds.iter().enumerate() {
            let probes = [ProbeResult {
                url: API.to_owned(),
                reply: reply.clone(),
            }];
            let w = witnesses(reply, *other);
            let input = EarlyInput {
                probes: &probes,
                witnesses: &w,
                page: *page,
            };
            let (next, events) = early_step(&state, input, t(i as i64), &rules);
            state = next;
            all.push(events);
        }
        (state, all)
    }

    fn fail() -> (ProbeReply, Option<bool>, PageView) {
        (answered(503, 80), Some(true), PageView::Quiet)
    }

    fn ok() -> (ProbeReply, Option<bool>, PageView) {
        (answered(401, 80), Some(true), PageView::Quiet)
    }

    fn kinds(events: &[Vec<EarlyEvent>]) -> Vec<Vec<&'static str>> {
        events
            .iter()
            .map(|round| {
                round
                    .iter()
                    .map(|e| match e {
                        EarlyEvent::Suspected { .. } => "suspected",
                        EarlyEvent::Cleared { .. } => "cleared",
                        EarlyEvent::Linked { .. } => "linked",
                    })
                    .collect()
            })
            .collect()
    }

    const NONE: Vec<&str> = Vec::new();

    #[test]
    fn the_third_failing_round_raises_one_suspicion() {
        let (state, events) = run(&EarlyState::default(), &[fail(), fail(), fail(), fail()]);
        assert_eq!(kinds(&events), [NONE, NONE, vec!["suspected"], NONE]);
        let EarlyEvent::Suspected { since, evidence } = &events[2][0] else {
            panic!("{events:?}");
        };
        assert_eq!(*since, t(0), "since the first failing round");
        assert_eq!(evidence.len(), 1);
        assert_eq!(
            evidence[0].summary(),
            "api.example.com answered 503 three times"
        );
        assert_eq!(evidence[0].since, t(0));
        let susp = state.suspicion.expect("suspected");
        assert_eq!(susp.suspected_at, t(2));
        assert_eq!(susp.evidence[0].times, 4, "refreshed while suspected");
    }

    #[test]
    fn failures_count_only_when_another_origin_answered() {
        let offline = (answered(503, 80), Some(false), PageView::Quiet);
        let alone = (answered(503, 80), None, PageView::Quiet);
        let refused_alone = (failed(FailureKind::Refused), None, PageView::Quiet);
        let (state, events) = run(
            &EarlyState::default(),
            &[
                offline.clone(),
                alone.clone(),
                refused_alone.clone(),
                offline.clone(),
                alone,
            ],
        );
        assert!(events.iter().all(Vec::is_empty), "{events:?}");
        assert_eq!(state.failing_rounds, 0);
        assert_eq!(state.held, Some(Hold::NoWitness));

        // A round without a witness neither advances nor resets the count.
        let (state, events) = run(
            &EarlyState::default(),
            &[fail(), fail(), offline.clone(), refused_alone, fail()],
        );
        assert_eq!(kinds(&events), [NONE, NONE, NONE, NONE, vec!["suspected"]]);
        assert_eq!(state.suspicion.map(|s| s.since), Some(t(0)));
    }

    /// Rounds just after a wake or a network change: failures neither count nor reset the
    /// count, healthy answers count as ever.
    #[test]
    fn failures_while_the_network_settles_are_not_counted() {
        let rules = EarlyRules::default();
        let round = |state: &EarlyState, reply: ProbeReply, settling: bool, at: i64| {
            let probes = [ProbeResult {
                url: API.to_owned(),
                reply: reply.clone(),
            }];
            let mut w = witnesses(&reply, Some(true));
            if settling {
                w.settling();
            }
            let input = EarlyInput {
                probes: &probes,
                witnesses: &w,
                page: PageView::Quiet,
            };
            early_step(state, input, t(at), &rules)
        };
        let refused = || failed(FailureKind::Refused);
        let mut state = EarlyState::default();
        let mut said = Vec::new();
        // Two failing rounds before the machine slept, five while it settles, then one more.
        for (i, (reply, settling)) in [
            (answered(503, 80), false),
            (answered(503, 80), false),
            (refused(), true),
            (refused(), true),
            (refused(), true),
            (refused(), true),
            (refused(), true),
        ]
        .into_iter()
        .enumerate()
        {
            let (next, events) = round(&state, reply, settling, i as i64);
            state = next;
            said.extend(events);
        }
        assert!(said.is_empty(), "{said:?}");
        assert_eq!(state.held, Some(Hold::Settling));
        assert_eq!(state.failing_rounds, 2, "neither advanced nor reset");
        let (state, events) = round(&state, refused(), false, 7);
        assert_eq!(kinds(&[events]), [vec!["suspected"]]);
        assert_eq!(state.suspicion.map(|s| s.since), Some(t(0)));

        // A healthy answer while settling is believed: the count starts over.
        let (state, _) = round(&EarlyState::default(), answered(503, 80), false, 0);
        let (state, _) = round(&state, answered(401, 80), true, 1);
        assert_eq!((state.failing_rounds, state.held), (0, None));
    }

    #[test]
    fn an_unwitnessed_round_does_not_clear_a_suspicion_either() {
        let offline = (answered(503, 80), Some(false), PageView::Quiet);
        let (_, events) = run(
            &EarlyState::default(),
            &[fail(), fail(), fail(), ok(), offline, ok()],
        );
        assert_eq!(
            kinds(&events),
            [NONE, NONE, vec!["suspected"], NONE, NONE, vec!["cleared"]]
        );
    }

    #[test]
    fn a_healthy_probe_of_the_same_service_on_another_origin_is_a_witness() {
        let rules = EarlyRules::default();
        let web = "https://chat.example.com/";
        let mut state = EarlyState::default();
        let mut raised = Vec::new();
        for i in 0..3 {
            let probes = [
                ProbeResult {
                    url: API.to_owned(),
                    reply: answered(503, 50),
                },
                ProbeResult {
                    url: web.to_owned(),
                    reply: answered(200, 50),
                },
            ];
            let mut w = RoundWitnesses::default();
            w.note_url(API, true);
            w.note_url(web, true);
            let input = EarlyInput {
                probes: &probes,
                witnesses: &w,
                page: PageView::Quiet,
            };
            let (next, events) = early_step(&state, input, t(i), &rules);
            state = next;
            raised.extend(events);
        }
        assert_eq!(raised.len(), 1, "{raised:?}");
        let EarlyEvent::Suspected { evidence, .. } = &raised[0] else {
            panic!("{raised:?}");
        };
        assert_eq!(evidence.len(), 1, "only the failing probe is evidence");
        assert_eq!(evidence[0].url, API);
    }

    #[test]
    fn rate_limits_are_inconclusive_and_retry_after_is_honoured() {
        let bare = (answered(429, 80), Some(true), PageView::Quiet);
        let (state, events) = run(&EarlyState::default(), &[fail(), fail(), bare.clone()]);
        assert!(events.iter().all(Vec::is_empty));
        assert_eq!(state.failing_rounds, 2, "a 429 neither advances nor resets");
        assert_eq!(state.held, Some(Hold::Inconclusive));

        let (_, events) = run(&EarlyState::default(), &[fail(), fail(), bare, fail()]);
        assert_eq!(kinds(&events), [NONE, NONE, NONE, vec!["suspected"]]);

        let waiting = ProbeReply::Answered {
            status: 429,
            latency: Duration::from_millis(80),
            retry_after: Some(Duration::from_secs(600)),
            quota: None,
        };
        let (state, _) = run(
            &EarlyState::default(),
            &[(waiting, Some(true), PageView::Quiet)],
        );
        assert_eq!(state.not_before, Some(t(10)));
        let rules = EarlyRules::default();
        assert_eq!(
            next_probe_delay(&state, t(0), &rules, 0.5),
            Duration::from_secs(600)
        );
        assert_eq!(
            next_probe_delay(&state, t(20), &rules, 0.5),
            rules.interval,
            "once past, the normal interval"
        );
    }

    #[test]
    fn probes_take_at_most_half_of_a_published_quota() {
        let s = Duration::from_secs;
        let q = |limit, remaining, reset| Quota {
            limit,
            remaining,
            reset_in: s(reset),
        };
        for (quota, want, why) in [
            (
                q(60, 59, 3600),
                s(3600) / 29,
                "GitHub without a key: 29 of 59, spread over the hour",
            ),
            (
                q(60, 40, 1800),
                s(1800) / 10,
                "the user took some: fewer for us",
            ),
            (
                q(60, 30, 1800),
                s(1800),
                "our half is spent: wait for the reset",
            ),
            (q(60, 0, 600), s(600), "none left at all"),
            (
                q(61, 31, 60),
                s(60),
                "an odd limit leaves the user the larger half",
            ),
            (
                q(5000, 4999, 3600),
                s(3600) / 2499,
                "a large quota: the interval decides",
            ),
            (
                q(0, 0, 0),
                s(0),
                "a quota of nothing published: nothing to wait for",
            ),
            (q(u64::MAX, u64::MAX, 60), s(0), "beyond counting"),
        ] {
            assert_eq!(quota_pace(&quota), want, "{why}");
        }

        // The pace holds the next round back, like a Retry-After on a healthy answer.
        let rules = EarlyRules::default();
        let next_after = |quota| {
            let reply = ProbeReply::Answered {
                status: 200,
                latency: Duration::from_millis(80),
                retry_after: None,
                quota: Some(quota),
            };
            let (state, events) = run(
                &EarlyState::default(),
                &[(reply, Some(true), PageView::Quiet)],
            );
            assert!(events.iter().all(Vec::is_empty));
            next_probe_delay(&state, t(0), &rules, 0.5)
        };
        let github = next_after(q(60, 59, 3600));
        assert!(github > s(124) && github < s(125), "{github:?}");
        assert_eq!(next_after(q(5000, 4999, 3600)), rules.interval);
    }

    #[test]
    fn verdicts_of_replies() {
        let rules = EarlyRules::default();
        let mut steady = LatencyBaseline::default();
        for _ in 0..10 {
            steady.record(Duration::from_millis(300));
        }
        let mut short = LatencyBaseline::default();
        for _ in 0..3 {
            short.record(Duration::from_millis(100));
        }
        let empty = LatencyBaseline::default();
        let failing = |reason| ProbeVerdict::Failing { reason };
        let table: Vec<(ProbeReply, &LatencyBaseline, ProbeVerdict)> = vec![
            (answered(200, 300), &steady, ProbeVerdict::Healthy),
            (answered(401, 300), &steady, ProbeVerdict::Healthy),
            (answered(403, 300), &steady, ProbeVerdict::Healthy),
            (answered(404, 300), &steady, ProbeVerdict::Healthy),
            (answered(405, 300), &steady, ProbeVerdict::Healthy),
            (answered(302, 300), &steady, ProbeVerdict::Healthy),
            (answered(499, 300), &empty, ProbeVerdict::Healthy),
            (
                answered(500, 300),
                &steady,
                failing(FailReason::Status(500)),
            ),
            (
                answered(503, 300),
                &steady,
                failing(FailReason::Status(503)),
            ),
            (
                answered(520, 300),
                &steady,
                failing(FailReason::Status(520)),
            ),
            (
                answered(524, 300),
                &steady,
                failing(FailReason::Status(524)),
            ),
            (
                failed(FailureKind::Refused),
                &steady,
                failing(FailReason::NoAnswer(FailureKind::Refused)),
            ),
            (
                failed(FailureKind::Reset),
                &steady,
                failing(FailReason::NoAnswer(FailureKind::Reset)),
            ),
            (
                failed(FailureKind::Tls),
                &steady,
                failing(FailReason::NoAnswer(FailureKind::Tls)),
            ),
            (
                failed(FailureKind::Timeout),
                &steady,
                failing(FailReason::NoAnswer(FailureKind::Timeout)),
            ),
            (
                answered(429, 300),
                &steady,
                ProbeVerdict::Inconclusive {
                    reason: InconclusiveReason::RateLimited {
                        retry_after_secs: None,
                    },
                },
            ),
            // 5× the median and over 2 s: slow.
            (
                answered(200, 2_500),
                &steady,
                ProbeVerdict::Slow {
                    latency_ms: 2_500,
                    median_ms: 300,
                },
            ),
            (
                answered(404, 1_600),
                &steady,
                ProbeVerdict::Healthy, // 5× the median but under 2 s
            ),
            (answered(200, 9_000), &short, ProbeVerdict::Healthy), // too few samples to judge
            (answered(200, 9_000), &empty, ProbeVerdict::Healthy),
        ];
        for (reply, baseline, want) in table {
            assert_eq!(classify(&reply, baseline, &rules), want, "{reply:?}");
        }
        let mut fast = LatencyBaseline::default();
        for _ in 0..10 {
            fast.record(Duration::from_millis(600));
        }
        assert_eq!(
            classify(&answered(200, 2_100), &fast, &rules),
            ProbeVerdict::Healthy,
            "over 2 s but under 5× its median"
        );
    }

    #[test]
    fn the_baseline_is_the_median_of_the_last_twenty() {
        let mut b = LatencyBaseline::default();
        assert_eq!(b.median(), None);
        for ms in [100, 300, 200] {
            b.record(Duration::from_millis(ms));
        }
        assert_eq!(b.median(), Some(Duration::from_millis(200)));
        b.record(Duration::from_millis(1_000));
        assert_eq!(b.median(), Some(Duration::from_millis(250)));
        for _ in 0..20 {
            b.record(Duration::from_millis(50));
        }
        assert_eq!(b.len(), 20);
        assert_eq!(b.median(), Some(Duration::from_millis(50)));
    }

    #[test]
    fn slow_answers_alone_never_raise_a_suspicion() {
        let mut start = EarlyState::default();
        let track = start.probes.entry(API.to_owned()).or_default();
        for _ in 0..10 {
            track.baseline.record(Duration::from_millis(100));
        }
        let slow = (answered(200, 8_000), Some(true), PageView::Quiet);
        let rounds = vec![slow; 6];
        let (state, events) = run(&start, &rounds);
        assert!(events.iter().all(Vec::is_empty), "{events:?}");
        assert_eq!(state.held, Some(Hold::Slow));
        assert!(matches!(
            state.probes[API].last,
            Some(ProbeVerdict::Slow { .. })
        ));
        // Slow holds the count: failing, slow, failing, failing is still three failures.
        let slow = (answered(200, 8_000), Some(true), PageView::Quiet);
        let (_, events) = run(&start, &[fail(), slow, fail(), fail()]);
        assert_eq!(kinds(&events), [NONE, NONE, NONE, vec!["suspected"]]);
    }

    #[test]
    fn the_page_opening_while_suspected_links_with_the_earliest_acknowledgment() {
        // Suspicion since t(0) (rounds at t(0), t(1), t(2)); the page opens at round t(3).
        let cases = [
            // The first update is stamped before we saw it (we poll the page every minute).
            (Some(t(2)), t(3), t(2), 120),
            // We saw it before the stamp it gives its first update (back-dated display).
            (Some(t(5)), t(3), t(3), 180),
            // A component turned non-operational: only our sight.
            (None, t(3), t(3), 180),
            // The page's first update predates our first failure: it was first.
            (Some(t(-2)), t(3), t(-2), -120),
        ];
        for (first_update_at, first_seen_at, ack, lead) in cases {
            let open = PageView::Open {
                first_update_at,
                first_seen_at,
            };
            let (state, events) = run(
                &EarlyState::default(),
                &[
                    fail(),
                    fail(),
                    fail(),
                    (answered(503, 80), Some(true), open),
                    (answered(503, 80), Some(true), open),
                    ok(),
                    ok(),
                ],
            );
            assert_eq!(
                kinds(&events),
                [
                    NONE,
                    NONE,
                    vec!["suspected"],
                    vec!["linked"],
                    NONE,
                    NONE,
                    NONE
                ],
                "{first_update_at:?}"
            );
            assert_eq!(
                events[3][0],
                EarlyEvent::Linked {
                    since: t(0),
                    suspected_at: t(2),
                    acknowledged_at: ack,
                    lead_secs: lead,
                }
            );
            assert_eq!(state.suspicion, None);
        }
    }

    #[test]
    fn the_page_already_open_means_no_suspicion() {
        let open = PageView::Open {
            first_update_at: Some(t(-30)),
            first_seen_at: t(-30),
        };
        let failing_open = (answered(503, 80), Some(true), open);
        let rounds = vec![failing_open; 5];
        let (state, events) = run(&EarlyState::default(), &rounds);
        assert!(events.iter().all(Vec::is_empty), "{events:?}");
        assert_eq!(state.failing_streak, 5, "still failing, for the backoff");
        // The page unreadable for a round keeps what it showed last.
        let unknown = (answered(503, 80), Some(true), PageView::Unknown);
        let (_, events) = run(&state, &[unknown.clone(), unknown.clone(), unknown]);
        assert!(events.iter().all(Vec::is_empty), "{events:?}");
    }

    #[test]
    fn recovery_clears_quietly_after_the_recover_rounds() {
        let (state, events) = run(
            &EarlyState::default(),
            &[fail(), fail(), fail(), ok(), fail(), ok(), ok(), ok()],
        );
        assert_eq!(
            kinds(&events),
            [
                NONE,
                NONE,
                vec!["suspected"],
                NONE,
                NONE,
                NONE,
                vec!["cleared"],
                NONE
            ]
        );
        let EarlyEvent::Cleared {
            since,
            at,
            reason,
            evidence,
        } = &events[6][0]
        else {
            panic!("{events:?}");
        };
        assert_eq!((*since, *at), (t(0), t(6)));
        assert_eq!(*reason, ClearReason::Recovered { rounds: 2 });
        assert_eq!(evidence[0].times, 4, "what had failed, for the history");
        assert_eq!(state.suspicion, None);
    }

    #[test]
    fn a_one_round_blip_is_nothing() {
        let (state, events) = run(
            &EarlyState::default(),
            &[fail(), ok(), fail(), fail(), ok(), fail(), ok()],
        );
        assert!(events.iter().all(Vec::is_empty), "{events:?}");
        assert_eq!(state.failing_rounds, 0);
        assert!(state.probes[API].failing_since.is_none());
    }

    #[test]
    fn a_restart_mid_suspicion_raises_no_second_alarm() {
        let (state, events) = run(&EarlyState::default(), &[fail(), fail(), fail()]);
        assert_eq!(kinds(&events), [NONE, NONE, vec!["suspected"]]);
        let json = serde_json::to_string(&state).expect("serialize");
        let restored: EarlyState = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(restored, state);
        let (state, events) = run(&restored, &[fail(), fail(), fail(), ok(), ok()]);
        assert_eq!(
            kinds(&events),
            [NONE, NONE, NONE, NONE, vec!["cleared"]],
            "cleared once, never raised twice"
        );
        assert_eq!(state.suspicion, None);

        // Mid-build too: the count survives.
        let (state, _) = run(&EarlyState::default(), &[fail(), fail()]);
        let json = serde_json::to_string(&state).expect("serialize");
        let restored: EarlyState = serde_json::from_str(&json).expect("deserialize");
        let (_, events) = run(&restored, &[fail()]);
        assert_eq!(kinds(&events), [vec!["suspected"]]);
    }

    #[test]
    fn older_saved_states_load() {
        let empty: EarlyState = serde_json::from_str("{}").expect("empty object");
        assert_eq!(empty, EarlyState::default());
        let partial: EarlyState = serde_json::from_str(
            r#"{"failing_rounds":2,"suspicion":{"since":"2026-11-26T12:00:00Z","suspected_at":"2026-11-26T12:02:00Z"},"probes":{"https://x/":{"failures":1}}}"#,
        )
        .expect("fields missing");
        assert_eq!(partial.failing_rounds, 2);
        assert_eq!(partial.suspicion.map(|s| s.since), Some(t(0)));
        assert_eq!(partial.probes["https://x/"].failures, 1);
    }

    #[test]
    fn what_the_page_shows() {
        let body = br#"{"page":{"id":"p","url":"https://status.example.com","time_zone":"Etc/UTC"},
            "status":{"indicator":"none"},
            "components":[{"id":"a","name":"API","status":"operational"}],
            "incidents":[],"scheduled_maintenances":[]}"#;
        let source = crate::test_support::src("X", "https://status.example.com");
        let quiet = crate::sources::statuspage::parse_summary(&source, body).expect("parses");
        assert_eq!(page_view(&quiet, t(5)), PageView::Quiet);

        let mut component = quiet.clone();
        component.components[0].status = Status::Degraded;
        assert_eq!(
            page_view(&component, t(5)),
            PageView::Open {
                first_update_at: None,
                first_seen_at: t(5)
            }
        );

        let with_incident =
            br#"{"page":{"id":"p","time_zone":"Etc/UTC"},"status":{"indicator":"minor"},
            "components":[],"scheduled_maintenances":[],
            "incidents":[{"id":"i1","name":"Errors","status":"identified","impact":"minor",
              "created_at":"2026-11-26T12:03:00Z",
              "incident_updates":[
                {"id":"u2","status":"identified","display_at":"2026-11-26T12:04:00Z"},
                {"id":"u1","status":"investigating","display_at":"2026-11-26T12:02:00Z"}]}]}"#;
        let open =
            crate::sources::statuspage::parse_summary(&source, with_incident).expect("parses");
        assert_eq!(
            page_view(&open, t(5)),
            PageView::Open {
                first_update_at: Some(t(2)),
                first_seen_at: t(5)
            }
        );
    }

    #[test]
    fn origins_and_witnesses() {
        let o = |u: &str| Origin::of(u).expect("origin");
        assert_eq!(
            o("https://API.example.com/v1").as_str(),
            "https://api.example.com:443"
        );
        assert_eq!(o("http://127.0.0.1:8080/x"), o("http://127.0.0.1:8080/y"));
        assert_ne!(o("http://127.0.0.1:8080/"), o("http://127.0.0.1:8081/"));
        assert_ne!(o("http://example.com/"), o("https://example.com/"));
        assert!(Origin::of("not a url").is_err());

        let own: BTreeSet<Origin> = [o("http://127.0.0.1:8080/")].into();
        let mut w = RoundWitnesses::default();
        w.note(o("http://127.0.0.1:8080/"), true);
        assert_eq!(w.connectivity(&own), Connectivity::NoWitness);
        w.note(o("http://127.0.0.1:8081/"), false);
        assert_eq!(w.connectivity(&own), Connectivity::Offline);
        assert!(!w.nothing_answered(), "its own origin answered");
        w.note(o("http://127.0.0.1:8082/"), true);
        assert_eq!(w.connectivity(&own), Connectivity::Witnessed);
        w.settling();
        assert_eq!(w.connectivity(&own), Connectivity::Settling);

        let mut w = RoundWitnesses::default();
        w.note(o("http://127.0.0.1:8081/"), false);
        assert!(!w.nothing_answered(), "one origin alone proves nothing");
        w.note(o("http://127.0.0.1:8082/"), false);
        assert!(w.nothing_answered());
        w.settling();
        assert_eq!(
            w.connectivity(&own),
            Connectivity::Offline,
            "offline says more"
        );

        let s = Duration::from_secs;
        assert_eq!(settle_time(s(1)), s(30), "never under half a minute");
        assert_eq!(settle_time(s(30)), s(60), "two rounds");
        assert_eq!(settle_time(s(300)), s(600));
        // One origin both failing and answering in a round answered.
        let mut w = RoundWitnesses::default();
        w.note(o("http://127.0.0.1:8081/"), true);
        w.note(o("http://127.0.0.1:8081/"), false);
        assert_eq!(w.connectivity(&own), Connectivity::Witnessed);
    }

    #[test]
    fn the_backoff_waits_until_suspected_then_doubles_to_the_cap() {
        let rules = EarlyRules::default();
        let delay = |streak: u32, jitter: f64| {
            let state = EarlyState {
                failing_streak: streak,
                ..EarlyState::default()
            };
            next_probe_delay(&state, t(0), &rules, jitter)
        };
        let s = Duration::from_secs;
        assert_eq!(delay(0, 0.99), s(30));
        assert_eq!(delay(2, 0.99), s(30), "building: the normal interval");
        assert_eq!(delay(3, 0.5), s(60));
        assert_eq!(delay(4, 0.5), s(120));
        assert_eq!(delay(5, 0.5), s(240));
        assert_eq!(delay(6, 0.5), s(300));
        assert_eq!(delay(60, 0.5), s(300));
        assert_eq!(delay(3, 0.0), s(54));
        assert_eq!(delay(3, 1.0), s(66));
        assert_eq!(delay(60, 1.0), s(300), "never past the cap");
    }

    #[test]
    fn evidence_words() {
        let e = |reasons: Vec<FailReason>, times| Evidence {
            target: target_label("http://127.0.0.1:8080/v1/models"),
            url: String::new(),
            reasons,
            times,
            since: t(0),
        };
        assert_eq!(
            e(vec![FailReason::Status(503)], 1).summary(),
            "127.0.0.1:8080 answered 503 once"
        );
        assert_eq!(
            e(vec![FailReason::NoAnswer(FailureKind::Timeout)], 12).summary(),
            "127.0.0.1:8080 did not answer in time 12 times"
        );
        assert_eq!(
            e(
                vec![
                    FailReason::Status(502),
                    FailReason::NoAnswer(FailureKind::Refused)
                ],
                3
            )
            .summary(),
            "127.0.0.1:8080 failed three times (answered 502, refused the connection)"
        );
        assert_eq!(
            target_label("https://api.openai.com/v1/models"),
            "api.openai.com"
        );
    }
}

//! The one pure decision of a round: previous state + observation + context → the next state, its events, the pop-up and the deliveries it announces.
//!
//! Nothing here reads a clock, a random source, the network or the disk: the watcher reads
//! the clock once per turn and passes it in [`Ctx`], the ledger ("already announced?") is
//! a lookup it passes in, and randomness comes as an `Rng`. The history then saves an
//! [`Outcome`] as it is, and the outbox and the webhook queue deliver it; so what the user
//! is told never depends on whether the disk could be written.

pub mod deliveries;
mod event_parts;
pub mod events;
pub mod remind;
pub mod upcoming;

pub use deliveries::{deliveries, NewDelivery};
pub use events::WatchEvent;

use crate::alerts::{self, Announcement, Delivery, Notification};
use crate::config::ServiceConfig;
use crate::early::rules::{early_step, page_step, page_view, EarlyEvent, EarlyInput, PageView};
use crate::i18n::Catalog;
use crate::model::{EarlyRules, IncidentId, Kind, Rules, Snapshot, Status};
pub use crate::reliability::ack::Sign;
use crate::transitions::{self, Event, Observation, ServiceState};
use crate::webhooks::WebhookTarget;
use chrono::{DateTime, Utc};

/// What a decision may know besides the state and the observation: the clock as read at the
/// top of the turn, the user's words and offset, and where announcements go.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub now: DateTime<Utc>,
    /// The user's UTC offset now, for the times in the notification's words.
    pub offset: chrono::FixedOffset,
    pub catalog: &'a Catalog,
    /// When a pop-up decided now may show (pause and quiet hours).
    pub delivery: Delivery,
    /// Where announced changes are forwarded: each is queued for every target that wants
    /// it, whatever `delivery` says (quiet hours and pause are for pop-ups only).
    pub webhooks: &'a [WebhookTarget],
    /// When the user armed "tell me when it's back" for the service decided on, if they did.
    pub reminder: Option<DateTime<Utc>>,
}

/// A suspicion the page confirmed: what the window's timeline and reliability show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// What the sign was: the probes' suspicion, or a component that broke before the page
    /// posted an incident.
    pub sign: Sign,
    /// The sign's start (the suspicion's first failing round, the component's breakage).
    pub since: DateTime<Utc>,
    /// The page's first acknowledgment (its first update, or our first sight if earlier).
    pub acknowledged_at: DateTime<Utc>,
    pub lead_secs: i64,
    /// The incident it was linked to, when the page opened one.
    pub incident_id: Option<String>,
}

/// Everything one round decided for one service, to be saved in one transaction and then
/// delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub next: ServiceState,
    pub events: Vec<Event>,
    /// The page acknowledged what the probes suspected.
    pub link: Option<Link>,
    /// The one pop-up this round makes (grouped), with the ledger keys it records.
    pub notification: Option<Notification>,
    /// When that pop-up may show.
    pub delivery: Delivery,
    /// One per announcement and target that wants it.
    pub deliveries: Vec<NewDelivery>,
    /// Incidents of a previous source this read no longer shows: closed without a word.
    pub unfollowed: Vec<IncidentId>,
    /// The armed reminder this round fired (when it was armed): disarmed with the save.
    pub reminded: Option<DateTime<Utc>>,
}

/// A page read (or its failure) for `service`. `network_trouble`: this round's reads
/// mostly failed, so per-service reachability noise is left out (one offline event says it).
#[allow(clippy::too_many_arguments)]
pub fn page(
    prev: &ServiceState,
    service: &ServiceConfig,
    observation: Observation<'_>,
    network_trouble: bool,
    rules: &Rules,
    ctx: &Ctx<'_>,
    mut announced: impl FnMut(&str) -> bool,
    rng: &mut fastrand::Rng,
) -> Outcome {
    let snapshot = match observation {
        Observation::Read(s) => Some(s),
        Observation::Failed { .. } => None,
    };
    let (mut next, mut events) = transitions::step(prev, observation, ctx.now, rules);
    if network_trouble {
        events.retain(|e| {
            !matches!(
                e,
                Event::SourceUnreachable { .. }
                    | Event::SourceChangedFormat { .. }
                    | Event::SourceRecovered
            )
        });
    }
    let link = link_suspicion(&mut next, snapshot, &mut events, ctx.now)
        .or_else(|| link_component(prev, &events, ctx.now));
    if let Some(s) = snapshot {
        events.extend(upcoming::due(service, rules, s, ctx.now, &mut announced));
    }
    let mut unfollowed = Vec::new();
    if let Some(s) = snapshot {
        let shown: std::collections::BTreeSet<&IncidentId> = s
            .incidents
            .iter()
            .chain(&s.maintenances)
            .map(|i| &i.id)
            .collect();
        unfollowed = std::mem::take(&mut next.unfollowed)
            .into_iter()
            .filter(|id| !shown.contains(id))
            .collect();
    }
    Outcome {
        unfollowed,
        ..announce(service, next, events, link, ctx, announced, rng)
    }
}

/// A probe round for `service`: what the probes suspect or clear.
pub fn probes(
    prev: &ServiceState,
    service: &ServiceConfig,
    input: EarlyInput<'_>,
    rules: &EarlyRules,
    ctx: &Ctx<'_>,
    announced: impl FnMut(&str) -> bool,
    rng: &mut fastrand::Rng,
) -> Outcome {
    let (early, early_events) = early_step(&prev.early, input, ctx.now, rules);
    let events: Vec<Event> = early_events.into_iter().filter_map(probe_event).collect();
    let mut next = prev.clone();
    next.early = early;
    announce(service, next, events, None, ctx, announced, rng)
}

/// What `events` announce under the service's preferences: the grouped pop-up (its keys
/// not yet in the ledger, as `announced` says) and the webhook deliveries; and, when a
/// reminder is armed and `next` is a full recovery, the one "is back" pop-up instead.
pub fn announce(
    service: &ServiceConfig,
    next: ServiceState,
    events: Vec<Event>,
    link: Option<Link>,
    ctx: &Ctx<'_>,
    mut announced: impl FnMut(&str) -> bool,
    rng: &mut fastrand::Rng,
) -> Outcome {
    let each: Vec<Announcement> = alerts::plan_each(
        ctx.catalog,
        &service.id,
        &service.name,
        &service.prefs,
        &events,
        ctx.now,
        ctx.offset,
        &mut announced,
    );
    let own = alerts::group(ctx.catalog, &service.id, &service.name, &each);
    // Webhooks forward what the page said; the reminder is the user's own, for pop-ups.
    let deliveries = deliveries(ctx.webhooks, service, &events, &each, ctx.now, rng);
    let back = remind::back(ctx.catalog, service, &next, ctx.reminder, own, announced);
    Outcome {
        next,
        events,
        link,
        notification: back.notification,
        delivery: ctx.delivery,
        deliveries,
        unfollowed: Vec::new(),
        reminded: back.disarmed,
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
        sign: Sign::Probe,
        since,
        acknowledged_at,
        lead_secs,
        incident_id,
    })
}

/// When the page posts an incident while one of its components was already broken outside
/// any incident, that breakage was the first sign: the delay to the post is how late the
/// page admitted it. The incident is news only when it opens (not in a baseline).
fn link_component(prev: &ServiceState, events: &[Event], now: DateTime<Utc>) -> Option<Link> {
    let incident_id = events.iter().find_map(|e| match e {
        Event::IncidentOpened { incident, .. } => Some(incident.id.0.clone()),
        _ => None,
    })?;
    let since = prev
        .components
        .values()
        .filter(|c| c.status >= Status::Degraded)
        .filter_map(|c| c.since)
        .min()?;
    Some(Link {
        sign: Sign::Component,
        since,
        acknowledged_at: now,
        lead_secs: (now - since).num_seconds().max(0),
        incident_id: Some(incident_id),
    })
}

/// The probes' news as the one event stream carries it; a link only happens on page reads.
fn probe_event(e: EarlyEvent) -> Option<Event> {
    match e {
        EarlyEvent::Suspected { since, evidence } => {
            Some(Event::OutageSuspected { since, evidence })
        }
        EarlyEvent::Cleared {
            since,
            at,
            evidence,
            ..
        } => Some(Event::SuspicionCleared {
            since,
            at,
            evidence,
        }),
        EarlyEvent::Linked { .. } => None,
    }
}

#[cfg(test)]
mod tests;

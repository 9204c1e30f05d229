//! "Tell me when it's back": an armed service's next full recovery as one pop-up, whatever its preferences.
//!
//! The user arms it while the service is down or suspected; the round that finds it fully
//! recovered (no open incident, every component operational, no suspicion) says so once,
//! through the same delivery as any pop-up (quiet hours hold it, a pause drops it), even
//! when the service is muted or major-only: asking for it is the preference. That round
//! disarms it, whatever the delivery, so it is told at most once.

use crate::alerts::{Key, LedgerKey, Notification, Urgency};
use crate::config::ServiceConfig;
use crate::i18n::Catalog;
use crate::model::{Kind, Status};
use crate::transitions::ServiceState;
use chrono::{DateTime, Utc};

/// Whether a reminder may be armed for the service, and what its recovery ends: an open
/// incident, a component not operational, or the probes' suspicion. A page that cannot be
/// read says nothing either way: its last words stand.
pub fn is_down(state: &ServiceState) -> bool {
    let incident = state.open.values().any(|t| t.kind == Kind::Incident);
    let component = state
        .components
        .values()
        .any(|c| c.status >= Status::Degraded);
    incident || component || state.early.suspicion.is_some()
}

/// The ledger key of the pop-up a reminder armed at `armed_at` makes: a crash between the
/// pop-up's record and anything after it never tells it twice.
pub fn back_key(service: &ServiceConfig, armed_at: DateTime<Utc>) -> LedgerKey {
    Key::Back { armed_at }.ledger(&service.id)
}

/// What a round makes of an armed reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Back {
    /// The round's one pop-up: the "is back" one when the reminder fired (carrying the
    /// keys of what the round announced besides, so none of it is told again), else the
    /// round's own.
    pub notification: Option<Notification>,
    /// When the reminder that fired was armed: it is disarmed with the round's save.
    pub disarmed: Option<DateTime<Utc>>,
}

/// The round's pop-up given the reminder armed at `armed` and the state the round ends in:
/// untouched while the service is still down (or nothing is armed); on its recovery, one
/// "is back" pop-up that leads whatever the round announced, and the reminder disarmed.
/// `announced` is the ledger: a key already there disarms without a second pop-up.
pub fn back(
    cat: &Catalog,
    service: &ServiceConfig,
    next: &ServiceState,
    armed: Option<DateTime<Utc>>,
    own: Option<Notification>,
    mut announced: impl FnMut(&str) -> bool,
) -> Back {
    let Some(armed_at) = armed.filter(|_| !is_down(next)) else {
        return Back {
            notification: own,
            disarmed: None,
        };
    };
    let key = back_key(service, armed_at);
    if announced(&key.key) {
        return Back {
            notification: own,
            disarmed: Some(armed_at),
        };
    }
    let name = || service.name.as_str().into();
    let mut body = vec![cat.t("notify-back-body", &[])];
    let mut keys = Vec::new();
    let mut url = None;
    let mut urgency = Urgency::Normal;
    if let Some(n) = own {
        // What the round said besides follows the news the user asked for.
        body.push(n.title);
        body.extend(n.body.lines().map(str::to_owned).filter(|l| !l.is_empty()));
        keys = n.keys;
        url = n.url;
        urgency = urgency.max(n.urgency);
    }
    keys.push(key);
    Back {
        notification: Some(Notification {
            service: service.id.clone(),
            title: cat.t("notify-back-title", &[("service", name())]),
            body: body.join("\n"),
            urgency,
            url: url.or_else(|| Some(service.url.clone())),
            keys,
        }),
        disarmed: Some(armed_at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Delivery;
    use crate::config::MinImpact;
    use crate::decide::{page, Ctx};
    use crate::early::rules::Suspicion;
    use crate::history::testing::{incident, service, snapshot};
    use crate::i18n::Lang;
    use crate::model::{Phase, Rules, Snapshot};
    use crate::test_support::t;
    use crate::transitions::Observation;
    use chrono::{Offset, Utc};

    fn ctx(reminder: Option<DateTime<Utc>>, delivery: Delivery) -> Ctx<'static> {
        Ctx {
            now: t(20),
            offset: Utc.fix(),
            catalog: Catalog::get(Lang::ENGLISH),
            delivery,
            webhooks: &[],
            reminder,
        }
    }

    fn muted() -> ServiceConfig {
        let mut s = service();
        s.prefs.min_impact = MinImpact::Muted;
        s
    }

    /// The state after a read of a page with an open incident (a partial outage).
    fn down(svc: &ServiceConfig) -> ServiceState {
        let mut prev = ServiceState::default();
        for (at, snap) in [
            (t(0), snapshot(vec![])),
            (
                t(10),
                Snapshot {
                    status: Status::PartialOutage,
                    ..snapshot(vec![incident("inc-1", Phase::Investigating, 5)])
                },
            ),
        ] {
            prev = page(
                &prev,
                svc,
                Observation::Read(&snap),
                false,
                &Rules::default(),
                &Ctx {
                    now: at,
                    ..ctx(None, Delivery::Now)
                },
                |_| false,
                &mut fastrand::Rng::with_seed(1),
            )
            .next;
        }
        assert!(is_down(&prev), "{prev:#?}");
        prev
    }

    fn suspected(mut s: ServiceState) -> ServiceState {
        s.early.suspicion = Some(Suspicion {
            since: t(5),
            suspected_at: t(6),
            evidence: Vec::new(),
        });
        s
    }

    /// armed + recovered: one pop-up even when muted or major-only, held by quiet hours, the
    /// reminder disarmed; anything else leaves the reminder as it was and the mute in force.
    #[test]
    fn a_recovery_with_a_reminder_armed_tells_once_whatever_the_mute() {
        let held = Delivery::Queue { until: t(60) };
        let dropped = Delivery::Drop {
            reason: "quiet_hours",
        };
        let mut major = service();
        major.prefs.min_impact = MinImpact::Major;
        // (what, service, the page clears, the probes still suspect, armed at, delivery,
        //  the pop-up's title); it disarms exactly when there is a pop-up.
        type Row = (
            &'static str,
            ServiceConfig,
            bool,
            bool,
            Option<DateTime<Utc>>,
            Delivery,
            Option<&'static str>,
        );
        let table: Vec<Row> = vec![
            (
                "muted, armed, recovered",
                muted(),
                true,
                false,
                Some(t(12)),
                Delivery::Now,
                Some("GitHub is back"),
            ),
            (
                "major-only, armed, recovered",
                major,
                true,
                false,
                Some(t(12)),
                Delivery::Now,
                Some("GitHub is back"),
            ),
            (
                "muted, armed, still down",
                muted(),
                false,
                false,
                Some(t(12)),
                Delivery::Now,
                None,
            ),
            (
                "muted, armed, page clear but still suspected",
                muted(),
                true,
                true,
                Some(t(12)),
                Delivery::Now,
                None,
            ),
            (
                "muted, not armed, recovered",
                muted(),
                true,
                false,
                None,
                Delivery::Now,
                None,
            ),
            (
                "muted, armed, recovered in quiet hours",
                muted(),
                true,
                false,
                Some(t(12)),
                held,
                Some("GitHub is back"),
            ),
            // Recorded as dropped, as every pop-up of quiet hours in drop mode is.
            (
                "muted, armed, recovered in quiet hours that drop",
                muted(),
                true,
                false,
                Some(t(12)),
                dropped,
                Some("GitHub is back"),
            ),
        ];
        for (what, svc, recovers, still_suspected, armed, delivery, want) in table {
            let mut prev = down(&svc);
            if still_suspected {
                prev = suspected(prev);
            }
            let snap = if recovers {
                snapshot(vec![])
            } else {
                Snapshot {
                    status: Status::PartialOutage,
                    ..snapshot(vec![incident("inc-1", Phase::Identified, 5)])
                }
            };
            let out = page(
                &prev,
                &svc,
                Observation::Read(&snap),
                false,
                &Rules::default(),
                &ctx(armed, delivery),
                |_| false,
                &mut fastrand::Rng::with_seed(1),
            );
            let title = out.notification.as_ref().map(|n| n.title.as_str());
            assert_eq!(title, want, "{what}: {:#?}", out.notification);
            assert_eq!(out.reminded, want.and(armed), "{what}");
            assert_eq!(out.delivery, delivery, "{what}: the delivery of any pop-up");
            if let Some(n) = &out.notification {
                assert_eq!(n.keys.last(), Some(&back_key(&svc, t(12))), "{what}");
                assert_eq!(
                    n.url.as_deref(),
                    Some("https://www.githubstatus.com"),
                    "{what}"
                );
            }
        }
    }

    /// A service that tells its own news: the round's pop-up becomes the "is back" one, with
    /// the resolution below and both keys recorded; one key already in the ledger disarms
    /// without telling it again.
    #[test]
    fn the_back_pop_up_leads_the_rounds_own_and_is_told_once() {
        let svc = service();
        let prev = down(&svc);
        let run = |announced: &dyn Fn(&str) -> bool| {
            page(
                &prev,
                &svc,
                Observation::Read(&snapshot(vec![])),
                false,
                &Rules::default(),
                &ctx(Some(t(12)), Delivery::Now),
                announced,
                &mut fastrand::Rng::with_seed(1),
            )
        };
        let out = run(&|_| false);
        let n = out.notification.expect("one pop-up");
        assert_eq!(n.title, "GitHub is back");
        assert!(n.body.contains("resolved"), "{}", n.body);
        assert!(n.keys.len() >= 2, "{:?}", n.keys);
        let key = back_key(&svc, t(12)).key;
        let again = run(&|k: &str| k == key);
        assert_eq!(again.reminded, Some(t(12)));
        assert!(
            again
                .notification
                .is_none_or(|n| n.title != "GitHub is back"),
            "told once"
        );
    }

    /// The probes' all-clear can be the last of it: a probe round clears the suspicion of a
    /// page already clear, and that is the recovery.
    #[test]
    fn a_cleared_suspicion_is_a_recovery_too() {
        let svc = muted();
        let prev = suspected(ServiceState::default());
        assert!(is_down(&prev));
        let next = ServiceState::default();
        let got = back(
            Catalog::get(Lang::ENGLISH),
            &svc,
            &next,
            Some(t(3)),
            None,
            |_| false,
        );
        assert_eq!(got.disarmed, Some(t(3)));
        assert_eq!(
            got.notification.map(|n| n.title),
            Some("GitHub is back".to_owned())
        );
    }
}

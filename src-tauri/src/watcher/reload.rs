//! Reload: swap in a saved config without a restart; unchanged services keep their state,
//! read cache and backoff.

use super::{lock, Now, PageRead, Watched, Watcher};
use crate::config::{Config, ServiceConfig};
use crate::transitions::ServiceState;

/// Where a service of a reloaded config comes from among the running ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carry {
    /// The same page read the same way (at this old index): state, read cache and backoff carry over.
    Keep(usize),
    /// The same service read differently (at this old index): another address, format or
    /// filter may show other incidents, so it starts from a quiet baseline (see
    /// [`ServiceState::resynced`]): what the old source showed and the new one hides is
    /// closed without a "resolved", and what no pop-up told yet is told as ongoing. A cache
    /// or backoff of another address would be wrong, so those start afresh too.
    Reread(usize),
    /// New, or enabled again: its state comes from history, as at start.
    Add,
}

/// What a reload does: every enabled service of the new config in order, and the ids
/// of running services that are gone (removed or disabled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadPlan {
    pub services: Vec<(ServiceConfig, Carry)>,
    pub removed: Vec<String>,
}

/// Whether two configs of one service read the same thing the same way.
fn same_source(a: &ServiceConfig, b: &ServiceConfig) -> bool {
    a.url == b.url && a.format == b.format && a.endpoint == b.endpoint && a.filter == b.filter
}

/// Matches the running services (`old`, all enabled) with a new config's by id.
pub fn plan_reload(old: &[ServiceConfig], new: &[ServiceConfig]) -> ReloadPlan {
    let services: Vec<(ServiceConfig, Carry)> = new
        .iter()
        .filter(|s| s.enabled)
        .map(|s| {
            let carry = match old.iter().position(|o| o.id == s.id) {
                Some(i) if same_source(&old[i], s) => Carry::Keep(i),
                Some(i) => Carry::Reread(i),
                None => Carry::Add,
            };
            (s.clone(), carry)
        })
        .collect();
    let removed = old
        .iter()
        .filter(|o| !services.iter().any(|(s, _)| s.id == o.id))
        .map(|o| o.id.to_string())
        .collect();
    ReloadPlan { services, removed }
}

impl Watcher {
    /// Swaps in a new config. Unchanged services keep everything; see [`Carry`].
    pub(super) fn reload(&mut self, config: Config, now: Now) {
        let running: Vec<ServiceConfig> = self.services.iter().map(|w| w.config.clone()).collect();
        let plan = plan_reload(&running, &config.services);
        let mut old: Vec<Option<Watched>> = std::mem::take(&mut self.services)
            .into_iter()
            .map(Some)
            .collect();
        let (mut kept, mut reread, mut added) = (0, 0, 0);
        // A service enabled again finds the reminder it had.
        let reminders = lock(&self.history).reminders().unwrap_or_else(|e| {
            tracing::error!(error = %e, "cannot read the armed reminders");
            Default::default()
        });
        for (service, carry) in plan.services {
            let previous = match carry {
                Carry::Keep(i) | Carry::Reread(i) => old.get_mut(i).and_then(Option::take),
                Carry::Add => None,
            };
            let state = match (&previous, carry) {
                (Some(p), Carry::Reread(_)) => p.state.resynced(),
                (Some(p), _) => p.state.clone(),
                (None, _) => lock(&self.history)
                    .load_state(&service.id)
                    .unwrap_or_else(|e| {
                        // Unbaselined: its first read is a quiet baseline, not a burst of news.
                        tracing::error!(service = %service.name, error = %e, "cannot load stored state");
                        ServiceState::default()
                    }),
            };
            let stale_after = config.notifications.stale_after;
            let reminder = match &previous {
                Some(p) => p.reminder,
                None => reminders.get(&service.id).copied(),
            };
            let mut watched = Watched::new(service, state, reminder, stale_after, now.wall);
            match (carry, previous) {
                (Carry::Keep(_), Some(p)) => {
                    kept += 1;
                    watched.reader = p.reader.or(watched.reader);
                    watched.schedule = p.schedule;
                    watched.next_probe_at = p.next_probe_at;
                    watched.strip = p.strip;
                    // Not in the state: they come from the last snapshot.
                    watched.view = p.view;
                    watched.refresh_view(PageRead::NotRead, stale_after, now.wall);
                }
                (Carry::Reread(_), _) => reread += 1,
                _ => added += 1,
            }
            // Probes that are no longer configured lose their baselines.
            let urls: Vec<&str> = watched.config.probes.iter().map(String::as_str).collect();
            watched.state.early.retain_probes(&urls);
            self.services.push(watched);
        }
        tracing::info!(
            kept,
            reread,
            added,
            removed = ?plan.removed,
            poll_secs = config.poll_interval.as_secs(),
            "config reloaded"
        );
        self.webhooks.set_targets(config.webhooks.clone(), now.wall);
        // Settings may have switched the language: the summary published next speaks it.
        crate::i18n::init(config.language.map(|l| l.tag()));
        self.config = config;
        self.publish(now, None);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Command, Health, WatchEvent, WatcherHandle};
    use super::*;
    use crate::alerts;
    use crate::history::History;
    use crate::notifier::{self, Notifier};
    use std::sync::Arc;
    use std::time::Duration;
    use tokio::sync::broadcast;

    use crate::test_support::statuspage_service as svc;

    /// (name, new services, expected (id, carry), expected removed ids)
    type PlanCase = (
        &'static str,
        Vec<ServiceConfig>,
        Vec<(&'static str, Carry)>,
        Vec<&'static str>,
    );

    #[test]
    fn reload_plans_keep_reread_add_remove() {
        let a = svc("A", "https://a.example");
        let b = svc("B", "https://b.example");
        let c = svc("C", "https://c.example");
        let old = vec![a.clone(), b.clone(), c.clone()];
        let with = |s: &ServiceConfig, f: &dyn Fn(&mut ServiceConfig)| {
            let mut s = s.clone();
            f(&mut s);
            s
        };
        let table: Vec<PlanCase> = vec![
            (
                "nothing changed",
                old.clone(),
                vec![
                    ("a", Carry::Keep(0)),
                    ("b", Carry::Keep(1)),
                    ("c", Carry::Keep(2)),
                ],
                vec![],
            ),
            (
                "reordered, one removed, one added",
                vec![c.clone(), svc("D", "https://d.example"), a.clone()],
                vec![
                    ("c", Carry::Keep(2)),
                    ("d", Carry::Add),
                    ("a", Carry::Keep(0)),
                ],
                vec!["b"],
            ),
            (
                "disabled is removed",
                vec![a.clone(), with(&b, &|s| s.enabled = false), c.clone()],
                vec![("a", Carry::Keep(0)), ("c", Carry::Keep(2))],
                vec!["b"],
            ),
            (
                "notification prefs and name case are not the source",
                vec![
                    with(&a, &|s| {
                        s.prefs.min_impact = crate::config::MinImpact::Muted
                    }),
                    with(&b, &|s| s.name = "b".to_owned()),
                ],
                vec![("a", Carry::Keep(0)), ("b", Carry::Keep(1))],
                vec!["c"],
            ),
            (
                "url, format, endpoint or filter changed: read afresh",
                vec![
                    with(&a, &|s| s.url = "https://a2.example".to_owned()),
                    with(&b, &|s| s.format = crate::sources::Format::Incidentio),
                    with(&c, &|s| {
                        s.endpoint = Some("https://c.example/feed".to_owned())
                    }),
                    with(&svc("E", "https://e.example"), &|_| {}),
                ],
                vec![
                    ("a", Carry::Reread(0)),
                    ("b", Carry::Reread(1)),
                    ("c", Carry::Reread(2)),
                    ("e", Carry::Add),
                ],
                vec![],
            ),
            (
                "a filter change",
                vec![with(&a, &|s| s.filter.regions = vec!["eu".to_owned()])],
                vec![("a", Carry::Reread(0))],
                vec!["b", "c"],
            ),
            ("everything removed", vec![], vec![], vec!["a", "b", "c"]),
        ];
        for (name, new, want, removed) in table {
            let plan = plan_reload(&old, &new);
            let got: Vec<(&str, Carry)> = plan
                .services
                .iter()
                .map(|(s, c)| (s.id.as_str(), *c))
                .collect();
            assert_eq!(got, want, "{name}");
            assert_eq!(plan.removed, removed, "{name}");
        }
        let fresh = plan_reload(&[], &old);
        assert!(fresh.services.iter().all(|(_, c)| *c == Carry::Add));
    }

    struct Silent;
    impl Notifier for Silent {
        fn show(&self, _: &alerts::Notification) -> Result<(), notifier::NotifyError> {
            Ok(())
        }
    }

    /// A running watcher against a fake server: reload keeps, rereads, adds and removes.
    #[tokio::test]
    async fn reload_takes_effect_without_restart() {
        use outage_radar_tests::eventually;
        use outage_radar_tests::fake_server::{FakeServer, Reply};
        use outage_radar_tests::payloads::summary;

        let server = FakeServer::start().await;
        let base = server.url();
        let summary_of = |page: &str| format!("/{page}/api/v2/summary.json");
        let history_of = |page: &str| format!("/{page}/api/v2/incidents.json");
        for page in ["a", "b", "d", "d2", "c"] {
            server.set(
                &summary_of(page),
                Reply::json(summary(&format!("{base}/{page}"), &[])),
            );
        }
        let config = |services: Vec<ServiceConfig>| Config {
            // Long enough that only the first tick and the commands cause polls.
            poll_interval: Duration::from_secs(3600),
            services,
            notifications: Default::default(),
            early_warning: Default::default(),
            webhooks: Vec::new(),
            language: None,
            path: None,
        };
        let page = |name: &str, p: &str| svc(name, &format!("{base}/{p}"));
        let dir = tempfile::tempdir().expect("tempdir");
        let history = History::open(dir.path()).expect("history");
        let (watcher, handle) = Watcher::new(
            config(vec![page("A", "a"), page("B", "b"), page("D", "d")]),
            history,
            Arc::new(Silent),
        )
        .expect("watcher");
        let mut events = handle.events.subscribe();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(watcher.run(async {
            let _ = stopped.await;
        }));

        let wait = Duration::from_secs(20);
        let states = |h: &WatcherHandle| -> Vec<(String, Health)> {
            h.overview
                .borrow()
                .services
                .iter()
                .map(|v| (v.id.clone(), v.state))
                .collect()
        };
        let operational = |ids: &[&str]| -> Vec<(String, Health)> {
            ids.iter()
                .map(|id| ((*id).to_owned(), Health::Operational))
                .collect()
        };
        let want = operational(&["a", "b", "d"]);
        eventually(wait, "the first poll", || {
            (states(&handle) == want).then_some(())
        })
        .await;
        let baselines = |events: &mut broadcast::Receiver<WatchEvent>| {
            let mut ids = Vec::new();
            while let Ok(e) = events.try_recv() {
                if let WatchEvent::Baseline { about, .. } = e {
                    ids.push(about.service_id);
                }
            }
            ids.sort();
            ids
        };
        assert_eq!(baselines(&mut events), ["a", "b", "d"]);
        assert_eq!(server.hits(&history_of("a")), 1);
        let a_polls = server.hits(&summary_of("a"));
        let b_polls = server.hits(&summary_of("b"));

        // A as it was, B removed, D moved to another address, C new and E disabled.
        let mut e = page("E", "e");
        e.enabled = false;
        let reloaded = config(vec![page("C", "c"), page("A", "a"), page("D", "d2"), e]);
        handle
            .commands
            .send(Command::Reload(Box::new(reloaded.clone())))
            .await
            .expect("send");
        let want = operational(&["c", "a", "d"]);
        eventually(wait, "the forced poll after the reload", || {
            (states(&handle) == want
                && server.hits(&summary_of("a")) > a_polls
                && server.hits(&summary_of("d2")) > 0)
                .then_some(())
        })
        .await;
        assert_eq!(
            server.hits(&history_of("a")),
            1,
            "A kept its reader: history is not due again"
        );
        assert_eq!(server.hits(&history_of("d2")), 1, "D reads afresh");
        assert_eq!(
            server.hits(&summary_of("b")),
            b_polls,
            "B is no longer read"
        );
        assert_eq!(server.hits(&summary_of("e")), 0, "E is disabled");
        assert_eq!(
            baselines(&mut events),
            ["c", "d"],
            "A keeps its state; D, read elsewhere now, starts from a quiet baseline; C is new"
        );

        // B comes back with the state history kept for it: no second baseline.
        let checked = handle.overview.borrow().checked_at;
        let mut again = reloaded;
        again.services.push(page("B", "b"));
        handle
            .commands
            .send(Command::Reload(Box::new(again)))
            .await
            .expect("send");
        let want = operational(&["c", "a", "d", "b"]);
        eventually(wait, "B polled again", || {
            // Its stored state already says operational: wait for the poll to be published.
            (states(&handle) == want
                && server.hits(&summary_of("b")) > b_polls
                && handle.overview.borrow().checked_at > checked)
                .then_some(())
        })
        .await;
        assert_eq!(baselines(&mut events), Vec::<String>::new());

        let _ = stop.send(());
        running.await.expect("stops");
    }

    /// Counts the pop-ups.
    #[derive(Default)]
    struct Counting(std::sync::Mutex<Vec<String>>);
    impl Notifier for Counting {
        fn show(&self, n: &alerts::Notification) -> Result<(), notifier::NotifyError> {
            self.0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(n.title.clone());
            Ok(())
        }
    }

    /// The running loop, a source changed by a reload: the incident the new source does not
    /// show is closed in the history without a "resolved" event or pop-up.
    #[tokio::test]
    async fn a_changed_source_closes_what_it_hides_without_a_word() {
        use crate::history::{IncidentFilter, IncidentState};
        use outage_radar_tests::eventually;
        use outage_radar_tests::fake_server::{FakeServer, Reply};
        use outage_radar_tests::payloads::{summary, FakeIncident};

        let server = FakeServer::start().await;
        let base = server.url();
        let incident = FakeIncident {
            id: "inc-1",
            title: "Elevated errors",
            status: "investigating",
            impact: "major",
        };
        server.set(
            "/a/api/v2/summary.json",
            Reply::json(summary(&format!("{base}/a"), &[incident])),
        );
        server.set(
            "/b/api/v2/summary.json",
            Reply::json(summary(&format!("{base}/b"), &[])),
        );
        let config = |url: String| Config {
            poll_interval: Duration::from_secs(3600),
            services: vec![svc("A", &url)],
            notifications: Default::default(),
            early_warning: Default::default(),
            webhooks: Vec::new(),
            language: None,
            path: None,
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let popups = Arc::new(Counting::default());
        let (watcher, handle) = Watcher::new(
            config(format!("{base}/a")),
            History::open(dir.path()).expect("history"),
            Arc::clone(&popups) as Arc<dyn Notifier>,
        )
        .expect("watcher");
        let mut events = handle.events.subscribe();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let running = tokio::spawn(watcher.run(async {
            let _ = stopped.await;
        }));
        let wait = Duration::from_secs(20);
        let count = |p: &Counting| p.0.lock().unwrap_or_else(|p| p.into_inner()).len();
        eventually(wait, "the ongoing incident told", || {
            (count(&popups) == 1).then_some(())
        })
        .await;
        let open = || {
            History::open(dir.path())
                .expect("history")
                .search_incidents(
                    &IncidentFilter {
                        state: Some(IncidentState::Open),
                        ..Default::default()
                    },
                    10,
                )
                .expect("search")
                .len()
        };
        assert_eq!(open(), 1);

        handle
            .commands
            .send(Command::Reload(Box::new(config(format!("{base}/b")))))
            .await
            .expect("send");
        eventually(wait, "the new source read", || {
            (server.hits("/b/api/v2/summary.json") > 0 && open() == 0).then_some(())
        })
        .await;
        let _ = stop.send(());
        running.await.expect("stops");
        let mut kinds = Vec::new();
        while let Ok(e) = events.try_recv() {
            kinds.push(e.name());
        }
        // `notified` comes from the delivery task, so its place among the others may vary.
        kinds.sort_unstable();
        assert_eq!(
            kinds,
            ["baseline", "baseline", "notified"],
            "no incident_resolved"
        );
        assert_eq!(count(&popups), 1, "no pop-up for what was hidden");
    }
}

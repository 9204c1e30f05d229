//! The values the window offers and their defaults, taken from the engine's own types so the page never hard-codes one.

use crate::config::{MinImpact, QuietMode, Updates};
use crate::history::IncidentState;
use crate::model::Status;
use crate::watcher::Health;
use crate::webhooks::{WebhookKind, WebhookMinImpact};
use serde::Serialize;

/// One value of a list the window shows, with the id of its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// One health, in the order the window lists services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HealthChoice {
    pub value: &'static str,
    /// The id of its words.
    pub label: &'static str,
    /// The page could not be read: the window lists it among the unreadable pages.
    pub failing: bool,
    /// The page itself says something is wrong (degraded or worse): what probes' suspicion
    /// of an outage ranks just under.
    pub trouble: bool,
}

/// What a new service, webhook or quiet-hours setting starts with (a webhook's kind starts
/// on the first of its list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defaults {
    pub notify: &'static str,
    pub updates: &'static str,
    pub quiet_mode: &'static str,
    pub webhook_min_impact: &'static str,
}

/// Every list the window builds its selects and orderings from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choices {
    pub notify: Vec<Choice>,
    pub updates: Vec<Choice>,
    pub quiet_mode: Vec<Choice>,
    pub webhook_kind: Vec<Choice>,
    pub webhook_min_impact: Vec<Choice>,
    /// The incident list's state filter; the empty value keeps every state.
    pub incident_state: Vec<Choice>,
    /// Worst first.
    pub health: Vec<HealthChoice>,
    pub defaults: Defaults,
}

fn notify(v: MinImpact) -> Choice {
    let (value, label) = match v {
        MinImpact::All => ("all", "settings-notify-all"),
        MinImpact::Major => ("major", "settings-notify-major"),
        MinImpact::Muted => ("muted", "settings-notify-muted"),
    };
    Choice { value, label }
}

fn updates(v: Updates) -> Choice {
    let (value, label) = match v {
        Updates::Every => ("all", "settings-updates-all"),
        Updates::BeginEnd => ("begin_end", "settings-updates-begin-end"),
    };
    Choice { value, label }
}

fn quiet_mode(v: QuietMode) -> Choice {
    let (value, label) = match v {
        QuietMode::Queue => ("queue", "settings-quiet-queue"),
        QuietMode::Drop => ("drop", "settings-quiet-drop"),
    };
    Choice { value, label }
}

fn webhook_kind(v: WebhookKind) -> Choice {
    let label = match v {
        WebhookKind::Json => "settings-webhook-kind-json",
        WebhookKind::Slack => "settings-webhook-kind-slack",
        WebhookKind::Discord => "settings-webhook-kind-discord",
        WebhookKind::Ntfy => "settings-webhook-kind-ntfy",
        WebhookKind::Teams => "settings-webhook-kind-teams",
    };
    Choice {
        value: v.as_str(),
        label,
    }
}

fn webhook_min_impact(v: WebhookMinImpact) -> Choice {
    let (value, label) = match v {
        WebhookMinImpact::All => ("all", "settings-webhook-every-change"),
        WebhookMinImpact::Major => ("major", "settings-webhook-major-only"),
    };
    Choice { value, label }
}

fn incident_state(v: Option<IncidentState>) -> Choice {
    let (value, label) = match v {
        None => ("", "incidents-state-any"),
        Some(IncidentState::Open) => ("open", "incidents-state-open"),
        Some(IncidentState::Resolved) => ("resolved", "incidents-state-resolved"),
    };
    Choice { value, label }
}

fn health(h: Health) -> HealthChoice {
    HealthChoice {
        value: h.as_str(),
        label: h.label_id(),
        failing: h.is_failing(),
        trouble: h.status().is_some_and(|s| s >= Status::Degraded),
    }
}

impl Choices {
    pub fn new() -> Self {
        Choices {
            notify: MinImpact::ALL.into_iter().map(notify).collect(),
            updates: Updates::ALL.into_iter().map(updates).collect(),
            quiet_mode: QuietMode::ALL.into_iter().map(quiet_mode).collect(),
            // The first is what the window starts on: the chat apps are what most people
            // paste, JSON is for one's own receiver.
            webhook_kind: [
                WebhookKind::Slack,
                WebhookKind::Discord,
                WebhookKind::Teams,
                WebhookKind::Ntfy,
                WebhookKind::Json,
            ]
            .into_iter()
            .map(webhook_kind)
            .collect(),
            webhook_min_impact: WebhookMinImpact::ALL
                .into_iter()
                .map(webhook_min_impact)
                .collect(),
            incident_state: [
                None,
                Some(IncidentState::Open),
                Some(IncidentState::Resolved),
            ]
            .into_iter()
            .map(incident_state)
            .collect(),
            health: Health::WORST_FIRST.into_iter().map(health).collect(),
            defaults: Defaults {
                notify: notify(MinImpact::default()).value,
                updates: updates(Updates::default()).value,
                quiet_mode: quiet_mode(QuietMode::default()).value,
                webhook_min_impact: webhook_min_impact(WebhookMinImpact::default()).value,
            },
        }
    }
}

impl Default for Choices {
    fn default() -> Self {
        Choices::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Catalog, Lang};
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// Serde's own list of a type's names: its error for an unknown one names them all
    /// between backquotes, so a variant added to the type but not to `ALL` fails here.
    fn serde_names<T: DeserializeOwned>() -> Vec<String> {
        let err = serde_json::from_str::<T>("\"?\"")
            .err()
            .expect("no value is named ?")
            .to_string();
        let list = err
            .split("expected")
            .nth(1)
            .unwrap_or_else(|| panic!("serde's error lists the names: {err}"));
        let mut names: Vec<String> = list
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|n| *n != "closed")
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    }

    fn values(choices: &[Choice]) -> Vec<String> {
        let mut v: Vec<String> = choices.iter().map(|c| c.value.to_owned()).collect();
        v.sort();
        v
    }

    fn sorted<T: Serialize>(all: &[T]) -> Vec<String> {
        let mut v: Vec<String> = all
            .iter()
            .map(|x| {
                serde_json::to_value(x)
                    .expect("json")
                    .as_str()
                    .expect("a name")
                    .to_owned()
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_list_holds_every_value_of_its_type_by_its_serde_name() {
        let c = Choices::new();
        let want = serde_names::<MinImpact>();
        assert_eq!(values(&c.notify), want);
        assert_eq!(sorted(&MinImpact::ALL), want);
        let want = serde_names::<Updates>();
        assert_eq!(values(&c.updates), want);
        assert_eq!(sorted(&Updates::ALL), want);
        let want = serde_names::<QuietMode>();
        assert_eq!(values(&c.quiet_mode), want);
        let want = serde_names::<Health>();
        let mut health: Vec<String> = c.health.iter().map(|h| h.value.to_owned()).collect();
        health.sort();
        assert_eq!(health, want);
        assert_eq!(sorted(&Health::WORST_FIRST), want);
        let mut states = serde_names::<IncidentState>();
        states.push(String::new());
        states.sort();
        assert_eq!(values(&c.incident_state), states);
        // The webhook types parse by hand: every value parses back to itself.
        for k in &c.webhook_kind {
            assert_eq!(
                k.value.parse::<WebhookKind>().map(|k| k.as_str()),
                Ok(k.value)
            );
        }
        assert_eq!(c.webhook_kind.len(), WebhookKind::ALL.len());
        for m in &c.webhook_min_impact {
            assert!(m.value.parse::<WebhookMinImpact>().is_ok(), "{}", m.value);
        }
    }

    #[test]
    fn every_label_is_a_message_in_every_language() {
        let c = Choices::new();
        let labels = [
            &c.notify,
            &c.updates,
            &c.quiet_mode,
            &c.webhook_kind,
            &c.webhook_min_impact,
            &c.incident_state,
        ]
        .into_iter()
        .flatten()
        .map(|c| c.label)
        .chain(c.health.iter().map(|h| h.label));
        for label in labels {
            for cat in Lang::all().map(Catalog::get) {
                assert!(cat.has(label), "{label} missing in {:?}", cat.lang());
            }
        }
    }

    #[test]
    fn the_page_s_own_trouble_ranks_first() {
        let c = Choices::new();
        let first_calm = c
            .health
            .iter()
            .position(|h| !h.trouble)
            .expect("a calm health");
        assert_eq!(first_calm, 3, "major, partial, degraded");
        assert!(c.health[first_calm..].iter().all(|h| !h.trouble));
        assert_eq!(c.health.last().map(|h| h.value), Some("operational"));
    }

    #[test]
    fn defaults_are_values_of_their_lists() {
        let c = Choices::new();
        let has = |list: &[Choice], v: &str| list.iter().any(|c| c.value == v);
        assert!(has(&c.notify, c.defaults.notify));
        assert!(has(&c.updates, c.defaults.updates));
        assert!(has(&c.quiet_mode, c.defaults.quiet_mode));
        assert!(has(&c.webhook_min_impact, c.defaults.webhook_min_impact));
        assert_eq!(
            (c.defaults.notify, c.defaults.updates, c.defaults.quiet_mode),
            ("all", "all", "queue")
        );
    }
}

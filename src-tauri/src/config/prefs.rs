//! Who wants what, and when: a service's notification preferences and the quiet hours.

use serde::{Deserialize, Serialize};

/// The least a change must matter to be announced for a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinImpact {
    /// Every incident, component change and maintenance.
    #[default]
    All,
    /// Only major and critical incidents, partial and major component outages.
    Major,
    /// Nothing: the service still shows in the tray and window.
    Muted,
}

impl MinImpact {
    pub const ALL: [MinImpact; 3] = [MinImpact::All, MinImpact::Major, MinImpact::Muted];
}

/// Whether every phase change is announced, or only the beginning and the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Updates {
    #[default]
    #[serde(rename = "all")]
    Every,
    BeginEnd,
}

impl Updates {
    pub const ALL: [Updates; 2] = [Updates::Every, Updates::BeginEnd];
}

/// A service's notification preferences.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prefs {
    pub min_impact: MinImpact,
    /// Components to follow; empty follows all.
    pub components: Vec<String>,
    pub updates: Updates,
    /// `maintenance_reminder_minutes` of this service: remind this long before a scheduled
    /// maintenance starts; `Some(0)`: never, `None`: the `[notifications]` default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_reminder_minutes: Option<u32>,
}

impl Prefs {
    /// How long ahead of a scheduled maintenance this service reminds, given the global
    /// default; `None`: it does not.
    pub fn maintenance_reminder(
        &self,
        default: Option<chrono::Duration>,
    ) -> Option<chrono::Duration> {
        match self.maintenance_reminder_minutes {
            Some(0) => None,
            Some(m) => Some(chrono::Duration::minutes(i64::from(m))),
            None => default,
        }
    }
}

/// What to do with notifications during quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuietMode {
    /// Hold them and deliver when quiet hours end.
    #[default]
    Queue,
    /// Record them in history but never pop them up.
    Drop,
}

impl QuietMode {
    pub const ALL: [QuietMode; 2] = [QuietMode::Queue, QuietMode::Drop];
}

/// A daily window in local time; it may wrap midnight (22:00–07:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: chrono::NaiveTime,
    pub end: chrono::NaiveTime,
    pub mode: QuietMode,
}

//! Arming and cancelling "tell me when it's back": checked against the state, kept in the history, shown in the overview.

use super::{lock, Now, PageRead, Watcher};
use crate::decide::remind::is_down;
use crate::model::ServiceId;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What arming or cancelling did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reminder", rename_all = "snake_case")]
pub enum Reminded {
    /// Armed now.
    Armed {
        armed_at: DateTime<Utc>,
    },
    /// It was armed already, at that time: nothing changed.
    AlreadyArmed {
        armed_at: DateTime<Utc>,
    },
    Cancelled,
    /// Nothing was armed: nothing changed.
    NotArmed,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemindError {
    #[error("no watched service has the id {0}")]
    UnknownService(ServiceId),
    /// Refused: the service is not down or suspected, so there is no recovery to wait for.
    #[error("{0} is not down or suspected")]
    NotDown(ServiceId),
    #[error("the reminder cannot be saved: {0}")]
    Storage(String),
}

impl Watcher {
    /// Arms (`arm`) or cancels the reminder of `service`, in the history first: what is
    /// answered is what a restart finds.
    pub(super) fn remind(
        &mut self,
        service: &ServiceId,
        arm: bool,
        now: Now,
    ) -> Result<Reminded, RemindError> {
        let index = self
            .services
            .iter()
            .position(|w| w.config.id == *service)
            .ok_or_else(|| RemindError::UnknownService(service.clone()))?;
        let answer = if arm {
            if let Some(armed_at) = self.services[index].reminder {
                return Ok(Reminded::AlreadyArmed { armed_at });
            }
            if !is_down(&self.services[index].state) {
                return Err(RemindError::NotDown(service.clone()));
            }
            let (armed_at, already) = lock(&self.history)
                .arm_reminder(service, now.wall)
                .map_err(|e| RemindError::Storage(e.to_string()))?;
            self.services[index].reminder = Some(armed_at);
            tracing::info!(service = %service, %armed_at, "reminder armed");
            if already {
                Reminded::AlreadyArmed { armed_at }
            } else {
                Reminded::Armed { armed_at }
            }
        } else {
            let had = lock(&self.history)
                .cancel_reminder(service)
                .map_err(|e| RemindError::Storage(e.to_string()))?;
            let was = self.services[index].reminder.take().is_some();
            tracing::info!(service = %service, "reminder cancelled");
            if had || was {
                Reminded::Cancelled
            } else {
                Reminded::NotArmed
            }
        };
        let stale_after = self.config.notifications.stale_after;
        self.services[index].refresh_view(PageRead::NotRead, stale_after, now.wall);
        self.publish(now, None);
        Ok(answer)
    }
}

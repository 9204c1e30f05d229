//! What the shell, the window and the CLI ask of a running watcher, and how a turn applies it.

use super::remind::{RemindError, Reminded};
use super::{Now, Watcher};
use crate::config::Config;
use std::time::Duration;

/// What the tray's pause menu chose; the engine reads the clock to turn it into a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    For(Duration),
    /// Until 08:00 local time tomorrow.
    UntilTomorrowMorning,
    Resume,
}

#[derive(Debug)]
pub enum Command {
    /// Poll every service now (tray "Check now").
    CheckNow,
    Pause(Pause),
    /// Use this config from now on (saved from the settings window), then poll at once.
    Reload(Box<Config>),
    /// Arm (`arm`) or cancel "tell me when it's back" for a service; the answer, once it is
    /// saved, goes to `reply` when someone waits for it (the tray does not).
    Remind {
        service: crate::model::ServiceId,
        arm: bool,
        reply: Option<tokio::sync::oneshot::Sender<Result<Reminded, RemindError>>>,
    },
}

impl Watcher {
    /// Applies a command; returns `Some(true)` when it calls for a forced poll.
    pub(super) fn command(&mut self, cmd: Command, now: Now) -> Option<bool> {
        match cmd {
            Command::CheckNow => Some(true),
            Command::Pause(choice) => {
                self.set_pause(choice, now);
                None
            }
            Command::Reload(config) => {
                self.reload(*config, now);
                // Probes of new or changed services are due at once.
                Some(true)
            }
            Command::Remind {
                service,
                arm,
                reply,
            } => {
                let answer = self.remind(&service, arm, now);
                if let Some(reply) = reply {
                    let _ = reply.send(answer);
                }
                None
            }
        }
    }
}

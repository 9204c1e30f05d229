//! A headless-watcher scenario: a private D-Bus with a notification server, a scratch dir,
//! and `outage-radar watch --headless --json` started on a config in it.

use crate::dbus::{NotificationServer, PrivateBus};
use crate::process::Watcher;
use std::path::Path;

pub struct Scenario {
    _bus: PrivateBus,
    pub notes: NotificationServer,
    pub bus_address: String,
    pub dir: tempfile::TempDir,
}

impl Scenario {
    /// `None` (the test is skipped, or fails under CI) when dbus-daemon is missing.
    pub async fn start() -> Option<Self> {
        if !crate::tools_available(&["dbus-daemon"]) {
            return None;
        }
        let bus = PrivateBus::start();
        let notes = NotificationServer::start(&bus).await;
        Some(Scenario {
            bus_address: bus.address.clone(),
            _bus: bus,
            notes,
            dir: tempfile::tempdir().expect("tempdir"),
        })
    }

    /// The watcher on `config`, with its history in the scenario's `data` dir.
    pub fn watch(&self, config: &Path) -> Watcher {
        Watcher::start(config, &self.dir.path().join("data"), &self.bus_address)
    }

    /// The summaries of the notifications received so far.
    pub fn titles(&self) -> Vec<String> {
        self.notes
            .received()
            .into_iter()
            .map(|n| n.summary)
            .collect()
    }
}

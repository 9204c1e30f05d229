//! A private D-Bus session bus and a notification server on it that records every `Notify` call.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use zbus::OwnedVariant;

/// `dbus-daemon --session` of our own; killed on drop.
pub struct PrivateBus {
    child: Child,
    pub address: String,
}

impl PrivateBus {
    pub fn start() -> Self {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start dbus-daemon");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read bus address");
        let address = line.trim().to_owned();
        assert!(
            address.starts_with("unix:"),
            "unexpected bus address {address:?}"
        );
        PrivateBus { child, address }
    }
}

impl Drop for PrivateBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One notification as the daemon received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub app_name: String,
    pub summary: String,
    pub body: String,
    pub actions: Vec<String>,
    pub urgency: Option<u8>,
    /// When the server received it (to tell a crash's at-least-once repeat from a bug).
    pub at: std::time::Instant,
}

struct Server {
    received: Arc<Mutex<Vec<Received>>>,
    capabilities: Vec<String>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        actions: Vec<String>,
        hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let urgency = hints.get("urgency").and_then(|v| u8::try_from(v).ok());
        let at = std::time::Instant::now();
        let mut list = self.received.lock().expect("lock");
        list.push(Received {
            app_name,
            summary,
            body,
            actions,
            urgency,
            at,
        });
        list.len() as u32
    }

    fn get_capabilities(&self) -> Vec<String> {
        self.capabilities.clone()
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "outage-radar-test".to_owned(),
            "tests".to_owned(),
            "1".to_owned(),
            "1.2".to_owned(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}

/// Serves `org.freedesktop.Notifications` on `bus` until dropped.
pub struct NotificationServer {
    received: Arc<Mutex<Vec<Received>>>,
    _conn: zbus::Connection,
}

impl NotificationServer {
    pub async fn start(bus: &PrivateBus) -> Self {
        Self::start_with(bus, &["body", "actions"]).await
    }

    /// A server that lists `capabilities` (`body-markup`: it reads bodies as markup, as
    /// dunst, mako, Plasma and xfce do).
    pub async fn start_with(bus: &PrivateBus, capabilities: &[&str]) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let conn = zbus::connection::Builder::address(bus.address.as_str())
            .name("org.freedesktop.Notifications")
            .serve_at(
                "/org/freedesktop/Notifications",
                Server {
                    received: Arc::clone(&received),
                    capabilities: capabilities.iter().map(|c| (*c).to_owned()).collect(),
                },
            )
            .build()
            .await
            .expect("connect to the private bus");
        NotificationServer {
            received,
            _conn: conn,
        }
    }

    /// Says pop-up `id` (the `n`th received, from 1) was clicked, as a server does: the
    /// `ActionInvoked` signal with the default action, to every listener on the bus.
    pub async fn click(&self, id: u32) {
        self._conn
            .emit_signal(
                None::<()>,
                "/org/freedesktop/Notifications",
                "org.freedesktop.Notifications",
                "ActionInvoked",
                &(id, "default"),
            )
            .await
            .expect("emit ActionInvoked");
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.received.lock().expect("lock").len()
    }

    /// Waits up to `timeout` for a notification whose summary passes `wanted`.
    pub async fn wait_for(
        &self,
        timeout: std::time::Duration,
        what: &str,
        wanted: impl Fn(&str) -> bool,
    ) {
        crate::eventually(timeout, what, || {
            self.received()
                .iter()
                .any(|n| wanted(&n.summary))
                .then_some(())
        })
        .await;
    }
}

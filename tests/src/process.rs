//! Runs the app binary as a child process and reads its JSON event lines.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// `outage-radar watch --headless --json` on a config, data dir and bus of the test's.
pub struct Watcher {
    child: Child,
    lines: mpsc::UnboundedReceiver<serde_json::Value>,
    pub seen: Vec<serde_json::Value>,
}

impl Watcher {
    pub fn start(config: &Path, data_dir: &Path, bus_address: &str) -> Self {
        Self::start_with(config, data_dir, bus_address, &[], &[])
    }

    /// Like [`Watcher::start`], with more arguments for `watch` (`--metrics …`) and more
    /// environment (set after the English default, so `LANG` here wins).
    pub fn start_with(
        config: &Path,
        data_dir: &Path,
        bus_address: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let mut command = Command::new(crate::app_binary());
        crate::english(command.as_std_mut());
        for (k, v) in env {
            command.env(k, v);
        }
        command
            .args(["watch", "--headless", "--json"])
            .args(extra)
            .arg("--config")
            .arg(config)
            .arg("--data-dir")
            .arg(data_dir)
            .env("DBUS_SESSION_BUS_ADDRESS", bus_address)
            .env("OUTAGE_RADAR_LOG", "outage_radar=debug")
            .env("TZ", "UTC");
        Self::spawn(command)
    }

    /// Starts `command` (a `watch --json` of some kind) and reads its JSON lines.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start outage-radar watch");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                match serde_json::from_str(&line) {
                    Ok(v) => {
                        if tx.send(v).is_err() {
                            break;
                        }
                    }
                    Err(e) => panic!("watch --json printed a non-JSON line {line:?}: {e}"),
                }
            }
        });
        Watcher {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for the next event named `event`, keeping everything read in `seen`.
    pub async fn wait_for(&mut self, event: &str, timeout: Duration) -> serde_json::Value {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let next = tokio::time::timeout_at(deadline, self.lines.recv()).await;
            match next {
                Ok(Some(v)) => {
                    self.seen.push(v.clone());
                    if v["event"] == event {
                        return v;
                    }
                }
                Ok(None) => panic!("watcher exited before {event:?}; saw {:?}", self.seen),
                Err(_) => panic!("no {event:?} within {timeout:?}; saw {:?}", self.seen),
            }
        }
    }

    /// Reads events until `done(seen)` holds, keeping everything read in `seen`.
    pub async fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        done: impl Fn(&[serde_json::Value]) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + timeout;
        while !done(&self.seen) {
            match tokio::time::timeout_at(deadline, self.lines.recv()).await {
                Ok(Some(v)) => self.seen.push(v),
                Ok(None) => panic!("watcher exited before {what}; saw {:?}", self.seen),
                Err(_) => panic!("no {what} within {timeout:?}; saw {:?}", self.seen),
            }
        }
    }

    /// The process id (for `/proc/<pid>`), while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// Events read so far plus any already waiting.
    pub fn drain(&mut self) -> &[serde_json::Value] {
        while let Ok(v) = self.lines.try_recv() {
            self.seen.push(v);
        }
        &self.seen
    }

    /// SIGKILL: no chance to clean up, as after a crash or power cut.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("kill watcher");
    }

    /// SIGTERM and wait for a clean exit.
    pub async fn stop(mut self) {
        let pid = self.child.id().expect("running");
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("send SIGTERM");
        assert!(status.success());
        let exit = tokio::time::timeout(Duration::from_secs(15), self.child.wait())
            .await
            .expect("watcher exits after SIGTERM")
            .expect("wait");
        assert!(exit.success(), "watcher exited with {exit}");
    }
}

//! Offline replay of a real outage, served on loopback, for `outage-radar demo`.

pub mod page; // pure: the bodies served at a moment of the story
pub mod script; // pure: the story's timeline, compressed
pub mod server; // the loopback HTTP server

use script::{DemoState, Script};
use server::{Running, StoryClock};
use std::sync::Arc;
use std::time::Duration;

pub const STORY_SERVICE: &str = "OpenAI (demo)";
pub const WITNESS_SERVICE: &str = "Status CDN (demo)";
/// Page and probe cadence of the demo config: the story's minutes go by in half-seconds.
pub const DEMO_INTERVAL_SECS: u64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot listen on 127.0.0.1 for the demo: {0}")]
    Bind(#[from] std::io::Error),
}

/// The replay, being served.
#[derive(Debug)]
pub struct DemoServer {
    /// The story's status page, as a user would paste it.
    pub page_url: String,
    /// The story's API base (401 without a key when up, 503 while failing).
    pub probe_url: String,
    /// An operational page on another port: the second origin the witness rule needs.
    pub witness_url: String,
    pub script: Script,
    clock: Arc<StoryClock>,
    running: Running,
}

/// Starts the replay now, on two random loopback ports.
pub async fn start(script: Script) -> Result<DemoServer, DemoError> {
    let clock = Arc::new(StoryClock::start());
    let running = server::serve(script, Arc::clone(&clock)).await?;
    let page_url = format!("http://{}", running.story_addr);
    Ok(DemoServer {
        probe_url: format!("{page_url}{}", page::PROBE_PATH),
        page_url,
        witness_url: format!("http://{}", running.witness_addr),
        script,
        clock,
        running,
    })
}

impl DemoServer {
    /// Replay time since the start (skips included).
    pub fn elapsed(&self) -> Duration {
        self.clock.elapsed()
    }

    pub fn state(&self) -> DemoState {
        self.script.state_at(self.elapsed())
    }

    /// Whether the story is over.
    pub fn finished(&self) -> bool {
        self.elapsed() >= self.script.total()
    }

    /// Jumps ahead in the story. From then on the page's times run ahead of the wall
    /// clock: take "now" from [`DemoServer::story_now`].
    pub fn skip(&self, by: Duration) {
        self.clock.skip(by);
    }

    /// The wall time the replay started at: the page's update times are this plus each
    /// step's replay time.
    pub fn started_wall(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.started_wall()
    }

    /// The replay's "now": the wall clock, plus whatever was skipped.
    pub fn story_now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.story_now()
    }

    /// Stops both listeners and waits for them.
    pub async fn shutdown(self) {
        self.running.shutdown().await;
    }
}

/// The config file the demo runs on. `probes` and `[early_warning]` are the early-warning
/// keys; everything else is today's format.
pub fn config_toml(server: &DemoServer) -> String {
    let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
    format!(
        "# Outage Radar demo: a replay of a real API outage, served on this machine.\n\
         poll_interval_secs = {DEMO_INTERVAL_SECS}\n\
         \n\
         [[services]]\n\
         name = {story}\n\
         url = {page}\n\
         format = \"statuspage\"\n\
         probes = [{probe}]\n\
         \n\
         # Stays up: another origin answering shows this machine's network works.\n\
         [[services]]\n\
         name = {witness}\n\
         url = {witness_url}\n\
         format = \"statuspage\"\n\
         \n\
         [early_warning]\n\
         enabled = true\n\
         probe_interval_secs = {DEMO_INTERVAL_SECS}\n",
        story = q(STORY_SERVICE),
        page = q(&server.page_url),
        probe = q(&server.probe_url),
        witness = q(WITNESS_SERVICE),
        witness_url = q(&server.witness_url),
    )
}

#[cfg(test)]
mod tests;

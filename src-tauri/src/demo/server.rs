//! The demo's HTTP server on 127.0.0.1: the story's page and API on one port, a witness page on another.

use super::page::{self, Moment, PROBE_PATH};
use super::script::Script;
use crate::httpd::{Handler, Reply, Server};
use chrono::{DateTime, Utc};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::time::Instant;

/// Connections served at once per site: the demo's own client polls a few pages.
const MAX_CONNECTIONS: usize = 16;

/// Where the replay is: tokio's clock since start, plus what was skipped.
#[derive(Debug)]
pub struct StoryClock {
    started: Instant,
    started_wall: DateTime<Utc>,
    skipped: Mutex<Duration>,
}

impl StoryClock {
    pub fn start() -> Self {
        StoryClock {
            started: Instant::now(),
            started_wall: Utc::now(),
            skipped: Mutex::new(Duration::ZERO),
        }
    }

    fn skipped(&self) -> Duration {
        *self.skipped.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn elapsed(&self) -> Duration {
        self.started.elapsed() + self.skipped()
    }

    /// The wall time the replay started at: the page stamps each step at this plus the
    /// step's replay time.
    pub fn started_wall(&self) -> DateTime<Utc> {
        self.started_wall
    }

    /// The replay's own "now": the wall clock, plus whatever was skipped. Page stamps and
    /// this agree; a replay that never skips runs exactly on the wall clock.
    pub fn story_now(&self) -> DateTime<Utc> {
        self.started_wall + chrono::Duration::from_std(self.elapsed()).unwrap_or_default()
    }

    /// Moves the replay ahead, and its stamps with it: after a skip the page's times run
    /// ahead of the wall clock, so a skipping caller must take its "now" from
    /// [`StoryClock::story_now`].
    pub fn skip(&self, by: Duration) {
        let mut skipped = self.skipped.lock().unwrap_or_else(|p| p.into_inner());
        *skipped += by;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Site {
    /// The story's status page and its API.
    Story,
    /// An unrelated page that stays up: the second origin the witness rule needs.
    Witness,
}

struct Ctx {
    site: Site,
    script: Script,
    clock: Arc<StoryClock>,
    page_url: String,
}

/// Both listeners, serving until stopped.
#[derive(Debug)]
pub struct Running {
    pub story_addr: SocketAddr,
    pub witness_addr: SocketAddr,
    servers: Vec<Server>,
}

impl Running {
    /// Stops accepting, ends connections in flight, and waits for both listeners.
    pub async fn shutdown(self) {
        for server in self.servers {
            server.shutdown().await;
        }
    }
}

/// Binds two random ports on 127.0.0.1 and serves the story from `clock`.
pub async fn serve(script: Script, clock: Arc<StoryClock>) -> std::io::Result<Running> {
    let story = TcpListener::bind(("127.0.0.1", 0)).await?;
    let witness = TcpListener::bind(("127.0.0.1", 0)).await?;
    let story_addr = story.local_addr()?;
    let witness_addr = witness.local_addr()?;
    let mut servers = Vec::with_capacity(2);
    for (listener, site, addr) in [
        (story, Site::Story, story_addr),
        (witness, Site::Witness, witness_addr),
    ] {
        let ctx = Ctx {
            site,
            script,
            clock: Arc::clone(&clock),
            page_url: format!("http://{addr}"),
        };
        servers.push(Server::start(listener, Arc::new(ctx), MAX_CONNECTIONS)?);
    }
    Ok(Running {
        story_addr,
        witness_addr,
        servers,
    })
}

impl Handler for Ctx {
    fn get(&self, path: &str) -> Reply {
        let elapsed = self.clock.elapsed();
        let moment = Moment {
            script: &self.script,
            elapsed,
            started_wall: self.clock.started_wall(),
            page_url: &self.page_url,
        };
        let body = match (self.site, path) {
            (Site::Story, "/api/v2/summary.json") => page::summary(&moment),
            (Site::Story, "/api/v2/incidents.json") => page::incidents(&moment),
            (Site::Story, PROBE_PATH) => {
                let (status, body) = page::probe_answer(&self.script, elapsed);
                return Reply::json(status, body);
            }
            (Site::Witness, "/api/v2/summary.json") => page::witness_summary(&moment),
            (Site::Witness, "/api/v2/incidents.json") => page::witness_incidents(&moment),
            _ => return Reply::text(404, "not found\n"),
        };
        Reply::json(200, body.to_string().into_bytes())
    }
}

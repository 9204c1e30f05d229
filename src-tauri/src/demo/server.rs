//! The demo's HTTP server on 127.0.0.1: the story's page and API on one port, a witness page on another.

// A small HTTP/1.1 responder on tokio rather than hyper's server: it answers a handful of
// GET routes to our own client on loopback, one request per connection, and hyper with its
// `server` feature would rebuild hyper, reqwest and everything above them for that.

use super::page::{self, Moment, PROBE_PATH};
use super::script::Script;
use chrono::{DateTime, Utc};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;

/// A request head larger than this is not from our client.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// A connection that sends no complete head by then is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

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
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Running {
    /// Stops accepting, ends connections in flight, and waits for both listeners.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Also reached without `shutdown()`: the listeners must not outlive their owner.
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Binds two random ports on 127.0.0.1 and serves the story from `clock`.
pub async fn serve(script: Script, clock: Arc<StoryClock>) -> std::io::Result<Running> {
    let story = TcpListener::bind(("127.0.0.1", 0)).await?;
    let witness = TcpListener::bind(("127.0.0.1", 0)).await?;
    let story_addr = story.local_addr()?;
    let witness_addr = witness.local_addr()?;
    let (stop, stopped) = watch::channel(false);
    let tasks = [
        (story, Site::Story, story_addr),
        (witness, Site::Witness, witness_addr),
    ]
    .into_iter()
    .map(|(listener, site, addr)| {
        let ctx = Arc::new(Ctx {
            site,
            script,
            clock: Arc::clone(&clock),
            page_url: format!("http://{addr}"),
        });
        tokio::spawn(accept_loop(listener, ctx, stopped.clone()))
    })
    .collect();
    Ok(Running {
        story_addr,
        witness_addr,
        stop,
        tasks,
    })
}

async fn accept_loop(listener: TcpListener, ctx: Arc<Ctx>, mut stopped: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // Only `true` is ever sent; a dropped sender also ends the wait. Either way, stop.
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    connections.spawn(answer(stream, Arc::clone(&ctx)));
                }
                Err(e) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(error = %e, "demo server: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

struct Response {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

async fn answer(mut stream: TcpStream, ctx: Arc<Ctx>) {
    let Ok(Some(head)) = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await else {
        return;
    };
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let path = target.split('?').next().unwrap_or(target);
    let response = respond(&ctx, method, path);
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{}Connection: close\r\n\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len(),
        if response.status == 405 { "Allow: GET, HEAD\r\n" } else { "" },
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    if method != "HEAD" {
        let _ = stream.write_all(&response.body).await;
    }
    let _ = stream.shutdown().await;
}

/// Reads up to the blank line ending the request head; `None` if the peer gives up or
/// sends too much. Requests here have no body.
async fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() + n > MAX_HEAD_BYTES {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn respond(ctx: &Ctx, method: &str, path: &str) -> Response {
    if method != "GET" && method != "HEAD" {
        return text(405, "only GET and HEAD\n");
    }
    let elapsed = ctx.clock.elapsed();
    let moment = Moment {
        script: &ctx.script,
        elapsed,
        started_wall: ctx.clock.started_wall(),
        page_url: &ctx.page_url,
    };
    let body = match (ctx.site, path) {
        (Site::Story, "/api/v2/summary.json") => page::summary(&moment),
        (Site::Story, "/api/v2/incidents.json") => page::incidents(&moment),
        (Site::Story, PROBE_PATH) => {
            let (status, body) = page::probe_answer(&ctx.script, elapsed);
            return Response {
                status,
                content_type: "application/json",
                body,
            };
        }
        (Site::Witness, "/api/v2/summary.json") => page::witness_summary(&moment),
        (Site::Witness, "/api/v2/incidents.json") => page::witness_incidents(&moment),
        _ => return text(404, "not found\n"),
    };
    Response {
        status: 200,
        content_type: "application/json",
        body: body.to_string().into_bytes(),
    }
}

fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        content_type: "text/plain; charset=utf-8",
        body: body.as_bytes().to_vec(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

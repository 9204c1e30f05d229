//! A fake status server on 127.0.0.1: real HTTP/1.1, routes and bodies changed by the test.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Request bodies beyond this are cut (the fake receives webhooks, not uploads).
const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    /// Before the headers are sent.
    pub delay: Duration,
    /// Between body chunks of 64 bytes: a page that trickles.
    pub trickle: Duration,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn json(body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status: 200,
            content_type: "application/json".to_owned(),
            body: body.into(),
            delay: Duration::ZERO,
            trickle: Duration::ZERO,
            headers: Vec::new(),
        }
    }

    pub fn xml(body: impl Into<Vec<u8>>) -> Self {
        Reply {
            content_type: "application/atom+xml".to_owned(),
            ..Reply::json(body)
        }
    }

    /// A redirect to `location` (a path or a full URL).
    pub fn redirect(location: &str) -> Self {
        Reply::html(Vec::new())
            .status(302)
            .header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn trickle(mut self, every_64_bytes: Duration) -> Self {
        self.trickle = every_64_bytes;
        self
    }

    pub fn html(body: impl Into<Vec<u8>>) -> Self {
        Reply {
            content_type: "text/html; charset=utf-8".to_owned(),
            ..Reply::json(body)
        }
    }

    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
}

#[derive(Default)]
struct Shared {
    routes: HashMap<String, Reply>,
    /// Answers every path without a route (a catch-all page); 404 when `None`.
    fallback: Option<Reply>,
    hits: HashMap<String, usize>,
    /// The request heads received, per path, oldest first.
    requests: HashMap<String, Vec<String>>,
    /// The request bodies received (per `Content-Length`), per path, oldest first.
    bodies: HashMap<String, Vec<Vec<u8>>>,
    /// Requests being answered now, and the most there ever were at once.
    in_flight: usize,
    max_in_flight: usize,
    /// Bytes written back (status line, headers and bodies), over all paths.
    bytes_sent: u64,
    /// Responses sent as 304 Not Modified.
    not_modified: usize,
}

/// Serves until dropped. Unknown paths answer 404.
pub struct FakeServer {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    pub async fn start() -> Self {
        Self::start_on(0).await
    }

    /// On a given port (0: any), so a test can stop a page and bring it back at the same
    /// address.
    pub async fn start_on(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let state = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(serve(stream, Arc::clone(&state)));
            }
        });
        FakeServer { addr, shared, task }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// `http://127.0.0.1:PORT`, the page URL as a user would paste it.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.shared
            .lock()
            .expect("lock")
            .routes
            .insert(path.to_owned(), reply);
    }

    /// Answers every path that has no route of its own.
    pub fn set_fallback(&self, reply: Reply) {
        self.shared.lock().expect("lock").fallback = Some(reply);
    }

    /// The value of request header `name` (case-insensitive) in each request for `path`.
    pub fn request_headers(&self, path: &str, name: &str) -> Vec<Option<String>> {
        let s = self.shared.lock().expect("lock");
        s.requests
            .get(path)
            .map(|heads| heads.iter().map(|h| header_value(h, name)).collect())
            .unwrap_or_default()
    }

    /// The whole request heads (request line and headers) for `path`, oldest first.
    pub fn request_heads(&self, path: &str) -> Vec<String> {
        let s = self.shared.lock().expect("lock");
        s.requests.get(path).cloned().unwrap_or_default()
    }

    /// The request bodies for `path`, oldest first (empty for a request without one).
    pub fn request_bodies(&self, path: &str) -> Vec<Vec<u8>> {
        let s = self.shared.lock().expect("lock");
        s.bodies.get(path).cloned().unwrap_or_default()
    }

    /// The most requests that were being answered at the same time.
    pub fn max_concurrent(&self) -> usize {
        self.shared.lock().expect("lock").max_in_flight
    }

    /// Requests received over all paths.
    pub fn total_hits(&self) -> usize {
        self.shared.lock().expect("lock").hits.values().sum()
    }

    /// Response bytes written (status line, headers and bodies), over all paths.
    pub fn bytes_sent(&self) -> u64 {
        self.shared.lock().expect("lock").bytes_sent
    }

    /// Responses that were 304 Not Modified (a conditional request matched the `ETag`).
    pub fn not_modified(&self) -> usize {
        self.shared.lock().expect("lock").not_modified
    }

    pub fn hits(&self, path: &str) -> usize {
        self.shared
            .lock()
            .expect("lock")
            .hits
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: tokio::net::TcpStream, shared: Arc<Mutex<Shared>>) {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() > 64 * 1024 {
            return;
        }
    }
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        return;
    };
    let mut body = buf.split_off(end + 4);
    let head = String::from_utf8_lossy(&buf).into_owned();
    // Read the whole body before answering: closing a socket with unread data resets the
    // connection, and the client would see an error instead of our answer.
    let length = header_value(&head, "content-length")
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_BODY_BYTES);
    while body.len() < length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
        }
    }
    body.truncate(length);
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let reply = {
        let mut s = shared.lock().expect("lock");
        *s.hits.entry(path.clone()).or_default() += 1;
        s.requests
            .entry(path.clone())
            .or_default()
            .push(head.clone());
        s.bodies.entry(path.clone()).or_default().push(body);
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        s.routes.get(&path).cloned().or_else(|| s.fallback.clone())
    };
    let (status, sent) = answer(&mut stream, &head, reply).await;
    let mut s = shared.lock().expect("lock");
    s.in_flight -= 1;
    s.bytes_sent += sent;
    if status == 304 {
        s.not_modified += 1;
    }
}

/// Returns the status sent and how many bytes were written.
async fn answer(
    stream: &mut tokio::net::TcpStream,
    head: &str,
    reply: Option<Reply>,
) -> (u16, u64) {
    let mut reply =
        reply.unwrap_or_else(|| Reply::html("<html><body>not found</body></html>").status(404));
    // A conditional request for the body we would send gets 304, as real servers do.
    let etag = reply
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("etag"))
        .map(|(_, v)| v.clone());
    if etag.is_some() && etag == header_value(head, "if-none-match") {
        reply.status = 304;
        reply.body.clear();
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let mut sent = 0;
    if stream.write_all(head.as_bytes()).await.is_ok() {
        sent += head.len() as u64;
    }
    if reply.trickle.is_zero() {
        if stream.write_all(&reply.body).await.is_ok() {
            sent += reply.body.len() as u64;
        }
    } else {
        for piece in reply.body.chunks(64) {
            if stream.write_all(piece).await.is_err() {
                return (reply.status, sent);
            }
            sent += piece.len() as u64;
            tokio::time::sleep(reply.trickle).await;
        }
    }
    let _ = stream.shutdown().await;
    (reply.status, sent)
}

fn header_value(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|line| {
        let (k, v) = line.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}

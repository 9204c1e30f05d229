//! A minimal HTTP/1.1 server for GET and HEAD, one request per connection: the demo's pages and the metrics endpoint.

// A small tokio responder rather than hyper's server: both users answer a handful of GET
// routes on loopback, and hyper's `server` feature would rebuild hyper, reqwest and all
// above them for that.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::{JoinHandle, JoinSet};

/// A request head larger than this is not from a client we serve.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// A connection that sends no complete head by then is dropped.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            content_type,
            body: body.into(),
        }
    }

    pub fn text(status: u16, body: &str) -> Self {
        Reply::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::new(status, "application/json", body)
    }
}

/// What a server answers: the reply to a GET of `path` (the query already cut off).
pub trait Handler: Send + Sync + 'static {
    fn get(&self, path: &str) -> Reply;
}

/// A server, answering until shut down or dropped.
#[derive(Debug)]
pub struct Server {
    /// Where it listens (with the port the system chose, for port 0).
    pub addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `handler` on `listener`, at most `max_connections` at once.
    pub fn start(
        listener: TcpListener,
        handler: Arc<dyn Handler>,
        max_connections: usize,
    ) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop(listener, handler, max_connections, stopped));
        Ok(Server {
            addr,
            stop,
            task: Some(task),
        })
    }

    /// Stops accepting, ends connections in flight and waits for the listener.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Also reached without `shutdown()`: a listener must not outlive its owner.
        let _ = self.stop.send(true);
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    handler: Arc<dyn Handler>,
    max_connections: usize,
    mut stopped: watch::Receiver<bool>,
) {
    let slots = Arc::new(Semaphore::new(max_connections.max(1)));
    let mut connections = JoinSet::new();
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        tokio::select! {
            // Only `true` is ever sent; a dropped sender also ends the wait.
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let handler = Arc::clone(&handler);
                    connections.spawn(async move {
                        answer(stream, handler.as_ref()).await;
                        drop(slot);
                    });
                }
                Err(e) => {
                    // Out of file descriptors and the like: pause instead of spinning.
                    tracing::warn!(error = %e, "local HTTP server: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
        }
        while connections.try_join_next().is_some() {}
    }
    connections.shutdown().await;
}

async fn answer(mut stream: TcpStream, handler: &dyn Handler) {
    let Ok(Some(head)) = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await else {
        return;
    };
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let path = target.split('?').next().unwrap_or(target);
    let reply = match method {
        "GET" | "HEAD" => handler.get(path),
        _ => Reply::text(405, "only GET and HEAD\n"),
    };
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{}Connection: close\r\n\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
        if reply.status == 405 { "Allow: GET, HEAD\r\n" } else { "" },
    );
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    if method != "HEAD" {
        let _ = stream.write_all(&reply.body).await;
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

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    impl Handler for Echo {
        fn get(&self, path: &str) -> Reply {
            match path {
                "/hello" => Reply::text(200, "hello\n"),
                _ => Reply::text(404, "not found\n"),
            }
        }
    }

    async fn raw(addr: SocketAddr, request: &str) -> String {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut out = String::new();
        stream.read_to_string(&mut out).await.expect("read");
        out
    }

    #[tokio::test]
    async fn answers_get_and_head_refuses_other_methods_and_stops() {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind");
        let server = Server::start(listener, Arc::new(Echo), 4).expect("start");
        let addr = server.addr;
        let get = raw(addr, "GET /hello?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").await;
        assert!(get.starts_with("HTTP/1.1 200 OK\r\n"), "{get}");
        assert!(get.ends_with("\r\n\r\nhello\n"), "{get}");
        let head = raw(addr, "HEAD /hello HTTP/1.1\r\n\r\n").await;
        assert!(
            head.contains("Content-Length: 6\r\n") && head.ends_with("\r\n\r\n"),
            "{head}"
        );
        let missing = raw(addr, "GET /nope HTTP/1.1\r\n\r\n").await;
        assert!(missing.starts_with("HTTP/1.1 404 Not Found"), "{missing}");
        let post = raw(addr, "POST /hello HTTP/1.1\r\n\r\n").await;
        assert!(
            post.starts_with("HTTP/1.1 405") && post.contains("Allow: GET, HEAD\r\n"),
            "{post}"
        );
        server.shutdown().await;
        assert!(TcpStream::connect(addr).await.is_err(), "stopped listening");
    }
}

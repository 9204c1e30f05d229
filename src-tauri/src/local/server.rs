//! The engine's end of the local channel: the private endpoint, hello and requests, one task per connection.

use super::protocol::Push;
use super::protocol::{
    check_hello, read_frame, read_raw, write_frame, FrameError, IpcError, Reply, Request,
    MAX_REQUEST_BYTES, PROTOCOL_VERSION,
};
use super::service::Service;
use super::LocalError;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Connections served at once; more wait for one to end. The window holds one for its
/// subscription and opens one per command; the CLI one.
const MAX_CONNECTIONS: usize = 32;
/// A peer has this long to say hello, and then to send each request once it has begun one.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// An idle command connection is closed after this (a subscription is never idle-closed).
const IDLE_TIMEOUT: Duration = Duration::from_secs(300);

pub use super::transport::Listener;

/// Claims the engine's endpoint at `path` (see [`super::transport`]).
pub fn bind(path: &Path) -> Result<Listener, LocalError> {
    let listener = super::transport::bind(path)?;
    tracing::info!(path = %path.display(), "listening for the window and the CLI");
    Ok(listener)
}

/// Binds the socket for the engine of `data_dir` (`None`: the default one) before it
/// starts. Another engine on the same data is an error; a socket that cannot be made is
/// logged and the engine runs without one (it still polls and notifies).
pub fn listen(data_dir: Option<&Path>) -> Result<Option<Listener>, LocalError> {
    let Some(path) = super::socket_for(data_dir) else {
        return Ok(None);
    };
    match bind(&path) {
        Ok(l) => Ok(Some(l)),
        Err(e @ LocalError::AlreadyRunning(_)) => Err(e),
        Err(e) => {
            tracing::error!(error = %e, "no local socket: the window, status and check-now cannot reach this engine");
            Ok(None)
        }
    }
}

/// Accepts connections until the task is dropped.
pub async fn serve(mut listener: Listener, service: Arc<Service>) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "accepting on the local channel failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let service = Arc::clone(&service);
        tokio::spawn(async move {
            connection(stream, service).await;
            drop(slot);
        });
    }
}

/// Says why a frame is refused, logs it and (by returning) closes the connection.
async fn refuse<S>(stream: &mut S, error: IpcError)
where
    S: tokio::io::AsyncWrite + Unpin,
{
    tracing::warn!(error = %error, "refused a message on the local socket");
    let _ = write_frame(stream, &Reply::Error(error)).await;
}

fn frame_error(e: &FrameError) -> Option<IpcError> {
    match e {
        FrameError::TooLarge { .. } | FrameError::Malformed(_) => {
            Some(IpcError::Invalid(e.to_string()))
        }
        // The peer went away: nobody to tell.
        FrameError::Io(_) => None,
    }
}

/// One peer: hello, then requests until it closes, or pushes after it subscribes.
async fn connection<S>(mut stream: S, service: Arc<Service>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
{
    let hello =
        match tokio::time::timeout(HELLO_TIMEOUT, read_raw(&mut stream, MAX_REQUEST_BYTES)).await {
            Err(_) | Ok(Ok(None)) => return,
            Ok(Err(e)) => {
                if let Some(error) = frame_error(&e) {
                    refuse(&mut stream, error).await;
                }
                return;
            }
            Ok(Ok(Some(body))) => body,
        };
    match check_hello(&hello) {
        Ok(h) => tracing::debug!(client = %h.client, "local client connected"),
        Err(error) => return refuse(&mut stream, error).await,
    }
    let welcome = Reply::Welcome {
        protocol: PROTOCOL_VERSION,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    if write_frame(&mut stream, &welcome).await.is_err() {
        return;
    }
    loop {
        let next = tokio::time::timeout(
            IDLE_TIMEOUT,
            read_frame::<_, Request>(&mut stream, MAX_REQUEST_BYTES),
        )
        .await;
        let request = match next {
            Err(_) | Ok(Ok(None)) => return,
            Ok(Err(e)) => {
                if let Some(error) = frame_error(&e) {
                    refuse(&mut stream, error).await;
                }
                return;
            }
            Ok(Ok(Some(r))) => r,
        };
        if request == Request::Subscribe {
            return subscription(stream, &service).await;
        }
        let reply = match service.handle(request).await {
            Ok(value) => Reply::Ok(value),
            Err(e) => Reply::Error(e),
        };
        if write_frame(&mut stream, &reply).await.is_err() {
            return;
        }
    }
}

/// Sends the current overview, then every change and every focus request, until the peer
/// closes (read side: end of stream, or anything it sends) or the watcher stops.
async fn subscription<S>(stream: S, service: &Service)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send,
{
    use tokio::io::AsyncReadExt as _;
    let (mut rd, mut wr) = tokio::io::split(stream);
    let (mut overview, mut focus) = service.subscribe();
    let mut byte = [0u8; 1];
    loop {
        let current = overview.borrow_and_update().clone();
        let push = match serde_json::to_value(&current) {
            Ok(value) => Push::Overview(value),
            Err(e) => {
                tracing::error!(error = %e, "cannot encode the overview");
                return;
            }
        };
        if write_frame(&mut wr, &Reply::Push(push)).await.is_err() {
            return;
        }
        loop {
            tokio::select! {
                changed = overview.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    break;
                }
                asked = focus.recv() => match asked {
                    Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {
                        if write_frame(&mut wr, &Reply::Push(Push::Focus)).await.is_err() {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                _ = rd.read(&mut byte) => return,
            }
        }
    }
}

//! The engine's end of the local channel: a private socket, a same-user check per peer, one task per connection.

use super::protocol::Push;
use super::protocol::{
    check_hello, read_frame, read_raw, write_frame, FrameError, IpcError, Reply, Request,
    MAX_REQUEST_BYTES, PROTOCOL_VERSION,
};
use super::service::Service;
use super::LocalError;
use std::path::{Path, PathBuf};
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

/// A bound socket; removes its file when dropped.
#[derive(Debug)]
pub struct Listener {
    #[cfg(unix)]
    inner: std::os::unix::net::UnixListener,
    path: PathBuf,
    /// The socket file's owner, i.e. this process's user: the only peer let in.
    #[cfg(unix)]
    owner: u32,
}

impl Listener {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Binds the socket at `path`: the directory is made private, a file left by a killed run
/// is replaced, and a socket that answers means another engine runs.
#[cfg(unix)]
pub fn bind(path: &Path) -> Result<Listener, LocalError> {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    use std::os::unix::net::{UnixListener, UnixStream};
    super::prepare_dir(path)?;
    let bind_error = |source| LocalError::Bind {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::symlink_metadata(path).is_ok() {
        if UnixStream::connect(path).is_ok() {
            return Err(LocalError::AlreadyRunning(path.to_path_buf()));
        }
        tracing::info!(path = %path.display(), "replacing the socket of a run that ended");
        std::fs::remove_file(path).map_err(bind_error)?;
    }
    let inner = UnixListener::bind(path).map_err(bind_error)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(bind_error)?;
    inner.set_nonblocking(true).map_err(bind_error)?;
    let owner = std::fs::metadata(path).map_err(bind_error)?.uid();
    tracing::info!(path = %path.display(), "listening for the window and the CLI");
    Ok(Listener {
        inner,
        path: path.to_path_buf(),
        owner,
    })
}

/// Binds the socket for the engine of `data_dir` (`None`: the default one) before it
/// starts. Another engine on the same data is an error; a socket that cannot be made is
/// logged and the engine runs without one (it still polls and notifies).
pub fn listen(data_dir: Option<&Path>) -> Result<Option<Listener>, LocalError> {
    let Some(dir) = data_dir
        .map(Path::to_path_buf)
        .or_else(crate::config::default_data_dir)
    else {
        return Ok(None);
    };
    match bind(&super::socket_path(&dir, data_dir.is_some())) {
        Ok(l) => Ok(Some(l)),
        Err(e @ LocalError::AlreadyRunning(_)) => Err(e),
        Err(e) => {
            tracing::error!(error = %e, "no local socket: the window, status and check-now cannot reach this engine");
            Ok(None)
        }
    }
}

#[cfg(not(unix))]
pub fn bind(_path: &Path) -> Result<Listener, LocalError> {
    Err(LocalError::Unsupported)
}

/// Accepts connections until the task is dropped.
#[cfg(unix)]
pub async fn serve(listener: Listener, service: Arc<Service>) {
    let socket = match listener
        .inner
        .try_clone()
        .map(tokio::net::UnixListener::from_std)
    {
        Ok(Ok(s)) => s,
        Ok(Err(e)) | Err(e) => {
            tracing::error!(error = %e, "cannot serve the local socket");
            return;
        }
    };
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match socket.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "accepting on the local socket failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        match stream.peer_cred() {
            Ok(cred) if cred.uid() == listener.owner => {}
            Ok(cred) => {
                tracing::warn!(uid = cred.uid(), "refused a connection from another user");
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "refused a connection whose user is unknown");
                continue;
            }
        }
        let service = Arc::clone(&service);
        tokio::spawn(async move {
            connection(stream, service).await;
            drop(slot);
        });
    }
}

#[cfg(not(unix))]
pub async fn serve(_listener: Listener, _service: Arc<Service>) {}

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

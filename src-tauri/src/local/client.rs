//! The window's and the CLI's end of the local channel: connect, say hello, ask, or subscribe.

use super::protocol::{
    read_frame, write_frame, FrameError, Hello, IpcError, Push, Reply, Request, MAX_REPLY_BYTES,
    PROTOCOL_VERSION,
};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("Outage Radar is not running (nothing answers at {0}); start it first")]
    NotRunning(PathBuf),
    #[error("the local connection to Outage Radar failed: {0}")]
    Frame(#[from] FrameError),
    #[error("Outage Radar closed the connection")]
    Closed,
    #[error("Outage Radar answered something unexpected: {0}")]
    Unexpected(String),
    #[error("{0}")]
    Remote(IpcError),
    #[error("this system has no local channel to the app (Unix sockets only so far)")]
    Unsupported,
}

impl ClientError {
    /// The error as the window shows it.
    pub fn into_ipc(self) -> IpcError {
        match self {
            ClientError::Remote(e) => e,
            other => IpcError::Unavailable(other.to_string()),
        }
    }
}

#[cfg(unix)]
type Stream = tokio::net::UnixStream;

/// One open, greeted connection.
#[derive(Debug)]
pub struct Connection {
    #[cfg(unix)]
    stream: Stream,
}

/// Connects to the engine at `path` and says hello as `client`.
#[cfg(unix)]
pub async fn connect(path: &Path, client: &str) -> Result<Connection, ClientError> {
    use std::io::ErrorKind;
    let mut stream = match Stream::connect(path).await {
        Ok(s) => s,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) => {
            return Err(ClientError::NotRunning(path.to_path_buf()))
        }
        Err(e) => return Err(ClientError::Frame(FrameError::Io(e))),
    };
    let hello = Hello {
        protocol: PROTOCOL_VERSION,
        client: client.to_owned(),
    };
    write_frame(&mut stream, &hello).await?;
    match read_frame::<_, Reply>(&mut stream, MAX_REPLY_BYTES).await? {
        Some(Reply::Welcome { protocol, .. }) if protocol == PROTOCOL_VERSION => {
            Ok(Connection { stream })
        }
        Some(Reply::Welcome { protocol, .. }) => Err(ClientError::Remote(
            super::protocol::version_error(u64::from(PROTOCOL_VERSION), protocol),
        )),
        Some(Reply::Error(e)) => Err(ClientError::Remote(e)),
        Some(other) => Err(ClientError::Unexpected(format!("{other:?}"))),
        None => Err(ClientError::Closed),
    }
}

#[cfg(not(unix))]
pub async fn connect(_path: &Path, _client: &str) -> Result<Connection, ClientError> {
    Err(ClientError::Unsupported)
}

/// Connects, asks once and closes: what the window does for each command.
pub async fn ask(
    path: &Path,
    client: &str,
    request: &Request,
) -> Result<serde_json::Value, ClientError> {
    connect(path, client).await?.call(request).await
}

impl Connection {
    /// Sends one request and reads its reply.
    #[cfg(unix)]
    pub async fn call(&mut self, request: &Request) -> Result<serde_json::Value, ClientError> {
        write_frame(&mut self.stream, request).await?;
        match read_frame::<_, Reply>(&mut self.stream, MAX_REPLY_BYTES).await? {
            Some(Reply::Ok(value)) => Ok(value),
            Some(Reply::Error(e)) => Err(ClientError::Remote(e)),
            Some(other) => Err(ClientError::Unexpected(format!("{other:?}"))),
            None => Err(ClientError::Closed),
        }
    }

    #[cfg(not(unix))]
    pub async fn call(&mut self, _request: &Request) -> Result<serde_json::Value, ClientError> {
        Err(ClientError::Unsupported)
    }

    /// [`Connection::call`], read as `T`.
    pub async fn call_as<T: DeserializeOwned>(
        &mut self,
        request: &Request,
    ) -> Result<T, ClientError> {
        let value = self.call(request).await?;
        serde_json::from_value(value).map_err(|e| ClientError::Unexpected(e.to_string()))
    }

    /// Turns the connection into a subscription: the overview now and on every change.
    #[cfg(unix)]
    pub async fn subscribe(mut self) -> Result<Subscription, ClientError> {
        write_frame(&mut self.stream, &Request::Subscribe).await?;
        Ok(Subscription { conn: self })
    }
}

#[cfg(not(unix))]
impl Connection {
    pub async fn subscribe(self) -> Result<Subscription, ClientError> {
        Err(ClientError::Unsupported)
    }
}

/// The pushes of a subscribed connection.
#[derive(Debug)]
pub struct Subscription {
    conn: Connection,
}

impl Subscription {
    /// The next push; `None` when the engine went away.
    #[cfg(unix)]
    pub async fn next(&mut self) -> Result<Option<Push>, ClientError> {
        match read_frame::<_, Reply>(&mut self.conn.stream, MAX_REPLY_BYTES).await? {
            Some(Reply::Push(p)) => Ok(Some(p)),
            Some(Reply::Error(e)) => Err(ClientError::Remote(e)),
            Some(other) => Err(ClientError::Unexpected(format!("{other:?}"))),
            None => Ok(None),
        }
    }
}

#[cfg(not(unix))]
impl Subscription {
    pub async fn next(&mut self) -> Result<Option<Push>, ClientError> {
        let _ = &self.conn;
        Err(ClientError::Unsupported)
    }
}

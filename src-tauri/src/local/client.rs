//! The window's and the CLI's end of the local channel: connect, say hello, ask, or subscribe.

use super::protocol::{
    read_frame, write_frame, FrameError, Hello, IpcError, Push, Reply, Request, MAX_REPLY_BYTES,
    PROTOCOL_VERSION,
};
use super::transport::{self, ClientStream};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The endpoint, as [`transport::describe`] names it.
    #[error("Outage Radar is not running (nothing answers at {0}); start it first")]
    NotRunning(String),
    #[error("the local connection to Outage Radar failed: {0}")]
    Frame(#[from] FrameError),
    #[error("Outage Radar closed the connection")]
    Closed,
    #[error("Outage Radar answered something unexpected: {0}")]
    Unexpected(String),
    #[error("{0}")]
    Remote(IpcError),
    #[error("Outage Radar did not answer within {} s", .0.as_secs())]
    Timeout(Duration),
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

/// How long connecting and the hello may take: a stuck engine must not hang the CLI, the
/// window or a second start.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one request may take (a check now waits for the round it starts).
const CALL_TIMEOUT: Duration = Duration::from_secs(90);

/// One open, greeted connection.
#[derive(Debug)]
pub struct Connection {
    stream: ClientStream,
}

/// `future`, or [`ClientError::Timeout`] after `limit`.
async fn within<T>(
    limit: Duration,
    future: impl std::future::Future<Output = Result<T, ClientError>>,
) -> Result<T, ClientError> {
    tokio::time::timeout(limit, future)
        .await
        .unwrap_or(Err(ClientError::Timeout(limit)))
}

/// Connects to the engine at `path` and says hello as `client`.
pub async fn connect(path: &Path, client: &str) -> Result<Connection, ClientError> {
    within(CONNECT_TIMEOUT, greet(path, client)).await
}

async fn greet(path: &Path, client: &str) -> Result<Connection, ClientError> {
    use std::io::ErrorKind;
    let mut stream = match transport::connect(path).await {
        Ok(s) => s,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::ConnectionRefused) => {
            return Err(ClientError::NotRunning(transport::describe(path)))
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
    pub async fn call(&mut self, request: &Request) -> Result<serde_json::Value, ClientError> {
        within(CALL_TIMEOUT, async {
            write_frame(&mut self.stream, request).await?;
            match read_frame::<_, Reply>(&mut self.stream, MAX_REPLY_BYTES).await? {
                Some(Reply::Ok(value)) => Ok(value),
                Some(Reply::Error(e)) => Err(ClientError::Remote(e)),
                Some(other) => Err(ClientError::Unexpected(format!("{other:?}"))),
                None => Err(ClientError::Closed),
            }
        })
        .await
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
    pub async fn subscribe(mut self) -> Result<Subscription, ClientError> {
        write_frame(&mut self.stream, &Request::Subscribe).await?;
        Ok(Subscription { conn: self })
    }
}

/// The pushes of a subscribed connection.
#[derive(Debug)]
pub struct Subscription {
    conn: Connection,
}

impl Subscription {
    /// The next push; `None` when the engine went away. Pushes come when something changes,
    /// so there is no time limit here.
    pub async fn next(&mut self) -> Result<Option<Push>, ClientError> {
        match read_frame::<_, Reply>(&mut self.conn.stream, MAX_REPLY_BYTES).await? {
            Some(Reply::Push(p)) => Ok(Some(p)),
            Some(Reply::Error(e)) => Err(ClientError::Remote(e)),
            Some(other) => Err(ClientError::Unexpected(format!("{other:?}"))),
            None => Ok(None),
        }
    }
}

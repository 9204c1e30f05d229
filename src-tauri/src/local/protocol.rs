//! The local channel's wire format: a versioned hello, one request per command, replies and pushes in length-prefixed JSON frames.
//!
//! A frame is a 4-byte big-endian length followed by that many bytes of JSON. The client
//! opens with [`Hello`]; the server answers [`Reply::Welcome`] or, for a peer of another
//! [`PROTOCOL_VERSION`], [`Reply::Error`] of kind `version` and closes. Then each
//! [`Request`] gets one [`Reply`], except [`Request::Subscribe`], after which the server
//! only sends [`Reply::Push`] frames until either side goes away. The `protocol` field of
//! the hello is the one thing every future version keeps, so an old server can always say
//! why it refuses a newer client.

use crate::history::IncidentFilter;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Bumped whenever a request, reply or push changes shape.
pub const PROTOCOL_VERSION: u32 = 1;

/// Largest frame the server reads: a Settings save with hundreds of services is far below.
pub const MAX_REQUEST_BYTES: u32 = 1024 * 1024;
/// Largest frame a client reads: an overview or 200 incidents with their text.
pub const MAX_REPLY_BYTES: u32 = 16 * 1024 * 1024;

/// The first frame from a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    pub protocol: u32,
    /// Who connects ("window", "cli"), for the log.
    pub client: String,
}

/// Declares [`Request`] from one table, the only list of the engine's commands: each
/// variant's wire name is written once (as its serde name), with whether the window may
/// send it. The shell's one `engine` command, its capability and `ui/api.js` follow from it.
macro_rules! requests {
    ($(
        $(#[$meta:meta])*
        $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = ($name:literal, window: $window:literal);
    )*) => {
        /// One variant per command the window (or the CLI) can ask of the engine.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "command", content = "args")]
        pub enum Request {
            $(
                $(#[$meta])*
                #[serde(rename = $name)]
                $variant $({ $($field: $ty),* })?,
            )*
        }

        impl Request {
            /// Every command's wire name, and whether the window may send it.
            pub const TABLE: &'static [(&'static str, bool)] = &[$(($name, $window)),*];

            pub fn name(&self) -> &'static str {
                match self {
                    $(Request::$variant { .. } => $name,)*
                }
            }

            /// False for what only the engine's own processes ask (the window subscribes
            /// through its shell, never through a page's call).
            pub fn window_may_send(&self) -> bool {
                match self {
                    $(Request::$variant { .. } => $window,)*
                }
            }
        }
    };
}

requests! {
    GetOverview = ("get_overview", window: true);
    CheckNow = ("check_now", window: true);
    ListIncidents { filter: IncidentFilter } = ("list_incidents", window: true);
    GetTimeline { service_id: String, incident_id: String } = ("get_timeline", window: true);
    GetReliability = ("get_reliability", window: true);
    GetSettings = ("get_settings", window: true);
    /// `settings` as the window wrote them: a webhook's new URL and secret travel only this
    /// way (the engine's own types never serialize them).
    SaveSettings { settings: serde_json::Value } = ("save_settings", window: true);
    DetectUrl { url: String } = ("detect_url", window: true);
    GetCatalog = ("get_catalog", window: true);
    SetLaunchAtLogin { enabled: bool } = ("set_launch_at_login", window: true);
    /// Settings' **Send test** for one webhook entry, as the window wrote it.
    SendTestWebhook { webhook: serde_json::Value } = ("send_test_webhook", window: true);
    /// The words of the language in force and the values the window offers, for the window.
    GetMessages = ("get_messages", window: true);
    /// Whether there is a tray, and whether to show the message about it.
    GetShell = ("get_shell", window: true);
    /// The user closed the no-tray message: never show it again.
    DismissNoTray = ("dismiss_no_tray", window: true);
    /// "Tell me when it's back": one pop-up at the service's next full recovery, whatever
    /// its preferences. `service_id`: its id or name, any case; refused unless it is down
    /// or suspected.
    Remind { service_id: String } = ("remind", window: true);
    CancelReminder { service_id: String } = ("cancel_reminder", window: true);
    /// Open the window (or bring it forward): the app was started again from the menu.
    OpenWindow = ("open_window", window: false);
    /// From now on the server sends the overview on every change (first the current one)
    /// and asks the window to come forward when the user opens it again.
    Subscribe = ("subscribe", window: false);
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Welcome {
        protocol: u32,
        /// The app's version, for the log.
        version: String,
    },
    /// The command's result, as the window receives it.
    Ok(serde_json::Value),
    Error(IpcError),
    Push(Push),
}

/// What a subscription receives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "push", content = "data", rename_all = "snake_case")]
pub enum Push {
    /// The whole [`crate::watcher::Overview`].
    Overview(serde_json::Value),
    /// The user asked to open the window while it is open: bring it to the front.
    Focus,
}

/// A command's failure, as both the window and the CLI see it: `{kind, message}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "kind", content = "message", rename_all = "snake_case")]
pub enum IpcError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Storage(String),
    /// The peer speaks another protocol version.
    #[error("{0}")]
    Version(String),
}

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("the connection failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("a frame of {len} bytes is over the limit of {max}")]
    TooLarge { len: u32, max: u32 },
    #[error("a frame is not a valid message: {0}")]
    Malformed(#[from] serde_json::Error),
}

/// Writes one frame.
pub async fn write_frame<W: AsyncWrite + Unpin>(
    w: &mut W,
    message: &impl Serialize,
) -> Result<(), FrameError> {
    let body = serde_json::to_vec(message)?;
    let len = u32::try_from(body.len()).map_err(|_| FrameError::TooLarge {
        len: u32::MAX,
        max: u32::MAX,
    })?;
    let mut frame = Vec::with_capacity(body.len() + 4);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(&body);
    w.write_all(&frame).await?;
    w.flush().await?;
    Ok(())
}

/// Reads one frame's bytes; `None` when the peer closed between frames. A length over `max`
/// is refused before anything of the body is read.
pub async fn read_raw<R: AsyncRead + Unpin>(
    r: &mut R,
    max: u32,
) -> Result<Option<Vec<u8>>, FrameError> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len).await {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.into()),
    }
    let len = u32::from_be_bytes(len);
    if len > max {
        return Err(FrameError::TooLarge { len, max });
    }
    let mut body = vec![0; len as usize];
    r.read_exact(&mut body).await?;
    Ok(Some(body))
}

/// Reads and parses one frame; `None` when the peer closed between frames.
pub async fn read_frame<R: AsyncRead + Unpin, T: DeserializeOwned>(
    r: &mut R,
    max: u32,
) -> Result<Option<T>, FrameError> {
    match read_raw(r, max).await? {
        Some(body) => Ok(Some(serde_json::from_slice(&body)?)),
        None => Ok(None),
    }
}

/// The server's check of a hello, lenient in shape so a client of any version learns why
/// it is refused: only `protocol` is read before the version is known to match.
pub fn check_hello(body: &[u8]) -> Result<Hello, IpcError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| IpcError::Invalid(format!("the hello is not JSON: {e}")))?;
    let Some(theirs) = value.get("protocol").and_then(serde_json::Value::as_u64) else {
        return Err(IpcError::Invalid(
            "the first message must be a hello with a protocol version".to_owned(),
        ));
    };
    if theirs != u64::from(PROTOCOL_VERSION) {
        return Err(version_error(theirs, PROTOCOL_VERSION));
    }
    serde_json::from_value(value).map_err(|e| IpcError::Invalid(format!("bad hello: {e}")))
}

/// The error both sides give when the versions differ.
pub fn version_error(client: u64, server: u32) -> IpcError {
    IpcError::Version(format!(
        "protocol version mismatch: the running Outage Radar speaks version {server}, this \
         program speaks version {client}; quit Outage Radar and start it again so both are \
         the same version"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_round_trip_and_stop_cleanly_at_eof() {
        let (mut a, mut b) = tokio::io::duplex(64 * 1024);
        let sent = Request::GetTimeline {
            service_id: "openai".into(),
            incident_id: "x1".into(),
        };
        write_frame(&mut a, &sent).await.expect("write");
        drop(a);
        let got: Option<Request> = read_frame(&mut b, MAX_REQUEST_BYTES).await.expect("read");
        assert_eq!(got, Some(sent));
        let end: Option<Request> = read_frame(&mut b, MAX_REQUEST_BYTES).await.expect("eof");
        assert_eq!(end, None);
    }

    #[tokio::test]
    async fn an_oversized_length_is_refused_before_the_body() {
        let (mut a, mut b) = tokio::io::duplex(64);
        a.write_all(&(MAX_REQUEST_BYTES + 1).to_be_bytes())
            .await
            .expect("write");
        let got = read_raw(&mut b, MAX_REQUEST_BYTES).await;
        assert!(
            matches!(got, Err(FrameError::TooLarge { len, .. }) if len == MAX_REQUEST_BYTES + 1),
            "{got:?}"
        );
    }

    #[tokio::test]
    async fn malformed_json_is_an_error_not_a_panic() {
        let (mut a, mut b) = tokio::io::duplex(64);
        a.write_all(&3u32.to_be_bytes()).await.expect("len");
        a.write_all(b"{x}").await.expect("body");
        let got: Result<Option<Request>, _> = read_frame(&mut b, MAX_REQUEST_BYTES).await;
        assert!(matches!(got, Err(FrameError::Malformed(_))), "{got:?}");
    }

    #[test]
    fn hellos_are_checked_by_version_first() {
        let table: &[(&str, Option<&str>)] = &[
            (r#"{"protocol":1,"client":"cli"}"#, None),
            (
                r#"{"protocol":2,"client":"cli","new":true}"#,
                Some("version"),
            ),
            (r#"{"protocol":0}"#, Some("version")),
            (r#"{"client":"cli"}"#, Some("invalid")),
            (r#"{"protocol":1}"#, Some("invalid")),
            ("not json", Some("invalid")),
        ];
        for (body, want) in table {
            let got = check_hello(body.as_bytes()).err().map(|e| {
                serde_json::to_value(e).expect("json")["kind"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            });
            assert_eq!(got.as_deref(), *want, "{body}");
        }
    }

    #[test]
    fn wire_shapes_are_stable() {
        let table = [
            (
                serde_json::to_value(Request::GetOverview).expect("json"),
                serde_json::json!({"command": "get_overview"}),
            ),
            (
                serde_json::to_value(Request::DetectUrl { url: "u".into() }).expect("json"),
                serde_json::json!({"command": "detect_url", "args": {"url": "u"}}),
            ),
            (
                serde_json::to_value(Reply::Error(IpcError::NotFound("n".into()))).expect("json"),
                serde_json::json!({"error": {"kind": "not_found", "message": "n"}}),
            ),
            (
                serde_json::to_value(Reply::Push(Push::Focus)).expect("json"),
                serde_json::json!({"push": {"push": "focus"}}),
            ),
        ];
        for (got, want) in table {
            assert_eq!(got, want);
        }
    }
}

//! One listener for every pop-up's click (Linux and the BSDs): a thread with its own session-bus connection that follows the notification server's signals, instead of a thread per pop-up.
//!
//! The server broadcasts `ActionInvoked` and `NotificationClosed`; the pop-ups with a link
//! are remembered by id until one of them comes, or a day has passed (some servers never
//! say that a pop-up closed).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

const NOTIFICATIONS: &str = "org.freedesktop.Notifications";
/// A link is forgotten after this, clicked or not.
const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

/// Pop-up id → its link, and when it was shown.
fn links() -> MutexGuard<'static, HashMap<u32, (String, Instant)>> {
    static LINKS: OnceLock<Mutex<HashMap<u32, (String, Instant)>>> = OnceLock::new();
    LINKS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner())
}

/// Starts the listener once per process; later calls do nothing.
pub fn start() {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let spawned = std::thread::Builder::new()
            .name("notification-clicks".to_owned())
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build();
                match runtime.map(|rt| rt.block_on(listen())) {
                    Ok(Ok(())) => tracing::debug!("the notification server went away"),
                    Ok(Err(e)) => tracing::warn!(error = %e, "cannot follow notification clicks"),
                    Err(e) => tracing::warn!(error = %e, "cannot follow notification clicks"),
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot follow notification clicks");
        }
    });
}

/// Opens `url` when pop-up `id` is clicked.
pub fn follow(id: u32, url: String) {
    start();
    let mut links = links();
    let now = Instant::now();
    links.retain(|_, (_, shown)| now.duration_since(*shown) < KEEP);
    links.insert(id, (url, now));
}

/// What one of the server's signals means for the followed pop-ups: the link to open, if any.
fn on_signal(member: &str, id: u32, action: Option<&str>) -> Option<String> {
    let mut links = links();
    match (member, action) {
        ("ActionInvoked", Some("default")) => links.remove(&id).map(|(url, _)| url),
        ("ActionInvoked", _) => None,
        ("NotificationClosed", _) => {
            links.remove(&id);
            None
        }
        _ => None,
    }
}

async fn listen() -> zbus::Result<()> {
    use futures_util::StreamExt as _;
    let conn = zbus::Connection::session().await?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(NOTIFICATIONS)
        .build()?;
    let mut stream = zbus::MessageStream::for_match_rule(rule, &conn, None).await?;
    while let Some(msg) = stream.next().await {
        let msg = msg?;
        let header = msg.header();
        let Some(member) = header.member().map(|m| m.as_str().to_owned()) else {
            continue;
        };
        let url = match member.as_str() {
            "ActionInvoked" => msg
                .body()
                .deserialize::<(u32, &str)>()
                .ok()
                .and_then(|(id, action)| on_signal(&member, id, Some(action))),
            "NotificationClosed" => msg
                .body()
                .deserialize::<(u32, u32)>()
                .ok()
                .and_then(|(id, _)| on_signal(&member, id, None)),
            _ => None,
        };
        if let Some(url) = url {
            super::open_in_browser(&url);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A click opens the pop-up's link once; a close or another action forgets or keeps it.
    #[test]
    fn signals_open_or_forget_links() {
        follow(900_001, "https://status.example.com/a".to_owned());
        follow(900_002, "https://status.example.com/b".to_owned());
        assert_eq!(on_signal("ActionInvoked", 900_001, Some("other")), None);
        assert_eq!(
            on_signal("ActionInvoked", 900_001, Some("default")),
            Some("https://status.example.com/a".to_owned())
        );
        assert_eq!(
            on_signal("ActionInvoked", 900_001, Some("default")),
            None,
            "once"
        );
        assert_eq!(on_signal("NotificationClosed", 900_002, None), None);
        assert_eq!(
            on_signal("ActionInvoked", 900_002, Some("default")),
            None,
            "closed"
        );
    }
}

//! Delivers notifications through the desktop's notification service, off the async runtime.

#[cfg(all(unix, not(target_os = "macos")))]
mod clicks;

use crate::alerts::Notification;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::platform::{APP_ID, APP_NAME};
/// Why pop-ups of a run are recorded as dropped when no notification server answered at
/// start: a note in the outbox, which nobody is shown.
pub const NO_SERVER_NOTE: &str = "no notification server";

#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error("notification service: {0}")]
    Service(String),
    #[error("notification service did not answer within {0:?}")]
    Timeout(Duration),
}

/// Shows one notification; may block (D-Bus round trip), so callers run it off the runtime.
pub trait Notifier: Send + Sync + 'static {
    fn show(&self, n: &Notification) -> Result<(), NotifyError>;
}

/// The platform's native notifications through notify-rust.
#[derive(Debug, Default)]
pub struct DesktopNotifier;

impl DesktopNotifier {
    /// Makes the platform ready to show notifications under the app's identity: the bundle
    /// id on macOS, a registered AppUserModelID on Windows (its icon kept in `data_dir`).
    pub fn new(data_dir: &Path) -> Self {
        #[cfg(target_os = "macos")]
        {
            // Without a bundle id, the first notification can hang on macOS.
            if let Err(e) = notify_rust::set_application(APP_ID) {
                tracing::warn!(error = %e, "cannot set the macOS notification application");
            }
        }
        // Listening before the first pop-up, so no click can come before it.
        #[cfg(all(unix, not(target_os = "macos")))]
        clicks::start();
        match crate::platform::register_notifications(data_dir) {
            Ok(()) => tracing::debug!(app_id = APP_ID, "notification identity registered"),
            Err(e) => tracing::warn!(
                error = %e,
                app_id = APP_ID,
                "cannot register the notification identity: pop-ups may not show"
            ),
        }
        DesktopNotifier
    }
}

impl Notifier for DesktopNotifier {
    /// Linux and the BSDs: the freedesktop server on D-Bus, with urgency, and a click on a
    /// pop-up with a link opens it.
    #[cfg(all(unix, not(target_os = "macos")))]
    fn show(&self, n: &Notification) -> Result<(), NotifyError> {
        use crate::alerts::Urgency;
        let mut note = notify_rust::Notification::new();
        // The summary is plain text by the spec; the body is markup to servers that say so,
        // and page text must never become markup (a bold title, a `file:` link).
        let markup = notify_rust::get_capabilities()
            .is_ok_and(|caps| caps.iter().any(|c| c == "body-markup"));
        let body = if markup {
            crate::sources::text::escape_markup(&n.body)
        } else {
            n.body.clone()
        };
        note.appname(APP_NAME).summary(&n.title).body(&body);
        note.urgency(match n.urgency {
            Urgency::Low => notify_rust::Urgency::Low,
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        });
        note.hint(notify_rust::Hint::Category("network".to_owned()));
        if n.url.is_some() {
            note.action(
                "default",
                &crate::i18n::current().t("notify-action-open", &[]),
            );
        }
        let handle = note
            .show()
            .map_err(|e| NotifyError::Service(e.to_string()))?;
        if let Some(url) = n.url.clone() {
            // One listener follows every pop-up's click (see `clicks`): no thread waits here.
            clicks::follow(handle.id(), url);
        }
        Ok(())
    }

    /// Windows: a toast under the registered app id (the same for every toast). A click on
    /// one with a link opens it: the toast calls back on a system thread, so nothing here
    /// waits for the click.
    #[cfg(windows)]
    fn show(&self, n: &Notification) -> Result<(), NotifyError> {
        let mut toast = tauri_winrt_notification::Toast::new(APP_ID)
            .title(&n.title)
            .text1(&n.body);
        if let Some(url) = n.url.clone() {
            toast = toast.on_activated(move |_| {
                open_in_browser(&url);
                Ok(())
            });
        }
        toast
            .show()
            .map_err(|e| NotifyError::Service(format!("{e:?}")))
    }

    /// macOS: Notification Center under the bundle id set at start.
    #[cfg(target_os = "macos")]
    fn show(&self, n: &Notification) -> Result<(), NotifyError> {
        notify_rust::Notification::new()
            .appname(APP_NAME)
            .summary(&n.title)
            .body(&n.body)
            .show()
            .map(drop)
            .map_err(|e| NotifyError::Service(e.to_string()))
    }
}

/// Shows a note about the app itself (not a change of a service), under the same identity
/// as every pop-up; blocking, like [`Notifier::show`].
pub fn show_note(title: &str, body: &str) -> Result<(), NotifyError> {
    DesktopNotifier.show(&app_note(title, body, crate::alerts::Urgency::Low))
}

/// A pop-up about the app itself (not a change of a service): no link, no ledger keys.
pub fn app_note(title: &str, body: &str, urgency: crate::alerts::Urgency) -> Notification {
    Notification {
        service: crate::model::ServiceId::from_name(APP_NAME),
        title: title.to_owned(),
        body: body.to_owned(),
        urgency,
        url: None,
        keys: vec![],
    }
}

/// Whether a desktop notification server answers: on Linux and the BSDs one on the session
/// D-Bus, which a server (or a container) may not have. Elsewhere notifications are the
/// system's own and always there. Asked once, at a headless start.
pub fn server_available(timeout: Duration) -> Result<(), String> {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        // A bus may try to start a daemon that needs a display and take long to give up:
        // asked on a thread of its own, given up on after `timeout`.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("notification-server-check".to_owned())
            .spawn(move || {
                let answer = notify_rust::get_server_information()
                    .map(|info| info.name)
                    .map_err(|e| e.to_string());
                let _ = tx.send(answer);
            })
            .map_err(|e| e.to_string())?;
        match rx.recv_timeout(timeout) {
            Ok(Ok(name)) => {
                tracing::debug!(server = %name, "desktop notification server found");
                Ok(())
            }
            Ok(Err(e)) => Err(e),
            Err(_) => Err(format!("no answer within {} s", timeout.as_secs())),
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        let _ = timeout;
        Ok(())
    }
}

/// Opens an http(s) link in the system browser; anything else is refused and logged.
pub fn open_in_browser(url: &str) -> bool {
    let ok = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !ok {
        tracing::warn!(url, "refusing to open a non-http(s) link");
        return false;
    }
    match open::that_detached(url) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(url, error = %e, "cannot open the browser");
            false
        }
    }
}

/// Shows `n` on a blocking thread; gives up waiting after `timeout` so a hung daemon
/// never stalls polling (the stuck thread is left to finish on its own).
pub async fn deliver(
    notifier: Arc<dyn Notifier>,
    n: Notification,
    timeout: Duration,
) -> Result<(), NotifyError> {
    let task = tokio::task::spawn_blocking(move || notifier.show(&n));
    match tokio::time::timeout(timeout, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(NotifyError::Service(format!("notifier panicked: {join}"))),
        Err(_) => Err(NotifyError::Timeout(timeout)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Urgency;
    use crate::model::ServiceId;

    struct Hangs;
    impl Notifier for Hangs {
        fn show(&self, _: &Notification) -> Result<(), NotifyError> {
            std::thread::sleep(Duration::from_secs(2));
            Ok(())
        }
    }

    fn note() -> Notification {
        Notification {
            service: ServiceId::from_name("X"),
            title: "t".to_owned(),
            body: "b".to_owned(),
            urgency: Urgency::Normal,
            url: None,
            keys: vec![],
        }
    }

    #[tokio::test]
    async fn a_hung_daemon_times_out() {
        let err = deliver(Arc::new(Hangs), note(), Duration::from_millis(50))
            .await
            .expect_err("times out");
        assert!(matches!(err, NotifyError::Timeout(_)), "{err}");
    }

    #[test]
    fn only_http_links_open() {
        assert!(!open_in_browser("javascript:alert(1)"));
        assert!(!open_in_browser("file:///etc/passwd"));
        assert!(!open_in_browser("not a url"));
    }
}

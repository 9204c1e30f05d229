//! Whether the desktop can show the tray icon: on Linux a StatusNotifierItem host on the session bus or an XEmbed tray; elsewhere always.

#[cfg(target_os = "linux")]
pub use linux::{make_sure_registered, present, watch};

#[cfg(not(target_os = "linux"))]
pub async fn present() -> bool {
    true
}

#[cfg(not(target_os = "linux"))]
pub async fn watch(_initial: bool, _changed: impl FnMut(bool)) {}

#[cfg(not(target_os = "linux"))]
pub fn make_sure_registered() {}

#[cfg(target_os = "linux")]
mod linux {
    use futures_util::StreamExt as _;
    use gio::glib;
    use std::time::Duration;
    use zbus::proxy::CacheProperties;

    const WATCHER: &str = "org.kde.StatusNotifierWatcher";
    const WATCHER_PATH: &str = "/StatusNotifierWatcher";
    /// An XEmbed tray appearing sends nothing on the bus: it is looked for this often.
    const RECHECK: Duration = Duration::from_secs(60);

    /// Whether a StatusNotifierItem host is registered with the watcher. A watcher alone
    /// (some desktops run one with no panel showing its items) is not a tray.
    async fn sni_host(conn: &zbus::Connection) -> zbus::Result<bool> {
        let dbus = zbus::fdo::DBusProxy::new(conn).await?;
        let name = zbus::names::BusName::try_from(WATCHER)?;
        if !dbus.name_has_owner(name).await? {
            return Ok(false);
        }
        let watcher: zbus::Proxy<'_> = zbus::proxy::Builder::new(conn)
            .destination(WATCHER)
            .path(WATCHER_PATH)
            .interface(WATCHER)
            .cache_properties(CacheProperties::No)
            .build()
            .await?;
        watcher
            .get_property::<bool>("IsStatusNotifierHostRegistered")
            .await
    }

    /// Whether the X screen's system tray selection (`_NET_SYSTEM_TRAY_S<n>`) has an owner.
    fn xembed_tray() -> bool {
        use x11rb::connection::Connection as _;
        use x11rb::protocol::xproto::ConnectionExt as _;
        let Ok((conn, screen)) = x11rb::connect(None) else {
            return false;
        };
        let name = format!("_NET_SYSTEM_TRAY_S{screen}");
        let owner = conn
            .intern_atom(true, name.as_bytes())
            .ok()
            .and_then(|c| c.reply().ok())
            .filter(|a| a.atom != x11rb::NONE)
            .and_then(|a| conn.get_selection_owner(a.atom).ok())
            .and_then(|c| c.reply().ok());
        let _ = conn.flush();
        owner.is_some_and(|o| o.owner != x11rb::NONE)
    }

    async fn present_on(conn: Option<&zbus::Connection>) -> bool {
        let sni = match conn {
            Some(c) => sni_host(c).await.unwrap_or_else(|e| {
                tracing::debug!(error = %e, "cannot ask for a StatusNotifierItem host");
                false
            }),
            None => false,
        };
        sni || tokio::task::spawn_blocking(xembed_tray)
            .await
            .unwrap_or(false)
    }

    const ITEMS: &str = "/org/ayatana/NotificationItem";
    const CALL_TIMEOUT_MS: i32 = 5000;

    /// Registers this process's tray item with the watcher unless it is listed already.
    /// The indicator library asks to be registered the moment a watcher takes its name,
    /// often before the watcher answers on it, and does not ask again: a tray started
    /// after the app would never show the icon. The item lives on the process's shared
    /// session connection, so the registration is sent on that same connection.
    fn register_item() -> Result<&'static str, glib_error::Error> {
        use gio::prelude::*;
        let none = gio::Cancellable::NONE;
        let conn = gio::bus_get_sync(gio::BusType::Session, none)?;
        let me = conn
            .unique_name()
            .ok_or(glib_error::Error::NoName)?
            .to_string();
        let call =
            |dest: &str, path: &str, iface: &str, method: &str, args: Option<&glib::Variant>| {
                conn.call_sync(
                    Some(dest),
                    path,
                    iface,
                    method,
                    args,
                    None,
                    gio::DBusCallFlags::NONE,
                    CALL_TIMEOUT_MS,
                    none,
                )
            };
        let listed = call(
            WATCHER,
            WATCHER_PATH,
            "org.freedesktop.DBus.Properties",
            "Get",
            Some(&(WATCHER, "RegisteredStatusNotifierItems").to_variant()),
        )?;
        if listed.to_string().contains(&format!("'{me}")) {
            return Ok("already listed");
        }
        let xml = call(
            &me,
            ITEMS,
            "org.freedesktop.DBus.Introspectable",
            "Introspect",
            None,
        )?;
        let xml: String = xml.get::<(String,)>().map(|(x,)| x).unwrap_or_default();
        let mut registered = false;
        for node in xml.split("<node name=\"").skip(1) {
            let Some(name) = node.split('"').next() else {
                continue;
            };
            let path = format!("{ITEMS}/{name}");
            call(
                WATCHER,
                WATCHER_PATH,
                WATCHER,
                "RegisterStatusNotifierItem",
                Some(&(path,).to_variant()),
            )?;
            registered = true;
        }
        if registered {
            Ok("registered")
        } else {
            Err(glib_error::Error::NoItem)
        }
    }

    mod glib_error {
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            #[error(transparent)]
            Glib(#[from] gio::glib::Error),
            #[error("the session connection has no name")]
            NoName,
            #[error("no tray item is exported")]
            NoItem,
        }
    }

    /// [`register_item`] on a thread of its own: it waits on replies that the main loop
    /// (the item's own) must answer.
    pub fn make_sure_registered() {
        let spawned = std::thread::Builder::new()
            .name("tray-register".into())
            .spawn(|| match register_item() {
                Ok(what) => tracing::info!(what, "tray item and the new tray"),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot register the tray item with the new tray")
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "cannot register the tray item with the new tray");
        }
    }

    /// Asks the desktop now.
    pub async fn present() -> bool {
        let conn = zbus::Connection::session().await.ok();
        present_on(conn.as_ref()).await
    }

    /// Calls `changed` with the new answer whenever a tray appears or goes: on the watcher's
    /// name changing hands, on a host registering with it, and every [`RECHECK`].
    pub async fn watch(initial: bool, mut changed: impl FnMut(bool)) {
        let mut last = initial;
        let conn = match zbus::Connection::session().await {
            Ok(c) => Some(c),
            Err(e) => {
                tracing::warn!(error = %e, "no session bus: only an XEmbed tray can be noticed");
                None
            }
        };
        let mut owners = None;
        let mut hosts = None;
        if let Some(c) = &conn {
            if let Ok(dbus) = zbus::fdo::DBusProxy::new(c).await {
                owners = dbus
                    .receive_name_owner_changed_with_args(&[(0, WATCHER)])
                    .await
                    .ok();
            }
            let rule = zbus::MatchRule::builder()
                .msg_type(zbus::message::Type::Signal)
                .interface(WATCHER)
                .member("StatusNotifierHostRegistered")
                .build();
            if let Ok(rule) = rule {
                hosts = zbus::MessageStream::for_match_rule(rule, c, None)
                    .await
                    .ok();
            }
        }
        loop {
            tokio::select! {
                Some(_) = async { match owners.as_mut() { Some(s) => s.next().await, None => None } } => {}
                Some(_) = async { match hosts.as_mut() { Some(s) => s.next().await.map(|_| ()), None => None } } => {}
                () = tokio::time::sleep(RECHECK) => {}
            }
            // A new watcher takes a moment to have its host register.
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = present_on(conn.as_ref()).await;
            if now != last {
                last = now;
                changed(now);
            }
        }
    }
}

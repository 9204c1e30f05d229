//! The tray process's shell: the engine, the tray icon and menu on Tauri's tray crates (`tray-icon`, `tao`), the local socket; it never links a webview.
//!
//! The window is another binary, `outage-radar-window` (a Tauri app), started from beside
//! this one on demand: a tray app runs for weeks, and WebKit's libraries mapped in it would
//! cost their memory for all that time; closing the window gives everything back.

mod child;
mod icon;
pub mod ids;
mod tray;
mod tray_host;

use crate::engine::{self, EngineError};
use crate::history::{History, HistoryError};
use crate::local::client::ClientError;
use crate::local::service::Service;
use crate::local::{server, LocalError};
use crate::platform::login::Login;
use crate::platform::{LoginError, LoginItem};
use crate::watcher::{Overview, WatcherHandle};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tao::event::{Event, StartCause};
use tao::event_loop::{ControlFlow, EventLoopBuilder, EventLoopProxy};
use tao::platform::run_return::EventLoopExtRunReturn as _;
use tray_icon::menu::MenuEvent;
use tray_icon::{MouseButton, MouseButtonState, TrayIconEvent};

/// How long quitting waits for notifications already handed to the daemon.
const STOP_GRACE: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Local(#[from] LocalError),
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Tray(#[from] tray::TrayError),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// What reaches the event loop's thread (which owns the tray) from the others.
#[derive(Debug)]
enum UserEvent {
    Overview(Box<Overview>),
    Menu(MenuEvent),
    Icon(TrayIconEvent),
    /// The window changed the login item: the check item follows.
    LoginChanged,
}

/// How the tray app was asked to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// From the application menu or a terminal.
    Default,
    /// `--show`: with the window open.
    Show,
    /// `--background` (the login item): never a window.
    Background,
    /// `outage-radar demo`: the window open on Now, beside the user's own instance rather
    /// than handing over to it (its data dir, and so its socket, is a throw-away one).
    Demo,
}

/// Which window, if any, opens at start. A start that shows nothing must have an icon to
/// show instead; the first start ever says hello.
pub fn window_at_start(start: Start, first_run: bool, tray: bool) -> Option<child::Opening> {
    match start {
        Start::Background => None,
        // A demo's history is always new; the story is on Now, not in a welcome.
        Start::Demo => Some(child::Opening::Plain),
        _ if first_run => Some(child::Opening::Welcome),
        Start::Show => Some(child::Opening::Plain),
        Start::Default if !tray => Some(child::Opening::Plain),
        Start::Default => None,
    }
}

/// The login item as Settings sees it: the same one the tray's check item shows, which
/// follows every change.
struct TrayLogin {
    login: Option<Arc<Login>>,
    tray: EventLoopProxy<UserEvent>,
}

impl LoginItem for TrayLogin {
    fn is_enabled(&self) -> bool {
        self.login.as_ref().is_some_and(|l| l.is_enabled())
    }

    fn set_enabled(&self, enabled: bool) -> Result<bool, LoginError> {
        let login = self.login.as_ref().ok_or(LoginError::Unsupported)?;
        let now = login.set_enabled(enabled)?;
        let _ = self.tray.send_event(UserEvent::LoginChanged);
        Ok(now)
    }
}

/// The engine's runtime: two workers are plenty for a few polls a minute and the socket.
fn runtime() -> Result<tokio::runtime::Runtime, DesktopError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("engine")
        .enable_all()
        .build()
        .map_err(DesktopError::Runtime)
}

/// Starts the tray app; returns when the user quits.
pub fn run(options: &engine::Options, start: Start) -> Result<(), DesktopError> {
    let runtime = runtime()?;
    let _context = runtime.enter();
    // Bound before the engine opens the history: a second engine on the same data stops here,
    // and a second start from the menu opens the running app's window instead (the one
    // instance is the socket's).
    let listener = match server::listen(options.data_dir.as_deref()) {
        Err(LocalError::AlreadyRunning(socket)) => return second_start(&runtime, &socket, start),
        other => other?,
    };
    // No history yet: the very first start (the engine is about to create it).
    let first_run = options
        .data_dir
        .clone()
        .or_else(crate::config::default_data_dir)
        .is_some_and(|d| !d.join(crate::history::DB_FILE).exists());
    let tray = runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(3), tray_host::present())
            .await
            .unwrap_or(false)
    });
    if tray {
        tracing::info!("a system tray is there: the icon shows in it");
    } else {
        tracing::warn!(
            "no system tray (no StatusNotifierItem host, no XEmbed tray): the window is the app; \
             on GNOME the AppIndicator and KStatusNotifierItem Support extension adds one"
        );
    }
    let opening = window_at_start(start, first_run, tray);
    tracing::info!(?start, first_run, tray, window = ?opening, "starting");
    let started = engine::start(options)?;
    let service = Arc::new(Service::new(
        started.handle.clone(),
        History::open(&started.data_dir)?,
        started.config,
        started.config_path,
        started.config_error.is_some(),
    ));
    service.load_shell_notes(&started.data_dir);
    service.set_tray(tray);
    let socket = listener.as_ref().map(|l| l.path().to_path_buf());
    let (watcher, handle, data_dir) = (started.watcher, started.handle, started.data_dir);
    let windows = socket.map(|socket| {
        Arc::new(child::WindowChild {
            socket,
            data_dir: options.data_dir.clone(),
            private_home: (start == Start::Demo).then(|| data_dir.join("window_home")),
            service: Arc::clone(&service),
            running: Arc::new(Mutex::new(false)),
        })
    });

    let mut event_loop = EventLoopBuilder::<UserEvent>::with_user_event().build();
    // A tray app: no Dock icon on macOS.
    #[cfg(target_os = "macos")]
    {
        use tao::platform::macos::{ActivationPolicy, EventLoopExtMacOS as _};
        event_loop.set_activation_policy(ActivationPolicy::Accessory);
    }
    let proxy = event_loop.create_proxy();
    let to_loop = proxy.clone();
    MenuEvent::set_event_handler(Some(move |e| {
        let _ = to_loop.send_event(UserEvent::Menu(e));
    }));
    let to_loop = proxy.clone();
    TrayIconEvent::set_event_handler(Some(move |e| {
        let _ = to_loop.send_event(UserEvent::Icon(e));
    }));
    // Off until the user turns it on; the login item starts the app in the background, so it
    // never shows a window, not even at the first start after an update.
    let login = match Login::new() {
        Ok(login) => Some(Arc::new(login)),
        Err(e) => {
            tracing::error!(error = %e, "no login item: Launch at login is off");
            None
        }
    };
    service.set_login_item(Box::new(TrayLogin {
        login: login.clone(),
        tray: proxy.clone(),
    }));
    let opener = windows.clone();
    service.set_window_opener(Box::new(move || {
        child::open(opener.as_deref(), child::Opening::Plain)
    }));
    runtime.spawn(forward_overview(proxy.clone(), handle.clone()));
    let watched = Arc::clone(&service);
    runtime.spawn(tray_host::watch(tray, move |now| {
        if now {
            tracing::info!("a system tray appeared: the icon shows in it now");
            tray_host::make_sure_registered();
        } else {
            tracing::warn!("the system tray went away: open the window from the application menu");
        }
        watched.set_tray(now);
    }));
    // The window first: once the socket answers, a window due at start has been started (its
    // connection waits in the socket's backlog meanwhile).
    if let Some(opening) = opening {
        child::open(windows.as_deref(), opening);
    }
    if let Some(listener) = listener {
        runtime.spawn(server::serve(listener, Arc::clone(&service)));
    }
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = runtime.spawn(watcher.run(async {
        let _ = stopped.await;
    }));

    let mut shell = Shell {
        tray: None,
        failed: None,
        handle,
        login,
        windows,
        data_dir,
    };
    event_loop.run_return(|event, _, control_flow| {
        *control_flow = shell.on(event);
    });
    // Menus and the icon belong to this thread: gone before the engine stops.
    drop(shell.tray.take());
    // Quitting: the watcher stops polling and lets pending notifications finish.
    let _ = stop.send(());
    let waited = runtime.block_on(async { tokio::time::timeout(STOP_GRACE, running).await });
    if waited.is_err() {
        tracing::warn!("the watcher did not stop in time");
    }
    shell.failed.map_or(Ok(()), Err)
}

/// The event loop's state: the tray, and what its menu acts on.
struct Shell {
    tray: Option<tray::Tray>,
    /// Why the tray could not be made; the app ends with it.
    failed: Option<DesktopError>,
    handle: WatcherHandle,
    login: Option<Arc<Login>>,
    windows: Option<Arc<child::WindowChild>>,
    data_dir: std::path::PathBuf,
}

impl Shell {
    fn launch_at_login(&self) -> bool {
        self.login.as_ref().is_some_and(|l| l.is_enabled())
    }

    fn open(&self) {
        child::open(self.windows.as_deref(), child::Opening::Plain);
    }

    fn on(&mut self, event: Event<'_, UserEvent>) -> ControlFlow {
        match event {
            // macOS wants the status item made once the loop runs; the same everywhere.
            Event::NewEvents(StartCause::Init) => {
                let overview = self.handle.overview.borrow().clone();
                match tray::Tray::create(&overview, &self.data_dir, self.launch_at_login()) {
                    Ok(t) => self.tray = Some(t),
                    Err(e) => {
                        tracing::error!(error = %e, "cannot make the tray icon");
                        self.failed = Some(e.into());
                        return ControlFlow::Exit;
                    }
                }
            }
            Event::UserEvent(UserEvent::Overview(overview)) => {
                if let Some(t) = &mut self.tray {
                    t.update(&overview);
                }
            }
            Event::UserEvent(UserEvent::LoginChanged) => self.sync_autostart(),
            Event::UserEvent(UserEvent::Icon(TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            })) => self.open(),
            Event::UserEvent(UserEvent::Menu(e)) => return self.on_menu(e.id().as_ref()),
            _ => {}
        }
        ControlFlow::Wait
    }

    fn on_menu(&mut self, id: &str) -> ControlFlow {
        match tray::Action::of(id) {
            tray::Action::Open => self.open(),
            tray::Action::Remind(service) => {
                tray::toggle_reminder(&self.handle, &service);
                // The click toggled the mark; the overview says what holds.
                let current = self.handle.overview.borrow().clone();
                if let Some(t) = &mut self.tray {
                    t.update(&current);
                }
            }
            tray::Action::CheckNow => tray::check_now(&self.handle),
            tray::Action::Pause(choice) => tray::pause(&self.handle, choice),
            tray::Action::ToggleAutostart => {
                match &self.login {
                    Some(login) => {
                        if let Err(e) = login.set_enabled(!login.is_enabled()) {
                            tracing::error!(error = %e, "cannot change launch at login");
                        }
                    }
                    None => tracing::error!("no login item on this system"),
                }
                self.sync_autostart();
            }
            tray::Action::Quit => return ControlFlow::Exit,
            tray::Action::Nothing => {}
        }
        ControlFlow::Wait
    }

    /// The check item says what the system has.
    fn sync_autostart(&self) {
        if let Some(t) = &self.tray {
            t.set_launch_at_login(self.launch_at_login());
        }
    }
}

/// The app already runs on this data: open its window (a start from the menu) or leave it
/// be (the login item), and end this process.
fn second_start(
    runtime: &tokio::runtime::Runtime,
    socket: &Path,
    start: Start,
) -> Result<(), DesktopError> {
    if start == Start::Background {
        tracing::info!("Outage Radar is already running");
        return Ok(());
    }
    let request = crate::local::protocol::Request::OpenWindow;
    runtime.block_on(crate::local::client::ask(socket, "second start", &request))?;
    tracing::info!("Outage Radar is already running: its window was asked to open");
    Ok(())
}

/// Shows every new overview in the tray (the window gets it over the socket).
async fn forward_overview(tray: EventLoopProxy<UserEvent>, handle: WatcherHandle) {
    let mut overview = handle.overview;
    loop {
        let current = overview.borrow_and_update().clone();
        if tray
            .send_event(UserEvent::Overview(Box::new(current)))
            .is_err()
        {
            break;
        }
        if overview.changed().await.is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::child::Opening::{Plain, Welcome};
    use super::*;

    #[test]
    fn a_start_never_shows_nothing_and_the_login_item_never_shows_a_window() {
        use Start::{Background, Default, Demo, Show};
        // (start, first run, tray) -> window
        let table = [
            (Default, false, true, None),
            (Default, false, false, Some(Plain)),
            (Default, true, true, Some(Welcome)),
            (Default, true, false, Some(Welcome)),
            (Show, false, true, Some(Plain)),
            (Show, true, true, Some(Welcome)),
            (Background, true, false, None),
            (Background, false, false, None),
            (Background, true, true, None),
            (Demo, true, true, Some(Plain)),
            (Demo, true, false, Some(Plain)),
        ];
        for (start, first, tray, want) in table {
            assert_eq!(
                window_at_start(start, first, tray),
                want,
                "{start:?} first={first} tray={tray}"
            );
        }
    }
}

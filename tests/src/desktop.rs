//! A private desktop for the real app: Xvfb, a session bus, a tray host and a notification server.

use crate::dbus::{NotificationServer, PrivateBus};
use std::io::{Read as _, Seek as _};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Xvfb on a free display; killed on drop.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    /// Lets Xvfb pick a free display itself (`-displayfd`), so parallel tests never share one.
    pub fn start() -> Self {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
                // Without a tray host the app may be the only client; a server that resets
                // when its last client leaves refuses the next one meanwhile.
                "-noreset",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("piped stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the display number");
        let n: u32 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("Xvfb printed {line:?}"));
        Xvfb {
            child,
            display: format!(":{n}"),
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Everything a desktop app expects around it, private to one test.
pub struct Desktop {
    pub notifications: NotificationServer,
    tray_host: Option<Child>,
    // Field order is drop order: the bus outlives the tray host, X outlives both.
    pub bus: PrivateBus,
    pub x: Xvfb,
}

impl Desktop {
    /// A desktop with a tray host, ready before anything starts in it.
    pub async fn start() -> Self {
        let mut desktop = Self::start_without_tray().await;
        desktop.start_tray_host().await;
        desktop
    }

    /// A desktop with no tray (stock GNOME, some tiling window managers): X, a session bus
    /// and a notification server.
    pub async fn start_without_tray() -> Self {
        let x = Xvfb::start();
        let bus = PrivateBus::start();
        let notifications = NotificationServer::start(&bus).await;
        Desktop {
            notifications,
            tray_host: None,
            bus,
            x,
        }
    }

    /// Starts the tray host and waits until it owns the StatusNotifierWatcher name.
    pub async fn start_tray_host(&mut self) {
        let (x, bus) = (&self.x, &self.bus);
        // gtk-sni-tray-standalone now and then dies at start-up on a fresh Xvfb ("Pattern match
        // failure in do expression at app/Main.hs:177"); a host that exited is started again.
        for attempt in 1..=3 {
            // A file, not a pipe: nobody reads a pipe while the test runs, and a full one
            // would block the host.
            let log = tempfile::tempfile().expect("tray host log");
            let mut tray_host = spawn_tray_host(x, bus, &log);
            if wait_for_tray_host(bus, &mut tray_host).await {
                self.tray_host = Some(tray_host);
                return;
            }
            let _ = tray_host.kill();
            let _ = tray_host.wait();
            let mut stderr = String::new();
            let mut log = log;
            let _ = log.seek(std::io::SeekFrom::Start(0));
            let _ = log.read_to_string(&mut stderr);
            eprintln!("tray host attempt {attempt} failed: {}", stderr.trim());
        }
        panic!("the tray host never registered org.kde.StatusNotifierWatcher");
    }

    /// A command with this desktop's DISPLAY and session bus, in English whatever the
    /// machine's locale (a test that wants another language sets `LANG` after this).
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.x.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus.address)
            .env("NO_AT_BRIDGE", "1");
        crate::english(&mut c);
        c
    }

    /// The StatusNotifierItems the tray host has registered.
    pub async fn tray_items(&self) -> Vec<String> {
        let built = zbus::connection::Builder::address(self.bus.address.as_str())
            .build()
            .await;
        let Ok(conn) = built else { return Vec::new() };
        let proxy = zbus::Proxy::new(
            &conn,
            "org.kde.StatusNotifierWatcher",
            "/StatusNotifierWatcher",
            "org.kde.StatusNotifierWatcher",
        )
        .await;
        match proxy {
            Ok(p) => p
                .get_property::<Vec<String>>("RegisteredStatusNotifierItems")
                .await
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// Saves a screenshot of the whole screen (window and tray) with ImageMagick's `import`.
    pub fn screenshot(&self, path: &Path) {
        let status = self
            .command("import")
            .args(["-window", "root"])
            .arg(path)
            .status()
            .expect("run import");
        assert!(status.success(), "screenshot failed");
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        if let Some(host) = &mut self.tray_host {
            let _ = host.kill();
            let _ = host.wait();
        }
    }
}

fn spawn_tray_host(x: &Xvfb, bus: &PrivateBus, log: &std::fs::File) -> Child {
    Command::new("gtk-sni-tray-standalone")
        .args(["--watcher", "--top"])
        .env("DISPLAY", &x.display)
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(log.try_clone().map_or_else(|_| Stdio::null(), Stdio::from))
        .spawn()
        .expect("start gtk-sni-tray-standalone")
}

async fn host_registered(conn: &zbus::Connection) -> bool {
    let Ok(proxy) = zbus::Proxy::new(
        conn,
        "org.kde.StatusNotifierWatcher",
        "/StatusNotifierWatcher",
        "org.kde.StatusNotifierWatcher",
    )
    .await
    else {
        return false;
    };
    proxy
        .get_property::<bool>("IsStatusNotifierHostRegistered")
        .await
        .unwrap_or(false)
}

/// Whether the tray host is ready within 20 s; false as soon as it exits.
async fn wait_for_tray_host(bus: &PrivateBus, host: &mut Child) -> bool {
    let conn = zbus::connection::Builder::address(bus.address.as_str())
        .build()
        .await
        .expect("connect to the private bus");
    let dbus = zbus::fdo::DBusProxy::new(&conn).await.expect("bus proxy");
    let name = zbus::names::BusName::try_from("org.kde.StatusNotifierWatcher").expect("name");
    crate::within(Duration::from_secs(20), async || {
        // Owning the watcher's name comes before answering on it and before the host has
        // registered with it: a tray is ready once the watcher says a host is there.
        if dbus.name_has_owner(name.clone()).await.unwrap_or(false) && host_registered(&conn).await
        {
            return Some(true);
        }
        matches!(host.try_wait(), Ok(Some(_))).then_some(false)
    })
    .await
    .unwrap_or(false)
}

/// Resident memory of `pid` and all its descendants, in KiB, from /proc.
pub fn tree_rss_kib(pid: u32) -> u64 {
    let mut total = 0;
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{p}/status")) {
            total += status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")) {
            stack.extend(
                children
                    .split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    total
}

/// Pids of processes whose command line contains `needle`.
pub fn pids_with_arg(needle: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(needle))
                .unwrap_or(false)
        })
        .collect()
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral port")
}

/// Asks every top-level window titled `title` to close, as a window manager's close button
/// does (`WM_DELETE_WINDOW`). Returns how many windows were asked.
pub fn request_close(display: &str, title: &str) -> usize {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt as _, EventMask};
    use x11rb::wrapper::ConnectionExt as _;

    let (conn, screen) = x11rb::connect(Some(display)).expect("connect to X");
    let root = conn.setup().roots[screen].root;
    let atom = |name: &[u8]| {
        conn.intern_atom(false, name)
            .expect("intern atom")
            .reply()
            .expect("atom reply")
            .atom
    };
    let (protocols, delete) = (atom(b"WM_PROTOCOLS"), atom(b"WM_DELETE_WINDOW"));
    let tree = conn
        .query_tree(root)
        .expect("query tree")
        .reply()
        .expect("tree");
    let mut asked = 0;
    for window in tree.children {
        let name = conn
            .get_property(false, window, AtomEnum::WM_NAME, AtomEnum::ANY, 0, 1024)
            .ok()
            .and_then(|c| c.reply().ok())
            .map(|p| String::from_utf8_lossy(&p.value).into_owned());
        if name.as_deref() != Some(title) {
            continue;
        }
        let event = ClientMessageEvent::new(
            32,
            window,
            protocols,
            [delete, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        conn.send_event(false, window, EventMask::NO_EVENT, event)
            .expect("send WM_DELETE_WINDOW");
        asked += 1;
    }
    conn.sync().expect("flush");
    asked
}

/// Whether a top-level window titled `title` exists.
pub fn has_window(display: &str, title: &str) -> bool {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _};
    let Ok((conn, screen)) = x11rb::connect(Some(display)) else {
        return false;
    };
    let root = conn.setup().roots[screen].root;
    let Ok(tree) = conn
        .query_tree(root)
        .map_err(|_| ())
        .and_then(|c| c.reply().map_err(|_| ()))
    else {
        return false;
    };
    tree.children.into_iter().any(|window| {
        conn.get_property(false, window, AtomEnum::WM_NAME, AtomEnum::ANY, 0, 1024)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|p| p.value == title.as_bytes())
    })
}

/// Kills a child process and every process whose command line holds `marker` when dropped,
/// so a failing test leaves nothing running.
pub struct Cleanup {
    pub child: Child,
    pub marker: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in pids_with_arg(&self.marker) {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        // Gone before the test goes on: an app started again on the same data dir would
        // otherwise find the old one's socket still held and hand over to it.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while pids_with_arg(&self.marker).into_iter().any(alive)
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// The value after `--data-dir` in `args`.
fn data_dir_arg<'a>(args: &[&'a str]) -> Option<&'a str> {
    args.windows(2).find(|w| w[0] == "--data-dir").map(|w| w[1])
}

/// Pids of processes whose command line holds every one of `needles` (as whole arguments
/// or parts of one).
pub fn pids_with_args(needles: &[&str]) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| {
                    let c = String::from_utf8_lossy(&c);
                    needles.iter().all(|n| c.contains(n))
                })
                .unwrap_or(false)
        })
        .collect()
}

/// The window process of the app whose command line holds `marker` (the window binary).
pub fn window_pids(marker: &str) -> Vec<u32> {
    let pids = pids_with_args(&[marker, "outage-radar-window\0"]);
    // A window process forking WebKit's helpers shows, for an instant between fork and exec,
    // a child with its own command line: that is not a second window.
    pids.iter()
        .copied()
        .filter(|p| parent(*p).is_none_or(|up| !pids.contains(&up)))
        .collect()
}

/// `pid`'s descendants (WebKit's web and network processes for a window process).
pub fn descendants(pid: u32) -> Vec<u32> {
    let mut found = Vec::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        if let Ok(children) = std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")) {
            for c in children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok())
            {
                found.push(c);
                stack.push(c);
            }
        }
    }
    found
}

/// Whether `pid` is a live process (a zombie is not).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_owned())
        })
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
}

/// The parent of `pid`.
pub fn parent(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

impl Desktop {
    /// The app on `config` and `data` as a user's session starts it (application menu,
    /// login item), its output on the test's stderr; arguments and environment may follow.
    pub fn app_command(&self, config: impl AsRef<std::ffi::OsStr>, data: &str) -> Command {
        let mut cmd = self.command(crate::app_binary());
        cmd.arg("--config")
            .arg(config)
            .args(["--data-dir", data])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        cmd
    }

    /// [`app_command`](Self::app_command) plus `extra` arguments, started.
    pub fn launch(&self, config: impl AsRef<std::ffi::OsStr>, data: &str, extra: &[&str]) -> Child {
        self.app_command(config, data)
            .args(extra)
            .spawn()
            .expect("start the app")
    }

    /// The tray app (engine, tray, socket) with `args` and `env`, with its output to the
    /// test's stderr; returned once its socket answers `status`. It starts in the background
    /// (no window of its own, not even the first start's welcome): the test opens windows.
    pub async fn start_tray(&self, args: &[&str], env: &[(&str, &str)]) -> Child {
        let mut cmd = self.command(crate::app_binary());
        cmd.args(
            args.iter()
                .filter(|a| !matches!(**a, "--show" | "--background")),
        )
        .arg("--background")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut tray = cmd.spawn().expect("start the tray app");
        let data = data_dir_arg(args).expect("--data-dir in the app's arguments");
        let mut status = self.command(crate::app_binary());
        status.args(["status", "--data-dir", data]);
        for (k, v) in env {
            status.env(k, v);
        }
        crate::eventually(crate::WAIT, "the tray app's socket", || {
            if let Ok(Some(exit)) = tray.try_wait() {
                panic!("the tray app exited at start: {exit}");
            }
            let out = status.output().ok()?;
            out.status.success().then_some(())
        })
        .await;
        tray
    }

    /// Starts the tray app with `args` (less `--show`), then tauri-driver and a WebDriver
    /// session running the app's window process against it, as the tray's "Open" would. The
    /// returned guard stops the driver and every process whose command line holds `marker`.
    pub async fn app_session(
        &self,
        args: &[&str],
        marker: &str,
        env: &[(&str, &str)],
    ) -> (crate::webdriver::Session, Cleanup) {
        let mut tray = self.start_tray(args, env).await;
        // Reaped in the background once the guard has killed it.
        std::thread::spawn(move || tray.wait());
        let data = data_dir_arg(args).expect("--data-dir in the app's arguments");
        self.window_session(&["--data-dir", data], marker, env)
            .await
    }

    /// tauri-driver and a WebDriver session running the window binary with `window_args`
    /// (against a tray app already running). The returned guard stops the driver and
    /// every process whose command line holds `marker`.
    pub async fn window_session(
        &self,
        window_args: &[&str],
        marker: &str,
        env: &[(&str, &str)],
    ) -> (crate::webdriver::Session, Cleanup) {
        let port = free_port();
        let native_port = free_port();
        let mut cmd = self.command("tauri-driver");
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = cmd.spawn().expect("start tauri-driver");
        let cleanup = Cleanup {
            child: driver,
            marker: marker.to_owned(),
        };
        // tauri-driver forwards to WebKitWebDriver: both must be listening before a session.
        for p in [port, native_port] {
            crate::eventually(crate::WAIT, "the WebDriver ports listening", || {
                std::net::TcpStream::connect(("127.0.0.1", p))
                    .ok()
                    .map(|_| ())
            })
            .await;
        }
        let caps = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": crate::window_binary(), "args": window_args },
        });
        let mut started = crate::webdriver::Session::start(port, caps.clone()).await;
        for _ in 0..5 {
            if started.is_ok() {
                break;
            }
            // A driver that has just bound its port can still drop the first request.
            tokio::time::sleep(Duration::from_millis(500)).await;
            started = crate::webdriver::Session::start(port, caps.clone()).await;
        }
        (started.expect("WebDriver session with the app"), cleanup)
    }

    fn busctl(&self, args: &[&str]) -> Option<String> {
        let out = self
            .command("busctl")
            .arg("--user")
            .args(args)
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The bus name and object path of the app's StatusNotifierItem.
    pub async fn tray_item_path(&self) -> Option<(String, String)> {
        let name = self.tray_items().await.into_iter().next()?;
        let (bus, path) = match name.split_once('/') {
            Some((bus, rest)) => (bus.to_owned(), format!("/{rest}")),
            None => {
                let tree = self.busctl(&["tree", "--list", &name])?;
                let path = tree
                    .lines()
                    .map(str::trim)
                    .find(|l| l.contains("/NotificationItem/") && !l.ends_with("/Menu"))?
                    .to_owned();
                (name, path)
            }
        };
        Some((bus, path))
    }

    /// A string property of the tray item (`IconName`, `Title`, …).
    pub async fn tray_property(&self, property: &str) -> Option<String> {
        let (bus, path) = self.tray_item_path().await?;
        let out = self.busctl(&[
            "get-property",
            &bus,
            &path,
            "org.kde.StatusNotifierItem",
            property,
        ])?;
        let value = out.trim().strip_prefix("s ")?;
        Some(value.trim_matches('"').to_owned())
    }

    /// The tray menu as (dbusmenu id, label) pairs, in order.
    pub async fn tray_menu(&self) -> Vec<(i32, String)> {
        let Some((bus, path)) = self.tray_item_path().await else {
            return Vec::new();
        };
        let menu = format!("{path}/Menu");
        let Some(out) = self.busctl(&[
            "call",
            &bus,
            &menu,
            "com.canonical.dbusmenu",
            "GetLayout",
            "iias",
            "0",
            "--",
            "-1",
            "0",
        ]) else {
            return Vec::new();
        };
        out.split("(ia{sv}av) ")
            .skip(1)
            .filter_map(|chunk| {
                let id = chunk.split_whitespace().next()?.parse().ok()?;
                let label = chunk
                    .split("\"label\" s \"")
                    .nth(1)?
                    .split('"')
                    .next()?
                    .to_owned();
                Some((id, label))
            })
            .collect()
    }

    /// The tray menu's labels, as text, once `done` holds for them; the last ones seen if it
    /// never did within `wait`.
    pub async fn tray_labels_until(
        &self,
        wait: Duration,
        done: impl Fn(&[String]) -> bool,
    ) -> Result<Vec<String>, Vec<String>> {
        let mut last = Vec::new();
        let found = crate::within(wait, async || {
            let labels: Vec<String> = self
                .tray_menu()
                .await
                .into_iter()
                .map(|(_, l)| unescape(&l))
                .collect();
            if done(&labels) {
                return Some(labels);
            }
            last = labels;
            None
        })
        .await;
        found.ok_or(last)
    }

    /// Clicks the tray menu entry labelled `label`, as the tray host does.
    pub async fn click_tray_menu(&self, label: &str) -> bool {
        let Some((bus, path)) = self.tray_item_path().await else {
            return false;
        };
        let Some((id, _)) = self.tray_menu().await.into_iter().find(|(_, l)| l == label) else {
            return false;
        };
        let menu = format!("{path}/Menu");
        self.busctl(&[
            "call",
            &bus,
            &menu,
            "com.canonical.dbusmenu",
            "Event",
            "isvu",
            &id.to_string(),
            "clicked",
            "s",
            "",
            "0",
        ])
        .is_some()
    }

    /// What the tray icon shows, read from the image file the item points at: the colour of
    /// the disc, and whether its middle is white (the symbol) or not.
    pub async fn tray_icon_colors(&self) -> Option<([u8; 4], [u8; 4])> {
        let file = self.tray_property("IconName").await?;
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&file).ok()?));
        let mut reader = decoder.read_info().ok()?;
        let mut buf = vec![0; reader.output_buffer_size()?];
        let info = reader.next_frame(&mut buf).ok()?;
        if info.color_type != png::ColorType::Rgba || info.bit_depth != png::BitDepth::Eight {
            return None;
        }
        let (w, h) = (info.width as usize, info.height as usize);
        let px = |x: usize, y: usize| {
            let i = (y * w + x) * 4;
            [buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]
        };
        Some((px(w * 22 / 100, h / 2), px(w / 2, h / 2)))
    }
}

/// `busctl` writes non-ASCII bytes of a label as octal escapes: back to text.
fn unescape(label: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = label.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'\\' && tail.len() >= 3 && tail[..3].iter().all(|d| (b'0'..=b'7').contains(d)) {
            let octal = std::str::from_utf8(&tail[..3]).unwrap_or("0");
            bytes.push(u8::from_str_radix(octal, 8).unwrap_or(b'?'));
            rest = &tail[3..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

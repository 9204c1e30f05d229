//! The engine's local socket, against the real binary: private modes, same-user peers, refused
//! bad frames, the version check, `status` and `check-now`, one engine per data dir.

use outage_radar_tests::dbus::{NotificationServer, PrivateBus};
use outage_radar_tests::fake_server::{FakeServer, Reply};
use outage_radar_tests::payloads::{summary, FakeIncident, SUMMARY_PATH};
use outage_radar_tests::{app_binary, eventually, write_config, WAIT};
use std::io::{Read as _, Write as _};
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// `watch --headless` on a fake page; killed on drop.
struct Engine {
    child: Child,
    data: PathBuf,
}

impl Drop for Engine {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn cli(data: &Path, args: &[&str]) -> Output {
    Command::new(app_binary())
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("OUTAGE_RADAR_SOCKET")
        .output()
        .expect("run the CLI")
}

async fn engine(config: &Path, data: &Path, bus: &PrivateBus) -> Engine {
    let child = Command::new(app_binary())
        .args(["watch", "--headless", "--config"])
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .env_remove("OUTAGE_RADAR_SOCKET")
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the engine");
    let e = Engine {
        child,
        data: data.to_path_buf(),
    };
    eventually(WAIT, "the engine's socket to answer", || {
        cli(&e.data, &["status"]).status.success().then_some(())
    })
    .await;
    e
}

struct Page {
    server: FakeServer,
    bus: PrivateBus,
    _notifications: NotificationServer,
    _dir: tempfile::TempDir,
    config: PathBuf,
    data: PathBuf,
}

async fn page() -> Page {
    let server = FakeServer::start().await;
    let url = server.url();
    server.set(
        SUMMARY_PATH,
        Reply::json(summary(
            &url,
            &[FakeIncident {
                id: "inc-1",
                title: "Logins failing",
                status: "investigating",
                impact: "major",
            }],
        )),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let config = write_config(dir.path(), 60, "", &[("Fake Cloud", &url, "")]);
    let data = dir.path().join("data");
    let bus = PrivateBus::start();
    let notifications = NotificationServer::start(&bus).await;
    Page {
        server,
        bus,
        _notifications: notifications,
        _dir: dir,
        config,
        data,
    }
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = u32::try_from(body.len())
        .expect("small")
        .to_be_bytes()
        .to_vec();
    f.extend_from_slice(body);
    f
}

/// Reads one reply frame as JSON; `None` when the server closed instead.
fn read_reply(stream: &mut UnixStream) -> Option<serde_json::Value> {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).ok()?;
    let mut body = vec![0; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("a reply is JSON"))
}

fn connect(socket: &Path) -> UnixStream {
    let s = UnixStream::connect(socket).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    s
}

fn greeted(socket: &Path) -> UnixStream {
    let mut s = connect(socket);
    s.write_all(&frame(br#"{"protocol":1,"client":"test"}"#))
        .expect("hello");
    let welcome = read_reply(&mut s).expect("welcome");
    assert_eq!(welcome["welcome"]["protocol"], 1, "{welcome}");
    s
}

/// The server has closed: reading gives end of stream.
fn closed(stream: &mut UnixStream) -> bool {
    let mut byte = [0u8; 1];
    matches!(stream.read(&mut byte), Ok(0))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_socket_is_private_and_refuses_what_it_cannot_read() {
    let p = page().await;
    let engine = engine(&p.config, &p.data, &p.bus).await;
    let socket = p.data.join("run/engine.sock");

    // Private to the user: the socket 0600 in a 0700 directory.
    assert_eq!(mode(&p.data.join("run")), 0o700);
    assert_eq!(mode(&socket), 0o600);
    assert!(std::fs::symlink_metadata(&socket)
        .expect("stat")
        .file_type()
        .is_socket_like());

    // A client of another protocol version is told so, and why.
    let mut s = connect(&socket);
    s.write_all(&frame(br#"{"protocol":2,"client":"future"}"#))
        .expect("hello");
    let reply = read_reply(&mut s).expect("a reply");
    assert_eq!(reply["error"]["kind"], "version", "{reply}");
    let message = reply["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("version 1") && message.contains("version 2"),
        "{message}"
    );
    assert!(closed(&mut s));

    // A hello that is not JSON.
    let mut s = connect(&socket);
    s.write_all(&frame(b"\x00\xffnot json")).expect("garbage");
    let reply = read_reply(&mut s).expect("a reply");
    assert_eq!(reply["error"]["kind"], "invalid", "{reply}");
    assert!(closed(&mut s));

    // After the hello: an unknown command, then an oversized frame.
    let mut s = greeted(&socket);
    s.write_all(&frame(br#"{"command":"format_disk"}"#))
        .expect("request");
    let reply = read_reply(&mut s).expect("a reply");
    assert_eq!(reply["error"]["kind"], "invalid", "{reply}");
    assert!(closed(&mut s));

    let mut s = greeted(&socket);
    s.write_all(&(64u32 * 1024 * 1024).to_be_bytes())
        .expect("length");
    let reply = read_reply(&mut s).expect("a reply");
    assert_eq!(reply["error"]["kind"], "invalid", "{reply}");
    assert!(
        reply["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("over the limit"),
        "{reply}"
    );
    assert!(closed(&mut s));

    // A request with bad arguments is an error reply on a connection that stays usable.
    let mut s = greeted(&socket);
    s.write_all(&frame(
        br#"{"command":"get_timeline","args":{"service_id":"","incident_id":"x"}}"#,
    ))
    .expect("request");
    let reply = read_reply(&mut s).expect("a reply");
    assert_eq!(reply["error"]["kind"], "invalid", "{reply}");
    s.write_all(&frame(br#"{"command":"get_overview"}"#))
        .expect("request");
    let reply = read_reply(&mut s).expect("a reply");
    assert!(reply["ok"]["summary"].is_string(), "{reply}");

    // None of that hurt the engine: `status --json` answers with the page's state.
    let out = cli(&p.data, &["status", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let overview: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    eventually(WAIT, "the first read in the overview", || {
        let out = cli(&p.data, &["status", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
        (v["services"][0]["state"] == "partial_outage").then_some(())
    })
    .await;
    assert_eq!(overview["services"][0]["name"], "Fake Cloud", "{overview}");
    let text = cli(&p.data, &["status"]);
    assert_eq!(
        String::from_utf8_lossy(&text.stdout).lines().next(),
        Some("1 incident: Fake Cloud (major)"),
        "{text:?}"
    );

    // `check-now` makes the engine read again at once (its interval is a minute).
    let before = p.server.hits(SUMMARY_PATH);
    let asked = cli(&p.data, &["check-now"]);
    assert!(asked.status.success(), "{asked:?}");
    eventually(WAIT, "the read asked for", || {
        (p.server.hits(SUMMARY_PATH) > before).then_some(())
    })
    .await;

    // One engine per data dir.
    let second = Command::new(app_binary())
        .args(["watch", "--headless", "--config"])
        .arg(&p.config)
        .arg("--data-dir")
        .arg(&p.data)
        .env_remove("OUTAGE_RADAR_SOCKET")
        .output()
        .expect("run a second engine");
    assert!(!second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("already running"),
        "{second:?}"
    );
    drop(engine);
}

/// `is_socket` under another name, so the assertion reads as what it checks.
trait SocketLike {
    fn is_socket_like(&self) -> bool;
}

impl SocketLike for std::fs::FileType {
    fn is_socket_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt as _;
        self.is_socket()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_app_the_cli_says_so_and_a_killed_engines_socket_is_replaced() {
    let p = page().await;
    let out = cli(&p.data, &["status"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Outage Radar is not running"),
        "{out:?}"
    );
    let out = cli(&p.data, &["check-now"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");

    // SIGKILL leaves the socket file behind; the next start replaces it.
    let mut first = engine(&p.config, &p.data, &p.bus).await;
    first.child.kill().expect("SIGKILL");
    let _ = first.child.wait();
    assert!(p.data.join("run/engine.sock").exists(), "left behind");
    let out = cli(&p.data, &["status"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "a dead socket is not an app: {out:?}"
    );
    let _second = engine(&p.config, &p.data, &p.bus).await;
    assert!(cli(&p.data, &["status"]).status.success());
}

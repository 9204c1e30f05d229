//! Talks to a running app over its local socket as the window does: hello, then one request.

use std::io::{Read as _, Write as _};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

fn frame(body: &[u8]) -> Vec<u8> {
    let mut f = u32::try_from(body.len())
        .expect("small frame")
        .to_be_bytes()
        .to_vec();
    f.extend_from_slice(body);
    f
}

fn read(stream: &mut UnixStream) -> serde_json::Value {
    let mut len = [0u8; 4];
    stream.read_exact(&mut len).expect("a reply frame");
    let mut body = vec![0; u32::from_be_bytes(len) as usize];
    stream.read_exact(&mut body).expect("the reply's body");
    serde_json::from_slice(&body).expect("a JSON reply")
}

/// Sends `request` (e.g. `{"command":"get_shell"}`) to the app whose data dir is `data_dir`
/// and returns its reply (`{"ok": …}` or `{"error": {kind, message}}`).
pub fn ask(data_dir: &Path, request: serde_json::Value) -> serde_json::Value {
    let socket = data_dir.join("run/engine.sock");
    try_ask(data_dir, request).unwrap_or_else(|| panic!("nothing answers at {}", socket.display()))
}

/// [`ask`], or `None` when no app answers (yet).
pub fn try_ask(data_dir: &Path, request: serde_json::Value) -> Option<serde_json::Value> {
    let socket = data_dir.join("run/engine.sock");
    let mut s = UnixStream::connect(&socket).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    s.write_all(&frame(br#"{"protocol":1,"client":"test"}"#))
        .expect("hello");
    let welcome = read(&mut s);
    assert!(welcome.get("welcome").is_some(), "{welcome}");
    s.write_all(&frame(request.to_string().as_bytes()))
        .expect("request");
    Some(read(&mut s))
}

/// The running app's overview (`get_overview`'s answer).
pub fn overview(data_dir: &Path) -> serde_json::Value {
    ask(data_dir, serde_json::json!({"command": "get_overview"}))["ok"].clone()
}

/// The banner's notices of the running app's overview.
pub fn notices(data_dir: &Path) -> Vec<String> {
    strings(&overview(data_dir)["notices"], |n| n.as_str())
}

/// The names of the services the running app watches, in order.
pub fn service_names(data_dir: &Path) -> Vec<String> {
    strings(&overview(data_dir)["services"], |s| s["name"].as_str())
}

fn strings(
    list: &serde_json::Value,
    get: impl Fn(&serde_json::Value) -> Option<&str>,
) -> Vec<String> {
    list.as_array()
        .map(|a| a.iter().filter_map(|v| get(v).map(str::to_owned)).collect())
        .unwrap_or_default()
}

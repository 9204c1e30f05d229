//! The engine's local, private channel: where its socket lives, the protocol, the server the engine runs and the client the window and CLI use.
//!
//! Nothing listens on a network port. On Unix the channel is a Unix domain socket, mode
//! 0600 in a directory of mode 0700, and the server also checks that each peer runs as the
//! socket's owner. On Windows it is a named pipe that only this user may open, remote
//! clients rejected ([`transport`]); its name is derived from the path below. Where the
//! socket lives:
//!
//! - `OUTAGE_RADAR_SOCKET`, when set (tests, or a user who wants it elsewhere);
//! - with `--data-dir` (or `OUTAGE_RADAR_DATA_DIR`): `<data dir>/run/engine.sock`. There is
//!   one engine per data dir (its history), so the socket belongs beside it, and several
//!   instances on one machine (tests run many) never meet;
//! - otherwise `$XDG_RUNTIME_DIR/outage-radar/engine.sock`: the runtime dir is private,
//!   local and emptied at logout, so a socket left by a killed run does not outlive the
//!   session; without one (macOS), `<default data dir>/run/engine.sock`.

pub mod choices;
pub mod client;
pub mod protocol;
pub mod sample;
pub mod server;
pub mod service;
pub mod shell;
pub mod transport;

use std::path::{Path, PathBuf};

/// Overrides where the socket is.
pub const SOCKET_ENV: &str = "OUTAGE_RADAR_SOCKET";
const SOCKET_NAME: &str = "engine.sock";

/// A Unix socket path longer than this does not fit `sun_path` on every Unix.
pub const MAX_SOCKET_PATH: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("no place for the local socket: pass --data-dir or set {SOCKET_ENV}")]
    NoPlace,
    #[error("the socket path {0} is too long for a Unix socket (over {MAX_SOCKET_PATH} bytes): set {SOCKET_ENV} to a shorter one")]
    PathTooLong(PathBuf),
    #[error("cannot make {path} private to this user: {source}")]
    Directory {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot listen on {path}: {source}")]
    Bind {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("another Outage Radar engine is already running with this data (it answers at {0})")]
    AlreadyRunning(PathBuf),
}

/// Where the engine of `data_dir` listens, `None` meaning the platform's data dir (itself
/// `None` when the platform has none): what the engine binds and its clients ask.
pub fn socket_for(data_dir: Option<&Path>) -> Option<PathBuf> {
    let dir = data_dir
        .map(Path::to_path_buf)
        .or_else(crate::config::default_data_dir)?;
    Some(socket_path(&dir, data_dir.is_some()))
}

/// Where the engine for `data_dir` listens. `explicit`: the data dir was given on the
/// command line or in the environment rather than being the platform default.
pub fn socket_path(data_dir: &Path, explicit: bool) -> PathBuf {
    socket_path_in(
        data_dir,
        explicit,
        std::env::var_os(SOCKET_ENV).map(PathBuf::from),
        std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
    )
}

/// [`socket_path`] with the environment as parameters.
pub fn socket_path_in(
    data_dir: &Path,
    explicit: bool,
    override_path: Option<PathBuf>,
    runtime_dir: Option<PathBuf>,
) -> PathBuf {
    if let Some(p) = override_path.filter(|p| !p.as_os_str().is_empty()) {
        return p;
    }
    let data_dir = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    match runtime_dir.filter(|r| r.is_absolute()) {
        Some(runtime) if !explicit => runtime.join("outage-radar").join(SOCKET_NAME),
        _ => data_dir.join("run").join(SOCKET_NAME),
    }
}

/// Makes the socket's directory exist (0700 when this creates it) and checks the path
/// fits. A directory that was there is left as it is (`OUTAGE_RADAR_SOCKET` may point into
/// `$HOME`: its mode is the user's business), but one that another user owns, or that
/// others may write to without the sticky bit, is refused: they could replace the socket.
/// The socket itself is 0600 and only its owner's peers are let in.
#[cfg(unix)]
pub(crate) fn prepare_dir(socket: &Path) -> Result<(), LocalError> {
    use std::os::unix::fs::{DirBuilderExt as _, MetadataExt as _};
    if socket.as_os_str().len() > MAX_SOCKET_PATH {
        return Err(LocalError::PathTooLong(socket.to_path_buf()));
    }
    let dir = socket.parent().ok_or(LocalError::NoPlace)?;
    let fail = |source| LocalError::Directory {
        path: dir.to_path_buf(),
        source,
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(fail)?;
    let meta = std::fs::metadata(dir).map_err(fail)?;
    let others_may_write = meta.mode() & 0o022 != 0 && meta.mode() & 0o1000 == 0;
    if meta.uid() != rustix::process::geteuid().as_raw() || others_may_write {
        return Err(fail(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "another user owns it or may write to it",
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An absolute path on this system: `/a/b` here is `C:\a\b` on Windows.
    fn abs(p: &str) -> PathBuf {
        let root = if cfg!(windows) { r"C:\" } else { "/" };
        Path::new(root).join(p.trim_start_matches('/'))
    }

    #[test]
    fn the_socket_lives_where_the_data_does_unless_told() {
        let data = abs("/home/u/.local/share/outage-radar");
        let run = Some(abs("/run/user/1000"));
        let in_data = "/home/u/.local/share/outage-radar/run/engine.sock";
        let table: [(bool, Option<&str>, Option<PathBuf>, &str); 5] = [
            (
                false,
                None,
                run.clone(),
                "/run/user/1000/outage-radar/engine.sock",
            ),
            (false, None, None, in_data),
            (true, None, run.clone(), in_data),
            (true, Some("/tmp/x/e.sock"), run.clone(), "/tmp/x/e.sock"),
            // A relative runtime dir is not a runtime dir.
            (false, None, Some(PathBuf::from("run")), in_data),
        ];
        for (explicit, over, runtime, want) in table {
            let got = socket_path_in(&data, explicit, over.map(abs), runtime);
            assert_eq!(got, abs(want), "{explicit} {over:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_directory_is_private_when_made_left_alone_when_found() {
        use std::os::unix::fs::PermissionsExt as _;
        let tmp = tempfile::tempdir().expect("tempdir");
        let mode = |d: &Path| std::fs::metadata(d).expect("meta").permissions().mode() & 0o7777;
        // Made here: private.
        let made = tmp.path().join("made/run");
        prepare_dir(&made.join("engine.sock")).expect("prepare");
        assert_eq!(mode(&made), 0o700);
        // Found (a home directory, say): its mode is the user's, never changed.
        let found = tmp.path().join("home");
        std::fs::create_dir(&found).expect("dir");
        std::fs::set_permissions(&found, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        prepare_dir(&found.join("engine.sock")).expect("prepare");
        assert_eq!(mode(&found), 0o755);
        // Writable by others without the sticky bit: someone could swap the socket.
        let open = tmp.path().join("open");
        std::fs::create_dir(&open).expect("dir");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        assert!(matches!(
            prepare_dir(&open.join("engine.sock")),
            Err(LocalError::Directory { .. })
        ));
        // Like /tmp (sticky): others cannot remove what is ours.
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o1777)).expect("chmod");
        prepare_dir(&open.join("engine.sock")).expect("sticky is fine");
        assert_eq!(mode(&open), 0o1777);

        let long = tmp.path().join("x".repeat(120)).join("engine.sock");
        assert!(matches!(
            prepare_dir(&long),
            Err(LocalError::PathTooLong(_))
        ));
    }
}

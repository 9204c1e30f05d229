//! The local channel over a Windows named pipe: a name derived from the user and the endpoint, a DACL for this user only, remote clients refused.

use crate::local::LocalError;
use crate::platform::windows::{self as win, PipeSecurity};
use sha2::{Digest as _, Sha256};
use std::io;
use std::os::windows::io::OwnedHandle;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::net::windows::named_pipe::{ClientOptions, NamedPipeClient, NamedPipeServer};

pub type ServerStream = NamedPipeServer;
pub type ClientStream = NamedPipeClient;

/// How long a client waits while every pipe instance is busy (the engine makes the next one
/// as soon as it accepted the last).
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// The pipe's name for the endpoint `path`: one per user (its SID) and data dir, as the
/// socket's path is on Unix. Hashed, because a pipe name cannot hold a path's separators
/// and must stay short.
fn pipe_name(path: &Path) -> io::Result<String> {
    let sid = win::user_sid()?;
    Ok(pipe_name_for(&sid, path))
}

/// The pipe's name (the path when the user's SID cannot be read).
pub fn describe(path: &Path) -> String {
    pipe_name(path).unwrap_or_else(|_| path.display().to_string())
}

fn pipe_name_for(sid: &str, path: &Path) -> String {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut hash = Sha256::new();
    hash.update(sid.as_bytes());
    hash.update([0]);
    hash.update(path.to_string_lossy().to_lowercase().as_bytes());
    let digest = hash.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!(r"\\.\pipe\outage-radar-{hex}")
}

/// The engine's pipe. The first instance is made at bind time, before any runtime exists:
/// it is what proves no other engine holds this name.
#[derive(Debug)]
pub struct Listener {
    path: PathBuf,
    name: String,
    security: PipeSecurity,
    first: Option<OwnedHandle>,
    next: Option<NamedPipeServer>,
}

/// Claims the pipe for `path`. `FILE_FLAG_FIRST_PIPE_INSTANCE` fails when the name exists:
/// another engine of this user and data dir runs (or someone else squats the name, which
/// the client then cannot tell from ours: it is refused by the DACL anyway).
pub fn bind(path: &Path) -> Result<Listener, LocalError> {
    let bind_error = |source| LocalError::Bind {
        path: path.to_path_buf(),
        source,
    };
    let name = pipe_name(path).map_err(bind_error)?;
    // A pipe that opens (or is busy) is an engine that runs. Asked first because not every
    // implementation enforces the first-instance flag below (Wine does not).
    match std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&name)
    {
        Ok(_) => return Err(LocalError::AlreadyRunning(path.to_path_buf())),
        Err(e) if e.raw_os_error() == Some(win::ERROR_PIPE_BUSY) => {
            return Err(LocalError::AlreadyRunning(path.to_path_buf()))
        }
        Err(_) => {}
    }
    let security = PipeSecurity::current_user_only().map_err(bind_error)?;
    let first = match win::create_pipe(&name, true, &security) {
        Ok(h) => h,
        Err(e) if e.raw_os_error() == Some(win::ERROR_ACCESS_DENIED) => {
            return Err(LocalError::AlreadyRunning(path.to_path_buf()))
        }
        Err(e) => return Err(bind_error(e)),
    };
    tracing::debug!(pipe = %name, "named pipe created");
    Ok(Listener {
        path: path.to_path_buf(),
        name,
        security,
        first: Some(first),
        next: None,
    })
}

impl Listener {
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn instance(&mut self) -> io::Result<NamedPipeServer> {
        if let Some(server) = self.next.take() {
            return Ok(server);
        }
        let handle = match self.first.take() {
            Some(h) => h,
            None => win::create_pipe(&self.name, false, &self.security)?,
        };
        win::pipe_server(handle)
    }

    /// The next client. Only this user can open the pipe (its DACL) and remote clients are
    /// rejected by the pipe itself, so there is no peer to refuse here.
    pub async fn accept(&mut self) -> io::Result<ServerStream> {
        let server = self.instance()?;
        server.connect().await?;
        // The next instance before this one is handed over: a client always finds one.
        match win::create_pipe(&self.name, false, &self.security).and_then(win::pipe_server) {
            Ok(next) => self.next = Some(next),
            Err(e) => tracing::warn!(error = %e, "cannot make the next pipe instance yet"),
        }
        Ok(server)
    }
}

/// Opens the engine's pipe for `path`; `NotFound` when no engine listens.
pub async fn connect(path: &Path) -> io::Result<ClientStream> {
    let name = pipe_name(path)?;
    let deadline = tokio::time::Instant::now() + BUSY_WAIT;
    loop {
        match ClientOptions::new().open(&name) {
            Ok(client) => return Ok(client),
            Err(e)
                if e.raw_os_error() == Some(win::ERROR_PIPE_BUSY)
                    && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_pipe_per_user_and_data_dir() {
        let a = pipe_name_for(
            "S-1-5-21-1-1000",
            Path::new(r"C:\Users\a\AppData\Roaming\x\run\engine.sock"),
        );
        let same = pipe_name_for(
            "S-1-5-21-1-1000",
            Path::new(r"C:\USERS\A\AppData\Roaming\x\run\engine.sock"),
        );
        let other_user = pipe_name_for(
            "S-1-5-21-1-1001",
            Path::new(r"C:\Users\a\AppData\Roaming\x\run\engine.sock"),
        );
        let other_dir = pipe_name_for("S-1-5-21-1-1000", Path::new(r"C:\tmp\t1\run\engine.sock"));
        assert!(a.starts_with(r"\\.\pipe\outage-radar-"), "{a}");
        assert_eq!(a, same, "Windows paths are case-insensitive");
        assert_ne!(a, other_user);
        assert_ne!(a, other_dir);
    }
}

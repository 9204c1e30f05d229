//! The local channel over a Unix domain socket: a 0600 socket in a private directory (0700 when made here), one engine at a time by a lock, and only peers of the socket's owner let in.

use crate::local::{prepare_dir, LocalError};
use std::io;
use std::path::{Path, PathBuf};

pub type ServerStream = tokio::net::UnixStream;
pub type ClientStream = tokio::net::UnixStream;

/// A bound socket; removes its file when dropped.
#[derive(Debug)]
pub struct Listener {
    /// Bound before any runtime exists; registered with the runtime at the first accept.
    bound: Option<std::os::unix::net::UnixListener>,
    socket: Option<tokio::net::UnixListener>,
    path: PathBuf,
    /// The socket file's owner, i.e. this process's user: the only peer let in.
    owner: u32,
    /// Held (flock) for as long as this engine runs: two starts after a crash cannot both
    /// take the stale socket for theirs.
    _lock: std::fs::File,
}

/// Binds the socket at `path`: the directory is checked, the engine's lock beside the
/// socket taken (held: another engine runs or is starting), a file left by a killed run
/// replaced, and a socket that answers means another engine runs.
pub fn bind(path: &Path) -> Result<Listener, LocalError> {
    use std::os::unix::fs::{MetadataExt as _, OpenOptionsExt as _, PermissionsExt as _};
    use std::os::unix::net::{UnixListener, UnixStream};
    prepare_dir(path)?;
    let bind_error = |source| LocalError::Bind {
        path: path.to_path_buf(),
        source,
    };
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(lock_path(path))
        .map_err(bind_error)?;
    if let Err(e) = rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        if e == rustix::io::Errno::WOULDBLOCK {
            return Err(LocalError::AlreadyRunning(path.to_path_buf()));
        }
        return Err(bind_error(e.into()));
    }
    if std::fs::symlink_metadata(path).is_ok() {
        if UnixStream::connect(path).is_ok() {
            return Err(LocalError::AlreadyRunning(path.to_path_buf()));
        }
        tracing::info!(path = %path.display(), "replacing the socket of a run that ended");
        std::fs::remove_file(path).map_err(bind_error)?;
    }
    let inner = UnixListener::bind(path).map_err(bind_error)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(bind_error)?;
    inner.set_nonblocking(true).map_err(bind_error)?;
    let owner = std::fs::metadata(path).map_err(bind_error)?.uid();
    Ok(Listener {
        bound: Some(inner),
        socket: None,
        path: path.to_path_buf(),
        owner,
        _lock: lock,
    })
}

/// The lock file beside the socket: `engine.sock` → `engine.sock.lock`. It stays when the
/// engine stops (removing it would let a third start lock a file the second still holds).
fn lock_path(socket: &Path) -> PathBuf {
    let mut name = socket.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    socket.with_file_name(name)
}

impl Listener {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The next peer that runs as this user; peers of other users are refused and logged.
    pub async fn accept(&mut self) -> io::Result<ServerStream> {
        if let Some(bound) = self.bound.take() {
            self.socket = Some(tokio::net::UnixListener::from_std(bound)?);
        }
        let socket = self
            .socket
            .as_ref()
            .ok_or_else(|| io::Error::other("the socket was lost"))?;
        loop {
            let (stream, _) = socket.accept().await?;
            match stream.peer_cred() {
                Ok(cred) if cred.uid() == self.owner => return Ok(stream),
                Ok(cred) => {
                    tracing::warn!(uid = cred.uid(), "refused a connection from another user")
                }
                Err(e) => tracing::warn!(error = %e, "refused a connection whose user is unknown"),
            }
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Connects to the socket at `path`.
pub async fn connect(path: &Path) -> io::Result<ClientStream> {
    tokio::net::UnixStream::connect(path).await
}

/// The socket's path.
pub fn describe(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two starts after a crash: while one holds the lock (binding, or running), the other
    /// stops at "already running" and leaves the stale socket to it, instead of both
    /// removing it and binding one each.
    #[test]
    fn the_lock_decides_who_takes_a_stale_socket() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("run/engine.sock");
        prepare_dir(&path).expect("dir");
        // A killed run's socket: the file is there, nothing answers.
        drop(std::os::unix::net::UnixListener::bind(&path).expect("stale"));
        assert!(path.exists());
        // Another start holds the lock (it is about to replace the stale file and bind).
        let other = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(&path))
            .expect("lock file");
        rustix::fs::flock(&other, rustix::fs::FlockOperation::NonBlockingLockExclusive)
            .expect("the other start's lock");
        assert!(matches!(bind(&path), Err(LocalError::AlreadyRunning(_))));
        assert!(
            path.exists(),
            "the stale socket is left to the lock's holder"
        );
        // That start died before binding: the lock went with it, and this one takes over.
        drop(other);
        let running = bind(&path).expect("binds once the lock is free");
        assert!(matches!(bind(&path), Err(LocalError::AlreadyRunning(_))));
        drop(running);
    }
}

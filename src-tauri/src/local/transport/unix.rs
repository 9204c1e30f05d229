//! The local channel over a Unix domain socket: a 0600 socket in a 0700 directory, and only peers of the socket's owner let in.

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
}

/// Binds the socket at `path`: the directory is made private, a file left by a killed run
/// is replaced, and a socket that answers means another engine runs.
pub fn bind(path: &Path) -> Result<Listener, LocalError> {
    use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
    use std::os::unix::net::{UnixListener, UnixStream};
    prepare_dir(path)?;
    let bind_error = |source| LocalError::Bind {
        path: path.to_path_buf(),
        source,
    };
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
    })
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

//! The local channel's bytes: one listener and one `connect` over a Unix domain socket or a Windows named pipe.
//!
//! Everything above this module (hello, frames, requests, pushes) is the same on every
//! system. Callers name the engine's endpoint by a path ([`super::socket_path`]): on Unix it
//! is the socket file; on Windows the pipe's name is derived from it and the user's SID, so
//! one engine per user and data dir holds on both.
//!
//! Each implementation gives:
//! - `bind(path) -> Result<Listener, LocalError>`: claims the endpoint without a runtime
//!   (the tray binds before its event loop exists), or says another engine holds it;
//! - `Listener::accept`: the next peer of this user only (others are refused and logged);
//! - `connect(path)`: a client stream, `NotFound`/`ConnectionRefused` when nothing listens;
//! - `describe(path)`: the endpoint as a person would look for it (socket path, pipe name).

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub use unix::{bind, connect, describe, ClientStream, Listener, ServerStream};

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::{bind, connect, describe, ClientStream, Listener, ServerStream};

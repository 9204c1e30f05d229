//! The Win32 calls the app needs and no safe crate offers: the user's SID, a named pipe only that user may open, and attaching to the parent's console.
//!
//! This is the one module where `unsafe` is allowed; each block states what it relies on.
#![allow(unsafe_code)]

use std::ffi::c_void;
use std::io;
use std::os::windows::io::{AsRawHandle as _, FromRawHandle as _, IntoRawHandle as _, OwnedHandle};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tokio::net::windows::named_pipe::NamedPipeServer;
use windows_sys::Win32::Foundation::{LocalFree, HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW, SDDL_REVISION_1,
};
use windows_sys::Win32::Security::{
    GetTokenInformation, TokenUser, SECURITY_ATTRIBUTES, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::Storage::FileSystem::{
    FILE_FLAG_FIRST_PIPE_INSTANCE, FILE_FLAG_OVERLAPPED, PIPE_ACCESS_DUPLEX,
};
use windows_sys::Win32::System::Console::{
    AttachConsole, GetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE, STD_OUTPUT_HANDLE,
};
use windows_sys::Win32::System::Pipes::{
    CreateNamedPipeW, PIPE_READMODE_BYTE, PIPE_REJECT_REMOTE_CLIENTS, PIPE_TYPE_BYTE,
    PIPE_UNLIMITED_INSTANCES, PIPE_WAIT,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

pub const ERROR_ACCESS_DENIED: i32 = windows_sys::Win32::Foundation::ERROR_ACCESS_DENIED as i32;
pub const ERROR_PIPE_BUSY: i32 = windows_sys::Win32::Foundation::ERROR_PIPE_BUSY as i32;

/// Buffer sizes of each pipe instance: frames are small, and larger ones simply take
/// several writes.
const PIPE_BUFFER: u32 = 64 * 1024;

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// The current user's SID as a string (`S-1-5-21-…`), read once from the process token.
pub fn user_sid() -> io::Result<String> {
    static SID: OnceLock<Result<String, String>> = OnceLock::new();
    SID.get_or_init(|| read_user_sid().map_err(|e| e.to_string()))
        .clone()
        .map_err(io::Error::other)
}

fn read_user_sid() -> io::Result<String> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: GetCurrentProcess returns a pseudo-handle that needs no closing; `token`
    // receives a real handle on success, which `OwnedHandle` closes.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a valid handle just returned to us, owned from here on.
    let token = unsafe { OwnedHandle::from_raw_handle(token) };
    let mut needed = 0u32;
    // SAFETY: asking for the size only (null buffer, length 0) is the documented use.
    unsafe {
        GetTokenInformation(
            token.as_raw_handle(),
            TokenUser,
            std::ptr::null_mut(),
            0,
            &mut needed,
        )
    };
    if needed == 0 {
        return Err(io::Error::last_os_error());
    }
    // u64s keep the buffer aligned for TOKEN_USER's pointer.
    let mut buf = vec![0u64; (needed as usize).div_ceil(8)];
    // SAFETY: `buf` holds at least `needed` bytes, as the first call asked for.
    if unsafe {
        GetTokenInformation(
            token.as_raw_handle(),
            TokenUser,
            buf.as_mut_ptr().cast(),
            needed,
            &mut needed,
        )
    } == 0
    {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: on success the buffer starts with a TOKEN_USER whose SID points into it.
    let sid = unsafe { (*buf.as_ptr().cast::<TOKEN_USER>()).User.Sid };
    let mut text: *mut u16 = std::ptr::null_mut();
    // SAFETY: `sid` is valid while `buf` lives; the string is allocated by the system and
    // freed with LocalFree below.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a NUL-terminated UTF-16 string from the call above.
    let sid = unsafe {
        let len = (0..).take_while(|&i| *text.add(i) != 0).count();
        String::from_utf16_lossy(std::slice::from_raw_parts(text, len))
    };
    // SAFETY: allocated by ConvertSidToStringSidW, freed once.
    unsafe { LocalFree(text.cast()) };
    Ok(sid)
}

/// A security descriptor whose DACL grants the current user, and nobody else, access.
#[derive(Debug)]
pub struct PipeSecurity {
    descriptor: *mut c_void,
}

// SAFETY: the descriptor is immutable once made and only read by CreateNamedPipeW.
unsafe impl Send for PipeSecurity {}
// SAFETY: as above.
unsafe impl Sync for PipeSecurity {}

impl PipeSecurity {
    pub fn current_user_only() -> io::Result<Self> {
        // Protected DACL (no inherited entries), one entry: generic all for this user.
        let sddl = wide(&format!("D:P(A;;GA;;;{})", user_sid()?));
        let mut descriptor: *mut c_void = std::ptr::null_mut();
        // SAFETY: `sddl` is NUL-terminated; the descriptor is allocated by the system and
        // freed with LocalFree on drop.
        if unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl.as_ptr(),
                SDDL_REVISION_1,
                &mut descriptor,
                std::ptr::null_mut(),
            )
        } == 0
        {
            return Err(io::Error::last_os_error());
        }
        Ok(PipeSecurity { descriptor })
    }
}

impl Drop for PipeSecurity {
    fn drop(&mut self) {
        // SAFETY: allocated by ConvertStringSecurityDescriptorToSecurityDescriptorW, freed once.
        unsafe { LocalFree(self.descriptor) };
    }
}

/// Creates one instance of the pipe `name`, overlapped (as tokio needs), byte mode, remote
/// clients rejected, with `security`. `first`: fail with access denied if the name exists.
pub fn create_pipe(name: &str, first: bool, security: &PipeSecurity) -> io::Result<OwnedHandle> {
    let name = wide(name);
    let mut open_mode = PIPE_ACCESS_DUPLEX | FILE_FLAG_OVERLAPPED;
    if first {
        open_mode |= FILE_FLAG_FIRST_PIPE_INSTANCE;
    }
    let attributes = SECURITY_ATTRIBUTES {
        nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
        lpSecurityDescriptor: security.descriptor,
        bInheritHandle: 0,
    };
    // SAFETY: `name` is NUL-terminated, `attributes` and its descriptor outlive the call.
    let handle = unsafe {
        CreateNamedPipeW(
            name.as_ptr(),
            open_mode,
            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
            PIPE_UNLIMITED_INSTANCES,
            PIPE_BUFFER,
            PIPE_BUFFER,
            0,
            &attributes,
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a valid pipe handle just created, owned from here on.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle) })
}

/// Hands a pipe instance to tokio (inside a runtime).
pub fn pipe_server(handle: OwnedHandle) -> io::Result<NamedPipeServer> {
    let raw = handle.into_raw_handle();
    // SAFETY: `raw` is an overlapped named pipe server handle (create_pipe) whose ownership
    // moves to the NamedPipeServer.
    unsafe { NamedPipeServer::from_raw_handle(raw) }
}

/// Attaches to the console of the process that started this one, when there is one and
/// output is not already going somewhere: a redirect (`> file`, a pipe) is a handle the
/// parent gave, and attaching would send the output to the console instead.
pub fn attach_parent_console() {
    let given = |which| {
        // SAFETY: no pointers; returns a handle or null/invalid.
        let h = unsafe { GetStdHandle(which) };
        !h.is_null() && h != INVALID_HANDLE_VALUE
    };
    if given(STD_OUTPUT_HANDLE) || given(STD_ERROR_HANDLE) {
        return;
    }
    // SAFETY: no pointers; fails harmlessly when there is no parent console.
    unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
}

/// The icon toasts show, written into the data dir (a registered AppUserModelID names a
/// file, and an unpackaged app has no other place that is surely its own).
fn icon_file(data_dir: &Path) -> io::Result<PathBuf> {
    const ICON: &[u8] = include_bytes!("../../../icons/128x128.png");
    let path = data_dir.join("app-icon.png");
    if std::fs::read(&path).ok().as_deref() != Some(ICON) {
        std::fs::create_dir_all(data_dir)?;
        std::fs::write(&path, ICON)?;
    }
    Ok(path)
}

/// Registers `HKCU\Software\Classes\AppUserModelId\<APP_ID>` with the display name and icon.
pub fn register_app_id(data_dir: &Path) -> windows_registry::Result<()> {
    let key = windows_registry::CURRENT_USER.create(format!(
        r"Software\Classes\AppUserModelId\{}",
        super::APP_ID
    ))?;
    key.set_string("DisplayName", super::APP_NAME)?;
    match icon_file(data_dir) {
        Ok(icon) => key.set_string("IconUri", icon.to_string_lossy().as_ref())?,
        Err(e) => tracing::warn!(error = %e, "cannot write the notification icon"),
    }
    Ok(())
}

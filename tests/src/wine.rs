//! The Windows build of the app run under Wine: where it is, how to start it, paths as it sees them.
//!
//! `tests/run-all.sh` builds `outage-radar.exe` for `x86_64-pc-windows-gnu`, sources
//! `tests/cross/windows-env.sh` (Wine prefix, `WINEDEBUG`) and names the binary in
//! `OUTAGE_RADAR_WINDOWS_EXE`. Without it these tests skip, saying so (or fail under CI).

use std::path::{Path, PathBuf};
use tokio::process::Command;

/// Names the Windows binary under test.
pub const EXE_ENV: &str = "OUTAGE_RADAR_WINDOWS_EXE";

/// Wine and the Windows binary, or `None` (printed) when this run has no Windows build.
pub fn setup() -> Option<Wine> {
    let exe = std::env::var_os(EXE_ENV).map(PathBuf::from);
    let wine = std::env::var_os("WINE64")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/lib/wine/wine64")).filter(|p| p.is_file()))
        .or_else(|| crate::which("wine64"));
    match (exe, wine) {
        (Some(exe), Some(wine)) if exe.is_file() => Some(Wine { wine, exe }),
        (exe, wine) => {
            let msg = format!(
                "no Windows build under Wine (exe {exe:?}, wine {wine:?}): set {EXE_ENV} \
                 after sourcing tests/cross/windows-env.sh (tests/run-all.sh does)"
            );
            if std::env::var_os(crate::REQUIRE_ENV).is_some() {
                panic!("{msg}");
            }
            println!("SKIP: {msg}");
            None
        }
    }
}

#[derive(Debug, Clone)]
pub struct Wine {
    pub wine: PathBuf,
    pub exe: PathBuf,
}

impl Wine {
    /// `outage-radar.exe ARGS…` under Wine, English, logging to stderr at `log`.
    pub fn command(&self, args: &[&str], log: &str) -> Command {
        let mut c = Command::new(&self.wine);
        c.arg(&self.exe)
            .args(args)
            .env("WINEDEBUG", "-all")
            .env("OUTAGE_RADAR_LOG", log)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LANGUAGE")
            .kill_on_drop(true);
        c
    }

    /// Runs to completion with logging off; a run that hangs fails the test (after 3 min:
    /// the demo takes 90 s).
    pub async fn run(&self, args: &[&str]) -> std::process::Output {
        completed(
            self.command(args, "off"),
            &format!("outage-radar.exe {args:?}"),
        )
        .await
    }

    /// The files in the Wine prefix matching `pattern` (a glob below the prefix): the first.
    pub fn prefix_files(&self, pattern: &str) -> Option<PathBuf> {
        let prefix = std::env::var_os("WINEPREFIX")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".wine")))?;
        let mut found = vec![prefix];
        for part in pattern.split('/') {
            found = found
                .iter()
                .flat_map(|dir| -> Vec<PathBuf> {
                    if part == "*" {
                        std::fs::read_dir(dir)
                            .map(|d| d.flatten().map(|e| e.path()).collect())
                            .unwrap_or_default()
                    } else {
                        vec![dir.join(part)]
                    }
                })
                .filter(|p| p.exists())
                .collect();
        }
        found.into_iter().next()
    }

    /// `reg query KEY` in the same prefix: what the binary wrote to the registry.
    pub async fn reg_query(&self, key: &str) -> String {
        let mut reg = Command::new(&self.wine);
        reg.args(["reg", "query", key]).env("WINEDEBUG", "-all");
        let out = completed(reg, "wine reg query").await;
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// Runs `command` to its end (3 min at most) and collects what it printed. Through files,
/// not pipes: the first Wine process starts Wine's server, which inherits its stdout and
/// stderr and outlives it, so a pipe would not end with the process.
async fn completed(mut command: Command, what: &str) -> std::process::Output {
    let out = tempfile::tempfile().expect("stdout file");
    let err = tempfile::tempfile().expect("stderr file");
    let mut child = command
        .stdin(std::process::Stdio::null())
        .stdout(out.try_clone().expect("dup"))
        .stderr(err.try_clone().expect("dup"))
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = tokio::time::timeout(std::time::Duration::from_secs(180), child.wait())
        .await
        .unwrap_or_else(|_| panic!("{what} hung under wine"))
        .expect("wait");
    let read = |mut f: std::fs::File| {
        use std::io::{Read as _, Seek as _};
        let mut bytes = Vec::new();
        f.rewind().expect("rewind");
        f.read_to_end(&mut bytes).expect("read output");
        bytes
    };
    std::process::Output {
        status,
        stdout: read(out),
        stderr: read(err),
    }
}

/// A Unix path as the Windows binary names it (Wine's drive Z: is `/`).
pub fn win_path(p: &Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

//! The `outage-radar-window` binary: the Tauri window the tray process starts beside itself, talking to its engine over the local socket.
// A GUI program on Windows: it opens no console.
#![cfg_attr(target_os = "windows", windows_subsystem = "windows")]

mod commands;
mod ipc;
mod window;

use clap::Parser;
use outage_radar::local::client::ClientError;
use std::path::PathBuf;
use std::process::ExitCode;

/// The window of Outage Radar; the `outage-radar` tray process starts it.
#[derive(Debug, Parser)]
#[command(name = "outage-radar-window", version)]
struct Args {
    /// The engine's local socket (default: the one for --data-dir, or the default data dir)
    #[arg(long, value_name = "PATH")]
    socket: Option<PathBuf>,
    /// The engine's data dir, to find its socket
    #[arg(long, env = "OUTAGE_RADAR_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Open on the welcome view (the first start)
    #[arg(long)]
    welcome: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    outage_radar::cli::init_logging();
    outage_radar::i18n::init(None);
    let result = socket(&args).and_then(|socket| window::run(&socket, args.welcome));
    let result = match result {
        // Started on its own (an installer's shortcut, the macOS bundle) with no app running:
        // the app is the tray process, which opens this window once its engine is up.
        Err(window::WindowError::Client(ClientError::NotRunning(_))) if args.socket.is_none() => {
            start_the_app(&args)
        }
        other => other,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Started by the tray, nobody reads stderr: the tray's log has the line too.
            tracing::error!(error = %e, "the window could not open");
            eprintln!("outage-radar-window: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Starts the tray process from beside this binary, with its window open.
fn start_the_app(args: &Args) -> Result<(), window::WindowError> {
    let exe = std::env::current_exe().map_err(window::WindowError::App)?;
    let app = exe.with_file_name(format!("outage-radar{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = std::process::Command::new(&app);
    cmd.arg("--show");
    if let Some(dir) = &args.data_dir {
        cmd.arg("--data-dir").arg(dir);
    }
    cmd.spawn().map_err(window::WindowError::App)?;
    tracing::info!(app = %app.display(), "the app was not running: started it");
    Ok(())
}

/// Where the engine listens: `--socket`, else the socket of `--data-dir` (or of the default
/// data dir), as the CLI finds it.
fn socket(args: &Args) -> Result<PathBuf, window::WindowError> {
    match &args.socket {
        Some(s) => Ok(s.clone()),
        None => outage_radar::local::socket_for(args.data_dir.as_deref())
            .ok_or(window::WindowError::NoDataDir),
    }
}

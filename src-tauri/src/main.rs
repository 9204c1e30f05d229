//! The `outage-radar` binary: hands the command line to [`outage_radar::cli`].
#![cfg_attr(
    all(not(debug_assertions), target_os = "windows"),
    windows_subsystem = "windows"
)]

fn main() -> std::process::ExitCode {
    outage_radar::cli::main()
}

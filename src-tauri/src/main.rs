//! The `outage-radar` binary: hands the command line to [`outage_radar::cli`].
// A GUI program on Windows, debug builds too (the tests run what ships): started from the
// Start menu or at login it opens no console; subcommands attach to the shell's console.
#![cfg_attr(target_os = "windows", windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    outage_radar::cli::main()
}

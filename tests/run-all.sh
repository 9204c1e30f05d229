#!/usr/bin/env bash
# Installs what is missing, then runs every check and test: formatting, clippy (with and
# without the desktop shell), the headless engine's tests, and the system tests that drive
# the real binary (fake status server, private D-Bus, Xvfb, tray host, WebDriver).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/deps.sh test
export PATH="$HOME/.cargo/bin:$PATH"
# In this script a missing tool is a failure, not a skip.
export OUTAGE_RADAR_REQUIRE_SYSTEM=1
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

# Each step says what the one before it cost (CI's budget is counted per step).
step_name= step_start=$SECONDS
step() {
  [ -n "$step_name" ] && printf '<== %s: %d s\n' "$step_name" $((SECONDS - step_start))
  step_name=$* step_start=$SECONDS
  printf '\n==> %s\n' "$*"
}

step "cargo fmt --check"
cargo fmt --all -- --check

step "engine without Tauri: clippy and tests"
cargo clippy -p outage-radar --no-default-features --all-targets -- -D warnings
cargo test -p outage-radar --no-default-features

step "Windows (x86_64-pc-windows-gnu): set-up, clippy"
# mingw-w64, Wine and the target, the DLL Wine lacks, a prefix; cargo runs Windows tests in Wine.
source tests/cross/windows-env.sh
cargo clippy -p outage-radar -p outage-radar-window --target x86_64-pc-windows-gnu --all-targets -- -D warnings

step "Windows: build, the engine's unit tests and the tray app under Wine"
# The tray process and, beside it, the window (which loads WebView2Loader.dll from its own
# directory, where the build leaves it).
cargo build -p outage-radar -p outage-radar-window --target x86_64-pc-windows-gnu
win_out=${CARGO_TARGET_DIR:-target}/x86_64-pc-windows-gnu/debug
cargo test -p outage-radar --target x86_64-pc-windows-gnu --lib
# The tray process needs an X display under Wine (Wine keeps its own tray window there).
xvfb-run -a cargo test -p outage-radar --target x86_64-pc-windows-gnu --test windows_tray
# The Linux-side system tests drive this binary under Wine (tests/tests/windows_wine.rs).
export OUTAGE_RADAR_WINDOWS_EXE=$PWD/$win_out/outage-radar.exe

step "macOS (aarch64-apple-darwin): clippy, with zig as the C compiler"
bash tests/cross/macos-check.sh

step "desktop build: clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "desktop build: binary for the system tests"
cargo build --workspace

step "all tests (unit + system)"
cargo test --workspace

step "package: build, install, test the installed app, remove"
./tests/package.sh
printf '<== %s: %d s\n\nall checks passed in %d s\n' "$step_name" $((SECONDS - step_start)) "$SECONDS"

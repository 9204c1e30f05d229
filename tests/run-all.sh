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

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "engine without Tauri: clippy and tests"
cargo clippy -p outage-radar --no-default-features --all-targets -- -D warnings
cargo test -p outage-radar --no-default-features

step "desktop build: clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "desktop build: binary for the system tests"
cargo build --workspace

step "all tests (unit + system)"
cargo test --workspace

step "package: build, install, test the installed app, remove"
./tests/package.sh

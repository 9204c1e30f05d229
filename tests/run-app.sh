#!/usr/bin/env bash
# Installs what is missing, builds Outage Radar (release) and starts it in the tray.
# Extra arguments go to the app, e.g. `tests/run-app.sh --show`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/deps.sh build
export PATH="$HOME/.cargo/bin:$PATH"
# The window is a binary of its own that the tray process starts from beside itself.
cargo build --release -p outage-radar-window
exec cargo run --release -p outage-radar -- "$@"

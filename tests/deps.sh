#!/usr/bin/env bash
# Installs what Outage Radar needs on Debian/Ubuntu, and only what is missing.
# Usage: tests/deps.sh build   (to build and run the app)
#        tests/deps.sh test    (also what the test suite drives: Xvfb, D-Bus, tray host, WebDriver)
set -euo pipefail

want=${1:-build}
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

build_pkgs=(build-essential pkg-config curl ca-certificates libwebkit2gtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev)
test_pkgs=(xvfb xauth dbus dbus-x11 dunst libnotify-bin webkit2gtk-driver imagemagick
  x11-utils xdotool fonts-dejavu-core haskell-gtk-sni-tray-utils sqlite3 desktop-file-utils
  systemd at-spi2-core python3-pyatspi)

pkgs=("${build_pkgs[@]}")
if [ "$want" = test ]; then pkgs+=("${test_pkgs[@]}"); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Rust: the distribution's cargo is often too old for Tauri 2; rustup installs a current one.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "deps: installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component rustfmt,clippy
  export PATH="$HOME/.cargo/bin:$PATH"
fi

if [ "$want" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "deps: installing tauri-driver"
  cargo install tauri-driver --version 2.1.0 --locked
fi

# axe-core, the accessibility checker the window's test runs in the page: fetched into
# target/ (never committed) when missing, pinned to the 4.11 line its rules were judged by.
axe_dir=${CARGO_TARGET_DIR:-$(dirname "$0")/../target}/test-tools
if [ "$want" = test ] && [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
  echo "deps: fetching axe-core 4.11 into $axe_dir"
  # Only when no npm is on PATH: a Node.js from elsewhere brings its own, which Debian's clashes with.
  if ! command -v npm >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends npm
  fi
  mkdir -p "$axe_dir"
  npm install --prefix "$axe_dir" --no-save --no-audit --no-fund --ignore-scripts axe-core@~4.11.0
fi

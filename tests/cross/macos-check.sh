#!/usr/bin/env bash
# Lints the app as compiled for macOS (aarch64), from Linux: catches macOS-only cfg code the Linux build never sees.
# zig stands in for Apple's C compiler; clippy links nothing, so Apple's SDK is not needed.
set -euo pipefail
cd "$(dirname "$0")/../.."
cross=$PWD/tests/cross
target=aarch64-apple-darwin

rustup target list --installed | grep -x "$target" >/dev/null || rustup --quiet target add "$target"
python3 -m ziglang version >/dev/null 2>&1 || python3 -m pip install --quiet ziglang \
  || python3 -m pip install --quiet --break-system-packages ziglang

export CC_aarch64_apple_darwin=$cross/zig-cc-macos AR_aarch64_apple_darwin=$cross/zig-ar-macos
cargo clippy --quiet --keep-going -p outage-radar -p outage-radar-window --target "$target" --all-targets -- -D warnings

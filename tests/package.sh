#!/usr/bin/env bash
# Builds the .deb, installs it on this machine, runs the installed program through the system
# tests (headless `check` and the desktop app under Xvfb), validates the desktop entry, removes
# the package and checks that none of its files are left. Called by tests/run-all.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

if ! command -v cargo-deb >/dev/null 2>&1; then
  cargo install cargo-deb --version 3.8.0 --locked
fi
cargo build --release -p outage-radar -p outage-radar-window
cargo deb -p outage-radar --no-build --output target/debian/outage-radar.deb
deb=target/debian/outage-radar.deb
echo "package: $deb, $(du -k "$deb" | cut -f1) KiB"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\|Installed-Size\):/  &/p'

"${sudo_cmd[@]}" dpkg -i "$deb" || "${sudo_cmd[@]}" apt-get -f install -y -qq
dpkg -s outage-radar | grep -q "Status: install ok installed"
desktop-file-validate /usr/share/applications/outage-radar.desktop
# The user unit as installed, against the installed binary (a user manager needs a runtime dir).
unit_runtime=$(mktemp -d)
XDG_RUNTIME_DIR=$unit_runtime systemd-analyze verify --user /usr/lib/systemd/user/outage-radar-watch.service
rm -rf "$unit_runtime"
mapfile -t installed < <(dpkg -L outage-radar | while read -r f; do [ -f "$f" ] && echo "$f"; done)
echo "installed ${#installed[@]} files, e.g. $(command -v outage-radar)"

# The same system tests, against the installed binary.
# --workspace: the same feature set as the main test run, so nothing is rebuilt.
OUTAGE_RADAR_BIN=/usr/bin/outage-radar cargo test --workspace --test check_cli --test desktop_app

"${sudo_cmd[@]}" dpkg -r outage-radar
left=0
for f in "${installed[@]}"; do
  if [ -e "$f" ]; then echo "left behind: $f"; left=1; fi
done
[ "$left" -eq 0 ] && echo "package removed; no program files left"
exit "$left"

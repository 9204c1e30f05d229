# Sourced by tests/run-all.sh: makes this Linux machine build for Windows and run what it
# built under Wine. Installs what is missing (mingw-w64, Wine, the Rust target), builds the
# one DLL Wine 8 lacks, makes a Wine prefix, and exports WINEPREFIX, WINEDEBUG and cargo's
# runner for the Windows target (`cargo test --target x86_64-pc-windows-gnu` runs under Wine).

windows_env_setup() {
  local root target_dir pkgs=() p
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  target_dir=${CARGO_TARGET_DIR:-$root/target}
  # xvfb: the Windows tray app needs an X display under Wine.
  for p in gcc-mingw-w64-x86-64 wine64 xvfb xauth; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || pkgs+=("$p")
  done
  if [ ${#pkgs[@]} -gt 0 ]; then
    echo "windows: installing ${pkgs[*]}"
    local sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}"
  fi
  rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu

  WINE64=/usr/lib/wine/wine64
  [ -x "$WINE64" ] || WINE64=$(command -v wine64 || command -v wine)
  export WINE64
  export WINEDEBUG=-all
  export WINEPREFIX=$target_dir/wine-prefix
  export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=$WINE64

  local shim_dir=$target_dir/wine-shim
  local shim=$shim_dir/bcryptprimitives.dll
  if [ ! -f "$shim" ] || [ "$root/tests/cross/processprng.c" -nt "$shim" ]; then
    mkdir -p "$shim_dir"
    x86_64-w64-mingw32-gcc -shared -O2 -o "$shim" "$root/tests/cross/processprng.c" \
      "$root/tests/cross/processprng.def" -ladvapi32
  fi
  if [ ! -d "$WINEPREFIX/drive_c/windows/system32" ]; then
    echo "windows: making a Wine prefix at $WINEPREFIX"
    "$WINE64" wineboot --init >/dev/null 2>&1 || true
    # wineboot returns before the prefix is written out; the server's end says it is.
    wineserver -w 2>/dev/null || /usr/lib/wine/wineserver64 -w || true
  fi
  # In the prefix's system32, every Windows binary (test runners included) finds it.
  cp "$shim" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
}

windows_env_setup

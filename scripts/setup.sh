#!/usr/bin/env bash
# Installs what building and testing Lightrig needs on a fresh Debian/Ubuntu machine: the
# system libraries for the desktop shell (WebKitGTK), Xvfb and WebKitWebDriver for the desktop
# end-to-end test, Debian's Chromium for the browser end-to-end test, Debian's monero package
# (monerod, for the engine's end-to-end test on a private regtest chain), a D-Bus session daemon
# and python3-xlib (the desktop test's session bus and its window-manager close request), and
# the npm packages.
# Safe to run again: it only installs what is missing. Sourced by run.sh and test.sh.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(build-essential pkg-config curl wget file libssl-dev libwebkit2gtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev xvfb xauth webkit2gtk-driver
  libdbus-1-dev dbus-daemon python3-xlib chromium keyutils monero)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is not installed. Install it from your distribution or rustup, then run this again." >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: Node.js and npm are not installed. Install Node 20 or newer, then run this again." >&2
  exit 1
fi

# The UI's packages, exactly as locked. Nothing here downloads a browser.
if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund
fi

#!/usr/bin/env bash
# Builds Lightrig and opens the desktop app on its embedded default: the practice node,
# offline, with simulated rewards. Quitting (window or tray) stops the node and leaves nothing
# running. Without a display it starts browser mode instead and prints the link to open.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
npm run ui:build
cargo build --release --locked --workspace --bins --features lightrig-desktop/custom-protocol
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; then
  exec target/release/lightrig-desktop
fi
echo "run: no display here, so Lightrig starts in browser mode; open the link below."
exec target/release/lightrig serve --start --ui ui/dist

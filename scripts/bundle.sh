#!/usr/bin/env bash
# Builds Lightrig's installable packages for this computer's OS and architecture:
#   bash scripts/bundle.sh            # every bundle this OS can make (Linux: deb, rpm)
#   bash scripts/bundle.sh deb        # only these bundle kinds (deb, rpm, msi, nsis, dmg, app)
# The desktop app needs two programs beside it: the practice node and the lifeline that ends a
# node's process tree if Lightrig itself is killed. Tauri ships them as "external binaries"
# named with the target triple; this script builds them and puts them where the bundler looks.
# The bundle-only config (src-tauri/tauri.bundle.json) keeps them out of ordinary cargo builds.
# Windows (msi, nsis) and macOS (dmg, app) bundles are made on those systems by the hosted
# workflow in .github/workflows/bundles.yml.
set -euo pipefail
cd "$(dirname "$0")/.."

triple="$(rustc -vV | sed -n 's/^host: //p')"
ext=""
case "$triple" in *windows*) ext=".exe" ;; esac

echo "== building the node programs (release, $triple)"
cargo build --locked --release -p lightrig-practice-node -p lightrig-core \
  --bin lightrig-practice-node --bin lightrig-lifeline
mkdir -p src-tauri/binaries
for bin in lightrig-practice-node lightrig-lifeline; do
  cp "target/release/$bin$ext" "src-tauri/binaries/$bin-$triple$ext"
done

bundles="${*:-}"
if [ -z "$bundles" ]; then
  case "$triple" in
    *linux*) bundles="deb rpm" ;;
    *windows*) bundles="msi nsis" ;;
    *apple*) bundles="app dmg" ;;
  esac
fi

echo "== bundling: $bundles"
# The CLI builds the UI (beforeBuildCommand) and the app in release with the UI embedded.
npx tauri build --config src-tauri/tauri.bundle.json --bundles ${bundles// /,}
echo "== bundles in target/release/bundle/"
ls -1 target/release/bundle/*/* 2>/dev/null | grep -E '\.(deb|rpm|msi|exe|dmg|app)$' || true

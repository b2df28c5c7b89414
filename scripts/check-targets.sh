#!/usr/bin/env bash
# Type-checks Lightrig for Windows and macOS where those Rust targets are installed, so the
# cfg(windows) and cfg(target_os = "macos") code paths do not rot. Says plainly what it could
# not check. (Adding a target needs the rustup server, which is not always reachable, so the
# test suite never depends on this script; hosted Windows/macOS CI builds for real.)
#   Windows: x86_64-pc-windows-gnu with Debian's gcc-mingw-w64-x86-64 (builds SQLite's C).
#   macOS:   x86_64-apple-darwin or aarch64-apple-darwin; there is no macOS SDK here, so the
#            bundled SQLite is left out (--no-default-features) and only Rust is checked.
set -uo pipefail
cd "$(dirname "$0")/.."
installed="$(rustup target list --installed 2>/dev/null || true)"
status=0
has() { grep -qx "$1" <<<"$installed"; }

if has x86_64-pc-windows-gnu && command -v x86_64-w64-mingw32-gcc >/dev/null; then
  echo "== Windows (x86_64-pc-windows-gnu): whole workspace"
  cargo check --locked --workspace --all-targets --target x86_64-pc-windows-gnu || status=1
else
  echo "== Windows: NOT CHECKED (needs: rustup target add x86_64-pc-windows-gnu; apt-get install gcc-mingw-w64-x86-64)"
fi

mac=""
for t in aarch64-apple-darwin x86_64-apple-darwin; do has "$t" && mac="$t" && break; done
if [ -n "$mac" ]; then
  echo "== macOS ($mac): engine without bundled SQLite, and the practice node"
  macenv=()
  if ! command -v xcrun >/dev/null; then
    # No macOS SDK here, so C sources of dependencies (ring's) cannot be compiled for the Mac.
    # Only Rust is being type-checked: a stand-in compiler answers cc's probe with clang and
    # writes an empty Mach-O object for each C file.
    if command -v clang >/dev/null; then
      stub="$(mktemp -d)"
      trap 'rm -rf "$stub"' EXIT
      cat >"$stub/cc" <<STUB
#!/usr/bin/env bash
out=""; prev=""; src=""
for a in "\$@"; do
  [ "\$prev" = "-o" ] && out="\$a"
  case "\$a" in *.c|*.S) src="\$a";; esac
  prev="\$a"
done
if [ -z "\$out" ]; then
  [ -n "\$src" ] && exec clang --target=$mac -E "\$src"
  exit 1
fi
exec clang --target=$mac -c -x c /dev/null -o "\$out"
STUB
      chmod +x "$stub/cc"
      macenv=("CC_${mac//-/_}=$stub/cc")
      echo "   (no macOS SDK: dependencies' C code is stubbed out; Rust is fully type-checked)"
    else
      echo "   (no macOS SDK and no clang: dependencies with C code will fail to build)"
    fi
  fi
  env "${macenv[@]}" SQLITE3_LIB_DIR=/tmp cargo check --locked -p lightrig-core --no-default-features --target "$mac" || status=1
  env "${macenv[@]}" cargo check --locked -p lightrig-practice-node --target "$mac" || status=1
else
  echo "== macOS: NOT CHECKED (needs: rustup target add aarch64-apple-darwin)"
fi
exit $status

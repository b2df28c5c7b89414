#!/usr/bin/python3
"""What WebKitGTK costs before Lightrig adds anything (docs/benchmarks.md; not a test).

Opens a bare WebKitGTK window (PyGObject, no Tauri, no Lightrig) with the same WebKit
settings as Lightrig's shell (src-tauri/src/webkit_env.rs) and reports the PSS of WebKit's
web and network processes:

  - on about:blank: the floor any WebKitGTK app pays on this machine;
  - with --serve PATH/TO/lightrig: on Lightrig's own UI, served by `lightrig serve --start`
    (browser mode, practice node running), which is what the page itself costs.

Run under Xvfb with a session bus, with Debian's python3-gi and gir1.2-webkit2-4.1:
  dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
    /usr/bin/python3 tests/e2e/bench-webkit-floor.py [--serve target/release/lightrig]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

# As src-tauri/src/webkit_env.rs sets them on a machine without a render node.
SHELL_ENV = {
    "WEBKIT_DISABLE_COMPOSITING_MODE": "1",
    "WEBKIT_DISABLE_DMABUF_RENDERER": "1",
    "GDK_GL": "disable",
    "WEBKIT_WEB_RENDER_DEVICE_FILE": "/dev/dri/no-render-node",
    "JSC_useJIT": "false",
    # As src-tauri/src/main.rs does under the POSIX locale.
    "LANG": "en_US.UTF-8",
}


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        return int(re.search(r"^Pss:\s+(\d+)", f.read(), re.M).group(1))


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def comm(pid):
    with open(f"/proc/{pid}/comm") as f:
        return f.read().strip()


def window(url):
    """The child: one GTK window with one web view on `url`, as Lightrig's is sized."""
    import gi

    gi.require_version("Gtk", "3.0")
    gi.require_version("WebKit2", "4.1")
    from gi.repository import Gtk, WebKit2

    win = Gtk.Window(title="webkit-floor")
    win.set_default_size(1200, 800)
    view = WebKit2.WebView()
    view.get_context().set_cache_model(WebKit2.CacheModel.DOCUMENT_VIEWER)
    win.add(view)
    view.load_uri(url)
    win.connect("destroy", Gtk.main_quit)
    win.show_all()
    Gtk.main()


def serve(lightrig):
    """`lightrig serve --start` in a fresh data folder; returns the process and its URL."""
    home = tempfile.mkdtemp(prefix="lightrig-floor.")
    os.makedirs(f"{home}/config")
    with open(f"{home}/config/config.toml", "w") as f:
        f.write(
            'schema = 1\n[place]\njurisdiction = "DE"\n[energy]\nprice_per_kwh = 0.32\ncurrency = "EUR"\n'
            '[app]\nonboarded = true\n[consent]\nown_device = true\n'
        )
    proc = subprocess.Popen(
        [lightrig, "serve", "--port", "0", "--start"],
        env={**os.environ, "LIGHTRIG_HOME": home},
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in proc.stdout:
        m = re.search(r"http://127\.0\.0\.1:\d+/\S*", line)
        if m:
            return proc, m.group(0)
    sys.exit("lightrig serve printed no URL")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--serve", metavar="LIGHTRIG", help="load Lightrig's UI from this lightrig binary's browser mode")
    ap.add_argument("--settle", type=float, default=15.0, help="seconds to wait before measuring")
    ap.add_argument("--window", metavar="URL", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.window:
        return window(args.window)

    server, url = serve(args.serve) if args.serve else (None, "about:blank")
    env = {**os.environ, **SHELL_ENV}
    child = subprocess.Popen([sys.executable, __file__, "--window", url], env=env)
    try:
        time.sleep(args.settle)
        rows = [(comm(p), pss_kib(p)) for p in children(child.pid)]
        web = sum(k for c, k in rows if c.startswith("WebKit"))
        print(f"page: {'Lightrig UI (browser mode, node running)' if server else 'about:blank'}")
        for c, k in rows:
            print(f"  {c:<16} PSS {k / 1024:6.1f} MiB")
        print(f"  WebKit processes together: PSS {web / 1024:.1f} MiB")
        print(f"  (the python shell, not comparable to Lightrig's: PSS {pss_kib(child.pid) / 1024:.1f} MiB)")
    finally:
        child.terminate()
        child.wait()
        if server:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()

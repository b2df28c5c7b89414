#!/usr/bin/python3
"""Asks a top-level X window to close the way a window manager does when the user clicks its
close button: a WM_DELETE_WINDOW client message (ICCCM 4.2.8.1). Xvfb runs no window manager,
so the desktop end-to-end test sends it itself. The app then decides: quit, or hide to the tray
when the user chose close-to-tray.

Usage: wm-close.py TITLE   (exit 0 when a window with that exact title was asked, 1 if none)
"""

import sys

from Xlib import X, display, error, protocol


def windows(d, w):
    yield w
    try:
        children = w.query_tree().children
    except error.BadWindow:  # it went away while we walked the tree (WebKit's come and go)
        return
    for child in children:
        yield from windows(d, child)


def main() -> int:
    title = sys.argv[1]
    d = display.Display()
    wm_protocols = d.intern_atom("WM_PROTOCOLS")
    wm_delete = d.intern_atom("WM_DELETE_WINDOW")
    asked = 0
    for w in windows(d, d.screen().root):
        try:
            if w.get_wm_name() != title or wm_delete not in (w.get_wm_protocols() or []):
                continue
        except Exception:  # the window went away while we looked
            continue
        event = protocol.event.ClientMessage(
            window=w, client_type=wm_protocols, data=(32, [wm_delete, X.CurrentTime, 0, 0, 0])
        )
        w.send_event(event, event_mask=X.NoEventMask)
        asked += 1
    d.sync()
    return 0 if asked else 1


if __name__ == "__main__":
    sys.exit(main())

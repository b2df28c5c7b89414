#!/usr/bin/python3
"""The desktop's side of a tray icon, for the desktop end-to-end test.

On Linux, Lightrig's tray icon is a StatusNotifierItem: it registers with the session's
StatusNotifierWatcher and exports its menu over D-Bus (com.canonical.dbusmenu), which a panel
draws. Xvfb has no panel, so this script plays one:

  sni.py watch                 own org.kde.StatusNotifierWatcher; print one JSON line per
                               registered item: {"sender": ":1.7", "path": "/org/..."}
  sni.py menu SENDER PATH      print the item's menu as JSON: [{"id", "label", "enabled"}]
  sni.py click SENDER PATH ID  click menu entry ID, as a user's click on the panel does
"""

import json
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

WATCHER_XML = """
<node>
  <interface name="org.kde.StatusNotifierWatcher">
    <method name="RegisterStatusNotifierItem"><arg type="s" direction="in"/></method>
    <method name="RegisterStatusNotifierHost"><arg type="s" direction="in"/></method>
    <property name="RegisteredStatusNotifierItems" type="as" access="read"/>
    <property name="IsStatusNotifierHostRegistered" type="b" access="read"/>
    <property name="ProtocolVersion" type="i" access="read"/>
    <signal name="StatusNotifierItemRegistered"><arg type="s"/></signal>
    <signal name="StatusNotifierHostRegistered"/>
  </interface>
</node>
"""


def watch() -> int:
    items = []
    node = Gio.DBusNodeInfo.new_for_xml(WATCHER_XML)
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)

    def on_call(conn, sender, path, iface, method, params, invocation):
        if method == "RegisterStatusNotifierItem":
            (arg,) = params.unpack()
            # An item may pass its object path (the sender is then its bus name) or a bus name.
            item_path = arg if arg.startswith("/") else "/StatusNotifierItem"
            item_sender = sender if arg.startswith("/") else arg
            items.append(f"{item_sender}{item_path}")
            print(json.dumps({"sender": item_sender, "path": item_path}), flush=True)
            conn.emit_signal(
                None, path, iface, "StatusNotifierItemRegistered", GLib.Variant("(s)", (items[-1],))
            )
        invocation.return_value(None)

    def on_get(conn, sender, path, iface, prop):
        return {
            "RegisteredStatusNotifierItems": GLib.Variant("as", items),
            "IsStatusNotifierHostRegistered": GLib.Variant("b", True),
            "ProtocolVersion": GLib.Variant("i", 0),
        }[prop]

    bus.register_object("/StatusNotifierWatcher", node.interfaces[0], on_call, on_get, None)
    Gio.bus_own_name_on_connection(bus, "org.kde.StatusNotifierWatcher", 0, None, None)
    print(json.dumps({"ready": True}), flush=True)
    GLib.MainLoop().run()
    return 0


def proxy(sender: str, path: str, iface: str) -> Gio.DBusProxy:
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    return Gio.DBusProxy.new_sync(bus, 0, None, sender, path, iface, None)


def menu_path(sender: str, path: str) -> str:
    item = proxy(sender, path, "org.freedesktop.DBus.Properties")
    (value,) = item.call_sync(
        "Get", GLib.Variant("(ss)", ("org.kde.StatusNotifierItem", "Menu")), 0, 5000, None
    ).unpack()
    return value


def entries(layout) -> list:
    item_id, props, children = layout
    out = []
    if item_id != 0 and props.get("type") != "separator":
        out.append(
            {
                "id": item_id,
                "label": props.get("label", "").replace("_", ""),
                "enabled": props.get("enabled", True),
            }
        )
    for child in children:
        out.extend(entries(child))
    return out


def menu(sender: str, path: str) -> int:
    dbusmenu = proxy(sender, menu_path(sender, path), "com.canonical.dbusmenu")
    _revision, layout = dbusmenu.call_sync(
        "GetLayout", GLib.Variant("(iias)", (0, -1, [])), 0, 5000, None
    ).unpack()
    print(json.dumps(entries(layout)))
    return 0


def click(sender: str, path: str, item_id: str) -> int:
    dbusmenu = proxy(sender, menu_path(sender, path), "com.canonical.dbusmenu")
    dbusmenu.call_sync(
        "Event",
        GLib.Variant("(isvu)", (int(item_id), "clicked", GLib.Variant("s", ""), 0)),
        0,
        5000,
        None,
    )
    return 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.exit({"watch": watch, "menu": menu, "click": click}[command](*args))

// The real desktop app (Tauri + WebKitGTK) under Xvfb through tauri-driver and
// WebKitWebDriver: launch, Start, see Running, Stop, Quit — and nothing of Lightrig left.
// Run inside Xvfb (scripts/test.sh wraps this in xvfb-run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { writeFileSync, existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, TARGET, home, ourProcesses, serve, stopProcess, switchToTheWindow, until } from "./lib.mjs";
import { Session } from "./webdriver.mjs";

// LIGHTRIG_E2E_APP runs the same tests against an installed app (e.g. /usr/bin/lightrig-desktop
// from the .deb that scripts/bundle.sh makes).
const APP = process.env.LIGHTRIG_E2E_APP ?? join(TARGET, "lightrig-desktop");
const PORT = 4444 + (process.pid % 1000);

async function withDriver(env, fn) {
  if (!existsSync(APP)) throw new Error(`${APP} is not built: cargo build -p lightrig-desktop --features custom-protocol`);
  const which = spawnSync("sh", ["-c", "command -v tauri-driver"]);
  if (which.status !== 0) throw new Error("tauri-driver is not installed: cargo install tauri-driver --locked");
  // Stopped with SIGTERM, never SIGKILL: that would orphan WebKitWebDriver on its port.
  const driver = spawn("tauri-driver", ["--port", String(PORT)], { env, stdio: "ignore" });
  try {
    await until("tauri-driver", async () => (await fetch(`http://127.0.0.1:${PORT}/status`).catch(() => null))?.ok, 20_000, 200);
    return await fn(`http://127.0.0.1:${PORT}`);
  } finally {
    await stopProcess(driver, "SIGTERM", 10_000);
  }
}

/** Waits until no Lightrig process started since `before` is left. */
const nothingLeft = (before, what = "no Lightrig process left") =>
  until(what, async () => ourProcesses().filter((p) => !before.has(p.pid)).length === 0, 20_000, 250);

/** After a failed test, ends what it left (an app kept in the tray outlives its session), so
 * the next test starts clean. After a passing one there is nothing left to end. */
const endLeftovers = (before) => () => {
  for (const p of ourProcesses()) if (!before.has(p.pid)) try { process.kill(p.pid, "SIGTERM"); } catch {}
};

const stateText = (s) => s.text("[data-testid=node-state]");

test("closing the desktop session's window ends the app (no windowless Lightrig lingers)", async () => {
  const before = new Set(ourProcesses().map((p) => p.pid));
  await withDriver({ ...process.env, LIGHTRIG_HOME: home() }, async (base) => {
    const s = await Session.create(base, APP);
    await until("the dashboard", async () => /start/i.test(await s.text("[data-testid=primary-action]")), 90_000, 250);
    await s.close();
  });
  await until("the app exits", async () => ourProcesses().filter((p) => !before.has(p.pid)).length === 0, 45_000, 250);
});

test("desktop app: launch, Start, Running, Stop, Quit, nothing left running", async () => {
  const before = new Set(ourProcesses().map((p) => p.pid));
  // A fresh XDG config folder: the autostart plugin would write its entry there.
  const xdgConfig = mkdtempSync(join(tmpdir(), "lightrig-xdg-"));
  const env = { ...process.env, LIGHTRIG_HOME: home({ theme: "light" }), XDG_CONFIG_HOME: xdgConfig };
  await withDriver(env, async (base) => {
    const s = await Session.create(base, APP);
    try {
      await until("the dashboard", async () => /start/i.test(await s.text("[data-testid=primary-action]")), 90_000, 250);
      writeFileSync(join(ARTIFACTS, "desktop-stopped.png"), await s.screenshot());
      await s.click("[data-testid=primary-action]");
      await until("Running", async () => /Running/.test(await stateText(s)), 30_000, 250);
      await until("a work rate", async () => /H\/s/.test(await s.text("[data-testid=work-rate]")), 30_000, 250);
      writeFileSync(join(ARTIFACTS, "desktop-running.png"), await s.screenshot());
      const running = ourProcesses(["lightrig-practice-node"]).filter((p) => !before.has(p.pid));
      assert.ok(running.length >= 1, "the practice node runs under its own, honest name");
      // No stealth: launching and starting a node never registers Lightrig to start with the
      // system; only the user's own choice in Settings does.
      const autostart = join(xdgConfig, "autostart");
      assert.deepEqual(existsSync(autostart) ? readdirSync(autostart) : [], [], "an autostart entry appeared without the user's opt-in");
      // The app's own account of the behaviour list: tray icon present while the node runs,
      // not registered to start with the system, and the node's pid is a real, named process.
      const behaviour = await s.exec("return window.__TAURI_INTERNALS__.invoke('behaviour_report');");
      assert.equal(behaviour.tray_icon, true, "the tray icon is present while a node runs");
      assert.equal(behaviour.autostart_registered, false, "autostart is off until the user turns it on");
      assert.ok(running.some((p) => p.pid === behaviour.node_pid), `node pid ${behaviour.node_pid} is the practice node`);
      await s.click("[data-testid=primary-action]");
      await until("Stopped", async () => /Stopped/.test(await stateText(s)), 30_000, 250);
      // Start again, then Quit with the node running: Quit must stop it.
      await s.click("[data-testid=primary-action]");
      await until("Running again", async () => /Running/.test(await stateText(s)), 30_000, 250);
      await s.click(".rail-quit");
    } finally {
      await s.close();
    }
  });
  await nothingLeft(before);
});

const behaviourOf = (s) => s.exec("return window.__TAURI_INTERNALS__.invoke('behaviour_report');");

/** Asks the window to close as a window manager would when the user clicks its close button;
 * false when no window has that title. */
function wmCloseAsked(title) {
  return spawnSync("/usr/bin/python3", [join(import.meta.dirname, "wm-close.py"), title], { encoding: "utf8" }).status === 0;
}
function wmClose(title = "Lightrig") {
  assert.ok(wmCloseAsked(title), `no window titled ${title} took a close request`);
}

test("close-to-tray keeps the node running and frees the web view; a second launch opens the window and exits; Quit leaves nothing", async (t) => {
  const before = new Set(ourProcesses().map((p) => p.pid));
  t.after(endLeftovers(before));
  const env = { ...process.env, LIGHTRIG_HOME: home({ closeToTray: true }) };
  await withDriver(env, async (base) => {
    const s = await Session.create(base, APP);
    try {
      await until("the dashboard", async () => /start/i.test(await s.text("[data-testid=primary-action]")), 90_000, 250);
      await s.click("[data-testid=primary-action]");
      await until("Running", async () => /Running/.test(await stateText(s)), 30_000, 250);
      const app = ourProcesses(["lightrig-desktop"]).filter((p) => !before.has(p.pid));
      assert.equal(app.length, 1, "one desktop app runs");

      // The user closes the window; they chose close-to-tray, so the node keeps working and
      // the tray icon stays, while the window and its web view (WebKit's web process, most of
      // the app's memory) go.
      const nodePid = (await behaviourOf(s)).node_pid;
      const webProcesses = () => ourProcesses(["WebKitWebProcess"]).filter((p) => !before.has(p.pid));
      assert.equal(webProcesses().length, 1, "one web process while the window is open");
      // The user moved and resized the window before closing it; it opens there again.
      await s.cmd("POST", "/window/rect", { x: 60, y: 40, width: 940, height: 660 });
      const placed = await s.cmd("GET", "/window/rect");
      assert.equal(placed.width, 940, `the window took the new size: ${JSON.stringify(placed)}`);
      wmClose();
      await until("the window closes", async () => (await s.cmd("GET", "/window/handles")).length === 0, 15_000, 250);
      await until("the web process ends", async () => webProcesses().length === 0, 15_000, 250);
      assert.deepEqual(ourProcesses(["lightrig-desktop"]).filter((p) => !before.has(p.pid)), app, "the app stays, in the tray");
      assert.ok(ourProcesses(["lightrig-practice-node"]).some((p) => p.pid === nodePid), "the node still runs");

      // A second launch (e.g. from the app menu) opens the window of the first instead of
      // starting again; the new page shows the node as it is.
      const second = spawnSync(APP, [], { env, timeout: 30_000, encoding: "utf8" });
      assert.equal(second.status, 0, `the second launch exits at once (signal ${second.signal}): ${second.stderr}`);
      await switchToTheWindow(s, "the window opens again");
      await until("the dashboard again", async () => /Running/.test(await stateText(s)), 30_000, 250);
      const reopened = await s.cmd("GET", "/window/rect");
      for (const k of ["x", "y", "width", "height"]) {
        assert.ok(Math.abs(reopened[k] - placed[k]) <= 2, `reopened where it was: ${JSON.stringify({ placed, reopened })}`);
      }
      const shown = await behaviourOf(s);
      assert.equal(shown.window_visible, true, "the window is on screen");
      assert.equal(shown.tray_icon, true, "the tray icon stayed");
      assert.equal(shown.node_pid, nodePid, "the same node, never restarted");
      assert.deepEqual(
        ourProcesses(["lightrig-desktop"]).filter((p) => !before.has(p.pid)).map((p) => p.pid),
        app.map((p) => p.pid),
        "still exactly one desktop app, the first",
      );

      // Quit with the node running: the node is stopped and nothing is left.
      await s.click(".rail-quit");
    } finally {
      await s.close();
    }
  });
  await nothingLeft(before);
});

test("the app started on a data folder that lightrig serve already uses says why in a dialog and exits; serve keeps working", async (t) => {
  const before = new Set(ourProcesses().map((p) => p.pid));
  t.after(endLeftovers(before));
  const dir = home();
  const server = await serve(dir);
  try {
    const app = spawn(APP, [], { env: { ...process.env, LIGHTRIG_HOME: dir }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    app.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise((r) => app.once("exit", (code) => r(code)));
    // Started from a menu there is no terminal: the reason is in a dialog, until it is closed.
    await until("the dialog", async () => wmCloseAsked("Lightrig could not start"), 30_000, 250);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 15_000))]);
    assert.equal(code, 1, `the app exits with 1 once the dialog is closed: ${stderr}`);
    assert.match(stderr, /already using .* quit it/s, "the reason names what to do");
    const left = ourProcesses(["lightrig-desktop", "WebKitWebProcess"]).filter((p) => !before.has(p.pid));
    assert.deepEqual(left, [], "no app or web view left");
    const r = await fetch(`${server.base}/api/snapshot`, { headers: { Authorization: `Bearer ${server.token}` } });
    assert.equal(r.status, 200, "lightrig serve still answers");
  } finally {
    await stopProcess(server.child);
  }
  await nothingLeft(before);
});

/** The tray as a desktop panel sees it: tests/e2e/sni.py plays the StatusNotifierWatcher. */
const SNI = join(import.meta.dirname, "sni.py");
function trayMenu(item) {
  const r = spawnSync("/usr/bin/python3", [SNI, "menu", item.sender, item.path], { encoding: "utf8", timeout: 10_000 });
  assert.equal(r.status, 0, `the tray menu could not be read: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
function trayClick(item, entry) {
  const r = spawnSync("/usr/bin/python3", [SNI, "click", item.sender, item.path, String(entry.id)], { encoding: "utf8", timeout: 10_000 });
  assert.equal(r.status, 0, `the tray entry ${entry.label} could not be clicked: ${r.stderr}`);
}

test("the tray shows the node's state and offers Start/Stop, Open (which reopens a window closed to the tray) and Quit; Quit from the tray leaves nothing", async (t) => {
  const before = new Set(ourProcesses().map((p) => p.pid));
  t.after(endLeftovers(before));
  const watcher = spawn("/usr/bin/python3", [SNI, "watch"], { stdio: ["ignore", "pipe", "inherit"] });
  const registered = [];
  let ready = false;
  watcher.stdout.setEncoding("utf8");
  watcher.stdout.on("data", (chunk) => {
    for (const line of chunk.split("\n").filter(Boolean)) {
      const msg = JSON.parse(line);
      if (msg.ready) ready = true;
      if (msg.sender) registered.push(msg);
    }
  });
  try {
    await until("the panel's watcher", async () => ready, 10_000, 100);
    await withDriver({ ...process.env, LIGHTRIG_HOME: home({ closeToTray: true }) }, async (base) => {
      const s = await Session.create(base, APP);
      try {
        await until("the dashboard", async () => /start/i.test(await s.text("[data-testid=primary-action]")), 90_000, 250);
        await until("the tray icon registers with the panel", async () => registered.length > 0, 15_000, 100);
        const item = registered[0];
        const entry = (label) => trayMenu(item).find((e) => label.test(e.label));
        let menu = trayMenu(item);
        assert.ok(menu.some((e) => /^Practice node.*: Stopped$/.test(e.label) && e.enabled === false), `a state line naming the node: ${JSON.stringify(menu)}`);
        for (const label of [/^Start$/, /^Open Lightrig$/, /^Quit/]) {
          assert.ok(menu.some((e) => label.test(e.label) && e.enabled), `${label} in ${JSON.stringify(menu)}`);
        }

        // Start from the tray: the window and the tray agree on Running, and Start became Stop.
        trayClick(item, entry(/^Start$/));
        await until("Running", async () => /Running/.test(await stateText(s)), 30_000, 250);
        await until("the tray says Running", async () => trayMenu(item).some((e) => /running/i.test(e.label)), 10_000, 250);
        assert.ok(entry(/^Stop$/), "Start became Stop");
        assert.ok(ourProcesses(["lightrig-practice-node"]).some((p) => !before.has(p.pid)), "the node runs");

        // Closed to the tray, the window is gone; Open from the tray builds it again.
        wmClose();
        await until("the window closes", async () => (await s.cmd("GET", "/window/handles")).length === 0, 15_000, 250);
        trayClick(item, entry(/^Open Lightrig$/));
        await switchToTheWindow(s, "Open brings the window back");
        await until("the reopened window shows Running", async () => /Running/.test(await stateText(s)), 30_000, 250);

        // Quit from the tray with the node running: the node is stopped, then the app exits,
        // while the test's session is still open (closing it would end the app by itself).
        trayClick(item, entry(/^Quit/));
        await nothingLeft(before, "no Lightrig process left after Quit from the tray");
      } finally {
        await s.close().catch(() => {});
      }
    });
  } finally {
    watcher.kill("SIGTERM");
  }
});

// Desktop benchmarks for docs/benchmarks.md (not a test; never fails on a figure).
// Run under Xvfb with a session bus (a second launch finds the first over D-Bus, as on a desktop):
//   dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-desktop.mjs
// Uses the app at target/<LIGHTRIG_E2E_PROFILE or debug>/lightrig-desktop.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TARGET, home, stopProcess, switchToTheWindow, until } from "./lib.mjs";
import { Session } from "./webdriver.mjs";

const APP = join(TARGET, "lightrig-desktop");
const PORT = 4700;
const TICK = 100; // USER_HZ on Linux

function procs() {
  const all = new Map();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      // RSS counts shared pages once per process; PSS shares them out, so the sum is honest.
      const kb = (file, key) => {
        try {
          return Number(new RegExp(`${key}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/${file}`, "utf8"))?.[1] ?? 0) * 1024;
        } catch {
          return 0;
        }
      };
      const rss = kb("status", "VmRSS");
      const pss = kb("smaps_rollup", "Pss");
      all.set(Number(pid), { pid: Number(pid), comm, state: rest[0], ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), rss, pss });
    } catch {
      /* gone */
    }
  }
  return all;
}

/** The app process and its descendants, split into the app (shell + webview) and the node. */
function tree(rootComm = "lightrig-deskto") {
  const all = procs();
  // The newest app process (the one this run started).
  const root = [...all.values()].filter((p) => p.comm === rootComm).sort((a, b) => b.pid - a.pid)[0];
  if (!root) return null;
  const members = [root];
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all.values()) {
      if (!members.includes(p) && members.some((m) => m.pid === p.ppid)) {
        members.push(p);
        grew = true;
      }
    }
  }
  const node = members.filter((p) => p.comm.startsWith("lightrig-practi") || p.comm.startsWith("lightrig-lifeli"));
  const app = members.filter((p) => !node.includes(p));
  return { app, node };
}

const sum = (ps, k) => ps.reduce((a, p) => a + p[k], 0);

async function withSession(env, fn) {
  const driver = spawn("tauri-driver", ["--port", String(PORT)], { env, stdio: "ignore" });
  try {
    await until("tauri-driver", async () => (await fetch(`http://127.0.0.1:${PORT}/status`).catch(() => null))?.ok, 20_000, 100);
    const t0 = performance.now();
    const s = await Session.create(`http://127.0.0.1:${PORT}`, APP);
    await until("first paint", async () => (await s.exec("return !!document.querySelector('[data-testid=primary-action]')")) === true, 30_000, 10);
    const paintMs = performance.now() - t0;
    try {
      return await fn(s, paintMs);
    } finally {
      await s.close();
    }
  } finally {
    await stopProcess(driver, "SIGTERM", 10_000);
    // Kept in the tray, the app outlives its session: end it the way a user's logout would.
    for (const p of others()) if (p.comm.startsWith("lightrig")) try { process.kill(p.pid, "SIGTERM"); } catch {}
    // A session's app can outlive its driver for a moment; one still mapping WebKit's libraries
    // would share their pages with the next run's and make its PSS look smaller than it is.
    await until("the previous app gone", async () => others().length === 0, 30_000, 100);
  }
}

/** Lightrig or WebKit processes alive (not zombies) that are not the measured app's. */
function others(app = []) {
  const mine = new Set(app.map((p) => p.pid));
  return [...procs().values()].filter((p) => /^(lightrig-deskto|WebKitWebProces|WebKitNetworkPr)/.test(p.comm) && !mine.has(p.pid) && p.state !== "Z");
}

async function cpuOver(seconds) {
  const a = tree();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = tree();
  const ticks = sum(b.app, "ticks") - sum(a.app, "ticks");
  return (ticks / TICK / seconds) * 100;
}

const paints = [];
for (let i = 0; i < 5; i++) {
  await withSession({ ...process.env, LIGHTRIG_HOME: home() }, async (_s, ms) => paints.push(ms));
}
paints.sort((a, b) => a - b);
console.log(`desktop_first_paint_ms runs=${paints.length} median=${paints[2].toFixed(0)} min=${paints[0].toFixed(0)} max=${paints[4].toFixed(0)} (from session request: includes launching the app)`);

const mib = (ps, k) => (sum(ps, k) / 2 ** 20).toFixed(1);
const memory = (label) => {
  const t = tree();
  const strays = others(t.app);
  if (strays.length) throw new Error(`other WebKit/Lightrig processes would share pages: ${strays.map((p) => p.comm).join(", ")}`);
  if (process.env.BENCH_DEBUG) console.log([...procs().values()].filter((p) => /lightrig|WebKit/.test(p.comm)).map((p) => `${p.pid}<${p.ppid} ${p.comm}`).join("; "));
  console.log(
    `${label} app_rss_mib=${mib(t.app, "rss")} app_pss_mib=${mib(t.app, "pss")} (${t.app.map((p) => `${p.comm}:${(p.rss / 2 ** 20).toFixed(0)}`).join(" + ")}) node_rss_mib=${mib(t.node, "rss")}`,
  );
};
/** Closes the window as a window manager would (WebDriver's own close would end its session and
 * with it the app). */
function wmClose() {
  const r = spawnSync("/usr/bin/python3", [join(import.meta.dirname, "wm-close.py"), "Lightrig"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`no window took the close request: ${r.stderr}`);
}
/** Brings the window back (a second launch opens the first's) and drives the new page. */
async function reopen(s, env) {
  spawn(APP, [], { env, stdio: "ignore" });
  await switchToTheWindow(s, "the window again", 30_000, 100);
  await until("the page again", async () => (await s.exec("return !!document.querySelector('[data-testid=primary-action]')")) === true, 30_000, 50);
}

const trayHome = { ...process.env, LIGHTRIG_HOME: home({ closeToTray: true }) };
await withSession(trayHome, async (s) => {
  await new Promise((r) => setTimeout(r, 5000));
  const idleOpen = await cpuOver(30);
  console.log(`desktop_idle_cpu_window_open percent_of_one_core=${idleOpen.toFixed(2)} (node stopped, 30 s)`);
  await s.click("[data-testid=primary-action]");
  await until("Running", async () => /Running/.test(await s.text("[data-testid=node-state]")), 30_000, 250);
  await new Promise((r) => setTimeout(r, 10_000));
  memory("desktop_memory_with_node_running window=open");
  // Close the window: with close-to-tray chosen the window and its web view go, the node stays.
  wmClose();
  await new Promise((r) => setTimeout(r, 10_000));
  memory("desktop_memory_with_node_running window=closed_to_tray");
  const trayRunning = await cpuOver(30);
  console.log(`desktop_cpu_in_tray_node_running percent_of_one_core=${trayRunning.toFixed(2)} (the app alone, node excluded, 30 s)`);
  await reopen(s, trayHome);
  await until("Running", async () => /Running/.test(await s.text("[data-testid=node-state]")), 30_000, 250);
  await s.click("[data-testid=primary-action]");
  await until("Stopped", async () => /Stopped/.test(await s.text("[data-testid=node-state]")), 30_000, 250);
  wmClose();
  await new Promise((r) => setTimeout(r, 5000));
  const idleHidden = await cpuOver(30);
  console.log(`desktop_idle_cpu_window_hidden percent_of_one_core=${idleHidden.toFixed(2)} (closed to the tray, node stopped, 30 s)`);
});
// The same app launched as a user launches it, without WebDriver (whose automation session
// changes WebKit's memory a little), window open, node stopped.
{
  const app = spawn(APP, [], { env: { ...process.env, LIGHTRIG_HOME: home() }, stdio: "ignore" });
  await new Promise((r) => setTimeout(r, 20_000));
  memory("desktop_memory_without_webdriver window=open node=stopped");
  await stopProcess(app, "SIGTERM", 20_000);
}

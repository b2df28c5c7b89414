// Desktop benchmarks for docs/benchmarks.md (not a test; never fails on a figure).
// Run under Xvfb:  xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-desktop.mjs
// Uses the app at target/<LIGHTRIG_E2E_PROFILE or debug>/lightrig-desktop.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TARGET, home, stopProcess, until } from "./lib.mjs";
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
      all.set(Number(pid), { pid: Number(pid), comm, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), rss, pss });
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
  }
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

await withSession({ ...process.env, LIGHTRIG_HOME: home({ closeToTray: true }) }, async (s) => {
  await new Promise((r) => setTimeout(r, 5000));
  const idleOpen = await cpuOver(30);
  console.log(`desktop_idle_cpu_window_open percent_of_one_core=${idleOpen.toFixed(2)} (node stopped, 30 s)`);
  await s.click("[data-testid=primary-action]");
  await until("Running", async () => /Running/.test(await s.text("[data-testid=node-state]")), 30_000, 250);
  await new Promise((r) => setTimeout(r, 10_000));
  const t = tree();
  if (process.env.BENCH_DEBUG) console.log([...procs().values()].filter((p) => /lightrig|WebKit/.test(p.comm)).map((p) => `${p.pid}<${p.ppid} ${p.comm}`).join("; "));
  const mib = (ps, k) => (sum(ps, k) / 2 ** 20).toFixed(1);
  console.log(
    `desktop_memory_with_node_running app_rss_mib=${mib(t.app, "rss")} app_pss_mib=${mib(t.app, "pss")} (${t.app.map((p) => `${p.comm}:${(p.rss / 2 ** 20).toFixed(0)}`).join(" + ")}) node_rss_mib=${mib(t.node, "rss")}`,
  );
  await s.click("[data-testid=primary-action]");
  await until("Stopped", async () => /Stopped/.test(await s.text("[data-testid=node-state]")), 30_000, 250);
  // Close the window: with close-to-tray chosen, the app hides it and keeps running.
  await s.cmd("DELETE", "/window").catch(() => {});
  await new Promise((r) => setTimeout(r, 5000));
  const idleHidden = await cpuOver(30);
  console.log(`desktop_idle_cpu_window_hidden percent_of_one_core=${idleHidden.toFixed(2)} (node stopped, 30 s)`);
});
// The app may still be alive in the tray: end it the way a user's logout would.
const left = tree();
if (left) for (const p of left.app.concat(left.node)) try { process.kill(p.pid, "SIGTERM"); } catch {}

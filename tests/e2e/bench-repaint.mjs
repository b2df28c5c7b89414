// What the open window costs while idle, split by process, and what one repaint costs.
// A benchmark for docs/benchmarks.md (never fails on a figure). Run under Xvfb:
//   LIGHTRIG_E2E_PROFILE=release xvfb-run -a -s "-screen 0 1280x800x24" node tests/e2e/bench-repaint.mjs
// Steps, each on the same dashboard:
//   idle      CPU of shell / WebKitWebProcess / WebKitNetworkProcess over 30 s, node stopped;
//   update    one number on a card changed 20 times a second for 10 s: CPU per update;
//   blurred   the same with the old blurred card shadow put back: what it cost;
//   floor     the document emptied and its timers cleared: WebKit's own idle cost.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { TARGET, home, stopProcess, until } from "./lib.mjs";
import { Session } from "./webdriver.mjs";

const APP = join(TARGET, "lightrig-desktop");
const PORT = 4702;
const TICK = 100; // USER_HZ

function ticksByProcess() {
  const m = {};
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!/^(lightrig-deskto|WebKitWebProces|WebKitNetworkPr)$/.test(comm)) continue;
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      m[comm] = (m[comm] ?? 0) + Number(rest[11]) + Number(rest[12]);
    } catch {
      /* gone */
    }
  }
  return m;
}

const NAMES = { "lightrig-deskto": "shell", WebKitWebProces: "web", WebKitNetworkPr: "network" };

async function cpu(seconds) {
  const a = ticksByProcess();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const b = ticksByProcess();
  const out = {};
  for (const k of Object.keys(b)) out[NAMES[k]] = ((b[k] - (a[k] ?? 0)) / TICK / seconds) * 100;
  out.total = Object.values(out).reduce((x, y) => x + y, 0);
  return out;
}

const fmt = (o) => Object.entries(o).map(([k, v]) => `${k}=${v.toFixed(2)}`).join(" ");

const SYNTH = `
  const st = document.getElementById('bench-style') ?? document.head.appendChild(Object.assign(document.createElement('style'), { id: 'bench-style' }));
  st.textContent = arguments[0];
  clearInterval(window.__benchTimer);
  const el = document.querySelector('.metric-number');
  let i = 0;
  window.__benchTimer = setInterval(() => { el.firstChild.data = String(i++ % 100); }, 50);
  return !!el;`;

const driver = spawn("tauri-driver", ["--port", String(PORT)], { env: { ...process.env, LIGHTRIG_HOME: home() }, stdio: "ignore" });
try {
  await until("tauri-driver", async () => (await fetch(`http://127.0.0.1:${PORT}/status`).catch(() => null))?.ok, 20_000, 100);
  const s = await Session.create(`http://127.0.0.1:${PORT}`, APP);
  try {
    await until("dashboard", async () => (await s.exec("return !!document.querySelector('.metric-number')")) === true, 30_000, 50);
    await new Promise((r) => setTimeout(r, 5000));
    console.log(`repaint_idle_cpu_percent_of_one_core ${fmt(await cpu(30))} (dashboard open, node stopped, 30 s)`);
    for (const [name, css] of [["update", ""], ["blurred", ".card{box-shadow:0 1px 2px rgb(16 24 40 / 6%)!important}"]]) {
      if (!(await s.exec(SYNTH, [css]))) throw new Error("no number on the dashboard to change");
      await new Promise((r) => setTimeout(r, 1000));
      const c = await cpu(10);
      const msPerUpdate = (((c.web ?? 0) + (c.shell ?? 0)) / 100) * 1000 / 20;
      console.log(`repaint_${name} ms_per_update=${msPerUpdate.toFixed(1)} ${fmt(c)} (20 updates/s, 10 s)`);
    }
    await s.exec("clearInterval(window.__benchTimer); document.documentElement.innerHTML = '<body><p>empty</p></body>'; const top = setTimeout(() => {}, 0); for (let i = 0; i <= top; i++) { clearTimeout(i); clearInterval(i); } return 1;");
    await new Promise((r) => setTimeout(r, 3000));
    console.log(`repaint_floor_cpu_percent_of_one_core ${fmt(await cpu(30))} (document emptied, timers cleared, 30 s)`);
  } finally {
    await s.close();
  }
} finally {
  await stopProcess(driver, "SIGTERM", 10_000);
}

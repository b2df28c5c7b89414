// Shared helpers for the end-to-end tests: temporary Lightrig homes, the real binaries, and
// a process census that proves nothing is left running.
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

export const ROOT = resolve(import.meta.dirname, "../..");
export const TARGET = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, "target"), process.env.LIGHTRIG_E2E_PROFILE ?? "debug");
export const ARTIFACTS = join(ROOT, "tests", "artifacts", "e2e");
mkdirSync(ARTIFACTS, { recursive: true });

/** A fresh LIGHTRIG_HOME. `onboarded` skips the first-run steps (settings written as the UI would). */
export function home({ onboarded = true, theme = "system", jurisdiction = "DE", closeToTray = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "lightrig-e2e-"));
  if (onboarded) {
    mkdirSync(join(dir, "config"), { recursive: true });
    writeFileSync(
      join(dir, "config", "config.toml"),
      [
        "schema = 1",
        "[node.settings.practice]",
        "difficulty = 20000",
        "[place]",
        `jurisdiction = "${jurisdiction}"`,
        "[energy]",
        "price_per_kwh = 0.32",
        'currency = "EUR"',
        "[app]",
        `theme = "${theme}"`,
        'language = "en"',
        `close_to_tray = ${closeToTray}`,
        "onboarded = true",
        "[consent]",
        "own_device = true",
        "",
      ].join("\n"),
    );
  }
  return dir;
}

/** Every live (non-zombie) process whose executable is one of ours, by /proc. */
export function ourProcesses(names = ["lightrig", "lightrig-desktop", "lightrig-practice-node", "lightrig-lifeline"]) {
  const out = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state === "Z" || state === "X") continue;
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      // comm is the executable's name cut to 15 characters ("lightrig-deskto").
      if (names.some((n) => comm === n.slice(0, 15))) out.push({ pid: Number(pid), comm });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Waits until the session's app shows exactly one window (again) and drives that one. */
export async function switchToTheWindow(s, what, timeoutMs = 15_000, everyMs = 250) {
  const [handle] = await until(what, async () => {
    const handles = await s.cmd("GET", "/window/handles");
    return handles.length === 1 && handles;
  }, timeoutMs, everyMs);
  await s.cmd("POST", "/window", { handle });
}

export async function until(what, fn, timeoutMs = 30_000, everyMs = 100) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

function withoutHome() {
  const env = { ...process.env };
  delete env.LIGHTRIG_HOME;
  return env;
}

/** `lightrig serve` on a free port; resolves with {child, url, base, token}. */
export async function serve(dataDir) {
  const bin = join(TARGET, "lightrig");
  if (!existsSync(bin)) throw new Error(`${bin} is not built: run cargo build --workspace --bins first`);
  const child = spawn(bin, ["--json", "--data-dir", dataDir, "serve", "--port", "0", "--ui", join(ROOT, "ui", "dist")], {
    stdio: ["ignore", "pipe", "inherit"],
    env: withoutHome(),
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((res, rej) => {
    lines.once("line", res);
    child.once("exit", (c) => rej(new Error(`lightrig serve exited with ${c}`)));
  });
  const { url } = JSON.parse(first);
  const [base, token] = url.split("/#token=");
  return { child, url, base, token };
}

export async function stopProcess(child, signal = "SIGTERM", timeoutMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const done = new Promise((r) => child.once("exit", (code) => r(code)));
  child.kill(signal);
  const t = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const code = await done;
  clearTimeout(t);
  return code;
}

// Browser mode end to end: Debian's Chromium (driven by playwright-core, no browser download)
// against `lightrig serve` running the real practice node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { join } from "node:path";
import { ARTIFACTS, home, ourProcesses, serve, stopProcess, until } from "./lib.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
});

async function page(viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, locale: "en-US" });
  const p = await ctx.newPage();
  const errors = [];
  p.on("pageerror", (e) => errors.push(e.message));
  return { p, ctx, errors };
}

test("start, watch it run, stop — in the browser against lightrig serve", async () => {
  const srv = await serve(home());
  const { p, ctx, errors } = await page();
  try {
    await p.goto(srv.url);
    // The token leaves the address bar once read.
    await until("token removed from the URL", async () => !p.url().includes("token="));
    const primary = p.getByTestId("primary-action");
    await until("Start button", async () => /start/i.test((await primary.textContent()) ?? ""));
    await primary.click();
    await until("Running", async () => /Running/.test((await p.getByTestId("node-state").textContent()) ?? ""));
    const rate = p.getByTestId("work-rate");
    const first = await until("a work rate", async () => {
      const t = (await rate.textContent()) ?? "";
      return /H\/s/.test(t) ? t : null;
    });
    // The chart moves: the 10-minute chart redraws with new points.
    const chart = p.locator(".chart").first();
    await chart.waitFor();
    const before = await chart.screenshot();
    await until("the chart to move", async () => !(await chart.screenshot()).equals(before), 30_000, 1000);
    await until("the work rate to update", async () => ((await rate.textContent()) ?? "") !== first, 30_000, 500);
    await p.screenshot({ path: join(ARTIFACTS, "browser-running.png"), fullPage: true });
    await until("Stop button", async () => /stop/i.test((await primary.textContent()) ?? ""));
    await primary.click();
    await until("Stopped", async () => /Stopped/.test((await p.getByTestId("node-state").textContent()) ?? ""));
    assert.deepEqual(errors, [], "the page threw");
  } finally {
    await ctx.close();
    assert.equal(await stopProcess(srv.child), 0, "serve exits cleanly on SIGTERM");
  }
  await until("no node left", async () => ourProcesses(["lightrig-practice-node"]).length === 0, 10_000);
});

test("requests without the token or from a foreign origin are refused", async () => {
  const srv = await serve(home());
  try {
    const r1 = await fetch(`${srv.base}/api/snapshot`);
    assert.equal(r1.status, 401);
    const r2 = await fetch(`${srv.base}/api/node/start`, {
      method: "POST",
      headers: { Authorization: `Bearer ${srv.token}`, Origin: "http://evil.example" },
    });
    assert.equal(r2.status, 403);
    // And a real page on another origin cannot read the API either.
    const { p, ctx } = await page();
    await p.goto(`${srv.base}/`); // our origin, without the token
    await until("the token screen", async () => (await p.getByTestId("unauthorized").count()) > 0);
    await ctx.close();
  } finally {
    await stopProcess(srv.child);
  }
});

test("first run walks through consent, place and tariff and ends on the practice node running", async () => {
  const srv = await serve(home({ onboarded: false }));
  const { p, ctx, errors } = await page();
  try {
    await p.goto(srv.url);
    const next = p.getByTestId("fr-next");
    await next.click(); // what Lightrig does
    await p.getByRole("radio").first().check(); // yes, my own device and electricity
    await next.click();
    await p.locator("select").first().selectOption("DE");
    await next.click();
    await p.locator("input[type=number], input[inputmode=decimal]").first().fill("0.3");
    await next.click();
    await p.screenshot({ path: join(ARTIFACTS, "browser-firstrun-finish.png") });
    await p.getByTestId("fr-finish").click();
    await until("Running after onboarding", async () => /Running/.test((await p.getByTestId("node-state").textContent()) ?? ""));
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
    await stopProcess(srv.child);
  }
});

test("screenshots of every main screen in both themes", async () => {
  for (const theme of ["light", "dark"]) {
    const srv = await serve(home({ theme }));
    const { p, ctx, errors } = await page();
    try {
      await p.goto(srv.url);
      await p.getByTestId("primary-action").click();
      await until("Running", async () => /Running/.test((await p.getByTestId("node-state").textContent()) ?? ""));
      await p.waitForTimeout(3000);
      await p.screenshot({ path: join(ARTIFACTS, `browser-dashboard-${theme}.png`), fullPage: true });
      for (const screen of ["Nodes", "Log", "Settings"]) {
        await p.getByRole("navigation").getByText(screen, { exact: true }).click();
        await p.waitForTimeout(800);
        await p.screenshot({ path: join(ARTIFACTS, `browser-${screen.toLowerCase()}-${theme}.png`), fullPage: true });
      }
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
      await stopProcess(srv.child);
    }
  }
});

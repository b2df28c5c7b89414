// Screenshots of every main screen in light and dark (and some in Chinese), from the built UI
// with the mock backend, in headless Debian chromium. Output: tests/artifacts/ui/*.png.
//   npm run ui:build && npm run ui:screenshots
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { preview } from "vite";

const root = resolve(import.meta.dirname, "../..");
const out = join(root, "tests/artifacts/ui");
mkdirSync(out, { recursive: true });

const server = await preview({ configFile: join(root, "ui/vite.config.ts"), preview: { port: 4173, strictPort: true, open: false } });
const base = "http://127.0.0.1:4173/";

/** name, query, hash, locale, optional steps in the page, optional height */
const shots = [
  { name: "dashboard-running", q: "mock=running", hash: "#/dashboard" },
  { name: "dashboard-year", q: "mock=running", hash: "#/dashboard", steps: async (page) => page.getByText("1 year", { exact: true }).click() },
  { name: "dashboard-year-zh", q: "mock=restricted", hash: "#/dashboard", locale: "zh-CN", steps: async (page) => page.getByText("1 年", { exact: true }).click() },
  { name: "dashboard-failed", q: "mock=failed", hash: "#/dashboard" },
  { name: "dashboard-backoff", q: "mock=backoff", hash: "#/dashboard" },
  { name: "dashboard-paused", q: "mock=paused", hash: "#/dashboard" },
  { name: "dashboard-nojur", q: "mock=nojur", hash: "#/dashboard" },
  { name: "dashboard-restricted-zh", q: "mock=restricted", hash: "#/dashboard", locale: "zh-CN" },
  { name: "dashboard-stopped-zh", q: "mock=stopped", hash: "#/dashboard", locale: "zh-CN" },
  {
    name: "nodes-invalid",
    q: "mock=running",
    hash: "#/nodes",
    steps: async (page) => {
      await page.getByLabel("Threads").fill("999");
      await page.getByRole("button", { name: "Save & use" }).click();
    },
  },
  {
    name: "nodes-xmrig-server-error",
    q: "mock=running",
    hash: "#/nodes",
    steps: async (page) => {
      await page.getByText("Monero CPU mining").click();
      await page.getByLabel(/Payout address/).fill("4notanaddress");
      await page.getByRole("button", { name: "Save & use" }).click();
      await page.waitForTimeout(200);
    },
  },
  { name: "logs", q: "mock=backoff", hash: "#/logs" },
  { name: "logs-zh", q: "mock=running", hash: "#/logs", locale: "zh-CN" },
  { name: "settings", q: "mock=running", hash: "#/settings" },
  {
    name: "settings-errors",
    q: "mock=running",
    hash: "#/settings",
    steps: async (page) => {
      await page.locator("#s-price").fill("45");
      await page.locator("#s-currency").fill("eu");
      await page.getByRole("button", { name: "Save settings" }).click();
    },
  },
  { name: "settings-zh", q: "mock=running", hash: "#/settings", locale: "zh-CN" },
  { name: "firstrun-1", q: "mock=firstrun", hash: "" },
  {
    name: "firstrun-2-not-own",
    q: "mock=firstrun",
    hash: "",
    steps: async (page) => {
      await page.getByTestId("fr-next").click();
      await page.getByLabel("No", { exact: true }).check();
    },
  },
  {
    name: "firstrun-2-not-own-zh",
    q: "mock=firstrun",
    hash: "",
    locale: "zh-CN",
    steps: async (page) => {
      await page.getByTestId("fr-next").click();
      await page.getByLabel("不是", { exact: true }).check();
    },
  },
  {
    name: "firstrun-5-finish",
    q: "mock=firstrun",
    hash: "",
    steps: async (page) => {
      await page.getByTestId("fr-next").click();
      await page.getByLabel("Yes, both are mine").check();
      await page.getByTestId("fr-next").click();
      await page.locator("#fr-jur").selectOption("DE");
      await page.getByTestId("fr-next").click();
      await page.locator("#fr-price").fill("0.32");
      await page.getByTestId("fr-next").click();
    },
  },
  {
    name: "firstrun-done-dashboard",
    q: "mock=firstrun",
    live: true,
    hash: "",
    steps: async (page) => {
      await page.getByTestId("fr-next").click();
      await page.getByLabel("Yes, both are mine").check();
      await page.getByTestId("fr-next").click();
      await page.getByTestId("fr-next").click();
      await page.getByTestId("fr-next").click();
      await page.getByTestId("fr-finish").click();
      await page.getByText("Running", { exact: true }).first().waitFor({ timeout: 5000 });
    },
  },
  { name: "unauthorized", q: "mock=unauthorized", hash: "" },
];

const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
const profileDir = mkdtempSync(join(tmpdir(), "lightrig-shots-"));
const errors = [];
try {
  for (const theme of ["light", "dark"]) {
    for (const locale of ["en-US", "zh-CN"]) {
      const ctx = await chromium.launchPersistentContext(join(profileDir, `${theme}-${locale}`), {
        executablePath: "/usr/bin/chromium",
        headless: true,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        viewport: { width: 1280, height: 860 },
        colorScheme: theme,
        locale,
        reducedMotion: "reduce",
      });
      for (const s of shots) {
        if ((s.locale ?? "en-US") !== locale) continue;
        if (only && !only.test(s.name)) continue;
        const page = await ctx.newPage();
        page.on("pageerror", (e) => errors.push(`${s.name}/${theme}: ${e.message}`));
        page.on("console", (m) => m.type() === "error" && errors.push(`${s.name}/${theme}: console: ${m.text()}`));
        try {
          await page.goto(`${base}?${s.q}${s.live ? "" : "&still"}${s.hash}`);
          await page.locator("main").first().waitFor();
          await page.waitForTimeout(600);
          if (s.steps) await s.steps(page);
          await page.waitForTimeout(400);
          await page.screenshot({ path: join(out, `${s.name}-${theme}.png`), fullPage: true });
        } catch (e) {
          errors.push(`${s.name}/${theme}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        } finally {
          await page.close();
        }
      }
      await ctx.close();
    }
  }
} finally {
  rmSync(profileDir, { recursive: true, force: true });
  await server.close();
}
if (errors.length) {
  console.error(errors.join("\n"));
  process.exitCode = 1;
}
console.log(`screenshots in ${out}`);

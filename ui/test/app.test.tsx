// The whole UI against the mock backend: first run, the dashboard's cards, Nodes, Settings,
// Logs and the unauthorized screen.
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import { button, byTestId, check, click, flush, mountApp, type } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
  window.history.replaceState(null, "", "/");
});

const text = (el: Element) => el.textContent ?? "";

describe("first run", () => {
  it("walks through the steps, saves onboarded settings and starts the practice node", async () => {
    const { el, mock } = await mountApp("firstrun");
    expect(text(el)).toContain("What Lightrig does");
    expect(text(el)).toContain("everything it earns is simulated");
    await click(byTestId(el, "fr-next"));

    // Own device? "No" needs the permission box before Next works.
    expect(text(el)).toContain("Is this your own device and your own electricity?");
    const [yes, no] = [...el.querySelectorAll<HTMLInputElement>('input[name="own"]')];
    await check(no!);
    expect(text(byTestId(el, "own-warning"))).toContain("misconduct or theft");
    expect(text(byTestId(el, "own-cases"))).toContain("Federal Reserve Board");
    expect((byTestId(el, "fr-next") as HTMLButtonElement).disabled).toBe(true);
    await check(yes!);
    expect(el.querySelector('[data-testid="own-warning"]')).toBeNull();
    await click(byTestId(el, "fr-next"));

    // Jurisdiction: picking Mainland China suggests CNY.
    await type(el.querySelector<HTMLSelectElement>("#fr-jur")!, "CN");
    await click(byTestId(el, "fr-next"));
    expect(el.querySelector<HTMLInputElement>("#fr-cur")!.value).toBe("CNY");
    await type(el.querySelector<HTMLInputElement>("#fr-price")!, "45");
    await click(byTestId(el, "fr-next"));
    expect(text(el)).toContain("Enter a price from 0 to 10.");
    await type(el.querySelector<HTMLInputElement>("#fr-price")!, "0.62");
    await click(byTestId(el, "fr-next"));

    expect(text(el)).toContain("Ready to start");
    await click(byTestId(el, "fr-finish"));
    await flush();

    const saved = mock.calls.find((c) => c.method === "saveSettings")?.args[0];
    expect(saved).toMatchObject({ onboarded: true, own_device: true, permission_confirmed: false, jurisdiction: "CN", currency: "CNY", price_per_kwh: 0.62 });
    expect(mock.calls.map((c) => c.method)).toContain("start");
    // Lands on the Dashboard with the node starting, then running.
    expect(text(byTestId(el, "node-state"))).toContain("Starting…");
    act(() => mock.setState({ kind: "running", since_ms: Date.now() }));
    expect(text(byTestId(el, "node-state"))).toContain("Running");
    expect(text(byTestId(el, "rail-state"))).toContain("Running");
  });

  it("records permission when the device is not the user's own", async () => {
    const { el, mock } = await mountApp("firstrun");
    await click(byTestId(el, "fr-next"));
    await check([...el.querySelectorAll<HTMLInputElement>('input[name="own"]')][1]!);
    await check(byTestId(el, "own-warning").querySelector<HTMLInputElement>('input[type="checkbox"]')!);
    await click(byTestId(el, "fr-next"));
    await click(button(el, "Skip for now"));
    await click(button(el, "Skip for now"));
    await click(byTestId(el, "fr-finish"));
    expect(mock.calls.find((c) => c.method === "saveSettings")?.args[0]).toMatchObject({ own_device: false, permission_confirmed: true, jurisdiction: null, price_per_kwh: null });
    expect(mock.calls.some((c) => c.method === "start")).toBe(true);
  });
});

describe("dashboard", () => {
  it("pauses and resumes a running node", async () => {
    const { el } = await mountApp("running");
    await click(byTestId(el, "secondary-action"));
    expect(text(byTestId(el, "node-state"))).toContain("Paused — paused by you");
    expect(text(byTestId(el, "secondary-action"))).toBe("Resume");
    await click(byTestId(el, "secondary-action"));
    expect(text(byTestId(el, "node-state"))).toContain("Running");
  });

  it("shows the compliance note with sources one click away and the disclaimer once", async () => {
    const { el, mock } = await mountApp("restricted");
    const note = byTestId(el, "compliance");
    expect(text(byTestId(note, "comp-status"))).toBe("禁止");
    expect(byTestId(note, "comp-status").className).toContain("chip-bad");
    expect(text(byTestId(note, "comp-stale"))).toContain("可能已经过时");
    const link = note.querySelector("a")!;
    await click(link);
    expect(mock.opened).toEqual(["https://www.ndrc.gov.cn/xxgk/zcfb/tz/202109/t20210924_1297474.html"]);
    expect(text(note)).toContain("没有可用链接");
    expect(text(el).split("以上仅供参考，不构成法律意见。").length - 1).toBe(1);
  });

  it("offers a way to Settings when no jurisdiction is chosen", async () => {
    const { el } = await mountApp("nojur");
    expect(text(el)).toContain("Choose where you live");
    await click(button(el, "Choose in Settings"));
    expect(el.querySelector("h1")?.textContent).toBe("Settings");
    expect(text(el)).not.toContain("This is information, not legal advice.");
  });

  it("in English, says it once too", async () => {
    const { el } = await mountApp("running");
    expect(text(el).split("This is information, not legal advice.").length - 1).toBe(1);
    expect(text(byTestId(el, "comp-status"))).toBe("Permitted");
  });
});

describe("nodes", () => {
  it("validates fields before sending, then shows the engine's field error inline", async () => {
    const { el, mock } = await mountApp("running", "#/nodes");
    await type(el.querySelector<HTMLInputElement>("#nf-practice-threads")!, "999");
    await click(button(el, "Save & use"));
    expect(text(el)).toContain("Enter a number from 1 to 256.");
    expect(el.querySelector("#nf-practice-threads")?.getAttribute("aria-invalid")).toBe("true");
    expect(mock.calls.some((c) => c.method === "selectNode")).toBe(false);

    const xmrig = [...el.querySelectorAll<HTMLInputElement>('input[name="profile"]')].find((i) => i.value === "xmrig-p2pool")!;
    await check(xmrig);
    await type(el.querySelector<HTMLInputElement>("#nf-xmrig-p2pool-address")!, "4abc");
    await click(button(el, "Save & use"));
    const err = el.querySelector("#nf-xmrig-p2pool-address-err");
    expect(err?.textContent).toContain("This is not a Monero primary address");
    expect(mock.calls.filter((c) => c.method === "selectNode")).toHaveLength(1);
  });

  it("saves and uses a valid configuration", async () => {
    const { el, mock } = await mountApp("running", "#/nodes");
    await type(el.querySelector<HTMLInputElement>("#nf-practice-threads")!, "2");
    await click(button(el, "Save & use"));
    expect(mock.calls.find((c) => c.method === "selectNode")?.args).toEqual(["practice", { threads: 2, intensity: 50, difficulty: 2000000 }]);
    expect(text(el)).toContain("Saved.");
  });
});

describe("settings", () => {
  it("shows client and server errors at their fields and saves the rest", async () => {
    const { el, mock } = await mountApp("running", "#/settings");
    await type(el.querySelector<HTMLInputElement>("#s-currency")!, "eu");
    await click(button(el, "Save settings"));
    expect(el.querySelector("#s-currency-err")?.textContent).toBe("Use three capital letters, such as EUR.");
    expect(mock.calls.some((c) => c.method === "saveSettings")).toBe(false);

    await type(el.querySelector<HTMLInputElement>("#s-currency")!, "CNY");
    mock.failNext("saveSettings", { code: "settings.invalid", message: "`XX` is not a country code", field: "jurisdiction" });
    await click(button(el, "Save settings"));
    expect(el.querySelector("#s-jur-err")?.textContent).toBe("`XX` is not a country code");

    await type(el.querySelector<HTMLSelectElement>("#s-lang")!, "zh-CN");
    await click(button(el, "Save settings"));
    expect(mock.snap.settings).toMatchObject({ currency: "CNY", language: "zh-CN" });
    // The UI switches language at once.
    expect(el.querySelector("h1")?.textContent).toBe("设置");
    expect(document.documentElement.lang).toBe("zh-CN");
  });

  it("explains autostart and close-to-tray, with autostart off by default", async () => {
    const { el } = await mountApp("running", "#/settings");
    expect(el.querySelector<HTMLInputElement>("#s-autostart")!.checked).toBe(false);
    expect(text(el)).toContain("the node keeps running when the window is closed; quit from the tray icon".replace(/^t/, "T"));
    expect(text(el)).toContain("Off unless you turn it on");
  });
});

describe("logs", () => {
  it("backfills, follows live lines, filters and styles streams apart", async () => {
    const { el, mock } = await mountApp("running", "#/logs");
    const view = byTestId(el, "log-view");
    expect(view.querySelectorAll(".log-line")).toHaveLength(7);
    act(() => void mock.pushLog("stderr", "error: disk full"));
    expect(view.querySelectorAll(".log-line")).toHaveLength(8);
    expect(view.querySelector(".log-stderr")?.textContent).toContain("warning: huge pages unavailable");
    expect(view.querySelectorAll(".log-lightrig").length).toBeGreaterThan(0);
    await type(byTestId(el, "log-filter") as HTMLInputElement, "DISK");
    expect([...view.querySelectorAll(".log-line")].map((l) => l.querySelector(".log-text")?.textContent)).toEqual(["error: disk full"]);
    // A repeated line (same seq) is not shown twice.
    act(() => mock.emit({ event: "node://log", payload: mock.logLines[mock.logLines.length - 1]! }));
    expect(view.querySelectorAll(".log-line")).toHaveLength(1);
  });
});

describe("browser mode without the token", () => {
  it("says which link is needed", async () => {
    const { el } = await mountApp("unauthorized");
    expect(text(byTestId(el, "unauthorized"))).toContain("This page needs the link Lightrig printed (with its token)");
  });
});

// The tariff and power settings: the time-of-use editor turns a base price and a peak period
// into the 24 × 2 grid the engine saves; bad input is shown at its field (the UI's own checks
// and the engine's); the price-list import shows the line-numbered error or what was imported.
import { afterEach, describe, expect, it } from "vitest";
import type { SettingsView } from "../src/bindings";
import { BackendError } from "../src/backend";
import { MockBackend } from "../src/backend/mock";
import { DEFAULT_SETTINGS } from "../src/backend/mock-data";
import { draftOf, expand, toggleDay, toView, weekendOf, zoneLooksValid } from "../src/lib/tou";
import { EnergySettings, keyOf } from "../src/screens/EnergySettings";
import { act } from "preact/test-utils";
import { byTestId, click, flush, mountWith, type } from "./helpers";

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function open(settings: SettingsView = structuredClone(DEFAULT_SETTINGS), locale: "en" | "zh-CN" = "en") {
  const mock = new MockBackend({ scenario: "running" });
  mock.snap.settings = settings;
  const r = mountWith(<EnergySettings settings={settings} />, { mock, locale });
  cleanup = r.unmount;
  return r;
}

const input = (el: HTMLElement, id: string) => el.querySelector<HTMLInputElement>(`#${id}`) as HTMLInputElement;
const saved = (mock: MockBackend) => mock.calls.filter((c) => c.method === "saveSettings").map((c) => c.args[0] as SettingsView);

async function pick(el: HTMLElement, csv: string) {
  const file = byTestId(el, "csv-input") as HTMLInputElement;
  Object.defineProperty(file, "files", { value: [new File([csv], "prices.csv", { type: "text/csv" })], configurable: true });
  await act(async () => {
    file.dispatchEvent(new Event("change", { bubbles: true }));
  });
  await flush(10);
}

describe("the time-of-use editor", () => {
  it("expands a base price and a weekday peak into the saved 24 × 2 grid", async () => {
    const { el, mock } = open();
    await click(byTestId(el, "kind-time-of-use"));
    await type(input(el, "e-s0-base"), "0,30");
    await type(input(el, "e-s0-p0-price"), "0.55");
    const grid = byTestId(el, "e-s0-grid").textContent ?? "";
    expect(grid).toContain("0.55");
    await click(byTestId(el, "energy-save"));
    const [sent] = saved(mock);
    expect(sent?.energy.tariff).toBe("time-of-use");
    const season = sent?.energy.seasons[0];
    expect(season?.weekday.slice(16, 22)).toEqual([0.3, 0.55, 0.55, 0.55, 0.55, 0.3]);
    expect(season?.weekend.every((p) => p === 0.3)).toBe(true);
    expect([season?.from, season?.to]).toEqual(["01-01", "12-31"]);
    // The rest of the settings go along unchanged.
    expect(sent?.price_per_kwh).toBe(0.32);
  });

  it("keeps an empty base price from being saved and says so at the editor", async () => {
    const { el, mock } = open();
    await click(byTestId(el, "kind-time-of-use"));
    await type(input(el, "e-s0-p0-price"), "0.55");
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)).toHaveLength(0);
    expect(byTestId(el, "err-seasons").textContent).toContain("from 0 to 10");
  });

  it("shows a saved schedule as its base and periods again", () => {
    const weekday = Array<number>(24).fill(0.2);
    weekday.fill(0.5, 17, 21);
    const weekend = Array<number>(24).fill(0.2);
    weekend.fill(0.1, 0, 6);
    const view = { name: "winter", from: "10-01", to: "03-31", weekday, weekend };
    const d = draftOf(view);
    expect(d.base).toBe("0.2");
    expect(d.periods).toEqual([
      { from: 17, to: 21, days: "weekday", price: "0.5" },
      { from: 0, to: 6, days: "weekend", price: "0.1" },
    ]);
    expect(expand(d)).toEqual({ weekday, weekend });
    expect(toView(d)).toEqual(view);
  });
});

describe("bad power figures", () => {
  it("are shown at their fields before anything is sent", async () => {
    const { el, mock } = open();
    await type(input(el, "e-psu"), "1.4");
    await type(input(el, "e-idle"), "120");
    await type(input(el, "e-load"), "90");
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)).toHaveLength(0);
    expect(byTestId(el, "err-psu_efficiency").textContent).toContain("0.5 to 1.0");
    expect(byTestId(el, "err-load_watts").textContent).toContain("higher than");
    expect(input(el, "e-psu").getAttribute("aria-invalid")).toBe("true");
  });

  it("shows the engine's error at the field it names, from a stubbed engine", async () => {
    const { el, mock } = open();
    // Shaped like a zone, so the form sends it; the engine does not know it.
    mock.saveSettings = () => Promise.reject(new BackendError({ code: "settings.invalid", message: "'Europe/Atlantis' is not a known time zone; use an IANA name such as Europe/Berlin", field: "energy.time_zone" }));
    await click(byTestId(el, "kind-hourly"));
    await type(input(el, "e-zone"), "Europe/Atlantis");
    await click(byTestId(el, "energy-save"));
    expect(byTestId(el, "err-time_zone").textContent).toContain("not a known time zone");
    expect(byTestId(el, "energy-form-error")).toBeTruthy();
  });

  it("keeps a zone that is not shaped like Area/City from being sent", async () => {
    const { el, mock } = open();
    await click(byTestId(el, "kind-hourly"));
    await type(input(el, "e-zone"), "Berlin");
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)).toHaveLength(0);
    expect(byTestId(el, "err-time_zone").textContent).toContain("Area/City");
    expect(input(el, "e-zone").getAttribute("aria-invalid")).toBe("true");
    for (const ok of ["", "UTC", "Europe/Berlin", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "America/Port-au-Prince"]) expect(zoneLooksValid(ok), ok).toBe(true);
    for (const bad of ["Berlin", "GMT+1", "Europe/", "/Berlin", "Europe Berlin"]) expect(zoneLooksValid(bad), bad).toBe(false);
  });
});

describe("importing a price list", () => {
  const good = "timestamp,price\n2026-03-29T00:00:00+01:00,0.21\n2026-03-29T01:00:00+01:00,0.19\n2026-03-29T03:00:00+02:00,0.18\n";

  it("shows the line a bad list fails at, and keeps no list", async () => {
    const { el, mock } = open();
    await click(byTestId(el, "kind-hourly"));
    await pick(el, good.replace("0.19", "cheap"));
    expect(mock.calls.filter((c) => c.method === "importTariffPrices")).toHaveLength(1);
    const error = byTestId(el, "csv-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("line 3");
    expect(byTestId(el, "csv-status").textContent).toContain("No price list");
  });

  it("says what a good list covers", async () => {
    const { el } = open(structuredClone(DEFAULT_SETTINGS), "zh-CN");
    await click(byTestId(el, "kind-hourly"));
    await pick(el, good);
    expect(el.querySelector("[data-testid=csv-error]")).toBeNull();
    expect(byTestId(el, "csv-status").textContent).toContain("3 个价格");
  });
});

describe("the weekend days of a time-of-use tariff", () => {
  it("saves Friday and Saturday as the weekend", async () => {
    const { el, mock } = open();
    await click(byTestId(el, "kind-time-of-use"));
    await type(input(el, "e-s0-base"), "0.30");
    await type(input(el, "e-s0-p0-price"), "0.55");
    const fieldset = byTestId(el, "weekend-days");
    expect(fieldset.querySelector("legend")?.textContent).toBe("Weekend days");
    expect(fieldset.textContent).toContain("Friday");
    await click(byTestId(el, "weekend-sunday"));
    await click(byTestId(el, "weekend-friday"));
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)[0]?.energy.weekend_days).toEqual(["friday", "saturday"]);
  });

  it("refuses seven weekend days at the checkboxes", async () => {
    const { el, mock } = open();
    await click(byTestId(el, "kind-time-of-use"));
    await type(input(el, "e-s0-base"), "0.30");
    await type(input(el, "e-s0-p0-price"), "0.55");
    for (const d of ["monday", "tuesday", "wednesday", "thursday", "friday"]) await click(byTestId(el, `weekend-${d}`));
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)).toHaveLength(0);
    expect(byTestId(el, "err-weekend_days").textContent).toContain("at most 6");
    expect(byTestId(el, "weekend-days").getAttribute("aria-describedby")).toContain("e-weekend-err");
    // Six are fine.
    await click(byTestId(el, "weekend-monday"));
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)[0]?.energy.weekend_days).toHaveLength(6);
  });

  it("keeps the saved days when another kind of tariff is chosen, names days in Chinese, and routes the engine's error", async () => {
    const settings = structuredClone(DEFAULT_SETTINGS);
    settings.energy.weekend_days = ["friday", "saturday"];
    const { el, mock } = open(settings, "zh-CN");
    await click(byTestId(el, "kind-time-of-use"));
    expect(byTestId(el, "weekend-days").textContent).toContain("星期五");
    expect((byTestId(el, "weekend-friday") as HTMLInputElement).checked).toBe(true);
    expect((byTestId(el, "weekend-sunday") as HTMLInputElement).checked).toBe(false);
    await click(byTestId(el, "kind-flat"));
    await click(byTestId(el, "energy-save"));
    expect(saved(mock)[0]?.energy.weekend_days).toEqual(["friday", "saturday"]);
    expect(keyOf("energy.weekend_days.0")).toBe("weekend_days");
    expect(toggleDay(["sunday", "saturday"], "friday", true)).toEqual(["friday", "saturday", "sunday"]);
    expect(weekendOf(["Sunday", "caturday"])).toEqual(["sunday"]);
  });
});

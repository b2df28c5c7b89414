// The history's range buttons (10 min, 24 h, 30 days, 1 year) and the energy and cost charts:
// units and currency in the captions, provenance, and empty states that say what to do.
import { afterEach, describe, expect, it, vi } from "vitest";
import { act } from "preact/test-utils";
import type { Series, SeriesRange } from "../src/bindings";
import { MockBackend } from "../src/backend/mock";
import { energyNotAvailable, makeSeries } from "../src/backend/mock-data";
import { ChartsCard, RANGES, REFRESH_MS } from "../src/screens/dashboard/ChartsCard";
import { byTestId, flush, mountWith } from "./helpers";

afterEach(() => vi.useRealTimers());

function radios(el: HTMLElement): HTMLInputElement[] {
  return [...el.querySelectorAll<HTMLInputElement>('input[type="radio"][name="chart-range"]')];
}

async function pick(el: HTMLElement, range: SeriesRange) {
  const input = radios(el).find((r) => r.value === range);
  if (!input) throw new Error(`no ${range} button`);
  await act(async () => {
    input.click();
  });
  await flush();
}

describe("range buttons", () => {
  it("offer four ranges as one keyboard-reachable radio group, 1 year last", async () => {
    const { el, unmount } = mountWith(<ChartsCard cores={2} theme="light" />);
    await flush();
    expect(RANGES).toEqual(["10m", "24h", "30d", "1y"]);
    const inputs = radios(el);
    expect(inputs.map((i) => i.value)).toEqual(["10m", "24h", "30d", "1y"]);
    expect(inputs.map((i) => i.closest("label")?.textContent)).toEqual(["10 min", "24 h", "30 days", "1 year"]);
    for (const i of inputs) expect(i.tabIndex).not.toBe(-1);
    inputs[3]?.focus();
    expect(document.activeElement).toBe(inputs[3]);
    unmount();
  });

  it("asks for the year when 1 year is chosen and draws its days", async () => {
    const { el, mock, unmount } = mountWith(<ChartsCard cores={2} theme="light" />);
    await flush();
    await pick(el, "1y");
    const asked = mock.calls.filter((c) => c.method === "series").map((c) => c.args[0]);
    expect(asked).toEqual(["10m", "1y"]);
    expect(radios(el).find((r) => r.checked)?.value).toBe("1y");
    expect(byTestId(el, "chart-energy").querySelector("figcaption")?.textContent).toMatch(/^Energy per day \(Wh\)/);
    expect(byTestId(el, "chart-cost").querySelector("figcaption")?.textContent).toMatch(/^Electricity cost per day \(EUR\)/);
    expect(el.textContent).toContain("One point per day (UTC)");
    unmount();
  });

  it("refreshes a year hourly", async () => {
    vi.useFakeTimers();
    const { el, mock, unmount } = mountWith(<ChartsCard cores={2} theme="light" />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(10);
    });
    await act(async () => {
      radios(el).find((r) => r.value === "1y")?.click();
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    });
    unmount();
    expect(REFRESH_MS["1y"]).toBe(3_600_000);
    expect(mock.calls.filter((c) => c.method === "series" && c.args[0] === "1y").length).toBe(1 + 2);
  });
});

describe("energy charts", () => {
  it("caption energy per minute in Wh and cost with its currency, marked estimated", async () => {
    const { el, unmount } = mountWith(<ChartsCard cores={2} theme="light" />);
    await flush();
    const energy = byTestId(el, "chart-energy");
    expect(energy.querySelector("figcaption")?.textContent).toBe("Energy per minute (Wh) estimated");
    expect(energy.querySelector(".prov")?.getAttribute("title")).toContain("model: unknown CPU");
    expect(energy.querySelector('[role="img"]')?.getAttribute("aria-label")).toBe("Energy per minute, 10 min");
    expect(byTestId(el, "chart-cost").querySelector("figcaption")?.textContent).toBe("Electricity cost per minute (EUR) estimated");
    await pick(el, "30d");
    expect(byTestId(el, "chart-energy").querySelector("figcaption")?.textContent).toMatch(/^Energy per hour \(Wh\)/);
    unmount();
  });

  it("say what to do when no power source was recorded", async () => {
    const mock = new MockBackend({ scenario: "running" });
    mock.earningsData.energy = energyNotAvailable("EUR");
    const { el, unmount } = mountWith(<ChartsCard cores={2} theme="dark" />, { mock });
    await flush();
    expect(byTestId(el, "chart-energy").textContent).toContain("no power reading was recorded in this period");
    expect(byTestId(el, "chart-cost").textContent).toContain("it needs the energy");
    expect(byTestId(el, "chart-energy").querySelector('[role="img"]')).toBeNull();
    unmount();
  });

  it("say to set a price when energy has no cost", async () => {
    const mock = new MockBackend({ scenario: "running" });
    const noTariff = (range: SeriesRange): Series => {
      const s = makeSeries(range, Date.now(), true, { currency: "EUR" });
      return { ...s, energy: { ...s.energy, cost: s.energy.cost.map(() => null), currency: null } };
    };
    mock.series = async (range) => noTariff(range);
    const { el, unmount } = mountWith(<ChartsCard cores={2} theme="light" />, { mock, locale: "zh-CN" });
    await flush();
    expect(byTestId(el, "chart-energy").querySelector('[role="img"]')).not.toBeNull();
    expect(byTestId(el, "chart-cost").textContent).toContain("请在“设置”中填写每千瓦时电价");
    unmount();
  });
});

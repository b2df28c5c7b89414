// "At this rate" on the energy card: the net per hour, day and month (30 days) with its sign,
// the power and prices it rests on, the day's band where solo mining has one, and the engine's
// reason in plain words when a figure cannot be known, never 0.
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView } from "../src/bindings";
import { DEFAULT_SETTINGS, energyEstimated, energyNotAvailable, PROJECTION_SOLO, projectionNotAvailable } from "../src/backend/mock-data";
import { EnergyCard } from "../src/screens/dashboard/EnergyCard";
import { byTestId, mountWith } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

function card(projection: EnergyView["projection"], locale: "en" | "zh-CN" = "en", base = energyNotAvailable("EUR")) {
  const energy: EnergyView = { ...base, projection };
  const { el } = mountWith(<EnergyCard energy={energy} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />, { locale });
  return byTestId(el, "projection");
}

describe("at this rate", () => {
  it("shows the hand-computed net per hour, day and 30-day month with sign, basis, power and prices", () => {
    // 10 kH/s solo, D 3·10¹¹, 0.6 XMR at 150 EUR: 0.2592 EUR/day; 30 W at 0.30 EUR/kWh: 0.216.
    const text = card(PROJECTION_SOLO).textContent ?? "";
    expect(text).toContain("At this rate");
    expect(text).toContain("+€0.0018/hour · +€0.0432/day · +€1.30/month (30 days)");
    expect(text).toContain("estimated, marginal basis: 30\u00a0W above idle at €0.30/kWh now");
    expect(text).toContain("revenue €0.26/day − electricity €0.22/day");
    expect(text).toContain("at €150.00 per XMR (your setting)");
  });

  it("shows a loss with a minus sign", () => {
    const loss = { ...PROJECTION_SOLO, basis: "total", watts: 95, net_per_hour: -0.0177, net_per_day: -0.4248, net_per_month: -12.744, cost_per_day: 0.684 };
    const text = card(loss).textContent ?? "";
    expect(text).toMatch(/-€0\.0177\/hour · -€0\.42\/day · -€12\.74\/month \(30 days\)/);
    expect(text).toContain("estimated, total basis: 95\u00a0W for the whole machine");
  });

  it("shows the solo band of a day's revenue, and none where the payout has no known spread", () => {
    const el = card(PROJECTION_SOLO);
    expect(byTestId(el, "projection-band").textContent).toContain("€0.00 to €0.00, 90 % range");
    const p2pool = card({ ...PROJECTION_SOLO, revenue_low_per_day: null, revenue_high_per_day: null });
    expect(p2pool.querySelector('[data-testid="projection-band"]')).toBeNull();
  });

  it("says why in plain words for every reason, never a 0", () => {
    const cases: [string, string][] = [
      ["simulated", "the practice node's rewards are simulated"],
      ["no-work-rate", "needs the node running and reporting its hash rate"],
      ["not-hashes", "this node's work is not hashing"],
      ["no-network", "does not report the network difficulty and block reward"],
      ["no-price", "the coin has no price in EUR: set one under Prices"],
      ["no-power", "no power reading now"],
      ["no-tariff", "no electricity price is in force now"],
    ];
    for (const [code, words] of cases) {
      const text = card(projectionNotAvailable(code)).textContent ?? "";
      expect(text, code).toContain(words);
      expect(text, code).not.toMatch(/€0\.00\/hour/);
    }
  });

  it("keeps the revenue visible when only the electricity price is missing", () => {
    const p = { ...PROJECTION_SOLO, cost_per_hour: null, cost_per_day: null, cost_per_month: null, net_per_hour: null, net_per_day: null, net_per_month: null, price_per_kwh: null, unavailable: "no-tariff" };
    const text = card(p).textContent ?? "";
    expect(text).toContain("no electricity price is in force now");
    expect(text).toContain("revenue €0.26/day; the electricity cost is missing");
  });

  it("the practice node's mock says simulated, in English and Chinese", () => {
    const sim = energyEstimated("EUR", 1_700_000_000_000);
    expect(card(sim.projection, "en", sim).textContent).toContain("simulated");
    expect(card(sim.projection, "zh-CN", sim).textContent).toContain("练习节点的奖励是模拟的");
    expect(card(PROJECTION_SOLO, "zh-CN").textContent).toContain("按 30 天计");
  });
});

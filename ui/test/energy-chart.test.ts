// Shaping the energy chart's data: gaps where nothing was recorded (never 0), the units of a
// point, the currency of the cost, and what an empty chart says.
import { describe, expect, it } from "vitest";
import type { EnergySeries } from "../src/bindings";
import { energyChart, energyUnit, gapAfterSecs, maxOf, perOf, pointCost, pointEnergy, withGaps } from "../src/lib/chartData";

const DAY = 86_400;

function series(over: Partial<EnergySeries>): EnergySeries {
  return { step_secs: 3600, t: [], wh: [], marginal_wh: [], cost: [], currency: null, ...over };
}

describe("withGaps", () => {
  it("puts one null point into each hole of the record and none between neighbours", () => {
    const { t, columns } = withGaps([0, DAY, 4 * DAY, 5 * DAY], [[1, 2, 3, 4]], DAY);
    expect(t).toEqual([0, DAY, 2 * DAY, 4 * DAY, 5 * DAY]);
    expect(columns[0]).toEqual([1, 2, null, 3, 4]);
  });

  it("lets raw seconds jitter up to the ledger's 5 s without breaking the line", () => {
    expect(gapAfterSecs(1)).toBe(5);
    expect(withGaps([0, 1, 3, 7, 20], [[1, 1, 1, 1, 1]], 1).columns[0]).toEqual([1, 1, 1, 1, null, 1]);
  });

  it("keeps missing values as null, not 0", () => {
    expect(withGaps([0, 60], [[null, 5]], 60).columns[0]).toEqual([null, 5]);
  });
});

describe("energyChart", () => {
  it("shapes a year of days: gaps for missing days, cost in the series' currency", () => {
    const e = energyChart(
      series({ step_secs: DAY, t: [0, DAY, 3 * DAY], wh: [1200, 800, 950], marginal_wh: [700, null, 500], cost: [0.36, 0.24, 0.29], currency: "EUR" }),
    );
    expect(e.per).toBe("day");
    expect(e.t).toEqual([0, DAY, 2 * DAY, 3 * DAY]);
    expect(e.wh).toEqual([1200, 800, null, 950]);
    expect(e.marginalWh).toEqual([700, null, null, 500]);
    expect(e.cost).toEqual([0.36, 0.24, null, 0.29]);
    expect(e.currency).toBe("EUR");
    expect([e.hasEnergy, e.hasMarginal, e.hasCost, e.empty, e.costEmpty]).toEqual([true, true, true, null, null]);
  });

  it("says no power when no point has energy, and no tariff when energy has no cost", () => {
    const none = energyChart(series({ t: [0, 3600], wh: [null, null], marginal_wh: [null, null], cost: [null, null] }));
    expect([none.hasEnergy, none.empty, none.costEmpty]).toEqual([false, "no-power", null]);
    const empty = energyChart(series({}));
    expect(empty.empty).toBe("no-power");
    const noTariff = energyChart(series({ t: [0], wh: [12], marginal_wh: [null], cost: [null] }));
    expect([noTariff.hasEnergy, noTariff.hasCost, noTariff.costEmpty, noTariff.currency]).toEqual([true, false, "no-tariff", null]);
    expect(noTariff.hasMarginal).toBe(false);
  });

  it("names what one point stands for", () => {
    expect([perOf(60), perOf(3600), perOf(DAY)]).toEqual(["minute", "hour", "day"]);
  });
});

describe("units", () => {
  it("shows Wh up to a kilowatt-hour, then kWh", () => {
    expect(energyUnit(999).unit).toBe("Wh");
    expect(energyUnit(1000).unit).toBe("kWh");
    expect(maxOf([1, null, 3], [2])).toBe(3);
    expect(pointEnergy("en", 0.81, "Wh")).toBe("0.81\u00a0Wh");
    expect(pointEnergy("en", 1150, "kWh")).toBe("1.15\u00a0kWh");
    expect(pointEnergy("en", 47.833, "Wh")).toBe("47.83\u00a0Wh");
  });

  it("keeps a fraction of a cent visible and names the currency", () => {
    expect(pointCost("en", 0.000245, "EUR")).toBe("€0.000245");
    expect(pointCost("en", 0.36, "EUR")).toBe("€0.36");
    expect(pointCost("en", 12.5, "USD")).toBe("$12.50");
    expect(pointCost("zh-CN", 0.0123, "CNY")).toBe("¥0.0123");
    // A code Intl refuses is still shown, after the number.
    expect(pointCost("en", 0.5, "e!")).toBe("0.5\u00a0e!");
  });
});

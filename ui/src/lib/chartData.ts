// Shaping chart data before uPlot draws it. Pure functions, unit-tested.
//
// The ledger stores nothing for time when nothing was recorded (the computer was off, Lightrig
// was closed): such a stretch has no point at all. uPlot joins neighbouring points with a line,
// so without help it would draw straight across a missing week. `withGaps` puts a null point
// into each hole, which uPlot leaves blank: a gap, never a 0.
import type { EnergySeries } from "../bindings";

export type Column = Array<number | null>;

/** How far apart two points may be before the stretch between them counts as a gap. Raw
 * seconds are about 1 s apart and may jitter (the ledger counts up to 5 s as covered);
 * rollups are one bucket apart. */
export function gapAfterSecs(stepSecs: number): number {
  return stepSecs <= 1 ? 5 : stepSecs * 1.5;
}

/** The same columns with a null point in every hole wider than `gapAfterSecs(stepSecs)`. */
export function withGaps(t: number[], columns: Column[], stepSecs: number): { t: number[]; columns: Column[] } {
  const limit = gapAfterSecs(stepSecs);
  const outT: number[] = [];
  const out: Column[] = columns.map(() => []);
  for (let i = 0; i < t.length; i++) {
    const at = t[i] ?? 0;
    const prev = i > 0 ? t[i - 1] : undefined;
    if (prev !== undefined && at - prev > limit) {
      outT.push(prev + stepSecs);
      for (const c of out) c.push(null);
    }
    outT.push(at);
    columns.forEach((c, k) => out[k]?.push(c[i] ?? null));
  }
  return { t: outT, columns: out };
}

const hasValue = (c: Column) => c.some((v) => v !== null && v !== undefined);

/** What the energy chart needs: per-point energy, marginal energy and cost with gaps marked. */
export interface EnergyChart {
  t: number[];
  wh: Column;
  marginalWh: Column;
  cost: Column;
  /** The currency of the cost column; null when no point has a cost. */
  currency: string | null;
  /** "minute" | "hour" | "day": what one point stands for, for the captions. */
  per: "minute" | "hour" | "day";
  hasEnergy: boolean;
  hasMarginal: boolean;
  hasCost: boolean;
  /** What the chart can say when it has nothing to draw. */
  empty: "no-power" | null;
  costEmpty: "no-tariff" | null;
}

export function perOf(stepSecs: number): EnergyChart["per"] {
  return stepSecs >= 86_400 ? "day" : stepSecs >= 3600 ? "hour" : "minute";
}

/** Energy per point as the engine sends it, shaped for the charts. A point's cost only counts
 * in the series' currency (the engine already drops others); no energy at all means no power
 * source was recorded in the period, and energy without any cost means no tariff. */
export function energyChart(e: EnergySeries): EnergyChart {
  const { t, columns } = withGaps(e.t, [e.wh, e.marginal_wh, e.cost], e.step_secs);
  const [wh = [], marginalWh = [], cost = []] = columns;
  const hasEnergy = hasValue(wh);
  const hasCost = hasValue(cost) && e.currency !== null;
  return {
    t,
    wh,
    marginalWh,
    cost,
    currency: hasCost ? e.currency : null,
    per: perOf(e.step_secs),
    hasEnergy,
    hasMarginal: hasValue(marginalWh),
    hasCost,
    empty: hasEnergy ? null : "no-power",
    costEmpty: hasEnergy && !hasCost ? "no-tariff" : null,
  };
}

/** Energy with a sensible unit for its size: Wh up to a kilowatt-hour, then kWh. */
export function energyUnit(maxWh: number): { unit: "Wh" | "kWh"; scale: number } {
  return maxWh >= 1000 ? { unit: "kWh", scale: 1 / 1000 } : { unit: "Wh", scale: 1 };
}

export function maxOf(...columns: Column[]): number {
  let m = 0;
  for (const c of columns) for (const v of c) if (v !== null && v !== undefined && v > m) m = v;
  return m;
}

/** A cost per point. A minute of a computer's electricity costs a fraction of a cent, so small
 * amounts keep three significant digits instead of rounding to 0.00. */
export function pointCost(locale: string, v: number, currency: string): string {
  const small = Math.abs(v) > 0 && Math.abs(v) < 1;
  const o: Intl.NumberFormatOptions = {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    ...(small ? { maximumSignificantDigits: 3 } : { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  };
  try {
    return new Intl.NumberFormat(locale, o).format(v);
  } catch {
    return `${new Intl.NumberFormat(locale, { maximumSignificantDigits: 3 }).format(v)}\u00a0${currency}`;
  }
}

/** Energy per point in `unit` (see `energyUnit`), e.g. "12.4 Wh" or "1.15 kWh". */
export function pointEnergy(locale: string, wh: number, unit: "Wh" | "kWh"): string {
  const v = unit === "kWh" ? wh / 1000 : wh;
  const digits = v === 0 ? 0 : v < 1 ? 3 : v < 100 ? 2 : 0;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v)}\u00a0${unit}`;
}

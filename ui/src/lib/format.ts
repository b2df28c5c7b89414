// Numbers, units, money, durations and dates per locale, with Intl. Pure functions: the
// screens pass the locale in, the tests call them directly.
import type { WorkRate } from "../bindings";

export type Locale = "en" | "zh-CN";

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(opts);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, opts);
    cache.set(key, f);
  }
  return f;
}

/** A plain number, at most `maxFrac` decimals. */
export function num(locale: Locale, v: number, maxFrac = 1, minFrac = 0): string {
  return nf(locale, { maximumFractionDigits: maxFrac, minimumFractionDigits: minFrac }).format(v);
}

/** 0..100 → "42%" (en) / "42%" (zh). */
export function pct(locale: Locale, v: number, maxFrac = 0): string {
  return nf(locale, { style: "percent", maximumFractionDigits: maxFrac }).format(v / 100);
}

/** Number with a unit symbol that Intl does not know (W, kWh, H/s): a space between them. */
function withUnit(locale: Locale, v: number, unit: string, maxFrac: number): string {
  return `${num(locale, v, maxFrac)}\u00a0${unit}`;
}

const SI = [
  { f: 1e12, p: "T" },
  { f: 1e9, p: "G" },
  { f: 1e6, p: "M" },
  { f: 1e3, p: "k" },
] as const;

/**
 * A work rate with its unit. Units of the form "<X>/s" (H/s, B/s) get SI prefixes so that
 * 1830 H/s reads 1.83 kH/s; other units are shown as the node reported them.
 */
export function rate(locale: Locale, r: WorkRate): string {
  const scalable = /^[A-Za-z]+\/s$/.test(r.unit) && !/^[kMGT]/.test(r.unit);
  if (scalable) {
    for (const { f, p } of SI) {
      if (Math.abs(r.value) >= f) return withUnit(locale, r.value / f, p + r.unit, 2);
    }
  }
  return withUnit(locale, r.value, r.unit, r.value < 10 ? 2 : 1);
}

/** Bytes in decimal units (kB, MB, GB), as operating systems show memory sizes. */
export function bytes(locale: Locale, n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"] as const;
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return withUnit(locale, v, units[i] ?? "B", i === 0 ? 0 : 1);
}

export function celsius(locale: Locale, v: number): string {
  return nf(locale, { style: "unit", unit: "celsius", maximumFractionDigits: 0 }).format(v);
}

export function watts(locale: Locale, v: number): string {
  return withUnit(locale, v, "W", v < 10 ? 1 : 0);
}

export function kwh(locale: Locale, v: number): string {
  return withUnit(locale, v, "kWh", v < 1 ? 3 : 2);
}

/**
 * Money in `currency`. `signed` shows + or − (net results); small amounts (a price per kWh)
 * keep up to four decimals. An unknown currency code is shown after the number.
 */
export function money(locale: Locale, v: number, currency: string, opts: { signed?: boolean; precise?: boolean } = {}): string {
  const o: Intl.NumberFormatOptions = {
    style: "currency",
    currency,
    currencyDisplay: "narrowSymbol",
    ...(opts.signed ? { signDisplay: "exceptZero" } : {}),
    ...(opts.precise ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : {}),
  };
  try {
    return nf(locale, o).format(v);
  } catch {
    const sign = opts.signed && v > 0 ? "+" : "";
    return `${sign}${num(locale, v, opts.precise ? 4 : 2, 2)}\u00a0${currency}`;
  }
}

/**
 * An exact decimal string from the engine ("0.004182") with the locale's grouping and
 * decimal mark, without passing through a float (amounts of crypto need every digit).
 */
export function decimalString(locale: Locale, s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!m) return s;
  const [, sign = "", int = "0", frac] = m;
  const parts = nf(locale, { useGrouping: true }).formatToParts(BigInt(int));
  const intText = parts.map((p) => p.value).join("");
  const decimal = nf(locale, {}).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return `${sign ? "−" : ""}${intText}${frac ? decimal + frac : ""}`;
}

/** "3 h 25 min", "12 s", "2 d 4 h": the two largest non-zero units. */
export function duration(t: (key: "dur.d" | "dur.h" | "dur.min" | "dur.s", p: { n: string }) => string, locale: Locale, secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const parts: Array<[number, "dur.d" | "dur.h" | "dur.min" | "dur.s"]> = [
    [Math.floor(s / 86400), "dur.d"],
    [Math.floor((s % 86400) / 3600), "dur.h"],
    [Math.floor((s % 3600) / 60), "dur.min"],
    [s % 60, "dur.s"],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first === -1) return t("dur.s", { n: num(locale, 0) });
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, k]) => t(k, { n: num(locale, v, 0) }))
    .join(" ");
}

export function dateTime(locale: Locale, ms: number): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(ms);
}

export function timeOfDay(locale: Locale, ms: number): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }).format(ms);
}

/** A calendar date from "YYYY-MM-DD" (as written in the notes), shown in the locale's way. */
export function calendarDate(locale: Locale, iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" }).format(ms);
}

// Time-of-use editing: the engine keeps 24 prices for weekdays and 24 for weekend days per
// season; people think "a base price, and a dearer (or cheaper) price from 17 to 21 on
// weekdays". These functions turn one into the other, so the editor stays quick to use and the
// grid it produces is exactly what is saved.
import type { SeasonView } from "../bindings";

export type Days = "all" | "weekday" | "weekend";

export interface Period {
  from: number;
  /** Exclusive, 1..24. */
  to: number;
  days: Days;
  price: string;
}

export interface SeasonDraft {
  name: string;
  /** "MM-DD", inclusive. */
  from: string;
  to: string;
  base: string;
  periods: Period[];
}

const DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function monthOf(md: string): number {
  const m = Number(md.slice(0, 2));
  return m >= 1 && m <= 12 ? m : 1;
}

export function monthStart(month: number): string {
  return `${String(month).padStart(2, "0")}-01`;
}

export function monthEnd(month: number): string {
  return `${String(month).padStart(2, "0")}-${DAYS_IN[month - 1]}`;
}

/** The price that covers the most hours of the week: the base the periods differ from. */
function basePrice(weekday: number[], weekend: number[]): number {
  const count = new Map<number, number>();
  for (const p of weekday) count.set(p, (count.get(p) ?? 0) + 5);
  for (const p of weekend) count.set(p, (count.get(p) ?? 0) + 2);
  let best = weekday[0] ?? 0;
  for (const [p, n] of count) if (n > (count.get(best) ?? 0)) best = p;
  return best;
}

/** Runs of hours whose price differs from `base`. */
function runs(hours: number[], base: number): { from: number; to: number; price: number }[] {
  const out: { from: number; to: number; price: number }[] = [];
  for (let h = 0; h < hours.length; h++) {
    const price = hours[h];
    if (price === undefined || price === base) continue;
    const last = out[out.length - 1];
    if (last && last.to === h && last.price === price) last.to = h + 1;
    else out.push({ from: h, to: h + 1, price });
  }
  return out;
}

export function draftOf(s: SeasonView): SeasonDraft {
  const base = basePrice(s.weekday, s.weekend);
  const wd = runs(s.weekday, base);
  const we = runs(s.weekend, base);
  const same = (a: { from: number; to: number; price: number }, b: { from: number; to: number; price: number }) =>
    a.from === b.from && a.to === b.to && a.price === b.price;
  const periods: Period[] = [];
  for (const r of wd) {
    const both = we.some((w) => same(w, r));
    periods.push({ from: r.from, to: r.to, days: both ? "all" : "weekday", price: String(r.price) });
  }
  for (const r of we) if (!wd.some((w) => same(w, r))) periods.push({ from: r.from, to: r.to, days: "weekend", price: String(r.price) });
  return { name: s.name, from: s.from, to: s.to, base: String(base), periods };
}

export function newSeason(name: string): SeasonDraft {
  return { name, from: "01-01", to: "12-31", base: "", periods: [{ from: 17, to: 21, days: "weekday", price: "" }] };
}

/** A price as typed ("0,35" too), or null if it is not one. */
export function priceOf(text: string): number | null {
  const s = text.trim().replace(",", ".");
  if (!/^\d+(\.\d+)?$/.test(s)) return null;
  const v = Number(s);
  return v >= 0 && v <= 10 ? v : null;
}

/**
 * The 24 × 2 grid of a draft: the base everywhere, then each period in order (a later one
 * wins where they overlap). Prices that do not parse become NaN; check them first.
 */
export function expand(d: SeasonDraft): { weekday: number[]; weekend: number[] } {
  const base = priceOf(d.base) ?? Number.NaN;
  const weekday = Array<number>(24).fill(base);
  const weekend = Array<number>(24).fill(base);
  for (const p of d.periods) {
    const price = priceOf(p.price) ?? Number.NaN;
    for (let h = p.from; h < p.to && h < 24; h++) {
      if (p.days !== "weekend") weekday[h] = price;
      if (p.days !== "weekday") weekend[h] = price;
    }
  }
  return { weekday, weekend };
}

export function toView(d: SeasonDraft): SeasonView {
  return { name: d.name.trim(), from: d.from, to: d.to, ...expand(d) };
}

/** What is wrong with a draft, as keys the editor translates; empty when it is fine. */
export function problems(d: SeasonDraft): { field: string; key: "price" | "hours" }[] {
  const out: { field: string; key: "price" | "hours" }[] = [];
  if (priceOf(d.base) === null) out.push({ field: "base", key: "price" });
  d.periods.forEach((p, i) => {
    if (priceOf(p.price) === null) out.push({ field: `p${i}.price`, key: "price" });
    if (!(p.from >= 0 && p.to <= 24 && p.from < p.to)) out.push({ field: `p${i}.hours`, key: "hours" });
  });
  return out;
}

/** Day names as the engine stores them (`weekend_days`), Monday first. */
export const DAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;
export type DayName = (typeof DAY_NAMES)[number];

/** The most weekend days a schedule may have: with all seven, its weekday prices would never apply. */
export const MAX_WEEKEND_DAYS = 6;

/** The chosen days in week order (Monday first), unknown names dropped, each once. */
export function weekendOf(days: readonly string[]): DayName[] {
  const lower = new Set(days.map((d) => d.trim().toLowerCase()));
  return DAY_NAMES.filter((d) => lower.has(d));
}

/** `days` with `day` switched on or off, in week order. */
export function toggleDay(days: readonly string[], day: DayName, on: boolean): DayName[] {
  const rest = weekendOf(days).filter((d) => d !== day);
  return weekendOf(on ? [...rest, day] : rest);
}

/**
 * Whether a typed time zone looks like one the engine can know: empty (the system's), "UTC",
 * or an IANA "Area/City" name (Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5). Only
 * the shape is checked here; the engine's zone database is the final judge.
 */
export function zoneLooksValid(text: string): boolean {
  const z = text.trim();
  return z === "" || z === "UTC" || /^[A-Za-z][A-Za-z_-]*(\/[A-Za-z0-9_+-]+)+$/.test(z);
}

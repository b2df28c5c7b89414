import { describe, expect, it } from "vitest";
import { makeI18n } from "../src/i18n";
import { bytes, calendarDate, celsius, decimalString, duration, kwh, money, num, pct, rate, watts } from "../src/lib/format";

const nbsp = (s: string) => s.replace(/\u00a0|\u202f/g, " ");

describe("numbers and units per locale", () => {
  it("formats plain numbers with grouping", () => {
    expect(num("en", 1234567.891, 1)).toBe("1,234,567.9");
    expect(num("zh-CN", 1234567.891, 1)).toBe("1,234,567.9");
  });

  it("scales work rates with SI prefixes and keeps the unit", () => {
    expect(nbsp(rate("en", { value: 1830, unit: "H/s" }))).toBe("1.83 kH/s");
    expect(nbsp(rate("en", { value: 2_500_000, unit: "H/s" }))).toBe("2.5 MH/s");
    expect(nbsp(rate("en", { value: 512, unit: "H/s" }))).toBe("512 H/s");
    expect(nbsp(rate("en", { value: 0, unit: "H/s" }))).toBe("0 H/s");
    // Units the UI does not know are shown as the node reported them.
    expect(nbsp(rate("en", { value: 12.5, unit: "shares/min" }))).toBe("12.5 shares/min");
    expect(nbsp(rate("en", { value: 3, unit: "kH/s" }))).toBe("3 kH/s");
  });

  it("shows percentages, temperatures, power, energy and memory with units", () => {
    expect(pct("en", 42.4)).toBe("42%");
    expect(pct("zh-CN", 42.4)).toBe("42%");
    expect(celsius("en", 71.4)).toBe("71°C");
    expect(celsius("zh-CN", 71.4)).toBe("71°C");
    expect(nbsp(watts("en", 65.2))).toBe("65 W");
    expect(nbsp(kwh("en", 0.4321))).toBe("0.432 kWh");
    expect(nbsp(bytes("en", 9_400_000_000))).toBe("9.4 GB");
    expect(nbsp(bytes("en", 41_000_000))).toBe("41 MB");
  });

  it("formats money per locale and currency, with a sign for net results", () => {
    expect(money("en", 1.5, "EUR")).toBe("€1.50");
    expect(money("zh-CN", 1.5, "CNY")).toBe("¥1.50");
    expect(money("en", 1.5, "CNY")).toBe("¥1.50");
    expect(money("en", -0.42, "EUR", { signed: true })).toBe("-€0.42");
    expect(money("en", 0.42, "EUR", { signed: true })).toBe("+€0.42");
    expect(money("en", 0.3215, "EUR", { precise: true })).toBe("€0.3215");
    expect(money("en", 200, "JPY")).toBe("¥200");
  });

  it("keeps every digit of crypto amounts and localises the separators", () => {
    expect(decimalString("en", "1234567.000000000001")).toBe("1,234,567.000000000001");
    expect(decimalString("zh-CN", "0.004182")).toBe("0.004182");
    expect(decimalString("en", "-3.5")).toBe("−3.5");
    expect(decimalString("en", "garbage")).toBe("garbage");
  });

  it("writes durations with the two largest units in each language", () => {
    const en = makeI18n("en");
    const zh = makeI18n("zh-CN");
    expect(duration(en.t, "en", 3 * 3600 + 25 * 60 + 7)).toBe("3 h 25 min");
    expect(duration(zh.t, "zh-CN", 3 * 3600 + 25 * 60 + 7)).toBe("3 小时 25 分钟");
    expect(duration(en.t, "en", 12)).toBe("12 s");
    expect(duration(en.t, "en", 0)).toBe("0 s");
    expect(duration(en.t, "en", 2 * 86400 + 3600)).toBe("2 d 1 h");
  });

  it("shows calendar dates the local way", () => {
    expect(calendarDate("en", "2026-11-24")).toBe("November 24, 2026");
    expect(calendarDate("zh-CN", "2026-11-24")).toBe("2026年11月24日");
    expect(calendarDate("en", "soon")).toBe("soon");
  });
});

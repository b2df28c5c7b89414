import { describe, expect, it } from "vitest";
import type { FieldView } from "../src/bindings";
import { makeI18n } from "../src/i18n";
import { checkAll, checkCurrency, checkField, draftOf, parsePrice, valuesOf } from "../src/lib/validate";

const en = makeI18n("en");
const zh = makeI18n("zh-CN");
const f = (over: Partial<FieldView>): FieldView => ({ name: "x", kind: "text", label: "X", help: null, required: false, min: null, max: null, choices: [], default: null, ...over });

describe("node field validation", () => {
  const threads = f({ name: "threads", kind: "integer", min: 1, max: 256 });
  it("checks integer ranges", () => {
    expect(checkField(threads, "4", en)).toBeNull();
    expect(checkField(threads, "0", en)).toBe("Enter a number from 1 to 256.");
    expect(checkField(threads, "999", en)).toBe("Enter a number from 1 to 256.");
    expect(checkField(threads, "2.5", en)).toBe("Enter a whole number.");
    expect(checkField(threads, "four", zh)).toBe("请输入整数。");
    expect(checkField(threads, "", en)).toBeNull();
    expect(checkField(f({ kind: "integer", min: 1, max: 1_000_000_000_000 }), "0", en)).toBe("Enter a number from 1 to 1,000,000,000,000.");
  });
  it("checks ports, choices and required fields", () => {
    const port = f({ kind: "port", min: 1, max: 65535 });
    expect(checkField(port, "8080", en)).toBeNull();
    expect(checkField(port, "70000", en)).toBe("Enter a port from 1 to 65535.");
    expect(checkField(port, "", en)).toBeNull();
    const pool = f({ kind: "choice", choices: ["mini", "main"], required: true });
    expect(checkField(pool, "nano", en)).toBe("Choose one of the options.");
    expect(checkField(pool, "", en)).toBe("This is required.");
    expect(checkField(f({ kind: "text", required: true }), "  ", en)).toBe("This is required.");
    expect(checkField(f({ kind: "bool", required: true }), false, en)).toBeNull();
  });
  it("sends typed values and leaves empty optional fields out", () => {
    const fields = [threads, f({ name: "port", kind: "port" }), f({ name: "hp", kind: "bool" }), f({ name: "addr", kind: "text" })];
    expect(valuesOf(fields, { threads: " 4 ", port: "", hp: true, addr: "4abc" })).toEqual({ threads: 4, hp: true, addr: "4abc" });
    expect(checkAll(fields, { threads: "0", port: "x", hp: false, addr: "" }, en)).toEqual({ threads: "Enter a number from 1 to 256.", port: "Enter a port from 1 to 65535." });
    expect(draftOf(threads, 4)).toBe("4");
    expect(draftOf(f({ kind: "bool" }), undefined)).toBe(false);
  });
});

describe("settings validation", () => {
  it("parses prices with a point or a comma, 0 to 10", () => {
    expect(parsePrice("0.30", en)).toEqual({ value: 0.3, error: null });
    expect(parsePrice("0,62", en)).toEqual({ value: 0.62, error: null });
    expect(parsePrice("", en)).toEqual({ value: null, error: null });
    expect(parsePrice("45", en).error).toBe("Enter a price from 0 to 10.");
    expect(parsePrice("cheap", en).error).toBe("Enter a number such as 0.30.");
    expect(parsePrice("-1", en).error).toBe("Enter a number such as 0.30.");
  });
  it("wants three capital letters for a currency", () => {
    expect(checkCurrency("EUR", en)).toBeNull();
    expect(checkCurrency("eu", en)).toBe("Use three capital letters, such as EUR.");
  });
});

// AA contrast (4.5:1 for text) for every text/background pair the stylesheet uses, in the
// light and the dark theme. The tokens are read from styles.css itself.
import { readFileSync } from "node:fs";
import { URL as NodeURL, fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Node's URL: the DOM environment's own does not know file: URLs.
const css = readFileSync(fileURLToPath(new NodeURL("../src/styles.css", import.meta.url)), "utf8");

function tokens(selector: string): Record<string, string> {
  const start = css.indexOf(selector);
  if (start === -1) throw new Error(`no ${selector} block`);
  const block = css.slice(css.indexOf("{", start) + 1, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1] ?? "", m[2] ?? ""]));
}

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * (c[0] ?? 0) + 0.7152 * (c[1] ?? 0) + 0.0722 * (c[2] ?? 0);
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** [text, background] pairs as the stylesheet combines them. */
const PAIRS: Array<[string, string]> = [
  ["text", "bg"], ["text", "surface"], ["text", "surface-2"], ["muted", "bg"], ["muted", "surface"], ["muted", "surface-2"],
  ["accent", "surface"], ["accent", "bg"], ["accent-text", "accent"], ["text", "accent-tint"], ["muted", "accent-tint"], ["accent", "accent-tint"],
  ["ok", "surface"], ["ok", "ok-bg"], ["warn", "surface"], ["warn", "warn-bg"], ["text", "warn-bg"],
  ["bad", "surface"], ["bad", "bad-bg"], ["text", "bad-bg"], ["sim", "surface"], ["sim", "sim-bg"], ["sim", "surface-2"], ["text", "sim-bg"],
  ["unclear", "unclear-bg"], ["muted", "bad-bg"],
];

describe.each([
  ["light", ":root[data-theme=\"light\"]"],
  ["dark", ":root[data-theme=\"dark\"]"],
])("%s theme", (_name, selector) => {
  const t = tokens(selector);
  it.each(PAIRS)("%s on %s is at least 4.5:1", (fg, bg) => {
    expect(t[fg], fg).toMatch(/^#/);
    expect(t[bg], bg).toMatch(/^#/);
    expect(contrast(t[fg] ?? "", t[bg] ?? "")).toBeGreaterThanOrEqual(4.5);
  });
  it("draws focus rings and chart lines that stand out from the surface (3:1)", () => {
    for (const k of ["focus", "chart-1", "chart-3", "chart-4"]) expect(contrast(t[k] ?? "", t.surface ?? ""), k).toBeGreaterThanOrEqual(3);
  });
});

it("computes contrast like WCAG", () => {
  expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
  expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
});

// The desktop webview (WebKitGTK) renders in software on many Linux machines, so what a repaint
// costs is what the open window costs while idle. Two styles measured expensive there
// (docs/benchmarks.md, idle CPU): a blurred box-shadow on a card (its whole box is re-blurred
// for every changed number, ~28 ms instead of ~5 ms) and a gradient under the page. This test
// keeps them out of the stylesheet.
import { readFileSync } from "node:fs";
import { URL as NodeURL, fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const css = readFileSync(fileURLToPath(new NodeURL("../src/styles.css", import.meta.url)), "utf8");

/** Every value of `prop` in the stylesheet (custom properties included), comments removed. */
function values(source: string, prop: RegExp): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, "");
  return [...text.matchAll(new RegExp(`(?:^|[;{\\s])(${prop.source})\\s*:\\s*([^;}]+)`, "g"))].map((m) => (m[2] ?? "").trim());
}

/** The shadows in a box-shadow value that have a blur radius above 0 (inset ones included). */
export function blurredShadows(value: string): string[] {
  if (value === "none" || value.startsWith("var(")) return [];
  return value
    .split(/,(?![^(]*\))/)
    .map((s) => s.trim())
    .filter((shadow) => {
      const lengths = shadow
        .replace(/\b(inset)\b/, "")
        .replace(/(rgb|rgba|hsl|hsla|color-mix|var)\([^)]*\)/g, "")
        .trim()
        .split(/\s+/)
        .filter((t) => /^-?[\d.]+(px|rem|em)?$/.test(t));
      const blur = lengths[2];
      return blur !== undefined && parseFloat(blur) > 0;
    });
}

describe("paint cost of the stylesheet", () => {
  it("has no blurred box-shadow, in any theme", () => {
    const shadows = values(css, /box-shadow|--shadow[\w-]*/);
    expect(shadows.length).toBeGreaterThan(0);
    const blurred = shadows.flatMap(blurredShadows);
    expect(blurred).toEqual([]);
  });

  it("recognises a blurred shadow (the check itself can fail)", () => {
    expect(blurredShadows("0 1px 2px rgb(16 24 40 / 6%)")).toHaveLength(1);
    expect(blurredShadows("0 1px 0 rgb(16 24 40 / 8%)")).toEqual([]);
    expect(blurredShadows("inset 3px 0 0 var(--accent)")).toEqual([]);
    expect(blurredShadows("0 0 0 1px red, 0 4px 12px rgb(0 0 0 / 20%)")).toHaveLength(1);
  });

  it("paints no gradient under the whole page", () => {
    const block = (selector: string) => {
      const text = css.replace(/\/\*[\s\S]*?\*\//g, "");
      const start = text.search(new RegExp(`(^|\\n)${selector.replace(".", "\\.")}\\s*\\{`));
      return start === -1 ? "" : text.slice(start, text.indexOf("}", start));
    };
    for (const selector of ["body", ".shell", ".main", "html"]) {
      expect(block(selector), selector).not.toMatch(/gradient\(/);
    }
  });
});

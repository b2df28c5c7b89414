import { describe, expect, it } from "vitest";
import { CATALOGUES, interpolate, JURISDICTIONS, makeI18n, resolveLocale } from "../src/i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every key in one catalogue and not in the other, both directions. */
export function missingKeys(a: Record<string, string>, b: Record<string, string>): string[] {
  return [...Object.keys(a).filter((k) => !(k in b)).map((k) => `only in first: ${k}`), ...Object.keys(b).filter((k) => !(k in a)).map((k) => `only in second: ${k}`)];
}

describe("message catalogues", () => {
  const en = CATALOGUES.en as Record<string, string>;
  const zh = CATALOGUES["zh-CN"] as Record<string, string>;

  it("have exactly the same keys in English and Chinese", () => {
    expect(missingKeys(en, zh)).toEqual([]);
  });

  it("would notice a key that exists in one language only", () => {
    expect(missingKeys({ ...en, "extra.key": "x" }, zh)).toEqual(["only in first: extra.key"]);
    const { ["nav.logs"]: _gone, ...lessZh } = zh;
    expect(missingKeys(en, lessZh)).toEqual(["only in first: nav.logs"]);
  });

  it("have no empty strings and the same placeholders in both languages", () => {
    for (const key of Object.keys(en)) {
      expect(en[key]?.trim(), key).not.toBe("");
      expect(zh[key]?.trim(), key).not.toBe("");
      expect(placeholders(zh[key] ?? ""), key).toEqual(placeholders(en[key] ?? ""));
    }
  });

  it("name all 20 jurisdictions in both languages", () => {
    expect(JURISDICTIONS).toHaveLength(20);
    for (const c of JURISDICTIONS) {
      expect(en[`jur.${c}`], c).toBeTruthy();
      expect(zh[`jur.${c}`], c).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("say the disclaimer and the simulated label in each language", () => {
    expect(makeI18n("en").t("comp.disclaimer")).toBe("This is information, not legal advice.");
    expect(makeI18n("zh-CN").t("prov.simulated")).toBe("模拟");
  });
});

describe("locale choice", () => {
  it("follows the setting, then the system, then English", () => {
    expect(resolveLocale("zh-CN", ["en-US"])).toBe("zh-CN");
    expect(resolveLocale("en", ["zh-CN"])).toBe("en");
    expect(resolveLocale(null, ["zh-Hans-CN", "en"])).toBe("zh-CN");
    expect(resolveLocale(null, ["de-DE", "en-GB"])).toBe("en");
    expect(resolveLocale(null, ["fr-FR"])).toBe("en");
  });
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(interpolate("retry in {s} s", { s: 12 })).toBe("retry in 12 s");
    expect(interpolate("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });
  it("picks plural forms with Intl", () => {
    expect(makeI18n("en").plural("earn.count", 1)).toBe("1 reward");
    expect(makeI18n("en").plural("earn.count", 3)).toBe("3 rewards");
    expect(makeI18n("zh-CN").plural("earn.count", 3)).toBe("3 笔");
  });
});

// A tiny typed message catalogue. Why not an i18n library: the UI has two languages and no
// runtime loading; a `Record<MessageKey, string>` makes a missing Chinese string a compile
// error (and test/i18n.test.ts checks both directions), costs 0 bytes of library, and Intl
// already does the locale-aware formatting and plural rules that the libraries wrap.
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Locale } from "../lib/format";
import { type Catalogue, en, type MessageKey } from "./en";
import { zhCN } from "./zh-CN";

export type { Catalogue, MessageKey };
export type { Locale };

export const CATALOGUES: Record<Locale, Catalogue> = { en, "zh-CN": zhCN };

export type Params = Record<string, string | number>;

/** The language setting ("en", "zh-CN" or null = the system's) → the locale in use. */
export function resolveLocale(setting: string | null | undefined, system: readonly string[]): Locale {
  if (setting === "en" || setting === "zh-CN") return setting;
  for (const l of system) {
    const low = l.toLowerCase();
    if (low.startsWith("zh")) return "zh-CN";
    if (low.startsWith("en")) return "en";
  }
  return "en";
}

export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export interface I18n {
  locale: Locale;
  t(key: MessageKey, params?: Params): string;
  /** Chooses `<base>.one` or `<base>.other` with the locale's plural rules. */
  plural(base: "earn.count", n: number, params?: Params): string;
}

export function makeI18n(locale: Locale): I18n {
  const cat = CATALOGUES[locale];
  const rules = new Intl.PluralRules(locale);
  // An unknown key (a status the engine added later) comes back as itself.
  const t = (key: MessageKey, params?: Params) => interpolate(cat[key] ?? en[key] ?? key, params);
  return {
    locale,
    t,
    plural: (base, n, params) => t(rules.select(n) === "one" ? `${base}.one` : `${base}.other`, { n, ...params }),
  };
}

export const I18nContext = createContext<I18n>(makeI18n("en"));
export const useI18n = (): I18n => useContext(I18nContext);

/** The jurisdictions Lightrig has notes for, in the order the select shows them. */
export const JURISDICTIONS = ["CN", "HK", "SG", "JP", "KR", "US", "EU", "DE", "GB", "CA", "RU", "KZ", "IR", "NO", "SE", "IN", "AU", "AE", "BR", "TR"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/** The usual currency for each place, suggested when the user picks one during first run. */
export const LOCAL_CURRENCY: Record<Jurisdiction, string> = {
  CN: "CNY", HK: "HKD", SG: "SGD", JP: "JPY", KR: "KRW", US: "USD", EU: "EUR", DE: "EUR", GB: "GBP", CA: "CAD",
  RU: "RUB", KZ: "KZT", IR: "IRR", NO: "NOK", SE: "SEK", IN: "INR", AU: "AUD", AE: "AED", BR: "BRL", TR: "TRY",
};

export function jurisdictionKey(code: string): MessageKey | null {
  return (JURISDICTIONS as readonly string[]).includes(code) ? (`jur.${code}` as MessageKey) : null;
}

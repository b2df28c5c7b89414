// Client-side checks for node fields and settings. The engine checks again; its ApiError.field
// messages are shown in the same place as these.
import type { FieldView, SettingValue } from "../bindings";
import type { I18n } from "../i18n";
import { num } from "./format";

/** What the form holds for one field: text as typed, or a checkbox's boolean. A password
 * field holds `true` while the saved one (in the keychain) is kept, or the new one as typed. */
export type Draft = string | boolean;

export function draftOf(field: FieldView, value: SettingValue | undefined): Draft {
  if (field.kind === "bool") return value === true;
  if (field.kind === "password") return value === true ? true : "";
  if (value === undefined || value === null) return "";
  return String(value);
}

/** Validates one field's draft; returns the message to show, or null when it is fine. */
export function checkField(field: FieldView, draft: Draft, { t, locale }: Pick<I18n, "t" | "locale">): string | null {
  if (field.kind === "bool") return null;
  if (field.kind === "password") return draft === true || draft !== "" || !field.required ? null : t("field.required");
  const text = typeof draft === "string" ? draft.trim() : "";
  if (text === "") return field.required ? t("field.required") : null;
  switch (field.kind) {
    case "integer":
    case "port": {
      if (!/^-?\d+$/.test(text)) return field.kind === "port" ? t("field.port") : t("field.integer");
      const n = Number(text);
      const min = field.min ?? (field.kind === "port" ? 1 : Number.MIN_SAFE_INTEGER);
      const max = field.max ?? (field.kind === "port" ? 65535 : Number.MAX_SAFE_INTEGER);
      if (!Number.isSafeInteger(n) || n < min || n > max)
        return field.kind === "port" ? t("field.port") : t("field.range", { min: num(locale, min, 0), max: num(locale, max, 0) });
      return null;
    }
    case "choice":
      return field.choices.includes(text) ? null : t("field.choice");
    default:
      return null;
  }
}

/** The values to send: typed per kind, empty optional fields left out. */
export function valuesOf(fields: readonly FieldView[], drafts: Record<string, Draft>): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const f of fields) {
    const d = drafts[f.name];
    if (d === undefined) continue;
    if (f.kind === "bool") {
      out[f.name] = d === true;
      continue;
    }
    // A password is sent as typed (spaces count), or `true` to keep the saved one.
    if (f.kind === "password") {
      if (d === true || (typeof d === "string" && d !== "")) out[f.name] = d;
      continue;
    }
    const text = typeof d === "string" ? d.trim() : "";
    if (text === "") continue;
    out[f.name] = f.kind === "integer" || f.kind === "port" ? Number(text) : text;
  }
  return out;
}

export function checkAll(fields: readonly FieldView[], drafts: Record<string, Draft>, i18n: Pick<I18n, "t" | "locale">): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const msg = checkField(f, drafts[f.name] ?? (f.kind === "bool" ? false : ""), i18n);
    if (msg) errors[f.name] = msg;
  }
  return errors;
}

/** Price per kWh as typed ("0,30" or "0.30"); null when empty. */
export function parsePrice(text: string, { t }: Pick<I18n, "t">): { value: number | null; error: string | null } {
  const s = text.trim().replace(",", ".");
  if (s === "") return { value: null, error: null };
  if (!/^\d+(\.\d+)?$/.test(s)) return { value: null, error: t("settings.priceInvalid") };
  const v = Number(s);
  if (!(v >= 0 && v <= 10)) return { value: null, error: t("settings.priceRange") };
  return { value: v, error: null };
}

export function checkCurrency(text: string, { t }: Pick<I18n, "t">): string | null {
  return /^[A-Z]{3}$/.test(text.trim()) ? null : t("settings.currencyInvalid");
}

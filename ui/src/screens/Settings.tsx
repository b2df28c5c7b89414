// Settings: electricity price and currency, where the user lives, whose device this is,
// desktop behaviour, theme and language. Errors are shown at the field they belong to.
import { useState } from "preact/hooks";
import { EnergySettings } from "./EnergySettings";
import { PriceSettings } from "./PriceSettings";
import { Records } from "./Records";
import type { SettingsView, Theme } from "../bindings";
import { CATALOGUES, JURISDICTIONS, LOCAL_CURRENCY, type MessageKey, useI18n } from "../i18n";
import { checkCurrency, parsePrice } from "../lib/validate";
import { useAppStore } from "../state/store";
import { toBackendError } from "../backend";
import { SaveBar } from "../components/common";

export const CURRENCIES = [...new Set([...Object.values(LOCAL_CURRENCY), "CHF", "EUR", "USD"])].sort();

type Errors = Partial<Record<"price_per_kwh" | "currency" | "jurisdiction" | "language" | "permission_confirmed" | "form", string>>;

export function Settings({ settings }: { settings: SettingsView }) {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const desktop = store.backend.kind !== "http";
  const [price, setPrice] = useState(settings.price_per_kwh === null ? "" : String(settings.price_per_kwh));
  const [currency, setCurrency] = useState(settings.currency);
  const [jurisdiction, setJurisdiction] = useState(settings.jurisdiction ?? "");
  const [theme, setTheme] = useState<Theme>(settings.theme);
  const [language, setLanguage] = useState(settings.language ?? "");
  const [autostart, setAutostart] = useState(settings.autostart);
  const [startMin, setStartMin] = useState(settings.start_minimised);
  const [closeToTray, setCloseToTray] = useState(settings.close_to_tray);
  const [own, setOwn] = useState(settings.own_device !== false);
  const [permission, setPermission] = useState(settings.permission_confirmed);
  const [errors, setErrors] = useState<Errors>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const touched = () => setSaved(false);

  const save = async (e: Event) => {
    e.preventDefault();
    setSaved(false);
    const i = { t };
    const p = parsePrice(price, i);
    const cur = currency.trim().toUpperCase();
    const found: Errors = {};
    if (p.error) found.price_per_kwh = p.error;
    const ce = checkCurrency(cur, i);
    if (ce) found.currency = ce;
    if (Object.keys(found).length > 0) {
      setErrors({ ...found, form: t("settings.fixErrors") });
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const next: SettingsView = {
        ...settings,
        price_per_kwh: p.value,
        currency: cur,
        jurisdiction: jurisdiction === "" ? null : jurisdiction,
        theme,
        language: language === "" ? null : language,
        autostart,
        start_minimised: startMin,
        close_to_tray: closeToTray,
        own_device: own,
        permission_confirmed: !own && permission,
      };
      const result = await store.backend.saveSettings(next);
      store.setSettings(result);
      setCurrency(result.currency);
      setSaved(true);
    } catch (err) {
      const be = toBackendError(err);
      const field = be.field as keyof Errors | null;
      setErrors(field && field !== "form" ? { [field]: be.message, form: t("settings.fixErrors") } : { form: be.message });
    } finally {
      setSaving(false);
    }
  };

  const err = (k: keyof Errors, id: string) =>
    errors[k] ? (
      <p class="field-error" id={`${id}-err`}>
        {errors[k]}
      </p>
    ) : null;
  const aria = (k: keyof Errors, id: string) => ({ "aria-invalid": errors[k] ? true : undefined, "aria-describedby": `${id}-help${errors[k] ? ` ${id}-err` : ""}` });

  return (
    <div class="screen">
      <h1>{t("settings.title")}</h1>
      <form class="settings" onSubmit={save} noValidate>
        <section class="card">
          <h2>{t("settings.energy")}</h2>
          <div class="row">
            <div class={`field${errors.price_per_kwh ? " has-error" : ""}`}>
              <label for="s-price">{t("settings.price")}</label>
              <input id="s-price" type="text" inputMode="decimal" autoComplete="off" value={price} onInput={(e) => (setPrice(e.currentTarget.value), touched())} {...aria("price_per_kwh", "s-price")} class="input-num" />
              <p class="help" id="s-price-help">{t("settings.priceHelp")}</p>
              {err("price_per_kwh", "s-price")}
            </div>
            <div class={`field${errors.currency ? " has-error" : ""}`}>
              <label for="s-currency">{t("settings.currency")}</label>
              <input
                id="s-currency"
                type="text"
                list="currencies"
                maxLength={3}
                autoComplete="off"
                spellcheck={false}
                value={currency}
                onInput={(e) => (setCurrency(e.currentTarget.value.toUpperCase()), touched())}
                {...aria("currency", "s-currency")}
                class="input-code"
              />
              <datalist id="currencies">
                {CURRENCIES.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
              <p class="help" id="s-currency-help">{t("settings.currencyHelp")}</p>
              {err("currency", "s-currency")}
            </div>
          </div>
        </section>

        <section class="card">
          <h2>{t("settings.place")}</h2>
          <div class={`field${errors.jurisdiction ? " has-error" : ""}`}>
            <label for="s-jur">{t("settings.jurisdiction")}</label>
            <JurisdictionSelect id="s-jur" value={jurisdiction} onChange={(v) => (setJurisdiction(v), touched())} extra={aria("jurisdiction", "s-jur")} />
            <p class="help" id="s-jur-help">{t("settings.jurisdictionHelp")}</p>
            {err("jurisdiction", "s-jur")}
          </div>
        </section>

        <section class="card">
          <h2>{t("settings.device")}</h2>
          <label class="check">
            <input type="checkbox" checked={own} onChange={(e) => (setOwn(e.currentTarget.checked), touched())} />
            <span>{t("settings.ownDevice")}</span>
          </label>
          {!own && (
            <div class="indent">
              <p class="note note-warn">{t("fr.own.warn")}</p>
              <label class="check">
                <input type="checkbox" checked={permission} onChange={(e) => (setPermission(e.currentTarget.checked), touched())} aria-describedby="s-perm-help" />
                <span>{t("settings.permission")}</span>
              </label>
              <p class="help" id="s-perm-help">{t("settings.permissionHelp")}</p>
            </div>
          )}
        </section>

        <section class="card">
          <h2>{t("settings.desktop")}</h2>
          {!desktop && <p class="note">{t("settings.desktopOnly")}</p>}
          <Toggle id="s-autostart" checked={autostart} onChange={(v) => (setAutostart(v), touched())} label={t("settings.autostart")} help={t("settings.autostartHelp")} />
          <Toggle id="s-startmin" checked={startMin} onChange={(v) => (setStartMin(v), touched())} label={t("settings.startMinimised")} help={t("settings.startMinimisedHelp")} />
          <Toggle id="s-tray" checked={closeToTray} onChange={(v) => (setCloseToTray(v), touched())} label={t("settings.closeToTray")} help={t("settings.closeToTrayHelp")} />
        </section>

        <section class="card">
          <h2>{t("settings.look")}</h2>
          <div class="row">
            <div class="field">
              <label for="s-theme">{t("settings.theme")}</label>
              <select id="s-theme" value={theme} onChange={(e) => (setTheme(e.currentTarget.value as Theme), touched())}>
                {(["system", "light", "dark"] as const).map((v) => (
                  <option key={v} value={v}>
                    {t(`settings.theme.${v}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class={`field${errors.language ? " has-error" : ""}`}>
              <label for="s-lang">{t("settings.language")}</label>
              <select id="s-lang" value={language} onChange={(e) => (setLanguage(e.currentTarget.value), touched())}>
                <option value="">{t("settings.language.system")}</option>
                <option value="en" lang="en">
                  English
                </option>
                <option value="zh-CN" lang="zh-CN">
                  简体中文
                </option>
              </select>
              {err("language", "s-lang")}
            </div>
          </div>
        </section>

        <SaveBar
          class="sticky-actions"
          error={errors.form}
          saved={saved ? t("settings.saved") : null}
          busy={saving}
          label={t("settings.save")}
          busyLabel={t("settings.saving")}
          lang={locale}
        />
      </form>
      <EnergySettings settings={settings} />
      <PriceSettings />
      <Records />
    </div>
  );
}

function Toggle(props: { id: string; checked: boolean; onChange: (v: boolean) => void; label: string; help: string }) {
  return (
    <div class="field field-check">
      <label class="check" for={props.id}>
        <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} aria-describedby={`${props.id}-help`} />
        <span>{props.label}</span>
      </label>
      <p class="help" id={`${props.id}-help`}>
        {props.help}
      </p>
    </div>
  );
}

export function JurisdictionSelect(props: { id: string; value: string; onChange: (v: string) => void; extra?: Record<string, unknown> }) {
  const { t, locale } = useI18n();
  const other = locale === "en" ? "zh-CN" : "en";
  const collator = new Intl.Collator(locale);
  const options = [...JURISDICTIONS].sort((a, b) => collator.compare(t(`jur.${a}` as MessageKey), t(`jur.${b}` as MessageKey)));
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)} {...props.extra}>
      <option value="">{t("settings.jurisdictionNone")}</option>
      {options.map((c) => (
        <option key={c} value={c}>
          {t(`jur.${c}` as MessageKey)} · {CATALOGUES[other][`jur.${c}` as MessageKey]} ({c})
        </option>
      ))}
    </select>
  );
}


// First run: what Lightrig does, whose device and electricity this is, where the user lives,
// the tariff; then save (onboarded) and start the practice node.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Snapshot } from "../bindings";
import { JURISDICTIONS, LOCAL_CURRENCY, type MessageKey, useI18n } from "../i18n";
import { money } from "../lib/format";
import { checkCurrency, parsePrice } from "../lib/validate";
import { errorMessage, useAppStore } from "../state/store";
import { CURRENCIES, JurisdictionSelect } from "./Settings";

const STEPS = ["what", "own", "place", "tariff", "finish"] as const;
type Step = (typeof STEPS)[number];

export function FirstRun({ snap, onDone }: { snap: Snapshot; onDone: (startError: string | null) => void }) {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const s = snap.settings;
  const [step, setStep] = useState<Step>("what");
  const [own, setOwn] = useState<boolean | null>(s.own_device);
  const [permission, setPermission] = useState(s.permission_confirmed);
  const [jurisdiction, setJurisdiction] = useState(s.jurisdiction ?? "");
  const [price, setPrice] = useState(s.price_per_kwh === null ? "" : String(s.price_per_kwh));
  const [currency, setCurrency] = useState(s.currency);
  const [currencyTouched, setCurrencyTouched] = useState(false);
  const [fieldError, setFieldError] = useState<{ price?: string; currency?: string }>({});
  const [stepError, setStepError] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const index = STEPS.indexOf(step);

  useEffect(() => heading.current?.focus(), [step]);

  const go = (to: Step) => {
    setStepError(null);
    setStep(to);
  };

  const next = () => {
    if (step === "own") {
      if (own === null) return setStepError(t("fr.own.choose"));
      if (own === false && !permission) return setStepError(t("fr.own.permissionNeeded"));
    }
    if (step === "tariff") {
      const p = parsePrice(price, { t });
      const c = checkCurrency(currency, { t });
      const errs = { ...(p.error ? { price: p.error } : {}), ...(c ? { currency: c } : {}) };
      setFieldError(errs);
      if (errs.price || errs.currency) return;
    }
    const n = STEPS[index + 1];
    if (n) go(n);
  };

  const pickPlace = (code: string) => {
    setJurisdiction(code);
    if (!currencyTouched && code in LOCAL_CURRENCY) setCurrency(LOCAL_CURRENCY[code as keyof typeof LOCAL_CURRENCY]);
  };

  const finish = async () => {
    setWorking(true);
    setStepError(null);
    const p = parsePrice(price, { t });
    let saved;
    try {
      saved = await store.backend.saveSettings({
        ...s,
        own_device: own,
        permission_confirmed: own === false && permission,
        jurisdiction: jurisdiction === "" ? null : jurisdiction,
        price_per_kwh: p.value,
        currency: currency.trim().toUpperCase() || s.currency,
        onboarded: true,
      });
    } catch (e) {
      setWorking(false);
      setStepError(errorMessage(e));
      return;
    }
    let startError: string | null = null;
    try {
      if (snap.profile.id !== "practice") {
        const practice = (await store.backend.profiles()).find((x) => x.id === "practice");
        await store.backend.selectNode("practice", practice?.values ?? {});
      }
      await store.backend.start();
    } catch (e) {
      startError = t("action.failed", { action: t("action.start"), message: errorMessage(e) });
    }
    try {
      await store.refresh();
    } catch {
      /* the live events keep the state current */
    }
    store.setSettings(saved);
    onDone(startError);
  };

  const priceValue = parsePrice(price, { t }).value;

  return (
    <main class="firstrun" id="main">
      <div class="fr-card card">
        <p class="fr-brand">
          <span class="logo" aria-hidden="true" /> {t("fr.title")}
        </p>
        <p class="muted small">{t("fr.step", { n: index + 1, total: STEPS.length })}</p>
        <ol class="fr-progress" aria-hidden="true">
          {STEPS.map((x, i) => (
            <li key={x} class={i <= index ? "on" : ""} />
          ))}
        </ol>

        {step === "what" && (
          <section>
            <h1 ref={heading} tabIndex={-1}>{t("fr.what.title")}</h1>
            <p>{t("fr.what.p1")}</p>
            <p class="note note-warn">{t("fr.what.p2")}</p>
            <p class="note note-sim">{t("fr.what.p3")}</p>
            <p>{t("fr.what.p4")}</p>
          </section>
        )}

        {step === "own" && (
          <section>
            <h1 ref={heading} tabIndex={-1}>{t("fr.own.title")}</h1>
            <fieldset class="choices">
              <legend class="sr-only">{t("fr.own.title")}</legend>
              <label class={`choice${own === true ? " on" : ""}`}>
                <input type="radio" name="own" checked={own === true} onChange={() => (setOwn(true), setStepError(null))} />
                <span>{t("fr.own.yes")}</span>
              </label>
              <label class={`choice${own === false ? " on" : ""}`}>
                <input type="radio" name="own" checked={own === false} onChange={() => (setOwn(false), setStepError(null))} />
                <span>{t("fr.own.no")}</span>
              </label>
            </fieldset>
            {own === false && (
              <div class="indent" data-testid="own-warning">
                <p class="note note-warn">{t("fr.own.warn")}</p>
                <details class="cases" data-testid="own-cases" open>
                  <summary>{t("fr.own.casesTitle")}</summary>
                  <ul>
                    {(["us", "kr", "cn", "ru", "uk"] as const).map((c) => (
                      <li key={c}>{t(`fr.own.case.${c}`)}</li>
                    ))}
                  </ul>
                </details>
                <label class="check">
                  <input type="checkbox" checked={permission} onChange={(e) => (setPermission(e.currentTarget.checked), setStepError(null))} required />
                  <span>{t("fr.own.permission")}</span>
                </label>
                {!permission && <p class="help">{t("fr.own.permissionNeeded")}</p>}
              </div>
            )}
          </section>
        )}

        {step === "place" && (
          <section>
            <h1 ref={heading} tabIndex={-1}>{t("fr.place.title")}</h1>
            <p>{t("fr.place.help")}</p>
            <div class="field">
              <label for="fr-jur">{t("settings.jurisdiction")}</label>
              <JurisdictionSelect id="fr-jur" value={jurisdiction} onChange={pickPlace} />
            </div>
          </section>
        )}

        {step === "tariff" && (
          <section>
            <h1 ref={heading} tabIndex={-1}>{t("fr.tariff.title")}</h1>
            <p>{t("fr.tariff.help")}</p>
            <div class="row">
              <div class={`field${fieldError.price ? " has-error" : ""}`}>
                <label for="fr-price">{t("settings.price")}</label>
                <input id="fr-price" type="text" inputMode="decimal" autoComplete="off" class="input-num" value={price} onInput={(e) => setPrice(e.currentTarget.value)} aria-invalid={fieldError.price ? true : undefined} aria-describedby={fieldError.price ? "fr-price-err" : undefined} />
                {fieldError.price && <p class="field-error" id="fr-price-err">{fieldError.price}</p>}
              </div>
              <div class={`field${fieldError.currency ? " has-error" : ""}`}>
                <label for="fr-cur">{t("settings.currency")}</label>
                <input id="fr-cur" type="text" list="fr-currencies" maxLength={3} class="input-code" value={currency} onInput={(e) => (setCurrency(e.currentTarget.value.toUpperCase()), setCurrencyTouched(true))} aria-invalid={fieldError.currency ? true : undefined} aria-describedby={fieldError.currency ? "fr-cur-err" : undefined} />
                <datalist id="fr-currencies">
                  {CURRENCIES.map((c) => (
                    <option key={c} value={c} />
                  ))}
                </datalist>
                {fieldError.currency && <p class="field-error" id="fr-cur-err">{fieldError.currency}</p>}
              </div>
            </div>
          </section>
        )}

        {step === "finish" && (
          <section>
            <h1 ref={heading} tabIndex={-1}>{t("fr.finish.title")}</h1>
            <p>{t("fr.finish.body")}</p>
            <dl class="summary">
              <dt>{t("fr.finish.own")}</dt>
              <dd>{own ? t("fr.finish.ownYes") : t("fr.finish.ownNo")}</dd>
              <dt>{t("fr.finish.place")}</dt>
              <dd>{jurisdiction && (JURISDICTIONS as readonly string[]).includes(jurisdiction) ? t(`jur.${jurisdiction}` as MessageKey) : t("fr.finish.notSet")}</dd>
              <dt>{t("fr.finish.tariff")}</dt>
              <dd>{priceValue !== null ? t("common.perKwh", { price: money(locale, priceValue, currency, { precise: true }) }) : t("fr.finish.notSet")}</dd>
            </dl>
          </section>
        )}

        {stepError && (
          <p class="text-bad" role="alert">
            {stepError}
          </p>
        )}

        <div class="fr-actions">
          {index > 0 && (
            <button type="button" class="btn" onClick={() => go(STEPS[index - 1] ?? "what")} disabled={working}>
              {t("fr.back")}
            </button>
          )}
          <span class="spacer" />
          {(step === "place" || step === "tariff") && (
            <button
              type="button"
              class="btn btn-quiet"
              onClick={() => {
                if (step === "place") setJurisdiction("");
                else setPrice("");
                setFieldError({});
                go(step === "place" ? "tariff" : "finish");
              }}
            >
              {t("fr.skip")}
            </button>
          )}
          {step !== "finish" ? (
            <button type="button" class="btn btn-primary" onClick={next} disabled={step === "own" && own === false && !permission} data-testid="fr-next">
              {t("fr.next")}
            </button>
          ) : (
            <button type="button" class="btn btn-primary" onClick={finish} disabled={working} data-testid="fr-finish">
              {working ? t("fr.finish.working") : t("fr.finish.go")}
            </button>
          )}
        </div>
      </div>
    </main>
  );
}

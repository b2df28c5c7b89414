// Energy settings: which tariff prices the electricity (the flat price above, a time-of-use
// schedule, or an imported price list), its time zone, the PSU efficiency, the user's CPU
// watts and a plug-meter calibration. Its own form, so saving it never sends half-typed values
// of the other cards; errors from the engine are shown at the field they name.
import { useState } from "preact/hooks";
import type { EnergySettingsView, PriceListView, SettingsView } from "../bindings";
import { toBackendError } from "../backend";
import { SaveBar } from "../components/common";
import { type MessageKey, useI18n } from "../i18n";
import { DAY_NAMES, type Days, draftOf, expand, MAX_WEEKEND_DAYS, monthEnd, monthOf, monthStart, newSeason, problems, type SeasonDraft, toggleDay, toView, weekendOf, zoneLooksValid } from "../lib/tou";
import { useAppStore } from "../state/store";

type Key = "tariff" | "time_zone" | "seasons" | "weekend_days" | "psu_efficiency" | "cpu_watts" | "idle_watts" | "load_watts" | "csv" | "form";
type Errors = Partial<Record<Key, string>>;

const KINDS = ["flat", "time-of-use", "hourly"] as const;
const HOURS = Array.from({ length: 25 }, (_, h) => h);
const MONTHS = Array.from({ length: 12 }, (_, m) => m + 1);

/** An engine field (`energy.calibration.idle_watts`, `energy.seasons.0.weekday.7`) → the input. */
export function keyOf(field: string | null): Key {
  const f = (field ?? "").replace(/^energy\./, "").replace(/^calibration\./, "");
  if (f.startsWith("seasons")) return "seasons";
  if (f.startsWith("weekend_days")) return "weekend_days";
  return (["tariff", "time_zone", "psu_efficiency", "cpu_watts", "idle_watts", "load_watts", "csv"] as const).find((k) => k === f) ?? "form";
}

function num(text: string): number | null {
  const s = text.trim().replace(",", ".");
  return s === "" || !/^\d+(\.\d+)?$/.test(s) ? null : Number(s);
}

/** Reads a picked file as text (FileReader: works in every webview). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ""));
    r.onerror = () => reject(r.error ?? new Error("the file could not be read"));
    r.readAsText(file);
  });
}

export function EnergySettings({ settings }: { settings: SettingsView }) {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const e = settings.energy;
  const [kind, setKind] = useState(e.tariff);
  const [zone, setZone] = useState(e.time_zone ?? "");
  const [seasons, setSeasons] = useState<SeasonDraft[]>(e.seasons.length > 0 ? e.seasons.map(draftOf) : [newSeason(t("tariff.allYear"))]);
  const [weekend, setWeekend] = useState<string[]>(weekendOf(e.weekend_days));
  const [psu, setPsu] = useState(String(e.psu_efficiency));
  const [cpu, setCpu] = useState(e.cpu_watts === null ? "" : String(e.cpu_watts));
  const [idle, setIdle] = useState(e.idle_watts === null ? "" : String(e.idle_watts));
  const [load, setLoad] = useState(e.load_watts === null ? "" : String(e.load_watts));
  const [list, setList] = useState<PriceListView | null>(e.price_list ?? null);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [imported, setImported] = useState(false);

  const touched = () => setSaved(false);
  const setSeason = (i: number, s: SeasonDraft) => (setSeasons(seasons.map((x, j) => (j === i ? s : x))), touched());

  const check = (): Errors => {
    const found: Errors = {};
    const p = num(psu);
    if (p === null || p < 0.5 || p > 1) found.psu_efficiency = t("tariff.psuRange");
    const c = num(cpu);
    if (cpu.trim() !== "" && (c === null || c < 1 || c > 1000)) found.cpu_watts = t("tariff.cpuRange");
    const [i, l] = [num(idle), num(load)];
    if (idle.trim() !== "" || load.trim() !== "") {
      if (i === null || i <= 0) found.idle_watts = t("tariff.wattsInvalid");
      if (l === null || l <= 0) found.load_watts = t("tariff.wattsInvalid");
      else if (i !== null && l <= i) found.load_watts = t("tariff.loadAboveIdle");
    }
    if (kind !== "flat" && !zoneLooksValid(zone)) found.time_zone = t("tariff.zoneInvalid");
    if (kind === "time-of-use") {
      if (weekend.length > MAX_WEEKEND_DAYS) found.weekend_days = t("tariff.weekendTooMany", { n: MAX_WEEKEND_DAYS });
      const bad = seasons.flatMap(problems);
      if (bad.length > 0) found.seasons = t(bad.some((b) => b.key === "hours") ? "tariff.hoursInvalid" : "tariff.periodPriceInvalid");
    }
    return found;
  };

  const save = async (ev: Event) => {
    ev.preventDefault();
    setSaved(false);
    const found = check();
    if (Object.keys(found).length > 0) {
      setErrors({ ...found, form: t("settings.fixErrors") });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const energy: EnergySettingsView = {
        ...e,
        tariff: kind,
        time_zone: zone.trim() === "" ? null : zone.trim(),
        // A schedule is only rebuilt from the editor when it is in use; otherwise kept as it was.
        seasons: kind === "time-of-use" ? seasons.map(toView) : e.seasons,
        weekend_days: kind === "time-of-use" ? weekend : e.weekend_days,
        psu_efficiency: num(psu) ?? 0.9,
        cpu_watts: num(cpu),
        idle_watts: num(idle),
        load_watts: num(load),
      };
      const current = store.get().snapshot?.settings ?? settings;
      const result = await store.backend.saveSettings({ ...current, energy });
      store.setSettings(result);
      setSaved(true);
    } catch (err) {
      const be = toBackendError(err);
      const k = keyOf(be.field);
      setErrors(k === "form" ? { form: be.message } : { [k]: be.message, form: t("settings.fixErrors") });
    } finally {
      setBusy(false);
    }
  };

  const importFile = async (ev: Event) => {
    const input = ev.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setImported(false);
    setErrors(({ csv: _gone, ...rest }) => rest);
    try {
      const summary = await store.backend.importTariffPrices(await readText(file));
      setList(summary);
      setImported(true);
    } catch (err) {
      setErrors((x) => ({ ...x, csv: toBackendError(err).message }));
    } finally {
      input.value = "";
    }
  };

  const err = (k: Key, id: string) =>
    errors[k] ? (
      <p class="field-error" id={`${id}-err`} data-testid={`err-${k}`}>
        {errors[k]}
      </p>
    ) : null;
  const aria = (k: Key, id: string) => ({ "aria-invalid": errors[k] ? true : undefined, "aria-describedby": `${id}-help${errors[k] ? ` ${id}-err` : ""}` });
  const field = (k: Key, id: string, label: string, value: string, set: (v: string) => void, help: string) => (
    <div class={`field${errors[k] ? " has-error" : ""}`}>
      <label for={id}>{label}</label>
      <input id={id} type="text" inputMode="decimal" autoComplete="off" class="input-num" value={value} onInput={(x) => (set(x.currentTarget.value), touched())} {...aria(k, id)} />
      <p class="help" id={`${id}-help`}>
        {help}
      </p>
      {err(k, id)}
    </div>
  );
  const when = (ms: number) => new Date(ms).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });

  return (
    <form class="settings" onSubmit={save} noValidate data-testid="energy-settings">
      <section class="card">
        <h2>{t("tariff.title")}</h2>
        <fieldset aria-describedby="e-kind-help">
          <legend>{t("tariff.kind")}</legend>
          <div class="row">
            {KINDS.map((k) => (
              <label class="check" key={k}>
                <input type="radio" name="e-kind" value={k} checked={kind === k} onChange={() => (setKind(k), touched())} data-testid={`kind-${k}`} />
                <span>{t(`tariff.kind.${k}` as MessageKey)}</span>
              </label>
            ))}
          </div>
          <p class="help" id="e-kind-help">
            {t(`tariff.kindHelp.${kind}` as MessageKey)}
          </p>
          {err("tariff", "e-kind")}
        </fieldset>

        {kind !== "flat" && (
          <div class={`field${errors.time_zone ? " has-error" : ""}`}>
            <label for="e-zone">{t("tariff.zone")}</label>
            <input id="e-zone" type="text" autoComplete="off" spellcheck={false} placeholder={e.system_time_zone} value={zone} onInput={(x) => (setZone(x.currentTarget.value), touched())} {...aria("time_zone", "e-zone")} />
            <p class="help" id="e-zone-help">
              {t("tariff.zoneHelp", { zone: e.system_time_zone })}
            </p>
            {err("time_zone", "e-zone")}
          </div>
        )}

        {kind === "time-of-use" && (
          <div class={`field${errors.seasons ? " has-error" : ""}`} data-testid="tou-editor">
            <WeekendDays
              days={weekend}
              error={errors.weekend_days}
              onChange={(d) => (setWeekend(d), touched())}
            />
            {seasons.map((s, i) => (
              <SeasonEditor key={i} index={i} season={s} onChange={(x) => setSeason(i, x)} onRemove={seasons.length > 1 ? () => (setSeasons(seasons.filter((_, j) => j !== i)), touched()) : undefined} />
            ))}
            <button type="button" class="btn" onClick={() => (setSeasons([...seasons, newSeason(t("tariff.seasonN", { n: seasons.length + 1 }))]), touched())}>
              {t("tariff.addSeason")}
            </button>
            <p class="help" id="e-tou-help">
              {t("tariff.touHelp")}
            </p>
            {err("seasons", "e-tou")}
          </div>
        )}

        {kind === "hourly" && (
          <div class={`field${errors.csv ? " has-error" : ""}`}>
            <label for="e-csv">{t("tariff.csv")}</label>
            <input id="e-csv" type="file" accept=".csv,text/csv,text/plain" onChange={importFile} aria-describedby={`e-csv-help${errors.csv ? " e-csv-err" : ""}`} data-testid="csv-input" />
            <p class="help" id="e-csv-help">
              {t("tariff.csvHelp")}
            </p>
            {errors.csv && (
              <p class="field-error" id="e-csv-err" role="alert" data-testid="csv-error">
                {errors.csv}
              </p>
            )}
            <p class={imported ? "text-ok" : "help"} role="status" data-testid="csv-status">
              {list ? t("tariff.csvHave", { n: list.prices, from: when(list.first_ms), to: when(list.end_ms), step: list.step_minutes }) : t("tariff.csvNone")}
            </p>
          </div>
        )}
      </section>

      <section class="card">
        <h2>{t("tariff.power")}</h2>
        <div class="row">
          {field("psu_efficiency", "e-psu", t("tariff.psu"), psu, setPsu, t("tariff.psuHelp"))}
          {field("cpu_watts", "e-cpu", t("tariff.cpu"), cpu, setCpu, t("tariff.cpuHelp"))}
        </div>
        <p class="help">{t("tariff.calibrationHelp")}</p>
        <div class="row">
          {field("idle_watts", "e-idle", t("tariff.idle"), idle, setIdle, t("tariff.idleHelp"))}
          {field("load_watts", "e-load", t("tariff.load"), load, setLoad, t("tariff.loadHelp"))}
        </div>
      </section>

      <SaveBar
        error={errors.form}
        saved={saved ? t("settings.saved") : null}
        busy={busy}
        label={t("tariff.save")}
        busyLabel={t("settings.saving")}
        errorTestId="energy-form-error"
        buttonTestId="energy-save"
      />
    </form>
  );
}

/** Seven checkboxes, Monday first, with the day names of the user's language. */
function WeekendDays(props: { days: string[]; error: string | undefined; onChange: (days: string[]) => void }) {
  const { t, locale } = useI18n();
  // 2024-01-01 was a Monday.
  const dayName = (i: number) => new Date(2024, 0, 1 + i).toLocaleString(locale, { weekday: "long" });
  return (
    <fieldset class={props.error ? "has-error" : undefined} aria-describedby={`e-weekend-help${props.error ? " e-weekend-err" : ""}`} data-testid="weekend-days">
      <legend>{t("tariff.weekend")}</legend>
      <div class="row">
        {DAY_NAMES.map((d, i) => (
          <label class="check" key={d}>
            <input type="checkbox" checked={props.days.includes(d)} aria-invalid={props.error ? true : undefined} onChange={(x) => props.onChange(toggleDay(props.days, d, x.currentTarget.checked))} data-testid={`weekend-${d}`} />
            <span>{dayName(i)}</span>
          </label>
        ))}
      </div>
      <p class="help" id="e-weekend-help">
        {t("tariff.weekendHelp")}
      </p>
      {props.error && (
        <p class="field-error" id="e-weekend-err" data-testid="err-weekend_days">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}

function SeasonEditor(props: { index: number; season: SeasonDraft; onChange: (s: SeasonDraft) => void; onRemove: (() => void) | undefined }) {
  const { t, locale } = useI18n();
  const s = props.season;
  const id = `e-s${props.index}`;
  const month = (m: number) => new Date(2024, m - 1, 1).toLocaleString(locale, { month: "long" });
  const monthOptions = MONTHS.map((m) => (
    <option key={m} value={m}>
      {month(m)}
    </option>
  ));
  const setPeriod = (i: number, p: Partial<SeasonDraft["periods"][number]>) => props.onChange({ ...s, periods: s.periods.map((x, j) => (j === i ? { ...x, ...p } : x)) });
  const grid = expand(s);
  const cell = (v: number) => (Number.isNaN(v) ? "?" : String(v));
  return (
    <fieldset class="card" data-testid={`season-${props.index}`}>
      <legend>{s.name || t("tariff.seasonN", { n: props.index + 1 })}</legend>
      <div class="row">
        <div class="field">
          <label for={`${id}-name`}>{t("tariff.seasonName")}</label>
          <input id={`${id}-name`} type="text" value={s.name} onInput={(x) => props.onChange({ ...s, name: x.currentTarget.value })} />
        </div>
        <div class="field">
          <label for={`${id}-from`}>{t("tariff.fromMonth")}</label>
          <select id={`${id}-from`} value={monthOf(s.from)} onChange={(x) => props.onChange({ ...s, from: monthStart(Number(x.currentTarget.value)) })}>
            {monthOptions}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-to`}>{t("tariff.toMonth")}</label>
          <select id={`${id}-to`} value={monthOf(s.to)} onChange={(x) => props.onChange({ ...s, to: monthEnd(Number(x.currentTarget.value)) })}>
            {monthOptions}
          </select>
        </div>
        <div class="field">
          <label for={`${id}-base`}>{t("tariff.basePrice")}</label>
          <input id={`${id}-base`} type="text" inputMode="decimal" class="input-num" value={s.base} onInput={(x) => props.onChange({ ...s, base: x.currentTarget.value })} data-testid={`${id}-base`} />
        </div>
      </div>
      {s.periods.map((p, i) => (
        <div class="row" key={i} role="group" aria-label={t("tariff.periodN", { n: i + 1 })}>
          <div class="field">
            <label for={`${id}-p${i}-from`}>{t("tariff.fromHour")}</label>
            <select id={`${id}-p${i}-from`} value={p.from} onChange={(x) => setPeriod(i, { from: Number(x.currentTarget.value) })}>
              {HOURS.slice(0, 24).map((h) => (
                <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${id}-p${i}-to`}>{t("tariff.toHour")}</label>
            <select id={`${id}-p${i}-to`} value={p.to} onChange={(x) => setPeriod(i, { to: Number(x.currentTarget.value) })}>
              {HOURS.slice(1).map((h) => (
                <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${id}-p${i}-days`}>{t("tariff.days")}</label>
            <select id={`${id}-p${i}-days`} value={p.days} onChange={(x) => setPeriod(i, { days: x.currentTarget.value as Days })}>
              {(["all", "weekday", "weekend"] as const).map((d) => (
                <option key={d} value={d}>
                  {t(`tariff.days.${d}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${id}-p${i}-price`}>{t("tariff.periodPrice")}</label>
            <input id={`${id}-p${i}-price`} type="text" inputMode="decimal" class="input-num" value={p.price} onInput={(x) => setPeriod(i, { price: x.currentTarget.value })} data-testid={`${id}-p${i}-price`} />
          </div>
          <button type="button" class="btn btn-quiet" onClick={() => props.onChange({ ...s, periods: s.periods.filter((_, j) => j !== i) })}>
            {t("tariff.removePeriod")}
          </button>
        </div>
      ))}
      <div class="form-actions">
        <button type="button" class="btn" onClick={() => props.onChange({ ...s, periods: [...s.periods, { from: 7, to: 9, days: "weekday", price: "" }] })}>
          {t("tariff.addPeriod")}
        </button>
        {props.onRemove && (
          <button type="button" class="btn btn-quiet" onClick={props.onRemove}>
            {t("tariff.removeSeason")}
          </button>
        )}
      </div>
      <table class="help" data-testid={`${id}-grid`} style={{ fontSize: "0.75rem", borderCollapse: "collapse", overflowX: "auto", display: "block" }}>
        <caption style={{ textAlign: "left" }}>{t("tariff.gridCaption")}</caption>
        <thead>
          <tr>
            <th scope="col" />
            {HOURS.slice(0, 24).map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(["weekday", "weekend"] as const).map((d) => (
            <tr key={d}>
              <th scope="row">{t(`tariff.days.${d}` as MessageKey)}</th>
              {grid[d].map((v, h) => (
                <td key={h} style={{ padding: "0 3px" }}>
                  {cell(v)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}

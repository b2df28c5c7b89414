// History over 10 minutes, 24 hours, 30 days or a year, from the ledger's rollups: machine
// figures, then energy and its cost. The 10-minute view refreshes every 5 s, the others less
// often (a year moves by a day: hourly is plenty). Holes in the record are drawn as gaps.
import { memo } from "preact/compat";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { Series, SeriesRange } from "../../bindings";
import { Chart } from "../../components/Chart";
import { Card } from "../../components/common";
import { useI18n } from "../../i18n";
import { Prov } from "../../components/common";
import { withGaps } from "../../lib/chartData";
import { celsius, num, pct, rate } from "../../lib/format";
import { errorMessage, useAppStore } from "../../state/store";
import { EnergyCharts, provOf } from "./EnergyCharts";

export const RANGES: SeriesRange[] = ["10m", "24h", "30d", "1y"];
export const REFRESH_MS: Record<SeriesRange, number> = { "10m": 5_000, "24h": 60_000, "30d": 600_000, "1y": 3_600_000 };
/** With no node working only the machine's own figures move: the 10-minute chart follows them
 * at this pace instead (an open, idle window should cost next to nothing). */
export const IDLE_REFRESH_MS = 30_000;

const hasData = (v: Array<number | null>) => v.some((x) => x !== null);

export const ChartsCard = memo(function ChartsCard({ cores, theme, working = true }: { cores: number; theme: string; working?: boolean }) {
  const { t, locale } = useI18n();
  const store = useAppStore();
  const [range, setRange] = useState<SeriesRange>("10m");
  const [series, setSeries] = useState<Series | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      // A hidden window draws nothing; the next visible refresh catches up.
      if (typeof document !== "undefined" && document.visibilityState === "hidden") return;
      try {
        const s = await store.backend.series(range);
        if (live) {
          setSeries(s);
          setError(null);
        }
      } catch (e) {
        if (live) setError(errorMessage(e));
      }
    };
    void load();
    const every = working ? REFRESH_MS[range] : Math.max(REFRESH_MS[range], IDLE_REFRESH_MS);
    const id = setInterval(() => void load(), every);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [range, store, working]);

  const s = series && series.range === range ? series : null;
  const unit = s?.work_unit ?? "H/s";
  const n = Math.max(1, cores);
  // Machine figures with a null point in each hole of the record, so lines break there.
  const m = useMemo(() => {
    if (!s) return null;
    const { t, columns } = withGaps(s.t, [s.work_rate, s.cpu_percent, s.node_cpu_percent, s.cpu_temp_c, s.power_w], s.step_secs);
    const [workRate = [], cpu = [], nodeCpu = [], temp = [], power = []] = columns;
    return { t, workRate, cpu, nodeCpu: nodeCpu.map((v) => (v === null ? null : v / n)), temp, power };
  }, [s, n]);
  const base = { range, locale, theme, naText: t("na"), timeLabel: t("chart.time") };
  const common = { ...base, t: m?.t ?? [], stepSecs: s?.step_secs ?? 1 };
  const rangeLabel = t(`chart.range.${range}`);
  const prov = s ? provOf(s) : null;
  const hasEnergy = !!s && s.energy.t.length > 0;

  return (
    <Card
      title={t("chart.title")}
      id="charts"
      class="card-wide"
      actions={
        <fieldset class="segmented">
          <legend class="sr-only">{t("chart.range")}</legend>
          {RANGES.map((r) => (
            <label key={r} class={r === range ? "on" : ""}>
              <input type="radio" name="chart-range" value={r} checked={r === range} onChange={() => setRange(r)} />
              <span>{t(`chart.range.${r}`)}</span>
            </label>
          ))}
        </fieldset>
      }
    >
      {error && <p class="text-bad" role="alert">{t("chart.loadFailed", { message: error })}</p>}
      {s && s.t.length === 0 && !hasEnergy && <p class="muted">{t("chart.empty")}</p>}
      {s && m && (s.t.length > 0 || hasEnergy) && (
        <div class="charts">
          <figure>
            <figcaption>{t("chart.workRate")} ({unit})</figcaption>
            <Chart {...common} label={`${t("chart.workRate")}, ${rangeLabel}`} lines={[{ label: t("chart.workRate"), values: m.workRate, color: "--chart-1" }]} fmtY={(v) => rate(locale, { value: v, unit })} />
          </figure>
          <figure>
            <figcaption>{t("chart.cpu")}</figcaption>
            <Chart
              {...common}
              label={`${t("chart.cpu")}, ${rangeLabel}`}
              yMin={0}
              yMax={100}
              lines={[
                { label: t("chart.machineCpu"), values: m.cpu, color: "--chart-2" },
                { label: t("chart.nodeCpu"), values: m.nodeCpu, color: "--chart-1" },
              ]}
              fmtY={(v) => pct(locale, v)}
            />
          </figure>
          <figure>
            <figcaption>{t("chart.temp")}</figcaption>
            {hasData(s.cpu_temp_c) ? (
              <Chart {...common} label={`${t("chart.temp")}, ${rangeLabel}`} lines={[{ label: t("chart.temp"), values: m.temp, color: "--chart-3" }]} fmtY={(v) => celsius(locale, v)} />
            ) : (
              <p class="na">{t("na.reason", { reason: t("machine.noTempSensor") })}</p>
            )}
          </figure>
          <figure>
            <figcaption>
              {t("chart.power")} {prov && hasData(s.power_w) && <Prov kind={prov} source={s.power_source} />}
            </figcaption>
            {hasData(s.power_w) ? (
              <Chart {...common} label={`${t("chart.power")}, ${rangeLabel}`} lines={[{ label: t("chart.power"), values: m.power, color: "--chart-4" }]} fmtY={(v) => `${num(locale, v, 0)} W`} />
            ) : (
              <p class="na">{t("chart.powerNa")}</p>
            )}
          </figure>
          <EnergyCharts s={s} common={base} rangeLabel={rangeLabel} />
        </div>
      )}
      {s && (s.t.length > 0 || hasEnergy) && <p class="muted small">{t("chart.gaps")}</p>}
      {s && range === "1y" && <p class="muted small">{t("chart.yearNote")}</p>}
    </Card>
  );
});

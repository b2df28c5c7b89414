// History over 10 minutes, 24 hours or 30 days, from the ledger's rollups. The 10-minute view
// refreshes every 5 s, the others less often.
import { memo } from "preact/compat";
import { useEffect, useState } from "preact/hooks";
import type { Series, SeriesRange } from "../../bindings";
import { Chart } from "../../components/Chart";
import { Card } from "../../components/common";
import { useI18n } from "../../i18n";
import { celsius, num, pct, rate } from "../../lib/format";
import { errorMessage, useAppStore } from "../../state/store";

const RANGES: SeriesRange[] = ["10m", "24h", "30d"];
export const REFRESH_MS: Record<SeriesRange, number> = { "10m": 5_000, "24h": 60_000, "30d": 600_000 };
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
  const common = { t: s?.t ?? [], range, locale, theme, naText: t("na"), timeLabel: t("chart.time") };
  const rangeLabel = t(`chart.range.${range}`);

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
      {s && s.t.length === 0 && <p class="muted">{t("chart.empty")}</p>}
      {s && s.t.length > 0 && (
        <div class="charts">
          <figure>
            <figcaption>{t("chart.workRate")} ({unit})</figcaption>
            <Chart {...common} label={`${t("chart.workRate")}, ${rangeLabel}`} lines={[{ label: t("chart.workRate"), values: s.work_rate, color: "--chart-1" }]} fmtY={(v) => rate(locale, { value: v, unit })} />
          </figure>
          <figure>
            <figcaption>{t("chart.cpu")}</figcaption>
            <Chart
              {...common}
              label={`${t("chart.cpu")}, ${rangeLabel}`}
              yMin={0}
              yMax={100}
              lines={[
                { label: t("chart.machineCpu"), values: s.cpu_percent, color: "--chart-2" },
                { label: t("chart.nodeCpu"), values: s.node_cpu_percent.map((v) => (v === null ? null : v / n)), color: "--chart-1" },
              ]}
              fmtY={(v) => pct(locale, v)}
            />
          </figure>
          <figure>
            <figcaption>{t("chart.temp")}</figcaption>
            {hasData(s.cpu_temp_c) ? (
              <Chart {...common} label={`${t("chart.temp")}, ${rangeLabel}`} lines={[{ label: t("chart.temp"), values: s.cpu_temp_c, color: "--chart-3" }]} fmtY={(v) => celsius(locale, v)} />
            ) : (
              <p class="na">{t("na.reason", { reason: t("machine.noTempSensor") })}</p>
            )}
          </figure>
          <figure>
            <figcaption>{t("chart.power")}</figcaption>
            {hasData(s.power_w) ? (
              <Chart {...common} label={`${t("chart.power")}, ${rangeLabel}`} lines={[{ label: t("chart.power"), values: s.power_w, color: "--chart-4" }]} fmtY={(v) => `${num(locale, v, 0)} W`} />
            ) : (
              <p class="na">{t("chart.powerNa")}</p>
            )}
          </figure>
        </div>
      )}
      {s && s.t.length > 0 && <p class="muted small">{t("chart.gaps")}</p>}
    </Card>
  );
});

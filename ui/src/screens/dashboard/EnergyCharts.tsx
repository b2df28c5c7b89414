// Energy and its cost per point of the history: bars of energy per minute, hour or day (with
// the part above the idle baseline as a line when it is known) and bars of what that energy
// cost in the tariff's currency. A point with nothing recorded is a gap; a chart with nothing
// to draw says what is missing and what to do.
import { useMemo } from "preact/hooks";
import type { Series } from "../../bindings";
import { Chart } from "../../components/Chart";
import { Prov, type Provenance } from "../../components/common";
import { useI18n } from "../../i18n";
import { energyChart, energyUnit, maxOf, pointCost, pointEnergy } from "../../lib/chartData";
import type { Locale } from "../../lib/format";

export interface ChartCommon {
  range: Series["range"];
  locale: Locale;
  theme: string;
  naText: string;
  timeLabel: string;
}

const PROVENANCES: Provenance[] = ["measured", "estimated", "simulated"];

/** The series' power provenance as a badge kind, if it is one. */
export function provOf(s: Series): Provenance | null {
  const p = s.power_provenance;
  return p && (PROVENANCES as string[]).includes(p) ? (p as Provenance) : null;
}

export function EnergyCharts({ s, common, rangeLabel }: { s: Series; common: ChartCommon; rangeLabel: string }) {
  const { t, locale } = useI18n();
  const e = useMemo(() => energyChart(s.energy), [s.energy]);
  const { unit } = energyUnit(maxOf(e.wh, e.marginalWh));
  const per = t(`chart.per.${e.per}`);
  const prov = provOf(s);
  const energyTitle = t("chart.energy", { per });
  const costTitle = t("chart.cost", { per });
  return (
    <>
      <figure data-testid="chart-energy">
        <figcaption>
          {energyTitle}
          {e.hasEnergy ? ` (${unit})` : ""} {e.hasEnergy && prov && <Prov kind={prov} source={s.power_source} />}
        </figcaption>
        {e.hasEnergy ? (
          <Chart
            {...common}
            t={e.t}
            stepSecs={s.energy.step_secs}
            label={`${energyTitle}, ${rangeLabel}`}
            lines={[
              { label: t("chart.energyTotal"), values: e.wh, color: "--chart-4", bars: true },
              ...(e.hasMarginal ? [{ label: t("chart.energyMarginal"), values: e.marginalWh, color: "--chart-1" }] : []),
            ]}
            fmtY={(v) => pointEnergy(locale, v, unit)}
          />
        ) : (
          <p class="na">{t("chart.energyNa")}</p>
        )}
      </figure>
      <figure data-testid="chart-cost">
        <figcaption>
          {costTitle}
          {e.currency ? ` (${e.currency})` : ""} {e.hasCost && prov && <Prov kind={prov} source={s.power_source} />}
        </figcaption>
        {e.hasCost && e.currency ? (
          <Chart
            {...common}
            t={e.t}
            stepSecs={s.energy.step_secs}
            label={`${costTitle}, ${rangeLabel}`}
            lines={[{ label: t("chart.costLine"), values: e.cost, color: "--chart-3", bars: true }]}
            fmtY={(v) => pointCost(locale, v, e.currency ?? "")}
          />
        ) : (
          <p class="na">{t(e.hasEnergy ? "chart.costNa" : "chart.costNaNoEnergy")}</p>
        )}
      </figure>
    </>
  );
}

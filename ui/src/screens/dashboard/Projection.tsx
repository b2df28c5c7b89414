// "At this rate": the net per hour, day and month (30 days) if the node kept its hash rate,
// power and prices of now. Today's net alone cannot answer "what does this make me?" in the
// morning; this can, and it says which power and which prices it rests on. Revenue is an
// estimate, so the figure is marked estimated; a missing input shows the engine's reason in
// words, never 0.
import type { ProjectionView } from "../../bindings";
import { Metric } from "../../components/common";
import { CATALOGUES, type MessageKey, useI18n } from "../../i18n";
import { money, watts } from "../../lib/format";

function known(key: string): MessageKey | null {
  return key in CATALOGUES.en ? (key as MessageKey) : null;
}

export function Projection({ projection: p, currency }: { projection: ProjectionView; currency: string }) {
  const { t, locale } = useI18n();
  // Cents hide a miner's real figures (0.0018/hour): small amounts keep four decimals.
  const cash = (v: number, signed = false) => money(locale, v, currency, { signed, precise: Math.abs(v) < 0.1 && v !== 0 });
  const has = p.net_per_hour !== null && p.net_per_day !== null && p.net_per_month !== null;
  const value = has
    ? t("energy.rate.value", {
        hour: cash(p.net_per_hour ?? 0, true),
        day: cash(p.net_per_day ?? 0, true),
        month: cash(p.net_per_month ?? 0, true),
        days: p.days_per_month,
      })
    : null;
  const reasonKey = p.unavailable ? known(`energy.rate.na.${p.unavailable}`) : null;
  const basis =
    p.basis !== null && p.watts !== null && p.price_per_kwh !== null
      ? t(p.basis === "marginal" ? "energy.rate.basis.marginal" : "energy.rate.basis.total", {
          watts: watts(locale, p.watts),
          price: money(locale, p.price_per_kwh, currency, { precise: true }),
        })
      : null;
  const band = p.revenue_low_per_day !== null && p.revenue_high_per_day !== null;
  return (
    <Metric
      testId="projection"
      label={t("energy.rate")}
      value={value}
      naReason={reasonKey ? t(reasonKey, { currency }) : p.unavailable}
      prov="estimated"
      source={p.source}
      detail={
        p.revenue_per_day !== null && (
          <>
            {basis && <span class="block" data-testid="projection-basis">{basis}</span>}
            <span class="block" data-testid="projection-parts">
              {p.cost_per_day !== null
                ? t("energy.rate.parts", { revenue: cash(p.revenue_per_day), cost: cash(p.cost_per_day) })
                : t("energy.rate.revenue", { revenue: cash(p.revenue_per_day) })}
            </span>
            {band && (
              <span class="block" data-testid="projection-band">
                {t("energy.rate.band", { low: cash(p.revenue_low_per_day ?? 0), high: cash(p.revenue_high_per_day ?? 0) })}
              </span>
            )}
            {p.coin_price !== null && p.asset !== null && (
              <span class="block small muted">
                {t("energy.rate.coin", { price: cash(p.coin_price), asset: p.asset, source: p.coin_price_source ?? "" })}
              </span>
            )}
          </>
        )
      }
    />
  );
}

// Power, energy and cost today, and the net result with its sign. The engine returns nulls
// here until power is measured: that is shown as "not available" with its reason (said once
// for the card), never 0.
import { memo } from "preact/compat";
import type { EnergyView, SettingsView } from "../../bindings";
import { Card, Metric } from "../../components/common";
import { useI18n } from "../../i18n";
import { netToday, reasonOf } from "../../lib/earnings";
import { kwh, money, watts } from "../../lib/format";

export const EnergyCard = memo(function EnergyCard(props: { energy: EnergyView | null; settings: SettingsView; simulated: boolean; onSettings: () => void }) {
  const { t, locale } = useI18n();
  const { energy, settings } = props;
  const currency = energy?.currency ?? settings.currency;
  const reason = energy ? reasonOf(energy.source) : null;
  const net = energy ? netToday(energy, props.simulated, null, t("energy.noYieldPrice", { currency })) : null;
  const noPrice = settings.price_per_kwh === null;
  // A reason that differs from the card's shared one is shown at the metric itself.
  const own = (r: string | null) => (r !== null && r !== reason ? r : null);
  const anyNa = energy !== null && (energy.power_w === null || energy.kwh_today === null || energy.cost_today === null);
  return (
    <Card title={t("energy.title")} id="energy">
      {!energy && <p class="muted">{t("load.wait")}</p>}
      <dl class="metrics">
        <Metric testId="power" label={t("energy.power")} value={energy?.power_w != null ? watts(locale, energy.power_w) : null} prov="measured" source={energy?.source} />
        <Metric testId="kwh" label={t("energy.kwhToday")} value={energy?.kwh_today != null ? kwh(locale, energy.kwh_today) : null} prov="measured" source={energy?.source} />
        <Metric
          testId="cost"
          label={t("energy.costToday")}
          value={energy?.cost_today != null ? money(locale, energy.cost_today, currency) : null}
          prov="estimated"
          source={energy?.source}
        />
        <Metric
          testId="net"
          label={t("energy.net")}
          value={net?.kind === "value" ? money(locale, net.value, currency, { signed: true }) : null}
          naReason={net?.kind === "na" ? own(reasonOf(net.reason)) : null}
          prov={net?.kind === "value" && net.simulatedZero ? "simulated" : "estimated"}
          detail={net?.kind === "value" && net.simulatedZero ? t("energy.netSimulated") : null}
        />
      </dl>
      {anyNa && reason && (
        <p class="note small" data-testid="energy-why">
          {t("energy.whyNa", { reason })}
        </p>
      )}
      {noPrice ? (
        <p>
          {t("energy.noTariff")}{" "}
          <button type="button" class="link" onClick={props.onSettings}>
            {t("energy.setTariff")}
          </button>
        </p>
      ) : (
        <p class="muted small">{t("energy.tariff", { price: money(locale, settings.price_per_kwh ?? 0, settings.currency, { precise: true }) })}</p>
      )}
    </Card>
  );
});

// Power now, energy and cost (today, 7 days, all time), the idle baseline, and the net result
// on a stated basis (marginal or total). Every number carries its unit and whether it was
// measured or estimated; what the engine cannot know is shown as "not available" with its
// reason, never 0. Where a sensor needs a one-time permission (RAPL on Linux), the card says
// so and shows the commands — Lightrig itself never asks for root.
import type { EnergyPeriodView, EnergyView, FirstPayoutView, NetLine, SettingsView } from "../../bindings";
import { Card, Metric, Prov, type Provenance } from "../../components/common";
import { CATALOGUES, type MessageKey, useI18n } from "../../i18n";
import { netOf, reasonOf } from "../../lib/earnings";
import { dateTime, kwh, type Locale, money, num, pct, watts } from "../../lib/format";
import { Projection } from "./Projection";

/** A catalogue key built from an engine code, or null when the engine sent a code the UI does not know yet. */
function known(key: string): MessageKey | null {
  return key in CATALOGUES.en ? (key as MessageKey) : null;
}

function prov(p: string | null | undefined): Provenance | undefined {
  return p === "measured" || p === "estimated" || p === "simulated" ? p : undefined;
}

export function EnergyCard(props: { energy: EnergyView | null; settings: SettingsView; simulated: boolean; onSettings: () => void }) {
  const { t, locale } = useI18n();
  const { energy, settings } = props;
  const currency = energy?.currency ?? settings.currency;
  const cash = (v: number, signed = false) => money(locale, v, currency, { signed, precise: Math.abs(v) < 1 });
  const code = (prefix: string, c: string | null | undefined, params?: Record<string, string>) => {
    const key = c ? known(`${prefix}.${c}`) : null;
    return key ? t(key, params) : (c ?? null);
  };
  const reason = energy && !energy.power ? reasonOf(energy.source) : null;
  const power = energy?.power ?? null;
  const today = energy?.today ?? null;
  const net = energy ? netOf(energy.net) : null;
  const noPrice = settings.price_per_kwh === null;
  const kindText = (k: string) => code("energy.kind", k) ?? k;

  // The GPU figure (NVML, amdgpu) in the detail line: part of the sum ("added"), already inside a
  // whole-machine reading ("inside"), or beside it ("apart"). No GPU source, no line.
  const gpuAdded = power !== null && energy?.gpu_share === "added";
  const gpuShare = energy?.gpu_share === "added" || energy?.gpu_share === "inside" ? energy.gpu_share : "apart";
  const gpuDetail =
    energy && energy.gpu_w !== null ? (
      <span class="block" data-testid="power-gpu">
        {t(`energy.gpu.${gpuShare}`, { w: watts(locale, energy.gpu_w), source: energy.gpu_source ?? "" })}
      </span>
    ) : null;
  // A DC-side reading (CPU package, model, process, GPU) reaches the wall through the power
  // supply: the engine divided the difference by its efficiency, and the line says by how much.
  const marginalText = (w: number, psu: number | null) =>
    psu === null ? t("energy.aboveIdle", { w: watts(locale, w) }) : t("energy.aboveIdleWall", { w: watts(locale, w), psu: num(locale, psu, 2) });
  const powerDetail = (power || gpuDetail) && (
    <>
      {power && kindText(power.kind)}
      {power && power.low_w !== null && power.high_w !== null && <> · {t("energy.range", { low: watts(locale, power.low_w), high: watts(locale, power.high_w) })}</>}
      {power && power.marginal_w !== null && <> · {marginalText(power.marginal_w, power.marginal_psu)}</>}
      {gpuDetail}
    </>
  );
  const netValue = net?.kind === "value" ? cash(net.value, true) : null;
  const basis = energy && energy.net.cost !== null && (
    <span class="block">
      {t(energy.net.basis === "marginal" ? "energy.basis.marginal" : "energy.basis.total")}
      {energy.net.basis_reason && <> ({code("energy.basisWhy", energy.net.basis_reason)})</>}
    </span>
  );

  return (
    <Card title={t("energy.title")} id="energy" class="card-wide">
      {!energy && <p class="muted">{t("load.wait")}</p>}
      <dl class="metrics">
        <Metric testId="power" label={t(gpuAdded ? "energy.powerCpuGpu" : "energy.power")} value={power ? watts(locale, power.watts) : null} prov={prov(power?.provenance)} source={power?.source} detail={powerDetail} />
        <Metric
          testId="kwh"
          label={t("energy.kwhToday")}
          value={today?.kwh != null ? kwh(locale, today.kwh) : null}
          naReason={today && today.kwh === null && power ? t("energy.na.first-minute") : null}
          prov={prov(today?.provenance)}
          source={energy?.source}
          detail={today?.marginal_kwh != null ? t("energy.marginalOf", { kwh: kwh(locale, today.marginal_kwh) }) : null}
        />
        <Metric
          testId="cost"
          label={t("energy.costToday")}
          value={today?.cost != null ? cash(today.cost) : null}
          naReason={today && today.cost === null && today.kwh !== null && noPrice ? t("energy.na.no-tariff") : null}
          prov={prov(today?.provenance)}
          source={energy?.tariff}
          detail={today && today.cost !== null && <CostDetail period={today} cash={cash} />}
        />
        <Metric
          testId="net"
          label={t("energy.net")}
          value={netValue}
          naReason={net?.kind === "na" ? (net.code === "no-price" ? t("energy.noYieldPrice", { currency }) : code("energy.na", net.code)) : null}
          prov={net?.kind === "value" ? "simulated" : "estimated"}
          detail={
            <>
              {net?.kind === "value" && <span class="block">{t("energy.netSimulated")}</span>}
              {net?.kind === "lines" && <NetLines lines={net.lines} cash={cash} />}
              {energy && energy.net.unpriced.length > 0 && (
                <span class="block" data-testid="net-unpriced">
                  {t("energy.unpriced", { assets: energy.net.unpriced.join(", "), currency })}
                </span>
              )}
              {basis}
            </>
          }
        />
        {energy && <FirstPayout wait={energy.first_payout} />}
        {energy && <Projection projection={energy.projection} currency={currency} />}
      </dl>
      {reason && (
        <p class="note small" data-testid="energy-why">
          {t("energy.whyNa", { reason })}
        </p>
      )}
      {energy?.permission && (
        <div class="note" data-testid="energy-permission">
          <strong>{t("energy.permission.title")}</strong>
          <p>{t("energy.permission.text")}</p>
          {energy.permission.commands[0] && (
            <pre>
              <code>{energy.permission.commands[0]}</code>
            </pre>
          )}
          {energy.permission.commands.length > 1 && (
            <>
              <p>{t("energy.permission.keep")}</p>
              {energy.permission.commands.slice(1).map((c) => (
                <pre key={c}>
                  <code>{c}</code>
                </pre>
              ))}
            </>
          )}
          <p class="small muted">{t("energy.permission.tradeoff")}</p>
        </div>
      )}
      {energy && <Periods energy={energy} cash={cash} />}
      {energy && (
        <dl class="metrics">
          <Metric
            testId="baseline"
            label={t("energy.baseline")}
            value={energy.baseline.watts !== null ? watts(locale, energy.baseline.watts) : null}
            naReason={t("energy.baseline.missing")}
            prov={energy.baseline.kind === null ? undefined : energy.baseline.kind === "model" || energy.baseline.kind === "wall" ? "estimated" : "measured"}
            source={energy.baseline.source}
            detail={
              <>
                {energy.baseline.measured_at_ms !== null &&
                  t(energy.baseline.state === "stale" ? "energy.baseline.stale" : "energy.baseline.ready", {
                    kind: kindText(energy.baseline.kind ?? ""),
                    when: dateTime(locale, energy.baseline.measured_at_ms),
                  })}
                {energy.baseline.collecting > 0 && energy.baseline.need > 0 && (
                  <span class="block">{t("energy.baseline.collecting", { n: String(Math.min(energy.baseline.collecting, energy.baseline.need)), need: String(energy.baseline.need) })}</span>
                )}
              </>
            }
          />
          <Metric
            testId="hpj"
            label={t("energy.hpj")}
            value={energy.hashes_per_joule !== null ? `${num(locale, energy.hashes_per_joule, energy.hashes_per_joule < 10 ? 2 : 0)}\u00a0H/J` : null}
            naReason={code("energy.hpjNa", energy.efficiency_unavailable)}
            prov={prov(energy.power?.provenance)}
            detail={energy.efficiency_basis ? code("energy.hpjBasis", energy.efficiency_basis) : null}
          />
          <Metric
            testId="break-even"
            label={t("energy.breakEven")}
            value={energy.break_even_price !== null ? money(locale, energy.break_even_price, currency, { precise: true }) : null}
            naReason={code("energy.breakEvenNa", energy.break_even_unavailable, { currency })}
            prov="estimated"
          />
          <Metric
            testId="co2"
            label={t("energy.co2")}
            value={energy.co2?.grams_today != null ? `${num(locale, energy.co2.grams_today, energy.co2.grams_today < 10 ? 1 : 0)}\u00a0g` : null}
            naReason={energy.co2 ? t("energy.na.no-power") : null}
            prov="estimated"
            source={energy.co2?.source}
            detail={
              energy.co2 && (
                <>
                  {t("energy.co2Detail", { g: num(locale, energy.co2.g_per_kwh, 0), region: energy.co2.region_name, year: String(energy.co2.year) })}
                  {!energy.co2.country_specific && <> · {t("energy.co2World")}</>}
                </>
              )
            }
          />
        </dl>
      )}
      {energy && energy.sources.length > 0 && (
        <details class="sensors">
          <summary>{t("energy.sources")}</summary>
          <ul>
            {energy.sources.map((s) => (
              <li key={s.name}>
                <strong>{s.name}</strong>: {s.detail}
              </li>
            ))}
          </ul>
        </details>
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
}

/**
 * Today's rewards in money, one line per state (estimated, pending, paid) and never a total:
 * each with its value (an estimate with its range), its own net after today's cost, and the
 * coin price used with its source and when it was set or fetched.
 */
function NetLines({ lines, cash }: { lines: NetLine[]; cash: (v: number, signed?: boolean) => string }) {
  const { t, locale } = useI18n();
  return (
    <ul class="net-lines">
      {lines.map((l) => (
        <li key={`${l.state}-${l.asset}-${l.basis}`} data-testid={`net-${l.state}`}>
          <strong>{t(`earn.state.${l.state}` as MessageKey)}</strong>
          {l.basis === "model" && <> ({t("energy.line.model")})</>}: {l.amount} {l.asset} = {cash(l.income)}
          {l.income_low !== null && l.income_high !== null && <> {t("energy.line.range", { low: cash(l.income_low), high: cash(l.income_high) })}</>}
          {l.net !== null && (
            <>
              {" · "}
              {t("energy.line.net", { net: cash(l.net, true) })}
            </>
          )}
          <span class="block small muted" data-testid={`net-${l.state}-price`}>
            {t("energy.line.price", { price: cash(l.price), asset: l.asset, source: l.price_source, when: dateTime(locale, l.price_at_ms) })}
          </span>
        </li>
      ))}
    </ul>
  );
}

type WaitUnit = "energy.wait.s" | "energy.wait.min" | "energy.wait.h" | "energy.wait.d" | "energy.wait.y";

/** A wait in the one unit that reads best: "4.3 hours", "3.5 days", "347 days", "2.8 years". */
export function waitText(t: (key: WaitUnit, p: { n: string }) => string, locale: Locale, secs: number): string {
  const [v, key]: [number, WaitUnit] =
    secs < 90 ? [secs, "energy.wait.s"] : secs < 5400 ? [secs / 60, "energy.wait.min"] : secs < 36 * 3600 ? [secs / 3600, "energy.wait.h"] : secs < 2 * 365 * 86400 ? [secs / 86400, "energy.wait.d"] : [secs / (365.25 * 86400), "energy.wait.y"];
  return t(key, { n: num(locale, v, v < 10 ? 1 : 0) });
}

/**
 * The expected wait for the first payout at the node's rate now, under the estimate: the
 * average with its 90 % range (finding blocks and shares is luck, and small CPUs live in the
 * tails), or "not available" with the engine's reason, never 0.
 */
function FirstPayout({ wait }: { wait: FirstPayoutView }) {
  const { t, locale } = useI18n();
  const reason = wait.unavailable ? known(`energy.payout.na.${wait.unavailable}`) : null;
  const w = (secs: number) => waitText(t, locale, secs);
  const has = wait.expected_secs !== null && wait.p5_secs !== null && wait.p95_secs !== null;
  return (
    <Metric
      testId="first-payout"
      label={t("energy.payout")}
      value={wait.expected_secs !== null ? t("energy.payout.value", { mean: w(wait.expected_secs) }) : null}
      naReason={reason ? t(reason) : wait.unavailable}
      prov="estimated"
      source={wait.source}
      detail={
        has && (
          <>
            <span class="block" data-testid="first-payout-range">
              {t("energy.payout.range", { low: w(wait.p5_secs ?? 0), high: w(wait.p95_secs ?? 0) })}
            </span>
            <span class="block small muted">{t(wait.event === "share" ? "energy.payout.share" : "energy.payout.block")}</span>
          </>
        )
      }
    />
  );
}

function CostDetail({ period, cash }: { period: EnergyPeriodView; cash: (v: number) => string }) {
  const { t, locale } = useI18n();
  return (
    <>
      {period.marginal_cost !== null && <span>{t("energy.marginalCostOf", { cost: cash(period.marginal_cost) })}</span>}
      {period.cost_coverage !== null && period.cost_coverage < 0.9995 && <span> · {t("energy.costCoverage", { pct: pct(locale, period.cost_coverage * 100) })}</span>}
    </>
  );
}

/** Today, 7 days and all time side by side; a missing figure is "not available", never 0. */
function Periods({ energy, cash }: { energy: EnergyView; cash: (v: number) => string }) {
  const { t, locale } = useI18n();
  const rows: Array<[MessageKey, EnergyPeriodView, string]> = [
    ["energy.period.today", energy.today, "today"],
    ["energy.period.week", energy.week, "week"],
    ["energy.period.all", energy.all_time, "all"],
  ];
  const na = <span class="na">{t("na")}</span>;
  return (
    <table class="energy-periods" data-testid="energy-periods">
      <caption class="sr-only">{t("energy.periods")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("energy.col.period")}</th>
          <th scope="col">{t("energy.col.energy")}</th>
          <th scope="col">{t("energy.col.marginal")}</th>
          <th scope="col">{t("energy.col.cost")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, p, id]) => (
          <tr key={id} data-testid={`period-${id}`}>
            <th scope="row">{t(label)}</th>
            <td class="num">
              {p.kwh !== null ? kwh(locale, p.kwh) : na}
              {p.provenance && <> <Prov kind={prov(p.provenance) ?? "estimated"} /></>}
            </td>
            <td class="num">{p.marginal_kwh !== null ? kwh(locale, p.marginal_kwh) : na}</td>
            <td class="num">{p.cost !== null ? cash(p.cost) : na}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

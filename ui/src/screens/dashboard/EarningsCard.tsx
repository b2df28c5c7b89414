// Earnings today / 7 days / all time. One line per asset and state: estimated, pending and
// paid are never added up, and simulated amounts say so on every line.
import { memo } from "preact/compat";
import type { Earnings, RewardLine } from "../../bindings";
import { Card, Prov } from "../../components/common";
import { useI18n } from "../../i18n";
import { isRewardState, orderLines } from "../../lib/earnings";
import { decimalString } from "../../lib/format";

function Line({ line }: { line: RewardLine }) {
  const i = useI18n();
  const { t } = i;
  const state = line.state;
  return (
    <li class={`reward reward-${line.state}`} data-testid={`reward-${line.state}`}>
      <span class="reward-state">
        {isRewardState(state) ? t(`earn.state.${state}`) : state}
        {isRewardState(state) && <span class="reward-help">{t(`earn.help.${state}`)}</span>}
      </span>
      <span class="reward-amount">
        <span class="num">{decimalString(i.locale, line.amount)}</span> <span class="asset">{line.asset}</span>
      </span>
      <span class="reward-meta">
        {i.plural("earn.count", line.count)}
        {line.simulated ? <Prov kind="simulated" /> : <Prov kind={line.state === "paid" ? "measured" : line.state === "pending" ? "reported" : "estimated"} />}
      </span>
    </li>
  );
}

function Period({ title, lines, testId }: { title: string; lines: RewardLine[]; testId: string }) {
  const { t } = useI18n();
  return (
    <div class="period" data-testid={testId}>
      <h3>{title}</h3>
      {lines.length === 0 ? <p class="muted">{t("earn.empty")}</p> : <ul class="rewards">{orderLines(lines).map((l) => <Line key={`${l.asset}-${l.state}-${l.simulated}`} line={l} />)}</ul>}
    </div>
  );
}

export const EarningsCard = memo(function EarningsCard({ earnings, error }: { earnings: Earnings | null; error: string | null }) {
  const { t } = useI18n();
  const anySimulated = earnings ? [...earnings.today, ...earnings.week, ...earnings.all_time].some((l) => l.simulated) : false;
  return (
    <Card title={t("earn.title")} id="earnings" class="card-wide">
      {error && <p class="text-bad" role="alert">{t("earn.loadFailed", { message: error })}</p>}
      {earnings ? (
        <>
          {anySimulated && <p class="note note-sim">{t("earn.simulatedNote")}</p>}
          <div class="periods">
            <Period title={t("earn.today")} lines={earnings.today} testId="earn-today" />
            <Period title={t("earn.week")} lines={earnings.week} testId="earn-week" />
            <Period title={t("earn.allTime")} lines={earnings.all_time} testId="earn-all" />
          </div>
          <p class="muted small">{t("earn.apart")}</p>
        </>
      ) : (
        !error && <p class="muted">{t("load.wait")}</p>
      )}
    </Card>
  );
});

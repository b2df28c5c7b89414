// The big Start/Stop control and the node's own figures. The state machine is shown as it
// is: Starting… / Running / Paused — reason / Waiting to restart — retry in 12 s / Failed.
import { memo } from "preact/compat";
import { useState } from "preact/hooks";
import type { NodeStatus } from "../../bindings";
import { Card, ErrorBanner, Metric, Prov, Spinner } from "../../components/common";
import { useI18n } from "../../i18n";
import { duration, num, rate } from "../../lib/format";
import { type NodeAction, describeState } from "../../state/nodeState";
import { errorMessage, stateTicks, useAppStore, useNow } from "../../state/store";
import { toBackendError } from "../../backend";
import { PoolMetrics } from "./PoolMetrics";

export function useNodeAction(): { run: (a: NodeAction, label: string) => Promise<void>; pending: NodeAction | null; error: { message: string; code: string } | null; clear: () => void } {
  const store = useAppStore();
  const { t } = useI18n();
  const [pending, setPending] = useState<NodeAction | null>(null);
  const [error, setError] = useState<{ message: string; code: string } | null>(null);
  const run = async (a: NodeAction, label: string) => {
    setPending(a);
    setError(null);
    try {
      await store.backend[a]();
    } catch (e) {
      const err = toBackendError(e);
      setError({ code: err.code, message: t("action.failed", { action: label, message: errorMessage(err) }) });
    } finally {
      setPending(null);
    }
  };
  return { run, pending, error, clear: () => setError(null) };
}

export const NodeCard = memo(function NodeCard({ node, onGo }: { node: NodeStatus; onGo: (route: "settings" | "logs") => void }) {
  const i = useI18n();
  const { t, locale } = i;
  const now = useNow(1000, stateTicks(node.state));
  const view = describeState(node.state, now, i);
  const { run, pending, error, clear } = useNodeAction();
  const m = node.metrics;
  const running = node.state.kind === "running" || node.state.kind === "paused";
  const notRunning = t("dash.notRunning");
  const since = node.state.kind === "running" || node.state.kind === "paused" ? node.state.since_ms : null;

  return (
    <Card title={t("dash.node")} id="node" class="card-node">
      <div class="node-head">
        <div class={`node-control tone-${view.tone}`}>
          {view.primary ? (
            <button
              type="button"
              class={`btn-big btn-big-${view.primary.action}`}
              onClick={() => view.primary && run(view.primary.action, view.primary.label)}
              disabled={pending !== null}
              data-testid="primary-action"
            >
              {pending === view.primary.action ? <Spinner /> : null}
              {view.primary.label}
            </button>
          ) : (
            <button type="button" class="btn-big" disabled data-testid="primary-action">
              <Spinner />
              {view.title}
            </button>
          )}
          {view.secondary && (
            <button
              type="button"
              class="btn"
              onClick={() => view.secondary && run(view.secondary.action, view.secondary.label)}
              disabled={pending !== null}
              data-testid="secondary-action"
            >
              {view.secondary.label}
            </button>
          )}
        </div>
        <div class="node-state" aria-live="polite" data-testid="node-state">
          <p class="node-profile">
            {node.profile_name} {node.simulated && <Prov kind="simulated" />}
          </p>
          <p class={`state-line tone-${view.tone}`}>
            <span class="state-dot" aria-hidden="true" />
            <strong>{view.title}</strong>
            {view.reason && <span> — {view.reason}</span>}
          </p>
          {(view.countdown || view.attempt) && (
            <p class="state-extra" data-testid="countdown">
              {[view.countdown, view.attempt].filter(Boolean).join(" · ")}
            </p>
          )}
          {node.state.kind === "stopped" && <p class="muted">{t("state.stoppedHelp", { profile: node.profile_name })}</p>}
          {node.restarts > 0 && <p class="muted">{t("state.restarts", { n: node.restarts })}</p>}
        </div>
      </div>

      {view.kind === "failed" && (
        <div class="failed-box" data-testid="failed">
          {view.exit && <p>{t("state.exit", { exit: view.exit })}</p>}
          <p class="muted">{t("state.lastLines")}</p>
          {view.lastLines && view.lastLines.length > 0 ? (
            <pre class="last-lines">{view.lastLines.join("\n")}</pre>
          ) : (
            <p class="muted">{t("state.noLastLines")}</p>
          )}
          <p>
            {t("state.failedHelp")}{" "}
            <button type="button" class="link" onClick={() => onGo("logs")}>
              {t("nav.logs")}
            </button>
          </p>
        </div>
      )}

      {error && (
        <ErrorBanner message={error.message} onDismiss={clear} />
      )}
      {error?.code === "consent.permission_required" && (
        <button type="button" class="btn" onClick={() => onGo("settings")}>
          {t("nav.settings")}
        </button>
      )}

      <dl class="metrics">
        <Metric
          big
          testId="work-rate"
          label={t("dash.workRate")}
          value={running && m?.work_rate ? rate(locale, m.work_rate) : null}
          naReason={!running ? notRunning : (node.metrics_error ?? t("dash.noMetrics"))}
          prov="reported"
          detail={
            running && m && (m.work_rate_60s || m.work_rate_15m)
              ? t("dash.workRateAvg", {
                  m1: m.work_rate_60s ? rate(locale, m.work_rate_60s) : t("na"),
                  m15: m.work_rate_15m ? rate(locale, m.work_rate_15m) : t("na"),
                })
              : null
          }
        />
        <Metric
          testId="uptime"
          label={t("dash.uptime")}
          value={since !== null ? duration(t, locale, (now - since) / 1000) : null}
          naReason={notRunning}
          prov="measured"
        />
        <Metric
          label={t("dash.shares")}
          value={running && m?.shares_accepted != null ? num(locale, m.shares_accepted, 0) : null}
          naReason={!running ? notRunning : t("dash.noMetrics")}
          prov={node.simulated ? "simulated" : "reported"}
        />
      </dl>
      {running && m?.pool && <PoolMetrics pool={m.pool} />}
    </Card>
  );
});

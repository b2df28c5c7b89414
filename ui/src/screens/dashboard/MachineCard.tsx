// The machine: its CPU, the node's share of it, memory, temperatures (CPU and GPU) and power supply.
// A sensor that cannot be read says "not available" and why.
import { memo } from "preact/compat";
import type { Heat, NodeStatus, TelemetrySample } from "../../bindings";
import { Card, Metric } from "../../components/common";
import { useI18n } from "../../i18n";
import { bytes, celsius, pct } from "../../lib/format";

/** A heat word from the engine (CPU and GPU each by their own limits), hot and above in red. */
function HeatWord({ heat, testId }: { heat: Heat | null; testId?: string }) {
  const { t } = useI18n();
  if (heat === null) return null;
  return (
    <span class={heat === "hot" || heat === "critical" ? "text-bad" : undefined} data-testid={testId}>
      {t(`machine.heat.${heat}`)}
    </span>
  );
}

export const MachineCard = memo(function MachineCard({ telemetry, node }: { telemetry: TelemetrySample | null; node: NodeStatus }) {
  const { t, locale } = useI18n();
  if (!telemetry) {
    return (
      <Card title={t("machine.title")} id="machine">
        <p class="muted">{t("machine.waiting")}</p>
      </Card>
    );
  }
  const tel = telemetry;
  const cores = Math.max(1, tel.logical_cores);
  const nodeCpu = tel.node?.cpu_percent ?? null;
  const running = node.state.kind === "running" || node.state.kind === "paused" || node.state.kind === "starting";
  const supply = tel.power;
  const supplyText =
    supply.on_battery === null
      ? null
      : supply.on_battery
        ? t("machine.onBattery") + (supply.battery_percent !== null ? ` · ${t("machine.battery", { pct: pct(locale, supply.battery_percent) })}` : "")
        : t("machine.onMains");
  return (
    <Card title={t("machine.title")} id="machine">
      <dl class="metrics">
        <Metric testId="cpu" label={t("machine.cpu")} value={tel.cpu_percent !== null ? pct(locale, tel.cpu_percent) : null} naReason={t("machine.warmingUp")} prov="measured" />
        <Metric
          testId="node-cpu"
          label={t("machine.nodeCpu")}
          value={nodeCpu !== null ? pct(locale, nodeCpu / cores) : null}
          naReason={!tel.node || !running ? t("dash.notRunning") : t("machine.warmingUp")}
          prov="measured"
          detail={nodeCpu !== null ? t("machine.nodeCpuDetail", { core: pct(locale, nodeCpu), machine: pct(locale, nodeCpu / cores) }) : null}
        />
        <Metric
          label={t("machine.memory")}
          value={tel.mem_total_bytes > 0 ? pct(locale, (tel.mem_used_bytes / tel.mem_total_bytes) * 100) : null}
          prov="measured"
          detail={tel.mem_total_bytes > 0 ? t("machine.memoryDetail", { used: bytes(locale, tel.mem_used_bytes), total: bytes(locale, tel.mem_total_bytes) }) : null}
        />
        <Metric label={t("machine.nodeMemory")} value={tel.node ? bytes(locale, tel.node.rss_bytes) : null} naReason={t("dash.notRunning")} prov="measured" />
        <Metric
          testId="cpu-temp"
          label={t("machine.cpuTemp")}
          value={tel.cpu_temp_c !== null ? celsius(locale, tel.cpu_temp_c) : null}
          naReason={t("machine.noTempSensor")}
          prov="measured"
          detail={tel.cpu_temp_c !== null && <HeatWord heat={tel.cpu_heat} testId="cpu-heat" />}
        />
        {/* Only where a GPU sensor answered: a machine without one has nothing missing. */}
        {tel.gpu_temp_c !== null && (
          <Metric testId="gpu-temp" label={t("machine.gpuTemp")} value={celsius(locale, tel.gpu_temp_c)} prov="measured" detail={<HeatWord heat={tel.gpu_heat} testId="gpu-heat" />} />
        )}
        <Metric testId="supply" label={t("machine.supply")} value={supplyText} naReason={t("machine.supplyUnknown")} prov="measured" source={supply.source} />
      </dl>
      {tel.temperatures.length + tel.unread_sensors.length > 0 && (
        <details class="sensors">
          <summary>{t("machine.sensors", { n: tel.temperatures.length + tel.unread_sensors.length })}</summary>
          <ul>
            {tel.temperatures.map((s) => (
              <li key={s.label}>
                {s.label}: {celsius(locale, s.celsius)}
                {s.heat !== null && (
                  <>
                    {" · "}
                    <HeatWord heat={s.heat} />
                  </>
                )}
              </li>
            ))}
            {/* Sensors that exist but gave no reading (a GPU whose driver does not report it): not available, never 0 °C. */}
            {tel.unread_sensors.map((label) => (
              <li key={`na:${label}`} class="na">
                {t("machine.sensorNa", { label })}
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
});

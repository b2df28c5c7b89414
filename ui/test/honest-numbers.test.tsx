// Earnings states are never summed, simulated amounts say so, and missing sensors or energy
// figures say "not available" (never 0).
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView, Earnings, NodeStatus, RewardLine, TelemetrySample } from "../src/bindings";
import { DEFAULT_SETTINGS } from "../src/backend/mock-data";
import { netToday, orderLines } from "../src/lib/earnings";
import { EarningsCard } from "../src/screens/dashboard/EarningsCard";
import { EnergyCard } from "../src/screens/dashboard/EnergyCard";
import { MachineCard } from "../src/screens/dashboard/MachineCard";
import { byTestId, mountWith } from "./helpers";

const line = (state: string, amount: string, simulated = false, asset = "XMR"): RewardLine => ({ asset, state, simulated, atomic: "0", amount, count: 2 });
const energyNa: EnergyView = { power_w: null, source: "not available: no power source is measured on this computer yet", kwh_today: null, cost_today: null, currency: "EUR" };

afterEach(() => {
  document.body.innerHTML = "";
});

describe("earnings", () => {
  it("orders estimated, pending, paid and keeps every line", () => {
    const lines = [line("paid", "2"), line("estimated", "1"), line("pending", "0.5"), line("estimated", "7", true)];
    expect(orderLines(lines).map((l) => `${l.state}:${l.amount}`)).toEqual(["estimated:1", "estimated:7", "pending:0.5", "paid:2"]);
  });

  it("shows each state on its own line and never a sum", () => {
    const e: Earnings = { today: [line("estimated", "1.25"), line("pending", "0.5"), line("paid", "2")], week: [], all_time: [], energy: energyNa };
    const { el } = mountWith(<EarningsCard earnings={e} error={null} />);
    const today = byTestId(el, "earn-today");
    expect(byTestId(today, "reward-estimated").textContent).toContain("1.25");
    expect(byTestId(today, "reward-pending").textContent).toContain("0.5");
    expect(byTestId(today, "reward-paid").textContent).toContain("2");
    expect(today.querySelectorAll("li")).toHaveLength(3);
    // 1.25 + 0.5 + 2 = 3.75 and any pairwise sum must appear nowhere.
    for (const sum of ["3.75", "1.75", "3.25", "2.5"]) expect(el.textContent).not.toContain(sum);
    expect(el.textContent).toContain("never added together");
  });

  it("labels simulated rewards on every line and explains they are not money", () => {
    const e: Earnings = { today: [line("estimated", "0.004", true, "SIM"), line("paid", "0.01", true, "SIM")], week: [], all_time: [], energy: energyNa };
    const { el } = mountWith(<EarningsCard earnings={e} error={null} />);
    for (const li of el.querySelectorAll("li")) expect(li.querySelector(".prov-simulated")?.textContent).toBe("simulated");
    expect(el.textContent).toContain("they are not money");
  });

  it("has an empty state that says what happens next", () => {
    const { el } = mountWith(<EarningsCard earnings={{ today: [], week: [], all_time: [], energy: energyNa }} error={null} />);
    expect(byTestId(el, "earn-today").textContent).toContain("Rewards show up here once the node has done some work.");
  });
});

describe("energy and net", () => {
  it("says not available with the engine's reason, never 0", () => {
    const { el } = mountWith(<EnergyCard energy={energyNa} settings={DEFAULT_SETTINGS} simulated={true} onSettings={() => {}} />);
    for (const id of ["power", "kwh", "cost", "net"]) {
      const text = byTestId(el, id).textContent ?? "";
      expect(text, id).toContain("not available");
      expect(text, id).not.toMatch(/(^|\D)0([.,]0+)?\s*(W|kWh)|€0\.00/);
    }
    expect(byTestId(el, "energy-why").textContent).toContain("no power source is measured on this computer yet");
  });

  it("computes net = yield − cost with its sign; simulated yield counts as zero", () => {
    const measured = { ...energyNa, power_w: 60, kwh_today: 1, cost_today: 0.3, source: "RAPL package power" };
    expect(netToday(measured, true, null, "no price")).toEqual({ kind: "value", value: -0.3, simulatedZero: true });
    expect(netToday(measured, false, 1, "no price")).toEqual({ kind: "value", value: 0.7, simulatedZero: false });
    expect(netToday(measured, false, null, "no price")).toEqual({ kind: "na", reason: "no price" });
    expect(netToday(energyNa, false, 1, "no price")).toEqual({ kind: "na", reason: energyNa.source });
    const { el } = mountWith(<EnergyCard energy={measured} settings={DEFAULT_SETTINGS} simulated={true} onSettings={() => {}} />);
    expect(byTestId(el, "net").textContent).toContain("-€0.30");
    expect(byTestId(el, "net").textContent).toContain("simulated");
  });

  it("asks for a tariff when none is set", () => {
    const { el } = mountWith(<EnergyCard energy={energyNa} settings={{ ...DEFAULT_SETTINGS, price_per_kwh: null }} simulated={false} onSettings={() => {}} />);
    expect(el.textContent).toContain("Set your price in Settings");
  });
});

describe("machine sensors", () => {
  const node: NodeStatus = { node_id: "practice", profile_name: "Practice", simulated: true, state: { kind: "running", since_ms: 0 }, pid: 1, restarts: 0, metrics: null, metrics_error: null, updated_ms: 0 };
  const tel: TelemetrySample = {
    at_ms: 0,
    cpu_percent: null,
    logical_cores: 8,
    mem_used_bytes: 8e9,
    mem_total_bytes: 16e9,
    node: { root_pid: 1, pids: [1], cpu_percent: 100, rss_bytes: 4e7 },
    temperatures: [],
    cpu_temp_c: null,
    power: { on_battery: null, battery_percent: null, source: "none" },
  };

  it("shows not available for a missing temperature, CPU reading or power supply", () => {
    const { el } = mountWith(<MachineCard telemetry={tel} node={node} />);
    expect(byTestId(el, "cpu-temp").textContent).toContain("not available: no temperature sensor could be read on this computer");
    expect(byTestId(el, "cpu-temp").textContent).not.toContain("0°C");
    expect(byTestId(el, "cpu").textContent).toContain("not available");
    expect(byTestId(el, "supply").textContent).toContain("not available");
  });

  it("shows the node's CPU as a share of one core and of the machine", () => {
    const { el } = mountWith(<MachineCard telemetry={tel} node={node} />);
    expect(byTestId(el, "node-cpu").textContent).toContain("13%");
    expect(byTestId(el, "node-cpu").textContent).toContain("100% of one core ≈ 13% of this machine");
  });

  it("says it in Chinese too", () => {
    const { el } = mountWith(<MachineCard telemetry={tel} node={node} />, { locale: "zh-CN" });
    expect(byTestId(el, "cpu-temp").textContent).toContain("无法获取：这台电脑上读不到温度传感器");
  });
});

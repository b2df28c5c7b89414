// Earnings states are never summed, simulated amounts say so, and missing sensors or energy
// figures say "not available" (never 0).
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView, Earnings, NodeStatus, RewardLine, TelemetrySample } from "../src/bindings";
import { DEFAULT_SETTINGS, energyNotAvailable } from "../src/backend/mock-data";
import { netOf, orderLines } from "../src/lib/earnings";
import { EarningsCard } from "../src/screens/dashboard/EarningsCard";
import { EnergyCard } from "../src/screens/dashboard/EnergyCard";
import { MachineCard } from "../src/screens/dashboard/MachineCard";
import { byTestId, mountWith } from "./helpers";

const line = (state: string, amount: string, simulated = false, asset = "XMR"): RewardLine => ({ asset, state, simulated, atomic: "0", amount, count: 2 });
const energyNa: EnergyView = energyNotAvailable("EUR");

/** The practice node on a computer where a model estimates the CPU's power, with a baseline. */
function estimated(): EnergyView {
  const e = energyNotAvailable("EUR");
  return {
    ...e,
    power: { watts: 27.9, kind: "model", provenance: "estimated", source: "model: unknown CPU, generic 65 W TDP, 43 % load", low_w: 14, high_w: 55.8, marginal_w: 17.9, marginal_psu: null, at_ms: 0 },
    source: "model: unknown CPU, generic 65 W TDP, 43 % load",
    baseline: { state: "ready", watts: 10, kind: "model", source: "model: unknown CPU, generic 65 W TDP", measured_at_ms: 0, samples: 30, need: 30, collecting: 0 },
    today: { ...e.today, kwh: 1, marginal_kwh: 0.6, marginal_coverage: 1, cost: 0.3, marginal_cost: 0.18, cost_coverage: 1, covered_secs: 3600, provenance: "estimated", kinds: ["model"] },
    tariff: "flat 0.3 EUR/kWh (your setting)",
    net: { basis: "marginal", basis_reason: null, cost: 0.18, lines: [], unpriced: [], simulated_net: -0.18, unavailable: null },
  };
}

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
    for (const id of ["power", "kwh", "cost", "net", "baseline", "hpj", "break-even", "period-today", "period-week", "period-all"]) {
      const text = byTestId(el, id).textContent ?? "";
      expect(text, id).toContain("not available");
      expect(text, id).not.toMatch(/(^|\D)0([.,]0+)?\s*(W|kWh|H\/J|g)|€0\.00/);
    }
    expect(byTestId(el, "energy-why").textContent).toContain("no power source is measured on this computer yet");
    expect(byTestId(el, "net").textContent).toContain("no power was measured or estimated today");
  });

  it("shows power with its unit, what it covers, its band and that it is estimated", () => {
    const { el } = mountWith(<EnergyCard energy={estimated()} settings={DEFAULT_SETTINGS} simulated={true} onSettings={() => {}} />);
    const power = byTestId(el, "power").textContent ?? "";
    expect(power).toContain("28\u00a0W");
    expect(power).toContain("estimated");
    expect(power).toContain("CPU only, estimated from its power limit and load");
    expect(power).toContain("likely 14\u00a0W to 56\u00a0W");
    expect(power).toContain("18\u00a0W above idle");
    expect(byTestId(el, "kwh").textContent).toContain("0.6\u00a0kWh of it above idle");
    expect(byTestId(el, "baseline").textContent).toContain("10\u00a0W");
    expect(el.querySelector("[data-testid=energy-why]")).toBeNull();
  });

  it("gives the net on its stated basis; simulated rewards count as zero", () => {
    expect(netOf(estimated().net)).toEqual({ kind: "value", value: -0.18, simulatedZero: true });
    expect(netOf(energyNa.net)).toEqual({ kind: "na", code: "no-power" });
    expect(netOf({ ...estimated().net, simulated_net: null, unavailable: "no-price" })).toEqual({ kind: "na", code: "no-price" });
    const { el } = mountWith(<EnergyCard energy={estimated()} settings={DEFAULT_SETTINGS} simulated={true} onSettings={() => {}} />);
    const net = byTestId(el, "net").textContent ?? "";
    expect(net).toContain("-€0.18");
    expect(net).toContain("simulated");
    expect(net).toContain("on the marginal cost: only what the node adds above the idle baseline");
    // A real node without a coin price: no net, and the reason says why.
    const real = { ...estimated(), net: { ...estimated().net, simulated_net: null, unavailable: "no-price" } };
    const { el: el2 } = mountWith(<EnergyCard energy={real} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />);
    expect(byTestId(el2, "net").textContent).toContain("the rewards have no price in EUR yet");
  });

  it("explains the RAPL permission with the commands to run once, and never asks for root itself", () => {
    const e = { ...energyNa, permission: { what: "CPU package power", how: "…", commands: ["sudo chmod 0444 /sys/class/powercap/intel-rapl:*/energy_uj", "echo 'SUBSYSTEM==…' | sudo tee /etc/udev/rules.d/70-lightrig-rapl.rules"] } };
    const { el } = mountWith(<EnergyCard energy={e} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />);
    const hint = byTestId(el, "energy-permission");
    expect(hint.querySelectorAll("pre code")).toHaveLength(2);
    expect(hint.textContent).toContain("Lightrig never asks for root");
    expect(hint.textContent).toContain("PLATYPUS");
    const { el: zh } = mountWith(<EnergyCard energy={e} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />, { locale: "zh-CN" });
    expect(byTestId(zh, "energy-permission").textContent).toContain("用测量代替估算");
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
    cpu_heat: null,
    gpu_temp_c: null,
    gpu_heat: null,
    unread_sensors: [],
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

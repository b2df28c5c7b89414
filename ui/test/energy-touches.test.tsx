// Finishing touches on the energy screens: the marginal power says when it was turned into wall
// power through the power supply's efficiency, and GPU temperatures carry a heat word (from the
// engine's GPU limits) as the CPU's does (from the CPU limits).
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView, NodeStatus, TelemetrySample } from "../src/bindings";
import { DEFAULT_SETTINGS, energyNotAvailable, sample } from "../src/backend/mock-data";
import { EnergyCard } from "../src/screens/dashboard/EnergyCard";
import { MachineCard } from "../src/screens/dashboard/MachineCard";
import { byTestId, mountWith } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

function withPower(kind: string, psu: number | null): EnergyView {
  const e = energyNotAvailable("EUR");
  return { ...e, power: { watts: 40, kind, provenance: "measured", source: "RAPL package-0", low_w: null, high_w: null, marginal_w: 30, marginal_psu: psu, at_ms: 0 } };
}

describe("the marginal power detail", () => {
  it("names the power supply efficiency a CPU package difference was divided by", () => {
    const { el } = mountWith(<EnergyCard energy={withPower("cpu-package", 0.9)} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />);
    expect(byTestId(el, "power").textContent).toContain("30\u00a0W above idle, at the wall (÷ 0.9 power supply efficiency)");
  });

  it("says nothing of the supply for a wall reading, and speaks Chinese", () => {
    const { el } = mountWith(<EnergyCard energy={withPower("wall", null)} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />);
    const text = byTestId(el, "power").textContent ?? "";
    expect(text).toContain("30\u00a0W above idle");
    expect(text).not.toContain("power supply");
    const zh = mountWith(<EnergyCard energy={withPower("model", 0.85)} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />, { locale: "zh-CN" });
    expect(byTestId(zh.el, "power").textContent).toContain("电源效率 0.85");
  });
});

describe("heat words on the machine card", () => {
  const node: NodeStatus = { node_id: "practice", profile_name: "Practice", simulated: true, state: { kind: "running", since_ms: 0 }, pid: 1, restarts: 0, metrics: null, metrics_error: null, updated_ms: 0 };
  const tel = (over: Partial<TelemetrySample>): TelemetrySample => ({ ...sample(0, true, 0), ...over });

  it("shows the hottest GPU with the engine's heat word, and each sensor's in the list", () => {
    const t = tel({
      temperatures: [
        { label: "k10temp Tctl", celsius: 80, heat: "warm" },
        { label: "GPU NVIDIA GeForce RTX 3060", celsius: 84, heat: "hot" },
        { label: "nvme Composite", celsius: 45, heat: null },
      ],
      cpu_temp_c: 80,
      cpu_heat: "warm",
      gpu_temp_c: 84,
      gpu_heat: "hot",
    });
    const { el } = mountWith(<MachineCard telemetry={t} node={node} />);
    expect(byTestId(el, "cpu-heat").textContent).toBe("warm");
    expect(byTestId(el, "gpu-temp").textContent).toContain("84");
    const gpu = byTestId(el, "gpu-heat");
    expect(gpu.textContent).toContain("hot: the part may slow itself down");
    expect(gpu.className).toContain("text-bad");
    const items = [...el.querySelectorAll(".sensors li")].map((li) => li.textContent ?? "");
    expect(items.find((i) => i.startsWith("GPU NVIDIA"))).toContain("· hot");
    expect(items.find((i) => i.startsWith("nvme"))).not.toContain("·");
  });

  it("has no GPU line on a machine without a GPU sensor, and no heat word without a figure", () => {
    const t = tel({ temperatures: [], cpu_temp_c: null, cpu_heat: null, gpu_temp_c: null, gpu_heat: null, unread_sensors: [] });
    const { el } = mountWith(<MachineCard telemetry={t} node={node} />, { locale: "zh-CN" });
    expect(el.querySelector("[data-testid=gpu-temp]")).toBeNull();
    expect(el.querySelector("[data-testid=cpu-heat]")).toBeNull();
  });

  it("speaks Chinese", () => {
    const { el } = mountWith(<MachineCard telemetry={tel({ gpu_temp_c: 91, gpu_heat: "critical" })} node={node} />, { locale: "zh-CN" });
    expect(byTestId(el, "gpu-temp").textContent).toContain("GPU 温度");
    expect(byTestId(el, "gpu-heat").textContent).toContain("危险");
  });
});

// GPUs on the dashboard: the power line says "CPU + GPU" only when the engine added the GPU to a
// CPU package or model reading, with the GPU figure in its detail line; a whole-machine reading
// (wall, battery) already holds the GPU and keeps its plain label. GPU temperatures are listed
// with the machine's other sensors, and one that cannot be read says "not available", never 0 °C.
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView, NodeStatus, TelemetrySample } from "../src/bindings";
import { DEFAULT_SETTINGS, energyNotAvailable, sample } from "../src/backend/mock-data";
import { EnergyCard } from "../src/screens/dashboard/EnergyCard";
import { MachineCard } from "../src/screens/dashboard/MachineCard";
import { watts } from "../src/lib/format";
import { byTestId, mountWith } from "./helpers";

const W120 = watts("en", 120);

afterEach(() => {
  document.body.innerHTML = "";
});

const SOURCE = "RAPL package-0 (intel-rapl:0) + NVIDIA GeForce RTX 3060 (NVML)";

function energy(kind: string, share: string | null, watts: number): EnergyView {
  return {
    ...energyNotAvailable("EUR"),
    power: { watts, kind, provenance: "measured", source: SOURCE, low_w: null, high_w: null, marginal_w: null, marginal_psu: null, at_ms: 0 },
    source: SOURCE,
    gpu_w: share ? 120 : null,
    gpu_source: share ? "NVIDIA GeForce RTX 3060 (NVML)" : null,
    gpu_share: share,
  };
}

function powerText(e: EnergyView, locale: "en" | "zh-CN" = "en"): string {
  const { el } = mountWith(<EnergyCard energy={e} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />, { locale });
  return byTestId(el, "power").textContent ?? "";
}

describe("GPU power on the energy card", () => {
  it("labels a CPU + GPU sum and names the GPU part", () => {
    const text = powerText(energy("cpu-package", "added", 185.5));
    expect(text).toContain("Power draw, CPU + GPU");
    expect(text).toContain(`of which graphics card ${W120} (NVIDIA GeForce RTX 3060 (NVML))`);
    expect(powerText(energy("cpu-package", "added", 185.5), "zh-CN")).toContain("功率（CPU + GPU）");
  });

  it("keeps the plain label when the reading already holds the GPU", () => {
    const text = powerText(energy("wall", "inside", 210));
    expect(text).not.toContain("CPU + GPU");
    expect(text).toContain(`graphics card ${W120} (NVIDIA GeForce RTX 3060 (NVML)), already included`);
  });

  it("says nothing about a GPU when none answers", () => {
    const text = powerText(energy("cpu-package", null, 65));
    expect(text).not.toContain("CPU + GPU");
    expect(text).not.toContain("graphics card");
  });
});

describe("GPU temperatures on the machine card", () => {
  const node: NodeStatus = { node_id: "practice", profile_name: "Practice", simulated: true, state: { kind: "running", since_ms: 0 }, pid: 1, restarts: 0, metrics: null, metrics_error: null, updated_ms: 0 };

  it("lists readable GPU sensors with the others and an unreadable one as not available", () => {
    const tel: TelemetrySample = {
      ...sample(0, true, 0),
      temperatures: [
        { label: "k10temp Tctl", celsius: 61.5, heat: "normal" },
        { label: "GPU NVIDIA GeForce RTX 3060", celsius: 64, heat: "normal" },
      ],
      unread_sensors: ["GPU amdgpu junction"],
    };
    const { el } = mountWith(<MachineCard telemetry={tel} node={node} />);
    const sensors = el.querySelector(".sensors")?.textContent ?? "";
    expect(sensors).toContain("All temperature sensors (3)");
    expect(sensors).toContain("GPU NVIDIA GeForce RTX 3060: 64");
    expect(sensors).toContain("GPU amdgpu junction: not available");
    expect(sensors).not.toMatch(/junction: 0/);
  });
});

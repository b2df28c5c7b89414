// The store decides how often the window repaints: every sample while a node works, at most
// every IDLE_SAMPLE_MS while nothing runs, and never while the window is hidden.
import { afterEach, describe, expect, it } from "vitest";
import type { TelemetrySample } from "../src/bindings";
import { MockBackend } from "../src/backend/mock";
import { AppStore, IDLE_SAMPLE_MS } from "../src/state/store";

function setHidden(hidden: boolean) {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") });
  document.dispatchEvent(new Event("visibilitychange"));
}

async function storeFor(scenario: "running" | "stopped") {
  let now = 1_000_000;
  const mock = new MockBackend({ scenario });
  const store = new AppStore(mock, () => now);
  await store.init();
  let renders = 0;
  store.subscribe(() => renders++);
  const sample = (cpu: number) => {
    const base = mock.snap.telemetry as TelemetrySample;
    mock.emit({ event: "telemetry://sample", payload: { ...base, cpu_percent: cpu } });
  };
  return { store, mock, sample, advance: (ms: number) => (now += ms), renders: () => renders };
}

const cpu = (s: AppStore) => s.get().snapshot?.telemetry?.cpu_percent;

describe("telemetry pacing", () => {
  afterEach(() => setHidden(false));

  it("shows every sample while the node works", async () => {
    const t = await storeFor("running");
    for (let i = 1; i <= 5; i++) {
      t.advance(1000);
      t.sample(i);
    }
    expect(t.renders()).toBe(5);
    expect(cpu(t.store)).toBe(5);
  });

  it("repaints an idle machine at most every IDLE_SAMPLE_MS, and the newest sample wins", async () => {
    const t = await storeFor("stopped");
    t.sample(1); // first sample after loading is shown at once
    for (let i = 2; i <= 4; i++) {
      t.advance(1000);
      t.sample(i);
    }
    expect(t.renders()).toBe(1);
    expect(cpu(t.store)).toBe(1);
    t.advance(IDLE_SAMPLE_MS);
    t.sample(9);
    expect(t.renders()).toBe(2);
    expect(cpu(t.store)).toBe(9);
  });

  it("shows the held sample as soon as the node starts working", async () => {
    const t = await storeFor("stopped");
    t.sample(1);
    t.advance(1000);
    t.sample(2);
    expect(cpu(t.store)).toBe(1);
    const node = t.mock.snap.node;
    t.mock.emit({ event: "node://status", payload: { ...node, state: { kind: "running", since_ms: 0 } } });
    expect(cpu(t.store)).toBe(2);
  });

  it("paints nothing while the window is hidden, then catches up when it is shown", async () => {
    const t = await storeFor("running");
    setHidden(true);
    for (let i = 1; i <= 3; i++) {
      t.advance(1000);
      t.sample(i);
    }
    expect(t.renders()).toBe(0);
    setHidden(false);
    expect(t.renders()).toBe(1);
    expect(cpu(t.store)).toBe(3);
  });
});

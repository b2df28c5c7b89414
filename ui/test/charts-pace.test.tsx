// The 10-minute chart refreshes every 5 s while a node works and every 30 s while none does.
import { afterEach, describe, expect, it, vi } from "vitest";
import { act } from "preact/test-utils";
import { MockBackend } from "../src/backend/mock";
import { ChartsCard, IDLE_REFRESH_MS, REFRESH_MS } from "../src/screens/dashboard/ChartsCard";
import { mountWith } from "./helpers";

afterEach(() => vi.useRealTimers());

async function seriesCallsOver(working: boolean, ms: number): Promise<number> {
  vi.useFakeTimers();
  const mock = new MockBackend({ scenario: "running" });
  const r = mountWith(<ChartsCard cores={2} theme="light" working={working} />, { mock });
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
  r.unmount();
  return mock.calls.filter((c) => c.method === "series").length;
}

describe("chart pacing", () => {
  it("follows a working node every 5 s and an idle machine every 30 s", async () => {
    expect(REFRESH_MS["10m"]).toBe(5_000);
    const busy = await seriesCallsOver(true, 60_000);
    const idle = await seriesCallsOver(false, 60_000);
    expect(busy).toBe(1 + 60_000 / 5_000);
    expect(idle).toBe(1 + 60_000 / IDLE_REFRESH_MS);
  });
});

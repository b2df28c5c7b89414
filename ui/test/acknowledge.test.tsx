// Where the note for a real node's activity is restricted or prohibited, Start needs the
// user's acknowledgement of that note version first; the practice node never does.
import { afterEach, describe, expect, it } from "vitest";
import { App } from "../src/App";
import { MockBackend } from "../src/backend/mock";
import { XMRIG } from "../src/backend/mock-data";
import { AppStore } from "../src/state/store";
import { byTestId, click, flush, mount } from "./helpers";

const text = (el: Element) => el.textContent ?? "";
let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

async function restrictedApp(real: boolean) {
  const mock = new MockBackend({ scenario: "restricted" });
  if (real) mock.snap.profile = structuredClone(XMRIG);
  mock.snap.node = { ...mock.snap.node, simulated: !real, state: { kind: "stopped", reason: "stopped by you" }, pid: null, metrics: null };
  window.history.replaceState(null, "", "/");
  const r = mount(<App store={new AppStore(mock)} />);
  cleanup = r.unmount;
  await flush();
  return { ...r, mock };
}

describe("acknowledging a restrictive note", () => {
  it("refuses Start until the note is acknowledged, then records it and starts", async () => {
    const { el, mock } = await restrictedApp(true);
    const ack = byTestId(el, "comp-ack");
    expect((byTestId(ack, "comp-ack-button") as HTMLButtonElement).disabled).toBe(true);

    await click(byTestId(el, "primary-action"));
    expect(mock.calls.filter((c) => c.method === "start")).toHaveLength(1);
    expect(text(el)).toContain("acknowledge it before starting");
    expect(text(byTestId(el, "node-state"))).not.toContain("运行中");

    await click(byTestId(ack, "comp-ack-check"));
    await click(byTestId(ack, "comp-ack-button"));
    expect(mock.calls.find((c) => c.method === "acknowledge")?.args).toEqual([2]);
    expect(el.querySelector("[data-testid=comp-ack]")).toBeNull();
    expect(byTestId(el, "comp-acked")).toBeTruthy();

    await click(byTestId(el, "primary-action"));
    await flush();
    expect(mock.calls.filter((c) => c.method === "start")).toHaveLength(2);
    expect(mock.snap.node.state.kind).not.toBe("stopped");
  });

  it("never asks for the practice node, which earns nothing and connects nowhere", async () => {
    const { el } = await restrictedApp(false);
    expect(el.querySelector("[data-testid=comp-ack]")).toBeNull();
  });
});

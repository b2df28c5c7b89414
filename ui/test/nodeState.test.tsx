import { afterEach, describe, expect, it, vi } from "vitest";
import type { NodeState, NodeStatus } from "../src/bindings";
import { makeI18n } from "../src/i18n";
import { describeState, secondsLeft, stateLine } from "../src/state/nodeState";
import { NodeCard } from "../src/screens/dashboard/NodeCard";
import { byTestId, flush, mountWith } from "./helpers";
import { act } from "preact/test-utils";

const en = makeI18n("en");
const zh = makeI18n("zh-CN");
const NOW = 1_800_000_000_000;

const states: Record<NodeState["kind"], NodeState> = {
  stopped: { kind: "stopped", reason: "stopped by you" },
  starting: { kind: "starting", since_ms: NOW - 500, attempt: 1 },
  running: { kind: "running", since_ms: NOW - 3_723_000 },
  paused: { kind: "paused", since_ms: NOW - 1000, reason: "on battery" },
  stopping: { kind: "stopping", reason: "stopped by you" },
  backoff: { kind: "backoff", until_ms: NOW + 12_000, attempt: 3, reason: "exited with code 101" },
  failed: { kind: "failed", reason: "crashed 5 times in 10 minutes", exit: "exit code 101", last_lines: ["a", "error: port in use"] },
};

describe("describeState", () => {
  it("says each state honestly, with the right controls", () => {
    const v = (k: NodeState["kind"]) => describeState(states[k], NOW, en);
    expect(v("stopped")).toMatchObject({ title: "Stopped", primary: { action: "start", label: "Start" }, secondary: null, busy: false, tone: "idle" });
    expect(v("starting")).toMatchObject({ title: "Starting…", busy: true, attempt: null, primary: { action: "stop" } });
    expect(v("running")).toMatchObject({ title: "Running", tone: "ok", primary: { action: "stop", label: "Stop" }, secondary: { action: "pause", label: "Pause" } });
    expect(v("paused")).toMatchObject({ title: "Paused", reason: "on battery", secondary: { action: "resume", label: "Resume" } });
    expect(v("stopping")).toMatchObject({ title: "Stopping…", busy: true, primary: null });
    expect(v("backoff")).toMatchObject({ title: "Waiting to restart", countdown: "retry in 12 s", attempt: "attempt 3", reason: "exited with code 101", primary: { action: "stop" } });
    expect(v("failed")).toMatchObject({ title: "Failed", tone: "bad", reason: "crashed 5 times in 10 minutes", exit: "exit code 101", lastLines: ["a", "error: port in use"], primary: { action: "start", label: "Start again" } });
  });

  it("counts the backoff down from until_ms and never below zero", () => {
    expect(secondsLeft(NOW + 12_000, NOW)).toBe(12);
    expect(secondsLeft(NOW + 11_001, NOW)).toBe(12);
    expect(secondsLeft(NOW + 11_000, NOW)).toBe(11);
    expect(secondsLeft(NOW - 5_000, NOW)).toBe(0);
    expect(describeState(states.backoff, NOW + 7_000, en).countdown).toBe("retry in 5 s");
    expect(describeState(states.backoff, NOW + 20_000, en).countdown).toBe("retrying now…");
    expect(describeState(states.backoff, NOW, zh).countdown).toBe("12 秒后重试");
  });

  it("shows an attempt number only after the first start attempt", () => {
    expect(describeState({ kind: "starting", since_ms: NOW, attempt: 2 }, NOW, en).attempt).toBe("attempt 2");
  });

  it("makes one line for the rail", () => {
    expect(stateLine(describeState(states.paused, NOW, en))).toBe("Paused — on battery");
    expect(stateLine(describeState(states.backoff, NOW, en))).toBe("Waiting to restart — retry in 12 s");
    expect(stateLine(describeState(states.running, NOW, en))).toBe("Running");
  });
});

function status(state: NodeState): NodeStatus {
  return { node_id: "practice", profile_name: "Practice node", simulated: true, state, pid: null, restarts: 2, metrics: null, metrics_error: null, updated_ms: NOW };
}

describe("the node card", () => {
  afterEach(() => {
    vi.useRealTimers();
    document.body.innerHTML = "";
  });

  it("counts the backoff down live, second by second", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    vi.setSystemTime(NOW);
    const { el } = mountWith(<NodeCard node={status(states.backoff)} onGo={() => {}} />);
    expect(byTestId(el, "node-state").textContent).toContain("Waiting to restart — exited with code 101");
    expect(byTestId(el, "countdown").textContent).toBe("retry in 12 s · attempt 3");
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(byTestId(el, "countdown").textContent).toBe("retry in 9 s · attempt 3");
    expect(byTestId(el, "primary-action").textContent).toBe("Stop retrying");
  });

  it("shows failed with the reason, the exit and the node's last lines", () => {
    const { el } = mountWith(<NodeCard node={status(states.failed)} onGo={() => {}} />);
    expect(byTestId(el, "node-state").textContent).toContain("Failed — crashed 5 times in 10 minutes");
    const box = byTestId(el, "failed");
    expect(box.textContent).toContain("Exit: exit code 101");
    expect(box.querySelector("pre")?.textContent).toBe("a\nerror: port in use");
    expect(byTestId(el, "primary-action").textContent).toBe("Start again");
  });

  it("disables the control while stopping and offers no second action", () => {
    const { el } = mountWith(<NodeCard node={status(states.stopping)} onGo={() => {}} />);
    expect((byTestId(el, "primary-action") as HTMLButtonElement).disabled).toBe(true);
    expect(el.querySelector('[data-testid="secondary-action"]')).toBeNull();
  });

  it("says why the work rate is missing instead of showing 0", () => {
    const { el } = mountWith(<NodeCard node={status(states.stopped)} onGo={() => {}} />);
    expect(byTestId(el, "work-rate").textContent).toContain("not available: the node is not running");
    expect(byTestId(el, "work-rate").textContent).not.toMatch(/\b0\s*H\/s/);
  });

  it("shows a failed action's message", async () => {
    const { el, mock } = mountWith(<NodeCard node={status(states.stopped)} onGo={() => {}} />);
    mock.failNext("start", { code: "node.program_missing", message: "The practice node program is missing: reinstall Lightrig." });
    await act(async () => byTestId(el, "primary-action").click());
    await flush();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain("Start did not work: The practice node program is missing: reinstall Lightrig.");
  });
});

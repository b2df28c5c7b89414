// How each NodeState is shown: what the big control says and does, honestly. Pure, so every
// state (and the backoff countdown) is unit-tested.
import type { NodeState } from "../bindings";
import type { I18n } from "../i18n";

export type Tone = "idle" | "busy" | "ok" | "warn" | "bad";
export type NodeAction = "start" | "stop" | "pause" | "resume";

export interface StateView {
  kind: NodeState["kind"];
  tone: Tone;
  /** "Running", "Paused", "Waiting to restart"... */
  title: string;
  /** The engine's reason, shown after the title ("Paused — CPU at 91 °C"). */
  reason: string | null;
  /** "retry in 12 s" while backing off. */
  countdown: string | null;
  /** "attempt 3" when not the first. */
  attempt: string | null;
  exit: string | null;
  lastLines: string[] | null;
  primary: { action: NodeAction; label: string } | null;
  secondary: { action: NodeAction; label: string } | null;
  /** A transition is under way: the control shows a spinner and waits. */
  busy: boolean;
}

export function secondsLeft(untilMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
}

export function describeState(state: NodeState, nowMs: number, { t }: Pick<I18n, "t">): StateView {
  const base = { kind: state.kind, reason: null, countdown: null, attempt: null, exit: null, lastLines: null, secondary: null, busy: false };
  const reason = (r: string) => (r.trim() === "" ? null : r);
  switch (state.kind) {
    case "stopped":
      return { ...base, tone: "idle", title: t("state.stopped"), reason: reason(state.reason), primary: { action: "start", label: t("action.start") } };
    case "starting":
      return {
        ...base,
        tone: "busy",
        busy: true,
        title: t("state.starting"),
        attempt: state.attempt > 1 ? t("state.attempt", { n: state.attempt }) : null,
        primary: { action: "stop", label: t("action.cancelStart") },
      };
    case "running":
      return {
        ...base,
        tone: "ok",
        title: t("state.running"),
        primary: { action: "stop", label: t("action.stop") },
        secondary: { action: "pause", label: t("action.pause") },
      };
    case "paused":
      return {
        ...base,
        tone: "warn",
        title: t("state.paused"),
        reason: reason(state.reason),
        primary: { action: "stop", label: t("action.stop") },
        secondary: { action: "resume", label: t("action.resume") },
      };
    case "stopping":
      return { ...base, tone: "busy", busy: true, title: t("state.stopping"), reason: reason(state.reason), primary: null };
    case "backoff": {
      const s = secondsLeft(state.until_ms, nowMs);
      return {
        ...base,
        tone: "warn",
        title: t("state.backoff"),
        reason: reason(state.reason),
        countdown: s > 0 ? t("state.retryIn", { s }) : t("state.retryNow"),
        attempt: t("state.attempt", { n: state.attempt }),
        primary: { action: "stop", label: t("action.stopRetrying") },
      };
    }
    case "failed":
      return {
        ...base,
        tone: "bad",
        title: t("state.failed"),
        reason: reason(state.reason),
        exit: state.exit,
        lastLines: state.last_lines,
        primary: { action: "start", label: t("action.startAgain") },
      };
  }
}

/** One line for the rail and the window: "Running", "Paused — reason", "Waiting to restart — retry in 12 s". */
export function stateLine(v: StateView): string {
  const tail = v.countdown ?? v.reason;
  return tail ? `${v.title} — ${tail}` : v.title;
}

// Earnings as the screens show them: one line per asset and state, in a fixed order, and
// never a total across states (estimated, pending and paid are different things).
import type { NetLine, NetView, RewardLine } from "../bindings";

export const REWARD_STATES = ["estimated", "pending", "paid"] as const;
export type RewardState = (typeof REWARD_STATES)[number];

export function isRewardState(s: string): s is RewardState {
  return (REWARD_STATES as readonly string[]).includes(s);
}

/**
 * Orders the lines estimated → pending → paid, then by asset. Lines are kept as they came:
 * two lines of the same asset and state (one simulated, one not) stay two lines.
 */
export function orderLines(lines: readonly RewardLine[]): RewardLine[] {
  const rank = (s: string) => (isRewardState(s) ? REWARD_STATES.indexOf(s) : REWARD_STATES.length);
  return [...lines].sort((a, b) => rank(a.state) - rank(b.state) || a.asset.localeCompare(b.asset) || Number(a.simulated) - Number(b.simulated));
}

export type Net =
  | { kind: "value"; value: number; simulatedZero: boolean }
  | { kind: "lines"; lines: NetLine[] }
  | { kind: "na"; code: string };

/**
 * Today's net as the engine computed it: per reward state where the rewards have a price
 * (never one total across states), minus the cost for simulated rewards (they count as zero),
 * or "not available" with the engine's reason code (no-power, no-tariff, no-price).
 */
export function netOf(net: NetView): Net {
  if (net.simulated_net !== null) return { kind: "value", value: net.simulated_net, simulatedZero: true };
  if (net.lines.length > 0) return { kind: "lines", lines: net.lines };
  return { kind: "na", code: net.unavailable ?? "no-power" };
}

/** "not available: <reason>" strings from the engine already start with the words; keep the reason only. */
export function reasonOf(source: string): string {
  return source.replace(/^not available:\s*/i, "");
}

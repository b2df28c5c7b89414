// Earnings as the screens show them: one line per asset and state, in a fixed order, and
// never a total across states (estimated, pending and paid are different things).
import type { EnergyView, RewardLine } from "../bindings";

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
  | { kind: "na"; reason: string };

/**
 * Net result today = yield − electricity cost, with its sign. Today the engine has no cost
 * (nulls) and no market price for rewards, so this is usually "not available" with the
 * engine's reason; simulated rewards count as zero yield, so the net is minus the cost.
 */
export function netToday(energy: EnergyView, simulated: boolean, yieldValue: number | null, noPriceReason: string): Net {
  if (energy.cost_today === null) return { kind: "na", reason: energy.source };
  if (simulated) return { kind: "value", value: -energy.cost_today, simulatedZero: true };
  if (yieldValue === null) return { kind: "na", reason: noPriceReason };
  return { kind: "value", value: yieldValue - energy.cost_today, simulatedZero: false };
}

/** "not available: <reason>" strings from the engine already start with the words; keep the reason only. */
export function reasonOf(source: string): string {
  return source.replace(/^not available:\s*/i, "");
}

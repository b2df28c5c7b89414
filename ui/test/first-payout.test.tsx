// The expected wait for the first payout on the energy card: the average in one readable unit
// with its 90 % range, what ends the wait (a block, or a share in P2Pool's window), and
// "not available" with the engine's reason when it cannot be known, never 0.
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView } from "../src/bindings";
import { DEFAULT_SETTINGS, energyNotAvailable, FIRST_PAYOUT_P2POOL } from "../src/backend/mock-data";
import { makeI18n } from "../src/i18n";
import { EnergyCard, waitText } from "../src/screens/dashboard/EnergyCard";
import { byTestId, mountWith } from "./helpers";

afterEach(() => {
  document.body.innerHTML = "";
});

function card(firstPayout: EnergyView["first_payout"], locale: "en" | "zh-CN" = "en") {
  const energy: EnergyView = { ...energyNotAvailable("EUR"), first_payout: firstPayout };
  const { el } = mountWith(<EnergyCard energy={energy} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />, { locale });
  return byTestId(el, "first-payout").textContent ?? "";
}

describe("the wait for the first payout", () => {
  it("reads in the one unit that fits, hand-computed", () => {
    const { t } = makeI18n("en");
    const w = (s: number) => waitText(t, "en", s);
    expect(w(45)).toBe("45 seconds");
    expect(w(600)).toBe("10 minutes");
    // P2Pool at 10 kH/s, side-chain difficulty 3·10⁹: 3·10⁵ s, 90 % between 15,388 s and 898,720 s.
    expect(w(300_000)).toBe("3.5 days");
    expect(w(15_388)).toBe("4.3 hours");
    expect(w(898_720)).toBe("10 days");
    // Solo at 10 kH/s against difficulty 3·10¹¹: 3·10⁷ s; its 95th percentile ln(20) × that.
    expect(w(3e7)).toBe("347 days");
    expect(w(3e7 * Math.log(20))).toBe("2.8 years");
    const zh = makeI18n("zh-CN");
    expect(waitText(zh.t, "zh-CN", 300_000)).toBe("3.5 天");
  });

  it("shows the average, the 90 % range and what ends the wait", () => {
    const text = card(FIRST_PAYOUT_P2POOL);
    expect(text).toContain("First payout");
    expect(text).toContain("about 3.5 days");
    expect(text).toContain("4.3 hours to 10 days, 90 % range");
    expect(text).toContain("first share in P2Pool's window");
    const solo = card({ event: "block", expected_secs: 3e7, p5_secs: 3e7 * -Math.log(0.95), p95_secs: 3e7 * Math.log(20), source: "network difficulty 3.0000e11 ÷ 10000 H/s", unavailable: null });
    expect(solo).toContain("about 347 days");
    expect(solo).toContain("18 days to 2.8 years");
    expect(solo).toContain("first block found");
  });

  it("says not available with the reason, never a wait of 0", () => {
    const na = { event: null, expected_secs: null, p5_secs: null, p95_secs: null, source: null };
    const stopped = card({ ...na, unavailable: "no-work-rate" });
    expect(stopped).toContain("not available");
    expect(stopped).toContain("needs the node running and reporting its hash rate");
    expect(stopped).not.toMatch(/\b0\b/);
    expect(card({ ...na, unavailable: "pool-threshold" })).toContain("your pool's payout threshold decides it");
    expect(card({ ...na, unavailable: "pool-threshold" }, "zh-CN")).toContain("起付额");
    expect(card({ ...na, unavailable: "not-mining" })).toContain("paid per period");
  });
});

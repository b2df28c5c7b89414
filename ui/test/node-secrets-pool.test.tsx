// A node password shows only as "saved in your keychain" (never as text) and is sent only when
// typed; P2Pool's pool figures show with their units, and "not available" when missing.
import { useState } from "preact/hooks";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { FieldView, PoolInfo } from "../src/bindings";
import { makeI18n } from "../src/i18n";
import { checkField, type Draft, draftOf, valuesOf } from "../src/lib/validate";
import { FieldInput } from "../src/screens/FieldInput";
import { PoolMetrics } from "../src/screens/dashboard/PoolMetrics";
import { button, byTestId, mountWith } from "./helpers";

const en = makeI18n("en");
const password: FieldView = { name: "api_password", kind: "password", label: "Node password", help: null, required: false, min: null, max: null, choices: [], default: null };

afterEach(() => {
  document.body.innerHTML = "";
});

describe("password fields", () => {
  it("keeps the saved password unless a new one is typed, and sends it untrimmed", () => {
    expect(draftOf(password, true)).toBe(true);
    expect(draftOf(password, undefined)).toBe("");
    expect(valuesOf([password], { api_password: true })).toEqual({ api_password: true });
    expect(valuesOf([password], { api_password: " new pw " })).toEqual({ api_password: " new pw " });
    expect(valuesOf([password], { api_password: "" })).toEqual({});
    expect(checkField({ ...password, required: true }, "", en)).toBe("This is required.");
    expect(checkField({ ...password, required: true }, true, en)).toBeNull();
  });

  it("shows a saved password as saved, with Replace, and never as text", () => {
    const sent: Draft[] = [];
    function Form() {
      const [v, setV] = useState<Draft>(true);
      return <FieldInput field={password} value={v} error={null} idPrefix="t" onChange={(x) => { sent.push(x); setV(x); }} />;
    }
    const { el } = mountWith(<Form />);
    const box = byTestId(el, "password-api_password");
    expect(box.textContent).toContain("Saved in your keychain");
    expect(box.querySelector("input")).toBeNull();
    act(() => button(el, "Replace").click());
    const input = box.querySelector<HTMLInputElement>("input")!;
    expect(input.type).toBe("password");
    expect(input.value).toBe("");
    act(() => button(el, "Keep the saved one").click());
    expect(box.textContent).toContain("Saved in your keychain");
    expect(sent).toEqual(["", true]);
  });

  it("asks for a password when none is saved", () => {
    const { el } = mountWith(<FieldInput field={password} value="" error={null} idPrefix="t" onChange={() => {}} />);
    expect(el.textContent).not.toContain("Saved in your keychain");
    expect(el.querySelector<HTMLInputElement>("input")!.type).toBe("password");
    expect(el.textContent).toContain("never in its settings file");
  });
});

describe("P2Pool figures", () => {
  const full: PoolInfo = {
    asset: "XMR",
    share_difficulty: 53_824_120,
    window_size: 2160,
    window_share_percent: 0.0213,
    window_shares_estimate: 0.46,
    expected_share_secs: 12_011,
    payout_per_block_atomic: 129_365_580,
    pool_rate: { value: 5_382_412, unit: "H/s" },
  };

  it("shows the window, time to a share and payout with units", () => {
    const { el } = mountWith(<PoolMetrics pool={full} />);
    expect(byTestId(el, "pool-window").textContent).toContain("0.0213%");
    expect(byTestId(el, "pool-window").textContent).toContain("about 0.5 of the window's 2,160 shares");
    expect(byTestId(el, "pool-share-time").textContent).toMatch(/3 h/);
    expect(byTestId(el, "pool-share-time").textContent).toContain("5.38\u00a0MH/s");
    expect(byTestId(el, "pool-payout").textContent).toContain("0.00012937\u00a0XMR");
  });

  it("says not available, never 0, for what P2Pool did not write", () => {
    const none: PoolInfo = { ...full, share_difficulty: null, window_size: null, window_shares_estimate: null, expected_share_secs: null, payout_per_block_atomic: null, pool_rate: null, window_share_percent: null };
    const { el } = mountWith(<PoolMetrics pool={none} />);
    for (const id of ["pool-window", "pool-share-time", "pool-payout"]) {
      const text = byTestId(el, id).textContent ?? "";
      expect(text).toContain("P2Pool has not written it");
      expect(text).not.toMatch(/\b0\b/);
    }
  });
});

// Records: the export form calls the backend with the chosen format and range, says where the
// file went, and refuses a reversed range before asking.
import { afterEach, describe, expect, it } from "vitest";
import { MockBackend } from "../src/backend/mock";
import { Records } from "../src/screens/Records";
import { byTestId, click, flush, mountWith } from "./helpers";

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

function setValue(el: HTMLInputElement | HTMLSelectElement, value: string, event: string) {
  el.value = value;
  el.dispatchEvent(new Event(event, { bubbles: true }));
}

describe("records export", () => {
  it("exports the chosen format and range and says where it was saved", async () => {
    const mock = new MockBackend({ scenario: "running" });
    const r = mountWith(<Records />, { mock });
    cleanup = r.unmount;
    setValue(r.el.querySelector<HTMLSelectElement>("#r-format")!, "koinly", "change");
    setValue(r.el.querySelector<HTMLInputElement>("#r-from")!, "2026-01-01", "input");
    setValue(r.el.querySelector<HTMLInputElement>("#r-to")!, "2026-06-30", "input");
    await flush();
    expect(r.el.textContent).toContain("Tax tools get paid rewards only");
    await click(byTestId(r.el, "records-export"));
    await flush();
    expect(mock.calls.find((c) => c.method === "exportRecords")?.args).toEqual([{ format: "koinly", from: "2026-01-01", to: "2026-06-30" }]);
    expect(byTestId(r.el, "records-done").textContent).toContain("lightrig-koinly-2026-01-01-to-2026-06-30.csv");
  });

  it("refuses a reversed range without calling the backend", async () => {
    const mock = new MockBackend({ scenario: "running" });
    const r = mountWith(<Records />, { mock, locale: "zh-CN" });
    cleanup = r.unmount;
    setValue(r.el.querySelector<HTMLInputElement>("#r-from")!, "2026-06-30", "input");
    setValue(r.el.querySelector<HTMLInputElement>("#r-to")!, "2026-01-01", "input");
    await flush();
    await click(byTestId(r.el, "records-export"));
    expect(mock.calls.some((c) => c.method === "exportRecords")).toBe(false);
    expect(r.el.querySelector("[role=alert]")?.textContent).toContain("请对调");
  });
});

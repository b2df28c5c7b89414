// Coin prices: the settings component shows each price with when it was set, says what the
// feed contacts and how often, shows the feed's last error, and puts the engine's errors at
// their field; the energy card shows each reward state valued on its own line (never a total)
// with the price's source and time, and the estimate's range.
import { afterEach, describe, expect, it } from "vitest";
import type { EnergyView, NetLine, PricesEdit } from "../src/bindings";
import { MockBackend } from "../src/backend/mock";
import { DEFAULT_SETTINGS, defaultPrices, energyNotAvailable } from "../src/backend/mock-data";
import { PriceSettings } from "../src/screens/PriceSettings";
import { EnergyCard } from "../src/screens/dashboard/EnergyCard";
import { byTestId, check, click, flush, mountWith, type } from "./helpers";

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

const SET_AT = Date.UTC(2026, 4, 1, 10, 0);

async function open(locale: "en" | "zh-CN" = "en") {
  const mock = new MockBackend({ scenario: "running" });
  mock.pricesData = defaultPrices("EUR");
  mock.pricesData.coins = [{ asset: "XMR", price: "151.2", currency: "EUR", set_at_ms: SET_AT }];
  const r = mountWith(<PriceSettings />, { mock, locale });
  cleanup = r.unmount;
  await flush();
  return r;
}

const input = (el: HTMLElement, id: string) => el.querySelector<HTMLInputElement>(`#${id}`) as HTMLInputElement;
const sent = (mock: MockBackend) => mock.calls.filter((c) => c.method === "savePrices").map((c) => c.args[0] as PricesEdit);

describe("the price settings", () => {
  it("shows each price with when it was set, and saves an added coin", async () => {
    const { el, mock } = await open();
    expect(input(el, "price-0-price").value).toBe("151.2");
    expect(byTestId(el, "price-set-0").textContent).toContain("set on");
    expect(byTestId(el, "price-set-0").textContent).toContain("2026");
    await click(byTestId(el, "price-add"));
    await type(input(el, "price-1-asset"), "myst");
    await type(input(el, "price-1-price"), "0.18");
    await click(byTestId(el, "prices-save"));
    const [edit] = sent(mock);
    expect(edit?.coins).toEqual([
      { asset: "XMR", price: "151.2" },
      { asset: "MYST", price: "0.18" },
    ]);
    expect(edit?.feed_enabled).toBe(false);
    expect(el.textContent).toContain("Saved.");
  });

  it("says what the feed contacts and how often, off by default", async () => {
    const { el, mock } = await open();
    const sentence = byTestId(el, "feed-sentence").textContent ?? "";
    expect(sentence).toContain("api.coingecko.com");
    expect(sentence).toContain("every 15 minutes");
    expect(sentence).toContain("MYST, STORJ, XMR");
    expect(sentence).toContain("EUR");
    expect(byTestId(el, "feed-status").textContent).toContain("nothing is fetched");
    await check(byTestId(el, "feed-on") as HTMLInputElement);
    await click(byTestId(el, "prices-save"));
    expect(sent(mock)[0]?.feed_enabled).toBe(true);
    expect(byTestId(el, "feed-status").textContent).toContain("Not fetched yet");
  });

  it("shows the feed's last error and the engine's field errors in place", async () => {
    const mock = new MockBackend({ scenario: "running" });
    mock.pricesData = defaultPrices("EUR");
    mock.pricesData.feed = { ...mock.pricesData.feed, enabled: true, running: true, last_error: "the price feed answered HTTP 429" };
    const r = mountWith(<PriceSettings />, { mock });
    cleanup = r.unmount;
    await flush();
    expect(byTestId(r.el, "feed-error").textContent).toContain("HTTP 429");
    await type(input(r.el, "feed-url"), "http://prices.example/p");
    await click(byTestId(r.el, "prices-save"));
    expect(byTestId(r.el, "err-feed_url").textContent).toContain("https");
    await click(byTestId(r.el, "price-add"));
    await type(input(r.el, "feed-url"), "https://prices.example/p");
    await type(input(r.el, "price-0-asset"), "XMR");
    await type(input(r.el, "price-0-price"), "-3");
    await click(byTestId(r.el, "prices-save"));
    expect(byTestId(r.el, "err-prices.XMR").textContent).toContain("is not a price");
  });

  it("has every string in Chinese too", async () => {
    const { el } = await open("zh-CN");
    expect(el.textContent).toContain("币价");
    expect(byTestId(el, "feed-sentence").textContent).toContain("api.coingecko.com");
  });
});

function line(state: string, over: Partial<NetLine> = {}): NetLine {
  return {
    state,
    asset: "XMR",
    basis: "node",
    amount: "0.001000000000",
    income: 0.15,
    income_low: null,
    income_high: null,
    net: 0.148,
    net_low: null,
    net_high: null,
    price: 150,
    price_source: "your setting",
    price_at_ms: SET_AT,
    source: "1 reward(s) the node recorded today",
    ...over,
  };
}

function valued(lines: NetLine[], unpriced: string[] = []): EnergyView {
  const e = energyNotAvailable("EUR");
  return {
    ...e,
    today: { ...e.today, kwh: 1 / 150, cost: 0.002, covered_secs: 600, provenance: "measured", kinds: ["cpu-package"] },
    net: { basis: "total", basis_reason: "no-baseline", cost: 0.002, lines, unpriced, simulated_net: null, unavailable: null },
    break_even_price: 135,
    break_even_unavailable: null,
  };
}

describe("the valued net on the energy card", () => {
  it("shows estimated, pending and paid apart with the price's source and time, never a total", () => {
    const lines = [
      line("estimated", { basis: "model", amount: "0.006000000000", income: 0.9, income_low: 0, income_high: 3.6, net: 0.898, price_source: "price feed (api.coingecko.com)" }),
      line("pending", { amount: "0.002000000000", income: 0.3, net: 0.298 }),
      line("paid"),
    ];
    const { el } = mountWith(<EnergyCard energy={valued(lines)} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />);
    cleanup = () => el.remove();
    const est = byTestId(el, "net-estimated").textContent ?? "";
    expect(est).toContain("Lightrig's estimate");
    expect(est).toContain("€0.90");
    expect(est).toMatch(/€0\.00.*€3\.60/);
    expect(byTestId(el, "net-estimated-price").textContent).toContain("price feed (api.coingecko.com)");
    expect(byTestId(el, "net-pending").textContent).toContain("+€0.298");
    const paid = byTestId(el, "net-paid").textContent ?? "";
    expect(paid).toContain("+€0.148");
    expect(byTestId(el, "net-paid-price").textContent).toContain("your setting");
    expect(byTestId(el, "net-paid-price").textContent).toContain("2026");
    // Never one figure across states: 0.15 + 0.30 + 0.90 = 1.35 appears nowhere.
    expect(el.textContent).not.toContain("1.35");
    expect(byTestId(el, "break-even").textContent).toContain("135");
  });

  it("names the coins that have no price instead of valuing them at 0", () => {
    const e = valued([], ["XMR"]);
    e.net.unavailable = "no-price";
    e.break_even_price = null;
    e.break_even_unavailable = "no-price";
    const { el } = mountWith(<EnergyCard energy={e} settings={DEFAULT_SETTINGS} simulated={false} onSettings={() => {}} />);
    cleanup = () => el.remove();
    expect(byTestId(el, "net-unpriced").textContent).toContain("XMR: no price in EUR");
    expect(byTestId(el, "break-even").textContent).toContain("Coin prices");
  });
});

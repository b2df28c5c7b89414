import { render } from "preact";
import { act } from "preact/test-utils";
import type { ComponentChildren } from "preact";
import { App } from "../src/App";
import { MockBackend, type MockScenario } from "../src/backend/mock";
import { I18nContext, makeI18n, type Locale } from "../src/i18n";
import { AppStore, StoreContext } from "../src/state/store";

export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) {
    await act(async () => {
      await new Promise((r) => setTimeout(r, 0));
    });
  }
}

export function mount(ui: ComponentChildren): { el: HTMLElement; unmount: () => void } {
  const el = document.createElement("div");
  document.body.appendChild(el);
  act(() => render(ui, el));
  return {
    el,
    unmount: () => {
      act(() => render(null, el));
      el.remove();
    },
  };
}

/** Renders a component with the i18n and store contexts a screen expects. */
export function mountWith(ui: ComponentChildren, opts: { locale?: Locale; mock?: MockBackend } = {}) {
  const mock = opts.mock ?? new MockBackend({ scenario: "running" });
  const store = new AppStore(mock);
  const r = mount(
    <StoreContext.Provider value={store}>
      <I18nContext.Provider value={makeI18n(opts.locale ?? "en")}>{ui}</I18nContext.Provider>
    </StoreContext.Provider>,
  );
  return { ...r, mock, store };
}

export async function mountApp(scenario: MockScenario = "running", route = "") {
  window.history.replaceState(null, "", `/${route}`);
  const mock = new MockBackend({ scenario });
  const store = new AppStore(mock);
  const r = mount(<App store={store} />);
  await flush();
  return { ...r, mock, store };
}

export function byTestId(el: ParentNode, id: string): HTMLElement {
  const found = el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`no element with data-testid=${id}`);
  return found;
}

export function button(el: ParentNode, text: string | RegExp): HTMLButtonElement {
  const all = [...el.querySelectorAll<HTMLButtonElement>("button")];
  const b = all.find((x) => (typeof text === "string" ? x.textContent?.trim() === text : text.test(x.textContent ?? "")));
  if (!b) throw new Error(`no button ${String(text)}; have: ${all.map((x) => x.textContent?.trim()).join(" | ")}`);
  return b;
}

export async function click(el: HTMLElement): Promise<void> {
  await act(async () => {
    el.click();
  });
  await flush();
}

export async function type(input: HTMLInputElement | HTMLSelectElement, value: string): Promise<void> {
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
  await flush(2);
}

export async function check(input: HTMLInputElement, value = true): Promise<void> {
  if (input.checked !== value) await click(input);
}

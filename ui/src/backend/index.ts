// Picks the implementation: Tauri IPC inside the desktop app, the mock with `?mock`, HTTP
// otherwise (browser mode). The mock and Tauri code are loaded only when used.
import { HttpBackend } from "./http";
import type { MockScenario } from "./mock";
import type { Backend } from "./types";

export * from "./types";

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

export async function pickBackend(): Promise<Backend> {
  if (window.__TAURI_INTERNALS__ !== undefined) {
    const { TauriBackend } = await import("./tauri");
    return new TauriBackend();
  }
  const params = new URLSearchParams(window.location.search);
  if (params.has("mock")) {
    const { MockBackend, MOCK_SCENARIOS } = await import("./mock");
    const asked = params.get("mock") ?? "";
    const scenario = (MOCK_SCENARIOS as readonly string[]).includes(asked) ? (asked as MockScenario) : "running";
    return new MockBackend({ scenario, live: !params.has("still") });
  }
  return new HttpBackend();
}

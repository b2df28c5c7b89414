// Browser mode (`lightrig serve`): same-origin HTTP with a bearer token, and live events read
// from /api/events with fetch + a stream parser (EventSource cannot send headers).
import type { AdoptRequest, AppEvent, ComplianceView, Earnings, ExportQuery, InstallRequest, LogLine, NodeInstallView, PriceListView, PricesEdit, PricesView, ProfileView, Series, SeriesRange, SettingValue, SettingsView, Snapshot } from "../bindings";
import { SseParser } from "./sse";
import {
  type Backend,
  BackendError,
  type LinkState,
  isEventName,
  makeEvent,
  refuseUnsafeUrl,
  toBackendError,
} from "./types";

export const TOKEN_KEY = "lightrig.token";
export const UNAUTHORIZED = "http.unauthorized";

/** What the page needs from the browser; tests pass fakes. */
export interface HttpEnv {
  fetch: typeof fetch;
  storage: Pick<Storage, "getItem" | "setItem">;
  location: Pick<Location, "hash" | "pathname" | "search" | "origin">;
  history: Pick<History, "replaceState" | "state">;
  open: (url: string, target: string, features: string) => unknown;
  /** Waits `ms` or until `signal` aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
}

function browserEnv(): HttpEnv {
  return {
    fetch: (...a) => window.fetch(...a),
    storage: window.sessionStorage,
    location: window.location,
    history: window.history,
    open: (u, t, f) => window.open(u, t, f),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        const id = setTimeout(resolve, ms);
        signal.addEventListener("abort", () => {
          clearTimeout(id);
          resolve();
        });
      }),
    random: Math.random,
  };
}

/**
 * Takes the token from the address (`#token=...`), keeps it for this tab in sessionStorage
 * and removes it from the address bar so it is not bookmarked, shared or left in history.
 */
export function takeToken(env: Pick<HttpEnv, "storage" | "location" | "history">): string | null {
  const hash = env.location.hash.replace(/^#/, "");
  if (hash) {
    const params = new URLSearchParams(hash);
    const token = params.get("token");
    if (token) {
      env.storage.setItem(TOKEN_KEY, token);
      params.delete("token");
      const rest = params.toString();
      env.history.replaceState(env.history.state, "", env.location.pathname + env.location.search + (rest ? `#${rest}` : ""));
      return token;
    }
  }
  return env.storage.getItem(TOKEN_KEY);
}

export const BACKOFF_MIN_MS = 1000;
export const BACKOFF_MAX_MS = 30_000;

/** Capped exponential backoff with jitter: half the step plus a random half. */
export function backoffMs(attempt: number, random: () => number): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(attempt, 16));
  return Math.round(step / 2 + (step / 2) * random());
}

export class HttpBackend implements Backend {
  readonly kind = "http" as const;
  private readonly env: HttpEnv;
  private token: string | null;
  private link: LinkState = "connecting";
  private readonly linkListeners = new Set<(s: LinkState) => void>();
  private lastLogSeq = 0;

  constructor(env: Partial<HttpEnv> = {}) {
    this.env = { ...browserEnv(), ...env };
    this.token = takeToken(this.env);
  }

  private setLink(s: LinkState): void {
    if (this.link === s) return;
    this.link = s;
    for (const l of this.linkListeners) l(s);
  }

  onLink(listener: (s: LinkState) => void): () => void {
    this.linkListeners.add(listener);
    listener(this.link);
    return () => this.linkListeners.delete(listener);
  }

  private headers(json: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: json ? "application/json" : "text/event-stream" };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    return h;
  }

  private unauthorized(): BackendError {
    this.setLink("unauthorized");
    return new BackendError({
      code: UNAUTHORIZED,
      message: "This page needs the link Lightrig printed (with its token).",
      field: null,
    });
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers = this.headers(true);
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await this.env.fetch(path, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: "omit",
        cache: "no-store",
      });
    } catch (e) {
      throw new BackendError({
        code: "http.unreachable",
        message: `Lightrig did not answer at ${this.env.location.origin} (${e instanceof Error ? e.message : String(e)}). Check that \`lightrig serve\` is still running, then try again.`,
        field: null,
      });
    }
    if (res.status === 401) throw this.unauthorized();
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: described below */
      }
      if (parsed && typeof parsed === "object" && "code" in parsed && "message" in parsed) throw toBackendError(parsed);
      throw new BackendError({
        code: `http.${res.status}`,
        message: `Lightrig answered ${res.status} ${res.statusText} to ${method} ${path}. Try again; if it keeps happening, the log may say why.`,
        field: null,
      });
    }
    if (text.trim() === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new BackendError({ code: "http.bad_json", message: `Lightrig's answer to ${path} was not valid JSON.`, field: null });
    }
  }

  snapshot(): Promise<Snapshot> {
    return this.request("GET", "/api/snapshot");
  }
  start(): Promise<void> {
    return this.request("POST", "/api/node/start");
  }
  stop(): Promise<void> {
    return this.request("POST", "/api/node/stop");
  }
  pause(): Promise<void> {
    return this.request("POST", "/api/node/pause");
  }
  resume(): Promise<void> {
    return this.request("POST", "/api/node/resume");
  }
  profiles(): Promise<ProfileView[]> {
    return this.request("GET", "/api/profiles");
  }
  selectNode(profileId: string, values: Record<string, SettingValue>): Promise<void> {
    return this.request("POST", "/api/node/select", { profile_id: profileId, values });
  }
  logs(afterSeq: number): Promise<LogLine[]> {
    return this.request("GET", `/api/logs?after=${encodeURIComponent(String(Math.max(0, Math.floor(afterSeq))))}`);
  }
  series(range: SeriesRange): Promise<Series> {
    return this.request("GET", `/api/series?range=${encodeURIComponent(range)}`);
  }
  earnings(): Promise<Earnings> {
    return this.request("GET", "/api/earnings");
  }
  saveSettings(s: SettingsView): Promise<SettingsView> {
    return this.request("PUT", "/api/settings", s);
  }
  prices(): Promise<PricesView> {
    return this.request("GET", "/api/prices");
  }
  savePrices(edit: PricesEdit): Promise<PricesView> {
    return this.request("PUT", "/api/prices", edit);
  }
  async compliance(): Promise<ComplianceView | null> {
    return (await this.request<ComplianceView | null | undefined>("GET", "/api/compliance")) ?? null;
  }
  async exportRecords(query: ExportQuery): Promise<string | null> {
    const params = new URLSearchParams({ format: query.format, from: query.from, to: query.to });
    const path = `/api/export?${params.toString()}`;
    const res = await this.env.fetch(path, { method: "GET", headers: this.headers(false), credentials: "omit", cache: "no-store" });
    if (res.status === 401) throw this.unauthorized();
    const text = await res.text();
    if (!res.ok) {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* described below */
      }
      if (parsed && typeof parsed === "object" && "code" in parsed && "message" in parsed) throw toBackendError(parsed);
      throw new BackendError({ code: `http.${res.status}`, message: `Lightrig answered ${res.status} to the export.`, field: null });
    }
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "lightrig-export.csv";
    // The browser's own download (and its save dialog, if the user has it on).
    const url = URL.createObjectURL(new Blob([text], { type: res.headers.get("content-type") ?? "text/plain" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.rel = "noopener";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return name;
  }
  acknowledge(noteVersion: number): Promise<ComplianceView> {
    return this.request("POST", "/api/compliance/acknowledge", { note_version: noteVersion });
  }
  importTariffPrices(csv: string): Promise<PriceListView> {
    return this.request("POST", "/api/tariff/prices", { csv });
  }
  installs(): Promise<NodeInstallView[]> {
    return this.request("GET", "/api/installs");
  }
  install(req: InstallRequest): Promise<NodeInstallView> {
    return this.request("POST", "/api/installs/install", req);
  }
  adopt(req: AdoptRequest): Promise<NodeInstallView> {
    return this.request("POST", "/api/installs/adopt", req);
  }
  async openExternal(url: string): Promise<void> {
    refuseUnsafeUrl(url);
    this.env.open(url, "_blank", "noopener,noreferrer");
  }

  subscribe(onEvent: (e: AppEvent) => void): () => void {
    const abort = new AbortController();
    const deliver = (e: AppEvent) => {
      if (e.event === "node://log") this.lastLogSeq = Math.max(this.lastLogSeq, e.payload.seq);
      onEvent(e);
    };
    void this.stream(deliver, abort.signal);
    return () => abort.abort();
  }

  /** Reads /api/events until aborted, reconnecting with backoff; resyncs after each reconnect. */
  private async stream(onEvent: (e: AppEvent) => void, signal: AbortSignal): Promise<void> {
    let attempt = 0;
    let connectedBefore = false;
    let retryHint: number | null = null;
    while (!signal.aborted) {
      try {
        const res = await this.env.fetch("/api/events", { headers: this.headers(false), signal, credentials: "omit", cache: "no-store" });
        if (res.status === 401) {
          this.unauthorized();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
        this.setLink("live");
        if (connectedBefore) await this.resync(onEvent);
        connectedBefore = true;
        const parser = new SseParser((m) => {
          attempt = 0;
          if (!isEventName(m.event)) return;
          let payload: unknown;
          try {
            payload = JSON.parse(m.data);
          } catch {
            console.warn(`ignored a ${m.event} event whose data is not JSON`);
            return;
          }
          onEvent(makeEvent(m.event, payload));
        });
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parser.feed(decoder.decode(value, { stream: true }));
        }
        parser.feed(decoder.decode());
        parser.end();
        retryHint = parser.retryMs;
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof BackendError && e.code === UNAUTHORIZED) return;
      }
      if (signal.aborted) return;
      this.setLink("reconnecting");
      const wait = Math.max(retryHint ?? 0, backoffMs(attempt, this.env.random));
      attempt++;
      await this.env.sleep(wait, signal);
    }
  }

  /** After a gap in the stream: the current state, then the log lines that were missed. */
  private async resync(onEvent: (e: AppEvent) => void): Promise<void> {
    const snap = await this.snapshot();
    onEvent({ event: "node://status", payload: snap.node });
    if (snap.telemetry) onEvent({ event: "telemetry://sample", payload: snap.telemetry });
    for (const line of await this.logs(this.lastLogSeq)) onEvent({ event: "node://log", payload: line });
  }
}

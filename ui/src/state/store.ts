// The app's one state object: the last snapshot, patched by live events, plus the node's log.
// Screens read it through useStore(); only this file listens to the backend's events.
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { AppEvent, LogLine, SettingsView, Snapshot } from "../bindings";
import { type Backend, BackendError, type LinkState, toBackendError } from "../backend";

export const MAX_LOG_LINES = 5000;

export type Phase = "loading" | "ready" | "error" | "unauthorized";

export interface AppState {
  phase: Phase;
  loadError: string | null;
  link: LinkState;
  snapshot: Snapshot | null;
  /** Newest last; a local id keeps keys stable when a new node restarts its numbering. */
  logs: Array<LogLine & { id: number }>;
}

export class AppStore {
  private state: AppState = { phase: "loading", loadError: null, link: "connecting", snapshot: null, logs: [] };
  private readonly listeners = new Set<() => void>();
  private unsubscribe: Array<() => void> = [];
  private lastSeq = 0;
  private nextId = 1;
  private nodeId: string | null = null;

  constructor(readonly backend: Backend) {}

  get(): AppState {
    return this.state;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<AppState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /** Listen first, then ask for the full state: nothing depends on catching an early event. */
  async init(): Promise<void> {
    this.dispose();
    this.set({ phase: "loading", loadError: null });
    this.unsubscribe.push(this.backend.subscribe((e) => this.onEvent(e)));
    if (this.backend.onLink) this.unsubscribe.push(this.backend.onLink((link) => this.onLink(link)));
    try {
      const snapshot = await this.backend.snapshot();
      this.nodeId = snapshot.node.node_id;
      this.set({ snapshot, phase: "ready" });
    } catch (e) {
      const err = toBackendError(e);
      this.set(err.code === "http.unauthorized" ? { phase: "unauthorized" } : { phase: "error", loadError: err.message });
      return;
    }
    try {
      this.addLogs(await this.backend.logs(0));
    } catch {
      /* the log is not essential to start; the Logs screen shows live lines */
    }
  }

  /** Asks for the full state again (after switching nodes, or when a screen needs it fresh). */
  async refresh(): Promise<void> {
    const snapshot = await this.backend.snapshot();
    if (snapshot.node.node_id !== this.nodeId) this.lastSeq = 0;
    this.nodeId = snapshot.node.node_id;
    this.set({ snapshot });
  }

  setSettings(settings: SettingsView): void {
    if (this.state.snapshot) this.set({ snapshot: { ...this.state.snapshot, settings } });
  }

  dispose(): void {
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private onLink(link: LinkState): void {
    if (link === "unauthorized") this.set({ link, phase: "unauthorized" });
    else this.set({ link });
  }

  private onEvent(e: AppEvent): void {
    const snap = this.state.snapshot;
    switch (e.event) {
      case "node://status":
        if (e.payload.node_id !== this.nodeId) {
          // Another node now: its log numbering starts again.
          this.nodeId = e.payload.node_id;
          this.lastSeq = 0;
        }
        if (snap) this.set({ snapshot: { ...snap, node: e.payload } });
        break;
      case "telemetry://sample":
        if (snap) this.set({ snapshot: { ...snap, telemetry: e.payload } });
        break;
      case "node://log":
        this.addLogs([e.payload]);
        break;
    }
  }

  private addLogs(lines: LogLine[]): void {
    const fresh = lines.filter((l) => l.seq > this.lastSeq).map((l) => ({ ...l, id: this.nextId++ }));
    if (fresh.length === 0) return;
    this.lastSeq = Math.max(this.lastSeq, ...fresh.map((l) => l.seq));
    const logs = this.state.logs.concat(fresh);
    this.set({ logs: logs.length > MAX_LOG_LINES ? logs.slice(logs.length - MAX_LOG_LINES) : logs });
  }
}

/** Re-renders the component when the selected part of the state changes. */
export function useStore<T>(select: (s: AppState) => T): T {
  const store = useAppStore();
  const selectRef = useRef(select);
  selectRef.current = select;
  const [value, setValue] = useState(() => select(store.get()));
  useEffect(() => {
    const update = () => setValue(() => selectRef.current(store.get()));
    update();
    return store.subscribe(update);
  }, [store]);
  return value;
}

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useAppStore() outside <StoreContext.Provider>");
  return store;
}

/** The current time, refreshed every `ms` (countdowns, uptime). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function errorMessage(e: unknown): string {
  return toBackendError(e).message;
}

export { BackendError };

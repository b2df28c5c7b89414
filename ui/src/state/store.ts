// The app's one state object: the last snapshot, patched by live events, plus the node's log.
// Screens read it through useStore(); only this file listens to the backend's events.
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { AppEvent, InstallProgress, LogLine, NodeState, SettingsView, Snapshot, TelemetrySample } from "../bindings";
import { type Backend, BackendError, type LinkState, toBackendError } from "../backend";

export const MAX_LOG_LINES = 5000;

/**
 * While no node works, the machine's figures are shown at most this often. The engine still
 * samples at 1 Hz for the ledger; repainting the window every second for an idle machine is
 * what made an open window cost several percent of a core.
 */
export const IDLE_SAMPLE_MS = 5000;

/** States in which the node's figures move and the UI follows them every second. */
export function isWorking(state: NodeState): boolean {
  return state.kind === "starting" || state.kind === "running" || state.kind === "paused" || state.kind === "stopping";
}

function pageHidden(): boolean {
  return typeof document !== "undefined" && document.visibilityState === "hidden";
}

export type Phase = "loading" | "ready" | "error" | "unauthorized";

export interface AppState {
  phase: Phase;
  loadError: string | null;
  link: LinkState;
  snapshot: Snapshot | null;
  /** Newest last; a local id keeps keys stable when a new node restarts its numbering. */
  logs: Array<LogLine & { id: number }>;
  /** Installs under way, by node id, with their latest progress. */
  installs: Record<string, InstallProgress>;
}

export class AppStore {
  private state: AppState = { phase: "loading", loadError: null, link: "connecting", snapshot: null, logs: [], installs: {} };
  private readonly listeners = new Set<() => void>();
  private unsubscribe: Array<() => void> = [];
  private lastSeq = 0;
  private nextId = 1;
  private nodeId: string | null = null;
  private sampleShownAt = Number.NEGATIVE_INFINITY;
  /** The newest sample not shown yet (window hidden, or idle and shown recently). */
  private heldSample: TelemetrySample | null = null;

  constructor(
    readonly backend: Backend,
    private readonly clock: () => number = Date.now,
  ) {}

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
    if (typeof document !== "undefined") {
      const onVisible = () => {
        if (!pageHidden()) this.showHeldSample();
      };
      document.addEventListener("visibilitychange", onVisible);
      this.unsubscribe.push(() => document.removeEventListener("visibilitychange", onVisible));
    }
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
        if (isWorking(e.payload.state)) this.showHeldSample();
        break;
      case "telemetry://sample":
        this.onSample(e.payload);
        break;
      case "node://log":
        this.addLogs([e.payload]);
        break;
      case "install://progress": {
        const { [e.payload.node]: _done, ...others } = this.state.installs;
        this.set({ installs: e.payload.finished ? others : { ...others, [e.payload.node]: e.payload } });
        break;
      }
    }
  }

  /**
   * Shows a machine sample now, or holds it: nothing is painted for a hidden window, and an
   * idle one is refreshed every IDLE_SAMPLE_MS. A held sample is shown as soon as the window
   * is visible again or the node starts working, so nothing on screen is older than that.
   */
  private onSample(sample: TelemetrySample): void {
    const snap = this.state.snapshot;
    if (!snap) return;
    const now = this.clock();
    if (pageHidden() || (!isWorking(snap.node.state) && now - this.sampleShownAt < IDLE_SAMPLE_MS)) {
      this.heldSample = sample;
      return;
    }
    this.heldSample = null;
    this.sampleShownAt = now;
    this.set({ snapshot: { ...snap, telemetry: sample } });
  }

  private showHeldSample(): void {
    const held = this.heldSample;
    const snap = this.state.snapshot;
    if (!held || !snap) return;
    this.heldSample = null;
    this.sampleShownAt = this.clock();
    this.set({ snapshot: { ...snap, telemetry: held } });
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

/**
 * The current time, refreshed every `ms` while `active` (countdowns, uptime). An inactive clock
 * does not tick, so a screen showing nothing time-dependent costs nothing while it waits.
 */
export function useNow(ms = 1000, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}

/** Whether a node state shows something that changes with time (a countdown or an uptime). */
export function stateTicks(state: NodeState): boolean {
  return state.kind === "running" || state.kind === "paused" || state.kind === "backoff" || state.kind === "starting";
}

export function errorMessage(e: unknown): string {
  return toBackendError(e).message;
}

export { BackendError };

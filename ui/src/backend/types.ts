// The one interface the screens talk to. Three implementations: Tauri IPC (desktop), HTTP +
// server-sent events (browser mode, `lightrig serve`) and an in-memory mock (tests, `?mock`).
import type { AdoptRequest, ApiError, AppEvent, ComplianceView, Earnings, ExportQuery, InstallRequest, LogLine, NodeInstallView, PriceListView, PricesEdit, PricesView, ProfileView, Series, SeriesRange, SettingValue, SettingsView, Snapshot } from "../bindings";

export type BackendKind = "tauri" | "http" | "mock";

/** How the live event stream is doing; the shell shows anything but "live". */
export type LinkState = "connecting" | "live" | "reconnecting" | "unauthorized";

export interface Backend {
  readonly kind: BackendKind;
  /** Full state. Call it when ready: events sent before the listener existed are lost. */
  snapshot(): Promise<Snapshot>;
  start(): Promise<void>;
  stop(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  profiles(): Promise<ProfileView[]>;
  selectNode(profileId: string, values: Record<string, SettingValue>): Promise<void>;
  logs(afterSeq: number): Promise<LogLine[]>;
  series(range: SeriesRange): Promise<Series>;
  earnings(): Promise<Earnings>;
  saveSettings(s: SettingsView): Promise<SettingsView>;
  /** Coin prices the user set, and the opt-in price feed with what it did last. */
  prices(): Promise<PricesView>;
  /** Saves the prices and the feed's settings; the feed starts or stops at once. */
  savePrices(edit: PricesEdit): Promise<PricesView>;
  compliance(): Promise<ComplianceView | null>;
  /** Records that the user read this version of the current note; returns the note again. */
  acknowledge(noteVersion: number): Promise<ComplianceView>;
  /** Imports an electricity price list (CSV text, `timestamp,price`); a bad list names its line and changes nothing. */
  importTariffPrices(csv: string): Promise<PriceListView>;
  /**
   * Exports records for a date range: the desktop asks where to save with the system's dialog
   * and returns the path (null when cancelled); the browser downloads the file and returns its
   * name.
   */
  exportRecords(query: ExportQuery): Promise<string | null>;
  /** Each node a profile runs from a checked program: what can be installed, what is. */
  installs(): Promise<NodeInstallView[]>;
  /** Downloads and verifies a pinned release; progress arrives as `install://progress`. */
  install(req: InstallRequest): Promise<NodeInstallView>;
  /** Uses a program already on this computer; its hash is checked before every launch. */
  adopt(req: AdoptRequest): Promise<NodeInstallView>;
  /** https only; anything else is refused before it reaches the backend. */
  openExternal(url: string): Promise<void>;
  /** Desktop only: stops the node and quits. */
  quit?(): Promise<void>;
  /** Live events. Returns the function that stops listening. */
  subscribe(onEvent: (e: AppEvent) => void): () => void;
  /** The event stream's health (optional: IPC is always live). */
  onLink?(listener: (s: LinkState) => void): () => void;
}

/** Every call rejects with this shape. */
export class BackendError extends Error implements ApiError {
  readonly code: string;
  readonly field: string | null;
  constructor(e: ApiError) {
    super(e.message);
    this.name = "BackendError";
    this.code = e.code;
    this.field = e.field;
  }
}

function isApiError(v: unknown): v is ApiError {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as { code?: unknown }).code === "string" &&
    typeof (v as { message?: unknown }).message === "string"
  );
}

/** Turns whatever a transport threw into a BackendError with a message a person can act on. */
export function toBackendError(e: unknown, fallbackCode = "internal"): BackendError {
  if (e instanceof BackendError) return e;
  if (isApiError(e)) {
    const field = (e as { field?: unknown }).field;
    return new BackendError({ code: e.code, message: e.message, field: typeof field === "string" ? field : null });
  }
  if (typeof e === "string") return new BackendError({ code: fallbackCode, message: e, field: null });
  if (e instanceof Error) return new BackendError({ code: fallbackCode, message: e.message, field: null });
  return new BackendError({ code: fallbackCode, message: String(e), field: null });
}

/** Only https links leave the app; the check runs in the UI before any backend sees the URL. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === "https:" && u.hostname.length > 0 && u.username === "" && u.password === "";
  } catch {
    return false;
  }
}

export function refuseUnsafeUrl(url: string): void {
  if (!isSafeExternalUrl(url)) {
    throw new BackendError({
      code: "url.refused",
      message: `Only https links are opened; this one was refused: ${url.slice(0, 200)}`,
      field: null,
    });
  }
}

export const EVENT_NAMES = ["node://status", "telemetry://sample", "node://log", "install://progress"] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export function isEventName(s: string): s is EventName {
  return (EVENT_NAMES as readonly string[]).includes(s);
}

/** Builds a typed AppEvent from a name and a decoded payload. */
export function makeEvent(name: EventName, payload: unknown): AppEvent {
  // The payload's shape is the engine's contract (bindings.ts); it is not re-validated here.
  return { event: name, payload } as AppEvent;
}

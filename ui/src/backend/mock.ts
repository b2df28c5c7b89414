// In memory and scriptable: unit tests drive it step by step; in the browser (`?mock` or
// `?mock=<scenario>`) timers make it behave like a running practice node for screenshots.
import type { AdoptRequest, ApiError, AppEvent, ComplianceView, Earnings, ExportQuery, InstallRequest, LogLine, NodeInstallView, NodeState, PriceListView, PricesEdit, PricesView, ProfileView, RewardLine, Series, SeriesRange, SettingValue, SettingsView, Snapshot, Stream } from "../bindings";
import { complianceFor, DEFAULT_SETTINGS, defaultPrices, energyEstimated, energyNotAvailable, INSTALLS, makeSeries, PRACTICE, sample, STORJ, stoppedStatus, XMRIG } from "./mock-data";
import { type Backend, BackendError, type LinkState, refuseUnsafeUrl } from "./types";

export type MockScenario = "running" | "firstrun" | "stopped" | "failed" | "backoff" | "paused" | "nojur" | "restricted" | "unauthorized";

export const MOCK_SCENARIOS: readonly MockScenario[] = ["running", "firstrun", "stopped", "failed", "backoff", "paused", "nojur", "restricted", "unauthorized"];

export interface MockOptions {
  scenario?: MockScenario;
  /** Drive the node with timers (browser). Off in tests: they call the script methods. */
  live?: boolean;
  now?: () => number;
}

type Method = Exclude<keyof Backend, "kind">;

const clone = <T>(v: T): T => structuredClone(v);

export class MockBackend implements Backend {
  readonly kind = "mock" as const;
  readonly calls: Array<{ method: Method; args: unknown[] }> = [];
  opened: string[] = [];
  private listeners = new Set<(e: AppEvent) => void>();
  private linkListeners = new Set<(s: LinkState) => void>();
  private failures = new Map<Method, ApiError[]>();
  private timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly now: () => number;
  private readonly live: boolean;
  private tick = 0;
  private seq = 0;
  snap: Snapshot;
  profileList: ProfileView[] = [clone(PRACTICE), clone(XMRIG), clone(STORJ)];
  installList: NodeInstallView[] = clone(INSTALLS);
  logLines: LogLine[] = [];
  earningsData: Earnings;
  staleNote = false;

  constructor(opts: MockOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.live = opts.live ?? false;
    const now = this.now();
    this.snap = {
      version: "0.1.0",
      node: stoppedStatus(now),
      profile: clone(PRACTICE),
      telemetry: sample(now, false, 0),
      settings: clone(DEFAULT_SETTINGS),
      notices: [],
    };
    this.earningsData = {
      today: [],
      week: [],
      all_time: [],
      energy: energyNotAvailable(this.snap.settings.currency),
    };
    this.applyScenario(opts.scenario ?? "running");
    if (this.live) this.startTimers();
  }

  // ---- scripting (tests and scenarios) ----

  /** The next call to `method` rejects with `error` (queue several for several calls). */
  failNext(method: Method, error: Partial<ApiError> & { message: string }): void {
    const list = this.failures.get(method) ?? [];
    list.push({ code: error.code ?? "mock.failed", message: error.message, field: error.field ?? null });
    this.failures.set(method, list);
  }

  emit(e: AppEvent): void {
    for (const l of this.listeners) l(clone(e));
  }

  setState(state: NodeState): void {
    const running = state.kind === "running" || state.kind === "paused";
    this.snap.node = {
      ...this.snap.node,
      state,
      pid: running || state.kind === "starting" ? 48211 : null,
      metrics: running ? this.metrics(state.kind === "paused") : null,
      updated_ms: this.now(),
    };
    this.emit({ event: "node://status", payload: this.snap.node });
  }

  pushLog(stream: Stream, text: string): LogLine {
    const line: LogLine = { seq: ++this.seq, at_ms: this.now(), stream, text };
    this.logLines.push(line);
    if (this.logLines.length > 2000) this.logLines.shift();
    this.emit({ event: "node://log", payload: line });
    return line;
  }

  setLink(s: LinkState): void {
    for (const l of this.linkListeners) l(s);
  }

  dispose(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
    this.listeners.clear();
  }

  // ---- Backend ----

  private async call<T>(method: Method, args: unknown[], run: () => T): Promise<T> {
    this.calls.push({ method, args });
    await Promise.resolve();
    const failure = this.failures.get(method)?.shift();
    if (failure) throw new BackendError(failure);
    return clone(run());
  }

  snapshot(): Promise<Snapshot> {
    return this.call("snapshot", [], () => {
      if (this.scenario === "unauthorized")
        throw new BackendError({ code: "http.unauthorized", message: "This page needs the link Lightrig printed (with its token).", field: null });
      return this.snap;
    });
  }

  start(): Promise<void> {
    return this.call("start", [], () => {
      const s = this.snap.settings;
      const note = this.note();
      if (note?.requires_acknowledgement && note.acknowledged_at_ms === null)
        throw new BackendError({
          code: "compliance.acknowledgement_required",
          message: `In ${note.jurisdiction_name} this activity is ${note.status}. Read the note on the dashboard and acknowledge it before starting.`,
          field: null,
        });
      if (s.own_device === false && !s.permission_confirmed)
        throw new BackendError({
          code: "consent.permission_required",
          message: "This is not your own device or electricity: confirm in Settings that the owner has given you permission before starting.",
          field: null,
        });
      const k = this.snap.node.state.kind;
      if (k === "running" || k === "starting" || k === "paused") throw new BackendError({ code: "node.already_running", message: "The node is already running.", field: null });
      this.setState({ kind: "starting", since_ms: this.now(), attempt: 1 });
      this.pushLog("lightrig", `starting ${this.snap.profile.name}`);
      if (this.live)
        setTimeout(() => {
          if (this.snap.node.state.kind !== "starting") return;
          this.setState({ kind: "running", since_ms: this.now() });
          this.pushLog("lightrig", "health check passed: running");
        }, 1500);
    });
  }

  stop(): Promise<void> {
    return this.call("stop", [], () => {
      this.setState({ kind: "stopping", reason: "stopped by you" });
      const done = () => {
        this.setState({ kind: "stopped", reason: "stopped by you" });
        this.pushLog("lightrig", "node stopped (exit 0)");
      };
      if (this.live) setTimeout(done, 800);
    });
  }

  /** Completes a stop in tests (live mode does it on a timer). */
  finishStop(): void {
    this.setState({ kind: "stopped", reason: "stopped by you" });
  }

  pause(): Promise<void> {
    return this.call("pause", [], () => {
      if (this.snap.node.state.kind !== "running") throw new BackendError({ code: "node.not_running", message: "The node is not running.", field: null });
      this.setState({ kind: "paused", since_ms: this.now(), reason: "paused by you" });
    });
  }

  resume(): Promise<void> {
    return this.call("resume", [], () => {
      if (this.snap.node.state.kind !== "paused") throw new BackendError({ code: "node.not_running", message: "The node is not paused.", field: null });
      this.setState({ kind: "running", since_ms: this.now() });
    });
  }

  profiles(): Promise<ProfileView[]> {
    return this.call("profiles", [], () => this.profileList.map((p) => (p.id === this.snap.profile.id ? this.snap.profile : p)));
  }

  selectNode(profileId: string, values: Record<string, SettingValue>): Promise<void> {
    return this.call("selectNode", [profileId, values], () => {
      const p = this.profileList.find((x) => x.id === profileId);
      if (!p) throw new BackendError({ code: "node.unknown_profile", message: `There is no node profile called ${profileId}.`, field: null });
      for (const f of p.fields) {
        const v = values[f.name];
        if (f.required && (v === undefined || v === ""))
          throw new BackendError({ code: "node.settings_invalid", message: `${f.label} is required.`, field: f.name });
      }
      if (profileId === "xmrig-p2pool" && typeof values.address === "string" && !/^4[0-9A-Za-z]{94}$/.test(values.address))
        throw new BackendError({ code: "node.settings_invalid", message: "This is not a Monero primary address: it should start with 4 and be 95 characters long.", field: "address" });
      this.snap.profile = { ...clone(p), values: { ...values } };
      this.snap.node = { ...stoppedStatus(this.now()), node_id: p.id, profile_name: p.name, simulated: p.simulated, state: { kind: "stopped", reason: "switched node" } };
      this.emit({ event: "node://status", payload: this.snap.node });
    });
  }

  logs(afterSeq: number): Promise<LogLine[]> {
    return this.call("logs", [afterSeq], () => this.logLines.filter((l) => l.seq > afterSeq));
  }

  series(range: SeriesRange): Promise<Series> {
    const energy = this.earningsData.energy.power ? { currency: this.snap.settings.currency } : null;
    return this.call("series", [range], () => makeSeries(range, this.now(), this.scenario !== "firstrun" && this.scenario !== "stopped", energy));
  }

  earnings(): Promise<Earnings> {
    return this.call("earnings", [], () => ({ ...this.earningsData, energy: { ...this.earningsData.energy, currency: this.snap.settings.currency } }));
  }

  saveSettings(s: SettingsView): Promise<SettingsView> {
    return this.call("saveSettings", [s], () => {
      if (s.price_per_kwh !== null && !(s.price_per_kwh >= 0 && s.price_per_kwh <= 10))
        throw new BackendError({ code: "settings.invalid", message: `${s.price_per_kwh} is not a believable price per kWh: use 0 to 10 (e.g. 0.30)`, field: "price_per_kwh" });
      if (!/^[A-Z]{3}$/.test(s.currency))
        throw new BackendError({ code: "settings.invalid", message: `\`${s.currency}\` is not a currency code: use three capital letters such as EUR, CNY or USD`, field: "currency" });
      const zone = s.energy.time_zone;
      if (zone !== null && zone !== "UTC" && !/^[A-Za-z_]+\/[A-Za-z_/+-]+$/.test(zone))
        throw new BackendError({ code: "settings.invalid", message: `'${zone}' is not a known time zone; use an IANA name such as Europe/Berlin`, field: "energy.time_zone" });
      this.snap.settings = { ...s, permission_confirmed: s.own_device === false && s.permission_confirmed };
      return this.snap.settings;
    });
  }

  /**
   * Checks a price list like the engine's own parser, on the common mistakes: the header, a
   * timestamp without its UTC offset, a price that is not a number, rows out of order.
   */
  importTariffPrices(csv: string): Promise<PriceListView> {
    return this.call("importTariffPrices", [csv], () => {
      const bad = (line: number, problem: string) => new BackendError({ code: "tariff.csv_invalid", message: `price list line ${line}: ${problem}`, field: "csv" });
      const lines = csv.split(/\r?\n/);
      if ((lines[0] ?? "").replace(/\s/g, "") !== "timestamp,price") throw bad(1, `the header is "${lines[0] ?? ""}"; it must be exactly: timestamp,price`);
      const rows: [number, number][] = [];
      lines.slice(1).forEach((l, i) => {
        if (l.trim() === "" || l.trim().startsWith("#")) return;
        const [ts = "", price = ""] = l.split(",").map((x) => x.trim());
        const at = /[+-]\d\d:\d\d$|Z$/.test(ts) ? Date.parse(ts) : Number.NaN;
        if (Number.isNaN(at)) throw bad(i + 2, `timestamp '${ts}' is not a time with a UTC offset; write it like 2026-03-29T03:00:00+02:00`);
        if (!/^-?\d+(\.\d+)?$/.test(price)) throw bad(i + 2, `price '${price}' is not a decimal number (write it like 0.3012)`);
        const last = rows[rows.length - 1];
        if (last && at <= last[0]) throw bad(i + 2, `timestamp '${ts}' is not after the previous row's; sort the list by time and remove duplicates`);
        rows.push([at, Number(price)]);
      });
      if (rows.length === 0) throw bad(2, "the list has no prices");
      const times = rows.map((r) => r[0]);
      const step = times.slice(1).reduce((m, at, i) => Math.min(m, at - (times[i] ?? at)), 3_600_000);
      const list: PriceListView = { prices: times.length, first_ms: times[0] ?? 0, end_ms: (times[times.length - 1] ?? 0) + step, step_minutes: step / 60_000 };
      this.snap.settings = { ...this.snap.settings, energy: { ...this.snap.settings.energy, price_list: list } };
      return list;
    });
  }

  /** Prices as the engine would hold them; `savePrices` validates like the engine. */
  pricesData: PricesView | null = null;

  prices(): Promise<PricesView> {
    return this.call("prices", [], () => clone(this.pricesData ?? defaultPrices(this.snap.settings.currency)));
  }

  savePrices(edit: PricesEdit): Promise<PricesView> {
    return this.call("savePrices", [edit], () => {
      const bad = (field: string, message: string) => new BackendError({ code: "prices.invalid", message, field });
      const cur = this.pricesData ?? defaultPrices(this.snap.settings.currency);
      const coins = edit.coins.map((c) => {
        const asset = c.asset.trim().toUpperCase();
        if (!/^[A-Z][A-Z0-9]{1,9}$/.test(asset)) throw bad(`prices.${asset}`, `\`${asset}\` is not a coin code: use its ticker in capital letters, such as XMR, STORJ or MYST`);
        const text = c.price.trim();
        if (!/^\d+(\.\d{1,9})?$/.test(text) || Number(text) <= 0) throw bad(`prices.${asset}`, `\`${c.price}\` is not a price: write it like 151.20`);
        const prev = cur.coins.find((p) => p.asset === asset && Number(p.price) === Number(text));
        return { asset, price: text, currency: this.snap.settings.currency, set_at_ms: prev ? prev.set_at_ms : this.now() };
      });
      if (!/^https:\/\/[^/@\s]+/.test(edit.feed_url.trim())) throw bad("feed_url", `\`${edit.feed_url}\` is not an https address: the price feed is fetched over https only`);
      if (edit.refresh_minutes < 5 || edit.refresh_minutes > 1440) throw bad("refresh_minutes", `every ${edit.refresh_minutes} minutes is out of range: use 5 to 1440 minutes`);
      const host = new URL(edit.feed_url.trim()).host;
      this.pricesData = { currency: this.snap.settings.currency, coins, feed: { ...cur.feed, enabled: edit.feed_enabled, url: edit.feed_url.trim(), host, refresh_minutes: edit.refresh_minutes, running: edit.feed_enabled } };
      return clone(this.pricesData);
    });
  }

  /** Acknowledgements recorded, by "jurisdiction/activity/version". */
  acks = new Map<string, number>();

  private note(): ComplianceView | null {
    const s = this.snap.settings;
    const n = complianceFor(s.jurisdiction, this.snap.profile.activity, this.staleNote);
    if (!n) return null;
    if (this.snap.profile.simulated) n.requires_acknowledgement = false;
    n.acknowledged_at_ms = this.acks.get(`${n.jurisdiction}/${n.activity}/${n.note_version}`) ?? null;
    return n;
  }

  compliance(): Promise<ComplianceView | null> {
    return this.call("compliance", [], () => this.note());
  }

  exportRecords(query: ExportQuery): Promise<string | null> {
    return this.call("exportRecords", [query], () => {
      if (!["full", "koinly", "cointracker", "bittytax", "summary"].includes(query.format))
        throw new BackendError({ code: "export.unknown_format", message: `\`${query.format}\` is not an export format.`, field: "format" });
      if (query.to < query.from)
        throw new BackendError({ code: "export.reversed_range", message: "The range ends before it starts: swap the dates.", field: "range" });
      const ext = query.format === "summary" ? "html" : "csv";
      return `/home/you/lightrig-${query.format}-${query.from}-to-${query.to}.${ext}`;
    });
  }
  acknowledge(noteVersion: number): Promise<ComplianceView> {
    return this.call("acknowledge", [noteVersion], () => {
      const n = this.note();
      if (!n) throw new BackendError({ code: "compliance.no_note", message: "There is no note to acknowledge.", field: null });
      if (n.note_version !== noteVersion)
        throw new BackendError({ code: "compliance.note_changed", message: "The note has changed: read it again before acknowledging.", field: null });
      this.acks.set(`${n.jurisdiction}/${n.activity}/${n.note_version}`, this.now());
      return this.note() as ComplianceView;
    });
  }

  async openExternal(url: string): Promise<void> {
    this.calls.push({ method: "openExternal", args: [url] });
    refuseUnsafeUrl(url);
    this.opened.push(url);
  }

  quit(): Promise<void> {
    return this.call("quit", [], () => undefined);
  }

  installs(): Promise<NodeInstallView[]> {
    return this.call("installs", [], () => this.installList);
  }

  /** Emits progress at 0, half and all of the pinned size, then the end, and installs. */
  install(req: InstallRequest): Promise<NodeInstallView> {
    return this.call("install", [req], () => {
      const view = this.installView(req.node);
      const pinned = view.available;
      if (pinned.state !== "pinned") {
        throw new BackendError({
          code: "installer.not_pinned",
          message: `${req.node} is not pinned yet: Lightrig's maintainers have not checked a release of it, so it cannot be installed; choose a binary you already have instead`,
          field: null,
        });
      }
      const total = pinned.size;
      for (const bytes of [0, Math.floor(total / 2), total]) {
        this.emit({ event: "install://progress", payload: { node: req.node, bytes, total, rate_bytes_per_s: 4_194_304, finished: false } });
      }
      this.emit({ event: "install://progress", payload: { node: req.node, bytes: total, total, rate_bytes_per_s: 4_194_304, finished: true } });
      const exe = `/home/you/.local/share/lightrig/nodes/${req.node}/${pinned.version}/${req.node}`;
      view.installed = [{ version: pinned.version, path: exe, sha256: "3f1c9a0e5b7d2c4f".repeat(4), size: total, modified: null }, ...view.installed].slice(0, 2);
      view.adopted = null;
      view.uses = "installed";
      return view;
    });
  }

  adopt(req: AdoptRequest): Promise<NodeInstallView> {
    return this.call("adopt", [req], () => {
      if (!/^(\/|[A-Za-z]:\\)/.test(req.path)) {
        throw new BackendError({ code: "installer.not_executable", message: "give the full path of the program (it starts with / or a drive letter)", field: "path" });
      }
      const view = this.installView(req.node);
      view.adopted = { version: null, path: req.path, sha256: "9b2e4d6f8a1c3e5b".repeat(4), size: 1_048_576, modified: null };
      view.uses = "adopted";
      return view;
    });
  }

  private installView(node: string): NodeInstallView {
    const view = this.installList.find((v) => v.node === node);
    if (!view) throw new BackendError({ code: "installer.no_release", message: `Lightrig has no release of ${node} for this computer`, field: null });
    return view;
  }

  subscribe(onEvent: (e: AppEvent) => void): () => void {
    this.listeners.add(onEvent);
    return () => this.listeners.delete(onEvent);
  }

  onLink(listener: (s: LinkState) => void): () => void {
    this.linkListeners.add(listener);
    listener(this.scenario === "unauthorized" ? "unauthorized" : "live");
    return () => this.linkListeners.delete(listener);
  }

  // ---- scenarios and the live simulation ----

  private scenario: MockScenario = "running";

  private metrics(paused: boolean) {
    const w = Math.sin(this.tick / 5);
    const rate = paused ? 0 : 1830 + 90 * w;
    return {
      at_ms: this.now(),
      work_rate: { value: rate, unit: "H/s" },
      work_rate_60s: { value: paused ? 0 : 1812, unit: "H/s" },
      work_rate_15m: { value: 1796, unit: "H/s" },
      total_work: 48_120_000 + this.tick * 1800,
      shares_accepted: 37 + Math.floor(this.tick / 20),
      threads: 1,
      paused,
      uptime_secs: 3 * 3600 + 25 * 60 + this.tick,
      simulated: true,
      sync_progress: null,
      network: null,
      pool: null,
      hints: [],
    };
  }

  private rewards(scale: number): RewardLine[] {
    const line = (state: string, amount: number, count: number): RewardLine => ({
      asset: "SIM",
      state,
      simulated: true,
      atomic: String(Math.round(amount * 1e12)),
      amount: amount.toFixed(12).replace(/0+$/, "").replace(/\.$/, ""),
      count,
    });
    return [line("estimated", 0.004182 * scale, 12 * scale), line("pending", 0.0021 * scale, 3 * scale), line("paid", 0.0125 * scale, 1 * scale)];
  }

  private applyScenario(s: MockScenario): void {
    this.scenario = s;
    const now = this.now();
    const started = now - (3 * 3600 + 25 * 60) * 1000;
    const set = (state: NodeState) => {
      const running = state.kind === "running" || state.kind === "paused";
      this.snap.node = { ...this.snap.node, state, pid: running ? 48211 : null, metrics: running ? this.metrics(state.kind === "paused") : null };
      this.snap.telemetry = sample(now, running, 0);
    };
    const withHistory = () => {
      this.earningsData.today = this.rewards(1);
      this.earningsData.week = this.rewards(5);
      this.earningsData.all_time = this.rewards(23);
      this.earningsData.energy = energyEstimated(this.snap.settings.currency, now);
      for (const [stream, text] of [
        ["lightrig", "starting Practice node (simulated rewards)"],
        ["stdout", "practice-node 0.1.0: 1 thread, intensity 50 %, difficulty 2000000"],
        ["stdout", "api listening on 127.0.0.1:41873"],
        ["lightrig", "health check passed: running"],
        ["stdout", "share accepted (diff 2000000) 1.83 kH/s"],
        ["stderr", "warning: huge pages unavailable, hashing is slower"],
        ["stdout", "share accepted (diff 2000000) 1.79 kH/s"],
      ] as const)
        this.pushLog(stream, text);
    };
    switch (s) {
      case "running":
      case "nojur":
      case "restricted":
        set({ kind: "running", since_ms: started });
        withHistory();
        if (s === "nojur") this.snap.settings.jurisdiction = null;
        if (s === "restricted") {
          this.snap.settings = { ...this.snap.settings, jurisdiction: "CN", currency: "CNY", price_per_kwh: 0.62, language: "zh-CN" };
          this.staleNote = true;
        }
        break;
      case "paused":
        set({ kind: "paused", since_ms: now - 60_000, reason: "CPU at 91 °C, above your limit of 85 °C" });
        withHistory();
        break;
      case "backoff":
        set({ kind: "backoff", until_ms: now + 12_000, attempt: 3, reason: "the node exited with code 101 (it crashed)" });
        withHistory();
        this.pushLog("stderr", "thread 'main' panicked at 'api port in use'");
        break;
      case "failed":
        set({
          kind: "failed",
          reason: "it crashed 5 times in 10 minutes, so Lightrig stopped restarting it",
          exit: "exit code 101",
          last_lines: ["practice-node 0.1.0: 1 thread", "error: could not bind 127.0.0.1:41873: address in use", "thread 'main' panicked at src/main.rs:88"],
        });
        withHistory();
        break;
      case "firstrun":
        this.snap.settings = { ...DEFAULT_SETTINGS, jurisdiction: null, price_per_kwh: null, own_device: null, onboarded: false, currency: "EUR" };
        break;
      case "stopped":
      case "unauthorized":
        break;
    }
  }

  private startTimers(): void {
    this.timers.push(
      setInterval(() => {
        this.tick++;
        const k = this.snap.node.state.kind;
        const running = k === "running" || k === "paused";
        this.snap.telemetry = sample(this.now(), running, this.tick);
        this.emit({ event: "telemetry://sample", payload: this.snap.telemetry });
        if (running) {
          this.snap.node = { ...this.snap.node, metrics: this.metrics(k === "paused"), updated_ms: this.now() };
          this.emit({ event: "node://status", payload: this.snap.node });
          if (this.tick % 4 === 0) this.pushLog("stdout", `share accepted (diff 2000000) ${(1.75 + Math.random() * 0.1).toFixed(2)} kH/s`);
        }
      }, 1000),
    );
  }
}

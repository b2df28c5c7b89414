// Generated from the Rust types in lightrig-core (src/api/bindings.rs). Do not edit:
// `LIGHTRIG_UPDATE_BINDINGS=1 cargo test -p lightrig-core bindings` rewrites this file, and a
// test fails when it is stale.

export type WorkRate = { value: number, unit: string, };

export type NodeMetrics = { at_ms: number, 
/**
 * Work rate over the shortest window the node reports (10 s for the practice node).
 */
work_rate: WorkRate | null, work_rate_60s: WorkRate | null, work_rate_15m: WorkRate | null, 
/**
 * Total work done by this run of the node (hashes for miners).
 */
total_work: number | null, shares_accepted: number | null, threads: number | null, paused: boolean | null, uptime_secs: number | null, 
/**
 * True when the rewards are simulated (practice node).
 */
simulated: boolean, };

export type NodeState = { "kind": "stopped", reason: string, } | { "kind": "starting", since_ms: number, attempt: number, } | { "kind": "running", since_ms: number, } | { "kind": "paused", since_ms: number, reason: string, } | { "kind": "stopping", reason: string, } | { "kind": "backoff", until_ms: number, attempt: number, reason: string, } | { "kind": "failed", reason: string, exit: string | null, last_lines: Array<string>, };

export type NodeStatus = { node_id: string, profile_name: string, simulated: boolean, state: NodeState, pid: number | null, 
/**
 * Restarts after crashes since the user last pressed Start.
 */
restarts: number, metrics: NodeMetrics | null, 
/**
 * Why the last status poll gave no figures, if it failed.
 */
metrics_error: string | null, updated_ms: number, };

export type NodeUsage = { root_pid: number, 
/**
 * The root first, then its descendants, each parent before its children.
 */
pids: Array<number>, 
/**
 * CPU load as a percentage of ONE core, summed over the tree: a miner using four cores
 * shows about 400. `None` until two readings of this tree exist.
 */
cpu_percent: number | null, 
/**
 * Resident memory of the whole tree.
 */
rss_bytes: number, };

export type Temperature = { 
/**
 * E.g. "k10temp Tctl", "coretemp Package id 0", "nvme Composite".
 */
label: string, celsius: number, };

export type PowerSupplyState = { 
/**
 * `Some(true)` on battery, `Some(false)` on external power, `None` when it cannot be told.
 */
on_battery: boolean | null, 
/**
 * Charge of the machine's own batteries (not a wireless mouse's), 0..=100.
 */
battery_percent: number | null, 
/**
 * Where the answer came from, e.g. "sysfs class/power_supply".
 */
source: string, };

export type TelemetrySample = { at_ms: number, 
/**
 * Whole-machine CPU load, 0..=100 across all logical cores. `None` until two readings
 * some time apart exist: the load is a difference of counters, and a first reading alone
 * would only give a made-up 0.
 */
cpu_percent: number | null, logical_cores: number, mem_used_bytes: number, 
/**
 * 0 only where the operating system is not supported by the sampler at all.
 */
mem_total_bytes: number, 
/**
 * The node's process tree, or `None` when no node runs or its root process is gone.
 */
node: NodeUsage | null, 
/**
 * Every plausible temperature sensor. Empty when the machine exposes none (VMs, Windows
 * without admin rights): the UI says "not available".
 */
temperatures: Array<Temperature>, 
/**
 * The hottest CPU-like sensor among `temperatures`, if any.
 */
cpu_temp_c: number | null, power: PowerSupplyState, };

export type Stream = "stdout" | "stderr" | "lightrig";

export type LogLine = { seq: number, at_ms: number, stream: Stream, text: string, };

export type RewardLine = { asset: string, state: string, simulated: boolean, atomic: string, 
/**
 * Decimal amount, formatted from atomic units without floats.
 */
amount: string, count: number, };

export type SettingValue = boolean | number | string;

export type FieldView = { name: string, 
/**
 * integer, text, choice, bool, port or path.
 */
kind: string, label: string, help: string | null, required: boolean, min: number | null, max: number | null, choices: Array<string>, default: SettingValue | null, };

export type ProfileView = { id: string, name: string, description: string | null, 
/**
 * pow-mining, staking, storage, bandwidth or compute.
 */
activity: string, simulated: boolean, fields: Array<FieldView>, 
/**
 * The values in force for this profile (defaults filled in).
 */
values: { [key in string]: SettingValue }, };

export type Theme = "system" | "light" | "dark";

export type SettingsView = { 
/**
 * ISO 3166-1 alpha-2 code (or "EU"); null until chosen.
 */
jurisdiction: string | null, 
/**
 * Price of one kWh in `currency`; null until set.
 */
price_per_kwh: number | null, 
/**
 * ISO 4217 code, e.g. "EUR", "CNY".
 */
currency: string, 
/**
 * "en" or "zh-CN"; null follows the system language.
 */
language: string | null, theme: Theme, 
/**
 * Closing the window keeps the node running in the tray (only if chosen).
 */
close_to_tray: boolean, start_minimised: boolean, 
/**
 * Start Lightrig when you log in. Off unless you turn it on.
 */
autostart: boolean, 
/**
 * Is this your own device and your own electricity? null until answered.
 */
own_device: boolean | null, 
/**
 * When not your own: you confirmed you have permission.
 */
permission_confirmed: boolean, 
/**
 * The first-run steps are done.
 */
onboarded: boolean, };

export type Notice = { code: string, message: string, };

export type Snapshot = { version: string, node: NodeStatus, profile: ProfileView, telemetry: TelemetrySample | null, settings: SettingsView, 
/**
 * Problems found at start that the user should see (a bad settings file kept aside...).
 */
notices: Array<Notice>, };

export type EnergyView = { power_w: number | null, 
/**
 * Where power comes from ("not available" until a source is measured or modelled).
 */
source: string, kwh_today: number | null, cost_today: number | null, currency: string, };

export type Earnings = { today: Array<RewardLine>, week: Array<RewardLine>, all_time: Array<RewardLine>, 
/**
 * Energy and its cost are not measured yet on this machine: the UI says "not available".
 */
energy: EnergyView, };

export type SeriesRange = "10m" | "24h" | "30d";

export type Series = { range: SeriesRange, 
/**
 * Width of one point in seconds.
 */
step_secs: number, 
/**
 * Unix seconds of each point.
 */
t: Array<number>, work_rate: Array<number | null>, work_unit: string | null, cpu_percent: Array<number | null>, node_cpu_percent: Array<number | null>, cpu_temp_c: Array<number | null>, power_w: Array<number | null>, };

export type SourceView = { id: string, title: string, issuer: string, date: string, url: string | null, };

export type ComplianceView = { jurisdiction: string, jurisdiction_name: string, activity: string, 
/**
 * permitted, permitted-with-licence, restricted, prohibited or unclear.
 */
status: string, 
/**
 * confirmed, secondary or unconfirmed.
 */
confidence: string, text: string, sources: Array<SourceView>, last_reviewed: string, stale: boolean, requires_acknowledgement: boolean, };

export type ApiError = { code: string, message: string, field: string | null, };

export type AppEvent = { "event": "node://status", "payload": NodeStatus } | { "event": "telemetry://sample", "payload": TelemetrySample } | { "event": "node://log", "payload": LogLine };

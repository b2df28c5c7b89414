// Generated from the Rust types in lightrig-core (src/api/bindings.rs). Do not edit:
// `LIGHTRIG_UPDATE_BINDINGS=1 cargo test -p lightrig-core bindings` rewrites this file, and a
// test fails when it is stale.

export type WorkRate = { value: number, unit: string, };

export type NetworkInfo = { 
/**
 * Ticker of the chain, e.g. "XMR".
 */
asset: string, height: number | null, 
/**
 * Network difficulty (hashes per block on average). Stored as f64 for the UI; Monero's
 * fits exactly well beyond today's values.
 */
difficulty: number | null, 
/**
 * Reward of the last block, in atomic units (piconero).
 */
block_reward_atomic: number | null, 
/**
 * Average seconds between blocks (120 for Monero).
 */
block_time_secs: number | null, };

export type PoolInfo = { 
/**
 * Ticker of what the pool pays, e.g. "XMR".
 */
asset: string, 
/**
 * Hashes one share needs on average (P2Pool's side-chain difficulty).
 */
share_difficulty: number | null, 
/**
 * Shares (side-chain blocks) in the PPLNS window, everyone's.
 */
window_size: number | null, 
/**
 * Your part of the window's payout weight, in percent (0 to 100), as P2Pool reports it.
 */
window_share_percent: number | null, 
/**
 * About how many of the window's shares are yours: your percent of the window's size
 * (P2Pool does not write the count). An estimate, since shares differ in difficulty, and
 * fractional: below 1 means less than one share's worth.
 */
window_shares_estimate: number | null, 
/**
 * Average seconds to find one share at your work rate (share difficulty ÷ H/s).
 */
expected_share_secs: number | null, 
/**
 * What a block found by the pool now would pay you, in atomic units of `asset`: the
 * network's block reward times your percent of the window. An estimate.
 */
payout_per_block_atomic: number | null, 
/**
 * The whole pool's work rate.
 */
pool_rate: WorkRate | null, };

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
simulated: boolean, 
/**
 * How far the node has synced its chain, 0.0 to 1.0, where the node reports it.
 */
sync_progress: number | null, 
/**
 * Network-wide figures, where the node exposes them.
 */
network: NetworkInfo | null, 
/**
 * The pool's figures (P2Pool), where the node exposes them.
 */
pool: PoolInfo | null, 
/**
 * Things the user can fix, in plain words (e.g. "huge pages are not allocated: ...").
 */
hints: Array<string>, };

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

export type Heat = "normal" | "warm" | "hot" | "critical";

export type Temperature = { 
/**
 * E.g. "k10temp Tctl", "coretemp Package id 0", "nvme Composite".
 */
label: string, celsius: number, 
/**
 * How hot for a CPU or GPU sensor, by that part's limits; `None` for other sensors.
 */
heat: Heat | null, };

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
cpu_temp_c: number | null, 
/**
 * `cpu_temp_c` in words, by the CPU heat limits (the thermal rule's).
 */
cpu_heat: Heat | null, 
/**
 * The hottest GPU sensor among `temperatures`, if any, and its heat by the GPU limits.
 */
gpu_temp_c: number | null, gpu_heat: Heat | null, 
/**
 * Sensors that exist but gave no figure this time (a GPU whose driver does not report its
 * temperature, an unreadable hwmon file): the UI lists them as "not available", never
 * 0 °C. GPU sensors are labelled "GPU …" here and in `temperatures`.
 */
unread_sensors: Array<string>, power: PowerSupplyState, };

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
 * integer, text, choice, bool, port, path, password, monero-address or evm-address.
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

export type SeasonView = { name: string, 
/**
 * "MM-DD", inclusive; may wrap past New Year.
 */
from: string, to: string, weekday: Array<number>, weekend: Array<number>, };

export type PriceListView = { prices: number, 
/**
 * The first price's start and the end of the last one (Unix ms).
 */
first_ms: number, end_ms: number, 
/**
 * 60 for hourly lists, 15 for quarter-hourly.
 */
step_minutes: number, };

export type PriceListImport = { csv: string, };

export type EnergySettingsView = { 
/**
 * "flat" (the price per kWh), "time-of-use" (`seasons`) or "hourly" (the imported list).
 */
tariff: string, 
/**
 * IANA time zone the time-of-use hours are read in; null follows the system's.
 */
time_zone: string | null, 
/**
 * The system's time zone, shown when `time_zone` is null (not saved).
 */
system_time_zone: string, 
/**
 * Time-of-use seasons, kept while another kind is chosen. Empty: none set.
 */
seasons: Array<SeasonView>, 
/**
 * Weekend days by English name, e.g. ["saturday", "sunday"].
 */
weekend_days: Array<string>, 
/**
 * AC watts at the wall per DC watt, 0.5 to 1.0 (0.9 when unknown).
 */
psu_efficiency: number, 
/**
 * The CPU's sustained watts under full load, instead of the shipped table's; null: the
 * table's.
 */
cpu_watts: number | null, 
/**
 * Plug-meter readings: the machine idle (node stopped) and the node working.
 */
idle_watts: number | null, load_watts: number | null, 
/**
 * The imported price list, if there is one (not saved: import replaces it).
 */
price_list: PriceListView | null, };

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
 * Tariff kind and prices, PSU efficiency, CPU watts, plug-meter calibration.
 */
energy: EnergySettingsView, 
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

export type PowerView = { watts: number, 
/**
 * wall, cpu-package, gpu, battery, process or model. A CPU package figure is not what
 * the whole computer draws.
 */
kind: string, 
/**
 * measured or estimated.
 */
provenance: string, 
/**
 * E.g. "RAPL package-0 (intel-rapl:0)", "model: unknown CPU, generic 65 W TDP, 43 % load".
 */
source: string, 
/**
 * For estimates: the band the true value very likely lies in.
 */
low_w: number | null, high_w: number | null, 
/**
 * Power above the idle baseline, when one of the same kind exists.
 */
marginal_w: number | null, 
/**
 * The power supply efficiency `marginal_w` was divided by to give wall power (the
 * reading sees only the DC side: CPU package, model, process, GPU); `null` when the
 * reading already covers the whole machine or there is no marginal figure.
 */
marginal_psu: number | null, at_ms: number, };

export type PowerSourceView = { 
/**
 * E.g. "RAPL", "battery", "model".
 */
name: string, 
/**
 * reading, warming-up, not-available or permission-needed.
 */
status: string, 
/**
 * The source or the reason, in plain words.
 */
detail: string, };

export type PermissionView = { 
/**
 * What could be measured.
 */
what: string, 
/**
 * The explanation and trade-off.
 */
how: string, 
/**
 * The commands in `how`, one per entry, to copy.
 */
commands: Array<string>, };

export type BaselineView = { 
/**
 * missing, ready or stale (older than a few hours: a new idle window should be taken).
 */
state: string, watts: number | null, kind: string | null, source: string | null, measured_at_ms: number | null, 
/**
 * Samples the baseline was averaged from.
 */
samples: number, 
/**
 * Samples an idle window needs.
 */
need: number, 
/**
 * Idle samples collected in the window open now (the node is stopped or paused).
 */
collecting: number, };

export type EnergyPeriodView = { kwh: number | null, 
/**
 * Energy above the idle baseline.
 */
marginal_kwh: number | null, 
/**
 * Share (0–1) of the measured time that has a marginal figure.
 */
marginal_coverage: number | null, 
/**
 * Cost in the view's currency of the costed time.
 */
cost: number | null, marginal_cost: number | null, 
/**
 * Share (0–1) of the measured time whose energy is in `cost` (time without a price is
 * left out, never guessed).
 */
cost_coverage: number | null, 
/**
 * Time with a power reading.
 */
covered_secs: number, 
/**
 * measured, estimated, or null when nothing was covered.
 */
provenance: string | null, 
/**
 * Kinds of reading in the period (wall, cpu-package, model...).
 */
kinds: Array<string>, };

export type NetLine = { 
/**
 * estimated, pending or paid.
 */
state: string, asset: string, 
/**
 * "model": Lightrig's estimate from today's work and the network's difficulty and reward;
 * "node": what the node recorded.
 */
basis: string, 
/**
 * The coin amount, exact.
 */
amount: string, 
/**
 * Today's rewards in this state, valued in the view's currency.
 */
income: number, 
/**
 * For an estimate: the 5th–95th percentile band of its value, where known.
 */
income_low: number | null, income_high: number | null, 
/**
 * Value − today's electricity cost; null without a cost.
 */
net: number | null, net_low: number | null, net_high: number | null, 
/**
 * The price of one coin used, where it came from ("your setting", "price feed (host)")
 * and when it was set or fetched.
 */
price: number, price_source: string, price_at_ms: number, 
/**
 * How the amount was obtained.
 */
source: string, };

export type NetView = { 
/**
 * marginal (only what the node adds above the idle baseline) or total.
 */
basis: string, 
/**
 * Why the total is used: "no-baseline", "partial" (part of today has no marginal figure).
 */
basis_reason: string | null, 
/**
 * Today's electricity cost on that basis.
 */
cost: number | null, 
/**
 * One line per state (and coin) with a price; never added together.
 */
lines: Array<NetLine>, 
/**
 * Coins earned or estimated today that have no price in the view's currency.
 */
unpriced: Array<string>, 
/**
 * Practice node: simulated rewards are worth nothing, so the net is minus the cost.
 */
simulated_net: number | null, 
/**
 * Why there is no net: "no-power", "no-tariff", "no-price" (the rewards have no price),
 * "no-rewards" (a price is set, but nothing was earned or estimated today).
 */
unavailable: string | null, };

export type Co2View = { grams_today: number | null, marginal_grams_today: number | null, g_per_kwh: number, 
/**
 * ISO country code, or "world".
 */
region: string, region_name: string, 
/**
 * False when the world average stands in (no country chosen, or none in the table).
 */
country_specific: boolean, year: number, source: string, };

export type FirstPayoutView = { 
/**
 * What ends the wait: "block" (solo mining: the first block found pays the whole reward)
 * or "share" (P2Pool: the first share puts you in the PPLNS window; from then P2Pool pays
 * you at each block the pool finds).
 */
event: string | null, 
/**
 * The average wait, in seconds.
 */
expected_secs: number | null, 
/**
 * 5th and 95th percentile of the wait, in seconds.
 */
p5_secs: number | null, p95_secs: number | null, 
/**
 * How it was computed, e.g. "difficulty 3.0000e11 ÷ 10000 H/s".
 */
source: string | null, 
/**
 * Why there is no figure: "simulated" (practice node), "no-work-rate" (the node is not
 * running or gives no work rate), "not-hashes", "no-network" (no network difficulty),
 * "no-share-difficulty" (P2Pool has not written its side-chain difficulty),
 * "pool-threshold" (XMRig to a pool: Lightrig does not know the pool's payout threshold),
 * "not-mining" (Storj, Mysterium: paid per period, not per block found) or "unknown-node"
 * (a custom node: Lightrig does not know how it pays).
 */
unavailable: string | null, };

export type ProjectionView = { 
/**
 * "marginal" (power above the idle baseline) or "total" (everything the source sees).
 */
basis: string | null, 
/**
 * Why the total is used: "no-baseline" (no idle baseline of the same kind yet).
 */
basis_reason: string | null, 
/**
 * The power the cost rests on, in watts.
 */
watts: number | null, 
/**
 * The electricity price in force now, per kWh in `currency`.
 */
price_per_kwh: number | null, 
/**
 * When that price may change (a time-of-use boundary, the next listed hour); `null` for
 * a flat price.
 */
price_until_ms: number | null, 
/**
 * The coin, its price now in `currency`, and where that price comes from.
 */
asset: string | null, coin_price: number | null, coin_price_source: string | null, revenue_per_hour: number | null, revenue_per_day: number | null, revenue_per_month: number | null, 
/**
 * 5th and 95th percentile of a day's revenue where the payout has a known spread (solo
 * mining: a block pays all or nothing, so most days of a small miner pay 0).
 */
revenue_low_per_day: number | null, revenue_high_per_day: number | null, cost_per_hour: number | null, cost_per_day: number | null, cost_per_month: number | null, 
/**
 * Revenue − cost; negative when the node loses money at this rate.
 */
net_per_hour: number | null, net_per_day: number | null, net_per_month: number | null, 
/**
 * The length of a "month" here: 30 days.
 */
days_per_month: number, 
/**
 * How the revenue was computed, e.g. "10000 H/s × 86400 s × 0.6 XMR / difficulty 3e11".
 */
source: string | null, 
/**
 * Why there is no projection: "simulated" (practice node), "no-work-rate" (not running or
 * no work rate), "not-hashes" (the work rate is not in hashes per second), "no-network"
 * (the node does not report network difficulty and block reward: XMRig to a pool, Storj,
 * Mysterium, a custom node), "no-price" (the coin has no price in `currency`),
 * "no-power" (no power reading) or "no-tariff" (no electricity price in force now).
 */
unavailable: string | null, };

export type EnergyView = { 
/**
 * Power now; `null` when no source gives a reading (`source` says why).
 */
power: PowerView | null, 
/**
 * The live source, or "not available: <why>".
 */
source: string, 
/**
 * GPU power now (NVML, amdgpu); `null` when no GPU source answers (no NVIDIA driver, no
 * AMD card: the usual case, not an error).
 */
gpu_w: number | null, 
/**
 * Where the GPU figure comes from, e.g. "NVIDIA GeForce RTX 3060 (NVML)".
 */
gpu_source: string | null, 
/**
 * "added": `power` is CPU + GPU (a CPU package or model reading leaves the GPU out);
 * "inside": `power` covers the whole machine (wall, battery), the GPU is part of it;
 * "apart": the GPU is not in `power`.
 */
gpu_share: string | null, 
/**
 * Every power source tried this second, best first: why better ones were passed over.
 */
sources: Array<PowerSourceView>, 
/**
 * A sensor that needs a one-time permission (RAPL on Linux). Lightrig never asks for root.
 */
permission: PermissionView | null, baseline: BaselineView, 
/**
 * Since midnight UTC, the last 7 days, and all time; the current node's time only.
 */
today: EnergyPeriodView, week: EnergyPeriodView, all_time: EnergyPeriodView, 
/**
 * ISO 4217 code of every cost and net figure here.
 */
currency: string, 
/**
 * The tariff in force, e.g. "flat 0.3 EUR/kWh (your setting)".
 */
tariff: string | null, net: NetView, 
/**
 * Hashes per joule of the node now (work rate ÷ power): the hardware's mining efficiency.
 */
hashes_per_joule: number | null, 
/**
 * "marginal" (work rate ÷ power above idle) or "total".
 */
efficiency_basis: string | null, 
/**
 * Why no H/J: "no-work-rate", "not-hashes" (the node's work is not hashing) or "no-power".
 */
efficiency_unavailable: string | null, 
/**
 * The electricity price per kWh at which today's net would be zero, in `currency`.
 */
break_even_price: number | null, 
/**
 * Why no break-even price: "no-price" (the rewards have no price in `currency`),
 * "no-energy" (nothing measured or estimated today), "no-estimate" (the node gives no
 * network data to estimate today's earnings from) or "simulated" (practice node).
 */
break_even_unavailable: string | null, 
/**
 * CO₂ of today's electricity from the country's grid intensity.
 */
co2: Co2View | null, 
/**
 * The expected wait for the first payout at the node's rate now, shown with the estimate.
 */
first_payout: FirstPayoutView, 
/**
 * Revenue, electricity cost and net per hour, day and month if the node kept its rate
 * now, at the coin price and electricity price in force now.
 */
projection: ProjectionView, };

export type CoinPriceView = { asset: string, 
/**
 * Exact decimal, e.g. "151.2".
 */
price: string, 
/**
 * The currency it was typed in (may differ from today's settings currency: then it does
 * not value anything until set again).
 */
currency: string, 
/**
 * When the user set it; null for a price written into the settings file by hand.
 */
set_at_ms: number | null, };

export type PriceFeedView = { enabled: boolean, url: string, 
/**
 * The host the feed contacts, for the sentence saying so.
 */
host: string, refresh_minutes: number, min_refresh_minutes: number, 
/**
 * The coins it asks for (asset codes).
 */
assets: Array<string>, 
/**
 * True while the feed's task runs.
 */
running: boolean, last_attempt_ms: number | null, last_success_ms: number | null, 
/**
 * The last attempt's error, in plain words; null after a success.
 */
last_error: string | null, 
/**
 * Coins the last answer lacked or gave bad figures for.
 */
problems: Array<string>, 
/**
 * Coins the last successful fetch priced.
 */
priced: Array<string>, };

export type PricesView = { 
/**
 * The settings currency: prices typed now are in it.
 */
currency: string, coins: Array<CoinPriceView>, feed: PriceFeedView, };

export type CoinPriceEdit = { asset: string, price: string, };

export type PricesEdit = { coins: Array<CoinPriceEdit>, feed_enabled: boolean, feed_url: string, refresh_minutes: number, };

export type EnergySeries = { 
/**
 * Width of one point in seconds (60, 3600 or 86400).
 */
step_secs: number, 
/**
 * Unix seconds of each point's start.
 */
t: Array<number>, wh: Array<number | null>, 
/**
 * Energy above the idle baseline.
 */
marginal_wh: Array<number | null>, 
/**
 * Cost of each point in `currency`.
 */
cost: Array<number | null>, currency: string | null, };

export type Earnings = { today: Array<RewardLine>, week: Array<RewardLine>, all_time: Array<RewardLine>, 
/**
 * Power, energy, cost and the net result; "not available" where nothing measures them.
 */
energy: EnergyView, };

export type SeriesRange = "10m" | "24h" | "30d" | "1y";

export type Series = { range: SeriesRange, 
/**
 * Width of one point in seconds.
 */
step_secs: number, 
/**
 * Unix seconds of each point.
 */
t: Array<number>, work_rate: Array<number | null>, work_unit: string | null, cpu_percent: Array<number | null>, node_cpu_percent: Array<number | null>, cpu_temp_c: Array<number | null>, power_w: Array<number | null>, 
/**
 * What the latest power figure covers (wall, cpu-package, model...), how it was obtained
 * (measured or estimated) and its source.
 */
power_kind: string | null, power_provenance: string | null, power_source: string | null, 
/**
 * Energy per minute (10 minutes, 24 hours), per hour (30 days) or per UTC day (1 year).
 */
energy: EnergySeries, };

export type SourceView = { id: string, title: string, issuer: string, date: string, url: string | null, };

export type ComplianceView = { jurisdiction: string, jurisdiction_name: string, activity: string, 
/**
 * permitted, permitted-with-licence, restricted, prohibited or unclear.
 */
status: string, 
/**
 * confirmed, secondary or unconfirmed.
 */
confidence: string, text: string, sources: Array<SourceView>, last_reviewed: string, stale: boolean, 
/**
 * True when starting this node needs the user's acknowledgement of this note (status
 * restricted or prohibited, and a node that does real work: the practice node earns
 * nothing and connects nowhere, so it never needs one).
 */
requires_acknowledgement: boolean, 
/**
 * The note's version; an acknowledgement is for one version.
 */
note_version: number, 
/**
 * When the user acknowledged this version, if they did (Unix ms).
 */
acknowledged_at_ms: number | null, };

export type ApiError = { code: string, message: string, field: string | null, };

export type AvailableRelease = { "state": "pinned", version: string, size: number, 
/**
 * The upstream's signed checksum list is checked too.
 */
signed: boolean, } | { "state": "not-pinned" } | { "state": "none" };

export type BinaryView = { 
/**
 * `null` for a program the user chose.
 */
version: string | null, path: string, sha256: string, size: number, 
/**
 * RFC 3339, when the file system reports it.
 */
modified: string | null, };

export type InstallProgress = { node: string, 
/**
 * Bytes downloaded so far, and the release's exact size.
 */
bytes: number, total: number, rate_bytes_per_s: number, 
/**
 * The install ended (installed or failed); the call that started it has the result.
 */
finished: boolean, };

export type NodeInstallView = { 
/**
 * The installer's node id, as in `lightrig install <node>`.
 */
node: string, 
/**
 * The display name of the first profile that runs it (or the node id).
 */
name: string, 
/**
 * Profiles that run this program.
 */
profiles: Array<string>, 
/**
 * How those profiles find the program: installed, search-path or path.
 */
source: string, available: AvailableRelease, 
/**
 * Installs by Lightrig, newest first: the first is current, the second kept for rollback.
 */
installed: Array<BinaryView>, 
/**
 * A program the user chose, or one found on PATH and recorded when it was first used.
 */
adopted: BinaryView | null, 
/**
 * Which program starts: "adopted", "installed", or null when there is none yet.
 */
uses: string | null, 
/**
 * For a search-path profile: the program PATH finds now, if any.
 */
on_path: string | null, 
/**
 * An install of this node under way, with its latest progress.
 */
installing: InstallProgress | null, };

export type InstallRequest = { node: string, version: string | null, 
/**
 * Install an older release than the highest ever installed. Only from an explicit choice.
 */
allow_downgrade: boolean, };

export type AdoptRequest = { node: string, 
/**
 * Absolute path of the program.
 */
path: string, };

export type ExportQuery = { format: string, from: string, to: string, };

export type ExportFile = { file_name: string, media_type: string, content: string, };

export type AppEvent = { "event": "node://status", "payload": NodeStatus } | { "event": "telemetry://sample", "payload": TelemetrySample } | { "event": "node://log", "payload": LogLine } | { "event": "install://progress", "payload": InstallProgress };

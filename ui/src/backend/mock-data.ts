// Fixtures for the mock backend: a practice node, a real-looking XMRig profile, compliance
// notes for a few places (texts taken from the engine's notes), and generated chart data.
import type { ComplianceView, EnergyView, NodeInstallView, NodeStatus, PricesView, ProfileView, Series, SeriesRange, SettingsView, TelemetrySample } from "../bindings";

export const PRACTICE: ProfileView = {
  id: "practice",
  name: "Practice node (simulated rewards)",
  description:
    "Runs real hashing on your CPU against a made-up difficulty. Nothing it earns is money: use it to see what a node costs in power and heat before you run a real one.",
  activity: "pow-mining",
  simulated: true,
  fields: [
    { name: "threads", kind: "integer", label: "Threads", help: "How many CPU threads hash. One leaves the rest of the computer free.", required: false, min: 1, max: 256, choices: [], default: 1 },
    { name: "intensity", kind: "integer", label: "Intensity (%)", help: "Share of each tenth of a second a thread spends hashing.", required: false, min: 1, max: 100, choices: [], default: 50 },
    { name: "difficulty", kind: "integer", label: "Difficulty", help: "Made-up share difficulty: lower finds shares more often.", required: false, min: 1, max: 1_000_000_000_000, choices: [], default: 2_000_000 },
    { name: "api_port", kind: "port", label: "API port", help: null, required: false, min: 1, max: 65535, choices: [], default: null },
  ],
  values: { threads: 1, intensity: 50, difficulty: 2_000_000 },
};

export const XMRIG: ProfileView = {
  id: "xmrig-p2pool",
  name: "Monero CPU mining (XMRig → P2Pool mini)",
  description: "Mines Monero on your CPU through a local P2Pool. Rewards are real and paid to your address.",
  activity: "pow-mining",
  simulated: false,
  fields: [
    { name: "address", kind: "text", label: "Payout address", help: "Your Monero primary address (starts with 4).", required: true, min: null, max: null, choices: [], default: null },
    { name: "threads", kind: "integer", label: "Threads", help: null, required: false, min: 1, max: 64, choices: [], default: 2 },
    { name: "pool", kind: "choice", label: "Sidechain", help: null, required: true, min: null, max: null, choices: ["mini", "main", "nano"], default: "mini" },
    { name: "huge_pages", kind: "bool", label: "Use huge pages", help: "Faster hashing; may need administrator rights.", required: false, min: null, max: null, choices: [], default: false },
    { name: "data_dir", kind: "path", label: "Data folder", help: null, required: false, min: null, max: null, choices: [], default: null },
    { name: "stratum_port", kind: "port", label: "Stratum port", help: null, required: false, min: 1, max: 65535, choices: [], default: 3333 },
  ],
  values: { threads: 2, pool: "mini", huge_pages: false, stratum_port: 3333 },
};

export const STORJ: ProfileView = {
  id: "storj",
  name: "Storj storage node",
  description: "Rents out disk space to the Storj network. Needs an open port and a stable connection.",
  activity: "storage",
  simulated: false,
  fields: [
    { name: "wallet", kind: "text", label: "Payout wallet (ERC-20)", help: null, required: true, min: null, max: null, choices: [], default: null },
    { name: "storage_gb", kind: "integer", label: "Space to share (GB)", help: null, required: true, min: 550, max: 100000, choices: [], default: 550 },
  ],
  values: { storage_gb: 550 },
};

export const DEFAULT_SETTINGS: SettingsView = {
  jurisdiction: "DE",
  price_per_kwh: 0.32,
  currency: "EUR",
  energy: {
    tariff: "flat",
    time_zone: null,
    system_time_zone: "Europe/Berlin",
    seasons: [],
    weekend_days: ["saturday", "sunday"],
    psu_efficiency: 0.9,
    cpu_watts: null,
    idle_watts: null,
    load_watts: null,
    price_list: null,
  },
  language: null,
  theme: "system",
  close_to_tray: false,
  start_minimised: false,
  autostart: false,
  own_device: true,
  permission_confirmed: false,
  onboarded: true,
};

export function stoppedStatus(now: number): NodeStatus {
  return {
    node_id: "practice",
    profile_name: PRACTICE.name,
    simulated: true,
    state: { kind: "stopped", reason: "not started yet" },
    pid: null,
    restarts: 0,
    metrics: null,
    metrics_error: null,
    updated_ms: now,
  };
}

export function sample(now: number, running: boolean, tick: number): TelemetrySample {
  const wave = Math.sin(tick / 9);
  return {
    at_ms: now,
    cpu_percent: running ? 31 + 4 * wave : 6 + 2 * wave,
    logical_cores: 8,
    mem_used_bytes: 9_400_000_000,
    mem_total_bytes: 16_700_000_000,
    node: running ? { root_pid: 48211, pids: [48211], cpu_percent: 96 + 3 * wave, rss_bytes: 41_000_000 } : null,
    temperatures: [
      { label: "Package id 0", celsius: running ? 71 + 2 * wave : 48, heat: "normal" },
      { label: "Core 0", celsius: running ? 69 + 2 * wave : 46, heat: "normal" },
      { label: "GPU amdgpu edge", celsius: 41, heat: "normal" },
    ],
    // Below 75 °C: "normal" by the engine's CPU and GPU limits.
    cpu_temp_c: running ? 71 + 2 * wave : 48,
    cpu_heat: "normal",
    gpu_temp_c: 41,
    gpu_heat: "normal",
    unread_sensors: ["GPU amdgpu junction"],
    power: { on_battery: false, battery_percent: null, source: "sysfs power_supply" },
  };
}

const NOTES: Record<string, Omit<ComplianceView, "stale" | "activity" | "acknowledged_at_ms">> = {
  DE: {
    jurisdiction: "DE",
    jurisdiction_name: "Germany",
    status: "permitted",
    confidence: "confirmed",
    text: "Germany's Federal Ministry of Finance treats mining as a way of acquiring coins and sets out how it is taxed, so mining on your own computer is an ordinary taxable activity. Whether it is private or commercial depends on the circumstances.",
    sources: [
      { id: "DE-1", title: "BMF letter on the income-tax treatment of certain crypto-assets", issuer: "Federal Ministry of Finance (BMF)", date: "2025-03-06", url: "https://www.haufe.de/steuern/finanzverwaltung/bmf-ertragsteuerrechtlichen-behandlung-vob-kryptowerten_164_643594.html" },
      { id: "DE-3", title: "BMF letter: documentation duties for crypto-asset transactions", issuer: "Federal Ministry of Finance (BMF)", date: "2025-03-06", url: "https://www.ey.com/de_de/technical/steuernachrichten/ueberarbeitetes-anwendungsschreiben-zur-behandlung-von-kryptowerten" },
    ],
    last_reviewed: "2026-11-24",
    requires_acknowledgement: false,
    note_version: 1,
  },
  CN: {
    jurisdiction: "CN",
    jurisdiction_name: "中国大陆",
    status: "prohibited",
    confidence: "confirmed",
    text: "中国大陆自2021年起整治虚拟货币挖矿：不得以任何名义新建挖矿项目，挖矿还被列入淘汰类产业。各地设有举报渠道，个人挖矿也在举报范围内；多个省份对挖矿用电每千瓦时最高加价2元。目前没有找到把个人在自家电脑上挖矿直接定为犯罪的条文，但法院认定与挖矿有关的合同无效，亏损只能自己承担。",
    sources: [
      { id: "CN-3", title: "关于整治虚拟货币“挖矿”活动的通知（发改运行〔2021〕1283号）", issuer: "国家发展改革委等部门", date: "2021-09-03", url: "https://www.ndrc.gov.cn/xxgk/zcfb/tz/202109/t20210924_1297474.html" },
      { id: "CN-1", title: "关于进一步防范和处置虚拟货币交易炒作风险的通知", issuer: "中国人民银行等十部门", date: "2021-09-24", url: null },
    ],
    last_reviewed: "2026-01-10",
    requires_acknowledgement: true,
    note_version: 2,
  },
};

export function complianceFor(code: string | null, activity: string, stale: boolean, acknowledgedAt: number | null = null): ComplianceView | null {
  if (!code) return null;
  const n = NOTES[code];
  return n ? { ...n, activity, stale, acknowledged_at_ms: acknowledgedAt } : null;
}

/** The mock's power model (the same as `energyEstimated`): a generic 65 W CPU, idle at 17.7 W. */
const MOCK_IDLE_W = 17.7;
const MOCK_PRICE_PER_KWH = 0.3;

/** Deterministic chart data: a daily rhythm, a gap, and nulls where a sensor was missing.
 * With `energy`, power and energy per point too (a model estimate); a year has one point per
 * day, leaves out the days the computer was away (as the ledger does) and has no cost before
 * the tariff was set. */
export function makeSeries(range: SeriesRange, nowMs: number, running: boolean, energy: { currency: string } | null = null): Series {
  const step = range === "10m" ? 5 : range === "24h" ? 60 : range === "30d" ? 3600 : 86_400;
  const count = range === "10m" ? 120 : range === "24h" ? 1440 : range === "30d" ? 720 : 365;
  const end = Math.floor(nowMs / 1000 / step) * step;
  const year = range === "1y";
  const s: Series = {
    range,
    step_secs: step,
    t: [],
    work_rate: [],
    work_unit: "H/s",
    cpu_percent: [],
    node_cpu_percent: [],
    cpu_temp_c: [],
    power_w: [],
    power_kind: energy ? "model" : null,
    power_provenance: energy ? "estimated" : null,
    power_source: energy ? "model: unknown CPU, generic 65 W TDP" : null,
    energy: { step_secs: range === "30d" ? 3600 : year ? 86_400 : 60, t: [], wh: [], marginal_wh: [], cost: [], currency: energy ? energy.currency : null },
  };
  const watts: Array<number | null> = [];
  for (let i = 0; i < count; i++) {
    const t = end - (count - 1 - i) * step;
    const phase = i / count;
    const gap = phase > 0.42 && phase < 0.47; // the computer was asleep (or away)
    if (gap && year) continue; // no day rows at all: the chart draws the gap
    const on = running && !gap;
    const wobble = Math.sin(i / 7) * 0.06 + Math.sin(i / 31) * 0.04;
    s.t.push(t);
    s.work_rate.push(gap ? null : on ? 1830 * (1 + wobble) : 0);
    s.cpu_percent.push(gap ? null : on ? 30 + 20 * wobble : 5 + 10 * Math.abs(wobble));
    s.node_cpu_percent.push(gap ? null : on ? 97 + 30 * wobble : 0);
    s.cpu_temp_c.push(gap ? null : on ? 70 + 20 * wobble : 47);
    const w = energy && !gap ? (on ? 47.8 + 120 * wobble : MOCK_IDLE_W) : null;
    s.power_w.push(w);
    watts.push(w);
  }
  if (energy) {
    const e = s.energy;
    if (year) {
      // Days: the node ran a varying part of each day; the tariff was entered 60 days in.
      s.t.forEach((t, i) => {
        const hours = 6 + 5 * Math.abs(Math.sin(i / 9));
        const wh = (watts[i] ?? MOCK_IDLE_W) * hours;
        e.t.push(t);
        e.wh.push(wh);
        e.marginal_wh.push((Math.max(0, (watts[i] ?? 0) - MOCK_IDLE_W)) * hours);
        e.cost.push(i < 60 ? null : (wh / 1000) * MOCK_PRICE_PER_KWH);
      });
    } else {
      // Minutes (10 min, 24 h) or hours (30 days) over the same span, from the same power.
      const per = e.step_secs;
      const first = Math.floor((s.t[0] ?? end) / per) * per;
      for (let t = first; t <= end; t += per) {
        const i = Math.min(watts.length - 1, Math.max(0, Math.round((t - (s.t[0] ?? end)) / step)));
        const w = watts[i] ?? null;
        if (w === null) continue; // asleep: no energy rows
        const wh = (w * per) / 3600;
        e.t.push(t);
        e.wh.push(wh);
        e.marginal_wh.push((Math.max(0, w - MOCK_IDLE_W) * per) / 3600);
        e.cost.push((wh / 1000) * MOCK_PRICE_PER_KWH);
      }
    }
  }
  return s;
}

/** The energy view where nothing measures or estimates power (a first run, a VM): every figure null. */
export function energyNotAvailable(currency: string): EnergyView {
  const period = { kwh: null, marginal_kwh: null, marginal_coverage: null, cost: null, marginal_cost: null, cost_coverage: null, covered_secs: 0, provenance: null, kinds: [] };
  return {
    power: null,
    source: "not available: no power source is measured on this computer yet",
    gpu_w: null,
    gpu_source: null,
    gpu_share: null,
    sources: [],
    permission: null,
    baseline: { state: "missing", watts: null, kind: null, source: null, measured_at_ms: null, samples: 0, need: 30, collecting: 0 },
    today: { ...period },
    week: { ...period },
    all_time: { ...period },
    currency,
    tariff: null,
    net: { basis: "total", basis_reason: "no-baseline", cost: null, lines: [], unpriced: [], simulated_net: null, unavailable: "no-power" },
    hashes_per_joule: null,
    efficiency_basis: null,
    efficiency_unavailable: "no-power",
    break_even_price: null,
    break_even_unavailable: "no-energy",
    co2: null,
    first_payout: { event: null, expected_secs: null, p5_secs: null, p95_secs: null, source: null, unavailable: "no-work-rate" },
    projection: projectionNotAvailable("no-work-rate"),
  };
}

/** "At this rate" with no figure, for `reason` (an engine reason code). */
export function projectionNotAvailable(reason: string): EnergyView["projection"] {
  return {
    basis: null,
    basis_reason: null,
    watts: null,
    price_per_kwh: null,
    price_until_ms: null,
    asset: null,
    coin_price: null,
    coin_price_source: null,
    revenue_per_hour: null,
    revenue_per_day: null,
    revenue_per_month: null,
    revenue_low_per_day: null,
    revenue_high_per_day: null,
    cost_per_hour: null,
    cost_per_day: null,
    cost_per_month: null,
    net_per_hour: null,
    net_per_day: null,
    net_per_month: null,
    days_per_month: 30,
    source: null,
    unavailable: reason,
  };
}

/**
 * monerod mining solo at 10 kH/s, difficulty 3·10¹¹, reward 0.6 XMR, 150 EUR/XMR, 30 W above
 * idle at 0.30 EUR/kWh: revenue 0.2592/day, cost 0.216/day, net +0.0432/day, +1.296 per 30 days.
 * 0.00288 blocks a day: 95 % of days find none, so the day's band is 0 to 0.
 */
export const PROJECTION_SOLO: EnergyView["projection"] = {
  ...projectionNotAvailable("no-work-rate"),
  basis: "marginal",
  watts: 30,
  price_per_kwh: 0.3,
  asset: "XMR",
  coin_price: 150,
  coin_price_source: "your setting",
  revenue_per_hour: 0.0108,
  revenue_per_day: 0.2592,
  revenue_per_month: 7.776,
  revenue_low_per_day: 0,
  revenue_high_per_day: 0,
  cost_per_hour: 0.009,
  cost_per_day: 0.216,
  cost_per_month: 6.48,
  net_per_hour: 0.0018,
  net_per_day: 0.0432,
  net_per_month: 1.296,
  source: "10000 H/s effective × 86400 s × 0.6 XMR / difficulty 3.0000e11 at 150.00 EUR per XMR (your setting)",
  unavailable: null,
};

/**
 * The wait for the first payout of P2Pool at 10 kH/s against a side-chain difficulty of 3·10⁹:
 * 3·10⁵ s on average (about 3.5 days), 90 % of the time between 15,388 s and 898,720 s.
 */
export const FIRST_PAYOUT_P2POOL: EnergyView["first_payout"] = {
  event: "share",
  expected_secs: 300_000,
  p5_secs: 15_388,
  p95_secs: 898_720,
  source: "P2Pool side-chain difficulty 3.0000e9 ÷ 10000 H/s",
  unavailable: null,
};

/** The node programs of the mock's real profiles: XMRig has a pinned release, Storj none yet. */
export const INSTALLS: NodeInstallView[] = [
  {
    node: "xmrig",
    name: XMRIG.name,
    profiles: [XMRIG.id],
    source: "installed",
    available: { state: "pinned", version: "6.22.2", size: 3_145_728, signed: true },
    installed: [],
    adopted: null,
    uses: null,
    on_path: null,
    installing: null,
  },
  {
    node: "storj",
    name: STORJ.name,
    profiles: [STORJ.id],
    source: "search-path",
    available: { state: "not-pinned" },
    installed: [],
    adopted: null,
    uses: null,
    on_path: "/usr/bin/storagenode",
    installing: null,
  },
];

/**
 * A machine without a power sensor (the CPU model answers) after 3 h 25 min of work, with an
 * idle baseline measured before the start: every figure estimated, and the net of simulated
 * rewards is minus the marginal cost.
 */
export function energyEstimated(currency: string, now: number): EnergyView {
  const e = energyNotAvailable(currency);
  const source = "model: unknown CPU, generic 65 W TDP";
  const period = (kwh: number, secs: number) => ({
    kwh,
    marginal_kwh: kwh * 0.63,
    marginal_coverage: 1,
    cost: kwh * 0.3,
    marginal_cost: kwh * 0.63 * 0.3,
    cost_coverage: 1,
    covered_secs: secs,
    provenance: "estimated",
    kinds: ["model"],
  });
  const today = period(0.163, 12_300);
  return {
    ...e,
    power: { watts: 47.8, kind: "model", provenance: "estimated", source: `${source}, 74 % load`, low_w: 23.9, high_w: 95.6, marginal_w: 30.1, marginal_psu: 0.9, at_ms: now },
    source: `${source}, 74 % load`,
    sources: [
      { name: "RAPL", status: "not-available", detail: "no RAPL package zone under /sys/class/powercap: the kernel has no powercap driver for this CPU, or this is a virtual machine" },
      { name: "battery", status: "not-available", detail: "no battery" },
      { name: "model", status: "reading", detail: `${source}, 74 % load` },
    ],
    baseline: { state: "ready", watts: 17.7, kind: "model", source, measured_at_ms: now - 12_400_000, samples: 45, need: 30, collecting: 0 },
    today,
    week: period(1.12, 84_000),
    all_time: period(4.87, 365_000),
    tariff: `flat 0.3 ${currency}/kWh (your setting)`,
    net: { basis: "marginal", basis_reason: null, cost: today.marginal_cost, lines: [], unpriced: [], simulated_net: -today.marginal_cost, unavailable: null },
    hashes_per_joule: 60.8,
    efficiency_basis: "marginal",
    efficiency_unavailable: null,
    break_even_unavailable: "simulated",
    first_payout: { ...e.first_payout, unavailable: "simulated" },
    projection: projectionNotAvailable("simulated"),
    co2: { grams_today: 62.1, marginal_grams_today: 39.1, g_per_kwh: 381, region: "DE", region_name: "Germany", country_specific: true, year: 2023, source: "Our World in Data / Ember (CC BY 4.0), 2023" },
  };
}

/** The prices screen before anything is set: no coin price, the feed off. */
export function defaultPrices(currency: string): PricesView {
  return {
    currency,
    coins: [],
    feed: {
      enabled: false,
      url: "https://api.coingecko.com/api/v3/simple/price",
      host: "api.coingecko.com",
      refresh_minutes: 15,
      min_refresh_minutes: 5,
      assets: ["MYST", "STORJ", "XMR"],
      running: false,
      last_attempt_ms: null,
      last_success_ms: null,
      last_error: null,
      problems: [],
      priced: [],
    },
  };
}

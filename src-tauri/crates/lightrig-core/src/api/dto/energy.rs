//! Energy, cost and net result as the UI shows them. Every figure is `null` ("not available")
//! rather than 0 when it cannot be known, and says how it was obtained. Reasons the UI puts in
//! words are short stable codes; free text (sources, the permission help) is shown as is.

use serde::Serialize;
use ts_rs::TS;

/// Energy for the current node, power now, and what is left after electricity.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EnergyView {
    /// Power now; `null` when no source gives a reading (`source` says why).
    pub power: Option<PowerView>,
    /// The live source, or "not available: <why>".
    pub source: String,
    /// GPU power now (NVML, amdgpu); `null` when no GPU source answers (no NVIDIA driver, no
    /// AMD card: the usual case, not an error).
    pub gpu_w: Option<f64>,
    /// Where the GPU figure comes from, e.g. "NVIDIA GeForce RTX 3060 (NVML)".
    pub gpu_source: Option<String>,
    /// "added": `power` is CPU + GPU (a CPU package or model reading leaves the GPU out);
    /// "inside": `power` covers the whole machine (wall, battery), the GPU is part of it;
    /// "apart": the GPU is not in `power`.
    pub gpu_share: Option<String>,
    /// Every power source tried this second, best first: why better ones were passed over.
    pub sources: Vec<PowerSourceView>,
    /// A sensor that needs a one-time permission (RAPL on Linux). Lightrig never asks for root.
    pub permission: Option<PermissionView>,
    pub baseline: BaselineView,
    /// Since midnight UTC, the last 7 days, and all time; the current node's time only.
    pub today: EnergyPeriodView,
    pub week: EnergyPeriodView,
    pub all_time: EnergyPeriodView,
    /// ISO 4217 code of every cost and net figure here.
    pub currency: String,
    /// The tariff in force, e.g. "flat 0.3 EUR/kWh (your setting)".
    pub tariff: Option<String>,
    pub net: NetView,
    /// Hashes per joule of the node now (work rate ÷ power): the hardware's mining efficiency.
    pub hashes_per_joule: Option<f64>,
    /// "marginal" (work rate ÷ power above idle) or "total".
    pub efficiency_basis: Option<String>,
    /// Why no H/J: "no-work-rate", "not-hashes" (the node's work is not hashing) or "no-power".
    pub efficiency_unavailable: Option<String>,
    /// The electricity price per kWh at which today's net would be zero, in `currency`.
    pub break_even_price: Option<f64>,
    /// Why no break-even price: "no-price" (the rewards have no price in `currency`),
    /// "no-energy" (nothing measured or estimated today), "no-estimate" (the node gives no
    /// network data to estimate today's earnings from) or "simulated" (practice node).
    pub break_even_unavailable: Option<String>,
    /// CO₂ of today's electricity from the country's grid intensity.
    pub co2: Option<Co2View>,
    /// The expected wait for the first payout at the node's rate now, shown with the estimate.
    pub first_payout: FirstPayoutView,
    /// Revenue, electricity cost and net per hour, day and month if the node kept its rate
    /// now, at the coin price and electricity price in force now.
    pub projection: ProjectionView,
}

/// "At this rate": what an hour, a day and a month (30 days) bring if the node kept its work
/// rate, power and prices of now. Revenue is an estimate from the network's difficulty and
/// block reward; the net is revenue − cost and never includes pending or paid rewards. Every
/// figure is `null` with a reason code when it cannot be computed, never 0.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProjectionView {
    /// "marginal" (power above the idle baseline) or "total" (everything the source sees).
    pub basis: Option<String>,
    /// Why the total is used: "no-baseline" (no idle baseline of the same kind yet).
    pub basis_reason: Option<String>,
    /// The power the cost rests on, in watts.
    pub watts: Option<f64>,
    /// The electricity price in force now, per kWh in `currency`.
    pub price_per_kwh: Option<f64>,
    /// When that price may change (a time-of-use boundary, the next listed hour); `null` for
    /// a flat price.
    #[ts(type = "number | null")]
    pub price_until_ms: Option<i64>,
    /// The coin, its price now in `currency`, and where that price comes from.
    pub asset: Option<String>,
    pub coin_price: Option<f64>,
    pub coin_price_source: Option<String>,
    pub revenue_per_hour: Option<f64>,
    pub revenue_per_day: Option<f64>,
    pub revenue_per_month: Option<f64>,
    /// 5th and 95th percentile of a day's revenue where the payout has a known spread (solo
    /// mining: a block pays all or nothing, so most days of a small miner pay 0).
    pub revenue_low_per_day: Option<f64>,
    pub revenue_high_per_day: Option<f64>,
    pub cost_per_hour: Option<f64>,
    pub cost_per_day: Option<f64>,
    pub cost_per_month: Option<f64>,
    /// Revenue − cost; negative when the node loses money at this rate.
    pub net_per_hour: Option<f64>,
    pub net_per_day: Option<f64>,
    pub net_per_month: Option<f64>,
    /// The length of a "month" here: 30 days.
    pub days_per_month: u32,
    /// How the revenue was computed, e.g. "10000 H/s × 86400 s × 0.6 XMR / difficulty 3e11".
    pub source: Option<String>,
    /// Why there is no projection: "simulated" (practice node), "no-work-rate" (not running or
    /// no work rate), "not-hashes" (the work rate is not in hashes per second), "no-network"
    /// (the node does not report network difficulty and block reward: XMRig to a pool, Storj,
    /// Mysterium, a custom node), "no-price" (the coin has no price in `currency`),
    /// "no-power" (no power reading) or "no-tariff" (no electricity price in force now).
    pub unavailable: Option<String>,
}

/// How long the node can expect to work before its first payout, at its work rate now, with
/// the 5th–95th percentile: finding blocks and shares is a Poisson process, so a small CPU may
/// wait far longer than the average. `null` figures come with a reason code, never 0.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FirstPayoutView {
    /// What ends the wait: "block" (solo mining: the first block found pays the whole reward)
    /// or "share" (P2Pool: the first share puts you in the PPLNS window; from then P2Pool pays
    /// you at each block the pool finds).
    pub event: Option<String>,
    /// The average wait, in seconds.
    pub expected_secs: Option<f64>,
    /// 5th and 95th percentile of the wait, in seconds.
    pub p5_secs: Option<f64>,
    pub p95_secs: Option<f64>,
    /// How it was computed, e.g. "difficulty 3.0000e11 ÷ 10000 H/s".
    pub source: Option<String>,
    /// Why there is no figure: "simulated" (practice node), "no-work-rate" (the node is not
    /// running or gives no work rate), "not-hashes", "no-network" (no network difficulty),
    /// "no-share-difficulty" (P2Pool has not written its side-chain difficulty),
    /// "pool-threshold" (XMRig to a pool: Lightrig does not know the pool's payout threshold),
    /// "not-mining" (Storj, Mysterium: paid per period, not per block found) or "unknown-node"
    /// (a custom node: Lightrig does not know how it pays).
    pub unavailable: Option<String>,
}

/// One power figure with what it covers and how it was obtained.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PowerView {
    pub watts: f64,
    /// wall, cpu-package, gpu, battery, process or model. A CPU package figure is not what
    /// the whole computer draws.
    pub kind: String,
    /// measured or estimated.
    pub provenance: String,
    /// E.g. "RAPL package-0 (intel-rapl:0)", "model: unknown CPU, generic 65 W TDP, 43 % load".
    pub source: String,
    /// For estimates: the band the true value very likely lies in.
    pub low_w: Option<f64>,
    pub high_w: Option<f64>,
    /// Power above the idle baseline, when one of the same kind exists.
    pub marginal_w: Option<f64>,
    /// The power supply efficiency `marginal_w` was divided by to give wall power (the
    /// reading sees only the DC side: CPU package, model, process, GPU); `null` when the
    /// reading already covers the whole machine or there is no marginal figure.
    pub marginal_psu: Option<f64>,
    pub at_ms: i64,
}

/// One rung of the power ladder and what it said this second.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PowerSourceView {
    /// E.g. "RAPL", "battery", "model".
    pub name: String,
    /// reading, warming-up, not-available or permission-needed.
    pub status: String,
    /// The source or the reason, in plain words.
    pub detail: String,
}

/// What a sensor needs, in plain words, and the commands to run once.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PermissionView {
    /// What could be measured.
    pub what: String,
    /// The explanation and trade-off.
    pub how: String,
    /// The commands in `how`, one per entry, to copy.
    pub commands: Vec<String>,
}

/// The idle baseline marginal figures rest on: measured by Lightrig itself while the node is
/// stopped or paused.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BaselineView {
    /// missing, ready or stale (older than a few hours: a new idle window should be taken).
    pub state: String,
    pub watts: Option<f64>,
    pub kind: Option<String>,
    pub source: Option<String>,
    pub measured_at_ms: Option<i64>,
    /// Samples the baseline was averaged from.
    pub samples: u32,
    /// Samples an idle window needs.
    pub need: u32,
    /// Idle samples collected in the window open now (the node is stopped or paused).
    pub collecting: u32,
}

/// Energy and cost over one period.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EnergyPeriodView {
    pub kwh: Option<f64>,
    /// Energy above the idle baseline.
    pub marginal_kwh: Option<f64>,
    /// Share (0–1) of the measured time that has a marginal figure.
    pub marginal_coverage: Option<f64>,
    /// Cost in the view's currency of the costed time.
    pub cost: Option<f64>,
    pub marginal_cost: Option<f64>,
    /// Share (0–1) of the measured time whose energy is in `cost` (time without a price is
    /// left out, never guessed).
    pub cost_coverage: Option<f64>,
    /// Time with a power reading.
    pub covered_secs: f64,
    /// measured, estimated, or null when nothing was covered.
    pub provenance: Option<String>,
    /// Kinds of reading in the period (wall, cpu-package, model...).
    pub kinds: Vec<String>,
}

/// Today's net result: rewards valued at a price, minus the electricity cost. Estimated,
/// pending and paid rewards each get their own line and are never added together.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NetView {
    /// marginal (only what the node adds above the idle baseline) or total.
    pub basis: String,
    /// Why the total is used: "no-baseline", "partial" (part of today has no marginal figure).
    pub basis_reason: Option<String>,
    /// Today's electricity cost on that basis.
    pub cost: Option<f64>,
    /// One line per state (and coin) with a price; never added together.
    pub lines: Vec<NetLine>,
    /// Coins earned or estimated today that have no price in the view's currency.
    pub unpriced: Vec<String>,
    /// Practice node: simulated rewards are worth nothing, so the net is minus the cost.
    pub simulated_net: Option<f64>,
    /// Why there is no net: "no-power", "no-tariff", "no-price" (the rewards have no price),
    /// "no-rewards" (a price is set, but nothing was earned or estimated today).
    pub unavailable: Option<String>,
}

/// Today's rewards in one state, valued at the price in force now.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct NetLine {
    /// estimated, pending or paid.
    pub state: String,
    pub asset: String,
    /// "model": Lightrig's estimate from today's work and the network's difficulty and reward;
    /// "node": what the node recorded.
    pub basis: String,
    /// The coin amount, exact.
    pub amount: String,
    /// Today's rewards in this state, valued in the view's currency.
    pub income: f64,
    /// For an estimate: the 5th–95th percentile band of its value, where known.
    pub income_low: Option<f64>,
    pub income_high: Option<f64>,
    /// Value − today's electricity cost; null without a cost.
    pub net: Option<f64>,
    pub net_low: Option<f64>,
    pub net_high: Option<f64>,
    /// The price of one coin used, where it came from ("your setting", "price feed (host)")
    /// and when it was set or fetched.
    pub price: f64,
    pub price_source: String,
    #[ts(type = "number")]
    pub price_at_ms: i64,
    /// How the amount was obtained.
    pub source: String,
}

/// CO₂ of the electricity, from a yearly grid average (a production mix without imports).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Co2View {
    pub grams_today: Option<f64>,
    pub marginal_grams_today: Option<f64>,
    pub g_per_kwh: f64,
    /// ISO country code, or "world".
    pub region: String,
    pub region_name: String,
    /// False when the world average stands in (no country chosen, or none in the table).
    pub country_specific: bool,
    pub year: u16,
    pub source: String,
}

/// Energy per bucket for charts, from the ledger's energy rollups.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct EnergySeries {
    /// Width of one point in seconds (60, 3600 or 86400).
    pub step_secs: u32,
    /// Unix seconds of each point's start.
    pub t: Vec<f64>,
    pub wh: Vec<Option<f64>>,
    /// Energy above the idle baseline.
    pub marginal_wh: Vec<Option<f64>>,
    /// Cost of each point in `currency`.
    pub cost: Vec<Option<f64>>,
    pub currency: Option<String>,
}

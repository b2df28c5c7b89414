//! Today's rewards in money, per state: what the node is estimated to have earned, what is
//! pending and what was paid, each at the coin price in force now (`ledger::prices`), each on
//! its own line with its own net (value − today's electricity cost). The lines are never added
//! together: an estimate is not money, and pending is not paid.
//!
//! The estimate comes from the work the node did today and the network's difficulty and block
//! reward, where the node exposes them (monerod, P2Pool): expected XMR = hashes × (1 − XMRig's
//! donation) × reward ÷ difficulty (energy.md §4.1). Its 5th–95th percentile band is known for
//! solo mining (monerod); P2Pool's depends on the sidechain difficulty, which the node does not
//! report, so its estimate has no band rather than a wrong one. Where no model applies, the
//! estimated rewards the node itself recorded are valued instead.

use super::dto::NetLine;
use crate::adapter::NetworkInfo;
use crate::energy::units::{Currency, Energy, Money};
use crate::energy::yields::{
    EstimatedAmount, FiatPrice, MiningSetup, MoneroNetwork, PayoutMode, XMR_DECIMALS, expected,
};
use crate::ledger::{Ledger, LedgerError, RewardTotal};
use crate::model::{Asset, RewardState, UnixMillis};

const DAY_S: f64 = 86_400.0;

/// What valuing today needs.
pub(super) struct Today<'a> {
    pub ledger: &'a Ledger,
    pub node: &'a str,
    pub currency: &'a str,
    pub network: Option<&'a NetworkInfo>,
    /// Hashes the node did today, from the ledger's rollups.
    pub hashes: Option<u64>,
    /// Today's electricity cost on the net's basis.
    pub cost: Option<Money>,
    pub now: UnixMillis,
}

/// The valued lines, the assets without a price, and the estimate line's value (for the
/// break-even price).
#[derive(Debug, Default)]
pub(super) struct Valued {
    pub lines: Vec<NetLine>,
    pub unpriced: Vec<String>,
    /// The value of the estimate line the break-even price rests on.
    pub estimate_value: Option<Money>,
    /// An estimate exists but its coin has no price.
    pub estimate_unpriced: bool,
}

fn f(m: Money) -> f64 {
    m.as_f64()
}

/// One amount of coins in one state, before valuation.
struct Amount<'a> {
    state: &'a str,
    basis: &'a str,
    asset: &'a Asset,
    atomic: i128,
    /// 5th and 95th percentile, for an estimate with a known spread.
    band: (Option<i128>, Option<i128>),
    source: String,
}

fn line(a: Amount<'_>, price: &FiatPrice, cost: Option<Money>) -> (NetLine, Money) {
    let value = price.convert(a.asset, a.atomic);
    let net = |m: Money| cost.and_then(|c| m.checked_sub(c)).map(f);
    let low = a.band.0.map(|x| price.convert(a.asset, x));
    let high = a.band.1.map(|x| price.convert(a.asset, x));
    let line = NetLine {
        state: a.state.into(),
        asset: a.asset.code.clone(),
        basis: a.basis.into(),
        amount: a.asset.format_atomic(a.atomic),
        income: f(value),
        income_low: low.map(f),
        income_high: high.map(f),
        net: net(value),
        net_low: low.and_then(net),
        net_high: high.and_then(net),
        price: f(price.per_unit),
        price_source: price.source.clone(),
        price_at_ms: price.at,
        source: a.source,
    };
    (line, value)
}

/// Lightrig's estimate of what today's work is worth in coins, where the node gives network data.
pub(super) fn model_estimate(
    node: &str,
    network: Option<&NetworkInfo>,
    hashes: Option<u64>,
) -> Option<EstimatedAmount> {
    let net = network.filter(|n| n.asset == "XMR")?;
    let hashes = hashes.filter(|h| *h > 0)? as f64;
    let monero = MoneroNetwork {
        difficulty: net.difficulty?,
        block_reward_atomic: net.block_reward_atomic?,
        block_time_s: f64::from(net.block_time_secs.unwrap_or(120)),
    };
    // monerod's own miner donates nothing; XMRig (alone or behind P2Pool) 1 % by default.
    let solo = node == "monerod";
    let setup = MiningSetup {
        hashrate: hashes / DAY_S,
        donate: if solo { 0.0 } else { 0.01 },
        pool_fee: 0.0,
        stale_rate: 0.0,
    };
    // hashrate × period = today's hashes, whatever the period; a day keeps the numbers plain.
    let mut e = expected(&monero, &setup, &PayoutMode::Solo, DAY_S).ok()?;
    if !solo {
        e.low = None;
        e.high = None;
    }
    let reward = Asset { code: "XMR".into(), decimals: XMR_DECIMALS }
        .format_atomic(i128::from(monero.block_reward_atomic));
    let donation = if solo { "" } else { " × (1 − 1 % XMRig donation)" };
    e.source = format!(
        "{hashes:.0} hashes today{donation} × {reward} XMR block reward ÷ difficulty {:.4e}",
        monero.difficulty
    );
    Some(e)
}

/// Values today's rewards and estimate.
pub(super) fn value_today(t: &Today<'_>, totals: &[RewardTotal]) -> Result<Valued, LedgerError> {
    let mut out = Valued::default();
    let Ok(currency) = Currency::parse(t.currency) else { return Ok(out) };
    let priced = |asset: &Asset, out: &mut Valued| -> Result<Option<FiatPrice>, LedgerError> {
        let p = crate::price::in_force(t.ledger, asset, currency, t.now)?;
        if p.is_none() && !out.unpriced.contains(&asset.code) {
            out.unpriced.push(asset.code.clone());
        }
        Ok(p)
    };
    let model = model_estimate(t.node, t.network, t.hashes);
    if let Some(e) = &model {
        match priced(&e.asset, &mut out)? {
            Some(p) => {
                let amount = Amount {
                    state: "estimated",
                    basis: "model",
                    asset: &e.asset,
                    atomic: e.atomic,
                    band: (e.low, e.high),
                    source: e.source.clone(),
                };
                let (l, v) = line(amount, &p, t.cost);
                out.lines.push(l);
                out.estimate_value = Some(v);
            }
            None => out.estimate_unpriced = true,
        }
    }
    for state in [RewardState::Estimated, RewardState::Pending, RewardState::Paid] {
        for r in totals.iter().filter(|r| r.state == state && !r.simulated) {
            // The model's line already stands for today's estimate of this coin.
            if state == RewardState::Estimated
                && model.as_ref().is_some_and(|m| m.asset.code == r.asset_code)
            {
                continue;
            }
            let asset = Asset { code: r.asset_code.clone(), decimals: r.decimals };
            let Some(p) = priced(&asset, &mut out)? else {
                out.estimate_unpriced |= state == RewardState::Estimated;
                continue;
            };
            let amount = Amount {
                state: state.as_str(),
                basis: "node",
                asset: &asset,
                atomic: r.atomic,
                band: (None, None),
                source: format!("{} reward(s) the node recorded today", r.count),
            };
            let (l, v) = line(amount, &p, t.cost);
            if state == RewardState::Estimated && out.estimate_value.is_none() {
                out.estimate_value = Some(v);
            }
            out.lines.push(l);
        }
    }
    Ok(out)
}

/// Energy the break-even price divides by: the same basis as the cost.
pub(super) fn break_even(value: Money, energy: Option<Energy>) -> Option<f64> {
    crate::energy::economics::break_even_price(value, energy?).map(|p| p.as_f64())
}

//! The money side of `lightrig report`: each reward line (asset and state, never added across
//! states) valued at the coin price in force at the end of the range, in the settings currency,
//! with that price's source and time, and the line's value minus the range's electricity cost
//! in the same currency.

use serde::Serialize;
use serde_json::Value;

use super::report::Report;
use super::sampler::LiveStatus;
use crate::adapter::{NetworkInfo, PoolInfo};
use crate::api::FirstPayoutView;
use crate::api::first_payout::PayoutInputs;
use crate::energy::units::{Currency, Money};
use crate::ledger::{Ledger, LedgerError};
use crate::model::{Asset, UnixMillis, WorkRate};
use crate::profile::AdapterKind;

/// One reward line in money.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValuedLine {
    pub asset: String,
    /// estimated, pending or paid.
    pub state: String,
    pub amount: String,
    pub currency: String,
    /// Exact decimal in billionths rounded once, like the costs.
    pub value: String,
    /// Value − the range's electricity cost in `currency`; `None` without a cost.
    pub net: Option<String>,
    /// The price of one coin used, where it came from, and when it was set or fetched.
    pub price: String,
    pub price_source: String,
    pub price_at_ms: UnixMillis,
}

fn decimal(nanos: i128) -> String {
    Asset { code: String::new(), decimals: 9 }.format_atomic(nanos)
}

/// Fills `report.valued` and `report.unpriced` for `currency` at `at_ms`.
pub fn value(
    ledger: &Ledger,
    report: &mut Report,
    currency: &str,
    at_ms: UnixMillis,
) -> Result<(), LedgerError> {
    let Ok(cur) = Currency::parse(currency) else { return Ok(()) };
    let cost = report.costs.iter().find(|c| c.currency == cur.code()).and_then(|c| {
        let m =
            if report.net_basis == "marginal" { c.marginal_cost.as_ref() } else { Some(&c.cost) };
        m.and_then(|text| Money::parse(cur, text).ok())
    });
    for r in report.rewards.iter().filter(|r| !r.simulated) {
        let Ok(atomic) = r.atomic.parse::<i128>() else { continue };
        let decimals =
            u8::try_from(r.amount.split_once('.').map_or(0, |(_, f)| f.len())).unwrap_or(0);
        let asset = Asset { code: r.asset.clone(), decimals };
        let Some(p) = crate::price::in_force(ledger, &asset, cur, at_ms)? else {
            if !report.unpriced.contains(&r.asset) {
                report.unpriced.push(r.asset.clone());
            }
            continue;
        };
        let v = p.convert(&asset, atomic);
        report.valued.push(ValuedLine {
            asset: r.asset.clone(),
            state: r.state.clone(),
            amount: r.amount.clone(),
            currency: cur.to_string(),
            value: decimal(v.nanos),
            net: cost.and_then(|c| v.checked_sub(c)).map(|n| decimal(n.nanos)),
            price: decimal(p.per_unit.nanos),
            price_source: p.source,
            price_at_ms: p.at,
        });
    }
    Ok(())
}

/// The wait for the first payout of `node`, from the live status a running engine writes (its
/// work rate, the network's difficulty, P2Pool's share difficulty). The ledger keeps none of
/// these, so without a running engine on this node the wait is not available, with the reason.
pub fn first_payout(
    live: Option<&LiveStatus>,
    node: &str,
    adapter: Option<AdapterKind>,
    simulated: bool,
) -> FirstPayoutView {
    let status =
        live.map(|l| &l.node).filter(|n| n.get("node_id").and_then(Value::as_str) == Some(node));
    let running =
        status.and_then(|n| n.pointer("/state/kind")).and_then(Value::as_str) == Some("running");
    let metrics = status.and_then(|n| n.get("metrics")).filter(|_| running);
    let rate = metrics
        .and_then(|m| m.get("work_rate"))
        .and_then(|r| serde_json::from_value::<WorkRate>(r.clone()).ok());
    let network = metrics.and_then(|m| m.get("network")).and_then(network_of);
    let pool = metrics.and_then(|m| m.get("pool")).map(|p| PoolInfo {
        asset: text(p, "asset"),
        share_difficulty: p.get("share_difficulty").and_then(Value::as_f64),
        ..PoolInfo::default()
    });
    crate::api::first_payout::first_payout(&PayoutInputs {
        adapter,
        simulated,
        work_rate: rate.as_ref(),
        network: network.as_ref(),
        pool: pool.as_ref(),
    })
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

fn network_of(n: &Value) -> Option<NetworkInfo> {
    Some(NetworkInfo {
        asset: text(n, "asset"),
        height: n.get("height").and_then(Value::as_u64),
        difficulty: n.get("difficulty").and_then(Value::as_f64),
        block_reward_atomic: n.get("block_reward_atomic").and_then(Value::as_u64),
        block_time_secs: n
            .get("block_time_secs")
            .and_then(Value::as_u64)
            .and_then(|s| u32::try_from(s).ok()),
    })
}

/// The wait in words for `lightrig report`, e.g. "about 3.5 days (1.2 hours to 10 days, 90 %
/// range) to the first share in P2Pool's window", or "not available: <why>".
pub fn describe_first_payout(v: &FirstPayoutView) -> String {
    let (Some(mean), Some(p5), Some(p95)) = (v.expected_secs, v.p5_secs, v.p95_secs) else {
        return format!("not available: {}", why(v.unavailable.as_deref()));
    };
    let event = match v.event.as_deref() {
        Some("share") => {
            "to the first share in P2Pool's window (from then P2Pool pays at each pool block)"
        }
        _ => "to the first block found (solo mining pays the whole block reward)",
    };
    let source = v.source.as_deref().map(|s| format!("; {s}")).unwrap_or_default();
    format!(
        "about {} ({} to {}, 90 % range) {event}{source}",
        duration(mean),
        duration(p5),
        duration(p95)
    )
}

fn why(reason: Option<&str>) -> &'static str {
    match reason {
        Some("simulated") => "the practice node's rewards are simulated",
        Some("no-work-rate") => "the node is not running here now, or reports no work rate",
        Some("not-hashes") => "the node's work is not hashing",
        Some("no-network") => "the node gives no network difficulty or block reward yet",
        Some("no-share-difficulty") => "P2Pool has not written its side-chain difficulty yet",
        Some("pool-threshold") => {
            "the pool's payout threshold decides it, and Lightrig does not know it"
        }
        Some("not-mining") => "this node is paid per period, not per block found",
        _ => "Lightrig does not know how this node is paid",
    }
}

/// Seconds in the largest unit that keeps the number readable.
fn duration(secs: f64) -> String {
    let (v, unit) = match secs {
        s if s < 90.0 => (s, "seconds"),
        s if s < 90.0 * 60.0 => (s / 60.0, "minutes"),
        s if s < 36.0 * 3600.0 => (s / 3600.0, "hours"),
        s if s < 2.0 * 365.0 * 86_400.0 => (s / 86_400.0, "days"),
        s => (s / (365.25 * 86_400.0), "years"),
    };
    if v < 10.0 { format!("{v:.1} {unit}") } else { format!("{v:.0} {unit}") }
}

#[cfg(test)]
#[path = "report_prices_tests.rs"]
mod tests;

//! Monero yield against hand-computed cases, Poisson spreads, payout times, fiat conversion
//! through a fixture price feed, and Storj's estimate passed through.

use super::{eur, fixture};
use crate::energy::units::{Currency, Money};
use crate::energy::yields::poisson::{poisson_cdf, poisson_quantile};
use crate::energy::yields::{
    self, FiatPrice, MiningSetup, MoneroNetwork, PayoutMode, PriceFeed, PriceFeedError, UserPrice,
    YieldError, hashrate_of,
};
use crate::model::{Asset, WorkRate};

/// D = 3.6·10¹¹ hashes per block, R = 0.6 XMR, 120 s blocks.
fn net() -> MoneroNetwork {
    MoneroNetwork { difficulty: 3.6e11, block_reward_atomic: 600_000_000_000, block_time_s: 120.0 }
}

fn no_fees(h: f64) -> MiningSetup {
    MiningSetup { hashrate: h, donate: 0.0, pool_fee: 0.0, stale_rate: 0.0 }
}

#[test]
fn xmr_per_day_hand_computed() {
    // 10,000 H/s × 86,400 s × 0.6 XMR / 3.6·10¹¹ = 0.00144 XMR = 1,440,000,000 piconero.
    let e = yields::per_day(&net(), &no_fees(10_000.0)).expect("estimate");
    assert_eq!(e.atomic, 1_440_000_000);
    assert_eq!(e.period_ms, 86_400_000);
    // With XMRig's 1 % donation: × 0.99 = 1,425,600,000.
    let e = yields::per_day(&net(), &MiningSetup::xmrig_default(10_000.0)).expect("estimate");
    assert_eq!(e.atomic, 1_425_600_000);
    // Pool fee 1 % and 2 % stale on top: 10,000 × 0.99 × 0.99 × 0.98 = 9,604.98 H/s effective.
    let setup = MiningSetup { hashrate: 10_000.0, donate: 0.01, pool_fee: 0.01, stale_rate: 0.02 };
    let e = yields::per_day(&net(), &setup).expect("estimate");
    assert_eq!(e.atomic, 1_383_117_120);
    // Network hashrate = D / 120 = 3 GH/s.
    assert_eq!(net().network_hashrate(), 3.0e9);
}

#[test]
fn bad_inputs_are_named() {
    let mut bad = net();
    bad.difficulty = 0.0;
    let err = yields::per_day(&bad, &no_fees(1.0)).expect_err("zero difficulty");
    assert!(matches!(err, YieldError::BadInput { field: "difficulty", .. }));
    let mut setup = no_fees(1_000.0);
    setup.donate = 1.5;
    assert!(yields::per_day(&net(), &setup).expect_err("donate").to_string().contains("donate"));
    let rate = WorkRate { value: 3.0, unit: "B/s".into() };
    assert_eq!(hashrate_of(&rate), Err(YieldError::WrongUnit { unit: "B/s".into() }));
    let rate = WorkRate { value: 12.5, unit: "kH/s".into() };
    assert_eq!(hashrate_of(&rate), Ok(12_500.0));
}

#[test]
fn poisson_quantiles_hand_computed() {
    // λ = 3: P(0) = e⁻³ = 0.0498 < 0.05, P(≤1) = 0.1991 → 5th percentile 1.
    // P(≤5) = 0.9161, P(≤6) = 0.9665 → 95th percentile 6.
    assert_eq!(poisson_quantile(3.0, 0.05), 1);
    assert_eq!(poisson_quantile(3.0, 0.95), 6);
    assert!((poisson_cdf(1, 3.0) - 0.199_148).abs() < 1e-6);
    // A small CPU solo: λ = 0.0024 blocks/day → 0 blocks at both percentiles.
    assert_eq!(poisson_quantile(0.0024, 0.95), 0);
    // Large λ uses the normal approximation: 10,000 ± 1.645 × 100.
    let p5 = poisson_quantile(10_000.0, 0.05);
    assert!((9_833..=9_838).contains(&p5), "{p5}");
}

#[test]
fn solo_spread_and_time_to_first_block() {
    let setup = no_fees(10_000.0);
    let spread = yields::spread(&net(), &setup, &PayoutMode::Solo, 86_400.0).expect("spread");
    // λ = 10⁴ × 86,400 / 3.6·10¹¹ = 0.0024 blocks a day.
    assert!((spread.expected - 0.0024).abs() < 1e-12);
    assert_eq!((spread.p5, spread.p95), (0, 0));
    let t = yields::time_to_first_payout(&net(), &setup, &PayoutMode::Solo).expect("time");
    // D / H = 3.6·10⁷ s (about 417 days); 95th percentile −ln(0.05) × that.
    assert!((t.expected_s - 3.6e7).abs() < 1e-3);
    assert!((t.p95_s - 3.6e7 * 20f64.ln()).abs() < 1.0);
}

#[test]
fn pool_threshold_payout_time() {
    // D = 3·10¹¹, share difficulty 10⁶: each share is worth 0.6 XMR × 10⁶ / 3·10¹¹ =
    // 2,000,000 piconero; a 0.0036 XMR threshold needs 1,800 shares at 10⁴/10⁶ = 0.01 shares/s
    // → 180,000 s (50 h) expected. Spread ≈ 180,000 ± 1.645 × √1800 / 0.01 = ± 6,979 s.
    let net = MoneroNetwork { difficulty: 3e11, ..net() };
    let mode = PayoutMode::Pool { share_difficulty: 1e6, threshold_atomic: 3_600_000_000 };
    let t = yields::time_to_first_payout(&net, &no_fees(10_000.0), &mode).expect("time");
    assert_eq!(t.events_needed, 1_800);
    assert!((t.expected_s - 180_000.0).abs() < 1e-6);
    assert!((t.p5_s - 173_021.0).abs() < 300.0, "{}", t.p5_s);
    assert!((t.p95_s - 186_979.0).abs() < 300.0, "{}", t.p95_s);
    let day = yields::expected(&net, &no_fees(10_000.0), &mode, 86_400.0).expect("estimate");
    // 864 shares a day expected; the band is in XMR at 2,000,000 piconero per share.
    let (low, high) = (day.low.expect("low"), day.high.expect("high"));
    assert!(low < day.atomic && day.atomic < high);
    assert_eq!(day.atomic, 1_728_000_000);
}

#[test]
fn p2pool_first_share() {
    // Sidechain difficulty 10⁹ at 10 kH/s: 10⁵ s expected; 95th percentile 10⁵ × ln 20.
    let mode = PayoutMode::P2Pool { sidechain_difficulty: 1e9 };
    let t = yields::time_to_first_payout(&net(), &no_fees(10_000.0), &mode).expect("time");
    assert!((t.expected_s - 1e5).abs() < 1e-6);
    assert!((t.p95_s - 299_573.2).abs() < 0.1, "{}", t.p95_s);
}

/// A price feed read from a recorded response, as a network feed would be.
struct FixtureFeed(serde_json::Value);

impl PriceFeed for FixtureFeed {
    fn price(&self, asset: &Asset, currency: Currency) -> Result<FiatPrice, PriceFeedError> {
        let text = self.0["prices"][&asset.code][currency.code()].as_str().ok_or_else(|| {
            PriceFeedError::Unavailable {
                feed: "fixture".into(),
                asset: asset.code.clone(),
                currency: currency.to_string(),
                reason: "not in the recorded response".into(),
            }
        })?;
        Ok(FiatPrice {
            asset_code: asset.code.clone(),
            per_unit: Money::parse(currency, text).expect("fixture price"),
            source: self.0["feed"].as_str().unwrap_or("fixture").to_owned(),
            at: self.0["at_ms"].as_i64().unwrap_or(0),
        })
    }
}

#[test]
fn fiat_conversion_through_a_fixture_feed() {
    let json = std::fs::read_to_string(fixture("price_feed.json")).expect("fixture");
    let feed = FixtureFeed(serde_json::from_str(&json).expect("json"));
    let xmr = Asset { code: "XMR".into(), decimals: 12 };
    let price = feed.price(&xmr, eur()).expect("price");
    let e = yields::per_day(&net(), &MiningSetup::xmrig_default(10_000.0)).expect("estimate");
    // 0.0014256 XMR × 300 EUR = 0.42768 EUR.
    let money = price.convert_estimate(&e);
    assert_eq!(money.money, Money { currency: eur(), nanos: 427_680_000 });
    assert!(money.source.contains("300"), "{}", money.source);
    let gbp = Currency::parse("GBP").expect("GBP");
    assert!(feed.price(&xmr, gbp).is_err());
    let user = UserPrice::new("XMR", eur(), "312.50", 0).expect("price");
    assert_eq!(user.price(&xmr, eur()).expect("price").per_unit.nanos, 312_500_000_000);
    assert!(user.price(&Asset::simulated(), eur()).is_err());
}

#[test]
fn estimates_add_only_to_estimates() {
    let e = yields::per_day(&net(), &no_fees(10_000.0)).expect("estimate");
    let twice = e.checked_add(&e).expect("same asset and period");
    assert_eq!(twice.atomic, 2_880_000_000);
    let mut other = e.clone();
    other.asset = Asset::simulated();
    assert!(e.checked_add(&other).is_none());
}

#[test]
fn storj_estimate_is_passed_through() {
    let m = yields::storj_estimate(123.45, 30 * 86_400_000, 5).expect("estimate");
    assert_eq!(m.money.currency.code(), "USD");
    assert_eq!(m.money.nanos, 1_234_500_000);
    assert!(m.source.contains("passed through"));
    assert!(yields::storj_estimate(-1.0, 1, 0).is_err());
}

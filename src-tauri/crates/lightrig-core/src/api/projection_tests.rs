//! "At this rate": a hand-computed projection, the basis moving from total to marginal, and a
//! reason (never a 0) for every missing input.

use super::*;
use crate::adapter::NetworkInfo;
use crate::energy::{Baseline, BaselineStatus, Currency, PowerKind, PowerReading, Price, Tariff};
use crate::engine::{EnergyLive, PriceNow};
use crate::ledger::{PriceKind, PriceObservation};
use crate::model::WorkRate;

const NOW: i64 = 1_767_571_200_000;

fn temp_ledger() -> (tempfile::TempDir, Ledger) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ledger, _) = Ledger::open(dir.path().join("ledger.sqlite")).expect("ledger");
    (dir, ledger)
}

/// 150 EUR per XMR, set by the user a day ago.
fn set_price(ledger: &Ledger) {
    ledger
        .record_price(&PriceObservation {
            at_ms: NOW - 86_400_000,
            asset: "XMR".into(),
            currency: "EUR".into(),
            price_nano: Some(150_000_000_000),
            kind: PriceKind::User,
            source: "your setting".into(),
        })
        .expect("price");
}

fn network() -> NetworkInfo {
    NetworkInfo {
        asset: "XMR".into(),
        height: Some(3_000_000),
        difficulty: Some(3e11),
        block_reward_atomic: Some(600_000_000_000),
        block_time_secs: Some(120),
    }
}

fn eur() -> Currency {
    Currency::parse("EUR").expect("EUR")
}

/// 95 W at the CPU package now; with a baseline of 65 W the node adds 30 W. 0.30 EUR/kWh.
fn live(baseline: bool) -> EnergyLive {
    let reading = PowerReading::measured(95.0, PowerKind::CpuPackage, "RAPL package-0");
    let tariff = Tariff::flat(eur(), Price::from_micros(300_000));
    EnergyLive {
        at_ms: NOW,
        reading: Some(reading),
        rungs: Vec::new(),
        gpu: None,
        permission: None,
        baseline: if baseline {
            let b = Baseline {
                watts: 65.0,
                kind: PowerKind::CpuPackage,
                samples: 30,
                measured_at: NOW - 3_600_000,
                source: "RAPL package-0".into(),
            };
            BaselineStatus::Ready { baseline: b, age_ms: 3_600_000 }
        } else {
            BaselineStatus::Missing { have: 0, need: 30 }
        },
        baseline_need: 30,
        marginal_w: baseline.then_some(30.0),
        marginal_psu: None,
        idle_samples: 0,
        tariff: Some("flat 0.3 EUR/kWh (your setting)".into()),
        tariff_problem: None,
        price_now: PriceNow::at(Some(&tariff), NOW),
    }
}

fn inputs<'a>(
    live: Option<&'a EnergyLive>,
    rate: Option<&'a WorkRate>,
    network: Option<&'a NetworkInfo>,
    adapter: AdapterKind,
) -> EnergyInputs<'a> {
    EnergyInputs {
        node: "monerod",
        currency: "EUR",
        jurisdiction: None,
        simulated: false,
        live,
        work_rate: rate,
        grid: None,
        network,
        pool: None,
        adapter: Some(adapter),
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= 1e-9)
}

#[test]
fn solo_miner_at_ten_kilohashes_on_the_marginal_basis_by_hand() {
    // 10 kH/s × 86 400 s ÷ 3·10¹¹ × 0.6 XMR = 0.001728 XMR/day × 150 EUR = 0.2592 EUR/day.
    // 30 W × 24 h = 0.72 kWh × 0.30 EUR = 0.216 EUR/day. Net 0.0432 EUR/day;
    // per hour 0.0108 − 0.009 = 0.0018; per 30 days 7.776 − 6.48 = 1.296.
    let (_dir, ledger) = temp_ledger();
    set_price(&ledger);
    let (live, rate, net) = (live(true), WorkRate { value: 10.0, unit: "kH/s".into() }, network());
    let i = inputs(Some(&live), Some(&rate), Some(&net), AdapterKind::Monerod);
    let p = projection(&ledger, &i, NOW).expect("projection");
    assert_eq!(p.unavailable, None);
    assert_eq!((p.basis.as_deref(), p.basis_reason.as_deref()), (Some("marginal"), None));
    assert_eq!((p.watts, p.price_per_kwh, p.price_until_ms), (Some(30.0), Some(0.3), None));
    assert_eq!((p.asset.as_deref(), p.coin_price), (Some("XMR"), Some(150.0)));
    assert!(close(p.revenue_per_day, 0.2592), "{:?}", p.revenue_per_day);
    assert!(close(p.cost_per_day, 0.216), "{:?}", p.cost_per_day);
    assert!(close(p.net_per_day, 0.0432), "{:?}", p.net_per_day);
    assert!(close(p.revenue_per_hour, 0.0108) && close(p.cost_per_hour, 0.009));
    assert!(close(p.net_per_hour, 0.0018), "{:?}", p.net_per_hour);
    assert!(close(p.revenue_per_month, 7.776) && close(p.cost_per_month, 6.48));
    assert!(close(p.net_per_month, 1.296), "{:?}", p.net_per_month);
    assert_eq!(p.days_per_month, 30);
    // Solo: 0.00288 blocks a day on average, so 95 % of days find none and pay nothing.
    assert_eq!((p.revenue_low_per_day, p.revenue_high_per_day), (Some(0.0), Some(0.0)));
}

#[test]
fn without_a_baseline_the_whole_machine_pays_and_the_net_turns_negative() {
    // 95 W × 24 h = 2.28 kWh × 0.30 = 0.684 EUR/day; net 0.2592 − 0.684 = −0.4248.
    let (_dir, ledger) = temp_ledger();
    set_price(&ledger);
    let (live, rate, net) = (live(false), WorkRate { value: 10.0, unit: "kH/s".into() }, network());
    let i = inputs(Some(&live), Some(&rate), Some(&net), AdapterKind::P2pool);
    let p = projection(&ledger, &i, NOW).expect("projection");
    assert_eq!(p.basis.as_deref(), Some("total"));
    assert_eq!((p.basis_reason.as_deref(), p.watts), (Some("no-baseline"), Some(95.0)));
    assert!(close(p.net_per_day, -0.4248), "{:?}", p.net_per_day);
    assert!(close(p.net_per_month, -12.744), "{:?}", p.net_per_month);
    // P2Pool's payouts follow the PPLNS window, not a Poisson count of blocks: no band.
    assert_eq!((p.revenue_low_per_day, p.revenue_high_per_day), (None, None));
}

fn reason(ledger: &Ledger, i: &EnergyInputs<'_>) -> Option<String> {
    let p = projection(ledger, i, NOW).expect("projection");
    if p.unavailable.is_some() {
        assert_eq!((p.net_per_hour, p.net_per_day, p.net_per_month), (None, None, None));
    }
    p.unavailable
}

#[test]
fn each_missing_input_gives_its_reason_and_no_net() {
    let (_dir, ledger) = temp_ledger();
    let (ok_live, net) = (live(true), network());
    let rate = WorkRate { value: 10.0, unit: "kH/s".into() };
    let full = inputs(Some(&ok_live), Some(&rate), Some(&net), AdapterKind::Monerod);
    let why = |i: EnergyInputs<'_>| reason(&ledger, &i);
    // The coin has no price yet.
    assert_eq!(why(full).as_deref(), Some("no-price"));
    set_price(&ledger);
    assert_eq!(why(full), None);
    assert_eq!(why(EnergyInputs { simulated: true, ..full }).as_deref(), Some("simulated"));
    let practice = EnergyInputs { adapter: Some(AdapterKind::Practice), ..full };
    assert_eq!(why(practice).as_deref(), Some("simulated"));
    assert_eq!(why(EnergyInputs { work_rate: None, ..full }).as_deref(), Some("no-work-rate"));
    let shares = WorkRate { value: 3.0, unit: "shares/s".into() };
    let not_hashes = EnergyInputs { work_rate: Some(&shares), ..full };
    assert_eq!(why(not_hashes).as_deref(), Some("not-hashes"));
    assert_eq!(why(EnergyInputs { network: None, ..full }).as_deref(), Some("no-network"));
    let no_difficulty = NetworkInfo { difficulty: None, ..network() };
    let i = EnergyInputs { network: Some(&no_difficulty), ..full };
    assert_eq!(why(i).as_deref(), Some("no-network"));
    for adapter in [AdapterKind::Xmrig, AdapterKind::Storj, AdapterKind::Mysterium] {
        let i = EnergyInputs { adapter: Some(adapter), network: None, ..full };
        assert_eq!(why(i).as_deref(), Some("no-network"), "{adapter:?}");
    }
    assert_eq!(why(EnergyInputs { live: None, ..full }).as_deref(), Some("no-power"));
    let dark = EnergyLive { reading: None, ..live(true) };
    assert_eq!(why(EnergyInputs { live: Some(&dark), ..full }).as_deref(), Some("no-power"));
    // No tariff, or an hourly list that does not reach now; and a price in another currency.
    let no_tariff = EnergyLive { price_now: None, ..live(true) };
    let i = EnergyInputs { live: Some(&no_tariff), ..full };
    assert_eq!(why(i).as_deref(), Some("no-tariff"));
    let usd = Currency::parse("USD").expect("USD");
    let dollars = EnergyLive {
        price_now: Some(PriceNow {
            price: Price::from_micros(300_000),
            currency: usd,
            until_ms: None,
        }),
        ..live(true)
    };
    assert_eq!(why(EnergyInputs { live: Some(&dollars), ..full }).as_deref(), Some("no-tariff"));
}

#[test]
fn revenue_stays_visible_when_only_the_electricity_price_is_missing() {
    let (_dir, ledger) = temp_ledger();
    set_price(&ledger);
    let (net, rate) = (network(), WorkRate { value: 10.0, unit: "kH/s".into() });
    let no_tariff = EnergyLive { price_now: None, ..live(true) };
    let i = inputs(Some(&no_tariff), Some(&rate), Some(&net), AdapterKind::Monerod);
    let p = projection(&ledger, &i, NOW).expect("projection");
    assert_eq!(p.unavailable.as_deref(), Some("no-tariff"));
    assert!(close(p.revenue_per_day, 0.2592));
    assert_eq!((p.cost_per_day, p.price_per_kwh), (None, None));
}

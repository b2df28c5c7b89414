//! Today's rewards valued per state at the price in force, each line with its own net, and the
//! break-even electricity price from the estimate: hand-computed cases.

use super::*;
use crate::api::valuation::{Today, model_estimate, value_today};
use crate::energy::Money;
use crate::ledger::{PriceKind, PriceObservation};
use crate::model::{Asset, Reward, RewardState};

const XMR_150_EUR: i64 = 150_000_000_000;

fn price(ledger: &Ledger, at_ms: i64, nanos: i64, kind: PriceKind) {
    ledger
        .record_price(&PriceObservation {
            at_ms,
            asset: "XMR".into(),
            currency: "EUR".into(),
            price_nano: Some(nanos),
            kind,
            source: if kind == PriceKind::User { "your setting" } else { "price feed (fixture)" }
                .into(),
        })
        .expect("price");
}

fn reward(ledger: &Ledger, key: &str, piconero: i128, state: RewardState) {
    ledger
        .record_reward(&Reward {
            node_id: "xmrig".into(),
            key: key.into(),
            at: H + 60_000,
            asset: Asset { code: "XMR".into(), decimals: 12 },
            atomic: piconero,
            state,
            source: "test".into(),
            simulated: false,
        })
        .expect("reward");
}

fn network() -> NetworkInfo {
    NetworkInfo {
        asset: "XMR".into(),
        height: Some(3_000_000),
        difficulty: Some(3.0e11),
        block_reward_atomic: Some(600_000_000_000),
        block_time_secs: Some(120),
    }
}

#[test]
fn each_state_is_valued_on_its_own_line_and_never_added() {
    let (_dir, ledger) = temp_ledger();
    record(&ledger, H, 600, None);
    price(&ledger, H - 86_400_000, XMR_150_EUR, PriceKind::User);
    // 0.001 XMR paid, 0.002 XMR pending.
    reward(&ledger, "paid-1", 1_000_000_000, RewardState::Paid);
    reward(&ledger, "pend-1", 2_000_000_000, RewardState::Pending);
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    let l = live(Some(reading), None);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    assert_eq!(view.net.unavailable, None);
    let lines = &view.net.lines;
    assert_eq!(lines.len(), 2, "{lines:?}");
    let line = |state: &str| lines.iter().find(|l| l.state == state).expect(state);
    // 0.001 × 150 = 0.15 EUR; cost 40 W × 600 s at 0.30 EUR/kWh = 0.002 EUR.
    let paid = line("paid");
    assert!((paid.income - 0.15).abs() < 1e-12, "{paid:?}");
    assert!((paid.net.expect("net") - 0.148).abs() < 1e-12, "{paid:?}");
    assert_eq!((paid.amount.as_str(), paid.basis.as_str()), ("0.001000000000", "node"));
    assert_eq!((paid.price, paid.price_source.as_str()), (150.0, "your setting"));
    assert_eq!(paid.price_at_ms, H - 86_400_000);
    let pending = line("pending");
    assert!((pending.income - 0.30).abs() < 1e-12);
    assert!((pending.net.expect("net") - 0.298).abs() < 1e-12);
    // Never a sum of states: no line or figure carries 0.45 EUR.
    assert!(lines.iter().all(|l| (l.income - 0.45).abs() > 1e-9));
    // No estimate today: no break-even price, and the view says why.
    assert_eq!(view.break_even_price, None);
    assert_eq!(view.break_even_unavailable.as_deref(), Some("no-estimate"));
}

#[test]
fn break_even_comes_from_the_estimate_line_and_is_hand_computable() {
    let (_dir, ledger) = temp_ledger();
    record(&ledger, H, 600, None);
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    let l = live(Some(reading), None);
    // 0.006 XMR estimated today by the node.
    reward(&ledger, "block-1", 6_000_000_000, RewardState::Estimated);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    assert_eq!(view.net.unavailable.as_deref(), Some("no-price"));
    assert_eq!(view.net.unpriced, ["XMR"]);
    assert_eq!(view.break_even_unavailable.as_deref(), Some("no-price"));

    price(&ledger, H, XMR_150_EUR, PriceKind::Feed);
    let view = energy_view(&ledger, &inputs(Some(&l), None), NOW).expect("view");
    // 0.006 XMR × 150 EUR = 0.90 EUR over 1/150 kWh: break-even at 135 EUR per kWh.
    let est = &view.net.lines[0];
    assert_eq!(
        (est.state.as_str(), est.price_source.as_str()),
        ("estimated", "price feed (fixture)")
    );
    assert!((est.income - 0.9).abs() < 1e-12);
    assert!((view.break_even_price.expect("break-even") - 135.0).abs() < 1e-6);
    assert_eq!(view.break_even_unavailable, None);

    // A feed price older than 7 days no longer counts.
    let later = NOW + 8 * 86_400_000;
    let view = energy_view(&ledger, &inputs(Some(&l), None), later).expect("view");
    assert_eq!(view.net.lines.len(), 0);
}

#[test]
fn the_model_estimate_carries_its_band_and_values_with_the_price() {
    let (_dir, ledger) = temp_ledger();
    price(&ledger, H, XMR_150_EUR, PriceKind::User);
    let eur = Currency::parse("EUR").expect("EUR");
    // monerod mines solo without a donation: 3e9 hashes × 0.6 XMR ÷ 3e11 = 0.006 XMR.
    let e = model_estimate("monerod", Some(&network()), Some(3_000_000_000)).expect("estimate");
    assert_eq!(e.atomic, 6_000_000_000);
    let (low, high) = (e.low.expect("low"), e.high.expect("high"));
    // λ = 0.01 blocks: usually none (5th percentile 0), the 95th percentile too.
    assert!(low <= e.atomic && e.atomic <= high.max(e.atomic), "{low} {high}");
    // XMRig behind P2Pool: 1 % donation, and no band without the sidechain difficulty.
    let p = model_estimate("p2pool", Some(&network()), Some(3_000_000_000)).expect("estimate");
    assert_eq!(p.atomic, 5_940_000_000);
    assert_eq!((p.low, p.high), (None, None));
    assert!(model_estimate("xmrig", None, Some(1)).is_none(), "no network data, no estimate");
    assert!(model_estimate("monerod", Some(&network()), Some(0)).is_none());

    let cost = Money { currency: eur, nanos: 2_000_000 };
    let net = network();
    let today = Today {
        ledger: &ledger,
        node: "monerod",
        currency: "EUR",
        network: Some(&net),
        hashes: Some(3_000_000_000),
        cost: Some(cost),
        now: NOW,
    };
    let valued = value_today(&today, &[]).expect("valued");
    assert_eq!(valued.lines.len(), 1);
    let line = &valued.lines[0];
    assert_eq!((line.state.as_str(), line.basis.as_str()), ("estimated", "model"));
    assert!((line.income - 0.9).abs() < 1e-12);
    assert!((line.net.expect("net") - 0.898).abs() < 1e-12);
    assert!(line.source.contains("3000000000 hashes today"), "{}", line.source);
    assert_eq!(valued.estimate_value.map(|m| m.nanos), Some(900_000_000));
}

#[test]
fn the_practice_node_stays_simulated_and_worth_nothing_even_with_a_price() {
    let (_dir, ledger) = temp_ledger();
    record(&ledger, H, 600, None);
    price(&ledger, H, XMR_150_EUR, PriceKind::User);
    reward(&ledger, "paid-1", 1_000_000_000, RewardState::Paid);
    let reading = PowerReading::measured(40.0, PowerKind::CpuPackage, "RAPL package-0");
    let l = live(Some(reading), None);
    let practice = EnergyInputs { simulated: true, ..inputs(Some(&l), None) };
    let view = energy_view(&ledger, &practice, NOW).expect("view");
    assert!(view.net.lines.is_empty());
    assert_eq!(view.net.simulated_net, view.net.cost.map(|c| -c));
    assert_eq!(view.break_even_unavailable.as_deref(), Some("simulated"));
}

#[test]
fn the_energy_view_carries_the_wait_for_the_first_payout_next_to_the_estimate() {
    let (_dir, ledger) = temp_ledger();
    let net = network();
    let rate = WorkRate { value: 10_000.0, unit: "H/s".into() };
    let monerod = EnergyInputs {
        node: "monerod",
        adapter: Some(crate::profile::AdapterKind::Monerod),
        work_rate: Some(&rate),
        network: Some(&net),
        ..inputs(None, None)
    };
    let view = energy_view(&ledger, &monerod, NOW).expect("view");
    // Difficulty 3·10¹¹ ÷ 10⁴ H/s = 3·10⁷ s to the first block, on average.
    let wait = &view.first_payout;
    assert_eq!((wait.event.as_deref(), wait.expected_secs), (Some("block"), Some(3e7)));
    // Stopped (no work rate): a reason, never 0.
    let stopped = EnergyInputs { work_rate: None, ..monerod };
    let view = energy_view(&ledger, &stopped, NOW).expect("view");
    assert_eq!(view.first_payout.unavailable.as_deref(), Some("no-work-rate"));
    assert_eq!(view.first_payout.expected_secs, None);
}

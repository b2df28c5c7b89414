//! Properties: the cost of an interval is the sum of the costs of its parts, for any split,
//! under a time-of-use tariff around both DST changes and under an imported price list; and the
//! account's totals equal the tariff's own integration.

use proptest::prelude::*;

use super::{eur, fixture, ms};
use crate::energy::account::EnergyAccount;
use crate::energy::reading::{PowerKind, PowerReading};
use crate::energy::tariff::{RawTariff, Tariff};
use crate::energy::units::{Cost, Energy};

fn berlin() -> Tariff {
    let text = std::fs::read_to_string(fixture("tariff_berlin_tou.toml")).expect("fixture");
    RawTariff::from_toml(&text).and_then(|r| r.validate()).expect("tariff")
}

fn hourly() -> Tariff {
    let text = std::fs::read_to_string(fixture("prices_berlin_2026-10-25.csv")).expect("fixture");
    Tariff::hourly(eur(), "Europe/Berlin", &text).expect("list")
}

/// Sorted, de-duplicated cut points strictly inside `[from, to)`.
fn cuts(from: i64, to: i64, raw: &[u32]) -> Vec<i64> {
    let len = (to - from).max(1);
    let mut points: Vec<i64> =
        raw.iter().map(|r| from + i64::from(*r) % len).filter(|p| *p > from).collect();
    points.sort_unstable();
    points.dedup();
    points
}

fn split_sum(tariff: &Tariff, from: i64, to: i64, mw: i64, raw: &[u32]) -> (Energy, Cost) {
    let mut edges = vec![from];
    edges.extend(cuts(from, to, raw));
    edges.push(to);
    edges.windows(2).fold((Energy(0), Cost(0)), |(e, c), w| {
        let part = tariff.cost(w[0], w[1], mw).expect("priced");
        (e + part.energy, c + part.cost)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn tou_cost_is_additive_over_any_split_across_dst(
        start in 0i64..(4 * 86_400_000),
        len in 0i64..(3 * 86_400_000),
        mw in 0i64..3_000_000,
        raw in proptest::collection::vec(any::<u32>(), 0..12),
        spring in any::<bool>(),
    ) {
        let t = berlin();
        let base = if spring { ms("2026-03-27T00:00:00Z") } else { ms("2026-10-23T00:00:00Z") };
        let (from, to) = (base + start, base + start + len);
        let whole = t.cost(from, to, mw).expect("priced");
        let (energy, cost) = split_sum(&t, from, to, mw, &raw);
        prop_assert_eq!(whole.energy, energy);
        prop_assert_eq!(whole.cost, cost);
        prop_assert_eq!(whole.energy, Energy::from_power(mw, len));
    }

    #[test]
    fn hourly_cost_is_additive_over_any_split(
        start in 0i64..(3 * 3_600_000),
        len in 0i64..(3 * 3_600_000),
        mw in 0i64..3_000_000,
        raw in proptest::collection::vec(any::<u32>(), 0..12),
    ) {
        let t = hourly();
        let from = ms("2026-10-25T00:00:00+02:00") + start;
        let to = from + len;
        let whole = t.cost(from, to, mw).expect("priced");
        let (energy, cost) = split_sum(&t, from, to, mw, &raw);
        prop_assert_eq!(whole.cost, cost);
        prop_assert_eq!(whole.energy, energy);
    }

    #[test]
    fn account_totals_equal_the_tariff_integration(
        steps in proptest::collection::vec((1i64..5_000, 0u32..400_000), 1..200),
        start in 0i64..(2 * 86_400_000),
    ) {
        let t = berlin();
        let mut account = EnergyAccount::new(Some(t.clone()), 60_000, 10_000).expect("account");
        let mut at = ms("2026-10-24T12:00:00Z") + start;
        let mut expected = Cost(0);
        let first = PowerReading::measured(0.0, PowerKind::Wall, "test");
        let _ = account.record(at, &first, None);
        for (dt, mw) in steps {
            let reading = PowerReading::measured(f64::from(mw) / 1000.0, PowerKind::Wall, "test");
            expected += t.cost(at, at + dt, i64::from(mw)).expect("priced").cost;
            at += dt;
            let _ = account.record(at, &reading, None);
        }
        prop_assert_eq!(account.totals().cost, expected);
    }
}

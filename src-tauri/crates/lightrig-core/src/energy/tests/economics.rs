//! Net result, break-even price (against energy.md's closed form), H/J and CO₂ lookups.

use super::eur;
use crate::energy::baseline::CostBasis;
use crate::energy::carbon::GridIntensityTable;
use crate::energy::economics::{
    EconomicsError, EconomicsInput, break_even_from_efficiency, break_even_price, economics,
};
use crate::energy::units::{Currency, Energy, Money, Price};

#[test]
fn net_and_break_even_on_a_known_case() {
    // 10 kH/s at 100 W (100 H/J), D = 3.6·10¹¹, R = 0.6 XMR, 300 EUR/XMR:
    //   revenue 0.00144 XMR × 300 = 0.432 EUR/day; energy 2.4 kWh/day;
    //   at 0.30 EUR/kWh the cost is 0.72 → net −0.288 EUR/day, −8.64 per 30 days,
    //   0.018 − 0.03 = −0.012 per hour; break-even 0.432 / 2.4 = 0.18 EUR/kWh.
    let table = GridIntensityTable::bundled().expect("table");
    let de = table.lookup("DE").expect("Germany");
    let input = EconomicsInput {
        revenue_per_day: Money { currency: eur(), nanos: 432_000_000 },
        watts: 100.0,
        basis: CostBasis::Marginal,
        price: Price::from_micros(300_000),
        hashrate: Some(10_000.0),
        grid: Some(&de),
    };
    let e = economics(&input).expect("figures");
    assert_eq!(e.energy_per_day.kwh(), 2.4);
    assert_eq!(e.cost_per_day.nanos, 720_000_000);
    assert_eq!(e.net_per_day.nanos, -288_000_000);
    assert_eq!(e.net_per_month.nanos, -8_640_000_000);
    assert_eq!(e.net_per_hour.nanos, -12_000_000);
    assert_eq!(e.net_per_day.to_string(), "-0.29 EUR");
    assert_eq!(e.break_even_price, Some(Price::from_micros(180_000)));
    assert_eq!(e.hashes_per_joule, Some(100.0));
    assert_eq!(e.basis, CostBasis::Marginal);
    // 2.4 kWh × 381.0 g/kWh = 914.4 g CO₂e a day.
    assert!((e.co2_grams_per_day.expect("co2") - 914.4).abs() < 1e-9);
    // energy.md's closed form agrees: H/J × 3.6·10⁶ × R × P / D.
    let closed = break_even_from_efficiency(100.0, 0.6, 300.0, 3.6e11);
    assert!((closed - 0.18).abs() < 1e-12);
}

#[test]
fn break_even_is_unknown_at_zero_power_and_errors_are_clear() {
    assert_eq!(break_even_price(Money::zero(eur()), Energy(0)), None);
    let usd = Currency::parse("usd").expect("USD");
    let input = EconomicsInput {
        revenue_per_day: Money { currency: usd, nanos: 1 },
        watts: f64::NAN,
        basis: CostBasis::Total,
        price: Price::from_micros(1),
        hashrate: None,
        grid: None,
    };
    assert!(matches!(economics(&input), Err(EconomicsError::BadPower { .. })));
}

#[test]
fn co2_table_covers_the_required_countries() {
    let table = GridIntensityTable::bundled().expect("table");
    assert!(table.len() >= 20);
    assert!(table.source.contains("Our World in Data") && table.source.contains("Ember"));
    assert_eq!(table.year, 2023);
    for code in ["CN", "DE", "US", "JP", "KR", "GB", "FR", "NO", "SE", "IN", "AU", "BR", "CA"] {
        let g = table.lookup(code).unwrap_or_else(|| panic!("{code} missing"));
        assert!(g.g_per_kwh > 0.0 && g.source.contains("CC BY 4.0"), "{g:?}");
    }
    assert_eq!(table.lookup("fr").map(|g| g.g_per_kwh), Some(56.0));
    assert_eq!(table.lookup("NO").map(|g| g.g_per_kwh), Some(30.1));
    assert_eq!(table.lookup("XX"), None);
    let world = table.lookup_or_world("XX");
    assert_eq!((world.code.as_str(), world.g_per_kwh), ("world", 475.0));
    // energy.md §4.6: 3.0 kWh/day in Germany ≈ 1.15 kg CO₂e/day.
    let de = table.lookup("DE").expect("DE");
    assert!((de.grams(Energy(3 * 3_600_000_000_000)) - 1_143.0).abs() < 1e-6);
}

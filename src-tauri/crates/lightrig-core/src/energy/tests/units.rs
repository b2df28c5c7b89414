use super::eur;
use crate::energy::units::{Cost, Currency, Energy, Money, Price, milliwatts};

#[test]
fn prices_parse_exactly() {
    assert_eq!(Price::parse_decimal("0.3012"), Ok(Price::from_micros(301_200)));
    assert_eq!(Price::parse_decimal("-0.015"), Ok(Price::from_micros(-15_000)));
    assert_eq!(Price::parse_decimal("12"), Ok(Price::from_micros(12_000_000)));
    assert_eq!(Price::parse_decimal(".5"), Ok(Price::from_micros(500_000)));
    for bad in ["", "abc", "1e-3", "0.1234567", "1.2.3", "-"] {
        assert!(Price::parse_decimal(bad).is_err(), "{bad}");
    }
    assert_eq!(Price::from_f64(0.3012), Ok(Price::from_micros(301_200)));
    assert_eq!(Price::from_micros(301_200).to_string(), "0.301200/kWh");
}

#[test]
fn cost_units_convert_to_money_once() {
    // 1 kWh at 0.30 EUR/kWh = 0.30 EUR exactly.
    let c = Price::from_micros(300_000).cost_of(Energy(3_600_000_000_000));
    assert_eq!(c.to_money(eur()).nanos, 300_000_000);
    // 1 µJ at 1 µ-EUR/kWh rounds to 0 nanos; 1.8e9 of them round half away from zero to 1.
    assert_eq!(Cost(1).to_money(eur()).nanos, 0);
    assert_eq!(Cost(1_800_000_000).to_money(eur()).nanos, 1);
    assert_eq!(Cost(-1_800_000_000).to_money(eur()).nanos, -1);
}

#[test]
fn money_formats_in_minor_units() {
    let yen = Currency::parse("jpy").expect("JPY");
    assert_eq!(Money { currency: yen, nanos: 1_500_000_000 }.to_string(), "2 JPY");
    assert_eq!(Money::parse(eur(), "312.5").map(|m| m.to_string()), Ok("312.50 EUR".into()));
    assert_eq!(Money::parse(eur(), "0.000000001").map(|m| m.nanos), Ok(1));
    assert_eq!(Money::parse(eur(), "-1.25").map(|m| m.nanos), Ok(-1_250_000_000));
    assert!(Money::zero(eur()).checked_add(Money::zero(yen)).is_none());
    assert!(Currency::parse("EURO").is_err());
    assert_eq!(milliwatts(f64::INFINITY), None);
    assert_eq!(milliwatts(65.0004), Some(65_000));
}

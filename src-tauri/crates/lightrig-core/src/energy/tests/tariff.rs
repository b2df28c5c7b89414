//! Tariff integration across price boundaries, midnight, a season change and both DST changes
//! of 2026 in Europe/Berlin (29 March: 02:00 CET → 03:00 CEST; 25 October: 03:00 CEST →
//! 02:00 CET). Prices are those of `tariff_berlin_tou.toml`; every expectation is worked out
//! by hand in the comments.

use super::{eur, fixture, ms};
use crate::energy::tariff::{RawTariff, Tariff, TariffError};
use crate::energy::units::{Currency, Price};

fn berlin() -> Tariff {
    let text = std::fs::read_to_string(fixture("tariff_berlin_tou.toml")).expect("fixture");
    RawTariff::from_toml(&text).and_then(|raw| raw.validate()).expect("valid tariff")
}

/// Cost in billionths of a euro of `kw` kilowatts from `from` to `to`.
fn cost_nanos(tariff: &Tariff, from: &str, to: &str, kw: i64) -> i128 {
    let c = tariff.cost(ms(from), ms(to), kw * 1_000_000).expect("priced");
    c.cost.to_money(eur()).nanos
}

#[test]
fn spring_forward_skips_the_missing_hour() {
    // Sat 28 Mar 23:00 CET → Sun 29 Mar 04:00 CEST is 4 real hours at 1 kW (weekend, winter):
    //   Sat 23–24 at 0.20 → 0.20; Sun 00–02 CET at 0.10 → 0.20; 02–03 does not exist;
    //   03–04 CEST at 0.30 → 0.30. Total 4 kWh, 0.70 EUR.
    let t = berlin();
    let c = t.cost(ms("2026-03-28T23:00:00+01:00"), ms("2026-03-29T04:00:00+02:00"), 1_000_000);
    let c = c.expect("priced");
    assert_eq!(c.energy.kwh(), 4.0);
    assert_eq!(c.cost.to_money(eur()).nanos, 700_000_000);
    assert_eq!(c.min_price, Price::from_micros(100_000));
    assert_eq!(c.max_price, Price::from_micros(300_000));
}

#[test]
fn fall_back_charges_the_repeated_hour_twice() {
    // Sat 24 Oct 23:00 CEST → Sun 25 Oct 04:00 CET is 6 real hours at 1 kW:
    //   Sat 23–24 at 0.20 → 0.20; Sun 00–02 CEST at 0.10 → 0.20; 02–03 CEST and again 02–03 CET
    //   at 0.50 → 1.00; 03–04 CET at 0.30 → 0.30. Total 6 kWh, 1.70 EUR.
    let t = berlin();
    assert_eq!(
        cost_nanos(&t, "2026-10-24T23:00:00+02:00", "2026-10-25T04:00:00+01:00", 1),
        1_700_000_000
    );
    // The second 02:00–03:00 alone (CET) is one hour at 0.50.
    assert_eq!(
        cost_nanos(&t, "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00", 1),
        500_000_000
    );
}

#[test]
fn midnight_and_season_change_split_the_interval() {
    // Tue 31 Mar 23:30 → Wed 1 Apr 00:30 CEST at 2 kW: winter weekday 22–24 at 0.25 for 1 kWh
    // (0.25) then summer weekday 0–7 at 0.15 for 1 kWh (0.15). Total 0.40 EUR.
    let t = berlin();
    assert_eq!(
        cost_nanos(&t, "2026-03-31T23:30:00+02:00", "2026-04-01T00:30:00+02:00", 2),
        400_000_000
    );
}

#[test]
fn an_hour_boundary_inside_an_interval_splits_it() {
    // Mon 5 Jan 06:30 → 07:30 CET at 0.5 kW: 0.25 kWh at 0.20 (0.05) + 0.25 kWh at 0.40 (0.10).
    let t = berlin();
    let c = t.cost(ms("2026-01-05T06:30:00+01:00"), ms("2026-01-05T07:30:00+01:00"), 500_000);
    assert_eq!(c.expect("priced").cost.to_money(eur()).nanos, 150_000_000);
}

#[test]
fn price_span_ends_at_the_next_local_hour_or_dst_change() {
    let t = berlin();
    let span = t.price_at(ms("2026-03-29T01:15:00+01:00")).expect("price");
    assert_eq!(span.price, Price::from_micros(100_000));
    // 01:59:59.999 CET is followed by 03:00 CEST: the next boundary is that instant.
    assert_eq!(span.until, Some(ms("2026-03-29T03:00:00+02:00")));
}

#[test]
fn flat_tariff_has_one_price_for_ever() {
    let t = Tariff::flat(eur(), Price::from_micros(301_200));
    let span = t.price_at(0).expect("price");
    assert_eq!(span.until, None);
    // 100 W for 24 h = 2.4 kWh × 0.3012 = 0.72288 EUR.
    let c = t.cost(0, 86_400_000, 100_000).expect("priced");
    assert_eq!(c.cost.to_money(eur()).nanos, 722_880_000);
}

fn hourly() -> Tariff {
    let text = std::fs::read_to_string(fixture("prices_berlin_2026-10-25.csv")).expect("fixture");
    Tariff::hourly(eur(), "Europe/Berlin", &text).expect("valid list")
}

#[test]
fn hourly_list_across_the_repeated_hour() {
    // 02:30 CEST → 02:30 CET at 1 kW: 0.5 kWh at 0.10 + 0.5 kWh at 0.20 = 0.15 EUR.
    let t = hourly();
    assert_eq!(
        cost_nanos(&t, "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", 1),
        150_000_000
    );
    // A negative market price is a credit: 1 kWh at −0.015.
    assert_eq!(
        cost_nanos(&t, "2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00", 1),
        -15_000_000
    );
}

#[test]
fn hourly_list_has_no_price_outside_its_rows() {
    let t = hourly();
    let err = t.price_at(ms("2026-10-25T05:00:00+01:00")).expect_err("outside the list");
    assert!(matches!(err, TariffError::NoPrice { .. }));
    assert!(err.to_string().contains("import a list that covers this time"), "{err}");
    assert!(t.price_at(ms("2026-10-24T23:59:59+02:00")).is_err());
}

#[test]
fn csv_errors_name_the_line() {
    let cases = [
        ("time,price\n", "line 1", "timestamp,price"),
        (
            "timestamp,price\n2026-10-25T00:00:00+02:00,0.1\n2026-10-25 01:00,0.2\n",
            "line 3",
            "UTC offset",
        ),
        (
            "timestamp,price\n2026-10-25T01:00:00+02:00,0.1\n2026-10-25T00:00:00+02:00,0.2\n",
            "line 3",
            "not after",
        ),
        ("timestamp,price\n2026-10-25T01:00:00+02:00,abc\n", "line 2", "not a decimal"),
        ("timestamp,price\n", "line 2", "no prices"),
    ];
    for (text, line, what) in cases {
        let err = Tariff::hourly(eur(), "Europe/Berlin", text).expect_err(text).to_string();
        assert!(err.contains(line) && err.contains(what), "{text:?}: {err}");
    }
}

fn raw(extra: &str) -> Result<Tariff, TariffError> {
    RawTariff::from_toml(&format!("currency = \"EUR\"\ntime_zone = \"Europe/Berlin\"\n{extra}"))?
        .validate()
}

#[test]
fn raw_tariff_errors_name_the_field() {
    let season = |weekday: &str, from: &str, to: &str| {
        format!(
            "[[seasons]]\nname = \"s\"\nfrom = \"{from}\"\nto = \"{to}\"\nweekday = [{weekday}]\n"
        )
    };
    let full = "{ from = 0, to = 24, price = \"0.3\" }";
    let cases = [
        (
            season("{ from = 0, to = 22, price = \"0.3\" }", "01-01", "12-31"),
            "seasons[0].weekday",
            "hour 22 has no price",
        ),
        (
            season(&format!("{full}, {{ from = 5, to = 6, price = \"0.1\" }}"), "01-01", "12-31"),
            "seasons[0].weekday[1]",
            "already",
        ),
        (
            season("{ from = 0, to = 24, price = \"-0.3\" }", "01-01", "12-31"),
            "seasons[0].weekday[0].price",
            "negative",
        ),
        (season(full, "02-30", "12-31"), "seasons[0].from", "not a date"),
        (season(full, "01-01", "11-30"), "seasons", "no season covers 12-01"),
        (
            "flat_price = \"0.3\"\n".to_owned() + &season(full, "01-01", "12-31"),
            "flat_price/seasons/hourly_csv",
            "exactly one",
        ),
        (
            "weekend_days = [\"sunday\", \"funday\"]\n".to_owned()
                + &season(full, "01-01", "12-31"),
            "weekend_days[1]",
            "funday",
        ),
    ];
    for (text, field, what) in cases {
        let err = raw(&text).expect_err(&text).to_string();
        assert!(err.contains(&format!("`{field}`")) && err.contains(what), "{text}\n=> {err}");
    }
    let err = RawTariff::from_toml(
        "currency = \"EUR\"\ntime_zone = \"Mars/Olympus\"\nflat_price = 0.3\n",
    )
    .and_then(|r| r.validate())
    .expect_err("unknown zone")
    .to_string();
    assert!(err.contains("time_zone") && err.contains("Mars/Olympus"), "{err}");
    let err =
        RawTariff::from_toml("currency = \"EURO\"\nflat_price = 0.3\n").and_then(|r| r.validate());
    assert!(err.expect_err("bad currency").to_string().contains("`currency`"));
}

#[test]
fn raw_flat_price_accepts_a_number_or_an_exact_string() {
    for price in ["0.3012", "\"0.3012\""] {
        let t = RawTariff::from_toml(&format!("currency = \"eur\"\nflat_price = {price}\n"))
            .and_then(|r| r.validate())
            .expect("valid");
        assert_eq!(t.currency(), Currency::parse("EUR").expect("EUR"));
        assert_eq!(t.price_at(0).expect("price").price, Price::from_micros(301_200));
    }
}

#[test]
fn seasons_may_wrap_past_new_year() {
    let t = berlin();
    // 15 Feb 2026 is a Sunday in "winter" (10-01 → 03-31): weekend 03–22 at 0.30.
    assert_eq!(
        t.price_at(ms("2026-02-15T12:00:00+01:00")).expect("price").price,
        Price::from_micros(300_000)
    );
    // 15 Jul 2026 is a Wednesday in "summer": weekday 7–24 at 0.35.
    assert_eq!(
        t.price_at(ms("2026-07-15T12:00:00+02:00")).expect("price").price,
        Price::from_micros(350_000)
    );
}

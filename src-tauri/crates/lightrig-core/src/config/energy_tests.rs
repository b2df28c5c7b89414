//! The `[energy]` section: old files load unchanged, every kind round-trips through save and
//! load, and every bad value names its field and line.

use std::path::Path;

use super::*;
use crate::config::{Settings, load, parse, save};

const TOU: &str = r#"
[energy]
price_per_kwh = 0.30
currency = "EUR"
tariff = "time-of-use"
time_zone = "Europe/Berlin"
psu_efficiency = 0.87
cpu_watts = 88

[energy.calibration]
idle_watts = 45
load_watts = 140

[[energy.seasons]]
name = "winter"
from = "10-01"
to = "03-31"
weekday = [{ from = 0, to = 7, price = "0.21" }, { from = 7, to = 24, price = "0.35" }]
weekend = [{ from = 0, to = 24, price = "0.25" }]

[[energy.seasons]]
name = "summer"
from = "04-01"
to = "09-30"
weekday = [{ from = 0, to = 24, price = 0.28 }]
"#;

fn parse_ok(text: &str) -> Settings {
    parse(text, Path::new("config.toml")).expect("valid settings")
}

/// The field and line a bad file is reported at, and the message.
fn parse_err(text: &str) -> (String, Option<usize>, String) {
    let e = parse(text, Path::new("config.toml")).expect_err("invalid settings");
    (e.location.field.clone().unwrap_or_default(), e.location.line, e.message)
}

#[test]
fn a_file_from_before_tariffs_loads_as_a_flat_price() {
    let s = parse_ok("[energy]\nprice_per_kwh = 0.3\ncurrency = \"CNY\"\n");
    assert_eq!(s.price_per_kwh, Some(0.3));
    assert_eq!(s.currency, "CNY");
    assert_eq!(s.energy, EnergySettings::default());
    assert_eq!(s.energy.tariff, TariffKind::Flat);
    assert_eq!(s.energy.psu_efficiency.value(), 0.9);
}

#[test]
fn time_of_use_with_seasons_override_and_calibration_is_validated() {
    let s = parse_ok(TOU);
    let e = &s.energy;
    assert_eq!(e.tariff, TariffKind::TimeOfUse);
    assert_eq!(e.zone_name(), "Europe/Berlin");
    assert_eq!(e.psu_efficiency.value(), 0.87);
    assert_eq!(e.cpu_watts.as_ref().map(|c| c.sustained_w), Some(88.0));
    let cal = e.calibration.expect("calibration");
    assert_eq!((cal.idle_w(), cal.load_w()), (45.0, 140.0));
    let schedule = e.schedule.as_ref().expect("schedule");
    let [winter, summer] = schedule.seasons() else { panic!("two seasons") };
    assert_eq!(winter.weekday[6].micros_per_kwh, 210_000);
    assert_eq!(winter.weekday[7].micros_per_kwh, 350_000);
    assert_eq!(winter.weekend[7].micros_per_kwh, 250_000);
    assert_eq!(summer.weekend, summer.weekday, "weekend left out: the weekday prices");
}

#[test]
fn every_kind_round_trips_through_save_and_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    let mut tou = parse_ok(TOU);
    tou.energy.schedule = parse_ok(&TOU.replace(
        "tariff = \"time-of-use\"",
        "tariff = \"time-of-use\"\nweekend_days = [\"friday\", \"saturday\"]",
    ))
    .energy
    .schedule;
    let hourly = Settings {
        energy: EnergySettings { tariff: TariffKind::Hourly, ..EnergySettings::default() },
        ..Settings::default()
    };
    for s in [Settings::default(), tou, hourly] {
        save(&path, &s).expect("save");
        let back = load(&path);
        assert!(back.problem.is_none(), "{:?}", back.problem);
        assert_eq!(back.settings, s);
    }
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("tariff = \"hourly\""), "{text}");
}

#[test]
fn a_saved_schedule_is_written_as_short_readable_periods() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    save(&path, &parse_ok(TOU)).expect("save");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("[[energy.seasons]]"), "{text}");
    assert!(text.contains("price = \"0.21\""), "{text}");
    assert!(text.contains("from = \"10-01\""), "{text}");
    // The summer weekend equals its weekday: not repeated.
    assert_eq!(
        text.matches("weekend =").count() + text.matches("[[energy.seasons.weekend]]").count(),
        1,
        "{text}"
    );
}

#[test]
fn an_old_file_saved_again_gains_no_default_noise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    save(&path, &Settings::default()).expect("save");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(!text.contains("tariff ="), "{text}");
    assert!(!text.contains("psu_efficiency"), "{text}");
}

#[test]
fn every_bad_value_names_its_field_and_line_and_says_what_to_do() {
    let cases: &[(&str, &str, &str)] = &[
        ("tariff = \"cheap\"", "energy.tariff", "flat, time-of-use or hourly"),
        ("time_zone = \"Mars/Olympus\"", "energy.time_zone", "IANA name"),
        ("psu_efficiency = 0.3", "energy.psu_efficiency", "0.5 to 1.0"),
        ("psu_efficiency = 1.2", "energy.psu_efficiency", "0.5 to 1.0"),
        ("cpu_watts = 0", "energy.cpu_watts", "1 to 1000 W"),
        ("cpu_watts = 5000", "energy.cpu_watts", "1 to 1000 W"),
        (
            "calibration = { idle_watts = 0, load_watts = 100 }",
            "energy.calibration.idle_watts",
            "above 0",
        ),
        (
            "calibration = { idle_watts = 50, load_watts = -3 }",
            "energy.calibration.load_watts",
            "above 0",
        ),
        (
            "calibration = { idle_watts = 120, load_watts = 90 }",
            "energy.calibration.load_watts",
            "higher than the idle",
        ),
        ("calibration = { idle_watts = 120 }", "energy.calibration.load_watts", "both readings"),
        ("calibration = { load_watts = 120 }", "energy.calibration.idle_watts", "both readings"),
        ("tariff = \"time-of-use\"", "energy.seasons", "at least one season"),
        ("weekend_days = [\"caturday\"]", "energy.weekend_days.0", "not a day name"),
    ];
    for (line, field, hint) in cases {
        let text = format!("schema = 1\n[energy]\ncurrency = \"EUR\"\n{line}\n");
        let (f, at, message) = parse_err(&text);
        assert_eq!(f, *field, "{line}: {message}");
        // A missing table is reported where it belongs: the [energy] line.
        let expected = if *field == "energy.seasons" { 2 } else { 4 };
        assert_eq!(at, Some(expected), "{line}: reported at its line");
        assert!(message.contains(hint), "{line}: {message}");
    }
}

#[test]
fn a_bad_season_is_reported_at_its_own_line() {
    let text = TOU.replace("price = \"0.35\"", "price = \"-0.35\"");
    let (field, line, message) = parse_err(&text);
    assert_eq!(field, "energy.seasons.0.weekday.1.price");
    assert_eq!(line, Some(18), "{message}");
    assert!(message.contains("negative"), "{message}");
    let text = TOU.replace("to = \"09-30\"", "to = \"09-29\"");
    let (field, _, message) = parse_err(&text);
    assert_eq!(field, "energy.seasons");
    assert!(message.contains("09-30") && message.contains("whole year"), "{message}");
    let text = TOU.replace(
        "{ from = 7, to = 24, price = \"0.35\" }",
        "{ from = 7, to = 23, price = \"0.35\" }",
    );
    let (field, _, message) = parse_err(&text);
    assert_eq!(field, "energy.seasons.0.weekday");
    assert!(message.contains("hour 23 has no price"), "{message}");
}

#[test]
fn a_damaged_energy_section_sets_the_file_aside_and_uses_defaults() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    let text = "[energy]\nprice_per_kwh = 0.3\npsu_efficiency = 7\n";
    std::fs::write(&path, text).expect("write");
    let loaded = load(&path);
    assert_eq!(loaded.settings, Settings::default());
    let (error, kept) = loaded.problem.expect("a problem");
    assert_eq!(error.location.field.as_deref(), Some("energy.psu_efficiency"));
    assert_eq!(std::fs::read_to_string(kept.expect("kept")).expect("read"), text);
}

#[test]
fn prices_are_written_as_exact_decimals() {
    use crate::energy::units::Price;
    assert_eq!(decimal(Price::from_micros(350_000)), "0.35");
    assert_eq!(decimal(Price::from_micros(2_000_000)), "2");
    assert_eq!(decimal(Price::from_micros(123_456)), "0.123456");
}

//! The energy settings at the boundary and the price-list import.

use super::*;
use crate::config::TariffKind;

const GOOD: &str = "timestamp,price\n\
2026-03-29T00:00:00+01:00,0.21\n\
2026-03-29T01:00:00+01:00,0.19\n\
2026-03-29T03:00:00+02:00,0.18\n";

fn view() -> EnergySettingsView {
    energy_view(&EnergySettings::default())
}

fn season(weekday: f64, evening: f64) -> SeasonView {
    let mut day = vec![weekday; 24];
    day[17..21].fill(evening);
    SeasonView {
        name: "all year".into(),
        from: "01-01".into(),
        to: "12-31".into(),
        weekday: day,
        weekend: vec![weekday; 24],
    }
}

#[test]
fn a_good_list_is_kept_and_summarised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("data/tariff-prices.csv");
    let summary = import_prices(&path, GOOD).expect("imported");
    assert_eq!(summary.prices, 3);
    assert_eq!(summary.step_minutes, 60);
    // 2026-03-28T23:00Z to 2026-03-29T02:00Z: the spring-forward night has no 02:00 local.
    assert_eq!(summary.first_ms, 1_774_738_800_000);
    assert_eq!(summary.end_ms, 1_774_749_600_000);
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), GOOD);
    assert_eq!(price_list(&path), Some(summary));
}

#[test]
fn a_bad_list_names_the_line_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("tariff-prices.csv");
    import_prices(&path, GOOD).expect("the first import");
    let cases = [
        (GOOD.replace("0.19", "cheap"), "line 3", "price"),
        (GOOD.replace("2026-03-29T03:00:00+02:00", "29.03.2026 03:00"), "line 4", "timestamp"),
        (GOOD.replace("timestamp,price", "time;price"), "line 1", "timestamp,price"),
        (format!("{GOOD}2026-03-29T00:30:00+01:00,0.2\n"), "line 5", "not after the previous"),
        ("timestamp,price\n".to_owned(), "line 2", "no prices"),
        (format!("{GOOD}2026-03-29T05:00:00+02:00,0.2,extra\n"), "line 5", "fields"),
    ];
    for (csv, line, hint) in cases {
        let e = import_prices(&path, &csv).expect_err("rejected");
        assert_eq!((e.code.as_str(), e.field.as_deref()), ("tariff.csv_invalid", Some("csv")));
        assert!(e.message.contains(line), "{line}: {}", e.message);
        assert!(e.message.contains(hint), "{hint}: {}", e.message);
        assert_eq!(std::fs::read_to_string(&path).expect("kept"), GOOD, "unchanged: {csv}");
    }
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    assert_eq!(names, ["tariff-prices.csv"], "no temporary file is left behind");
}

#[test]
fn a_list_too_large_is_refused_before_parsing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = format!("timestamp,price\n{}", "x".repeat(MAX_CSV_BYTES));
    let e = import_prices(&dir.path().join("p.csv"), &csv).expect_err("too large");
    assert!(e.message.contains("KB"), "{}", e.message);
}

#[test]
fn a_time_of_use_edit_round_trips_through_the_view() {
    let mut v = view();
    v.tariff = "time-of-use".into();
    v.time_zone = Some("Asia/Shanghai".into());
    v.seasons = vec![season(0.3, 0.55)];
    v.weekend_days = vec!["sunday".into()];
    v.psu_efficiency = 0.88;
    v.cpu_watts = Some(95.0);
    (v.idle_watts, v.load_watts) = (Some(40.0), Some(130.0));
    let s = energy_settings(&v).expect("valid");
    assert_eq!(s.tariff, TariffKind::TimeOfUse);
    let schedule = s.schedule.as_ref().expect("schedule");
    assert_eq!(schedule.weekend(), [false, false, false, false, false, false, true]);
    assert_eq!(schedule.seasons()[0].weekday[18].micros_per_kwh, 550_000);
    let back = energy_view(&s);
    assert_eq!(back.seasons, v.seasons);
    assert_eq!(
        (back.tariff.as_str(), back.time_zone.as_deref()),
        ("time-of-use", Some("Asia/Shanghai"))
    );
    assert_eq!((back.psu_efficiency, back.cpu_watts), (0.88, Some(95.0)));
    assert_eq!((back.idle_watts, back.load_watts), (Some(40.0), Some(130.0)));
    assert_eq!(back.weekend_days, ["sunday"]);
}

/// One edit of the view.
type Change = Box<dyn Fn(&mut EnergySettingsView)>;

#[test]
fn bad_edits_come_back_naming_the_field_the_ui_shows_them_at() {
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|v| v.tariff = "cheap".into()), "energy.tariff"),
        (Box::new(|v| v.time_zone = Some("Berlin".into())), "energy.time_zone"),
        (Box::new(|v| v.psu_efficiency = 0.2), "energy.psu_efficiency"),
        (Box::new(|v| v.cpu_watts = Some(-5.0)), "energy.cpu_watts"),
        (
            Box::new(|v| (v.idle_watts, v.load_watts) = (Some(90.0), Some(60.0))),
            "energy.calibration.load_watts",
        ),
        (Box::new(|v| v.idle_watts = Some(50.0)), "energy.calibration.load_watts"),
        (Box::new(|v| v.tariff = "time-of-use".into()), "energy.seasons"),
        (Box::new(|v| v.seasons = vec![season(0.3, 42.0)]), "energy.seasons.0.weekday.17"),
        (
            Box::new(|v| {
                let mut s = season(0.3, 0.5);
                s.weekend.pop();
                v.seasons = vec![s];
            }),
            "energy.seasons.0.weekend",
        ),
        (
            Box::new(|v| {
                let mut s = season(0.3, 0.5);
                s.to = "06-30".into();
                v.seasons = vec![s];
            }),
            "energy.seasons",
        ),
    ];
    for (change, field) in cases {
        let mut v = view();
        change(&mut v);
        let e = energy_settings(&v).expect_err(field);
        assert_eq!(
            (e.code.as_str(), e.field.as_deref()),
            ("settings.invalid", Some(field)),
            "{}",
            e.message
        );
    }
}

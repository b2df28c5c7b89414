//! The energy settings at the boundary: settings ↔ view, with errors naming the field the UI
//! shows them at; and the import of an hourly price list sent as CSV text (the webview needs no
//! file access for it, in either front door).

use std::path::Path;

use super::dto::{EnergySettingsView, PriceListView, SeasonView};
use super::{ApiError, AppService};
use crate::config::{self, EnergySettings, RawCalibration, RawEnergy};
use crate::energy::tariff::{HourlyPrices, RawPeriod, RawPrice, RawSeason};

/// The largest list accepted: a year of quarter-hour prices is about 1.3 MB.
pub const MAX_CSV_BYTES: usize = 2 * 1024 * 1024;

const DAY_NAMES: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

pub fn energy_view(s: &EnergySettings) -> EnergySettingsView {
    let hours = |prices: &[crate::energy::Price; 24]| prices.iter().map(|p| p.as_f64()).collect();
    let (seasons, weekend_days) = match &s.schedule {
        Some(schedule) => (
            schedule
                .seasons()
                .iter()
                .map(|season| SeasonView {
                    name: season.name.clone(),
                    from: format!("{:02}-{:02}", season.from.0, season.from.1),
                    to: format!("{:02}-{:02}", season.to.0, season.to.1),
                    weekday: hours(&season.weekday),
                    weekend: hours(&season.weekend),
                })
                .collect(),
            DAY_NAMES
                .iter()
                .zip(schedule.weekend())
                .filter(|(_, w)| *w)
                .map(|(d, _)| (*d).to_owned())
                .collect(),
        ),
        None => (Vec::new(), vec!["saturday".into(), "sunday".into()]),
    };
    EnergySettingsView {
        tariff: s.tariff.as_str().into(),
        time_zone: s.time_zone.clone(),
        system_time_zone: config::system_time_zone(),
        seasons,
        weekend_days,
        psu_efficiency: s.psu_efficiency.value(),
        cpu_watts: s.cpu_watts.as_ref().map(|c| c.sustained_w),
        idle_watts: s.calibration.map(|c| c.idle_w()),
        load_watts: s.calibration.map(|c| c.load_w()),
        price_list: None,
    }
}

/// Validates an edit from the UI; the error's field is the settings-file path
/// (`energy.psu_efficiency`, `energy.seasons.0.weekday.7`, ...).
pub fn energy_settings(v: &EnergySettingsView) -> Result<EnergySettings, ApiError> {
    let bad = |field: String, m: String| ApiError::field("settings.invalid", &field, m);
    let mut seasons = Vec::with_capacity(v.seasons.len());
    for (i, season) in v.seasons.iter().enumerate() {
        let day = |which: &str, prices: &[f64]| -> Result<Vec<RawPeriod>, ApiError> {
            let field = format!("energy.seasons.{i}.{which}");
            if prices.len() != 24 {
                return Err(bad(field, format!("needs 24 hourly prices, got {}", prices.len())));
            }
            prices
                .iter()
                .enumerate()
                .map(|(hour, &p)| {
                    config::check_price(p).map_err(|m| bad(format!("{field}.{hour}"), m))?;
                    let hour = i64::try_from(hour).unwrap_or(0);
                    Ok(RawPeriod { from: hour, to: hour + 1, price: RawPrice::Number(p) })
                })
                .collect()
        };
        seasons.push(RawSeason {
            name: season.name.trim().to_owned(),
            from: season.from.clone(),
            to: season.to.clone(),
            weekday: day("weekday", &season.weekday)?,
            weekend: Some(day("weekend", &season.weekend)?),
        });
    }
    let raw = RawEnergy {
        tariff: Some(v.tariff.clone()),
        time_zone: v.time_zone.clone().filter(|z| !z.trim().is_empty()),
        psu_efficiency: Some(v.psu_efficiency),
        cpu_watts: v.cpu_watts,
        weekend_days: (!seasons.is_empty()).then(|| v.weekend_days.clone()),
        calibration: Some(RawCalibration { idle_watts: v.idle_watts, load_watts: v.load_watts }),
        seasons: (!seasons.is_empty()).then_some(seasons),
        ..RawEnergy::default()
    };
    raw.validate().map_err(|e| bad(per_hour_field(&e.field), e.message))
}

/// `energy.seasons.0.weekday.7.price` → `energy.seasons.0.weekday.7`: the UI edits hours.
fn per_hour_field(field: &str) -> String {
    field.strip_suffix(".price").unwrap_or(field).to_owned()
}

/// What the list at `path` covers; `None` when there is none (or it is unreadable: the meter
/// says why).
pub fn price_list(path: &Path) -> Option<PriceListView> {
    let text = std::fs::read_to_string(path).ok()?;
    HourlyPrices::parse_csv(&text).ok().map(|list| list_view(&list))
}

fn list_view(list: &HourlyPrices) -> PriceListView {
    let (first_ms, end_ms) = list.covers();
    PriceListView {
        prices: u32::try_from(list.len()).unwrap_or(u32::MAX),
        first_ms,
        end_ms,
        step_minutes: u32::try_from(list.step_ms() / 60_000).unwrap_or(60),
    }
}

/// Checks the CSV text and, only if all of it is good, keeps it as the price list (a temporary
/// file renamed over the old one: a failed import leaves the old list as it was).
pub fn import_prices(path: &Path, csv: &str) -> Result<PriceListView, ApiError> {
    if csv.len() > MAX_CSV_BYTES {
        return Err(ApiError::field(
            "tariff.csv_invalid",
            "csv",
            format!(
                "the price list is {} KB; Lightrig takes up to {} KB: import a shorter period",
                csv.len() / 1024,
                MAX_CSV_BYTES / 1024
            ),
        ));
    }
    let list = HourlyPrices::parse_csv(csv)
        .map_err(|e| ApiError::field("tariff.csv_invalid", "csv", e.to_string()))?;
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::paths::write_atomic(path, csv.as_bytes())
    };
    write().map_err(|e| {
        ApiError::new(
            "tariff.save_failed",
            format!(
                "the price list could not be kept in {} ({e}); check that the folder is writable",
                path.display()
            ),
        )
    })?;
    Ok(list_view(&list))
}

impl AppService {
    /// Imports an electricity price list (CSV text: `timestamp,price` rows). An `hourly`
    /// tariff uses it from the next settings check on (within about 10 s).
    pub async fn import_tariff_prices(&self, csv: String) -> Result<PriceListView, ApiError> {
        let path = self.engine.paths().tariff_prices_file();
        tokio::task::spawn_blocking(move || import_prices(&path, &csv))
            .await
            .map_err(|e| ApiError::new("internal", e.to_string()))?
    }
}

#[cfg(test)]
#[path = "tariff_tests.rs"]
mod tests;

//! The `[energy]` section of the settings: which tariff (a flat price, a time-of-use schedule or
//! an imported price list), its time zone, the PSU efficiency, the user's own CPU watts and a
//! plug-meter calibration. Parsed from raw serde structs and validated into [`EnergySettings`],
//! which cannot hold a bad value; every error names the field and says what to do.
//!
//! ```toml
//! [energy]
//! price_per_kwh = 0.30          # the flat price (files from before tariffs load unchanged)
//! currency = "EUR"
//! tariff = "time-of-use"        # flat | time-of-use | hourly
//! time_zone = "Europe/Berlin"   # left out: the system's
//! psu_efficiency = 0.9
//! cpu_watts = 88
//! [energy.calibration]
//! idle_watts = 45
//! load_watts = 140
//! [[energy.seasons]]
//! name = "all year"
//! from = "01-01"
//! to = "12-31"
//! weekday = [{ from = 0, to = 7, price = "0.21" }, { from = 7, to = 24, price = "0.35" }]
//! weekend = [{ from = 0, to = 24, price = "0.25" }]
//! ```
//! An `hourly` tariff reads the list imported through the app (see `api::tariff`), kept in the
//! data folder, so the settings file stays small and readable.

use serde::{Deserialize, Serialize};

use crate::energy::PsuEfficiency;
use crate::energy::model::{CpuPowerSpec, WallCalibration};
use crate::energy::tariff::{RawPeriod, RawPrice, RawSeason, RawTariff, Schedule, TariffError};
use crate::energy::units::Price;

const DAY_NAMES: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// Which kind of tariff prices the energy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TariffKind {
    /// One price at all times: `price_per_kwh`.
    #[default]
    Flat,
    /// Prices by local hour, weekday or weekend, and season: `seasons`.
    TimeOfUse,
    /// The imported list of (quarter-)hourly prices.
    Hourly,
}

impl TariffKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TariffKind::Flat => "flat",
            TariffKind::TimeOfUse => "time-of-use",
            TariffKind::Hourly => "hourly",
        }
    }

    pub fn parse(text: &str) -> Result<TariffKind, String> {
        match text {
            "flat" => Ok(TariffKind::Flat),
            "time-of-use" => Ok(TariffKind::TimeOfUse),
            "hourly" => Ok(TariffKind::Hourly),
            other => {
                Err(format!("`{other}` is not a tariff kind: use flat, time-of-use or hourly"))
            }
        }
    }
}

/// Validated energy settings (the flat price and the currency stay in `Settings`, where they
/// have always been).
#[derive(Debug, Clone, PartialEq)]
pub struct EnergySettings {
    pub tariff: TariffKind,
    /// An IANA time zone; `None` follows the system's.
    pub time_zone: Option<String>,
    /// The time-of-use schedule, kept while another kind is chosen so switching back keeps it.
    pub schedule: Option<Schedule>,
    pub psu_efficiency: PsuEfficiency,
    /// The user's own figure for the CPU's sustained watts under full load.
    pub cpu_watts: Option<CpuPowerSpec>,
    /// Idle and load watts read from a plug meter.
    pub calibration: Option<WallCalibration>,
}

impl Default for EnergySettings {
    fn default() -> Self {
        EnergySettings {
            tariff: TariffKind::Flat,
            time_zone: None,
            schedule: None,
            psu_efficiency: PsuEfficiency::default(),
            cpu_watts: None,
            calibration: None,
        }
    }
}

impl EnergySettings {
    /// The time zone tariffs are evaluated in: the user's, else the system's, else UTC.
    pub fn zone_name(&self) -> String {
        self.time_zone.clone().unwrap_or_else(system_time_zone)
    }
}

/// The system's IANA time zone name ("UTC" when the system does not say).
pub fn system_time_zone() -> String {
    jiff::tz::TimeZone::system().iana_name().unwrap_or("UTC").to_owned()
}

/// The `[energy]` table as written.
#[derive(Debug, Default, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnergy {
    pub price_per_kwh: Option<f64>,
    pub currency: Option<String>,
    pub tariff: Option<String>,
    pub time_zone: Option<String>,
    pub psu_efficiency: Option<f64>,
    pub cpu_watts: Option<f64>,
    /// Weekend day names for the schedule; Saturday and Sunday when left out.
    pub weekend_days: Option<Vec<String>>,
    pub calibration: Option<RawCalibration>,
    pub seasons: Option<Vec<RawSeason>>,
}

#[derive(Debug, Default, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalibration {
    pub idle_watts: Option<f64>,
    pub load_watts: Option<f64>,
}

/// A bad value: the dotted field (as `tomlspan::locate` reads it) and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct EnergyError {
    pub field: String,
    pub message: String,
}

fn bad(field: &str, message: impl Into<String>) -> EnergyError {
    EnergyError { field: format!("energy.{field}"), message: message.into() }
}

/// The sane range for a CPU's sustained watts: a phone-class chip to a workstation part.
pub const CPU_WATTS: (f64, f64) = (1.0, 1_000.0);

impl RawEnergy {
    /// Validates everything but the flat price and the currency (checked by the caller).
    pub fn validate(&self) -> Result<EnergySettings, EnergyError> {
        let mut out = EnergySettings::default();
        if let Some(kind) = &self.tariff {
            out.tariff = TariffKind::parse(kind).map_err(|m| bad("tariff", m))?;
        }
        if let Some(zone) = &self.time_zone {
            crate::energy::tariff::time_zone(zone)
                .map_err(|e| bad("time_zone", tariff_problem(e)))?;
            out.time_zone = Some(zone.clone());
        }
        if let Some(e) = self.psu_efficiency {
            out.psu_efficiency = PsuEfficiency::new(e).map_err(|_| {
                bad(
                    "psu_efficiency",
                    format!(
                        "{e} is not an efficiency: use 0.5 to 1.0 (most desktop supplies are \
                         0.85 to 0.92; 0.9 if you do not know)"
                    ),
                )
            })?;
        }
        if let Some(w) = self.cpu_watts {
            if !(w.is_finite() && (CPU_WATTS.0..=CPU_WATTS.1).contains(&w)) {
                return Err(bad(
                    "cpu_watts",
                    format!(
                        "{w} W is not a CPU's power under full load: use 1 to 1000 W (e.g. the \
                         package power a review measured), or leave it empty to use the table"
                    ),
                ));
            }
            out.cpu_watts = CpuPowerSpec::user(w).ok();
        }
        if let Some(c) = &self.calibration {
            out.calibration = calibration(c)?;
        }
        if self.seasons.is_some() || self.weekend_days.is_some() {
            let raw = RawTariff {
                seasons: Some(self.seasons.clone().unwrap_or_default()),
                weekend_days: self.weekend_days.clone(),
                ..RawTariff::default()
            };
            let schedule = raw.schedule().map_err(|e| match e {
                TariffError::Field { field, problem } => bad(&dotted(&field), problem),
                other => bad("seasons", other.to_string()),
            })?;
            out.schedule = Some(schedule);
        }
        if out.tariff == TariffKind::TimeOfUse && out.schedule.is_none() {
            return Err(bad(
                "seasons",
                "a time-of-use tariff needs its prices: add at least one season covering the \
                 whole year",
            ));
        }
        Ok(out)
    }

    /// The raw form of validated settings, for saving. The schedule is written as periods of
    /// equal price, so the file stays short and readable.
    pub fn from_settings(s: &EnergySettings, price: Option<f64>, currency: &str) -> RawEnergy {
        let defaults = EnergySettings::default();
        RawEnergy {
            price_per_kwh: price,
            currency: Some(currency.to_owned()),
            tariff: Some(s.tariff.as_str().to_owned()),
            time_zone: s.time_zone.clone(),
            psu_efficiency: Some(s.psu_efficiency.value()),
            cpu_watts: s.cpu_watts.as_ref().map(|c| c.sustained_w),
            weekend_days: s.schedule.as_ref().and_then(|sch| {
                let weekend = sch.weekend();
                (weekend != [false, false, false, false, false, true, true]).then(|| {
                    DAY_NAMES
                        .iter()
                        .zip(weekend)
                        .filter(|(_, w)| *w)
                        .map(|(d, _)| (*d).to_owned())
                        .collect()
                })
            }),
            calibration: s.calibration.map(|c| RawCalibration {
                idle_watts: Some(c.idle_w()),
                load_watts: Some(c.load_w()),
            }),
            seasons: s.schedule.as_ref().map(|sch| {
                sch.seasons()
                    .iter()
                    .map(|season| RawSeason {
                        name: season.name.clone(),
                        from: format!("{:02}-{:02}", season.from.0, season.from.1),
                        to: format!("{:02}-{:02}", season.to.0, season.to.1),
                        weekday: periods(&season.weekday),
                        weekend: (season.weekend != season.weekday)
                            .then(|| periods(&season.weekend)),
                    })
                    .collect()
            }),
        }
        .without_defaults(&defaults)
    }

    /// Leaves out what equals the default, so an old file saved again gains no noise.
    fn without_defaults(mut self, d: &EnergySettings) -> RawEnergy {
        if self.tariff.as_deref() == Some(d.tariff.as_str()) {
            self.tariff = None;
        }
        if self.psu_efficiency == Some(d.psu_efficiency.value()) {
            self.psu_efficiency = None;
        }
        self
    }
}

fn calibration(c: &RawCalibration) -> Result<Option<WallCalibration>, EnergyError> {
    let check = |name: &str, w: f64| {
        if w.is_finite() && w > 0.0 && w <= 5_000.0 {
            Ok(w)
        } else {
            Err(bad(
                &format!("calibration.{name}"),
                format!("{w} W is not a plug-meter reading: use a number above 0 and up to 5000"),
            ))
        }
    };
    match (c.idle_watts, c.load_watts) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(bad(
            "calibration.load_watts",
            "the calibration needs both readings: add the watts the meter shows while the node \
             works",
        )),
        (None, Some(_)) => Err(bad(
            "calibration.idle_watts",
            "the calibration needs both readings: add the watts the meter shows with the node \
             stopped",
        )),
        (Some(idle), Some(load)) => {
            let (idle, load) = (check("idle_watts", idle)?, check("load_watts", load)?);
            WallCalibration::new(idle, load)
                .map(Some)
                .map_err(|e| bad("calibration.load_watts", e.to_string()))
        }
    }
}

/// `seasons[1].weekday[0].price` → `seasons.1.weekday.0.price` (the path `locate` reads).
fn dotted(field: &str) -> String {
    field.replace('[', ".").replace(']', "")
}

fn tariff_problem(e: TariffError) -> String {
    match e {
        TariffError::Field { problem, .. } => problem,
        other => other.to_string(),
    }
}

/// 24 hourly prices as periods of equal price.
fn periods(hours: &[Price; 24]) -> Vec<RawPeriod> {
    let mut out: Vec<RawPeriod> = Vec::new();
    let mut from = 0usize;
    for hour in 1..=24 {
        if hour == 24 || hours[hour] != hours[from] {
            out.push(RawPeriod {
                from: i64::try_from(from).unwrap_or(0),
                to: i64::try_from(hour).unwrap_or(24),
                price: RawPrice::Text(decimal(hours[from])),
            });
            from = hour;
        }
    }
    out
}

/// A price as a plain decimal ("0.35"), exact to the millionth.
pub fn decimal(p: Price) -> String {
    let micros = p.micros_per_kwh;
    let sign = if micros < 0 { "-" } else { "" };
    let abs = micros.unsigned_abs();
    let frac = format!("{:06}", abs % 1_000_000);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{sign}{}", abs / 1_000_000)
    } else {
        format!("{sign}{}.{frac}", abs / 1_000_000)
    }
}

#[cfg(test)]
#[path = "energy_tests.rs"]
mod tests;

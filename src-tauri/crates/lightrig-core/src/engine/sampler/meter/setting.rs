//! What the meter takes from the settings: the tariff of any kind (flat, time-of-use, the
//! imported price list), the PSU efficiency and the model's override and calibration. Compared
//! as values, so re-reading an unchanged settings file changes nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::config::{EnergySettings, Settings, TariffKind};
use crate::energy::model::{
    CpuPowerSpec, CpuPowerTable, ModelSettings, ModelSource, WallCalibration,
};
use crate::energy::tariff::Schedule;
use crate::energy::{Currency, PowerLadder, PowerSource, Price, PsuEfficiency, Tariff};
use crate::paths::Paths;

/// What the energy path needs to start.
#[derive(Debug)]
pub struct EnergySetup {
    pub ladder: PowerLadder,
    /// GPU sources read beside the ladder (NVML, amdgpu); none is the usual case.
    pub gpus: Vec<Box<dyn PowerSource>>,
    /// The tariff, PSU efficiency and model inputs in force at start.
    pub settings: MeterSettings,
    /// The ladder's model rung, to apply a new CPU-watts override or calibration.
    pub model: Option<ModelSettings>,
    /// The settings file, re-read when it changes so a new price applies without a restart.
    pub config_file: Option<PathBuf>,
    /// The imported price list; a new import applies like a settings change.
    pub prices_file: Option<PathBuf>,
    /// Where the learned idle baseline is kept across restarts.
    pub baseline_file: Option<PathBuf>,
    /// The sampling interval; pauses up to five intervals (10 s at least) are integrated.
    pub interval: Duration,
}

impl EnergySetup {
    /// This machine's ladder (per OS, ending in the CPU model) and the energy settings in
    /// `settings`, with the files under `paths`.
    pub fn for_machine(settings: &Settings, paths: &Paths) -> EnergySetup {
        let model = ModelSource::new(cpu_spec(&cpu_brand()), None);
        let handle = model.settings();
        let prices_file = paths.tariff_prices_file();
        EnergySetup {
            ladder: crate::energy::default_ladder(model),
            gpus: crate::energy::default_gpu_sources(),
            settings: MeterSettings::from_settings(settings, Some(&prices_file)),
            model: Some(handle),
            config_file: Some(paths.config_file()),
            prices_file: Some(prices_file),
            baseline_file: Some(paths.baseline_file()),
            interval: settings.sample_interval,
        }
    }

    /// A ladder and a tariff, nothing else: no files, no model handle, the default PSU
    /// efficiency.
    #[cfg(test)]
    pub fn new(ladder: PowerLadder, tariff: TariffSetting, interval: Duration) -> EnergySetup {
        EnergySetup {
            ladder,
            gpus: Vec::new(),
            settings: MeterSettings {
                tariff,
                psu: PsuEfficiency::default(),
                model: ModelSetting::default(),
            },
            model: None,
            config_file: None,
            prices_file: None,
            baseline_file: None,
            interval,
        }
    }
}

/// The CPU's brand string as the OS reports it ("" when it cannot be read).
fn cpu_brand() -> String {
    use sysinfo::{CpuRefreshKind, RefreshKind, System};
    System::new_with_specifics(RefreshKind::nothing().with_cpu(CpuRefreshKind::nothing()))
        .ok()
        .and_then(|s| s.cpus().first().map(|c| c.brand().trim().to_owned()))
        .unwrap_or_default()
}

/// The model's spec for `brand` from the shipped table; a generic 65 W part if the table is
/// unreadable (only a broken build does that, and a test parses the table).
pub fn cpu_spec(brand: &str) -> CpuPowerSpec {
    match CpuPowerTable::bundled() {
        Ok(table) => table.lookup(brand),
        Err(e) => {
            tracing::error!(error = %e, "the CPU power table did not load; using a generic model");
            CpuPowerSpec {
                label: "unknown CPU".into(),
                sustained_w: 65.0,
                band: (-0.5, 1.0),
                basis: "generic 65 W TDP".into(),
            }
        }
    }
}

/// The electricity tariff as the settings give it.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffSetting {
    pub price_per_kwh: Option<f64>,
    pub currency: String,
    pub kind: TariffKind,
    /// The IANA zone time-of-use hours are read in (the user's, else the system's).
    pub zone: String,
    pub schedule: Option<Schedule>,
    /// The imported price list an `hourly` tariff reads.
    pub prices_file: Option<PathBuf>,
    /// When that list last changed, so a new import counts as a new setting.
    pub prices_modified: Option<SystemTime>,
}

impl TariffSetting {
    /// A flat price (or none).
    #[cfg(test)]
    pub fn flat(price_per_kwh: Option<f64>, currency: &str) -> TariffSetting {
        TariffSetting {
            price_per_kwh,
            currency: currency.to_owned(),
            kind: TariffKind::Flat,
            zone: "UTC".into(),
            schedule: None,
            prices_file: None,
            prices_modified: None,
        }
    }

    pub fn from_settings(s: &Settings, prices_file: Option<&Path>) -> TariffSetting {
        TariffSetting {
            price_per_kwh: s.price_per_kwh,
            currency: s.currency.clone(),
            kind: s.energy.tariff,
            zone: s.energy.zone_name(),
            schedule: s.energy.schedule.clone(),
            prices_file: prices_file.map(Path::to_owned),
            prices_modified: prices_file.and_then(super::modified),
        }
    }

    /// The tariff and how it is described in the ledger, or why there is none.
    pub(super) fn build(&self) -> Result<(Tariff, String), String> {
        let currency = Currency::parse(&self.currency)?;
        match self.kind {
            TariffKind::Flat => {
                let Some(p) = self.price_per_kwh else {
                    return Err("no electricity price is set: set yours in Settings".into());
                };
                let price = Price::from_f64(p)?;
                Ok((
                    Tariff::flat(currency, price),
                    format!("flat {p} {currency}/kWh (your setting)"),
                ))
            }
            TariffKind::TimeOfUse => {
                let Some(schedule) = self.schedule.clone() else {
                    return Err("the time-of-use tariff has no prices: add them in Settings".into());
                };
                let tariff = Tariff::time_of_use(currency, &self.zone, schedule)
                    .map_err(|e| e.to_string())?;
                Ok((tariff, format!("time-of-use (your setting), {}", self.zone)))
            }
            TariffKind::Hourly => {
                let no_list =
                    || "no price list is imported yet: import one in Settings (Energy)".to_owned();
                let path = self.prices_file.as_ref().ok_or_else(no_list)?;
                let text = match std::fs::read_to_string(path) {
                    Ok(text) => text,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(no_list()),
                    Err(e) => {
                        return Err(format!(
                            "the imported price list {} cannot be read ({e}); import it again",
                            path.display()
                        ));
                    }
                };
                let tariff = Tariff::hourly(currency, &self.zone, &text).map_err(|e| {
                    format!("the imported price list is not usable ({e}); import it again")
                })?;
                let rows = text.lines().filter(|l| !l.trim().is_empty()).count().saturating_sub(1);
                Ok((tariff, format!("imported price list, {rows} prices, {}", self.zone)))
            }
        }
    }
}

/// The model rung's inputs: the user's CPU watts and a plug-meter calibration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModelSetting {
    pub cpu_watts: Option<CpuPowerSpec>,
    pub calibration: Option<WallCalibration>,
}

/// Everything the meter applies from the settings file.
#[derive(Debug, Clone, PartialEq)]
pub struct MeterSettings {
    pub tariff: TariffSetting,
    pub psu: PsuEfficiency,
    pub model: ModelSetting,
}

impl MeterSettings {
    pub fn from_settings(s: &Settings, prices_file: Option<&Path>) -> MeterSettings {
        let EnergySettings { psu_efficiency, cpu_watts, calibration, .. } = &s.energy;
        MeterSettings {
            tariff: TariffSetting::from_settings(s, prices_file),
            psu: *psu_efficiency,
            model: ModelSetting { cpu_watts: cpu_watts.clone(), calibration: *calibration },
        }
    }
}

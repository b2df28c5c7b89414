//! The energy settings as the Settings screen edits them: the tariff kind and its prices, the
//! PSU efficiency, the CPU-watts override and the plug-meter calibration.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EnergySettingsView {
    /// "flat" (the price per kWh), "time-of-use" (`seasons`) or "hourly" (the imported list).
    pub tariff: String,
    /// IANA time zone the time-of-use hours are read in; null follows the system's.
    pub time_zone: Option<String>,
    /// The system's time zone, shown when `time_zone` is null (not saved).
    #[serde(default)]
    pub system_time_zone: String,
    /// Time-of-use seasons, kept while another kind is chosen. Empty: none set.
    pub seasons: Vec<SeasonView>,
    /// Weekend days by English name, e.g. ["saturday", "sunday"].
    pub weekend_days: Vec<String>,
    /// AC watts at the wall per DC watt, 0.5 to 1.0 (0.9 when unknown).
    pub psu_efficiency: f64,
    /// The CPU's sustained watts under full load, instead of the shipped table's; null: the
    /// table's.
    pub cpu_watts: Option<f64>,
    /// Plug-meter readings: the machine idle (node stopped) and the node working.
    pub idle_watts: Option<f64>,
    pub load_watts: Option<f64>,
    /// The imported price list, if there is one (not saved: import replaces it).
    #[serde(default)]
    pub price_list: Option<PriceListView>,
}

/// One season of a time-of-use tariff: a date range and 24 prices per kWh for working days and
/// for weekend days (index = local hour).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SeasonView {
    pub name: String,
    /// "MM-DD", inclusive; may wrap past New Year.
    pub from: String,
    pub to: String,
    pub weekday: Vec<f64>,
    pub weekend: Vec<f64>,
}

/// What an imported price list covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PriceListView {
    pub prices: u32,
    /// The first price's start and the end of the last one (Unix ms).
    #[ts(type = "number")]
    pub first_ms: i64,
    #[ts(type = "number")]
    pub end_ms: i64,
    /// 60 for hourly lists, 15 for quarter-hourly.
    pub step_minutes: u32,
}

/// The price list text to import (CSV `timestamp,price`).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct PriceListImport {
    pub csv: String,
}

//! Grid carbon intensity per country, shipped with the app so CO₂ figures work offline. The
//! data file states its source (Our World in Data / Ember via CodeCarbon) and year; it is a
//! production mix that leaves imports out (energy.md §4.6).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::DataError;
use super::units::Energy;

const FILE: &str = "energy-data/grid_carbon_intensity.toml";
const TEXT: &str = include_str!("../../energy-data/grid_carbon_intensity.toml");

/// Grams of CO₂-equivalent per kWh generated in one country (or the world average).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridIntensity {
    /// ISO 3166-1 alpha-2 code, or "world".
    pub code: String,
    pub name: String,
    pub g_per_kwh: f64,
    pub year: u16,
    pub source: String,
}

impl GridIntensity {
    /// Grams of CO₂e for `energy`.
    pub fn grams(&self, energy: Energy) -> f64 {
        energy.kwh() * self.g_per_kwh
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    meta: RawMeta,
    world: RawEntry,
    country: BTreeMap<String, RawEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    source: String,
    licence: String,
    year: u16,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    g_per_kwh: f64,
    year: u16,
}

/// The shipped table.
#[derive(Debug, Clone)]
pub struct GridIntensityTable {
    pub source: String,
    pub licence: String,
    pub year: u16,
    world: RawEntry,
    countries: BTreeMap<String, RawEntry>,
}

impl GridIntensityTable {
    pub fn bundled() -> Result<GridIntensityTable, DataError> {
        let raw: RawFile = toml::from_str(TEXT)
            .map_err(|e| DataError::Invalid { file: FILE, reason: e.to_string() })?;
        for (code, entry) in raw.country.iter().chain([(&"world".to_owned(), &raw.world)]) {
            let ok_code = code == "world"
                || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()));
            let plausible =
                entry.g_per_kwh.is_finite() && (0.0..2_000.0).contains(&entry.g_per_kwh);
            if !(ok_code && plausible) {
                let reason =
                    format!("{code}: code or g_per_kwh = {} is not plausible", entry.g_per_kwh);
                return Err(DataError::Invalid { file: FILE, reason });
            }
        }
        Ok(GridIntensityTable {
            source: raw.meta.source,
            licence: raw.meta.licence,
            year: raw.meta.year,
            world: raw.world,
            countries: raw.country,
        })
    }

    pub fn len(&self) -> usize {
        self.countries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }

    /// The intensity for a country code ("de", "DE"), if the table has it.
    pub fn lookup(&self, code: &str) -> Option<GridIntensity> {
        let code = code.trim().to_ascii_uppercase();
        self.countries.get(&code).map(|e| self.entry(&code, e))
    }

    /// The country's intensity, or the world average (its `code` says "world", so the UI can
    /// say the figure is not specific to the user's country).
    pub fn lookup_or_world(&self, code: &str) -> GridIntensity {
        self.lookup(code).unwrap_or_else(|| self.world())
    }

    pub fn world(&self) -> GridIntensity {
        self.entry("world", &self.world)
    }

    fn entry(&self, code: &str, e: &RawEntry) -> GridIntensity {
        GridIntensity {
            code: code.to_owned(),
            name: e.name.clone(),
            g_per_kwh: e.g_per_kwh,
            year: e.year,
            source: format!("{} ({}), {}", self.source, self.licence, e.year),
        }
    }
}

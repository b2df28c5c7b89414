//! Tariffs as the user writes them (TOML settings), validated into [`Tariff`]. Errors name the
//! field, e.g. `seasons[1].weekday[0].price`.
//!
//! ```toml
//! currency = "EUR"
//! time_zone = "Europe/Berlin"
//! [[seasons]]
//! name = "all year"
//! from = "01-01"
//! to = "12-31"
//! weekday = [{ from = 0, to = 7, price = "0.21" }, { from = 7, to = 24, price = "0.35" }]
//! weekend = [{ from = 0, to = 24, price = "0.25" }]
//! ```
//! A flat tariff is `currency` and `flat_price`; an imported list is `currency`, `time_zone`
//! and `hourly_csv` (a file path).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::schedule::{Schedule, Season};
use super::{Tariff, TariffError};
use crate::energy::units::{Currency, Price};

/// A price as written: a string ("0.3012", exact) or a number (rounded to millionths).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RawPrice {
    Text(String),
    Number(f64),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTariff {
    pub currency: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub flat_price: Option<RawPrice>,
    #[serde(default)]
    pub seasons: Option<Vec<RawSeason>>,
    /// Weekend day names; Saturday and Sunday when left out.
    #[serde(default)]
    pub weekend_days: Option<Vec<String>>,
    #[serde(default)]
    pub hourly_csv: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeason {
    pub name: String,
    /// "MM-DD", inclusive.
    pub from: String,
    /// "MM-DD", inclusive.
    pub to: String,
    pub weekday: Vec<RawPeriod>,
    /// The weekday prices when left out.
    #[serde(default)]
    pub weekend: Option<Vec<RawPeriod>>,
}

/// Local hours `[from, to)` at one price; `to` may be 24.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub from: i64,
    pub to: i64,
    pub price: RawPrice,
}

const DAY_NAMES: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

impl RawTariff {
    pub fn from_toml(text: &str) -> Result<RawTariff, TariffError> {
        toml::from_str(text).map_err(|e| TariffError::Parse { reason: e.to_string() })
    }

    /// Validates into a [`Tariff`]. Exactly one of `flat_price`, `seasons`, `hourly_csv` must be
    /// given; an hourly list is read from its file here.
    pub fn validate(&self) -> Result<Tariff, TariffError> {
        let currency =
            Currency::parse(&self.currency).map_err(|e| TariffError::field("currency", e))?;
        let given = [self.flat_price.is_some(), self.seasons.is_some(), self.hourly_csv.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(TariffError::field(
                "flat_price/seasons/hourly_csv",
                "give exactly one: a flat price, time-of-use seasons, or an hourly price list",
            ));
        }
        let zone = || {
            self.time_zone.as_deref().ok_or_else(|| {
                TariffError::field("time_zone", "needed for this tariff, e.g. \"Europe/Berlin\"")
            })
        };
        if let Some(price) = &self.flat_price {
            let price = price_of("flat_price", price, false)?;
            let mut tariff = Tariff::flat(currency, price);
            if let Some(name) = &self.time_zone {
                tariff.zone = super::time_zone(name)?;
                tariff.zone_name = name.clone();
            }
            return Ok(tariff);
        }
        if let Some(path) = &self.hourly_csv {
            let text = std::fs::read_to_string(path)
                .map_err(|source| TariffError::ReadCsv { path: path.clone(), source })?;
            return Tariff::hourly(currency, zone()?, &text);
        }
        let schedule = self.schedule()?;
        Tariff::time_of_use(currency, zone()?, schedule)
    }

    /// The time-of-use schedule of `seasons` and `weekend_days`, validated (errors name the
    /// field, e.g. `seasons[1].weekday[0].price`).
    pub fn schedule(&self) -> Result<Schedule, TariffError> {
        let seasons = self
            .seasons
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, s)| season(i, s))
            .collect::<Result<Vec<_>, _>>()?;
        Schedule::new(seasons, self.weekend()?)
    }

    fn weekend(&self) -> Result<[bool; 7], TariffError> {
        let Some(days) = &self.weekend_days else {
            return Ok([false, false, false, false, false, true, true]);
        };
        let mut weekend = [false; 7];
        for (i, day) in days.iter().enumerate() {
            let lower = day.trim().to_ascii_lowercase();
            let Some(index) = DAY_NAMES.iter().position(|d| *d == lower) else {
                return Err(TariffError::field(
                    format!("weekend_days[{i}]"),
                    format!("'{day}' is not a day name (monday ... sunday)"),
                ));
            };
            weekend[index] = true;
        }
        Ok(weekend)
    }
}

fn price_of(field: &str, raw: &RawPrice, allow_negative: bool) -> Result<Price, TariffError> {
    let price = match raw {
        RawPrice::Text(t) => Price::parse_decimal(t),
        RawPrice::Number(n) => Price::from_f64(*n),
    }
    .map_err(|e| TariffError::field(field, e))?;
    if !allow_negative && price.micros_per_kwh < 0 {
        return Err(TariffError::field(
            field,
            format!("{price} is negative; a tariff price is at least 0"),
        ));
    }
    Ok(price)
}

fn month_day(field: String, text: &str) -> Result<(i8, i8), TariffError> {
    let parsed = text
        .split_once('-')
        .and_then(|(m, d)| Some((m.trim().parse::<i8>().ok()?, d.trim().parse::<i8>().ok()?)))
        .filter(|(m, d)| super::schedule::day_slot(*m, *d).is_some());
    parsed.ok_or_else(|| {
        TariffError::field(field, format!("'{text}' is not a date like 04-01 (MM-DD)"))
    })
}

fn season(i: usize, raw: &RawSeason) -> Result<Season, TariffError> {
    let at = |name: &str| format!("seasons[{i}].{name}");
    let weekday = day_prices(&at("weekday"), &raw.weekday)?;
    let weekend = match &raw.weekend {
        Some(periods) => day_prices(&at("weekend"), periods)?,
        None => weekday,
    };
    Ok(Season {
        name: raw.name.clone(),
        from: month_day(at("from"), &raw.from)?,
        to: month_day(at("to"), &raw.to)?,
        weekday,
        weekend,
    })
}

/// 24 hourly prices from periods that must cover 0..24 exactly once.
fn day_prices(field: &str, periods: &[RawPeriod]) -> Result<[Price; 24], TariffError> {
    let mut hours: [Option<Price>; 24] = [None; 24];
    for (j, period) in periods.iter().enumerate() {
        let here = format!("{field}[{j}]");
        if !(0..24).contains(&period.from)
            || !(1..=24).contains(&period.to)
            || period.to <= period.from
        {
            return Err(TariffError::field(
                format!("{here}.to"),
                format!(
                    "hours {}..{} are not a range of the day: use 0 <= from < to <= 24",
                    period.from, period.to
                ),
            ));
        }
        let price = price_of(&format!("{here}.price"), &period.price, false)?;
        for hour in period.from..period.to {
            let slot = &mut hours[usize::try_from(hour).unwrap_or(0)];
            if slot.replace(price).is_some() {
                return Err(TariffError::field(
                    &here,
                    format!("hour {hour} is already in another period"),
                ));
            }
        }
    }
    let mut out = [Price::from_micros(0); 24];
    for (hour, price) in hours.iter().enumerate() {
        out[hour] = price.ok_or_else(|| {
            TariffError::field(
                field,
                format!("hour {hour} has no price; the periods must cover 0 to 24"),
            )
        })?;
    }
    Ok(out)
}

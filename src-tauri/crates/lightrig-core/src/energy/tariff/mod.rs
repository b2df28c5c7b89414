//! Electricity tariffs and the cost of energy under them.
//!
//! A tariff is a flat price, a time-of-use schedule (weekday/weekend × 24 hours, seasons by
//! date ranges, like OpenEI URDB's schedule matrices, energy.md §4.5) or an imported list of
//! hourly (or quarter-hourly) prices. Cost is integrated per interval at the price in force at
//! each instant, in the tariff's own time zone: an interval that spans a price boundary
//! (an hour change, midnight, a season change, a DST change) is split there. Time zones come
//! from jiff's bundled tz database, so DST is right even where the OS has no tzdata (Windows).
//! Standing charges are not marginal and are left out (§4.5).

mod error;
mod hourly;
mod raw;
mod schedule;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

pub use error::TariffError;
pub use hourly::HourlyPrices;
pub use raw::{RawPeriod, RawPrice, RawSeason, RawTariff};
pub use schedule::{Schedule, Season};

use super::units::{Cost, Currency, Energy, Price};
use crate::model::UnixMillis;

/// The price in force at an instant and until when it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceSpan {
    pub price: Price,
    /// The first millisecond at which the price may change; `None`: it never does (flat).
    pub until: Option<UnixMillis>,
}

impl PriceSpan {
    pub fn covers(&self, at: UnixMillis) -> bool {
        self.until.is_none_or(|u| at < u)
    }
}

#[derive(Debug, Clone)]
enum Prices {
    Flat(Price),
    TimeOfUse(Schedule),
    Hourly(HourlyPrices),
}

/// A validated tariff.
#[derive(Debug, Clone)]
pub struct Tariff {
    currency: Currency,
    zone: TimeZone,
    zone_name: String,
    prices: Prices,
}

/// Energy and cost of one interval, with the range of prices that applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntervalCost {
    pub energy: Energy,
    pub cost: Cost,
    pub min_price: Price,
    pub max_price: Price,
}

impl Tariff {
    /// One price at all times.
    pub fn flat(currency: Currency, price: Price) -> Tariff {
        Tariff {
            currency,
            zone: TimeZone::UTC,
            zone_name: "UTC".into(),
            prices: Prices::Flat(price),
        }
    }

    /// A time-of-use schedule evaluated in the IANA time zone `zone` (e.g. "Europe/Berlin").
    pub fn time_of_use(
        currency: Currency,
        zone: &str,
        schedule: Schedule,
    ) -> Result<Tariff, TariffError> {
        Ok(Tariff {
            currency,
            zone: time_zone(zone)?,
            zone_name: zone.to_owned(),
            prices: Prices::TimeOfUse(schedule),
        })
    }

    /// A list of prices from CSV text (`timestamp,price` rows; see [`HourlyPrices::parse_csv`]).
    /// `zone` is only used to show times to the user; the rows carry their own UTC offsets.
    pub fn hourly(currency: Currency, zone: &str, csv_text: &str) -> Result<Tariff, TariffError> {
        Ok(Tariff {
            currency,
            zone: time_zone(zone)?,
            zone_name: zone.to_owned(),
            prices: Prices::Hourly(HourlyPrices::parse_csv(csv_text)?),
        })
    }

    pub fn currency(&self) -> Currency {
        self.currency
    }

    pub fn zone_name(&self) -> &str {
        &self.zone_name
    }

    /// The price at `at` and until when it holds.
    pub fn price_at(&self, at: UnixMillis) -> Result<PriceSpan, TariffError> {
        match &self.prices {
            Prices::Flat(price) => Ok(PriceSpan { price: *price, until: None }),
            Prices::TimeOfUse(schedule) => {
                let ts = timestamp(at)?;
                Ok(schedule.span_at(&self.zone, ts))
            }
            Prices::Hourly(list) => list
                .span_at(at)
                .ok_or_else(|| TariffError::NoPrice { at: self.show(at), why: list.coverage() }),
        }
    }

    /// Energy and cost of a constant `milliwatts` over `[from, to)`, split at every price
    /// boundary inside it. Exact: the cost of an interval is the sum of the costs of any split
    /// of it (integer arithmetic, see `energy::units`).
    pub fn cost(
        &self,
        from: UnixMillis,
        to: UnixMillis,
        milliwatts: i64,
    ) -> Result<IntervalCost, TariffError> {
        let mut out = IntervalCost {
            energy: Energy(0),
            cost: Cost(0),
            min_price: Price::from_micros(i64::MAX),
            max_price: Price::from_micros(i64::MIN),
        };
        let mut at = from;
        while at < to {
            let span = self.price_at(at)?;
            let end = span.until.map_or(to, |u| u.min(to));
            // A span always ends after it starts; guard anyway so a bad zone can never loop.
            let end = if end <= at { to } else { end };
            let energy = Energy::from_power(milliwatts, end - at);
            out.energy += energy;
            out.cost += span.price.cost_of(energy);
            out.min_price = out.min_price.min(span.price);
            out.max_price = out.max_price.max(span.price);
            at = end;
        }
        if from >= to {
            out.min_price = Price::from_micros(0);
            out.max_price = Price::from_micros(0);
        }
        Ok(out)
    }

    /// `at` as local time in the tariff's zone, for messages.
    pub fn show(&self, at: UnixMillis) -> String {
        match Timestamp::from_millisecond(at) {
            Ok(ts) => format!("{} ({})", self.zone.to_datetime(ts), self.zone_name),
            Err(_) => format!("{at} ms since 1970"),
        }
    }
}

pub(crate) fn time_zone(name: &str) -> Result<TimeZone, TariffError> {
    TimeZone::get(name).map_err(|e| {
        TariffError::field(
            "time_zone",
            format!(
                "'{name}' is not a known time zone ({e}); use an IANA name such as Europe/Berlin"
            ),
        )
    })
}

fn timestamp(at: UnixMillis) -> Result<Timestamp, TariffError> {
    Timestamp::from_millisecond(at).map_err(|e| TariffError::NoPrice {
        at: format!("{at} ms since 1970"),
        why: format!("the time is out of range ({e})"),
    })
}

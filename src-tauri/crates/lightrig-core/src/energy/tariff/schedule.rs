//! Time-of-use schedules: seasons by date range, each with a weekday and a weekend row of 24
//! hourly prices, evaluated on the local wall clock of the tariff's time zone.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::{PriceSpan, TariffError};
use crate::energy::units::Price;

/// Days before each month in a leap year, so (month, day) maps to one of 366 slots.
const DAYS_BEFORE: [usize; 12] = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];
const DAYS_IN: [i8; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// One season: from `from` to `to` inclusive, as (month, day); it may wrap past New Year
/// (e.g. 11-01 to 02-28).
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    pub name: String,
    pub from: (i8, i8),
    pub to: (i8, i8),
    /// Price for each local hour 0..24 on working days.
    pub weekday: [Price; 24],
    /// Price for each local hour on weekend days.
    pub weekend: [Price; 24],
}

/// A validated schedule: every day of the year belongs to exactly one season.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    seasons: Vec<Season>,
    /// Season index for each of the 366 (month, day) slots.
    day_season: Vec<u8>,
    /// Weekend days, Monday = 0.
    weekend: [bool; 7],
}

/// Slot 0..366 for a valid (month, day), or `None`.
pub(crate) fn day_slot(month: i8, day: i8) -> Option<usize> {
    let m = usize::try_from(month).ok()?.checked_sub(1)?;
    let max = *DAYS_IN.get(m)?;
    (1..=max).contains(&day).then(|| DAYS_BEFORE[m] + usize::try_from(day - 1).unwrap_or(0))
}

impl Schedule {
    /// Checks that the seasons cover every day once. `weekend[i]` is true for weekend days,
    /// Monday = 0 (most tariffs: Saturday and Sunday).
    pub fn new(seasons: Vec<Season>, weekend: [bool; 7]) -> Result<Schedule, TariffError> {
        if seasons.is_empty() {
            return Err(TariffError::field("seasons", "at least one season is needed"));
        }
        if seasons.len() > usize::from(u8::MAX) {
            return Err(TariffError::field("seasons", "more than 255 seasons"));
        }
        let mut day_season: Vec<Option<u8>> = vec![None; 366];
        for (i, season) in seasons.iter().enumerate() {
            let slot = |(m, d): (i8, i8), which: &str| {
                day_slot(m, d).ok_or_else(|| {
                    TariffError::field(
                        format!("seasons[{i}].{which}"),
                        format!("{m:02}-{d:02} is not a date"),
                    )
                })
            };
            let (start, end) = (slot(season.from, "from")?, slot(season.to, "to")?);
            let days: Vec<usize> = if start <= end {
                (start..=end).collect()
            } else {
                (start..366).chain(0..=end).collect()
            };
            for day in days {
                let index = u8::try_from(i).unwrap_or(u8::MAX);
                if let Some(other) = day_season[day].replace(index) {
                    return Err(TariffError::field(
                        "seasons",
                        format!(
                            "{} is in both '{}' and '{}'",
                            slot_name(day),
                            seasons[usize::from(other)].name,
                            season.name
                        ),
                    ));
                }
            }
        }
        let mut filled = Vec::with_capacity(366);
        for (day, season) in day_season.into_iter().enumerate() {
            match season {
                Some(s) => filled.push(s),
                None => {
                    return Err(TariffError::field(
                        "seasons",
                        format!(
                            "no season covers {}: the seasons must cover the whole year",
                            slot_name(day)
                        ),
                    ));
                }
            }
        }
        Ok(Schedule { seasons, day_season: filled, weekend })
    }

    pub fn seasons(&self) -> &[Season] {
        &self.seasons
    }

    /// Weekend days, Monday = 0.
    pub fn weekend(&self) -> [bool; 7] {
        self.weekend
    }

    /// The price on a local wall-clock date and hour.
    pub fn price_at_local(&self, dt: DateTime) -> Price {
        let slot = day_slot(dt.month(), dt.day()).unwrap_or(0);
        let season = &self.seasons[usize::from(self.day_season[slot])];
        let weekday = usize::try_from(dt.weekday().to_monday_zero_offset()).unwrap_or(0);
        let hour = usize::try_from(dt.hour()).unwrap_or(0).min(23);
        if self.weekend[weekday] { season.weekend[hour] } else { season.weekday[hour] }
    }

    /// The price at `ts` and the next instant it may change: the next local hour boundary, or
    /// an earlier UTC-offset change (DST). Midnight and season changes are hour boundaries. In
    /// the autumn the repeated local hour keeps its price for both of its real hours; in the
    /// spring the skipped local hour never applies.
    pub(crate) fn span_at(&self, zone: &TimeZone, ts: Timestamp) -> PriceSpan {
        let dt = zone.to_datetime(ts);
        let at = ts.as_millisecond();
        let into_hour = (i64::from(dt.minute()) * 60 + i64::from(dt.second())) * 1000
            + i64::from(dt.subsec_nanosecond()) / 1_000_000;
        let mut until = at - into_hour + 3_600_000;
        if let Some(t) = zone.following(ts).next() {
            let t = t.timestamp().as_millisecond();
            if t > at && t < until {
                until = t;
            }
        }
        PriceSpan { price: self.price_at_local(dt), until: Some(until) }
    }
}

fn slot_name(slot: usize) -> String {
    let m = DAYS_BEFORE.iter().rposition(|&d| d <= slot).unwrap_or(0);
    format!("{:02}-{:02}", m + 1, slot - DAYS_BEFORE[m] + 1)
}

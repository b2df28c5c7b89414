//! An imported list of prices: CSV rows `timestamp,price`, the timestamp in RFC 3339 with its
//! UTC offset (`2026-03-29T03:00:00+02:00`), the price per kWh as a decimal. This is the shape
//! of day-ahead market exports (Nord Pool-style hourly, now also quarter-hourly, energy.md
//! §4.5). Each row holds from its timestamp for one step — the smallest gap between rows — or
//! until the next row; outside the list there is no price, and costs there are "not
//! available" rather than guessed.

use jiff::Timestamp;

use super::{PriceSpan, TariffError};
use crate::energy::units::Price;
use crate::model::UnixMillis;

const HOUR_MS: i64 = 3_600_000;

/// Validated rows, strictly increasing in time.
#[derive(Debug, Clone)]
pub struct HourlyPrices {
    rows: Vec<(UnixMillis, Price)>,
    step_ms: i64,
}

impl HourlyPrices {
    /// Parses CSV text. A header row `timestamp,price` is required; blank lines are skipped.
    /// Errors name the line.
    pub fn parse_csv(text: &str) -> Result<HourlyPrices, TariffError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .trim(csv::Trim::All)
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let header_err = |problem: String| TariffError::Csv { line: 1, problem };
        let headers = reader.headers().map_err(|e| header_err(e.to_string()))?.clone();
        let names: Vec<&str> = headers.iter().collect();
        if names != ["timestamp", "price"] {
            return Err(header_err(format!(
                "the header is {names:?}; it must be exactly: timestamp,price"
            )));
        }
        let mut rows: Vec<(UnixMillis, Price)> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| TariffError::Csv {
                line: e.position().map_or(0, csv::Position::line),
                problem: e.to_string(),
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            let bad = |problem: String| TariffError::Csv { line, problem };
            let (Some(ts), Some(price), None) = (record.get(0), record.get(1), record.get(2))
            else {
                return Err(bad(format!(
                    "expected 2 fields (timestamp,price), found {}",
                    record.len()
                )));
            };
            let at: Timestamp = ts.parse().map_err(|e| {
                bad(format!(
                    "timestamp '{ts}' is not a time with a UTC offset ({e}); write it like \
                     2026-03-29T03:00:00+02:00"
                ))
            })?;
            let price = Price::parse_decimal(price).map_err(|e| bad(format!("price {e}")))?;
            let at = at.as_millisecond();
            if let Some(&(prev, _)) = rows.last()
                && at <= prev
            {
                return Err(bad(format!(
                    "timestamp '{ts}' is not after the previous row's; sort the list by time and \
                     remove duplicates"
                )));
            }
            rows.push((at, price));
        }
        if rows.is_empty() {
            return Err(TariffError::Csv { line: 2, problem: "the list has no prices".into() });
        }
        let step_ms = rows.windows(2).map(|w| w[1].0 - w[0].0).min().unwrap_or(HOUR_MS);
        Ok(HourlyPrices { rows, step_ms })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The first row's start and the end of the last row's step: what the list covers.
    pub fn covers(&self) -> (UnixMillis, UnixMillis) {
        let first = self.rows.first().map_or(0, |r| r.0);
        (first, self.rows.last().map_or(first, |r| r.0 + self.step_ms))
    }

    /// The smallest gap between rows (an hour for hourly lists, 15 minutes for quarter-hours).
    pub fn step_ms(&self) -> i64 {
        self.step_ms
    }

    /// The row in force at `at`, if any.
    pub(crate) fn span_at(&self, at: UnixMillis) -> Option<PriceSpan> {
        let i = self.rows.partition_point(|(start, _)| *start <= at).checked_sub(1)?;
        let (start, price) = self.rows[i];
        let mut end = start + self.step_ms;
        if let Some(&(next, _)) = self.rows.get(i + 1) {
            end = end.min(next);
        }
        (at < end).then_some(PriceSpan { price, until: Some(end) })
    }

    /// What the list covers, for "no price" messages.
    pub(crate) fn coverage(&self) -> String {
        let show = |ms: i64| {
            Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
        };
        let first = self.rows.first().map_or(0, |r| r.0);
        let last = self.rows.last().map_or(0, |r| r.0 + self.step_ms);
        format!(
            "the imported price list covers {} to {} (with gaps where rows are missing); import \
             a list that covers this time",
            show(first),
            show(last)
        )
    }
}

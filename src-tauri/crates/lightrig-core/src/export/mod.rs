//! Records and exports from the ledger, for any range of days in the user's time zone: the
//! desktop app's save dialog and `lightrig export` both call [`export`] (bytes) or
//! [`export_to`] (streams to a writer; rewards are read a page at a time).
//!
//! Formats ([`ExportFormat`]):
//! - **full** — Lightrig's own CSV: every reward (UTC and local time, amount, asset, state,
//!   simulated or not, source, payout reference, tx id where the reference is one, fiat value at
//!   receipt and its price source) and, per local day and node, energy in kWh, the tariff and the
//!   cost. Columns: [`full::COLUMNS`].
//! - **koinly**, **cointracker**, **bittytax** — each tool's documented import layout (the source
//!   of each layout is in its file). They hold received income only: `paid` rewards that are not
//!   simulated. Estimated and pending rewards are not income yet (nothing has reached the user's
//!   address) and simulated ones are not money; both stay in the full CSV and the summary.
//!   Electricity is left out of all three: Koinly's expense tags apply to crypto sent out ("fiat
//!   withdrawals can not have any labels"), CoinTracker's layout has no expense row and BittyTax
//!   has no expense transaction type. The per-day cost is in the full CSV and the summary.
//! - **summary** — one printable HTML page: income by asset and state (never added together),
//!   energy and its cost by month, the net where it can honestly be computed, and the line
//!   "This is a record, not tax advice." In English or Simplified Chinese ([`Lang`]).
//!
//! Rules every format keeps:
//! - Amounts are formatted from integer atomic units with the asset's decimals and never pass
//!   through a float, so each one re-parses to the exact amount on record.
//! - "Not available" is an empty cell, never 0: a missing price, energy reading or tariff.
//! - A price per (asset, day) comes from a [`PriceBook`], with its source; the day is the UTC
//!   calendar day of receipt. Without one the fiat columns are empty and the tax tools value the
//!   income themselves.
//! - Income kind: pow-mining → mining, staking → staking (Koinly calls it "reward"), storage,
//!   bandwidth, compute and nodes Lightrig has no profile for → income. Per-format words are in
//!   each format's file.
//! - Text from outside Lightrig is defused against spreadsheet formulas (see `csv_out`).
//! - Times in tax files are UTC, as each tool asks; the full CSV has UTC and local times.
//! - Energy per day comes from the ledger's hourly energy rows, grouped by the local date each
//!   hour starts on (so a spring-forward day has 23 hours). A day's cost is given only when
//!   every hour with energy was fully priced in one currency.
//! - The simulated coin (SIM, or any reward flagged simulated) never gets a fiat value.

mod bittytax;
mod cointracker;
mod csv_out;
pub mod full;
mod koinly;
mod ledger_prices;
mod money;
mod records;
mod strings;
mod summary;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The date and time types of the API, so callers need no `jiff` of their own.
pub use jiff::{Timestamp, civil::Date, tz::TimeZone};

pub use crate::compliance::Lang;
pub use ledger_prices::LedgerPrices;
pub use money::UnitPrice;

use crate::ledger::{Ledger, LedgerError};
use crate::model::{Activity, UnixMillis};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    /// Lightrig's own CSV: rewards and energy per day.
    Full,
    /// Koinly's universal CSV.
    Koinly,
    /// CoinTracker's CSV import.
    CoinTracker,
    /// BittyTax transaction records.
    BittyTax,
    /// A one-page printable HTML summary.
    Summary,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] =
        [Self::Full, Self::Koinly, Self::CoinTracker, Self::BittyTax, Self::Summary];

    /// The name used on the command line and in file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Koinly => "koinly",
            Self::CoinTracker => "cointracker",
            Self::BittyTax => "bittytax",
            Self::Summary => "summary",
        }
    }

    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Summary => "html",
            _ => "csv",
        }
    }

    /// Media type, for a save dialog's filter.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Summary => "text/html; charset=utf-8",
            _ => "text/csv; charset=utf-8",
        }
    }

    /// True for the tax-tool layouts, which hold paid, non-simulated rewards only.
    pub fn is_tax_tool(self) -> bool {
        matches!(self, Self::Koinly | Self::CoinTracker | Self::BittyTax)
    }

    /// A file name to offer in a save dialog, e.g. `lightrig-koinly-2026-01-01-to-2026-12-31.csv`.
    pub fn suggested_file_name(self, range: &DateRange) -> String {
        format!("lightrig-{}-{}-to-{}.{}", self.as_str(), range.from, range.to, self.extension())
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExportFormat {
    type Err = ExportError;

    fn from_str(s: &str) -> Result<ExportFormat, ExportError> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| ExportError::UnknownFormat(s.to_owned()))
    }
}

/// A range of whole days, both ends included, read in the export's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateRange {
    from: Date,
    to: Date,
}

impl DateRange {
    /// Refuses a range that ends before it starts.
    pub fn new(from: Date, to: Date) -> Result<DateRange, ExportError> {
        if to < from {
            return Err(ExportError::ReversedRange { from, to });
        }
        Ok(DateRange { from, to })
    }

    /// From two `YYYY-MM-DD` texts.
    pub fn parse(from: &str, to: &str) -> Result<DateRange, ExportError> {
        DateRange::new(parse_date(from)?, parse_date(to)?)
    }

    /// One calendar year.
    pub fn year(year: i16) -> Result<DateRange, ExportError> {
        let bad =
            |e: jiff::Error| ExportError::BadDate { text: year.to_string(), reason: e.to_string() };
        DateRange::new(Date::new(year, 1, 1).map_err(bad)?, Date::new(year, 12, 31).map_err(bad)?)
    }

    pub fn from(&self) -> Date {
        self.from
    }

    pub fn to(&self) -> Date {
        self.to
    }

    /// The half-open instant range `[start of from, start of the day after to)` in `tz`, in
    /// Unix milliseconds. A day that starts in a DST gap starts when the clock jumps.
    pub fn millis(&self, tz: &TimeZone) -> Result<(UnixMillis, UnixMillis), ExportError> {
        let start = |d: Date| -> Result<UnixMillis, ExportError> {
            let zoned = d.to_zoned_datetime(tz.clone()).and_then(|z| z.start_of_day());
            zoned
                .map(|z| z.timestamp().as_millisecond())
                .map_err(|e| ExportError::BadDate { text: d.to_string(), reason: e.to_string() })
        };
        let after = self.to.tomorrow().map_err(|e| ExportError::BadDate {
            text: self.to.to_string(),
            reason: e.to_string(),
        })?;
        Ok((start(self.from)?, start(after)?))
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} – {}", self.from, self.to)
    }
}

/// Parses a `YYYY-MM-DD` date, saying what is wrong with a bad one.
pub fn parse_date(text: &str) -> Result<Date, ExportError> {
    let t = text.trim();
    let shape_ok = t.len() == 10
        && t.bytes()
            .enumerate()
            .all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shape_ok {
        return Err(ExportError::BadDate {
            text: text.to_owned(),
            reason: "write it as YYYY-MM-DD, e.g. 2026-01-31".into(),
        });
    }
    t.parse::<Date>()
        .map_err(|e| ExportError::BadDate { text: text.to_owned(), reason: e.to_string() })
}

/// Looks up an IANA time zone such as `Europe/Berlin`.
pub fn time_zone(name: &str) -> Result<TimeZone, ExportError> {
    TimeZone::get(name.trim())
        .map_err(|e| ExportError::UnknownTimeZone { name: name.to_owned(), reason: e.to_string() })
}

/// The fiat price of one whole unit of an asset, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiatPrice {
    pub price: UnitPrice,
    /// ISO 4217 code, e.g. "EUR".
    pub currency: String,
    /// Shown next to every value, e.g. "CoinGecko daily close".
    pub source: String,
}

/// Prices per (asset, day). The day is the UTC calendar day the reward was received.
pub trait PriceBook {
    fn price(&self, asset: &str, day: Date) -> Option<FiatPrice>;

    /// The price in force at the moment of receipt. By default the price of its UTC day; a
    /// book that knows prices by the moment ([`LedgerPrices`]) answers for the moment itself.
    fn price_at(&self, asset: &str, at: Timestamp) -> Option<FiatPrice> {
        self.price(asset, at.to_zoned_datetime(TimeZone::UTC).date())
    }
}

/// No prices at all: every fiat column stays empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPrices;

impl PriceBook for NoPrices {
    fn price(&self, _asset: &str, _day: Date) -> Option<FiatPrice> {
        None
    }
}

/// Prices held in memory, e.g. loaded from a file the user chose.
#[derive(Debug, Clone, Default)]
pub struct PriceTable {
    prices: BTreeMap<(String, Date), FiatPrice>,
}

impl PriceTable {
    pub fn new() -> PriceTable {
        PriceTable::default()
    }

    /// Sets the price of `asset` on `day`, replacing an earlier one.
    pub fn insert(&mut self, asset: &str, day: Date, price: FiatPrice) {
        self.prices.insert((asset.to_owned(), day), price);
    }
}

impl PriceBook for PriceTable {
    fn price(&self, asset: &str, day: Date) -> Option<FiatPrice> {
        self.prices.get(&(asset.to_owned(), day)).cloned()
    }
}

/// Everything an export needs besides the ledger and the prices.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub format: ExportFormat,
    pub range: DateRange,
    /// The zone local days and local times are read in (the CLI's `--tz`, or the system's).
    pub time_zone: TimeZone,
    /// Node id → what kind of node it is, from the profile catalog. A node missing here is
    /// exported as plain income.
    pub activities: BTreeMap<String, Activity>,
    /// Language of the summary page (the CSV headers are fixed by each format).
    pub lang: Lang,
    /// Printed on the summary page.
    pub generated_at: Timestamp,
}

impl ExportRequest {
    /// A request with no node activities, in English, generated now.
    pub fn new(format: ExportFormat, range: DateRange, time_zone: TimeZone) -> ExportRequest {
        ExportRequest {
            format,
            range,
            time_zone,
            activities: BTreeMap::new(),
            lang: Lang::En,
            generated_at: Timestamp::now(),
        }
    }
}

/// Reads the ledger and renders the export as the bytes of a file (UTF-8).
pub fn export(
    ledger: &Ledger,
    request: &ExportRequest,
    prices: &dyn PriceBook,
) -> Result<Vec<u8>, ExportError> {
    let mut out = Vec::new();
    export_to(ledger, request, prices, &mut out)?;
    Ok(out)
}

/// Like [`export`], but writes to `out` as it reads: the ledger's rewards are read a page at a
/// time, so a year of share-level rewards streams instead of filling memory. On an error part of
/// the file may have been written.
pub fn export_to(
    ledger: &Ledger,
    request: &ExportRequest,
    prices: &dyn PriceBook,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let records = records::load(ledger, request)?;
    let rewards = records::RewardStream::new(ledger, request, prices)?;
    match request.format {
        ExportFormat::Full => full::render(&records, rewards, out),
        ExportFormat::Koinly => koinly::render(rewards, out),
        ExportFormat::CoinTracker => cointracker::render(rewards, out),
        ExportFormat::BittyTax => bittytax::render(rewards, out),
        ExportFormat::Summary => {
            let html = summary::render(&records, rewards, request)?;
            out.write_all(html.as_bytes()).map_err(ExportError::Write)
        }
    }
}

/// Why an export could not be made. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("`{text}` is not a date: {reason}")]
    BadDate { text: String, reason: String },
    #[error("the range ends ({to}) before it starts ({from}); swap --from and --to")]
    ReversedRange { from: Date, to: Date },
    #[error(
        "`{0}` is not an export format; use one of: full, koinly, cointracker, bittytax, summary"
    )]
    UnknownFormat(String),
    #[error("`{name}` is not a known time zone ({reason}); use an IANA name such as Europe/Berlin")]
    UnknownTimeZone { name: String, reason: String },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error("the export could not be written: {0}. Check the disk space and the destination.")]
    Write(std::io::Error),
    #[error("the export could not be made: {0}. Report this as a bug.")]
    Internal(String),
}

impl ExportError {
    /// Stable codes the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadDate { .. } => "export.bad_date",
            Self::ReversedRange { .. } => "export.reversed_range",
            Self::UnknownFormat(_) => "export.unknown_format",
            Self::UnknownTimeZone { .. } => "export.unknown_time_zone",
            Self::Ledger(_) => "ledger.unusable",
            Self::Write(_) => "export.write_failed",
            Self::Internal(_) => "internal",
        }
    }
}

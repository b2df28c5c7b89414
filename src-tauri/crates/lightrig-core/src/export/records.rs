//! What every format is rendered from: the rewards of the range, streamed oldest first with
//! their times, amounts and fiat values worked out, and the energy of each local day per node.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

use super::money::{UnitPrice, fiat_cents};
use super::{DateRange, ExportError, ExportRequest, PriceBook};
use crate::ledger::export_queries::RewardCursor;
use crate::ledger::{EnergyRow, Ledger, Resolution, RewardRecord};
use crate::model::{Activity, Asset, RewardState};

/// The practice node's coin: never money, whatever a row's flag says.
const SIMULATED_ASSET: &str = "SIM";

/// The kind of income a reward is, in the words each tax tool maps it to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IncomeKind {
    Mining,
    Staking,
    /// Storage, bandwidth, compute, or a node without a known profile.
    Other,
}

impl IncomeKind {
    fn of(activity: Option<Activity>) -> IncomeKind {
        match activity {
            Some(Activity::PowMining) => IncomeKind::Mining,
            Some(Activity::Staking) => IncomeKind::Staking,
            Some(Activity::Storage | Activity::Bandwidth | Activity::Compute) | None => {
                IncomeKind::Other
            }
        }
    }
}

/// A reward's fiat value at receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fiat {
    /// Hundredths of `currency`, rounded half away from zero.
    pub cents: i128,
    pub currency: String,
    pub unit_price: UnitPrice,
    pub source: String,
}

/// One reward, ready to render.
#[derive(Debug, Clone)]
pub(crate) struct RewardLine {
    pub at: Timestamp,
    pub local: ZonedDateTime,
    pub node_id: String,
    pub activity: Option<Activity>,
    pub kind: IncomeKind,
    pub asset: Asset,
    pub atomic: i128,
    pub state: RewardState,
    pub simulated: bool,
    pub source: String,
    /// The ledger key: tx hash, payout id or share id.
    pub key: String,
    /// The key, when it is a transaction hash.
    pub tx_id: Option<String>,
    pub fiat: Option<Fiat>,
}

impl RewardLine {
    /// The amount, formatted exactly from atomic units.
    pub fn amount(&self) -> String {
        self.asset.format_atomic(self.atomic)
    }

    /// Received income a tax tool should see: paid and real.
    pub fn is_taxable_income(&self) -> bool {
        self.state == RewardState::Paid && !self.simulated
    }
}

/// Energy of one node on one local day, summed from its hourly rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnergyDay {
    pub date: Date,
    /// '' for machine-only time (Lightrig ran without a node).
    pub node_id: String,
    pub covered_ms: i64,
    /// `None`: no hour had a reading.
    pub energy_uj: Option<i128>,
    /// `None` unless every hour with energy had a marginal figure.
    pub marginal_energy_uj: Option<i128>,
    /// `None` unless every hour with energy was costed, in one currency.
    pub cost_nano: Option<i128>,
    pub marginal_cost_nano: Option<i128>,
    /// The currency of the costs, when there is one.
    pub currency: Option<String>,
    /// Tariff labels, in order of first use.
    pub tariffs: Vec<String>,
    pub price_min_micro: Option<i64>,
    pub price_max_micro: Option<i64>,
    /// Power sources, in order of first use.
    pub power_sources: Vec<String>,
}

/// Everything in the range except the rewards, which are streamed ([`RewardStream`]).
#[derive(Debug, Clone)]
pub(crate) struct Records {
    pub range: DateRange,
    pub time_zone: TimeZone,
    /// By date, then node.
    pub days: Vec<EnergyDay>,
}

impl Records {
    /// The zone's IANA name, or a description for a zone without one.
    pub fn zone_name(&self) -> String {
        zone_name(&self.time_zone)
    }
}

pub(crate) fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name()
        .map_or_else(|| format!("UTC{}", tz.to_offset(Timestamp::UNIX_EPOCH)), str::to_owned)
}

/// A transaction hash: 64 hex digits, with or without `0x` (Monero, Bitcoin, EVM chains).
fn looks_like_tx_hash(key: &str) -> bool {
    let hex = key.strip_prefix("0x").unwrap_or(key);
    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

fn timestamp(ms: i64) -> Result<Timestamp, ExportError> {
    Timestamp::from_millisecond(ms)
        .map_err(|e| ExportError::Internal(format!("time {ms} ms is out of range: {e}")))
}

/// Reads the energy of the range; rewards come from [`RewardStream`].
pub(crate) fn load(ledger: &Ledger, request: &ExportRequest) -> Result<Records, ExportError> {
    let tz = &request.time_zone;
    let (from_ms, to_ms) = request.range.millis(tz)?;
    let hours = ledger.energy_rows(None, Resolution::Hour, from_ms, to_ms)?;
    let days = energy_days(&hours, tz)?;
    Ok(Records { range: request.range, time_zone: tz.clone(), days })
}

/// Rewards read per page.
pub(crate) const PAGE: u32 = 2_000;

/// The rewards of the range, oldest first, read a page at a time and made ready to render.
pub(crate) struct RewardStream<'a> {
    ledger: &'a Ledger,
    request: &'a ExportRequest,
    prices: &'a dyn PriceBook,
    from_ms: i64,
    to_ms: i64,
    after: Option<RewardCursor>,
    page: std::vec::IntoIter<RewardRecord>,
    done: bool,
}

impl<'a> RewardStream<'a> {
    pub fn new(
        ledger: &'a Ledger,
        request: &'a ExportRequest,
        prices: &'a dyn PriceBook,
    ) -> Result<RewardStream<'a>, ExportError> {
        let (from_ms, to_ms) = request.range.millis(&request.time_zone)?;
        Ok(RewardStream {
            ledger,
            request,
            prices,
            from_ms,
            to_ms,
            after: None,
            page: Vec::new().into_iter(),
            done: false,
        })
    }

    fn line(&self, record: RewardRecord) -> Result<RewardLine, ExportError> {
        let r = record.reward;
        let at = timestamp(r.at)?;
        let simulated = r.simulated || r.asset.code == SIMULATED_ASSET;
        let fiat = if simulated {
            None
        } else {
            self.prices.price_at(&r.asset.code, at).and_then(|p| {
                let cents = fiat_cents(r.atomic, r.asset.decimals, p.price)?;
                Some(Fiat { cents, currency: p.currency, unit_price: p.price, source: p.source })
            })
        };
        let activity = self.request.activities.get(&r.node_id).copied();
        Ok(RewardLine {
            at,
            local: at.to_zoned_datetime(self.request.time_zone.clone()),
            tx_id: looks_like_tx_hash(&r.key).then(|| r.key.clone()),
            node_id: r.node_id,
            activity,
            kind: IncomeKind::of(activity),
            asset: r.asset,
            atomic: r.atomic,
            state: r.state,
            simulated,
            source: r.source,
            key: r.key,
            fiat,
        })
    }
}

impl Iterator for RewardStream<'_> {
    type Item = Result<RewardLine, ExportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(record) = self.page.next() {
            return Some(self.line(record));
        }
        if self.done {
            return None;
        }
        let page = match self.ledger.rewards_page(self.from_ms, self.to_ms, self.after, PAGE) {
            Ok(page) => page,
            Err(e) => {
                self.done = true;
                return Some(Err(e.into()));
            }
        };
        self.done = page.len() < PAGE as usize;
        self.after = page.last().map(|r| (r.reward.at, r.id));
        self.page = page.into_iter();
        self.page.next().map(|record| self.line(record))
    }
}

/// Groups hourly rows by the local date their hour starts on, and by node.
fn energy_days(hours: &[EnergyRow], tz: &TimeZone) -> Result<Vec<EnergyDay>, ExportError> {
    let mut groups: BTreeMap<(Date, &str), Vec<&EnergyRow>> = BTreeMap::new();
    for h in hours {
        let date = timestamp(h.bucket_ms)?.to_zoned_datetime(tz.clone()).date();
        groups.entry((date, h.node_id.as_str())).or_default().push(h);
    }
    Ok(groups.into_iter().map(|((date, node), rows)| day(date, node, &rows)).collect())
}

/// Adds the parts of `value` ("a; b", as the ledger joins them) to a first-use-ordered list.
fn note(list: &mut Vec<String>, value: Option<&String>) {
    for part in value.map(|v| v.split("; ")).into_iter().flatten() {
        if !part.is_empty() && !list.iter().any(|p| p == part) {
            list.push(part.to_owned());
        }
    }
}

fn day(date: Date, node: &str, rows: &[&EnergyRow]) -> EnergyDay {
    let with_energy: Vec<&EnergyRow> =
        rows.iter().copied().filter(|h| h.energy_uj.is_some()).collect();
    // A sum over the hours with energy, if every one of them has the figure; else None.
    let complete = |figure: fn(&EnergyRow) -> Option<i64>| -> Option<i128> {
        if with_energy.is_empty() {
            return None;
        }
        with_energy.iter().map(|h| figure(h).map(i128::from)).sum()
    };
    // A cost covers only the priced part of an hour: an hour with uncosted time has no
    // complete cost.
    let fully_costed = with_energy.iter().all(|h| h.uncosted_ms == 0);
    let mut currencies: Vec<String> = Vec::new();
    let mut tariffs = Vec::new();
    let mut power_sources = Vec::new();
    for h in rows {
        note(&mut currencies, h.currency.as_ref());
        note(&mut tariffs, h.tariff.as_ref());
        note(&mut power_sources, h.power_source.as_ref());
    }
    let one_currency = (currencies.len() == 1).then(|| currencies[0].clone());
    let costed = |c: Option<i128>| c.filter(|_| one_currency.is_some() && fully_costed);
    let prices = || rows.iter().filter_map(|h| h.price_micro_per_kwh);
    let priced = one_currency.is_some();
    EnergyDay {
        date,
        node_id: node.to_owned(),
        covered_ms: rows.iter().map(|h| h.covered_ms).sum(),
        energy_uj: with_energy
            .iter()
            .filter_map(|h| h.energy_uj.map(i128::from))
            .reduce(|a, b| a + b),
        marginal_energy_uj: complete(|h| h.marginal_energy_uj),
        cost_nano: costed(complete(|h| h.cost_nano)),
        marginal_cost_nano: costed(complete(|h| h.marginal_cost_nano)),
        currency: one_currency.clone(),
        tariffs,
        price_min_micro: prices().min().filter(|_| priced),
        price_max_micro: prices().max().filter(|_| priced),
        power_sources,
    }
}

/// The tax tools' files: one row per reward that counts as taxable income (paid, not
/// simulated), in ledger order, each drawn by the format's own `row`.
pub(crate) fn write_taxable(
    columns: &[&str],
    rewards: impl Iterator<Item = Result<RewardLine, ExportError>>,
    out: &mut dyn std::io::Write,
    row: fn(&RewardLine) -> super::csv_out::Row,
) -> Result<(), ExportError> {
    let mut table = super::csv_out::Table::new(columns, out)?;
    for r in rewards {
        let r = r?;
        if r.is_taxable_income() {
            table.push(row(&r))?;
        }
    }
    table.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tx_hashes_are_recognised_and_payout_ids_are_not() {
        let xmr = "a".repeat(64);
        assert!(looks_like_tx_hash(&xmr));
        assert!(looks_like_tx_hash(&format!("0x{}", "0F".repeat(32))));
        assert!(!looks_like_tx_hash("payout-7"));
        assert!(!looks_like_tx_hash(&"g".repeat(64)));
        assert!(!looks_like_tx_hash(&"a".repeat(63)));
    }

    fn hour(energy_uj: Option<i64>, cost_nano: Option<i64>, uncosted_ms: i64) -> EnergyRow {
        EnergyRow {
            res_ms: 3_600_000,
            node_id: "n".into(),
            bucket_ms: 0,
            samples: 60,
            covered_ms: 3_600_000,
            gap_ms: 0,
            energy_uj,
            marginal_energy_uj: energy_uj,
            cost_nano,
            marginal_cost_nano: cost_nano,
            uncosted_ms,
            currency: Some("EUR".into()),
            price_micro_per_kwh: Some(300_000),
            tariff: Some("flat; night".into()),
            power_kind: None,
            power_source: Some("RAPL".into()),
        }
    }

    #[test]
    fn a_day_cost_is_given_only_when_every_hour_with_energy_is_fully_costed() {
        let date = Date::constant(2026, 3, 29);
        let full = hour(Some(10), Some(3), 0);
        let d = day(date, "n", &[&full, &full]);
        assert_eq!((d.energy_uj, d.cost_nano, d.marginal_cost_nano), (Some(20), Some(6), Some(6)));
        assert_eq!(d.tariffs, ["flat", "night"], "joined labels are split and kept once");
        // Part of an hour had no price: its cost covers less than its energy.
        let partial = hour(Some(10), Some(2), 1_800_000);
        let d = day(date, "n", &[&full, &partial]);
        assert_eq!((d.energy_uj, d.cost_nano, d.marginal_cost_nano), (Some(20), None, None));
        // An hour without a reading adds nothing and takes nothing away.
        let gap = EnergyRow { covered_ms: 0, ..hour(None, None, 0) };
        let d = day(date, "n", &[&full, &gap]);
        assert_eq!((d.energy_uj, d.cost_nano, d.covered_ms), (Some(10), Some(3), 3_600_000));
        // Costs in two currencies are not added.
        let usd = EnergyRow { currency: Some("USD".into()), ..full.clone() };
        let d = day(date, "n", &[&full, &usd]);
        assert_eq!((d.cost_nano, d.currency, d.price_min_micro), (None, None, None));
        // No reading at all: not available, never 0.
        let d = day(date, "n", &[&gap]);
        assert_eq!((d.energy_uj, d.cost_nano, d.marginal_energy_uj), (None, None, None));
    }

    #[test]
    fn income_kinds_follow_the_activity() {
        assert_eq!(IncomeKind::of(Some(Activity::PowMining)), IncomeKind::Mining);
        assert_eq!(IncomeKind::of(Some(Activity::Staking)), IncomeKind::Staking);
        for other in [Activity::Storage, Activity::Bandwidth, Activity::Compute] {
            assert_eq!(IncomeKind::of(Some(other)), IncomeKind::Other);
        }
        assert_eq!(IncomeKind::of(None), IncomeKind::Other);
    }
}

//! Lightrig's own CSV: every reward of the range and the energy of each local day, in one file,
//! one row per record. The `record` column says which: `reward` rows fill the reward columns,
//! `energy-day` rows (one per local day and node; an empty `node` is time Lightrig ran without
//! a node) fill the energy columns; the other columns stay empty. Rows are in local-date order,
//! a day's rewards (oldest first) before its energy. A day is the local date its hour starts on.
//!
//! Values:
//! - `amount` is exact (`atomic` ÷ 10^`decimals`); `simulated` is `true` for the practice node,
//!   whose rows have no fiat value and say so in `price_source`.
//! - `fiat_value` is rounded half away from zero to hundredths; `unit_price` is the price of one
//!   whole unit on the UTC day of receipt; both are empty without a price.
//! - `tx_id` repeats `reference` when the reference is a transaction hash (64 hex digits).
//! - Energy: kWh with six decimals; a day's `energy_kwh` sums the hours that had a reading
//!   (`covered_hours` says how many hours that was); `energy_cost` and the marginal figures
//!   are empty unless every hour with energy had them, in one currency. Costs are rounded half
//!   away from zero to hundredths; prices per kWh are exact (six decimals).

use std::io::Write;

use super::ExportError;
use super::csv_out::{Row, Table};
use super::money::{decimal, div_round, kwh6, nano_to_cents};
use super::records::{EnergyDay, Records, RewardLine};

/// The header, in order.
pub const COLUMNS: [&str; 30] = [
    "record",
    "date_local",
    "time_utc",
    "time_local",
    "time_zone",
    "node",
    "activity",
    "asset",
    "amount",
    "atomic",
    "decimals",
    "state",
    "simulated",
    "source",
    "reference",
    "tx_id",
    "fiat_value",
    "fiat_currency",
    "unit_price",
    "price_source",
    "energy_kwh",
    "marginal_energy_kwh",
    "covered_hours",
    "energy_cost",
    "marginal_energy_cost",
    "energy_currency",
    "tariff",
    "price_min_per_kwh",
    "price_max_per_kwh",
    "power_source",
];

/// Shown as the price source of a simulated reward.
const SIMULATED_SOURCE: &str = "simulated (practice node): not money, no fiat value";

pub(crate) fn render(
    records: &Records,
    rewards: impl Iterator<Item = Result<RewardLine, ExportError>>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let zone = records.zone_name();
    let mut table = Table::new(&COLUMNS, out)?;
    // Rewards arrive oldest first; a day's energy rows follow its last reward.
    let mut days = records.days.iter().peekable();
    for r in rewards {
        let r = r?;
        let date = r.local.date();
        while let Some(d) = days.next_if(|d| d.date < date) {
            table.push(energy_row(d, &zone))?;
        }
        table.push(reward_row(&r, &zone))?;
    }
    for d in days {
        table.push(energy_row(d, &zone))?;
    }
    table.finish()
}

fn reward_row(r: &RewardLine, zone: &str) -> Row {
    let cents = |c: i128| decimal(c, 2);
    let price_source = if r.simulated {
        Some(SIMULATED_SOURCE)
    } else {
        r.fiat.as_ref().map(|f| f.source.as_str())
    };
    let mut row = Row::new()
        .value("reward")
        .value(r.local.date().to_string())
        .value(r.at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .value(r.local.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .text(zone)
        .text(&r.node_id)
        .value(r.activity.map(|a| a.as_str()).unwrap_or_default())
        .text(&r.asset.code)
        .value(r.amount())
        .value(r.atomic.to_string())
        .value(r.asset.decimals.to_string())
        .value(r.state.as_str())
        .value(if r.simulated { "true" } else { "false" })
        .text(&r.source)
        .text(&r.key)
        .maybe_text(r.tx_id.as_deref())
        .maybe(r.fiat.as_ref().map(|f| cents(f.cents)))
        .maybe_text(r.fiat.as_ref().map(|f| f.currency.as_str()))
        .maybe(r.fiat.as_ref().map(|f| f.unit_price.to_string()))
        .maybe_text(price_source);
    for _ in 0..10 {
        row = row.empty();
    }
    row
}

fn energy_row(d: &EnergyDay, zone: &str) -> Row {
    let mut row =
        Row::new().value("energy-day").value(d.date.to_string()).empty().empty().text(zone);
    row = row.text(&d.node_id);
    for _ in 0..14 {
        row = row.empty();
    }
    let money = |nano: Option<i128>| nano.map(|n| decimal(nano_to_cents(n), 2));
    let price = |micro: Option<i64>| micro.map(|m| decimal(i128::from(m), 6));
    row.maybe(d.energy_uj.map(kwh6))
        .maybe(d.marginal_energy_uj.map(kwh6))
        .value(decimal(div_round(i128::from(d.covered_ms), 3_600), 3))
        .maybe(money(d.cost_nano))
        .maybe(money(d.marginal_cost_nano))
        .maybe_text(d.currency.as_deref())
        .text(&d.tariffs.join("; "))
        .maybe(price(d.price_min_micro))
        .maybe(price(d.price_max_micro))
        .text(&d.power_sources.join("; "))
}

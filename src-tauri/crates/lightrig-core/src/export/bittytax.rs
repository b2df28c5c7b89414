//! BittyTax transaction records (CSV).
//!
//! Layout, from the BittyTax README, section "Transaction Records"
//! (https://github.com/BittyTax/BittyTax/blob/master/README.md#transaction-records): fields in
//! this order — `Type, Buy Quantity, Buy Asset, Buy Value in GBP, Sell Quantity, Sell Asset,
//! Sell Value in GBP, Fee Quantity, Fee Asset, Fee Value in GBP, Wallet, Timestamp, Note`.
//! BittyTax reads the first CSV line as the header and every later line as a record, so the file
//! has no comment lines. Timestamps "in the format `YYYY-MM-DDTHH:MM:SS.000000 ZZZ`, where
//! timezone (ZZZ) can be GMT, BST or UTC. Milliseconds or microseconds are optional": written
//! here in UTC without the fraction.
//!
//! Types: `Mining` ("tokens received as income from mining"), `Staking`, and `Income` ("other
//! income ... which cannot be categorised as Mining, Staking, Interest or Dividend") for storage,
//! bandwidth and compute. For these types Buy Quantity and Buy Asset are mandatory and Buy Value
//! in GBP is optional ("if you don't provide a fixed value, bittytax will calculate the value");
//! it is filled only when the price book gave a price in GBP. Wallet is "Lightrig <node>".
//!
//! One row per paid, non-simulated reward. BittyTax has no expense type, so electricity is not
//! here.

use std::io::Write;

use super::ExportError;
use super::csv_out::Row;
use super::money::decimal;
use super::records::{IncomeKind, RewardLine};

pub(crate) const COLUMNS: [&str; 13] = [
    "Type",
    "Buy Quantity",
    "Buy Asset",
    "Buy Value in GBP",
    "Sell Quantity",
    "Sell Asset",
    "Sell Value in GBP",
    "Fee Quantity",
    "Fee Asset",
    "Fee Value in GBP",
    "Wallet",
    "Timestamp",
    "Note",
];

pub(crate) fn kind(kind: IncomeKind) -> &'static str {
    match kind {
        IncomeKind::Mining => "Mining",
        IncomeKind::Staking => "Staking",
        IncomeKind::Other => "Income",
    }
}

pub(crate) fn render(
    rewards: impl Iterator<Item = Result<RewardLine, ExportError>>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    super::records::write_taxable(&COLUMNS, rewards, out, row)
}

fn note(r: &RewardLine) -> String {
    match &r.tx_id {
        Some(tx) => format!("Lightrig: {}, tx {tx}", r.source),
        None => format!("Lightrig: {}, ref {}", r.source, r.key),
    }
}

fn row(r: &RewardLine) -> Row {
    let gbp = r.fiat.as_ref().filter(|f| f.currency == "GBP").map(|f| decimal(f.cents, 2));
    Row::new()
        .value(kind(r.kind))
        .value(r.amount())
        .text(&r.asset.code)
        .maybe(gbp)
        .empty()
        .empty()
        .empty()
        .empty()
        .empty()
        .empty()
        .text(&format!("Lightrig {}", r.node_id))
        .value(r.at.strftime("%Y-%m-%dT%H:%M:%S UTC").to_string())
        .text(&note(r))
}

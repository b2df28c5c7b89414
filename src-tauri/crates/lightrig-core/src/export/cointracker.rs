//! CoinTracker's CSV import.
//!
//! Layout, from CoinTracker's help article "Convert your transaction history to CoinTracker CSV"
//! (https://support.cointracker.io/hc/en-us/articles/4413071299729-Convert-your-transaction-history-to-CoinTracker-CSV):
//! columns A–H `Date, Received Quantity, Received Currency, Sent Quantity, Sent Currency,
//! Fee Amount, Fee Currency, Tag`; "the headers must match the template exactly", "all columns
//! must be included"; Date as `MM/DD/YYYY HH:MM:SS`, in UTC.
//!
//! Tags, from "Transaction category definitions"
//! (https://support.cointracker.io/hc/en-us/articles/4413049710225-Transaction-category-definitions):
//! a staking reward's CSV tag is `staking`. The same page lists mining rewards and other income
//! as receive categories; their CSV tags are written here as `mining` and `income`, following
//! the `staking` pattern (the stored copy of that page did not show those two rows in full:
//! check them against the live page before relying on them).
//!
//! One row per paid, non-simulated reward: a receive with its tag. CoinTracker's layout has no
//! value column (it prices receipts itself) and no expense row, so electricity is not here.

use std::io::Write;

use super::ExportError;
use super::csv_out::Row;
use super::records::{IncomeKind, RewardLine};

pub(crate) const COLUMNS: [&str; 8] = [
    "Date",
    "Received Quantity",
    "Received Currency",
    "Sent Quantity",
    "Sent Currency",
    "Fee Amount",
    "Fee Currency",
    "Tag",
];

pub(crate) fn tag(kind: IncomeKind) -> &'static str {
    match kind {
        IncomeKind::Mining => "mining",
        IncomeKind::Staking => "staking",
        IncomeKind::Other => "income",
    }
}

pub(crate) fn render(
    rewards: impl Iterator<Item = Result<RewardLine, ExportError>>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    super::records::write_taxable(&COLUMNS, rewards, out, row)
}

fn row(r: &RewardLine) -> Row {
    Row::new()
        .value(r.at.strftime("%m/%d/%Y %H:%M:%S").to_string())
        .value(r.amount())
        .text(&r.asset.code)
        .empty()
        .empty()
        .empty()
        .empty()
        .value(tag(r.kind))
}

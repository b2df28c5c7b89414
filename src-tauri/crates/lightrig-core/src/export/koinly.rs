//! Koinly's universal CSV template.
//!
//! Layout, from Koinly's help article "How to create a custom CSV file with your data"
//! (https://support.koinly.io/en/articles/9489976-how-to-create-a-custom-csv-file-with-your-data,
//! earlier at https://help.koinly.io/en/articles/3662999-how-can-i-import-my-own-custom-csv-file):
//! `Date, Sent Amount, Sent Currency, Received Amount, Received Currency, Fee Amount,
//! Fee Currency, Net Worth Amount, Net Worth Currency, Label, Description, TxHash`. Dates "in
//! Koinly format (YYYY-MM-DD 00:00 UTC) ... must be in UTC even if you live in another timezone".
//!
//! Labels, from "What are tags" (https://support.koinly.io/en/articles/9490023-what-are-tags):
//! deposits tagged `Mining`, `Reward` or `Income` count as income. Koinly has no separate
//! staking tag any more ("Reward (used for staking rewards...)"), so pow-mining → `mining`,
//! staking → `reward`, storage, bandwidth, compute → `income`.
//!
//! One row per paid, non-simulated reward: a deposit (Received Amount/Currency only). Net Worth
//! is the value at receipt when a price is known; otherwise empty and Koinly prices it itself.
//! No fee (Koinly: "a deposit can not have any fee"). Electricity is not here: Koinly's Cost tag
//! marks crypto sent out, and fiat withdrawals cannot carry tags.

use std::io::Write;

use super::ExportError;
use super::csv_out::Row;
use super::money::decimal;
use super::records::{IncomeKind, RewardLine};

pub(crate) const COLUMNS: [&str; 12] = [
    "Date",
    "Sent Amount",
    "Sent Currency",
    "Received Amount",
    "Received Currency",
    "Fee Amount",
    "Fee Currency",
    "Net Worth Amount",
    "Net Worth Currency",
    "Label",
    "Description",
    "TxHash",
];

pub(crate) fn label(kind: IncomeKind) -> &'static str {
    match kind {
        IncomeKind::Mining => "mining",
        IncomeKind::Staking => "reward",
        IncomeKind::Other => "income",
    }
}

pub(crate) fn render(
    rewards: impl Iterator<Item = Result<RewardLine, ExportError>>,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    super::records::write_taxable(&COLUMNS, rewards, out, row)
}

/// "Lightrig node xmrig-1, p2pool local/stratum, ref payout-7".
pub(crate) fn description(r: &RewardLine) -> String {
    let mut text = format!("Lightrig node {}, {}", r.node_id, r.source);
    if r.tx_id.is_none() {
        text.push_str(&format!(", ref {}", r.key));
    }
    text
}

fn row(r: &RewardLine) -> Row {
    Row::new()
        .value(r.at.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .empty()
        .empty()
        .value(r.amount())
        .text(&r.asset.code)
        .empty()
        .empty()
        .maybe(r.fiat.as_ref().map(|f| decimal(f.cents, 2)))
        .maybe_text(r.fiat.as_ref().map(|f| f.currency.as_str()))
        .value(label(r.kind))
        .text(&description(r))
        .maybe_text(r.tx_id.as_deref())
}

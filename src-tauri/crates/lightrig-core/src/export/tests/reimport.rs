//! Each export read back with the `csv` crate, as a tool would: the header is the column list the
//! tool documents (written out here, not taken from the module), every amount re-parses to the
//! exact atomic amount on record, and dates, labels and values are where the tool looks.

use std::collections::BTreeMap;

use super::fixture::{self, MYST_TX, MYST_WEI, XMR_TX};
use crate::export::{ExportFormat, export};

/// Koinly universal template (support.koinly.io, "How to create a custom CSV file").
const KOINLY: [&str; 12] = [
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

/// CoinTracker CSV template (support.cointracker.io, "Convert your transaction history").
const COINTRACKER: [&str; 8] = [
    "Date",
    "Received Quantity",
    "Received Currency",
    "Sent Quantity",
    "Sent Currency",
    "Fee Amount",
    "Fee Currency",
    "Tag",
];

/// BittyTax README, "Transaction Records".
const BITTYTAX: [&str; 13] = [
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

/// Rows as maps from header to cell, after checking the header.
fn read(format: ExportFormat, header: &[&str]) -> Vec<BTreeMap<String, String>> {
    let (_dir, ledger) = fixture::ledger();
    let bytes = export(&ledger, &fixture::request(format), &fixture::prices()).unwrap();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes.as_slice());
    let found: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(found, header, "{format} header");
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), header.len(), "{format}: every row has every column");
            header.iter().map(|h| h.to_string()).zip(r.iter().map(str::to_owned)).collect()
        })
        .collect()
}

/// Parses an exported amount back to atomic units, refusing anything but exactly `decimals`
/// digits after the point.
fn atomic(text: &str, decimals: u32) -> i128 {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    assert_eq!(frac.len(), decimals as usize, "{text} has {decimals} decimals");
    format!("{whole}{frac}").parse().unwrap()
}

/// The paid, real rewards of the fixture: (asset, decimals, atomic, tx id or reference).
fn paid() -> Vec<(&'static str, u32, i128)> {
    vec![
        ("XMR", 12, 1_234_567_890_123),
        ("MYST", 18, MYST_WEI),
        ("ATOM", 6, 2_500_000),
        ("STORJ", 8, 1_234_567_890),
    ]
}

#[test]
fn koinly_reimports_in_its_documented_layout() {
    let rows = read(ExportFormat::Koinly, &KOINLY);
    assert_eq!(rows.len(), 4, "paid, real rewards only");
    for (row, (asset, decimals, amount)) in rows.iter().zip(paid()) {
        assert_eq!(row["Received Currency"], asset);
        assert_eq!(atomic(&row["Received Amount"], decimals), amount);
        for empty in ["Sent Amount", "Sent Currency", "Fee Amount", "Fee Currency"] {
            assert_eq!(row[empty], "", "{empty}");
        }
    }
    assert_eq!(rows[0]["Date"], "2026-03-28 09:15 UTC");
    assert_eq!(rows[1]["Date"], "2026-03-29 01:30 UTC");
    let labels: Vec<&str> = rows.iter().map(|r| r["Label"].as_str()).collect();
    assert_eq!(labels, ["mining", "income", "reward", "income"]);
    assert_eq!(
        (rows[0]["Net Worth Amount"].as_str(), rows[0]["Net Worth Currency"].as_str()),
        ("189.41", "EUR")
    );
    assert_eq!(
        (rows[1]["Net Worth Amount"].as_str(), rows[1]["Net Worth Currency"].as_str()),
        ("", ""),
        "no price: empty, never 0"
    );
    assert_eq!(
        (rows[3]["Net Worth Amount"].as_str(), rows[3]["Net Worth Currency"].as_str()),
        ("4.71", "GBP")
    );
    assert_eq!(rows[0]["TxHash"], XMR_TX);
    assert_eq!(rows[1]["TxHash"], MYST_TX);
    assert_eq!(rows[2]["TxHash"], "", "a payout id is not a tx hash");
    assert!(rows[2]["Description"].contains("reward-77"), "{}", rows[2]["Description"]);
}

#[test]
fn cointracker_reimports_in_its_documented_layout() {
    let rows = read(ExportFormat::CoinTracker, &COINTRACKER);
    assert_eq!(rows.len(), 4, "paid, real rewards only");
    for (row, (asset, decimals, amount)) in rows.iter().zip(paid()) {
        assert_eq!(row["Received Currency"], asset);
        assert_eq!(atomic(&row["Received Quantity"], decimals), amount);
    }
    assert_eq!(rows[0]["Date"], "03/28/2026 09:15:30");
    assert_eq!(rows[3]["Date"], "03/30/2026 21:59:59");
    let tags: Vec<&str> = rows.iter().map(|r| r["Tag"].as_str()).collect();
    assert_eq!(tags, ["mining", "income", "staking", "income"]);
}

#[test]
fn bittytax_reimports_in_its_documented_layout() {
    let rows = read(ExportFormat::BittyTax, &BITTYTAX);
    assert_eq!(rows.len(), 4, "paid, real rewards only");
    for (row, (asset, decimals, amount)) in rows.iter().zip(paid()) {
        assert_eq!(row["Buy Asset"], asset);
        assert_eq!(atomic(&row["Buy Quantity"], decimals), amount);
        for empty in ["Sell Quantity", "Sell Asset", "Sell Value in GBP", "Fee Quantity"] {
            assert_eq!(row[empty], "", "{empty}");
        }
    }
    let types: Vec<&str> = rows.iter().map(|r| r["Type"].as_str()).collect();
    assert_eq!(types, ["Mining", "Income", "Staking", "Income"]);
    assert_eq!(rows[0]["Timestamp"], "2026-03-28T09:15:30 UTC");
    assert_eq!(rows[0]["Buy Value in GBP"], "", "a EUR price is not a GBP value");
    assert_eq!(rows[3]["Buy Value in GBP"], "4.71");
    assert_eq!(rows[1]["Wallet"], "Lightrig myst-1");
}

#[test]
fn full_csv_reimports_with_exact_amounts_local_times_and_energy() {
    let header: Vec<&str> = crate::export::full::COLUMNS.to_vec();
    let rows = read(ExportFormat::Full, &header);
    let rewards: Vec<_> = rows.iter().filter(|r| r["record"] == "reward").collect();
    let days: Vec<_> = rows.iter().filter(|r| r["record"] == "energy-day").collect();
    assert_eq!(rewards.len(), 7, "every reward of the range, in every state");
    for r in &rewards {
        let decimals: u32 = r["decimals"].parse().unwrap();
        assert_eq!(atomic(&r["amount"], decimals), r["atomic"].parse::<i128>().unwrap());
    }
    let myst = rewards.iter().find(|r| r["asset"] == "MYST").unwrap();
    assert_eq!(myst["atomic"], MYST_WEI.to_string());
    assert_eq!(myst["time_local"], "2026-03-29T03:30:00+02:00", "after the DST change");
    assert_eq!(myst["time_utc"], "2026-03-29T01:30:00Z");
    let before = rewards.iter().find(|r| r["reference"] == "share-1001").unwrap();
    assert_eq!(before["time_local"], "2026-03-29T01:30:00+01:00", "before the DST change");
    let sim = rewards.iter().find(|r| r["asset"] == "SIM").unwrap();
    assert_eq!(sim["simulated"], "true");
    assert_eq!(sim["fiat_value"], "", "simulated rewards have no fiat value, even with a price");
    assert!(sim["price_source"].contains("simulated"));
    let pending = rewards.iter().find(|r| r["state"] == "pending").unwrap();
    assert_eq!(pending["date_local"], "2026-03-28", "local day, though the 27th in UTC");
    assert_eq!(pending["fiat_value"], "", "priced on its UTC day, which has no price");

    let day = |date: &str, node: &str| {
        days.iter().find(|d| d["date_local"] == date && d["node"] == node).unwrap()
    };
    assert_eq!(days.len(), 4, "three days of the node and one machine-only day");
    let d28 = day("2026-03-28", "xmrig-1");
    assert_eq!((d28["energy_kwh"].as_str(), d28["energy_cost"].as_str()), ("0.030000", "0.01"));
    assert_eq!(d28["marginal_energy_kwh"], "", "one hour had no marginal figure");
    let d29 = day("2026-03-29", "xmrig-1");
    assert_eq!(d29["energy_kwh"], "0.040000", "the 29th has 23 hours in Berlin");
    assert_eq!(d29["tariff"], "flat 0.3 EUR/kWh (your setting); night 0.2 EUR/kWh");
    assert_eq!(
        (d29["price_min_per_kwh"].as_str(), d29["price_max_per_kwh"].as_str()),
        ("0.200000", "0.300000")
    );
    let d30 = day("2026-03-30", "xmrig-1");
    assert_eq!(d30["energy_kwh"], "0.010000");
    assert_eq!(d30["energy_cost"], "", "an hour without a price: cost not available, not 0");
    assert_eq!(d30["covered_hours"], "1.000");
    assert_eq!(day("2026-03-30", "")["energy_kwh"], "0.001000");
}

//! A fixed ledger: rewards in every state, a simulated one, an amount beyond 64 bits, a paid
//! reward with a tx hash, and hourly energy rows across the spring DST change in Europe/Berlin
//! (2026-03-29, 02:00 CET → 03:00 CEST), some without a reading or a price.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::export::{
    DateRange, ExportFormat, ExportRequest, FiatPrice, Lang, PriceTable, time_zone,
};
use crate::ledger::export_queries::insert_energy_row;
use crate::ledger::{EnergyRow, Ledger};
use crate::model::{Activity, Asset, Reward, RewardState};

pub const XMR_TX: &str = "9f3c1a0e5b7d2c4f6a8b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7";
pub const MYST_TX: &str = "0x4e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7";
pub const MYST_WEI: i128 = 98_765_432_109_876_543_210_123;
pub const HOUR_MS: i64 = 3_600_000;

pub fn ms(text: &str) -> i64 {
    text.parse::<Timestamp>().unwrap().as_millisecond()
}

pub fn date(text: &str) -> Date {
    text.parse().unwrap()
}

pub fn reward(
    node: &str,
    key: &str,
    at: &str,
    (code, decimals): (&str, u8),
    atomic: i128,
    state: RewardState,
) -> Reward {
    Reward {
        node_id: node.into(),
        key: key.into(),
        at: ms(at),
        asset: Asset { code: code.into(), decimals },
        atomic,
        state,
        source: format!("{node} status API"),
        simulated: false,
    }
}

/// Every reward of the fixed ledger, in and around the range 2026-03-28 – 2026-03-30 (Berlin).
pub fn rewards() -> Vec<Reward> {
    use RewardState::*;
    let xmr = ("XMR", 12);
    let mut list = vec![
        // 23:59:59 CET on the 27th: the day before the range.
        reward("xmrig-1", "share-999", "2026-03-27T22:59:59Z", xmr, 1, Estimated),
        // 00:30 CET on the 28th (the 27th in UTC): the first local day of the range.
        reward("xmrig-1", XMR_TX, "2026-03-27T23:30:00Z", xmr, 1_234_567_890_123, Pending),
        reward("xmrig-1", XMR_TX, "2026-03-28T09:15:30Z", xmr, 1_234_567_890_123, Paid),
        // 01:30 CET, before the clocks go forward.
        reward("xmrig-1", "share-1001", "2026-03-29T00:30:00Z", xmr, 5_000_000, Estimated),
        // 03:30 CEST, after.
        reward("myst-1", MYST_TX, "2026-03-29T01:30:00Z", ("MYST", 18), MYST_WEI, Paid),
        reward("stake-1", "reward-77", "2026-03-29T12:00:00Z", ("ATOM", 6), 2_500_000, Paid),
        reward(
            "storj-1",
            "payout-2026-03",
            "2026-03-30T21:59:59Z",
            ("STORJ", 8),
            1_234_567_890,
            Paid,
        ),
        // 00:00 CEST on the 31st: the day after the range.
        reward("xmrig-1", "share-1002", "2026-03-30T22:00:00Z", xmr, 7, Paid),
    ];
    let mut sim =
        reward("practice", "share-42", "2026-03-30T08:00:00Z", ("SIM", 8), 150_000_000, Paid);
    sim.simulated = true;
    sim.source = "practice-node /status".into();
    list.push(sim);
    list
}

pub fn activities() -> BTreeMap<String, Activity> {
    [
        ("xmrig-1", Activity::PowMining),
        ("practice", Activity::PowMining),
        ("myst-1", Activity::Bandwidth),
        ("storj-1", Activity::Storage),
        ("stake-1", Activity::Staking),
    ]
    .into_iter()
    .map(|(n, a)| (n.to_owned(), a))
    .collect()
}

pub fn prices() -> PriceTable {
    let price = |p: &str, c: &str| FiatPrice {
        price: p.parse().unwrap(),
        currency: c.into(),
        source: "test prices, daily close".into(),
    };
    let mut t = PriceTable::new();
    // The XMR reward was paid on the 28th (UTC); its pending row is on the 27th (UTC), which has
    // no price: the UTC day of receipt is what counts, not the local one.
    t.insert("XMR", date("2026-03-28"), price("153.42", "EUR"));
    t.insert("ATOM", date("2026-03-29"), price("4.5", "EUR"));
    t.insert("STORJ", date("2026-03-30"), price("0.3812", "GBP"));
    t.insert("SIM", date("2026-03-30"), price("1", "EUR"));
    t
}

pub fn hour(node: &str, at: &str, energy_uj: Option<i64>, cost_nano: Option<i64>) -> EnergyRow {
    let covered = if energy_uj.is_some() { HOUR_MS } else { 0 };
    EnergyRow {
        res_ms: HOUR_MS,
        node_id: node.into(),
        bucket_ms: ms(at),
        samples: if energy_uj.is_some() { 3600 } else { 0 },
        covered_ms: covered,
        gap_ms: HOUR_MS - covered,
        energy_uj,
        marginal_energy_uj: None,
        cost_nano,
        marginal_cost_nano: None,
        uncosted_ms: if cost_nano.is_some() { 0 } else { covered },
        currency: cost_nano.map(|_| "EUR".into()),
        price_micro_per_kwh: cost_nano.map(|_| 300_000),
        tariff: cost_nano.map(|_| "flat 0.3 EUR/kWh (your setting)".into()),
        power_kind: energy_uj.map(|_| "cpu-package".into()),
        power_source: energy_uj.map(|_| "RAPL package power".into()),
    }
}

/// 0.01 kWh.
const CENTI_KWH: i64 = 36_000_000_000;

pub fn energy(ledger: &Ledger) {
    let mut rows = vec![
        // 10:00 CET on the 28th, with a marginal figure.
        EnergyRow {
            marginal_energy_uj: Some(CENTI_KWH / 2),
            marginal_cost_nano: Some(1_500_000),
            ..hour("xmrig-1", "2026-03-28T09:00:00Z", Some(CENTI_KWH), Some(3_000_000))
        },
        // 23:00 CET on the 28th.
        hour("xmrig-1", "2026-03-28T22:00:00Z", Some(2 * CENTI_KWH), Some(6_000_000)),
        // 00:00 and 01:00 CET on the 29th.
        hour("xmrig-1", "2026-03-28T23:00:00Z", Some(CENTI_KWH), Some(3_000_000)),
        hour("xmrig-1", "2026-03-29T00:00:00Z", Some(CENTI_KWH), Some(3_000_000)),
        // 03:00 CEST on the 29th (02:00 never happened), on a night price.
        EnergyRow {
            price_micro_per_kwh: Some(200_000),
            tariff: Some("night 0.2 EUR/kWh".into()),
            ..hour("xmrig-1", "2026-03-29T01:00:00Z", Some(CENTI_KWH), Some(2_000_000))
        },
        // 23:00 CEST on the 29th.
        hour("xmrig-1", "2026-03-29T21:00:00Z", Some(CENTI_KWH), Some(3_000_000)),
        // 00:00 CEST on the 30th: energy, but no price.
        hour("xmrig-1", "2026-03-29T22:00:00Z", Some(CENTI_KWH), None),
        // 01:00 CEST on the 30th: no reading at all.
        hour("xmrig-1", "2026-03-29T23:00:00Z", None, None),
        // Machine-only time on the 30th.
        hour("", "2026-03-30T10:00:00Z", Some(CENTI_KWH / 10), Some(300_000)),
        // 00:00 CEST on the 31st: after the range.
        hour("xmrig-1", "2026-03-30T22:00:00Z", Some(CENTI_KWH), Some(3_000_000)),
    ];
    for row in &rows {
        insert_energy_row(ledger, row);
    }
    // A minute row: exports read hours only.
    rows.truncate(1);
    insert_energy_row(
        ledger,
        &EnergyRow { res_ms: 60_000, bucket_ms: ms("2026-03-29T10:00:00Z"), ..rows[0].clone() },
    );
}

pub fn ledger() -> (tempfile::TempDir, Ledger) {
    let (dir, ledger) = crate::ledger::test_support::temp_ledger();
    ledger.record_rewards(&rewards()).unwrap();
    energy(&ledger);
    (dir, ledger)
}

pub fn request(format: ExportFormat) -> ExportRequest {
    ExportRequest {
        format,
        range: DateRange::new(date("2026-03-28"), date("2026-03-30")).unwrap(),
        time_zone: time_zone("Europe/Berlin").unwrap(),
        activities: activities(),
        lang: Lang::En,
        generated_at: "2026-04-02T08:00:00Z".parse().unwrap(),
    }
}

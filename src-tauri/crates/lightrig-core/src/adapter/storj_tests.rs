use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant as WallClock};

use serde_json::{Value, json};

use super::*;
use crate::adapter::fake::{FakeServer, Reply};

const SNO: &str = include_str!("fixtures/storj/sno.json");
const ESTIMATE: &str = include_str!("fixtures/storj/estimated-payout.json");
const SATELLITES: &str = include_str!("fixtures/storj/satellites.json");
const PERIODS: &str = include_str!("fixtures/storj/periods.json");
const HISTORY_04: &str = include_str!("fixtures/storj/payout-history-2026-04.json");
const HISTORY_03: &str = include_str!("fixtures/storj/payout-history-2026-03.json");
const HISTORY_02: &str = include_str!("fixtures/storj/payout-history-2026-02.json");

/// 2026-05-20T12:00:00Z
const NOW: UnixMillis = 1_779_278_400_000;
/// 2026-05-01T00:00:00Z
const MAY: UnixMillis = 1_777_593_600_000;
/// 2026-04-01T00:00:00Z
const APRIL: UnixMillis = 1_775_001_600_000;
/// 2026-03-01T00:00:00Z
const MARCH: UnixMillis = 1_772_323_200_000;
/// 2026-06-01T00:00:00Z
const JUNE: UnixMillis = 1_780_272_000_000;

const US1: &str = "12EayRS2V1kEsWESU9QMRseFhdxYxKicsiFmxrsLZHeLUtdps3S";
const EU1: &str = "12L9ZFwhzVpuEKMUNUqkaTLGzwY9G24tbiigLiXpmZWKwmcNDDs";
const AP1: &str = "121RTSDpyNZVcEU84Ticf2L1ntiuUimbWgfATz21tuvgk3vzoA6";

fn cfg(url: &str) -> AdapterConfig {
    AdapterConfig {
        node_id: "storj-1".into(),
        url: Some(url.into()),
        token: None,
        options: BTreeMap::new(),
    }
}

async fn recorded() -> FakeServer {
    FakeServer::start(vec![
        ("GET /api/sno/", Reply::Json(SNO.into())),
        ("GET /api/sno/estimated-payout", Reply::Json(ESTIMATE.into())),
        ("GET /api/sno/satellites", Reply::Json(SATELLITES.into())),
        ("GET /api/heldamount/periods", Reply::Json(PERIODS.into())),
        ("GET /api/heldamount/payout-history/2026-04", Reply::Json(HISTORY_04.into())),
        ("GET /api/heldamount/payout-history/2026-03", Reply::Json(HISTORY_03.into())),
        ("GET /api/heldamount/payout-history/2026-02", Reply::Json(HISTORY_02.into())),
    ])
    .await
}

fn adapter(fake: &FakeServer) -> StorjAdapter {
    let mut a = StorjAdapter::new(&cfg(&fake.base)).unwrap();
    a.fixed_now = Some(NOW);
    a
}

/// A fixture with one change, e.g. `edit(SNO, "/diskSpace/used", json!(-5))`.
fn edit(fixture: &str, pointer: &str, value: Value) -> Reply {
    let mut doc: Value = serde_json::from_str(fixture).unwrap();
    *doc.pointer_mut(pointer).unwrap() = value;
    Reply::Json(doc.to_string())
}

fn estimate(current_cents: Value, previous_cents: Value) -> Reply {
    let mut doc: Value = serde_json::from_str(ESTIMATE).unwrap();
    doc["currentMonth"]["payout"] = current_cents;
    doc["previousMonth"]["payout"] = previous_cents;
    Reply::Json(doc.to_string())
}

fn by_key(rewards: &[Reward]) -> BTreeMap<String, (RewardState, i128, UnixMillis)> {
    rewards.iter().map(|r| (r.key.clone(), (r.state, r.atomic, r.at))).collect()
}

fn estimates(poll: &Poll) -> Vec<(String, i128, UnixMillis)> {
    poll.rewards
        .iter()
        .filter(|r| r.state == RewardState::Estimated)
        .map(|r| (r.key.clone(), r.atomic, r.at))
        .collect()
}

#[test]
fn unit_conversions_match_hand_computed_values() {
    // Cents (2 decimals, as the node rounds them) to micro-USD: × 10 000.
    assert_eq!(cents_to_micro_usd(149.78), Some(1_497_800)); // $1.4978
    assert_eq!(cents_to_micro_usd(0.01), Some(100));
    assert_eq!(cents_to_micro_usd(0.0), Some(0));
    assert_eq!(cents_to_micro_usd(12_345.67), Some(123_456_700)); // $123.4567
    assert_eq!(cents_to_micro_usd(f64::NAN), None);
    assert_eq!(cents_to_micro_usd(f64::INFINITY), None);
    assert_eq!(cents_to_micro_usd(-3.0), None);
    // 1 TB-month = 10^12 bytes × 720 h.
    assert_eq!(byte_hours_to_tb_months(7.2e14), 1.0);
    assert_eq!(byte_hours_to_tb_months(1.512e15), 2.1);
    // 500 GB kept for a 30-day month (720 h) is half a TB-month.
    assert_eq!(byte_hours_to_tb_months(500e9 * 720.0), 0.5);
    // Micro-USD shown as dollars by the asset: 1 497 800 → 1.497800 USD.
    assert_eq!(usd().format_atomic(1_497_800), "1.497800");
}

#[test]
fn months_are_parsed_strictly_and_step_across_years() {
    assert_eq!(Month::parse("2026-04").map(|m| m.to_string()).as_deref(), Some("2026-04"));
    for bad in ["2026-4", "2026-13", "26-04", "2026-04/../x", "2026-04 ", "", "abcd-ef"] {
        assert_eq!(Month::parse(bad), None, "{bad:?}");
    }
    let jan = Month::parse("2026-01").unwrap();
    assert_eq!(jan.prev().to_string(), "2025-12");
    assert_eq!(jan.prev().next(), jan);
    assert_eq!(Month::at(NOW).unwrap().to_string(), "2026-05");
    assert_eq!(Month::at(NOW).unwrap().start_ms(), Some(MAY));
    assert_eq!(jan.prev().months_until(Month::parse("2026-05").unwrap()), 5);
}

#[tokio::test]
async fn fake_recorded_dashboard_gives_tb_stored_uptime_and_no_hints() {
    let fake = recorded().await;
    let poll = adapter(&fake).poll().await.unwrap();
    let m = &poll.metrics;
    // diskSpace.used 1 234 567 890 123 bytes = 1.234567890123 TB (decimal).
    assert_eq!(m.work_rate, Some(WorkRate { value: 1.234567890123, unit: "TB stored".into() }));
    // startedAt 2026-05-18T07:30:00Z → 52.5 h before NOW.
    assert_eq!(m.uptime_secs, Some(189_000));
    assert_eq!(m.at_ms, NOW);
    assert!(m.hints.is_empty(), "{:?}", m.hints);
    assert_eq!((m.shares_accepted, m.paused, m.simulated), (None, None, false));
}

#[tokio::test]
async fn fake_recorded_history_gives_held_and_paid_rows_in_micro_usd() {
    let fake = recorded().await;
    let poll = adapter(&fake).poll().await.unwrap();
    let end_of_april = MAY - 1;
    let end_of_march = APRIL - 1;
    let end_of_feb = MARCH - 1;
    let want: BTreeMap<String, (RewardState, i128, UnixMillis)> = [
        (format!("held:{US1}:2026-04"), (RewardState::Pending, 355_937, end_of_april)),
        (format!("held:{EU1}:2026-04"), (RewardState::Pending, 128_075, end_of_april)),
        (format!("held:{AP1}:2026-04"), (RewardState::Pending, 24_100, end_of_april)),
        (format!("paid:{US1}:2026-04"), (RewardState::Paid, 1_067_813, MAY)),
        (format!("paid:{EU1}:2026-04"), (RewardState::Paid, 384_225, MAY)),
        // ap1's April payout has no receipt yet (under the payout threshold): not paid.
        (format!("held:{US1}:2026-03"), (RewardState::Pending, 329_600, end_of_march)),
        (format!("held:{EU1}:2026-03"), (RewardState::Pending, 124_500, end_of_march)),
        (format!("held:{AP1}:2026-03"), (RewardState::Pending, 44_000, end_of_march)),
        (format!("paid:{US1}:2026-03"), (RewardState::Paid, 988_800, APRIL)),
        (format!("paid:{EU1}:2026-03"), (RewardState::Paid, 373_500, APRIL)),
        (format!("held:{US1}:2026-02"), (RewardState::Pending, 603_800, end_of_feb)),
        (format!("paid:{US1}:2026-02"), (RewardState::Paid, 603_800, MARCH)),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_key(&poll.rewards), want);
    // Totals by hand: held 1 610 012 µUSD = $1.610012, paid 3 418 138 µUSD = $3.418138.
    let total = |s| poll.rewards.iter().filter(|r| r.state == s).map(|r| r.atomic).sum::<i128>();
    assert_eq!(total(RewardState::Pending), 1_610_012);
    assert_eq!(total(RewardState::Paid), 3_418_138);
    assert!(
        poll.rewards.iter().all(|r| r.asset == usd() && !r.simulated && r.node_id == "storj-1")
    );
    // The first poll only sets where the estimate starts.
    assert!(estimates(&poll).is_empty());
}

#[tokio::test]
async fn fake_recorded_month_usage_is_in_tb_months_of_720_hours() {
    let fake = recorded().await;
    let mut a = adapter(&fake);
    a.poll().await.unwrap();
    // storageSummary 1.512e15 byte-hours / 720 h / 1e12 = 2.1 TB-months.
    let usage = a.month_usage().unwrap();
    assert_eq!(usage.tb_months, Some(2.1));
    assert_eq!(usage.egress_bytes, Some(190e9));
}

#[tokio::test]
async fn fake_estimate_rises_are_recorded_once_and_the_month_is_closed_when_it_turns() {
    let fake = recorded().await;
    let mut a = adapter(&fake);
    // 149.78 ¢ → 1 497 800 µUSD: the starting point.
    assert!(estimates(&a.poll().await.unwrap()).is_empty());

    fake.set("GET /api/sno/estimated-payout", estimate(json!(151.02), json!(162.75)));
    let p = a.poll().await.unwrap();
    // 1 510 200 − 1 497 800 = 12 400 µUSD ($0.0124).
    assert_eq!(estimates(&p), vec![("estimate:2026-05:1497800-1510200".into(), 12_400, NOW)]);
    assert!(p.rewards.iter().all(|r| r.state == RewardState::Estimated), "history not re-sent");

    // Same figure again, then a dip: nothing.
    assert!(estimates(&a.poll().await.unwrap()).is_empty());
    fake.set("GET /api/sno/estimated-payout", estimate(json!(150.0), json!(162.75)));
    assert!(estimates(&a.poll().await.unwrap()).is_empty());
    // A rise after the dip counts only above the highest figure seen: 1 515 000 − 1 510 200.
    fake.set("GET /api/sno/estimated-payout", estimate(json!(151.5), json!(162.75)));
    assert_eq!(
        estimates(&a.poll().await.unwrap()),
        vec![("estimate:2026-05:1510200-1515000".into(), 4_800, NOW)]
    );

    // June: May closes at its final figure (152.40 ¢), June starts from 0.
    let june_now = JUNE + 5 * 60 * 1000;
    a.fixed_now = Some(june_now);
    fake.set("GET /api/sno/estimated-payout", estimate(json!(0.35), json!(152.4)));
    assert_eq!(
        estimates(&a.poll().await.unwrap()),
        vec![
            ("estimate:2026-05:1515000-1524000".into(), 9_000, JUNE - 1),
            ("estimate:2026-06:0-3500".into(), 3_500, june_now),
        ]
    );
}

#[tokio::test]
async fn fake_keys_are_the_same_after_a_restart_and_never_sent_twice() {
    let fake = recorded().await;
    let mut first = adapter(&fake);
    let one = first.poll().await.unwrap();
    assert_eq!(one.rewards.len(), 12);
    // The hourly history read again: April is not final (ap1 has no receipt), so it is re-read,
    // but nothing is handed to the ledger twice.
    first.slow_due = Instant::now();
    let again = first.poll().await.unwrap();
    assert!(again.rewards.is_empty(), "{:?}", again.rewards);
    let reads = |f: &FakeServer, p: &str| f.seen().iter().filter(|s| s.target.ends_with(p)).count();
    assert_eq!(reads(&fake, "/payout-history/2026-04"), 2);
    assert_eq!(reads(&fake, "/payout-history/2026-03"), 1, "a final period is read once");

    // A new run of Lightrig produces exactly the same keys, so the ledger sees replays.
    let two = adapter(&fake).poll().await.unwrap();
    let keys = |p: &Poll| p.rewards.iter().map(|r| r.key.clone()).collect::<BTreeSet<_>>();
    assert_eq!(keys(&one), keys(&two));
    assert_eq!(by_key(&one.rewards), by_key(&two.rewards));
}

#[tokio::test]
async fn fake_released_held_amount_is_a_negative_pending_row() {
    let fake = recorded().await;
    // A node in its 16th month gets half of what was held back.
    let row = json!([{
        "satelliteID": US1, "satelliteURL": "us1.storj.io:7777", "age": 16,
        "earned": 1500000, "surge": 1500000, "surgePercent": 100, "held": 0, "heldPercent": 0,
        "afterHeld": 1500000, "disposed": 644668, "paid": 2144668,
        "receipt": "zksync-era:0x7d9f1b3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b",
        "isExitComplete": false, "distributed": 2144668
    }]);
    fake.set("GET /api/heldamount/periods", Reply::Json(r#"["2026-04"]"#.into()));
    fake.set("GET /api/heldamount/payout-history/2026-04", Reply::Json(row.to_string()));
    let poll = adapter(&fake).poll().await.unwrap();
    assert_eq!(
        by_key(&poll.rewards),
        [
            (format!("disposed:{US1}:2026-04"), (RewardState::Pending, -644_668, MAY - 1)),
            (format!("paid:{US1}:2026-04"), (RewardState::Paid, 2_144_668, MAY)),
        ]
        .into_iter()
        .collect()
    );
}

#[tokio::test]
async fn fake_long_history_is_read_a_few_periods_per_poll() {
    let fake = recorded().await;
    let periods: Vec<String> = (1..=9).map(|m| format!("2025-{m:02}")).collect();
    fake.set("GET /api/heldamount/periods", Reply::Json(json!(periods).to_string()));
    let mut a = adapter(&fake);
    a.poll().await.unwrap();
    let read = || fake.seen().iter().filter(|s| s.target.contains("/payout-history/")).count();
    assert_eq!(read(), PERIODS_PER_POLL);
    a.poll().await.unwrap();
    assert_eq!(read(), 9, "the rest on the next poll");
    a.poll().await.unwrap();
    assert_eq!(read(), 9, "then not again within the hour");
}

#[tokio::test]
async fn fake_problems_on_the_node_become_hints() {
    let fake = recorded().await;
    let mut dash: Value = serde_json::from_str(SNO).unwrap();
    dash["upToDate"] = json!(false);
    dash["quicStatus"] = json!("Misconfigured");
    dash["lastPinged"] = json!("0001-01-01T00:00:00Z");
    dash["satellites"][1]["suspended"] = json!("2026-05-19T08:00:00Z");
    dash["diskSpace"]["overused"] = json!(2_500_000_000u64);
    fake.set("GET /api/sno/", Reply::Json(dash.to_string()));
    fake.set("GET /api/sno/satellites", edit(SATELLITES, "/audits/2/auditScore", json!(0.97)));
    let hints = adapter(&fake).poll().await.unwrap().metrics.hints;
    let has = |s: &str| hints.iter().any(|h| h.contains(s));
    assert!(has("older than the network allows (1.124.0)"), "{hints:?}");
    assert!(has("forward UDP as well as TCP to port 28967"), "{hints:?}");
    assert!(has("No satellite has contacted the node"), "{hints:?}");
    assert!(has("suspended on eu1.storj.io:7777"), "{hints:?}");
    assert!(has("2.5 GB more than its allocation"), "{hints:?}");
    assert!(has("audit score on ap1.storj.io:7777 is 97.0 %"), "{hints:?}");
    assert_eq!(hints.len(), 6, "{hints:?}");
}

#[tokio::test]
async fn fake_malformed_json_is_an_error() {
    let fake = recorded().await;
    fake.set("GET /api/sno/", Reply::Json(r#"{"nodeID": "1Xr", "diskSpace": {"used": 12"#.into()));
    let err = adapter(&fake).poll().await.unwrap_err();
    assert!(matches!(err, AdapterError::Malformed(_)), "{err}");
}

#[tokio::test]
async fn fake_missing_fields_are_not_available_and_the_poll_still_succeeds() {
    let fake = recorded().await;
    let mut dash: Value = serde_json::from_str(SNO).unwrap();
    let obj = dash.as_object_mut().unwrap();
    obj.remove("diskSpace");
    obj.remove("startedAt");
    // A field written differently by another node version does not fail the whole answer.
    obj.insert("version".into(), json!({"major": 1, "minor": 128, "patch": 4}));
    obj.insert("upToDate".into(), json!("yes"));
    fake.set("GET /api/sno/", Reply::Json(dash.to_string()));
    fake.set("GET /api/sno/estimated-payout", Reply::Json(r#"{"previousMonth": null}"#.into()));
    let mut a = adapter(&fake);
    let poll = a.poll().await.unwrap();
    assert_eq!((&poll.metrics.work_rate, poll.metrics.uptime_secs), (&None, None));
    assert!(estimates(&poll).is_empty());
    assert_eq!(a.estimate, None, "no estimate, no starting point");
}

#[tokio::test]
async fn fake_nan_and_negative_values_are_not_available_never_zero() {
    let fake = recorded().await;
    fake.set("GET /api/sno/", edit(SNO, "/diskSpace/used", json!(-5)));
    fake.set("GET /api/sno/estimated-payout", estimate(json!("NaN"), json!(-1)));
    let mut a = adapter(&fake);
    assert_eq!(a.poll().await.unwrap().metrics.work_rate, None);
    assert_eq!(a.estimate, None);
    fake.set("GET /api/sno/", edit(SNO, "/diskSpace/used", json!("NaN")));
    assert_eq!(a.poll().await.unwrap().metrics.work_rate, None);
    // A held amount below zero is dropped, not recorded as 0 or as a negative payout.
    fake.set("GET /api/heldamount/periods", Reply::Json(r#"["2026-04"]"#.into()));
    fake.set(
        "GET /api/heldamount/payout-history/2026-04",
        edit(HISTORY_04, "/0/held", json!(-355937)),
    );
    let poll = adapter(&fake).poll().await.unwrap();
    assert!(!poll.rewards.iter().any(|r| r.key == format!("held:{US1}:2026-04")));
    assert!(poll.rewards.iter().all(|r| r.atomic > 0));
}

#[tokio::test]
async fn fake_history_that_fails_is_a_hint_not_a_failed_poll() {
    let fake = recorded().await;
    fake.set(
        "GET /api/heldamount/periods",
        Reply::Raw { status: 500, content_type: "application/json", body: b"{}".to_vec() },
    );
    let poll = adapter(&fake).poll().await.unwrap();
    assert!(poll.metrics.work_rate.is_some());
    assert!(
        poll.metrics.hints.iter().any(|h| h.contains("payout history could not be read")),
        "{:?}",
        poll.metrics.hints
    );
    assert!(poll.rewards.is_empty());
}

#[tokio::test]
async fn fake_huge_answer_fails_fast_without_reading_it() {
    let fake = recorded().await;
    fake.set("GET /api/sno/", Reply::Huge(100 << 20));
    let t = WallClock::now();
    let err = adapter(&fake).poll().await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert!(err.to_string().contains("larger than"), "{err}");
}

#[tokio::test]
async fn fake_endless_answer_fails_within_the_timeout() {
    let fake = recorded().await;
    fake.set("GET /api/sno/", Reply::Endless);
    let t = WallClock::now();
    assert!(adapter(&fake).poll().await.is_err());
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

#[tokio::test]
async fn fake_slow_answer_fails_within_the_timeout() {
    let fake = recorded().await;
    fake.set(
        "GET /api/sno/",
        Reply::Slow(Duration::from_secs(10), Box::new(Reply::Json(SNO.into()))),
    );
    let t = WallClock::now();
    let err = adapter(&fake).poll().await.unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(matches!(err, AdapterError::Unreachable(_)), "{err}");
}

#[tokio::test]
async fn fake_slow_side_endpoints_cannot_stretch_a_poll() {
    let fake = recorded().await;
    let slow =
        |body: &str| Reply::Slow(Duration::from_secs(10), Box::new(Reply::Json(body.into())));
    fake.set("GET /api/sno/estimated-payout", slow(ESTIMATE));
    fake.set("GET /api/sno/satellites", slow(SATELLITES));
    fake.set("GET /api/heldamount/periods", slow(PERIODS));
    let t = WallClock::now();
    let poll = adapter(&fake).poll().await.unwrap();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(poll.metrics.work_rate.is_some());
    assert_eq!(poll.metrics.hints.len(), 3, "{:?}", poll.metrics.hints);
}

#[test]
fn options_are_refused_by_name() {
    let mut c = cfg("http://127.0.0.1:14002");
    c.options.insert("wallet".into(), "0x1".into());
    let err = StorjAdapter::new(&c).unwrap_err();
    assert!(matches!(&err, AdapterError::Config(m) if m.contains("`wallet`")), "{err}");
    c.options.clear();
    c.url = None;
    assert_eq!(StorjAdapter::new(&c).unwrap().base, "http://127.0.0.1:14002");
    assert!(!StorjAdapter::new(&c).unwrap().can_pause());
}

//! A year of 1 Hz samples rolled up in the ledger: how long the 30-day and 1-year chart queries
//! take (target ≤ 50 ms each) and how big the file gets (target ≤ 100 MB). For
//! docs/benchmarks.md; prints figures and never fails on a threshold.
//!
//! What is simulated, and how faithfully:
//! - Day 1 goes through the real paths: 86,400 samples a second apart through
//!   `Ledger::record_sample` (a node mining all day: CPU, memory, node CPU and RSS, work rate and
//!   counter, temperature, RAPL package power and its source), `Ledger::maintain` once a minute
//!   as the sampler calls it, and an `EnergyAccount` (flat tariff, an idle baseline, so every
//!   energy column is filled) whose closed minutes go through `Ledger::record_energy`.
//! - Days 2–365 are copies of day 1's rollup rows (sample and energy, minute and hour) shifted by
//!   whole days with `INSERT … SELECT`: the rows the rollup job would have left once each day's
//!   raw samples expired. Writing 31.5 million raw samples would take hours and end in the same
//!   rows. The rollup progress is set to the year's end, as the job would leave it.
//! - The last two hours keep raw samples (the default raw window); everything older is pruned.
//! - Not included: events and rewards (a few rows a day, negligible next to 2 × 1,440 rollup rows).
//!
//! The queries timed are exactly what the chart endpoint runs for a range read from rollups
//! (`api::views::series`): sample rollups, energy points and energy totals for the range; and
//! what the dashboard's energy card reads (totals for today, 7 days and all time). The 1-year
//! chart reads one point per UTC day (`Resolution::Day`: the hour rows added up in SQL, 365
//! points); the same year read as 8,760 hour points is timed too, for comparison.
//!
//! Run: `cargo run --release -p lightrig-core --example ledger_year_bench`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a bench that fails, fails loudly

use std::time::{Duration, Instant};

use lightrig_core::energy::{
    Baseline, Currency, EnergyAccount, PowerKind, PowerReading, Price, Tariff,
};
use lightrig_core::ledger::{EnergyRow, Ledger, Resolution, Sample};
use lightrig_core::model::WorkRate;

const DAY_MS: i64 = 86_400_000;
const DAYS: i64 = 365;
/// 2025-01-01T00:00:00Z.
const START: i64 = 1_735_689_600_000;
const RUNS: usize = 21;
const NODE: &str = "xmrig";
const SOURCE: &str = "RAPL package-0 (intel-rapl:0)";

/// A small deterministic generator, so every run writes the same rows.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("ledger.sqlite");
    let (ledger, _) = Ledger::open(&path).expect("ledger");
    let end = START + DAYS * DAY_MS;

    let began = Instant::now();
    day_one(&ledger);
    eprintln!("day 1 through the real paths: {:.1} s", began.elapsed().as_secs_f64());

    let began = Instant::now();
    let conn = rusqlite::Connection::open(&path).expect("second connection");
    conn.busy_timeout(Duration::from_secs(30)).expect("busy timeout");
    copy_days(&conn);
    eprintln!("days 2–{DAYS} copied: {:.1} s", began.elapsed().as_secs_f64());

    // The last two hours as the raw window holds them, then maintenance at the year's end
    // prunes the rest of the raw samples (day 1's last two hours).
    let mut rng = Lcg(7);
    for s in 0..7_200 {
        let at = end - 7_200_000 + s * 1_000;
        ledger.record_sample(&sample(at, &mut rng, 0)).expect("raw sample");
    }
    // Maintenance at the year's end also prunes minute rows older than the minute window
    // (35 days). The app prunes them a minute at a time and new rows reuse the freed pages, so
    // its file stays at the compacted size; VACUUM stands in for that steady state here.
    ledger.maintain(end + 5_000).expect("maintain");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("checkpoint");
    drop(ledger);

    let counts: Vec<(String, i64)> = ["samples_raw", "sample_rollups", "energy_rollups"]
        .iter()
        .map(|t| {
            let n = conn
                .query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
                .expect("count");
            ((*t).to_owned(), n)
        })
        .collect();
    eprintln!("rows: {counts:?}");
    let size = std::fs::metadata(&path).expect("size").len();
    let wal = std::fs::metadata(path.with_extension("sqlite-wal")).map(|m| m.len()).unwrap_or(0);
    for (name, bytes) in table_sizes(&conn) {
        eprintln!("  {name}: {:.1} MB", bytes as f64 / 1e6);
    }
    drop(conn);

    // A fresh handle, as the app has after a start: SQLite's own cache is cold for the first
    // run (the OS file cache is not).
    let (ledger, _) = Ledger::open(&path).expect("reopen");
    let now = end - 1;
    let month = time_it(|| chart(&ledger, Resolution::Hour, now - 30 * DAY_MS, now));
    // As the chart endpoint starts a year: at the UTC midnight 364 days before today.
    let year_from = now - now.rem_euclid(DAY_MS) - (DAYS - 1) * DAY_MS;
    let year = time_it(|| chart(&ledger, Resolution::Day, year_from, now));
    let year_hours = time_it(|| chart(&ledger, Resolution::Hour, now - DAYS * DAY_MS, now));
    let day = time_it(|| chart(&ledger, Resolution::Minute, now - DAY_MS, now));
    let card = time_it(|| {
        let midnight = now - now.rem_euclid(DAY_MS);
        [midnight, now - 7 * DAY_MS, 0]
            .iter()
            .map(|from| {
                let t = ledger.energy_totals(Some(NODE), *from, now + 1).expect("totals");
                usize::from(t.energy.is_some())
            })
            .sum()
    });
    // The 1-year chart's three reads, one by one.
    let from = year_from;
    let day_from = now - DAY_MS;
    let parts = [
        (
            "samples",
            time_it(|| ledger.samples(None, Resolution::Day, from, now + 1).expect("s").len()),
        ),
        (
            "energy_series",
            time_it(|| {
                ledger.energy_series(None, Resolution::Day, from, now + 1).expect("e").len()
            }),
        ),
        (
            "energy_totals",
            time_it(|| {
                let t = ledger.energy_totals(None, day_from, now + 1).expect("t");
                usize::from(t.energy.is_some())
            }),
        ),
    ];
    for (name, t) in &parts {
        eprintln!("  1-year chart, {name}: median {:.2} ms", t.median_ms);
    }
    let all = ledger.energy_totals(Some(NODE), 0, now + 1).expect("all time");
    eprintln!(
        "all time: {:.1} kWh, {:.2} EUR, covered {:.1} days",
        all.energy.map_or(0.0, |e| e.kwh()),
        all.cost_in("EUR").map_or(0.0, |c| c.cost_nanos as f64 / 1e9),
        all.covered_ms as f64 / DAY_MS as f64
    );
    for (name, t) in [
        ("chart_30d", &month),
        ("chart_1y", &year),
        ("chart_1y_hourly", &year_hours),
        ("chart_24h", &day),
        ("energy_card", &card),
    ] {
        println!(
            "{name}_ms median={:.2} max={:.2} first={:.2} points={}",
            t.median_ms, t.max_ms, t.first_ms, t.points
        );
    }
    println!("ledger_bytes={size} wal_bytes={wal} ({:.1} MB)", (size + wal) as f64 / 1e6);
    drop(ledger);
}

/// Day 1 through the real write paths.
fn day_one(ledger: &Ledger) {
    let tariff = Tariff::flat(Currency::parse("EUR").expect("EUR"), Price::from_micros(300_000));
    let mut account = EnergyAccount::new(Some(tariff), 60_000, 10_000).expect("account");
    account.set_baseline(Some(&Baseline {
        watts: 9.0,
        kind: PowerKind::CpuPackage,
        samples: 30,
        measured_at: START,
        source: SOURCE.into(),
    }));
    let work = WorkRate { value: 9_500.0, unit: "H/s".into() };
    let mut reading = PowerReading::measured(0.0, PowerKind::CpuPackage, SOURCE);
    let mut rng = Lcg(1);
    for s in 0..=86_400i64 {
        let at = START + s * 1_000;
        let row = sample(at, &mut rng, s);
        reading.watts = f64::from(row.power_w.unwrap_or(0.0));
        ledger.record_sample(&row).expect("sample");
        if let Some(rollup) = account.record(at, &reading, Some(&work)) {
            ledger
                .record_energy(&[EnergyRow::from_rollup(
                    NODE,
                    &rollup,
                    Some("flat 0.3 EUR/kWh (your setting)"),
                )])
                .expect("energy");
        }
        if s % 60 == 0 {
            ledger.maintain(at).expect("maintain");
        }
    }
    // The day's last minute, closed as the next day's first sample would close it.
    if let Some(rollup) = account.flush() {
        let row = EnergyRow::from_rollup(NODE, &rollup, Some("flat 0.3 EUR/kWh (your setting)"));
        ledger.record_energy(&[row]).expect("energy");
    }
    ledger.maintain(START + DAY_MS + 5_000).expect("maintain");
}

fn sample(at: i64, rng: &mut Lcg, s: i64) -> Sample {
    let wobble = rng.next();
    Sample {
        at_ms: at,
        node_id: Some(NODE.into()),
        cpu_percent: Some(92.0 + 8.0 * wobble as f32),
        mem_used_bytes: Some(9_000_000_000 + (wobble * 5e8) as u64),
        node_cpu_percent: Some(370.0 + 30.0 * wobble as f32),
        node_rss_bytes: Some(2_400_000_000 + (wobble * 1e7) as u64),
        work_rate: Some(9_400.0 + 200.0 * wobble),
        work_unit: Some("H/s".into()),
        total_work: Some(u64::try_from(s).unwrap_or(0) * 9_500),
        cpu_temp_c: Some(68.0 + 6.0 * wobble as f32),
        power_w: Some(62.0 + 8.0 * wobble as f32),
        power_source: Some(SOURCE.into()),
        on_battery: Some(false),
    }
}

/// Copies day 1's rollup rows to days 2..=365 and marks them rolled up.
fn copy_days(conn: &rusqlite::Connection) {
    for table in ["sample_rollups", "energy_rollups"] {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})")).expect("columns");
        let columns: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(1))
            .expect("columns")
            .map(|c| c.expect("name"))
            .collect();
        let list = columns.join(", ");
        let select = columns
            .iter()
            .map(|c| if c == "bucket_ms" { "bucket_ms + ?1".to_owned() } else { c.clone() })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {table} ({list}) SELECT {select} FROM {table} \
             WHERE bucket_ms >= ?2 AND bucket_ms < ?3"
        );
        for day in 1..DAYS {
            conn.execute_batch("BEGIN").expect("begin");
            conn.execute(&sql, rusqlite::params![day * DAY_MS, START, START + DAY_MS])
                .expect("copy day");
            conn.execute_batch("COMMIT").expect("commit");
        }
    }
    let end = START + DAYS * DAY_MS;
    conn.execute(
        "UPDATE rollup_progress SET done_until_ms = ?1 WHERE res_ms IN (60000, 3600000)",
        [end],
    )
    .expect("progress");
}

/// Bytes per table and index, where SQLite was built with the dbstat table.
fn table_sizes(conn: &rusqlite::Connection) -> Vec<(String, i64)> {
    let Ok(mut stmt) =
        conn.prepare("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC")
    else {
        return Vec::new();
    };
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
}

/// One chart request for `[from, to]`, as the chart endpoint (`api::views::series`) makes it.
fn chart(ledger: &Ledger, res: Resolution, from: i64, to: i64) -> usize {
    let rows = ledger.samples(None, res, from, to + 1).expect("sample rollups");
    let points = ledger.energy_series(None, res, from, to + 1).expect("energy");
    let totals = ledger.energy_totals(None, from.max(to - DAY_MS), to + 1).expect("totals");
    assert!(totals.energy.is_some());
    rows.len() + points.len()
}

struct Timing {
    first_ms: f64,
    median_ms: f64,
    max_ms: f64,
    points: usize,
}

fn time_it(mut f: impl FnMut() -> usize) -> Timing {
    let mut times = Vec::with_capacity(RUNS);
    let mut points = 0;
    for _ in 0..RUNS {
        let t = Instant::now();
        points = f();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let first_ms = times[0];
    times.sort_by(f64::total_cmp);
    Timing { first_ms, median_ms: times[RUNS / 2], max_ms: times[RUNS - 1], points }
}

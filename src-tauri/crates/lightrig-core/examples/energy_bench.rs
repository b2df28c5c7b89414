//! What one `EnergyAccount::record` costs, amortised over 1,000,000 samples (target ≤ 1 µs).
//!
//! The account runs next to the 1 Hz sampler for as long as Lightrig runs. The run feeds it one
//! sample a second of simulated time (about 11.6 days, crossing the autumn DST change) under a
//! time-of-use tariff in Europe/Berlin with an hourly price change, an idle baseline for
//! marginal energy, a work rate, and minute rollups — the full production path.
//!
//! Run: `cargo run --release -p lightrig-core --example energy_bench`
//! Prints one machine-readable line on stdout; context goes to stderr.

use std::hint::black_box;
use std::time::Instant;

use lightrig_core::energy::tariff::RawTariff;
use lightrig_core::energy::{Baseline, EnergyAccount, PowerKind, PowerReading};
use lightrig_core::model::WorkRate;

const SAMPLES: i64 = 1_000_000;

const TARIFF: &str = r#"
currency = "EUR"
time_zone = "Europe/Berlin"
[[seasons]]
name = "all year"
from = "01-01"
to = "12-31"
weekday = [
  { from = 0, to = 7, price = "0.20" },
  { from = 7, to = 22, price = "0.40" },
  { from = 22, to = 24, price = "0.25" },
]
weekend = [{ from = 0, to = 24, price = "0.30" }]
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tariff = RawTariff::from_toml(TARIFF)?.validate()?;
    let mut account = EnergyAccount::new(Some(tariff), 60_000, 10_000)?;
    let baseline = Baseline {
        watts: 40.0,
        kind: PowerKind::CpuPackage,
        samples: 30,
        measured_at: 0,
        source: "RAPL package-0 (intel-rapl:0)".into(),
    };
    account.set_baseline(Some(&baseline));
    let mut reading =
        PowerReading::measured(0.0, PowerKind::CpuPackage, "RAPL package-0 (intel-rapl:0)");
    let work = WorkRate { value: 9_500.0, unit: "H/s".into() };
    // 2026-10-20T00:00:00Z: the run crosses 25 October's DST change.
    let start: i64 = 1_792_454_400_000;
    let mut rollups = 0u64;
    let began = Instant::now();
    for i in 0..SAMPLES {
        reading.watts = 120.0 + (i % 7) as f64;
        if let Some(rollup) = account.record(start + i * 1_000, black_box(&reading), Some(&work)) {
            rollups += 1;
            black_box(rollup);
        }
    }
    let elapsed = began.elapsed();
    let per_sample_ns = elapsed.as_nanos() as f64 / SAMPLES as f64;
    let totals = account.totals();
    eprintln!(
        "{SAMPLES} samples in {:.3} s, {rollups} minute rollups; {:.3} kWh, cost {}",
        elapsed.as_secs_f64(),
        totals.energy.kwh(),
        account.total_cost().map_or_else(|| "n/a".to_owned(), |m| m.to_string())
    );
    println!("energy_account_per_sample_ns={per_sample_ns:.1}");
    Ok(())
}

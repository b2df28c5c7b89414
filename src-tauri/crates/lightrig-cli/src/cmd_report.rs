use clap::Args;

use crate::exit;
use crate::output;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// How many days back to report (default: all time).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=36500))]
    days: Option<u32>,
    /// Which node (default: the one in the settings).
    #[arg(long, value_name = "PROFILE")]
    node: Option<String>,
}

pub fn run(data_dir: Option<&std::path::Path>, json: bool, args: &ReportArgs) -> u8 {
    let now = lightrig_core::model::now_millis();
    let from = args.days.map_or(0, |d| now - i64::from(d) * 86_400_000);
    let report = match lightrig_core::engine::report(data_dir, args.node.as_deref(), from, now + 1)
    {
        Ok(r) => r,
        Err(e) => return output::engine_error(json, &e),
    };
    if json {
        output::print_json(&report);
        return exit::OK;
    }
    let span = args.days.map_or("all time".to_string(), |d| format!("last {d} days"));
    println!("{} — {span}", report.node_id);
    println!("uptime     {}", output::duration(report.uptime_ms));
    match report.work_done {
        Some(w) => println!("work done  {w} hashes"),
        None => println!("work done  not available"),
    }
    if report.rewards.is_empty() {
        println!("rewards    none yet");
    }
    for r in &report.rewards {
        let sim = if r.simulated { " (simulated, not money)" } else { "" };
        println!(
            "rewards    {:<9} {} {} from {} rewards{sim}",
            r.state, r.amount, r.asset, r.count
        );
    }
    match report.energy_kwh {
        Some(kwh) => println!("energy     {kwh:.3} kWh"),
        None => println!("energy     {}", report.energy_note),
    }
    exit::OK
}

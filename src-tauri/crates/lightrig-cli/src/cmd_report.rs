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
    print_energy(&report);
    print_values(&report);
    println!("1st payout {}", lightrig_core::engine::describe_first_payout(&report.first_payout));
    exit::OK
}

/// Each reward line in money, never added across states, with the price's source and time.
fn print_values(report: &lightrig_core::engine::Report) {
    for v in &report.valued {
        let when = lightrig_core::export::Timestamp::from_millisecond(v.price_at_ms).map_or_else(
            |_| "unknown time".to_owned(),
            |t| t.strftime("%Y-%m-%d %H:%M UTC").to_string(),
        );
        let net = v
            .net
            .as_deref()
            .map(|n| format!("; net {} {} after electricity", rounded(n), v.currency))
            .unwrap_or_default();
        println!(
            "value      {:<9} {} {} at {} {} per {} ({}, {when}){net}",
            v.state,
            rounded(&v.value),
            v.currency,
            rounded(&v.price),
            v.currency,
            v.asset,
            v.price_source
        );
    }
    for asset in &report.unpriced {
        println!(
            "value      {asset}: not available — no price in force; set one in Settings or turn on \
             the price feed"
        );
    }
}

fn print_energy(report: &lightrig_core::engine::Report) {
    let Some(kwh) = report.energy_kwh else {
        println!("energy     {}", report.energy_note);
        return;
    };
    println!("energy     {kwh:.3} kWh over {}", output::duration(report.covered_ms.max(0) as u64));
    println!("           {}", report.energy_note);
    match (report.marginal_kwh, report.marginal_coverage) {
        (Some(m), Some(c)) if c >= 0.9995 => {
            println!("marginal   {m:.3} kWh above the idle baseline")
        }
        (Some(m), Some(c)) => println!(
            "marginal   {m:.3} kWh above the idle baseline, over {:.0} % of that time",
            c * 100.0
        ),
        _ => println!("marginal   not available: no idle baseline was measured"),
    }
    if report.costs.is_empty() {
        println!("cost       not available: no electricity price was set");
    }
    for c in &report.costs {
        let covered = if c.costed_ms < report.covered_ms {
            format!(
                " (for {} of it: the rest had no price)",
                output::duration(c.costed_ms.max(0) as u64)
            )
        } else {
            String::new()
        };
        let marginal = c
            .marginal_cost
            .as_deref()
            .map(|m| format!("; marginal {} {}", rounded(m), c.currency))
            .unwrap_or_default();
        println!("cost       {} {}{marginal}{covered}", rounded(&c.cost), c.currency);
    }
    println!("net basis  {}: {}", report.net_basis, report.net_basis_note);
}

/// An exact decimal from the report, shown with four decimals (a minute of power costs less
/// than a cent).
fn rounded(exact: &str) -> String {
    exact.parse::<f64>().map_or_else(|_| exact.to_owned(), |v| format!("{v:.4}"))
}

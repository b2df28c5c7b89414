//! `lightrig export`: records and tax-tool files from the ledger, for a range of days.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use lightrig_core::export::{self, Date, DateRange, ExportFormat, ExportRequest, Lang, TimeZone};
use lightrig_core::ledger::Ledger;
use lightrig_core::paths::{self, Paths};

use crate::exit;
use crate::output;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// full (every reward and energy per day), koinly, cointracker, bittytax, or summary (a
    /// printable HTML page).
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    format: ExportFormat,
    /// First day, in the time zone of --tz.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    from: Date,
    /// Last day, included.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    to: Date,
    /// IANA time zone for local days and times (default: this computer's).
    #[arg(long, value_name = "AREA/CITY", value_parser = parse_zone)]
    tz: Option<TimeZone>,
    /// Language of the summary page: en or zh-CN.
    #[arg(long, value_name = "LANG", default_value = "en", value_parser = parse_lang)]
    lang: Lang,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace --out if it exists.
    #[arg(long, requires = "out")]
    force: bool,
}

fn parse_format(s: &str) -> Result<ExportFormat, String> {
    s.parse().map_err(|e: export::ExportError| e.to_string())
}

fn parse_date(s: &str) -> Result<Date, String> {
    export::parse_date(s).map_err(|e| e.to_string())
}

fn parse_zone(s: &str) -> Result<TimeZone, String> {
    export::time_zone(s).map_err(|e| e.to_string())
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::ALL
        .into_iter()
        .find(|l| l.tag().eq_ignore_ascii_case(s))
        .ok_or_else(|| format!("`{s}` is not a language Lightrig has: use en or zh-CN"))
}

pub fn run(data_dir: Option<&Path>, json: bool, args: &ExportArgs) -> u8 {
    let range = match DateRange::new(args.from, args.to) {
        Ok(r) => r,
        Err(e) => {
            output::fail(json, e.code(), &e.to_string());
            return exit::USAGE;
        }
    };
    if let Some(out) = &args.out
        && out.exists()
        && !args.force
    {
        let message = format!(
            "{} already exists; choose another --out, or add --force to replace it",
            out.display()
        );
        output::fail(json, "export.file_exists", &message);
        return exit::USAGE;
    }
    let paths = match Paths::resolve(data_dir) {
        Ok(p) => p,
        Err(e) => {
            output::fail(json, "files.unusable", &e.to_string());
            return exit::FILES;
        }
    };
    let ledger = match Ledger::open(paths.ledger_file()) {
        Ok((ledger, _)) => ledger,
        Err(e) => {
            output::fail(json, "ledger.unusable", &e.to_string());
            return exit::FILES;
        }
    };
    let catalog = match lightrig_core::engine::catalog(data_dir) {
        Ok(c) => c,
        Err(e) => return output::engine_error(json, &e),
    };
    let mut request =
        ExportRequest::new(args.format, range, args.tz.clone().unwrap_or_else(TimeZone::system));
    request.lang = args.lang;
    request.activities = catalog.profiles.iter().map(|p| (p.id.clone(), p.activity)).collect();
    // Rewards are valued with the prices on record (the user's own, or the opt-in feed's) in
    // the settings currency; without one the fiat columns stay empty.
    let currency = lightrig_core::config::load_quiet(&paths.config_file()).currency;
    let prices = export::LedgerPrices::new(&ledger, &currency);
    let result = match &args.out {
        // Standard output streams as the ledger is read.
        None => {
            let mut stdout = std::io::stdout().lock();
            export::export_to(&ledger, &request, &prices, &mut stdout)
                .and_then(|()| stdout.flush().map_err(export::ExportError::Write))
                .map(|()| None)
        }
        // A file is written whole or not at all.
        Some(out) => export::export(&ledger, &request, &prices).map(|bytes| Some((out, bytes))),
    };
    let written = match result {
        Ok(w) => w,
        Err(e) => {
            output::fail(json, e.code(), &e.to_string());
            return match e {
                export::ExportError::Ledger(_) => exit::FILES,
                _ => exit::FAILED,
            };
        }
    };
    if let Some((out, bytes)) = written {
        if let Err(e) = paths::write_atomic(out, &bytes) {
            let message = format!(
                "cannot write {}: {e}; check that its folder exists and is writable",
                out.display()
            );
            output::fail(json, "export.write_failed", &message);
            return exit::FAILED;
        }
        if json {
            output::print_json(&serde_json::json!({
                "written": out.display().to_string(),
                "format": args.format,
                "bytes": bytes.len(),
            }));
        } else {
            eprintln!("lightrig: wrote {} ({} bytes)", out.display(), bytes.len());
        }
    }
    exit::OK
}

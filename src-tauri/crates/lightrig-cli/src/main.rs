//! `lightrig`: run, inspect and report on a node from a terminal, on the same engine the
//! desktop app uses.

mod cmd_export;
mod cmd_install;
mod cmd_nodes;
mod cmd_report;
mod cmd_run;
mod cmd_serve;
mod cmd_status;
mod output;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit codes, documented in `--help`.
pub mod exit {
    pub const OK: u8 = 0;
    /// The node failed (crash loop, missing program) or an unexpected error.
    pub const FAILED: u8 = 1;
    /// Bad usage or bad input: an unknown profile, a bad setting, a bad profile file.
    pub const USAGE: u8 = 2;
    /// Lightrig's own files cannot be used (data folder, ledger).
    pub const FILES: u8 = 3;
    /// `status`: no Lightrig engine is running for this data folder.
    pub const NOT_RUNNING: u8 = 4;
    /// `run`, `serve`: another Lightrig engine (the app, or another `run`/`serve`) is using
    /// this data folder.
    pub const BUSY: u8 = 5;
}

const EXIT_CODES: &str = "Exit codes:
  0  success (a run stopped by Ctrl-C or SIGTERM is a success)
  1  the node failed (crash loop, missing program) or an unexpected error
  2  bad usage or input: unknown profile, bad setting, bad profile file
  3  Lightrig's files cannot be used (data folder, ledger)
  4  status: no Lightrig engine is running for this data folder
  5  run, serve: another Lightrig (the app, or another run or serve) is using this data folder";

#[derive(Debug, Parser)]
#[command(
    name = "lightrig",
    version,
    about = "Run one node on this computer in plain view: what it earns, what it costs, how hot it runs.",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Keep all of Lightrig's files under this folder (default: the platform's folders).
    #[arg(long, global = true, env = "LIGHTRIG_HOME", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print JSON (one object, or one per line for `run`) instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the node profiles: built-in ones and your own from the profiles folder.
    Nodes,
    /// Run a node in the foreground until Ctrl-C (the practice node by default).
    Run(cmd_run::RunArgs),
    /// Show the state of the node a running Lightrig supervises.
    Status,
    /// Uptime, work done, rewards by state, and energy so far.
    Report(cmd_report::ReportArgs),
    /// Records and tax-tool files (Koinly, CoinTracker, BittyTax) or a printable summary.
    Export(cmd_export::ExportArgs),
    /// Download, verify and install a node's program (a release pinned in Lightrig).
    Install(cmd_install::InstallArgs),
    /// Use a program already on this computer for a node (checked before every launch).
    Adopt(cmd_install::AdoptArgs),
    /// Node programs installed or chosen, with their versions and hashes.
    Installed(cmd_install::InstalledArgs),
    /// Browser mode: serve the UI, an HTTP API and /metrics on 127.0.0.1 (token required).
    Serve(cmd_serve::ServeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Nodes => cmd_nodes::run(cli.data_dir.as_deref(), cli.json),
        Command::Status => cmd_status::run(cli.data_dir.as_deref(), cli.json),
        Command::Report(args) => cmd_report::run(cli.data_dir.as_deref(), cli.json, &args),
        Command::Export(args) => cmd_export::run(cli.data_dir.as_deref(), cli.json, &args),
        Command::Install(args) => cmd_install::install(cli.data_dir, cli.json, args),
        Command::Adopt(args) => cmd_install::adopt(cli.data_dir.as_deref(), cli.json, &args),
        Command::Installed(args) => {
            cmd_install::installed(cli.data_dir.as_deref(), cli.json, &args)
        }
        Command::Run(args) => cmd_run::run(cli.data_dir, cli.json, args),
        Command::Serve(args) => cmd_serve::run(cli.data_dir, cli.json, args),
    };
    ExitCode::from(code)
}
